"""Staff: participants, waiting list and applicants; offering places; priority; re-registration."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.enrolment.services import enrolment_join, enrolment_offer_place
from ungkultur.enrolment.tests.conftest import born, make_session

pytestmark = pytest.mark.django_db
Status = Enrolment.Status

# Who may see and manage the kulturskole's piano: its staff, the local project leader and the
# national administrator. Everyone else in Arendal (or working nationally) gets 403; Sola's
# people, and those with no municipality, 404.
ROLES = [
    ("admin", 200),
    ("leader_a", 200),
    ("rector_a", 200),
    # The teacher teaches piano: sees the group (and takes attendance), runs nothing.
    ("teacher_a", 200),
    ("coordinator", 403),
    ("youth_a", 403),
    ("youth_member_a", 403),
    ("guardian_a", 403),
    ("a.club_worker", 403),
    ("teacher_b", 404),
    ("leader_b", 404),
    ("youth_b", 404),
    ("researcher", 404),
]


def persona(current, who):
    obj = current
    for part in who.split("."):
        obj = getattr(obj, part)
    return obj


def earlier(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def piano_applicants(current, fill):
    return fill(current.a.piano, 3, now=earlier(5), birth_year=born(15))


@pytest.mark.parametrize(("who", "status"), ROLES)
def test_participants_page_roles(client, current, who, status):
    client.force_login(persona(current, who))
    response = client.get(reverse("enrolment:participants", args=[current.a.piano.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Deltakere: Piano" in response.text


def test_participants_page_needs_login(client, current):
    response = client.get(reverse("enrolment:participants", args=[current.a.piano.pk]))
    assert response.status_code == 302


def test_participants_page_is_get_only(client, current):
    client.force_login(current.teacher_a)
    response = client.post(reverse("enrolment:participants", args=[current.a.piano.pk]))
    assert response.status_code == 405


def test_workshop_lists_participants_and_waiting_list_in_order(client, current, fill):
    active, _, first_waiting, second_waiting = fill(
        current.a.workshop, 4, now=earlier(5), birth_year=born(14)
    )
    imported = Participant.objects.create(
        municipality=current.arendal, ref_hash="abcd1234" + "0" * 56, birth_year=born(13)
    )
    Enrolment.objects.filter(pk=active.pk).update(participant=imported)
    client.force_login(current.leader_a)
    response = client.get(reverse("enrolment:participants", args=[current.a.workshop.pk]))
    text = response.text
    assert "Deltar (2)" in text
    assert "Kode #abcd1234 fra fagsystemet" in text
    assert str(born(13)) in text
    assert "Venteliste (2)" in text
    assert text.index(first_waiting.participant.user.full_name) < text.index(
        second_waiting.participant.user.full_name
    )
    assert "2 plasser, 0 ledige" in text


def test_applicants_are_listed_by_priority(client, current, piano_applicants):
    first, second, third = piano_applicants
    Enrolment.objects.filter(pk=third.pk).update(priority=3)
    client.force_login(current.rector_a)
    text = client.get(reverse("enrolment:participants", args=[current.a.piano.pk])).text
    assert "Søkere (3)" in text
    names = [e.participant.user.full_name for e in (third, first, second)]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Tilby plass" in text


def test_participants_page_query_count(
    client, current, fill, piano_applicants, django_assert_max_num_queries
):
    for applicant in piano_applicants[:2]:
        enrolment_offer_place(actor=current.rector_a, enrolment=applicant, now=timezone.now())
    for day in range(5):
        make_session(current.a.piano, timezone.now() + datetime.timedelta(days=day + 1))
    client.force_login(current.rector_a)
    # session and user; the offer with unit and municipality; roles_for (national roles,
    # memberships, unit roles); the open enrolments with participants, users and who signed
    # them up; the sessions. The same with more people or sessions.
    # And the unread notices beside "Min side" (counted here, then cached); the enrolments
    # whose import conflicts with Ungkultur.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("enrolment:participants", args=[current.a.piano.pk]))
    assert response.status_code == 200
    assert "Har fått tilbud om plass (2)" in response.text


# --- Offering places ----------------------------------------------------------------------------


def test_rector_offers_a_place(
    client, current, piano_applicants, django_capture_on_commit_callbacks
):
    applicant = piano_applicants[0]
    client.force_login(current.rector_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment:offer_place", args=[applicant.pk]), follow=True)
    assert "har fått tilbud om plass og får beskjed på e-post" in response.text
    applicant.refresh_from_db()
    assert applicant.status == Status.OFFERED
    assert [m.to for m in mail.outbox] == [[applicant.participant.user.email]]
    assert AuditEntry.objects.get(action="enrolment.place_offered").actor == current.rector_a


def test_no_place_offered_when_full_is_400(client, current, piano_applicants):
    client.force_login(current.rector_a)
    for applicant in piano_applicants[:2]:
        client.post(reverse("enrolment:offer_place", args=[applicant.pk]))
    response = client.post(reverse("enrolment:offer_place", args=[piano_applicants[2].pk]))
    assert response.status_code == 400
    assert "Det er ingen ledige plasser på tilbudet." in response.text
    piano_applicants[2].refresh_from_db()
    assert piano_applicants[2].status == Status.APPLIED


@pytest.mark.parametrize(("who", "status"), [r for r in ROLES if r[1] != 200])
def test_others_may_not_offer_places(client, current, piano_applicants, who, status):
    client.force_login(persona(current, who))
    response = client.post(reverse("enrolment:offer_place", args=[piano_applicants[0].pk]))
    assert response.status_code == status
    piano_applicants[0].refresh_from_db()
    assert piano_applicants[0].status == Status.APPLIED


def test_an_applicant_may_not_offer_themself_a_place(client, current, piano_applicants):
    client.force_login(piano_applicants[0].participant.user)
    response = client.post(reverse("enrolment:offer_place", args=[piano_applicants[0].pk]))
    assert response.status_code == 403


def test_offer_place_is_post_only(client, current, piano_applicants):
    client.force_login(current.rector_a)
    response = client.get(reverse("enrolment:offer_place", args=[piano_applicants[0].pk]))
    assert response.status_code == 405


# --- Priority -----------------------------------------------------------------------------------


def test_rector_sets_priority(client, current, piano_applicants):
    client.force_login(current.rector_a)
    response = client.post(
        reverse("enrolment:set_priority", args=[piano_applicants[1].pk]), {"priority": "7"}
    )
    assert response.status_code == 302
    piano_applicants[1].refresh_from_db()
    assert piano_applicants[1].priority == 7
    assert AuditEntry.objects.get(action="enrolment.priority_set").changes["priority"] == 7


@pytest.mark.parametrize(("value", "message"), [("x", "Oppgi et heltall"), ("1000", "99")])
def test_bad_priority_is_400(client, current, piano_applicants, value, message):
    client.force_login(current.rector_a)
    response = client.post(
        reverse("enrolment:set_priority", args=[piano_applicants[1].pk]), {"priority": value}
    )
    assert response.status_code == 400
    assert message in response.text
    piano_applicants[1].refresh_from_db()
    assert piano_applicants[1].priority == 0


@pytest.mark.parametrize(("who", "status"), [("youth_a", 403), ("teacher_b", 404)])
def test_others_may_not_set_priority(client, current, piano_applicants, who, status):
    client.force_login(getattr(current, who))
    response = client.post(
        reverse("enrolment:set_priority", args=[piano_applicants[1].pk]), {"priority": "7"}
    )
    assert response.status_code == status


def test_set_priority_is_post_only(client, current, piano_applicants):
    client.force_login(current.rector_a)
    response = client.get(reverse("enrolment:set_priority", args=[piano_applicants[1].pk]))
    assert response.status_code == 405


# --- Re-registration ----------------------------------------------------------------------------


@pytest.fixture
def pupil(current):
    enrolment = enrolment_join(
        actor=current.youth_a, offer=current.a.piano, person=current.youth_a, now=earlier(48)
    )
    enrolment_offer_place(actor=current.rector_a, enrolment=enrolment, now=earlier(47))
    enrolment.refresh_from_db()
    enrolment.status, enrolment.start = Status.ACTIVE, timezone.localdate()
    enrolment.save()
    return enrolment


def test_rector_opens_reregistration(client, current, pupil, django_capture_on_commit_callbacks):
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    client.force_login(current.rector_a)
    url = reverse("enrolment:reregistration_open", args=[current.a.piano.pk])
    assert "Frist for å melde seg på igjen" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"deadline": deadline.isoformat()}, follow=True)
    assert "1 deltaker er bedt om å melde seg på igjen" in response.text
    pupil.refresh_from_db()
    assert pupil.reregistration_deadline == deadline
    assert [m.to for m in mail.outbox] == [[current.youth_a.email]]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Feltet er påkrevet"),
        ("31.02.2027", "Oppgi en gyldig dato"),
        ("past", "etter i dag"),
    ],
)
def test_bad_reregistration_deadline_is_400(client, current, pupil, value, message):
    if value == "past":
        value = timezone.localdate().isoformat()
    client.force_login(current.rector_a)
    response = client.post(
        reverse("enrolment:reregistration_open", args=[current.a.piano.pk]), {"deadline": value}
    )
    assert response.status_code == 400
    assert message in response.text
    pupil.refresh_from_db()
    assert pupil.reregistration_deadline is None


@pytest.mark.parametrize(
    ("who", "status"), [("youth_a", 403), ("a.club_worker", 403), ("teacher_b", 404)]
)
def test_others_may_not_open_reregistration(client, current, pupil, who, status):
    client.force_login(persona(current, who))
    response = client.post(
        reverse("enrolment:reregistration_open", args=[current.a.piano.pk]),
        {"deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat()},
    )
    assert response.status_code == status
    pupil.refresh_from_db()
    assert pupil.reregistration_deadline is None


def test_reregistration_open_allows_only_get_and_post(client, current):
    client.force_login(current.rector_a)
    url = reverse("enrolment:reregistration_open", args=[current.a.piano.pk])
    assert client.put(url).status_code == 405
