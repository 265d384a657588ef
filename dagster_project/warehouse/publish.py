"""Publish the build file onto WAREHOUSE_PATH without ever exposing a half-built warehouse.

DuckDB allows one writer or many readers per file, and BI tools keep the published file
open. So the pipeline writes a separate build file; publishing checkpoints it, writes a fresh
copy next to the published file, checks the copy opens and holds the BI view, and then renames
it over the published path (an atomic rename on one file system). A reader that had the old
file open keeps its snapshot; new connections see the new one. Earlier published files are
kept (hard links, so no copy) for rollback.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb

REQUIRED_RELATIONS = ("marts.kpi_observations",)


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
    """
    target.unlink(missing_ok=True)
    quoted = str(build_path).replace("'", "''")  # ATTACH takes no bound parameters
    with duckdb.connect(str(target)) as con:
        con.execute(f"attach '{quoted}' as build (read_only)")
        fresh = _identifier(con.execute("select current_database()").fetchone()[0])
        schemas = [row[0] for row in con.execute(
            "select schema_name from duckdb_schemas() where database_name = 'build' and not internal order by 1"
        ).fetchall()]
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'build' "
            "union all select schema_name, view_name from duckdb_views() where database_name = 'build' and not internal "
            "order by all"
        ).fetchall()
        for schema in schemas:
            con.execute(f"create schema if not exists {fresh}.{_identifier(schema)}")
        for schema, name in relations:
            qualified = f"{_identifier(schema)}.{_identifier(name)}"
            con.execute(f"create table {fresh}.{qualified} as select * from build.{qualified}")
        con.execute("detach build")
        con.execute("checkpoint")


def _identifier(name: str) -> str:
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


def publish(build_path: Path, warehouse_path: Path, keep: int = 3) -> dict[str, int]:
    """Copy the build file onto the published path atomically; returns the validated row counts."""
    if not build_path.exists():
        raise PublishError(f"no build file at {build_path}: materialise the warehouse assets first")
    checkpoint(build_path)
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in warehouse_path.parent.glob(f".{warehouse_path.name}.publishing-*"):
        leftover.unlink(missing_ok=True)  # left by a run that was killed mid-copy
    staging = warehouse_path.with_name(f".{warehouse_path.name}.publishing-{os.getpid()}")
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
    return counts


def rollback(warehouse_path: Path) -> Path:
    """Put the most recent earlier published warehouse back; returns the file restored."""
    versions = published_versions(warehouse_path)
    if not versions:
        raise PublishError(f"no earlier published warehouse of {warehouse_path} to roll back to")
    previous = versions[-1]
    staging = warehouse_path.with_name(f".{warehouse_path.name}.rollback-{os.getpid()}")
    shutil.copyfile(previous, staging)
    validate(staging)
    os.replace(staging, warehouse_path)
    previous.unlink()
    return previous
