"""The demo is open on the day it is loaded: whenever `seed_demo` runs, a youth can apply for a
kulturskole place, sign up for UKM and for a partner's course, vote on the youth budget and
answer a quick poll. Seeding takes some seconds, so only a few days of the year are tried: a
summer day just after the old fixed deadline (1 June), New Year's Eve at 23:30, a leap day and
the first day of the autumn term."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ungkultur.accounts.models import User
from ungkultur.catalogue.models import Offer
from ungkultur.demo.seed import PILOTS
from ungkultur.enrolment import services as enrolment_services
from ungkultur.enrolment.models import Enrolment
from ungkultur.municipalities.models import Municipality
from ungkultur.participation.models import BudgetRound, Poll
from ungkultur.ukm.models import UkmEvent

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def _apply_somewhere(youth, municipality, now):
    """Sign the youth up for the first open kulturskole application they may make."""
    today = timezone.localdate(now)
    offers = Offer.objects.filter(
        municipality=municipality, join_mode=Offer.JoinMode.APPLICATION
    ).order_by("pk")
    open_ = [o for o in offers if enrolment_services.join_closed_reason(o, today=today) is None]
    assert open_, f"no open application in {municipality}"
    closed = [o for o in offers if o not in open_]
    assert closed, "the demo should show a passed deadline too"
    for offer in open_:
        try:
            enrolment = enrolment_services.enrolment_join(
                actor=youth, offer=offer, person=youth, now=now
            )
        except Exception:  # noqa: BLE001 - too young/old for this one, or already there
            continue
        return enrolment
    raise AssertionError(f"{youth} could apply for nothing in {municipality}")


@pytest.mark.parametrize(
    "at",
    ["2026-06-15 10:00", "2026-12-31 23:30", "2028-02-29 12:00", "2027-08-01 00:30"],
)
def test_seed_demo_leaves_applications_sign_ups_a_vote_and_polls_open(at, client):
    moment = datetime.datetime.fromisoformat(at).replace(tzinfo=OSLO)
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        now = timezone.now()
        voting = []
        for code, (key, _size) in PILOTS.items():
            municipality = Municipality.objects.get(code=code)
            youth = User.objects.get(email=f"ungdom1.{key}@ungkultur.test")

            enrolment = _apply_somewhere(youth, municipality, now)
            assert enrolment.status == Enrolment.Status.APPLIED

            registration = Offer.objects.filter(
                municipality=municipality, join_mode=Offer.JoinMode.REGISTRATION
            )
            assert any(
                enrolment_services.join_closed_reason(o, today=timezone.localdate(now)) is None
                for o in registration
            )

            events = UkmEvent.objects.filter(unit__municipality=municipality)
            open_events = [e for e in events if e.signup_is_open(now)]
            assert len(open_events) == 1
            client.force_login(youth)
            page = client.get(reverse("ukm:innslag_new", args=[open_events[0].pk]))
            assert page.status_code == 200
            assert b"<form" in page.content

            polls = Poll.objects.filter(unit__municipality=municipality)
            assert any(p.is_open(now) for p in polls)

            rounds = BudgetRound.objects.filter(municipality=municipality)
            voting += [r for r in rounds if r.phase(now) == BudgetRound.Phase.VOTING]
        # The demo youth's own municipality (the first pilot) votes, and so does another.
        assert len(voting) >= 2
        first = Municipality.objects.get(code=next(iter(PILOTS)))
        assert any(r.municipality == first for r in voting)
