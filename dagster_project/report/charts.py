"""Small inline SVG charts for the offline report.

Plain SVG, no JavaScript library (none ships with the environment, and a CDN would break
offline): visible in any browser and in a headless one, printable, and every mark links to the
document line its value came from. Every chart names its unit on the value axis; the legend of a
line chart sits below the plot, one row per entry when names are long, so entries never overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from .labels import load_labels

POSITIVE = "#2e7d32"
NEGATIVE = "#c62828"
NEUTRAL = "#1f77b4"
SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
FONT = "font-family='system-ui, sans-serif' font-size='12'"
CHAR_WIDTH = 6.8  # px per character at 12 px, generous, so a cut label never runs into the next


@dataclass(frozen=True)
class Mark:
    """One bar: its label, value, the link to its source line and a tooltip."""

    label: str
    value: float
    href: str | None = None
    tooltip: str = ""
    display: str = ""  # the value as the report prints it (Swedish format, unit)


@dataclass(frozen=True)
class Point:
    when: date
    value: float
    href: str | None = None
    tooltip: str = ""
    hollow: bool = False  # a forecast, not an outcome


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    tick = math.floor(low / step) * step
    ticks = []
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(tick, 10))
    return ticks


def _tick_label(value: float) -> str:
    return f"{value:,.10g}".replace(",", "\u00a0").replace(".", ",")


def _fit(text: str, width: float) -> str:
    """The text cut to fit width pixels, with an ellipsis when cut."""
    room = max(int(width / CHAR_WIDTH), 4)
    return text if len(text) <= room else text[: room - 1] + "…"


def _linked(href: str | None, tooltip: str, inner: str) -> str:
    title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    if href:
        return f"<a href='{escape(href)}'>{title}{inner}</a>"
    return f"<g>{title}{inner}</g>"


def _open(chart_id: str, caption: str, width: int, height: int) -> list[str]:
    return [
        (
            f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' data-chart='{escape(chart_id)}' "
            f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='{escape(caption)}' {FONT}>"
        ),
        f"<text x='0' y='16' font-weight='bold'>{escape(_fit(caption, width))}</text>",
    ]


def horizontal_bars(
    marks: list[Mark],
    *,
    chart_id: str,
    caption: str,
    axis_label: str,
    rule: float | None = None,
    rule_label: str = "",
    colour_by_sign: bool = True,
    width: int = 760,
) -> Markup:
    """Horizontal bars from zero, one per mark, with the unit under the value axis and an
    optional vertical reference rule."""
    if not marks:
        return Markup("")
    label_width, value_width, row, top = 270, 90, 22, 40
    plot_left, plot_right = label_width, width - value_width
    axis_y = top + row * len(marks) + 4
    height = axis_y + 40
    values = [m.value for m in marks] + ([rule] if rule is not None else [])
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    low, high = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    parts = _open(chart_id, caption, width, height)
    for tick in ticks:
        tx = x(tick)
        parts.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{top - 4}' y2='{axis_y}' stroke='#e0e0e0'/>")
        parts.append(
            f"<text x='{tx:.1f}' y='{axis_y + 14}' text-anchor='middle' fill='#555'>{_tick_label(tick)}</text>"
        )
    parts.append(
        f"<text class='axis-label' x='{(plot_left + plot_right) / 2:.1f}' y='{axis_y + 32}' text-anchor='middle' "
        f"fill='#333'>{escape(axis_label)}</text>"
    )
    zero = x(0.0)
    for index, mark in enumerate(marks):
        y = top + index * row
        start, end = sorted((zero, x(mark.value)))
        colour = (NEGATIVE if mark.value < 0 else POSITIVE) if colour_by_sign else NEUTRAL
        bar = (
            f"<rect class='mark' x='{start:.1f}' y='{y + 3}' width='{max(end - start, 1):.1f}' height='{row - 6}' "
            f"fill='{colour}' data-value='{mark.value:g}'/>"
        )
        parts.append(
            f"<text x='{label_width - 6}' y='{y + row / 2 + 4:.1f}' text-anchor='end'>"
            f"<title>{escape(mark.label)}</title>{escape(_fit(mark.label, label_width - 10))}</text>"
        )
        parts.append(_linked(mark.href, mark.tooltip, bar))
        parts.append(
            f"<text x='{plot_right + 4}' y='{y + row / 2 + 4:.1f}' fill='#333'>{escape(mark.display or f'{mark.value:g}')}</text>"
        )
    parts.append(f"<line x1='{zero:.1f}' x2='{zero:.1f}' y1='{top - 4}' y2='{axis_y}' stroke='#333'/>")
    if rule is not None:
        rx = x(rule)
        parts.append(
            f"<line class='rule' x1='{rx:.1f}' x2='{rx:.1f}' y1='{top - 6}' y2='{axis_y}' stroke='#000' "
            f"stroke-width='2' stroke-dasharray='5,3'><title>{escape(rule_label)}</title></line>"
        )
        anchor = "end" if rx > (plot_left + plot_right) / 2 else "start"
        offset = -4 if anchor == "end" else 4
        parts.append(
            f"<text x='{rx + offset:.1f}' y='{top - 10}' text-anchor='{anchor}' font-style='italic'>{escape(rule_label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend_layout(names: list[str], width: int, left: int) -> tuple[int, list[tuple[float, int, str]]]:
    """Rows of legend entries below the plot: two columns when every name fits half the width,
    else one entry per row. Returns the number of rows and (x, row, fitted name) per entry."""
    usable = width - left - 10
    column = usable / 2
    two_columns = all(len(name) * CHAR_WIDTH + 18 <= column for name in names)
    entries = []
    for index, name in enumerate(names):
        if two_columns:
            entries.append((left + (index % 2) * column, index // 2, name))
        else:
            entries.append((left, index, _fit(name, usable - 18)))
    rows = (len(names) + 1) // 2 if two_columns else len(names)
    return rows, entries


def line_chart(series: list[Series], *, chart_id: str, caption: str, axis_label: str, width: int = 760) -> Markup:
    """Values over time, one line per series, the unit on the value axis, each point linked to its
    source line; a hollow point is a forecast."""
    points = [p for s in series for p in s.points]
    if not points:
        return Markup("")
    labels = load_labels()
    left, right, top, plot_h = 70, 30, 34, 220
    plot_w = width - left - right
    legend_rows, legend = _legend_layout([s.name for s in series], width, left)
    legend_top = top + plot_h + 44
    height = legend_top + 18 * legend_rows + 6
    days = [p.when.toordinal() for p in points]
    first_day, last_day = min(days), max(days)
    span_days = max(last_day - first_day, 1)
    ticks = nice_ticks(min(0.0, *(p.value for p in points)), max(p.value for p in points))
    low, high = ticks[0], ticks[-1]

    def x(when: date) -> float:
        if first_day == last_day:
            return left + plot_w / 2
        return left + (when.toordinal() - first_day) / span_days * plot_w

    def y(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts = _open(chart_id, caption, width, height)
    for tick in ticks:
        ty = y(tick)
        parts.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#e0e0e0'/>")
        parts.append(f"<text x='{left - 6}' y='{ty + 4:.1f}' text-anchor='end' fill='#555'>{_tick_label(tick)}</text>")
    parts.append(
        f"<text class='axis-label' x='14' y='{top + plot_h / 2:.1f}' text-anchor='middle' fill='#333' "
        f"transform='rotate(-90 14 {top + plot_h / 2:.1f})'>{escape(axis_label)}</text>"
    )
    placed = -math.inf
    for when in sorted({p.when for p in points}):
        if x(when) - placed < 64:  # a label needs ~64 px: skipped rather than overlapped
            continue
        placed = x(when)
        parts.append(
            f"<text x='{x(when):.1f}' y='{top + plot_h + 16}' text-anchor='middle' fill='#555' font-size='10'>"
            f"{escape(labels.month(when.month))} {when.year}</text>"
        )
    parts.append(
        f"<text class='axis-label' x='{left + plot_w / 2:.1f}' y='{top + plot_h + 32}' text-anchor='middle' "
        f"fill='#333'>periodens slut</text>"
    )
    for index, (one, (legend_x, legend_row, legend_name)) in enumerate(zip(series, legend)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        ordered = sorted(one.points, key=lambda p: p.when)
        if len(ordered) > 1:
            path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in ordered)
            parts.append(f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2'/>")
        for p in ordered:
            fill = "#fff" if p.hollow else colour
            dot = (
                f"<circle class='mark' cx='{x(p.when):.1f}' cy='{y(p.value):.1f}' r='4' fill='{fill}' "
                f"stroke='{colour}' stroke-width='2' data-value='{p.value:g}' data-period='{p.when.isoformat()}'/>"
            )
            parts.append(_linked(p.href, p.tooltip, dot))
        legend_y = legend_top + legend_row * 18
        parts.append(f"<rect x='{legend_x:.1f}' y='{legend_y - 9}' width='10' height='10' fill='{colour}'/>")
        parts.append(
            f"<text class='legend' x='{legend_x + 14:.1f}' y='{legend_y}'><title>{escape(one.name)}</title>"
            f"{escape(legend_name)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
