"""Swedish months, month ends and the period phrases reports use.

Plain functions so the document classifier and the running-text extractor read periods the
same way. A parsed period is a tuple (start, end, period_type) with the period types of
records.Period: month, year_to_date, year, rolling_12_months, point_in_time, quarter, tertial.
A month range that is none of those (e.g. 'mars - maj') gets 'month_range'.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)

# Every spelling seen in reports -> month number. Abbreviations occur with or without a dot.
MONTHS: dict[str, int] = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update(
    {
        "jan": 1,
        "feb": 2,
        "febr": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "nov": 11,
        "dec": 12,
    }
)

# Longest first so 'januari' wins over 'jan' in an alternation. MONTH_WORD captures the word
# alone (read it with month_number); MONTH_PATTERN takes an abbreviation's full stop too.
MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_PATTERN = "(?:" + MONTH_WORD + r")\.?"
_MONTH = rf"(?P<{{name}}>{MONTH_PATTERN})"
_DASH = r"\s*(?:-|–|—|till|t\.o\.m\.?)\s*"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"

Span = tuple[date, date, str]


def month_number(word: str) -> int | None:
    """1..12 for a Swedish month name or abbreviation ('Feb.', 'sept'), else None."""
    return MONTHS.get(word.strip().rstrip(".").lower())


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_range_type(first: int, last: int) -> str:
    if first == last:
        return "month"
    if first == 1:
        return "year_to_date"
    if last - first == 2 and first % 3 == 1:
        return "quarter"
    if last - first == 3 and first % 4 == 1:
        return "tertial"
    return "month_range"


def month_range(year: int, first: int, last: int, end_year: int | None = None) -> Span:
    """Jan..Apr 2023 -> (2023-01-01, 2023-04-30, 'year_to_date')."""
    end_year = year if end_year is None else end_year
    start = date(year, first, 1)
    end = month_end(end_year, last)
    if end_year != year:
        months = (end_year - year) * 12 + last - first + 1
        return start, end, "rolling_12_months" if months == 12 else "month_range"
    return start, end, _month_range_type(first, last)


_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)(?P<day>[0-3]?\d)\s+" + _MONTH.format(name="month") + r"\s+" + _YEAR.format(name="year"),
    re.IGNORECASE,
)
_LAST_OF_MONTH = re.compile(
    r"\bsista\s+" + _MONTH.format(name="month") + r"(?:\s+" + _YEAR.format(name="year") + ")?",
    re.IGNORECASE,
)
_R12 = re.compile(r"\bR12\s*\(?\s*(\d\d)(\d\d)\s*[-–]\s*(\d\d)(\d\d)\s*\)?", re.IGNORECASE)
_RANGE = re.compile(
    r"\b"
    + _MONTH.format(name="first")
    + r"(?:\s+"
    + _YEAR.format(name="first_year")
    + r")?"
    + _DASH
    + _MONTH.format(name="last")
    + r"(?:\s+"
    + _YEAR.format(name="year")
    + r")?(?![\wåäö])",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(
    r"\b" + _MONTH.format(name="month") + r"\s+" + _YEAR.format(name="year") + r"\b", re.IGNORECASE
)
_TERTIAL = re.compile(r"\b(?:T|tertial\s*)([1-3])\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_QUARTER = re.compile(r"\b(?:Q|kvartal\s*)([1-4])\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"(?:^|\b(?:år|året|helår|helåret)\s+)((?:19|20)\d\d)$", re.IGNORECASE)


def parse_date(text: str, default_year: int | None = None) -> date | None:
    """The first date in `text`: '2024-02-28', '31 december 2022', 'sista februari [2024]'."""
    found = _ISO_DATE.search(text)
    if found:
        try:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        except ValueError:
            return None
    found = _DAY_MONTH_YEAR.search(text)
    if found:
        try:
            return date(int(found["year"]), month_number(found["month"]), int(found["day"]))
        except ValueError:
            return None
    found = _LAST_OF_MONTH.search(text)
    if found:
        year = int(found["year"]) if found["year"] else default_year
        if year is not None:
            return month_end(year, month_number(found["month"]))
    return None


def _two_digit_year(yy: str) -> int:
    return 2000 + int(yy)  # 'R12 (2409-2508)': reports of this century only


def parse_period(text: str, default_year: int | None = None) -> Span | None:
    """The period a phrase names, or None.

    'R12 (2409-2508)' -> rolling 12 months Sep 2024..Aug 2025; 'jan-aug 2025', 'januari - april'
    (year from default_year) -> months; 'T2 2024', 'Q3 2024'; 'augusti 2025' -> that month;
    a date ('31 december 2022', '2024-02-28', 'per den sista februari') -> point in time;
    '2022' or 'år 2022' -> the year.
    """
    found = _R12.search(text)
    if found:
        first_year, first, last_year, last = (int(g) for g in found.groups())
        if 1 <= first <= 12 and 1 <= last <= 12:
            start = date(_two_digit_year(str(first_year)), first, 1)
            end = month_end(_two_digit_year(str(last_year)), last)
            if start < end:
                # 'R12' says rolling even when the window happens to be a calendar year
                return start, end, "rolling_12_months"
    found = _RANGE.search(text)
    if found:
        first, last = month_number(found["first"]), month_number(found["last"])
        end_year = int(found["year"]) if found["year"] else default_year
        start_year = int(found["first_year"]) if found["first_year"] else end_year
        if end_year is not None and first is not None and last is not None:
            if start_year == end_year and first > last:
                start_year -= 1  # 'sep - aug 2025' crosses a year end
            return month_range(start_year, first, last, end_year)
    found = _TERTIAL.search(text)
    if found:
        number, year = int(found.group(1)), int(found.group(2))
        return date(year, 4 * number - 3, 1), month_end(year, 4 * number), "tertial"
    found = _QUARTER.search(text)
    if found:
        number, year = int(found.group(1)), int(found.group(2))
        return date(year, 3 * number - 2, 1), month_end(year, 3 * number), "quarter"
    day = parse_date(text, default_year)
    if day is not None:
        return day, day, "point_in_time"
    found = _MONTH_YEAR.search(text)
    if found:
        year, month = int(found["year"]), month_number(found["month"])
        return date(year, month, 1), month_end(year, month), "month"
    found = _YEAR_ONLY.search(text.strip())
    if found:
        year = int(found.group(1))
        return date(year, 1, 1), date(year, 12, 31), "year"
    return None


def year_to_date(year: int, month: int) -> Span:
    """Accumulated period of a report 'per <month> <year>': Jan 1 .. end of that month."""
    return date(year, 1, 1), month_end(year, month), "year_to_date" if month > 1 else "month"
