"""Excused and unexcused absence (gyldig / ugyldig fravær), and no attendance before a session
has begun."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Attendance
from ungkultur.enrolment.services import attendance_record
from ungkultur.enrolment.tests.conftest import born, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(current, fill):
    """Three on the workshop."""
    from ungkultur.catalogue.models import Offer

    Offer.objects.filter(pk=current.a.workshop.pk).update(capacity=None)
    current.a.workshop.refresh_from_db()
    return fill(
        current.a.workshop, 3, now=timezone.now() - datetime.timedelta(days=3), birth_year=born(14)
    )


@pytest.fixture
def session(current):
    return make_session(current.a.workshop, timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def later(current):
    """A session that begins in two hours."""
    return make_session(current.a.workshop, timezone.now() + datetime.timedelta(hours=2))


def url(session):
    return reverse("enrolment:attendance", args=[session.pk])


def states():
    return {a.enrolment_id: a.state for a in Attendance.objects.all()}


def test_present_excused_and_unexcused_are_saved(client, current, group, session):
    first, second, third = group
    client.force_login(current.leader_a)
    response = client.post(url(session), {"present": [first.pk], "excused": [second.pk]})
    assert response.status_code == 302
    assert states() == {first.pk: "present", second.pk: "excused", third.pk: "unexcused"}
    entry = AuditEntry.objects.get(action="attendance.recorded")
    assert entry.changes["excused"] == [second.pk]
    assert entry.changes["absent"] == sorted([second.pk, third.pk])
    page = client.get(url(session)).text
    assert f'value="{second.pk}" id="excused-{second.pk}" checked' in page
    assert "Til stede: 1" in page
    assert "Gyldig fravær: 1" in page
    assert "Ugyldig fravær: 1" in page


def test_changing_only_the_reason_is_written(current, group, session):
    first, second, _ = group
    now = timezone.now()
    attendance_record(actor=current.leader_a, session=session, present_ids=[first.pk], now=now)
    changed = attendance_record(
        actor=current.leader_a,
        session=session,
        present_ids=[first.pk],
        excused_ids=[second.pk],
        now=now,
    )
    assert [a.enrolment_id for a in changed] == [second.pk]
    assert states()[second.pk] == "excused"
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 2


def test_htmx_status_counts_the_absences(client, current, group, session):
    first, second, _ = group
    client.force_login(current.leader_a)
    response = client.post(
        url(session), {"present": [first.pk], "excused": [second.pk]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "1 til stede" in response.text
    assert "Gyldig fravær: 1. Ugyldig fravær: 1." in response.text


def test_on_the_page_present_wins_over_a_hidden_excused_tick(client, current, group, session):
    first, _, _ = group
    client.force_login(current.leader_a)
    client.post(url(session), {"present": [first.pk], "excused": [first.pk]})
    assert states()[first.pk] == "present"


def test_the_service_refuses_present_and_excused_at_once(current, group, session):
    first, _, _ = group
    with pytest.raises(ValidationError, match="både være til stede og ha gyldig fravær"):
        attendance_record(
            actor=current.leader_a,
            session=session,
            present_ids=[first.pk],
            excused_ids=[first.pk],
            now=timezone.now(),
        )
    assert not Attendance.objects.exists()


def test_the_database_refuses_present_and_excused(current, group, session):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=session,
            enrolment=group[0],
            present=True,
            excused=True,
            recorded_at=timezone.now(),
        )


def test_an_old_absence_reads_as_unexcused(client, current, group, session):
    """Rows written before ``excused`` existed (or by a writer that names only ``present``)
    get the database default: absent without a valid reason."""
    first = group[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Attendance._meta.db_table} "  # noqa: S608
            "(session_id, enrolment_id, present, recorded_at) VALUES (%s, %s, %s, %s)",
            [session.pk, first.pk, False, timezone.now()],
        )
    assert states() == {first.pk: "unexcused"}
    client.force_login(current.leader_a)
    page = client.get(url(session)).text
    assert "Ugyldig fravær: 1" in page
    assert "Ikke registrert: 2" in page


def test_participants_page_counts_each_kind(client, current, group, session):
    first, second, _ = group
    attendance_record(
        actor=current.leader_a,
        session=session,
        present_ids=[first.pk],
        excused_ids=[second.pk],
        now=timezone.now(),
    )
    client.force_login(current.leader_a)
    page = client.get(reverse("enrolment:participants", args=[current.a.workshop.pk])).text
    assert "1 til stede, 1 gyldig og 1 ugyldig fravær" in page


# --- Not before the session has begun ----------------------------------------------------------


def test_a_session_not_begun_shows_no_form(client, current, group, later):
    client.force_login(current.leader_a)
    response = client.get(url(later))
    assert response.status_code == 200
    assert "Samlingen har ikke begynt ennå." in response.text
    assert "Lagre oppmøte" not in response.text
    assert "Alle til stede" not in response.text


@pytest.mark.parametrize(
    "data",
    [{"present": "first"}, {"all": "1"}, {"excused": "first"}],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_recording_a_session_not_begun_is_refused(client, current, group, later, data, htmx):
    data = {k: group[0].pk if v == "first" else v for k, v in data.items()}
    client.force_login(current.leader_a)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url(later), data, **headers)
    assert response.status_code == 400
    assert "Samlingen har ikke begynt ennå." in response.text
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action="attendance.recorded").exists()


def test_the_service_refuses_a_session_not_begun(current, group, later):
    with pytest.raises(ValidationError, match="har ikke begynt"):
        attendance_record(
            actor=current.leader_a,
            session=later,
            present_ids=[group[0].pk],
            now=later.starts_at - datetime.timedelta(minutes=1),
        )
    # From the moment it starts, it may be taken.
    attendance_record(
        actor=current.leader_a, session=later, present_ids=[group[0].pk], now=later.starts_at
    )
    assert states()[group[0].pk] == "present"


@pytest.mark.parametrize(("who", "status"), [("youth_a", 403), ("teacher_b", 404)])
def test_roles_still_apply(client, current, group, session, who, status):
    client.force_login(getattr(current, who))
    response = client.post(url(session), {"present": [group[0].pk], "excused": [group[1].pk]})
    assert response.status_code == status
    assert not Attendance.objects.exists()
