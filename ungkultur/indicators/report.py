"""The indicator reports for one term, as a printable HTML page and as a PDF (docs/architecture.md
"Indicators and reports"; §6: a municipality's PDF in at most 10 s).

A municipality's report is written for its council: a one-page summary first (what KK is, a
verdict per aim of the pilot with the KK median beside it, the work done in the term), then each
figure with a one-line explanation, its trend and the KK median. It reads the same stored,
disclosure-controlled values as the dashboard. A figure with no data in any term shown is left
out (and named as such), a term without data reads "ingen data", and a section with no figure is
left out. The breakdowns stay on the dashboard. The project's report holds, for the headline
figure of each of the pilot's aims, every KK municipality side by side and the pilots' trend, as
the national view shows them one at a time.

WeasyPrint renders the PDF in-process from the same HTML; it reads only the report's own
stylesheet and fonts from the static files, never the network.
"""

from dataclasses import dataclass, replace
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ungkultur.indicators import aims
from ungkultur.indicators import dashboard as board
from ungkultur.indicators.definitions import INDICATORS, Indicator
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.selectors_dashboard import (
    kk_medians,
    national_comparison,
    targets_with_progress,
)
from ungkultur.lib.charts import line_chart
from ungkultur.lib.terms import AUTUMN, Term
from ungkultur.meetings.selectors import resource_group_attendance
from ungkultur.participation.selectors import proposal_figures, proposals_in_term
from ungkultur.planning.models import Plan
from ungkultur.planning.selectors import collaborations_in, municipality_plans

# The headline figure of each of the pilot's aims: more youth taking part, less dropout from the
# kulturskole, more youth in the clubs and at UKM, youth influence and youth in governance.
PROJECT_KEYS = (
    "participation.all",
    "reach",
    "cross_service",
    "dropout.kulturskole",
    "participation.club",
    "club.visits_per_1000",
    "ukm.participants_per_1000",
    "influence.answered_on_time",
    "governance.meetings_with_youth",
)


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: the system's Pango library is missing."""


# The report's sections, in order: (slug, title, whether an indicator key belongs to it). A key
# no section claims goes to the last ("Andre tall"), so a new indicator is never left out.
SECTIONS = (
    (
        "participation",
        gettext_lazy("Deltakelse"),
        lambda key: key.startswith("participation.") or key in ("reach", "cross_service"),
    ),
    (
        "retention",
        gettext_lazy("Fortsatt deltakelse og frafall"),
        lambda key: key.startswith(("retention.", "dropout.", "leavers.")),
    ),
    ("waiting", gettext_lazy("Ventelister"), lambda key: key.startswith("waiting")),
    ("clubs", gettext_lazy("Fritidsklubbene"), lambda key: key.startswith("club.")),
    ("ukm", gettext_lazy("UKM"), lambda key: key.startswith("ukm.")),
    (
        "influence",
        gettext_lazy("Ungdommens innflytelse"),
        lambda key: key.startswith("influence."),
    ),
    (
        "governance",
        gettext_lazy("Ungdom i styringen"),
        lambda key: key.startswith("governance."),
    ),
    ("other", gettext_lazy("Andre tall"), lambda key: True),
)


def short_term(term: Term) -> str:
    """A chart's axis label: «høst 26», «vår 27»."""
    if term.half == AUTUMN:
        return _("høst %(year)s") % {"year": f"{term.year % 100:02d}"}
    return _("vår %(year)s") % {"year": f"{term.year % 100:02d}"}


@dataclass
class ReportFigure:
    key: str
    title: str
    definition: str
    headers: list[str]
    rows: list[board.Row]
    chart: object
    change: str
    note: str


def _has_data(cell) -> bool:
    """A number or a hidden one: the source recorded something."""
    return aims.is_measured(cell) or (
        cell is not None and cell.suppressed and not getattr(cell, "missing", "")
    )


def report_figure(indicator: Indicator, data, term: Term, medians: dict, name: str):
    """One figure over the terms shown, beside the KK median, or None when no term has data."""
    terms, unit = data.terms, indicator.unit
    cells = [data.get(indicator.key, t) for t in terms]
    if not any(_has_data(c) for c in cells):
        return None
    median_of = [medians.get((indicator.key, str(t)), (None, 0, 0))[0] for t in terms]
    suffix, decimals = board._chart_unit(unit)
    chart = line_chart(
        [short_term(t) for t in terms],
        {
            name: [c.value if aims.is_measured(c) else None for c in cells],
            _("KK-median"): median_of,
        },
        title=str(indicator.name),
        description=str(indicator.definition),
        unit=suffix,
        decimals=decimals,
    )
    rows = [
        board.Row(
            aims.term_in_words(t),
            (
                board.Cell(aims.cell_text(c, unit), hidden=bool(c and c.suppressed)),
                board.Cell("–" if m is None else board.format_value(m, unit)),
            ),
            highlight=t == term,
        )
        for t, c, m in reversed(list(zip(terms, cells, median_of, strict=True)))
    ]
    verdict = aims.figure_verdict(indicator.key, data, term, medians, lower_is_better=False)
    return ReportFigure(
        key=indicator.key.replace(".", "-"),
        title=str(indicator.name),
        definition=str(indicator.definition),
        headers=[_("Semester"), name, _("KK-median")],
        rows=rows,
        chart=chart,
        change=verdict.change_text,
        note=verdict.reason,
    )


@dataclass
class ReportSection:
    slug: str
    title: str
    figures: list[ReportFigure]
    without_data: list[str]


def report_sections(data, term: Term, medians: dict, name: str) -> list[ReportSection]:
    """The figures by section; a figure without data in any term is only named, and a section
    with no figure is left out."""
    placed: dict[str, list[Indicator]] = {slug: [] for slug, _title, _test in SECTIONS}
    for indicator in INDICATORS:
        slug = next(slug for slug, _title, belongs in SECTIONS if belongs(indicator.key))
        placed[slug].append(indicator)
    sections = []
    for slug, title, _test in SECTIONS:
        figures, without = [], []
        for indicator in placed[slug]:
            figure = report_figure(indicator, data, term, medians, name)
            if figure is None:
                without.append(str(indicator.name))
            else:
                figures.append(figure)
        if figures:
            sections.append(ReportSection(slug, str(title), figures, without))
    return sections


@dataclass
class WorkDone:
    meetings_held: int
    meetings_with_youth: int
    proposals: int
    proposals_answered: int
    proposals_due: int
    proposals_in_time: int
    proposals_overdue: int
    plan_items: int
    plan_done: int
    plan_late: int
    collaborations: int
    collaboration_units: int

    @property
    def anything(self) -> bool:
        return bool(self.meetings_held or self.proposals or self.plan_items or self.collaborations)


def work_done(municipality, term: Term, *, now) -> WorkDone:
    """What the municipality did in the term, from the apps that record it: project-group
    meetings held (and with youth present), proposals from youth and their answers, the items of
    its action and progress plans due in the term, and collaborations. Counts of meetings,
    proposals and plan items count no people, so they are not suppressed."""
    until = min(now, term.ends_at)
    meetings = resource_group_attendance(municipality, now=until, since=term.start)
    today = timezone.localdate(now)
    proposals = proposal_figures(proposals_in_term(municipality, str(term)), today=today)
    plans = municipality_plans(municipality)
    items = [
        item
        for kind in (Plan.Kind.ACTION, Plan.Kind.PROGRESS)
        if kind in plans
        for item in plans[kind].items.all()
        if term.start <= item.end <= term.end and item.status != item.Status.CANCELLED
    ]
    collaborations = list(collaborations_in(municipality, str(term)))
    return WorkDone(
        meetings_held=meetings.held,
        meetings_with_youth=meetings.with_youth,
        proposals=proposals.total,
        proposals_answered=proposals.answered,
        proposals_due=proposals.due,
        proposals_in_time=proposals.answered_in_time,
        proposals_overdue=proposals.overdue,
        plan_items=len(items),
        plan_done=sum(item.status == item.Status.DONE for item in items),
        plan_late=sum(item.is_late(today) for item in items),
        collaborations=len(collaborations),
        collaboration_units=len({u.pk for c in collaborations for u in c.units.all()}),
    )


def context(municipality, term, shown_terms, run, *, min_n: int, now=None) -> dict:
    now = now or timezone.now()
    data = dashboard_values(municipality, shown_terms)
    keys = [indicator.key for indicator in INDICATORS]
    medians = kk_medians(terms=shown_terms, keys=keys, municipality=municipality)
    return {
        "municipality": municipality,
        "term": term,
        "term_words": aims.term_in_words(term),
        "run": run,
        "min_n": min_n,
        "aims": aims.aim_verdicts(data, term, medians),
        "work": work_done(municipality, term, now=now),
        "report_sections": report_sections(data, term, medians, municipality.name),
        "targets": board.target_rows(targets_with_progress(municipality, terms=shown_terms)),
    }


def project_context(term, shown_terms, run, *, min_n: int) -> dict:
    sections = []
    for key in PROJECT_KEYS:
        comparison = national_comparison(term=term, terms=shown_terms, key=key)
        side_by_side, trend = board.national_figures(comparison)
        slug = key.replace(".", "-")
        figures = [side_by_side, replace(trend, key=f"{trend.key}-{slug}")]
        sections.append(board.Section(slug, str(comparison.indicator.name), figures))
    return {
        "municipality": None,
        "term": term,
        "run": run,
        "min_n": min_n,
        "sections": sections,
        "targets": [],
    }


def render_html(
    report: dict, *, pdf: bool = False, template: str = "indicators/report.html"
) -> str:
    return render_to_string(template, {**report, "pdf": pdf})


def _static_dir(path: str) -> Path:
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(path)
    return Path(found).parent


def render_pdf(report: dict, *, template: str = "indicators/report.html") -> bytes:
    """The report as a tagged PDF (headings, tables and the language marked for screen
    readers), with the Inter font embedded. Other reports (the project's final report) pass
    their own template and use the same stylesheet."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher
    except OSError as error:  # the Pango library could not be loaded
        raise PdfUnavailable(str(error)) from error
    fonts = FontConfiguration()
    fetcher = URLFetcher(allowed_protocols=["file"])
    inter = _static_dir("vendor/inter/inter.css")
    css = _static_dir("indicators/report.css")
    stylesheets = [
        CSS(
            filename=str(inter / "inter.css"),
            font_config=fonts,
            url_fetcher=fetcher,
        ),
        CSS(filename=str(css / "report.css"), font_config=fonts, url_fetcher=fetcher),
    ]
    html = HTML(
        string=render_html(report, pdf=True, template=template),
        base_url=str(css),
        url_fetcher=fetcher,
    )
    return html.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_tags=True)
