"""Tenancy for UKM pages: 404 for another municipality's event, 403 for a role that may not.

An entry (innslag) belongs to the person who registered it; to anyone else it answers 404, as
on Min side. Staff see entries through the event's entry list.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.organisations.models import Unit
from ungkultur.organisations.selectors import roles_for
from ungkultur.ukm.models import Innslag, UkmEvent

MANAGE_EVENT = "ukm.manage_event"


def _check(request, unit):
    if request.user.has_perm(MANAGE_EVENT, unit):
        return
    if not roles_for(request.user).belongs_to(unit.municipality_id):
        raise Http404
    raise PermissionDenied


def get_ukm_unit_for_user(request, pk):
    """A UKM unit whose events the user may run (any other unit kind answers 404)."""
    unit = get_object_or_404(Unit.objects.select_related("municipality"), pk=pk, kind=Unit.Kind.UKM)
    _check(request, unit)
    return unit


def get_event_for_staff(request, pk):
    event = get_object_or_404(UkmEvent.objects.select_related("unit__municipality", "venue"), pk=pk)
    _check(request, event.unit)
    return event


def get_innslag_for_staff(request, pk):
    innslag = get_object_or_404(Innslag.objects.select_related("event__unit__municipality"), pk=pk)
    _check(request, innslag.event.unit)
    return innslag


def get_own_innslag(request, pk):
    """An entry the user registered themself."""
    return get_object_or_404(
        Innslag.objects.select_related("event__unit__municipality", "event__venue"),
        pk=pk,
        contact=request.user,
    )
