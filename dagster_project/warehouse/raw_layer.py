"""The raw layer: each document's records as Parquet files, written once by extraction, read by dbt.

    <RAW_DATA_PATH>/
      <table>/<key>--<version>.parquet   one document version's rows of one record type (documents,
                                         facts, goal_assessments, assignments, stated_counts,
                                         unmapped_numbers, ingest_issues); empty tables are not written
      <table>/_schema.parquet            no rows, every column: a glob always matches and has the schema
      manifest/<key>.json                the document's commit record: what was last read (file name,
                                         fingerprint, extractor version, outcome) and which version's
                                         rows are current; written last, so planning trusts it
      history/facts/<key>--<version>.parquet   facts of replaced or retired versions (+ loaded_at, replaced_at)
      retired/<key>--<time>.parquet      documents retired on purpose (`make retire`)
      ingest_issues/_inbox.parquet       issues of the inbox as a whole this run (superseded deliveries)

`key` is a bounded form of the document_id (a readable prefix and a hash: a 255-byte file name
still gives a short file name) and `version` a hash of the file's fingerprint and the extractor
version, so the files are keyed by document and content. Every file is written to a temporary
name and renamed, so a reader never sees half a file.

Extraction needs no lock: a writer only adds its version's files and then replaces the
document's manifest. Replacing the rows a version supersedes is `settle`, run by the one writer
(the raw asset, before dbt): superseded facts move to history when the content changed (a new
extractor over the same content only replaces them), other superseded files are deleted, and so
are files of versions that were never committed (a writer killed half way).

A version that gives no rows (the corrected file cannot be read) keeps the earlier version's rows
current and records why: documents leave the warehouse only by `make retire`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..extraction.records import (
    DocumentMeta,
    Extraction,
    IngestIssue,
)
from .raw_contract import (  # noqa: F401 - callers read the contract through raw_layer
    DOCUMENT_TABLES,
    HISTORY_EXTRA,
    RAW_RELATIONS,
    RAW_TABLES,
    RETIRED_COLUMNS,
    columns_of,
    entry_key,
    extractor_version,
    glob_of,
    manifest_path,
    table_columns,
    table_path,
    version_key,
)
from .raw_mirror import MirrorSync, row_counts, sync_raw_mirror
from .settings import duckdb_config


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- writing one document


@dataclass(frozen=True)
class StoredExtraction:
    """One inbox file's outcome: its document and extraction, or the reason it gave none."""

    document_id: str
    file_name: str
    source_fingerprint: str  # sha256 of the file (file_fingerprint), DocumentMeta.sha256 when read
    extractor_version: str
    meta: DocumentMeta | None = None
    extraction: Extraction | None = None
    failure: IngestIssue | None = None  # why the file gave no extraction
    caveats: tuple[IngestIssue, ...] = ()  # non-fatal reading notes (e.g. decoded as cp1252)
    content_key: str | None = None  # documents.content_key of the text: equal for the same report in another encoding

    @property
    def loadable(self) -> bool:
        return self.meta is not None and self.extraction is not None

    @property
    def version(self) -> str:
        return version_key(self.source_fingerprint, self.extractor_version)


_writer: duckdb.DuckDBPyConnection | None = None


def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process writes the Parquet files (workers write their own)."""
    global _writer
    if _writer is None:
        _writer = duckdb.connect(config={"threads": 1, **duckdb_config()})
    return _writer


def write_parquet(target: Path, columns: dict[str, str], rows: list[dict]) -> Path:
    """Write rows with exactly these columns and types to `target`, atomically (temp + rename).
    Text reaches DuckDB as DataFrame data, never inside SQL."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".tmp-{uuid.uuid4().hex}"
    frame = pd.DataFrame(rows, columns=list(columns))
    casts = ", ".join(f'cast("{name}" as {sql_type}) as "{name}"' for name, sql_type in columns.items())
    con = _connection()
    con.register("incoming_rows", frame)
    try:
        quoted = str(temp).replace("'", "''")  # COPY takes no bound parameter for its file
        con.execute(f"copy (select {casts} from incoming_rows) to '{quoted}' (format parquet)")
        os.replace(temp, target)
    finally:
        con.unregister("incoming_rows")
        temp.unlink(missing_ok=True)
    return target


def _write_json(target: Path, data: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save(raw_dir: Path, stored: StoredExtraction, *, rows_from: dict | None = None) -> Path:
    """Write a document version's files, then its manifest (the commit). Returns the manifest.

    A version without rows (refused, failed) leaves the rows of the version before it current:
    `rows_from` is the manifest to take them from (default: the document's manifest now)."""
    raw_dir, key, version, now = Path(raw_dir), entry_key(stored.document_id), stored.version, _now()
    previous = header(raw_dir, stored.document_id) if rows_from is None else rows_from
    issues = ([stored.failure] if stored.failure else []) + list(stored.caveats)
    if issues:
        write_parquet(
            table_path(raw_dir, "ingest_issues", key, version),
            table_columns("ingest_issues"),
            [{**dataclasses.asdict(i), "recorded_at": now} for i in issues],
        )
    rows_version, rows_sha256 = (previous or {}).get("rows_version"), (previous or {}).get("rows_sha256")
    if stored.loadable:
        meta = stored.meta
        for table, attribute in DOCUMENT_TABLES.items():
            records = getattr(stored.extraction, attribute)
            if records:
                write_parquet(
                    table_path(raw_dir, table, key, version),
                    table_columns(table),
                    [{**dataclasses.asdict(r), "document_sha256": meta.sha256} for r in records],
                )
        write_parquet(
            table_path(raw_dir, "documents", key, version),
            table_columns("documents"),
            [{**dataclasses.asdict(meta), "loaded_at": now, "extractor_version": stored.extractor_version}],
        )
        rows_version, rows_sha256 = version, meta.sha256
    manifest = {
        "document_id": stored.document_id,
        "file_name": stored.file_name,
        "source_fingerprint": stored.source_fingerprint,
        "extractor_version": stored.extractor_version,
        "version": version,
        "loadable": stored.loadable,
        "content_key": stored.content_key,
        "rows_version": rows_version,
        "rows_sha256": rows_sha256,
        # the rows this version replaced: a later refusal of this version (duplicate content) restores them
        "replaced_rows_version": (previous or {}).get("rows_version")
        if stored.loadable
        else (previous or {}).get("replaced_rows_version"),
        "replaced_rows_sha256": (previous or {}).get("rows_sha256")
        if stored.loadable
        else (previous or {}).get("replaced_rows_sha256"),
        "written_at": now.isoformat(),
    }
    target = manifest_path(raw_dir, stored.document_id)
    _write_json(target, manifest)
    return target


def header(raw_dir: Path, document_id: str) -> dict | None:
    """The document's manifest; None when there is none or it cannot be read."""
    try:
        found = json.loads(manifest_path(raw_dir, document_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("document_id") != document_id:
        return None  # another document's manifest under a colliding key, or a damaged file
    return found


def headers(raw_dir: Path) -> list[dict]:
    """Every document's manifest, by document_id."""
    found = []
    for path in sorted((Path(raw_dir) / "manifest").glob("*.json")):
        try:
            item = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(item, dict) and "document_id" in item and path.stem == entry_key(item["document_id"]):
            found.append(item)
    return sorted(found, key=lambda item: item["document_id"])


# ---------------------------------------------------------------- reading back


def _records(record_type: type, path: Path) -> list:
    if not path.exists():
        return []
    names = [f.name for f in dataclasses.fields(record_type)]
    quoted = str(path).replace("'", "''")
    cursor = _connection().execute(f"select * from read_parquet('{quoted}')")
    columns = [d[0] for d in cursor.description]
    return [record_type(**{n: v for n, v in zip(columns, row) if n in names}) for row in cursor.fetchall()]


def load(raw_dir: Path, document_id: str) -> StoredExtraction | None:
    """A document's last outcome as records (its current rows when it has them); None when unknown."""
    found = header(raw_dir, document_id)
    if found is None:
        return None
    key = entry_key(document_id)
    issues = _records(IngestIssue, table_path(raw_dir, "ingest_issues", key, found["version"]))
    failure = next((i for i in issues if i.is_fatal), None)
    meta, extraction = None, None
    if found.get("rows_version"):
        documents = _records(DocumentMeta, table_path(raw_dir, "documents", key, found["rows_version"]))
        meta = documents[0] if documents else None
        if found["loadable"]:
            extraction = Extraction(
                **{
                    attribute: _records(RAW_TABLES[table][0], table_path(raw_dir, table, key, found["rows_version"]))
                    for table, attribute in DOCUMENT_TABLES.items()
                }
            )
    return StoredExtraction(
        document_id,
        found["file_name"],
        found["source_fingerprint"],
        found["extractor_version"],
        meta=meta,
        extraction=extraction,
        failure=failure,
        caveats=tuple(i for i in issues if not i.is_fatal),
        content_key=found.get("content_key"),
    )


# ---------------------------------------------------------------- the one writer: settle, retire, views


def ensure_layout(raw_dir: Path) -> None:
    """Every folder with its zero-row schema file (rewritten when the records gained a column)."""
    for relation in RAW_RELATIONS:
        target = Path(raw_dir) / RAW_RELATIONS[relation] / "_schema.parquet"
        columns = table_columns(relation)
        if target.exists() and _parquet_columns(target) == list(columns):
            continue
        write_parquet(target, columns, [])
    (Path(raw_dir) / "manifest").mkdir(parents=True, exist_ok=True)


def _parquet_columns(path: Path) -> list[str]:
    quoted = str(path).replace("'", "''")
    try:
        return [d[0] for d in _connection().sql(f"select * from read_parquet('{quoted}') limit 0").description]
    except duckdb.Error:
        return []


def _files(raw_dir: Path, table: str) -> Iterator[tuple[Path, str, str]]:
    """(path, key, version) of each document file of a table."""
    for path in (Path(raw_dir) / RAW_RELATIONS[table]).glob("*.parquet"):
        if path.name.startswith("_") or "--" not in path.stem:
            continue
        key, version = path.stem.rsplit("--", 1)
        yield path, key, version


def _to_history(raw_dir: Path, facts_file: Path, key: str, version: str, loaded_at, replaced_at: datetime) -> None:
    target = table_path(raw_dir, "facts_history", key, version)
    if not target.exists():
        quoted = str(facts_file).replace("'", "''")
        rows = _connection().sql(f"select * from read_parquet('{quoted}')").df().to_dict(orient="records")
        write_parquet(
            target,
            table_columns("facts_history"),
            [{**row, "loaded_at": loaded_at, "replaced_at": replaced_at} for row in rows],
        )


def _loaded_at(raw_dir: Path, key: str, version: str):
    path = table_path(raw_dir, "documents", key, version)
    if not path.exists():
        return None
    quoted = str(path).replace("'", "''")
    found = _connection().sql(f"select max(loaded_at) from read_parquet('{quoted}')").fetchone()
    return found[0] if found else None


@dataclass
class Settled:
    superseded_files: int = 0
    facts_to_history: int = 0  # document versions whose facts moved to history
    stale_documents: int = 0  # refused files that left the inbox: their record goes too


def settle(
    raw_dir: Path, inbox_issues: Iterable[IngestIssue] = (), inbox_files: Iterable[str] | None = None
) -> Settled:
    """Make the files agree with the manifests (the one writer runs this before dbt reads them).

    Rows of a version no manifest names as current are superseded: facts move to history when the
    content changed, and every superseded file is removed. A refused file's record goes when the
    file left the inbox (`inbox_files`; a kept document stays until retired). The inbox's own
    issues this run replace the last run's (ingest_issues/_inbox.parquet)."""
    raw_dir = Path(raw_dir)
    ensure_layout(raw_dir)
    for leftover in raw_dir.rglob(".tmp-*"):  # half-written by a writer that was killed
        leftover.unlink(missing_ok=True)
    now, result = _now(), Settled()
    manifests = {entry_key(h["document_id"]): h for h in headers(raw_dir)}
    if inbox_files is not None:
        present = set(inbox_files)
        for key, found in list(manifests.items()):
            if not found.get("rows_version") and found["file_name"] not in present:
                manifest_path(raw_dir, found["document_id"]).unlink(missing_ok=True)
                del manifests[key]
                result.stale_documents += 1
    for table in RAW_TABLES:
        for path, key, version in list(_files(raw_dir, table)):
            found = manifests.get(key)
            keep = found is not None and version == (
                found["version"] if table == "ingest_issues" else found.get("rows_version")
            )
            if keep:
                continue
            if table == "facts" and found is not None and found.get("rows_sha256"):
                # a committed version replaced by other content: its facts are history
                loaded_at = _loaded_at(raw_dir, key, version)
                sha = _single(path, "document_sha256")
                if loaded_at is not None and sha != found["rows_sha256"]:
                    _to_history(raw_dir, path, key, version, loaded_at, now)
                    result.facts_to_history += 1
            if table != "documents":
                path.unlink(missing_ok=True)
                result.superseded_files += 1
    for path, key, version in list(_files(raw_dir, "documents")):  # last: facts above read loaded_at from them
        found = manifests.get(key)
        if found is None or version != found.get("rows_version"):
            path.unlink(missing_ok=True)
            result.superseded_files += 1
    write_parquet(
        raw_dir / "ingest_issues" / "_inbox.parquet",
        table_columns("ingest_issues"),
        [{**dataclasses.asdict(i), "recorded_at": now} for i in inbox_issues],
    )
    return result


def _single(path: Path, column: str):
    quoted = str(path).replace("'", "''")
    found = _connection().sql(f"select max(\"{column}\") from read_parquet('{quoted}')").fetchone()
    return found[0] if found else None


def retire(raw_dir: Path, document: str) -> list[tuple[str, str]]:
    """Remove a document (file name or document_id) from the current rows; its facts move to history
    and the retirement is recorded. Returns (document_id, file name) of what was retired."""
    raw_dir, now = Path(raw_dir), _now()
    ensure_layout(raw_dir)
    retired = []
    for found in headers(raw_dir):
        if document not in (found["document_id"], found["file_name"]):
            continue
        key, rows = entry_key(found["document_id"]), found.get("rows_version")
        if rows:
            facts = table_path(raw_dir, "facts", key, rows)
            if facts.exists():
                _to_history(raw_dir, facts, key, rows, _loaded_at(raw_dir, key, rows), now)
            retired.append((found["document_id"], found["file_name"]))
        for table in RAW_TABLES:
            for path, file_key, _ in list(_files(raw_dir, table)):
                if file_key == key:
                    path.unlink(missing_ok=True)
        manifest_path(raw_dir, found["document_id"]).unlink(missing_ok=True)
    if retired:
        stamp = now.strftime("%Y%m%dT%H%M%S%f")
        write_parquet(
            raw_dir / "retired" / f"{entry_key(retired[0][0])}--{stamp}.parquet",
            table_columns("retired_documents"),
            [{"document_id": d, "document": document, "retired_at": now} for d, _ in retired],
        )
    return retired


def create_raw_views(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> MirrorSync:
    """Schema raw of a DuckDB database, what dbt's sources read: views over tables that mirror the
    raw layer, loaded file by file (raw_mirror.py)."""
    ensure_layout(raw_dir)
    return sync_raw_mirror(con, raw_dir)


def mirror_into(database: str, config: dict[str, str], raw_dir: Path) -> tuple[MirrorSync, dict[str, int]]:
    """create_raw_views on the database file, then its raw row counts; what the raw asset runs in a
    short-lived process (child_process.run_in_child), so the memory DuckDB keeps after loading thousands of files
    leaves with that process instead of staying with the long-running Dagster process."""
    with duckdb.connect(database, config=config) as con:
        mirrored = create_raw_views(con, raw_dir)
        return mirrored, row_counts(con)
