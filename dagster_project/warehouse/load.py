"""Write extraction records into the DuckDB `raw` schema.

Table definitions are derived from the record dataclasses, so the raw contract has one
source. Text from documents only ever reaches DuckDB as DataFrame data, never inside SQL.
A document (its stable document_id) has its rows replaced as a unit: a new version of a report,
under the same or a re-delivered file name, replaces the old version's rows, which move to
raw.facts_history with their hash and load time.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime, timezone

import duckdb
import pandas as pd

from ..extraction.records import (
    Assignment,
    DocumentMeta,
    Extraction,
    Fact,
    GoalAssessment,
    IngestIssue,
    StatedCount,
    UnmappedNumber,
)

_SQL_TYPES = {str: "VARCHAR", int: "INTEGER", float: "DOUBLE", bool: "BOOLEAN", date: "DATE"}

# raw table -> (record type, extra columns added at load time)
RAW_TABLES: dict[str, tuple[type, dict[str, str]]] = {
    "documents": (DocumentMeta, {"loaded_at": "TIMESTAMP", "extractor_version": "VARCHAR"}),
    "facts": (Fact, {"document_sha256": "VARCHAR"}),
    "goal_assessments": (GoalAssessment, {"document_sha256": "VARCHAR"}),
    "assignments": (Assignment, {"document_sha256": "VARCHAR"}),
    "stated_counts": (StatedCount, {"document_sha256": "VARCHAR"}),
    "unmapped_numbers": (UnmappedNumber, {"document_sha256": "VARCHAR"}),
    "ingest_issues": (IngestIssue, {"recorded_at": "TIMESTAMP"}),
}
# Tables holding rows extracted from a document (replaced together when it changes).
DOCUMENT_TABLES = {
    "facts": "facts",
    "goal_assessments": "goals",
    "assignments": "assignments",
    "stated_counts": "stated_counts",
    "unmapped_numbers": "unmapped",
}


def _sql_type(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sql_type(inner[0])
    if origin is list:
        return "VARCHAR[]"
    return _SQL_TYPES[annotation]


def columns_of(record_type: type) -> dict[str, str]:
    hints = typing.get_type_hints(record_type)
    return {f.name: _sql_type(hints[f.name]) for f in dataclasses.fields(record_type)}


def table_columns(table: str) -> dict[str, str]:
    record_type, extra = RAW_TABLES[table]
    return {**columns_of(record_type), **extra}


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and its tables when missing (idempotent)."""
    con.execute("create schema if not exists raw")
    for table in RAW_TABLES:
        columns = ", ".join(f'"{name}" {sql_type}' for name, sql_type in table_columns(table).items())
        con.execute(f"create table if not exists raw.{table} ({columns})")
    # build files from before a column existed get it added (records only ever gain columns)
    for table in RAW_TABLES:
        for name, sql_type in table_columns(table).items():
            con.execute(f'alter table raw.{table} add column if not exists "{name}" {sql_type}')
    history_columns = ", ".join(f'"{n}" {t}' for n, t in table_columns("facts").items())
    con.execute(
        f"create table if not exists raw.facts_history ({history_columns}, loaded_at TIMESTAMP, replaced_at TIMESTAMP)"
    )
    for name, sql_type in table_columns("facts").items():
        con.execute(f'alter table raw.facts_history add column if not exists "{name}" {sql_type}')


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> int:
    if not rows:
        return 0
    columns = table_columns(table)
    frame = pd.DataFrame(rows, columns=list(columns))
    con.register("incoming_rows", frame)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        casts = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in columns.items())
        con.execute(f"insert into raw.{table} ({names}) select {casts} from incoming_rows")
    finally:
        con.unregister("incoming_rows")
    return len(rows)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def loaded_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None]]:
    """document_id -> (sha256, extractor version) of the version in the warehouse."""
    ensure_raw_schema(con)
    rows = con.execute("select document_id, sha256, extractor_version from raw.documents").fetchall()
    return {document_id: (sha, version) for document_id, sha, version in rows}


def _archive_and_remove(con: duckdb.DuckDBPyConnection, file_name: str, loaded_at, now: datetime,
                        archive: bool = True) -> None:
    """Within the caller's transaction: a loaded version's facts to raw.facts_history, then its rows out."""
    if archive:
        con.execute(
            "insert into raw.facts_history by name select f.*, ? as loaded_at, ? as replaced_at from raw.facts f where f.document = ?",
            [loaded_at, now, file_name],
        )
    for table in [*DOCUMENT_TABLES, "documents"]:
        con.execute(f"delete from raw.{table} where document = ?", [file_name])


def replace_document(
    con: duckdb.DuckDBPyConnection, meta: DocumentMeta, extraction: Extraction, extractor_version: str | None = None
) -> dict[str, int]:
    """Replace everything loaded for this document_id with this version's rows, in one transaction.

    Facts of a replaced version (another hash, possibly another file name) move to
    raw.facts_history. Returns row counts per table.
    """
    ensure_raw_schema(con)
    now = _now()
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        previous = con.execute(
            "select document, sha256, loaded_at from raw.documents where document_id = ? or document = ?",
            [meta.document_id, meta.document],
        ).fetchall()
        versions = {file_name: (sha256, loaded_at) for file_name, sha256, loaded_at in previous}
        for file_name in sorted(set(versions) | {meta.document}):
            sha256, loaded_at = versions.get(file_name, (meta.sha256, None))
            _archive_and_remove(con, file_name, loaded_at, now, archive=sha256 != meta.sha256)
        counts["documents"] = _insert(
            con, "documents", [{**dataclasses.asdict(meta), "loaded_at": now, "extractor_version": extractor_version}]
        )
        for table, attribute in DOCUMENT_TABLES.items():
            rows = [{**dataclasses.asdict(r), "document_sha256": meta.sha256} for r in getattr(extraction, attribute)]
            counts[table] = _insert(con, table, rows)
        # a document that loads now has no open ingest issue any more
        con.execute("delete from raw.ingest_issues where file_name = ? and is_fatal", [meta.document])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return counts


def record_issues(con: duckdb.DuckDBPyConnection, issues: list[IngestIssue]) -> int:
    """Record ingest issues, replacing earlier ones for the same files."""
    ensure_raw_schema(con)
    if not issues:
        return 0
    now = _now()
    con.execute("begin transaction")
    try:
        for file_name in {issue.file_name for issue in issues}:
            con.execute("delete from raw.ingest_issues where file_name = ?", [file_name])
        count = _insert(con, "ingest_issues", [{**dataclasses.asdict(i), "recorded_at": now} for i in issues])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return count


def retire_document(con: duckdb.DuckDBPyConnection, document: str) -> list[str]:
    """Remove a document (file name or document_id) and its rows on request; facts move to history.

    Returns the document_ids retired (empty when nothing matched).
    """
    ensure_raw_schema(con)
    now = _now()
    con.execute("begin transaction")
    try:
        versions = con.execute(
            "select document, document_id, loaded_at from raw.documents where document = ? or document_id = ?",
            [document, document],
        ).fetchall()
        loaded_at = {row[0]: row[2] for row in versions}
        for file_name in sorted(set(loaded_at) | {document}):
            _archive_and_remove(con, file_name, loaded_at.get(file_name), now)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return sorted({row[1] for row in versions})


def load_raw(
    con: duckdb.DuckDBPyConnection,
    documents: list[DocumentMeta],
    extractions: dict[str, Extraction],
    issues: list[IngestIssue],
) -> dict[str, int]:
    """Load documents (with their extractions, keyed by file name) and ingest issues."""
    totals: dict[str, int] = {}
    for meta in documents:
        for table, count in replace_document(con, meta, extractions.get(meta.document, Extraction())).items():
            totals[table] = totals.get(table, 0) + count
    totals["ingest_issues"] = record_issues(con, issues)
    return totals


def raw_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    ensure_raw_schema(con)
    return {table: con.execute(f"select count(*) from raw.{table}").fetchone()[0] for table in RAW_TABLES}
