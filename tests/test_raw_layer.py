"""The Parquet raw layer: one document's records written once, a manifest as the commit, the one
writer's settle (replacement, history, stale records), retirement, restore, views dbt reads; file
fingerprints and an ingest that skips unchanged files."""

import dataclasses
import os

import duckdb
import pytest

from dagster_project.defs.ingest import build_registry
from dagster_project.extraction.documents import file_fingerprint
from dagster_project.extraction.records import Extraction, IngestIssue
from dagster_project.testing.sample_records import annual_report_meta, budget_deviation_fact
from dagster_project.warehouse import raw_layer, raw_restore
from dagster_project.warehouse.load import load_raw
from dagster_project.warehouse.raw_layer import StoredExtraction

REPORT = "Region Västerbotten\nÅrsrapport 2022\nHälso- och sjukvårdsnämnden redovisar ett underskott på 199 miljoner kronor.\n"


def _meta(sha="abc"):
    return annual_report_meta(sha=sha, size_bytes=10, line_count=3)


def _fact(value, line=3, name="rapport.txt", text="en negativ budgetavvikelse på 199 miljoner kronor"):
    return budget_deviation_fact(name, value, line=line, text=text)


def _entry(sha="abc", facts=(-199.0,), name="rapport.txt", version="v1"):
    meta = dataclasses.replace(_meta(sha), document=name)
    return StoredExtraction(
        "rapport", name, sha, version, meta=meta, extraction=Extraction(facts=[_fact(v, name=name) for v in facts])
    )


def _rows(raw, sql):
    with duckdb.connect() as con:
        raw_layer.create_raw_views(con, raw)
        return con.execute(sql).fetchall()


def test_save_and_load_round_trip(tmp_path):
    entry = _entry()
    raw_layer.save(tmp_path, entry)
    loaded = raw_layer.load(tmp_path, "rapport")
    assert loaded.meta == entry.meta and loaded.extraction.facts == entry.extraction.facts
    assert not list(tmp_path.rglob(".tmp-*"))  # written atomically, nothing left behind
    manifest = raw_layer.header(tmp_path, "rapport")
    assert manifest["source_fingerprint"] == "abc" and manifest["rows_version"] == entry.version
    # keyed by document and content: the facts file names both
    [facts] = (tmp_path / "facts").glob("rapport-*.parquet")
    assert facts.name == f"{raw_layer.entry_key('rapport')}--{entry.version}.parquet"


def test_raw_files_follow_the_dataclasses(tmp_path):
    raw_layer.save(tmp_path, _entry())
    with duckdb.connect() as con:
        raw_layer.create_raw_views(con, tmp_path)
        for table in raw_layer.RAW_RELATIONS:
            described = dict(con.execute(f"select column_name, column_type from (describe raw.{table})").fetchall())
            assert list(described) == list(raw_layer.table_columns(table))
        assert described_type(con, "facts", "period_end") == "DATE"
        assert described_type(con, "facts", "value_low") == "DOUBLE"
        assert described_type(con, "documents", "published_on") == "DATE"


def described_type(con, table, column):
    return dict(con.execute(f"select column_name, column_type from (describe raw.{table})").fetchall())[column]


def test_a_damaged_manifest_reads_as_missing(tmp_path):
    target = raw_layer.manifest_path(tmp_path, "rapport")
    target.parent.mkdir(parents=True)
    target.write_text("{", encoding="utf-8")
    assert raw_layer.load(tmp_path, "rapport") is None
    assert raw_layer.header(tmp_path, "rapport") is None


def test_extractor_version_is_stable_and_short():
    assert raw_layer.extractor_version() == raw_layer.extractor_version()
    assert len(raw_layer.extractor_version()) == 16


def test_a_new_version_replaces_the_rows_and_its_facts_become_history(tmp_path):
    raw_layer.save(tmp_path, _entry("v1", (-199.0, -198.0)))
    raw_layer.settle(tmp_path)
    raw_layer.save(tmp_path, _entry("v2", (-200.0,)))
    # until the one writer settles, both versions' files exist; dbt never reads before that
    raw_layer.settle(tmp_path)
    assert _rows(tmp_path, "select value from raw.facts") == [(-200.0,)]
    history = _rows(tmp_path, "select value, document_sha256 from raw.facts_history order by value")
    assert history == [(-199.0, "v1"), (-198.0, "v1")]
    assert _rows(tmp_path, "select count(*) from raw.facts_history where loaded_at is null or replaced_at is null") == [
        (0,)
    ]
    assert _rows(tmp_path, "select sha256 from raw.documents") == [("v2",)]


def test_a_new_extractor_over_the_same_content_replaces_without_history(tmp_path):
    raw_layer.save(tmp_path, _entry(version="x1"))
    raw_layer.save(tmp_path, _entry(version="x2", facts=(-199.0, 5.0)))
    raw_layer.settle(tmp_path)
    assert sorted(_rows(tmp_path, "select value from raw.facts")) == [(-199.0,), (5.0,)]
    assert _rows(tmp_path, "select count(*) from raw.facts_history") == [(0,)]


def test_a_version_that_gives_no_rows_keeps_the_earlier_rows(tmp_path):
    raw_layer.save(tmp_path, _entry("v1"))
    broken = StoredExtraction(
        "rapport", "rapport.txt", "v2", "x", failure=IngestIssue("rapport.txt", "pdf_truncated", "cut")
    )
    raw_layer.save(tmp_path, broken)
    raw_layer.settle(tmp_path, inbox_files=["rapport.txt"])
    assert _rows(tmp_path, "select value from raw.facts") == [(-199.0,)]
    assert _rows(tmp_path, "select reason_code from raw.ingest_issues") == [("pdf_truncated",)]
    assert raw_layer.header(tmp_path, "rapport")["source_fingerprint"] == "v2"  # not retried until it changes


def test_a_refused_file_that_left_the_inbox_takes_its_issue_with_it(tmp_path):
    refused = StoredExtraction("tom", "tom.txt", "e3b0", "x", failure=IngestIssue("tom.txt", "empty_file", "0 bytes"))
    raw_layer.save(tmp_path, refused)
    raw_layer.save(tmp_path, _entry())
    raw_layer.settle(tmp_path, [IngestIssue("gammal.txt", "superseded_version", "older")], inbox_files=["tom.txt"])
    assert sorted(_rows(tmp_path, "select file_name from raw.ingest_issues")) == [("gammal.txt",), ("tom.txt",)]
    raw_layer.settle(tmp_path, [], inbox_files=[])  # both files left the inbox
    assert _rows(tmp_path, "select file_name from raw.ingest_issues") == []
    assert _rows(tmp_path, "select document from raw.documents") == [("rapport.txt",)]  # kept until retired


def test_text_with_quotes_and_sql_reaches_the_files_as_data(tmp_path):
    hostile = "'); drop table raw.facts; -- ”citat” å ä ö"
    name = "x'y.txt"
    entry = StoredExtraction(
        "x'y",
        name,
        "abc",
        "v",
        meta=dataclasses.replace(_meta(), document=name, document_id="x'y"),
        extraction=Extraction(facts=[_fact(1.0, name=name, text=hostile)]),
    )
    raw_layer.save(tmp_path / "o'brien", entry)
    assert _rows(tmp_path / "o'brien", "select source_text from raw.facts") == [(hostile,)]


def test_settle_removes_what_a_killed_writer_left(tmp_path):
    raw_layer.save(tmp_path, _entry())
    (tmp_path / "facts" / ".tmp-halfwritten").write_bytes(b"PAR1")
    orphan = raw_layer.table_path(tmp_path, "facts", raw_layer.entry_key("other"), "0" * 16)
    orphan.write_bytes((tmp_path / "facts" / next(p.name for p in (tmp_path / "facts").glob("rapport-*"))).read_bytes())
    raw_layer.settle(tmp_path)
    assert not orphan.exists() and not list(tmp_path.rglob(".tmp-*"))
    assert _rows(tmp_path, "select count(*) from raw.facts") == [(1,)]


def test_retire_moves_facts_to_history_and_records_it(tmp_path):
    raw_layer.save(tmp_path, _entry())
    assert raw_layer.retire(tmp_path, "rapport.txt") == [("rapport", "rapport.txt")]
    assert _rows(tmp_path, "select count(*) from raw.documents") == [(0,)]
    assert _rows(tmp_path, "select value from raw.facts_history") == [(-199.0,)]
    assert _rows(tmp_path, "select document_id, document from raw.retired_documents") == [("rapport", "rapport.txt")]
    assert raw_layer.retire(tmp_path, "rapport") == []


def test_a_lost_raw_layer_is_restored_from_a_published_warehouse(tmp_path):
    raw, published = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw_layer.save(raw, _entry("v1", (-199.0,)))
    raw_layer.settle(raw)
    raw_layer.save(raw, _entry("v2", (-200.0, 7.0)))
    raw_layer.settle(raw)
    with duckdb.connect(str(published)) as con:
        raw_layer.create_raw_views(con, raw)
        for relation in raw_layer.RAW_RELATIONS:  # what publishing does: views become tables
            con.execute(f"create table raw.{relation}_t as select * from raw.{relation}")
            con.execute(f"drop view raw.{relation}")
            con.execute(f"alter table raw.{relation}_t rename to {relation}")
    restored = tmp_path / "restored"
    with duckdb.connect(str(published), read_only=True) as con:
        assert raw_restore.restore(restored, con, "warehouse") == 1
    assert sorted(_rows(restored, "select value from raw.facts")) == [(-200.0,), (7.0,)]
    assert _rows(restored, "select value from raw.facts_history") == [(-199.0,)]
    assert raw_layer.header(restored, "rapport")["source_fingerprint"] == "v2"


def test_load_raw_writes_the_layer_beside_a_database_file(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        counts = load_raw(
            con,
            [_meta("v1")],
            {"rapport.txt": Extraction(facts=[_fact(-199.0)])},
            [IngestIssue("bild.txt", "binary_file", "NUL")],
        )
        assert counts["facts"] == 1 and counts["ingest_issues"] == 1
        assert con.execute("select value from raw.facts").fetchall() == [(-199.0,)]
    assert (tmp_path / "w.duckdb.raw" / "manifest").is_dir()
    with duckdb.connect() as con, pytest.raises(ValueError, match="raw_dir"):
        load_raw(con, [], {}, [])


def test_fingerprint_is_the_content_hash_or_a_refusal_marker(tmp_path, monkeypatch):
    report = tmp_path / "rapport.txt"
    report.write_text(REPORT, encoding="utf-8")
    import hashlib

    assert file_fingerprint(report) == hashlib.sha256(report.read_bytes()).hexdigest()
    monkeypatch.setenv("MAX_REPORT_BYTES", "10")
    assert file_fingerprint(report).startswith("refused:too_large:")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text(REPORT, encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "link.txt").symlink_to(outside)
    assert file_fingerprint(inbox / "link.txt", inbox).startswith("refused:symlink_outside_inbox:")


def _extract(inbox, store):
    from dagster_project.defs.extract import tasks_for
    from dagster_project.warehouse.extract_batch import extract_all

    registry = build_registry(inbox, store)
    tasks, skipped = tasks_for(registry, sorted(registry.paths), store)
    return registry, {s.document_id: s for s in extract_all(tasks)}, skipped


def test_unchanged_documents_are_skipped_and_a_copy_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACT_WORKERS", "1")
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    registry, summaries, skipped = _extract(inbox, store)
    assert registry.changed == ["rapport"] and summaries["rapport"].outcome == "extracted" and not skipped
    assert summaries["rapport"].document_kind == "annual_report" and summaries["rapport"].facts >= 1

    registry, summaries, skipped = _extract(inbox, store)
    assert registry.unchanged == ["rapport"] and summaries == {} and skipped == {"rapport": "unchanged"}

    (inbox / "kopia.txt").write_text(REPORT, encoding="utf-8")  # same content under another name
    registry, summaries, _ = _extract(inbox, store)
    assert summaries["kopia"].outcome == "refused" and summaries["kopia"].reason == "duplicate_content"
    assert raw_layer.load(store, "kopia").failure.reason_code == "duplicate_content"


def test_ingest_keeps_the_latest_delivery_of_a_document(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    os.utime(inbox / "rapport.txt", ns=(1, 1))
    (inbox / "rapport (2).txt").write_text(REPORT + "Rättelse.\n", encoding="utf-8")
    registry = build_registry(inbox)
    assert registry.file_names == {"rapport": "rapport (2).txt"}
    assert [(i.file_name, i.reason_code) for i in registry.issues] == [("rapport.txt", "superseded_version")]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_raw_layers_one_entry_per_document_in_or_out_of_process(tmp_path, monkeypatch, workers):
    monkeypatch.setenv("EXTRACT_WORKERS", workers)
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "lista.txt").write_text("Mjölk\nSmör\n", encoding="utf-8")
    (inbox / "tom.txt").write_bytes(b"")
    _, summaries, _ = _extract(inbox, store)
    assert {d: s.outcome for d, s in summaries.items()} == {
        "lista": "refused",
        "rapport": "extracted",
        "tom": "refused",
    }
    assert summaries["tom"].reason == "empty_file" and summaries["lista"].reason == "not_a_report"
    entry = raw_layer.load(store, "rapport")
    assert entry.loadable and any(abs(f.value) == 199 for f in entry.extraction.facts)
    import hashlib

    manifest = raw_layer.header(store, "tom")
    assert {
        k: manifest[k]
        for k in (
            "document_id",
            "file_name",
            "source_fingerprint",
            "extractor_version",
            "loadable",
            "content_key",
            "rows_version",
        )
    } == {
        "document_id": "tom",
        "file_name": "tom.txt",
        "source_fingerprint": hashlib.sha256(b"").hexdigest(),
        "extractor_version": raw_layer.extractor_version(),
        "loadable": False,
        "content_key": None,
        "rows_version": None,
    }


def test_the_build_files_mirror_loads_only_what_changed(tmp_path):
    """raw.* read tables in the build file that follow the raw layer file by file: a refresh loads
    the files added or rewritten since the last one and takes out the rows of files that went."""
    from dagster_project.warehouse.raw_mirror import MIRROR_SCHEMA, sync_raw_mirror

    raw = tmp_path / "raw"
    raw_layer.save(raw, _entry(facts=(-199.0,), name="a.txt", version="v1"))
    with duckdb.connect(str(tmp_path / "build.duckdb")) as con:
        first = raw_layer.create_raw_views(con, raw)
        assert first.added_files >= 2 and first.removed_files == 0  # documents and facts of a.txt
        assert con.execute("select value from raw.facts").fetchall() == [(-199.0,)]
        assert sync_raw_mirror(con, raw).added_files == 0  # nothing changed: nothing read

        # a new version of the document: its old files are replaced by the new ones
        raw_layer.save(raw, _entry(sha="def", facts=(-200.0, 15.0), name="a.txt", version="v2"))
        raw_layer.settle(raw, [])
        again = sync_raw_mirror(con, raw)
        assert again.added_files >= 2 and again.removed_files >= 2
        assert sorted(con.execute("select value from raw.facts").fetchall()) == [(-200.0,), (15.0,)]

        # a file rewritten under the same name (the inbox's issues each run) is read again
        issues = raw / "ingest_issues" / "_inbox.parquet"
        raw_layer.settle(raw, [IngestIssue("x.txt", "empty_file", "file has 0 bytes")])
        assert issues.exists()
        sync_raw_mirror(con, raw)
        raw_layer.settle(raw, [IngestIssue("y.txt", "empty_file", "file has 0 bytes")])
        os.utime(issues, ns=(issues.stat().st_atime_ns, issues.stat().st_mtime_ns + 1_000_000))
        sync_raw_mirror(con, raw)
        assert con.execute("select file_name from raw.ingest_issues").fetchall() == [("y.txt",)]

        # retired: its rows leave the mirror; the view keeps the contract's columns only
        raw_layer.retire(raw, "a.txt")
        sync_raw_mirror(con, raw)
        assert con.execute("select count(*) from raw.facts").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.facts_history").fetchone()[0] >= 1
        columns = [row[0] for row in con.execute("describe raw.facts").fetchall()]
        assert columns == list(raw_layer.table_columns("facts"))

        # a mirror with other columns than the contract (an older build file) is loaded afresh
        history = con.execute("select count(*) from raw.facts_history").fetchone()[0]
        con.execute(f"alter table {MIRROR_SCHEMA}.facts_history add column dropped_later varchar")
        rebuilt = sync_raw_mirror(con, raw)
        assert rebuilt.added_files >= 1
        assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == history
