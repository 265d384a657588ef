"""Resources shared by every asset: the build DuckDB file and the dbt project.

Dagster and dbt write the same file, named once by DUCKDB_PATH (settings.py). Dagster's dbt
resource passes this process's environment to dbt, where the profile reads DUCKDB_PATH; the code
location sets it from settings (definitions.py), not this factory.
"""

import importlib.metadata
import sys
from functools import cache, cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource
from packaging import version

from ..dbt_cli import dbt_executable, run_dbt
from ..warehouse.settings import (
    DBT_PROJECT_DIR,
    SettingsError,
    duckdb_config,
    extract_batches,
    extract_executor,
    settings,
)


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


class ProjectDbtResource(DbtCliResource):
    """Dagster's dbt resource, told dbt's version instead of asking: it runs `dbt --version` in a
    process of its own every refresh to learn it (~2 s, a tenth of an incremental refresh), while
    the dbt beside this Python is the dbt-core package installed with it."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).parent == Path(sys.executable).parent:
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version  # another dbt (on PATH): ask it


def duckdb_resource() -> DuckDBResource:
    build_path = settings().build_path
    build_path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(build_path), connection_config=duckdb_config())


def prepare_manifest() -> Path:
    """dbt parse, so @dbt_assets has a manifest outside `dagster dev` (tests, CI, make)."""
    result = run_dbt(["parse", "--quiet"])
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return dbt_project().manifest_path


def executor() -> dg.ExecutorDefinition:
    """EXTRACT_EXECUTOR. in_process (default): one process, as the steps form a chain and a process
    per step costs more start-up time than most steps take; extraction still uses EXTRACT_WORKERS
    worker processes. multiprocess: steps side by side (the extraction batches), at most
    EXTRACT_BATCHES at once. k8s: each step a Kubernetes job (dagster-k8s, docs/scaling.md). The
    writing steps share the pool warehouse_writer, one slot (dagster.yaml), whichever executor."""
    chosen = extract_executor()
    if chosen == "in_process":
        return dg.in_process_executor
    if chosen == "multiprocess":
        return dg.multiprocess_executor.configured({"max_concurrent": extract_batches()})
    try:
        from dagster_k8s import k8s_job_executor  # optional: only a Kubernetes deployment installs it
    except ImportError:
        raise SettingsError(
            "EXTRACT_EXECUTOR=k8s needs the dagster-k8s package (the version matching dagster) and "
            "a Kubernetes cluster; see docs/scaling.md"
        ) from None
    return k8s_job_executor


def defs() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "duckdb": duckdb_resource(),
            "dbt": ProjectDbtResource(
                project_dir=dbt_project(), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
            ),
        }
    )
