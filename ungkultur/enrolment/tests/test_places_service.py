"""Places that free up: offer next, accept, decline, expire (time frozen by passing ``now``)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.selectors import waiting_position
from ungkultur.enrolment.services import (
    enrolment_accept,
    enrolment_decline,
    enrolment_leave,
    enrolment_offers_expire,
)
from ungkultur.enrolment.tests.conftest import NOW

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
LATER = NOW + datetime.timedelta(days=10)


@pytest.fixture
def full(personas, fill):
    """The workshop (2 places) full, with two on the waiting list."""
    return fill(personas.a.workshop, 4)


def leave(enrolment, now=LATER):
    return enrolment_leave(
        actor=enrolment.participant.user,
        enrolment=enrolment,
        end_reason="dropped_out",
        dropout_reason="time",
        now=now,
    )


def refresh(*enrolments):
    for enrolment in enrolments:
        enrolment.refresh_from_db()


def test_a_freed_place_is_offered_to_the_first_waiting(full, django_capture_on_commit_callbacks):
    first, _, next_, after = full
    with django_capture_on_commit_callbacks(execute=True):
        leave(first)
    refresh(next_, after)
    assert next_.status == Status.OFFERED
    assert next_.offered_at == LATER
    assert next_.answer_by == LATER + datetime.timedelta(days=3)
    assert after.status == Status.WAITING
    assert waiting_position(after) == 1
    (message,) = mail.outbox
    assert message.to == [next_.participant.user.email]
    assert "Tegneserieverksted" in message.subject
    assert "/min-side/" in message.body
    assert "14. september 2026 kl. 10:00" in message.body
    entry = AuditEntry.objects.get(action="enrolment.place_offered")
    assert entry.actor is None
    assert entry.changes["from"] == "waiting"


@override_settings(UNGKULTUR_REGISTRATION_ANSWER_DAYS=1)
def test_the_answer_time_is_a_setting(full):
    leave(full[0])
    refresh(full[2])
    assert full[2].answer_by == LATER + datetime.timedelta(days=1)


def test_accepting_gives_the_place_from_today(full):
    first, _, next_, _ = full
    leave(first)
    refresh(next_)
    enrolment_accept(actor=next_.participant.user, enrolment=next_, now=LATER)
    refresh(next_)
    assert next_.status == Status.ACTIVE
    assert next_.start == LATER.date()
    assert AuditEntry.objects.filter(action="enrolment.accepted", object_id=next_.pk).exists()


def test_accepting_after_the_deadline_is_refused(full):
    first, _, next_, _ = full
    leave(first)
    refresh(next_)
    with pytest.raises(ValidationError) as error:
        enrolment_accept(
            actor=next_.participant.user,
            enrolment=next_,
            now=LATER + datetime.timedelta(days=3, seconds=1),
        )
    assert "Svarfristen gikk ut 14. september 2026 kl. 10:00" in error.value.messages[0]
    refresh(next_)
    assert next_.status == Status.OFFERED


def test_declining_passes_the_place_on(full, django_capture_on_commit_callbacks):
    first, _, next_, after = full
    leave(first)
    refresh(next_)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_decline(actor=next_.participant.user, enrolment=next_, now=LATER)
    refresh(next_, after)
    assert next_.status == Status.DECLINED
    assert after.status == Status.OFFERED
    assert [m.to for m in mail.outbox] == [[after.participant.user.email]]


def test_offers_expire_after_the_deadline_and_pass_on(full, django_capture_on_commit_callbacks):
    first, _, next_, after = full
    leave(first)
    refresh(next_)
    deadline = next_.answer_by
    # Not before the deadline has passed.
    assert enrolment_offers_expire(now=deadline) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert enrolment_offers_expire(now=deadline + datetime.timedelta(minutes=1)) == 1
    refresh(next_, after)
    assert next_.status == Status.EXPIRED
    assert after.status == Status.OFFERED
    assert after.answer_by == deadline + datetime.timedelta(days=3, minutes=1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [next_.participant.user.email, after.participant.user.email]
    )
    expired_mail = next(m for m in mail.outbox if m.to == [next_.participant.user.email])
    assert "gått ut" in expired_mail.subject
    assert AuditEntry.objects.filter(action="enrolment.offer_expired").count() == 1


def test_expiring_twice_changes_nothing(full):
    leave(full[0])
    refresh(full[2])
    later = full[2].answer_by + datetime.timedelta(hours=1)
    assert enrolment_offers_expire(now=later) == 1
    states = list(Enrolment.objects.order_by("pk").values_list("status", "answer_by"))
    assert enrolment_offers_expire(now=later) == 0
    assert list(Enrolment.objects.order_by("pk").values_list("status", "answer_by")) == states


def test_leaving_the_waiting_list_offers_nothing_and_moves_others_up(full):
    _, _, next_, after = full
    enrolment_leave(actor=next_.participant.user, enrolment=next_, now=LATER)
    refresh(next_, after)
    assert next_.status == Status.WITHDRAWN
    assert after.status == Status.WAITING
    assert waiting_position(after) == 1


def test_a_withdrawn_offer_passes_the_place_on(full):
    first, _, next_, after = full
    leave(first)
    refresh(next_)
    enrolment_leave(actor=next_.participant.user, enrolment=next_, now=LATER)
    refresh(next_, after)
    assert next_.status == Status.WITHDRAWN
    assert after.status == Status.OFFERED


@pytest.mark.parametrize("action", [enrolment_accept, enrolment_decline])
def test_only_an_offered_place_can_be_answered(full, action):
    waiting = full[2]
    with pytest.raises(ValidationError) as error:
        action(actor=waiting.participant.user, enrolment=waiting, now=LATER)
    assert "ikke noe tilbud om plass" in error.value.messages[0]
    refresh(waiting)
    assert waiting.status == Status.WAITING


def test_application_offers_leave_freed_places_to_staff(personas, fill):
    from ungkultur.enrolment.tests.conftest import SPRING

    applicants = fill(personas.a.piano, 3, now=SPRING)
    assert {a.status for a in applicants} == {Status.APPLIED}
    assert enrolment_offers_expire(now=LATER) == 0
    assert Enrolment.objects.filter(status=Status.OFFERED).count() == 0
