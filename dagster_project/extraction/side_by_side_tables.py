"""Tables printed side by side, each with a 'TITLE - SUBJECT YYYY MM' header.

Two or three tables share each flattened line; their headers stand above the rows, each
followed by its 'Differens YYYY MM' columns. Which table a short row belongs to is decided by
the sort order it continues. The period is the text's date for the tables ('se tabell 1 och
2' in a paragraph that says '31 december 2022') over the header month; a disagreement, a
duplicated row or a misprinted cell is recorded as an UnmappedNumber whose reason starts with
'contradiction:', and a fact built from a repaired cell has an extraction_method ending in
':repaired_cell'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import org_units
from .normalise import fold
from .periods import MONTH_WORD, month_end, month_number
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .table_rules import TABLE_RULES, KpiRule, is_upper_heading, match_rule, measure_for
from .table_text import (
    TABLE_CAPTION,
    Cell,
    Segment,
    is_total_label,
    split_cells,
    split_segments,
)

# '31 december 2022', 'sista december 2022', 'den 30 april 2023'
_TEXT_DATE = re.compile(rf"\b(?:(\d{{1,2}})|sista)\s+({MONTH_WORD})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)


# The year and month that end a header line; the title is what stands before them. Searched, not
# matched with a leading '.*': a title pattern like '.*[^\W\d_].*?' backtracks quadratically on long lines.
_PERIOD_HEADER = re.compile(r"(?<=\s)(?P<year>(?:19|20)\d{2})[ -]?(?P<month>0[1-9]|1[0-2])$")
_YEAR_MONTH = re.compile(r"^(?P<year>(?:19|20)\d{2})[ -]?(?P<month>0[1-9]|1[0-2])$")
_DIFF_WORDS = ("differens", "diff", "förändring", "skillnad")


@dataclass
class Column:
    breakdown: str  # 'total' or 'diff_vs_YYYY_MM'
    year: int
    month: int


@dataclass
class TableHeader:
    line: int
    title: str
    year: int
    month: int
    columns: list[Column] = field(default_factory=list)


@dataclass
class TableState:
    header: TableHeader
    caption: str
    number: int | None
    rule: KpiRule | None
    rows: list[tuple[int, Segment, list[Cell]]] = field(default_factory=list)
    seen: dict[tuple, int] = field(default_factory=dict)
    closed: bool = False


def _read_headers(lines: list[str], start: int) -> tuple[list[TableHeader], int]:
    """Period headers and their 'Differens YYYY MM' columns from line index `start` on.

    Returns the headers and the index of the first line after the header zone.
    """
    headers: list[TableHeader] = []
    index = start
    pending_diff = False
    last_content = start
    while index < len(lines) and index < start + 30:
        text = lines[index].strip()
        if not text:
            index += 1
            continue
        header = _PERIOD_HEADER.search(text)
        title = text[: header.start()] if header else ""
        if header and not re.search(r"[^\W\d_]", title):
            header = None  # a title needs a letter
        year_month = _YEAR_MONTH.match(text)
        diff_inline = re.match(
            rf"^(?:{'|'.join(_DIFF_WORDS)})\s+((?:19|20)\d{{2}})[ -]?(0[1-9]|1[0-2])$", text, re.IGNORECASE
        )
        if header and is_upper_heading(title) and fold(title) not in _DIFF_WORDS:
            year, month = int(header.group("year")), int(header.group("month"))
            headers.append(TableHeader(index + 1, title.strip(), year, month, [Column("total", year, month)]))
            pending_diff = False
        elif headers and fold(text) in _DIFF_WORDS:
            pending_diff = True
        elif headers and pending_diff and year_month:
            year, month = int(year_month.group("year")), int(year_month.group("month"))
            headers[-1].columns.append(Column(f"diff_vs_{year}_{month:02d}", year, month))
            pending_diff = False
        elif headers and diff_inline:
            year, month = int(diff_inline.group(1)), int(diff_inline.group(2))
            headers[-1].columns.append(Column(f"diff_vs_{year}_{month:02d}", year, month))
        else:
            break
        last_content = index
        index += 1
    return headers, last_content + 1


def _text_date_for_tables(lines: list[str], first_line: int, numbers: list[int]) -> tuple[date | None, int | None]:
    """The date the text before a table gives for it ('se tabell 1 och 2' in a paragraph
    that says '31 december 2022'). Returns the date and its line."""
    window_start = max(0, first_line - 60)
    # paragraphs: runs of non-blank lines
    paragraphs: list[list[int]] = []
    current: list[int] = []
    for index in range(window_start, first_line - 1):
        if lines[index].strip():
            current.append(index)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    wanted = {str(n) for n in numbers}
    for paragraph in reversed(paragraphs):
        text = " ".join(lines[i] for i in paragraph)
        mentions = [
            m
            for m in re.finditer(r"tabell(?:erna)?\s+(\d+)(?:\s*(?:och|,|-|–)\s*(\d+))?", text, re.IGNORECASE)
            if {m.group(1), m.group(2)} & wanted
        ]
        if not mentions:
            continue
        dates = [m for m in _TEXT_DATE.finditer(text) if m.start() < mentions[-1].start()]
        if not dates:
            return None, None
        found = dates[-1]
        year, month = int(found.group(3)), month_number(found.group(2))
        day = int(found.group(1)) if found.group(1) else month_end(year, month).day
        try:
            value = date(year, month, day)
        except ValueError:
            return None, None
        # the line where the date stands
        offset = found.start()
        for i in paragraph:
            if offset <= len(lines[i]):
                return value, i + 1
            offset -= len(lines[i]) + 1
        return value, paragraph[-1] + 1
    return None, None


def _choose_cells(options: list[list[Cell]], table: TableState, label: str) -> list[Cell]:
    """Pick one reading of a grouped-digit run: for a total row the one equal to the column
    sums of the rows above; otherwise the greedy one (first)."""
    if len(options) > 1 and is_total_label(label) and not fold(label).startswith(("medel", "genomsnitt")):
        for option in options:
            sums_ok = True
            for column, cell in enumerate(option):
                values = [cells[column].value for _, _, cells in table.rows if cells[column].value is not None]
                if cell.value is not None and values and abs(sum(values) - cell.value) > 0.5:
                    sums_ok = False
            if sums_ok:
                return option
    return options[0]


def _sorted_direction(values: list[float]) -> int:
    ups = sum(1 for a, b in zip(values, values[1:]) if b > a)
    downs = sum(1 for a, b in zip(values, values[1:]) if b < a)
    return 1 if ups > downs else -1 if downs > ups else 0


def _pick_table(tables: list[TableState], segment: Segment, count_per_table: list[int]) -> TableState | None:
    """For a line with fewer segments than tables: the open table whose sort order the row
    continues, else the first open one."""
    open_tables = [t for t in tables if not t.closed]
    if not open_tables:
        return None
    for table in open_tables:
        options = split_cells(segment.tokens, len(table.header.columns))
        if not options:
            continue
        value = options[0][0].value
        levels = [
            cells[0].value for _, s, cells in table.rows if cells[0].value is not None and not is_total_label(s.label)
        ]
        direction = _sorted_direction(levels)
        if value is None or not levels or direction == 0:
            continue
        if (value - levels[-1]) * direction >= 0:
            return table
    return open_tables[0]


def extract_side_by_side_tables(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
    index = 0
    while index < len(lines):
        headers, data_start = _read_headers(lines, index)
        if not headers or not any(len(h.columns) >= 1 for h in headers):
            index += 1
            continue
        first_header_line = headers[0].line
        # captions: 'Tabell N' lines and their text, in the 20 lines above the headers
        captions: list[tuple[int, int, str]] = []  # (line, number, caption text)
        for i in range(max(0, first_header_line - 22), first_header_line - 1):
            match = TABLE_CAPTION.match(lines[i])
            if match:
                captions.append((i + 1, int(match.group(1)), ""))
        caption_texts = []
        for position, (line, number, _) in enumerate(captions):
            end = captions[position + 1][0] - 1 if position + 1 < len(captions) else first_header_line - 1
            text = " ".join(part.strip() for part in lines[line:end] if part.strip())
            caption_texts.append((line, number, text))
        block_start = caption_texts[0][0] if caption_texts else first_header_line
        tables: list[TableState] = []
        for position, header in enumerate(headers):
            if len(caption_texts) == len(headers):
                _, number, caption = caption_texts[position]
            elif caption_texts:
                _, number, caption = caption_texts[min(position, len(caption_texts) - 1)]
            else:
                number, caption = None, ""
            rule = match_rule(TABLE_RULES, caption + " " + header.title, header.title)
            tables.append(TableState(header, caption, number, rule))
        # rows
        row_index = data_start
        blank_run = 0
        last_row_line = data_start
        while row_index < len(lines):
            text = lines[row_index].strip()
            if not text:
                blank_run += 1
                if blank_run > 2:
                    break
                row_index += 1
                continue
            blank_run = 0
            if text.startswith("*"):  # footnote of the table ('*Började mäta 2022')
                consumed.add(row_index + 1)
                row_index += 1
                continue
            segments = split_segments(text)
            if not segments:
                break
            if len(segments) > len(tables):
                break
            targets = tables[: len(segments)] if len(segments) == len(tables) else None
            for position, segment in enumerate(segments):
                table = targets[position] if targets else _pick_table(tables, segment, [])
                if table is None:
                    continue
                options = split_cells(segment.tokens, len(table.header.columns))
                if not options:
                    out.unmapped.append(
                        UnmappedNumber(
                            meta.document,
                            row_index + 1,
                            " ".join(segment.tokens),
                            None,
                            None,
                            "table_row_cells_do_not_fit_columns",
                            segment.text,
                        )
                    )
                    continue
                cells = _choose_cells(options, table, segment.label)
                _table_row(meta, table, row_index + 1, segment, cells, out)
                if is_total_label(segment.label) and fold(segment.label).startswith(("totalt", "total", "summa")):
                    table.closed = True
            consumed.add(row_index + 1)
            last_row_line = row_index + 1
            row_index += 1
        if not any(t.rows for t in tables):
            index = data_start
            continue
        for line in range(block_start, data_start + 1):
            consumed.add(line)
        # period: the text's date wins over the header month; a disagreement is recorded
        numbers = [t.number for t in tables if t.number is not None]
        text_date, text_line = _text_date_for_tables(lines, block_start, numbers)
        for table in tables:
            _emit_table(meta, table, text_date, text_line, out)
        index = max(last_row_line, data_start)


def _table_row(
    meta: DocumentMeta, table: TableState, line: int, segment: Segment, cells: list[Cell], out: Extraction
) -> None:
    key = (fold(segment.label), tuple(c.value for c in cells))
    if key in table.seen:
        out.unmapped.append(
            UnmappedNumber(
                meta.document,
                line,
                " ".join(segment.tokens),
                cells[0].value,
                None,
                f"contradiction:duplicate_table_row: same row as line {table.seen[key]}",
                segment.text,
            )
        )
        return
    table.seen[key] = line
    table.rows.append((line, segment, cells))


def _emit_table(
    meta: DocumentMeta, table: TableState, text_date: date | None, text_line: int | None, out: Extraction
) -> None:
    header = table.header
    header_end = month_end(header.year, header.month)
    period_end = header_end
    if text_date is not None:
        period_end = text_date
        if text_date != header_end:
            out.unmapped.append(
                UnmappedNumber(
                    meta.document,
                    header.line,
                    f"{header.year} {header.month:02d}",
                    None,
                    None,
                    f"contradiction:table_header_period: header says {header.year}-{header.month:02d}, "
                    f"text (line {text_line}) says {text_date.isoformat()}; text date used",
                    f"{header.title} {header.year} {header.month:02d}",
                )
            )
    for line, segment, cells in table.rows:
        for column, cell in zip(header.columns, cells):
            if cell.value is None:
                continue
            if table.rule is None:
                out.unmapped.append(
                    UnmappedNumber(
                        meta.document, line, cell.text, cell.value, None, "table_without_known_kpi", segment.text
                    )
                )
                continue
            method = "table:side_by_side"
            if cell.repaired:
                method += ":repaired_cell"
                out.unmapped.append(
                    UnmappedNumber(
                        meta.document,
                        line,
                        cell.text,
                        cell.value,
                        table.rule.unit,
                        f"contradiction:misprinted_cell: '{cell.text}' read as {cell.value:g}",
                        segment.text,
                    )
                )
            out.facts.append(
                Fact(
                    document=meta.document,
                    kpi_code=table.rule.kpi_code,
                    org_unit=org_units.resolve(segment.label, meta.region_code),
                    region_code=meta.region_code,
                    period_start=period_end,
                    period_end=period_end,
                    period_type="point_in_time",
                    scenario="actual",
                    breakdown=column.breakdown,
                    value=cell.value,
                    unit=table.rule.unit,
                    is_approximate=False,
                    source_line=line,
                    source_text=segment.text,
                    extraction_method=method,
                    measure=measure_for(table.rule.kpi_code),
                    binding="table",
                    period_source="table_header",
                )
            )
