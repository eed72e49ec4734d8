"""Each step of "Kom i gang" is read from the database: not done before its row exists, done
after, and the rows that do not count (a closed unit, a cancelled meeting, a draft) do not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ungkultur.catalogue.models import Category, Offer, Venue
from ungkultur.enrolment.models import Enrolment, Participant
from ungkultur.meetings.models import Event
from ungkultur.municipalities.models import Municipality, PopulationCell
from ungkultur.onboarding import selectors
from ungkultur.onboarding.tests.conftest import NOW
from ungkultur.organisations.models import Group, Membership, Unit, UnitStaff
from ungkultur.participation.models import MunicipalitySettings
from ungkultur.planning.models import Goal, GoalAdoption, WheelActivity
from ungkultur.testing import START, make_user

pytestmark = pytest.mark.django_db

KEYS = [key for key, _title in selectors.STEPS]


@pytest.fixture
def bodo(personas):
    """A municipality outside the demo, just switched on, with its project leader."""
    bodo = Municipality.objects.get(code="1804")
    Municipality.objects.filter(pk=bodo.pk).update(kk_active=True, kk_active_since=NOW.date())
    bodo.refresh_from_db()
    group = Group.objects.create(
        kind=Group.Kind.LOCAL_PROJECT_GROUP, municipality=bodo, name="Prosjektgruppe Bodø"
    )
    bodo.leader = make_user("leder.bodo@example.org", first_name="Leder", municipality=bodo)
    Membership.objects.create(
        group=group, user=bodo.leader, role=Membership.Role.PROJECT_LEADER, start=START
    )
    bodo.project_group = group
    return bodo


def state(municipality):
    return selectors.checklist_states([municipality.pk], now=NOW)[municipality.pk]


def done_keys(municipality):
    current = state(municipality)
    return {key for key in KEYS if current[key]}


def unit(bodo, **fields):
    unit, _created = Unit.objects.get_or_create(
        municipality=bodo,
        name="Bodø kulturskole",
        defaults={"kind": Unit.Kind.KULTURSKOLE, **fields},
    )
    return unit


def offer(bodo, status):
    return Offer.objects.create(
        municipality=bodo,
        unit=unit(bodo),
        title="Band",
        category=Category.MUSIC,
        age_min=13,
        age_max=19,
        join_mode=Offer.JoinMode.DROP_IN,
        term_start=datetime.date(2026, 8, 1),
        term_end=datetime.date(2026, 12, 18),
        status=status,
    )


def meeting(bodo, *, kind=Event.Kind.PROJECT_GROUP_MEETING, status=Event.Status.PLANNED):
    starts = NOW + datetime.timedelta(days=7)
    return Event.objects.create(
        municipality=bodo,
        kind=kind,
        title="Oppstartsmøte",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        status=status,
    )


def population(bodo, years):
    PopulationCell.objects.bulk_create(
        PopulationCell(code="1804", year=year, sex=1, age=13, persons=300) for year in years
    )


def youth(bodo, key="1"):
    return make_user(
        f"ungdom{key}.bodo@example.org", first_name="Ung", birth_year=2010, municipality=bodo
    )


# What makes each step done, at the least.
MAKERS = {
    "units": lambda bodo: unit(bodo),
    "venues": lambda bodo: Venue.objects.create(municipality=bodo, name="Stormen"),
    "staff": lambda bodo: UnitStaff.objects.create(
        unit=unit(bodo),
        user=make_user("rektor.bodo@example.org", first_name="Rektor", municipality=bodo),
        role=UnitStaff.Role.RECTOR,
        start=START,
    ),
    "project_group": lambda bodo: Membership.objects.create(
        group=bodo.project_group,
        user=make_user("kultursjef.bodo@example.org", first_name="Sjef", municipality=bodo),
        role=Membership.Role.CULTURE_CHIEF,
        start=START,
    ),
    "resource_group": lambda bodo: Membership.objects.create(
        group=Group.objects.create(
            kind=Group.Kind.YOUTH_RESOURCE_GROUP, municipality=bodo, name="Ressursgruppe Bodø"
        ),
        user=youth(bodo),
        role=Membership.Role.YOUTH_MEMBER,
        start=START,
    ),
    "answer_deadline": lambda bodo: MunicipalitySettings.objects.create(
        municipality=bodo, answer_days=21
    ),
    "population": lambda bodo: population(bodo, range(2022, 2027)),
    "offers": lambda bodo: offer(bodo, Offer.Status.PUBLISHED),
    "goals": lambda bodo: GoalAdoption.objects.create(
        municipality=bodo,
        goal=Goal.objects.create(level=Goal.Level.EFFECT, title="Flere deltar"),
        adopted_at=NOW,
    ),
    "wheel": lambda bodo: WheelActivity.objects.create(
        municipality=bodo,
        service=WheelActivity.Service.UKM,
        title="Lokalmønstring",
        month=3,
        day=14,
        age_min=10,
        age_max=20,
    ),
    "meeting": lambda bodo: meeting(bodo),
}


def test_a_municipality_just_switched_on_has_done_nothing(bodo):
    assert done_keys(bodo) == set()
    assert state(bodo)["missing_years"] == [2022, 2023, 2024, 2025, 2026]


@pytest.mark.parametrize("key", KEYS)
def test_each_step_is_done_once_its_row_exists(bodo, key):
    MAKERS[key](bodo)
    # A unit is made on the way to staff and offers; the unit step is then done too.
    expected = {key} | ({"units"} if key in ("staff", "offers") else set())
    assert done_keys(bodo) == expected


def test_an_import_counts_as_first_offers(bodo):
    draft = offer(bodo, Offer.Status.DRAFT)
    participant = Participant.objects.create(municipality=bodo, ref_hash="x" * 64, birth_year=2011)
    Enrolment.objects.create(
        offer=draft,
        participant=participant,
        status=Enrolment.Status.ACTIVE,
        queued_at=NOW,
        import_key="line-1",
    )
    assert state(bodo)["offers"]


@pytest.mark.parametrize(
    ("key", "make"),
    [
        ("units", lambda bodo: unit(bodo, closed_on=datetime.date(2026, 8, 1))),
        (
            "staff",
            lambda bodo: UnitStaff.objects.create(
                unit=unit(bodo),
                user=make_user("gammel.bodo@example.org", first_name="Gammel", municipality=bodo),
                role=UnitStaff.Role.TEACHER,
                start=START,
                end=datetime.date(2026, 6, 1),
            ),
        ),
        ("offers", lambda bodo: offer(bodo, Offer.Status.DRAFT)),
        ("meeting", lambda bodo: meeting(bodo, status=Event.Status.CANCELLED)),
        ("meeting", lambda bodo: meeting(bodo, kind=Event.Kind.THEME_MEETING)),
        ("population", lambda bodo: population(bodo, [2022, 2023, 2024, 2025])),
        (
            "resource_group",
            lambda bodo: Membership.objects.create(
                group=Group.objects.create(
                    kind=Group.Kind.YOUTH_RESOURCE_GROUP, municipality=bodo, name="Ressurs"
                ),
                user=youth(bodo),
                role=Membership.Role.YOUTH_MEMBER,
                start=datetime.date(2026, 10, 1),  # not yet begun
            ),
        ),
    ],
)
def test_rows_that_do_not_count(bodo, key, make):
    make(bodo)
    assert not state(bodo)[key]


def test_the_project_leader_alone_is_no_project_group(bodo):
    assert bodo.project_group.memberships.count() == 1
    assert not state(bodo)["project_group"]


def test_another_municipalitys_rows_do_not_count(bodo, personas):
    # Arendal (the personas) has units, venues, staff, offers and youth: none of it is Bodø's.
    assert done_keys(personas.arendal) >= {"units", "venues", "staff", "offers", "resource_group"}
    assert done_keys(bodo) == set()


def test_the_missing_population_years_are_named(bodo):
    population(bodo, [2022, 2024, 2026])
    assert state(bodo)["missing_years"] == [2023, 2025]
    steps = {step.key: step for step in selectors.checklist(bodo, now=NOW)}
    assert steps["population"].detail == "Mangler tall for 2023, 2025."


# --- The page ----------------------------------------------------------------------------------


def test_the_project_leader_sees_the_checklist_on_the_municipalitys_page(client, bodo, now):
    MAKERS["units"](bodo)
    client.force_login(bodo.leader)
    page = client.get(reverse("organisations:municipality_detail", args=["1804"]))
    assert page.status_code == 200
    assert 'id="checklist"' in page.text
    assert "1 av 11 steg er gjort." in page.text
    assert 'data-step="units" data-done="true"' in page.text
    assert 'data-step="venues" data-done="false"' in page.text
    # Each step leads to its page in the product.
    assert reverse("onboarding:unit_list", args=["1804"]) in page.text
    assert reverse("onboarding:population", args=["1804"]) in page.text
    assert reverse("participation:municipality_settings", args=["1804"]) in page.text
    assert reverse("planning:municipality_goals", args=["1804"]) in page.text
    assert reverse("planning:wheel", args=["1804"]) in page.text
    assert reverse("meetings:event_create", args=["1804"]) in page.text
    # Staff and the two groups are invited (the invitation pages of organisations).
    assert reverse("organisations:staff_list", args=["1804"]) in page.text
    invite = reverse("organisations:invitation_create", args=["1804"])
    assert f"{invite}?group=local_project_group" in page.text
    assert f"{invite}?group=youth_resource_group" in page.text
    first_unit = Unit.objects.get(municipality=bodo)
    assert reverse("catalogue:venue_list", args=[first_unit.pk]) in page.text
    assert reverse("catalogue:unit_offers", args=[first_unit.pk]) in page.text


def test_without_a_unit_the_venue_step_says_to_make_one_first(client, bodo, now):
    client.force_login(bodo.leader)
    page = client.get(reverse("onboarding:checklist", args=["1804"]))
    assert page.text.count("Legg inn en enhet først.") == 2  # venues and offers


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_national_roles_see_the_checklist(client, personas, bodo, now, who):
    client.force_login(getattr(personas, who))
    assert (
        'id="checklist"'
        in client.get(reverse("organisations:municipality_detail", args=["1804"])).text
    )
    assert client.get(reverse("onboarding:checklist", args=["1804"])).status_code == 200


@pytest.mark.parametrize("who", ["rector_a", "teacher_a", "youth_a", "leader_b", None])
def test_others_do_not_see_it_on_the_municipalitys_page(client, personas, now, who):
    if who:
        client.force_login(getattr(personas, who))
    page = client.get(reverse("organisations:municipality_detail", args=["4203"]))
    assert page.status_code == 200
    assert 'id="checklist"' not in page.text


@pytest.mark.parametrize(
    ("who", "status"), [("rector_a", 403), ("teacher_a", 403), ("youth_a", 403), ("leader_b", 404)]
)
def test_others_may_not_open_the_checklist_page(client, personas, now, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("onboarding:checklist", args=["4203"])).status_code == status


def test_the_checklist_is_not_shown_while_the_municipality_is_off(client, bodo, now):
    Municipality.objects.filter(pk=bodo.pk).update(kk_active=False)
    client.force_login(bodo.leader)
    page = client.get(reverse("organisations:municipality_detail", args=["1804"]))
    assert 'id="checklist"' not in page.text


def test_the_checklist_costs_the_same_queries_however_much_is_done(bodo, django_assert_num_queries):
    # One query per step (offers two: published offers, imported enrolments), population three
    # (numbers, the current number, cells), and the first unit for the links.
    with django_assert_num_queries(15):
        selectors.checklist(bodo, now=timezone.now())
    for make in MAKERS.values():
        make(bodo)
    with django_assert_num_queries(15):
        steps = selectors.checklist(bodo, now=NOW)
    assert all(step.done for step in steps)
