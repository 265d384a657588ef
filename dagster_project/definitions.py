"""The one Dagster code location: ingest -> extract -> warehouse (raw + dbt) -> quality -> publish."""

from __future__ import annotations

import os

import dagster as dg

from .defs import alerts, automation, extract, ingest, publish, quality, resources, warehouse
from .warehouse.settings import settings


def build_defs() -> dg.Definitions:
    """All definitions, with resources pointing at the paths the environment names now."""
    # dbt (run by Dagster's dbt resource with this process's environment) reads the build file
    # from DUCKDB_PATH and its memory ceiling from DUCKDB_MEMORY_LIMIT; name both here, with
    # settings' defaults, for every run.
    current = settings()
    os.environ["DUCKDB_PATH"] = str(current.build_path)
    os.environ["DUCKDB_MEMORY_LIMIT"] = current.duckdb_memory_limit
    return dg.Definitions.merge(
        resources.defs(),
        ingest.defs(),
        extract.defs(),
        warehouse.defs(),
        quality.defs(),
        publish.defs(),
        automation.defs(),
        alerts.defs(),
        dg.Definitions(executor=resources.executor()),
    )


def refresh_job_definition() -> dg.JobDefinition:
    """The refresh job, rebuilt in each process a multiprocess or Kubernetes executor starts
    (automation.execute_refresh names this function by module and name)."""
    return build_defs().resolve_job_def(automation.refresh_job.name)


defs = build_defs()
