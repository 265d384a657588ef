"""Documents as Dagster dynamic partitions, keyed by document_id; which ones a run targets is
planned by ingest.plan.plan_refresh."""

import dagster as dg

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")
