"""The measure vocabulary of follow-up reports, read from seeds (data, not code).

- seeds/kpi_lexicon.csv: the phrases that name a measure ('årets resultat', 'sjukfrånvaro',
  'kostnader för inhyrd personal'), with the sign a phrase carries ('underskott' is negative).
  Measures the catalogue lacks (pension liabilities, population, consultants ...) are listed
  too: a number bound to one of them is not filed under a nearby KPI but left unmapped with
  the measure it was bound to.
- seeds/kpi_measures.csv: per measure its polarity (a cost higher than budget is a negative
  deviation), how it behaves in time (flow, stock, rate) and phrases that exclude it.
- seeds/kpi_measure_kpis.csv: which KPI a (measure, aspect, unit) is filed under, with the
  breakdown that goes with it and the range of plausible values.

Phrases are regular-expression fragments matched case-insensitively from the start of a word;
a word may go on ('resultat' also matches 'resultatet'), so inflected and compound forms need
no row of their own; a phrase ending in \b must end there ('lån\b' is not 'långsiktig'). Where two phrases overlap, the longer one names the measure: 'resultat
efter finansnetto' is not 'resultat'.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# Aspects a number can state of its measure.
LEVEL, CHANGE, BUDGET_DEVIATION, SHARE = "level", "change", "budget_deviation", "share"


@dataclass(frozen=True)
class Measure:
    measure: str
    name_sv: str
    polarity: str  # result, revenue, cost or neutral: how 'higher than budget' signs a deviation
    time_kind: str  # flow (summed over a period), stock (at a date) or rate (a level over a period)
    excluded: re.Pattern | None  # a clause with this text does not state this measure


@dataclass(frozen=True)
class KpiMapping:
    kpi_code: str
    breakdown: str | None
    min_value: float
    max_value: float


@dataclass(frozen=True)
class MeasureMatch:
    measure: str
    start: int
    end: int
    text: str
    sign: int | None  # the sign the phrase itself carries ('underskott' -1), else None


def _read(name: str) -> list[dict[str, str]]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def measures() -> dict[str, Measure]:
    result = {}
    for row in _read("kpi_measures.csv"):
        excluded = row.get("excluded") or ""
        result[row["measure"]] = Measure(
            row["measure"],
            row["name_sv"],
            row["polarity"],
            row["time_kind"],
            re.compile(excluded, re.IGNORECASE) if excluded else None,
        )
    return result


@cache
def kpi_mappings() -> dict[tuple[str, str, str], KpiMapping]:
    return {
        (row["measure"], row["aspect"], row["unit"]): KpiMapping(
            row["kpi_code"], row["breakdown"] or None, float(row["min_value"]), float(row["max_value"])
        )
        for row in _read("kpi_measure_kpis.csv")
    }


def _phrase_pattern(phrase: str) -> str:
    # a space in a phrase stands for any run of white space (lines are joined with one, PDFs vary),
    # and every word of it may be inflected ('kostnaderna för inhyrda personalen')
    body = re.sub(r"(?<![\\)?]) ", r"\\w*[\\s,]+", phrase.strip())
    if body.endswith("\\b"):
        return rf"(?<![\w-])(?:{body})"  # a short word that must not run on ('lån', not 'långsiktig')
    return rf"(?<![\w-])(?:{body})\w*"


@cache
def _phrases() -> tuple[tuple[re.Pattern, str, int | None, str], ...]:
    rows = _read("kpi_lexicon.csv")
    known = measures()
    compiled = []
    for row in rows:
        if row["measure"] not in known:
            raise ValueError(f"seeds/kpi_lexicon.csv: measure {row['measure']!r} is not in seeds/kpi_measures.csv")
        try:
            pattern = re.compile(_phrase_pattern(row["phrase"]), re.IGNORECASE)
        except re.error as error:
            raise ValueError(
                f"seeds/kpi_lexicon.csv: phrase {row['phrase']!r} is not a valid pattern: {error}"
            ) from None
        sign = int(row["sign"]) if row.get("sign") else None
        compiled.append((pattern, row["measure"], sign, _anchor(row["phrase"])))
    return tuple(compiled)


def _anchor(phrase: str) -> str:
    """The literal a text must contain for the phrase to match: its first word as written (every
    word may only grow at its end). Empty when the phrase opens with pattern syntax."""
    first = re.match(r"[^\W\d_]+", phrase.strip().lower())
    return first.group(0) if first and len(first.group(0)) >= 3 else ""


# A compound the lexicon does not know that ends in 'kostnad' or 'intäkt' ('Patientintäkter',
# 'lokalkostnaderna') names some costs or revenue, never the organisation's total: it binds its
# number to a measure of its own that no KPI holds.
_OTHER_ITEM = re.compile(r"(?<![\w-])[\w-]{3,}?(kostnad|intäkt)\w*", re.IGNORECASE)


@cache
def _phrases_by_prefix() -> tuple[dict[str, list[int]], list[int]]:
    """Phrase numbers by the first three letters of their anchor, and those without an anchor."""
    by_prefix: dict[str, list[int]] = {}
    always: list[int] = []
    for number, (_, _, _, anchor) in enumerate(_phrases()):
        if anchor:
            by_prefix.setdefault(anchor[:3], []).append(number)
        else:
            always.append(number)
    return by_prefix, always


def find_measures(text: str) -> list[MeasureMatch]:
    """Measure phrases in `text`, in text order; where matches overlap the longest wins (and of
    two as long, the one listed first in the lexicon)."""
    lowered = text.lower()
    phrases = _phrases()
    by_prefix, always = _phrases_by_prefix()
    # a phrase's first word opens a word of the text: only phrases whose first letters do are tried
    candidates = list(always)
    for prefix in {word[:3] for word in re.findall(r"[^\W\d_]{3,}", lowered)}:
        candidates.extend(by_prefix.get(prefix, ()))
    found: list[tuple[int, MeasureMatch]] = []
    for number in candidates:
        pattern, measure, sign, anchor = phrases[number]
        if anchor and anchor not in lowered:
            continue
        for match in pattern.finditer(lowered):
            found.append(
                (number, MeasureMatch(measure, match.start(), match.end(), text[match.start() : match.end()], sign))
            )
    # longest first; a match inside a longer one is dropped
    found.sort(key=lambda item: (-(item[1].end - item[1].start), item[1].start, item[0]))
    kept: list[MeasureMatch] = []
    for _, match in found:
        if any(match.start < other.end and other.start < match.end for other in kept):
            continue
        kept.append(match)
    for match in _OTHER_ITEM.finditer(text):
        if not any(match.start() < other.end and other.start < match.end() for other in kept):
            measure = "other_cost_item" if match.group(1).lower() == "kostnad" else "other_revenue_item"
            kept.append(MeasureMatch(measure, match.start(), match.end(), match.group(0), None))
    return sorted(kept, key=lambda m: m.start)


def kpi_for(measure: str, aspect: str, unit: str) -> KpiMapping | None:
    """The KPI a statement of `aspect` about `measure` in `unit` is filed under, or None."""
    return kpi_mappings().get((measure, aspect, unit))


def has_kpi(measure: str) -> bool:
    return any(key[0] == measure for key in kpi_mappings())
