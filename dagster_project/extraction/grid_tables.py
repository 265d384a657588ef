"""Tables whose cells are known: a PDF's ruled tables and markdown-style tables in text.

The PDF reader writes each row of a table that pdfplumber found as one line with the cells
joined by ' | ' (see pdf_layout.py), so a fact from a table cell still points at one line of
the document text. A text report may carry the same form by hand ('| Nettokostnad | 1 234 |').

A grid is read like a key-figure table: the header row says what each column holds (a year,
a period, a budget or forecast, an organisational unit), the first cell of a row says which
measure the row holds (through the lexicon, like running text), and each cell with exactly
one number becomes a fact. When a column cannot be understood the numbers under it are listed
as unmapped with the reason; a wrong period in a BI tool costs more than a missing value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import org_units
from . import time_expressions as times
from .key_figures import TableContext, row_values, scope_org, unit_of_row
from .numbers import find_numbers
from .records import DocumentMeta, Extraction, UnmappedNumber
from .time_expressions import PeriodReference, ResolvedPeriod

CELL_SEPARATOR = " | "

_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_EMPTY_CELL = re.compile(r"^\s*(?:|[-–—]|\.\.|n/a|e\.?u\.?|saknas)\s*$", re.IGNORECASE)
# columns that hold a change or a difference, not a level
_DIFFERENCE_HEADER = re.compile(
    r"avvik\w*|\bavv\b|diff\w*|förändr\w*|skillnad\w*|utveckling\w*|jämför\w*|[±∆Δ]|\+/-|procentenhet\w*|\bprocent\b|%",
    re.IGNORECASE,
)
_BUDGET_HEADER = re.compile(r"\bbudget\w*|\bplan\b|\bmål\w*", re.IGNORECASE)
_FORECAST_HEADER = re.compile(r"\bprognos\w*|\bhelårsprognos\w*", re.IGNORECASE)
_FULL_YEAR_HEADER = re.compile(r"\bhelår\w*|\bbokslut\w*|\bårsredovisning\w*|\bhela\s+året\b", re.IGNORECASE)
_BARE_YEAR = re.compile(r"^\s*(?:utfall\s+|bokslut\s+|budget\s+|prognos\s+|år\s+)?((?:19|20)\d\d)\s*$", re.IGNORECASE)
_UNIT_WORD = re.compile(r"\b(mnkr|mkr|milj\.?\s*kr|tkr|mdkr|procent|antal)\b|%", re.IGNORECASE)
_UNIT_FACTOR = {"tkr": 0.001, "mdkr": 1000.0}
_TOTAL_LABELS = {"totalt", "total", "summa", "samtliga"}


@dataclass(frozen=True)
class Column:
    """What one value column of a grid holds, or why it is not read."""

    header: str
    scenario: str = "actual"
    period: ResolvedPeriod | None = None
    org: str | None = None
    left_out: str | None = None  # reason the column's numbers are not read


@dataclass(frozen=True)
class GridRow:
    line: int  # 1-based
    cells: list[str]


def split_cells(text: str) -> list[str] | None:
    """The cells of a grid line, or None when the line is no grid row."""
    if CELL_SEPARATOR.strip() not in text or _SEPARATOR_ROW.match(text):
        return None
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|"):
        stripped = stripped[1:-1]
    cells = [cell.strip() for cell in stripped.split("|")]
    return cells if len(cells) >= 2 else None


def grids(lines: list[str]) -> list[list[GridRow]]:
    """Runs of at least two grid lines; a markdown separator row belongs to its grid."""
    found, current = [], []
    for index, text in enumerate(lines):
        if _SEPARATOR_ROW.match(text) and current:
            continue
        cells = split_cells(text)
        if cells is not None:
            current.append(GridRow(index + 1, cells))
            continue
        if len(current) >= 2:
            found.append(current)
        current = []
    if len(current) >= 2:
        found.append(current)
    return found


def _reference(meta: DocumentMeta) -> PeriodReference | None:
    if meta.period_start is None or meta.period_end is None:
        return None
    return PeriodReference(meta.period_start, meta.period_end, meta.document_kind, meta.published_on)


def _is_full_year_document(ref: PeriodReference) -> bool:
    return (ref.period_start.month, ref.period_start.day, ref.period_end.month, ref.period_end.day) == (1, 1, 12, 31)


def read_column(header: str, meta: DocumentMeta) -> Column:
    """A header cell -> what its column holds."""
    if not header:
        return Column(header, left_out="column_without_header")
    if _DIFFERENCE_HEADER.search(header):
        return Column(header, left_out="difference_column")
    scenario = (
        "forecast" if _FORECAST_HEADER.search(header) else "target" if _BUDGET_HEADER.search(header) else "actual"
    )
    ref = _reference(meta)
    bare_year = _BARE_YEAR.match(header)
    if bare_year and ref is not None:
        year = int(bare_year.group(1))
        # In an interim report a column headed '2023' may hold January-August or the whole
        # year; only a budget or forecast column is the whole year for certain.
        if _is_full_year_document(ref) or scenario != "actual" or _FULL_YEAR_HEADER.search(header):
            return Column(header, scenario, times.full_year(year))
        return Column(header, scenario, left_out="year_column_in_part_year_report")
    expressions = [e for e in times.find(header) if not e.is_comparison]
    if ref is not None and len(expressions) == 1:
        period = times.resolve(expressions[0], ref, "flow")
        if period is not None:
            return Column(header, scenario, period)
    if ref is not None and not expressions:
        if header.strip().lower() in _TOTAL_LABELS:
            return Column(
                header, scenario, times.document_period(ref, "flow"), org=meta.organisation or meta.region_name or ""
            )
        unit = org_units.find_unit(header, meta.region_code)
        if unit is not None:
            return Column(header, scenario, times.document_period(ref, "flow"), org=unit.name)
    return Column(header, scenario, left_out="column_not_understood")


def _caption(lines: list[str], first_line: int) -> str:
    """The text line just above a grid (its caption), if any."""
    for index in range(first_line - 2, max(-1, first_line - 5), -1):
        text = lines[index].strip()
        if text:
            return text if split_cells(text) is None else ""
    return ""


def _unit(caption: str, corner: str) -> str | None:
    for text in (corner, caption):
        found = _UNIT_WORD.search(text)
        if found:
            return (found.group(1) or "%").lower().replace(" ", "")
    return None


def _cell_value(text: str) -> tuple[float, str | None] | None:
    tokens = find_numbers(text)
    if len(tokens) != 1:
        return None
    return tokens[0].value, tokens[0].unit


def _read_grid(ctx: TableContext, lines: list[str], rows: list[GridRow]) -> None:
    header, body = rows[0], rows[1:]
    caption = _caption(lines, header.line)
    caption_unit = _unit(caption, header.cells[0])
    factor = _UNIT_FACTOR.get(caption_unit or "", 1.0)
    if factor != 1.0:
        caption_unit = "mnkr"
    scope = re.match(r"^\s*([A-ZÅÄÖ][\w\s-]{1,40}?),", caption)
    default_org = scope_org(scope.group(1), ctx) if scope else (ctx.meta.organisation or ctx.meta.region_name or "")
    columns = [read_column(cell, ctx.meta) for cell in header.cells[1:]]
    for row in body:
        label = row.cells[0]
        for position, text in enumerate(row.cells[1:]):
            if _EMPTY_CELL.match(text):
                continue
            column = columns[position] if position < len(columns) else Column("", left_out="cell_outside_header")
            value = _cell_value(text)
            reason = column.left_out
            if value is None:
                reason = reason or "cell_not_one_number"
            if not label:
                reason = reason or "row_without_label"
            if reason is not None:
                ctx.out.unmapped.append(
                    UnmappedNumber(
                        ctx.meta.document,
                        row.line,
                        text,
                        value[0] if value else None,
                        value[1] if value else None,
                        reason,
                        lines[row.line - 1].strip()[:400],
                        label[:60] or None,
                    )
                )
                continue
            number, cell_unit = value
            unit = "percent" if cell_unit == "percent" else unit_of_row(label, caption_unit)
            amount = number * factor if unit == "mnkr" else number
            period = column.period
            row_values(
                ctx,
                label,
                unit,
                column.org or default_org,
                [(row.line, amount, period.start, period.end, period.period_type)],
                "table:grid",
                scenario=column.scenario,
            )
        ctx.consumed.add(row.line)
    ctx.consumed.add(header.line)


def extract_grid_tables(meta: DocumentMeta, lines: list[str]) -> tuple[Extraction, set[int]]:
    """Facts from grid tables, and the 1-based lines the grids cover."""
    ctx = TableContext(meta, Extraction(), set())
    for rows in grids(lines):
        _read_grid(ctx, lines, rows)
    return ctx.out, ctx.consumed
