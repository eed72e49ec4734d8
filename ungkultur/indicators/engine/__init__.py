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
- gender '' counts as "unknown"; a participant without birth year is left out of age bands.
"""

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings

from ungkultur.indicators.definitions import BY_KEY, DAYS, SCALES, round1
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


HIDDEN = Value(None, None, None, 0, True)


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
        i.key: (i.unit == DAYS or i.rests_on == "denominator", SCALES.get(i.unit))
        for i in BY_KEY.values()
    }
    result = {}
    small = set()
    for cell, (num, den) in raw.items():
        on_denominator, scale = info[cell[2]]
        n = den if on_denominator else num
        n = int(n) if n else 0
        if 0 < n < min_n:
            small.add(cell[:3])
        if scale is None:
            value = None if num is None else round1(float(num))
        else:
            value = round1(scale * num / den) if den else None
        result[cell] = Value(num, den, value, n, False)
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
                    result[(*head, breakdown)] = HIDDEN
    return result
