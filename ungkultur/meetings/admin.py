from django.contrib import admin

from ungkultur.meetings.models import ActionItem, AgendaItem, Event, EventChange, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["proposal", "added_by"]


class EventChangeInline(admin.TabularInline):
    model = EventChange
    extra = 0
    readonly_fields = ["kind", "at", "actor", "starts_at", "ends_at", "reason"]
    can_delete = False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "municipality", "starts_at", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["organisers"]
    inlines = [AgendaItemInline, EventChangeInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status"]
    list_filter = ["status"]
    raw_id_fields = ["event", "user"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["what", "owner", "due", "status"]
    list_filter = ["status"]
    raw_id_fields = ["event", "owner"]
