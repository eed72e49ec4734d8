"""Demo data for indicators: the pilots' figures, computed from the demo enrolments, club
evenings, UKM entries, proposals and meetings that the other seeds made."""

import datetime
import zoneinfo

from ungkultur.indicators.models import IndicatorRun
from ungkultur.indicators.services import default_terms, indicators_refresh

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def seed_indicators(*, municipalities: list, today: datetime.date) -> None:
    """Compute and store every indicator of the pilots for the last ten terms (idempotent:
    a pilot already computed for this day is left alone)."""
    now = datetime.datetime.combine(today, datetime.time(6), tzinfo=OSLO)
    for municipality in municipalities:
        if IndicatorRun.objects.filter(municipality=municipality, computed_at=now).exists():
            continue
        indicators_refresh(municipality=municipality, terms=default_terms(now), now=now)
