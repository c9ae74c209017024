"""Charts drawn on the server as SVG: horizontal bars and a line over time, with no JavaScript library.

Why SVG ``<text>`` rather than a picture: the text is drawn by the browser with the page's own fonts
(Noto for Bengali, Devanagari, Persian and Cyrillic), so conjuncts and joined Arabic letters shape
exactly as in the tables beside the chart, and the chart prints as sharp as the page. In a right-to-left
language the chart is mirrored: labels sit on the right, bars grow leftwards from the right edge, and a
line runs from the first month on the right to the last on the left.

Every chart carries ``<title>`` and ``<desc>`` (read out by screen readers through ``aria-labelledby``);
the page shows the same figures in a table as well, for readers who cannot see the chart.
All text is escaped here; the result is safe to put in a template as is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from haven.web import calendars

WIDTH = 640
ROW_HEIGHT = 28
LABEL_WIDTH = 200
VALUE_WIDTH = 70
LINE_HEIGHT = 240
MARGIN = 12
FONT_SIZE = 14

_ids = count(1)


@dataclass(frozen=True)
class Point:
    """One bar or one point of a line: its label, and its value (None = suppressed or not known)."""

    label: str
    value: int | float | Decimal | None


def number_text(value: int | float | Decimal | None, language: str, mark: str = "") -> str:
    """A figure as a reader sees it: whole numbers plain, others to one decimal, in the language's digits."""
    if value is None:
        return mark
    if isinstance(value, int) or (isinstance(value, Decimal | float) and float(value).is_integer()):
        text = str(int(value))
    else:
        text = f"{float(value):.1f}"
    return calendars.localize_digits(text, language)


def bar_chart(
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    language: str,
    rtl: bool,
    suppressed_mark: str = "",
) -> SafeString:
    """Horizontal bars, one per point, each labelled with its label and its figure."""
    height = MARGIN * 2 + ROW_HEIGHT * max(len(points), 1)
    top = max((float(point.value or 0) for point in points), default=0.0) or 1.0
    bar_room = WIDTH - LABEL_WIDTH - VALUE_WIDTH - MARGIN * 2
    parts = []
    for index, point in enumerate(points):
        y = MARGIN + index * ROW_HEIGHT
        length = round(bar_room * float(point.value or 0) / top, 1)
        parts.append(_bar_row(point, y, length, language, rtl, suppressed_mark))
    return _svg("bar", title, description, height, "".join(parts), rtl)


def _bar_row(point: Point, y: int, length: float, language: str, rtl: bool, mark: str) -> str:
    middle = y + ROW_HEIGHT / 2
    bar_y, bar_height = y + 4, ROW_HEIGHT - 8
    figure = number_text(point.value, language, mark)
    if rtl:
        # Mirrored: the label at the right edge, the bar growing leftwards from where the label ends.
        label_x, bar_start = WIDTH - MARGIN, WIDTH - MARGIN - LABEL_WIDTH
        bar_x, figure_x = bar_start - length, bar_start - length - 6
    else:
        label_x, bar_x = MARGIN, MARGIN + LABEL_WIDTH
        figure_x = bar_x + length + 6
    return (
        f"<text class='chart-label' x='{label_x}' y='{middle}' dominant-baseline='middle'"
        f" text-anchor='start'>{escape(_clip(point.label))}</text>"
        f"<rect class='chart-bar' x='{bar_x}' y='{bar_y}' width='{length}' height='{bar_height}'/>"
        f"<text class='chart-figure' x='{figure_x}' y='{middle}' dominant-baseline='middle'"
        f" text-anchor='start'>{escape(figure)}</text>"
    )


def line_chart(
    title: str,
    description: str,
    points: Sequence[Point],
    *,
    language: str,
    rtl: bool,
    suppressed_mark: str = "",
) -> SafeString:
    """A line through the points in order (months of a year), each labelled under the axis.

    A suppressed or missing value breaks the line there rather than drawing it as zero.
    """
    plot_top, plot_bottom = MARGIN + FONT_SIZE + 6, LINE_HEIGHT - MARGIN - FONT_SIZE * 2
    top = max((float(point.value or 0) for point in points), default=0.0) or 1.0
    step = (WIDTH - MARGIN * 2) / max(len(points), 1)
    axis = f"x1='{MARGIN}' y1='{plot_bottom}' x2='{WIDTH - MARGIN}' y2='{plot_bottom}'"
    parts = [f"<line class='chart-axis' {axis}/>"]
    segments: list[list[str]] = [[]]
    for index, point in enumerate(points):
        offset = MARGIN + step * index + step / 2
        x = round(WIDTH - offset if rtl else offset, 1)
        parts.append(
            f"<text class='chart-label' x='{x}' y='{LINE_HEIGHT - MARGIN}' text-anchor='middle'>"
            f"{escape(_clip(point.label, 10))}</text>"
        )
        if point.value is None:
            segments.append([])
            parts.append(_figure(x, plot_bottom - 6, number_text(None, language, suppressed_mark)))
            continue
        y = round(plot_bottom - (plot_bottom - plot_top) * float(point.value) / top, 1)
        segments[-1].append(f"{x},{y}")
        parts.append(f"<circle class='chart-point' cx='{x}' cy='{y}' r='3'/>")
        parts.append(_figure(x, y - 8, number_text(point.value, language)))
    lines = [
        f"<polyline class='chart-line' fill='none' points='{' '.join(segment)}'/>"
        for segment in segments
        if len(segment) > 1
    ]
    return _svg("line", title, description, LINE_HEIGHT, "".join(lines + parts), rtl)


def _figure(x: float, y: float, text: str) -> str:
    return f"<text class='chart-figure' x='{x}' y='{y}' text-anchor='middle'>{escape(text)}</text>"


def _clip(label: str, length: int = 28) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def _svg(kind: str, title: str, description: str, height: int, body: str, rtl: bool) -> SafeString:
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    direction = "rtl" if rtl else "ltr"
    return mark_safe(  # noqa: S308 - every piece of text above went through escape()
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart chart-{kind}' role='img'"
        f" viewBox='0 0 {WIDTH} {height}' width='100%' direction='{direction}'"
        f" aria-labelledby='{title_id} {desc_id}'>"
        f"<title id='{title_id}'>{escape(title)}</title>"
        f"<desc id='{desc_id}'>{escape(description)}</desc>"
        f"<g font-size='{FONT_SIZE}'>{body}</g></svg>"
    )
