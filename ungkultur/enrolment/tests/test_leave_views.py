import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import enrolment_join

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def place(current):
    # Joined a week ago, so staff have days to choose from.
    return enrolment_join(
        actor=current.youth_a,
        offer=current.a.workshop,
        person=current.youth_a,
        now=timezone.now() - datetime.timedelta(days=7),
    )


def url(enrolment):
    return reverse("enrolment:leave", args=[enrolment.pk])


def test_youth_sees_the_reasons(client, current, place):
    client.force_login(current.youth_a)
    response = client.get(url(place))
    assert response.status_code == 200
    assert "Hvorfor slutter du?" in response.text
    assert "Mistet interessen" in response.text
    assert "Siste dag" not in response.text


def test_youth_leaves_with_a_reason(client, current, place):
    client.force_login(current.youth_a)
    response = client.post(
        url(place), {"end_reason": "dropped_out", "dropout_reason": "social"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mypage:index")
    assert "Påmeldingen til Tegneserieverksted er avsluttet." in response.text
    place.refresh_from_db()
    assert (place.status, place.end, place.end_reason, place.dropout_reason) == (
        Status.ENDED,
        timezone.localdate(),
        "dropped_out",
        "social",
    )
    entry = AuditEntry.objects.get(action="enrolment.ended")
    assert entry.changes["dropout_reason"] == "social"


def test_no_reason_is_400_and_keeps_the_place(client, current, place):
    client.force_login(current.youth_a)
    response = client.post(url(place), {})
    assert response.status_code == 400
    assert "Noe må rettes" in response.text
    assert 'id="id_end_reason" aria-describedby=" id_end_reason_error"' in response.text
    place.refresh_from_db()
    assert place.status == Status.ACTIVE


def test_dropping_out_without_a_sub_reason_is_400(client, current, place):
    client.force_login(current.youth_a)
    response = client.post(url(place), {"end_reason": "dropped_out"})
    assert response.status_code == 400
    assert "Velg hvorfor det ble slutt." in response.text
    # What the person chose is kept.
    assert 'value="dropped_out" class="ds-input" id="id_end_reason_3" required checked' in (
        response.text
    )
    place.refresh_from_db()
    assert place.status == Status.ACTIVE


def test_leaving_a_waiting_list_asks_for_no_reason(client, current, fill, place):
    *_, waiting = fill(
        current.a.workshop, 2, now=timezone.now(), birth_year=place.participant.birth_year
    )
    client.force_login(waiting.participant.user)
    response = client.get(url(waiting))
    assert "Vil du gå av ventelisten?" in response.text
    client.post(url(waiting))
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN


def test_staff_end_a_place_on_a_chosen_day(client, current, place):
    client.force_login(current.leader_a)
    response = client.get(url(place))
    assert "Siste dag" in response.text
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = client.post(url(place), {"end_reason": "aged_out", "end": day.isoformat()})
    assert response["Location"] == reverse("enrolment:participants", args=[place.offer_id])
    place.refresh_from_db()
    assert (place.end, place.end_reason) == (day, "aged_out")
    assert AuditEntry.objects.get(action="enrolment.ended").actor == current.leader_a


def test_staff_cannot_end_before_the_start(client, current, place):
    client.force_login(current.leader_a)
    day = place.start - datetime.timedelta(days=1)
    response = client.post(url(place), {"end_reason": "unknown", "end": day.isoformat()})
    assert response.status_code == 400
    assert "Sluttdatoen kan ikke være før startdatoen" in response.text
    assert f'value="{day.isoformat()}"' in response.text
    place.refresh_from_db()
    assert place.status == Status.ACTIVE


def test_an_ended_place_is_400(client, current, place):
    client.force_login(current.youth_a)
    client.post(url(place), {"end_reason": "moved"})
    response = client.post(url(place), {"end_reason": "moved"})
    assert response.status_code == 400
    assert "Påmeldingen er allerede avsluttet." in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("youth_member_a", 403),
        ("teacher_a", 403),  # kulturskole staff; the workshop is the library's
        ("guardian_a", 403),
        ("coordinator", 403),
        ("teacher_b", 404),
        ("youth_b", 404),
    ],
)
def test_others_may_not_end_it(client, current, place, who, status):
    client.force_login(getattr(current, who))
    assert client.get(url(place)).status_code == status
    assert client.post(url(place), {"end_reason": "moved"}).status_code == status
    place.refresh_from_db()
    assert place.status == Status.ACTIVE


def test_admin_may_end_it(client, current, place):
    client.force_login(current.admin)
    client.post(url(place), {"end_reason": "completed", "end": timezone.localdate().isoformat()})
    place.refresh_from_db()
    assert place.status == Status.ENDED


def test_leave_allows_only_get_and_post(client, current, place):
    client.force_login(current.youth_a)
    assert client.delete(url(place)).status_code == 405
