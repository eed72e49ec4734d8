"""Kulturskole: applications, places offered by priority, and re-registration."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.selectors import offer_roster
from ungkultur.enrolment.services import (
    enrolment_accept,
    enrolment_join,
    enrolment_offer_place,
    enrolment_offers_expire,
    enrolment_reregister,
    enrolment_reregistration_close,
    enrolment_reregistration_open,
    enrolment_set_priority,
)
from ungkultur.enrolment.tests.conftest import NOW, OSLO, SPRING

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
JUNE = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=NOW.tzinfo)


@pytest.fixture
def applicants(personas, fill):
    return fill(personas.a.piano, 3, now=SPRING)


def test_staff_offer_a_place_with_a_week_to_answer(
    personas, applicants, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    applicants[0].refresh_from_db()
    assert applicants[0].status == Status.OFFERED
    assert applicants[0].answer_by == JUNE + datetime.timedelta(days=7)
    assert [m.to for m in mail.outbox] == [[applicants[0].participant.user.email]]
    entry = AuditEntry.objects.get(action="enrolment.place_offered")
    assert entry.actor == personas.teacher_a


def test_a_child_of_13_and_the_guardian_who_signed_up_both_hear(
    personas, django_capture_on_commit_callbacks
):
    personas.child_a.birth_year = 2013  # 13 in 2026: decides alone, and hears too
    personas.child_a.save(update_fields=["birth_year"])
    applied = enrolment_join(
        actor=personas.guardian_a, offer=personas.a.piano, person=personas.child_a, now=SPRING
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applied, now=JUNE)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert set(bodies) == {personas.child_a.email, personas.guardian_a.email}
    assert "Du har fått tilbud om plass på «Piano»." in bodies[personas.child_a.email]
    assert "BarnA har fått tilbud om plass på «Piano»." in bodies[personas.guardian_a.email]
    assert mail.outbox[0].subject == "Tilbud om plass på Piano"


def test_about_a_child_under_13_only_the_guardians_hear(
    personas, django_capture_on_commit_callbacks
):
    applied = enrolment_join(
        actor=personas.guardian_a, offer=personas.a.piano, person=personas.child_a, now=SPRING
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applied, now=JUNE)
    assert [m.to for m in mail.outbox] == [[personas.guardian_a.email]]
    assert "BarnA har fått tilbud om plass på «Piano»." in mail.outbox[0].body


@override_settings(UNGKULTUR_APPLICATION_ANSWER_DAYS=14)
def test_application_answer_time_is_a_setting(personas, applicants):
    enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    applicants[0].refresh_from_db()
    assert applicants[0].answer_by == JUNE + datetime.timedelta(days=14)


def test_no_place_is_offered_when_all_are_taken(personas, applicants):
    for applicant in applicants[:2]:
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applicant, now=JUNE)
    with pytest.raises(ValidationError) as error:
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[2], now=JUNE)
    assert error.value.messages == ["Det er ingen ledige plasser på tilbudet."]
    applicants[2].refresh_from_db()
    assert applicants[2].status == Status.APPLIED


def test_only_applicants_are_offered_places(personas, applicants, fill):
    enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    with pytest.raises(ValidationError):
        enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    (registered,) = fill(personas.a.workshop, 1)
    with pytest.raises(ValidationError):
        enrolment_offer_place(actor=personas.leader_a, enrolment=registered, now=NOW)


def test_applicants_are_listed_by_priority_then_time(personas, applicants):
    enrolment_set_priority(actor=personas.teacher_a, enrolment=applicants[2], priority=5, now=JUNE)
    enrolment_set_priority(actor=personas.teacher_a, enrolment=applicants[1], priority=-1, now=JUNE)
    order = [e.pk for e in offer_roster(personas.a.piano).applicants]
    assert order == [applicants[2].pk, applicants[0].pk, applicants[1].pk]
    entry = AuditEntry.objects.filter(action="enrolment.priority_set").first()
    assert entry.changes["priority"] == -1


def test_an_applicant_accepts_and_starts_with_the_term(personas, applicants):
    enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    applicants[0].refresh_from_db()
    enrolment_accept(actor=applicants[0].participant.user, enrolment=applicants[0], now=JUNE)
    applicants[0].refresh_from_db()
    assert applicants[0].status == Status.ACTIVE
    assert applicants[0].start == datetime.date(2026, 8, 1)


def test_unanswered_application_offers_expire_too(personas, applicants):
    enrolment_offer_place(actor=personas.teacher_a, enrolment=applicants[0], now=JUNE)
    assert enrolment_offers_expire(now=JUNE + datetime.timedelta(days=7, minutes=1)) == 1
    applicants[0].refresh_from_db()
    assert applicants[0].status == Status.EXPIRED
    # Staff chose whom to offer the place; once it is not answered it passes to the next
    # applicant by priority, then by when they applied (test_rounds.py).
    offered = Enrolment.objects.get(status=Status.OFFERED)
    assert offered.pk == applicants[1].pk


# --- Re-registration ------------------------------------------------------------------------


@pytest.fixture
def pupils(personas, fill):
    """Two pupils on the piano this autumn."""
    pupils = fill(personas.a.piano, 2, now=SPRING)
    for pupil in pupils:
        enrolment_offer_place(actor=personas.teacher_a, enrolment=pupil, now=JUNE)
        pupil.refresh_from_db()
        enrolment_accept(actor=pupil.participant.user, enrolment=pupil, now=JUNE)
        pupil.refresh_from_db()
    return pupils


DEADLINE = datetime.date(2026, 11, 1)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), OSLO)


def test_reregistration_asks_every_pupil_by_email(
    personas, pupils, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = enrolment_reregistration_open(
            actor=personas.teacher_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
        )
    assert count == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.participant.user.email for p in pupils)
    assert "1. november 2026" in mail.outbox[0].body
    for pupil in pupils:
        pupil.refresh_from_db()
        assert pupil.reregistration_deadline == DEADLINE
    assert AuditEntry.objects.filter(action="enrolment.reregistration_opened").count() == 2


def test_reregistration_deadline_must_be_in_the_future(personas, pupils):
    with pytest.raises(ValidationError) as error:
        enrolment_reregistration_open(
            actor=personas.teacher_a, offer=personas.a.piano, deadline=NOW.date(), now=NOW
        )
    assert error.value.message_dict == {"deadline": ["Fristen må være etter i dag."]}


def test_drop_in_has_no_reregistration(personas):
    with pytest.raises(ValidationError):
        enrolment_reregistration_open(
            actor=personas.admin, offer=personas.a.open_club, deadline=DEADLINE, now=NOW
        )


def test_a_pupil_reregisters_once_before_the_deadline(personas, pupils):
    enrolment_reregistration_open(
        actor=personas.teacher_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
    )
    pupil = pupils[0]
    enrolment_reregister(actor=pupil.participant.user, enrolment=pupil, now=NOW)
    pupil.refresh_from_db()
    assert pupil.reregistered_at == NOW
    with pytest.raises(ValidationError) as error:
        enrolment_reregister(actor=pupil.participant.user, enrolment=pupil, now=NOW)
    assert error.value.messages == ["Du har allerede meldt deg på igjen."]
    late = datetime.datetime(2026, 11, 2, 0, 1, tzinfo=NOW.tzinfo)
    with pytest.raises(ValidationError) as error:
        enrolment_reregister(actor=pupils[1].participant.user, enrolment=pupils[1], now=late)
    assert "gikk ut 1. november 2026" in error.value.messages[0]


def test_no_reregistration_without_a_round(pupils):
    with pytest.raises(ValidationError):
        enrolment_reregister(actor=pupils[0].participant.user, enrolment=pupils[0], now=NOW)


def test_pupils_who_do_not_answer_are_withdrawn_the_day_after(
    personas, pupils, django_capture_on_commit_callbacks
):
    enrolment_reregistration_open(
        actor=personas.teacher_a, offer=personas.a.piano, deadline=DEADLINE, now=NOW
    )
    stays, silent = pupils
    enrolment_reregister(actor=stays.participant.user, enrolment=stays, now=NOW)
    # On the deadline day nothing happens.
    assert enrolment_reregistration_close(now=noon(DEADLINE)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert enrolment_reregistration_close(now=noon(DEADLINE + datetime.timedelta(days=1))) == 1
    stays.refresh_from_db()
    silent.refresh_from_db()
    assert stays.status == Status.ACTIVE
    assert (silent.status, silent.end, silent.end_reason) == (Status.ENDED, DEADLINE, "unknown")
    assert [m.to for m in mail.outbox] == [[silent.participant.user.email]]
    assert mail.outbox[0].subject == "Meldt ut av Piano"
    assert "Du er meldt ut av «Piano»" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="enrolment.not_reregistered").count() == 1
    # Running it again changes nothing.
    assert enrolment_reregistration_close(now=noon(DEADLINE + datetime.timedelta(days=2))) == 0
