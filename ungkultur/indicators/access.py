"""Tenancy for the dashboards: a municipality answers 404 to someone who belongs elsewhere and
403 to someone of its own who may not read its figures (a youth, a youth member)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ungkultur.municipalities.selectors import municipality_by_any_code
from ungkultur.organisations.selectors import roles_for


def get_municipality_for_user(request, code, perm):
    municipality = municipality_by_any_code(code)
    if municipality is None:
        raise Http404
    if request.user.has_perm(perm, municipality):
        return municipality
    # Those who may read the municipality's figures (researchers too) learn that it exists.
    sees_it = request.user.has_perm("indicators.view_dashboard", municipality)
    if not sees_it and not roles_for(request.user).belongs_to(municipality.pk):
        raise Http404
    raise PermissionDenied


def check_national(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied
