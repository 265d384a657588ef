"""WAREHOUSE_TARGET=ducklake: the published warehouse is a DuckLake, its catalog in PostgreSQL (or a
local catalog file) and its data Parquet files under DUCKLAKE_DATA_PATH.

dbt still builds into the build file (DUCKDB_PATH): it commits model by model, and readers must
never see a half-built warehouse. Publishing copies every relation of the validated build into
the lake in one transaction, which DuckLake commits as one snapshot: a reader attached to the lake
sees the previous snapshot until the commit and the whole new one after it. Each publish is a
snapshot with the commit message 'publish'; rollback is time travel: the tables as they were at
the previous publish's snapshot, committed as a new snapshot ('rollback'). Snapshots older than
the last KEEP_PUBLISHED publishes are expired and their files removed.

The extensions come from the installed PyPI packages duckdb-extension-ducklake and
duckdb-extension-postgres (built for this exact DuckDB version): DuckDB never downloads one.

    con = connect(settings(), read_only=True)   # a reader: schemas marts, raw, ... under catalog lake
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from . import raw_restore
from .lock import warehouse_lock
from .publish import REQUIRED_RELATIONS, UNPUBLISHED_SCHEMAS, PublishError, checkpoint, compare, quoted_identifier
from .settings import Settings, duckdb_config

LAKE = "lake"  # the catalog name the lake is attached under
log = logging.getLogger(__name__)

# extension -> (PyPI package, the file's name in it, the name DuckDB loads it by)
_EXTENSIONS = {
    "ducklake": ("duckdb_extension_ducklake", "ducklake", "ducklake"),
    "postgres": ("duckdb_extension_postgres", "postgres", "postgres_scanner"),
}


class LakeError(PublishError):
    """The lake cannot be reached or used; the message says which setting to look at."""


def extension_file(extension: str) -> Path:
    """The extension binary the PyPI package installed for this DuckDB version, under the name
    DuckDB expects (it checks the file name against the entry point: postgres is postgres_scanner)."""
    package, file_name, load_name = _EXTENSIONS[extension]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LakeError(
            f"the DuckDB extension package {package.replace('_', '-')} is not installed "
            f"(pip install {package.replace('_', '-')}=={duckdb.__version__})"
        )
    found = (
        Path(spec.submodule_search_locations[0])
        / "extensions"
        / f"v{duckdb.__version__}"
        / f"{file_name}.duckdb_extension"
    )
    if not found.exists():
        raise LakeError(
            f"{package.replace('_', '-')} has no extension for DuckDB {duckdb.__version__} "
            f"(looked for {found}); pin both to the same version"
        )
    if file_name == load_name:
        return found
    alias = (
        Path(tempfile.gettempdir())
        / f"region-warehouse-extensions-{os.getuid()}"
        / f"v{duckdb.__version__}"
        / f"{load_name}.duckdb_extension"
    )
    if not alias.exists():
        alias.parent.mkdir(parents=True, exist_ok=True)
        temp = alias.with_name(f".{alias.name}.{os.getpid()}")
        temp.unlink(missing_ok=True)
        temp.symlink_to(found)
        os.replace(temp, alias)
    return alias


def is_postgres(catalog: str) -> bool:
    return catalog.startswith(("postgres:", "postgresql://", "postgres://"))


def attach_statement(current: Settings, read_only: bool) -> str:
    catalog = current.ducklake_catalog
    if is_postgres(catalog):
        target = (
            catalog
            if catalog.startswith("postgres:") and not catalog.startswith("postgres://")
            else f"postgres:{catalog}"
        )
    else:
        target = str(Path(catalog).resolve())
    options = ["READ_ONLY"] if read_only else [f"DATA_PATH '{_literal(str(current.ducklake_data_path))}/'"]
    return f"attach 'ducklake:{_literal(target)}' as {LAKE} ({', '.join(options)})"


def _literal(text: str) -> str:
    return text.replace("'", "''")  # ATTACH takes no bound parameters


def connect(current: Settings, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake`; extensions loaded from the packages."""
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False, **duckdb_config()}
    )
    try:
        con.execute(f"load '{_literal(str(extension_file('ducklake')))}'")
        if is_postgres(current.ducklake_catalog):
            con.execute(f"load '{_literal(str(extension_file('postgres')))}'")
        else:
            Path(current.ducklake_catalog).resolve().parent.mkdir(parents=True, exist_ok=True)
        if not read_only:
            Path(current.ducklake_data_path).mkdir(parents=True, exist_ok=True)
        con.execute(attach_statement(current, read_only))
        con.execute(f"use {LAKE}")  # 'marts.kpi_observations' then names the lake's table, as in the file
    except duckdb.Error as error:
        con.close()
        raise LakeError(
            f"cannot attach the DuckLake (DUCKLAKE_CATALOG={shown_catalog(current.ducklake_catalog)}, "
            f"DUCKLAKE_DATA_PATH={current.ducklake_data_path}): {shown_catalog(str(error))}"
        ) from None
    return con


def published_location(current: Settings) -> str:
    """Where a publish goes, for messages: the DuckDB file, or the lake (without a password)."""
    if current.target == "ducklake":
        return f"DuckLake {shown_catalog(current.ducklake_catalog)}"
    return str(current.warehouse_path)


def shown_catalog(catalog: str) -> str:
    """The catalog without a password, for messages."""
    import re

    return re.sub(
        r"(password=)\S+|(://[^:/@]+:)[^@]+@",
        lambda m: (m.group(1) or m.group(2)) + "***" + ("" if m.group(1) else "@"),
        catalog,
    )


def _relations(con: duckdb.DuckDBPyConnection, catalog: str, version: int | None = None) -> list[tuple[str, str]]:
    if version is None:
        return con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = ? "
            "and table_schema not in ('information_schema', 'pg_catalog') order by all",
            [catalog],
        ).fetchall()
    # the tables of an earlier snapshot, from the lake's own catalog
    return con.execute(
        f"select s.schema_name, t.table_name from __ducklake_metadata_{catalog}.ducklake_table t "
        f"join __ducklake_metadata_{catalog}.ducklake_schema s using (schema_id) "
        "where t.begin_snapshot <= ? and (t.end_snapshot is null or t.end_snapshot > ?) "
        "and s.begin_snapshot <= ? and (s.end_snapshot is null or s.end_snapshot > ?) order by all",
        [version, version, version, version],
    ).fetchall()


@dataclass(frozen=True)
class Snapshot:
    version: int
    at: datetime
    message: str | None
    extra: dict


def snapshots(con: duckdb.DuckDBPyConnection) -> list[Snapshot]:
    rows = con.execute(
        f"select snapshot_id, snapshot_time, commit_message, commit_extra_info from ducklake_snapshots('{LAKE}') "
        "order by snapshot_id"
    ).fetchall()
    return [Snapshot(v, at, message, json.loads(extra) if extra else {}) for v, at, message, extra in rows]


def published_snapshots(con: duckdb.DuckDBPyConnection) -> list[Snapshot]:
    """The publishes in force, oldest first: a rollback takes the latest one off."""
    stack: list[Snapshot] = []
    for snapshot in snapshots(con):
        if snapshot.message == "publish":
            stack.append(snapshot)
        elif snapshot.message == "rollback" and stack:
            stack.pop()
    return stack


def last_rollback(current: Settings) -> dict | None:
    """{'restored': ..., 'at': ...} when the lake's latest commit is a rollback."""
    try:
        with connect(current, read_only=True) as con:
            found = snapshots(con)
    except LakeError:
        return None
    if found and found[-1].message == "rollback":
        return {
            "restored": f"snapshot {found[-1].extra.get('restored_snapshot')}",
            "at": found[-1].at.isoformat(timespec="seconds"),
        }
    return None


def _commit(con: duckdb.DuckDBPyConnection, message: str, extra: dict) -> None:
    con.execute(
        f"call {LAKE}.set_commit_message('region-report-warehouse', ?, extra_info => ?)", [message, json.dumps(extra)]
    )


def _replace_all(
    con: duckdb.DuckDBPyConnection, source: str, relations: list[tuple[str, str]], at_version: int | None = None
) -> None:
    """Within the caller's transaction: the lake's relations become exactly `relations` of `source`."""
    wanted = set(relations)
    for schema in sorted({schema for schema, _ in relations}):
        con.execute(f"create schema if not exists {LAKE}.{quoted_identifier(schema)}")
    for schema, name in _relations(con, LAKE):
        if (schema, name) not in wanted:
            con.execute(f"drop table {LAKE}.{quoted_identifier(schema)}.{quoted_identifier(name)}")
    at = f" at (version => {int(at_version)})" if at_version is not None else ""
    for schema, name in relations:
        qualified = f"{quoted_identifier(schema)}.{quoted_identifier(name)}"
        con.execute(f"create or replace table {LAKE}.{qualified} as select * from {source}.{qualified}{at}")


def publish(build_path: Path, current: Settings, *, allow_shrink: bool = False) -> dict[str, int]:
    """Commit the build into the lake as one snapshot; returns the published row counts.

    Raises PublishError, leaving the lake at its current snapshot, when the build is missing,
    lacks a required relation, or would remove documents or history without ALLOW_SHRINK."""
    with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "publish"):
        if not build_path.exists():
            raise PublishError(f"no build file at {build_path}: materialise the warehouse assets first")
        checkpoint(build_path)
        with connect(current, read_only=False) as con:
            con.execute(f"attach '{_literal(str(build_path))}' as build (read_only)")
            relations = con.execute(
                "select table_schema, table_name from information_schema.tables where table_catalog = 'build' "
                "and not list_contains(?, table_schema) order by all",
                [list(UNPUBLISHED_SCHEMAS)],
            ).fetchall()
            missing = [r for r in REQUIRED_RELATIONS if tuple(r.split(".")) not in relations]
            if missing:
                raise PublishError(f"{build_path} is not a publishable warehouse: it has no {', '.join(missing)}")
            lost = compare(con, "build", LAKE)
            if lost and not allow_shrink:
                raise PublishError(
                    f"not published: {lost.describe()}. They are not in the build {build_path} and were not "
                    "retired. Put the files back, retire documents on purpose (make retire DOC=<file name>), or "
                    f"publish anyway with ALLOW_SHRINK=1. The lake ({shown_catalog(current.ducklake_catalog)}) is unchanged."
                )
            if lost:
                log.warning("publishing less than before (ALLOW_SHRINK=1): %s", lost.describe())
            counts = {r: con.execute(f"select count(*) from build.{r}").fetchone()[0] for r in REQUIRED_RELATIONS}
            con.execute("begin transaction")
            try:
                _replace_all(con, "build", relations)
                _commit(con, "publish", {"build": str(build_path), **counts})
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("detach build")
            _expire(con, current.keep_published)
    return counts


def _expire(con: duckdb.DuckDBPyConnection, keep: int) -> None:
    """Snapshots before the oldest of the last `keep` + 1 publishes (the current one and `keep` to
    roll back to) are expired and their files deleted: the lake does not grow with every month."""
    kept = published_snapshots(con)[-(keep + 1) :]
    if len(kept) <= keep:
        return
    oldest = kept[0].version
    old = [s.version for s in snapshots(con) if s.version < oldest]
    if old:
        con.execute(f"call ducklake_expire_snapshots('{LAKE}', versions => {[int(v) for v in old]})")
        con.execute(f"call ducklake_cleanup_old_files('{LAKE}', cleanup_all => true)")


def rollback(current: Settings) -> Snapshot:
    """Put the lake back as it was at the previous publish (time travel), as a new snapshot.
    Returns the snapshot restored."""
    with (
        warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "rollback"),
        connect(current, read_only=False) as con,
    ):
        publishes = published_snapshots(con)
        if len(publishes) < 2:
            raise PublishError(
                f"no earlier publish in the lake ({shown_catalog(current.ducklake_catalog)}) to roll back to"
            )
        previous = publishes[-2]
        relations = _relations(con, LAKE, previous.version)
        if not relations:
            raise PublishError(f"snapshot {previous.version} of the lake holds no tables: not rolled back")
        con.execute("begin transaction")
        try:
            _replace_all(con, LAKE, relations, at_version=previous.version)
            _commit(con, "rollback", {"restored_snapshot": previous.version})
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return previous


def counts(current: Settings, relations=REQUIRED_RELATIONS) -> dict[str, int]:
    with connect(current, read_only=True) as con:
        return {r: con.execute(f"select count(*) from {LAKE}.{r}").fetchone()[0] for r in relations}


def restore_raw_layer(current: Settings) -> int:
    """An empty raw layer is rebuilt from the lake's raw schema (see raw_restore.restore)."""
    try:
        con = connect(current, read_only=True)
    except LakeError:
        return 0  # no lake yet: nothing was ever published
    try:
        return raw_restore.restore(current.raw_dir, con, LAKE)
    finally:
        con.close()
