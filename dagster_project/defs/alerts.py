"""A refresh that fails unattended (the monthly schedule, the inbox sensor, the UI) calls the
command the user set in ON_FAILURE_COMMAND, as `make warehouse` does for its own runs."""

import dagster as dg

from ..run_summary import call_failure_command
from .automation import refresh_job


@dg.run_failure_sensor(
    name="refresh_failure_command",
    monitored_jobs=[refresh_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs ON_FAILURE_COMMAND (if set) when a warehouse refresh fails, with the run's id and error.",
)
def refresh_failure_command(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    if run.tags.get("refresh/reported_by") == "cli":
        return dg.SkipReason("the command line that started the run reported its failure itself")
    message = context.failure_event.message or "the refresh failed"
    outcome = call_failure_command(message, None, run.run_id)
    context.log.info(f"ON_FAILURE_COMMAND: {outcome or 'not set'}")


def defs() -> dg.Definitions:
    return dg.Definitions(sensors=[refresh_failure_command])
