"""Records straight into a DuckDB database's raw schema, through the raw layer: for fixtures and tools
that have records in hand rather than report files (the pipeline's extraction writes the raw layer
itself, raw_layer.py).

    with duckdb.connect("w.duckdb") as con:
        load_raw(con, documents, extractions, issues)   # Parquet under w.duckdb.raw/, views raw.*

A document loaded again with another sha256 replaces the earlier version's rows, whose facts go to
raw.facts_history, exactly as a refresh does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..extraction.records import DocumentMeta, Extraction, IngestIssue
from . import raw_layer
from .raw_layer import RAW_TABLES, StoredExtraction, table_columns
from .raw_mirror import row_counts

__all__ = ["RAW_TABLES", "load_raw", "raw_dir_of", "table_columns"]


def raw_dir_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The raw layer beside a database file: <file>.raw/."""
    found = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    if not found or not found[0]:
        raise ValueError("load_raw needs raw_dir= for an in-memory database: the raw layer is files")
    return Path(f"{found[0]}.raw")


def load_raw(
    con: duckdb.DuckDBPyConnection,
    documents: list[DocumentMeta],
    extractions: dict[str, Extraction],
    issues: list[IngestIssue],
    raw_dir: Path | None = None,
    extractor_version: str = "loaded",
) -> dict[str, int]:
    """Write documents (with their extractions, keyed by file name) and issues to the raw layer, settle
    it and point the database's raw views at it. Returns row counts of the raw relations."""
    raw_dir = Path(raw_dir) if raw_dir is not None else raw_dir_of(con)
    for meta in documents:
        raw_layer.save(
            raw_dir,
            StoredExtraction(
                meta.document_id,
                meta.document,
                meta.sha256,
                extractor_version,
                meta=meta,
                extraction=extractions.get(meta.document, Extraction()),
            ),
        )
    raw_layer.settle(raw_dir, issues)
    raw_layer.create_raw_views(con, raw_dir)
    return row_counts(con)
