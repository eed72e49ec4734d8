"""Reads the dashboards need beside ``selectors``: the terms that have figures, targets and
their progress, and the national comparison. Every function runs a fixed number of queries."""

import statistics
from dataclasses import dataclass

from django.db.models import Q

from ungkultur.indicators.definitions import BY_KEY, Indicator
from ungkultur.indicators.models import GoalTarget, IndicatorRun, IndicatorValue
from ungkultur.indicators.selectors import national_values
from ungkultur.lib.terms import Term, term_range
from ungkultur.municipalities.models import Municipality
from ungkultur.planning.models import Goal

# Enough runs to cover every term that has figures, also when the latest runs were small
# refreshes of the current term only.
RUNS_LOOKED_AT = 20


def recent_runs(municipality=None) -> list[IndicatorRun]:
    """The latest computations, newest first: those that covered the municipality (alone or
    with all), or any when ``municipality`` is None. One query."""
    runs = IndicatorRun.objects.order_by("-computed_at")
    if municipality is not None:
        runs = runs.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
    return list(runs[:RUNS_LOOKED_AT])


def latest_run_at():
    """When any municipality's figures were last computed (None before the first). One query."""
    return (
        IndicatorRun.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    )


def terms_of(runs: list[IndicatorRun]) -> list[Term]:
    """Every term the runs computed, newest first."""
    terms = {
        term
        for run in runs
        for term in term_range(Term.parse(run.first_term), Term.parse(run.last_term))
    }
    return sorted(terms, key=lambda t: t.index, reverse=True)


def municipality_delmal(municipality):
    """The delmål a municipality can set targets on: its own and the national ones."""
    return Goal.objects.filter(
        Q(municipality=municipality) | Q(municipality__isnull=True), level=Goal.Level.SUB
    ).order_by("municipality", "title")


@dataclass
class TargetProgress:
    target: GoalTarget
    indicator: Indicator
    baseline: IndicatorValue | None
    baseline_term: str | None
    current: IndicatorValue | None
    current_term: str | None

    @property
    def share(self) -> int | None:
        """How far from the baseline toward the target, in whole percent (0–100)."""
        if self.baseline is None or self.current is None:
            return None
        start, now, goal = self.baseline.value, self.current.value, self.target.target_value
        if None in (start, now) or goal == start:
            return None
        return max(0, min(100, round(100 * (now - start) / (goal - start))))

    @property
    def away(self) -> bool:
        """Whether the figure has moved away from the target since the baseline (the share then
        reads 0 %, which would hide the direction)."""
        if self.baseline is None or self.current is None:
            return False
        start, now, goal = self.baseline.value, self.current.value, self.target.target_value
        if None in (start, now) or goal == start:
            return False
        return (now - start) * (goal - start) < 0


def targets_with_progress(municipality, *, terms: list[Term]) -> list[TargetProgress]:
    """Each target of the municipality with the figure of the earliest and the latest of
    ``terms`` that has one (hidden figures count as none). Two queries."""
    targets = list(GoalTarget.objects.filter(municipality=municipality).select_related("goal"))
    if not targets:
        return []
    order = [str(t) for t in terms]
    values = IndicatorValue.objects.filter(
        municipality=municipality,
        key__in={t.key for t in targets},
        term__in=order,
        breakdown="",
        suppressed=False,
        missing="",
        value__isnull=False,
    )
    by_key: dict[str, dict[str, IndicatorValue]] = {}
    for value in values:
        by_key.setdefault(value.key, {})[value.term] = value
    result = []
    for target in targets:
        found = [t for t in order if t in by_key.get(target.key, {})]
        first, last = (found[0], found[-1]) if found else (None, None)
        cells = by_key.get(target.key, {})
        result.append(
            TargetProgress(
                target=target,
                indicator=BY_KEY[target.key],
                baseline=cells.get(first) if first != last else None,
                baseline_term=first if first != last else None,
                current=cells.get(last),
                current_term=last,
            )
        )
    return result


@dataclass
class Comparison:
    indicator: Indicator
    term: Term
    terms: list[Term]
    municipalities: list[Municipality]
    compare: Municipality | None
    values: dict  # {municipality_id: {(key, term): IndicatorValue}}

    def cell(self, municipality, term):
        return self.values.get(municipality.pk, {}).get((self.indicator.key, str(term)))

    def kk_median(self, term) -> float | None:
        """The median of the shown figures of the KK municipalities (hidden ones left out)."""
        shown = [
            cell.value
            for m in self.municipalities
            if m.kk_active
            and (cell := self.cell(m, term)) is not None
            and not cell.suppressed
            and cell.value is not None
        ]
        return round(statistics.median(shown), 1) if shown else None


def national_comparison(*, term: Term, terms: list[Term], key: str, compare=None) -> Comparison:
    """Every KK municipality (and ``compare``, outside KK) for one indicator over ``terms``
    and the term before them. Two queries."""
    municipalities = list(Municipality.objects.filter(kk_active=True).order_by("name"))
    if compare is not None and compare.pk not in {m.pk for m in municipalities}:
        extra = [compare]
    else:
        extra, compare = [], None
    wanted = [terms[0].previous(), *terms]
    values = national_values(wanted, [key])
    return Comparison(BY_KEY[key], term, terms, municipalities + extra, compare, values)


# The KK median is shown only when at least this many KK municipalities have a figure, so that
# it is an aggregate: with two, the median and one's own figure would give the other's.
KK_MEDIAN_MIN_MUNICIPALITIES = 3


def kk_medians(*, terms: list[Term], keys: list[str], municipality=None) -> dict:
    """{(key, term): (median, the other KK municipalities with a figure, how many of those are
    below ``municipality``'s figure)} over the KK municipalities' published totals (hidden and
    missing figures left out), or (None, count, 0) when fewer than
    KK_MEDIAN_MIN_MUNICIPALITIES have one. Only aggregates leave this function. One query."""
    rows = IndicatorValue.objects.filter(
        municipality__kk_active=True,
        term__in=[str(t) for t in terms],
        key__in=keys,
        breakdown="",
        suppressed=False,
        missing="",
        value__isnull=False,
    ).values_list("municipality_id", "key", "term", "value")
    shown: dict[tuple[str, str], dict[int, float]] = {}
    for municipality_id, key, term, value in rows:
        shown.setdefault((key, term), {})[municipality_id] = value
    result = {}
    for cell, values in shown.items():
        if len(values) < KK_MEDIAN_MIN_MUNICIPALITIES:
            result[cell] = (None, len(values), 0)
            continue
        own = values.get(municipality.pk) if municipality is not None else None
        others = len(values) - (own is not None)
        below = 0 if own is None else sum(1 for v in values.values() if v < own)
        result[cell] = (round(statistics.median(values.values()), 1), others, below)
    return result
