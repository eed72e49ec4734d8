import datetime

import pytest
from django.core.exceptions import ValidationError

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import enrolment_join, enrolment_leave
from ungkultur.enrolment.tests.conftest import NOW, SPRING

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
LATER = NOW + datetime.timedelta(days=20)


@pytest.fixture
def place(personas):
    return enrolment_join(
        actor=personas.youth_a, offer=personas.a.workshop, person=personas.youth_a, now=NOW
    )


def leave(enrolment, *, actor=None, now=LATER, **reason):
    return enrolment_leave(
        actor=actor or enrolment.participant.user, enrolment=enrolment, now=now, **reason
    )


def test_leaving_with_a_reason_ends_the_place_today(place):
    leave(place, end_reason="moved")
    place.refresh_from_db()
    assert (place.status, place.end, place.end_reason) == (Status.ENDED, LATER.date(), "moved")
    entry = AuditEntry.objects.get(action="enrolment.ended")
    assert entry.changes["end_reason"] == "moved"
    assert entry.changes["end"] == "2026-09-21"
    assert entry.actor == place.participant.user


def test_a_reason_is_required(place):
    with pytest.raises(ValidationError) as error:
        leave(place)
    assert error.value.message_dict == {"end_reason": ["Velg hvorfor det ble slutt."]}
    place.refresh_from_db()
    assert place.status == Status.ACTIVE


def test_dropping_out_needs_a_dropout_reason(place):
    with pytest.raises(ValidationError) as error:
        leave(place, end_reason="dropped_out")
    assert "dropout_reason" in error.value.message_dict
    leave(place, end_reason="dropped_out", dropout_reason="cost")
    place.refresh_from_db()
    assert (place.end_reason, place.dropout_reason) == ("dropped_out", "cost")


def test_a_dropout_reason_is_kept_only_for_dropping_out(place):
    leave(place, end_reason="completed", dropout_reason="cost")
    place.refresh_from_db()
    assert place.dropout_reason == ""


def test_staff_pick_an_end_date_from_the_start_to_today(personas, place):
    with pytest.raises(ValidationError) as error:
        leave(
            place,
            actor=personas.leader_a,
            end_reason="unknown",
            end=NOW.date() - datetime.timedelta(days=1),
        )
    assert "før startdatoen 1. september 2026" in error.value.message_dict["end"][0]
    with pytest.raises(ValidationError) as error:
        leave(
            place,
            actor=personas.leader_a,
            end_reason="unknown",
            end=LATER.date() + datetime.timedelta(days=1),
        )
    assert error.value.message_dict["end"] == ["Sluttdatoen kan ikke være etter i dag."]
    leave(place, actor=personas.leader_a, end_reason="unknown", end=NOW.date())
    place.refresh_from_db()
    assert place.end == NOW.date()


def test_leaving_a_waiting_list_needs_no_reason(personas, fill, place):
    *_, waiting = fill(personas.a.workshop, 2)
    leave(waiting)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.end_reason) == (Status.WITHDRAWN, "")
    assert AuditEntry.objects.filter(action="enrolment.withdrawn").count() == 1


def test_withdrawing_an_application(personas):
    applied = enrolment_join(
        actor=personas.youth_a, offer=personas.a.piano, person=personas.youth_a, now=SPRING
    )
    leave(applied, now=SPRING)
    applied.refresh_from_db()
    assert applied.status == Status.WITHDRAWN


def test_a_place_not_yet_begun_is_withdrawn_without_a_period(personas):
    early = enrolment_join(
        actor=personas.youth_a, offer=personas.a.workshop, person=personas.youth_a, now=SPRING
    )
    assert early.start == datetime.date(2026, 8, 1)
    leave(early, now=SPRING)
    early.refresh_from_db()
    assert (early.status, early.start, early.end) == (Status.WITHDRAWN, None, None)
    entry = AuditEntry.objects.get(action="enrolment.withdrawn")
    assert entry.changes["previous_start"] == "2026-08-01"


def test_an_ended_place_cannot_be_left_again(place):
    leave(place, end_reason="moved")
    place.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        leave(place, end_reason="moved")
    assert error.value.messages == ["Påmeldingen er allerede avsluttet."]
