"""An action item's reminders are also notices to its owner, each once (the clock moved with
time-machine), and Min side shows the open items with the days left."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ungkultur.meetings import services
from ungkultur.meetings.tests.factories import make_event
from ungkultur.participation.models import Notification

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def at(day, hour=7):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


@pytest.fixture
def item(personas):
    event = make_event(personas, days=-1)
    return services.action_item_add(
        actor=personas.leader_a,
        event=event,
        owner=personas.teacher_a,
        what="Bestille lokale til konserten",
        due=timezone.localdate() + datetime.timedelta(days=10),
        now=timezone.now(),
    )


def run_on(day, capture, hour=7):
    with time_machine.travel(at(day, hour), tick=False):
        with capture(execute=True):
            call_command("send_action_reminders")


def test_each_reminder_is_one_notice(personas, item, django_capture_on_commit_callbacks):
    due = item.due
    run_on(due - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    run_on(due - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    run_on(due - datetime.timedelta(days=2), django_capture_on_commit_callbacks, hour=20)
    run_on(due - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    (soon,) = Notification.objects.all()
    assert (soon.user, soon.kind, soon.action_item) == (
        personas.teacher_a,
        Notification.Kind.ACTION_SOON,
        item,
    )
    assert soon.emailed_at is not None
    run_on(due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run_on(due + datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    assert list(Notification.objects.order_by("created_at").values_list("user", "kind")) == [
        (personas.teacher_a.pk, Notification.Kind.ACTION_SOON),
        (personas.teacher_a.pk, Notification.Kind.ACTION_LATE),
    ]


def test_min_side_shows_days_left_and_the_notice(
    client, personas, item, django_capture_on_commit_callbacks
):
    client.force_login(personas.teacher_a)
    page = client.get(reverse("mypage:index")).text
    assert "Bestille lokale til konserten" in page and "10 dager igjen" in page
    run_on(item.due - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    with time_machine.travel(at(item.due - datetime.timedelta(days=2), 9), tick=False):
        client.force_login(personas.teacher_a)  # (a session does not last ten days)
        page = client.get(reverse("mypage:index")).text
    assert "2 dager igjen" in page
    assert "Fristen for oppfølgingspunktet «Bestille lokale til konserten» er" in page
    with time_machine.travel(at(item.due + datetime.timedelta(days=3), 9), tick=False):
        client.force_login(personas.teacher_a)  # (a session does not last ten days)
        page = client.get(reverse("mypage:index")).text
    assert "forfalt, 3 dager siden" in page


def test_the_owner_alone_is_told(personas, item, django_capture_on_commit_callbacks):
    run_on(item.due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert set(Notification.objects.values_list("user", flat=True)) == {personas.teacher_a.pk}
