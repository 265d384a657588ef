"""A raw fixture built through dbt in a scratch folder, as the tests need it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..dbt_cli import run_dbt
from .raw_fixture import build_raw_fixture


def build_dev_warehouse(scratch: Path, args: Sequence[str] = ("build",)) -> Path:
    """The dev raw fixture in scratch/warehouse.build.duckdb, then `dbt build` (seeds, models, data and
    unit tests) on it; fails with dbt's output when the build does."""
    path = build_raw_fixture(scratch / "warehouse.build.duckdb")
    result = run_dbt(list(args), path, scratch, timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"dbt build failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return path
