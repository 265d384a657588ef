"""The command line: retiring a document removes its rows, its stored extraction and its partition."""

from datetime import date

import dagster as dg
import duckdb

from dagster_project.cli import main
from dagster_project.defs.partitions import DOCUMENTS
from dagster_project.extraction.records import DocumentMeta, Extraction, Fact
from dagster_project.warehouse import extraction_store
from dagster_project.warehouse.load import load_raw


def _meta():
    return DocumentMeta("rapport.txt", "rapport", "aaa", 100, "24", "Region Västerbotten", "annual_report",
                        date(2022, 1, 1), date(2022, 12, 31), "Årsrapport 2022", "utf-8", 40)


def _fact():
    return Fact("rapport.txt", "budget_deviation_mnkr", "Hälso- och sjukvårdsnämnden", "24", date(2022, 1, 1),
                date(2022, 12, 31), "year", "actual", "total", -199.0, "mnkr", False, 3,
                "ett underskott på 199 miljoner kronor", "text:test")


def test_retire_removes_rows_store_entry_and_partition(tmp_path, monkeypatch, capsys):
    home, build = tmp_path / "home", tmp_path / "build"
    home.mkdir()
    build.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DUCKDB_PATH", str(build / "warehouse.build.duckdb"))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "published" / "warehouse.duckdb"))  # its lock lives beside it
    with duckdb.connect(str(build / "warehouse.build.duckdb")) as con:
        load_raw(con, [_meta()], {"rapport.txt": Extraction(facts=[_fact()])}, [])
    store = extraction_store.store_dir(build)
    extraction_store.save(store, extraction_store.StoredExtraction(
        "rapport", "rapport.txt", "aaa", "v", meta=_meta(), extraction=Extraction(facts=[_fact()])))
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(DOCUMENTS.name, ["rapport", "annan"])

    assert main(["retire", "rapport"]) == 0
    assert "rapport" in capsys.readouterr().out
    with duckdb.connect(str(build / "warehouse.build.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.facts").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == 1
    assert extraction_store.load(store, "rapport") is None
    with dg.DagsterInstance.get() as instance:
        assert instance.get_dynamic_partitions(DOCUMENTS.name) == ["annan"]

    assert main(["retire", "rapport"]) == 1  # nothing left to retire: said, not silent
    assert "no document 'rapport'" in capsys.readouterr().err
