"""Month tables: rows of '[month] count share% share%', most month labels missing.

Waiting-time tables per month lose most of their month labels in the PDF's text; the labels
that are left fix the sequence, which ends at the latest month the document covers. Two such
tables side by side share each line. The caption names the share columns' KPI, the column
header the count's, the heading above the table the care unit.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial

from . import org_units
from .periods import MONTH_WORD, month_end, month_number
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .table_rules import (
    MONTH_COUNT_RULES,
    MONTH_TABLE_RULES,
    KpiRule,
    match_rule,
    measure_for,
    subject_word,
)
from .table_text import TABLE_CAPTION, Cell, read_cell, text_before

_MONTH_SEGMENT = re.compile(
    rf"(?:(?P<month>{MONTH_WORD})\.?\s+)?(?P<count>\d{{1,3}}(?: \d{{3}})*|\d+)\s+(?P<shares>(?:\d+(?:,\d+)?\s?%\s*)+)",
    re.IGNORECASE,
)


def _month_row(text: str) -> list[tuple[int | None, Cell, list[Cell]]] | None:
    """'Dec 470 19% 43% Dec 168 17% 28%' -> [(12, 470, [19, 43]), (12, 168, [17, 28])]."""
    position = 0
    result = []
    text = text.strip()
    while position < len(text):
        match = _MONTH_SEGMENT.match(text, position)
        if not match:
            return None
        month = month_number(match.group("month")) if match.group("month") else None
        count = read_cell(match.group("count").split())
        shares = [read_cell([s.replace(" ", "")]) for s in re.findall(r"\d+(?:,\d+)?\s?%", match.group("shares"))]
        if count is None or any(s is None for s in shares):
            return None
        result.append((month, count, shares))
        position = match.end()
        while position < len(text) and text[position] == " ":
            position += 1
    return result or None


def extract_month_tables(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
    index = 0
    while index < len(lines):
        parsed = _month_row(lines[index]) if lines[index].strip() else None
        if not parsed or not any(m is not None for m, _, _ in parsed):
            index += 1
            continue
        # a run of month rows (blank lines allowed) with the same number of segments
        width = len(parsed)
        rows: list[tuple[int, list]] = []
        cursor = index
        blanks = 0
        while cursor < len(lines):
            text = lines[cursor].strip()
            if not text:
                blanks += 1
                if blanks > 2:
                    break
                cursor += 1
                continue
            row = _month_row(text)
            if not row or len(row) != width:
                break
            blanks = 0
            rows.append((cursor + 1, row))
            cursor += 1
        if len(rows) < 3:
            index += 1
            continue
        _emit_month_tables(meta, lines, rows, width, out, consumed)
        index = cursor


def _month_sequence(labels: list[int | None], last_allowed: date | None) -> list[tuple[int, int]] | None:
    """Consecutive months for rows with some labels. None when the labels disagree."""
    offsets = {(month - 1 - i) % 12 for i, month in enumerate(labels) if month is not None}
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    last_month = (offset + len(labels) - 1) % 12 + 1
    if last_allowed is None:
        return None
    year = last_allowed.year if last_month <= last_allowed.month else last_allowed.year - 1
    absolute_last = year * 12 + last_month - 1
    first = absolute_last - len(labels) + 1
    return [((first + i) // 12, (first + i) % 12 + 1) for i in range(len(labels))]


def _emit_month_tables(
    meta: DocumentMeta, lines: list[str], rows, width: int, out: Extraction, consumed: set[int]
) -> None:
    first_row_line = rows[0][0]
    # header zone above the rows: 'Tabell N' captions, caption text, column header lines
    zone_start = first_row_line - 1
    while zone_start > 0 and first_row_line - zone_start < 25:
        text = lines[zone_start - 1].strip()
        if TABLE_CAPTION.match(text):
            # keep going: side-by-side captions stand one after another
            zone_start -= 1
            continue
        if text and (len(text) > 60 or re.search(r"\.\s*$", text)):
            break
        zone_start -= 1
    zone = [(i, lines[i - 1].strip()) for i in range(zone_start + 1, first_row_line)]
    captions = [(i, int(m.group(1))) for i, t in zone if (m := TABLE_CAPTION.match(t))]
    caption_texts: list[str] = []
    for position, (line, _) in enumerate(captions):
        end = captions[position + 1][0] if position + 1 < len(captions) else first_row_line
        caption_texts.append(" ".join(t for i, t in zone if line < i < end and t))
    if len(caption_texts) != width:
        caption_texts = [" ".join(t for _, t in zone)] * width
    header_lines = [t for _, t in zone if t and not TABLE_CAPTION.match(t)]
    context = text_before(lines, zone[0][0] if zone else first_row_line, 60) + " " + " ".join(t for _, t in zone)
    last_allowed = meta.period_end
    for position in range(width):
        caption = caption_texts[position]
        labels = [row[position][0] for _, row in rows]
        months = _month_sequence(labels, last_allowed)
        if months is None:
            for line, row in rows:
                out.unmapped.append(
                    UnmappedNumber(
                        meta.document,
                        line,
                        row[position][1].text,
                        row[position][1].value,
                        None,
                        "month_table_months_unresolved",
                        lines[line - 1].strip(),
                    )
                )
            continue
        share_rule = match_rule(MONTH_TABLE_RULES, caption, caption, context)
        count_rule = match_rule(MONTH_COUNT_RULES, " ".join(header_lines), "", context)
        subject = subject_word(caption) or "total"
        share_count = len(rows[0][1][position][2])
        share_labels, count_region = _share_column_labels(header_lines, share_count)
        unit_label = _unit_label(context, count_region)
        org_unit = (
            org_units.resolve(unit_label, meta.region_code)
            if unit_label
            else (org_units.region_name(meta.region_code) or "")
        )
        for (line, row), (year, month) in zip(rows, months):
            _, count, shares = row[position]
            start, end = date(year, month, 1), month_end(year, month)
            source = _segment_text(lines[line - 1], position, width)
            month_fact = partial(_month_fact, meta, org_unit, start, end, line, source)
            if count_rule and count.value is not None:
                out.facts.append(month_fact(count_rule, subject, count.value))
            for share, label in zip(shares, share_labels):
                if share_rule is None or share.value is None:
                    out.unmapped.append(
                        UnmappedNumber(
                            meta.document,
                            line,
                            share.text,
                            share.value,
                            "percent",
                            "month_table_without_known_kpi",
                            source,
                        )
                    )
                    continue
                out.facts.append(month_fact(share_rule, label, share.value))
    for line in range(zone[0][0] if zone else first_row_line, rows[-1][0] + 1):
        consumed.add(line)


def _month_fact(
    meta: DocumentMeta,
    org_unit: str,
    start: date,
    end: date,
    line: int,
    source: str,
    rule: KpiRule,
    breakdown: str,
    value: float,
) -> Fact:
    """A month table's value: its rule's KPI and unit, the month, the column as breakdown."""
    return Fact(
        meta.document,
        rule.kpi_code,
        org_unit,
        meta.region_code,
        start,
        end,
        "month",
        "actual",
        breakdown,
        value,
        rule.unit,
        False,
        line,
        source,
        "table:month_rows",
        measure=measure_for(rule.kpi_code),
        binding="table",
        period_source="table_header",
    )


def _share_column_labels(header_lines: list[str], share_count: int) -> tuple[list[str], str | None]:
    """Column labels of the share cells: the last words of a header line like
    'väntande Vb Vb Riket' ('Vb', 'Riket'); the word before them names the count column's area."""
    for text in header_lines:
        words = text.split()
        if len(words) >= share_count + 1 and all(re.fullmatch(r"[^\W\d_]{2,}", w) for w in words[-share_count:]):
            candidate = words[-share_count:]
            if all(w[0].isupper() for w in candidate):
                before = words[-share_count - 1]
                region = before if before[0].isupper() else None
                return candidate, region
    return [f"column_{n + 1}" for n in range(share_count)], None


def _unit_label(context: str, region_word: str | None) -> str | None:
    """The care unit a month table is about, from the heading above it."""
    # the last mention before the table names it
    match = None
    for match in re.finditer(r"\b(Barn- och ungdomspsykiatri|BUP|Bup)\b", context):  # noqa: B007
        pass
    if match is None:
        return None
    label = match.group(1)
    return f"{label} {region_word}" if region_word else label


def _segment_text(line: str, position: int, width: int) -> str:
    text = line.strip()
    if width == 1:
        return text
    pieces = [m.group(0).strip() for m in _MONTH_SEGMENT.finditer(text)]
    return pieces[position] if position < len(pieces) else text
