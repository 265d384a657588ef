"""The dbt project builds on a real raw schema and honours the BI view contract.

The session's one `dbt build` (models, seeds, data tests, unit tests) on the dev raw fixture
(tests/conftest.py: dev_warehouse) in a temporary DuckDB file; target and log paths go to the
temporary folder too, so parallel runs never share dbt/target.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.testing import raw_fixture
from dagster_project.warehouse.publish import write_fresh_copy
from tests.bi_contract import CONTRACT_COLUMNS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = PROJECT_ROOT / "dbt"

CONTRACT_TYPES = {
    "period_start": "DATE",
    "period_end": "DATE",
    "value": "DOUBLE",
    "is_approximate": "BOOLEAN",
    "source_line": "INTEGER",
}
# DuckDB's own schemas, present in every file
BUILTIN_SCHEMAS = {"main", "information_schema", "pg_catalog"}


@pytest.fixture(scope="module")
def built_warehouse(dev_warehouse) -> Path:
    return dev_warehouse


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


@pytest.mark.slow
def test_schemas_are_exactly_raw_staging_marts(built_warehouse, tmp_path):
    """The build file also holds raw_mirror (the raw layer's rows with the file each came from, what
    raw.* read) and intermediate (the rule views); the published file does not: readers get those
    rows once, as raw.* tables and in marts.consistency_rule_instances."""

    def schemas(path):
        with _connect(path) as con:
            return {
                row[0]
                for row in con.execute(
                    "select schema_name from information_schema.schemata where catalog_name = current_database()"
                ).fetchall()
            } - BUILTIN_SCHEMAS

    assert schemas(built_warehouse) == {"raw", "raw_mirror", "intermediate", "staging", "marts"}
    published = tmp_path / "published.duckdb"
    write_fresh_copy(built_warehouse, published)
    assert schemas(published) == {"raw", "staging", "marts"}
    with _connect(published) as con:
        assert con.execute("select count(*) from raw.facts").fetchone()[0] > 0


@pytest.mark.slow
def test_bi_view_has_contract_columns_in_order(built_warehouse):
    with _connect(built_warehouse) as con:
        table_type = con.execute(
            "select table_type from information_schema.tables where table_schema = 'marts' and table_name = 'kpi_observations'"
        ).fetchone()
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'kpi_observations' order by ordinal_position"
        ).fetchall()
    # a table: a client attaching the file under another name cannot bind a view (tests/test_clients.py)
    assert table_type == ("BASE TABLE",)
    names = [name for name, _ in columns]
    assert names[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    types = dict(columns)
    for name, sql_type in CONTRACT_TYPES.items():
        assert types[name] == sql_type, name
    assert all(types[name] == "VARCHAR" for name in CONTRACT_COLUMNS if name not in CONTRACT_TYPES)


@pytest.mark.slow
def test_every_fact_reaches_the_bi_view(built_warehouse):
    with _connect(built_warehouse) as con:
        raw_facts = con.execute("select count(*) from raw.facts").fetchone()[0]
        observations = con.execute("select count(*) from marts.kpi_observations").fetchone()[0]
    assert raw_facts > 0
    assert observations == raw_facts


@pytest.mark.slow
def test_fact_with_unit_missing_from_seed_is_kept_under_a_new_unit(built_warehouse):
    with _connect(built_warehouse) as con:
        units = con.execute(
            "select org_unit_code, parent_code, level, is_from_seed, aliases from marts.dim_org_unit "
            "where org_unit_name = ?",
            [raw_fixture.UNKNOWN_CLINIC],
        ).fetchall()
        rows = con.execute(
            "select document, org_unit_code, value from marts.kpi_observations where org_unit_name = ? order by all",
            [raw_fixture.UNKNOWN_CLINIC],
        ).fetchall()
    # 'Ortopedi Ske' (one report) and 'Ortopedi Skellefteå' (another) are one unit under region 24
    assert len(units) == 1
    code, parent, level, is_from_seed, aliases = units[0]
    assert code.startswith("24-") and parent == "24" and level == "unit" and not is_from_seed
    assert "Ortopedi Ske" in aliases
    assert {row[1] for row in rows} == {code}
    assert {row[2] for row in rows} == {48.0, -4.0, 62.0}
    assert {row[0] for row in rows} == {raw_fixture.RVB_2022, raw_fixture.HSD_2024}


@pytest.mark.slow
def test_uncatalogued_kpi_points_at_unknown_member(built_warehouse):
    with _connect(built_warehouse) as con:
        rows = con.execute(
            "select f.kpi_code, v.kpi_code, v.kpi_name_sv from marts.fct_kpi_observation f "
            "join marts.kpi_observations v using (kpi_observation_id) where f.extracted_kpi_code = 'ambulance_missions_count'"
        ).fetchall()
    assert rows == [("-1", "ambulance_missions_count", "Okänt nyckeltal")]


@pytest.mark.slow
def test_views_survive_renaming_the_file(built_warehouse, tmp_path):
    """publish.py renames the build file; view bodies must not name the old database."""
    published = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, published)
    with _connect(published) as con:
        assert con.execute("select count(*) from marts.kpi_observations").fetchone()[0] > 0
        assert con.execute("select count(*) from staging.stg_facts").fetchone()[0] > 0


def test_profile_closes_the_file_after_each_run():
    """dbt-duckdb keeps its connection open unless told not to (dbt-duckdb#616)."""
    profile = yaml.safe_load((DBT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    output = profile["region_reports"]["outputs"][profile["region_reports"]["target"]]
    assert output["type"] == "duckdb"
    assert output["keep_open"] is False
    # dbt-duckdb runs threads as cursors on its one connection, so parallel models and data tests
    # are safe; 4 threads shorten the build (the file is still closed after each run)
    assert output["threads"] == 4
    assert "env_var('DUCKDB_PATH'" in output["path"]
    assert "env_var('DUCKDB_MEMORY_LIMIT'" in output["settings"]["memory_limit"]


@pytest.mark.slow
def test_not_null_columns_reports_each_null_and_its_column(built_warehouse, tmp_path):
    """The generic test not_null_columns (one query per model instead of one not_null per column),
    as dbt compiled it for the real kpi_observationer in the session's build, passes on the built
    table and returns every row with a null in a listed column, naming the column."""
    manifest = json.loads((built_warehouse.parent / "target" / "manifest.json").read_text(encoding="utf-8"))
    [node] = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        and n.get("test_metadata", {}).get("name") == "not_null_columns"
        and n["attached_node"].endswith(".kpi_observationer")
    ]
    assert node["test_metadata"]["kwargs"]["columns"] == ["dokument", "kpi_kod", "värde", "källrad"]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        assert con.execute(f"select count(*) from ({node['compiled_code']})").fetchone() == (0,)
        con.execute(
            "insert into marts.kpi_observationer (dokument, kpi_kod, värde, källrad, källtext) values "
            "(null, 'k', 1.0, 11, 'no document'), ('a.txt', null, null, 12, 'no code, no value'), "
            "('a.txt', 'k', 2.0, null, 'no line')"
        )
        failures = con.execute(f"select null_columns, källtext from ({node['compiled_code']})").fetchall()
        assert sorted(failures, key=str) == sorted(
            [("dokument", "no document"), ("kpi_kod, värde", "no code, no value"), ("källrad", "no line")], key=str
        )
