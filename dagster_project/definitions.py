"""The one Dagster code location: ingest -> extract -> warehouse (raw + dbt) -> quality -> publish."""

from __future__ import annotations

import dagster as dg

from .defs import alerts, automation, extract, ingest, publish, quality, resources, warehouse


def build_defs() -> dg.Definitions:
    """All definitions, with resources pointing at the paths the environment names now."""
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


defs = build_defs()
