from django.contrib import admin

from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.core.admin import AuditedAdmin


class ClubHeadcountInline(admin.TabularInline):
    model = ClubHeadcount
    extra = 0


@admin.register(ClubEvening)
class ClubEveningAdmin(AuditedAdmin):
    list_display = ["date", "unit", "first_time_visitors", "recorded_at"]
    list_filter = ["unit__municipality"]
    list_select_related = ["unit"]
    date_hierarchy = "date"
    raw_id_fields = ["unit", "recorded_by"]
    inlines = [ClubHeadcountInline]
