"""The API's HTTP side: JSON answers and errors, Bearer authentication, GET only.

Kept apart from views.py so that every domain's API module (api/<app>.py) can import it at the
top: views.py imports openapi.py, which reads those modules' OPENAPI_PATHS.
"""

from functools import wraps
from http import HTTPStatus

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.urls import register_converter
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ungkultur.accounts.selectors import user_for_api_token

ALLOWED_METHODS = ("GET", "HEAD")
# The largest id a database row can have (a signed 64-bit integer, as BigAutoField).
ID_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX}


class IdConverter:
    """``<id:…>``: an id the database can hold. A larger number matches no route (so a JSON 404)
    instead of overflowing the query (a 500 on SQLite, on PostgreSQL too)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


def json_response(data, *, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def json_error(message, *, status, extra=None) -> JsonResponse:
    """A problem object: the message in ``error`` (Norwegian), the status and its English name."""
    return json_response(
        {
            "error": str(message),
            "status": status,
            "title": HTTPStatus(status).phrase,
            **(extra or {}),
        },
        status=status,
    )


def not_found(request) -> JsonResponse:
    """A path under /api/v1/ that no endpoint answers (handler404 sends it here)."""
    return json_error(
        _("Fant ingen side på %(path)s i API-et. Se /api/v1/openapi.json.")
        % {"path": request.path},
        status=404,
    )


def server_error() -> JsonResponse:
    """handler500's answer under /api/v1/: static, it must work whatever failed."""
    return json_error(_("Noe gikk galt hos oss. Prøv igjen senere."), status=500)


def _empty_parameter(request):
    """The first query parameter sent without a value (``?kk=``), or None.

    A parameter is either left out or given a value the schema allows; an empty one is a
    mistake we name rather than quietly read as "left out".
    """
    for name, values in request.GET.lists():
        if any(value == "" for value in values):
            return name
    return None


def _unauthorized(message, *, error_code) -> JsonResponse:
    response = json_error(message, status=401)
    response["WWW-Authenticate"] = f'Bearer realm="Ungkultur", error="{error_code}"'
    return response


def _authenticate(request):
    """The token's owner, AnonymousUser without a header, or a 401 response."""
    header = request.headers.get("Authorization")
    if header is None:
        return AnonymousUser(), None
    scheme, _space, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw or " " in raw:
        return None, _unauthorized(
            _("Ugyldig Authorization-felt. Bruk «Authorization: Bearer NØKKEL»."),
            error_code="invalid_request",
        )
    user = user_for_api_token(raw, now=timezone.now())
    if user is None:
        return None, _unauthorized(
            _("API-nøkkelen er ukjent eller trukket tilbake."), error_code="invalid_token"
        )
    return user, None


def api_view(view):
    """GET only, JSON errors, Bearer authentication into ``request.api_user``; no CSRF."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            response = json_error(
                _("Metoden %(method)s er ikke tillatt. API-et kan bare leses (GET).")
                % {"method": request.method},
                status=405,
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        user, response = _authenticate(request)
        empty = _empty_parameter(request) if response is None else None
        if empty is not None:
            response = json_error(
                _("Parameteren %(name)s er tom. Utelat den, eller gi den en verdi.")
                % {"name": empty},
                status=400,
            )
        elif response is None:
            request.api_user = user
            response = view(request, *args, **kwargs)
            if user.is_authenticated:
                response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ["Authorization"])
        return response

    return csrf_exempt(wrapper)


def municipality_not_found(code):
    return json_error(_("Fant ingen kommune med nummeret %(code)s.") % {"code": code}, status=404)


def next_page_url(request, page):
    if not page.has_next():
        return None
    query = request.GET.copy()
    query["page"] = page.next_page_number()
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
