"""Resources shared by every asset: the build DuckDB file and the dbt project.

Dagster and dbt write the same file, named once by DUCKDB_PATH (settings.py). Dagster's dbt
resource passes this process's environment to dbt, where the profile reads DUCKDB_PATH; the code
location sets it from settings (definitions.py), not this factory.
"""

from functools import cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from ..dbt_cli import dbt_executable, run_dbt
from ..warehouse.settings import DBT_PROJECT_DIR, settings


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def duckdb_resource() -> DuckDBResource:
    build_path = settings().build_path
    build_path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBResource(database=str(build_path))


def prepare_manifest() -> Path:
    """dbt parse, so @dbt_assets has a manifest outside `dagster dev` (tests, CI, make)."""
    result = run_dbt(["parse", "--quiet"])
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return dbt_project().manifest_path


def defs() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "duckdb": duckdb_resource(),
            "dbt": DbtCliResource(
                project_dir=dbt_project(), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
            ),
        }
    )
