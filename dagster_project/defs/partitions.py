"""Documents as Dagster dynamic partitions, keyed by document_id; which ones a run targets is
planned by ingest.plan.plan_refresh."""

import dagster as dg

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")

# A run with this tag reads every document of the inbox again (and loads the seeds again)
FULL_REFRESH_TAG = "refresh/full"
