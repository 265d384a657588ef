"""Resources shared by every asset: the build DuckDB file and the dbt project.

Dagster and dbt write the same file, named once by DUCKDB_PATH (settings.py); the dbt
profile reads the same variable, so it is set here for the dbt subprocess too.
"""


import os
import shutil
import sys
from functools import cache
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_duckdb import DuckDBResource

from ..warehouse.settings import DBT_PROJECT_DIR, settings


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project


def duckdb_resource() -> DuckDBResource:
    build_path = settings().build_path
    build_path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DUCKDB_PATH"] = str(build_path)
    return DuckDBResource(database=str(build_path))


def dbt_executable() -> str:
    """dbt from the same environment as this Python, so it works without an activated venv."""
    beside_python = Path(sys.executable).parent / "dbt"
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def prepare_manifest() -> Path:
    """dbt parse, so @dbt_assets has a manifest outside `dagster dev` (tests, CI, make)."""
    import subprocess

    subprocess.run(
        [dbt_executable(), "parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR)],
        cwd=DBT_PROJECT_DIR, check=True,
    )
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
