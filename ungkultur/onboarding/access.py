"""Tenancy: a municipality or unit for the current user, or 404 (not one of theirs) or 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Unit
from ungkultur.organisations.selectors import roles_for


def _check(request, obj, municipality, perm):
    if request.user.has_perm(perm, municipality):
        return obj
    if not roles_for(request.user).belongs_to(municipality.pk):
        raise Http404
    raise PermissionDenied


def get_municipality_for_user(request, code, perm):
    municipality = get_object_or_404(Municipality.objects.select_related("county"), code=code)
    request.municipality = municipality
    return _check(request, municipality, municipality, perm)


def get_unit_for_user(request, pk, perm="onboarding.manage_units"):
    unit = get_object_or_404(Unit.objects.select_related("municipality"), pk=pk)
    request.municipality = unit.municipality
    return _check(request, unit, unit.municipality, perm)
