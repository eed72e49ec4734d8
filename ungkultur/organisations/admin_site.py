"""The Django admin as a fallback for national administrators, with every change audited.

The product's own pages come first (switching KK on and off, invitations, units, staff); the admin
is for what they do not cover yet. Who gets in: superusers as before, and active national
administrators (NationalRole ADMIN), who need no ``is_staff`` flag and no permission rows:
``NationalAdminBackend`` gives them the model permissions of the models registered in the admin
(not those of django.contrib.auth), and each ModelAdmin's own refusals (read-only admins, no
self-grant) still hold. A national administrator may not change or delete a superuser, nor set
anybody's ``is_superuser``, ``is_staff``, groups or permissions: only a superuser does that.

Every registered ModelAdmin writes our audit row beside Django's LogEntry (AuditedAdmin), also
those registered without it.
"""

import functools

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import BaseBackend

PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")
MODEL_ACTIONS = ("view", "add", "change", "delete")


def _is_national_admin(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    from ungkultur.organisations.selectors import roles_for  # models are not ready at import

    return roles_for(user).is_admin


def _is_user_model(model) -> bool:
    return model._meta.label == settings.AUTH_USER_MODEL


@functools.cache
def guarded_admin():
    """The mixin put in front of every registered ModelAdmin (made on first use: the admin site
    is built while ungkultur.core.admin, which holds AuditedAdmin, is still being imported)."""
    from ungkultur.core.admin import AuditedAdmin

    class GuardedAdmin(AuditedAdmin):
        """Mixed in front of every registered ModelAdmin by UngkulturAdminSite.register."""

        def get_readonly_fields(self, request, obj=None):
            fields = list(super().get_readonly_fields(request, obj))
            if _is_user_model(self.model) and not request.user.is_superuser:
                fields += [f for f in PRIVILEGE_FIELDS if f not in fields]
            return fields

        def _touches_superuser(self, request, obj) -> bool:
            return (
                obj is not None
                and _is_user_model(self.model)
                and obj.is_superuser
                and not request.user.is_superuser
            )

        def has_change_permission(self, request, obj=None):
            if self._touches_superuser(request, obj):
                return False
            return super().has_change_permission(request, obj)

        def has_delete_permission(self, request, obj=None):
            if self._touches_superuser(request, obj):
                return False
            return super().has_delete_permission(request, obj)

    return GuardedAdmin


class UngkulturAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or _is_national_admin(user))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        guarded = guarded_admin()
        if not issubclass(admin_class, guarded):
            admin_class = type(f"Guarded{admin_class.__name__}", (guarded, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def registered_labels(self) -> set[tuple[str, str]]:
        """(app label, model name) of the models registered here and of their inlines."""
        models = set(self._registry)
        models |= {inline.model for a in self._registry.values() for inline in a.inlines}
        return {
            (model._meta.app_label, model._meta.model_name)
            for model in models
            if model._meta.app_label != "auth"
        }


class NationalAdminBackend(BaseBackend):
    """Model permissions in the admin for national administrators (see the module docstring)."""

    def has_perm(self, user_obj, perm, obj=None):
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        if action not in MODEL_ACTIONS:
            return False
        if (app_label, model_name) not in admin.site.registered_labels():
            return False
        return _is_national_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        if app_label not in {label for label, _ in admin.site.registered_labels()}:
            return False
        return _is_national_admin(user_obj)
