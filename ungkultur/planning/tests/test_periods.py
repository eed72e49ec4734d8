"""Project periods: a national coordinator starts the next period with its milestone plan (from
the previous one or the standard template); project leaders carry their plans over, once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from ungkultur.core.models import AuditEntry
from ungkultur.planning.models import Plan, PlanItem, ProjectPeriod
from ungkultur.planning.periods import current_period, shift_date

pytestmark = pytest.mark.django_db

D = datetime.date
S = PlanItem.Status
TODAY = datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def spring_2027():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pilot(personas):
    """The 2020/21 period: its milestone plan, all done, and Arendal's two plans."""
    period = ProjectPeriod.objects.create(title="2020/21", start=D(2020, 1, 1), end=D(2021, 12, 31))
    milestones = Plan.objects.create(kind="milestone", period=period, title="Milepælsplan 2020/21")
    PlanItem.objects.create(plan=milestones, title="Felles oppstartsamling",
                            start=D(2020, 2, 1), end=D(2020, 4, 30), status=S.DONE)  # fmt: skip
    PlanItem.objects.create(plan=milestones, title="Nasjonal konferanse",
                            start=D(2021, 11, 1), end=D(2021, 11, 30), status=S.DONE)  # fmt: skip
    action = Plan.objects.create(kind="action", municipality=personas.arendal, period=period,
                                 title="Tiltaksplan for Arendal")  # fmt: skip
    PlanItem.objects.create(plan=action, title="Kartlegging",
                            start=D(2020, 3, 1), end=D(2020, 5, 1), status=S.DONE)  # fmt: skip
    PlanItem.objects.create(plan=action, title="Verksted med biblioteket",
                            start=D(2021, 9, 1), end=D(2021, 10, 1), status=S.ONGOING)  # fmt: skip
    progress = Plan.objects.create(kind="progress", municipality=personas.arendal, period=period,
                                   title="Fremdriftsplan for Arendal")  # fmt: skip
    PlanItem.objects.create(plan=progress, title="Ungdomsrådet velges",
                            start=D(2021, 1, 4), end=D(2021, 2, 1), status=S.POSTPONED)  # fmt: skip
    return period


def start_period(client, **fields):
    data = {"title": "2027/28", "start": "2027-01-01", "end": "2028-12-31", "source": "previous"}
    return client.post(reverse("planning:period_create"), data | fields)


def test_a_coordinator_starts_a_period_from_the_previous_plan(client, personas, pilot):
    client.force_login(personas.coordinator)
    response = start_period(client)
    period = ProjectPeriod.objects.get(title="2027/28")
    assert response["Location"] == reverse("planning:milestone_plan_period", args=[period.pk])
    plan = Plan.objects.get(kind="milestone", period=period)
    assert plan.rolled_from == Plan.objects.get(kind="milestone", period=pilot)
    assert list(plan.items.values_list("title", "start", "end", "status")) == [
        # Seven years on, by the calendar (not 2,557 days, which would end on 1 May).
        ("Felles oppstartsamling", D(2027, 2, 1), D(2027, 4, 30), "planned"),
        ("Nasjonal konferanse", D(2028, 11, 1), D(2028, 11, 30), "planned"),
    ]
    entry = AuditEntry.objects.get(action="planning.period_start")
    assert (entry.actor, entry.changes["source"], entry.changes["items"]) == (
        personas.coordinator,
        "previous",
        2,
    )
    # The milestone plan shown is the current period's, with today on its chart.
    page = client.get(reverse("planning:milestone_plan")).text
    assert "Milepælsplan 2027/28" in page and "i dag" in page
    # The old one is still there.
    old = client.get(reverse("planning:milestone_plan_period", args=[pilot.pk])).text
    assert "Milepælsplan 2020/21" in old and "Periode 2027/28" in old
    assert current_period(D(2027, 3, 1)) == period


def test_a_period_from_the_standard_template(client, personas, pilot):
    client.force_login(personas.coordinator)
    start_period(client, source="template")
    plan = Plan.objects.get(kind="milestone", period__title="2027/28")
    items = {item.title: item for item in plan.items.all()}
    assert {"Felles oppstartsamling", "Midtveisevaluering", "Sluttevaluering"} <= set(items)
    report = items["Sluttrapport distribuert"]
    assert (report.start, report.end) == (D(2028, 12, 1), D(2028, 12, 15))
    assert all(D(2027, 1, 1) <= i.start <= i.end <= D(2028, 12, 31) for i in items.values())
    assert all(i.status == "planned" for i in items.values())
    assert plan.rolled_from is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": "2026-12-31"}, "Sluttdatoen må være etter startdatoen."),
        (
            {"start": "2019-01-01"},
            "En ny periode må begynne etter at 2020/21 begynte (1. januar 2020).",
        ),
        ({"title": "2020/21"}, "finnes allerede"),
        ({"source": "somewhere"}, "Velg et gyldig valg."),
    ],
)
def test_a_bad_period_is_refused_and_nothing_is_made(client, personas, pilot, fields, message):
    client.force_login(personas.coordinator)
    response = start_period(client, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert list(ProjectPeriod.objects.all()) == [pilot]
    assert Plan.objects.filter(kind="milestone").count() == 1
    assert not AuditEntry.objects.filter(action="planning.period_start").exists()


@pytest.mark.parametrize("who", ["leader_a", "teacher_a"])
def test_municipal_staff_do_not_start_national_periods(client, personas, pilot, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("planning:period_create")).status_code == 403
    assert start_period(client).status_code == 403
    assert list(ProjectPeriod.objects.all()) == [pilot]
    assert "Start ny prosjektperiode" not in client.get(reverse("planning:milestone_plan")).text


def roll(client, mode="open", code="4203"):
    return client.post(reverse("planning:plans_roll_over", args=[code]), {"mode": mode})


def test_the_leader_carries_the_unfinished_items_over_once(client, personas, pilot):
    client.force_login(personas.coordinator)
    start_period(client)
    client.force_login(personas.leader_a)
    plans_page = reverse("planning:plan_list", args=["4203"])
    assert "Videreføre planene fra 2020/21 til 2027/28" in client.get(plans_page).text
    response = roll(client)
    assert response["Location"] == plans_page
    period = ProjectPeriod.objects.get(title="2027/28")
    action = Plan.objects.get(kind="action", municipality=personas.arendal, period=period)
    assert list(action.items.values_list("title", "start", "status")) == [
        ("Verksted med biblioteket", D(2028, 9, 1), "ongoing"),
    ]
    progress = Plan.objects.get(kind="progress", municipality=personas.arendal, period=period)
    assert list(progress.items.values_list("title", "status")) == [
        ("Ungdomsrådet velges", "postponed")
    ]
    assert action.rolled_from.period == pilot
    entry = AuditEntry.objects.get(action="planning.plans_roll_over")
    assert (entry.actor, entry.changes["mode"], entry.changes["items"]) == (
        personas.leader_a,
        "open",
        {"action": 1, "progress": 1},
    )
    # The page shows the new plans and the old ones under earlier periods.
    page = client.get(plans_page).text
    assert reverse("planning:plan_detail", args=[action.pk]) in page
    assert "Planer fra tidligere perioder" in page and "Videreføre planene fra" not in page
    # A second try: a clear message, nothing doubled.
    again = roll(client, mode="all")
    assert again.status_code == 400
    assert "Planene er allerede videreført til 2027/28." in again.text
    assert Plan.objects.filter(municipality=personas.arendal).count() == 4
    assert AuditEntry.objects.filter(action="planning.plans_roll_over").count() == 1


def test_carrying_every_item_over_resets_the_status(client, personas, pilot):
    client.force_login(personas.coordinator)
    start_period(client)
    client.force_login(personas.leader_a)
    roll(client, mode="all")
    action = Plan.objects.get(kind="action", period__title="2027/28")
    assert list(action.items.values_list("title", "start", "status")) == [
        ("Kartlegging", D(2027, 3, 1), "planned"),
        ("Verksted med biblioteket", D(2028, 9, 1), "planned"),
    ]


@pytest.mark.parametrize(("who", "status"), [("teacher_a", 403), ("leader_b", 404)])
def test_others_may_not_carry_the_plans_over(client, personas, pilot, who, status):
    client.force_login(personas.coordinator)
    start_period(client)
    client.force_login(getattr(personas, who))
    assert roll(client).status_code == status
    assert not Plan.objects.filter(period__title="2027/28", municipality__isnull=False).exists()


def test_a_bad_mode_is_refused(client, personas, pilot):
    client.force_login(personas.coordinator)
    start_period(client)
    client.force_login(personas.leader_a)
    response = roll(client, mode="some")
    assert response.status_code == 400
    assert "Velg et gyldig valg." in response.text
    assert not Plan.objects.filter(period__title="2027/28", municipality__isnull=False).exists()


def test_an_edited_item_of_the_new_plan_is_audited(client, personas, pilot):
    client.force_login(personas.coordinator)
    start_period(client)
    item = PlanItem.objects.get(plan__period__title="2027/28", title="Nasjonal konferanse")
    data = {"title": "Nasjonal konferanse i Bodø", "start": "2028-10-02", "end": "2028-10-03",
            "status": "planned", "description": ""}  # fmt: skip
    response = client.post(reverse("planning:plan_item_update", args=[item.pk]), data)
    assert response["Location"] == reverse(
        "planning:milestone_plan_period", args=[item.plan.period_id]
    )
    entry = AuditEntry.objects.get(action="planning.plan_item_update")
    assert entry.changes["title"] == ["Nasjonal konferanse", "Nasjonal konferanse i Bodø"]


@pytest.mark.parametrize(
    ("day", "old", "new", "expected"),
    [
        (D(2020, 2, 29), D(2020, 1, 1), D(2027, 1, 1), D(2027, 2, 28)),  # no leap day in 2027
        (D(2021, 2, 28), D(2020, 1, 1), D(2027, 1, 1), D(2028, 2, 28)),
        (D(2020, 4, 30), D(2020, 1, 1), D(2027, 1, 1), D(2027, 4, 30)),
        (D(2020, 1, 31), D(2020, 1, 1), D(2020, 2, 1), D(2020, 2, 29)),  # a month on, leap year
        (D(2020, 3, 10), D(2020, 1, 1), D(2022, 1, 15), D(2022, 3, 24)),  # months, then days
    ],
)
def test_dates_move_by_calendar_months(day, old, new, expected):
    assert shift_date(day, old, new) == expected


def test_plans_from_before_periods_are_carried_into_the_first(
    client, personas, milestones, action_plan
):
    """The demo's plans have no period: the first period copies the old milestone plan (its
    first item moved to the period's start) and the plans carry over with their dates."""
    client.force_login(personas.coordinator)
    start_period(client, start="2027-01-01")
    plan = Plan.objects.get(kind="milestone", period__title="2027/28")
    assert plan.rolled_from == milestones
    assert plan.items.first().start == D(2027, 1, 1)  # 1 February 2020 moved to the start
    client.force_login(personas.leader_a)
    assert (
        "Videreføre planene til 2027/28"
        in client.get(reverse("planning:plan_list", args=["4203"])).text
    )
    roll(client)
    carried = Plan.objects.get(kind="action", period__title="2027/28")
    assert carried.rolled_from == action_plan
    assert list(carried.items.values_list("title", "start")) == list(
        action_plan.items.exclude(status="done").values_list("title", "start")
    )
