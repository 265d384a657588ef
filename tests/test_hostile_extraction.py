"""One document never stops the extraction of the others: time limit, dead workers, long names, copies."""

from pathlib import Path

import pytest

from dagster_project.defs.extract import tasks_for
from dagster_project.ingest.registry import build_registry, is_current, read_inbox
from dagster_project.warehouse import raw_layer
from dagster_project.warehouse.extract_batch import extract_all
from tests.hostile import corpus
from tests.hostile.workers import hang_or_die


def _inbox(tmp_path: Path) -> tuple[Path, Path]:
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    return inbox, store


def _extract(inbox: Path, store: Path, **options):
    registry = build_registry(inbox, store)
    tasks, _ = tasks_for(registry, sorted(registry.paths), store)
    return {s.file_name: s for s in extract_all(tasks, **options)}


@pytest.mark.slow  # runs make, many Dagster runs or waits out a timeout
def test_a_hanging_and_a_dying_document_cost_only_themselves(tmp_path):
    inbox, store = _inbox(tmp_path)
    (inbox / "rapport.txt").write_text(corpus.small_report(1), encoding="utf-8")
    (inbox / "rapport that hangs.txt").write_text(corpus.small_report(2), encoding="utf-8")
    (inbox / "rapport that dies.txt").write_text(corpus.small_report(3), encoding="utf-8")
    (inbox / "annan rapport.txt").write_text(corpus.small_report(4), encoding="utf-8")
    summaries = _extract(inbox, store, work=hang_or_die, timeout=3, workers=2)

    assert {name: (s.outcome, s.reason) for name, s in summaries.items()} == {
        "rapport.txt": ("extracted", None),
        "annan rapport.txt": ("extracted", None),
        "rapport that hangs.txt": ("failed", "extraction_timeout"),
        "rapport that dies.txt": ("failed", "worker_died"),
    }
    timeout = raw_layer.load(store, "rapport_that_hangs").failure
    assert "rapport that hangs.txt" in timeout.detail and "EXTRACT_TIMEOUT_SECONDS" in timeout.detail
    died = raw_layer.load(store, "rapport_that_dies").failure
    assert "rapport that dies.txt" in died.detail and "SIGKILL" in died.detail
    # recorded like any refusal: the next run does not retry them until the file or extractor changes
    inbox_now = read_inbox(inbox)
    assert all(is_current(store, entry) for entry in inbox_now.files.values())
    assert not list(store.rglob(".tmp-*"))  # a killed worker leaves no half-written file behind


def test_a_file_name_of_255_bytes_is_stored_and_loaded(tmp_path):
    inbox, store = _inbox(tmp_path)
    [path] = corpus.long_name(inbox)
    assert len(path.name.encode("utf-8")) == 255
    summaries = _extract(inbox, store)
    [summary] = summaries.values()
    assert summary.outcome == "extracted" and summary.facts >= 1
    entry = raw_layer.load(store, summary.document_id)
    assert entry.meta.document == path.name
    assert all(len(p.name) <= 90 for p in store.rglob("*"))  # names keyed by hashes, not by the file name
    assert raw_layer.header(store, summary.document_id)["file_name"] == path.name


def test_the_same_report_in_four_encodings_and_doubled_lines_is_one_document(tmp_path):
    inbox, store = _inbox(tmp_path)
    corpus.same_report_many_ways(inbox)
    summaries = _extract(inbox, store)
    outcomes = sorted((s.outcome, s.reason) for s in summaries.values())
    assert outcomes == [("extracted", None)] + [("refused", "duplicate_content")] * 4, summaries
    [kept] = [name for name, s in summaries.items() if s.outcome == "extracted"]
    for name, summary in summaries.items():
        if name != kept:
            failure = raw_layer.load(store, summary.document_id).failure
            assert kept in failure.detail and "loaded once" in failure.detail

    (inbox / "sen kopia.txt").write_bytes((inbox / "rapport_utf8.txt").read_bytes().replace(b"\n", b"\r\n"))
    later = _extract(inbox, store)  # a later run: the document extracted earlier keeps the content
    assert later["sen kopia.txt"].reason == "duplicate_content"


def test_a_document_that_needs_more_memory_than_a_worker_may_use_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("EXTRACT_MEMORY_MB", "1024")
    inbox, store = _inbox(tmp_path)
    (inbox / "rapport.txt").write_text(corpus.small_report(1), encoding="utf-8")
    (inbox / "rapport that eats.txt").write_text(corpus.small_report(2), encoding="utf-8")
    summaries = _extract(inbox, store, work=hang_or_die, workers=1)
    assert summaries["rapport.txt"].outcome == "extracted"
    assert (summaries["rapport that eats.txt"].outcome, summaries["rapport that eats.txt"].reason) == (
        "failed",
        "out_of_memory",
    )
    failure = raw_layer.load(store, "rapport_that_eats").failure
    assert "rapport that eats.txt" in failure.detail and "EXTRACT_MEMORY_MB" in failure.detail
