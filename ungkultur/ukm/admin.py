from django.contrib import admin

from ungkultur.ukm.models import Innslag, InnslagPerson, InnslagTitle, UkmEvent


@admin.register(UkmEvent)
class UkmEventAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "starts_at", "signup_opens", "signup_closes"]
    list_filter = ["unit__municipality"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "venue"]
    date_hierarchy = "starts_at"


class InnslagPersonInline(admin.TabularInline):
    model = InnslagPerson
    extra = 0
    raw_id_fields = ["user"]


class InnslagTitleInline(admin.TabularInline):
    model = InnslagTitle
    extra = 0


@admin.register(Innslag)
class InnslagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "event", "created_at", "forwarded_at"]
    list_filter = ["type", "event__unit__municipality"]
    list_select_related = ["event"]
    search_fields = ["name"]
    raw_id_fields = ["event", "contact"]
    inlines = [InnslagPersonInline, InnslagTitleInline]
