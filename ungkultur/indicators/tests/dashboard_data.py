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
