"""The indicator reports for one term, as a printable HTML page and as a PDF (docs/architecture.md
"Indicators and reports"; §6: a municipality's PDF in at most 10 s).

A municipality's report holds what its dashboard holds (the same stored, disclosure-controlled
values, the same figures), with every breakdown open and no navigation, so it can be printed,
sent to the municipal council or filed. The project's report holds, for the headline figure of
each of the pilot's aims, every KK municipality side by side and the pilots' trend, as the
national view shows them one at a time.

WeasyPrint renders the PDF in-process from the same HTML; it reads only the report's own
stylesheet and fonts from the static files, never the network.
"""

from dataclasses import replace
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from ungkultur.indicators import dashboard as board
from ungkultur.indicators.selectors import dashboard_values
from ungkultur.indicators.selectors_dashboard import national_comparison, targets_with_progress

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


def context(municipality, term, shown_terms, run, *, min_n: int) -> dict:
    data = dashboard_values(municipality, shown_terms)
    return {
        "municipality": municipality,
        "term": term,
        "run": run,
        "min_n": min_n,
        "sections": board.sections(data, term),
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


def render_html(report: dict, *, pdf: bool = False) -> str:
    return render_to_string("indicators/report.html", {**report, "pdf": pdf})


def _static_dir(path: str) -> Path:
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(path)
    return Path(found).parent


def render_pdf(report: dict) -> bytes:
    """The report as a tagged PDF (headings, tables and the language marked for screen
    readers), with the Inter font embedded."""
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
    html = HTML(string=render_html(report, pdf=True), base_url=str(css), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=stylesheets, font_config=fonts, pdf_tags=True)
