"""Documents as Dagster dynamic partitions, keyed by document_id; which ones a run targets is
planned by ingest.plan.plan_refresh."""

import dagster as dg

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")

# A run with this tag set to "true" reads every document again, loads the seeds again and validates
# every row again (the checks ignore their outcome cache); `make warehouse FULL_REFRESH=1` sets it
# (automation.run_refresh).
FULL_REFRESH_TAG = "refresh/full"


def is_full_refresh(run: dg.DagsterRun) -> bool:
    return run.tags.get(FULL_REFRESH_TAG) == "true"
