"""Extract documents into the extraction store, several at a time.

Reading and extracting a report is pure Python and CPU-bound, and documents are independent, so
a batch runs in worker processes (one per core). Each worker writes its document's entry to the
store itself and returns a one-line summary: no document text or extraction travels back.
This module does not import Dagster, so spawned workers start quickly.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..extraction.documents import read_document
from ..extraction.pipeline import extract_document
from ..extraction.records import IngestIssue
from . import extraction_store
from .extraction_store import StoredExtraction


@dataclass(frozen=True)
class Task:
    document_id: str
    path: str
    reports_dir: str
    fingerprint: str
    store_dir: str
    refused: IngestIssue | None = None  # refused before reading (e.g. the same content as another file)


@dataclass(frozen=True)
class Summary:
    document_id: str
    outcome: str  # extracted, refused, failed
    file_name: str
    document_kind: str | None = None
    region_code: str | None = None
    period_end: str | None = None
    line_count: int | None = None
    facts: int | None = None
    goal_ratings: int | None = None
    assignments: int | None = None
    unmapped_numbers: int | None = None
    reason: str | None = None
    seconds: float = 0.0

    def row(self) -> dict:
        return asdict(self)


def extract_to_store(task: Task) -> Summary:
    """Read, classify and extract one document; store the result or the reason there is none."""
    started = time.perf_counter()
    store_dir, name, version = Path(task.store_dir), Path(task.path).name, extraction_store.extractor_version()

    def refuse(issue: IngestIssue, outcome: str = "refused", entry: StoredExtraction | None = None) -> Summary:
        extraction_store.save(store_dir, entry or StoredExtraction(task.document_id, name, task.fingerprint, version,
                                                                   failure=issue))
        return Summary(task.document_id, outcome, name, reason=issue.reason_code,
                       seconds=round(time.perf_counter() - started, 3))

    if task.refused is not None:
        return refuse(task.refused)
    try:
        document = read_document(Path(task.path), Path(task.reports_dir))
    except Exception as error:  # read_document reports bad input itself; this is a bug's safety net
        document = IngestIssue(name, "read_failed", f"{type(error).__name__}: {error}")
    if isinstance(document, IngestIssue):
        return refuse(document)
    meta, caveats = document.meta, tuple(document.issues)
    try:
        extraction = extract_document(document)
    except Exception as error:  # a rule that breaks on one document must not stop the rest
        issue = IngestIssue(name, "extraction_failed", f"{type(error).__name__}: {error}", meta.sha256, meta.size_bytes)
        return refuse(issue, "failed", StoredExtraction(task.document_id, name, task.fingerprint, version, meta=meta,
                                                        failure=issue, caveats=caveats))
    extraction_store.save(store_dir, StoredExtraction(task.document_id, name, task.fingerprint, version, meta=meta,
                                                      extraction=extraction, caveats=caveats))
    return Summary(
        task.document_id, "extracted", name, meta.document_kind, meta.region_code,
        meta.period_end.isoformat() if meta.period_end else None, meta.line_count, len(extraction.facts),
        len(extraction.goals), len(extraction.assignments), len(extraction.unmapped),
        seconds=round(time.perf_counter() - started, 3),
    )


def worker_count(tasks: int) -> int:
    """EXTRACT_WORKERS, else one per core; never more than there are documents."""
    configured = os.environ.get("EXTRACT_WORKERS", "").strip()
    workers = int(configured) if configured.isdigit() and int(configured) > 0 else (os.cpu_count() or 1)
    return max(1, min(workers, tasks))


def extract_all(tasks: Sequence[Task]) -> Iterator[Summary]:
    """Summaries in task order. One document runs in this process; more run in worker processes
    (spawned: the caller may hold threads and open DuckDB connections a fork would copy)."""
    workers = worker_count(len(tasks))
    if workers == 1:
        yield from (extract_to_store(task) for task in tasks)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(extract_to_store, tasks, chunksize=1)
