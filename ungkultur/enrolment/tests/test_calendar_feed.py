"""The personal calendar: a youth's sessions behind an unguessable, revocable link."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ungkultur.core.models import AuditEntry
from ungkultur.enrolment.models import CalendarFeed
from ungkultur.enrolment.services import enrolment_join
from ungkultur.enrolment.tests.conftest import make_session
from ungkultur.lib.tokens import token_hash

pytestmark = pytest.mark.django_db


def create(client):
    response = client.post(reverse("enrolment:calendar_feed_create"))
    assert response.status_code == 200
    path = re.search(r"/kalender/personlig/[^\"<]+\.ics", response.text).group(0)
    return response, path


@pytest.fixture
def sessions(current):
    enrolment_join(
        actor=current.youth_a, offer=current.a.workshop, person=current.youth_a, now=timezone.now()
    )
    soon = timezone.now() + datetime.timedelta(days=2)
    on = make_session(current.a.workshop, soon)
    off = make_session(
        current.a.workshop,
        soon + datetime.timedelta(days=7),
        cancelled_at=timezone.now(),
        cancel_reason="Syk lærer",
    )
    # Not enrolled there: not in the feed.
    other = make_session(current.a.piano, soon)
    return on, off, other


def test_youth_makes_a_link_shown_once(client, current, sessions):
    client.force_login(current.youth_a)
    response, path = create(client)
    assert "webcal://testserver/kalender/personlig/" in response.text
    assert "http://testserver" + path in response.text
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    raw = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == token_hash(raw)
    assert raw not in feed.token_hash
    assert AuditEntry.objects.filter(action="calendar_feed.created").exists()


def test_the_feed_has_the_sessions_of_active_places(client, current, sessions):
    on, off, other = sessions
    client.force_login(current.youth_a)
    _, path = create(client)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {f"session-{on.pk}@ungkultur", f"session-{off.pk}@ungkultur"}
    assert str(events[f"session-{off.pk}@ungkultur"]["status"]) == "CANCELLED"
    assert str(events[f"session-{on.pk}@ungkultur"]["status"]) == "CONFIRMED"
    assert str(events[f"session-{on.pk}@ungkultur"]["summary"]) == "Tegneserieverksted"


def test_a_new_link_replaces_the_old(client, current, sessions):
    client.force_login(current.youth_a)
    _, old = create(client)
    _, new = create(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_revoked_link_is_404(client, current, sessions):
    client.force_login(current.youth_a)
    _, path = create(client)
    response = client.post(reverse("enrolment:calendar_feed_revoke"), follow=True)
    assert "Kalenderlenken er slettet" in response.text
    assert client.get(path).status_code == 404


def test_an_unknown_link_is_404(client, current):
    url = reverse("enrolment:personal_calendar", kwargs={"token": "not-a-real-token"})
    assert client.get(url).status_code == 404


def test_min_side_offers_a_link_to_youth(client, current):
    client.force_login(current.youth_a)
    text = client.get(reverse("mypage:index")).text
    assert "Lag kalenderlenke" in text
    create(client)
    text = client.get(reverse("mypage:index")).text
    assert "Lag ny kalenderlenke" in text
    assert "Slett kalenderlenken" in text


def test_link_actions_are_post_only_and_need_login(client, current):
    for name in ("enrolment:calendar_feed_create", "enrolment:calendar_feed_revoke"):
        response = client.post(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        client.force_login(current.youth_a)
        assert client.get(reverse(name)).status_code == 405
        client.logout()
    assert not CalendarFeed.objects.exists()


def test_the_feed_is_get_only(client, current, sessions):
    client.force_login(current.youth_a)
    _, path = create(client)
    assert client.post(path).status_code == 405
