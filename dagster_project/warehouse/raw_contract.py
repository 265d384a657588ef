"""The raw layer's contract: which columns each record type becomes, and where each document
version's files live (see raw_layer.py for the layout)."""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from datetime import date
from functools import cache
from pathlib import Path

from ..extraction.records import (
    Assignment,
    DocumentMeta,
    Fact,
    GoalAssessment,
    IngestIssue,
    StatedCount,
    UnmappedNumber,
)
from .settings import PROJECT_ROOT

# ---------------------------------------------------------------- the contract: records -> columns

_SQL_TYPES = {str: "VARCHAR", int: "INTEGER", float: "DOUBLE", bool: "BOOLEAN", date: "DATE"}

# raw table -> (record type, columns added when written)
RAW_TABLES: dict[str, tuple[type, dict[str, str]]] = {
    "documents": (DocumentMeta, {"loaded_at": "TIMESTAMP", "extractor_version": "VARCHAR"}),
    "facts": (Fact, {"document_sha256": "VARCHAR"}),
    "goal_assessments": (GoalAssessment, {"document_sha256": "VARCHAR"}),
    "assignments": (Assignment, {"document_sha256": "VARCHAR"}),
    "stated_counts": (StatedCount, {"document_sha256": "VARCHAR"}),
    "unmapped_numbers": (UnmappedNumber, {"document_sha256": "VARCHAR"}),
    "ingest_issues": (IngestIssue, {"recorded_at": "TIMESTAMP"}),
}
# record tables of an extraction -> Extraction attribute
DOCUMENT_TABLES = {
    "facts": "facts",
    "goal_assessments": "goals",
    "assignments": "assignments",
    "stated_counts": "stated_counts",
    "unmapped_numbers": "unmapped",
}
HISTORY_EXTRA = {"loaded_at": "TIMESTAMP", "replaced_at": "TIMESTAMP"}
RETIRED_COLUMNS = {"document_id": "VARCHAR", "document": "VARCHAR", "retired_at": "TIMESTAMP"}


def _sql_type(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sql_type(inner[0])
    if origin is list:
        return "VARCHAR[]"
    return _SQL_TYPES[annotation]


def columns_of(record_type: type) -> dict[str, str]:
    hints = typing.get_type_hints(record_type)
    return {f.name: _sql_type(hints[f.name]) for f in dataclasses.fields(record_type)}


def table_columns(table: str) -> dict[str, str]:
    """Column -> DuckDB type of a raw table: the record's fields, then the columns added when written."""
    if table == "facts_history":
        return {**table_columns("facts"), **HISTORY_EXTRA}
    if table == "retired_documents":
        return dict(RETIRED_COLUMNS)
    record_type, extra = RAW_TABLES[table]
    return {**columns_of(record_type), **extra}


# every relation of the raw layer -> its folder under RAW_DATA_PATH
RAW_RELATIONS = {
    **{table: table for table in RAW_TABLES},
    "facts_history": "history/facts",
    "retired_documents": "retired",
}

# ---------------------------------------------------------------- names

_EXTRACTION_CODE = PROJECT_ROOT / "dagster_project" / "extraction"
# the seeds extraction reads: a change to any of them re-extracts every document
_EXTRACTION_SEEDS = tuple(
    PROJECT_ROOT / "seeds" / name
    for name in (
        "org_units.csv",
        "place_abbreviations.csv",
        "kpi_lexicon.csv",
        "kpi_measures.csv",
        "kpi_measure_kpis.csv",
    )
)


@cache
def extractor_version() -> str:
    """Hash of the extraction code and the seeds it reads: what makes two extractions comparable."""
    digest = hashlib.sha256()
    for path in sorted(_EXTRACTION_CODE.glob("*.py")) + [p for p in _EXTRACTION_SEEDS if p.exists()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def entry_key(document_id: str) -> str:
    """The file name stem of a document: at most 57 characters whatever the id. The prefix is for
    people; '--' cannot end it (settle splits names there), so it is cut at the first one."""
    digest = hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:16]
    prefix = document_id[:40].split("--")[0].replace("/", "_")
    return f"{prefix}-{digest}"


def version_key(source_fingerprint: str, extractor: str) -> str:
    """The version of a document's records: its content (file fingerprint) read by one extractor."""
    return hashlib.sha256(f"{source_fingerprint}|{extractor}".encode()).hexdigest()[:16]


def manifest_path(raw_dir: Path, document_id: str) -> Path:
    return Path(raw_dir) / "manifest" / f"{entry_key(document_id)}.json"


def table_path(raw_dir: Path, table: str, key: str, version: str) -> Path:
    return Path(raw_dir) / RAW_RELATIONS[table] / f"{key}--{version}.parquet"


def glob_of(raw_dir: Path, relation: str) -> str:
    return str(Path(raw_dir) / RAW_RELATIONS[relation] / "*.parquet")
