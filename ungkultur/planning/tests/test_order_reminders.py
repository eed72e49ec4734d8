"""Competence orders waiting for the organisation: its coordinators are reminded once when an
order waits for an answer and once when an accepted order has no date close to the wanted
period (the clock moved with time-machine)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.planning.models import CompetenceOrder, OrderReminder

from .conftest import make_order

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def run_at(moment, capture):
    with time_machine.travel(moment, tick=False):
        with capture(execute=True):
            call_command("send_order_reminders")


def test_an_unanswered_order_reminds_the_coordinators_once(
    personas, orgs, django_capture_on_commit_callbacks
):
    order = make_order(personas, orgs)
    start = order.ordered_at
    run_at(start + 6 * DAY, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run_at(start + 7 * DAY, django_capture_on_commit_callbacks)
    run_at(start + 8 * DAY, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[orgs["uof_coordinator"].email]]
    assert "venter på svar" in mail.outbox[0].subject
    assert f"/{order.pk}/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="planning.order_reminder").count() == 1


def test_an_accepted_order_without_a_date_reminds_before_the_period(
    personas, orgs, django_capture_on_commit_callbacks
):
    order = make_order(personas, orgs, status=CompetenceOrder.Status.ACCEPTED)
    first = timezone.make_aware(
        datetime.datetime.combine(order.wanted_from - datetime.timedelta(days=15), datetime.time(7))
    )
    run_at(first, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    run_at(first + DAY, django_capture_on_commit_callbacks)
    run_at(first + 2 * DAY, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert "ikke planlagt" in mail.outbox[0].subject
    assert list(OrderReminder.objects.values_list("stage", flat=True)) == ["unscheduled"]


def test_answered_or_scheduled_orders_are_left_alone(
    personas, orgs, django_capture_on_commit_callbacks
):
    make_order(personas, orgs, status=CompetenceOrder.Status.DECLINED, decline_reason="Nei")
    make_order(personas, orgs, status=CompetenceOrder.Status.SCHEDULED)
    run_at(timezone.now() + 40 * DAY, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not OrderReminder.objects.exists()
