import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """A lost database connection (PostgreSQL restarting or failing over) answers 503 with
    Retry-After instead of a 500, so clients and the proxy know to try again.

    The view's transaction was rolled back with the connection, so the request left nothing
    behind: sending it again is safe, and one-time codes and supports stay single because the
    database enforces them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "Database unavailable for %s %s: %s", request.method, request.path, exception
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": "database unavailable"}, status=503)
        else:
            text = _("Tjenesten er utilgjengelig et øyeblikk. Prøv igjen om litt.")
            response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
