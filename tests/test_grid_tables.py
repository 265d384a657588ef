"""Grid tables: rows whose cells are known (PDF ruled tables, markdown tables in text)."""

from datetime import date

import pytest

from dagster_project.extraction.grid_tables import (
    extract_grid_tables,
    grids,
    read_column,
    split_cells,
)
from dagster_project.testing.sample_records import document_meta


def _meta(start=date(2023, 1, 1), end=date(2023, 12, 31), kind="annual_report"):
    return document_meta(
        document="rapport.pdf",
        sha256="x",
        region_name="Region Västerbotten",
        kind=kind,
        start=start,
        end=end,
        title="Årsredovisning",
        organisation="Region Västerbotten",
    )


ANNUAL = [
    "Resultaträkning, mnkr",
    "Mnkr | 2023 | 2022 | Förändring",
    "Årets resultat | 312 | -45 | 357",
    "Sjukfrånvaro, % | 6,1 | 6,4 | -0,3",
    "Övriga poster | 12 | 14 | -2",
]


def test_split_cells_reads_rendered_and_markdown_rows():
    assert split_cells("Årets resultat | 312 | -45") == ["Årets resultat", "312", "-45"]
    assert split_cells("| Årets resultat | 312 |") == ["Årets resultat", "312"]
    assert split_cells("|---|---:|") is None
    assert split_cells("För mer information se - Stor avtalsrörelse | SKR") == [
        "För mer information se - Stor avtalsrörelse",
        "SKR",
    ]
    assert split_cells("Ingen tabell här") is None


def test_a_single_pipe_line_is_no_grid():
    # A link text with a pipe in running text ('... | SKR') must not be read as a table.
    assert grids(["Läs mer | SKR", "", "Regionen redovisar ett resultat på 12 mnkr."]) == []


def test_markdown_separator_row_belongs_to_its_grid():
    found = grids(["| Mnkr | 2023 |", "|---|---:|", "| Årets resultat | 312 |"])
    assert [[row.line for row in grid] for grid in found] == [[1, 3]]


def test_annual_table_gives_one_fact_per_year_column():
    extraction, consumed = extract_grid_tables(_meta(), ANNUAL)
    values = {(f.kpi_code, f.period_end.year, f.value, f.unit) for f in extraction.facts}
    assert values == {
        ("result_mnkr", 2023, 312.0, "mnkr"),
        ("result_mnkr", 2022, -45.0, "mnkr"),
        ("sick_leave_pct", 2023, 6.1, "percent"),
        ("sick_leave_pct", 2022, 6.4, "percent"),
    }
    assert all(
        f.source_line in (3, 4) and f.binding == "table" and f.period_source == "table_header" for f in extraction.facts
    )
    assert consumed == {2, 3, 4, 5}


def test_difference_column_and_unknown_rows_are_listed_with_a_reason():
    extraction, _ = extract_grid_tables(_meta(), ANNUAL)
    reasons = {(u.source_line, u.number_text): u.reason for u in extraction.unmapped}
    assert reasons[(3, "357")] == "difference_column"
    assert reasons[(5, "12")] == "no_measure"


def test_bare_year_column_in_an_interim_report_is_left_out():
    # In a report for January-August a column headed '2023' may hold the eight months or the
    # whole year; a budget column is the whole year.
    meta = _meta(end=date(2023, 8, 31), kind="interim_report")
    extraction, _ = extract_grid_tables(
        meta,
        [
            "Mnkr | Utfall jan-aug 2023 | 2022 | Budget 2023",
            "Årets resultat | 140 | 98 | 50",
        ],
    )
    facts = {(f.scenario, f.period_start, f.period_end, f.value) for f in extraction.facts}
    assert facts == {
        ("actual", date(2023, 1, 1), date(2023, 8, 31), 140.0),
        ("target", date(2023, 1, 1), date(2023, 12, 31), 50.0),
    }
    assert [u.reason for u in extraction.unmapped] == ["year_column_in_part_year_report"]


@pytest.mark.parametrize(
    "header, expected",
    [
        ("Avvikelse mot budget", "difference_column"),
        ("Förändring, %", "difference_column"),
        ("Kommentar", "column_not_understood"),
        ("", "column_without_header"),
    ],
)
def test_columns_that_are_not_read(header, expected):
    assert read_column(header, _meta()).left_out == expected


def test_tkr_caption_is_converted_to_mnkr():
    extraction, _ = extract_grid_tables(
        _meta(),
        [
            "Tkr | 2023",
            "Årets resultat | 12 500",
        ],
    )
    assert [(f.kpi_code, f.value, f.unit) for f in extraction.facts] == [("result_mnkr", 12.5, "mnkr")]


def test_empty_cells_do_not_shift_columns():
    # Flattened to text, the missing 2022 value would move 6,1 under 2022.
    extraction, _ = extract_grid_tables(
        _meta(),
        [
            "Nyckeltal | 2023 | 2022 | 2021",
            "Sjukfrånvaro, % | 6,1 | – | 5,9",
        ],
    )
    assert sorted((f.period_end.year, f.value) for f in extraction.facts) == [(2021, 5.9), (2023, 6.1)]


def test_unit_columns_give_the_unit_as_org():
    extraction, _ = extract_grid_tables(
        _meta(),
        [
            "Sjukfrånvaro, % | Regionstyrelsen | Totalt",
            "Sjukfrånvaro, % | 5,0 | 6,1",
        ],
    )
    orgs = {f.org_unit: f.value for f in extraction.facts}
    assert orgs.get("Region Västerbotten") == 6.1
    assert len(orgs) == 2
