"""Charts drawn on the server as inline SVG (issue 21: the year's dashboard): horizontal bars and monthly columns.

No script and no style attribute or element (the pages' CSP has no 'unsafe-inline'): only SVG presentation
attributes and classes. Each chart is 360 units wide and scales to its box (``width="100%"``), so it fits a 390 px
phone; it carries a ``<title>`` named by ``aria-labelledby`` and every bar a ``<title>`` with its label and value,
and the page puts the same numbers in a table beneath. Labels are the page's language, escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

WIDTH = 360
BAR_LABEL = 104  # room for a label left of the bars (about eight Chinese characters at 12 px)
BAR_VALUE = 52  # room for the value right of the bars
BAR_ROW = 22
FONT = 12
THIS_COLOUR = "#c8102e"
LAST_COLOUR = "#9aa5b1"
ABOVE_ROW = 36  # a bar with its label above it (long names: units)


class Bar(NamedTuple):
    label: str
    value: float
    text: str  # the value as shown ("42.5%", "12")


def _clip(label: str, room: float) -> str:
    """A label that fits ``room`` units at the chart's font (a Chinese character a full em, others about half);
    the table beneath and the bar's tooltip have it whole."""
    used = 0.0
    for position, character in enumerate(label):
        used += FONT if ord(character) >= 0x2E80 else FONT * 0.55
        if used > room:
            return label[: max(position - 1, 0)] + "…"
    return label


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title" font-size="{FONT}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    )


def bar_chart(
    chart_id: str, title: str, bars: Sequence[Bar], top: float | None = None, labels_above: bool = False
) -> Markup:
    """Horizontal bars, one row each, scaled to ``top`` (the largest value by default); the label left of its bar,
    or with ``labels_above`` on a line of its own over the bar (long names get the chart's whole width)."""
    largest = top if top is not None else max((bar.value for bar in bars), default=0)
    left = 0 if labels_above else BAR_LABEL
    span = WIDTH - left - BAR_VALUE
    row_height = ABOVE_ROW if labels_above else BAR_ROW
    height = max(row_height * len(bars), row_height)
    parts = [_open(chart_id, title, height)]
    for row, bar in enumerate(bars):
        y = row * row_height
        length = 0.0 if largest <= 0 else span * max(bar.value, 0) / largest
        label = escape(bar.label)
        if labels_above:
            shown = f'<text x="0" y="{y + 12}" fill="#333">{escape(_clip(bar.label, WIDTH))}</text>'
            bar_y = y + 16
        else:
            shown = (
                f'<text x="{left - 4}" y="{y + 15}" text-anchor="end" fill="#333">'
                f"{escape(_clip(bar.label, BAR_LABEL - 6))}</text>"
            )
            bar_y = y + 4
        parts.append(
            f"<g><title>{label}: {escape(bar.text)}</title>{shown}"
            f'<rect x="{left}" y="{bar_y}" width="{_number(length)}" height="{BAR_ROW - 8}" '
            f'fill="{THIS_COLOUR}" rx="2"/>'
            f'<text x="{_number(left + length + 4)}" y="{bar_y + 11}" fill="#111">{escape(bar.text)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


class Series(NamedTuple):
    name: str
    values: Sequence[int]


def column_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> Markup:
    """Columns per label (the months), the series side by side (this year, then last year beside it), with a
    legend on top and a scale from 0 to the largest value."""
    colours = (THIS_COLOUR, LAST_COLOUR)
    top_margin, bottom_margin, left = 24, 20, 34
    plot_height = 140
    height = top_margin + plot_height + bottom_margin
    largest = max((value for one in series for value in one.values), default=0)
    slot = (WIDTH - left) / max(len(labels), 1)
    column = max((slot - 4) / max(len(series), 1), 1)
    parts = [_open(chart_id, title, height)]
    for index, one in enumerate(series):
        x = left + index * 120
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{colours[index % 2]}"/>'
            f'<text x="{x + 14}" y="13">{escape(one.name)}</text>'
        )
    base = top_margin + plot_height
    parts.append(f'<line x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#999" stroke-width="1"/>')
    parts.append(f'<text x="{left - 3}" y="{top_margin + 4}" text-anchor="end" fill="#555">{largest}</text>')
    for position, label in enumerate(labels):
        x0 = left + position * slot + 2
        for index, one in enumerate(series):
            value = one.values[position] if position < len(one.values) else 0
            bar = 0.0 if largest <= 0 else plot_height * value / largest
            parts.append(
                f'<rect x="{_number(x0 + index * column)}" y="{_number(base - bar)}" width="{_number(column)}" '
                f'height="{_number(bar)}" fill="{colours[index % 2]}">'
                f"<title>{escape(label)} {escape(one.name)}: {value}</title></rect>"
            )
        parts.append(
            f'<text x="{_number(x0 + slot / 2 - 2)}" y="{base + 14}" text-anchor="middle" fill="#333">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
