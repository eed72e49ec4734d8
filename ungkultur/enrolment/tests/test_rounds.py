"""Application rounds end: a place said no to passes to the next applicant by priority, and
staff close the round, telling everyone left without a place."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import Enrolment
from ungkultur.enrolment.services import (
    application_round_close,
    enrolment_decline,
    enrolment_offer_place,
    enrolment_offers_expire,
    enrolment_set_priority,
)
from ungkultur.enrolment.tests.conftest import SPRING

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
JUNE = datetime.datetime(2026, 6, 10, 10, 0, tzinfo=OSLO)
Status = Enrolment.Status


@pytest.fixture
def round_(personas, fill):
    """Five applicants to the piano (2 places); two offered places; the rest ranked 1, 5, 3."""
    applicants = fill(personas.a.piano, 5, now=SPRING)
    for applicant in applicants[:2]:
        enrolment_offer_place(actor=personas.rector_a, enrolment=applicant, now=JUNE)
    for applicant, priority in zip(applicants[2:], (1, 5, 3), strict=True):
        enrolment_set_priority(
            actor=personas.rector_a, enrolment=applicant, priority=priority, now=JUNE
        )
    return [Enrolment.objects.get(pk=a.pk) for a in applicants]


def status(enrolment):
    enrolment.refresh_from_db()
    return enrolment.status


def test_a_declined_place_goes_to_the_applicant_with_the_highest_priority(
    personas, round_, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_decline(actor=round_[0].participant.user, enrolment=round_[0], now=JUNE)
    assert [status(e) for e in round_] == ["declined", "offered", "applied", "offered", "applied"]
    told = [m for m in mail.outbox if m.subject == "Tilbud om plass på Piano"]
    assert [m.to for m in told] == [[round_[3].participant.user.email]]


def test_an_unanswered_place_passes_on_too(personas, round_):
    later = JUNE + datetime.timedelta(days=30)
    assert enrolment_offers_expire(now=later) == 2
    # Both places expired: the two highest priorities get them (5, then 3).
    assert [status(e) for e in round_] == ["expired", "expired", "applied", "offered", "offered"]


def test_closing_the_round_tells_everyone_left_without_a_place(
    personas, round_, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = application_round_close(
            actor=personas.rector_a, offer=personas.a.piano, message="Prøv igjen i vår!", now=JUNE
        )
    assert count == 3
    assert [status(e) for e in round_] == ["offered", "offered"] + ["withdrawn"] * 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.participant.user.email for e in round_[2:]
    )
    assert all("Prøv igjen i vår!" in m.body for m in mail.outbox)
    assert "fikk dessverre ikke plass" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="enrolment.application_declined").count() == 3
    assert AuditEntry.objects.get(action="offer.application_round_closed").changes == {
        "declined": 3
    }
    # A place declined afterwards has nobody left to pass to.
    enrolment_decline(actor=round_[0].participant.user, enrolment=round_[0], now=JUNE)
    assert Enrolment.objects.filter(status=Status.OFFERED).count() == 1


def test_the_close_page_counts_and_closes(client, personas, round_):
    url = reverse("enrolment:application_round_close", args=[personas.a.piano.pk])
    client.force_login(personas.rector_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "3 søkere har ikke fått tilbud om plass" in page.text
    assert "3 personer får beskjed på e-post." in page.text
    response = client.post(url, {"message": "Takk for søknaden."}, follow=True)
    assert "3 søkere fikk beskjed om at de ikke fikk plass" in response.text
    assert Enrolment.objects.filter(status=Status.APPLIED).count() == 0


def test_closing_needs_a_message_an_application_offer_and_the_right_role(client, personas, round_):
    url = reverse("enrolment:application_round_close", args=[personas.a.piano.pk])
    client.force_login(personas.rector_a)
    response = client.post(url, {"message": "  "})
    assert response.status_code == 400
    client.force_login(personas.teacher_a)
    assert client.post(url, {"message": "Nei"}).status_code == 403
    client.force_login(personas.rector_b)
    assert client.post(url, {"message": "Nei"}).status_code == 404
    assert Enrolment.objects.filter(status=Status.APPLIED).count() == 3
    assert not AuditEntry.objects.filter(action="offer.application_round_closed").exists()
    with pytest.raises(Exception, match="Bare tilbud med søknad"):
        application_round_close(
            actor=personas.leader_a, offer=personas.a.workshop, message="x", now=JUNE
        )
