from django.contrib import admin

from ungkultur.core.models import AuditEntry
from ungkultur.core.services import audit_record


def _plain(value):
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin leave an audit row like those the services write."""

    # Recorded as changed, never with their values.
    audit_hidden_fields = {"password", "password1", "password2", "token_hash"}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: (
                "***"
                if name in self.audit_hidden_fields
                else [_plain(form.initial.get(name)), _plain(form.cleaned_data.get(name))]
            )
            for name in form.changed_data
        }
        action = "changed" if change else "added"
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_{action}",
            obj=obj,
            changes=changes,
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=f"{obj._meta.model_name}.admin_deleted", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(
                actor=request.user, action=f"{obj._meta.model_name}.admin_deleted", obj=obj
            )
        super().delete_queryset(request, queryset)


# Registered after AuditedAdmin is defined: registering builds the admin site, which wraps every
# ModelAdmin in AuditedAdmin (ungkultur/organisations/admin_site.py) and imports it from here.
@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
