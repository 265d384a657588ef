"""Slide charts flattened to text.

Two shapes come out of presentation PDFs:
- bar charts: N value lines ('38%'), then N label lines in the same order, then the chart
  title ('FÖRSTABESÖK - MÅLUPPFYLLELSE VÅRDGARANTI' / 'JANUARI 2024');
- pie charts: label line / value line pairs, then the title, sometimes followed by an inline
  list of the small slices ('Gynekologi 1,3%, Bup 0,8%, psykiatri: 0,8%').

Pie slices carry extraction_method 'chart:pie' (the inline list 'chart:pie_inline_list');
one pie is the set of rows with the same document, kpi_code, period_end and method, so a
consistency check can sum its slices (about 100).
"""

from __future__ import annotations

import re
from datetime import date

from . import org_units
from .periods import MONTH_WORD, month_end, month_number
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .table_rules import CHART_RULES, is_upper_heading, match_rule, measure_for

_VALUE_LINE = re.compile(r"^\s*(?P<sign>[-−–])?(?P<number>\d{1,3}(?:,\d+)?)\s*(?P<percent>%)?\s*$")
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})\s+({MONTH_WORD})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({MONTH_WORD})\.?\s+((?:19|20)\d{{2}})\b", re.IGNORECASE)
_INLINE_ITEM = re.compile(r"(?P<label>[^\W\d_][^,;:%\d]*?)\s*[:;]?\s+(?P<number>\d+(?:,\d+)?)\s?%")

MIN_BARS = 3
MIN_SLICES = 3


def _value(text: str) -> float | None:
    match = _VALUE_LINE.match(text)
    if not match:
        return None
    value = float(match.group("number").replace(",", "."))
    return -value if match.group("sign") else value


def _is_label(text: str) -> bool:
    return bool(text.strip()) and _value(text) is None and bool(re.search(r"[^\W\d_]", text))


# A bar chart on one slide has at most this many bars.
_MAX_CHART_VALUES = 200


def _nonblank(lines: list[str], start: int, skip: set[int], limit: int | None = None) -> list[int]:
    """Indexes (0-based) of non-blank lines from `start` on, stopping at consumed lines.

    `limit` stops the scan early: callers look a few lines ahead, and scanning to the end of
    the document from every line made chart detection quadratic in document length.
    """
    result = []
    for index in range(start, len(lines)):
        if index + 1 in skip or (limit is not None and len(result) >= limit):
            break
        if lines[index].strip():
            result.append(index)
    return result


def chart_period(
    title: str, lines: list[str], first_index: int, meta: DocumentMeta
) -> tuple[date, date, str, str] | None:
    """A chart's period: a full date in the title -> point in time; a month -> that month;
    else the nearest 'month year' above the chart on the slide; else the document's period.
    The last element says where it came from ('heading' or 'document')."""
    full = _FULL_DATE.search(title)
    if full:
        year, month, day = int(full.group(3)), month_number(full.group(2)), int(full.group(1))
        try:
            point = date(year, month, day)
        except ValueError:
            return None
        return point, point, "point_in_time", "heading"
    month_year = _MONTH_YEAR.search(title)
    if month_year is None:
        for index in range(first_index - 1, max(-1, first_index - 40), -1):
            month_year = _MONTH_YEAR.search(lines[index])
            if month_year:
                break
    if month_year:
        year, month = int(month_year.group(2)), month_number(month_year.group(1))
        return date(year, month, 1), month_end(year, month), "month", "heading"
    if meta.period_start and meta.period_end:
        period_type = "month" if meta.period_start.month == meta.period_end.month else "year_to_date"
        return meta.period_start, meta.period_end, period_type, "document"
    return None


def _fact(meta: DocumentMeta, rule, label: str, value: float, period, line: int, text: str, method: str) -> Fact:
    start, end, period_type, period_source = period
    return Fact(
        document=meta.document,
        kpi_code=rule.kpi_code,
        org_unit=org_units.resolve(label, meta.region_code),
        region_code=meta.region_code,
        period_start=start,
        period_end=end,
        period_type=period_type,
        scenario="actual",
        breakdown="total",
        value=value,
        unit=rule.unit,
        is_approximate=False,
        source_line=line,
        source_text=text,
        extraction_method=method,
        measure=measure_for(rule.kpi_code),
        binding="chart",
        period_source=period_source,
    )


def _left_out(out: Extraction, meta: DocumentMeta, lines: list[str], pairs, unit: str | None) -> None:
    """The values of a chart whose KPI or period is not known, listed as unmapped."""
    for label_index, value_index in pairs:
        value_text = lines[value_index].strip()
        source = value_text if label_index is None else f"{lines[label_index].strip()} {value_text}"
        out.unmapped.append(
            UnmappedNumber(
                meta.document,
                value_index + 1,
                value_text,
                _value(lines[value_index]),
                unit,
                "chart_without_known_kpi",
                source,
            )
        )


def _labelled_values(out: Extraction, meta: DocumentMeta, rule, lines: list[str], pairs, period, method: str) -> None:
    """One fact per (label line, value line) pair of a chart."""
    for label_index, value_index in pairs:
        label = lines[label_index].strip()
        out.facts.append(
            _fact(
                meta,
                rule,
                label,
                _value(lines[value_index]),
                period,
                value_index + 1,
                f"{label} {lines[value_index].strip()}",
                method,
            )
        )


def _title_after(lines: list[str], indexes: list[int]) -> list[int]:
    """Title lines right after a chart: upper-case lines or a 'month year' line (at most 3);
    else the single next line."""
    title: list[int] = []
    for index in indexes[:3]:
        text = lines[index].strip()
        if _value(text) is not None:
            break
        if is_upper_heading(text) or (title and _MONTH_YEAR.fullmatch(text)):
            title.append(index)
        else:
            break
    if not title and indexes and _is_label(lines[indexes[0]]):
        title = [indexes[0]]
    return title


def _pie_charts(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
    index = 0
    while index < len(lines):
        if index + 1 in consumed or not _is_label(lines[index]):
            index += 1
            continue
        pairs: list[tuple[int, int]] = []  # (label index, value index)
        cursor = index
        while True:
            following = _nonblank(lines, cursor, consumed, limit=2)
            if len(following) < 2:
                break
            label_index, value_index = following
            if not _is_label(lines[label_index]) or _value(lines[value_index]) is None:
                break
            if "%" not in lines[value_index]:
                break
            pairs.append((label_index, value_index))
            cursor = value_index + 1
        if len(pairs) < MIN_SLICES:
            index += 1
            continue
        after = _nonblank(lines, cursor, consumed, limit=4)
        title_indexes = after[:1] if after and _is_label(lines[after[0]]) else []
        title = " ".join(lines[i].strip() for i in title_indexes)
        rule = match_rule(CHART_RULES, title, title)
        period = chart_period(title, lines, pairs[0][0], meta) if title else None
        if rule is None or period is None:
            _left_out(out, meta, lines, pairs, "percent")
            index = cursor
            continue
        _labelled_values(out, meta, rule, lines, pairs, period, "chart:pie")
        used = {i + 1 for pair in pairs for i in range(pair[0], pair[1] + 1)} | {i + 1 for i in title_indexes}
        # small slices listed inline right after the title
        for list_index in after[1:4]:
            items = list(_INLINE_ITEM.finditer(lines[list_index]))
            rest = _INLINE_ITEM.sub("", lines[list_index])
            if len(items) < 1 or re.search(r"[^\W\d_]", rest):
                break
            for item in items:
                label = item.group("label").strip()
                value = float(item.group("number").replace(",", "."))
                out.facts.append(
                    _fact(
                        meta, rule, label, value, period, list_index + 1, item.group(0).strip(), "chart:pie_inline_list"
                    )
                )
            used.add(list_index + 1)
        consumed |= set(range(pairs[0][0] + 1, max(used) + 1))
        index = max(used)


def _bar_charts(meta: DocumentMeta, lines: list[str], out: Extraction, consumed: set[int]) -> None:
    index = 0
    while index < len(lines):
        if index + 1 in consumed or _value(lines[index]) is None:
            index += 1
            continue
        values: list[int] = []
        cursor = index
        for candidate in _nonblank(lines, index, consumed, limit=_MAX_CHART_VALUES):
            if _value(lines[candidate]) is None:
                break
            values.append(candidate)
            cursor = candidate + 1
        percent_styles = {"%" in lines[i] for i in values}
        if len(values) < MIN_BARS or len(percent_styles) != 1:
            index = cursor
            continue
        following = _nonblank(lines, cursor, consumed, limit=len(values) + 3)
        labels = following[: len(values)]
        if len(labels) < len(values) or not all(_is_label(lines[i]) for i in labels):
            index = cursor
            continue
        title_indexes = _title_after(lines, following[len(values) :])
        title = " ".join(lines[i].strip() for i in title_indexes)
        rule = match_rule(CHART_RULES, title, title)
        period = chart_period(title, lines, values[0], meta) if title else None
        if rule is None or period is None:
            _left_out(out, meta, lines, [(None, value_index) for value_index in values], None)
            index = cursor
            continue
        unit_is_percent = "%" in lines[values[0]]
        if rule.unit == "percent" and not unit_is_percent:
            index = cursor
            continue
        _labelled_values(out, meta, rule, lines, list(zip(labels, values)), period, "chart:bar_values_then_labels")
        last = (title_indexes or labels)[-1]
        consumed |= set(range(values[0] + 1, last + 2))
        index = last + 1


def extract_charts(meta: DocumentMeta, lines: list[str], skip: set[int] | None = None) -> tuple[Extraction, set[int]]:
    out = Extraction()
    consumed: set[int] = set(skip or ())
    before = set(consumed)
    _pie_charts(meta, lines, out, consumed)
    _bar_charts(meta, lines, out, consumed)
    return out, consumed - before
