"""Publish: the quality gate's outcomes into marts.check_results, then the build published as one
step: the file WAREHOUSE_PATH replaced atomically, or one DuckLake snapshot (WAREHOUSE_TARGET)."""

import shutil
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ..child_process import run_in_child
from ..quality.check_results import write_check_results
from ..quality.gx_suites import REGISTRY
from ..warehouse.publish import PublishError, last_rollback, publish, published_versions
from ..warehouse.settings import settings
from .quality import recorded_outcomes
from .warehouse import WRITER_POOL, warehouse_models

# Publishing waits for every mart the BI tools read.
MART_KEYS = [key for key in warehouse_models.keys if key.path[0] == "marts"]


def _published_location(current) -> str:
    from ..warehouse.lake import published_location

    return published_location(current)


@dg.asset(
    group_name="publish",
    deps=MART_KEYS,
    kinds={"duckdb"},
    owners=["team:data-engineering"],
    pool=WRITER_POOL,
    description="The warehouse BI tools open. Built in a separate file, validated by the quality gate (the "
    "Great Expectations asset checks; schema and range breaches block), then published in one step: renamed "
    "over WAREHOUSE_PATH, or committed as one DuckLake snapshot; source inconsistencies are published as "
    "findings and never block. Earlier versions kept for rollback.",
)
def published_warehouse(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    current = settings()
    location = _published_location(current)
    outcomes, missing = recorded_outcomes(context.run.run_id)
    with duckdb.get_connection() as con:
        write_check_results(con, outcomes)
    blocking = [o for o in outcomes if o.blocking and not o.success]
    unchecked = [suite for suite in missing if REGISTRY[suite].blocking]
    if blocking or unchecked:
        details = "; ".join([o.describe() for o in blocking] + [f"{s}: did not run in this run" for s in unchecked])
        raise dg.Failure(
            description=f"Not published: blocking checks failed on {current.build_path}: {details}. "
            f"The published warehouse ({location}) is unchanged.",
            metadata={"failed_suites": [o.suite for o in blocking] + unchecked},
        )
    try:
        if current.target == "ducklake":
            from ..warehouse import lake

            rolled_back = lake.last_rollback(current)
            counts = lake.publish(current.build_path, current, allow_shrink=current.allow_shrink)
        else:
            rolled_back = last_rollback(current.warehouse_path)
            counts = publish(current.build_path, current.warehouse_path, current.keep_published)
    except PublishError as error:
        raise dg.Failure(description=str(error)) from None
    if rolled_back:
        context.log.warning(
            f"republished after the rollback to {rolled_back['restored']} at {rolled_back['at']}: "
            "this version holds again what the inbox holds beyond it"
        )
    pruned = prune_runs(context.instance, current.keep_runs)
    return dg.MaterializeResult(
        metadata={
            "path": location,
            "kpi_observations": counts["marts.kpi_observations"],
            "checks": dg.MetadataValue.json({o.suite: o.success for o in outcomes}),
            "kept_versions": len(published_versions(current.warehouse_path))
            if current.target == "file"
            else current.keep_published,
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
    # with a DuckLake target the build file is what was just committed, and a file the report can open
    source = current.warehouse_path if current.target == "file" else current.build_path
    # rendered in a short-lived process: the report reads every row of the warehouse, and that memory
    # would otherwise stay with the long-running Dagster process
    written = run_in_child(render_reports, source, out, current.reports_dir)
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
