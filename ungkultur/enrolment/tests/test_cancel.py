"""Cancelling a session or a whole offer, with notices sent only after the change commits."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.models import Offer
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import (
    enrolment_join,
    enrolment_leave,
    offer_cancel,
    session_cancel,
)
from ungkultur.enrolment.tests.conftest import born, make_session

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def people(current, fill):
    """On the workshop (2 places): one with a place, one who left (so the first on the waiting
    list is offered the place), and one still waiting. Keyed by status."""
    now = timezone.now() - datetime.timedelta(days=2)
    _, leaving, _, _ = fill(current.a.workshop, 4, now=now, birth_year=born(14))
    enrolment_leave(actor=leaving.participant.user, enrolment=leaving, end_reason="moved", now=now)
    return {e.status: e for e in Enrolment.objects.filter(offer=current.a.workshop)}


@pytest.fixture
def session(current):
    return make_session(current.a.workshop, timezone.now() + datetime.timedelta(days=3))


def test_people_fixture_has_each_status(people):
    assert set(people) == {Status.ACTIVE, Status.ENDED, Status.OFFERED, Status.WAITING}


def test_session_cancel_asks_for_a_reason(client, current, session):
    client.force_login(current.leader_a)
    response = client.get(reverse("enrolment:session_cancel", args=[session.pk]))
    assert response.status_code == 200
    assert "Hvorfor avlyses det?" in response.text
    response = client.post(reverse("enrolment:session_cancel", args=[session.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Feltet er påkrevet" in response.text
    session.refresh_from_db()
    assert session.cancelled_at is None


def test_cancelling_a_session_emails_each_active_and_offered_once(
    client, current, people, session, django_capture_on_commit_callbacks
):
    guardian_child = enrolment_join(
        actor=current.guardian_a,
        offer=current.a.piano,
        person=current.child_a,
        now=timezone.now(),
    )
    assert guardian_child.signed_up_by == current.guardian_a
    mail.outbox.clear()
    client.force_login(current.leader_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("enrolment:session_cancel", args=[session.pk]), {"reason": "Syk lærer"}
        )
    assert response["Location"] == reverse("enrolment:participants", args=[current.a.workshop.pk])
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert session.cancel_reason == "Syk lærer"
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [
            people[Status.ACTIVE].participant.user.email,
            people[Status.OFFERED].participant.user.email,
        ]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "Syk lærer" in mail.outbox[0].body
    assert "Avlyst: Tegneserieverksted" in mail.outbox[0].subject
    assert AuditEntry.objects.get(action="session.cancelled").actor == current.leader_a


def test_the_guardian_hears_instead_of_a_child_under_13(
    current, session, django_capture_on_commit_callbacks
):
    Offer.objects.filter(pk=current.a.workshop.pk).update(age_min=8)
    enrolment_join(
        actor=current.guardian_a,
        offer=current.a.workshop,
        person=current.child_a,
        now=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(actor=current.leader_a, session=session, reason="Stengt", now=timezone.now())
    # The child is 11: every e-mail about them goes to the guardian (docs/privacy.md).
    assert sorted(m.to[0] for m in mail.outbox) == [current.guardian_a.email]


def test_nothing_is_sent_when_the_cancel_rolls_back(
    current, people, session, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            session_cancel(
                actor=current.leader_a, session=session, reason="Storm", now=timezone.now()
            )
            raise RuntimeError("forced rollback")
    assert callbacks == []
    assert mail.outbox == []
    session.refresh_from_db()
    assert session.cancelled_at is None
    assert not AuditEntry.objects.filter(action="session.cancelled").exists()


def test_a_session_that_has_begun_or_is_cancelled_is_400(client, current, session):
    client.force_login(current.leader_a)
    url = reverse("enrolment:session_cancel", args=[session.pk])
    client.post(url, {"reason": "Storm"})
    response = client.post(url, {"reason": "Storm igjen"})
    assert response.status_code == 400
    assert "Samlingen er allerede avlyst." in response.text
    past = make_session(current.a.workshop, timezone.now() - datetime.timedelta(hours=1))
    response = client.post(reverse("enrolment:session_cancel", args=[past.pk]), {"reason": "x"})
    assert response.status_code == 400
    assert "har allerede begynt" in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher_a", 403), ("youth_a", 403), ("teacher_b", 404), ("youth_b", 404)],
)
def test_others_may_not_cancel_a_session(client, current, session, who, status):
    client.force_login(getattr(current, who))
    url = reverse("enrolment:session_cancel", args=[session.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"reason": "x"}).status_code == status
    session.refresh_from_db()
    assert session.cancelled_at is None


def test_session_cancel_allows_only_get_and_post(client, current, session):
    client.force_login(current.leader_a)
    assert client.put(reverse("enrolment:session_cancel", args=[session.pk])).status_code == 405


# --- Cancelling a whole offer -------------------------------------------------------------------


def test_cancelling_an_offer_closes_every_open_enrolment(
    client, current, people, session, django_capture_on_commit_callbacks
):
    past = make_session(current.a.workshop, timezone.now() - datetime.timedelta(days=1))
    client.force_login(current.leader_a)
    url = reverse("enrolment:offer_cancel", args=[current.a.workshop.pk])
    assert "1 deltaker" in client.get(url).text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "For få påmeldte"})
    assert response.status_code == 302
    current.a.workshop.refresh_from_db()
    assert current.a.workshop.status == Offer.Status.CANCELLED
    active = Enrolment.objects.get(pk=people[Status.ACTIVE].pk)
    # Ending because the offer stopped is not dropout.
    assert (active.status, active.end, active.end_reason) == (
        Status.ENDED,
        timezone.localdate(),
        "completed",
    )
    for status in (Status.OFFERED, Status.WAITING):
        assert Enrolment.objects.get(pk=people[status].pk).status == Status.WITHDRAWN
    session.refresh_from_db()
    past.refresh_from_db()
    assert session.cancel_reason == "For få påmeldte"
    assert past.cancelled_at is None
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(action="enrolment.offer_cancelled").count() == 3
    assert AuditEntry.objects.filter(action="offer.cancelled").count() == 1


def test_an_offer_is_cancelled_once(client, current):
    client.force_login(current.rector_a)
    url = reverse("enrolment:offer_cancel", args=[current.a.piano.pk])
    client.post(url, {"reason": "Ingen lærer"})
    response = client.post(url, {"reason": "Ingen lærer"})
    assert response.status_code == 400
    assert "Tilbudet er allerede avlyst." in response.text


def test_a_place_not_yet_begun_is_withdrawn_when_the_offer_is_cancelled(current):
    Offer.objects.filter(pk=current.a.workshop.pk).update(
        term_start=timezone.localdate() + datetime.timedelta(days=10)
    )
    enrolment = enrolment_join(
        actor=current.youth_a, offer=current.a.workshop, person=current.youth_a, now=timezone.now()
    )
    offer_cancel(actor=current.leader_a, offer=current.a.workshop, reason="x", now=timezone.now())
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.start) == (Status.WITHDRAWN, None)


@pytest.mark.parametrize(
    ("who", "status"),
    [("a.club_worker", 403), ("youth_a", 403), ("leader_b", 404), ("youth_b", 404)],
)
def test_others_may_not_cancel_an_offer(client, current, who, status):
    user = current
    for part in who.split("."):
        user = getattr(user, part)
    client.force_login(user)
    url = reverse("enrolment:offer_cancel", args=[current.a.piano.pk])
    assert client.post(url, {"reason": "x"}).status_code == status
    current.a.piano.refresh_from_db()
    assert current.a.piano.status == Offer.Status.PUBLISHED


def test_offer_cancel_allows_only_get_and_post(client, current):
    client.force_login(current.rector_a)
    url = reverse("enrolment:offer_cancel", args=[current.a.piano.pk])
    assert client.patch(url).status_code == 405
