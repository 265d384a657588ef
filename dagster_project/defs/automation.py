"""Monthly schedule, inbox sensor and the refresh the CLI runs: new or changed reports refresh the
warehouse unattended. All three plan the run the same way (ingest.plan.plan_refresh).

Run storage is pruned to the newest KEEP_RUNS runs after every refresh (prune_runs): each run
keeps its event log (every partition's materialisation and metadata) and compute logs, and an
unattended monthly job would otherwise grow DAGSTER_HOME without end."""

import hashlib
import json

import dagster as dg

from ..ingest.plan import RefreshPlan, inbox_state, plan_refresh
from ..warehouse.lock import warehouse_lock
from ..warehouse.settings import SettingsError, extract_executor, settings
from .ingest import report_documents
from .partitions import DOCUMENTS, FULL_REFRESH_TAG
from .publish import kpi_report, prune_runs, published_warehouse
from .warehouse import raw_tables, warehouse_models

refresh_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Read the inbox, extract new or changed reports, load, build, validate and publish.",
)

# When no document changed, a run rebuilds and republishes without the partitioned extraction step.
DOWNSTREAM_OF_EXTRACTION = sorted(
    {
        key
        for assets in (report_documents, raw_tables, warehouse_models, published_warehouse, kpi_report)
        for key in assets.keys
    },
    key=lambda key: key.to_user_string(),
)


def _plan(instance: dg.DagsterInstance, everything: bool = False) -> RefreshPlan:
    current = settings()
    return plan_refresh(
        instance.get_dynamic_partitions(DOCUMENTS.name),
        current.reports_dir,
        current.raw_dir,
        everything=everything,
    )


def _run_request(plan: RefreshPlan, run_key: str | None) -> dg.RunRequest:
    return dg.RunRequest(
        run_key=run_key,
        tags={**plan.tags, "changed_documents": ",".join(plan.changed)[:200]},
        asset_selection=None if plan.changed else DOWNSTREAM_OF_EXTRACTION,
    )


@dg.schedule(
    name="monthly_refresh",
    job=refresh_job,
    cron_schedule="0 6 5 * *",  # 06:00 on the 5th: monthly reports arrive in the first days
    execution_timezone="Europe/Stockholm",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh the warehouse every month: extract what is new or changed, rebuild, publish.",
)
def monthly_refresh(context: dg.ScheduleEvaluationContext):
    plan = _plan(context.instance)
    if plan.new_partitions:  # schedules cannot return partition requests; the run needs them to exist
        context.instance.add_dynamic_partitions(DOCUMENTS.name, plan.new_partitions)
    return _run_request(plan, run_key=None)


@dg.sensor(
    name="report_inbox",
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a report appears in or changes in REPORTS_DIR (content hash decides).",
)
def report_inbox(context: dg.SensorEvaluationContext):
    state = inbox_state(settings().reports_dir)
    encoded = json.dumps(state, sort_keys=True)
    if context.cursor == encoded:
        return dg.SkipReason("no new or changed report files")
    previous = json.loads(context.cursor) if context.cursor else {}
    touched = sorted(name for name, value in state.items() if previous.get(name) != value)
    if not touched:
        context.update_cursor(encoded)
        return dg.SkipReason("only removals: documents stay in the warehouse until retired")
    plan = _plan(context.instance)
    context.update_cursor(encoded)
    if not plan.changed:
        return dg.SkipReason(f"{len(touched)} file(s) touched, none with new content")
    run_key = hashlib.sha256(encoded.encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[_run_request(plan, run_key)],
        dynamic_partitions_requests=[DOCUMENTS.build_add_request(plan.new_partitions)] if plan.new_partitions else [],
    )


def run_refresh(
    defs: dg.Definitions,
    instance: dg.DagsterInstance,
    *,
    full_refresh: bool = False,
    raise_on_error: bool = False,
    tags: dict[str, str] | None = None,
) -> tuple[RefreshPlan, dg.ExecuteInProcessResult]:
    """What `make warehouse` runs: plan, register new partitions, then one in-process run, all under
    the warehouse lock (a second refresh waits, then stops saying this one is running)."""
    current = settings()
    with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "refresh"):
        # a full refresh reads every document in the inbox again; the raw layer keeps the others
        plan = _plan(instance, everything=full_refresh)
        if plan.new_partitions:
            instance.add_dynamic_partitions(DOCUMENTS.name, plan.new_partitions)
        request = _run_request(plan, run_key=None)
        run_tags = {**request.tags, **(tags or {}), **({FULL_REFRESH_TAG: "true"} if full_refresh else {})}
        result = execute_refresh(defs, instance, run_tags, request.asset_selection, raise_on_error)
    prune_runs(instance, current.keep_runs)
    return plan, result


def execute_refresh(
    defs: dg.Definitions, instance: dg.DagsterInstance, tags: dict[str, str], asset_selection, raise_on_error: bool
):
    """Run the refresh job in this process (in_process), or through the configured executor, which
    needs a job it can rebuild in other processes and an instance that persists (DAGSTER_HOME)."""
    if extract_executor() == "in_process":
        return defs.resolve_job_def(refresh_job.name).execute_in_process(
            instance=instance, tags=tags, asset_selection=asset_selection, raise_on_error=raise_on_error
        )
    if instance.is_ephemeral:
        raise SettingsError(
            f"EXTRACT_EXECUTOR={extract_executor()} runs steps in other processes and needs a "
            "persistent Dagster instance (DAGSTER_HOME); this one is ephemeral"
        )
    # named by module and function, so this module need not import the code location that imports it
    job = dg.build_reconstructable_job("dagster_project.definitions", "refresh_job_definition")
    with dg.execute_job(
        job, instance, tags=tags, asset_selection=asset_selection, raise_on_error=raise_on_error
    ) as result:
        return result


def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[refresh_job], schedules=[monthly_refresh], sensors=[report_inbox])
