"""Reads of the stored indicator values: what a dashboard, an export and the API show.

Stored values are already disclosure-controlled: a suppressed cell has value, numerator and
denominator None, so nothing here can leak a small number.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ungkultur.indicators.definitions import BY_KEY, INDICATORS, Indicator
from ungkultur.indicators.models import IndicatorRun, IndicatorValue
from ungkultur.lib.terms import Term


@dataclass
class DashboardData:
    """The figures of one municipality for some terms, looked up by key, term and breakdown."""

    municipality: object
    terms: list[Term]
    computed_at: object = None
    cells: dict[tuple[str, str, str], IndicatorValue] = field(default_factory=dict)

    def get(self, key: str, term: Term | str, breakdown: str = "") -> IndicatorValue | None:
        return self.cells.get((key, str(term), breakdown))

    def value(self, key: str, term: Term | str, breakdown: str = ""):
        cell = self.get(key, term, breakdown)
        return None if cell is None else cell.value

    def series(self, key: str, breakdown: str = "") -> list[tuple[Term, IndicatorValue | None]]:
        """The figure over the terms, oldest first (None where nothing was computed)."""
        return [(term, self.get(key, term, breakdown)) for term in self.terms]

    def breakdown(self, key: str, term: Term | str, dimension: str) -> list[IndicatorValue]:
        """The cells of one dimension (e.g. "gender"), in stored order."""
        prefix = f"{dimension}="
        return [
            cell
            for (k, t, b), cell in self.cells.items()
            if k == key and t == str(term) and b.startswith(prefix)
        ]

    def measured(self, key: str, term: Term | str, breakdown: str = "") -> bool:
        """Whether the figure was measured in the term (stored and not ``missing``)."""
        cell = self.get(key, term, breakdown)
        return cell is not None and not cell.missing

    def change(self, key: str, term: Term, breakdown: str = ""):
        """Change since the previous term; None when either is hidden, not computed or
        missing (no data is not zero: no change is computed across a term without data)."""
        return change_between(
            self.get(key, term, breakdown), self.get(key, term.previous(), breakdown)
        )

    def trend(self, key: str, breakdown: str = "") -> list[tuple[Term, float]]:
        """The published values over the terms, oldest first, leaving out terms without a
        value (missing, hidden or not computed): a trend never runs through them as zero."""
        return [
            (term, cell.value)
            for term, cell in self.series(key, breakdown)
            if cell is not None and not cell.missing and cell.value is not None
        ]

    def indicators(self) -> list[Indicator]:
        return INDICATORS


def change_between(now, before):
    """The change from ``before`` to ``now`` (IndicatorValue or None), one decimal; None when
    either is absent, hidden, not computed or missing: no change across a term without data."""
    for cell in (now, before):
        if cell is None or cell.missing or cell.suppressed or cell.value is None:
            return None
    return round(now.value - before.value, 1)


def last_run(municipality) -> IndicatorRun | None:
    """The latest computation that covered this municipality (alone or with all)."""
    return (
        IndicatorRun.objects.filter(Q(municipality=municipality) | Q(municipality__isnull=True))
        .order_by("-computed_at")
        .first()
    )


def dashboard_values(
    municipality, terms: list[Term], keys: list[str] | None = None
) -> DashboardData:
    """Every stored figure of a municipality for ``terms`` (and the term before the first, so
    that the first term's change can be shown). Two queries."""
    wanted = [*{str(t.previous()) for t in terms[:1]}, *(str(t) for t in terms)]
    rows = IndicatorValue.objects.filter(municipality=municipality, term__in=wanted)
    if keys is not None:
        rows = rows.filter(key__in=keys)
    run = last_run(municipality)
    data = DashboardData(
        municipality=municipality, terms=terms, computed_at=run.computed_at if run else None
    )
    data.cells = {(row.key, row.term, row.breakdown): row for row in rows}
    return data


def national_values(terms: list[Term], keys: list[str], breakdown: str = "") -> dict:
    """{municipality_id: {(key, term): IndicatorValue}} for the national view, one query."""
    rows = IndicatorValue.objects.filter(
        term__in=[str(t) for t in terms], key__in=keys, breakdown=breakdown
    )
    result: dict = defaultdict(dict)
    for row in rows:
        result[row.municipality_id][(row.key, row.term)] = row
    return dict(result)


def _number(value):
    """Counts stored as floats read as whole numbers (6, not 6.0)."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def row_as_dict(row: IndicatorValue) -> dict:
    indicator = BY_KEY.get(row.key)
    return {
        "key": row.key,
        "name": str(indicator.name) if indicator else row.key,
        "unit": indicator.unit if indicator else "",
        "breakdown": row.breakdown,
        "value": row.value,
        "numerator": _number(row.numerator),
        "denominator": _number(row.denominator),
        "suppressed": row.suppressed,
        "missing": row.missing,
    }


def indicator_report(municipality, term: Term) -> dict:
    """Every stored figure of one municipality and term: what the command, the API and the
    downloads give, so that they give the same numbers. Two queries."""
    rows = IndicatorValue.objects.filter(municipality=municipality, term=str(term)).order_by(
        "key", "breakdown"
    )
    run = last_run(municipality)
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "term": str(term),
        "computed_at": run.computed_at.isoformat() if run else None,
        "indicators": [row_as_dict(row) for row in rows],
    }
