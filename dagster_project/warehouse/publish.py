"""Publish the build file onto WAREHOUSE_PATH without ever exposing a half-built warehouse.

DuckDB allows one writer or many readers per file, and BI tools keep the published file
open. So the pipeline writes a separate build file; publishing checkpoints it, writes a fresh
copy next to the published file, checks the copy opens and holds the BI view, and then renames
it over the published path (an atomic rename on one file system). A reader that had the old
file open keeps its snapshot; new connections see the new one. Earlier published files are
kept (hard links, so no copy) for rollback.

Never less without saying so: before the rename, the build is compared with the published
warehouse. Documents it holds that the build lacks (unless retired on purpose since they were
loaded) or history rows the build lacks stop the publish with a message naming them, unless
ALLOW_SHRINK=1. The published warehouse also holds the raw layer as tables: a lost or empty raw
layer is restored from it (restore.py). The build file itself holds nothing the raw layer
and the seeds cannot rebuild.

WAREHOUSE_TARGET=ducklake publishes into a DuckLake instead (lake.py): one snapshot per publish,
the same shrink guard, rollback by time travel.

Publishing, rolling back and restoring hold the warehouse lock (lock.py), so two of them never
remove each other's files.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ..child_process import run_in_child
from .lock import warehouse_lock
from .raw_mirror import MIRROR_SCHEMA
from .settings import duckdb_config, limit_memory, settings

REQUIRED_RELATIONS = ("marts.kpi_observations",)
# Schemas of the build file that readers never get: the raw mirror is bookkeeping (its rows are
# published once, as the raw.* tables) and intermediate holds the rule views, whose rows are
# published once, in marts.consistency_rule_instances.
UNPUBLISHED_SCHEMAS = (MIRROR_SCHEMA, "intermediate")
RETIREMENTS_TABLE = "raw.retired_documents"  # document_id, document, retired_at: written by `cli retire`

log = logging.getLogger(__name__)


class PublishError(RuntimeError):
    pass


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so a plain copy is complete."""
    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def write_fresh_copy(build_path: Path, target: Path) -> None:
    """A new database file with every relation of the build file as a table, written in one go.

    Not a byte copy: a build file that DuckDB 1.5 has rewritten in place run after run (blocks
    freed and reused) makes DuckDB 1.1 fail with "Failed to load metadata pointer", while a file
    written in one go opens in every DuckDB from 1.1 on. Views become tables: a view stores its
    body with schema-qualified names, and DuckDB before 1.2 binds those in the client's default
    catalogue, so `ATTACH 'warehouse.duckdb' AS wh` could not read one. The published file is a
    read-only snapshot, so a table answers the same (tests/test_clients.py).

    The copy runs in a short-lived process: it streams every table through DuckDB, and the memory
    that takes would otherwise stay with the long-running Dagster process after the copy.
    """
    run_in_child(_copy_relations, build_path, target, duckdb_config())


def _copy_relations(build_path: Path, target: Path, config: dict[str, str]) -> None:
    target.unlink(missing_ok=True)
    quoted = str(build_path).replace("'", "''")  # ATTACH takes no bound parameters
    with duckdb.connect(str(target), config=config) as con:
        con.execute(f"attach '{quoted}' as build (read_only)")
        fresh = quoted_identifier(con.execute("select current_database()").fetchone()[0])
        schemas = [
            row[0]
            for row in con.execute(
                "select schema_name from duckdb_schemas() where database_name = 'build' and not internal "
                "and not list_contains(?, schema_name) order by 1",
                [list(UNPUBLISHED_SCHEMAS)],
            ).fetchall()
        ]
        relations = con.execute(
            "select schema_name, name from (select schema_name, table_name as name from duckdb_tables() "
            "where database_name = 'build' union all select schema_name, view_name from duckdb_views() "
            "where database_name = 'build' and not internal) where not list_contains(?, schema_name) order by all",
            [list(UNPUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema in schemas:
            con.execute(f"create schema if not exists {fresh}.{quoted_identifier(schema)}")
        for schema, name in relations:
            qualified = f"{quoted_identifier(schema)}.{quoted_identifier(name)}"
            con.execute(f"create table {fresh}.{qualified} as select * from build.{qualified}")
        con.execute("detach build")
        con.execute("checkpoint")


def quoted_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def validate(path: Path) -> dict[str, int]:
    """Open read-only and count the required relations; raises PublishError when one is missing."""
    counts = {}
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            for relation in REQUIRED_RELATIONS:
                counts[relation] = con.execute(f"select count(*) from {relation}").fetchone()[0]
    except duckdb.Error as error:
        raise PublishError(f"{path} is not a publishable warehouse: {error}") from error
    return counts


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def history_dir(warehouse_path: Path) -> Path:
    return warehouse_path.parent / ".warehouse_history"


def published_versions(warehouse_path: Path) -> list[Path]:
    """Earlier published files, oldest first."""
    directory = history_dir(warehouse_path)
    if not directory.exists():
        return []
    return sorted(directory.glob(f"{warehouse_path.stem}.*.duckdb"))


def _lock_wait(lock_wait: float | None) -> float:
    return settings().lock_wait_seconds if lock_wait is None else lock_wait


def _exists(con: duckdb.DuckDBPyConnection, database: str, relation: str) -> bool:
    """A table or view (the build's raw relations are views over the raw layer)."""
    schema, name = relation.split(".")
    return (
        con.execute(
            "select count(*) from information_schema.tables where table_catalog = ? and table_schema = ? "
            "and table_name = ?",
            [database, schema, name],
        ).fetchone()[0]
        > 0
    )


@dataclass(frozen=True)
class Shrinkage:
    """What publishing a build would remove from the published warehouse."""

    lost_documents: list[tuple[str, int]] = field(default_factory=list)  # (file name, facts)
    lost_history_rows: int = 0

    def __bool__(self) -> bool:
        return bool(self.lost_documents) or self.lost_history_rows > 0

    def describe(self) -> str:
        parts = []
        if self.lost_documents:
            shown = ", ".join(f"{name} ({facts} facts)" for name, facts in self.lost_documents[:20])
            more = f" and {len(self.lost_documents) - 20} more" if len(self.lost_documents) > 20 else ""
            parts.append(
                f"{len(self.lost_documents)} document(s) the published warehouse holds would disappear: {shown}{more}"
            )
        if self.lost_history_rows:
            parts.append(f"raw.facts_history would lose {self.lost_history_rows} row(s)")
        return "; ".join(parts)


def shrinkage(build_path: Path, warehouse_path: Path) -> Shrinkage:
    """Documents and history rows of the published warehouse the build lacks. A document retired
    (`make retire`) after it was loaded is meant to go and is not counted."""
    if not warehouse_path.exists():
        return Shrinkage()
    with duckdb.connect(str(build_path), read_only=True) as con:
        limit_memory(con)
        quoted = str(warehouse_path).replace("'", "''")  # ATTACH takes no bound parameters
        con.execute(f"attach '{quoted}' as published (read_only)")
        try:
            return compare(con, con.execute("select current_database()").fetchone()[0], "published")
        finally:
            con.execute("detach published")


def compare(con: duckdb.DuckDBPyConnection, build: str, published: str) -> Shrinkage:
    """What publishing catalog `build` over catalog `published` (both attached to `con`) would lose."""
    if not _exists(con, published, "raw.documents"):
        return Shrinkage()  # nothing to compare with (a warehouse from before the raw schema)
    rows = con.execute(
        f"select d.document_id, d.document, d.loaded_at, "
        f"(select count(*) from {published}.raw.facts f where f.document = d.document) "
        f"from {published}.raw.documents d order by d.document"
    ).fetchall()
    present = (
        {row[0] for row in con.execute(f"select document_id from {build}.raw.documents").fetchall()}
        if _exists(con, build, "raw.documents")
        else set()
    )
    retired = (
        dict(con.execute(f"select document_id, max(retired_at) from {build}.{RETIREMENTS_TABLE} group by 1").fetchall())
        if _exists(con, build, RETIREMENTS_TABLE)
        else {}
    )
    lost = [
        (document, facts)
        for document_id, document, loaded_at, facts in rows
        if document_id not in present
        and not (document_id in retired and (loaded_at is None or retired[document_id] >= loaded_at))
    ]
    history = 0
    if _exists(con, published, "raw.facts_history"):
        before = con.execute(f"select count(*) from {published}.raw.facts_history").fetchone()[0]
        after = (
            con.execute(f"select count(*) from {build}.raw.facts_history").fetchone()[0]
            if _exists(con, build, "raw.facts_history")
            else 0
        )
        history = max(0, before - after)
    return Shrinkage(lost, history)


def _rollback_marker(warehouse_path: Path) -> Path:
    return history_dir(warehouse_path) / f"{warehouse_path.stem}.rolled_back.json"


def last_rollback(warehouse_path: Path) -> dict | None:
    """The rollback not yet followed by a publish: {'restored': file name, 'at': time}."""
    try:
        return json.loads(_rollback_marker(warehouse_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _keep_previous(warehouse_path: Path, keep: int) -> None:
    if not warehouse_path.exists() or keep <= 0:
        return
    directory = history_dir(warehouse_path)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = directory / f"{warehouse_path.stem}.{stamp}.duckdb"
    try:
        os.link(warehouse_path, target)
    except OSError:
        shutil.copy2(warehouse_path, target)
    for old in published_versions(warehouse_path)[:-keep]:
        old.unlink(missing_ok=True)


def publish(
    build_path: Path,
    warehouse_path: Path,
    keep: int = 3,
    *,
    allow_shrink: bool | None = None,
    lock_wait: float | None = None,
) -> dict[str, int]:
    """Copy the build file onto the published path atomically; returns the validated row counts.

    Raises PublishError, leaving the published file as it was, when the build is missing, does not
    validate, or would remove documents or history without ALLOW_SHRINK (see shrinkage)."""
    allow_shrink = settings().allow_shrink if allow_shrink is None else allow_shrink
    with warehouse_lock(warehouse_path, _lock_wait(lock_wait), "publish"):
        if not build_path.exists():
            raise PublishError(f"no build file at {build_path}: materialise the warehouse assets first")
        checkpoint(build_path)
        lost = shrinkage(build_path, warehouse_path)
        if lost and not allow_shrink:
            raise PublishError(
                f"not published: {lost.describe()}. They are not in the build {build_path} and were not retired: "
                "their files left the inbox and the raw layer lost them, or the build was made from another raw layer. "
                "Put the files back, retire documents on purpose (make retire DOC=<file name>), or publish anyway "
                f"with ALLOW_SHRINK=1. The published warehouse {warehouse_path} is unchanged."
            )
        if lost:
            log.warning("publishing less than before (ALLOW_SHRINK=1): %s", lost.describe())
        warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in warehouse_path.parent.glob(f".{warehouse_path.name}.publishing-*"):
            leftover.unlink(missing_ok=True)  # left by a run that was killed mid-copy (we hold the lock)
        handle, name = tempfile.mkstemp(dir=warehouse_path.parent, prefix=f".{warehouse_path.name}.publishing-")
        os.close(handle)
        staging = Path(name)
        try:
            write_fresh_copy(build_path, staging)
            with open(staging, "rb+") as handle:
                os.fsync(handle.fileno())
            counts = validate(staging)
            _keep_previous(warehouse_path, keep)
            os.replace(staging, warehouse_path)
            _fsync_dir(warehouse_path.parent)
        finally:
            staging.unlink(missing_ok=True)
        _rollback_marker(warehouse_path).unlink(missing_ok=True)
    return counts


def rollback(warehouse_path: Path, lock_wait: float | None = None) -> Path:
    """Put the most recent earlier published warehouse back; returns the file restored.

    The raw layer is not rolled back: the next refresh publishes again what it holds beyond this
    version, and says so (last_rollback)."""
    with warehouse_lock(warehouse_path, _lock_wait(lock_wait), "rollback"):
        versions = published_versions(warehouse_path)
        if not versions:
            raise PublishError(f"no earlier published warehouse of {warehouse_path} to roll back to")
        previous = versions[-1]
        handle, name = tempfile.mkstemp(dir=warehouse_path.parent, prefix=f".{warehouse_path.name}.rollback-")
        os.close(handle)
        staging = Path(name)
        try:
            shutil.copyfile(previous, staging)
            validate(staging)
            os.replace(staging, warehouse_path)
        finally:
            staging.unlink(missing_ok=True)
        _rollback_marker(warehouse_path).write_text(
            json.dumps({"restored": previous.name, "at": datetime.now().isoformat(timespec="seconds")}),
            encoding="utf-8",
        )
        previous.unlink()
    return previous
