"""raw schema: tables from the record dataclasses, per-document replacement, history, issues."""

import dataclasses
from datetime import date

import duckdb
import pytest

from dagster_project.extraction.records import DocumentMeta, Extraction, Fact, IngestIssue
from dagster_project.warehouse.load import (
    RAW_TABLES,
    load_raw,
    loaded_fingerprints,
    raw_row_counts,
    record_issues,
    replace_document,
    retire_document,
    table_columns,
)


def _meta(sha="aaa", name="rapport.txt"):
    return DocumentMeta(name, "rapport", sha, 100, "24", "Region Västerbotten", "annual_report",
                        date(2022, 1, 1), date(2022, 12, 31), "Årsrapport 2022", "utf-8", 40)


def _fact(value, line=3, name="rapport.txt", text="en negativ budgetavvikelse på 199 miljoner kronor"):
    return Fact(name, "budget_deviation_mnkr", "Hälso- och sjukvårdsnämnden", "24", date(2022, 1, 1),
                date(2022, 12, 31), "year", "actual", "total", value, "mnkr", False, line, text, "text:test")


@pytest.fixture
def con():
    with duckdb.connect() as connection:
        yield connection


def test_raw_tables_follow_the_dataclasses(con):
    raw_row_counts(con)
    for table in RAW_TABLES:
        described = [row[0] for row in con.execute(f"describe raw.{table}").fetchall()]
        assert described == list(table_columns(table))
    assert dict(con.execute("select column_name, data_type from duckdb_columns() where table_name = 'facts' "
                            "and schema_name = 'raw'").fetchall())["period_end"] == "DATE"


def test_new_version_replaces_rows_and_keeps_history(con):
    load_raw(con, [_meta("v1")], {"rapport.txt": Extraction(facts=[_fact(-199.0), _fact(-198.0, 9)])}, [])
    assert loaded_fingerprints(con) == {"rapport": ("v1", None)}
    replace_document(con, _meta("v2"), Extraction(facts=[_fact(-200.0)]))
    assert con.execute("select value from raw.facts").fetchall() == [(-200.0,)]
    history = con.execute("select value, document_sha256 from raw.facts_history order by value").fetchall()
    assert history == [(-199.0, "v1"), (-198.0, "v1")]
    assert loaded_fingerprints(con) == {"rapport": ("v2", None)}


def test_same_version_loaded_twice_is_not_duplicated(con):
    for _ in range(2):
        load_raw(con, [_meta()], {"rapport.txt": Extraction(facts=[_fact(-199.0)])}, [])
    assert raw_row_counts(con)["facts"] == 1
    assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == 0


def test_text_with_quotes_and_sql_reaches_the_table_as_data(con):
    hostile = "'); drop table raw.facts; -- ”citat” å ä ö"
    load_raw(con, [_meta(name="x'y.txt")], {"x'y.txt": Extraction(facts=[_fact(1.0, name="x'y.txt", text=hostile)])}, [])
    assert con.execute("select source_text from raw.facts").fetchone()[0] == hostile


def test_issues_replace_earlier_issues_of_the_same_file_and_clear_when_it_loads(con):
    record_issues(con, [IngestIssue("rapport.txt", "empty_file", "0 bytes")])
    record_issues(con, [IngestIssue("rapport.txt", "binary_file", "NUL byte at offset 12")])
    assert con.execute("select reason_code from raw.ingest_issues").fetchall() == [("binary_file",)]
    replace_document(con, _meta(), Extraction())
    assert con.execute("select count(*) from raw.ingest_issues").fetchone()[0] == 0


def test_retire_removes_rows_but_keeps_history(con):
    load_raw(con, [_meta()], {"rapport.txt": Extraction(facts=[_fact(-199.0)])}, [])
    assert retire_document(con, "rapport.txt") == ["rapport"]
    assert raw_row_counts(con)["documents"] == 0
    assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == 1
    assert retire_document(con, "rapport.txt") == []


def test_retire_by_document_id(con):
    load_raw(con, [_meta()], {"rapport.txt": Extraction(facts=[_fact(-199.0)])}, [])
    assert retire_document(con, "rapport") == ["rapport"]
    assert raw_row_counts(con)["facts"] == 0


def test_a_redelivered_file_name_replaces_the_same_document(con):
    """'rapport (2).txt' is a new version of document_id 'rapport': one document, the old facts in history."""
    load_raw(con, [_meta("v1")], {"rapport.txt": Extraction(facts=[_fact(-199.0)])}, [])
    renamed = dataclasses.replace(_meta("v2"), document="rapport (2).txt")
    replace_document(con, renamed, Extraction(facts=[_fact(-200.0, name="rapport (2).txt")]), "x1")
    assert con.execute("select document, value from raw.facts").fetchall() == [("rapport (2).txt", -200.0)]
    assert con.execute("select document, value from raw.facts_history").fetchall() == [("rapport.txt", -199.0)]
    assert loaded_fingerprints(con) == {"rapport": ("v2", "x1")}


def test_failed_replace_rolls_back(con, monkeypatch):
    load_raw(con, [_meta("v1")], {"rapport.txt": Extraction(facts=[_fact(-199.0)])}, [])
    broken = dataclasses.replace(_fact(-1.0), value="not a number")  # cast fails inside the transaction
    with pytest.raises(duckdb.Error):
        replace_document(con, _meta("v2"), Extraction(facts=[broken]))
    assert con.execute("select value from raw.facts").fetchall() == [(-199.0,)]
    assert loaded_fingerprints(con) == {"rapport": ("v1", None)}
