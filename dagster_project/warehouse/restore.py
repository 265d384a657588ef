"""A lost raw layer starts again from what was published: the DuckDB file or the DuckLake."""

from __future__ import annotations

import logging

import duckdb

from . import lake, raw_restore
from .lock import warehouse_lock
from .settings import Settings, settings

log = logging.getLogger(__name__)


def restore_raw_layer(current: Settings | None = None) -> int:
    """An empty raw layer (lost, a new RAW_DATA_PATH, or a warehouse from before the raw layer was
    Parquet) starts from the published warehouse, which holds every kept document and the history;
    the inbox alone could not rebuild them. Returns the documents restored (0: nothing to do)."""
    current = current or settings()
    if not raw_restore.is_empty(current.raw_dir):
        return 0
    if current.target == "ducklake":
        return lake.restore_raw_layer(current)
    if not current.warehouse_path.exists():
        return 0
    with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "restore"):
        if not raw_restore.is_empty(current.raw_dir):
            return 0
        with duckdb.connect(str(current.warehouse_path), read_only=True) as con:
            restored = raw_restore.restore(current.raw_dir, con, con.execute("select current_database()").fetchone()[0])
    if restored:
        log.warning(
            "raw layer %s was empty: restored %d document(s) from the published warehouse %s",
            current.raw_dir,
            restored,
            current.warehouse_path,
        )
    return restored
