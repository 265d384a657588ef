"""dbt as a subprocess, outside Dagster's dbt resource: the executable, its environment, a run.

dbt reads the build file from DUCKDB_PATH (dbt/profiles.yml has no default of its own); every dbt
this project starts gets the path settings.py resolves, so the default is written once.

    python -m dagster_project.dbt_cli parse     # what `make setup` runs for the manifest
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .warehouse.settings import DBT_PROJECT_DIR, settings


def dbt_executable() -> str:
    """dbt from the same environment as this Python, so the pinned dbt-core runs without an
    activated venv, not another one on PATH."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def dbt_env(build_path: Path | str | None = None) -> dict[str, str]:
    """This process's environment with DUCKDB_PATH naming the build file (settings' when not given)
    and DUCKDB_MEMORY_LIMIT, which the profile passes to DuckDB."""
    current = settings()
    path = Path(build_path) if build_path is not None else current.build_path
    return {
        **os.environ,
        "DUCKDB_PATH": str(path),
        "DUCKDB_MEMORY_LIMIT": current.duckdb_memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_dbt(
    args: Sequence[str], build_path: Path | str | None = None, scratch: Path | None = None, timeout: float = 900
) -> subprocess.CompletedProcess:
    """`dbt ARGS` on the project, captured. With `scratch`, dbt's target and logs go there, so
    runs side by side never share dbt/target."""
    command = [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    if scratch is not None:
        command += ["--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")]
    return subprocess.run(
        command, cwd=DBT_PROJECT_DIR, env=dbt_env(build_path), capture_output=True, text=True, timeout=timeout
    )


def main(argv: Sequence[str]) -> int:
    result = run_dbt([*argv, "--quiet"])
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
