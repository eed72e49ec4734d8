"""Each indicator computed by hand on the tricky data of tests/data.py (read its docstring).

The per-municipality engine is checked here; test_engines proves the national one equal.
"""

import pytest

from ungkultur.indicators.engine import orm
from ungkultur.indicators.tests.data import build
from ungkultur.lib.terms import Term, term_range

AUTUMN, SPRING, NEXT_AUTUMN = "2023H", "2024V", "2024H"


@pytest.fixture
def cells(db):
    k = build()
    raw = orm.compute(k.kongsberg, term_range(Term.parse(AUTUMN), Term.parse(NEXT_AUTUMN)))
    return {(term, key, breakdown): value for (_m, term, key, breakdown), value in raw.items()}


def test_population_under_the_number_valid_on_1_january(cells):
    # 2023: 3006 (100 a cell), not the 999 stored under 3303; 2024: 3303 (110 a cell).
    assert cells[(AUTUMN, "participation.kulturskole", "")][1] == 100 * 2 * 10
    assert cells[(SPRING, "participation.kulturskole", "")][1] == 110 * 2 * 10


def test_participation_counts_active_people_in_the_age_band(cells):
    # 2023H kulturskole 6–15: a b d e f g w2 w3 (c is 18; i has no birth year).
    assert cells[(AUTUMN, "participation.kulturskole", "")] == (8, 2000)
    assert cells[(AUTUMN, "participation.kulturskole_6_19", "")] == (9, 2800)
    # By gender against the population of that sex; other genders have no population.
    assert cells[(AUTUMN, "participation.kulturskole", "gender=male")] == (3, 1000)
    assert cells[(AUTUMN, "participation.kulturskole", "gender=unknown")] == (1, None)
    # By age group: d 12, e 11, f 10, w2 12, w3 11 against the 10–12-year-olds.
    assert cells[(AUTUMN, "participation.kulturskole_6_19", "age=10-12")] == (5, 600)
    # The narrower band has no age cells: they would repeat the wider band's.
    assert not any(k[1] == "participation.kulturskole" and k[2].startswith("age=") for k in cells)
    # Age groups are cut to the band: club 10–18 has 16–18, not 16–19.
    assert cells[(SPRING, "participation.club", "age=16-18")] == (1, 3 * 2 * 110)


def test_an_enrolment_from_the_first_day_of_a_term_is_active_in_it(cells):
    # h's club place starts 1 January 2024; g's club place ends 1 March 2024.
    assert cells[(AUTUMN, "participation.club", "")] == (1, 1800)
    assert cells[(SPRING, "participation.club", "")] == (2, 1980)


def test_all_services_counts_each_person_once_and_leaves_out_partners(cells):
    # 13–19 in 2023H: a (13), b (14), c (18), g (13, in two services); the library reader is no one.
    assert cells[(AUTUMN, "participation.all", "")] == (4, 1400)
    assert cells[(AUTUMN, "reach", "")] == (9, 3000)


def test_cross_service_share(cells):
    # Ten active in 2023H (any age, also i); only g is in two services.
    assert cells[(AUTUMN, "cross_service", "")] == (1, 10)
    assert cells[(AUTUMN, "cross_service", "gender=female")] == (1, 4)


def test_retention_leaves_out_completed_aged_out_and_moved(cells):
    # Active in 2023H: a b c d e f g i w2 w3. Still active in 2024V: a d g i w2 w3.
    # c aged out and f moved: left out. b dropped out; e's latest-ending enrolment says unknown
    # (an earlier one said completed): both count as dropout. d completed and came back: retained.
    assert cells[(SPRING, "retention.kulturskole", "")] == (6, 8)
    assert cells[(SPRING, "dropout.kulturskole", "")] == (2, 8)
    assert cells[(SPRING, "dropout.kulturskole", "gender=unknown")] == (1, 1)
    # Age in the term before: a 13, b 14, g 13 make up 13–15; b dropped out.
    assert cells[(SPRING, "dropout.kulturskole", "age=13-15")] == (1, 3)
    assert cells[(SPRING, "dropout.kulturskole", "subject_area=dance")] == (2, 4)
    assert cells[(SPRING, "retention.kulturskole", "programme=core")] == (4, 5)


def test_leavers_by_the_reason_on_their_latest_enrolment(cells):
    assert cells[(SPRING, "leavers.kulturskole", "")] == (4, None)
    for reason in ("aged_out", "dropped_out", "moved", "unknown"):
        assert cells[(SPRING, "leavers.kulturskole", f"end_reason={reason}")] == (1, None)
    assert (SPRING, "leavers.kulturskole", "end_reason=completed") not in cells


def test_club_retention_across_terms(cells):
    # g (club 2023-09-01 – 2024-03-01) is active in 2023H and 2024V, gone in 2024H: dropped out.
    assert cells[(SPRING, "retention.club", "")] == (1, 1)
    assert cells[(NEXT_AUTUMN, "dropout.club", "")] == (1, 2)


def test_waiting_list_at_term_start_and_median_days(cells):
    # w1 still waiting; w2 offered in September; w3 queued 23:30 on 31 July (Oslo), offered on
    # 1 August: waiting at midnight.
    assert cells[(AUTUMN, "waiting", "")] == (3, None)
    assert cells[(SPRING, "waiting", "")] == (1, None)
    # 57 days (15 July – 10 September) and 1 day: median 29.
    assert cells[(AUTUMN, "waiting_days", "")] == (29, 2)
    assert cells[(SPRING, "waiting_days", "")] == (None, 0)


def test_club_visits(cells):
    assert cells[(AUTUMN, "club.visits_per_evening", "")] == (12, 2)
    assert cells[(AUTUMN, "club.visits_per_evening", "age_band=13_15")] == (10, 2)
    # 2024V: the 12 of 2023H and the 3 of 2024V against 6–20-year-olds on 1 January 2024.
    assert cells[(SPRING, "club.visits_per_1000", "")] == (15, 15 * 2 * 110)


def test_ukm(cells):
    # Ola (in two entries, one person), Kari 12, Siri 15 are 10–20; Per is 22.
    assert cells[(SPRING, "ukm.participants_per_1000", "")] == (3, 11 * 2 * 110)
    assert cells[(SPRING, "ukm.working_with", "")] == (2, 4)
    assert cells[(SPRING, "ukm.entries", "type=media")] == (1, None)
    assert cells[(SPRING, "ukm.entries", "")] == (2, None)


def test_youth_influence(cells):
    # Answered 23:30 on the due day is on time; 00:30 the day after is late.
    assert cells[(AUTUMN, "influence.answered_on_time", "")] == (2, 4)
    assert cells[(AUTUMN, "influence.accepted", "")] == (2, 3)
    assert cells[(AUTUMN, "influence.implemented", "")] == (1, 2)
    # 30, 31 and 20 days.
    assert cells[(AUTUMN, "influence.days_to_answer", "")] == (30, 3)


def test_youth_in_governance(cells):
    # The cancelled meeting and the resource-group meeting are left out.
    assert cells[(AUTUMN, "governance.meetings_with_youth", "")] == (1, 2)
    assert cells[(AUTUMN, "governance.youth_share", "")] == (1, 4)


def test_every_total_exists_for_every_term(cells):
    from ungkultur.indicators.definitions import INDICATORS

    for term in (AUTUMN, SPRING, NEXT_AUTUMN):
        for indicator in INDICATORS:
            assert (term, indicator.key, "") in cells
