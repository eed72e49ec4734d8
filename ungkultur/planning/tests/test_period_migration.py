"""Migration 0004 puts the plans from before periods into one period spanning the milestone
plan (the 2020/21 pilot); a database without plans gets no period."""

import datetime
import importlib

import pytest
from django.apps import apps

from ungkultur.planning.models import Plan, PlanItem, ProjectPeriod

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "ungkultur.planning.migrations.0004_wheel_repeat_rules_and_project_periods"
)


def test_the_plans_go_into_the_pilot_period(personas, milestones, action_plan):
    migration.plans_into_their_period(apps, None)
    period = ProjectPeriod.objects.get()
    assert (period.title, period.start, period.end) == (
        "2020/21",
        datetime.date(2020, 2, 1),
        datetime.date(2021, 11, 30),
    )
    assert set(Plan.objects.values_list("period", flat=True)) == {period.pk}
    assert PlanItem.objects.filter(plan__period=period).count() == 5


def test_no_plans_no_period(db):
    migration.plans_into_their_period(apps, None)
    assert not ProjectPeriod.objects.exists()
