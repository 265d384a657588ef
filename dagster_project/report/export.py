"""Every marts table and view as a Parquet file, for tools that read files rather than DuckDB.

The warehouse is opened read-only: BI tools may hold it open, and exporting must never take the
write lock or change it. Each file is written under a temporary name and renamed into place,
so a reader never sees half a file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import duckdb

from ..warehouse.settings import limit_memory

log = logging.getLogger(__name__)


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def marts_relations(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> list[str]:
    """Names of the tables and views in the schema, sorted."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? and table_catalog = current_database() order by table_name",
        [schema],
    ).fetchall()
    return [name for (name,) in rows]


def export_parquet(warehouse_path: Path | str, out_dir: Path | str, schema: str = "marts") -> list[Path]:
    """Write `<out_dir>/<relation>.parquet` for every table and view of the schema; returns the files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        limit_memory(con)
        for relation in marts_relations(con, schema):
            target = out_dir / f"{relation}.parquet"
            partial = out_dir / f".{relation}.parquet.partial"
            # COPY takes no bound parameters; names come from the catalogue and are quoted
            con.execute(
                f"copy (select * from {_quote_identifier(schema)}.{_quote_identifier(relation)}) "
                f"to {_quote_literal(str(partial))} (format parquet, compression zstd)"
            )
            os.replace(partial, target)
            written.append(target)
    log.info("exported %d relations of %s to %s", len(written), schema, out_dir)
    return written
