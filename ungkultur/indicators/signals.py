"""Keep indicators fresh: a change to the rows they are computed from enqueues a refresh of
that municipality once the change is committed. Nothing here computes. Changes close together
share one refresh: a RefreshRequest row waits in the database until the worker takes it, so web
processes and the worker agree on it whatever their caches (docs/indicators.md, "Freshness")."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from ungkultur.indicators.tasks import refresh_indicators


def enqueue_refresh(municipality_id: int | None) -> None:
    """Enqueue a refresh unless one waits for the worker already. A request older than
    UNGKULTUR_INDICATOR_REFRESH_DEBOUNCE seconds is taken over (its task was lost)."""
    from ungkultur.indicators.models import RefreshRequest

    if municipality_id is None:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            RefreshRequest.objects.create(municipality_id=municipality_id, requested_at=now)
    except IntegrityError:
        stale = now - datetime.timedelta(seconds=settings.UNGKULTUR_INDICATOR_REFRESH_DEBOUNCE)
        taken = RefreshRequest.objects.filter(
            municipality_id=municipality_id, requested_at__lt=stale
        ).update(requested_at=now)
        if not taken:
            return
    refresh_indicators.enqueue(municipality_id)


def _municipality_of(model, pk, path: str) -> int | None:
    return model.objects.filter(pk=pk).values_list(path, flat=True).first()


def _later(find):
    """After commit, find the municipality (one small query at most) and enqueue."""
    transaction.on_commit(lambda: enqueue_refresh(find()))


def connect() -> None:
    from ungkultur.catalogue.models import Offer
    from ungkultur.clubs.models import ClubEvening, ClubHeadcount
    from ungkultur.enrolment.models import Enrolment, Participant
    from ungkultur.meetings.models import Attendance, Event
    from ungkultur.organisations.models import Unit
    from ungkultur.participation.models import Proposal
    from ungkultur.ukm.models import Innslag, InnslagPerson, UkmEvent

    # model: how to find the municipality from an instance (it may be deleted already).
    finders = {
        Enrolment: lambda i: lambda: _municipality_of(Offer, i.offer_id, "municipality_id"),
        Participant: lambda i: lambda: i.municipality_id,
        Proposal: lambda i: lambda: i.municipality_id,
        Event: lambda i: lambda: i.municipality_id,
        Attendance: lambda i: lambda: _municipality_of(Event, i.event_id, "municipality_id"),
        ClubEvening: lambda i: lambda: _municipality_of(Unit, i.unit_id, "municipality_id"),
        ClubHeadcount: lambda i: (
            lambda: _municipality_of(ClubEvening, i.evening_id, "unit__municipality_id")
        ),
        Innslag: lambda i: lambda: _municipality_of(UkmEvent, i.event_id, "unit__municipality_id"),
        InnslagPerson: lambda i: (
            lambda: _municipality_of(Innslag, i.innslag_id, "event__unit__municipality_id")
        ),
    }
    for model, finder in finders.items():

        def handler(sender, instance, _finder=finder, **kwargs):
            if not kwargs.get("raw"):
                _later(_finder(instance))

        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"indicators-{model}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"indicators-d-{model}")
