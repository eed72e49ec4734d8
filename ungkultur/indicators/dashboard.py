"""What a dashboard shows: every indicator as a chart, a table with the same numbers, its
one-line definition and the change since the previous term.

Presentation only, over the stored values (``selectors.dashboard_values``), which the engine has
already disclosure-controlled: a suppressed cell has no value, and is written "skjult" here,
never as a number; a cell that could not be computed (nobody to divide by) is "–".
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.accounts.models import Gender
from ungkultur.catalogue.models import Offer
from ungkultur.clubs.models import ClubHeadcount
from ungkultur.enrolment.models import EndReason
from ungkultur.indicators.definitions import (
    AGE,
    AGE_BAND,
    BY_KEY,
    COUNT,
    DAYS,
    END_REASON,
    ENTRY_TYPE,
    GENDER,
    PERCENT,
    PROGRAMME,
    SERVICE,
    SERVICE_NAMES,
    SERVICES,
    SUBJECT_AREA,
    Indicator,
)
from ungkultur.indicators.engine import UNKNOWN_GENDER
from ungkultur.lib.charts import Bar, bar_chart, line_chart
from ungkultur.lib.terms import Term
from ungkultur.ukm.models import InnslagType

# The chosen term and the terms before it that a dashboard shows (three school years).
TERMS_SHOWN = 6


def hidden_text() -> str:
    # Not "under n": a figure is also hidden to protect another one (secondary suppression),
    # and the stored value keeps no count to tell which. The page says what n is.
    return _("skjult")


def _number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def format_value(value: float, unit: str) -> str:
    if unit == PERCENT:
        return f"{_number(value, 1)}\u00a0%"
    if unit == COUNT:
        return _number(value, 0 if value == int(value) else 1)
    if unit == DAYS:
        return _("%(days)s dager") % {"days": _number(value, 0 if value == int(value) else 1)}
    return _number(value, 1)


def format_cell(cell, unit: str) -> "Cell":
    """A stored value as the page writes it: the number, hidden, or not computed."""
    if cell is None:
        return Cell("–")
    if getattr(cell, "missing", ""):
        return Cell(_("ingen data"))
    if cell.suppressed:
        return Cell(hidden_text(), hidden=True)
    if cell.value is None:
        return Cell("–")
    return Cell(format_value(cell.value, unit))


def format_change(now, before, unit: str) -> str:
    """The change since the previous term, or why there is none."""
    if now is None or before is None or (now.value is None and not now.suppressed):
        return _("ingen tall fra forrige semester")
    if getattr(now, "missing", "") or getattr(before, "missing", ""):
        # No data is not zero: no change across a term without data.
        return _("ingen endring: mangler data")
    if now.suppressed or before.suppressed:
        return hidden_text()
    if before.value is None:
        return _("ingen tall fra forrige semester")
    delta = round(now.value - before.value, 1)
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if unit == PERCENT:
        return _("%(sign)s%(value)s prosentpoeng") % {"sign": sign, "value": _number(abs(delta), 1)}
    return f"{sign}{format_value(abs(delta), unit)}"


def _charted(cell) -> bool:
    """Whether a chart has a slot for it: a number or a hidden figure, not a missing one."""
    return cell is not None and (cell.suppressed or cell.value is not None)


def _shown(cell) -> float | None:
    return None if cell is None or cell.suppressed else cell.value


def _chart_unit(unit: str) -> tuple[str, int]:
    return {PERCENT: (" %", 1), COUNT: ("", 0), DAYS: ("", 0)}.get(unit, ("", 1))


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    highlight: bool = False


@dataclass
class Figure:
    """One indicator (or one breakdown of it) as the page shows it."""

    key: str
    title: str
    definition: str
    headers: Sequence[str]
    rows: Sequence[Row]
    chart: SafeString | None = None
    change: str | None = None
    # A wide figure stacks its table under the chart (many columns or long names).
    wide: bool = False


@dataclass
class Section:
    slug: str
    title: str
    figures: list[Figure]
    details: list[tuple[str, list[Figure]]] = field(default_factory=list)


def term_figure(indicator: Indicator, data, *, title: str | None = None) -> Figure:
    """An indicator over the terms shown (oldest first in the chart, newest first in the
    table), with its counts and the change since the previous term."""
    title = title or str(indicator.name)
    definition = str(indicator.definition)
    terms = data.terms
    cells = [data.get(indicator.key, t) for t in terms]
    suffix, decimals = _chart_unit(indicator.unit)
    chart = None
    if any(c is not None for c in cells):
        values = [_shown(c) for c in cells]
        if len(terms) > 1:
            chart = line_chart(
                [str(t) for t in terms],
                {data.municipality.name: values},
                title=title,
                description=definition,
                unit=suffix,
                decimals=decimals,
            )
        else:
            chart = bar_chart(
                [Bar(str(terms[0]), values[0])],
                title=title,
                description=definition,
                unit=suffix,
                decimals=decimals,
                hidden_label=hidden_text(),
            )
    counts = indicator.unit not in (COUNT, DAYS)
    headers = [_("Semester"), _("Verdi")] + ([_("Teller"), _("Nevner")] if counts else [])
    rows = []
    for term, cell in zip(reversed(terms), reversed(cells), strict=True):
        shown = [format_cell(cell, indicator.unit)]
        if counts:
            shown += [_count(cell, "numerator"), _count(cell, "denominator")]
        rows.append(Row(str(term), tuple(shown), highlight=term == terms[-1]))
    change = format_change(cells[-1], data.get(indicator.key, terms[-1].previous()), indicator.unit)
    return Figure(
        _figure_id(indicator.key), title, definition, headers, rows, chart=chart, change=change
    )


def _figure_id(key: str) -> str:
    return key.replace(".", "-")


def _count(cell, name: str) -> Cell:
    if cell is None:
        return Cell("–")
    if cell.suppressed:
        return Cell(hidden_text(), hidden=True)
    value = getattr(cell, name)
    return Cell("–" if value is None else _number(value, 0 if value == int(value) else 1))


CATEGORY_CHOICES = {
    SUBJECT_AREA: Offer.SubjectArea.choices,
    PROGRAMME: Offer.Programme.choices,
    END_REASON: [*EndReason.choices, ("none", gettext_lazy("ingen grunn oppgitt"))],
    ENTRY_TYPE: InnslagType.choices,
    AGE_BAND: ClubHeadcount.AgeBand.choices,
    SERVICE: [(s, SERVICE_NAMES[s]) for s in SERVICES],
}


def categories(indicator: Indicator, dimension: str, codes: Sequence[str]) -> list[tuple]:
    """(code, label) of a breakdown in a sensible order: ages by number, choices in their
    own order, anything else after them."""
    if dimension == AGE:
        return [(code, _age_label(code)) for code in sorted(codes, key=_age_order)]
    if dimension == GENDER:
        choices = (
            ClubHeadcount.Gender.choices
            if indicator.key.startswith("club.")
            else [*Gender.choices, (UNKNOWN_GENDER, gettext_lazy("ikke oppgitt"))]
        )
    else:
        choices = CATEGORY_CHOICES.get(dimension, [])
    known = [(code, str(label)) for code, label in choices if code in codes]
    rest = sorted(set(codes) - {code for code, _label in known})
    return known + [(code, code) for code in rest]


def _age_order(code: str) -> tuple:
    """Ages and age groups ("14", "13-15") by their first year; anything else last."""
    first = code.partition("-")[0]
    return (0, int(first), code) if first.isdigit() else (1, 0, code)


def _age_label(code: str) -> str:
    low, _dash, high = code.partition("-")
    if not low.isdigit():
        return code
    if high:
        return _("%(low)s–%(high)s år") % {"low": low, "high": high}
    return _("%(age)s år") % {"age": low}


def category_figure(indicator: Indicator, data, dimension: str, term: Term, title: str) -> Figure:
    """A breakdown in the chosen term: a bar per category; the table adds the term before."""
    definition = str(indicator.definition)
    previous = term.previous()
    now = {c.category: c for c in data.breakdown(indicator.key, term, dimension)}
    before = {c.category: c for c in data.breakdown(indicator.key, previous, dimension)}
    order = categories(indicator, dimension, list({*now, *before}))
    suffix, decimals = _chart_unit(indicator.unit)
    bars = [Bar(label, _shown(now[code])) for code, label in order if _charted(now.get(code))]
    chart = (
        bar_chart(
            bars,
            title=title,
            description=definition,
            unit=suffix,
            decimals=decimals,
            hidden_label=hidden_text(),
        )
        if bars
        else None
    )
    headers = [_("Gruppe"), str(term), str(previous), _("Endring")]
    rows = [
        Row(
            label,
            (
                format_cell(now.get(code), indicator.unit),
                format_cell(before.get(code), indicator.unit),
                Cell(format_change(now.get(code), before.get(code), indicator.unit)),
            ),
        )
        for code, label in order
    ]
    return Figure(
        _figure_id(f"{indicator.key}-{dimension}"), title, definition, headers, rows, chart=chart
    )


def _by(key: str) -> Indicator:
    return BY_KEY[key]


PARTICIPATION_KEYS = (
    "participation.kulturskole",
    "participation.kulturskole_6_19",
    "participation.club",
    "participation.ukm",
    "participation.all",
    "reach",
    "cross_service",
)


def _participation_summary(data, term: Term) -> Figure:
    """Participation in every service and in all three together, in the chosen term."""
    keys = {
        "participation.kulturskole": _("Kulturskolen 6–15"),
        "participation.kulturskole_6_19": _("Kulturskolen 6–19"),
        "participation.club": _("Fritidsklubben 10–18"),
        "participation.ukm": _("UKM 10–20"),
        "participation.all": _("Minst ett tilbud 13–19"),
        "reach": _("Rekkevidde 6–20"),
    }
    title = _("Deltakelse per tilbud, %(term)s") % {"term": term.label}
    bars, rows = [], []
    for key, short in keys.items():
        indicator, cell = _by(key), data.get(key, term)
        if _charted(cell):
            bars.append(Bar(short, _shown(cell), highlight=key == "participation.all"))
        rows.append(
            Row(
                str(indicator.name),
                (
                    format_cell(cell, PERCENT),
                    Cell(format_change(cell, data.get(key, term.previous()), PERCENT)),
                ),
            )
        )
    chart = (
        bar_chart(
            bars,
            title=title,
            description=_("Andelen av innbyggerne i aldersgruppen som deltar."),
            unit=" %",
            decimals=1,
            hidden_label=hidden_text(),
        )
        if bars
        else None
    )
    return Figure(
        "participation-summary",
        title,
        _("Andelen av innbyggerne i aldersgruppen som var aktive i semesteret."),
        [_("Tilbud"), _("Verdi"), _("Endring")],
        rows,
        chart=chart,
    )


def _breakdowns(indicator: Indicator, data, term: Term, dimensions) -> list[Figure]:
    return [
        category_figure(
            indicator,
            data,
            dimension,
            term,
            _("%(name)s etter %(dimension)s")
            % {"name": indicator.name, "dimension": DIMENSION_LABELS[dimension]},
        )
        for dimension in dimensions
        if data.breakdown(indicator.key, term, dimension)
        or data.breakdown(indicator.key, term.previous(), dimension)
    ]


DIMENSION_LABELS = {
    AGE: gettext_lazy("alder"),
    GENDER: gettext_lazy("kjønn"),
    SUBJECT_AREA: gettext_lazy("fagområde"),
    PROGRAMME: gettext_lazy("program"),
    END_REASON: gettext_lazy("grunn"),
    SERVICE: gettext_lazy("tilbud"),
    ENTRY_TYPE: gettext_lazy("type"),
    AGE_BAND: gettext_lazy("aldersgruppe"),
}


def _retention_section(data, term: Term) -> Section:
    figures, details = [], []
    for service in SERVICES:
        retention, dropout = _by(f"retention.{service}"), _by(f"dropout.{service}")
        figures += [term_figure(retention, data), term_figure(dropout, data)]
        leavers = _by(f"leavers.{service}")
        more = _breakdowns(dropout, data, term, dropout.breakdowns)
        more += [term_figure(leavers, data)]
        more += _breakdowns(leavers, data, term, leavers.breakdowns)
        title = _("Frafall fra %(service)s fordelt på alder, kjønn, fag, program og grunn") % {
            "service": SERVICE_NAMES[service]
        }
        details.append((title, more))
    return Section("retention", _("Fortsatt deltakelse og frafall"), figures, details)


class _Indexed:
    """The stored values with their breakdowns looked up by (key, term, dimension) at once,
    rather than by a scan of every cell for each breakdown."""

    def __init__(self, data):
        self.municipality, self.terms, self.get = data.municipality, data.terms, data.get
        self._breakdowns: dict[tuple[str, str, str], list] = {}
        for (key, term, breakdown), cell in data.cells.items():
            if breakdown:
                dimension = breakdown.partition("=")[0]
                self._breakdowns.setdefault((key, term, dimension), []).append(cell)

    def breakdown(self, key: str, term, dimension: str) -> list:
        return self._breakdowns.get((key, str(term), dimension), [])


def sections(data, term: Term) -> list[Section]:
    """Every indicator of docs/indicators.md, grouped as the page shows them."""
    data = _Indexed(data)

    def over_terms(*keys):
        return [term_figure(_by(key), data) for key in keys]

    participation = Section(
        "participation",
        _("Deltakelse"),
        [
            _participation_summary(data, term),
            *over_terms(
                "participation.kulturskole",
                "participation.kulturskole_6_19",
                "participation.club",
                "participation.ukm",
                "participation.all",
                "reach",
                "cross_service",
            ),
        ],
        [
            (
                _("Deltakelse fordelt på alder og kjønn"),
                [
                    figure
                    for key in PARTICIPATION_KEYS
                    for figure in _breakdowns(_by(key), data, term, _by(key).breakdowns)
                ],
            )
        ],
    )
    waiting = Section(
        "waiting",
        _("Ventelister"),
        [
            *over_terms("waiting", "waiting_days"),
            *_breakdowns(_by("waiting"), data, term, [SERVICE]),
            *_breakdowns(_by("waiting_days"), data, term, [SERVICE]),
        ],
    )
    clubs = Section(
        "clubs",
        _("Fritidsklubb"),
        over_terms(
            "club.visits",
            "club.visits_per_evening",
            "club.first_time_visitors",
            "club.visits_per_1000",
        ),
        [
            (
                _("Besøk per klubbkveld fordelt på kjønn og alder"),
                _breakdowns(_by("club.visits_per_evening"), data, term, [GENDER, AGE_BAND]),
            )
        ],
    )
    ukm = Section(
        "ukm",
        _("UKM"),
        [
            *over_terms(
                "ukm.participants_per_1000",
                "participation.ukm_workshops",
                "ukm.working_with",
                "ukm.entries",
            ),
            *_breakdowns(_by("ukm.entries"), data, term, [ENTRY_TYPE]),
        ],
    )
    influence = Section(
        "influence",
        _("Ungdommens innflytelse"),
        over_terms(
            "influence.answered_on_time",
            "influence.accepted",
            "influence.implemented",
            "influence.days_to_answer",
        ),
    )
    governance = Section(
        "governance",
        _("Ungdom i styringen"),
        over_terms("governance.meetings_with_youth", "governance.youth_share"),
    )
    result = [
        participation,
        _retention_section(data, term),
        waiting,
        clubs,
        ukm,
        influence,
        governance,
    ]
    for section in result:
        section.details = [(title, figures) for title, figures in section.details if figures]
    return result


def _municipality_label(municipality, comparison) -> str:
    if comparison.compare is not None and municipality.pk == comparison.compare.pk:
        return _("%(name)s (utenfor KK)") % {"name": municipality.name}
    if municipality.is_pilot:
        return _("%(name)s (pilot)") % {"name": municipality.name}
    return municipality.name


def national_figures(comparison) -> tuple[Figure, Figure]:
    """Every KK municipality side by side in the chosen term, and the pilots' trend."""
    indicator, term = comparison.indicator, comparison.term
    previous = term.previous()
    unit = indicator.unit
    suffix, decimals = _chart_unit(unit)
    title = _("%(name)s, %(term)s") % {"name": indicator.name, "term": term.label}
    bars, rows = [], []
    for municipality in comparison.municipalities:
        now, before = comparison.cell(municipality, term), comparison.cell(municipality, previous)
        label = _municipality_label(municipality, comparison)
        highlight = municipality.is_pilot
        if _charted(now):
            bars.append(Bar(label, _shown(now), highlight=highlight))
        rows.append(
            Row(
                label,
                (
                    format_cell(now, unit),
                    format_cell(before, unit),
                    Cell(format_change(now, before, unit)),
                ),
                highlight=highlight,
            )
        )
    side_by_side = Figure(
        "national-" + _figure_id(indicator.key),
        title,
        str(indicator.definition),
        [_("Kommune"), str(term), str(previous), _("Endring")],
        rows,
        chart=bar_chart(
            bars,
            title=title,
            description=str(indicator.definition),
            unit=suffix,
            decimals=decimals,
            hidden_label=hidden_text(),
        )
        if bars
        else None,
        wide=True,
    )
    followed = [m for m in comparison.municipalities if m.is_pilot]
    if comparison.compare is not None:
        followed.append(comparison.compare)
    trend_title = _("%(name)s over tid: pilotkommunene og KK-kommunene samlet") % {
        "name": indicator.name
    }
    terms = comparison.terms
    series = {
        _municipality_label(m, comparison): [_shown(comparison.cell(m, t)) for t in terms]
        for m in followed
    }
    median_label = _("KK-median")
    medians = [comparison.kk_median(t) for t in terms]
    series[median_label] = medians
    trend = Figure(
        "national-trend",
        trend_title,
        str(indicator.definition),
        [_("Kommune"), *(str(t) for t in terms)],
        [
            Row(
                _municipality_label(m, comparison),
                tuple(format_cell(comparison.cell(m, t), unit) for t in terms),
                highlight=m.is_pilot,
            )
            for m in followed
        ]
        + [
            Row(
                median_label,
                tuple(Cell("–" if v is None else format_value(v, unit)) for v in medians),
            )
        ],
        chart=line_chart(
            [str(t) for t in terms],
            series,
            title=trend_title,
            description=str(indicator.definition),
            unit=suffix,
            decimals=decimals,
        )
        if any(v is not None for values in series.values() for v in values)
        else None,
        wide=True,
    )
    return side_by_side, trend


@dataclass(frozen=True)
class TargetRow:
    pk: int
    goal: str
    indicator: str
    baseline: str
    current: str
    target: str
    share: int | None
    # Set when the figure moved away from the target: which way and by how much, instead of 0 %.
    away: str = ""


def _away(item, unit: str) -> str:
    """Bort fra målet, with the change since the baseline, when the figure moved away."""
    if not item.away:
        return ""
    return _("Bort fra målet: %(change)s siden %(term)s") % {
        "change": format_change(item.current, item.baseline, unit),
        "term": Term.parse(item.baseline_term).label,
    }


def target_rows(progress) -> list[TargetRow]:
    """Each target with its figures written in the indicator's unit."""

    def shown(cell, term):
        if cell is None:
            return "–"
        return f"{format_value(cell.value, unit)} ({Term.parse(term).label})"

    rows = []
    for item in progress:
        unit = item.indicator.unit
        rows.append(
            TargetRow(
                pk=item.target.pk,
                goal=item.target.goal.title,
                indicator=str(item.indicator.name),
                baseline=shown(item.baseline, item.baseline_term),
                current=shown(item.current, item.current_term),
                target=_("%(value)s innen %(date)s")
                % {
                    "value": format_value(item.target.target_value, unit),
                    "date": date_format(item.target.target_date, "DATE_FORMAT"),
                },
                share=None if item.away else item.share,
                away=_away(item, unit),
            )
        )
    return rows
