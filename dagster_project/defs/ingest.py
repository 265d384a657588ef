"""Ingest: find the report files in the inbox and register what each one is."""


from dataclasses import dataclass, field

import dagster as dg

from ..extraction.documents import DocumentText, read_document, scan_inbox
from ..extraction.records import IngestIssue
from ..warehouse.settings import settings


@dataclass
class Registry:
    """The documents that could be read, and why the others could not."""

    documents: list[DocumentText] = field(default_factory=list)
    issues: list[IngestIssue] = field(default_factory=list)


def build_registry(reports_dir) -> Registry:
    registry = Registry()
    for path in scan_inbox(reports_dir):
        try:
            result = read_document(path, reports_dir)
        except Exception as error:  # one unreadable file must never stop the others
            result = IngestIssue(path.name, "read_failed", f"{type(error).__name__}: {error}")
        if isinstance(result, IngestIssue):
            registry.issues.append(result)
        else:
            registry.documents.append(result)
            registry.issues.extend(result.issues)
    # two files with the same content are one document: keep the first name
    seen: dict[str, str] = {}
    unique = []
    for document in registry.documents:
        first = seen.get(document.meta.sha256)
        if first:
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


def _markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return "\n".join(lines)


@dg.asset(
    group_name="ingest",
    kinds={"python"},
    owners=["team:data-engineering"],
    description="Report files in REPORTS_DIR read and classified from their text: file name, sha256, size, "
    "region, document kind, report period and title. Unreadable files are listed with the reason.",
)
def report_documents(context: dg.AssetExecutionContext) -> Registry:
    reports_dir = settings().reports_dir
    registry = build_registry(reports_dir)
    documents = [
        [d.meta.document, d.meta.document_kind, d.meta.region_code, d.meta.period_start, d.meta.period_end,
         d.meta.line_count, d.meta.sha256[:12]]
        for d in registry.documents
    ]
    issues = [[i.file_name, i.reason_code, i.detail] for i in registry.issues]
    context.add_output_metadata(
        {
            "reports_dir": str(reports_dir),
            "documents": len(registry.documents),
            "ingest_issues": len(registry.issues),
            "registry": dg.MetadataValue.md(
                _markdown_table(["document", "kind", "region", "from", "to", "lines", "sha256"], documents)
            ),
            "issues": dg.MetadataValue.md(_markdown_table(["file", "reason", "detail"], issues) if issues else "none"),
        }
    )
    return registry


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[report_documents])
