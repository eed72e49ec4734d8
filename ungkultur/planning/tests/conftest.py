"""Planning fixtures on top of the personas: the national goals, a milestone plan, Arendal's
action plan, competence-order organisations with coordinators."""

import datetime

import pytest
from django.utils import timezone

from ungkultur.meetings.models import Attendance, Event
from ungkultur.organisations.models import NationalRole, Organisation
from ungkultur.planning.models import (
    CompetenceOrder,
    Goal,
    GoalAdoption,
    Measure,
    Plan,
    PlanItem,
)
from ungkultur.testing import START, make_user

DAY = datetime.timedelta(days=1)


def who_is(personas, who):
    """A persona by name; "club_worker_a" and the like are Arendal's (a) or Sola's (b)."""
    for role in ("club_worker", "ukm_contact", "youth_member"):
        if who.startswith(role + "_"):
            return getattr(getattr(personas, who[-1]), role)
    return getattr(personas, who)


@pytest.fixture
def goals(personas):
    effect = Goal.objects.create(level=Goal.Level.EFFECT, title="Levende demokrati")
    other = Goal.objects.create(level=Goal.Level.EFFECT, title="Relevante kulturtilbud")
    sub = Goal.objects.create(level=Goal.Level.SUB, parent=effect, title="Kompetanse i å delta")
    other_sub = Goal.objects.create(level=Goal.Level.SUB, parent=other, title="Grunnmur")
    return {"effect": effect, "other": other, "sub": sub, "other_sub": other_sub}


@pytest.fixture
def adopted(personas, goals):
    GoalAdoption.objects.create(
        municipality=personas.arendal, goal=goals["effect"], adopted_at=timezone.now()
    )
    return goals


@pytest.fixture
def measure(personas, adopted):
    return Measure.objects.create(
        goal=adopted["sub"], municipality=personas.arendal, title="Ungdomsstyre på klubben"
    )


@pytest.fixture
def action_plan(personas):
    today = timezone.localdate()
    plan = Plan.objects.create(
        kind=Plan.Kind.ACTION, municipality=personas.arendal, title="Tiltaksplan for Arendal"
    )
    PlanItem.objects.create(
        plan=plan, title="Kartlegging", start=today - 60 * DAY, end=today - 30 * DAY,
        status=PlanItem.Status.DONE,
    )  # fmt: skip
    PlanItem.objects.create(
        plan=plan, title="Verksted med biblioteket", start=today - 40 * DAY, end=today - DAY,
        status=PlanItem.Status.ONGOING,
    )  # fmt: skip
    PlanItem.objects.create(
        plan=plan, title="Ungdomsarrangement", start=today, end=today + 30 * DAY,
    )  # fmt: skip
    return plan


@pytest.fixture
def milestones(db):
    plan = Plan.objects.create(kind=Plan.Kind.MILESTONE, title="Overordnet milepælsplan 2020/21")
    PlanItem.objects.create(
        plan=plan, title="Felles oppstartsamling", start=datetime.date(2020, 2, 1),
        end=datetime.date(2020, 4, 30), status=PlanItem.Status.DONE,
    )  # fmt: skip
    PlanItem.objects.create(
        plan=plan, title="Nasjonal konferanse", start=datetime.date(2021, 11, 1),
        end=datetime.date(2021, 11, 30), status=PlanItem.Status.POSTPONED,
    )  # fmt: skip
    return plan


@pytest.fixture
def orgs(personas):
    """NKR (the personas' coordinator) and UoF with a coordinator of its own."""
    uof = Organisation.objects.create(name="Ungdom og Fritid", short_name="UoF", slug="uof")
    uof_coordinator = make_user("koordinator.uof@example.org", first_name="KoordUoF")
    NationalRole.objects.create(
        user=uof_coordinator, role=NationalRole.Role.COORDINATOR, organisation=uof, start=START
    )
    return {"nkr": personas.nkr, "uof": uof, "uof_coordinator": uof_coordinator}


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, whose POSTs run the on-commit callbacks (the e-mail) of a transaction
    that committed, as in production; a rolled-back transaction sends nothing."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


@pytest.fixture
def delivered(personas, orgs):
    start = timezone.now() - 2 * DAY
    event = Event.objects.create(
        kind="course",
        municipality=personas.arendal,
        title="Kurs i ungdomsledelse",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    Attendance.objects.create(event=event, user=personas.youth_member_a, is_youth=True)
    return make_order(
        personas,
        orgs,
        status=CompetenceOrder.Status.DELIVERED,
        event=event,
        delivered_at=timezone.now() - DAY,
    )


def make_order(personas, orgs, status=CompetenceOrder.Status.ORDERED, **fields):
    today = timezone.localdate()
    return CompetenceOrder.objects.create(
        municipality=fields.pop("municipality", personas.arendal),
        organisation=fields.pop("organisation", orgs["uof"]),
        kind="course",
        topic=fields.pop("topic", "Kurs i ungdomsledelse"),
        target_group="Ungdomsarbeidere",
        wanted_from=today + 30 * DAY,
        wanted_to=today + 60 * DAY,
        expected_participants=12,
        ordered_by=personas.leader_a,
        ordered_at=timezone.now(),
        status=status,
        **fields,
    )
