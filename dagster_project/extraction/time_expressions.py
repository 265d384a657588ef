"""Time words in running text and the period each one names.

A follow-up report has one reporting period, but its sentences name their own: 'per april
2022', 'januari till juli 2021', 'ackumulerat november', 'för helåret 2022', 'året innan',
'i fjol', 'nästa år', 'den 31 december 2017', 'R12', 'över tre år'. Some only set a value
against another period ('jämfört med 2022', 'än samma period föregående år'): those are
comparisons and never the period of the number.

The vocabulary (month names, month ends, date patterns) is periods.py's; this module finds the
phrases and resolves them against a reference (the document's period and publication date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .periods import MONTH_PATTERN, month_end, month_number

_MONTH = rf"(?:{MONTH_PATTERN})"
_YEAR = r"(?:19|20)\d\d"
_NUMBER_WORDS = {"två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10}

# (kind, pattern). Order matters where phrases overlap: the first kind that covers a span wins.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "rolling",
        re.compile(
            r"\bR12\b(?:\s*\(\s*\d{4}\s*[-–]\s*\d{4}\s*\))?|\brullande\s+(?:12|tolv)\s+månader\w*|"
            r"\bsenaste\s+(?:12|tolv)\s+månader\w*|\böver\s+12\s+månader\b",
            re.IGNORECASE,
        ),
    ),
    (
        "span",
        re.compile(
            rf"\b(?:perioden\s+)?(?:[0-3]?\d\s+)?(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?\s*(?:-|–|—|till\s+och\s+med|till|t\.\s?o\.\s?m\.?)\s*"
            rf"(?:[0-3]?\d\s+)?(?P<m2>{_MONTH})(?!\w)(?:\s+(?:år\s+)?(?P<y2>{_YEAR}))?(?P<this_year>\s+i\s+år)?",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b(?:den\s+)?(?P<d>[0-3]?\d)\s+(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b|\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "year_end",
        re.compile(
            r"\bvid\s+årets\s+(?:slut|utgång)\b|\bvid\s+årsskiftet\b|\bvid\s+utgången\s+av\s+året\b", re.IGNORECASE
        ),
    ),
    (
        "month_ytd",
        re.compile(
            rf"\b(?:per|t\.\s?o\.\s?m\.?|till\s+och\s+med|efter|ackumulerat(?:\s+(?:till\s+och\s+med|t\.o\.m\.?|per))?)\s+"
            rf"(?:den\s+)?(?:sista\s+|[0-3]?\d\s+)?(?P<m>{_MONTH})(?!\w)(?:\s+månad)?(?:\s+(?:år\s+)?(?P<y>{_YEAR}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "tertial",
        re.compile(
            rf"\b(?:(?:efter|per|under|för)\s+)?(?:årets\s+)?(?P<n>första|andra|tredje)\s+tertial(?:et)?(?:\s+(?P<y>{_YEAR}))?|"
            rf"\btertialet\b(?:\s+(?P<y2>{_YEAR}))?|"
            rf"\b(?-i:T)(?P<t>[1-3])\s+(?P<y3>{_YEAR})\b",  # 'T3 2021
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?:i|under|för)\s+)?(?P<m>{_MONTH})(?!\w)(?:\s+månad)?(?:\s+(?P<y>{_YEAR}))?", re.IGNORECASE
        ),
    ),
    (
        "months_elapsed",
        re.compile(
            r"\b(?:efter|under|för)\s+(?:årets\s+)?(?:de\s+)?(?:första\s+)?(?P<n>två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|\d{1,2})\s+(?:första\s+)?månader(?:na)?\b",
            re.IGNORECASE,
        ),
    ),
    ("both_years", re.compile(rf"\bbåde\s+(?P<y1>{_YEAR})\s+och\s+(?P<y2>{_YEAR})\b", re.IGNORECASE)),
    ("document_period", re.compile(r"\b(?:under|i)\s+början\s+(?:på|av)\s+året\b", re.IGNORECASE)),
    (
        "same_period_previous",
        re.compile(
            r"\b(?:samma|motsvarande)\s+period\w*\s+(?:(?:föregående|förra)\s+år(?:et)?|i\s+fjol|året\s+innan|(?P<y>(?:19|20)\d\d))|"
            r"\b(?:föregående|förra)\s+år(?:et)?s?\s+(?:samma|motsvarande)\s+period\b|"
            r"\b(?P<y_first>(?:19|20)\d\d)\s+(?:samma|motsvarande)\s+period\b",
            re.IGNORECASE,
        ),
    ),
    # 'under samma period' with no year: the period the text just spoke of
    ("same_period_anaphoric", re.compile(r"\b(?:under|för|i)\s+(?:samma|motsvarande)\s+period\b", re.IGNORECASE)),
    (
        "multi_year",
        re.compile(
            r"\b(?:över|under|på)\s+(?:en\s+)?(?P<n>\d|två|tre|fyra|fem|sex|sju|åtta|nio|tio)(?:\s+år\b|årsperiod)",
            re.IGNORECASE,
        ),
    ),
    ("year_range", re.compile(rf"\b(?:åren\s+)?(?P<y1>{_YEAR})\s*(?:-|–|—|till)\s*(?P<y2>{_YEAR})\b", re.IGNORECASE)),
    ("previous_year_colloquial", re.compile(r"\bi\s*fjol\b|\bfjolåret\w*|\bifjol\b", re.IGNORECASE)),
    ("previous_month", re.compile(r"\b(?:föregående|förra)\s+månad(?:en|s)?\b", re.IGNORECASE)),
    (
        "previous_year",
        re.compile(
            r"\b(?:föregående|förra)\s+år(?:et|s)?\b|\baret\s+innan\b|\båret\s+innan\b|\båret\s+före\b", re.IGNORECASE
        ),
    ),
    (
        "next_year",
        re.compile(r"\bnästa\s+år\b|\bnästkommande\s+år\b|\båret\s+därpå\b|\bkommande\s+år\b(?!en)", re.IGNORECASE),
    ),
    ("this_year", re.compile(r"\bi\s+år\b|\binnevarande\s+år\b|\bdet\s+här\s+året\b|\bdetta\s+år\b", re.IGNORECASE)),
    (
        "full_year",
        re.compile(
            rf"\b(?:för\s+|under\s+)?(?:hel)?året\b(?!\s*(?:{_YEAR}|innan|före))|\bhelåret\b|\bhela\s+året\b|\bhelårs\w*|\bårets\b",
            re.IGNORECASE,
        ),
    ),
    # 'hösten 2022', 'i början av 2023': part of a year no report period covers; resolves to nothing
    (
        "season",
        re.compile(
            rf"\b(?:hösten|våren|sommaren|vintern|(?:i\s+)?(?:början|slutet|mitten)\s+av)\s+(?:år\s+)?(?P<y>{_YEAR})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            rf"(?<![\d\-–/:.,])(?:(?:år|året|helåret|hela|budgetåret|verksamhetsåret|inför)\s+)?(?P<y>{_YEAR})(?:\s+års\b)?(?![\d\-–/]|:\S|,\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "document_period",
        re.compile(
            r"\b(?:för|under)\s+perioden\b|\bperiodens\b|\bhittills\s+i\s+år\b|\bsedan\s+årsskiftet\b|\bperioden\b|"
            r"\bnu\b",  # 'För 2021 låg resultatet på 76 och nu landar vi på 77
            re.IGNORECASE,
        ),
    ),
]
# Words that make the next time phrase a comparison, not the period of the number.
_COMPARISON_LEAD = re.compile(
    r"(?:jämfört\s+med|jämförelse\s+med|i\s+förhållande\s+till|relativt|gentemot|\bmot|\bän|\bsedan|\bfrån)"
    r"(?:\s+(?:samma|motsvarande|den|det))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeExpression:
    kind: str
    start: int
    end: int
    text: str
    is_comparison: bool
    groups: dict


@dataclass(frozen=True)
class PeriodReference:
    """What relative time words are relative to."""

    period_start: date
    period_end: date
    document_kind: str
    published_on: date | None = None

    @property
    def year(self) -> int:
        return self.period_end.year

    @property
    def colloquial_year(self) -> int:
        """The year 'i år' and 'i fjol' count from: the publication year of a press release."""
        if self.published_on is not None and self.published_on > self.period_end:
            return self.published_on.year
        return self.year


@dataclass(frozen=True)
class ResolvedPeriod:
    start: date
    end: date
    period_type: str  # month, year_to_date, year, rolling_12_months, point_in_time, month_range, multi_year
    is_full_year: bool = False


def find(text: str) -> list[TimeExpression]:
    """Time phrases in `text`, in text order, never overlapping."""
    found: list[TimeExpression] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            if kind == "month" and not _is_month_phrase(text, match):
                continue
            lead = text[max(0, match.start() - 30) : match.start()]
            comparison = bool(_COMPARISON_LEAD.search(lead))
            if kind in ("same_period_previous",) and re.search(r"(?:än|mot|jämfört\s+med)\s*$", lead, re.IGNORECASE):
                comparison = True
            groups = {k: v for k, v in match.groupdict().items() if v}
            found.append(TimeExpression(kind, match.start(), match.end(), match.group(0), comparison, groups))
    return sorted(found, key=lambda e: e.start)


def _is_month_phrase(text: str, match: re.Match) -> bool:
    """'mars' and 'maj' are months; bare short abbreviations ('jan') only with a year or a preposition."""
    word = match.group("m").lower().rstrip(".")
    has_lead = bool(re.match(r"(?:i|under|för)\s", match.group(0), re.IGNORECASE))
    return not (
        len(word) <= 4
        and word not in ("mars", "maj", "juni", "juli")
        and not match.groupdict().get("y")
        and not has_lead
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _ytd(year: int, month: int) -> ResolvedPeriod:
    return ResolvedPeriod(date(year, 1, 1), month_end(year, month), "year_to_date" if month > 1 else "month")


def _year(year: int) -> ResolvedPeriod:
    return ResolvedPeriod(date(year, 1, 1), date(year, 12, 31), "year", True)


def _month_year(expression: TimeExpression, ref: PeriodReference, month: int) -> int:
    explicit = expression.groups.get("y")
    if explicit:
        return int(explicit)
    year = ref.year
    # 'i november' in a report per April is last November
    if ref.document_kind not in ("annual_report",) and month > ref.period_end.month:
        year -= 1
    return year


def resolve(expression: TimeExpression, ref: PeriodReference, time_kind: str) -> ResolvedPeriod | None:
    """The period `expression` names for a measure that is a flow, a stock or a rate."""
    kind, groups = expression.kind, expression.groups
    if kind == "rolling":
        spans = re.search(r"\((\d\d)(\d\d)\s*[-–]\s*(\d\d)(\d\d)\)", expression.text)
        if spans:
            y1, m1, y2, m2 = (int(g) for g in spans.groups())
            if 1 <= m1 <= 12 and 1 <= m2 <= 12:
                return ResolvedPeriod(date(2000 + y1, m1, 1), month_end(2000 + y2, m2), "rolling_12_months")
        end = ref.period_end
        return ResolvedPeriod(first_of_month_back(end, 11), end, "rolling_12_months")
    if kind == "span":
        first, last = month_number(groups["m1"]), month_number(groups["m2"])
        end_year = int(groups["y2"]) if groups.get("y2") else (int(groups["y1"]) if groups.get("y1") else None)
        if end_year is None:
            end_year = ref.colloquial_year if groups.get("this_year") else ref.year
        start_year = int(groups["y1"]) if groups.get("y1") else (end_year if first <= last else end_year - 1)
        period_type = "year_to_date" if first == 1 and start_year == end_year else "month_range"
        if first == last and start_year == end_year:
            period_type = "month"
        return ResolvedPeriod(date(start_year, first, 1), month_end(end_year, last), period_type)
    if kind == "date":
        if groups.get("iso"):
            try:
                day = date.fromisoformat(groups["iso"])
            except ValueError:
                return None
        else:
            try:
                day = date(int(groups["y"]), month_number(groups["m"]), int(groups["d"]))
            except (ValueError, TypeError):
                return None
        return ResolvedPeriod(day, day, "point_in_time")
    if kind == "year_end":
        year = ref.year
        return (
            ResolvedPeriod(date(year, 12, 31), date(year, 12, 31), "point_in_time")
            if time_kind == "stock"
            else _year(year)
        )
    if kind == "month_ytd":
        month = month_number(groups["m"])
        year = _month_year(expression, ref, month)
        if time_kind == "stock":
            return ResolvedPeriod(month_end(year, month), month_end(year, month), "point_in_time")
        return _ytd(year, month)
    if kind == "tertial":
        number = {"första": 1, "andra": 2, "tredje": 3}.get((groups.get("n") or "").lower())
        number = number or (int(groups["t"]) if groups.get("t") else None)
        year = int(groups.get("y") or groups.get("y2") or groups.get("y3") or ref.year)
        month = 4 * number if number else ref.period_end.month
        return _ytd(year, month)
    if kind == "month":
        month = month_number(groups["m"])
        year = _month_year(expression, ref, month)
        if time_kind == "stock":
            return ResolvedPeriod(month_end(year, month), month_end(year, month), "point_in_time")
        return ResolvedPeriod(date(year, month, 1), month_end(year, month), "month")
    if kind == "same_period_previous":
        named = groups.get("y") or groups.get("y_first")
        years = int(named) - ref.year if named else -1
        start, end = _add_years(ref.period_start, years), _add_years(ref.period_end, years)
        if time_kind == "stock":
            return ResolvedPeriod(end, end, "point_in_time")
        return ResolvedPeriod(start, end, _document_period_type(ref))
    if kind == "months_elapsed":
        count = groups.get("n", "")
        months = int(count) if count.isdigit() else {**_NUMBER_WORDS, "elva": 11}.get(count.lower())
        if not months or months > 12:
            return None
        return _ytd(ref.year, months)  # 'efter årets första fyra månader': January to April
    if kind == "both_years":
        y1, y2 = int(groups["y1"]), int(groups["y2"])
        return ResolvedPeriod(date(min(y1, y2), 1, 1), date(max(y1, y2), 12, 31), "multi_year")
    if kind == "year_range":
        y1, y2 = int(groups["y1"]), int(groups["y2"])
        if y1 >= y2:
            return None
        return ResolvedPeriod(date(y1, 1, 1), date(y2, 12, 31), "multi_year")
    if kind == "previous_month":
        # the report's own span, one month shorter: January-September before January-October
        end = first_of_month_back(ref.period_end, 0) - timedelta(days=1)
        if time_kind == "stock" or ref.period_start == ref.period_end:
            return ResolvedPeriod(end, end, "point_in_time")
        if ref.period_start.month == 1 and ref.period_start.year == end.year and ref.period_start.day == 1:
            return ResolvedPeriod(ref.period_start, end, "year_to_date" if end.month < 12 else "year")
        return ResolvedPeriod(first_of_month_back(end, 0), end, "month")
    if kind in ("previous_year_colloquial", "previous_year", "next_year", "this_year", "full_year"):
        base = ref.colloquial_year if kind in ("previous_year_colloquial", "this_year") else ref.year
        offset = {"previous_year_colloquial": -1, "previous_year": -1, "next_year": 1}.get(kind, 0)
        year = base + offset
        if time_kind == "stock":
            return ResolvedPeriod(date(year, 12, 31), date(year, 12, 31), "point_in_time")
        if (
            kind in ("previous_year", "previous_year_colloquial")
            and ref.document_kind != "annual_report"
            and not _is_full_year(ref)
        ):
            # 'föregående år' in a report per April is the same months a year earlier
            start, end = _add_years(ref.period_start, -1), _add_years(ref.period_end, -1)
            return ResolvedPeriod(start, end, _document_period_type(ref))
        return _year(year)
    if kind == "year":
        year = int(groups["y"])
        if time_kind == "stock":
            day = date(year, ref.period_end.month, ref.period_end.day) if year == ref.year else date(year, 12, 31)
            return ResolvedPeriod(day, day, "point_in_time")
        if (
            year == ref.year
            and not _is_full_year(ref)
            and not re.search(r"hel|hela|års\b|inför", expression.text, re.IGNORECASE)
        ):
            # '2023' in a report per April 2023 is the report's period, not the whole year
            return ResolvedPeriod(ref.period_start, ref.period_end, _document_period_type(ref))
        return _year(year)
    if kind == "document_period":
        if time_kind == "stock":
            return ResolvedPeriod(ref.period_end, ref.period_end, "point_in_time")
        return ResolvedPeriod(ref.period_start, ref.period_end, _document_period_type(ref))
    return None


def multi_year_span(expression: TimeExpression, start_year: int) -> ResolvedPeriod | None:
    """'över tre år' from a start year: 2023 + three years -> 2023..2025."""
    count = expression.groups.get("n", "")
    years = int(count) if count.isdigit() else _NUMBER_WORDS.get(count.lower())
    if not years:
        return None
    return ResolvedPeriod(date(start_year, 1, 1), date(start_year + years - 1, 12, 31), "multi_year")


def _is_full_year(ref: PeriodReference) -> bool:
    return (ref.period_start.month, ref.period_start.day, ref.period_end.month, ref.period_end.day) == (1, 1, 12, 31)


def _document_period_type(ref: PeriodReference) -> str:
    if _is_full_year(ref):
        return "year"
    if ref.period_start == ref.period_end:
        return "point_in_time"
    if ref.period_start.month == ref.period_end.month and ref.period_start.year == ref.period_end.year:
        return "month"
    return "year_to_date" if ref.period_start.month == 1 else "month_range"


def document_period(ref: PeriodReference, time_kind: str) -> ResolvedPeriod:
    if time_kind == "stock" or ref.period_start == ref.period_end:
        return ResolvedPeriod(ref.period_end, ref.period_end, "point_in_time")
    return ResolvedPeriod(ref.period_start, ref.period_end, _document_period_type(ref), _is_full_year(ref))


def full_year(year: int) -> ResolvedPeriod:
    return _year(year)


def first_of_month_back(end: date, months: int) -> date:
    index = end.year * 12 + end.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
