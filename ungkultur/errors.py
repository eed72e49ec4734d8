"""The site's error pages (handler403/404/500 in urls.py): Norwegian pages with the site's
navigation, and JSON error objects under /api/v1/, where a client reads JSON and never HTML."""

from django.http import HttpResponseServerError
from django.template import loader
from django.views import defaults

from ungkultur.api import http as api_http

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception):
    if _is_api(request):
        return api_http.not_found(request)
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request):
    """Rendered without the request: no context processors, no user, no database (the error
    may be the database), only static text and links."""
    if _is_api(request):
        return api_http.server_error()
    return HttpResponseServerError(loader.get_template("500.html").render())
