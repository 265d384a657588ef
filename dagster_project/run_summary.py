"""What a refresh tells the person who started it: a short summary; everything else in a log file.

A Dagster run in this process prints every event (hundreds of DEBUG lines), dbt prints a line per
model and test, and extraction workers print too. `captured_output` sends all of it, at the file
descriptor level so subprocesses are caught as well, to build/logs/refresh-<time>.log; the
summary names what was read, refused, loaded, found and published, and where the log is.

A run that fails is recorded in build/logs/runs.tsv (and its log), and calls the command the
user set in ON_FAILURE_COMMAND, with REFRESH_STATUS, REFRESH_MESSAGE, REFRESH_LOG and
REFRESH_RUN_ID in its environment, so a monthly run that stopped does not go unnoticed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from .warehouse.settings import settings

FAILURE_COMMAND_VARIABLE = "ON_FAILURE_COMMAND"
FAILURE_COMMAND_TIMEOUT_S = 120
REFUSED_SHOWN = 5


@contextmanager
def captured_output(log_path: Path) -> Iterator[Path]:
    """Send this process's stdout and stderr, and its children's, to log_path while inside.

    Both the file descriptors (subprocesses: dbt, extraction workers) and sys.stdout/sys.stderr
    (which a caller may have pointed elsewhere) are redirected, and restored on the way out.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds, saved_streams = (os.dup(1), os.dup(2)), (sys.stdout, sys.stderr)
    with log_path.open("a", encoding="utf-8", errors="replace", buffering=1) as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        sys.stdout = sys.stderr = log
        try:
            yield log_path
        finally:
            log.flush()
            sys.stdout, sys.stderr = saved_streams
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            os.close(saved_fds[0])
            os.close(saved_fds[1])


def log_path_for(logs_dir: Path, started: datetime) -> Path:
    return logs_dir / f"refresh-{started:%Y%m%dT%H%M%S}.log"


@dataclass
class Summary:
    success: bool
    seconds: float
    published: Path | str  # the file, or the lake as published_location words it
    log: Path
    run_id: str = ""
    read: int = 0  # documents extracted this run (new or changed)
    documents: int | None = None  # documents in the warehouse
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    values: int | None = None
    preferred: int | None = None
    series: int | None = None
    findings: dict[str, int] = field(default_factory=dict)  # severity -> count
    checks: dict[str, int] = field(default_factory=dict)  # status -> count
    failed_checks: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failure_command: str | None = None  # what ON_FAILURE_COMMAND did

    @property
    def message(self) -> str:
        return self.errors[0] if self.errors else ("published" if self.success else "failed")

    def lines(self) -> list[str]:
        head = (
            f"Warehouse refreshed in {self.seconds:.0f} s: published {self.published}"
            if self.success
            else f"Warehouse refresh FAILED after {self.seconds:.0f} s; the published warehouse {self.published} is unchanged"
        )
        lines = [head]
        lines.append(
            f"  documents: {self.read} read this run (new or changed)"
            + (f", {self.documents} in the warehouse" if self.documents is not None else "")
            + f", {len(self.refused)} refused"
        )
        if self.refused:
            shown = ", ".join(f"{name} ({reason})" for name, reason in self.refused[:REFUSED_SHOWN])
            more = f" and {len(self.refused) - REFUSED_SHOWN} more" if len(self.refused) > REFUSED_SHOWN else ""
            lines.append(f"  refused: {shown}{more} (marts.ingest_issues)")
        if self.values is not None:
            lines.append(
                f"  rows: {self.values} values in marts.kpi_observations"
                + (
                    f", {self.series} series in marts.kpi_series ({self.preferred} preferred rows)"
                    if self.series is not None
                    else ""
                )
            )
        if self.findings or self.values is not None:
            found = ", ".join(f"{count} {severity}" for severity, count in sorted(self.findings.items())) or "none"
            lines.append(f"  findings in the reports: {found} (marts.consistency_findings)")
        if self.checks:
            lines.append(
                "  checks: "
                + ", ".join(f"{count} {status}" for status, count in sorted(self.checks.items()))
                + " (marts.check_results)"
            )
        lines += [f"  failed check: {name}" for name in self.failed_checks[:REFUSED_SHOWN]]
        lines += [f"  error: {error}" for error in self.errors[:3]]
        if self.failure_command:
            lines.append(f"  {FAILURE_COMMAND_VARIABLE}: {self.failure_command}")
        lines.append(f"  log: {self.log}")
        return lines


def _scalar(con: duckdb.DuckDBPyConnection, sql: str):
    try:
        return con.execute(sql).fetchone()[0]
    except duckdb.Error:
        return None


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error:
        return []


def describe_warehouse(summary: Summary, path: Path) -> Summary:
    """Fill the counts from a warehouse file (the published one, or the build file after a failure)."""
    if not path.exists():
        return summary
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        summary.errors.append(f"could not read {path}: {error}")
        return summary
    with con:
        summary.documents = _scalar(con, "select count(*) from marts.dim_document where not is_unknown_member")
        summary.refused = [
            (name, reason)
            for name, reason in _pairs(
                con, "select file_name, reason_code from marts.ingest_issues where is_fatal order by file_name"
            )
        ]
        summary.values = _scalar(con, "select count(*) from marts.kpi_observations")
        summary.preferred = _scalar(con, "select count(*) from marts.kpi_observations where is_preferred")
        summary.series = _scalar(con, "select count(*) from marts.kpi_series")
        summary.findings = dict(_pairs(con, "select severity, count(*) from marts.consistency_findings group by all"))
        summary.checks = dict(_pairs(con, "select status, count(*) from marts.check_results group by all"))
        summary.failed_checks = [
            name
            for (name,) in _pairs(
                con,
                "select check_name from marts.check_results where status = 'failed' order by blocking desc, check_name",
            )
        ]
    return summary


def record_run(logs_dir: Path, summary: Summary, started: datetime) -> Path:
    """One line per run in build/logs/runs.tsv: when, status, run id, seconds, message, log."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    history = logs_dir / "runs.tsv"
    new = not history.exists()
    with history.open("a", encoding="utf-8") as handle:
        if new:
            handle.write("started\tstatus\trun_id\tseconds\tmessage\tlog\n")
        message = summary.message.replace("\t", " ").replace("\n", " ")[:500]
        handle.write(
            f"{started:%Y-%m-%dT%H:%M:%S}\t{'success' if summary.success else 'failure'}\t{summary.run_id}\t"
            f"{summary.seconds:.1f}\t{message}\t{summary.log}\n"
        )
    return history


def call_failure_command(message: str, log: Path | None, run_id: str, command: str | None = None) -> str | None:
    """Run ON_FAILURE_COMMAND (a shell command line) for a failed run; returns what happened, or
    None when no command is set. Its output goes to this process's stdout and stderr."""
    command = command if command is not None else settings().on_failure_command
    if not command.strip():
        return None
    env = {
        **os.environ,
        "REFRESH_STATUS": "failure",
        "REFRESH_MESSAGE": message,
        "REFRESH_RUN_ID": run_id,
        "REFRESH_LOG": str(log or ""),
    }
    try:
        result = subprocess.run(command, shell=True, env=env, timeout=FAILURE_COMMAND_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return f"ran, stopped after {FAILURE_COMMAND_TIMEOUT_S} s"
    except OSError as error:
        return f"could not run: {error}"
    return f"ran, exit code {result.returncode}"
