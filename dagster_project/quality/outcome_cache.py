"""The outcome cache of the GX suites: a suite's outcome per document, reused while the document's
rows and everything else that decides its outcome are unchanged (gx_suites.evaluate).

A document is one value of the suite's batch column; its digest (document_digests) covers every
value of its rows, and the cache key (cache_key) the suite's JSON, its parameters, its spec, the
query's columns and the versions of GX, pandas and DuckDB. One JSON file per suite and build file,
beside it (build/checks/gx_cache/), replaced atomically; a missing, corrupt, foreign or outdated
file means every document is validated again. It holds one entry per document (its outcome, with
at most SAMPLE_ROWS offending rows per expectation), never the rows themselves.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .outcomes import SAMPLE_ROWS, ExpectationOutcome, SuiteOutcome, SuiteSpec, utc_now

log = logging.getLogger(__name__)

# Bump when what the outcome cache stores changes. How an outcome is computed is covered by
# code_digest(): a change to this package's code invalidates every cached outcome by itself.
CACHE_FORMAT = 1


@functools.cache
def code_digest() -> str:
    """The quality package's own code: what turns rows into outcomes."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Document:
    """One value of a suite's batch column (None: the rows without one) and a digest of its rows."""

    value: Any
    rows: int
    digest: str


def document_digests(con: duckdb.DuckDBPyConnection, spec: SuiteSpec) -> list[Document]:
    """Each document of a suite's rows, in batch order (nulls last), with a digest of its rows.

    The digest is the row count and the sum of DuckDB's 64-bit hash of each whole row (a struct of
    every column, hashed by position; null and NaN hash apart, 0.0 and -0.0 alike, doubles by their
    exact value, timestamps to the microsecond): a changed value changes it but for a 2^-64 chance,
    whatever order the rows come in, and a row added twice counts twice. Not an md5 of the rows as
    sorted JSON text: that took 1.6 s for the 183k integrity rows, the hash 0.1 s. Column names
    and types, which the hash ignores, and DuckDB's version (its hash function) are in the cache key.
    """
    rows = con.sql(
        f'select suite_rows."{spec.batch_column}", count(*), sum(hash(suite_rows)::hugeint)::varchar '
        f"from ({spec.query}) as suite_rows group by 1 order by 1 nulls last"
    ).fetchall()
    return [Document(value, count, f"{count}:{total}") for value, count, total in rows]


def document_batches(documents: Sequence[Document], batch_rows: int) -> list[list[Any]]:
    """Batch values in batches of whole documents, about batch_rows rows each, in the given order;
    the rows without a value form one batch of their own."""
    batches: list[list[Any]] = []
    current: list[Any] = []
    size = 0
    valued = [d for d in documents if d.value is not None]
    for document in valued:
        current.append(document.value)
        size += document.rows
        if size >= batch_rows:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    if len(valued) < len(documents):
        batches.append([None])
    return batches


def cache_key(con: duckdb.DuckDBPyConnection, spec: SuiteSpec, suite: str, parameters: Mapping[str, Any]) -> str:
    """Everything besides a document's rows that decides its outcome: the suite's JSON text, its
    parameters, its spec, the columns its query gives, the versions of what validates."""
    relation = con.sql(spec.query)  # bound, not run: its columns and their types
    material = {
        "format": CACHE_FORMAT,
        "code": code_digest(),
        "versions": [importlib.metadata.version("great_expectations"), pd.__version__, duckdb.__version__],
        "suite": suite,
        "parameters": parameters,
        "spec": [spec.query, spec.order_by, spec.batch_column, spec.sample_columns, spec.findings_expectations],
        "sample_rows": SAMPLE_ROWS,
        "columns": [[column, str(kind)] for column, kind in zip(relation.columns, relation.types, strict=True)],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def database_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file the connection reads (None in memory)."""
    row = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
    return Path(row[0]).resolve() if row and row[0] else None


def cache_path(database: Path, name: str, directory: Path | None = None) -> Path:
    """build/checks/gx_cache/<suite>.<digest of the build file's path>.json: beside the build file
    (build_dir/checks, where the checks record their outcomes) and never shared by two of them."""
    tag = hashlib.sha256(str(database).encode()).hexdigest()[:12]
    return (directory or database.parent / "checks" / "gx_cache") / f"{name}.{tag}.json"


# batch value -> the document as it was validated, and its outcome
CachedDocuments = dict[Any, tuple[Document, SuiteOutcome]]


def _result_from_json(label: str, item: Any) -> ExpectationOutcome:
    success, count, sample, detail, findings = item
    if not (
        isinstance(success, bool)
        and (count is None or (isinstance(count, int) and not isinstance(count, bool)))
        and isinstance(sample, list)
        and isinstance(detail, str)
        and isinstance(findings, bool)
    ):
        raise ValueError(f"not an expectation outcome: {item!r}")
    return ExpectationOutcome(label, success, count, sample, detail, findings)


def read_cache(path: Path, database: Path, name: str, spec: SuiteSpec, key: str) -> CachedDocuments:
    """The cached documents of a suite; empty when the file is missing, unreadable, of another
    format, build file or key (then every document is validated)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data["format"], data["database"], data["suite"], data["key"]) != (CACHE_FORMAT, str(database), name, key):
            return {}
        labels = data["expectations"]
        cached: CachedDocuments = {}
        for value, rows, digest, results in data["documents"]:
            if len(results) != len(labels):
                raise ValueError(f"{len(results)} outcomes for {len(labels)} expectations")
            found = [_result_from_json(label, item) for label, item in zip(labels, results, strict=True)]
            outcome = SuiteOutcome(
                name,
                all(r.status != "failed" for r in found),
                spec.severity,
                spec.blocking,
                found,
                rows,
                utc_now(),
            )
            cached[value] = (Document(value, rows, digest), outcome)
        return cached
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("ignoring the GX outcome cache %s: %s: %s", path, type(error).__name__, error)
        return {}


def write_cache(path: Path, database: Path, name: str, key: str, documents: CachedDocuments) -> None:
    """Replace the cache file atomically; a cache that cannot be written only costs time next refresh."""
    labels = [r.expectation for _, outcome in list(documents.values())[:1] for r in outcome.results]
    data = {
        "format": CACHE_FORMAT,
        "database": str(database),
        "suite": name,
        "key": key,
        "expectations": labels,
        "documents": [
            [
                document.value,
                document.rows,
                document.digest,
                [[r.success, r.unexpected_count, r.sample, r.detail, r.reports_findings] for r in outcome.results],
            ]
            for document, outcome in documents.values()
        ],
    }
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        os.replace(temp, path)
    except OSError as error:
        log.warning("could not write the GX outcome cache %s: %s", path, error)
        temp.unlink(missing_ok=True)
