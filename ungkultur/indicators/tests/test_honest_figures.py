"""Honest figures (docs/indicators.md): a municipality with gaps, every rule checked against a
computation in plain Python over the same lists the rows are made from, on both engines.

Arendal, terms 2025V, 2025H and 2026V, computed on 1 May 2026:
- the kulturskole has pupils every term; one imported pupil was withdrawn by the platform at
  re-registration (not a dropout), one left with reason unknown on a day of their own (a dropout);
- the youth club records headcounts on evenings in 2025H and 2026V only, and no members;
- UKM: a festival with entries each spring, none in the autumn, and a workshop in 2025H;
- the project group met twice in 2026V and has a meeting with a youth signed up still ahead;
- two proposals in 2026V (fewer than five, but proposals are not people).
"""

import datetime
from types import SimpleNamespace

import pytest

from ungkultur.catalogue.models import Category
from ungkultur.clubs.models import ClubEvening, ClubHeadcount
from ungkultur.enrolment.models import Participant
from ungkultur.indicators.definitions import (
    BY_KEY,
    NO_RECORDS,
    NOT_MEASURED,
    PARTIAL_YEAR,
    missing_reason_label,
)
from ungkultur.indicators.engine import duck, finalise, orm
from ungkultur.indicators.models import IndicatorValue
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.services import indicators_refresh
from ungkultur.indicators.tests.data import D, at, enrol, offer, population
from ungkultur.lib.terms import Term, term_range
from ungkultur.meetings.models import Attendance, Event
from ungkultur.meetings.selectors import resource_group_attendance
from ungkultur.municipalities.models import Municipality
from ungkultur.organisations.models import Unit
from ungkultur.participation.models import Proposal
from ungkultur.testing import make_user
from ungkultur.ukm.models import Innslag, InnslagPerson, UkmEvent

TERMS = term_range(Term.parse("2025V"), Term.parse("2026V"))
NOW = at(2026, 5, 1)
PER_CELL = 100  # population of each sex at each age 0–25, both years

# ref, birth year, start, end, reason, imported re-registration withdrawal by the platform
PUPILS = [
    ("p1", 2012, D(2024, 8, 20), None, "", False),
    ("p2", 2013, D(2024, 8, 20), D(2025, 12, 15), "unknown", True),
    ("p3", 2011, D(2024, 8, 20), D(2025, 12, 10), "dropped_out", False),
    ("p4", 2012, D(2024, 8, 20), D(2025, 11, 1), "unknown", False),
]
DEADLINE = D(2025, 12, 15)
WORKSHOP = ("w1", 2010, D(2025, 9, 1), D(2025, 11, 30), "completed")
# date, visits, first-time visitors
EVENINGS = [(D(2025, 9, 5), 30, 3), (D(2025, 10, 3), 20, 2), (D(2026, 2, 6), 25, 1)]
# festival day, [(entry type, [(name, birth year, user key or None)])]
FESTIVALS = [
    (at(2025, 3, 15, 18), [("music", [("Ola", 2008, "ola"), ("Kari", 2012, None)])]),
    (
        at(2026, 3, 14, 18),
        [
            ("music", [("Ola", 2008, "ola"), ("Per", 2001, None)]),
            ("media", [("Ola", 2008, "ola"), ("Siri", 2009, None)]),
        ],
    ),
]
# starts, youth present, adults present
MEETINGS = [(at(2026, 3, 1, 18), 1, 2), (at(2026, 3, 15, 18), 0, 1), (at(2026, 6, 10, 18), 1, 1)]
# submitted, due, answered
PROPOSALS = [
    (at(2026, 2, 1), D(2026, 3, 1), at(2026, 2, 20)),
    (at(2026, 2, 10), D(2026, 3, 10), None),
    (at(2026, 4, 20), D(2026, 5, 20), None),  # its deadline is still ahead: not late
]


def _term_of(day: datetime.date) -> Term:
    return Term.containing(day)


def _active(start, end, term: Term) -> bool:
    return start <= term.end and (end is None or end >= term.start)


def _persons(age_from: int, age_to: int) -> int:
    return PER_CELL * 2 * (age_to - age_from + 1)


@pytest.fixture
def town(db):
    t = SimpleNamespace(m=Municipality.objects.get(code="4203"))
    population("4203", 2025, PER_CELL)
    population("4203", 2026, PER_CELL)
    units = {
        kind: Unit.objects.create(municipality=t.m, kind=kind, name=f"Gap {kind}")
        for kind in ("kulturskole", "youth_club", "ukm")
    }
    music = offer(units["kulturskole"], "Gap piano", subject_area="music")
    for ref, birth_year, start, end, reason, platform in PUPILS:
        person = Participant.objects.create(
            municipality=t.m, ref_hash=ref, birth_year=birth_year, gender="female"
        )
        extra = {"reregistration_deadline": DEADLINE}
        if platform:
            extra["import_key"] = f"import-{ref}"
        enrol(music, person, start, end, reason, **extra)
    ref, birth_year, start, end, reason = WORKSHOP
    workshop = offer(units["ukm"], "Gap verksted", category=Category.MUSIC)
    enrol(
        workshop,
        Participant.objects.create(municipality=t.m, ref_hash=ref, birth_year=birth_year),
        start,
        end,
        reason,
    )
    staff = make_user("gap.klubb@example.org", first_name="Klubb")
    for day, visits, first in EVENINGS:
        evening = ClubEvening.objects.create(
            unit=units["youth_club"],
            date=day,
            first_time_visitors=first,
            recorded_by=staff,
            recorded_at=at(2026, 3, 1),
        )
        ClubHeadcount.objects.create(evening=evening, age_band="13_15", gender="male", count=visits)
    ola = make_user("gap.ola@example.org", first_name="Ola", birth_year=2008)
    for starts, entries in FESTIVALS:
        event = UkmEvent.objects.create(
            unit=units["ukm"],
            name=f"UKM {starts.year}",
            starts_at=starts,
            signup_opens=starts - datetime.timedelta(days=60),
            signup_closes=starts - datetime.timedelta(days=7),
        )
        for kind, people in entries:
            innslag = Innslag.objects.create(
                event=event, type=kind, name=kind, contact=ola, created_at=starts
            )
            for name, year, user in people:
                InnslagPerson.objects.create(
                    innslag=innslag,
                    first_name=name,
                    birth_year=year,
                    user=ola if user == "ola" else None,
                )
    n = 0
    for starts, youth, adults in MEETINGS:
        meeting = Event.objects.create(
            kind="project_group_meeting",
            municipality=t.m,
            title="Prosjektgruppemøte",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            status="planned" if starts > NOW else "held",
        )
        for is_youth, count in ((True, youth), (False, adults)):
            for _ in range(count):
                n += 1
                user = make_user(f"gap.m{n}@example.org", first_name=f"M{n}")
                Attendance.objects.create(event=meeting, user=user, is_youth=is_youth)
    for submitted, due, answered in PROPOSALS:
        Proposal.objects.create(
            municipality=t.m,
            title="Forslag",
            text="Tekst",
            category=Category.MUSIC,
            status="accepted" if answered else "submitted",
            submitted_at=submitted,
            answer_due=due,
            answered_at=answered,
        )
    return t


def _published(t, engine: str, min_n: int = 1) -> dict:
    """{(term, key, breakdown): Value-like tuple} of Arendal from one engine."""
    if engine == "orm":
        values = finalise(orm.compute(t.m, TERMS, now=NOW), min_n=min_n)
        return {c[1:]: tuple(v) for c, v in values.items()}
    table = duck.published(duck.load(), TERMS, min_n=min_n, now=NOW)
    return {
        (r["term"], r["key"], r["breakdown"]): (
            r["numerator"],
            r["denominator"],
            r["value"],
            r["n"],
            r["suppressed"],
            r["missing"],
        )
        for r in table.to_pylist()
        if r["municipality_id"] == t.m.pk
    }


NUM, DEN, VALUE, N, SUPPRESSED, MISSING = range(6)


@pytest.fixture(params=["orm", "duckdb"])
def shown(request, town):
    """Every cell shown (n = 1), so that each rule can be checked on the counts."""
    return _published(town, request.param)


@pytest.fixture(params=["orm", "duckdb"])
def controlled(request, town):
    """As published under the usual n = 5."""
    return _published(town, request.param, min_n=5)


@pytest.mark.parametrize("min_n", [1, 5])
def test_the_two_engines_publish_the_same_cells(town, min_n):
    assert _published(town, "orm", min_n) == _published(town, "duckdb", min_n)


def test_club_participation_is_not_measured_without_members_and_visits_are_shown(shown):
    for term in TERMS:
        cell = shown[(str(term), "participation.club", "")]
        assert cell[MISSING] == NOT_MEASURED and cell[VALUE] is None
        evenings = [e for e in EVENINGS if _term_of(e[0]) == term]
        visits = shown[(str(term), "club.visits", "")]
        per_evening = shown[(str(term), "club.visits_per_evening", "")]
        first = shown[(str(term), "club.first_time_visitors", "")]
        if not evenings:  # 2025V: the club recorded nothing
            for cell in (visits, per_evening, first):
                assert cell[MISSING] == NO_RECORDS and cell[VALUE] is None
            continue
        total = sum(v for _d, v, _f in evenings)
        assert visits[VALUE] == total and visits[MISSING] == ""
        assert per_evening[VALUE] == round(total / len(evenings), 1)
        assert first[VALUE] == sum(f for _d, _v, f in evenings)


def test_visits_per_1000_need_both_terms_of_the_year(shown):
    assert shown[("2025V", "club.visits_per_1000", "")][MISSING] == NO_RECORDS
    # Recording began in 2025H: half a year would read as a rise.
    assert shown[("2025H", "club.visits_per_1000", "")][MISSING] == PARTIAL_YEAR
    year = sum(v for d, v, _f in EVENINGS if _term_of(d) in TERMS[1:])
    expected = round(1000 * year / _persons(6, 20), 1)
    assert shown[("2026V", "club.visits_per_1000", "")][VALUE] == expected


def test_reach_is_not_pulled_down_by_clubs_without_members(shown):
    """Reach counts people with a place in any service; the club's headcounts add no one and
    take no one away, and reach is measured although club participation is not."""
    for term in TERMS:
        people = {
            ref
            for ref, year, start, end, _r, _p in PUPILS
            if _active(start, end, term) and 6 <= term.year - year <= 20
        }
        ref, year, start, end, _r = WORKSHOP
        if _active(start, end, term) and 6 <= term.year - year <= 20:
            people.add(ref)
        cell = shown[(str(term), "reach", "")]
        assert cell[MISSING] == "" and cell[NUM] == len(people)
        assert cell[DEN] == _persons(6, 20)


def test_ukm_participation_is_the_people_in_the_terms_entries(shown):
    for term in TERMS:
        people = {
            (name if user is None else user)
            for starts, entries in FESTIVALS
            if Term.containing(starts.date()) == term
            for _kind, persons in entries
            for name, year, user in persons
            if 10 <= term.year - year <= 20
        }
        cell = shown[(str(term), "participation.ukm", "")]
        if term.half == "H":  # no festival: no data, not 0 %
            assert cell[MISSING] == NO_RECORDS and cell[VALUE] is None
            assert shown[(str(term), "ukm.entries", "")][MISSING] == NO_RECORDS
        else:
            assert cell[MISSING] == "" and cell[NUM] == len(people)
            assert cell[VALUE] == round(100 * len(people) / _persons(10, 20), 1)
    # The workshop is a figure of its own, in the term it ran.
    assert shown[("2025H", "participation.ukm_workshops", "")][NUM] == 1
    assert shown[("2026V", "participation.ukm_workshops", "")][MISSING] == NO_RECORDS


def test_cross_service_needs_two_services_that_record_people(shown):
    assert shown[("2025V", "cross_service", "")][MISSING] == NOT_MEASURED
    assert shown[("2025H", "cross_service", "")][MISSING] == ""
    assert shown[("2025H", "cross_service", "")][NUM] == 0


def test_platform_withdrawals_are_never_dropout(shown):
    term = Term.parse("2026V")
    before = term.previous()
    cohort = [
        (ref, end, reason, platform)
        for ref, _y, start, end, reason, platform in PUPILS
        if _active(start, end, before)
    ]
    counted = [c for c in cohort if not c[3]]
    left = [c for c in counted if not _active(D(2000, 1, 1), c[1], term)]
    cell = shown[(str(term), "dropout.kulturskole", "")]
    # p2 (withdrawn by the platform) is out; p3 and p4 (unknown, on a day of their own) count.
    assert (cell[NUM], cell[DEN]) == (len(left), len(counted)) == (2, 3)
    # Leavers by reason name it for what it was, not "unknown".
    assert shown[(str(term), "leavers.kulturskole", "end_reason=ended_by_platform")][NUM] == 1
    assert shown[(str(term), "leavers.kulturskole", "end_reason=unknown")][NUM] == 1


def test_governance_counts_held_meetings_only_as_the_resource_group_page(shown, town):
    held = [m for m in MEETINGS if m[0] < NOW and Term.containing(m[0].date()) == TERMS[-1]]
    cell = shown[("2026V", "governance.meetings_with_youth", "")]
    assert (cell[NUM], cell[DEN]) == (sum(1 for m in held if m[1]), len(held)) == (1, 2)
    share = shown[("2026V", "governance.youth_share", "")]
    assert share[DEN] == sum(y + a for _s, y, a in held)
    page = resource_group_attendance(town.m, now=NOW, since=TERMS[-1].start)
    assert (page.with_youth, page.held) == (cell[NUM], cell[DEN])


def test_counts_of_proposals_and_meetings_are_not_hidden_under_five(controlled):
    cell = controlled[("2026V", "influence.answered_on_time", "")]
    on_time = sum(1 for _s, due, a in PROPOSALS if a and a.date() <= due)
    due = [p for p in PROPOSALS if p[2] is not None or p[1] < NOW.date()]
    assert len(due) == 2 and cell[DEN] == len(due)
    assert not cell[SUPPRESSED] and cell[VALUE] == round(100 * on_time / len(due), 1)
    meetings = controlled[("2026V", "governance.meetings_with_youth", "")]
    assert not meetings[SUPPRESSED] and meetings[VALUE] == 50.0
    # People are still hidden: four present at held meetings, one first-time visitor.
    assert controlled[("2026V", "governance.youth_share", "")][SUPPRESSED]
    assert controlled[("2026V", "club.first_time_visitors", "")][SUPPRESSED]
    assert not controlled[("2025H", "club.first_time_visitors", "")][SUPPRESSED]


def test_no_change_is_computed_across_a_term_without_data(town, settings):
    settings.UNGKULTUR_DISCLOSURE_MIN_N = 1
    indicators_refresh(municipality=town.m, terms=TERMS, now=NOW)
    data = dashboard_values(town.m, TERMS)
    autumn, spring = TERMS[1], TERMS[2]
    # Club visits per 1000: 2025H is half a year, so 2026V has no change from it.
    assert data.get("club.visits_per_1000", autumn).missing == PARTIAL_YEAR
    assert data.change("club.visits_per_1000", spring) is None
    # UKM: no festival in 2025H; the spring figures have no change and the trend skips it.
    assert data.change("participation.ukm", spring) is None
    assert [str(t) for t, _v in data.trend("participation.ukm")] == ["2025V", "2026V"]
    # Kulturskole participation was measured in both: a change.
    assert data.change("participation.kulturskole", spring) is not None
    stored = IndicatorValue.objects.get(
        municipality=town.m, term="2025H", key="participation.ukm", breakdown=""
    )
    assert stored.value is None and stored.missing == NO_RECORDS
    assert missing_reason_label(stored.missing) and missing_reason_label("") == ""
    # The research data says why as well.
    from ungkultur.indicators.research import values_frame

    frame = values_frame(Term.parse("2025H")).to_dicts()
    row = next(r for r in frame if r["key"] == "participation.ukm" and r["breakdown"] == "")
    assert row["missing"] == NO_RECORDS and row["value"] is None


def test_names_are_translated_when_shown_not_when_imported():
    """A per-service name is looked up in the catalogue each time it is shown (it was built in
    bokmål once, at import, and stayed so in English)."""
    from unittest import mock

    name = BY_KEY["participation.kulturskole"].name
    assert str(name) == "Deltakelse i kulturskolen, 6–15 år"
    with mock.patch("ungkultur.indicators.definitions.gettext", side_effect=lambda t: "EN " + t):
        assert str(name) == "EN Deltakelse i kulturskolen, 6–15 år"
        assert str(BY_KEY["retention.club"].name).startswith("EN Fortsatte i")
    assert str(BY_KEY["participation.all"].name) == "Deltakelse i minst ett av tilbudene, 13–19 år"


def test_the_dashboard_writes_no_data_and_no_change_for_a_missing_figure():
    from ungkultur.indicators import dashboard as board

    measured = IndicatorValue(term="2026V", key="reach", value=12.5, n=50)
    missing = IndicatorValue(term="2025H", key="reach", value=None, missing=NO_RECORDS)
    assert board.format_cell(missing, "percent").text == "ingen data"
    assert board.format_cell(measured, "percent").text == "12,5\u00a0%"
    assert board.format_change(measured, missing, "percent") == "ingen endring: mangler data"
