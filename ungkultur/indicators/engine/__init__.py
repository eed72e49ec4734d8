"""Two engines that compute the same raw counts (docs/indicators.md), and what they share.

- ``orm``: one municipality at a time, reading its rows through the ORM and counting in plain
  Python, as literally as the definitions read. Used by the refresh task and the command.
- ``duck``: every municipality at once in DuckDB, over the operational tables read into Arrow.
  Used for national runs and the benchmark.

Both return raw cells ``{(municipality_id, term, key, breakdown): (numerator, denominator)}``.
``finalise`` turns raw cells into published values with disclosure control, the same way for
both, so a test can compare the engines cell by cell.

Conventions both engines follow:
- a breakdown cell exists only for a category that occurs among the people (or items) counted;
  every total exists for every municipality, term and indicator;
- medians (unit ``days``) put the median in the numerator and the number of items it rests on
  in the denominator;
- gender '' counts as "unknown"; a participant without birth year is left out of age bands;
- besides the indicators, both give "source cells" (key ``source.<what>``, total only): how
  much each source recorded in the term (people enrolled per service, in the term and the one
  before; club evenings, in the term and the one before; UKM entries). ``finalise`` reads them
  to tell a figure with no data from a zero (``gaps``), and publishes none of them.
"""

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings

from ungkultur.indicators.definitions import (
    BAND_INDICATORS,
    BY_KEY,
    DAYS,
    NO_POPULATION,
    NO_RECORDS,
    NOT_MEASURED,
    PARTIAL_YEAR,
    SCALES,
    SERVICES,
    UKM_PARTICIPATION,
    round1,
)
from ungkultur.lib.disclosure import suppress, suppress_total

# Population sex codes (SSB) of the genders people report.
SEX_OF_GENDER = {"male": 1, "female": 2}
UNKNOWN_GENDER = "unknown"


class Value(NamedTuple):
    numerator: float | None
    denominator: float | None
    value: float | None
    n: int
    suppressed: bool
    missing: str = ""


HIDDEN = Value(None, None, None, 0, True)

SOURCE = "source."


def is_source(key: str) -> bool:
    return key.startswith(SOURCE)


def gaps(recorded: dict[str, float]) -> dict[str, str]:
    """{indicator key: reason} of the figures with no data in one municipality and term, from
    what the sources recorded there ({source cell key without "source.": count}). A figure
    with no data is not a zero: no source to count from, or a service that does not record it
    (clubs without member lists). Breakdown cells follow their total."""
    found: dict[str, str] = {}
    enrolled = {s: recorded.get(f"enrolled.{s}", 0) for s in SERVICES}
    before = {s: recorded.get(f"enrolled_before.{s}", 0) for s in SERVICES}
    for service in SERVICES:
        # Clubs are drop-in: one with no members on record has not measured participation.
        absent = NOT_MEASURED if service == "club" else NO_RECORDS
        if not enrolled[service]:
            for indicator in BAND_INDICATORS:
                if indicator.service == service:
                    found[indicator.key] = absent
        if not before[service]:
            for key in ("retention", "dropout", "leavers"):
                found[f"{key}.{service}"] = absent
    services_recorded = sum(1 for count in enrolled.values() if count)
    if not services_recorded:
        for indicator in BAND_INDICATORS:
            if indicator.service == "all":
                found[indicator.key] = NO_RECORDS
    if services_recorded < 2:
        found["cross_service"] = NOT_MEASURED if services_recorded else NO_RECORDS
    evenings, evenings_before = (
        recorded.get("club_evenings", 0),
        recorded.get("club_evenings_before", 0),
    )
    if not evenings:
        for key in ("club.visits", "club.first_time_visitors", "club.visits_per_evening"):
            found[key] = NO_RECORDS
    if not evenings and not evenings_before:
        found["club.visits_per_1000"] = NO_RECORDS
    elif not evenings or not evenings_before:
        found["club.visits_per_1000"] = PARTIAL_YEAR
    if not recorded.get("ukm_entries", 0):
        for key in (UKM_PARTICIPATION, "ukm.participants_per_1000", "ukm.working_with"):
            found[key] = NO_RECORDS
        found["ukm.entries"] = NO_RECORDS
    return found


def derived_gap(scale, days: bool, denominator) -> str:
    """The reason a total has no value when the sources did record something: a rate with no
    population to divide by, or a share or median of nothing."""
    if scale is not None and denominator is None:
        return NO_POPULATION
    if (scale is not None or days) and denominator == 0:
        return NO_RECORDS
    return ""


def rests_on(key: str, numerator, denominator) -> int:
    """The number of people (or items) a figure rests on, for disclosure control."""
    indicator = BY_KEY[key]
    if indicator.unit == DAYS or indicator.rests_on == "denominator":
        return int(denominator or 0)
    return int(numerator or 0)


def finalise(raw: dict, *, min_n: int | None = None) -> dict:
    """Published values from raw cells: primary suppression of every figure resting on 1 to
    n − 1 people, and secondary suppression within each breakdown dimension (lib/disclosure),
    so that no hidden cell can be worked out by subtraction from the total. duck.FINALISE does
    the same in SQL for the national run (tests/test_engines.py compares them)."""
    min_n = settings.UNGKULTUR_DISCLOSURE_MIN_N if min_n is None else min_n
    info = {
        i.key: (
            i.unit == DAYS or i.rests_on == "denominator",
            SCALES.get(i.unit),
            i.unit == DAYS,
            i.counts_people,
        )
        for i in BY_KEY.values()
    }
    recorded: dict = defaultdict(dict)
    for cell, (num, _den) in raw.items():
        if is_source(cell[2]):
            recorded[cell[:2]][cell[2].removeprefix(SOURCE)] = num or 0
    missing_of = {where: gaps(counts) for where, counts in recorded.items()}
    result = {}
    small = set()
    for cell, (num, den) in raw.items():
        if is_source(cell[2]):
            continue
        on_denominator, scale, days, people = info[cell[2]]
        n = den if on_denominator else num
        n = int(n) if n else 0
        if people and 0 < n < min_n:
            small.add(cell[:3])
        missing = missing_of.get(cell[:2], {}).get(cell[2], "")
        if not missing and cell[3] == "":
            missing = derived_gap(scale, days, den)
        if missing:
            value = None
        elif scale is None:
            value = None if num is None else round1(float(num))
        else:
            value = round1(scale * num / den) if den else None
        result[cell] = Value(num, den, value, n, False, missing)
    if small:
        groups: dict = defaultdict(dict)
        for cell, value in result.items():
            if cell[:3] in small:
                groups[(*cell[:3], cell[3].partition("=")[0])][cell[3]] = value.n
        for (*head, dimension), counts in groups.items():
            if dimension == "":
                shown = {b: suppress_total(n, n=min_n) for b, n in counts.items()}
            else:
                shown = suppress(counts, n=min_n)
            for breakdown, count in shown.items():
                if count is None:
                    cell = (*head, breakdown)
                    result[cell] = HIDDEN._replace(missing=result[cell].missing)
    return result
