"""Asset checks: one per GX suite (dagster_project/quality/gx_suites.py).

Each check reads its rows from the warehouse over a read-only DuckDB connection, validates them
in an ephemeral GX context and reports a result rather than raising: failing rows are counted
and sampled in the metadata. Blocking ERROR checks stop what is downstream of their asset (a
failed check alone would not fail the run, dagster#29896); WARN checks never block. Findings in
the source documents (a report that disagrees with itself) are data: the check passes and its
metadata counts and samples them, so a run does not say "did not pass" every month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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

from ..quality.gx_suites import REGISTRY, Severity, SuiteOutcome, evaluate
from .markdown import markdown_records

# suite -> (asset it checks, other assets whose tables it reads)
CHECKED_ASSETS: dict[str, tuple[dg.AssetKey, tuple[dg.AssetKey, ...]]] = {
    "kpi_observations_schema": (dg.AssetKey(["marts", "kpi_observations"]), ()),
    "integrity_rules": (dg.AssetKey(["marts", "kpi_observations"]), (dg.AssetKey(["marts", "consistency_rule_instances"]),)),
    "consistency_rules": (dg.AssetKey(["marts", "consistency_findings"]), (dg.AssetKey(["marts", "consistency_rule_instances"]),)),
    "documents_extracted": (dg.AssetKey(["marts", "dim_document"]), (dg.AssetKey(["marts", "fct_kpi_observation"]),)),
}

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


def _suite_check(suite: str) -> dg.AssetChecksDefinition:
    spec = REGISTRY[suite]
    asset_key, reads = CHECKED_ASSETS[suite]

    @dg.asset_check(
        asset=asset_key,
        name=suite,
        description=f"GX suite expectations/{suite}.json: {spec.description}",
        blocking=spec.blocking,
        additional_deps=list(reads),
    )
    def _check(duckdb: DuckDBResource) -> dg.AssetCheckResult:
        try:
            with read_only_connection(duckdb) as con:
                outcome = evaluate(con, suite)
        # a missing table fails the check; it does not crash the run
        except (CatalogException, BinderException, IOException) as error:
            return dg.AssetCheckResult(
                passed=False,
                severity=_SEVERITIES[spec.severity],
                metadata={"error": f"{type(error).__name__}: {error}"},
                description=f"{suite}: could not read the warehouse",
            )
        return check_result(outcome)

    return _check


QUALITY_CHECKS = [_suite_check(suite) for suite in CHECKED_ASSETS]


def defs() -> dg.Definitions:
    return dg.Definitions(asset_checks=QUALITY_CHECKS)
