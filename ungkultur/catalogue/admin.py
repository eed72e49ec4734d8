from django.contrib import admin

from ungkultur.catalogue.models import Offer, Schedule, Session, Venue
from ungkultur.core.admin import AuditedAdmin

# Staff run offers through their own pages, where changes leave audit rows; the admin is for
# support and corrections.


@admin.register(Venue)
class VenueAdmin(AuditedAdmin):
    list_display = ["name", "municipality", "step_free", "accessible_toilet", "hearing_loop"]
    list_filter = ["step_free", "accessible_toilet", "hearing_loop"]
    search_fields = ["name", "address", "municipality__name", "municipality__code"]
    raw_id_fields = ["municipality"]
    list_select_related = ["municipality"]


class ScheduleInline(admin.TabularInline):
    model = Schedule
    fields = ["weekday", "start_time", "end_time", "first_date", "last_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["starts_at", "ends_at", "venue", "cancelled_at", "cancel_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(AuditedAdmin):
    list_display = ["title", "unit", "municipality", "status", "join_mode", "term_start"]
    list_filter = ["status", "join_mode", "category", "unit__kind"]
    search_fields = ["title", "unit__name", "municipality__name", "municipality__code"]
    raw_id_fields = ["unit", "municipality", "venue", "teachers"]
    list_select_related = ["unit", "municipality"]
    date_hierarchy = "term_start"
    inlines = [ScheduleInline, SessionInline]


@admin.register(Session)
class SessionAdmin(AuditedAdmin):
    list_display = ["offer", "starts_at", "ends_at", "venue", "cancelled_at"]
    list_filter = ["weekday"]
    search_fields = ["offer__title"]
    raw_id_fields = ["offer", "schedule", "venue"]
    list_select_related = ["offer", "venue"]
    date_hierarchy = "starts_at"
