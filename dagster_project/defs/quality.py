"""The quality gate: one asset check per GX suite in gx_suites.REGISTRY, each run once per refresh.

Each check reads its rows from the warehouse over a read-only DuckDB connection, validates them
a batch of documents at a time in an ephemeral GX context (only the documents whose rows changed
since the outcome cache in build/checks/gx_cache/ was written; every one in a full refresh run) and
reports a result rather than raising: failing rows are counted and sampled in the metadata. It
also leaves its outcome in build/checks/<suite>.json with the run's id: publishing writes marts.check_results from these
and refuses to publish while a blocking suite failed or did not run in this run. Blocking ERROR checks stop what is downstream of their asset (a
failed check alone would not fail the run, dagster#29896); WARN checks never block. Findings in
the source documents (a report that disagrees with itself) are data: the check passes and its
metadata counts and samples them, so a run does not say "did not pass" every month.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource
from duckdb import (
    BinderException,
    CatalogException,
    DuckDBPyConnection,
    IOException,
    connect,
)

from ..quality.check_results import outcome_from_json, outcome_to_json
from ..quality.gx_suites import REGISTRY, Severity, SuiteOutcome, evaluate
from ..warehouse.settings import settings
from .markdown import markdown_records
from .partitions import is_full_refresh

_SEVERITIES = {Severity.ERROR: dg.AssetCheckSeverity.ERROR, Severity.WARN: dg.AssetCheckSeverity.WARN}


@contextmanager
def read_only_connection(duckdb_resource: DuckDBResource) -> Iterator[DuckDBPyConnection]:
    """A read-only connection to the resource's database (the resource itself only opens read-write)."""
    con = connect(duckdb_resource.database, read_only=True, config=dict(duckdb_resource.connection_config))
    try:
        yield con
    finally:
        con.close()


def check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    """The Dagster view of a suite outcome: passed, severity, counts and sample offending rows."""
    failures = outcome.failures
    metadata: dict[str, Any] = {
        "rows_validated": outcome.row_count,
        "expectations": len(outcome.results),
        "expectations_failed": len(failures),
        "blocking": outcome.blocking,
        "summary": outcome.summary(),
        "unexpected_counts": dg.MetadataValue.json(
            {r.expectation: r.unexpected_count for r in outcome.results if r.unexpected_count is not None}
        ),
    }
    if outcome.documents_validated is not None:
        metadata["documents_validated"] = outcome.documents_validated
        metadata["documents_from_cache"] = outcome.documents_cached
    samples = [dict(expectation=r.expectation, **row) for r in failures for row in r.sample]
    if samples:
        metadata["sample_offending_rows"] = dg.MetadataValue.md(markdown_records(samples))
        metadata["sample_offending_rows_json"] = dg.MetadataValue.json(samples)
    if any(r.reports_findings for r in outcome.results):
        metadata["findings"] = outcome.finding_count
        found = [row for r in outcome.findings for row in r.sample]
        if found:
            metadata["sample_findings"] = dg.MetadataValue.md(markdown_records(found))
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=_SEVERITIES[outcome.severity],
        metadata=metadata,
        description=outcome.summary(),
    )


def outcomes_dir() -> Path:
    return settings().build_dir / "checks"


def record_outcome(outcome: SuiteOutcome, run_id: str, directory: Path | None = None) -> Path:
    directory = directory or outcomes_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{outcome.suite}.json"
    temp = directory / f".{outcome.suite}.{os.getpid()}.tmp"
    temp.write_text(json.dumps(outcome_to_json(outcome, run_id), ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)
    return target


def recorded_outcomes(run_id: str, directory: Path | None = None) -> tuple[list[SuiteOutcome], list[str]]:
    """The suites' outcomes recorded by this run's checks, and the suites that recorded none."""
    directory = directory or outcomes_dir()
    found, missing = [], []
    for suite in REGISTRY:
        try:
            data = json.loads((directory / f"{suite}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if data is None or data.get("run_id") != run_id:
            missing.append(suite)
        else:
            found.append(outcome_from_json(data))
    return found, missing


def run_check(
    suite: str, duckdb: DuckDBResource, use_cache: bool = True
) -> tuple[dg.AssetCheckResult, SuiteOutcome | None]:
    """Evaluate one suite on the resource's database; a missing table fails the check, not the run.
    use_cache=False validates every document again instead of reusing unchanged ones' outcomes."""
    spec = REGISTRY[suite]
    try:
        with read_only_connection(duckdb) as con:
            outcome = evaluate(con, suite, use_cache=use_cache)
    except (CatalogException, BinderException, IOException) as error:
        return dg.AssetCheckResult(
            passed=False,
            severity=_SEVERITIES[spec.severity],
            metadata={"error": f"{type(error).__name__}: {error}"},
            description=f"{suite}: could not read the warehouse",
        ), None
    return check_result(outcome), outcome


def _suite_check(suite: str) -> dg.AssetChecksDefinition:
    spec = REGISTRY[suite]

    @dg.asset_check(
        asset=dg.AssetKey(list(spec.asset)),
        name=suite,
        description=f"GX suite expectations/{suite}.json: {spec.description}",
        blocking=spec.blocking,
        additional_deps=[dg.AssetKey(list(key)) for key in spec.reads],
    )
    def _check(context, duckdb: DuckDBResource) -> dg.AssetCheckResult:
        # a full refresh judges every row afresh (and leaves a fresh outcome cache)
        result, outcome = run_check(suite, duckdb, use_cache=not is_full_refresh(context.run))
        if outcome is not None:
            record_outcome(outcome, context.run.run_id)
        return result

    return _check


QUALITY_CHECKS = [_suite_check(suite) for suite in REGISTRY]


def defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=QUALITY_CHECKS)
