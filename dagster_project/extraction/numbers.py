"""Swedish numbers, units and hedges as they appear in report text.

'1 520 000', '5 314,2', '−0,4', 'minus 288', 'drygt 1 700', '157 mnkr', '2,5 miljarder kronor',
'6,7 procent', '2,27 procentenheter' (a difference of percentages, not a percentage).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MINUS_SIGNS = "-−–"  # hyphen-minus, U+2212 minus, en dash (PDFs use all three)

# A number: optional sign, digits grouped by single spaces in threes, optional decimal part.
# Groups must be exactly three digits so '2022 07' stays two numbers.
_NUMBER = re.compile(
    r"(?<![\w,.])"
    r"(?P<sign>[-−–+]\s?)?"
    r"(?P<digits>\d{1,3}(?: \d{3})+(?!\d)|\d+)"
    r"(?:(?P<decimal_sep>[,.])(?P<decimals>\d+))?"
    r"(?![\w])"
)

# Words before a number that hedge it.
HEDGES = (
    "drygt",
    "knappt",
    "cirka",
    "ca",
    "ca.",
    "närmare",
    "omkring",
    "ungefär",
    "runt",
    "nästan",
    "uppemot",
    "över",
    "under",
)
_APPROXIMATE_HEDGES = {"drygt", "knappt", "cirka", "ca", "närmare", "omkring", "ungefär", "runt", "nästan", "uppemot"}
# The same words as a pattern, for rules that allow a hedge between a word and its figure.
APPROXIMATE_HEDGE = (
    "(?:"
    + "|".join(
        re.escape(word) + (r"\.?" if word == "ca" else "")
        for word in sorted(_APPROXIMATE_HEDGES, key=len, reverse=True)
    )
    + ")"
)

# Unit words after a number -> (unit, factor to that unit). Longest first.
_UNITS: list[tuple[str, str, float]] = [
    (r"miljarder\s+kronor", "mnkr", 1000.0),
    (r"miljoner\s+kronor", "mnkr", 1.0),
    (r"miljoner\s+kr\b", "mnkr", 1.0),
    (r"miljon\s+kronor", "mnkr", 1.0),  # '1,1 miljon kronor'
    (r"miljard\s+kronor", "mnkr", 1000.0),
    (r"tusen\s+kronor", "mnkr", 0.001),
    (r"miljarder", "mnkr", 1000.0),
    (r"miljoner", "mnkr", 1.0),
    (r"miljon\b", "mnkr", 1.0),
    (r"miljard\b", "mnkr", 1000.0),
    (r"mdkr", "mnkr", 1000.0),
    (r"mnkr", "mnkr", 1.0),
    (r"mkr", "mnkr", 1.0),
    (r"milj\.?\s*kr", "mnkr", 1.0),
    (r"tkr", "mnkr", 0.001),
    (r"kronor", "kronor", 1.0),
    (r"kr\b", "kronor", 1.0),
    (r":-", "kronor", 1.0),
    (r"procentenheter", "percentage_points", 1.0),
    (r"procent", "percent", 1.0),
    (r"%", "percent", 1.0),
    (r"dagar", "days", 1.0),
    (r"dygn", "days", 1.0),
    (r"timmar", "hours", 1.0),
]
_UNIT_PATTERNS = [(re.compile(r"\s?" + pattern, re.IGNORECASE), unit, factor) for pattern, unit, factor in _UNITS]


@dataclass(frozen=True)
class NumberToken:
    """A number found in a text, with what stands around it."""

    start: int  # offset of the first character (sign, 'minus' or hedge not included)
    end: int  # offset after the last character of the number or of its unit
    text: str  # the number as written, with its unit if any
    value: float  # in `unit` (scaled: '2,5 miljarder' -> 2500 mnkr), sign applied
    unit: str | None  # mnkr, kronor, percent, percentage_points, days, hours, or None
    is_approximate: bool
    hedge: str | None  # the hedge word, when one stands before the number
    negative_word: bool  # 'minus 288'

    @property
    def raw_value(self) -> float:
        return self.value


def parse_number(text: str) -> float:
    """'1 520 000' -> 1520000.0, '5 314,2' -> 5314.2, '−0,4' -> -0.4, 'minus 288' -> -288.

    Raises ValueError with the offending text when it is not a number.
    """
    cleaned = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = False
    lowered = cleaned.lower()
    if lowered.startswith("minus "):
        negative, cleaned = True, cleaned[6:].strip()
    elif lowered.startswith("plus "):
        cleaned = cleaned[5:].strip()
    if cleaned and cleaned[0] in MINUS_SIGNS:
        negative, cleaned = True, cleaned[1:].strip()
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:].strip()
    if not re.fullmatch(r"\d{1,3}(?: \d{3})+(?:[,.]\d+)?|\d+(?:[,.]\d+)?|[,.]\d+", cleaned):
        raise ValueError(f"not a Swedish number: {text!r}")
    cleaned = cleaned.replace(" ", "").replace(",", ".")
    value = float(cleaned)
    return -value if negative else value


def _unit_after(text: str, end: int) -> tuple[str | None, float, int]:
    for pattern, unit, factor in _UNIT_PATTERNS:
        match = pattern.match(text, end)
        if match:
            return unit, factor, match.end()
    return None, 1.0, end


def _is_letter(char: str) -> bool:
    """What the regex class [^\\W\\d_] matches: a word character that is no digit or underscore."""
    return char.isalnum() and not char.isdecimal()


def _word_before(text: str, start: int) -> tuple[str, int]:
    """The word (and a full stop after it) separated by white space from offset `start`.

    Scanned backwards from `start`, so the cost is the length of that word and space, not of
    the text before it (an end-anchored regex on text[:start] made long lines quadratic).
    """
    end = start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == start:
        return "", start
    word_end = end - 1 if end > 0 and text[end - 1] == "." else end
    begin = word_end
    while begin > 0 and _is_letter(text[begin - 1]):
        begin -= 1
    if begin == word_end:
        return "", start
    return text[begin:end], begin


def find_numbers(text: str) -> list[NumberToken]:
    """Every number in `text`, with unit, sign words and hedges resolved."""
    tokens = []
    for match in _NUMBER.finditer(text):
        digits = match.group("digits")
        decimals = match.group("decimals")
        sep = match.group("decimal_sep")
        if sep == "." and decimals is not None and len(decimals) == 3:
            # '1.700' is an English-style thousands group, not a decimal in these reports
            value = float(digits.replace(" ", "") + decimals)
        else:
            value = float(digits.replace(" ", "") + ("." + decimals if decimals else ""))
        sign = (match.group("sign") or "").strip()
        start = match.start("digits")
        negative = bool(sign) and sign in MINUS_SIGNS
        if sign and start - match.start() > 0:
            # a dash with a space before digits after a word is a dash, not a minus ('2021 – 2022')
            before = text[: match.start()].rstrip()
            if before and (before[-1].isalnum() or before[-1] in ")%") and match.group("sign").endswith(" "):
                negative = False
        if sign and negative:
            start = match.start()
        word, word_start = _word_before(text, match.start())
        negative_word = word.lower() == "minus"
        if negative_word:
            negative = True
        hedge = None
        lowered = word.lower().rstrip(".") if word else ""
        if lowered in _APPROXIMATE_HEDGES or word.lower() == "ca.":
            hedge = word
        unit, factor, unit_end = _unit_after(text, match.end())
        value *= factor
        if negative:
            value = -value
        end = unit_end if unit else match.end()
        tokens.append(
            NumberToken(
                start=start,
                end=end,
                text=text[start:end],
                value=round(value, 6),
                unit=unit,
                is_approximate=hedge is not None,
                hedge=hedge,
                negative_word=negative_word,
            )
        )
    return tokens


def looks_like_year(token: NumberToken) -> bool:
    """A bare four-digit number between 1990 and 2100 with no unit: a year, not a value."""
    return (
        token.unit is None and float(token.value).is_integer() and 1990 <= token.value <= 2100 and " " not in token.text
    )
