"""The first screen of a dashboard and the first page of a council report: for each aim of the
pilot (more youth taking part, less dropout, youth influence, coordination) a plain verdict in
Norwegian, the figures behind it over the terms, the KK median beside them and the sources that
recorded nothing.

Presentation only, over the stored values (already disclosure-controlled). The rules of
docs/indicators.md "Honest figures" hold: a figure without data is "ingen data" with its reason,
never 0; a hidden figure stays hidden; no change is computed from or to a term without a figure.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.indicators.dashboard import format_value, hidden_text
from ungkultur.indicators.definitions import BY_KEY, PERCENT, missing_reason_label
from ungkultur.lib.terms import AUTUMN, Term

# A change smaller than this is "about the same": half a percentage point, or 2 % of the figure
# for counts and rates per 1000 (their scales differ too much for one absolute step).
STEADY_POINTS = 0.5
STEADY_SHARE = 0.02


@dataclass(frozen=True)
class Aim:
    slug: str
    title: str
    # The figures the verdict rests on, the first one the headline.
    keys: tuple[str, ...]
    lower_is_better: bool = False
    # The figures whose sources are checked for missing data: (key, the source in words).
    sources: tuple[tuple[str, str], ...] = ()


AIMS = (
    Aim(
        "participation",
        gettext_lazy("Flere unge deltar"),
        ("participation.all", "reach"),
        sources=(
            ("participation.kulturskole", gettext_lazy("kulturskolen")),
            ("club.visits_per_evening", gettext_lazy("fritidsklubbene")),
            ("ukm.participants_per_1000", gettext_lazy("UKM")),
        ),
    ),
    Aim(
        "dropout",
        gettext_lazy("Færre slutter"),
        ("dropout.kulturskole",),
        lower_is_better=True,
        sources=(("dropout.kulturskole", gettext_lazy("kulturskolen")),),
    ),
    Aim(
        "influence",
        gettext_lazy("Ungdom får innflytelse"),
        ("influence.answered_on_time", "influence.accepted"),
        sources=(("influence.answered_on_time", gettext_lazy("forslag fra ungdom")),),
    ),
    Aim(
        "coordination",
        gettext_lazy("Tilbudene og ungdommen jobber sammen"),
        ("cross_service", "governance.meetings_with_youth"),
        sources=(
            ("cross_service", gettext_lazy("påmeldinger i tilbudene")),
            ("governance.meetings_with_youth", gettext_lazy("prosjektgruppens møter")),
        ),
    ),
)

# The verdicts, from the directions of an aim's figures.
BETTER, WORSE, STEADY = "better", "worse", "steady"
MIXED, TOO_EARLY, NO_DATA = "mixed", "too_early", "no_data"
VERDICTS = {
    BETTER: gettext_lazy("Går riktig vei"),
    WORSE: gettext_lazy("Går feil vei"),
    STEADY: gettext_lazy("Omtrent uendret"),
    MIXED: gettext_lazy("Blandet: noe bedre, noe verre"),
    TOO_EARLY: gettext_lazy("Kan ikke sammenlignes med semesteret før"),
    NO_DATA: gettext_lazy("Ingen data å vurdere"),
}


def term_in_words(term: Term) -> str:
    """«høsten 2026», «våren 2027»: a term as a council reader writes it (never «2026H»)."""
    if term.half == AUTUMN:
        return _("høsten %(year)s") % {"year": term.year}
    return _("våren %(year)s") % {"year": term.year}


def is_measured(cell) -> bool:
    """A published number: stored, not missing, not hidden, and computable."""
    return (
        cell is not None
        and not getattr(cell, "missing", "")
        and not cell.suppressed
        and cell.value is not None
    )


def missing_reason(cell) -> str:
    """Why a term has no figure, in words; '' when it has one (or is only hidden)."""
    if cell is None:
        return _("Ikke beregnet for dette semesteret.")
    if getattr(cell, "missing", ""):
        return missing_reason_label(cell.missing)
    if not cell.suppressed and cell.value is None:
        return _("Ingen å regne av (f.eks. ingen aktive eller ingen innbyggere i alderen).")
    return ""


def cell_text(cell, unit: str) -> str:
    """A stored figure as written: the number, «skjult», or «ingen data»."""
    if is_measured(cell):
        return format_value(cell.value, unit)
    if cell is not None and cell.suppressed and not getattr(cell, "missing", ""):
        return hidden_text()
    return _("ingen data")


def direction(change: float | None, before: float, unit: str, lower_is_better: bool):
    if change is None:
        return None
    steady = STEADY_POINTS if unit == PERCENT else abs(before) * STEADY_SHARE
    if abs(change) < steady or change == 0:
        return STEADY
    return BETTER if (change < 0) == lower_is_better else WORSE


def change_text(change: float, unit: str) -> str:
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    if unit == PERCENT:
        return _("%(sign)s%(value)s prosentpoeng") % {
            "sign": sign,
            "value": format_value(abs(change), "").replace("\u00a0", ""),
        }
    return f"{sign}{format_value(abs(change), unit)}"


@dataclass
class TermValue:
    term: Term
    words: str
    text: str
    measured: bool
    hidden: bool


@dataclass
class FigureVerdict:
    """One figure of an aim in the chosen term: its value, the change since the term before
    (only when both have a number), which way that is, and the KK median."""

    key: str
    name: str
    definition: str
    text: str
    measured: bool
    hidden: bool
    reason: str
    change: float | None
    change_text: str
    direction: str | None
    kk_median: str
    kk_position: str
    series: list[TermValue]

    @property
    def has_trend(self) -> bool:
        """Worth a line of terms: more than one, and at least one with a figure."""
        return len(self.series) > 1 and any(p.measured or p.hidden for p in self.series)


@dataclass
class AimVerdict:
    aim: Aim
    verdict: str
    verdict_text: str
    figures: list[FigureVerdict]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


def measured_run(key: str, data, term: Term) -> list[Term]:
    """The terms shown with a number, back from ``term`` without a gap, oldest first: a trend
    runs over these only, never across a term without a figure (nor from a term the reader is
    not shown). Empty when ``term`` has none."""
    run: list[Term] = []
    current = term
    earliest = data.terms[0] if data.terms else term
    while earliest <= current and is_measured(data.get(key, current)):
        run.insert(0, current)
        current = current.previous()
    return run


def _change_words(key: str, data, term: Term, since: Term, unit: str) -> tuple[float, str]:
    change = round(data.get(key, term).value - data.get(key, since).value, 1)
    words = _("%(change)s siden %(term)s") % {
        "change": change_text(change, unit),
        "term": term_in_words(since),
    }
    return change, words


def figure_verdict(key: str, data, term: Term, medians, *, lower_is_better: bool):
    """The figure in ``term`` with its trend: the change since the first term of the unbroken
    run of terms with a number that ends in ``term`` (and since the term before, when the run
    is longer), which way that goes for the aim, and the KK median."""
    indicator = BY_KEY[key]
    unit = indicator.unit
    now = data.get(key, term)
    run = measured_run(key, data, term)
    change, way, changed = None, None, ""
    if len(run) >= 2:
        change, changed = _change_words(key, data, term, run[0], unit)
        way = direction(change, data.get(key, run[0]).value, unit, lower_is_better)
        if len(run) > 2:
            _last, last_words = _change_words(key, data, term, term.previous(), unit)
            changed = f"{changed} ({last_words})"
    elif is_measured(now):
        changed = _("ingen tall fra %(term)s å sammenligne med") % {
            "term": term_in_words(term.previous())
        }
    median, others, _below = medians.get((key, str(term)), (None, 0, 0))
    kk_median, position = "", ""
    if median is not None:
        kk_median = format_value(median, unit)
        if is_measured(now):
            position = _median_position(now.value, median, others)
    series = [
        TermValue(
            t,
            term_in_words(t),
            cell_text(data.get(key, t), unit),
            is_measured(data.get(key, t)),
            data.get(key, t) is not None
            and data.get(key, t).suppressed
            and not getattr(data.get(key, t), "missing", ""),
        )
        for t in data.terms
    ]
    return FigureVerdict(
        key=key,
        name=str(indicator.name),
        definition=str(indicator.definition),
        text=cell_text(now, unit),
        measured=is_measured(now),
        hidden=series[-1].hidden if series else False,
        reason=missing_reason(now),
        change=change,
        change_text=changed,
        direction=way,
        kk_median=kk_median,
        kk_position=position,
        series=series,
    )


def _median_position(value: float, median: float, others: int) -> str:
    """Where the municipality stands against the KK median, in words."""
    if value > median:
        where = _("over medianen")
    elif value < median:
        where = _("under medianen")
    else:
        where = _("på medianen")
    return _("%(where)s; %(others)s andre KK-kommuner har tall") % {
        "where": where,
        "others": others,
    }


def _verdict(figures: list[FigureVerdict]) -> str:
    if not any(f.measured for f in figures):
        return NO_DATA
    ways = {f.direction for f in figures if f.direction is not None}
    if not ways:
        return TOO_EARLY
    if ways == {STEADY}:
        return STEADY
    if ways <= {BETTER, STEADY}:
        return BETTER
    if ways <= {WORSE, STEADY}:
        return WORSE
    return MIXED


def aim_verdicts(data, term: Term, medians: dict) -> list[AimVerdict]:
    """The verdict of each aim in ``term`` from a municipality's figures (``DashboardData``,
    whose terms end with ``term``) and the KK medians (``selectors_dashboard.kk_medians``)."""
    result = []
    for aim in AIMS:
        keys = [key for key in aim.keys if key in BY_KEY]
        figures = [
            figure_verdict(key, data, term, medians, lower_is_better=aim.lower_is_better)
            for key in keys
        ]
        missing = []
        for key, source in aim.sources:
            if key in BY_KEY:
                reason = missing_reason(data.get(key, term))
                if reason:
                    missing.append((str(source), reason.rstrip(".")))
        verdict = _verdict(figures)
        result.append(AimVerdict(aim, verdict, str(VERDICTS[verdict]), figures, missing))
    return result


def aim_keys() -> list[str]:
    """Every figure the aims read (for one query of the KK medians)."""
    return [key for aim in AIMS for key in aim.keys if key in BY_KEY]
