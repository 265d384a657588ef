"""Organisational units: one canonical name per unit, however the report spells it.

Known units live in seeds/org_units.csv with their aliases: all 21 regions (with the name they
had as county councils, 'Landstinget Dalarna', and until when), all 290 municipalities with
their SCB codes, and the boards, committees, areas and clinics of the regions whose reports
are bundled. dbt builds dim_org_unit from the same file. A label that is not a known unit (a
clinic in a waiting-time table) keeps its own wording, with the place abbreviations of the
reports spelled out word by word ('Ortopedi Ske' -> 'Ortopedi Skellefteå'), so the same clinic
written two ways becomes one unit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .normalise import fold

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "org_units.csv"

PLACE_ABBREVIATIONS_PATH = SEED_PATH.parent / "place_abbreviations.csv"


@cache
def place_abbreviations(path: Path = PLACE_ABBREVIATIONS_PATH) -> dict[str, str]:
    """Place abbreviations of clinic names, lower case -> place ('ske' -> 'Skellefteå'); dbt
    expands labels from the same seed (macro expand_place_abbreviations)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["abbreviation"].strip().lower(): row["place"].strip() for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class OrgUnit:
    code: str
    name: str
    parent_code: str | None
    level: str  # region, municipality, county_total, council, board, committee, area, administration, unit
    region_code: str  # SCB county code; a municipality's county
    aliases: tuple[str, ...]
    former_name: str | None = None  # the name before the current one ('Landstinget Dalarna')
    former_name_until: date | None = None  # last day the former name was in use
    kolada_id: str | None = None

    def name_on(self, day: date | None) -> str:
        """The unit's name on `day`: the former name for a period before the change."""
        if self.former_name and self.former_name_until and day is not None and day <= self.former_name_until:
            return self.former_name
        return self.name


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
                former_name=row.get("former_name") or None,
                former_name_until=date.fromisoformat(row["former_name_until"])
                if row.get("former_name_until")
                else None,
                kolada_id=row.get("kolada_id") or None,
            )
            for row in csv.DictReader(handle)
        )


@cache
def regions() -> dict[str, OrgUnit]:
    """Every Swedish region by SCB county code."""
    return {unit.code: unit for unit in known_units() if unit.level == "region"}


@cache
def municipalities() -> tuple[OrgUnit, ...]:
    return tuple(unit for unit in known_units() if unit.level == "municipality")


def unit_by_code(code: str | None) -> OrgUnit | None:
    for unit in known_units():
        if unit.code == code:
            return unit
    return None


@cache
def _alias_index(seed_path: Path = SEED_PATH) -> dict[tuple[str, str], OrgUnit]:
    """(region code, folded name, alias or former name) -> unit."""
    index: dict[tuple[str, str], OrgUnit] = {}
    for unit in known_units(seed_path):
        for name in (unit.name, *unit.aliases, *([unit.former_name] if unit.former_name else [])):
            index.setdefault((unit.region_code, fold(name)), unit)
            index.setdefault((unit.region_code, fold(expand_abbreviations(name))), unit)
    return index


def expand_abbreviations(label: str) -> str:
    """Spell out place abbreviations word by word: 'Ortopedi Ske' -> 'Ortopedi Skellefteå'."""

    def replace(match: re.Match) -> str:
        word = match.group(0)
        return place_abbreviations().get(word.lower(), word)

    return re.sub(r"(?<![\w])[^\W\d_]+(?![\w])", replace, label)


def clean_label(label: str) -> str:
    """A table or chart label as a unit name: footnote marks and stray spaces removed."""
    label = re.sub(r"[*¹²³]+", "", label)
    label = re.sub(r"\s+", " ", label).strip(" ,;:")
    return label


def find_unit(label: str, region_code: str | None) -> OrgUnit | None:
    """The known unit a label names, or None. Units of `region_code` win over others."""
    index = _alias_index()
    keys = (fold(clean_label(label)), fold(expand_abbreviations(clean_label(label))))
    codes = ([region_code] if region_code else []) + [c for c in regions() if c != region_code]
    for code in codes:
        for key in keys:
            unit = index.get((code, key))
            if unit:
                return unit
    return None


def resolve(label: str, region_code: str | None) -> str:
    """The canonical name for a unit label: the known unit's name, else the cleaned label.

    A former name stays as written ('Landstinget Dalarna' in a report of 2011 is what the
    organisation was called then; the warehouse maps it to the same unit).
    """
    unit = find_unit(label, region_code)
    if unit:
        if unit.former_name and fold(clean_label(label)) == fold(unit.former_name):
            return unit.former_name
        return unit.name
    return expand_abbreviations(clean_label(label))


def region_name(region_code: str | None, on: date | None = None) -> str | None:
    unit = regions().get(region_code or "")
    return unit.name_on(on) if unit else None
