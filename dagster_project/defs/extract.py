"""Extract: facts, goal ratings, assignments and unmapped numbers from each new or changed document."""


import time
from dataclasses import dataclass, field

import dagster as dg
from dagster_duckdb import DuckDBResource

from ..extraction.pipeline import extract_document
from ..extraction.records import DocumentMeta, Extraction, IngestIssue
from ..warehouse.load import loaded_hashes
from .ingest import Registry, _markdown_table


class ExtractConfig(dg.Config):
    full_refresh: bool = False  # re-extract every document even when its hash is unchanged


@dataclass
class Extracted:
    """Extractions of the documents that are new or changed since the last load."""

    extractions: dict[str, tuple[DocumentMeta, Extraction]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    issues: list[IngestIssue] = field(default_factory=list)


def extract_changed(registry: Registry, known_hashes: dict[str, str], full_refresh: bool) -> Extracted:
    result = Extracted(issues=list(registry.issues))
    for document in registry.documents:
        meta = document.meta
        if not full_refresh and known_hashes.get(meta.document) == meta.sha256:
            result.unchanged.append(meta.document)
            continue
        try:
            result.extractions[meta.document] = (meta, extract_document(document))
        except Exception as error:  # a rule that breaks on one document must not stop the rest
            result.issues.append(
                IngestIssue(meta.document, "extraction_failed", f"{type(error).__name__}: {error}",
                            meta.sha256, meta.size_bytes)
            )
    return result


@dg.asset(
    group_name="extract",
    kinds={"python"},
    owners=["team:data-engineering"],
    description="KPI facts, goal ratings, assignments, stated counts and unmapped numbers extracted from the "
    "documents whose content hash differs from the loaded version (all of them on a full refresh).",
)
def document_extractions(
    context: dg.AssetExecutionContext, config: ExtractConfig, duckdb: DuckDBResource, report_documents: Registry
) -> Extracted:
    with duckdb.get_connection() as con:
        known = loaded_hashes(con)
    started = time.perf_counter()
    extracted = extract_changed(report_documents, known, config.full_refresh)
    seconds = time.perf_counter() - started
    rows = [
        [name, len(e.facts), len(e.goals), len(e.assignments), len(e.unmapped)]
        for name, (_, e) in sorted(extracted.extractions.items())
    ]
    context.add_output_metadata(
        {
            "extracted_documents": len(extracted.extractions),
            "extraction_seconds": round(seconds, 3),
            "unchanged_documents": len(extracted.unchanged),
            "facts": sum(r[1] for r in rows),
            "facts_per_document": dg.MetadataValue.json({r[0]: r[1] for r in rows}),
            "unmapped_numbers_per_document": dg.MetadataValue.json({r[0]: r[4] for r in rows}),
            "per_document": dg.MetadataValue.md(
                _markdown_table(["document", "facts", "goal ratings", "assignments", "unmapped numbers"], rows)
                if rows else "no new or changed documents"
            ),
        }
    )
    return extracted


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[document_extractions])
