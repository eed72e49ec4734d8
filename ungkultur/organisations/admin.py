from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from ungkultur.core.admin import AuditedAdmin
from ungkultur.organisations.models import (
    Group,
    Invitation,
    Membership,
    NationalRole,
    Organisation,
    Unit,
    UnitStaff,
)
from ungkultur.organisations.services import refuse_self_grant


class NoSelfGrantAdmin(AuditedAdmin):
    """A role or seat row the signed-in person may not add or change for themself, not even a
    superuser in the admin (docs/privacy.md: nobody grants themselves a role)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                user = cleaned.get("user") or getattr(self.instance, "user", None)
                try:
                    refuse_self_grant(actor=request.user, user=user)
                except PermissionDenied as refusal:
                    raise ValidationError(str(refusal)) from refusal
                return cleaned

        return Form


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(NationalRole)
class NationalRoleAdmin(NoSelfGrantAdmin):
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
class UnitStaffAdmin(NoSelfGrantAdmin):
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
class MembershipAdmin(NoSelfGrantAdmin):
    list_display = ["user", "role", "group", "start", "end"]
    list_filter = ["role", "group__kind"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "group__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["group"]
    list_select_related = ["user", "group"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin):
    """Read-only: invitations are sent, resent and revoked on /kommuner/{code}/invitasjoner/
    (ungkultur/organisations/invitations.py), where each step is audited."""

    list_display = ["email", "membership_role", "unit_role", "municipality", "created_at"]
    list_filter = ["membership_role", "unit_role"]
    search_fields = ["email", "municipality__name", "municipality__code"]
    list_select_related = ["municipality"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
