"""What a document says about itself: its kind, organisation, period, title and date.

Everything is inferred from the text first. The file name is read only for what the text
never says (an excerpt of a key-figure table names neither its municipality nor its year),
and the profile records that it did. A text with report language and figures whose kind is
not recognised is kind 'other'; only a text that is no report at all is refused.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import org_units
from .numbers import find_numbers
from .organisations import DocumentOrganisation, document_organisation
from .periods import MONTH_PATTERN, month_end, month_number, parse_date, year_to_date

# Kind vocabulary. Word boundaries matter: 'delårsrapport' must not count as 'årsrapport'.
KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "annual_report": re.compile(
        r"\b(?:årsrapport|årsredovisning|verksamhetsberättelse|årsbokslut)(?:en|ens|et|ets|s)?\b"
        # a bare 'bokslutet' also closes an interim period ('delårsbokslutet ... Bokslutet, som omfattar')
        r"|\bbokslut(?:et)?\s+(?:för\s+)?(?:år\s+)?(?:19|20)\d\d\b|\bpreliminär\w*\s+bokslut\w*",
        re.IGNORECASE,
    ),
    "interim_report": re.compile(
        r"\b(?:delårsrapport(?:en|ens|er|erna)?|delårsbokslut(?:et)?|tertialrapport(?:en|er|ering)?|"
        r"tertialuppföljning(?:en)?|delår\s+per)\b",
        re.IGNORECASE,
    ),
    "monthly_report": re.compile(
        r"\b(?:månadsrapport(?:en|er)?|månadsuppföljning(?:en)?|månadsbokslut(?:et)?|"
        r"månadsrapportering(?:en)?|periodrapport(?:en|er)?)\b",
        re.IGNORECASE,
    ),
    "board_slides": re.compile(r"\binformerar\b", re.IGNORECASE),
    "fact_sheet": re.compile(r"\bfakta\s+om\b|\bi\s+siffror\b|\bnyckeltal\b|\bfaktablad\b", re.IGNORECASE),
    "waiting_times": re.compile(
        r"\bväntetider\w*\b|\btillgänglig\s+vård\b|\bvårdgaranti\w*\b|\bväntande\b", re.IGNORECASE
    ),
    "plan": re.compile(
        r"\b(?:regionplan|verksamhetsplan|flerårsplan|budget\s+för\s+(?:19|20)\d\d)\w*\b", re.IGNORECASE
    ),
}
# Kinds that name a follow-up report; the others are recognised as report-like pages.
FOLLOW_UP_KINDS = ("annual_report", "interim_report", "monthly_report")
# File-name words, for a text that names no kind ('vastervik_arsredovisning_2020_12.txt').
_FILE_KIND_WORDS = {
    "annual_report": ("arsredovisning", "arsrapport", "bokslut", "verksamhetsberattelse"),
    "interim_report": ("delarsrapport", "delarsbokslut", "tertialrapport", "delar"),
    "monthly_report": ("manadsrapport", "manadsuppfoljning", "manadsbokslut"),
}
# Report language: a text with these and figures is a report of some kind.
_REPORT_WORDS = re.compile(
    r"\b(?:resultat\w*|budget\w*|kostnad\w*|intäkt\w*|prognos\w*|utfall\w*|sjukfrånvaro\w*|vårdplats\w*|"
    r"väntande|besök\w*|medarbetare|anställda|investering\w*|skatteintäkt\w*|miljoner\s+kronor|mnkr|mkr)\b",
    re.IGNORECASE,
)
_HEADING_WEIGHT = 5
_HEADING_MAX_CHARS = 70
_SLIDE_SHORT_LINE_SHARE = 0.75
_SLIDE_MAX_LINES = 400
_MIN_REPORT_FIGURES = 2
_MIN_TABLE_FIGURES = 6  # bare numbers: a flattened table of counts

_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?![\d-])")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_PER_MONTH = re.compile(
    r"\b(?:delårsrapport(?:en)?|delårsbokslut|delår|tertialrapport|månadsrapport(?:en)?|"
    r"månadsuppföljning(?:en)?|utfall|resultat)?\s*(?:per|efter)\s+(?:den\s+)?(?:sista\s+)?(?:\d{1,2}\s+)?"
    rf"(?P<month>{MONTH_PATTERN})(?:\s+månad)?(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_REPORT_MONTH = re.compile(
    r"\b(?:delårsrapport(?:en)?|delår|tertialrapport|månadsrapport(?:en)?|"
    r"månadsuppföljning(?:en)?)\s+(?:\d\s+)?(?:per\s+)?(?:den\s+)?(?:sista\s+)?"
    # not the first month of a range: 'Delårsrapport januari–augusti'
    rf"(?P<month>{MONTH_PATTERN})(?!\w)(?!\s*(?:-|–|till\b))(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_JAN_RANGE = re.compile(
    r"\bjan(?:uari)?\.?\s*(?:-|–|till(?:\s+och\s+med)?|t\.o\.m\.?)\s*"
    rf"(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_DATA_MONTH = re.compile(
    rf"\b(?:data|utfall|siffror)\s+(?:från|för|avser)\s+(?P<month>{MONTH_PATTERN})\s+(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_MONTH_YEAR_LINE = re.compile(rf"^\s*(?P<month>{MONTH_PATTERN})\s+(?P<year>(?:19|20)\d\d)\s*$", re.IGNORECASE)
_TERTIAL_NUMBER = re.compile(r"\b(?:tertial\s*([12])|T([12]))\b", re.IGNORECASE)
# 'årsredovisning 2023', 'bokslutet för år 2022', 'resultat för helåret 2023', '2021 års resultat'
_TITLED_YEAR = re.compile(
    r"\b(?:årsrapport|årsredovisning|verksamhetsberättelse|bokslut\w*|resultat\w*)(?:en|et)?\s+(?:för\s+)?"
    r"(?:(?:hel)?år(?:et)?\s+)?((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s+års\s+resultat",
    re.IGNORECASE,
)
# 'Alla uppgifter är från den 31 december 2017', 'uppgifter per 2017-12-31'
_DATA_DATE = re.compile(
    r"\b(?:uppgifter\w*|siffror\w*|data)\s+(?:är\s+)?(?:från|per|avser)\s+(?:den\s+)?(.{6,25})", re.IGNORECASE
)
_CHAPTER_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
# 'denna delårsrapport', 'i detta månadsbokslut': the document speaking of itself.
_SELF_REFERENCE = re.compile(r"\b(?:denna|detta|föreliggande)\s+$", re.IGNORECASE)
_PUBLISHED_LINES = 8
_FILE_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:[_\-. ]?(0[1-9]|1[0-2])(?!\d))?")


@dataclass(frozen=True)
class Classification:
    """What the text says about itself."""

    kind: str  # annual_report, interim_report, monthly_report, board_slides, fact_sheet, waiting_times, plan, other, unknown
    region_code: str | None
    region_name: str | None
    period_start: date | None
    period_end: date | None
    title: str | None
    organisation: DocumentOrganisation | None = None
    published_on: date | None = None
    # where kind, organisation and period came from when not from the text itself
    file_name_used: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict, compare=False)


def _heading_text(line: str) -> str:
    """A line with white space collapsed and any chapter number ('4. ', '2.1 ') removed."""
    return _CHAPTER_NUMBER.sub("", re.sub(r"\s+", " ", line.strip()))


def _names_report(line: str, pattern: re.Pattern[str]) -> bool:
    """A heading-like line that names the report: 'HSN Årsrapport 2022', 'Månadsrapport februari'.

    Short, starts with a capital, no sentence punctuation at the end, and the kind word is
    among its first three words (so 'under Kapitel 3.2 i denna delårsrapport.' is no heading).
    """
    text = _heading_text(line)
    if not text or len(text) > _HEADING_MAX_CHARS or not text[0].isupper():
        return False
    if text[-1] in ".,;:" or len(text.split()) > 8:
        return False
    found = pattern.search(text)
    if not found:
        return False
    if found.group(0).lower() == "informerar":
        # a verb: 'HÄLSO- OCH SJUKVÅRDSDIREKTÖREN INFORMERAR' - it closes the heading
        return not text[found.end() :].strip()
    return len(text[: found.start()].split()) <= 2


def _kind_scores(lines: list[str]) -> dict[str, float]:
    scores: Counter[str] = Counter()
    for line in lines:
        for kind, pattern in KIND_PATTERNS.items():
            if _names_report(line, pattern):
                scores[kind] += _HEADING_WEIGHT
                continue
            for found in pattern.finditer(line):
                self_reference = _SELF_REFERENCE.search(line[: found.start()])
                scores[kind] += 3 if self_reference else 1
    non_blank = [line.strip() for line in lines if line.strip()]
    if non_blank and len(non_blank) <= _SLIDE_MAX_LINES:
        short = sum(1 for line in non_blank if len(line) <= 60 and not line.endswith("."))
        # Slides: mostly short bullet-like lines and a standalone meeting date.
        if short / len(non_blank) >= _SLIDE_SHORT_LINE_SHARE and any(_ISO_DATE.fullmatch(line) for line in non_blank):
            scores["board_slides"] += 3
    return dict(scores)


def _pick_kind(scores: dict[str, float], file_kind: str | None = None) -> tuple[str, bool]:
    """The kind, and whether the file name decided it."""
    follow_up = [scores.get(k, 0) for k in FOLLOW_UP_KINDS]
    if scores.get("board_slides", 0) >= _HEADING_WEIGHT and scores["board_slides"] >= max(follow_up) / 2:
        # 'X informerar' headings are slides even when they mention the annual report.
        return "board_slides", False
    ranked = sorted(((scores.get(kind, 0), kind) for kind in FOLLOW_UP_KINDS), reverse=True)
    if ranked[0][0] >= 2:
        return ranked[0][1], False
    others = sorted(
        ((score, kind) for kind, score in scores.items() if kind not in (*FOLLOW_UP_KINDS, "board_slides")),
        reverse=True,
    )
    if others and others[0][0] >= _HEADING_WEIGHT and others[0][0] > ranked[0][0]:
        return others[0][1], False  # a page headed 'Fakta om ...', 'Regionplan ...'
    if ranked[0][0] >= 1:
        return ranked[0][1], False
    if file_kind:
        return file_kind, True
    if others and others[0][0] >= 1:
        return others[0][1], False
    # short lines and a date alone (a flattened table in a memo) make no slides
    return "unknown", False


def is_report_like(lines: list[str]) -> bool:
    """The language of reports with figures: amounts or shares, or the columns of a table."""
    text = "\n".join(lines)
    if not _REPORT_WORDS.search(text):
        return False
    tokens = find_numbers(text)
    with_unit = sum(1 for token in tokens if token.unit in ("mnkr", "percent", "days", "kronor"))
    bare = sum(1 for token in tokens if token.unit is None and not (1900 <= token.value <= 2100))
    return with_unit >= _MIN_REPORT_FIGURES or bare >= _MIN_TABLE_FIGURES


def _dominant_year(text: str) -> int | None:
    years = Counter(int(y) for y in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def _month_votes(pattern: re.Pattern[str], text: str) -> tuple[int | None, int | None]:
    """Most frequent month named by `pattern`, and the year written with it most often."""
    months: Counter[int] = Counter()
    years: Counter[tuple[int, int]] = Counter()
    for found in pattern.finditer(text):
        month = month_number(found["month"])
        if month is None:
            continue
        months[month] += 1
        if found["year"]:
            years[(month, int(found["year"]))] += 1
    if not months:
        return None, None
    month = months.most_common(1)[0][0]
    with_year = [(n, year) for (m, year), n in years.items() if m == month]
    return month, (max(with_year)[1] if with_year else None)


def published_on(lines: list[str]) -> date | None:
    """The date a page was published, when its first lines state one ('2024-02-15 07:00',
    'Pressmeddelande – 30 januari 2024')."""
    for line in [line for line in lines if line.strip()][:_PUBLISHED_LINES]:
        if len(line) > 80:
            continue
        day = parse_date(line)
        if day is not None:
            return day
    return None


def file_name_period(file_name: str) -> tuple[int | None, int | None]:
    """(year, month) written in a file name ('stockholm_manadsrapport_2024_02.txt'), if any."""
    found = list(_FILE_PERIOD.finditer(Path(file_name).stem))
    if not found:
        return None, None
    last = found[-1]
    return int(last.group(1)), (int(last.group(2)) if last.group(2) else None)


def _period(
    kind: str, text: str, lines: list[str], fallback_year: int | None, fallback_month: int | None
) -> tuple[date | None, date | None]:
    year = _dominant_year(text)
    if kind == "annual_report":
        titled = Counter(int(found.group(1) or found.group(2)) for found in _TITLED_YEAR.finditer(text))
        year = titled.most_common(1)[0][0] if titled else (fallback_year or year)
        return (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
    if kind in ("interim_report", "monthly_report"):
        month, month_year = _month_votes(_REPORT_MONTH, text)
        if month is None:
            month, month_year = _month_votes(_JAN_RANGE, text)
        if month is None and kind == "interim_report":
            tertial = _TERTIAL_NUMBER.search(text)
            if tertial:
                month = 4 * int(tertial.group(1) or tertial.group(2))
        if month is None:
            month, month_year = _month_votes(_PER_MONTH, text)
        if month is None:
            month = fallback_month
        titled = Counter(
            int(found.group(1) or found.group(2))
            for found in _TITLED_YEAR.finditer(text)
            if not re.match(r"resultat", found.group(0), re.IGNORECASE)
        )
        year = month_year or (titled.most_common(1)[0][0] if titled else None) or fallback_year or year
        if month is None or year is None:
            return None, None
        start, end, _ = year_to_date(year, month)
        return start, end
    if kind == "board_slides":
        data_month = _DATA_MONTH.search(text)
        if data_month:
            y, m = int(data_month["year"]), month_number(data_month["month"])
            return date(y, m, 1), month_end(y, m)
        for line in lines:
            found = _ISO_DATE.fullmatch(line.strip())
            if found:
                y, m = int(found.group(1)), int(found.group(2))
                if 1 <= m <= 12:
                    return date(y, m, 1), month_end(y, m)
        return None, None
    if kind == "plan":
        # a plan or budget page speaks of the year it is published in
        day = published_on(lines)
        year = day.year if day else (fallback_year or year)
        return (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
    # pages that are no follow-up report: the date their figures are from, a month heading
    # ('April 2018' above a waiting-time table), else the page's date or year
    for found in _DATA_DATE.finditer(text):
        day = parse_date(found.group(1))
        if day is not None:
            return day, day
    headings = [(month_number(m["month"]), int(m["year"])) for m in map(_MONTH_YEAR_LINE.match, lines) if m]
    if headings:
        month, year = max(headings, key=lambda h: (h[1], h[0]))
        return month_end(year, month), month_end(year, month)
    for line in [line for line in lines if line.strip()][:_PUBLISHED_LINES]:
        day = parse_date(line) if len(line) <= 80 else None
        if day is not None:
            return day, day
    year = fallback_year or year
    return (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)


_BASE_FORM = re.compile(
    r"^((?:års|delårs|tertial|månads|period)(?:rapport|redovisning|bokslut|uppföljning)|verksamhetsberättelse)(?:en|ens|er|erna|et|s)\b",
    re.IGNORECASE,
)


def _title(kind: str, lines: list[str], period_end: date | None) -> str | None:
    pattern = KIND_PATTERNS.get(kind)
    if pattern is None:
        return next((_heading_text(line) for line in lines if line.strip()), None)
    headings = [_heading_text(line) for line in lines if _names_report(line, pattern)]
    if headings:
        # Prefer a heading that also names the year (a cover line over a section head).
        with_year = [h for h in headings if _YEAR.search(h)]
        return (with_year or headings)[0]
    text = "\n".join(lines)
    # No heading names the report: take the phrase as the text writes it, preferring
    # the singular form with its month ('Delårsrapport per april').
    found = re.search(
        rf"{pattern.pattern}\s+per\s+{MONTH_PATTERN}(?:\s+(?:19|20)\d\d)?", text, re.IGNORECASE
    ) or pattern.search(text)
    if found is None:
        first = next((_heading_text(line) for line in lines if line.strip()), None)
        return first if first and len(first) <= _HEADING_MAX_CHARS else None
    phrase = re.sub(r"\s+", " ", found.group(0)).strip().rstrip(".")
    # the report's name in its base form: 'Delårsrapporten per augusti' -> 'Delårsrapport per augusti'
    phrase = _BASE_FORM.sub(lambda m: m.group(1), phrase, count=1)
    phrase = phrase[0].upper() + phrase[1:]
    if period_end and not _YEAR.search(phrase):
        phrase = f"{phrase} {period_end.year}"
    return phrase


def _file_name_kind(file_name: str) -> str | None:
    stem = Path(file_name).stem.lower()
    for kind, words in _FILE_KIND_WORDS.items():
        if any(word in stem for word in words):
            return kind
    return None


def classify(lines: list[str], file_name: str = "") -> Classification:
    """Kind, organisation, period and title of a document, inferred from its text; the file
    name fills in only what the text does not say."""
    text = "\n".join(lines)
    scores = _kind_scores(lines)
    used: list[str] = []
    kind, from_file_name = _pick_kind(scores, _file_name_kind(file_name))
    if kind == "unknown" and is_report_like(lines):
        kind = "other"
    if from_file_name:
        used.append("kind")
    file_year, file_month = file_name_period(file_name)
    start, end = _period(kind, text, lines, file_year, file_month) if kind != "unknown" else (None, None)
    if start is not None and file_year and (start.year == file_year) and not re.search(rf"\b{file_year}\b", text):
        used.append("period")
    organisation = document_organisation(lines, file_name, end) if kind != "unknown" else None
    if organisation is not None and organisation.source == "file_name":
        used.append("organisation")
    region_code = organisation.region_code if organisation else None
    region_name = org_units.region_name(region_code)
    title = _title(kind, lines, end) if kind != "unknown" else None
    return Classification(
        kind, region_code, region_name, start, end, title, organisation, published_on(lines), tuple(used), scores
    )
