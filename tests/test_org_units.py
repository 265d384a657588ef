"""Unit names: the place abbreviations come from the one seed dbt reads too."""

from pathlib import Path

import yaml

from dagster_project.extraction import org_units

ROOT = Path(__file__).resolve().parents[1]


def test_place_abbreviations_come_from_the_seed_dbt_reads():
    """One list for Python and dbt: the seed, not a copy in code or in dbt_project.yml's vars."""
    project = yaml.safe_load((ROOT / "dbt" / "dbt_project.yml").read_text(encoding="utf-8"))
    assert "place_abbreviations" not in (project.get("vars") or {})
    assert "place_abbreviations" in project["seeds"]["region_reports"]
    assert org_units.place_abbreviations()["ske"] == "Skellefteå"


def test_abbreviations_are_spelled_out_as_whole_words_in_any_case():
    assert org_units.expand_abbreviations("Ortopedi SKE, Geriatrik Ly") == "Ortopedi Skellefteå, Geriatrik Lycksele"
    assert org_units.expand_abbreviations("Skene ske2") == "Skene ske2"
