"""Server-rendered SVG for plans and collaborations, in the manner of ``lib/charts.py``: an
``<svg role="img">`` with a title and a description, colours as attributes (no inline styles,
so the content security policy holds), and always a table with the same facts beside it."""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString

from ungkultur.lib.charts import GRID, PALETTE, TEXT, svg_document

STATUS_COLOURS = {
    "planned": PALETTE[0],
    "ongoing": PALETTE[3],
    "done": PALETTE[2],
    "postponed": PALETTE[4],
    "cancelled": "#6F6F6F",
}
LATE_COLOUR = PALETTE[1]


@dataclass(frozen=True)
class Span:
    label: str
    start: datetime.date
    end: datetime.date  # included
    status: str
    late: bool = False


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _month_starts(first: datetime.date, last: datetime.date):
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def timeline(
    spans: Sequence[Span],
    *,
    title: str,
    description: str,
    today: datetime.date,
    today_label: str,
) -> SafeString:
    """One bar per item over a month axis; late items in the warning colour, a line for today."""
    label_width, plot_width, row, top = 250, 540, 26, 30
    width, height = label_width + plot_width + 20, top + row * max(len(spans), 1) + 12
    if not spans:
        return svg_document(width, height, title, description, [])
    first = min(s.start for s in spans).replace(day=1)
    last = max(s.end for s in spans)
    total = (last - first).days + 1

    def x(day: datetime.date) -> float:
        return label_width + max(0, min((day - first).days, total)) / total * plot_width

    body = []
    for month in _month_starts(first, last):
        mx = x(month)
        body.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top - 6}" y2="{height - 8}" stroke="{GRID}"/>'
        )
        if (month.month - 1) % (1 if total < 400 else 3) == 0:
            body.append(
                f'<text x="{mx + 2:.1f}" y="{top - 10}" fill="{TEXT}" font-size="11">'
                f"{escape(date_format(month, 'CHART_MONTH_FORMAT'))}</text>"
            )
    for i, span in enumerate(spans):
        y = top + i * row
        x0, x1 = x(span.start), x(span.end + datetime.timedelta(days=1))
        colour = LATE_COLOUR if span.late else STATUS_COLOURS.get(span.status, PALETTE[0])
        body.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_short(span.label, 32))}</text>"
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 3):.1f}" height="{row - 8}" '
            f'rx="3" fill="{colour}"/>'
        )
        if span.late:
            body.append(
                f'<text x="{min(x1 + 4, width - 14):.1f}" y="{y + 17}" fill="{LATE_COLOUR}" '
                f'font-weight="bold">!</text>'
            )
    if first <= today <= last:
        tx = x(today)
        body.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4}" y2="{height - 6}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{tx + 3:.1f}" y="{height - 2}" fill="{TEXT}" font-size="11">'
            f"{escape(today_label)}</text>"
        )
    return svg_document(width, height + 8, title, description, body)


@dataclass(frozen=True)
class Node:
    key: int
    label: str
    kind: str


def network(
    nodes: Sequence[Node],
    edges: dict[tuple[int, int], int],
    *,
    title: str,
    description: str,
) -> SafeString:
    """Units on a circle, a line between two that collaborated (thicker for more projects)."""
    size, radius = 520, 170
    centre = size / 2
    kinds = sorted({n.kind for n in nodes})
    colour = {kind: PALETTE[i % len(PALETTE)] for i, kind in enumerate(kinds)}
    where = {}
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        where[node.key] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    body = []
    for (a, b), count in sorted(edges.items()):
        if a in where and b in where:
            (x1, y1), (x2, y2) = where[a], where[b]
            body.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{GRID}" stroke-width="{1 + 2 * min(count, 4)}"/>'
            )
    for node in nodes:
        x, y = where[node.key]
        anchor = "start" if x > centre + 1 else "end" if x < centre - 1 else "middle"
        dx = 14 if anchor == "start" else -14 if anchor == "end" else 0
        dy = 4 if anchor != "middle" else (-16 if y < centre else 26)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="{colour[node.kind]}"/>'
            f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}" fill="{TEXT}">'
            f"{escape(_short(node.label, 26))}</text>"
        )
    return svg_document(
        size + 200, size, title, description, ['<g transform="translate(100 0)">', *body, "</g>"]
    )
