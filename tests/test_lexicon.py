"""The measure lexicon (seeds/kpi_lexicon.csv, kpi_measures.csv, kpi_measure_kpis.csv): consistent data,
and the matching rules extraction relies on."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dagster_project.extraction import lexicon

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _rows(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_phrase_compiles_and_names_a_known_measure():
    assert lexicon.find_measures("") == []
    measures = {row["measure"] for row in _rows("kpi_measures.csv")}
    for row in _rows("kpi_lexicon.csv"):
        assert row["measure"] in measures, row
        assert row["sign"] in ("", "1", "-1"), row


def test_every_mapping_files_under_a_catalogued_kpi_in_its_unit():
    catalogue = {row["kpi_code"]: row for row in _rows("kpi_catalogue.csv")}
    measures = {row["measure"] for row in _rows("kpi_measures.csv")}
    for row in _rows("kpi_measure_kpis.csv"):
        assert row["measure"] in measures, row
        assert row["kpi_code"] in catalogue, row
        assert catalogue[row["kpi_code"]]["unit"] == row["unit"], row
        assert float(row["min_value"]) < float(row["max_value"]), row
        assert row["aspect"] in ("level", "change", "budget_deviation", "share"), row


def test_catalogue_keeps_the_spec_codes_and_only_adds():
    spec = SEEDS.parents[1] / "shared" / "spec" / "kpi_catalogue.csv"
    if not spec.exists():
        pytest.skip("../shared/spec is not beside the project")
    with open(spec, encoding="utf-8", newline="") as handle:
        spec_codes = {row["kpi_code"] for row in csv.DictReader(handle)}
    ours = {row["kpi_code"] for row in _rows("kpi_catalogue.csv")}
    assert spec_codes <= ours


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Resultatet efter finansnetto uppgick till 12 mnkr", ["result_after_financial_items"]),
        ("verksamhetens resultat", ["operating_result"]),
        ("Sjukfrånvaron ligger på 6,1 procent", ["sick_leave"]),
        ("långtidssjukfrånvaron", ["long_term_sick_leave"]),  # longer phrase, its own measure
        ("Kostnaderna för inhyrd personal", ["hired_staff_cost"]),
        ("personalomsättningen", ["staff_turnover"]),
        ("soliditeten inklusive pensionsförpliktelser", ["equity_ratio_incl_pensions"]),
        ("en långsiktig plan", []),  # 'lån' must not run on into 'långsiktig'
        ("Patientintäkterna", ["other_revenue_item"]),  # a compound the lexicon lacks is no total
        ("lokalkostnaderna", ["other_cost_item"]),
    ],
)
def test_measures_found_longest_first(text, expected):
    assert [m.measure for m in lexicon.find_measures(text)] == expected


def test_phrase_signs():
    found = {m.text.lower(): m.sign for m in lexicon.find_measures("ett underskott och ett överskott")}
    assert found == {"underskott": -1, "överskott": 1}


def test_kpi_for_a_measure_aspect_and_unit():
    assert lexicon.kpi_for("result", "budget_deviation", "mnkr").kpi_code == "budget_deviation_mnkr"
    assert lexicon.kpi_for("net_cost", "budget_deviation", "mnkr").breakdown == "verksamhetens nettokostnader"
    assert lexicon.kpi_for("result", "change", "mnkr") is None  # a result's change has no KPI
    assert lexicon.kpi_for("pension_liability", "level", "mnkr") is None
