"""Monthly schedule, inbox sensor and the refresh the CLI runs: new or changed reports refresh the
warehouse unattended. All three plan the run the same way (ingest.plan.plan_refresh).

Run storage is pruned to the newest KEEP_RUNS runs after every refresh (prune_runs): each run
keeps its event log (every partition's materialisation and metadata) and compute logs, and an
unattended monthly job would otherwise grow DAGSTER_HOME without end."""


import hashlib
import json
import shutil

import dagster as dg

from ..ingest.plan import RefreshPlan, inbox_state, plan_refresh
from ..warehouse import extraction_store
from ..warehouse.lock import warehouse_lock
from ..warehouse.settings import settings
from .ingest import report_documents
from .partitions import DOCUMENTS
from .publish import kpi_report, prune_runs, published_warehouse
from .warehouse import raw_tables, warehouse_models

refresh_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Read the inbox, extract new or changed reports, load, build, validate and publish.",
)

# When no document changed, a run rebuilds and republishes without the partitioned extraction step.
DOWNSTREAM_OF_EXTRACTION = sorted(
    {key for assets in (report_documents, raw_tables, warehouse_models, published_warehouse, kpi_report)
     for key in assets.keys},
    key=lambda key: key.to_user_string(),
)


def _plan(instance: dg.DagsterInstance) -> RefreshPlan:
    current = settings()
    return plan_refresh(
        instance.get_dynamic_partitions(DOCUMENTS.name),
        current.reports_dir,
        extraction_store.store_dir(current.build_dir),
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
    defs: dg.Definitions, instance: dg.DagsterInstance, *, full_refresh: bool = False, raise_on_error: bool = False,
    tags: dict[str, str] | None = None,
) -> tuple[RefreshPlan, dg.ExecuteInProcessResult]:
    """What `make warehouse` runs: plan, register new partitions, then one in-process run, all under
    the warehouse lock (a second refresh waits, then stops saying this one is running)."""
    current = settings()
    with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "refresh"):
        if full_refresh:  # the store is derived from the inbox; without it every document is extracted again
            shutil.rmtree(extraction_store.store_dir(current.build_dir), ignore_errors=True)
        plan = _plan(instance)
        if plan.new_partitions:
            instance.add_dynamic_partitions(DOCUMENTS.name, plan.new_partitions)
        request = _run_request(plan, run_key=None)
        result = defs.resolve_job_def(refresh_job.name).execute_in_process(
            instance=instance,
            tags={**request.tags, **(tags or {})},
            asset_selection=request.asset_selection,
            raise_on_error=raise_on_error,
        )
    prune_runs(instance, current.keep_runs)
    return plan, result


def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[refresh_job], schedules=[monthly_refresh], sensors=[report_inbox])
