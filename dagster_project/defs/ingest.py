"""Ingest: find the report files in the inbox, register each document as a partition, and read
the new or changed ones (what each one is: kind, region, period)."""


from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from ..extraction.documents import DocumentText, read_document
from ..extraction.records import IngestIssue
from ..warehouse import extraction_store
from ..warehouse.settings import settings
from .markdown import markdown_table
from .partitions import DOCUMENTS, is_current, read_inbox


@dataclass
class Registry:
    """The inbox this run: documents read (new or changed), why other files could not be used,
    and which documents were unchanged and so not read at all."""

    documents: list[DocumentText] = field(default_factory=list)
    issues: list[IngestIssue] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)  # document_id -> file fingerprint
    file_names: dict[str, str] = field(default_factory=dict)  # document_id -> file name
    unchanged: list[str] = field(default_factory=list)  # document ids

    def document(self, document_id: str) -> DocumentText | None:
        return next((d for d in self.documents if d.meta.document_id == document_id), None)

    def issue_for(self, file_name: str) -> IngestIssue | None:
        return next((i for i in self.issues if i.file_name == file_name and i.is_fatal), None)


def build_registry(reports_dir: Path, store_dir: Path | None = None) -> Registry:
    """Read the inbox; with a store, files whose extraction is current there are not read again."""
    registry = Registry()
    inbox = read_inbox(reports_dir)
    for old, kept in inbox.superseded.items():
        registry.issues.append(
            IngestIssue(old.name, "superseded_version",
                        f"same document ({kept.document_id}) as the later file {kept.path.name}, which is loaded",
                        is_fatal=True)
        )
    for document_id, entry in sorted(inbox.files.items()):
        registry.fingerprints[document_id] = entry.fingerprint
        registry.file_names[document_id] = entry.path.name
        if store_dir is not None and is_current(store_dir, entry):
            registry.unchanged.append(document_id)
            continue
        try:
            result = read_document(entry.path, reports_dir)
        except Exception as error:  # one unreadable file must never stop the others
            result = IngestIssue(entry.path.name, "read_failed", f"{type(error).__name__}: {error}")
        if isinstance(result, IngestIssue):
            registry.issues.append(result)
        else:
            registry.documents.append(result)
            registry.issues.extend(result.issues)
    # two files with the same content are one document: keep the first name
    seen: dict[str, str] = {}
    if store_dir is not None:  # including documents read in earlier runs
        seen = {e.source_fingerprint: e.file_name for e in extraction_store.load_all(store_dir)
                if e.loadable and e.document_id in registry.unchanged}
    unique = []
    for document in registry.documents:
        first = seen.get(document.meta.sha256)
        if first and first != document.meta.document:
            registry.issues.append(
                IngestIssue(document.meta.document, "duplicate_content",
                            f"same content (sha256 {document.meta.sha256[:12]}) as {first}; loaded once",
                            document.meta.sha256, document.meta.size_bytes, is_fatal=True)
            )
            continue
        seen[document.meta.sha256] = document.meta.document
        unique.append(document)
    registry.documents = unique
    return registry


@dg.asset(
    group_name="ingest",
    kinds={"python"},
    owners=["team:data-engineering"],
    description="Report files in REPORTS_DIR: each document (stable document_id) is registered as a partition; "
    "new or changed files are read and classified from their text (kind, region, period, title); unreadable "
    "files are listed with the reason. Unchanged files are not read again.",
)
def report_documents(context: dg.AssetExecutionContext) -> Registry:
    current = settings()
    registry = build_registry(current.reports_dir, extraction_store.store_dir(current.build_dir))
    # runs launched from the UI or CLI may come before a sensor registered a new document
    known = set(context.instance.get_dynamic_partitions(DOCUMENTS.name))
    new = [document_id for document_id in registry.fingerprints if document_id not in known]
    if new:
        context.instance.add_dynamic_partitions(DOCUMENTS.name, new)
    documents = [
        [d.meta.document_id, d.meta.document, d.meta.document_kind, d.meta.region_code, d.meta.period_start,
         d.meta.period_end, d.meta.line_count, d.meta.sha256[:12]]
        for d in registry.documents
    ]
    issues = [[i.file_name, i.reason_code, i.detail] for i in registry.issues]
    context.add_output_metadata(
        {
            "reports_dir": str(current.reports_dir),
            "documents_read": len(registry.documents),
            "documents_unchanged": len(registry.unchanged),
            "partitions_added": len(new),
            "ingest_issues": len(registry.issues),
            "registry": dg.MetadataValue.md(
                markdown_table(["document_id", "file", "kind", "region", "from", "to", "lines", "sha256"], documents)
                if documents else "no new or changed documents"
            ),
            "issues": dg.MetadataValue.md(markdown_table(["file", "reason", "detail"], issues) if issues else "none"),
        }
    )
    return registry


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[report_documents])
