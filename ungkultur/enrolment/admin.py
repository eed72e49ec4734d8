from django.contrib import admin

from ungkultur.core.admin import AuditedAdmin
from ungkultur.enrolment.models import Attendance, CalendarFeed, Enrolment, Participant


@admin.register(Participant)
class ParticipantAdmin(AuditedAdmin):
    list_display = ["__str__", "municipality", "birth_year", "gender"]
    list_filter = ["gender"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["municipality", "user"]


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdmin):
    # Read-only: every change goes through the services, which write the audit rows.
    list_display = ["participant", "offer", "status", "queued_at", "start", "end", "end_reason"]
    list_filter = ["status", "end_reason", "offer__join_mode"]
    search_fields = ["offer__title", "participant__user__email"]
    raw_id_fields = ["offer", "participant", "signed_up_by"]
    date_hierarchy = "queued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    list_display = ["enrolment", "session", "present", "recorded_at"]
    list_filter = ["present"]
    raw_id_fields = ["session", "enrolment", "recorded_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(AuditedAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["token_hash"]
