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
from ungkultur.lib.terms import Term, terms_before
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


def indicators_compute(*, municipality: Municipality, terms: list[Term], now=None) -> dict:
    """Published values {(municipality_id, term, key, breakdown): Value} of one municipality
    through the ORM engine, not stored."""
    return finalise(orm.compute(municipality, terms, now=now))


def indicators_refresh(
    *, municipality: Municipality | None = None, terms: list[Term] | None = None, now
) -> IndicatorRun:
    """Compute and store every indicator for one municipality (or all) and the terms (by
    default ``default_terms``), replacing what was stored for them, and record the run."""
    terms = terms or default_terms(now)
    started = time.monotonic()
    # Computed before the transaction, which holds the database's one writer on SQLite: only
    # the replacing waits for other writers, and they for it. A change committed meanwhile
    # enqueues another refresh (signals.py).
    if municipality is not None:
        values = indicators_compute(municipality=municipality, terms=terms, now=now)
    else:
        # Every municipality at once: DuckDB computes and suppresses, COPY stores.
        table = duck.published(duck.load(), terms, now=now)
    with transaction.atomic():
        # Two refreshes of the same rows wait for each other here (PostgreSQL; SQLite's one
        # writer does it already): otherwise the second's delete, blocked by the first, finds
        # nothing once the first commits and its insert meets the first's rows. Locked in key
        # order, so one municipality's refresh and everyone's cannot deadlock.
        locked = Municipality.objects.order_by("pk").select_for_update()
        if municipality is not None:
            locked = locked.filter(pk=municipality.pk)
        list(locked.values_list("pk", flat=True))
        stored = IndicatorValue.objects.filter(term__in=[str(t) for t in terms])
        writer = Writer()
        if municipality is not None:
            stored.filter(municipality=municipality).delete()
            writer.write(
                IndicatorValue,
                ["municipality_id", "term", "key", "breakdown", "numerator", "denominator"]
                + ["value", "n", "suppressed", "missing"],
                ((*cell, *value) for cell, value in values.items()),
            )
            ids = [municipality.pk]
        else:
            stored.delete()
            writer.write_arrow(IndicatorValue, table)
            ids = table.column("municipality_id").unique().to_pylist()
        run = IndicatorRun.objects.create(
            municipality=municipality,
            computed_at=now,
            first_term=str(terms[0]),
            last_term=str(terms[-1]),
            engine="sql" if municipality is not None else "duckdb",
            seconds=round(time.monotonic() - started, 3),
        )
        transaction.on_commit(
            lambda: cache.set_many({computed_key(m): now.isoformat() for m in ids}, timeout=None)
        )
    return run
