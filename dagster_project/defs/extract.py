"""Extract: facts, goal ratings, assignments and unmapped numbers of each new or changed document.

The asset is partitioned by document (partitions.DOCUMENTS). A run takes its partitions in one
go (single-run backfill policy: no per-document run start-up) and fans the new or changed
documents out into batches, one step each (dynamic outputs): under the in-process executor the
batches run one after another, each over EXTRACT_WORKERS worker processes; under the multiprocess
executor side by side; under the Kubernetes job executor each batch is a pod. Every worker writes
its document's Parquet files to the raw layer itself (no lock), and the last step refuses copies
of content across batches and reports. Unchanged documents in the range are skipped.
"""

import time
import warnings

import dagster as dg

from ..warehouse import raw_layer
from ..warehouse.extract_batch import Summary, Task, extract_all, refuse_duplicate_content, worker_count
from ..warehouse.settings import extract_batches, extract_executor, settings
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
            tasks.append(
                Task(
                    document_id,
                    registry.paths[document_id],
                    registry.reports_dir,
                    registry.fingerprints[document_id],
                    str(store_dir),
                    registry.refused.get(document_id),
                )
            )
    return tasks, skipped


def split(tasks: list[Task], batches: int) -> list[list[Task]]:
    """At most `batches` batches of about equal size, in task order (round-robin would mix the order
    duplicate refusal relies on; contiguous slices keep it)."""
    if not tasks:
        return []
    count = max(1, min(batches, len(tasks)))
    size, extra = divmod(len(tasks), count)
    result, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        result.append(tasks[start:end])
        start = end
    return result


def batch_count() -> int:
    """One batch in process (its worker pool uses the cores); several when steps run side by side."""
    return 1 if extract_executor() == "in_process" else extract_batches()


@dg.op(out=dg.DynamicOut(), description="The new or changed documents of the run's partitions, in batches.")
def plan_extraction(context: dg.OpExecutionContext, report_documents: Registry):
    tasks, skipped = tasks_for(report_documents, context.partition_keys, settings().raw_dir)
    context.log.info(f"{len(tasks)} document(s) to extract, {len(skipped)} skipped")
    batches = split(tasks, batch_count())
    if not batches:
        yield dg.DynamicOutput({"tasks": [], "skipped": skipped}, mapping_key="batch_0")
    for index, batch in enumerate(batches):
        yield dg.DynamicOutput({"tasks": batch, "skipped": skipped if index == 0 else {}}, mapping_key=f"batch_{index}")


@dg.op(description="Read and extract one batch of documents into the raw layer (worker processes).")
def extract_documents(context: dg.OpExecutionContext, batch: dict) -> dict:
    started = time.perf_counter()
    # duplicates across batches are refused once all are done (collect_extractions)
    summaries = list(extract_all(batch["tasks"], refuse_duplicates=False))
    context.log.info(f"extracted {len(summaries)} document(s) in {time.perf_counter() - started:.1f} s")
    return {
        "summaries": summaries,
        "skipped": batch["skipped"],
        "seconds": time.perf_counter() - started,
        "workers": worker_count(len(batch["tasks"])) if batch["tasks"] else 0,
    }


@dg.op(description="Refuse the same content under two names, then report the run's extraction.")
def collect_extractions(context: dg.OpExecutionContext, batches: list[dict]) -> None:
    store_dir = settings().raw_dir
    summaries: list[Summary] = refuse_duplicate_content([s for batch in batches for s in batch["summaries"]], store_dir)
    skipped = {k: v for batch in batches for k, v in batch["skipped"].items()}
    seconds = sum(batch["seconds"] for batch in batches)
    outcomes: dict[str, int] = {}
    for outcome in [s.outcome for s in summaries] + list(skipped.values()):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    extracted = [s for s in summaries if s.outcome == "extracted"]
    if summaries:  # the whole table once, in the run's log; the metadata below is copied per partition
        context.log.info("per document:\n" + markdown_records([s.row() for s in summaries]))
    context.add_output_metadata(
        {
            "partitions": len(context.partition_keys),
            "extracted_documents": len(extracted),
            "extraction_seconds": round(seconds, 3),
            "seconds_per_extracted_document": round(seconds / len(extracted), 3) if extracted else 0.0,
            "batches": len(batches),
            "workers": sum(batch["workers"] for batch in batches),
            "executor": extract_executor(),
            "outcomes": dg.MetadataValue.json(outcomes),
            "extractor_version": raw_layer.extractor_version(),
            "facts": sum(s.facts or 0 for s in summaries),
            "per_document": dg.MetadataValue.md(_per_document(summaries)),
        }
    )  # no value: the raw layer holds the result (an IO manager cannot store one value per partition)


@dg.graph_asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    partitions_def=DOCUMENTS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    description="Per document (partition = document_id): the file read and classified (kind, region, period), then "
    "KPI facts, goal ratings, assignments, stated counts and unmapped numbers extracted when its content hash or "
    "the extractor changed, written as Parquet files to the raw layer (RAW_DATA_PATH), in batches that run in "
    "one process, side by side, or as Kubernetes jobs (EXTRACT_EXECUTOR).",
)
def document_extractions(report_documents: Registry):
    return collect_extractions(plan_extraction(report_documents).map(extract_documents).collect())


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
    more = (
        f"\n\n... and {len(failed) - PER_DOCUMENT_ROWS} more (see the run log)"
        if len(failed) > PER_DOCUMENT_ROWS
        else ""
    )
    return markdown_records(rows) + more


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[document_extractions])
