"""Organisational units: one canonical name per unit, however the report spells it.

Known units (regions, boards, committees, areas, named clinics) live in seeds/org_units.csv,
with their aliases; dbt builds dim_org_unit from the same file. A label that is not a known
unit (a clinic in a waiting-time table) keeps its own wording, with the place abbreviations
of the reports spelled out word by word ('Ortopedi Ske' -> 'Ortopedi Skellefteå'), so the
same clinic written two ways becomes one unit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .documents import REGIONS
from .normalise import fold

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "org_units.csv"

# Place abbreviations used in clinic names. Expanded word by word, never inside a word.
PLACE_ABBREVIATIONS = {
    "ske": "Skellefteå",
    "ly": "Lycksele",
    "vb": "Västerbotten",
    "sö": "Södra",
    "nb": "Norrbotten",
}

# every Swedish region by SCB county code, so reports of any region get their region's name
REGION_NAMES = {code: name for code, (name, _) in REGIONS.items()}


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name: str
    parent_code: str | None
    level: str
    region_code: str
    aliases: tuple[str, ...]


@cache
def known_units(seed_path: Path = SEED_PATH) -> tuple[OrgUnit, ...]:
    with open(seed_path, encoding="utf-8", newline="") as handle:
        return tuple(
            OrgUnit(
                code=row["org_unit_code"],
                name=row["org_unit_name"],
                parent_code=row["parent_code"] or None,
                level=row["level"],
                region_code=row["region_code"],
                aliases=tuple(a for a in (row["aliases"] or "").split("|") if a),
            )
            for row in csv.DictReader(handle)
        )


@cache
def _alias_index(seed_path: Path = SEED_PATH) -> dict[tuple[str, str], OrgUnit]:
    """(region code, folded name or alias) -> unit."""
    index: dict[tuple[str, str], OrgUnit] = {}
    for unit in known_units(seed_path):
        for name in (unit.name, *unit.aliases):
            index.setdefault((unit.region_code, fold(name)), unit)
            index.setdefault((unit.region_code, fold(expand_abbreviations(name))), unit)
    return index


def expand_abbreviations(label: str) -> str:
    """Spell out place abbreviations word by word: 'Ortopedi Ske' -> 'Ortopedi Skellefteå'."""

    def replace(match: re.Match) -> str:
        word = match.group(0)
        return PLACE_ABBREVIATIONS.get(word.lower(), word)

    return re.sub(r"(?<![\w])[^\W\d_]+(?![\w])", replace, label)


def clean_label(label: str) -> str:
    """A table or chart label as a unit name: footnote marks and stray spaces removed."""
    label = re.sub(r"[*¹²³]+", "", label)
    label = re.sub(r"\s+", " ", label).strip(" ,;:")
    return label


def find_unit(label: str, region_code: str | None) -> OrgUnit | None:
    """The known unit a label names, or None."""
    index = _alias_index()
    key = fold(clean_label(label))
    for code in ([region_code] if region_code else []) + [c for c in REGION_NAMES if c != region_code]:
        unit = index.get((code, key)) or index.get((code, fold(expand_abbreviations(clean_label(label)))))
        if unit:
            return unit
    return None


def resolve(label: str, region_code: str | None) -> str:
    """The canonical name for a unit label: the known unit's name, else the cleaned label."""
    unit = find_unit(label, region_code)
    if unit:
        return unit.name
    return expand_abbreviations(clean_label(label))


def region_name(region_code: str | None) -> str | None:
    return REGION_NAMES.get(region_code or "")
