"""A refresh that adds one document yields the same warehouse as a full refresh of the same documents.

Three bundled reports are refreshed, a fourth arrives and is refreshed incrementally; a second
warehouse is built from all four at once. Every table of the two published files must hold the
same rows, except for the columns that record when something ran (RUN_TIME_COLUMNS)."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "seeds" / "reports").glob("*.txt"))[:4]

pytestmark = pytest.mark.slow

# When a document was loaded or a check ran: the two warehouses were built at different times.
RUN_TIME_COLUMNS = {"loaded_at", "evaluated_at", "recorded_at", "replaced_at", "retired_at"}


def _refresh(tmp: Path, reports: list[Path], instance: dg.DagsterInstance, monkeypatch) -> tuple[Path, int]:
    """Refresh with `reports` in the inbox; the published file and how many documents were extracted."""
    inbox = tmp / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for report in reports:
        shutil.copy(report, inbox / report.name)
    monkeypatch.setenv("REPORTS_DIR", str(inbox))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp / "published" / "warehouse.duckdb"))
    monkeypatch.setenv("DUCKDB_PATH", str(tmp / "build" / "warehouse.build.duckdb"))
    from dagster_project.definitions import build_defs
    from dagster_project.defs.automation import run_refresh

    _, result = run_refresh(build_defs(), instance, raise_on_error=True)
    assert result.success
    extracted = result.asset_materializations_for_node("document_extractions")
    return tmp / "published" / "warehouse.duckdb", extracted[0].metadata["extracted_documents"].value


def _contents(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, without the run-time columns."""
    contents = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() order by all"
        ).fetchall()
        for schema, table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from duckdb_columns() where database_name = current_database() "
                    "and schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
                if row[0] not in RUN_TIME_COLUMNS
            ]
            selected = ", ".join(f'"{c}"' for c in columns)
            contents[f"{schema}.{table}"] = con.execute(
                f'select {selected} from "{schema}"."{table}" order by all'
            ).fetchall()
    return contents


def test_one_new_document_refreshed_incrementally_equals_a_full_refresh(tmp_path, monkeypatch):
    with dg.DagsterInstance.ephemeral() as instance:
        _refresh(tmp_path / "incremental", REPORTS[:3], instance, monkeypatch)
        incremental, extracted = _refresh(tmp_path / "incremental", REPORTS, instance, monkeypatch)
    assert extracted == 1  # the second refresh read only the new document
    with dg.DagsterInstance.ephemeral() as instance:
        full, extracted = _refresh(tmp_path / "full", REPORTS, instance, monkeypatch)
    assert extracted == len(REPORTS)
    expected, actual = _contents(full), _contents(incremental)
    assert sorted(actual) == sorted(expected)
    assert len(expected["marts.kpi_observations"]) > 0
    different = [table for table in expected if actual[table] != expected[table]]
    assert not different, f"tables that differ between the incremental and the full refresh: {different}"
