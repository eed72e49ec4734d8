"""Computing indicators and storing the published (disclosure-controlled) values."""

import datetime
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ungkultur.indicators.bulk import Writer
from ungkultur.indicators.engine import duck, finalise, orm
from ungkultur.indicators.models import IndicatorRun, IndicatorValue
from ungkultur.indicators.terms import Term, terms_before
from ungkultur.municipalities.models import Municipality


def default_terms(now: datetime.datetime) -> list[Term]:
    """The current term and the ones before it (UNGKULTUR_INDICATOR_TERMS in all)."""
    return terms_before(
        Term.containing(timezone.localdate(now)), settings.UNGKULTUR_INDICATOR_TERMS
    )


def computed_key(municipality_id: int) -> str:
    """Cache key holding when a municipality's figures were last stored: part of any cache key
    of a page built from them, so that a new computation shows at once."""
    return f"indicators:computed:{municipality_id}"


def indicators_compute(*, municipality: Municipality | None = None, terms: list[Term]) -> dict:
    """Published values {(municipality_id, term, key, breakdown): Value}, not stored.

    One municipality goes through the ORM engine, all of them through DuckDB."""
    if municipality is not None:
        raw = orm.compute(municipality, terms)
    else:
        raw = duck.compute(duck.load(), terms)
    return finalise(raw)


@transaction.atomic
def indicators_refresh(
    *, municipality: Municipality | None = None, terms: list[Term] | None = None, now
) -> IndicatorRun:
    """Compute and store every indicator for one municipality (or all) and the terms (by
    default ``default_terms``), replacing what was stored for them, and record the run."""
    terms = terms or default_terms(now)
    started = time.monotonic()
    values = indicators_compute(municipality=municipality, terms=terms)
    stored = IndicatorValue.objects.filter(term__in=[str(t) for t in terms])
    if municipality is not None:
        stored = stored.filter(municipality=municipality)
    stored.delete()
    # A national run stores some 300,000 values: COPY on PostgreSQL rather than INSERTs.
    Writer().write(
        IndicatorValue,
        [
            "municipality_id",
            "term",
            "key",
            "breakdown",
            "numerator",
            "denominator",
            "value",
            "n",
            "suppressed",
        ],
        ((*cell, *value[:4], value.suppressed) for cell, value in values.items()),
    )
    run = IndicatorRun.objects.create(
        municipality=municipality,
        computed_at=now,
        first_term=str(terms[0]),
        last_term=str(terms[-1]),
        engine="sql" if municipality is not None else "duckdb",
        seconds=round(time.monotonic() - started, 3),
    )
    ids = [municipality.pk] if municipality else {cell[0] for cell in values}
    transaction.on_commit(
        lambda: cache.set_many({computed_key(m): now.isoformat() for m in ids}, timeout=None)
    )
    return run
