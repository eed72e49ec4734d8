from django.contrib import admin

from ungkultur.core.admin import AuditedAdmin
from ungkultur.organisations.models import (
    Group,
    Membership,
    NationalRole,
    Organisation,
    Unit,
    UnitStaff,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(NationalRole)
class NationalRoleAdmin(AuditedAdmin):
    list_display = ["user", "role", "organisation", "start", "end"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
    date_hierarchy = "start"


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "kind", "municipality", "organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name", "municipality__name", "municipality__code"]
    raw_id_fields = ["municipality"]


@admin.register(UnitStaff)
class UnitStaffAdmin(AuditedAdmin):
    list_display = ["user", "role", "unit", "start", "end"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "unit__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]


@admin.register(Group)
class GroupAdmin(AuditedAdmin):
    list_display = ["name", "kind", "municipality", "seats"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality__name", "municipality__code"]
    raw_id_fields = ["municipality"]
    list_select_related = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "role", "group", "start", "end"]
    list_filter = ["role", "group__kind"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "group__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["group"]
    list_select_related = ["user", "group"]
