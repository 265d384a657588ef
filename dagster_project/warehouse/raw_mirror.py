"""The raw layer mirrored into the build database as tables, kept up to date file by file.

dbt, the quality checks and publishing read raw.<relation>. Views straight over the Parquet
files re-read every file of the raw layer for every model that reads them, and reading a few
thousand small files at once needs memory in proportion to their number. So the build file
holds one table per relation, raw_mirror.<relation>, with the Parquet file each row came from,
and raw.<relation> is a view of the contract's columns over it. A refresh loads only the files
added or changed since the last one (by name, size and modification time) and deletes the rows
of files that are gone, so a monthly refresh reads one document's files, not all of them.

    sync_raw_mirror(con, raw_dir)   # -> MirrorSync(added_files, removed_files)

A build file that is new, or whose mirror has other columns than the contract (the records
gained a field), is loaded again in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .raw_contract import RAW_RELATIONS, table_columns

MIRROR_SCHEMA = "raw_mirror"
FILE_COLUMN = "raw_file"  # the Parquet file a row came from: what a changed or removed file takes out
LOADED_FILES = f"{MIRROR_SCHEMA}.loaded_files"
FILES_PER_READ = 200  # files read by one statement: bounds the memory a full load takes


@dataclass(frozen=True)
class MirrorSync:
    added_files: int = 0
    removed_files: int = 0


def _quoted(value: str) -> str:
    return value.replace("'", "''")


def _files_now(raw_dir: Path, relation: str) -> dict[str, tuple[int, int]]:
    """Each Parquet file with rows of a relation: name -> (size, modification time in ns)."""
    folder = Path(raw_dir) / RAW_RELATIONS[relation]
    files = {}
    for path in folder.glob("*.parquet"):
        if path.name == "_schema.parquet":  # no rows: only gives a glob its columns
            continue
        try:
            seen = path.stat()
        except FileNotFoundError:  # removed while listing (settle runs before, but be safe)
            continue
        files[path.name] = (seen.st_size, seen.st_mtime_ns)
    return files


def _mirror_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [MIRROR_SCHEMA, relation],
        ).fetchall()
    ]


def _create_mirror(con: duckdb.DuckDBPyConnection, relation: str, columns: dict[str, str]) -> None:
    con.execute(f"drop table if exists {MIRROR_SCHEMA}.{relation}")
    definitions = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns.items())
    con.execute(f'create table {MIRROR_SCHEMA}.{relation} ({definitions}, "{FILE_COLUMN}" VARCHAR)')
    con.execute(f"delete from {LOADED_FILES} where relation = ?", [relation])


def _load(con: duckdb.DuckDBPyConnection, raw_dir: Path, relation: str, names: list[str]) -> None:
    columns = table_columns(relation)
    selected = ", ".join(f'"{name}"' for name in columns)
    folder = Path(raw_dir) / RAW_RELATIONS[relation]
    for start in range(0, len(names), FILES_PER_READ):
        chunk = names[start : start + FILES_PER_READ]
        paths = ", ".join(f"'{_quoted(str(folder / name))}'" for name in chunk)
        # the schema file first: a column no file of the chunk has still gets its type
        schema = f"'{_quoted(str(folder / '_schema.parquet'))}'"
        con.execute(
            f"insert into {MIRROR_SCHEMA}.{relation} select {selected}, parse_filename(filename) "
            f"from read_parquet([{schema}, {paths}], union_by_name = true, filename = true) "
            "where parse_filename(filename) <> '_schema.parquet'"
        )


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of each raw relation as the build file holds them (read from the mirror, not the files)."""
    return {relation: con.execute(f"select count(*) from raw.{relation}").fetchone()[0] for relation in RAW_RELATIONS}


def sync_raw_mirror(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> MirrorSync:
    """Bring raw_mirror.* up to date with the raw layer's files and point the raw.* views at it."""
    con.execute(f"create schema if not exists {MIRROR_SCHEMA}")
    con.execute("create schema if not exists raw")
    con.execute(
        f"create table if not exists {LOADED_FILES} "
        "(relation varchar, file_name varchar, size_bytes bigint, modified_ns bigint)"
    )
    added = removed = 0
    for relation in RAW_RELATIONS:
        columns = table_columns(relation)
        if _mirror_columns(con, relation) != [*columns, FILE_COLUMN]:
            _create_mirror(con, relation, columns)
        loaded = {
            name: (size, modified)
            for name, size, modified in con.execute(
                f"select file_name, size_bytes, modified_ns from {LOADED_FILES} where relation = ?", [relation]
            ).fetchall()
        }
        now = _files_now(raw_dir, relation)
        gone = [name for name, seen in loaded.items() if now.get(name) != seen]  # removed or rewritten
        new = sorted(name for name, seen in now.items() if loaded.get(name) != seen)
        if gone:
            con.execute(f'delete from {MIRROR_SCHEMA}.{relation} where "{FILE_COLUMN}" in (select unnest(?))', [gone])
            con.execute(
                f"delete from {LOADED_FILES} where relation = ? and file_name in (select unnest(?))", [relation, gone]
            )
        if new:
            _load(con, raw_dir, relation, new)
            con.executemany(
                f"insert into {LOADED_FILES} values (?, ?, ?, ?)", [[relation, name, *now[name]] for name in new]
            )
        added, removed = added + len(new), removed + len(gone)
        kind = con.execute(
            "select table_type from information_schema.tables where table_catalog = current_database() "
            "and table_schema = 'raw' and table_name = ?",
            [relation],
        ).fetchone()
        if kind and kind[0] != "VIEW":  # build files of earlier versions held raw tables
            con.execute(f"drop table raw.{relation}")
        selected = ", ".join(f'"{name}"' for name in columns)
        con.execute(f"create or replace view raw.{relation} as select {selected} from {MIRROR_SCHEMA}.{relation}")
    return MirrorSync(added, removed)
