"""Whether the build file already holds the current seeds, so a refresh can leave them be.

dbt build loads every seed again on every run (~1.5 s with their tests, on each monthly refresh,
for reference data that changes a few times a year). The build file records what it loaded: a
digest of the seed files and of the dbt project file (which sets the seeds' column types) and
the dbt version. A refresh skips the seeds when the digest matches and every seed table is there;
a changed seed, a new build file or a full refresh loads them all.

    digest = seed_digest(project_dir, seed_dir)
    if seeds_current(build_path, digest, seed_relations): ...   # dbt build --exclude resource_type:seed
    record_seeds(build_path, digest)                             # after a build that loaded them
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

import duckdb

from .raw_mirror import MIRROR_SCHEMA
from .settings import duckdb_config

LOADED_SEEDS = f"{MIRROR_SCHEMA}.loaded_seeds"  # the build's bookkeeping: never published


def seed_digest(project_dir: Path, seed_dir: Path) -> str:
    digest = hashlib.sha256(importlib.metadata.version("dbt-duckdb").encode())
    for path in [Path(project_dir) / "dbt_project.yml", *sorted(Path(seed_dir).glob("*.csv"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def seeds_current(build_path: Path, digest: str, seed_relations: list[tuple[str, str]]) -> bool:
    """True when the build file recorded loading exactly these seeds and still has every table."""
    if not Path(build_path).exists():
        return False
    with duckdb.connect(str(build_path), read_only=True, config=duckdb_config()) as con:
        tables = set(
            con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        )
        if (MIRROR_SCHEMA, "loaded_seeds") not in tables:
            return False
        recorded = con.execute(f"select digest from {LOADED_SEEDS}").fetchall()
    return recorded == [(digest,)] and all(relation in tables for relation in seed_relations)


def record_seeds(build_path: Path, digest: str) -> None:
    with duckdb.connect(str(build_path), config=duckdb_config()) as con:
        con.execute(f"create schema if not exists {MIRROR_SCHEMA}")
        con.execute(f"create or replace table {LOADED_SEEDS} as select ? as digest", [digest])


def forget_seeds(build_path: Path) -> None:
    """Before a build that loads the seeds: if it fails halfway, the next one loads them again."""
    if not Path(build_path).exists():
        return
    with duckdb.connect(str(build_path), config=duckdb_config()) as con:
        con.execute(f"drop table if exists {LOADED_SEEDS}")
