"""Great Expectations suites over the warehouse, run on pandas DataFrames of a few documents at a time.

GX has no DuckDB dialect (its SQL path over duckdb_engine fails computing metrics), so each
suite's rows are read from DuckDB with plain SQL and validated as DataFrames in an ephemeral
context. Suites are JSON files in GX 1.x shape under expectations/; REGISTRY is the one place
that says which asset a suite checks, which query feeds it, how severe its failure is and whether
it blocks publishing. Each suite runs once per refresh, as a Dagster asset check (defs/quality.py);
publishing reads their outcomes.

Memory stays flat in the number of documents: a suite validates its rows in batches of whole
documents (at most BATCH_ROWS rows, unless one document has more), never a whole table, and the
batches' outcomes are added up. Cross-row rules (totals, stated counts, repeated statements) are
SQL in DuckDB: the dbt models in dbt/models/quality compute one row per rule instance, and the
suites only check those rows (difference within tolerance).

An expectation a suite lists in `findings_expectations` reports findings in the source documents
(a report that disagrees with itself): its unexpected rows are data, counted and sampled, and do
not make the suite fail. Every other expectation of the suite still can.

    outcomes = evaluate_all(con)                 # con: DuckDB connection (read-only is enough)
    write_check_results(rw_con, outcomes)        # marts.check_results
"""

from __future__ import annotations

import gc
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

# GX would otherwise try to send usage statistics at context creation
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from ..warehouse.settings import EXPECTATIONS_DIR  # noqa: E402

SAMPLE_ROWS = 5
BATCH_ROWS = 20_000  # rows validated in one DataFrame: GX holds several copies of a batch


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
    # suite parameter ($PARAMETER in the JSON) -> SQL whose first column gives its values
    parameters: Mapping[str, str] = field(default_factory=dict)
    # columns shown for offending rows (all columns when empty)
    sample_columns: tuple[str, ...] = ()
    # expectations (as labelled in results) whose unexpected rows are findings in the sources
    findings_expectations: tuple[str, ...] = ()


_RULE_INSTANCES = """
    select
        *,
        -- the same epsilon as the dbt rules (macro quality_passed), so float noise is no finding
        case when abs(difference) <= tolerance + 1e-9 then 0.0 else abs(difference) - tolerance end
            as excess_over_tolerance,
        coalesce(abs(difference) <= tolerance + 1e-9, false) as within_tolerance
    from marts.consistency_rule_instances
    where severity = '{severity}'
    order by document, rule, rule_instance_id
"""
_RULE_SAMPLE = ("rule", "document", "source_lines", "expected", "actual", "difference", "tolerance", "message_en")

REGISTRY: dict[str, SuiteSpec] = {
    "kpi_observations_schema": SuiteSpec(
        query="""
            select
                *,
                comparison is not null as is_difference_breakdown
            from marts.kpi_observations
            order by document, source_line, kpi_code
        """,
        severity=Severity.ERROR,
        blocking=True,
        description="The BI view keeps its contract: columns, catalogue codes, values, provenance, share ranges, periods.",
        asset=("marts", "kpi_observations"),
        parameters={"kpi_codes": "select kpi_code from raw.kpi_catalogue order by kpi_code"},
        sample_columns=(
            "document",
            "source_line",
            "kpi_code",
            "org_unit_name",
            "period_start",
            "period_end",
            "breakdown",
            "value",
            "unit",
            "source_text",
            "extraction_method",
        ),
    ),
    "integrity_rules": SuiteSpec(
        query=_RULE_INSTANCES.format(severity="error"),
        severity=Severity.ERROR,
        blocking=True,
        description="Schema and range rule instances (dbt models/quality, severity error) all pass.",
        asset=("marts", "kpi_observations"),
        reads=(("marts", "consistency_rule_instances"),),
        sample_columns=_RULE_SAMPLE,
    ),
    "consistency_rules": SuiteSpec(
        query=_RULE_INSTANCES.format(severity="warn"),
        severity=Severity.WARN,
        blocking=False,
        description="Reconciliation rule instances (totals, stated counts, repeated statements ...) are well formed; "
        "the instances outside tolerance are findings (marts.consistency_findings), reported, not failed.",
        asset=("marts", "consistency_findings"),
        reads=(("marts", "consistency_rule_instances"),),
        sample_columns=_RULE_SAMPLE,
        findings_expectations=("expect_column_values_to_be_between(excess_over_tolerance)",),
    ),
    "documents_extracted": SuiteSpec(
        query="""
            select
                documents.document_name,
                documents.document_kind,
                documents.region_code,
                documents.period_end,
                count(observations.kpi_observation_id) as fact_count
            from marts.dim_document as documents
            left join marts.fct_kpi_observation as observations
                on documents.document_id = observations.document_id
            where not documents.is_unknown_member
            group by all
            order by documents.document_name
        """,
        severity=Severity.WARN,
        blocking=False,
        description="Every loaded document is classified and yields facts.",
        asset=("marts", "dim_document"),
        reads=(("marts", "fct_kpi_observation"),),
        batch_column="document_name",
    ),
}


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


# ------------------------------------------------------------------------------------ suites


def suite_path(name: str) -> Path:
    return EXPECTATIONS_DIR / f"{name}.json"


def suite_names() -> list[str]:
    return sorted(path.stem for path in EXPECTATIONS_DIR.glob("*.json"))


def load_suite(name: str) -> gx.ExpectationSuite:
    """The suite as GX builds it from expectations/<name>.json (raises on an invalid suite)."""
    with suite_path(name).open(encoding="utf-8") as handle:
        config = json.load(handle)
    return gx.ExpectationSuite(
        name=config["name"],
        expectations=config.get("expectations", []),
        meta=config.get("meta"),
        notes=config.get("notes"),
    )


def _context():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


# ------------------------------------------------------------------------------------ running


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, (datetime, pd.Timestamp)):
        if pd.isna(value):
            return None
        # DuckDB DATE columns arrive as midnight timestamps
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_safe(value.item())
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def _expectation_label(config) -> str:
    kwargs = config.kwargs
    columns = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
    return f"{config.type}({', '.join(columns)})" if columns else config.type


def _sample(df: pd.DataFrame, result: Mapping[str, Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    indexes = (result.get("unexpected_index_list") or [])[:SAMPLE_ROWS]
    if not indexes:
        return []
    # COMPLETE results give row positions for pandas, or dicts with the index under 'index'
    positions = [i["index"] if isinstance(i, Mapping) else i for i in indexes]
    rows = df.loc[[p for p in positions if p in df.index]]
    shown = [c for c in columns if c in rows.columns] or list(rows.columns)
    return [{c: _json_safe(v) for c, v in row.items()} for row in rows[shown].to_dict(orient="records")]


def _detail(label: str, success: bool, result: Mapping[str, Any], kwargs: Mapping[str, Any]) -> str:
    if success:
        return f"{label}: passed"
    count = result.get("unexpected_count")
    if count is not None:
        values = ", ".join(str(_json_safe(v)) for v in (result.get("partial_unexpected_list") or [])[:SAMPLE_ROWS])
        percent = result.get("unexpected_percent")
        share = f" ({percent:.1f} %)" if isinstance(percent, (int, float)) else ""
        return f"{label}: {count} unexpected rows{share}" + (f", e.g. {values}" if values else "")
    observed = result.get("observed_value")
    if "column_set" in kwargs and isinstance(result.get("details"), Mapping):
        missing = result["details"].get("mismatched", {}).get("missing")
        if missing:
            return f"{label}: missing columns {missing}"
    return f"{label}: failed (observed {observed!r})"


def run_suite(
    name: str,
    df: pd.DataFrame,
    parameters: Mapping[str, Any] | None = None,
    spec: SuiteSpec | None = None,
) -> SuiteOutcome:
    """Validate a DataFrame against one suite in an ephemeral context (whole-dataframe batch)."""
    spec = spec or REGISTRY[name]
    context = _context()
    suite = context.suites.add(load_suite(name))
    batch = (
        context.data_sources.add_pandas("warehouse")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe("all_rows")
    )
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch, suite=suite)
    )
    df = df.reset_index(drop=True)
    result = validation.run(
        batch_parameters={"dataframe": df},
        expectation_parameters=dict(parameters or {}),
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": SAMPLE_ROWS},
    )
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        label = _expectation_label(config)
        detail = item.result or {}
        success = bool(item.success)
        exception = item.exception_info or {}
        raised = isinstance(exception, Mapping) and bool(exception.get("raised_exception"))
        if raised:
            success = False
            detail_text = f"{label}: raised {exception.get('exception_message')}"
        else:
            detail_text = _detail(label, success, detail, config.kwargs)
        outcomes.append(
            ExpectationOutcome(
                expectation=label,
                success=success,
                unexpected_count=detail.get("unexpected_count"),
                sample=[] if success else _sample(df, detail, spec.sample_columns),
                detail=detail_text,
                # an expectation that raised found no finding: it failed
                reports_findings=label in spec.findings_expectations and not raised,
            )
        )
    return SuiteOutcome(
        suite=name,
        success=all(o.status != "failed" for o in outcomes),
        severity=spec.severity,
        blocking=spec.blocking,
        results=outcomes,
        row_count=len(df),
        evaluated_at=datetime.now(UTC).replace(tzinfo=None),
    )


def suite_parameters(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, list]:
    return {key: [row[0] for row in con.sql(sql).fetchall()] for key, sql in REGISTRY[name].parameters.items()}


def suite_frame(con: duckdb.DuckDBPyConnection, name: str) -> tuple[pd.DataFrame, dict[str, list]]:
    """All the rows a registered suite validates, and its parameters (for tests; runs use batches)."""
    return con.sql(REGISTRY[name].query).df(), suite_parameters(con, name)


def document_batches(con: duckdb.DuckDBPyConnection, name: str, batch_rows: int = BATCH_ROWS) -> list[tuple]:
    """(first, last) values of the batch column per batch: whole documents, about batch_rows rows each."""
    spec = REGISTRY[name]
    column = f'"{spec.batch_column}"'
    counts = con.sql(f"select {column}, count(*) from ({spec.query}) group by all order by 1 nulls last").fetchall()
    batches, first, size = [], None, 0
    valued = [(value, count) for value, count in counts if value is not None]
    for index, (value, count) in enumerate(valued):
        if first is None:
            first, size = value, 0
        size += count
        if size >= batch_rows or index == len(valued) - 1:
            batches.append((first, value))
            first = None
    if len(valued) < len(counts):
        batches.append((None, None))  # rows without a document: one batch of their own
    return batches


def _batch_query(spec: SuiteSpec, nulls: bool) -> str:
    column = f'suite_rows."{spec.batch_column}"'
    condition = f"{column} is null" if nulls else f"{column} between $first and $last"
    return f"select * from ({spec.query}) as suite_rows where {condition}"


def merge(outcomes: list[SuiteOutcome]) -> SuiteOutcome:
    """One suite's outcome over all its batches: unexpected rows added up, the first samples kept."""
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
            detail = f"{result.expectation}: {count} unexpected rows in {len(failed)} batches, e.g. {failed[0].detail}"
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


def evaluate(con: duckdb.DuckDBPyConnection, name: str, batch_rows: int = BATCH_ROWS) -> SuiteOutcome:
    """Run one registered suite on the warehouse behind `con`, a batch of documents at a time."""
    spec = REGISTRY[name]
    parameters = suite_parameters(con, name)
    outcomes = []
    # GX's context holds each batch's DataFrame in reference cycles, which Python's collector frees
    # only after enough objects (not bytes) were allocated: unless collected after every batch, the
    # frames stayed and a check's memory grew with the number of documents (~20 MB a batch). The
    # objects that exist before the suite are frozen meanwhile, so a collection scans only the
    # suite's own (a full one in the Dagster process takes ~0.3 s, 40 of them at 2 000 documents).
    gc.freeze()
    try:
        for first, last in document_batches(con, name, batch_rows):
            if first is None:
                frame = con.execute(_batch_query(spec, nulls=True)).df()
            else:
                frame = con.execute(_batch_query(spec, nulls=False), {"first": first, "last": last}).df()
            outcomes.append(run_suite(name, frame, parameters))
            del frame
            gc.collect()
    finally:
        gc.unfreeze()
    if not outcomes:  # no rows at all: table-level expectations (at least one row) still judge it
        outcomes.append(run_suite(name, con.sql(f"select * from ({spec.query}) limit 0").df(), parameters))
    return merge(outcomes)


def evaluate_all(con: duckdb.DuckDBPyConnection, names: Iterable[str] | None = None) -> list[SuiteOutcome]:
    return [evaluate(con, name) for name in (names or REGISTRY)]
