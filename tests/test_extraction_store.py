"""The extraction store between extract and load, file fingerprints, and an ingest that skips unchanged files."""

import os
from datetime import date

import pytest

from dagster_project.defs.ingest import build_registry
from dagster_project.extraction.documents import file_fingerprint
from dagster_project.extraction.records import DocumentMeta, Extraction, IngestIssue
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
    assert [e.document_id for e in extraction_store.load_all(tmp_path)] == ["rapport"]
    assert not list(tmp_path.glob(".tmp-*"))  # written atomically, nothing left behind
    assert extraction_store.remove(tmp_path, "rapport") and extraction_store.load(tmp_path, "rapport") is None


def test_a_damaged_entry_reads_as_missing(tmp_path):
    (tmp_path / "rapport.pickle").write_bytes(b"\x80\x05 not a pickle")
    assert extraction_store.load(tmp_path, "rapport") is None
    assert extraction_store.load_all(tmp_path) == []


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
    assert file_fingerprint(inbox / "link.txt", inbox).startswith("refused:symlink:")


def test_ingest_reads_only_files_whose_extraction_is_not_current(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    first = build_registry(inbox, store)
    assert [d.meta.document_id for d in first.documents] == ["rapport"] and first.unchanged == []
    meta = first.documents[0].meta
    extraction_store.save(store, StoredExtraction("rapport", "rapport.txt", meta.sha256,
                                                  extraction_store.extractor_version(), meta=meta, extraction=Extraction()))
    second = build_registry(inbox, store)
    assert second.documents == [] and second.unchanged == ["rapport"]

    (inbox / "kopia.txt").write_text(REPORT, encoding="utf-8")  # same content under another name
    third = build_registry(inbox, store)
    assert third.documents == []
    assert [(i.file_name, i.reason_code) for i in third.issues] == [("kopia.txt", "duplicate_content")]


def test_ingest_keeps_the_latest_delivery_of_a_document(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    os.utime(inbox / "rapport.txt", ns=(1, 1))
    (inbox / "rapport (2).txt").write_text(REPORT + "Rättelse.\n", encoding="utf-8")
    registry = build_registry(inbox)
    assert [d.meta.document for d in registry.documents] == ["rapport (2).txt"]
    assert [(i.file_name, i.reason_code) for i in registry.issues if i.is_fatal] == [("rapport.txt", "superseded_version")]


@pytest.mark.parametrize("outcome", ["refused", "extracted"])
def test_extract_partition_writes_one_entry_per_document(tmp_path, outcome):
    from dagster_project.defs.extract import extract_partition

    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    content = REPORT if outcome == "extracted" else "Mjölk\nSmör\n"
    (inbox / "rapport.txt").write_text(content, encoding="utf-8")
    registry = build_registry(inbox, store)
    result, entry = extract_partition(registry, "rapport", store)
    assert result == outcome
    assert extraction_store.load(store, "rapport") == entry
    if outcome == "extracted":
        assert entry.loadable and any(f.value == -199 or f.value == 199 for f in entry.extraction.facts)
    else:
        assert isinstance(entry.failure, IngestIssue) and entry.failure.reason_code == "unknown_kind"
    assert extract_partition(build_registry(inbox, store), "rapport", store)[0] == "unchanged"
    assert extract_partition(registry, "gone", store) == ("not_in_inbox", None)

