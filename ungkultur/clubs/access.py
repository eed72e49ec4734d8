"""Tenancy for club pages: 404 for another municipality's club, 403 for a role that may not."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.clubs.models import ClubEvening
from ungkultur.organisations.models import Unit
from ungkultur.organisations.selectors import roles_for

REGISTER_EVENING = "clubs.register_evening"


def _check(request, unit):
    if request.user.has_perm(REGISTER_EVENING, unit):
        return
    if not roles_for(request.user).belongs_to(unit.municipality_id):
        raise Http404
    raise PermissionDenied


def get_club_for_user(request, pk):
    """A youth club whose evenings the user may register (any other unit kind answers 404)."""
    unit = get_object_or_404(
        Unit.objects.select_related("municipality"), pk=pk, kind=Unit.Kind.YOUTH_CLUB
    )
    _check(request, unit)
    return unit


def get_evening_for_user(request, pk):
    evening = get_object_or_404(ClubEvening.objects.select_related("unit__municipality"), pk=pk)
    _check(request, evening.unit)
    return evening
