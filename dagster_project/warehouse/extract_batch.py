"""Extract documents into the raw layer, several at a time, each in bounded time and memory.

Reading and extracting a report is pure Python and CPU-bound, and documents are independent, so
a batch runs in worker processes (one per core). Each worker writes its document's Parquet files
to the raw layer itself and returns a one-line summary: no document text or extraction travels
back. Writing needs no lock (raw_layer.py), so batches can run in several processes or machines.
This module does not import Dagster, so spawned workers start quickly.

One document can never stop the batch: the parent knows which document each worker holds, so
a document that runs past EXTRACT_TIMEOUT_SECONDS has its worker killed and is recorded as
extraction_timeout, and a worker that dies (the OOM killer, a crash in a C extension) costs only
its own document, recorded as worker_died with the file's name. Both are stored like any other
refusal, so the next run does not retry the same file until it or the extractor changes.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ..extraction.documents import read_document
from ..extraction.pipeline import extract_document
from ..extraction.records import IngestIssue
from . import raw_layer
from .raw_layer import StoredExtraction
from .settings import read_limits


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
    store_dir, name, version = Path(task.store_dir), Path(task.path).name, raw_layer.extractor_version()

    def refuse(issue: IngestIssue, outcome: str = "refused", entry: StoredExtraction | None = None) -> Summary:
        raw_layer.save(
            store_dir, entry or StoredExtraction(task.document_id, name, task.fingerprint, version, failure=issue)
        )
        return Summary(
            task.document_id, outcome, name, reason=issue.reason_code, seconds=round(time.perf_counter() - started, 3)
        )

    if task.refused is not None:
        return refuse(task.refused)
    try:
        document = read_document(Path(task.path), Path(task.reports_dir))
    except MemoryError:
        document = IngestIssue(name, "out_of_memory", _out_of_memory_detail(name))
    except Exception as error:  # read_document reports bad input itself; this is a bug's safety net
        document = IngestIssue(name, "read_failed", f"{type(error).__name__}: {error}")
    if isinstance(document, IngestIssue):
        return refuse(document, "failed" if document.reason_code == "out_of_memory" else "refused")
    meta, caveats = document.meta, tuple(document.issues)
    try:
        extraction = extract_document(document)
    except Exception as error:  # a rule that breaks on one document must not stop the rest
        code, detail = (
            ("out_of_memory", _out_of_memory_detail(name))
            if isinstance(error, MemoryError)
            else ("extraction_failed", f"{type(error).__name__}: {error}")
        )
        issue = IngestIssue(name, code, detail, meta.sha256, meta.size_bytes)
        return refuse(
            issue,
            "failed",
            StoredExtraction(
                task.document_id, name, task.fingerprint, version, meta=meta, failure=issue, caveats=caveats
            ),
        )
    raw_layer.save(
        store_dir,
        StoredExtraction(
            task.document_id,
            name,
            task.fingerprint,
            version,
            meta=meta,
            extraction=extraction,
            caveats=caveats,
            content_key=document.content_key,
        ),
    )
    return Summary(
        task.document_id,
        "extracted",
        name,
        meta.document_kind,
        meta.region_code,
        meta.period_end.isoformat() if meta.period_end else None,
        meta.line_count,
        len(extraction.facts),
        len(extraction.goals),
        len(extraction.assignments),
        len(extraction.unmapped),
        seconds=round(time.perf_counter() - started, 3),
    )


def _out_of_memory_detail(name: str) -> str:
    return (
        f"reading or extracting {name} needed more memory than a worker may use "
        f"({read_limits().extract_memory_mb} MB, EXTRACT_MEMORY_MB)"
    )


def worker_count(tasks: int) -> int:
    """EXTRACT_WORKERS, else one per core; never more than there are documents."""
    workers = read_limits().extract_workers or os.cpu_count() or 1
    return max(1, min(workers, tasks))


# ---------------------------------------------------------------- worker processes


def _worker_main(connection: Connection, work: Callable[[Task], Summary], memory_mb: int) -> None:
    """A worker: say it is ready (its imports done), then run one task per message until None."""
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    connection.send(("ready", None))
    while True:
        task = connection.recv()
        if task is None:
            return
        try:
            connection.send(("done", work(task)))
        except MemoryError:
            connection.send(("failed", ("out_of_memory", _out_of_memory_detail(Path(task.path).name))))
        except Exception as error:  # noqa: BLE001 - a bug outside the per-document handlers: this document only
            connection.send(("failed", ("extraction_failed", f"{type(error).__name__}: {error}")))


_MAX_FAILED_STARTS = 3


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False
    task: int | None = None  # index of the task it holds
    deadline: float = 0.0
    stopping: bool = False


@dataclass
class _Pool:
    """Worker processes that each hold at most one task; the parent keeps the books."""

    work: Callable[[Task], Summary]
    size: int
    timeout: float
    memory_mb: int
    workers: list[_Worker] = field(default_factory=list)

    def start_worker(self) -> None:
        context = multiprocessing.get_context("spawn")  # the caller may hold threads and DuckDB connections
        parent, child = context.Pipe()
        process = context.Process(target=_worker_main, args=(child, self.work, self.memory_mb), daemon=True)
        process.start()
        child.close()
        self.workers.append(_Worker(process, parent))

    def stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.connection.close()
        self.workers.remove(worker)

    def close(self) -> None:
        for worker in list(self.workers):
            if worker.ready and worker.task is None and worker.process.is_alive():
                try:
                    worker.connection.send(None)
                    worker.process.join(timeout=5)
                except (OSError, EOFError):
                    pass
            self.stop(worker)


def _death(process: multiprocessing.process.BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (the system's out-of-memory killer sends this)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {code}"


def _lost(task: Task, code: str, detail: str, started: float) -> Summary:
    """Store the refusal of a document whose worker returned no summary (timeout, death, error)."""
    name = Path(task.path).name
    issue = IngestIssue(name, code, detail)
    raw_layer.save(
        Path(task.store_dir),
        StoredExtraction(task.document_id, name, task.fingerprint, raw_layer.extractor_version(), failure=issue),
    )
    return Summary(task.document_id, "failed", name, reason=code, seconds=round(time.monotonic() - started, 3))


def extract_all(
    tasks: Sequence[Task],
    *,
    work: Callable[[Task], Summary] = extract_to_store,
    timeout: float | None = None,
    workers: int | None = None,
    refuse_duplicates: bool = True,
) -> Iterator[Summary]:
    """Summaries in task order. Every document runs in a worker process (spawned), so that the
    time limit (EXTRACT_TIMEOUT_SECONDS, or `timeout`) and the memory limit hold for each.
    `refuse_duplicates=False` leaves refusing copies of content to the caller (several batches)."""
    if not tasks:
        return
    limits = read_limits()
    timeout = limits.extract_timeout_seconds if timeout is None else timeout
    pool = _Pool(work, workers or worker_count(len(tasks)), timeout, limits.extract_memory_mb)
    results: dict[int, Summary] = {}
    pending = list(range(len(tasks)))
    started: dict[int, float] = {}
    failed_starts = 0

    def replace(worker, code: str, detail: str) -> None:
        """Record why the worker's document was lost (if it had one) and start another worker."""
        if worker.task is not None:
            results[worker.task] = _lost(tasks[worker.task], code, detail, started[worker.task])
        pool.stop(worker)
        if pending:
            pool.start_worker()

    try:
        for _ in range(min(pool.size, len(tasks))):
            pool.start_worker()
        while len(results) < len(tasks):
            now = time.monotonic()
            for worker in pool.workers:
                if worker.ready and worker.task is None and pending:
                    worker.task = pending.pop(0)
                    started[worker.task] = now
                    worker.deadline = now + timeout
                    worker.connection.send(tasks[worker.task])
            busy = [w for w in pool.workers if w.task is not None]
            wait_for = min((w.deadline for w in busy), default=now + 1.0) - now
            ready = wait(
                [w.connection for w in pool.workers] + [w.process.sentinel for w in pool.workers],
                timeout=max(0.0, wait_for),
            )
            for worker in list(pool.workers):
                if worker.connection in ready:
                    try:
                        kind, value = worker.connection.recv()
                    except (EOFError, OSError):
                        kind, value = "died", None
                    if kind == "ready":
                        worker.ready = True
                        continue
                    if kind == "done":
                        results[worker.task] = value
                        worker.task = None
                        continue
                    if kind == "failed":
                        code, detail = value
                        results[worker.task] = _lost(tasks[worker.task], code, detail, started[worker.task])
                        worker.task = None
                        continue
                if worker.process.sentinel in ready or (worker.connection in ready and not worker.process.is_alive()):
                    worker.process.join()
                    if not worker.ready:
                        failed_starts += 1
                        if failed_starts >= _MAX_FAILED_STARTS:
                            raise RuntimeError(
                                f"{failed_starts} extraction workers died before taking a document (the last "
                                f"{_death(worker.process)}); is EXTRACT_MEMORY_MB ({pool.memory_mb}) too low?"
                            )
                    name = Path(tasks[worker.task].path).name if worker.task is not None else ""
                    replace(
                        worker,
                        "worker_died",
                        f"the worker extracting {name} {_death(worker.process)}; the other documents were extracted",
                    )
                elif worker.task is not None and time.monotonic() >= worker.deadline:
                    replace(
                        worker,
                        "extraction_timeout",
                        f"reading and extracting {Path(tasks[worker.task].path).name} took longer than {timeout:g} s "
                        "(EXTRACT_TIMEOUT_SECONDS); the worker was stopped and the other documents extracted",
                    )
            if not pool.workers and len(results) < len(tasks):
                pool.start_worker()  # every worker died before taking a task: try again
    finally:
        pool.close()  # files half-written by a killed worker are temporary names: settle removes them
    summaries = [results[index] for index in range(len(tasks))]
    if refuse_duplicates:
        summaries = refuse_duplicate_content(summaries, Path(tasks[0].store_dir))
    yield from summaries


def refuse_duplicate_content(summaries: list[Summary], store_dir: Path) -> list[Summary]:
    """The same report under another name, encoding or line layout is one document.

    Byte-identical files are refused before reading (ingest); this compares the text read
    (inbox.content_key). A document extracted in an earlier run keeps its content; among
    this batch the first in order keeps it, and the others are stored as refused."""
    batch = {s.document_id for s in summaries if s.outcome == "extracted"}
    owners: dict[str, dict] = {}
    found = raw_layer.headers(store_dir)
    for header in found:
        if header["document_id"] not in batch and header.get("loadable") and header.get("content_key"):
            owners.setdefault(header["content_key"], header)
    by_id = {header["document_id"]: header for header in found}
    # within the batch the copy with the fewest lines keeps the content (not the one with doubled lines)
    for summary in sorted((s for s in summaries if s.outcome == "extracted"), key=lambda s: s.line_count or 0):
        header = by_id.get(summary.document_id)
        if header and header.get("content_key"):
            owners.setdefault(header["content_key"], header)
    result = []
    for summary in summaries:
        header = by_id.get(summary.document_id)
        key = header.get("content_key") if header and summary.outcome == "extracted" else None
        owner = owners.get(key) if key else None
        if owner is None or owner["document_id"] == summary.document_id:
            result.append(summary)
            continue
        entry = raw_layer.load(store_dir, summary.document_id)
        issue = IngestIssue(
            summary.file_name,
            "duplicate_content",
            f"same text as {owner['file_name']} (another encoding, name or line layout); loaded once",
            entry.meta.sha256 if entry and entry.meta else None,
            entry.meta.size_bytes if entry and entry.meta else None,
        )
        # the rows this document had before this run stay current (it is a copy of another's content)
        raw_layer.save(
            store_dir,
            StoredExtraction(
                summary.document_id,
                summary.file_name,
                header["source_fingerprint"],
                header["extractor_version"],
                failure=issue,
                content_key=key,
            ),
            rows_from={
                "rows_version": header.get("replaced_rows_version"),
                "rows_sha256": header.get("replaced_rows_sha256"),
            },
        )
        result.append(
            Summary(
                summary.document_id, "refused", summary.file_name, reason="duplicate_content", seconds=summary.seconds
            )
        )
    return result
