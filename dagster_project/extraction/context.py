"""Who a sentence is about: organisational units named in running text and in headings.

Units come from seeds/org_units.csv (names and aliases). Running text also names them in
ways a table never does: the genitive ('Hälso- och sjukvårdsnämndens'), the activity rather
than the committee ('hälso- och sjukvården'), a company group ('kollektivtrafikbolagen');
TEXT_ALIASES holds those, by canonical name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import org_units
from .normalise import fold

# Text phrasings of known units, keyed by the unit's canonical name in org_units.csv.
TEXT_ALIASES: dict[str, tuple[str, ...]] = {
    "Hälso- och sjukvårdsnämnden": ("hälso- och sjukvården", "hälso-och sjukvården", "hälso- och sjukvård",
                                    "Hälso-sjukvårdsnämnden", "Hälso- och sjukvårds-nämnden", "nämndens verksamheter"),
    "Kollektivtrafiken": ("kollektivtrafikverksamheten", "kollektivtrafikbolagen"),
    "Region Västerbotten": ("regionen totalt", "regionen som helhet"),
    "Primärvård": ("primärvårdens",),
    "Sjukhusvård": ("sjukhusvårdens", "länets sjukhus", "länets tre sjukhus"),
}

# Unit levels that a heading or sentence can name as the subject of a value.
_ORG_WORD = re.compile(r"[\w\-–]+")


@dataclass(frozen=True)
class OrgMention:
    name: str  # canonical
    start: int
    end: int
    level: str


@cache
def _patterns(region_code: str | None) -> tuple[tuple[re.Pattern, str, str, str, bool], ...]:
    """(pattern, canonical name, level, first word, case sensitive), longest alias first so
    'Primärvård beställning' wins. The first word lets find_orgs skip patterns cheaply."""
    entries: list[tuple[str, str, str]] = []
    for unit in org_units.known_units():
        if region_code and unit.region_code != region_code:
            continue
        for alias in (unit.name, *unit.aliases):
            entries.append((alias, unit.name, unit.level))
        for alias in TEXT_ALIASES.get(unit.name, ()):
            entries.append((alias, unit.name, unit.level))
    result = []
    for alias, name, level in sorted(entries, key=lambda e: -len(e[0])):
        # case matters for short all-caps abbreviations ('RS', 'HSN'), not for names
        case_sensitive = len(alias) <= 4 and alias.isupper()
        words = alias.split() if case_sensitive else fold(alias).split()
        if not words:
            continue
        body = r"[\s\-–,()]*".join(re.escape(w) for w in words)
        flags = 0 if case_sensitive else re.IGNORECASE
        result.append((re.compile(rf"(?<![\w-]){body}s?(?![\w])", flags), name, level, words[0], case_sensitive))
    return tuple(result)


def find_orgs(text: str, region_code: str | None) -> list[OrgMention]:
    """Unit mentions in `text`, longest first, never overlapping; in text order."""
    taken: list[tuple[int, int]] = []
    found: list[OrgMention] = []
    lowered = text.lower()
    for pattern, name, level, first_word, case_sensitive in _patterns(region_code):
        # a pattern can only match where its first word stands: a substring test is far cheaper
        if first_word not in (text if case_sensitive else lowered):
            continue
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            # 'Region Västerbottens målsättning' names the region; 'Västerbotten' alone is a place
            if level == "county_total":
                continue
            taken.append((match.start(), match.end()))
            found.append(OrgMention(name, match.start(), match.end(), level))
    return sorted(found, key=lambda m: m.start)


def default_org(meta_title: str | None, region_code: str | None, lines: list[str]) -> str:
    """The unit a report is about when a sentence names none: its committee, else the region."""
    region = org_units.region_name(region_code) or "Region"
    candidates = [meta_title or ""]
    for text in candidates:
        for mention in find_orgs(text, region_code):
            if mention.level in ("committee", "board"):
                return mention.name
    # No title: a report that speaks of 'nämndens verksamheter' belongs to one committee;
    # a region-wide report speaks of 'nämnderna' (plural).
    text = "\n".join(lines)
    singular = len(re.findall(r"\bnämndens\b", text, re.IGNORECASE))
    plural = len(re.findall(r"\bnämnderna\b", text, re.IGNORECASE))
    if singular >= 3 and singular > plural:
        counts: dict[str, int] = {}
        for mention in find_orgs("\n".join(lines), region_code):
            if mention.level == "committee":
                counts[mention.name] = counts.get(mention.name, 0) + 1
        if counts:
            return max(counts, key=counts.get)
    return region


# --- headings -------------------------------------------------------------------------------
_CHAPTER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
_NOT_HEADING = re.compile(r"^(Figur|Tabell|Diagram|Bild|Källa|Sida)\b|^\W|^\d{4}-\d{2}-\d{2}$", re.IGNORECASE)


def heading_text(block: str) -> str | None:
    """The heading a block is, or None when it is running text."""
    text = block.strip()
    if not text or len(text) > 90 or _NOT_HEADING.search(text):
        return None
    if text[-1] in ".!?:;,":
        return None
    if re.search(r"\d+(,\d+)?\s*(%|procent|mnkr|miljoner|kronor)", text):
        return None
    words = text.split()
    if len(words) > 12:
        return None
    stripped = _CHAPTER.sub("", text)
    if not stripped or not (stripped[0].isupper() or stripped[0].isdigit()):
        return None
    return stripped
