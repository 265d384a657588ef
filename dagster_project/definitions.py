"""The one Dagster code location: ingest -> extract -> warehouse (raw + dbt) -> quality -> publish."""

from __future__ import annotations

import os

import dagster as dg

from .defs import alerts, automation, extract, ingest, publish, quality, resources, warehouse
from .warehouse.settings import settings


def build_defs() -> dg.Definitions:
    """All definitions, with resources pointing at the paths the environment names now."""
    # dbt (run by Dagster's dbt resource with this process's environment) reads the build file
    # from DUCKDB_PATH; name it here, absolute and with settings' default, for every run.
    os.environ["DUCKDB_PATH"] = str(settings().build_path)
    return dg.Definitions.merge(
        resources.defs(),
        ingest.defs(),
        extract.defs(),
        warehouse.defs(),
        quality.defs(),
        publish.defs(),
        automation.defs(),
        alerts.defs(),
        # One process: DuckDB allows a single writer, the steps form a chain anyway, and a
        # process per step cost more start-up time than the steps themselves.
        dg.Definitions(executor=dg.in_process_executor),
    )


defs = build_defs()
