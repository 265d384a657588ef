"""Great Expectations suites over the warehouse, run on pandas DataFrames of a few documents at a time.

GX has no DuckDB dialect (its SQL path over duckdb_engine fails computing metrics), so each
suite's rows are read from DuckDB with plain SQL and validated as DataFrames in an ephemeral
context. Suites are JSON files in GX 1.x shape under expectations/; REGISTRY is the one place
that says which asset a suite checks, which query feeds it, how severe its failure is and whether
it blocks publishing. Each suite runs once per refresh, as a Dagster asset check (defs/quality.py);
publishing reads their outcomes.

Memory stays flat in the number of documents: a suite validates its rows in batches of whole
documents (at most BATCH_ROWS rows, unless one document has more), never a whole table, and the
documents' outcomes are added up. Cross-row rules (totals, stated counts, repeated statements) are
SQL in DuckDB: the dbt models in dbt/models/quality compute one row per rule instance, and the
suites only check those rows (difference within tolerance).

An expectation a suite lists in `findings_expectations` reports findings in the source documents
(a report that disagrees with itself): its unexpected rows are data, counted and sampled, and do
not make the suite fail. Every other expectation of the suite still can.

A refresh that adds one document among thousands validates that document only: each document's
outcome is kept in an outcome cache beside the build file (build/checks/gx_cache/), under a
digest of the document's rows and a key of everything else that decides it (the suite's JSON,
its parameters, its query and spec, the versions of GX, pandas and DuckDB). See `evaluate`.

    outcomes = evaluate_all(con)                 # con: DuckDB connection (read-only is enough)
    write_check_results(rw_con, outcomes)        # marts.check_results
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# GX would otherwise try to send usage statistics at context creation
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

from ..child_process import run_in_child  # noqa: E402
from ..warehouse.settings import EXPECTATIONS_DIR, duckdb_config  # noqa: E402
from .gx_results import split_by_document, splits_by_document, suite_outcome  # noqa: E402
from .outcome_cache import (  # noqa: E402
    CachedDocuments,
    Document,
    cache_key,
    cache_path,
    database_path,
    document_batches,
    document_digests,
    read_cache,
    write_cache,
)
from .outcomes import SAMPLE_ROWS, Severity, SuiteOutcome, SuiteSpec, merge, utc_now  # noqa: E402

BATCH_ROWS = 20_000  # rows validated in one DataFrame: GX holds several copies of a batch

_RULE_INSTANCES = """
    select
        *,
        -- the same epsilon as the dbt rules (macro quality_passed), so float noise is no finding
        case when abs(difference) <= tolerance + 1e-9 then 0.0 else abs(difference) - tolerance end
            as excess_over_tolerance,
        coalesce(abs(difference) <= tolerance + 1e-9, false) as within_tolerance
    from marts.consistency_rule_instances
    where severity = '{severity}'
"""
_RULE_ORDER = "document, rule, rule_instance_id"
_RULE_SAMPLE = ("rule", "document", "source_lines", "expected", "actual", "difference", "tolerance", "message_en")

REGISTRY: dict[str, SuiteSpec] = {
    "kpi_observations_schema": SuiteSpec(
        query="""
            select
                *,
                comparison is not null as is_difference_breakdown
            from marts.kpi_observations
        """,
        order_by="document, source_line, kpi_code",
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
        order_by=_RULE_ORDER,
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
        order_by=_RULE_ORDER,
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
        """,
        severity=Severity.WARN,
        blocking=False,
        description="Every loaded document is classified and yields facts.",
        asset=("marts", "dim_document"),
        reads=(("marts", "fct_kpi_observation"),),
        batch_column="document_name",
        order_by="document_name",
    ),
}


# ------------------------------------------------------------------------------------ suites


def suite_path(name: str) -> Path:
    return EXPECTATIONS_DIR / f"{name}.json"


def suite_names() -> list[str]:
    return sorted(path.stem for path in EXPECTATIONS_DIR.glob("*.json"))


def suite_config(name: str) -> dict[str, Any]:
    """expectations/<name>.json as it is on disk."""
    with suite_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def load_suite(name: str) -> gx.ExpectationSuite:
    """The suite as GX builds it from expectations/<name>.json (raises on an invalid suite)."""
    config = suite_config(name)
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


def _validate(name: str, df: pd.DataFrame, parameters: Mapping[str, Any] | None):
    """GX's validation result of a DataFrame (index 0..n-1) against one suite, in an ephemeral context."""
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
    return validation.run(
        batch_parameters={"dataframe": df},
        expectation_parameters=dict(parameters or {}),
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": SAMPLE_ROWS},
    )


def run_suite(
    name: str,
    df: pd.DataFrame,
    parameters: Mapping[str, Any] | None = None,
    spec: SuiteSpec | None = None,
) -> SuiteOutcome:
    """Validate a DataFrame against one suite in an ephemeral context (whole-dataframe batch)."""
    df = df.reset_index(drop=True)
    return suite_outcome(name, spec or REGISTRY[name], df, _validate(name, df, parameters))


def suite_parameters(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, list]:
    return {key: [row[0] for row in con.sql(sql).fetchall()] for key, sql in REGISTRY[name].parameters.items()}


def _order(spec: SuiteSpec) -> str:
    return spec.order_by or f'"{spec.batch_column}"'


def suite_frame(con: duckdb.DuckDBPyConnection, name: str) -> tuple[pd.DataFrame, dict[str, list]]:
    """All the rows a registered suite validates, and its parameters (for tests; runs use batches)."""
    spec = REGISTRY[name]
    return con.sql(f"select * from ({spec.query}) order by {_order(spec)}").df(), suite_parameters(con, name)


# ------------------------------------------------------------------------------------ documents


def _batch_frame(con: duckdb.DuckDBPyConnection, spec: SuiteSpec, values: list[Any]) -> pd.DataFrame:
    column = f'suite_rows."{spec.batch_column}"'
    select = f"select * from ({spec.query}) as suite_rows where {{}} order by {_order(spec)}"
    if values == [None]:
        return con.execute(select.format(f"{column} is null")).df()
    return con.execute(select.format(f"{column} in (select unnest($values))"), {"values": values}).df()


# ------------------------------------------------------------------------------------ evaluating


# (the batch's document values, their outcomes by document or None, the batch's outcome when not split)
ValidatedBatch = tuple[list[Any], dict[Any, SuiteOutcome] | None, SuiteOutcome | None]


def _validate_batches(
    con: duckdb.DuckDBPyConnection,
    name: str,
    spec: SuiteSpec,
    parameters: Mapping[str, Any],
    batches: list[list[Any]],
    splits: bool,
) -> list[ValidatedBatch]:
    validated: list[ValidatedBatch] = []
    # GX's context holds each batch's DataFrame in reference cycles, which Python's collector frees
    # only after enough objects (not bytes) were allocated: unless collected after every batch, the
    # frames stayed and a check's memory grew with the number of documents (~20 MB a batch). The
    # objects that exist before the suite are frozen meanwhile, so a collection scans only the
    # suite's own (a full one in the Dagster process takes ~0.3 s, 40 of them at 2 000 documents).
    gc.freeze()
    try:
        for values in batches:
            frame = _batch_frame(con, spec, values)
            result = _validate(name, frame, parameters)
            split = split_by_document(name, spec, frame, result) if splits else None
            if split is None or set(split) != set(values):
                validated.append((values, None, suite_outcome(name, spec, frame, result)))
            else:
                validated.append((values, split, None))
            del frame, result, split
            gc.collect()
    finally:
        gc.unfreeze()
    return validated


def _validate_batches_in_file(
    database: Path, config: dict[str, str], expectations_dir: Path, *arguments
) -> list[ValidatedBatch]:
    """_validate_batches(con, *arguments) in another process, on its own connection to the file,
    with the suites where the caller has them."""
    global EXPECTATIONS_DIR
    EXPECTATIONS_DIR = expectations_dir
    with duckdb.connect(str(database), read_only=True, config=config) as con:
        return _validate_batches(con, *arguments)


def evaluate(
    con: duckdb.DuckDBPyConnection,
    name: str,
    batch_rows: int = BATCH_ROWS,
    *,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> SuiteOutcome:
    """Run one registered suite on the warehouse behind `con`, a batch of documents at a time.

    The unit of the outcome cache is the document, not the batch: a document's outcome is reused
    while its digest (document_digests) and the suite's cache_key are unchanged, so a new document
    anywhere in the sort order costs that document only, and batch boundaries (which shift with
    every new document) do not matter. The documents not cached are validated in batches of about
    batch_rows rows, as without a cache, and each batch's result is split by document: exact, since
    the suites' expectations judge each row alone (splits_by_document; a suite that does not is
    validated whole every time, without cache). Per-document outcomes merge in document order, so
    the outcome is the same with or without cache, samples included.

    use_cache=False (a full refresh) validates every document and writes a fresh cache. The cache
    is kept only for a database file (not in memory), beside it unless cache_dir is given.
    """
    spec = REGISTRY[name]
    parameters = suite_parameters(con, name)
    documents = document_digests(con, spec)
    if not documents:  # no rows at all: table-level expectations (at least one row) still judge it
        empty = run_suite(name, con.sql(f"select * from ({spec.query}) limit 0").df(), parameters)
        return dataclasses.replace(empty, documents_validated=0, documents_cached=0)
    suite = suite_path(name).read_text(encoding="utf-8")
    splits = splits_by_document(json.loads(suite))
    file = database_path(con)  # None in memory
    database = file if splits else None
    path = cache_path(database, name, cache_dir) if database else None
    key = cache_key(con, spec, suite, parameters) if path else ""
    cached = read_cache(path, database, name, spec, key) if path and use_cache else {}

    parts: dict[Any, SuiteOutcome] = {}  # by document; an unsplit batch under its first document
    keep: CachedDocuments = {}
    todo: list[Document] = []
    for document in documents:
        hit = cached.get(document.value)
        if hit is not None and hit[0] == document:
            parts[document.value] = hit[1]
            keep[document.value] = hit
        else:
            todo.append(document)
    by_value = {document.value: document for document in todo}
    batches = document_batches(todo, batch_rows)
    if len(batches) > 1 and file is not None:
        # many batches (a full refresh, a first run): validated in a short-lived process, so GX's
        # memory leaves with it instead of staying with the long-running Dagster process (where it
        # took the process from 450 to 736 MB at 2 000 documents); one changed document stays here
        validated = run_in_child(
            _validate_batches_in_file, file, duckdb_config(), EXPECTATIONS_DIR, name, spec, parameters, batches, splits
        )
    else:
        validated = _validate_batches(con, name, spec, parameters, batches, splits)
    for values, split, whole in validated:
        if split is None:
            parts[values[0]] = whole  # one part, not cached
        else:
            for value in values:
                parts[value] = split[value]
                keep[value] = (by_value[value], split[value])
    if path and (todo or len(keep) != len(cached)):
        write_cache(path, database, name, key, {d.value: keep[d.value] for d in documents if d.value in keep})
    outcome = merge([parts[d.value] for d in documents if d.value in parts], "documents" if splits else "batches")
    return dataclasses.replace(
        outcome, evaluated_at=utc_now(), documents_validated=len(todo), documents_cached=len(documents) - len(todo)
    )


def evaluate_all(
    con: duckdb.DuckDBPyConnection, names: Iterable[str] | None = None, *, use_cache: bool = True
) -> list[SuiteOutcome]:
    return [evaluate(con, name, use_cache=use_cache) for name in (names or REGISTRY)]
