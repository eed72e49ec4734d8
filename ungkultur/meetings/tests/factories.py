"""Events for the meetings tests, made through the same service the pages use."""

import datetime

from django.utils import timezone

from ungkultur.meetings.models import Event
from ungkultur.meetings.services import event_create


def make_event(
    personas, *, days=7, municipality="arendal", kind=Event.Kind.PROJECT_GROUP_MEETING, **fields
):
    """A two-hour event ``days`` from now (negative: in the past), organised by leader A."""
    now = timezone.now()
    starts = (now + datetime.timedelta(days=days)).replace(microsecond=0)
    actor = fields.pop("actor", personas.leader_a)
    return event_create(
        actor=actor,
        municipality=getattr(personas, municipality) if municipality else None,
        kind=kind,
        title=fields.pop("title", "Prosjektgruppemøte"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        now=now - datetime.timedelta(days=30) if days < 0 else now,
        **fields,
    )
