"""Monthly schedule and inbox sensor: new or changed reports refresh the warehouse unattended."""


import hashlib
import json

import dagster as dg

from ..warehouse.settings import settings

refresh_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Read the inbox, extract new or changed reports, load, build, validate and publish.",
)

monthly_refresh = dg.ScheduleDefinition(
    name="monthly_refresh",
    job=refresh_job,
    cron_schedule="0 6 5 * *",  # 06:00 on the 5th: monthly reports arrive in the first days
    execution_timezone="Europe/Stockholm",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh the warehouse every month.",
)


def inbox_state(reports_dir) -> dict[str, list]:
    """File name -> [size, mtime_ns]: enough to notice a new or replaced report without reading it."""
    state = {}
    if not reports_dir.is_dir():
        return state
    for path in sorted(reports_dir.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        stat = path.stat()
        state[path.name] = [stat.st_size, stat.st_mtime_ns]
    return state


@dg.sensor(
    name="report_inbox",
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a report appears in or changes in REPORTS_DIR.",
)
def report_inbox(context: dg.SensorEvaluationContext):
    state = inbox_state(settings().reports_dir)
    encoded = json.dumps(state, sort_keys=True)
    if context.cursor == encoded:
        return dg.SkipReason("no new or changed report files")
    previous = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(name for name, value in state.items() if previous.get(name) != value)
    context.update_cursor(encoded)
    if not changed:
        return dg.SkipReason("only removals: documents stay in the warehouse until retired")
    run_key = hashlib.sha256(encoded.encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=run_key, tags={"changed_files": ",".join(changed)[:200]})


def defs() -> dg.Definitions:
    return dg.Definitions(jobs=[refresh_job], schedules=[monthly_refresh], sensors=[report_inbox])
