"""Ingest: list the report files in the inbox, one per document, and register each document as a
partition. Which files are new or changed is decided by content hash; reading and classifying
them is the extraction's work, per document.

Ingest is the first step of every run, so it also takes the warehouse lock for the whole run
(the warehouse_lock resource: one writer at a time) and restores a lost raw layer from the
published warehouse before anything is read. What a run's inbox holds is ingest.registry's work;
Registry is this asset's output, which the extraction assets take as input."""

from pathlib import Path

import dagster as dg

from ..extraction.inbox import InboxError
from ..ingest.registry import Registry, build_registry
from ..warehouse.lock import LockBusy, warehouse_lock
from ..warehouse.restore import restore_raw_layer
from ..warehouse.settings import settings
from .markdown import markdown_table
from .partitions import DOCUMENTS, is_full_refresh


@dg.resource(
    description="The warehouse lock, held from the start of a run to its end (in-process executor): "
    "a second refresh, publish, rollback or retire waits LOCK_WAIT_SECONDS, then stops."
)
def warehouse_lock_resource(context):
    current = settings()
    try:
        with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "refresh"):
            yield str(current.warehouse_path)
    except LockBusy as busy:
        raise dg.Failure(description=str(busy)) from None


@dg.asset(
    group_name="ingest",
    kinds={"python"},
    required_resource_keys={"warehouse_lock"},
    owners=["team:data-engineering"],
    description="Report files in REPORTS_DIR, one per document (stable document_id, the latest delivery), each "
    "registered as a partition, with its content hash and whether it is new, changed or unchanged since its last "
    "extraction. Files with the same content as another are listed, not loaded twice.",
)
def report_documents(context: dg.AssetExecutionContext) -> Registry:
    current = settings()
    restored = restore_raw_layer(current)
    if restored:
        context.log.warning(
            f"the raw layer {current.raw_dir} was empty: {restored} document(s) and the history "
            "restored from the published warehouse"
        )
    try:
        registry = build_registry(current.reports_dir, current.raw_dir, everything=is_full_refresh(context.run))
    except InboxError as error:
        raise dg.Failure(description=f"{error}; nothing was read or published") from None
    # runs launched from the UI or CLI may come before a sensor registered a new document
    known = set(context.instance.get_dynamic_partitions(DOCUMENTS.name))
    new = [document_id for document_id in sorted(registry.paths) if document_id not in known]
    if new:
        context.instance.add_dynamic_partitions(DOCUMENTS.name, new)
    rows = [
        [
            document_id,
            Path(registry.paths[document_id]).name,
            registry.fingerprints[document_id][:16],
            "new" if document_id in new else "unchanged" if document_id in registry.unchanged else "changed",
        ]
        for document_id in sorted(registry.paths)
    ]
    issues = [[i.file_name, i.reason_code, i.detail] for i in [*registry.issues, *registry.refused.values()]]
    # run storage keeps every run's metadata: list changed documents first and at most a page of rows
    rows.sort(key=lambda row: row[3] == "unchanged")
    context.add_output_metadata(
        {
            "reports_dir": str(current.reports_dir),
            "documents": len(registry.paths),
            "documents_new_or_changed": len(registry.changed),
            "partitions_added": len(new),
            "ingest_issues": len(issues),
            "inbox": dg.MetadataValue.md(
                _capped_table(["document_id", "file", "fingerprint", "status"], rows) if rows else "empty inbox"
            ),
            "issues": dg.MetadataValue.md(_capped_table(["file", "reason", "detail"], issues) if issues else "none"),
        }
    )
    return registry


METADATA_ROWS = 50


def _capped_table(header: list[str], rows: list[list]) -> str:
    table = markdown_table(header, rows[:METADATA_ROWS])
    return table + (f"\n\n... and {len(rows) - METADATA_ROWS} more" if len(rows) > METADATA_ROWS else "")


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[report_documents], resources={"warehouse_lock": warehouse_lock_resource})
