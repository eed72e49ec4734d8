"""Server-rendered SVG charts: the same markup serves a page and a PDF.

Every chart is an `<svg role="img">` with a title and a description, and is meant to stand
beside a table with the same numbers (the table is what screen readers and researchers use).
A value of None is a hidden (suppressed) figure: it is drawn as an empty slot marked with the
`hidden_label`, never as zero. Colours are presentation attributes, not inline styles, so the
strict content security policy holds.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0062BA", "#C6410C", "#117A3C", "#7A3B9F", "#8A6100", "#1A1A1A"]
TEXT = "#1A1A1A"
GRID = "#C8C8C8"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    highlight: bool = False


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text


def svg_document(
    width: int, height: int, title: str, description: str, body: list[str]
) -> SafeString:
    """The accessible ``<svg>`` around ``body`` (parts already escaped by the caller)."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="site-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="Inter, sans-serif" font-size="13">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every text is escaped)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    decimals: int = 0,
    hidden_label: str = "skjult",
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one row per label, the value written at the end of each bar."""
    label_width, bar_width, row = 180, 360, 26
    width, height = label_width + bar_width + 90, max(row * len(bars) + 8, 34)
    top = max([b.value for b in bars if b.value is not None] + [maximum or 0]) or 1
    body = []
    for i, bar in enumerate(bars):
        y = 4 + i * row
        body.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{TEXT}">'
            f"{escape(bar.label[:28])}</text>"
        )
        if bar.value is None:
            body.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="{row - 8}" '
                f'fill="none" stroke="{GRID}" stroke-dasharray="4 3"/>'
                f'<text x="{label_width + 8}" y="{y + 17}" fill="{TEXT}" font-style="italic">'
                f"{escape(hidden_label)}</text>"
            )
            continue
        length = max(bar.value, 0) / top * bar_width
        colour = PALETTE[1] if bar.highlight else PALETTE[0]
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{colour}"/><text x="{label_width + length + 6:.1f}" y="{y + 17}" '
            f'fill="{TEXT}">{_fmt(bar.value, decimals)}{escape(unit)}</text>'
        )
    return svg_document(width, height, title, description, body)


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    description: str = "",
    unit: str = "",
    decimals: int = 0,
) -> SafeString:
    """One line per series over the x labels (terms, waves); None breaks the line."""
    left, right, top_pad, plot_h, bottom = 56, 20, 12, 180, 60
    step = 64 if len(x_labels) > 1 else 0
    width = left + max(step * (len(x_labels) - 1), 64) + right + 140
    height = top_pad + plot_h + bottom
    values = [v for vs in series.values() for v in vs if v is not None]
    top = max(values + [0]) or 1
    body = []
    for fraction in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" x2="{left + step * max(len(x_labels) - 1, 1)}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" fill="{TEXT}">{_fmt(top * fraction, decimals)}{escape(unit)}</text>'
        )
    for i, label in enumerate(x_labels):
        x = left + step * i
        body.append(
            f'<text x="{x}" y="{top_pad + plot_h + 18}" text-anchor="middle" fill="{TEXT}">'
            f"{escape(label)}</text>"
        )
    for s, (name, values_of) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        points = [
            (left + step * i, top_pad + plot_h * (1 - v / top))
            for i, v in enumerate(values_of)
            if v is not None
        ]
        runs, run = [], []
        for i, v in enumerate(values_of):
            if v is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append((left + step * i, top_pad + plot_h * (1 - v / top)))
        runs += [run] if run else []
        for r in runs:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in r)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y in points:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        legend_y = top_pad + 14 + s * 18
        legend_x = left + step * max(len(x_labels) - 1, 1) + 16
        body.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{legend_y}" fill="{TEXT}">{escape(name[:18])}</text>'
        )
    return svg_document(width, height, title, description, body)
