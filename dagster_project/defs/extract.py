"""Extract: facts, goal ratings, assignments and unmapped numbers of each new or changed document.

The asset is partitioned by document (partitions.DOCUMENTS). A run takes its partitions in one
go (single-run backfill policy: one step, no per-document start-up), reads and extracts the
documents whose file changed, in parallel worker processes, and writes one entry per document
to the extraction store; the load step moves them into DuckDB. Unchanged documents in the range
are skipped.
"""


import time
import warnings

import dagster as dg

from ..warehouse import extraction_store
from ..warehouse.extract_batch import Task, extract_all, worker_count
from ..warehouse.settings import settings
from .ingest import Registry
from .markdown import markdown_records
from .partitions import DOCUMENTS

# backfill_policy is marked beta; the single-run policy is all this asset uses, and the tests cover it.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)


def tasks_for(registry: Registry, document_ids, store_dir) -> tuple[list[Task], dict[str, str]]:
    """Extraction tasks for the new or changed documents among `document_ids`; the others' reason."""
    tasks, skipped = [], {}
    for document_id in document_ids:
        if document_id not in registry.paths:
            skipped[document_id] = "not_in_inbox"  # stays in the warehouse until retired
        elif document_id in registry.unchanged:
            skipped[document_id] = "unchanged"
        else:
            tasks.append(Task(document_id, registry.paths[document_id], registry.reports_dir,
                              registry.fingerprints[document_id], str(store_dir), registry.refused.get(document_id)))
    return tasks, skipped


@dg.asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    partitions_def=DOCUMENTS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    description="Per document (partition = document_id): the file read and classified (kind, region, period), then "
    "KPI facts, goal ratings, assignments, stated counts and unmapped numbers extracted when its content hash or "
    "the extractor changed, written to the extraction store (build/extractions).",
)
def document_extractions(context: dg.AssetExecutionContext, report_documents: Registry) -> dg.MaterializeResult:
    store_dir = extraction_store.store_dir(settings().build_dir)
    tasks, skipped = tasks_for(report_documents, context.partition_keys, store_dir)
    started = time.perf_counter()
    summaries = list(extract_all(tasks))
    seconds = time.perf_counter() - started
    outcomes: dict[str, int] = {}
    for outcome in [s.outcome for s in summaries] + list(skipped.values()):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    extracted = [s for s in summaries if s.outcome == "extracted"]
    if summaries:  # the whole table once, in the run's log; the metadata below is copied per partition
        context.log.info("per document:\n" + markdown_records([s.row() for s in summaries]))
    return dg.MaterializeResult(
        metadata={
            "partitions": len(context.partition_keys),
            "extracted_documents": len(extracted),
            "extraction_seconds": round(seconds, 3),
            "seconds_per_extracted_document": round(seconds / len(extracted), 3) if extracted else 0.0,
            "workers": worker_count(len(tasks)) if tasks else 0,
            "outcomes": dg.MetadataValue.json(outcomes),
            "extractor_version": extraction_store.extractor_version(),
            "facts": sum(s.facts or 0 for s in summaries),
            "per_document": dg.MetadataValue.md(_per_document(summaries)),
        }
    )


# Dagster copies an asset's metadata into the materialisation event of every partition in the run:
# a table of all 2 000 documents in each of 2 000 events made run storage grow by 1.1 GB a run.
# The metadata lists only documents that gave no extraction, a few of them; the log has them all.
PER_DOCUMENT_ROWS = 5


def _per_document(summaries) -> str:
    """Documents that gave no extraction, at most PER_DOCUMENT_ROWS of them, with their reason."""
    failed = [s for s in summaries if s.outcome != "extracted"]
    if not failed:
        return f"all {len(summaries)} extracted (see the run log)" if summaries else "no new or changed documents"
    rows = [{"file": s.file_name[:80], "outcome": s.outcome, "reason": s.reason} for s in failed[:PER_DOCUMENT_ROWS]]
    more = f"\n\n... and {len(failed) - PER_DOCUMENT_ROWS} more (see the run log)" if len(failed) > PER_DOCUMENT_ROWS else ""
    return markdown_records(rows) + more


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[document_extractions])
