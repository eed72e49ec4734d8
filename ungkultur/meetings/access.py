"""Tenancy: fetch an event (or a thing of it) for the current user, or answer 404 (another
municipality's event) or 403 (their own municipality, or a national event, but a role that may
not do this)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ungkultur.meetings.models import ActionItem, AgendaItem, Event
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.selectors import roles_for


def _check(request, perm, obj, municipality_id):
    if request.user.has_perm(perm, obj):
        return obj
    if municipality_id is not None and not roles_for(request.user).belongs_to(municipality_id):
        raise Http404
    raise PermissionDenied


def get_event(pk) -> Event:
    """Any event: their public facts (kind, title, dates, place, status) are open to all."""
    return get_object_or_404(Event.objects.select_related("municipality"), pk=pk)


def get_event_for_user(request, pk, perm="meetings.organise") -> Event:
    event = get_event(pk)
    return _check(request, perm, event, event.municipality_id)


def get_agenda_item_for_organiser(request, pk) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("event__municipality"), pk=pk)
    _check(request, "meetings.organise", item.event, item.event.municipality_id)
    return item


def get_action_item_for_user(request, pk) -> ActionItem:
    """An action item its owner or the event's organisers may update."""
    item = get_object_or_404(ActionItem.objects.select_related("event", "owner"), pk=pk)
    if item.owner_id == request.user.pk:
        return item
    _check(request, "meetings.organise", item.event, item.event.municipality_id)
    return item


def check_create_in(request, municipality: Municipality | None) -> None:
    _check(
        request,
        "meetings.create_in",
        municipality,
        municipality.pk if municipality is not None else None,
    )
