"""Publish: validate the build file with the blocking checks, then atomically replace WAREHOUSE_PATH."""


import shutil
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ..quality.gx_suites import run_registered_suites, write_check_results
from ..warehouse.publish import PublishError, last_rollback, publish, published_versions
from ..warehouse.settings import settings
from .warehouse import warehouse_models

# Publishing waits for every mart the BI tools read.
MART_KEYS = [key for key in warehouse_models.keys if key.path[0] == "marts"]


@dg.asset(
    group_name="publish",
    deps=MART_KEYS,
    kinds={"duckdb"},
    owners=["team:data-engineering"],
    description="The warehouse BI tools open. Built in a separate file, validated by the blocking Great "
    "Expectations suites (schema and range breaches), then renamed over WAREHOUSE_PATH in one step; "
    "source inconsistencies are published as findings and never block. Earlier versions kept for rollback.",
)
def published_warehouse(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    current = settings()
    with duckdb.get_connection() as con:
        outcomes = run_registered_suites(con)
        write_check_results(con, outcomes)
    blocking = [o for o in outcomes if o.blocking and not o.success]
    if blocking:
        details = "; ".join(o.describe() for o in blocking)
        raise dg.Failure(
            description=f"Not published: blocking checks failed on {current.build_path}: {details}. "
            f"The published warehouse {current.warehouse_path} is unchanged.",
            metadata={"failed_suites": [o.suite for o in blocking]},
        )
    rolled_back = last_rollback(current.warehouse_path)
    try:
        counts = publish(current.build_path, current.warehouse_path, current.keep_published)
    except PublishError as error:
        raise dg.Failure(description=str(error)) from None
    if rolled_back:
        context.log.warning(f"republished after the rollback to {rolled_back['restored']} at {rolled_back['at']}: "
                            "this version holds again what the inbox holds beyond it")
    pruned = prune_runs(context.instance, current.keep_runs)
    return dg.MaterializeResult(
        metadata={
            "path": str(current.warehouse_path),
            "kpi_observations": counts["marts.kpi_observations"],
            "checks": dg.MetadataValue.json({o.suite: o.success for o in outcomes}),
            "kept_versions": len(published_versions(current.warehouse_path)),
            "republished_after_rollback": rolled_back["restored"] if rolled_back else "no",
            "runs_pruned": len(pruned),
        }
    )


@dg.asset(
    group_name="publish",
    deps=[published_warehouse],
    kinds={"html"},
    owners=["team:data-engineering"],
    description="Static HTML report that works offline: a trend page per KPI across every report, a page "
    "per report (headline KPIs, charts, goal ratings), every finding on one page; every number linked to "
    "its document line. Read from the published warehouse.",
)
def kpi_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from ..report.render import render_reports

    current = settings()
    out = current.build_dir / "report"
    written = render_reports(current.warehouse_path, out, reports_dir=current.reports_dir)
    index = out / "index.html"
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.url(index.as_uri()),
            "pages": len(written),
            "docs": "make docs builds dbt docs and the check results page into build/docs",
        }
    )


_FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]


def prune_runs(instance: dg.DagsterInstance, keep: int) -> list[str]:
    """Delete all but the newest `keep` finished runs: their event logs and compute logs.

    Runs still queued or running are never touched. Asset materialisations recorded by deleted
    runs leave the UI's history with them; the warehouse itself does not depend on them (the
    extraction store and DuckDB decide what is current)."""
    finished = instance.get_runs(filters=dg.RunsFilter(statuses=_FINISHED))  # newest first
    removed = []
    shard_path = getattr(instance.event_log_storage, "path_for_shard", None)  # SQLite keeps a file per run
    for run in finished[keep:]:
        instance.delete_run(run.run_id)
        removed.append(run.run_id)
        if shard_path is not None:  # delete_run empties the run's event file but leaves it on disk
            for suffix in ("", "-wal", "-shm"):
                Path(shard_path(run.run_id) + suffix).unlink(missing_ok=True)
        if instance.root_directory:
            shutil.rmtree(Path(instance.root_directory) / "storage" / run.run_id, ignore_errors=True)
    return removed


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[published_warehouse, kpi_report])
