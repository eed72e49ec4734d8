import datetime

import pytest

from ungkultur.demo.seed_planning import seed_planning
from ungkultur.organisations.models import NationalRole, Organisation
from ungkultur.planning.models import (
    Collaboration,
    CollaborationModel,
    CompetenceOrder,
    Goal,
    Measure,
    OrderEvaluation,
    Plan,
    PlanItem,
    WheelActivity,
)
from ungkultur.planning.selectors import plan_rows, wheel_year
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)
MODELS = [
    Goal, Measure, Plan, PlanItem, WheelActivity, CompetenceOrder, OrderEvaluation,
    Collaboration, CollaborationModel,
]  # fmt: skip


@pytest.fixture
def seeded(personas):
    for short, slug in (("UoF", "uof"), ("UKM", "ukm")):
        org = Organisation.objects.create(name=short, short_name=short, slug=slug)
        NationalRole.objects.create(
            user=make_user(f"koordinator.{slug}@example.org", first_name=short),
            role=NationalRole.Role.COORDINATOR,
            organisation=org,
            start=START,
        )
    seed_planning(municipalities=[personas.arendal, personas.sola], today=TODAY)
    return personas


def test_the_demo_is_idempotent(seeded):
    before = [m.objects.count() for m in MODELS]
    seed_planning(municipalities=[seeded.arendal, seeded.sola], today=TODAY)
    assert [m.objects.count() for m in MODELS] == before


def test_the_demo_has_the_seeds_goals_and_milestones(seeded):
    assert Goal.objects.filter(municipality=None, level="effect").count() == 2
    assert Goal.objects.filter(municipality=None, level="sub").count() == 4
    milestones = Plan.objects.get(kind="milestone")
    assert milestones.items.count() == 7
    assert milestones.items.first().title == "Felles oppstartsamling og møter med fem kommuner"


def test_each_pilot_has_something_late_and_a_clash(seeded):
    action = Plan.objects.get(kind="action", municipality=seeded.arendal)
    assert any(row.late for row in plan_rows(action, today=TODAY))
    assert any(o.clashes for o in wheel_year(seeded.sola, year=2027))


def test_orders_are_in_different_states_and_the_delivered_one_is_evaluated(seeded):
    states = dict(CompetenceOrder.objects.values_list("municipality__name", "status"))
    assert states == {"Arendal": "delivered", "Sola": "ordered"}
    delivered = CompetenceOrder.objects.get(status="delivered")
    assert delivered.event is not None and delivered.evaluations.exists()
    assert CollaborationModel.objects.count() == 2
    assert (
        Collaboration.objects.filter(municipality=seeded.arendal).values("term").distinct().count()
        == 2
    )
