from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ungkultur.accounts.forms import AdminLoginForm
from ungkultur.accounts.models import ApiToken, Consent, Guardianship, User
from ungkultur.core.admin import AuditedAdmin

# /admin/login/ counts failed logins with the site's form and asks for the second factor where
# one is set up, like the site's login (issue 19).
admin.site.login_form = AdminLoginForm


def _admin_login(request, extra_context=None):
    from django.contrib.auth import REDIRECT_FIELD_NAME
    from django.http import HttpResponseRedirect
    from django.urls import reverse

    from ungkultur.accounts.views import AdminLoginView

    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index", current_app=site.name))
    context = {
        **site.each_context(request),
        "title": _("Logg inn"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=site.name)
    context.update(extra_context or {})
    request.current_app = site.name
    return AdminLoginView.as_view(extra_context=context)(request)


admin.site.login = _admin_login


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Users log in with their e-mail address; there is no username."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "first_name", "last_name", "birth_year", "municipality", "is_active")
    list_filter = ("is_active", "is_staff", "is_superuser", "gender")
    search_fields = ("email", "first_name", "last_name", "nickname")
    ordering = ("email",)
    list_select_related = ("municipality",)
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personopplysninger"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "nickname",
                    "birth_year",
                    "gender",
                    "municipality",
                )
            },
        ),
        (
            _("Tilganger"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Guardianship)
class GuardianshipAdmin(AuditedAdmin):
    list_display = ("guardian", "child", "created_at", "confirmed_at")
    list_select_related = ("guardian", "child")
    search_fields = ("guardian__email", "child__email", "child__first_name")
    autocomplete_fields = ("guardian", "child")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the services, which write the audit rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("subject", "purpose", "status", "given_by", "grantor", "given_at")
    list_filter = ("purpose", "status", "given_by", "text_version")
    list_select_related = ("subject", "grantor")
    search_fields = ("subject__email", "subject__first_name")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    # The hash is left out on purpose: it is as good as a password to anyone with the database.
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
