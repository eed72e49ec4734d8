"""Stored indicator values for the dashboard tests: what the engine would have written.

The dashboards only read stored values, so these tests write them directly; the engine's own
tests prove the numbers.
"""

import datetime

from ungkultur.indicators.models import IndicatorRun, IndicatorValue

COMPUTED_AT = datetime.datetime(2025, 6, 1, 12, 0, tzinfo=datetime.UTC)  # 14:00 in Oslo


def put(municipality, term, key, value, numerator=None, denominator=None, breakdown=""):
    return IndicatorValue.objects.create(
        municipality=municipality,
        term=term,
        key=key,
        breakdown=breakdown,
        value=value,
        numerator=numerator,
        denominator=denominator,
        n=int(numerator or 0),
    )


def hide(municipality, term, key, breakdown="", n=3):
    """A figure resting on fewer than n people: stored without value or counts."""
    return IndicatorValue.objects.create(
        municipality=municipality, term=term, key=key, breakdown=breakdown, n=n, suppressed=True
    )


def run(computed_at=COMPUTED_AT, first="2024V", last="2025V", municipality=None):
    return IndicatorRun.objects.create(
        municipality=municipality,
        computed_at=computed_at,
        first_term=first,
        last_term=last,
        engine="sql",
    )


def arendal_values(arendal):
    """A few figures of every kind: a rate with its change, a hidden figure, breakdowns."""
    put(arendal, "2024H", "participation.all", 20.0, 100, 500)
    put(arendal, "2025V", "participation.all", 23.4, 117, 500)
    put(arendal, "2024H", "dropout.kulturskole", 12.5, 5, 40)
    hide(arendal, "2025V", "dropout.kulturskole")
    put(arendal, "2025V", "dropout.kulturskole", 10.0, 6, 60, breakdown="gender=female")
    hide(arendal, "2025V", "dropout.kulturskole", breakdown="gender=male")
    put(arendal, "2025V", "leavers.kulturskole", 6, breakdown="end_reason=moved")
    put(arendal, "2025V", "ukm.entries", 12, breakdown="type=music")
    put(arendal, "2025V", "waiting_days", 14.5)
    run()


def every_value(municipality, *, terms=("2023V", "2023H", "2024V", "2024H", "2025V"), seed=0):
    """A plausible figure for every indicator and term, with breakdowns, and a few hidden."""
    from ungkultur.indicators.dashboard import CATEGORY_CHOICES
    from ungkultur.indicators.definitions import (
        AGE,
        COUNT,
        DAYS,
        GENDER,
        INDICATORS,
        PER_1000,
        PER_EVENING,
    )

    rows = []
    for t, term in enumerate(terms):
        for i, indicator in enumerate(INDICATORS):
            base = {COUNT: 40, DAYS: 21, PER_1000: 180, PER_EVENING: 24}.get(indicator.unit, 30)
            value = round(base * (1 + 0.04 * t) + (i * 7 + seed) % 9, 1)
            rows.append(_row(municipality, term, indicator.key, "", value))
            for dimension in indicator.breakdowns:
                codes = [str(a) for a in range(13, 20)] if dimension == AGE else None
                if codes is None and dimension == GENDER:
                    codes = ["female", "male", "other"]
                if codes is None:
                    codes = [code for code, _label in CATEGORY_CHOICES[dimension]]
                for j, code in enumerate(codes[:6]):
                    hidden = (j + t + i) % 7 == 3
                    rows.append(
                        _row(
                            municipality,
                            term,
                            indicator.key,
                            f"{dimension}={code}",
                            None if hidden else round(value * (0.6 + 0.15 * j), 1),
                            hidden,
                        )
                    )
    IndicatorValue.objects.bulk_create(rows, ignore_conflicts=True)


def _row(municipality, term, key, breakdown, value, hidden=False):
    return IndicatorValue(
        municipality=municipality,
        term=term,
        key=key,
        breakdown=breakdown,
        value=value,
        numerator=None if hidden else round((value or 0) * 5),
        denominator=None if hidden else 500,
        n=3 if hidden else 50,
        suppressed=hidden,
    )
