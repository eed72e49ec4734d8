"""Helpers shared by the planning views."""

from django.http import Http404

from ungkultur.municipalities.selectors import municipality_by_any_code


def add_service_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def bound(request):
    return request.POST if request.method == "POST" else None


def public_municipality(request, code):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    request.municipality = municipality
    return municipality
