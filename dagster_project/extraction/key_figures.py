"""Tables of key figures as PDF text flattens them, one value per line.

Three layouts that reports and published pages share:

- a five-year overview ('Översikt över verksamhetens utveckling'): a caption naming whose
  figures and in what unit ('Koncernen, mnkr'), a header of years ('2020 2019 2018 2017 2016',
  often run together), then per row a label line and one line per year;
- columns of units ('DS', 'SÖS', ..., 'Totalt'), then per row a label and one value per column,
  with a legend that spells the abbreviations out ('DS: Danderyds sjukhus');
- a month series ('Maj 2017 Juni 2017 ... Apr 2018') with one row per unit ('Urval 67% 61% ...').

Which measure a row holds comes from its label through the lexicon (seeds/kpi_lexicon.csv),
like running text; a row whose label names no catalogued measure is listed as unmapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import lexicon, org_units
from .numbers import find_numbers
from .periods import MONTH_PATTERN, month_end, month_number
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber

_YEARS_LINE = re.compile(r"^\s*((?:(?:19|20)\d\d\s*){2,12})\s*$")
_VALUE_LINE = re.compile(r"^\s*[-−–]?\s?(?:\d{1,3}(?:[  ]\d{3})+|\d+)(?:[,.]\d+)?\s*%?\s*$")
_CAPTION = re.compile(
    r"^\s*(?P<scope>[A-ZÅÄÖ][\w\s-]{1,40}?),\s*(?P<unit>mnkr|mkr|tkr|mdkr|kr|%|procent|antal)\s*$", re.IGNORECASE
)
_PERCENT_LABEL = re.compile(r"(?:,\s*%|\bi\s*%|%\s*$|\bprocent\b|\(%\))", re.IGNORECASE)
_COUNT_LABEL = re.compile(r"^\s*antal\b", re.IGNORECASE)
_MONTH_TOKEN = rf"(?:{MONTH_PATTERN})\s+(?:19|20)\d\d"
_MONTH_HEADER = re.compile(rf"^\s*(?:{_MONTH_TOKEN}\s*){{3,24}}$", re.IGNORECASE)
_SERIES_ROW = re.compile(
    r"^\s*(?P<label>[A-ZÅÄÖa-zåäö][\w\s:.-]*?)\s+(?P<values>(?:[-−–]?\d+(?:[,.]\d+)?\s*%?\s*){3,24})$"
)
_LEGEND_ENTRY = re.compile(
    r"(?P<key>[A-ZÅÄÖ][\wÅÄÖåäö:. ]{0,8}?):\s+(?P<name>[A-ZÅÄÖ][\w .:-]+?)(?=\s+[A-ZÅÄÖ][\wÅÄÖ:. ]{0,8}?:\s|$)"
)
_TOTAL_LABELS = {"totalt", "total", "summa", "samtliga", "hela regionen", "urval"}
_NATIONAL_LABELS = re.compile(
    r"^(?:alla\s+landsting|alla\s+regioner|riket|samtliga\s+regioner|sverige)$", re.IGNORECASE
)


@dataclass
class TableContext:
    meta: DocumentMeta
    out: Extraction
    consumed: set[int]


def _value(text: str) -> tuple[float, str | None] | None:
    tokens = find_numbers(text)
    if len(tokens) != 1:
        return None
    token = tokens[0]
    return token.value, token.unit


def _nonblank(lines: list[str], start: int, limit: int) -> list[int]:
    """Indexes of the next `limit` non-blank lines from `start`."""
    found = []
    index = start
    while index < len(lines) and len(found) < limit:
        if lines[index].strip():
            found.append(index)
        index += 1
    return found


def _split_years(text: str) -> list[int]:
    digits = re.sub(r"\s+", "", text)
    if len(digits) % 4:
        return []
    years = [int(digits[i : i + 4]) for i in range(0, len(digits), 4)]
    return years if all(1900 <= y <= 2100 for y in years) else []


def _measure(label: str):
    found = list(lexicon.find_measures(label))
    return found[-1] if found else None


def unit_of_row(label: str, caption_unit: str | None) -> str:
    if _PERCENT_LABEL.search(label):
        return "percent"
    if _COUNT_LABEL.search(label):
        return "count"
    return {"mnkr": "mnkr", "mkr": "mnkr", "%": "percent", "procent": "percent", "antal": "count"}.get(
        (caption_unit or "").lower(), "count"
    )


def scope_org(scope: str, ctx: TableContext) -> str:
    """'Koncernen' -> the document's group, 'Kommunen'/'Regionen' -> its organisation."""
    organisation = ctx.meta.organisation or ctx.meta.region_name or ""
    lowered = scope.strip().lower()
    if lowered in ("koncernen", "kommunkoncernen", "den kommunala koncernen"):
        return f"Koncernen {organisation}"
    if lowered in ("kommunen", "regionen", "landstinget", "staden"):
        return organisation
    return org_units.resolve(scope, ctx.meta.region_code)


def _fact(
    ctx: TableContext,
    kpi_code: str,
    measure: str,
    org: str,
    start: date,
    end: date,
    period_type: str,
    value: float,
    unit: str,
    line: int,
    text: str,
    method: str,
    breakdown: str = "total",
    scenario: str = "actual",
) -> None:
    half = 0.05 if value != int(value) else 0.5
    ctx.out.facts.append(
        Fact(
            document=ctx.meta.document,
            kpi_code=kpi_code,
            org_unit=org,
            region_code=ctx.meta.region_code,
            period_start=start,
            period_end=end,
            period_type=period_type,
            scenario=scenario,
            breakdown=breakdown,
            value=round(value, 6),
            unit=unit,
            is_approximate=False,
            source_line=line,
            source_text=text.strip()[:400],
            extraction_method=method,
            measure=measure,
            binding="table",
            value_low=value - half,
            value_high=value + half,
            period_source="table_header",
        )
    )


def row_values(
    ctx: TableContext,
    label: str,
    unit: str,
    org: str,
    cells: list[tuple[int, float, date, date, str]],
    method: str,
    breakdown: str = "total",
    scenario: str = "actual",
) -> None:
    """One row: its measure from the label; each cell a fact, or unmapped with the reason."""
    measure = _measure(label)
    for line, value, start, end, period_type in cells:
        reason = None
        mapping = lexicon.kpi_for(measure.measure, "level", unit) if measure else None
        info = lexicon.measures().get(measure.measure) if measure else None
        if measure is None:
            reason = "no_measure"
        elif mapping is None:
            reason = (
                "measure_not_in_catalogue" if not lexicon.has_kpi(measure.measure) else f"no_kpi_for_level_in_{unit}"
            )
        if reason is None and info.polarity == "cost" and value < 0:
            value = -value  # a results table writes costs as negative amounts
        if reason is None and not mapping.min_value <= value <= mapping.max_value:
            reason = "implausible_value"
        if reason is not None:
            ctx.out.unmapped.append(
                UnmappedNumber(
                    ctx.meta.document,
                    line,
                    f"{value:g}",
                    value,
                    unit,
                    reason,
                    label,
                    measure.measure if measure else label.strip()[:60],
                )
            )
            continue
        if info.time_kind == "stock":
            start, period_type = end, "point_in_time"
        _fact(
            ctx,
            mapping.kpi_code,
            measure.measure,
            org,
            start,
            end,
            period_type,
            value,
            unit,
            line,
            f"{label}: {value:g}",
            method,
            mapping.breakdown or breakdown,
            scenario,
        )


# ------------------------------------------------------------------ five-year overviews


def _year_overviews(ctx: TableContext, lines: list[str]) -> None:
    caption_unit, scope = None, None
    index = 0
    while index < len(lines):
        text = lines[index]
        caption = _CAPTION.match(text)
        following = _nonblank(lines, index + 1, 2)
        if caption and any(_YEARS_LINE.match(lines[i]) for i in following):
            scope, caption_unit = caption["scope"], caption["unit"]
            index += 1
            continue
        header = _YEARS_LINE.match(text)
        years = _split_years(header.group(1)) if header else []
        if len(years) < 2:
            index += 1
            continue
        org = scope_org(scope, ctx) if scope else (ctx.meta.organisation or ctx.meta.region_name or "")
        ctx.consumed.add(index + 1)
        index += 1
        while index < len(lines):
            label_index = _nonblank(lines, index, 1)
            if not label_index:
                break
            label_at = label_index[0]
            label = lines[label_at]
            if _VALUE_LINE.match(label) or _YEARS_LINE.match(label) or len(label.strip()) > 60:
                break
            if _CAPTION.match(label) and any(_YEARS_LINE.match(lines[i]) for i in _nonblank(lines, label_at + 1, 2)):
                break  # the next table's caption
            value_at = _nonblank(lines, label_at + 1, len(years))
            values = [_value(lines[i]) if _VALUE_LINE.match(lines[i]) else None for i in value_at]
            if len(values) != len(years) or any(v is None for v in values):
                break
            unit = unit_of_row(label, caption_unit)
            cells = [
                (i + 1, value, date(year, 1, 1), date(year, 12, 31), "year")
                for i, (value, _), year in zip(value_at, values, years)
            ]
            row_values(ctx, label.strip(), unit, org, cells, "table:key_figures")
            ctx.consumed.update([label_at + 1] + [i + 1 for i in value_at])
            index = value_at[-1] + 1
        scope, caption_unit = None, None


# ------------------------------------------------------------------ columns of units with a legend


_LEGEND_START = re.compile(r"^\s*[A-ZÅÄÖ][\wÅÄÖåäö:. ]{0,8}?:\s")


def _legend(lines: list[str]) -> dict[str, str]:
    """'DS: Danderyds sjukhus SÖS: Södersjukhuset ...' -> {'DS': 'Danderyds sjukhus', ...}; a
    legend may wrap over several lines."""
    legend: dict[str, str] = {}
    index = 0
    while index < len(lines):
        text = lines[index]
        if text.count(":") < 2 or not _LEGEND_START.match(text):
            index += 1
            continue
        joined = text.strip()
        index += 1
        while (
            index < len(lines)
            and lines[index].strip()
            and ":" in lines[index]
            and not _LEGEND_START.match(lines[index])
        ):
            joined += " " + lines[index].strip()
            index += 1
        for match in _LEGEND_ENTRY.finditer(joined):
            legend[match["key"].strip()] = match["name"].strip()
    return legend


def _column_name(label: str, legend: dict[str, str]) -> str | None:
    if label in legend:
        return legend[label]
    starts = [key for key in legend if key.startswith(label) or label.startswith(key)]
    return legend[starts[0]] if len(starts) == 1 else None


def _align_columns(labels: list[str], count: int, legend: dict[str, str]) -> list[str] | None:
    """Header labels, one per value column: a label split over two lines ('C S:t' / 'Göran') is
    joined when the legend knows the joined form."""
    labels = list(labels)
    while len(labels) > count:
        for position in range(len(labels) - 1):
            joined = f"{labels[position]} {labels[position + 1]}"
            if any(
                joined.startswith(key) or key.startswith(joined) for key in legend if len(key) > len(labels[position])
            ):
                labels[position : position + 2] = [joined]
                break
        else:
            return None
    return labels if len(labels) == count else None


def _unit_columns(ctx: TableContext, lines: list[str]) -> None:
    legend = _legend(lines)
    if len(legend) < 2 or ctx.meta.period_end is None:
        return
    for total_index, text in enumerate(lines):
        if text.strip().lower() not in _TOTAL_LABELS:
            continue
        # the header: the short labels above the total column, up to a longer line
        run = [total_index]
        position = total_index - 1
        while position >= 0 and (
            not lines[position].strip()
            or (len(lines[position].strip()) <= 12 and not _VALUE_LINE.match(lines[position]))
        ):
            if lines[position].strip():
                run.insert(0, position)
            position -= 1
        if len(run) < 3:
            continue
        header = [lines[i].strip() for i in run]
        index = total_index + 1
        used = set(run)
        while index < len(lines):
            label_lines = []
            while (
                index < len(lines)
                and lines[index].strip()
                and not _VALUE_LINE.match(lines[index])
                and len(label_lines) < 3
            ):
                label_lines.append(index)
                index += 1
            value_at = []
            while index < len(lines) and _VALUE_LINE.match(lines[index]):
                value_at.append(index)
                index += 1
            columns = _align_columns(header, len(value_at), legend) if value_at and label_lines else None
            if not columns:
                break
            label = " ".join(lines[i].strip() for i in label_lines)
            for column, value_index in zip(columns, value_at):
                value = _value(lines[value_index])[0]
                total = column.lower() in _TOTAL_LABELS
                org = (ctx.meta.organisation or "") if total else (_column_name(column, legend) or column)
                row_values(
                    ctx,
                    label,
                    "count",
                    org,
                    [(value_index + 1, value, ctx.meta.period_start, ctx.meta.period_end, "point_in_time")],
                    "table:unit_columns",
                )
            used.update(label_lines + value_at)
        if len(used) > len(run):
            ctx.consumed.update(i + 1 for i in used)


# ------------------------------------------------------------------ month series


def _series_measure(lines: list[str], header_index: int):
    """The measure a month series holds: the caption just before or after it."""
    for offset in (-1, -2, -3, 3, 4, 5, 1, 2):
        position = header_index + offset
        if 0 <= position < len(lines) and lines[position].strip() and not _SERIES_ROW.match(lines[position]):
            found = _measure(lines[position])
            if found is not None:
                return found
    return None


def _month_series(ctx: TableContext, lines: list[str]) -> None:
    for index, text in enumerate(lines):
        if not _MONTH_HEADER.match(text):
            continue
        months = [
            (month_number(m.group(1)), int(m.group(2)))
            for m in re.finditer(rf"({MONTH_PATTERN})\s+((?:19|20)\d\d)", text, re.IGNORECASE)
        ]
        if any(m is None for m, _ in months):
            continue
        measure = _series_measure(lines, index)
        rows = []
        position = index + 1
        while position < len(lines):
            row = _SERIES_ROW.match(lines[position])
            if not row:
                break
            values = find_numbers(row["values"])
            if len(values) != len(months):
                break
            rows.append((position, row["label"].strip(), values))
            position += 1
        for row_index, label, values in rows:
            national = bool(_NATIONAL_LABELS.match(label))
            if label.lower() in _TOTAL_LABELS:
                org = ctx.meta.organisation or ""
            elif national:
                org = label
            else:
                org = org_units.resolve(label, ctx.meta.region_code)
            unit = "percent" if all(v.unit == "percent" for v in values) else "count"
            cells = [
                (row_index + 1, v.value, month_end(year, month), month_end(year, month), "point_in_time")
                for v, (month, year) in zip(values, months)
            ]
            row_values(
                ctx,
                measure.text if measure else label,
                unit,
                org,
                cells,
                "table:month_series",
                "Riket" if national else "total",
            )
            ctx.consumed.add(row_index + 1)
        if rows:
            ctx.consumed.add(index + 1)


def extract_key_figures(
    meta: DocumentMeta, lines: list[str], skip: set[int] = frozenset()
) -> tuple[Extraction, set[int]]:
    """Facts from key-figure tables, and the 1-based lines they used."""
    ctx = TableContext(meta, Extraction(), set())
    masked = [text if (number + 1) not in skip else "" for number, text in enumerate(lines)]
    _year_overviews(ctx, masked)
    _unit_columns(ctx, masked)
    _month_series(ctx, masked)
    return ctx.out, ctx.consumed
