"""What a suite is and what it found: its spec, its outcome per expectation, and how the outcomes
of parts (documents or batches of them) add up to the suite's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

SAMPLE_ROWS = 5


def utc_now() -> datetime:
    """Now in UTC, naive (how outcomes and marts.check_results store times)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Severity(StrEnum):
    ERROR = "ERROR"
    WARN = "WARN"


@dataclass(frozen=True)
class SuiteSpec:
    """What a suite checks, where its rows come from and what its failure means."""

    query: str
    severity: Severity
    blocking: bool
    description: str
    asset: tuple[str, ...]  # the asset (dbt model) the suite checks: its Dagster asset key
    reads: tuple[tuple[str, ...], ...] = ()  # other assets whose tables the query reads
    batch_column: str = "document"  # rows of one value of this column are validated together
    # how a frame's rows are sorted (which offending rows are sampled first); the batch column first.
    # Not part of `query`: the outcome cache's digests read the rows unsorted (sorting all 183k
    # integrity rows took 0.4 s of 0.5 s).
    order_by: str = ""
    # suite parameter ($PARAMETER in the JSON) -> SQL whose first column gives its values
    parameters: Mapping[str, str] = field(default_factory=dict)
    # columns shown for offending rows (all columns when empty)
    sample_columns: tuple[str, ...] = ()
    # expectations (as labelled in results) whose unexpected rows are findings in the sources
    findings_expectations: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str  # e.g. 'expect_column_values_to_be_between(value)'
    success: bool
    unexpected_count: int | None
    sample: list[dict[str, Any]]  # offending rows (at most SAMPLE_ROWS), JSON-safe
    detail: str  # one readable line
    reports_findings: bool = False  # unexpected rows are findings in the sources, not a failure

    @property
    def status(self) -> str:
        """passed, failed, or findings (an expectation that reports findings and found some)."""
        if self.success:
            return "passed"
        return "findings" if self.reports_findings else "failed"


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    severity: Severity
    blocking: bool
    results: list[ExpectationOutcome]
    row_count: int
    evaluated_at: datetime
    # evaluate(): documents (values of the batch column) validated now, and reused from the cache
    documents_validated: int | None = None
    documents_cached: int | None = None

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def findings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if r.status == "findings"]

    @property
    def finding_count(self) -> int:
        return sum(r.unexpected_count or 0 for r in self.findings)

    @property
    def blocks_publishing(self) -> bool:
        return self.blocking and not self.success

    def summary(self) -> str:
        found = f"; {self.finding_count} findings in the source documents" if self.findings else ""
        if self.success:
            return f"{self.suite}: {len(self.results)} expectations passed on {self.row_count} rows{found}"
        failed = "; ".join(r.detail for r in self.failures)
        return (
            f"{self.suite}: {len(self.failures)} of {len(self.results)} expectations failed on {self.row_count} rows: "
            f"{failed}{found}"
        )

    describe = summary


def merge(outcomes: list[SuiteOutcome], unit: str = "batches") -> SuiteOutcome:
    """One suite's outcome over all its parts (documents or batches): unexpected rows added up, the
    first samples kept."""
    first = outcomes[0]
    results = []
    for index, result in enumerate(first.results):
        parts = [o.results[index] for o in outcomes]
        failed = [p for p in parts if not p.success]
        counts = [p.unexpected_count for p in parts if p.unexpected_count is not None]
        count = sum(counts) if counts else None
        sample = [row for p in failed for row in p.sample][:SAMPLE_ROWS]
        if not failed:
            detail = result.detail
        elif count is not None and len(failed) > 1:
            detail = f"{result.expectation}: {count} unexpected rows in {len(failed)} {unit}, e.g. {failed[0].detail}"
        else:
            detail = failed[0].detail
        results.append(
            ExpectationOutcome(
                result.expectation,
                not failed,
                count,
                sample,
                detail,
                result.reports_findings and all(p.reports_findings for p in failed),
            )
        )
    return SuiteOutcome(
        suite=first.suite,
        success=all(r.status != "failed" for r in results),
        severity=first.severity,
        blocking=first.blocking,
        results=results,
        row_count=sum(o.row_count for o in outcomes),
        evaluated_at=max(o.evaluated_at for o in outcomes),
    )
