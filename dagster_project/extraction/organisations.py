"""Which organisation a document, and a statement in it, is about.

A report names its organisation in its title and text ('Region Stockholms månadsrapport',
'Karlstads kommuns årsredovisning', 'Landstinget Dalarna'), and speaks of itself as
'regionen', 'landstinget' or 'kommunen'. Statements name other units: a committee
('Tandvården redovisar ...'), an activity area ('specialistvården gjorde ett resultat på ...'),
a company group ('Bolagskoncernens resultat'), or the country ('alla landsting', 'riket').

Known units come from seeds/org_units.csv (all regions and municipalities, and the units of
the bundled regions); a definite noun of an organisational kind that the seed lacks
('hälsocentralerna', 'specialistvården') is kept as the report writes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from . import org_units
from .normalise import fold
from .org_units import OrgUnit

# How running text names known units when the seed's names do not fit: the activity instead
# of its committee, a group of companies. Keyed by the unit's canonical name.
TEXT_ALIASES: dict[str, tuple[str, ...]] = {
    "Hälso- och sjukvårdsnämnden": (
        "Hälso-sjukvårdsnämnden",
        "Hälso- och sjukvårds-nämnden",
        "nämndens verksamheter",
        "hälso- och sjukvården",  # the activity the committee runs: 'inom hälso- och sjukvården'
        "hälso- och sjukvård",
    ),
    "Kollektivtrafiken": ("kollektivtrafikverksamheten", "kollektivtrafikbolagen"),
    "Primärvård": ("primärvården",),
    "Sjukhusvård": ("sjukhusvården", "länets sjukhus", "länets tre sjukhus"),
}

# Definite nouns that name an organisational unit ('specialistvården', 'hälsocentralerna').
_ORG_KIND = re.compile(
    r"(?<![\w-])((?:hälso-\s*och\s+sjuk|hälso-\s+och\s+sjuk|specialist|primär|tand|läns|läns?sjuk|psykiatri|nära\s+)"
    r"vården|(?:[a-zåäö]+-\s+och\s+)?[a-zåäö]+(?:nämnden|förvaltningen|centralerna|sjukhuset|sjukhusen|bolagen|kliniken|klinikerna)|"
    r"bolagskoncernen|verksamheterna)(s?)(?![\w-])",
    re.IGNORECASE,
)
# Words the kind pattern would take that name no particular unit.
_NOT_A_UNIT = {"nämnden", "förvaltningen", "bolagen", "kliniken", "klinikerna", "sjukhuset", "sjukhusen"}

# The document speaking of its own organisation.
_SELF_REGION = re.compile(r"(?<![\w-])(regionen|regionens|landstinget|landstingets)(?![\w-])", re.IGNORECASE)
_SELF_MUNICIPALITY = re.compile(r"(?<![\w-])(kommunen|kommunens|staden|stadens)(?![\w-])", re.IGNORECASE)
_GROUP = re.compile(
    r"(?<![\w-])(?:den\s+kommunala\s+koncernen|kommunkoncernen|koncernen)s?(?![\w-])(?!\s+(?-i:[A-ZÅÄÖ]))",
    re.IGNORECASE,
)
_NAMED_GROUP = re.compile(
    r"(?<![\w-])(kommunkoncernen|koncernen)\s+([A-ZÅÄÖ][\w-]+s?\s+(?:kommun|stad))s?(?![\w-])", re.IGNORECASE
)
# The country or all regions: a value for them is a national comparison, breakdown 'Riket'.
_NATIONAL = re.compile(
    r"(?<![\w-])(riket|rikets|rikssnitt\w*|riksgenomsnitt\w*|riksnivå\w*|(?:alla|samtliga|övriga)\s+(?:landsting|regioner)|"
    r"regionerna|landstingen|sveriges\s+kommuner\s+och\s+regioner)(?![\w-])",
    re.IGNORECASE,
)
_NATIONAL_AS_UNIT = re.compile(
    r"^(?:(?:alla|samtliga)\s+(?:landsting|regioner)|regionerna|landstingen)$", re.IGNORECASE
)


@dataclass(frozen=True)
class OrgMention:
    name: str  # canonical name, or the unit as the text writes it (nominative, capitalised)
    start: int
    end: int
    level: str  # a seed level, 'self' (the document's own organisation), 'unit' (kind noun), 'national'
    is_genitive: bool = False


@dataclass(frozen=True)
class DocumentOrganisation:
    """The organisation a document reports on."""

    name: str  # as it was called in the period reported ('Landstinget Dalarna' in 2011)
    code: str | None  # org_units code: SCB county code for a region, municipality code
    level: str  # region, municipality
    region_code: str | None  # the county
    source: str  # title, text, file_name
    group_name: str | None = None  # its group of companies as the text names it ('Kommunkoncernen Karlstads kommun')


def _name_pattern(name: str) -> str:
    words = fold(name).split()
    return r"[\s\-–,()]*".join(re.escape(word) for word in words)


@dataclass(frozen=True)
class _KnownNames:
    """Every known unit name as patterns by the name's first word (one alternation of all names
    is slow in Python's re, and most sentences name none), short capitalised abbreviations
    ('HSN', 'RS'), and a lookup from the folded name to its unit."""

    by_first_word: dict[str, re.Pattern]
    short: re.Pattern | None
    lookup: dict[str, OrgUnit]

    def matches(self, text: str) -> list[re.Match]:
        """Name matches in text order, never overlapping: the earliest, then the longest, wins."""
        words = set(re.findall(r"\w+", text.lower()))
        words |= {w[:-1] for w in words if w.endswith("s")}  # a genitive 's' may end a one-word name
        found = [m for word in words & self.by_first_word.keys() for m in self.by_first_word[word].finditer(text)]
        found.sort(key=lambda m: (m.start(), -(m.end() - m.start())))
        kept: list[re.Match] = []
        for match in found:
            if not kept or match.start() >= kept[-1].end():
                kept.append(match)
        return kept


@cache
def _known_names(region_code: str | None) -> _KnownNames:
    lookup: dict[str, OrgUnit] = {}
    names: list[str] = []
    abbreviations: list[str] = []
    for unit in org_units.known_units():
        local = unit.level in ("region", "municipality") or unit.region_code == region_code
        if not local:
            continue
        spellings = [unit.name, *unit.aliases, *TEXT_ALIASES.get(unit.name, ())]
        if unit.former_name:
            spellings.append(unit.former_name)
        for spelling in spellings:
            if len(spelling) <= 4 and spelling.isupper():
                abbreviations.append(spelling)
                lookup.setdefault(spelling, unit)
                continue
            key = fold(spelling)
            if key and key not in lookup:
                lookup[key] = unit
                names.append(spelling)
    grouped: dict[str, list[str]] = {}
    for name in sorted(names, key=lambda n: -len(n)):
        first = re.match(r"\w+", fold(name))
        grouped.setdefault(first.group(0) if first else "", []).append(name)
    by_first_word = {
        word: re.compile(rf"(?<![\w-])(?:{'|'.join(_name_pattern(n) for n in group)})(s)?(?![\w-])", re.IGNORECASE)
        for word, group in grouped.items()
    }
    short = (
        re.compile(
            rf"(?<![\w-])({'|'.join(map(re.escape, sorted(set(abbreviations), key=len, reverse=True)))})(?![\w-])"
        )
        if abbreviations
        else None
    )
    return _KnownNames(by_first_word, short, lookup)


def _unit_for(text: str, lookup: dict[str, OrgUnit]) -> OrgUnit | None:
    key = fold(text)
    return lookup.get(key) or (lookup.get(key[:-1]) if key.endswith("s") else None)


def capitalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    return text[:1].upper() + text[1:]


def find_orgs(
    text: str, region_code: str | None, document: DocumentOrganisation | None = None, on: date | None = None
) -> list[OrgMention]:
    """Units named in `text`, in text order, never overlapping (longer names win)."""
    known = _known_names(region_code)
    short, lookup = known.short, known.lookup
    found: list[OrgMention] = []

    def free(start: int, end: int) -> bool:
        return not any(start < m.end and m.start < end for m in found)

    for match in known.matches(text):
        unit = _unit_for(match.group(0), lookup)
        if unit is None:
            continue
        written = match.group(0)
        name = unit.name
        if unit.former_name and fold(written).rstrip("s") == fold(unit.former_name).rstrip("s"):
            name = unit.former_name  # the text uses the name of its time
        if unit.level == "county_total":
            continue  # 'Västerbotten' alone is a place, not the region's organisation
        found.append(OrgMention(name, match.start(), match.end(), unit.level, bool(match.group(1))))
    if short is not None:
        for match in short.finditer(text):
            unit = lookup.get(match.group(1))
            if unit is not None and free(match.start(), match.end()):
                found.append(OrgMention(unit.name, match.start(), match.end(), unit.level))
    for match in _ORG_KIND.finditer(text):
        word = match.group(1)
        if fold(word) in _NOT_A_UNIT or not free(match.start(), match.end()):
            continue
        unit = _unit_for(word, lookup)
        name = unit.name if unit else capitalise(word)
        found.append(OrgMention(name, match.start(), match.end(), unit.level if unit else "unit", bool(match.group(2))))
    for match in _NATIONAL.finditer(text):
        if free(match.start(), match.end()):
            word = re.sub(r"\s+", " ", match.group(1))
            name = capitalise(word) if _NATIONAL_AS_UNIT.match(word) else ""
            found.append(OrgMention(name, match.start(), match.end(), "national"))
    for match in _NAMED_GROUP.finditer(text):
        unit = _unit_for(match.group(2), lookup)
        if unit is None or unit.level != "municipality":
            continue
        found = [m for m in found if not (match.start() <= m.start < match.end())]
        found.append(OrgMention(capitalise(f"{match.group(1)} {unit.name}"), match.start(), match.end(), "group"))
    if document is not None:
        for match in _GROUP.finditer(text):
            if free(match.start(), match.end()) and document.level == "municipality":
                name = document.group_name or f"Koncernen {document.name}"
                found.append(
                    OrgMention(name, match.start(), match.end(), "group", match.group(0).lower().endswith("s"))
                )
        self_pattern = _SELF_MUNICIPALITY if document.level == "municipality" else _SELF_REGION
        for match in self_pattern.finditer(text):
            if free(match.start(), match.end()):
                found.append(
                    OrgMention(document.name, match.start(), match.end(), "self", match.group(1).lower().endswith("s"))
                )
    found.sort(key=lambda m: m.start)
    # 'regionens egen primärvård', 'nämndens tandvård': the possessor only says whose unit it is
    return [
        m
        for i, m in enumerate(found)
        if not (
            m.is_genitive
            and m.level != "national"
            and i + 1 < len(found)
            and found[i + 1].level not in ("national", "self")
            and _POSSESSED_GAP.fullmatch(text[m.end : found[i + 1].start])
        )
    ]


# The words between a unit in the genitive and the unit it owns.
_POSSESSED_GAP = re.compile(r"\s+(?:(?:egen|egna|eget|samlade|hela)\s+)?", re.IGNORECASE)
# 'på länets sjukhus och på sjukstugorna', 'för primärvård och tandvård': two units named together.
_COORDINATED_GAP = re.compile(
    r"\s*,?\s+(?:och|samt|respektive)\s+(?:(?:på|i|inom|för|vid)\s+)?(?:[a-zåäö]+\s+){0,2}", re.IGNORECASE
)


def coordinated(text: str, mention: OrgMention, mentions: list[OrgMention]) -> OrgMention | None:
    """The unit named together with `mention` ('X och Y'), or None."""
    following = [m for m in mentions if m.start >= mention.end and m.level != "national"]
    if (
        following
        and following[0].name != mention.name
        and _COORDINATED_GAP.fullmatch(text[mention.end : following[0].start])
    ):
        return following[0]
    return None


def common_unit(first: str, second: str, region_code: str | None) -> str | None:
    """The nearest known unit both belong to ('Sjukhusvård' and 'Sjukstugorna': the health care
    committee), or None when either is unknown or they share none."""

    def chain(name: str) -> list[OrgUnit]:
        unit, units = org_units.find_unit(name, region_code), []
        while unit is not None and unit not in units:
            units.append(unit)
            unit = org_units.unit_by_code(unit.parent_code)
        return units

    second_chain = chain(second)
    return next((unit.name for unit in chain(first) if unit in second_chain), None)


# --------------------------------------------------------------------------- the document's own


_REGION_SELF_WORDS = re.compile(
    r"(?<![\w-])(regionen|regionens|landstinget|landstingets|regionfullmäktige|landstingsfullmäktige|regionstyrelsen|landstingsstyrelsen)(?![\w-])",
    re.IGNORECASE,
)
_MUNICIPAL_SELF_WORDS = re.compile(
    r"(?<![\w-])(kommunen|kommunens|kommunfullmäktige|kommunstyrelsen|kommunkoncernen|stadens|staden)(?![\w-])",
    re.IGNORECASE,
)
_COUNCIL_WORDS = re.compile(
    r"(?<![\w-])(landstinget|landstingets|landstingsstyrelsen|landstingsfullmäktige)(?![\w-])", re.IGNORECASE
)
_TITLE_LINES = 8
_TITLE_WEIGHT = 5


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def _file_name_candidates(file_name: str) -> list[OrgUnit]:
    """Units whose name stands in the file name ('vastervik_arsredovisning_2020_12.txt')."""
    stem = _ascii(Path(file_name).stem)
    tokens = set(re.split(r"[^a-z]+", stem))
    found = []
    for unit in (*org_units.regions().values(), *org_units.municipalities()):
        base = re.sub(r"^(region|landstinget)\s+|s?\s+(kommun|stad|lan|regionen)$", "", _ascii(unit.name))
        base = base.replace(" ", "")
        if base and base in tokens:
            found.append(unit)
    return found


def group_name(lines: list[str], organisation: DocumentOrganisation) -> str | None:
    """The name the text gives its organisation's group ('Kommunkoncernen Karlstads kommun')."""
    for line in lines:
        for mention in find_orgs(line, organisation.region_code):
            if mention.level == "group" and fold(organisation.name) in fold(mention.name):
                return mention.name
    return None


def document_organisation(lines: list[str], file_name: str, period_end: date | None) -> DocumentOrganisation | None:
    """The region or municipality the document reports on, from its title and text; the file
    name only when the text never names it."""
    text = "\n".join(lines)
    region_self = len(_REGION_SELF_WORDS.findall(text))
    municipal_self = len(_MUNICIPAL_SELF_WORDS.findall(text))
    votes: Counter[str] = Counter()
    in_title: set[str] = set()
    written: dict[str, str] = {}
    title = [line for line in lines if line.strip()][:_TITLE_LINES]
    for line in lines:
        weight = _TITLE_WEIGHT if line in title else 1
        for mention in find_orgs(line, None):
            unit = org_units.find_unit(mention.name, None) if mention.level in ("region", "municipality") else None
            if unit is None:
                continue
            votes[unit.code] += weight
            written.setdefault(unit.code, mention.name)
            if line in title:
                in_title.add(unit.code)
    if votes:
        best = max(votes.values())
        tied = [code for code, count in votes.items() if count == best]
        if len(tied) > 1:
            # a tie: the kind the document speaks of itself as decides
            level = "municipality" if municipal_self > region_self else "region"
            tied = [code for code in tied if org_units.unit_by_code(code).level == level] or tied
            if len(tied) != 1:
                return None
        code = tied[0]
        source = "title" if code in in_title else "text"
    else:
        candidates = _file_name_candidates(file_name)
        level = "municipality" if municipal_self > region_self else "region"
        candidates = [u for u in candidates if u.level == level] or candidates
        if len(candidates) != 1:
            return None
        code, source = candidates[0].code, "file_name"
        written[code] = candidates[0].name
    unit = org_units.unit_by_code(code)
    name = written.get(code, unit.name)
    if unit.level == "region" and name == unit.name and unit.former_name:
        # a report that calls its organisation 'landstinget', or one from before the change of
        # name, is the county council's ('Landstinget Blekinge'), as the report itself says
        speaks_as_council = len(_COUNCIL_WORDS.findall(text)) > len(
            re.findall(r"(?<![\w-])regionen?s?(?![\w-])", text, re.IGNORECASE)
        )
        if speaks_as_council or (source == "file_name" and unit.name_on(period_end) != unit.name):
            name = unit.former_name
    return DocumentOrganisation(name, unit.code, unit.level, unit.region_code, source)
