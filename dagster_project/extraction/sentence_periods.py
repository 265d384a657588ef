"""Which period and scenario a number in running text covers.

A follow-up report has one reporting period (meta.period_start..period_end), but its
sentences also quote the previous year ('samma period föregående år som var 115'),
single months ('i november då den var 6,9 procent'), point-in-time stocks
('per den sista februari 6 807 anställda'), rolling 12-month rates ('över 12 månader',
'R12 (2409-2508)'), year-end forecasts ('Årsprognosen ...') and targets ('målsättning').
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_MONTH_WORD = "|".join(MONTHS)

# Scenario words. 'beräknat'/'beräknad' (past participle) report an actual estimate, so only
# the present passive 'beräknas' counts; 'förväntad effekt' is the plan of a savings programme.
FORECAST = re.compile(
    r"\b(års)?prognos\w*|\bprognosti[cs]er\w*|\bberäknas\b|\bbedöms (bli|till|landa)\b|\bförväntas bli\b|\bvid årets slut\b",
    re.IGNORECASE,
)
TARGET = re.compile(
    r"\bmålsättning\w*|\bmålvärde\w*|\bmålnivå\w*|\bmål om\b|\bett av målen\b|\bmålet är\b|\bska understiga\b|"
    r"\bska överstiga\b|\bav kraven\b|\bkrav på\b|\bett krav\b",
    re.IGNORECASE,
)

# Rolling 12 months.
ROLLING = re.compile(r"\bR12\b|över 12 månader|senaste 12 månader\w*|rullande 12|12 månader bakåt", re.IGNORECASE)
R12_SPAN = re.compile(r"R12\s*\((\d{2})(\d{2})\s*[-–]\s*(\d{2})(\d{2})\)")

# The number belongs to the previous year when the words around it say so.
PREVIOUS_PERIOD = re.compile(
    r"samma period (i fjol|föregående år|förra året)|motsvarande period (i fjol|föregående år|förra året)|"
    r"\bi fjol\b|föregående år|förra året",
    re.IGNORECASE,
)
# ... but only when the text attributes the value to that period (past tense copula), not
# when it compares a change with it ('ökat med 4,6 procent jämfört med föregående år').
PAST_COPULA = re.compile(r"\b(var|låg|uppgick|landade|hade)\b", re.IGNORECASE)
COMPARISON = re.compile(r"jämfört med|jämförelse med|mot\s+(samma|motsvarande)|än\s+(samma|motsvarande|föregående)", re.IGNORECASE)

POINT_WORDS = re.compile(
    rf"\bper den (sista|\d{{1,2}}) ({_MONTH_WORD})|\bden (sista|\d{{1,2}}) ({_MONTH_WORD})|\b31 december\b|\bvid årets (slut|utgång)\b|\bårsskiftet\b",
    re.IGNORECASE,
)
ACCUMULATED = re.compile(r"\backumulerat\b|\btill och med\b|\bt\.o\.m\b|\bhittills\b|\bunder perioden\b", re.IGNORECASE)

MONTH_PHRASE = re.compile(
    rf"\b(?:(?:i|per|för|under|till|från|sedan)\s+)?(?:den\s+(?:sista|\d{{1,2}})\s+)?({_MONTH_WORD})(?:\s+månad)?(?:\s+(?:år\s+)?(\d{{4}}))?\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<![\d\-–])(19|20)\d{2}(?![\d\-–])")
BOTH_YEARS = re.compile(r"både (\d{4}) och (\d{4})")


@dataclass(frozen=True)
class PeriodChoice:
    start: date
    end: date
    period_type: str
    scenario: str


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _nearest(matches: list[re.Match], position: int, window_after: int = 30) -> re.Match | None:
    """The match closest to `position`, preferring one just after it ('6,1 procent i april 2022')."""
    best = None
    best_distance = None
    for match in matches:
        if match.start() >= position:
            distance = match.start() - position
            if distance > window_after:
                continue
        else:
            distance = position - match.end()
        if best_distance is None or distance < best_distance:
            best, best_distance = match, distance
    return best


@dataclass
class PeriodContext:
    """Document-level facts the period rules need."""

    period_start: date
    period_end: date
    document_kind: str

    @property
    def year(self) -> int:
        return self.period_end.year

    def default(self) -> tuple[date, date, str]:
        kind = "year" if (self.period_start.month, self.period_start.day, self.period_end.month, self.period_end.day) == (1, 1, 12, 31) else "year_to_date"
        if self.period_start.month == self.period_end.month and self.period_start.year == self.period_end.year and kind != "year":
            kind = "month" if self.period_start.month != 1 or self.period_end.month == 1 and self.document_kind == "board_slides" else kind
        return self.period_start, self.period_end, kind

    def full_year(self, year: int | None = None) -> tuple[date, date, str]:
        year = year or self.year
        return date(year, 1, 1), date(year, 12, 31), "year"

    def shift_year(self, start: date, end: date, years: int) -> tuple[date, date]:
        def move(day: date) -> date:
            year = day.year + years
            return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))

        return move(start), move(end)


def choose_period(
    ctx: PeriodContext,
    sentence: str,
    clause_start: int,
    position: int,
    clause_end: int,
    kind: str,
    inherited_previous: bool = False,
    token_end: int | None = None,
) -> PeriodChoice:
    """Period and scenario for the number at `position` of `sentence`.

    `kind` says how the KPI behaves in time: 'stock' (a head count or a waiting-list
    share at a date), 'rate' (a monthly or rolling measure such as sick leave) or 'flow'
    (money and production, accumulated over the period).
    The clause [clause_start, clause_end) is the text since the previous number and up to
    the next one; words there bind tighter than words elsewhere in the sentence.
    """
    clause = sentence[clause_start:clause_end]
    before = sentence[clause_start:position]
    start, end, period_type = ctx.default()
    scenario = "actual"

    # Target and forecast: the whole sentence up to the number, or the clause after it.
    head = sentence[:clause_end]
    if TARGET.search(before) or (TARGET.search(head) and not PAST_COPULA.search(before[-25:])):
        scenario = "target"
    elif FORECAST.search(head) and not re.search(r"\butfall\w*\b", before[-40:], re.IGNORECASE):
        scenario = "forecast"

    years_in_clause = [m for m in YEAR.finditer(clause) if not _is_in_date(clause, m)]
    month_matches = [m for m in MONTH_PHRASE.finditer(sentence)]
    token_end = token_end if token_end is not None else position
    # a month right after the number binds it ('5,8 procent i mars 2023'); else the nearest one
    # before it in the clause; else one after it, before the clause ends
    adjacent = [m for m in month_matches if token_end <= m.start() <= token_end + 4
                and not re.match(r"\s*(till|från)\b", m.group(0), re.IGNORECASE)]
    tail = re.split(r",\s|\s(?:och|men|medan|vilket)\s", sentence[token_end:clause_end])[0]
    before_months = [m for m in month_matches if clause_start - 40 <= m.start() < position]
    after_months = [m for m in month_matches if token_end <= m.start() < token_end + len(tail)]
    month_near = adjacent[0] if adjacent else (before_months[-1] if before_months else (after_months[0] if after_months else None))

    r12 = R12_SPAN.search(sentence)
    if r12:
        y1, m1, y2, m2 = (int(g) for g in r12.groups())
        return PeriodChoice(date(2000 + y1, m1, 1), month_end(2000 + y2, m2), "rolling_12_months", scenario)

    both = BOTH_YEARS.search(sentence)
    if both:
        first, last = int(both.group(1)), int(both.group(2))
        return PeriodChoice(date(first, 1, 1), date(last, 12, 31), "year", scenario)

    if scenario in ("forecast", "target"):
        year = ctx.year
        explicit = _nearest(years_in_clause, position - clause_start) if years_in_clause else None
        if explicit and int(explicit.group(0)) in (ctx.year, ctx.year + 1):
            year = int(explicit.group(0))
        s, e, t = ctx.full_year(year)
        return PeriodChoice(s, e, t, scenario)

    previous = inherited_previous or _is_previous(before, sentence[position:clause_end])
    year = ctx.year
    explicit_year = None
    if years_in_clause:
        near = _nearest(years_in_clause, position - clause_start)
        if near is not None:
            explicit_year = int(near.group(0))
    if month_near is not None and month_near.group(2):
        explicit_year = int(month_near.group(2))
    if explicit_year is not None and explicit_year != ctx.year and _year_attributes(clause, explicit_year, position - clause_start):
        year = explicit_year
        previous = False
    elif previous:
        year = ctx.year - 1

    rolling = bool(ROLLING.search(sentence))
    if month_near is not None:
        month = MONTHS[month_near.group(1).lower()]
        m_year = int(month_near.group(2)) if month_near.group(2) else year
        if month_near.group(2) is None and month > ctx.period_end.month and m_year == ctx.year and ctx.document_kind != "annual_report":
            m_year -= 1  # 'i november' in a report per April is last November
        last = month_end(m_year, month)
        if rolling:
            first = date(m_year - 1, month, 1) if month != 12 else date(m_year, 1, 1)
            first = _add_months(last, -11)
            return PeriodChoice(first, last, "rolling_12_months", scenario)
        if kind == "stock" or POINT_WORDS.search(sentence):
            return PeriodChoice(last, last, "point_in_time", scenario)
        if kind == "rate" and not ACCUMULATED.search(sentence[max(0, month_near.start() - 40):month_near.end()]):
            return PeriodChoice(date(m_year, month, 1), last, "month", scenario)
        return PeriodChoice(date(m_year, 1, 1), last, "year_to_date", scenario)

    if POINT_WORDS.search(sentence) and kind == "stock":
        s, e, t = ctx.default()
        e = date(year, e.month, e.day) if year != e.year else e
        return PeriodChoice(e, e, "point_in_time", scenario)

    if rolling:
        e = ctx.period_end if year == ctx.year else month_end(year, ctx.period_end.month)
        return PeriodChoice(_add_months(e, -11), e, "rolling_12_months", scenario)

    if year != ctx.year:
        s, e = ctx.shift_year(start, end, year - ctx.year)
        if kind == "stock":
            return PeriodChoice(e, e, "point_in_time", scenario)
        return PeriodChoice(s, e, period_type, scenario)
    if kind == "stock" and ctx.document_kind in ("annual_report",):
        return PeriodChoice(end, end, "point_in_time", scenario)
    return PeriodChoice(start, end, period_type, scenario)


def _add_months(last: date, months: int) -> date:
    """First day of the month `months` away from the month of `last` (negative: back)."""
    index = last.year * 12 + last.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _is_in_date(text: str, match: re.Match) -> bool:
    return bool(re.match(r"[-–]\d{2}", text[match.end():match.end() + 3]))


def _is_previous(before: str, after: str) -> bool:
    """True when the words before the number put it in the previous year."""
    tail = before[-70:]
    marker = None
    for marker in PREVIOUS_PERIOD.finditer(tail):
        pass
    if marker is None:
        return False
    rest = tail[marker.end():]
    lead = tail[: marker.start()]
    # 'jämfört med samma period föregående år' before a change value is a comparison
    if COMPARISON.search(lead[-25:]) and not PAST_COPULA.search(rest):
        return False
    return bool(PAST_COPULA.search(rest) or PAST_COPULA.search(lead[-30:]) or re.search(r"\bsom\b|\bdå\b", rest))


def _year_attributes(clause: str, year: int, position: int) -> bool:
    """True when an explicit year in the clause names the period of the number.

    'jämfört med 2021' compares; 'för 2021 låg resultatet på 76', 'i april 2022', '2021 var
    den siffran' attribute.
    """
    for match in re.finditer(str(year), clause):
        lead = clause[max(0, match.start() - 40): match.start()].lower()
        if re.search(r"\b(då|som)\b[^.]*\b(var|låg)\b", clause[match.end():position], re.IGNORECASE):
            return True  # 'samma period 2022 då sjukfrånvaron var 8,97 procent'
        if re.search(r"(jämfört med|jämförelse med|än|sedan|mot|från|till|mellan)\s*(år\s*)?$", lead) or re.search(r"(jämfört med|jämförelse med|sedan|än|mot)\s+(\w+\s+){0,3}$", lead):
            if not re.search(r"från\s+[\d,]+\s*\w*\s*(i|per)?\s*\w*\s*$", lead):
                continue
        return True
    return False
