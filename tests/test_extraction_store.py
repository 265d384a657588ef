"""The extraction store between extract and load, file fingerprints, and an ingest that skips unchanged files."""

import os
from datetime import date

import pytest

from dagster_project.extraction.documents import file_fingerprint
from dagster_project.extraction.records import DocumentMeta, Extraction
from dagster_project.ingest.registry import build_registry
from dagster_project.warehouse import extraction_store
from dagster_project.warehouse.extraction_store import StoredExtraction

REPORT = "Region Västerbotten\nÅrsrapport 2022\nHälso- och sjukvårdsnämnden redovisar ett underskott på 199 miljoner kronor.\n"


def _meta(sha="abc"):
    return DocumentMeta("rapport.txt", "rapport", sha, 10, "24", "Region Västerbotten", "annual_report",
                        date(2022, 1, 1), date(2022, 12, 31), "Årsrapport 2022", "utf-8", 3)


def test_save_and_load_round_trip(tmp_path):
    entry = StoredExtraction("rapport", "rapport.txt", "abc", "v1", meta=_meta(), extraction=Extraction())
    extraction_store.save(tmp_path, entry)
    assert extraction_store.load(tmp_path, "rapport") == entry
    assert not list(tmp_path.glob(".tmp-*"))  # written atomically, nothing left behind
    assert extraction_store.header(tmp_path, "rapport")["source_fingerprint"] == "abc"
    assert extraction_store.remove(tmp_path, "rapport") and extraction_store.load(tmp_path, "rapport") is None
    assert extraction_store.header(tmp_path, "rapport") is None


def test_a_damaged_entry_reads_as_missing(tmp_path):
    (tmp_path / f"{extraction_store.entry_key('rapport')}.pickle").write_bytes(b"\x80\x05 not a pickle")
    (tmp_path / f"{extraction_store.entry_key('rapport')}.json").write_text("{", encoding="utf-8")
    assert extraction_store.load(tmp_path, "rapport") is None
    assert extraction_store.header(tmp_path, "rapport") is None


def test_extractor_version_is_stable_and_short():
    assert extraction_store.extractor_version() == extraction_store.extractor_version()
    assert len(extraction_store.extractor_version()) == 16


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
    assert extraction_store.load(store, "kopia").failure.reason_code == "duplicate_content"


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
def test_extraction_stores_one_entry_per_document_in_or_out_of_process(tmp_path, monkeypatch, workers):
    monkeypatch.setenv("EXTRACT_WORKERS", workers)
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "lista.txt").write_text("Mjölk\nSmör\n", encoding="utf-8")
    (inbox / "tom.txt").write_bytes(b"")
    _, summaries, _ = _extract(inbox, store)
    assert {d: s.outcome for d, s in summaries.items()} == {"lista": "refused", "rapport": "extracted", "tom": "refused"}
    assert summaries["tom"].reason == "empty_file" and summaries["lista"].reason == "not_a_report"
    entry = extraction_store.load(store, "rapport")
    assert entry.loadable and any(abs(f.value) == 199 for f in entry.extraction.facts)
    import hashlib

    assert extraction_store.header(store, "tom") == {
        "document_id": "tom", "file_name": "tom.txt", "source_fingerprint": hashlib.sha256(b"").hexdigest(),
        "extractor_version": extraction_store.extractor_version(), "loadable": False, "content_key": None}
