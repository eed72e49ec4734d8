import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Attendance, Enrolment
from ungkultur.enrolment.services import attendance_record, enrolment_leave
from ungkultur.enrolment.tests.conftest import born, make_session

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def group(current, fill):
    """Two on the workshop (which the project leader runs) and one waiting."""
    return fill(
        current.a.workshop,
        3,
        now=timezone.now() - datetime.timedelta(days=3),
        birth_year=born(14),
    )


@pytest.fixture
def session(current):
    return make_session(current.a.workshop, timezone.now() - datetime.timedelta(hours=1))


def url(session):
    return reverse("enrolment:attendance", args=[session.pk])


def test_attendance_lists_everyone_unchecked(client, current, group, session):
    first, second, waiting = group
    client.force_login(current.leader_a)
    response = client.get(url(session))
    assert response.status_code == 200
    text = response.text
    assert first.participant.user.full_name in text
    assert second.participant.user.full_name in text
    assert waiting.participant.user.full_name not in text
    assert text.count('role="switch"') == 2
    assert " checked" not in text
    assert "Lagre oppmøte" in text
    assert 'hx-post="' in text


def test_saving_records_present_and_absent(client, current, group, session):
    first, second, _ = group
    client.force_login(current.leader_a)
    response = client.post(url(session), {"present": [first.pk]}, follow=True)
    assert "Oppmøtet er lagret." in response.text
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        first.pk: True,
        second.pk: False,
    }
    row = Attendance.objects.get(enrolment=first)
    assert row.recorded_by == current.leader_a
    # The saved state shows when the page comes back.
    assert f'value="{first.pk}" id="present-{first.pk}" checked' in response.text


def test_saving_again_updates_rows(client, current, group, session):
    first, second, _ = group
    client.force_login(current.leader_a)
    client.post(url(session), {"present": [first.pk]})
    client.post(url(session), {"present": [second.pk]})
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        first.pk: False,
        second.pk: True,
    }
    assert Attendance.objects.count() == 2


def test_with_htmx_each_toggle_saves_and_answers_with_the_status(client, current, group, session):
    first, _, _ = group
    client.force_login(current.leader_a)
    response = client.post(url(session), {"present": [first.pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="attendance-status"' in response.text
    assert "1 til stede" in response.text
    assert Attendance.objects.filter(present=True).count() == 1


def test_someone_not_on_the_roster_is_400(client, current, group, session):
    client.force_login(current.leader_a)
    response = client.post(url(session), {"present": [group[2].pk]})
    assert response.status_code == 400
    assert "Velg et gyldig valg" in response.text
    assert not Attendance.objects.exists()


def test_a_cancelled_session_takes_no_attendance(client, current, group, session):
    session.cancelled_at = timezone.now()
    session.save()
    client.force_login(current.leader_a)
    response = client.post(url(session), {"present": [group[0].pk]})
    assert response.status_code == 400
    assert "Samlingen er avlyst." in response.text
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("teacher_a", 403),
        ("youth_a", 403),
        ("coordinator", 403),
        ("teacher_b", 404),
        ("youth_b", 404),
    ],
)
def test_attendance_roles(client, current, group, session, who, status):
    client.force_login(getattr(current, who))
    assert client.get(url(session)).status_code == status
    assert client.post(url(session), {"present": [group[0].pk]}).status_code in (status, 302)
    assert Attendance.objects.exists() == (status == 200)


def test_attendance_allows_only_get_and_post(client, current, session):
    client.force_login(current.leader_a)
    assert client.put(url(session)).status_code == 405


def test_attendance_page_query_count(client, current, fill, session, django_assert_max_num_queries):
    Offer.objects.filter(pk=current.a.workshop.pk).update(capacity=None)
    fill(
        current.a.workshop, 12, now=timezone.now() - datetime.timedelta(days=2), birth_year=born(14)
    )
    client.force_login(current.leader_a)
    # session and user; the session with offer, unit, municipality and venue; roles_for
    # (national roles, memberships, unit roles); the enrolments with participants and users;
    # the attendance rows. The same with more participants.
    # And the unread notices beside "Min side" (counted here, then cached).
    with django_assert_max_num_queries(9):
        response = client.get(url(session))
    assert response.text.count('role="switch"') == 12


# --- The service ------------------------------------------------------------------------------


def test_only_changed_rows_are_written_with_an_audit_row(current, group, session):
    first, second, _ = group
    attendance_record(
        actor=current.leader_a, session=session, present_ids=[first.pk], now=timezone.now()
    )
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1
    changed = attendance_record(
        actor=current.admin, session=session, present_ids=[first.pk], now=timezone.now()
    )
    assert changed == []
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1
    assert Attendance.objects.get(enrolment=first).recorded_by == current.leader_a


def test_the_roster_is_who_was_enrolled_that_day(current, group, session, make_youth):
    first, second, _ = group
    enrolment_leave(
        actor=first.participant.user,
        enrolment=first,
        end_reason="moved",
        now=timezone.now(),
    )
    # Left today, but was there at the session: still on that day's roster.
    attendance_record(
        actor=current.leader_a, session=session, present_ids=[first.pk], now=timezone.now()
    )
    earlier = make_session(current.a.workshop, timezone.now() - datetime.timedelta(days=10))
    with pytest.raises(ValidationError):
        attendance_record(
            actor=current.leader_a, session=earlier, present_ids=[second.pk], now=timezone.now()
        )


def test_large_ids_are_not_written_with_thousand_separators(client, current, group, session):
    Enrolment.objects.filter(pk=group[2].pk).update(status=Status.WITHDRAWN)
    big = Enrolment.objects.create(
        id=12345,
        offer=current.a.workshop,
        participant=group[2].participant,
        status=Status.ACTIVE,
        queued_at=timezone.now() - datetime.timedelta(days=3),
        start=timezone.localdate() - datetime.timedelta(days=3),
    )
    client.force_login(current.leader_a)
    response = client.get(url(session))
    assert 'value="12345" id="present-12345"' in response.text
    client.post(url(session), {"present": [big.pk]})
    assert Attendance.objects.get(enrolment=big).present
