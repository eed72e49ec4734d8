import datetime

import pytest
from django.utils import timezone

from ungkultur.demo.seed_meetings import seed_meetings
from ungkultur.meetings.models import ActionItem, Event, EventChange, Registration
from ungkultur.meetings.selectors import resource_group_attendance

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Event, EventChange, Registration, ActionItem)]


def test_seed_is_idempotent_and_has_the_story(personas):
    today = timezone.localdate()
    municipalities = [personas.arendal, personas.sola]
    seed_meetings(municipalities=municipalities, today=today)
    before = _counts()
    seed_meetings(municipalities=municipalities, today=today)
    assert _counts() == before
    arendal = Event.objects.filter(municipality=personas.arendal)
    assert arendal.filter(status=Event.Status.CANCELLED).count() == 1
    moved = arendal.get(changes__kind=EventChange.Kind.MOVED)
    assert moved.starts_at > moved.changes.get(kind="created").starts_at
    assert Event.objects.filter(municipality__isnull=True, kind=Event.Kind.YOUTH_GATHERING).exists()
    report = resource_group_attendance(
        personas.arendal, now=timezone.now(), since=today - datetime.timedelta(days=365)
    )
    assert (report.held, report.with_youth) == (6, 5)
    assert ActionItem.objects.filter(owner=personas.youth_member_a, status="open").exists()
