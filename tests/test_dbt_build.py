"""The dbt project builds on a real raw schema and honours the BI view contract.

One `dbt build` (models, seeds, data tests, unit tests) runs per module against the dev raw fixture
(scripts/dev_raw_fixture.py) in a temporary DuckDB file; target and log paths go to the temporary
folder too, so parallel runs never share dbt/target.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = PROJECT_ROOT / "dbt"

# docs/bi_contract.md, "The BI view": these columns first, in this order
CONTRACT_COLUMNS = [
    "document", "kpi_code", "kpi_name_sv", "org_unit_code", "org_unit_name", "region_code",
    "period_start", "period_end", "period_type", "scenario", "breakdown", "value", "unit",
    "is_approximate", "source_line", "source_text", "extraction_method",
]
CONTRACT_TYPES = {
    "period_start": "DATE", "period_end": "DATE", "value": "DOUBLE", "is_approximate": "BOOLEAN",
    "source_line": "INTEGER",
}
# DuckDB's own schemas, present in every file
BUILTIN_SCHEMAS = {"main", "information_schema", "pg_catalog"}


def _fixture_module():
    spec = importlib.util.spec_from_file_location("dev_raw_fixture", PROJECT_ROOT / "scripts" / "dev_raw_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _dbt_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else shutil.which("dbt")


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory) -> Path:
    dbt = _dbt_executable()
    if dbt is None:
        pytest.skip("dbt is not installed in this environment")
    tmp = tmp_path_factory.mktemp("dbt_build")
    path = _fixture_module().build_raw_fixture(tmp / "warehouse.build.duckdb")
    env = {**os.environ, "DUCKDB_PATH": str(path), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [dbt, "build", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
         "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")],
        cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    return path


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


@pytest.mark.slow
def test_schemas_are_exactly_raw_staging_marts(built_warehouse):
    with _connect(built_warehouse) as con:
        schemas = {row[0] for row in con.execute(
            "select schema_name from information_schema.schemata where catalog_name = current_database()"
        ).fetchall()}
    assert schemas - BUILTIN_SCHEMAS == {"raw", "staging", "marts"}


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
    fixture = _fixture_module()
    with _connect(built_warehouse) as con:
        units = con.execute(
            "select org_unit_code, parent_code, level, is_from_seed, aliases from marts.dim_org_unit "
            "where org_unit_name = ?", [fixture.UNKNOWN_CLINIC]
        ).fetchall()
        rows = con.execute(
            "select document, org_unit_code, value from marts.kpi_observations where org_unit_name = ? order by all",
            [fixture.UNKNOWN_CLINIC],
        ).fetchall()
    # 'Ortopedi Ske' (one report) and 'Ortopedi Skellefteå' (another) are one unit under region 24
    assert len(units) == 1
    code, parent, level, is_from_seed, aliases = units[0]
    assert code.startswith("24-") and parent == "24" and level == "unit" and not is_from_seed
    assert "Ortopedi Ske" in aliases
    assert {row[1] for row in rows} == {code}
    assert {row[2] for row in rows} == {48.0, -4.0, 62.0}
    assert {row[0] for row in rows} == {fixture.RVB_2022, fixture.HSD_2024}


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


@pytest.mark.slow
def test_not_null_columns_reports_each_null_and_its_column(tmp_path):
    """The generic test not_null_columns (one query per model instead of one not_null per column),
    compiled by dbt for a real model, returns every row with a null in a listed column and names it."""
    dbt = _dbt_executable()
    if dbt is None:
        pytest.skip("dbt is not installed in this environment")
    env = {**os.environ, "DUCKDB_PATH": str(tmp_path / "compile.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [dbt, "compile", "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR), "--quiet",
         "--select", "kpi_observationer,test_name:not_null_columns",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"dbt compile failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    [node] = [n for n in manifest["nodes"].values() if n["resource_type"] == "test" and n.get("compiled_code")]
    assert node["test_metadata"]["kwargs"]["columns"] == ["dokument", "kpi_kod", "värde", "källrad"]

    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.kpi_observationer as select * from (values "
            "('a.txt', 'k', 1.0, 10, 'clean'), (null, 'k', 1.0, 11, 'no document'), "
            "('a.txt', null, null, 12, 'no code, no value'), ('a.txt', 'k', 2.0, null, null)"
            ") as t(dokument, kpi_kod, värde, källrad, källtext)"
        )
        failures = con.execute(f"select null_columns, källtext from ({node['compiled_code']})").fetchall()
        assert sorted(failures, key=str) == sorted(
            [("dokument", "no document"), ("kpi_kod, värde", "no code, no value"), ("källrad", None)], key=str
        )
        con.execute("delete from marts.kpi_observationer where källtext is distinct from 'clean'")
        assert con.execute(f"select count(*) from ({node['compiled_code']})").fetchone() == (0,)
