from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ungkultur.accounts import services
from ungkultur.accounts.forms import (
    AdminLoginForm,
    AdultRegistrationForm,
    GuardianConfirmForm,
    GuardianResendForm,
    LoginForm,
    PasswordResetForm,
    SetPasswordForm,
    YouthRegistrationForm,
)
from ungkultur.accounts.models import User
from ungkultur.accounts.selectors import (
    EMAIL_TOKEN_MAX_AGE,
    EmailTokenError,
    GuardianTokenError,
    age_at,
    guardianship_for_token,
    user_for_email_token,
)
from ungkultur.lib import throttle


class BadRequestOnInvalidMixin:
    """Bad input answers 400 (the form re-rendered with its messages), as everywhere else."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(BadRequestOnInvalidMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # Through allauth's login stages, so that a second factor is asked for where one is set
        # up (allauth.mfa), as after an ID-porten or Feide login (issue 19).
        from allauth.account.internal.flows.login import record_authentication
        from allauth.account.utils import perform_login

        user = form.get_user()
        # Counts as a fresh password login for allauth (setting up a second factor needs one).
        record_authentication(self.request, user, method="password", email=user.email)
        return perform_login(self.request, user, redirect_url=self.get_success_url())


class AdminLoginView(LoginView):
    """/admin/login/: the site's limiter and allauth's login stages (second factor), in the
    admin's look."""

    template_name = "admin/login.html"
    authentication_form = AdminLoginForm
    redirect_authenticated_user = False


class PasswordResetView(BadRequestOnInvalidMixin, auth_views.PasswordResetView):
    """Limited per address (refused with 429) and per e-mail (no more mail, the same answer,
    so that the limit tells nothing about the address)."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "registration/reset_password_email.txt"
    subject_template_name = "registration/reset_password_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        hour = 60 * 60
        address = self.request.META.get("REMOTE_ADDR", "")
        limit = settings.UNGKULTUR_PASSWORD_RESETS_PER_ADDRESS
        if throttle.is_blocked("reset-address", address, limit=limit):
            form.add_error(
                None, _("For mange forespørsler fra denne adressen. Prøv igjen om en time.")
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        throttle.record_failure("reset-address", address, window_seconds=hour)
        email = form.cleaned_data["email"].strip().lower()
        limit = settings.UNGKULTUR_PASSWORD_RESETS_PER_EMAIL
        if throttle.is_blocked("reset", email, limit=limit):
            return redirect(self.get_success_url())
        throttle.record_failure("reset", email, window_seconds=hour)
        # A guardian's account made by a child's sign-up has no password to reset: it gets
        # the confirmation link, where the guardian chooses one (the same answer on the page).
        if services.placeholder_guardian_links_send(email=email, now=timezone.now()):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(BadRequestOnInvalidMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    now = timezone.now()
    form = YouthRegistrationForm(request.POST or None, year=timezone.localtime(now).year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _registrations_blocked(request):
            return _too_many_registrations(request, form, "accounts/register.html")
        if User.objects.filter(email__iexact=data["email"]).exists():
            return _registered_elsewhere(request, data, needs_guardian=form.needs_guardian)
        try:
            user = services.youth_register(
                first_name=data["first_name"],
                nickname=data["nickname"],
                email=data["email"],
                password=data["password1"],
                birth_year=data["birth_year"],
                gender=data["gender"],
                municipality=data["municipality"],
                guardian_name=data["guardian_name"],
                guardian_email=data["guardian_email"],
                now=now,
            )
        except ValidationError as error:
            if User.objects.filter(email__iexact=data["email"]).exists():  # a race, same answer
                return _registered_elsewhere(request, data, needs_guardian=form.needs_guardian)
            form.add_error(None, error)
        else:
            return _registered(request, data, needs_guardian=not user.is_active)
    return render(
        request,
        "accounts/register.html",
        {
            "form": form,
            "guardian_age": settings.UNGKULTUR_AGE_ONLINE_CONSENT,
            "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
        },
        status=400 if form.is_bound else 200,
    )


def _registrations_blocked(request) -> bool:
    """Count a registration from the request's address; True once the hour's limit is reached."""
    address = request.META.get("REMOTE_ADDR", "")
    limit = settings.UNGKULTUR_REGISTRATIONS_PER_ADDRESS
    if throttle.is_blocked("register-address", address, limit=limit):
        return True
    throttle.record_failure("register-address", address, window_seconds=60 * 60)
    return False


def _too_many_registrations(request, form, template):
    form.add_error(None, _("For mange registreringer fra denne adressen. Prøv igjen om en time."))
    return render(
        request,
        template,
        {
            "form": form,
            "guardian_age": settings.UNGKULTUR_AGE_ONLINE_CONSENT,
            "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def register_adult(request):
    """A parent or guardian registers, to add their children from Min side (no birth year).
    The same protections as the youth's registration: the answer does not tell whether the
    address has an account, nobody is logged in, the e-mail is confirmed by a link."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = AdultRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _registrations_blocked(request):
            return _too_many_registrations(request, form, "accounts/register_adult.html")
        if User.objects.filter(email__iexact=data["email"]).exists():
            return _registered_elsewhere(request, data, needs_guardian=False)
        try:
            services.adult_register(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                password=data["password1"],
                municipality=data["municipality"],
                now=timezone.now(),
            )
        except ValidationError as error:
            if User.objects.filter(email__iexact=data["email"]).exists():  # a race, same answer
                return _registered_elsewhere(request, data, needs_guardian=False)
            form.add_error(None, error)
        else:
            return _registered(request, data, needs_guardian=False)
    return render(
        request,
        "accounts/register_adult.html",
        {"form": form, "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION},
        status=400 if form.is_bound else 200,
    )


def _registered(request, data, *, needs_guardian):
    """The page after a registration: the same whether or not the e-mail already had an account,
    so that the form does not tell who is registered (issue 19). Nobody is logged in here."""
    if needs_guardian:
        return render(
            request,
            "accounts/register_pending.html",
            {"child": {"first_name": data["first_name"]}, "guardian_email": data["guardian_email"]},
        )
    return render(
        request,
        "accounts/register_check_email.html",
        {"email": data["email"], "days": EMAIL_TOKEN_MAX_AGE.days},
    )


def _registered_elsewhere(request, data, *, needs_guardian):
    make_password(data["password1"])  # as long as a registration takes (hashing is the most)
    if throttle.is_blocked("register-notice", data["email"], limit=1):
        return _registered(request, data, needs_guardian=needs_guardian)
    throttle.record_failure("register-notice", data["email"], window_seconds=60 * 60)
    services.registration_taken_notice(email=data["email"])
    return _registered(request, data, needs_guardian=needs_guardian)


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """GET shows a button, POST confirms: a link scanner opening the mail confirms nothing."""
    try:
        user = user_for_email_token(token)
    except EmailTokenError:
        return render(request, "accounts/email_confirm_invalid.html", status=400)
    if request.method == "POST" or user.email_confirmed_at is not None:
        services.email_confirm(user=user, now=timezone.now())
        return render(request, "accounts/email_confirm_done.html", {"confirmed": user})
    return render(request, "accounts/email_confirm.html", {"confirmed": user})


@require_http_methods(["POST"])
@login_required
def email_confirm_resend(request):
    user = request.user
    if user.email_confirmed_at is None and not throttle.is_blocked(
        "email-confirm", user.email, limit=1
    ):
        throttle.record_failure("email-confirm", user.email, window_seconds=10 * 60)
        services.email_confirmation_send(user=user)
    return render(
        request,
        "accounts/register_check_email.html",
        {
            "email": user.email,
            "days": EMAIL_TOKEN_MAX_AGE.days,
            "resent": True,
        },
    )


@require_http_methods(["GET", "POST"])
def guardian_confirm(request, token):
    now = timezone.now()
    try:
        guardianship = guardianship_for_token(token, now=now)
    except GuardianTokenError as error:
        return render(
            request,
            "accounts/guardian_confirm_invalid.html",
            {"expired": error.expired},
            status=400,
        )
    child = guardianship.child
    context = {
        "guardianship": guardianship,
        "child": child,
        "child_age": age_at(child, now),
        "text_version": settings.UNGKULTUR_CONSENT_TEXT_VERSION,
        "guardian_age": settings.UNGKULTUR_AGE_ONLINE_CONSENT,
    }
    if guardianship.confirmed_at is not None:
        return render(request, "accounts/guardian_confirm_done.html", {**context, "already": True})
    form = GuardianConfirmForm(
        request.POST or None,
        guardian=guardianship.guardian,
        year=timezone.localdate().year,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.guardian_confirm(
                guardianship=guardianship,
                password=form.cleaned_data.get("password1") or None,
                now=now,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "accounts/guardian_confirm_done.html", context)
    return render(
        request,
        "accounts/guardian_confirm.html",
        {**context, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def guardian_resend(request):
    form = GuardianResendForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        # The same answer whether or not a link went out, so the page reveals no registrations.
        services.guardianship_resend_link(email=form.cleaned_data["email"], now=timezone.now())
        return render(request, "accounts/guardian_resend_done.html")
    return render(
        request,
        "accounts/guardian_resend.html",
        {"form": form, "guardian_age": settings.UNGKULTUR_AGE_ONLINE_CONSENT},
        status=400 if form.is_bound else 200,
    )
