"""The command line: retiring a document removes its rows from the raw layer and its partition."""

import dagster as dg
import duckdb

from dagster_project.cli import main
from dagster_project.defs.partitions import DOCUMENTS
from dagster_project.extraction.records import Extraction
from dagster_project.testing.sample_records import annual_report_meta, budget_deviation_fact
from dagster_project.warehouse import raw_layer


def _meta():
    return annual_report_meta()


def _fact():
    return budget_deviation_fact()


def test_retire_removes_rows_store_entry_and_partition(tmp_path, monkeypatch, capsys):
    home, build = tmp_path / "home", tmp_path / "build"
    home.mkdir()
    build.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("DUCKDB_PATH", str(build / "warehouse.build.duckdb"))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "published" / "warehouse.duckdb"))  # its lock lives beside it
    raw = tmp_path / "raw"
    monkeypatch.setenv("RAW_DATA_PATH", str(raw))
    raw_layer.save(
        raw,
        raw_layer.StoredExtraction(
            "rapport", "rapport.txt", "aaa", "v", meta=_meta(), extraction=Extraction(facts=[_fact()])
        ),
    )
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(DOCUMENTS.name, ["rapport", "annan"])

    assert main(["retire", "rapport"]) == 0
    assert "rapport" in capsys.readouterr().out
    with duckdb.connect() as con:
        raw_layer.create_raw_views(con, raw)
        assert con.execute("select count(*) from raw.facts").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == 1
        assert con.execute("select document_id from raw.retired_documents").fetchall() == [("rapport",)]
    assert raw_layer.load(raw, "rapport") is None
    with dg.DagsterInstance.get() as instance:
        assert instance.get_dynamic_partitions(DOCUMENTS.name) == ["annan"]

    assert main(["retire", "rapport"]) == 1  # nothing left to retire: said, not silent
    assert "no document 'rapport'" in capsys.readouterr().err
