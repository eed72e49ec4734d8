import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.cache import patch_cache_control

from ungkultur.identity.staff import is_staff_person, needs_two_factor

SEEN_KEY = "ungkultur_seen"
# The session is written at most this often just to move the idle clock.
SEEN_RESOLUTION_SECONDS = 60


TWO_FACTOR_KEY = "ungkultur_2fa_required"
# What someone who must set up two-factor login may still open meanwhile.
TWO_FACTOR_OPEN_PATHS = (
    "/konto/2fa/",
    "/konto/reauthenticate/",
    "/konto/logg-ut/",
    "/konto/logout/",
    "/static/",
)


@receiver(user_logged_in)
def mark_staff_session(sender, request, user, **kwargs):
    """A staff login marks its session, so that requests need not look up roles each time:
    for the idle timeout, and whether two-factor login must still be set up."""
    if request is None or not hasattr(request, "session"):
        return
    if is_staff_person(user):
        request.session[SEEN_KEY] = time.time()
    required = settings.UNGKULTUR_TWO_FACTOR_REQUIRED
    if required and needs_two_factor(user) and not _has_second_factor(user):
        request.session[TWO_FACTOR_KEY] = True


def _has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class TwoFactorRequiredMiddleware:
    """National roles and administrators set up two-factor login before anything else (issue 19).
    Once they have, allauth asks for the second factor at every login (the password form and
    ID-porten/Feide alike go through allauth's login stages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(TWO_FACTOR_KEY):
            if _has_second_factor(request.user):
                del session[TWO_FACTOR_KEY]
            elif not request.path.startswith(TWO_FACTOR_OPEN_PATHS):
                from django.shortcuts import redirect

                return redirect("mfa_index")
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """A staff session ends after UNGKULTUR_STAFF_IDLE_MINUTES without a request (issue 19):
    staff see many people's data, and shared computers at schools and clubs are common."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        seen = session.get(SEEN_KEY) if session is not None else None
        if seen is not None:
            now = time.time()
            if now - seen > settings.UNGKULTUR_STAFF_IDLE_MINUTES * 60:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen > SEEN_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)


class NoStoreForPeopleMiddleware:
    """Pages for a logged-in person carry personal data (at least the name in the header):
    no browser or proxy keeps them (``Cache-Control: private, no-store``), unless the view
    chose its own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class IssuerUnavailableMiddleware:
    """An ID-porten/Feide issuer that does not answer (down, or an unknown address in the
    configuration) gives our «not completed» page, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import requests
        from django.shortcuts import render

        if not isinstance(exception, requests.RequestException):
            return None
        if not request.path.startswith("/konto/oidc/"):
            return None
        return render(request, "identity/login_failed.html", {"cancelled": False}, status=401)
