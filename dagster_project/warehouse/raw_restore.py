"""The raw layer rebuilt from the raw schema of a published warehouse (a DuckDB file or the lake)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb

from ..extraction.records import DocumentMeta, Extraction, IngestIssue
from .raw_layer import DOCUMENT_TABLES, RAW_TABLES, StoredExtraction, ensure_layout, save, table_columns, write_parquet


def is_empty(raw_dir: Path) -> bool:
    return not any((Path(raw_dir) / "manifest").glob("*.json"))


def restore(raw_dir: Path, con: duckdb.DuckDBPyConnection, catalog: str) -> int:
    """Write the raw layer from the raw schema of a published warehouse (`catalog`, attached to `con`):
    its documents, their rows, the history and the retirements. The published warehouse holds them
    all, so a lost raw layer (or one from before the raw layer was Parquet) is rebuilt without the
    inbox. Returns the documents restored."""
    raw_dir = Path(raw_dir)
    ensure_layout(raw_dir)

    def relation_exists(name: str) -> bool:
        return (
            con.execute(
                "select count(*) from information_schema.tables where table_catalog = ? and table_schema = 'raw' "
                "and table_name = ?",
                [catalog, name],
            ).fetchone()[0]
            > 0
        )

    if not relation_exists("documents"):
        return 0

    def rows(table: str, where: str = "", parameters: list | None = None) -> list[dict]:
        if not relation_exists(table):
            return []
        available = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_catalog = ? and table_schema = 'raw' "
                "and table_name = ?",
                [catalog, table],
            ).fetchall()
        }
        names = ", ".join(f'"{c}"' for c in table_columns(table) if c in available)
        cursor = con.execute(f'select {names} from "{catalog}".raw.{table} {where}', parameters or [])
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    restored = 0
    for document in rows("documents"):
        meta = DocumentMeta(
            **{f.name: document.get(f.name) for f in dataclasses.fields(DocumentMeta) if f.name in document}
        )
        extraction = Extraction(
            **{
                attribute: [
                    RAW_TABLES[table][0](
                        **{f.name: row[f.name] for f in dataclasses.fields(RAW_TABLES[table][0]) if f.name in row}
                    )
                    for row in rows(
                        table,
                        "where document = ? and coalesce(document_sha256, ?) = ?",
                        [meta.document, meta.sha256, meta.sha256],
                    )
                ]
                for table, attribute in DOCUMENT_TABLES.items()
            }
        )
        caveats = tuple(
            IngestIssue(**{f.name: row[f.name] for f in dataclasses.fields(IngestIssue)})
            for row in rows("ingest_issues", "where file_name = ? and not is_fatal", [meta.document])
        )
        version = document.get("extractor_version") or "restored"
        save(
            raw_dir,
            StoredExtraction(
                meta.document_id, meta.document, meta.sha256, version, meta=meta, extraction=extraction, caveats=caveats
            ),
            rows_from={},
        )
        restored += 1
    history = rows("facts_history")
    if history:
        write_parquet(
            raw_dir / "history" / "facts" / "restored--history.parquet", table_columns("facts_history"), history
        )
    retirements = rows("retired_documents")
    if retirements:
        write_parquet(
            raw_dir / "retired" / "restored--retired.parquet", table_columns("retired_documents"), retirements
        )
    return restored
