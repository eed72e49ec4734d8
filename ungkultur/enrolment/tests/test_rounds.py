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


# --- Staff reorder and remove waiting-list entries -------------------------------------------


@pytest.fixture
def queue(personas, fill):
    """The workshop (2 places) full, and four on its waiting list."""
    from ungkultur.enrolment.tests.conftest import NOW

    enrolments = fill(personas.a.workshop, 6, now=NOW)
    return [Enrolment.objects.get(pk=e.pk) for e in enrolments[2:]]


def order(offer):
    return list(
        Enrolment.objects.filter(offer=offer, status=Status.WAITING)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)
    )


def test_staff_move_someone_up_down_and_to_the_top(client, personas, queue):
    from ungkultur.enrolment.selectors import waiting_position

    workshop = personas.a.workshop
    a, b, c, d = (e.pk for e in queue)
    client.force_login(personas.leader_a)
    url = lambda e: reverse("enrolment:waiting_move", args=[e.pk])  # noqa: E731
    assert client.post(url(queue[3]), {"to": "top"}).status_code == 302
    assert order(workshop) == [d, a, b, c]
    assert client.post(url(queue[0]), {"to": "down"}).status_code == 302
    assert order(workshop) == [d, b, a, c]
    assert client.post(url(queue[2]), {"to": "up"}).status_code == 302
    assert order(workshop) == [d, b, c, a]
    assert waiting_position(Enrolment.objects.get(pk=d)) == 1
    entry = AuditEntry.objects.filter(action="enrolment.waiting_moved").order_by("pk").first()
    assert entry.changes["to"] == "top" and entry.changes["to_position"] == 1
    # The first cannot go up; a bad direction is refused; nothing changes.
    assert client.post(url(queue[3]), {"to": "up"}).status_code == 400
    assert client.post(url(queue[3]), {"to": "sideways"}).status_code == 400
    assert order(workshop) == [d, b, c, a]


def test_moving_needs_the_right_role(client, personas, queue):
    url = reverse("enrolment:waiting_move", args=[queue[3].pk])
    before = order(personas.a.workshop)
    client.force_login(personas.teacher_a)
    assert client.post(url, {"to": "top"}).status_code == 403
    client.force_login(personas.rector_b)
    assert client.post(url, {"to": "top"}).status_code == 404
    assert order(personas.a.workshop) == before
    assert not AuditEntry.objects.filter(action="enrolment.waiting_moved").exists()


def test_the_next_place_goes_to_whoever_staff_moved_to_the_top(personas, queue):
    from ungkultur.enrolment.services import enrolment_leave, enrolment_waiting_move
    from ungkultur.enrolment.tests.conftest import NOW

    enrolment_waiting_move(actor=personas.leader_a, enrolment=queue[2], to="top", now=NOW)
    taking_part = Enrolment.objects.filter(offer=personas.a.workshop, status=Status.ACTIVE).first()
    enrolment_leave(
        actor=taking_part.participant.user, enrolment=taking_part, now=NOW, end_reason="moved"
    )
    assert status(queue[2]) == Status.OFFERED
    assert status(queue[0]) == Status.WAITING


def test_staff_remove_someone_from_the_waiting_list(client, personas, queue):
    client.force_login(personas.leader_a)
    page = client.get(reverse("enrolment:participants", args=[personas.a.workshop.pk]))
    assert reverse("enrolment:leave", args=[queue[1].pk]) in page.text
    response = client.post(reverse("enrolment:leave", args=[queue[1].pk]))
    assert response.status_code == 302
    assert status(queue[1]) == Status.WITHDRAWN
    assert len(order(personas.a.workshop)) == 3


# --- Attendance: everyone present at once; lists on paper ------------------------------------


def test_alle_til_stede_marks_everyone_present(client, personas, queue):
    from ungkultur.enrolment.models import Attendance
    from ungkultur.enrolment.tests.conftest import make_session

    workshop = personas.a.workshop
    active = Enrolment.objects.filter(offer=workshop, status=Status.ACTIVE)
    active.update(start=datetime.date(2026, 1, 1))
    session = make_session(workshop, datetime.datetime(2026, 9, 2, 17, 0, tzinfo=OSLO))
    client.force_login(personas.leader_a)
    url = reverse("enrolment:attendance", args=[session.pk])
    assert "Alle til stede" in client.get(url).text
    response = client.post(url, {"all": "1"})
    assert response.status_code == 302
    assert sorted(Attendance.objects.filter(present=True).values_list("enrolment", flat=True)) == (
        sorted(active.values_list("pk", flat=True))
    )
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1


def test_class_lists_have_a_print_stylesheet(client, personas):
    from django.contrib.staticfiles import finders

    css = open(finders.find("enrolment/enrolment.css"), encoding="utf-8").read()
    assert "@media print" in css and ".site-header" in css
    client.force_login(personas.leader_a)
    page = client.get(reverse("enrolment:participants", args=[personas.a.workshop.pk]))
    assert "enrolment/enrolment.css" in page.text


# --- A teacher's "i dag" ------------------------------------------------------------------------


def test_today_lists_the_teachers_own_groups_today(client, personas, django_assert_max_num_queries):
    from django.utils import timezone

    from ungkultur.enrolment.tests.conftest import make_session

    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    piano = make_session(personas.a.piano, noon)
    make_session(personas.a.workshop, noon)  # another unit's group
    make_session(personas.a.piano, noon + datetime.timedelta(days=1))  # tomorrow
    url = reverse("enrolment:today")

    client.force_login(personas.teacher_a)
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.status_code == 200
    assert reverse("enrolment:attendance", args=[piano.pk]) in page.text
    assert page.text.count("Oppmøte for") == 1
    assert "Tegneserieverksted" not in page.text

    client.force_login(personas.youth_a)
    assert "Du har ingen grupper i dag." in client.get(url).text
    client.logout()
    assert client.get(url).status_code == 302


# --- Offer places to the top N at once; before the deadline only when staff choose ------------


def test_offer_the_top_applicants_at_once(personas, fill, django_capture_on_commit_callbacks):
    from ungkultur.enrolment.services import application_offer_top

    applicants = fill(personas.a.piano, 4, now=SPRING)
    for applicant, priority in zip(applicants, (0, 9, 5, 1), strict=True):
        enrolment_set_priority(
            actor=personas.rector_a, enrolment=applicant, priority=priority, now=JUNE
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Three asked for, two places: the two highest priorities get them.
        offered = application_offer_top(
            actor=personas.rector_a,
            offer=personas.a.piano,
            count=3,
            before_deadline=False,
            now=JUNE,
        )
    assert [e.pk for e in offered] == [applicants[1].pk, applicants[2].pk]
    assert [status(e) for e in applicants] == ["applied", "offered", "offered", "applied"]
    assert len(mail.outbox) == 2


def test_before_the_deadline_staff_must_choose_to(client, personas, fill):
    applicants = fill(personas.a.piano, 2, now=SPRING)
    url = reverse("enrolment:offer_top", args=[personas.a.piano.pk])
    from django.utils import timezone

    personas.a.piano.__class__.objects.filter(pk=personas.a.piano.pk).update(
        application_deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    client.force_login(personas.rector_a)
    response = client.post(url, {"count": "1"})
    assert response.status_code == 400
    assert "Søknadsfristen" in response.text and "har ikke gått ut" in response.text
    assert [status(e) for e in applicants] == ["applied", "applied"]
    response = client.post(url, {"count": "1", "before_deadline": "1"})
    assert response.status_code == 302
    assert [status(e) for e in applicants] == ["offered", "applied"]
    assert client.post(url, {"count": "x"}).status_code == 400
    client.force_login(personas.teacher_a)
    assert client.post(url, {"count": "1", "before_deadline": "1"}).status_code == 403
    client.force_login(personas.rector_b)
    assert client.post(url, {"count": "1", "before_deadline": "1"}).status_code == 404
    assert [status(e) for e in applicants] == ["offered", "applied"]
