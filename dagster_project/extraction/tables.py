"""Flattened tables and slide charts -> KPI facts.

PDF text extraction flattens a table into lines: two tables printed side by side share each
line ('Onkologi Nus 99 -1 Thoraxkirurgi Nus 84 -7'), month tables lose most of their month
labels, and slide charts arrive as a run of values followed by a run of labels. The parsers
here read that structure (headers, cell counts, label/value runs); which KPI a block holds is
decided from its caption and column headers through small keyword tables, never from the
document's name or line numbers.

Contradictions found while reading a table (a header month that disagrees with the text, a
duplicated row, a misprinted cell) are recorded as UnmappedNumber rows whose reason starts
with 'contradiction:' so consistency checks can list them; facts built from a repaired cell
carry an extraction_method ending in ':repaired_cell'.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date

from . import org_units
from .normalise import fold
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber

# Month words as they stand in table labels and slide titles; own copy so this module does
# not depend on the text rules' period code.
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
# '31 december 2022', 'sista december 2022', 'den 30 april 2023'
_TEXT_DATE = re.compile(rf"\b(?:(\d{{1,2}})|sista)\s+({_MONTH_WORD})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORD})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)

# Labels of rows that total or average the rows of a table.
_TOTAL_WORDS = ("totalt", "total", "summa", "medel", "genomsnitt", "samtliga")


def month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


# ----------------------------------------------------------------------------------------
# KPI keyword tables. A block's caption and column header are folded and matched here.

@dataclass(frozen=True)
class KpiRule:
    kpi_code: str
    unit: str
    caption_any: tuple[str, ...]  # one of these in the caption (or chart title)
    subject_any: tuple[str, ...]  # one of these in the column header / title (empty: any)
    context_any: tuple[str, ...] = ()  # one of these in the text before the block (empty: any)


_FIRST_VISIT = ("förstabesök", "nybesök", "första besök")
_TREATMENT = ("åtgärd", "operation", "behandling")

TABLE_RULES = (
    KpiRule("waiting_over_90_days_first_visit_count", "count", ("längre än 90",), _FIRST_VISIT),
    KpiRule("waiting_over_90_days_treatment_count", "count", ("längre än 90",), _TREATMENT),
    KpiRule("care_guarantee_first_visit_pct", "percent", ("inom 90", "vårdgaranti"), _FIRST_VISIT),
    KpiRule("care_guarantee_treatment_pct", "percent", ("inom 90", "vårdgaranti"), _TREATMENT),
)

# Month tables: (share column KPI, count column KPI); the subject word goes to the breakdown.
MONTH_TABLE_RULES = (
    KpiRule("bup_first_visit_30_days_pct", "percent", ("inom 30",), _FIRST_VISIT, ("barn och ungdomspsykiatri", "bup")),
    KpiRule("bup_treatment_30_days_pct", "percent", ("inom 30",), _TREATMENT, ("barn och ungdomspsykiatri", "bup")),
)
MONTH_COUNT_RULES = (
    KpiRule("bup_waiting_count", "count", ("totalt väntande", "antal väntande"), (), ("barn och ungdomspsykiatri", "bup")),
)

CHART_RULES = (
    KpiRule("share_waiting_over_90_days_pct", "percent", ("längre än 90",), ("andel",)),
    KpiRule("care_guarantee_first_visit_pct", "percent", ("vårdgaranti", "inom 90"), _FIRST_VISIT),
    KpiRule("care_guarantee_treatment_pct", "percent", ("vårdgaranti", "inom 90"), _TREATMENT),
    KpiRule("medical_assessment_3_days_pct", "percent", ("medicinsk bedömning",), ()),
    KpiRule("phone_same_day_pct", "percent", ("samma dag",), ("telefon", "samtal")),
)


_UNIT_SUFFIXES = ("_count", "_pct", "_mnkr", "_days", "_index")


def measure_for(kpi_code: str) -> str:
    """The measure a table or chart column states: its KPI rule names exactly one, so the
    KPI code without its unit suffix ('waiting_over_90_days_first_visit')."""
    for suffix in _UNIT_SUFFIXES:
        if kpi_code.endswith(suffix):
            return kpi_code[: -len(suffix)]
    return kpi_code


def match_rule(rules, caption: str, subject: str, context: str = "") -> KpiRule | None:
    caption, subject, context = fold(caption), fold(subject), fold(context)
    for rule in rules:
        if not any(fold(word) in caption for word in rule.caption_any):
            continue
        if rule.subject_any and not any(fold(word) in subject for word in rule.subject_any):
            continue
        if rule.context_any and not any(fold(word) in context for word in rule.context_any):
            continue
        return rule
    return None


def subject_word(text: str) -> str | None:
    """'förstabesök' or 'behandling'/'åtgärd' as written in a caption, lower case."""
    folded = fold(text)
    for word in _FIRST_VISIT + _TREATMENT:
        if fold(word) in folded:
            return word
    return None


# ----------------------------------------------------------------------------------------
# Cells and rows

# One whitespace token of a cell run: a signed number, a three-digit continuation group, a
# percentage, a lone dash (empty cell) or '.15' (a minus sign printed as a full stop).
_CELL_TOKEN = re.compile(r"^(?:[-−–+]?\d+(?:,\d+)?%?|-|−|–|\.\d+)$")


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None  # None for an empty cell ('-')
    repaired: bool = False  # '.15' read as -15
    percent: bool = False


def _head_ok(token: str) -> bool:
    return bool(re.fullmatch(r"[-−–+]?\d{1,3}(?:,\d+)?%?|[-−–+]?\d+(?:,\d+)?%?|[-−–]|\.\d+", token))


def _cell(tokens: list[str]) -> Cell | None:
    text = " ".join(tokens)
    head = tokens[0]
    if head in "-−–" and len(tokens) == 1:
        return Cell(text, None)
    percent = text.endswith("%")
    body = text.rstrip("%").strip()
    if re.fullmatch(r"\.\d+", body):
        # a minus sign that the PDF printed as a full stop; kept detectable via `repaired`
        return Cell(text, -float(body[1:]), repaired=True, percent=percent)
    if len(tokens) > 1:
        if not re.fullmatch(r"[-−–+]?\d{1,3}", tokens[0]):
            return None
        if not all(re.fullmatch(r"\d{3}", t) for t in tokens[1:-1]):
            return None
        if not re.fullmatch(r"\d{3}(?:,\d+)?%?", tokens[-1]):
            return None
        if any(t.endswith("%") for t in tokens[:-1]):
            return None
    sign = -1.0 if body[0] in "-−–" else 1.0
    digits = body.lstrip("-−–+").replace(" ", "").replace(",", ".")
    try:
        return Cell(text, sign * float(digits), percent=percent)
    except ValueError:
        return None


def split_cells(tokens: list[str], count: int) -> list[list[Cell]]:
    """Every way to read a run of tokens as exactly `count` cells, greediest first cell first.

    '3 435 570' as two cells is '3 435' + '570' or '3' + '435 570'; the caller chooses.
    """
    results: list[list[Cell]] = []

    def walk(start: int, remaining: int, acc: list[Cell]) -> None:
        if remaining == 0:
            if start == len(tokens):
                results.append(list(acc))
            return
        if start >= len(tokens) or not _head_ok(tokens[start]):
            return
        # longest first so the first result is the greedy reading
        for end in range(len(tokens), start, -1):
            if len(tokens) - end < remaining - 1:
                continue
            cell = _cell(tokens[start:end])
            if cell is None:
                continue
            acc.append(cell)
            walk(end, remaining - 1, acc)
            acc.pop()

    walk(0, count, [])
    return results


@dataclass
class Segment:
    """One table's part of a flattened line: a label and the cell tokens after it."""

    label: str
    tokens: list[str]
    text: str


def split_segments(line: str) -> list[Segment]:
    """'A 1 2 B c 3 4' -> [A: 1 2], [B c: 3 4]. Empty when the line does not end in cells."""
    tokens = line.split()
    segments: list[Segment] = []
    label: list[str] = []
    cells: list[str] = []
    for token in tokens:
        if _CELL_TOKEN.match(token):
            cells.append(token)
        else:
            if cells:
                if not label:
                    return []
                segments.append(Segment(" ".join(label), cells, " ".join(label + cells)))
                label, cells = [], []
            label.append(token)
    if label and cells:
        segments.append(Segment(" ".join(label), cells, " ".join(label + cells)))
    elif label:
        return []
    # a label needs a letter; a lone dash token inside a label is not a cell run
    if not segments or any(not re.search(r"[^\W\d_]", s.label) for s in segments):
        return []
    return segments


def is_total_label(label: str) -> bool:
    first = fold(label).split(" ")[0] if label.strip() else ""
    return first in _TOTAL_WORDS


# ----------------------------------------------------------------------------------------
# Side-by-side tables with a 'TITLE - SUBJECT YYYY MM' header per table

# The year and month that end a header line; the title is what stands before them. Searched, not
# matched with a leading '.*': a title pattern like '.*[^\W\d_].*?' backtracks quadratically on long lines.
_PERIOD_HEADER = re.compile(r"(?<=\s)(?P<year>(?:19|20)\d{2})[ -]?(?P<month>0[1-9]|1[0-2])$")
_YEAR_MONTH = re.compile(r"^(?P<year>(?:19|20)\d{2})[ -]?(?P<month>0[1-9]|1[0-2])$")
_TABLE_CAPTION = re.compile(r"^\s*tabell\s+(\d+)\b", re.IGNORECASE)
_DIFF_WORDS = ("differens", "diff", "förändring", "skillnad")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


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
        diff_inline = re.match(rf"^(?:{'|'.join(_DIFF_WORDS)})\s+((?:19|20)\d{{2}})[ -]?(0[1-9]|1[0-2])$", text, re.IGNORECASE)
        if header and _is_upper(title) and not fold(title) in _DIFF_WORDS:
            year, month = int(header.group("year")), int(header.group("month"))
            headers.append(TableHeader(index + 1, title.strip(), year, month,
                                       [Column("total", year, month)]))
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
        mentions = [m for m in re.finditer(r"tabell(?:erna)?\s+(\d+)(?:\s*(?:och|,|-|–)\s*(\d+))?", text, re.IGNORECASE)
                    if {m.group(1), m.group(2)} & wanted]
        if not mentions:
            continue
        dates = [m for m in _TEXT_DATE.finditer(text) if m.start() < mentions[-1].start()]
        if not dates:
            return None, None
        found = dates[-1]
        year, month = int(found.group(3)), MONTHS[found.group(2).lower()]
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


def _context(lines: list[str], line: int, before: int = 40) -> str:
    return " ".join(lines[max(0, line - 1 - before): line - 1])


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
        levels = [cells[0].value for _, s, cells in table.rows if cells[0].value is not None and not is_total_label(s.label)]
        direction = _sorted_direction(levels)
        if value is None or not levels or direction == 0:
            continue
        if (value - levels[-1]) * direction >= 0:
            return table
    return open_tables[0]


def _side_by_side(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
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
            match = _TABLE_CAPTION.match(lines[i])
            if match:
                captions.append((i + 1, int(match.group(1)), ""))
        caption_texts = []
        for position, (line, number, _) in enumerate(captions):
            end = captions[position + 1][0] - 1 if position + 1 < len(captions) else first_header_line - 1
            text = " ".join(l.strip() for l in lines[line:end] if l.strip())
            caption_texts.append((line, number, text))
        block_start = caption_texts[0][0] if caption_texts else first_header_line
        context = _context(lines, block_start)
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
                    out.unmapped.append(UnmappedNumber(meta.document, row_index + 1, " ".join(segment.tokens), None, None,
                                                       "table_row_cells_do_not_fit_columns", segment.text))
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


def _table_row(meta: DocumentMeta, table: TableState, line: int, segment: Segment, cells: list[Cell], out: Extraction) -> None:
    key = (fold(segment.label), tuple(c.value for c in cells))
    if key in table.seen:
        out.unmapped.append(UnmappedNumber(
            meta.document, line, " ".join(segment.tokens), cells[0].value, None,
            f"contradiction:duplicate_table_row: same row as line {table.seen[key]}", segment.text))
        return
    table.seen[key] = line
    table.rows.append((line, segment, cells))


def _emit_table(meta: DocumentMeta, table: TableState, text_date: date | None, text_line: int | None, out: Extraction) -> None:
    header = table.header
    header_end = month_end(header.year, header.month)
    period_end = header_end
    if text_date is not None:
        period_end = text_date
        if text_date != header_end:
            out.unmapped.append(UnmappedNumber(
                meta.document, header.line, f"{header.year} {header.month:02d}", None, None,
                f"contradiction:table_header_period: header says {header.year}-{header.month:02d}, "
                f"text (line {text_line}) says {text_date.isoformat()}; text date used",
                f"{header.title} {header.year} {header.month:02d}"))
    for line, segment, cells in table.rows:
        for column, cell in zip(header.columns, cells):
            if cell.value is None:
                continue
            if table.rule is None:
                out.unmapped.append(UnmappedNumber(meta.document, line, cell.text, cell.value, None,
                                                   "table_without_known_kpi", segment.text))
                continue
            method = "table:side_by_side"
            if cell.repaired:
                method += ":repaired_cell"
                out.unmapped.append(UnmappedNumber(
                    meta.document, line, cell.text, cell.value, table.rule.unit,
                    f"contradiction:misprinted_cell: '{cell.text}' read as {cell.value:g}", segment.text))
            out.facts.append(Fact(
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
            ))


# ----------------------------------------------------------------------------------------
# Month tables: rows of [month] count share% share%, most month labels missing

_MONTH_SEGMENT = re.compile(
    rf"(?:(?P<month>{_MONTH_WORD})\.?\s+)?(?P<count>\d{{1,3}}(?: \d{{3}})*|\d+)\s+(?P<shares>(?:\d+(?:,\d+)?\s?%\s*)+)",
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
        month = MONTHS[match.group("month").lower()] if match.group("month") else None
        count = _cell(match.group("count").split())
        shares = [_cell([s.replace(" ", "")]) for s in re.findall(r"\d+(?:,\d+)?\s?%", match.group("shares"))]
        if count is None or any(s is None for s in shares):
            return None
        result.append((month, count, shares))
        position = match.end()
        while position < len(text) and text[position] == " ":
            position += 1
    return result or None


def _month_tables(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
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


def _emit_month_tables(meta: DocumentMeta, lines: list[str], rows, width: int, out: Extraction, consumed: set[int]) -> None:
    first_row_line = rows[0][0]
    # header zone above the rows: 'Tabell N' captions, caption text, column header lines
    zone_start = first_row_line - 1
    while zone_start > 0 and first_row_line - zone_start < 25:
        text = lines[zone_start - 1].strip()
        if _TABLE_CAPTION.match(text):
            # keep going: side-by-side captions stand one after another
            zone_start -= 1
            continue
        if text and (len(text) > 60 or re.search(r"\.\s*$", text)):
            break
        zone_start -= 1
    zone = [(i, lines[i - 1].strip()) for i in range(zone_start + 1, first_row_line)]
    captions = [(i, int(m.group(1))) for i, t in zone if (m := _TABLE_CAPTION.match(t))]
    caption_texts: list[str] = []
    for position, (line, _) in enumerate(captions):
        end = captions[position + 1][0] if position + 1 < len(captions) else first_row_line
        caption_texts.append(" ".join(t for i, t in zone if line < i < end and t))
    if len(caption_texts) != width:
        caption_texts = [" ".join(t for _, t in zone)] * width
    header_lines = [t for _, t in zone if t and not _TABLE_CAPTION.match(t)]
    context = _context(lines, zone[0][0] if zone else first_row_line, 60) + " " + " ".join(t for _, t in zone)
    last_allowed = meta.period_end
    for position in range(width):
        caption = caption_texts[position]
        labels = [row[position][0] for _, row in rows]
        months = _month_sequence(labels, last_allowed)
        if months is None:
            for line, row in rows:
                out.unmapped.append(UnmappedNumber(meta.document, line, row[position][1].text, row[position][1].value, None,
                                                   "month_table_months_unresolved", lines[line - 1].strip()))
            continue
        share_rule = match_rule(MONTH_TABLE_RULES, caption, caption, context)
        count_rule = match_rule(MONTH_COUNT_RULES, " ".join(header_lines), "", context)
        subject = subject_word(caption) or "total"
        share_count = len(rows[0][1][position][2])
        share_labels, count_region = _share_column_labels(header_lines, share_count)
        unit_label = _unit_label(context, count_region)
        org_unit = org_units.resolve(unit_label, meta.region_code) if unit_label else (org_units.region_name(meta.region_code) or "")
        for (line, row), (year, month) in zip(rows, months):
            _, count, shares = row[position]
            start, end = date(year, month, 1), month_end(year, month)
            source = _segment_text(lines[line - 1], position, width)
            if count_rule and count.value is not None:
                out.facts.append(Fact(meta.document, count_rule.kpi_code, org_unit, meta.region_code, start, end, "month",
                                      "actual", subject, count.value, count_rule.unit, False, line, source,
                                      "table:month_rows", measure=measure_for(count_rule.kpi_code), binding="table",
                                      period_source="table_header"))
            for share, label in zip(shares, share_labels):
                if share_rule is None or share.value is None:
                    out.unmapped.append(UnmappedNumber(meta.document, line, share.text, share.value, "percent",
                                                       "month_table_without_known_kpi", source))
                    continue
                out.facts.append(Fact(meta.document, share_rule.kpi_code, org_unit, meta.region_code, start, end, "month",
                                      "actual", label, share.value, "percent", False, line, source,
                                      "table:month_rows", measure=measure_for(share_rule.kpi_code), binding="table",
                                      period_source="table_header"))
    for line in range(zone[0][0] if zone else first_row_line, rows[-1][0] + 1):
        consumed.add(line)


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
    match = None
    for match in re.finditer(r"\b(Barn- och ungdomspsykiatri|BUP|Bup)\b", context):
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


# ----------------------------------------------------------------------------------------

def extract_tables(meta: DocumentMeta, lines: list[str]) -> tuple[Extraction, set[int]]:
    """Facts from flattened tables and slide charts, and the 1-based lines they used."""
    from .charts import extract_charts

    out = Extraction()
    consumed: set[int] = set()
    _side_by_side(meta, lines, out, consumed)
    _month_tables(meta, lines, out, consumed)
    charts, chart_lines = extract_charts(meta, lines, skip=consumed)
    out.extend(charts)
    consumed |= chart_lines
    return out, consumed
