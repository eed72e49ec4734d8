"""Deadline reminders: an offered place a day before the answer deadline, re-registration on
the last three days; each deadline once, and only after the transaction commits."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import (
    enrolment_accept,
    enrolment_join,
    enrolment_leave,
    enrolment_offer_place,
    enrolment_reminders_send,
    enrolment_reregister,
    enrolment_reregistration_open,
)
from ungkultur.enrolment.tests.conftest import NOW, OSLO, SPRING

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
JUNE = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=OSLO)
# Places on the piano are offered in JUNE with a week to answer.
ANSWER_BY = JUNE + datetime.timedelta(days=7)
DEADLINE = datetime.date(2026, 11, 1)
HOUR = datetime.timedelta(hours=1)


def send(now, capture):
    with capture(execute=True):
        return enrolment_reminders_send(now=now)


def offer_place(teacher, enrolment, now=JUNE):
    enrolment_offer_place(actor=teacher, enrolment=enrolment, now=now)
    enrolment.refresh_from_db()
    return enrolment


@pytest.fixture
def offered(personas, fill):
    """A youth offered a place on the piano, to answer by ANSWER_BY."""
    (applicant,) = fill(personas.a.piano, 1, now=SPRING)
    return offer_place(personas.teacher_a, applicant)


@pytest.fixture
def pupils(personas, fill):
    """Two pupils on the piano, asked on 1 September to re-register by DEADLINE."""
    pupils = fill(personas.a.piano, 2, now=SPRING)
    for pupil in pupils:
        offer_place(personas.teacher_a, pupil)
        enrolment_accept(actor=pupil.participant.user, enrolment=pupil, now=JUNE)
        pupil.refresh_from_db()
    enrolment_reregistration_open(
        actor=personas.teacher_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
    )
    return pupils


# --- Offered places -----------------------------------------------------------------------------


def test_an_offered_place_is_reminded_of_a_day_before_the_deadline(
    offered, django_capture_on_commit_callbacks
):
    now = ANSWER_BY - 23 * HOUR
    assert send(now, django_capture_on_commit_callbacks) == 1
    (message,) = mail.outbox
    assert message.to == [offered.participant.user.email]
    assert message.subject == "Påminnelse: svar på tilbudet om plass på Piano"
    assert "Du har fått tilbud om plass på «Piano», men vi har ikke fått svar" in message.body
    # The deadline in Oslo time (10:00 in UTC).
    assert "Svar innen 17. juni 2026 kl. 12:00." in message.body
    assert f"{settings.SITE_URL}/min-side/" in message.body
    offered.refresh_from_db()
    assert offered.reminded_at == now


@pytest.mark.parametrize(
    "before",
    [24 * HOUR, datetime.timedelta(days=3), -datetime.timedelta(minutes=1)],
    ids=["exactly-a-day-before", "three-days-before", "after-the-deadline"],
)
def test_no_reminder_outside_the_last_day(offered, before, django_capture_on_commit_callbacks):
    assert send(ANSWER_BY - before, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    offered.refresh_from_db()
    assert offered.reminded_at is None


def test_an_offered_place_is_reminded_of_once(offered, django_capture_on_commit_callbacks):
    assert send(ANSWER_BY - 23 * HOUR, django_capture_on_commit_callbacks) == 1
    assert send(ANSWER_BY - 22 * HOUR, django_capture_on_commit_callbacks) == 0
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1


def test_a_new_offer_clears_an_earlier_reminder(personas, fill, django_capture_on_commit_callbacks):
    (applicant,) = fill(personas.a.piano, 1, now=SPRING)
    Enrolment.objects.filter(pk=applicant.pk).update(reminded_at=SPRING)
    offered = offer_place(personas.teacher_a, applicant)
    assert offered.reminded_at is None
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 1


def test_the_guardian_who_signed_up_is_reminded_too(personas, django_capture_on_commit_callbacks):
    applied = enrolment_join(
        actor=personas.guardian_a, offer=personas.a.piano, person=personas.child_a, now=SPRING
    )
    offer_place(personas.teacher_a, applied)
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 1
    # The child is 11: the reminder goes to the guardian only.
    assert [m.to for m in mail.outbox] == [[personas.guardian_a.email]]
    assert "BarnA har fått tilbud om plass på «Piano»" in mail.outbox[0].body


def test_no_reminder_for_a_place_withdrawn_or_answered(
    personas, fill, django_capture_on_commit_callbacks
):
    withdrawn, accepted = fill(personas.a.piano, 2, now=SPRING)
    for enrolment in (withdrawn, accepted):
        offer_place(personas.teacher_a, enrolment)
    enrolment_leave(actor=withdrawn.participant.user, enrolment=withdrawn, now=JUNE)
    enrolment_accept(actor=accepted.participant.user, enrolment=accepted, now=JUNE)
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(
    offered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enrolment_reminders_send(now=ANSWER_BY - HOUR)
            raise RuntimeError
    assert callbacks == []
    assert mail.outbox == []
    offered.refresh_from_db()
    assert offered.reminded_at is None
    # Still due, so the next run sends it.
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1


def test_the_count_is_logged(offered, caplog):
    with caplog.at_level(logging.INFO, logger="ungkultur.enrolment.services"):
        enrolment_reminders_send(now=ANSWER_BY - HOUR)
    assert "Deadline reminders sent for 1 enrolment(s)." in caplog.messages


# --- Re-registration ----------------------------------------------------------------------------


def test_reregistration_is_reminded_of_from_three_days_before_in_oslo(
    pupils, django_capture_on_commit_callbacks
):
    # 30 October begins at midnight in Oslo (23:00 UTC the day before).
    last_minute_before = datetime.datetime(2026, 10, 29, 23, 59, tzinfo=OSLO)
    assert send(last_minute_before, django_capture_on_commit_callbacks) == 0
    first_day = datetime.datetime(2026, 10, 30, 0, 0, tzinfo=OSLO)
    assert send(first_day, django_capture_on_commit_callbacks) == 2
    assert sorted(m.to for m in mail.outbox) == sorted([[p.participant.user.email] for p in pupils])
    message = mail.outbox[0]
    assert message.subject == "Påminnelse: ny påmelding til Piano"
    assert "om du vil fortsette på «Piano» neste år" in message.body
    assert "Meld på igjen innen 1. november 2026 på Min side." in message.body
    assert f"{settings.SITE_URL}/min-side/" in message.body


def test_reregistration_is_reminded_of_on_the_deadline_day(
    pupils, django_capture_on_commit_callbacks
):
    late_on_the_day = datetime.datetime(2026, 11, 1, 23, 30, tzinfo=OSLO)
    assert send(late_on_the_day, django_capture_on_commit_callbacks) == 2


def test_no_reregistration_reminder_after_the_deadline(pupils, django_capture_on_commit_callbacks):
    day_after = datetime.datetime(2026, 11, 2, 0, 0, tzinfo=OSLO)
    assert send(day_after, django_capture_on_commit_callbacks) == 0


def test_reregistration_is_reminded_of_once(pupils, django_capture_on_commit_callbacks):
    assert (
        send(datetime.datetime(2026, 10, 30, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 2
    )
    assert (
        send(datetime.datetime(2026, 11, 1, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 0
    )
    assert len(mail.outbox) == 2


def test_no_reminder_after_reregistering(pupils, django_capture_on_commit_callbacks):
    answered, silent = pupils
    enrolment_reregister(actor=answered.participant.user, enrolment=answered, now=NOW)
    assert (
        send(datetime.datetime(2026, 10, 31, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 1
    )
    assert [m.to for m in mail.outbox] == [[silent.participant.user.email]]


def test_no_reminder_for_an_ended_place(pupils, django_capture_on_commit_callbacks):
    ended, _ = pupils
    enrolment_leave(actor=ended.participant.user, enrolment=ended, end_reason="moved", now=NOW)
    assert (
        send(datetime.datetime(2026, 10, 31, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 1
    )
    ended.refresh_from_db()
    assert ended.status == Status.ENDED
    assert ended.reminded_at is None


def test_a_new_deadline_is_reminded_of_again(personas, pupils, django_capture_on_commit_callbacks):
    assert (
        send(datetime.datetime(2026, 10, 30, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 2
    )
    # Staff move the deadline: the pupils are asked again and reminded again.
    later = datetime.date(2026, 11, 15)
    enrolment_reregistration_open(
        actor=personas.teacher_a,
        offer=personas.a.piano,
        deadline=later,
        now=datetime.datetime(2026, 10, 31, 9, 0, tzinfo=OSLO),
    )
    assert all(
        p.reminded_at is None for p in Enrolment.objects.filter(pk__in=[e.pk for e in pupils])
    )
    assert (
        send(datetime.datetime(2026, 11, 13, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 2
    )
    assert len(mail.outbox) == 4


def test_a_pupil_reminded_of_their_offer_is_reminded_to_reregister_too(
    personas, offered, django_capture_on_commit_callbacks
):
    assert send(ANSWER_BY - HOUR, django_capture_on_commit_callbacks) == 1
    enrolment_accept(actor=offered.participant.user, enrolment=offered, now=ANSWER_BY - HOUR)
    enrolment_reregistration_open(
        actor=personas.teacher_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
    )
    assert (
        send(datetime.datetime(2026, 10, 31, 9, 0, tzinfo=OSLO), django_capture_on_commit_callbacks)
        == 1
    )
    assert mail.outbox[-1].subject == "Påminnelse: ny påmelding til Piano"
