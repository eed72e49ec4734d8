import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from ungkultur.catalogue.models import Offer, Session
from ungkultur.catalogue.tests.conftest import NOW, OSLO

pytestmark = pytest.mark.django_db

URL = reverse("catalogue:calendar", args=["4203"])


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.events}


def test_calendar_is_icalendar_with_the_municipalitys_sessions(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Tilbud for ungdom i Arendal"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Oslo"]
    events = _events(response)
    expected = Session.objects.filter(offer__municipality=catalogue.arendal)
    # Piano: 18 Tuesdays; the workshop: 13 Thursdays; the club: 18 Wednesdays and 18 Fridays.
    assert len(events) == expected.count() == 67
    assert set(events) == {
        f"session-{pk}@ungkultur" for pk in expected.values_list("pk", flat=True)
    }


def test_each_event_has_summary_place_link_and_oslo_time(client, catalogue):
    piano = catalogue.a.piano
    session = piano.sessions.get(starts_at__date=datetime.date(2026, 10, 27))
    event = _events(client.get(URL))[f"session-{session.pk}@ungkultur"]
    assert str(event["SUMMARY"]) == "Piano"
    assert str(event["LOCATION"]) == "Kulturhuset Arendal"
    assert str(event["URL"]) == settings.SITE_URL + f"/tilbud/{piano.pk}/"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    # The Tuesday after summer time ended is still at 17:00 in Oslo.
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event["DTSTART"].dt == datetime.datetime(2026, 10, 27, 17, 0, tzinfo=OSLO)
    assert event["DTEND"].dt == datetime.datetime(2026, 10, 27, 17, 45, tzinfo=OSLO)
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)


def test_cancelled_session_is_marked_cancelled(client, catalogue):
    session = catalogue.a.workshop.sessions.order_by("starts_at").first()
    session.cancelled_at = NOW
    session.cancel_reason = "Kursholderen er syk"
    session.save()
    event = _events(client.get(URL))[f"session-{session.pk}@ungkultur"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Avlyst: Kursholderen er syk" in str(event["DESCRIPTION"])


def test_session_at_another_place_has_that_location(client, catalogue):
    from ungkultur.catalogue.models import Venue

    hall = Venue.objects.create(
        municipality=catalogue.arendal, name="Arendal kulturhus", address="Sam Eydes plass 1"
    )
    session = catalogue.a.piano.sessions.order_by("starts_at").last()
    session.venue = hall
    session.save()
    event = _events(client.get(URL))[f"session-{session.pk}@ungkultur"]
    assert str(event["LOCATION"]) == "Arendal kulturhus, Sam Eydes plass 1"


def test_uids_are_stable_between_fetches(client, catalogue):
    assert set(_events(client.get(URL))) == set(_events(client.get(URL)))


def test_calendar_leaves_out_old_sessions_drafts_and_other_municipalities(client, catalogue):
    old = Session.objects.create(
        offer=catalogue.a.piano,
        starts_at=NOW - datetime.timedelta(days=31),
        ends_at=NOW - datetime.timedelta(days=31, hours=-1),
        weekday=0,
    )
    recent = Session.objects.create(
        offer=catalogue.a.piano,
        starts_at=NOW - datetime.timedelta(days=29),
        ends_at=NOW - datetime.timedelta(days=29, hours=-1),
        weekday=0,
    )
    Offer.objects.filter(pk=catalogue.a.workshop.pk).update(status=Offer.Status.DRAFT)
    events = _events(client.get(URL))
    assert f"session-{old.pk}@ungkultur" not in events
    assert f"session-{recent.pk}@ungkultur" in events
    workshop_uids = {f"session-{s.pk}@ungkultur" for s in catalogue.a.workshop.sessions.all()}
    assert not workshop_uids & set(events)
    sola_uids = {f"session-{s.pk}@ungkultur" for s in catalogue.b.piano.sessions.all()}
    assert not sola_uids & set(events)
    assert len(events) == 18 + 1 + 36


def test_calendar_without_sessions_is_an_empty_calendar(client, personas, now):
    response = client.get(URL)
    assert response.status_code == 200
    assert Calendar.from_ical(response.content).events == []


def test_calendar_old_number_redirects(client, personas):
    response = client.get(reverse("catalogue:calendar", args=["3006"]))
    assert response.status_code == 301
    assert response["Location"] == reverse("catalogue:calendar", args=["3303"])


def test_calendar_unknown_municipality_is_404(client):
    assert client.get(reverse("catalogue:calendar", args=["9999"])).status_code == 404


def test_calendar_only_answers_get(client, personas):
    assert client.post(URL).status_code == 405


def test_calendar_query_count_does_not_grow(client, catalogue, django_assert_max_num_queries):
    # The municipality by number; the sessions with offer, unit and places.
    with django_assert_max_num_queries(2):
        client.get(URL)
