"""Two engines that compute the same raw counts (DESIGN.md §4), and what they share.

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
- gender '' counts as "unknown"; a participant without birth year is left out of age bands.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from ungkultur.indicators.definitions import BY_KEY, DAYS, value_of
from ungkultur.lib.disclosure import suppress, suppress_total

# Population sex codes (SSB) of the genders people report.
SEX_OF_GENDER = {"male": 1, "female": 2}
UNKNOWN_GENDER = "unknown"


@dataclass(frozen=True)
class Value:
    numerator: float | None
    denominator: float | None
    value: float | None
    n: int
    suppressed: bool


def rests_on(key: str, numerator, denominator) -> int:
    """The number of people (or items) a figure rests on, for disclosure control."""
    indicator = BY_KEY[key]
    if indicator.unit == DAYS or indicator.rests_on == "denominator":
        return int(denominator or 0)
    return int(numerator or 0)


def finalise(raw: dict, *, min_n: int | None = None) -> dict:
    """Published values from raw cells: primary suppression of every figure resting on 1 to
    n − 1 people, and secondary suppression within each breakdown dimension whose total is
    shown, so that no hidden cell can be worked out by subtraction (lib/disclosure)."""
    min_n = settings.UNGKULTUR_DISCLOSURE_MIN_N if min_n is None else min_n
    groups: dict = defaultdict(dict)
    for (municipality, term, key, breakdown), (num, den) in raw.items():
        dimension = breakdown.partition("=")[0]
        groups[(municipality, term, key, dimension)][breakdown] = rests_on(key, num, den)
    hidden = set()
    for (municipality, term, key, dimension), counts in groups.items():
        if dimension == "":
            if suppress_total(counts[""], n=min_n) is None:
                hidden.add((municipality, term, key, ""))
            continue
        for breakdown, shown in suppress(counts, n=min_n).items():
            if shown is None:
                hidden.add((municipality, term, key, breakdown))
    result = {}
    for cell, (num, den) in raw.items():
        n = rests_on(cell[2], num, den)
        if cell in hidden:
            result[cell] = Value(None, None, None, 0, True)
        else:
            value = value_of(BY_KEY[cell[2]], num, den)
            result[cell] = Value(num, den, value, n, False)
    return result
