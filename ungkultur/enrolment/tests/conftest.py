"""Fixtures for the enrolment tests.

Services take ``now``; their tests pass a fixed time in the autumn term of 2026 (the personas'
offers run 1 August – 18 December 2026). Views use the real clock, so their tests ask for
``current``: the persona offers moved to run around today, and the personas' ages kept, so
that they pass on any day they run.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ungkultur.catalogue.models import Offer, Session
from ungkultur.enrolment.services import enrolment_join
from ungkultur.testing import make_user

OSLO = ZoneInfo("Europe/Oslo")
# In the autumn term, after it began; applications closed on 1 June.
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=OSLO)
# Before the piano application deadline (1 June 2026).
SPRING = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=OSLO)

_numbers = itertools.count(1)


@pytest.fixture
def make_youth(personas):
    """Another youth in Arendal (15 in 2026 unless told), with an account."""

    def make(first_name=None, *, birth_year=2011, municipality=None):
        n = next(_numbers)
        return make_user(
            f"ung{n}@example.org",
            first_name=first_name or f"Ung{n}",
            birth_year=birth_year,
            municipality=municipality or personas.arendal,
        )

    return make


@pytest.fixture
def fill(make_youth):
    """Sign ``count`` new youth up for an offer, one minute apart from ``now``."""

    def fill(offer, count, *, now=NOW, birth_year=2011):
        enrolments = []
        for i in range(count):
            youth = make_youth(birth_year=birth_year)
            enrolments.append(
                enrolment_join(
                    actor=youth,
                    offer=offer,
                    person=youth,
                    now=now + datetime.timedelta(minutes=i),
                )
            )
        return enrolments

    return fill


def born(age: int) -> int:
    """The birth year of someone ``age`` years old this year (for view tests)."""
    return timezone.localdate().year - age


def make_session(offer, starts_at, *, hours=2, **fields):
    return Session.objects.create(
        offer=offer,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        weekday=timezone.localtime(starts_at).weekday(),
        venue=fields.pop("venue", offer.venue),
        **fields,
    )


@pytest.fixture
def current(personas):
    """The personas with their offers running around today (started 30 days ago, applications
    open two more weeks), and the youth the same ages as in 2026."""
    today = timezone.localdate()
    Offer.objects.update(
        term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=150),
        application_deadline=today + datetime.timedelta(days=14),
    )
    for offer in (personas.a.piano, personas.a.workshop, personas.a.open_club):
        offer.refresh_from_db()
    for offer in (personas.b.piano, personas.b.workshop, personas.b.open_club):
        offer.refresh_from_db()
    shift = today.year - 2026
    for user in (personas.youth_a, personas.youth_b, personas.youth_member_a, personas.child_a):
        user.birth_year += shift
        user.save(update_fields=["birth_year"])
    return personas
