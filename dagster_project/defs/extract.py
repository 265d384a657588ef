"""Extract: facts, goal ratings, assignments and unmapped numbers of each new or changed document.

The asset is partitioned by document (partitions.DOCUMENTS). A run takes its partitions in one
go (single-run backfill policy: one process, no per-document start-up), extracts the documents
whose file changed, and writes one entry per document to the extraction store; the load step
moves them into DuckDB. Unchanged documents in the range are skipped.
"""


import time

import dagster as dg

from ..extraction.pipeline import extract_document
from ..extraction.records import IngestIssue
from ..warehouse import extraction_store
from ..warehouse.extraction_store import StoredExtraction
from ..warehouse.settings import settings
from .ingest import Registry
from .markdown import markdown_table
from .partitions import DOCUMENTS


def extract_partition(registry: Registry, document_id: str, store_dir) -> tuple[str, StoredExtraction | None]:
    """Extract one document into the store. Returns what happened and the entry written, if any."""
    version = extraction_store.extractor_version()
    file_name = registry.file_names.get(document_id)
    if file_name is None:
        return "not_in_inbox", None  # stays in the warehouse until retired
    if document_id in registry.unchanged:
        return "unchanged", None
    fingerprint = registry.fingerprints[document_id]
    document = registry.document(document_id)
    if document is None:  # refused at ingest: remember why, so an unchanged file is not retried
        issue = registry.issue_for(file_name) or IngestIssue(file_name, "not_read", "no readable report text")
        entry = StoredExtraction(document_id, file_name, fingerprint, version, failure=issue)
        extraction_store.save(store_dir, entry)
        return "refused", entry
    try:
        extraction = extract_document(document)
        entry = StoredExtraction(document_id, file_name, fingerprint, version, meta=document.meta, extraction=extraction)
        outcome = "extracted"
    except Exception as error:  # a rule that breaks on one document must not stop the rest
        issue = IngestIssue(file_name, "extraction_failed", f"{type(error).__name__}: {error}",
                            document.meta.sha256, document.meta.size_bytes)
        entry = StoredExtraction(document_id, file_name, fingerprint, version, meta=document.meta, failure=issue)
        outcome = "failed"
    extraction_store.save(store_dir, entry)
    return outcome, entry


@dg.asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    partitions_def=DOCUMENTS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    description="Per document (partition = document_id): KPI facts, goal ratings, assignments, stated counts and "
    "unmapped numbers, extracted when the file's content hash or the extractor changed, written to the "
    "extraction store (build/extractions).",
)
def document_extractions(context: dg.AssetExecutionContext, report_documents: Registry) -> dg.MaterializeResult:
    store_dir = extraction_store.store_dir(settings().build_dir)
    rows, outcomes = [], {}
    started = time.perf_counter()
    for document_id in context.partition_keys:
        outcome, entry = extract_partition(report_documents, document_id, store_dir)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        extraction = entry.extraction if entry else None
        rows.append([
            document_id, outcome,
            len(extraction.facts) if extraction else "", len(extraction.goals) if extraction else "",
            len(extraction.assignments) if extraction else "", len(extraction.unmapped) if extraction else "",
            entry.failure.reason_code if entry and entry.failure else "",
        ])
    seconds = time.perf_counter() - started
    extracted = outcomes.get("extracted", 0)
    return dg.MaterializeResult(
        metadata={
            "partitions": len(rows),
            "extracted_documents": extracted,
            "extraction_seconds": round(seconds, 3),
            "seconds_per_extracted_document": round(seconds / extracted, 3) if extracted else 0.0,
            "outcomes": dg.MetadataValue.json(outcomes),
            "extractor_version": extraction_store.extractor_version(),
            "facts": sum(r[2] for r in rows if isinstance(r[2], int)),
            "per_document": dg.MetadataValue.md(markdown_table(
                ["document_id", "outcome", "facts", "goal ratings", "assignments", "unmapped numbers", "reason"], rows
            )),
        }
    )


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[document_extractions])
