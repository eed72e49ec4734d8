"""Owners of open action items are reminded before the due date and when it has passed, each
reminder once, by the daily task (the clock moved with time-machine)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ungkultur.meetings import services
from ungkultur.meetings.models import ActionItem, ActionItemReminder
from ungkultur.meetings.tasks import send_action_reminders
from ungkultur.meetings.tests.factories import make_event

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


def test_reminded_before_the_due_date_and_when_late_each_once(
    personas, item, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    due = item.due
    run_on(due - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run_on(due - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    run_on(due - datetime.timedelta(days=2), django_capture_on_commit_callbacks, hour=20)
    run_on(due, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[personas.teacher_a.email]]
    assert "om 2 dager" in mail.outbox[0].body
    assert "Bestille lokale til konserten" in mail.outbox[0].body
    run_on(due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    run_on(due + datetime.timedelta(days=4), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "Fristen er passert" in mail.outbox[1].subject
    assert "(1 dag siden)" in mail.outbox[1].body
    assert set(item.reminders.values_list("stage", flat=True)) == {"before-2", "late"}


def test_done_items_are_not_reminded(personas, item, django_capture_on_commit_callbacks):
    services.action_item_set_status(
        actor=personas.teacher_a, item=item, status=ActionItem.Status.DONE, now=timezone.now()
    )
    mail.outbox.clear()
    run_on(item.due + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not ActionItemReminder.objects.exists()


def test_the_task_and_the_setting(personas, item, settings):
    settings.UNGKULTUR_MEETINGS_ACTION_REMINDER_DAYS = (5,)
    with time_machine.travel(at(item.due - datetime.timedelta(days=6)), tick=False):
        assert send_action_reminders.call() == 0
    with time_machine.travel(at(item.due - datetime.timedelta(days=5)), tick=False):
        assert send_action_reminders.call() == 1
        assert send_action_reminders.call() == 0
