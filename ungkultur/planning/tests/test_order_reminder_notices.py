"""A competence order waiting for the organisation is also a notice to each of its coordinators
(once per stage, the clock moved with time-machine), and Min side lists the orders waiting for
them with the days left."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ungkultur.participation.models import Notification
from ungkultur.planning.models import CompetenceOrder

from .conftest import make_order

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def run_at(moment, capture):
    with time_machine.travel(moment, tick=False):
        with capture(execute=True):
            call_command("send_order_reminders")


def test_each_reminder_is_one_notice_to_each_coordinator(
    personas, orgs, django_capture_on_commit_callbacks
):
    order = make_order(personas, orgs)
    start = order.ordered_at
    run_at(start + 6 * DAY, django_capture_on_commit_callbacks)
    assert not Notification.objects.exists()
    for days in (7, 8, 9):
        run_at(start + days * DAY, django_capture_on_commit_callbacks)
    (notice,) = Notification.objects.all()
    assert (notice.user, notice.kind, notice.order) == (
        orgs["uof_coordinator"],
        Notification.Kind.ORDER_UNANSWERED,
        order,
    )
    assert notice.emailed_at is not None  # the reminder e-mail went; no digest repeats it
    # Accepted but not scheduled close to the wanted period: one more notice, once.
    CompetenceOrder.objects.filter(pk=order.pk).update(status=CompetenceOrder.Status.ACCEPTED)
    near = timezone.make_aware(
        datetime.datetime.combine(order.wanted_from - 14 * DAY, datetime.time(7))
    )
    run_at(near, django_capture_on_commit_callbacks)
    run_at(near + DAY, django_capture_on_commit_callbacks)
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        Notification.Kind.ORDER_UNANSWERED,
        Notification.Kind.ORDER_UNSCHEDULED,
    ]


def test_min_side_lists_the_orders_waiting_with_days_left(
    client, personas, orgs, django_capture_on_commit_callbacks
):
    order = make_order(personas, orgs, topic="Kurs i inkludering")
    accepted = make_order(
        personas, orgs, topic="Webinar om ungdomsråd", status=CompetenceOrder.Status.ACCEPTED
    )
    elsewhere = make_order(personas, orgs, topic="NKR-kurs", organisation=orgs["nkr"])
    client.force_login(orgs["uof_coordinator"])
    page = client.get(reverse("mypage:index")).text
    assert "Bestillinger som venter på dere" in page
    assert "Kurs i inkludering" in page and "venter på svar" in page
    assert "7 dager igjen" in page  # the answer is expected within 7 days of the order
    assert "Webinar om ungdomsråd" in page and "30 dager igjen" in page
    assert elsewhere.topic not in page  # another organisation's order
    # Ten days on, the unanswered order is late, and its notice shows.
    with time_machine.travel(order.ordered_at + 10 * DAY, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_order_reminders")
        client.force_login(orgs["uof_coordinator"])  # (a session does not last ten days)
        page = client.get(reverse("mypage:index")).text
    assert "3 dager siden" in page
    assert "Bestillingen «Kurs i inkludering» fra Arendal venter på svar." in page
    assert accepted.topic in page


def test_nobody_else_sees_the_waiting_orders(client, personas, orgs):
    make_order(personas, orgs, topic="Kurs i inkludering")
    for user in (personas.leader_a, personas.coordinator, personas.teacher_a):
        client.force_login(user)
        assert "Kurs i inkludering" not in client.get(reverse("mypage:index")).text
