import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ungkultur.catalogue.services import schedule_create

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday in the personas' autumn term of 2026 (1 August – 18 December).
NOW = datetime.datetime(2026, 9, 1, 12, 0, tzinfo=OSLO)
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


@pytest.fixture
def now(monkeypatch):
    """Freeze the clock the views read (timezone.now and timezone.localdate)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def weekly(offer, weekday, start, end, first, last):
    return schedule_create(
        actor=None,
        offer=offer,
        weekday=weekday,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        first_date=first,
        last_date=last,
        now=NOW,
    )


@pytest.fixture
def catalogue(personas, now):
    return add_weekly_sessions(personas)


def add_weekly_sessions(personas):
    """The personas' offers with weekly sessions through the autumn term.

    Arendal: piano on Tuesdays, the comic workshop on Thursdays, the open club on Wednesdays
    and Fridays. Sola: piano on Mondays.
    """
    a, b = personas.a, personas.b
    weekly(
        a.piano,
        TUESDAY,
        (17, 0),
        (17, 45),
        datetime.date(2026, 8, 18),
        datetime.date(2026, 12, 15),
    )
    weekly(
        a.workshop,
        THURSDAY,
        (16, 0),
        (18, 0),
        datetime.date(2026, 9, 3),
        datetime.date(2026, 11, 26),
    )
    weekly(
        a.open_club,
        WEDNESDAY,
        (18, 0),
        (21, 0),
        datetime.date(2026, 8, 19),
        datetime.date(2026, 12, 16),
    )
    weekly(
        a.open_club,
        FRIDAY,
        (18, 0),
        (22, 0),
        datetime.date(2026, 8, 21),
        datetime.date(2026, 12, 18),
    )
    weekly(
        b.piano, MONDAY, (16, 0), (16, 45), datetime.date(2026, 8, 17), datetime.date(2026, 12, 14)
    )
    return personas
