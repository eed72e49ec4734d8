"""Accept, decline and re-register from Min side (POST only)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import Guardianship
from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import (
    enrolment_join,
    enrolment_offer_place,
    enrolment_reregistration_open,
)
from ungkultur.enrolment.tests.conftest import born

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


def offered(current, person, *, actor=None):
    enrolment = enrolment_join(
        actor=actor or person, offer=current.a.piano, person=person, now=timezone.now()
    )
    enrolment_offer_place(actor=current.teacher_a, enrolment=enrolment, now=timezone.now())
    enrolment.refresh_from_db()
    return enrolment


def test_youth_accepts_an_offered_place(client, current):
    enrolment = offered(current, current.youth_a)
    client.force_login(current.youth_a)
    response = client.post(reverse("enrolment:accept", args=[enrolment.pk]), follow=True)
    assert "Plassen på Piano er tatt imot" in response.text
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE
    assert enrolment.start == timezone.localdate()
    assert AuditEntry.objects.get(action="enrolment.accepted").actor == current.youth_a


def test_youth_declines_and_the_place_passes_on(
    client, current, fill, django_capture_on_commit_callbacks
):
    first, _, waiting = fill(
        current.a.workshop,
        3,
        now=timezone.now() - datetime.timedelta(hours=1),
        birth_year=born(15),
    )
    client.force_login(first.participant.user)
    client.post(
        reverse("enrolment:leave", args=[first.pk]),
        {"end_reason": "completed"},
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    mail.outbox.clear()
    client.force_login(waiting.participant.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enrolment:decline", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.DECLINED
    assert mail.outbox == []  # nobody else waits


def test_guardian_answers_for_the_child(client, current):
    enrolment = offered(current, current.child_a, actor=current.guardian_a)
    client.force_login(current.guardian_a)
    client.post(reverse("enrolment:accept", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == Status.ACTIVE


def test_a_child_under_13_does_not_answer_alone(client, current):
    enrolment = offered(current, current.child_a, actor=current.guardian_a)
    client.force_login(current.child_a)
    assert client.post(reverse("enrolment:accept", args=[enrolment.pk])).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == Status.OFFERED


@pytest.mark.parametrize(
    ("who", "status"),
    [("youth_member_a", 403), ("teacher_a", 403), ("leader_a", 403), ("youth_b", 404)],
)
def test_others_may_not_answer(client, current, who, status):
    enrolment = offered(current, current.youth_a)
    client.force_login(getattr(current, who))
    for name in ("enrolment:accept", "enrolment:decline"):
        assert client.post(reverse(name, args=[enrolment.pk])).status_code == status
    enrolment.refresh_from_db()
    assert enrolment.status == Status.OFFERED


def test_unconfirmed_guardian_may_not_answer(client, current):
    enrolment = offered(current, current.youth_a)
    Guardianship.objects.create(guardian=current.guardian_a, child=current.youth_a)
    client.force_login(current.guardian_a)
    assert client.post(reverse("enrolment:accept", args=[enrolment.pk])).status_code == 403


def test_answering_what_was_not_offered_is_400(client, current):
    enrolment = enrolment_join(
        actor=current.youth_a, offer=current.a.piano, person=current.youth_a, now=timezone.now()
    )
    client.force_login(current.youth_a)
    response = client.post(reverse("enrolment:accept", args=[enrolment.pk]))
    assert response.status_code == 400
    assert "Det er ikke noe tilbud om plass å svare på her." in response.text


@pytest.mark.parametrize("name", ["enrolment:accept", "enrolment:decline", "enrolment:reregister"])
def test_answers_are_post_only(client, current, name):
    enrolment = offered(current, current.youth_a)
    client.force_login(current.youth_a)
    assert client.get(reverse(name, args=[enrolment.pk])).status_code == 405


def test_anonymous_is_sent_to_login(client, current):
    enrolment = offered(current, current.youth_a)
    response = client.post(reverse("enrolment:accept", args=[enrolment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pupil_reregisters(client, current):
    enrolment = offered(current, current.youth_a)
    client.force_login(current.youth_a)
    client.post(reverse("enrolment:accept", args=[enrolment.pk]))
    enrolment_reregistration_open(
        actor=current.teacher_a,
        offer=current.a.piano,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        now=timezone.now(),
    )
    response = client.get(reverse("mypage:index"))
    assert "Meld på igjen innen" in response.text
    response = client.post(reverse("enrolment:reregister", args=[enrolment.pk]), follow=True)
    assert "Plassen på Piano fortsetter." in response.text
    enrolment.refresh_from_db()
    assert enrolment.reregistered_at is not None
    response = client.post(reverse("enrolment:reregister", args=[enrolment.pk]))
    assert response.status_code == 400
    assert "Du har allerede meldt deg på igjen." in response.text
