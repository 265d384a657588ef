"""Where things are. Every path comes from one environment variable with a project default.

- REPORTS_DIR: the inbox of report files (default seeds/reports)
- WAREHOUSE_PATH: the published DuckDB file BI tools open (default ./warehouse.duckdb)
- DUCKDB_PATH: the build file Dagster and dbt write to (default build/warehouse.build.duckdb);
  it is only ever published by publish.py, so readers never see a half-built warehouse.
- DAGSTER_HOME: run history, schedules and sensor cursors (default .dagster_home)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEEDS_DIR = PROJECT_ROOT / "seeds"


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    path = Path(value) if value else default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


@dataclass(frozen=True)
class Settings:
    reports_dir: Path
    warehouse_path: Path
    build_path: Path
    keep_published: int

    @property
    def build_dir(self) -> Path:
        return self.build_path.parent

    @property
    def previous_dir(self) -> Path:
        """Earlier published warehouses, kept for rollback."""
        return self.warehouse_path.parent / ".warehouse_history"


def settings() -> Settings:
    """Read the environment now (not at import), so tests can point it elsewhere."""
    return Settings(
        reports_dir=_path("REPORTS_DIR", PROJECT_ROOT / "seeds" / "reports"),
        warehouse_path=_path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse.duckdb"),
        build_path=_path("DUCKDB_PATH", PROJECT_ROOT / "build" / "warehouse.build.duckdb"),
        keep_published=int(os.environ.get("KEEP_PUBLISHED", "3")),
    )
