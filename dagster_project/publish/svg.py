"""Small inline SVG charts for the offline reports.

The environment ships no Vega/Vega-Lite/vega-embed JavaScript (altair without vl-convert only
emits specs), so a report rendered with Altair would show empty charts without network access.
These charts are plain SVG: visible in any browser and in a headless one, printable, and every
mark is a link back to the document line its value came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

POSITIVE = "#2e7d32"
NEGATIVE = "#c62828"
NEUTRAL = "#1f77b4"
SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f")
FONT = "font-family='system-ui, sans-serif' font-size='12'"


@dataclass(frozen=True)
class Mark:
    """One bar or point: its label, value, the link to its source line and a tooltip."""

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
    first = math.floor(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(tick, 10))
    return ticks


def _tick_label(value: float) -> str:
    text = f"{value:,.10g}".replace(",", "\u00a0").replace(".", ",")
    return text


def _linked(href: str | None, tooltip: str, inner: str) -> str:
    title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    if href:
        return f"<a href='{escape(href, quote=True)}'>{title}{inner}</a>"
    return f"<g>{title}{inner}</g>"


def horizontal_bars(
    marks: list[Mark],
    *,
    chart_id: str,
    caption: str,
    rule: float | None = None,
    rule_label: str = "",
    colour_by_sign: bool = True,
    width: int = 760,
) -> str:
    """Horizontal bars from zero, one per mark, with an optional vertical reference rule."""
    if not marks:
        return ""
    label_width, value_width, row, top = 270, 90, 22, 34
    plot_left, plot_right = label_width, width - value_width
    height = top + row * len(marks) + 30
    values = [m.value for m in marks] + ([rule] if rule is not None else [])
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    low, high = ticks[0], ticks[-1]

    def x(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' data-chart='{escape(chart_id, quote=True)}' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{escape(caption, quote=True)}' {FONT}>",
        f"<text x='0' y='16' font-weight='bold'>{escape(caption)}</text>",
    ]
    axis_y = top + row * len(marks) + 4
    for tick in ticks:
        tx = x(tick)
        parts.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{top - 4}' y2='{axis_y}' stroke='#e0e0e0'/>")
        parts.append(f"<text x='{tx:.1f}' y='{axis_y + 14}' text-anchor='middle' fill='#555'>{_tick_label(tick)}</text>")
    zero = x(0.0)
    for index, mark in enumerate(marks):
        y = top + index * row
        start, end = sorted((zero, x(mark.value)))
        colour = (NEGATIVE if mark.value < 0 else POSITIVE) if colour_by_sign else NEUTRAL
        label = mark.label if len(mark.label) <= 40 else mark.label[:39] + "…"
        bar = (
            f"<rect class='mark' x='{start:.1f}' y='{y + 3}' width='{max(end - start, 1):.1f}' height='{row - 6}' "
            f"fill='{colour}' data-value='{mark.value:g}'/>"
        )
        parts.append(f"<text x='{label_width - 6}' y='{y + row / 2 + 4:.1f}' text-anchor='end'>{escape(label)}</text>")
        parts.append(_linked(mark.href, mark.tooltip, bar))
        parts.append(
            f"<text x='{plot_right + 4}' y='{y + row / 2 + 4:.1f}' fill='#333'>{escape(mark.display or f'{mark.value:g}')}</text>"
        )
    parts.append(f"<line x1='{zero:.1f}' x2='{zero:.1f}' y1='{top - 4}' y2='{axis_y}' stroke='#333'/>")
    if rule is not None:
        rx = x(rule)
        parts.append(
            f"<line class='rule' x1='{rx:.1f}' x2='{rx:.1f}' y1='{top - 8}' y2='{axis_y}' stroke='#000' "
            f"stroke-width='2' stroke-dasharray='5,3'><title>{escape(rule_label)}</title></line>"
        )
        parts.append(f"<text x='{rx + 4:.1f}' y='{top - 10}' font-style='italic'>{escape(rule_label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: list[Series], *, chart_id: str, caption: str, width: int = 760, height: int = 300) -> str:
    """Values over time, one line per series, each point linked to its source line."""
    points = [p for s in series for p in s.points]
    if not points:
        return ""
    left, right, top, bottom = 60, 40, 34, 60 + 16 * ((len(series) + 1) // 2)
    plot_w, plot_h = width - left - right, height - top - bottom
    days = [p.when.toordinal() for p in points]
    first_day, last_day = min(days), max(days)
    span_days = max(last_day - first_day, 1)
    ticks = nice_ticks(min(0.0, *(p.value for p in points)), max(p.value for p in points))
    low, high = ticks[0], ticks[-1]

    def x(when: date) -> float:
        return left + (when.toordinal() - first_day) / span_days * plot_w

    def y(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' class='chart' data-chart='{escape(chart_id, quote=True)}' "
        f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' role='img' "
        f"aria-label='{escape(caption, quote=True)}' {FONT}>",
        f"<text x='0' y='16' font-weight='bold'>{escape(caption)}</text>",
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#e0e0e0'/>")
        parts.append(f"<text x='{left - 6}' y='{ty + 4:.1f}' text-anchor='end' fill='#555'>{_tick_label(tick)}</text>")
    dates = sorted({p.when for p in points})
    stride = max(1, math.ceil(len(dates) / 12))  # at most ~12 labels, so they never overlap
    for when in dates[::stride]:
        parts.append(
            f"<text x='{x(when):.1f}' y='{top + plot_h + 16}' text-anchor='middle' fill='#555' font-size='10'>"
            f"{when:%Y-%m}</text>"
        )
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        ordered = sorted(one.points, key=lambda p: p.when)
        path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in ordered)
        parts.append(f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2'/>")
        for p in ordered:
            dot = (
                f"<circle class='mark' cx='{x(p.when):.1f}' cy='{y(p.value):.1f}' r='4' fill='{colour}' "
                f"data-value='{p.value:g}'/>"
            )
            parts.append(_linked(p.href, p.tooltip, dot))
        legend_x = left + (index % 2) * (plot_w // 2)
        legend_y = top + plot_h + 36 + (index // 2) * 16
        parts.append(f"<rect x='{legend_x}' y='{legend_y - 9}' width='10' height='10' fill='{colour}'/>")
        parts.append(f"<text x='{legend_x + 14}' y='{legend_y}'>{escape(one.name)}</text>")
    parts.append("</svg>")
    return "".join(parts)
