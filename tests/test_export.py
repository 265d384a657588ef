"""Parquet export: every marts table and view round-trips with its rows, values and types."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dagster_project.report.export import export_parquet


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create schema staging")
        con.execute(
            """
            create table marts.fct_kpi_observation as
            select * from (values
                ('rvb_hsn_arsrapport_2022.txt', 'budget_deviation_mnkr', 'Hälso- och sjukvårdsnämnden',
                 date '2022-01-01', date '2022-12-31', -199.0, false, 3, 'negativ budgetavvikelse på 199 miljoner kronor'),
                ('rvb_hsn_arsrapport_2022.txt', 'care_days_count', 'Hälso- och sjukvårdsnämnden',
                 date '2022-01-01', date '2022-12-31', 250500.0, true, 2008, 'drygt 250 500 vårddagar'),
                ('rnb_regiondirektorens_rapport_2023_02.txt', 'employees_count', 'Region Norrbotten',
                 date '2023-02-28', date '2023-02-28', 6807.0, false, 100, null)
            ) as t(document, kpi_code, org_unit_name, period_start, period_end, value, is_approximate,
                   source_line, source_text)
            """
        )
        con.execute("create view marts.kpi_observations as select * from marts.fct_kpi_observation")
        con.execute(
            """
            create table marts.consistency_findings as
            select 'same_kpi_same_period_differs' as rule, ['a.txt', 'a.txt'] as documents,
                   [3, 1637] as source_lines, [-199.0, -198.0] as "values", 1.0 as difference
            """
        )
        con.execute('create table marts.empty_table (id integer, "värde" double)')
        con.execute("create table staging.not_exported as select 1 as x")
    return path


def test_every_marts_relation_round_trips(warehouse, tmp_path):
    out = tmp_path / "parquet"
    written = export_parquet(warehouse, out)
    assert sorted(p.name for p in written) == [
        "consistency_findings.parquet",
        "empty_table.parquet",
        "fct_kpi_observation.parquet",
        "kpi_observations.parquet",
    ]
    assert not list(out.glob(".*partial"))
    with duckdb.connect() as con:
        con.execute(f"attach '{warehouse}' as w (read_only)")
        for path in written:
            relation = path.stem
            original = con.execute(f"select * from w.marts.{relation} order by all").fetchall()
            exported = con.execute(f"select * from read_parquet('{path}') order by all").fetchall()
            assert exported == original, relation
            original_types = [row[1] for row in con.execute(f"describe w.marts.{relation}").fetchall()]
            exported_types = [
                row[1] for row in con.execute(f"describe select * from read_parquet('{path}')").fetchall()
            ]
            assert exported_types == original_types, relation


def test_values_survive_exactly(warehouse, tmp_path):
    out = tmp_path / "parquet"
    export_parquet(warehouse, out)
    with duckdb.connect() as con:
        row = con.execute(
            f"select period_end, value, is_approximate, source_text from read_parquet('{out / 'kpi_observations.parquet'}') "
            "where source_line = 2008"
        ).fetchone()
        assert row == (date(2022, 12, 31), 250500.0, True, "drygt 250 500 vårddagar")
        finding = con.execute(
            f"select source_lines, \"values\" from read_parquet('{out / 'consistency_findings.parquet'}')"
        ).fetchone()
        assert finding == ([3, 1637], [-199.0, -198.0])
        assert con.execute(f"select count(*) from read_parquet('{out / 'empty_table.parquet'}')").fetchone() == (0,)


def test_export_reads_while_another_reader_holds_the_file(warehouse, tmp_path):
    # BI tools hold the published file read-only; the export must not need the write lock
    with duckdb.connect(str(warehouse), read_only=True):
        written = export_parquet(warehouse, tmp_path / "parquet")
    assert len(written) == 4
