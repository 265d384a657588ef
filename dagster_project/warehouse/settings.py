"""Where things are and how far a refresh may go. Every knob is one environment variable with a default,
read here and nowhere else (the README's table lists them; .env.example is a template).

Paths:
- REPORTS_DIR: the inbox of report files (default seeds/reports). A missing or unreadable folder
  is an error, never an empty inbox.
- WAREHOUSE_PATH: the published DuckDB file BI tools open (default ./warehouse.duckdb). Its raw
  schema holds a copy of the raw layer: a raw layer that is lost is restored from it.
- DUCKDB_PATH: the build file Dagster and dbt write to (default build/warehouse.build.duckdb);
  it is only ever published by publish.py, so readers never see a half-built warehouse. It holds
  nothing the raw layer and the seeds cannot rebuild.
- RAW_DATA_PATH: the raw layer, each document's records as Parquet files (raw_layer.py); default
  the folder <WAREHOUSE_PATH without .duckdb>_raw beside the published warehouse (not under build/:
  it is state, `make clean` keeps it). Shared storage when several machines extract.

Where the warehouse is published (publish.py):
- WAREHOUSE_TARGET: `file` (default) publishes the DuckDB file WAREHOUSE_PATH; `ducklake` commits
  the build into a DuckLake as one snapshot (readers attach the lake read-only).
- DUCKLAKE_CATALOG: the lake's catalog: a PostgreSQL connection string (`postgres:dbname=lake
  host=db user=...` or `postgresql://user@host:5432/lake`), or a local catalog file (default
  <WAREHOUSE_PATH without .duckdb>.ducklake, one machine).
- DUCKLAKE_DATA_PATH: where the lake writes its Parquet data (default <WAREHOUSE_PATH without
  .duckdb>_lake/); shared storage when readers are on other machines.
- DAGSTER_HOME: run history, schedules and sensor cursors (default .dagster_home; read by Dagster
  itself, set by the Makefile)

Publishing:
- KEEP_PUBLISHED (3): earlier published files kept for `make rollback`.
- ALLOW_SHRINK (off): publish even when documents or history rows of the published warehouse
  would disappear. Without it such a publish stops and names what would be lost; `make retire`
  is the way to remove a document on purpose.
- LOCK_WAIT_SECONDS (300): how long a refresh, publish, rollback or retire waits for another one
  holding the warehouse lock before it stops with "another refresh is running (pid ...)".
- ON_FAILURE_COMMAND (none): a shell command run when a refresh fails, with REFRESH_STATUS,
  REFRESH_MESSAGE, REFRESH_RUN_ID and REFRESH_LOG in its environment.
- KEEP_RUNS (3): Dagster runs (with their event logs and compute logs) kept in DAGSTER_HOME;
  older runs are deleted after each refresh, so run storage does not grow with every month (a
  full refresh of 2 000 small documents keeps about 27 MB of events; a monthly one, well under 1 MB).

Reading and extracting one document (bounded work, so one file cannot stop the run):
- MAX_REPORT_BYTES (50 MB): larger files are refused before they are read (too_large).
- MAX_PDF_PAGES (2000): PDFs declaring more pages are refused before pages are read (too_many_pages).
- MAX_LINE_CHARS (4000): a longer line is cut to this length before any rule reads it
  (caveat long_line_truncated); report lines are under 200 characters.
- EXTRACT_TIMEOUT_SECONDS (55): a document whose reading and extraction take longer is stopped
  and recorded as extraction_timeout; the others go on.
- EXTRACT_MEMORY_MB (3072): address-space limit of each extraction worker (0: none), so a document
  that needs more fails alone (out_of_memory) instead of drawing the OOM killer.
- EXTRACT_WORKERS (0: one per core): extraction worker processes of one extraction step, never
  more than documents.
- EXTRACT_EXECUTOR (in_process): how a run's steps execute. `in_process`: one process, extraction
  fanned out to EXTRACT_WORKERS worker processes; `multiprocess`: each step in its own process,
  extraction split into EXTRACT_BATCHES steps that run side by side; `k8s`: each step a Kubernetes
  job (dagster-k8s, docs/scaling.md). dbt and publishing stay one writer either way (the Dagster
  concurrency pool `warehouse_writer`, one slot).
- EXTRACT_BATCHES (number of cores): extraction steps per run under multiprocess or k8s.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEEDS_DIR = PROJECT_ROOT / "seeds"

log = logging.getLogger(__name__)


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    path = Path(value) if value else default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def env_number(variable: str, default: float, minimum: float = 0) -> float:
    """A numeric knob; a value that is no number, or below `minimum`, is logged and replaced by the default."""
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; using %s", variable, raw, default)
        return default
    if value < minimum:
        log.warning("%s=%r is below %s; using %s", variable, raw, minimum, default)
        return default
    return value


def env_flag(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    reports_dir: Path
    warehouse_path: Path
    build_path: Path
    keep_published: int
    allow_shrink: bool = False
    lock_wait_seconds: float = 300.0
    keep_runs: int = 3
    raw_dir: Path | None = None
    target: str = "file"
    ducklake_catalog: str = ""
    ducklake_data_path: Path | None = None
    on_failure_command: str = ""
    duckdb_memory_limit: str = "256MB"

    @property
    def build_dir(self) -> Path:
        return self.build_path.parent

    @property
    def previous_dir(self) -> Path:
        """Earlier published warehouses, kept for rollback."""
        return self.warehouse_path.parent / ".warehouse_history"


TARGETS = ("file", "ducklake")
EXECUTORS = ("in_process", "multiprocess", "k8s")


class SettingsError(ValueError):
    """A setting whose value the code cannot use; the message names the variable."""


def _choice(variable: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(variable, "").strip().lower() or choices[0]
    if value not in choices:
        raise SettingsError(f"{variable}={value!r} is not one of {', '.join(choices)}")
    return value


def extract_executor() -> str:
    return _choice("EXTRACT_EXECUTOR", EXECUTORS)


def extract_batches() -> int:
    return max(1, int(env_number("EXTRACT_BATCHES", os.cpu_count() or 1, minimum=1)))


def settings() -> Settings:
    """Read the environment now (not at import), so tests can point it elsewhere."""
    warehouse_path = _path("WAREHOUSE_PATH", PROJECT_ROOT / "warehouse.duckdb")
    beside = warehouse_path.parent / warehouse_path.stem
    return Settings(
        reports_dir=_path("REPORTS_DIR", PROJECT_ROOT / "seeds" / "reports"),
        warehouse_path=warehouse_path,
        build_path=_path("DUCKDB_PATH", PROJECT_ROOT / "build" / "warehouse.build.duckdb"),
        keep_published=int(env_number("KEEP_PUBLISHED", 3)),
        allow_shrink=env_flag("ALLOW_SHRINK"),
        lock_wait_seconds=env_number("LOCK_WAIT_SECONDS", 300.0),
        keep_runs=int(env_number("KEEP_RUNS", 3, minimum=1)),
        raw_dir=_path("RAW_DATA_PATH", Path(f"{beside}_raw")),
        target=_choice("WAREHOUSE_TARGET", TARGETS),
        ducklake_catalog=os.environ.get("DUCKLAKE_CATALOG", "").strip() or f"{beside}.ducklake",
        ducklake_data_path=_path("DUCKLAKE_DATA_PATH", Path(f"{beside}_lake")),
        on_failure_command=os.environ.get("ON_FAILURE_COMMAND", ""),
        duckdb_memory_limit=os.environ.get("DUCKDB_MEMORY_LIMIT", "").strip() or Settings.duckdb_memory_limit,
    )


def duckdb_config() -> dict[str, str]:
    """What DuckDB connections of a refresh are opened with: a memory ceiling (DuckDB spills to
    disk beyond it), so a build, publish or report holds about as much memory at 2 000 documents
    as at 500 instead of caching the whole warehouse."""
    return {"memory_limit": settings().duckdb_memory_limit}


def limit_memory(con):
    """The same ceiling on an open connection. For files another connection of this process may
    hold: DuckDB refuses a second connection to one file with a different configuration."""
    limit = settings().duckdb_memory_limit.replace("'", "''")
    con.execute(f"set memory_limit = '{limit}'")
    return con


@dataclass(frozen=True)
class ReadLimits:
    """How much of one document is read and extracted (see the module docstring)."""

    max_report_bytes: int = 50 * 1024 * 1024
    max_pdf_pages: int = 2000
    max_line_chars: int = 4000
    extract_timeout_seconds: float = 55.0  # a hostile file costs a refresh under a minute; a report takes seconds
    extract_memory_mb: int = 3072
    extract_workers: int = 0  # 0: one per core


def read_limits() -> ReadLimits:
    defaults = ReadLimits()
    return ReadLimits(
        max_report_bytes=int(env_number("MAX_REPORT_BYTES", defaults.max_report_bytes)),
        max_pdf_pages=int(env_number("MAX_PDF_PAGES", defaults.max_pdf_pages, minimum=1)),
        max_line_chars=int(env_number("MAX_LINE_CHARS", defaults.max_line_chars, minimum=100)),
        extract_timeout_seconds=env_number("EXTRACT_TIMEOUT_SECONDS", defaults.extract_timeout_seconds, minimum=0.1),
        extract_memory_mb=int(env_number("EXTRACT_MEMORY_MB", defaults.extract_memory_mb)),
        extract_workers=int(env_number("EXTRACT_WORKERS", defaults.extract_workers)),
    )
