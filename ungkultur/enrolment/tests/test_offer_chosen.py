"""Staff offer a place to a person they choose, not only the first in the queue: they confirm
that they pass over those before, and the audit row names them."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.tests.conftest import born

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def earlier(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def url(enrolment):
    return reverse("enrolment:offer_place", args=[enrolment.pk])


@pytest.fixture
def piano_applicants(current, fill):
    return fill(current.a.piano, 3, now=earlier(5), birth_year=born(15))


@pytest.fixture
def waiting(current, fill):
    """Two on the workshop (two places) and two waiting; then two more places, as when the
    capacity is raised in the catalogue (nobody is offered them by itself)."""
    rows = fill(current.a.workshop, 4, now=earlier(5), birth_year=born(14))
    Offer.objects.filter(pk=current.a.workshop.pk).update(capacity=4)
    for row in rows:
        row.refresh_from_db()
    assert [r.status for r in rows] == [Status.ACTIVE] * 2 + [Status.WAITING] * 2
    return rows[2:]


def test_passing_over_applicants_needs_a_tick(
    client, current, piano_applicants, django_capture_on_commit_callbacks
):
    first, second, third = piano_applicants
    client.force_login(current.rector_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(third))
    assert response.status_code == 400
    assert "2 personer står foran i køen. Kryss av for at du vil hoppe over dem" in response.text
    third.refresh_from_db()
    assert third.status == Status.APPLIED
    assert not AuditEntry.objects.filter(action="enrolment.place_offered").exists()
    assert mail.outbox == []


def test_a_chosen_applicant_is_offered_a_place(
    client, current, piano_applicants, django_capture_on_commit_callbacks
):
    first, second, third = piano_applicants
    client.force_login(current.rector_a)
    page = client.get(reverse("enrolment:participants", args=[current.a.piano.pk])).text
    assert "Hopp over 2 som står foran" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(third), {"skip_ahead": "1"}, follow=True)
    assert "har fått tilbud om plass og får beskjed på e-post" in response.text
    third.refresh_from_db()
    assert third.status == Status.OFFERED
    entry = AuditEntry.objects.get(action="enrolment.place_offered")
    assert entry.actor == current.rector_a
    assert entry.changes["chosen"] is True
    assert entry.changes["skipped"] == sorted([first.pk, second.pk])
    assert [m.to for m in mail.outbox] == [[third.participant.user.email]]
    assert "Tilbud om plass" in mail.outbox[0].subject
    first.refresh_from_db()
    assert first.status == Status.APPLIED


def test_a_higher_priority_comes_first(current, piano_applicants):
    from ungkultur.enrolment.services import queue_ahead

    first, second, third = piano_applicants
    Enrolment.objects.filter(pk=third.pk).update(priority=5)
    third.refresh_from_db()
    assert queue_ahead(third) == []
    second.refresh_from_db()
    assert queue_ahead(second) == sorted([first.pk, third.pk])


def test_the_first_needs_no_tick(client, current, piano_applicants):
    client.force_login(current.rector_a)
    assert client.post(url(piano_applicants[0])).status_code == 302
    entry = AuditEntry.objects.get(action="enrolment.place_offered")
    assert entry.changes["skipped"] == []


def test_someone_chosen_from_the_waiting_list(
    client, current, waiting, django_capture_on_commit_callbacks
):
    first, second = waiting
    client.force_login(current.leader_a)
    page = client.get(reverse("enrolment:participants", args=[current.a.workshop.pk])).text
    assert page.count(">Tilby plass<") == 2
    assert "Hopp over 1 som står foran" in page
    response = client.post(url(second))
    assert response.status_code == 400
    assert "1 person står foran i køen." in response.text
    second.refresh_from_db()
    assert second.status == Status.WAITING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(second), {"skip_ahead": "1"})
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, second.status) == (Status.WAITING, Status.OFFERED)
    entry = AuditEntry.objects.get(action="enrolment.place_offered")
    assert entry.changes["skipped"] == [first.pk]
    assert [m.to for m in mail.outbox] == [[second.participant.user.email]]


def test_no_place_for_the_waiting_list_when_full(client, current, waiting):
    Offer.objects.filter(pk=current.a.workshop.pk).update(capacity=2)
    client.force_login(current.leader_a)
    page = client.get(reverse("enrolment:participants", args=[current.a.workshop.pk])).text
    assert ">Tilby plass<" not in page
    response = client.post(url(waiting[0]))
    assert response.status_code == 400
    assert "Det er ingen ledige plasser på tilbudet." in response.text
    waiting[0].refresh_from_db()
    assert waiting[0].status == Status.WAITING


def test_only_the_queue_may_be_offered_a_place(client, current, waiting, fill):
    active = Enrolment.objects.filter(offer=current.a.workshop, status=Status.ACTIVE).first()
    client.force_login(current.leader_a)
    response = client.post(url(active), {"skip_ahead": "1"})
    assert response.status_code == 400
    assert "Bare søkere og de som står på ventelisten" in response.text


@pytest.mark.parametrize(
    ("who", "status"), [("teacher_a", 403), ("youth_a", 403), ("teacher_b", 404)]
)
def test_others_may_not_choose(client, current, piano_applicants, who, status):
    client.force_login(getattr(current, who))
    response = client.post(url(piano_applicants[2]), {"skip_ahead": "1"})
    assert response.status_code == status
    piano_applicants[2].refresh_from_db()
    assert piano_applicants[2].status == Status.APPLIED
    assert not AuditEntry.objects.filter(action="enrolment.place_offered").exists()
