"""From a GX validation result to outcomes: the suite's on the whole frame (suite_outcome), or
each document's (split_by_document) when the suite's expectations allow it (splits_by_document).
Offending rows are sampled and described in JSON-safe values."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from .outcomes import SAMPLE_ROWS, ExpectationOutcome, SuiteOutcome, SuiteSpec, utc_now

# Expectations that judge each row by itself (when without `mostly`): the unexpected rows of a
# batch of documents are the union of each document's own, so a batch's result splits exactly
# into per-document outcomes. (Not the cross-row ones such as expect_column_values_to_be_unique.)
ROW_EXPECTATIONS = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_values_to_match_regex_list",
        "expect_column_values_to_not_match_regex_list",
        "expect_column_values_to_match_strftime_format",
        "expect_column_value_lengths_to_be_between",
        "expect_column_value_lengths_to_equal",
        "expect_column_pair_values_to_be_equal",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_pair_values_to_be_in_set",
    }
)
# Expectations on the frame's columns only: every frame of one suite's query has the same columns.
COLUMN_EXPECTATIONS = frozenset(
    {
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_match_ordered_list",
        "expect_table_column_count_to_equal",
        "expect_table_column_count_to_be_between",
        "expect_column_to_exist",
    }
)


def json_safe(value: Any) -> Any:
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
        return json_safe(value.item())
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    return str(value)


def expectation_label(config) -> str:
    kwargs = config.kwargs
    columns = [kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs]
    return f"{config.type}({', '.join(columns)})" if columns else config.type


def sample_rows(
    df: pd.DataFrame, result: Mapping[str, Any], columns: Sequence[str], limit: int = SAMPLE_ROWS
) -> list[dict[str, Any]]:
    indexes = (result.get("unexpected_index_list") or [])[:limit]
    if not indexes:
        return []
    # COMPLETE results give row positions for pandas, or dicts with the index under 'index'
    positions = [i["index"] if isinstance(i, Mapping) else i for i in indexes]
    rows = df.loc[[p for p in positions if p in df.index]]
    shown = [c for c in columns if c in rows.columns] or list(rows.columns)
    return [{c: json_safe(v) for c, v in row.items()} for row in rows[shown].to_dict(orient="records")]


def _values(df: pd.DataFrame, kwargs: Mapping[str, Any], positions: Sequence[int]) -> list[Any]:
    """The checked values of rows (a pair for a column pair expectation), as a detail line shows them."""
    if "column" in kwargs:
        return [json_safe(v) for v in df[kwargs["column"]].iloc[list(positions)].tolist()]
    if "column_A" in kwargs and "column_B" in kwargs:
        pairs = df[[kwargs["column_A"], kwargs["column_B"]]].iloc[list(positions)].itertuples(index=False)
        return [tuple(json_safe(v) for v in pair) for pair in pairs]
    return [None] * len(positions)


def detail_line(label: str, success: bool, result: Mapping[str, Any], kwargs: Mapping[str, Any]) -> str:
    if success:
        return f"{label}: passed"
    count = result.get("unexpected_count")
    if count is not None:
        values = ", ".join(str(json_safe(v)) for v in (result.get("partial_unexpected_list") or [])[:SAMPLE_ROWS])
        percent = result.get("unexpected_percent")
        share = f" ({percent:.1f} %)" if isinstance(percent, (int, float)) else ""
        return f"{label}: {count} unexpected rows{share}" + (f", e.g. {values}" if values else "")
    observed = result.get("observed_value")
    if "column_set" in kwargs and isinstance(result.get("details"), Mapping):
        missing = result["details"].get("mismatched", {}).get("missing")
        if missing:
            return f"{label}: missing columns {missing}"
    return f"{label}: failed (observed {observed!r})"


def _raised(item) -> bool:
    exception = item.exception_info or {}
    return isinstance(exception, Mapping) and bool(exception.get("raised_exception"))


def suite_outcome(name: str, spec: SuiteSpec, df: pd.DataFrame, result) -> SuiteOutcome:
    """The suite's outcome on the whole frame (index 0..n-1) that `result` was computed on."""
    outcomes = []
    for item in result.results:
        config = item.expectation_config
        label = expectation_label(config)
        detail = item.result or {}
        success = bool(item.success)
        raised = _raised(item)
        if raised:
            success = False
            detail_text = f"{label}: raised {(item.exception_info or {}).get('exception_message')}"
        else:
            detail_text = detail_line(label, success, detail, config.kwargs)
        outcomes.append(
            ExpectationOutcome(
                expectation=label,
                success=success,
                unexpected_count=detail.get("unexpected_count"),
                sample=[] if success else sample_rows(df, detail, spec.sample_columns),
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
        evaluated_at=utc_now(),
    )


def _at_most_one(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 1)


def splits_by_document(suite: Mapping[str, Any]) -> bool:
    """Whether every expectation of the suite gives, on a batch of documents, exactly what it gives
    on each document alone, added up: row-by-row expectations (ROW_EXPECTATIONS) without `mostly`,
    expectations on the columns only, and a row count of at least one (every document has a row).
    Only then are outcomes kept per document; any other suite is validated whole every refresh."""
    for expectation in suite.get("expectations", []):
        kind, kwargs = expectation["type"], expectation.get("kwargs", {})
        if kind in ROW_EXPECTATIONS and kwargs.get("mostly", 1) == 1:
            continue
        if kind in COLUMN_EXPECTATIONS:
            continue
        if kind == "expect_table_row_count_to_be_between" and (
            _at_most_one(kwargs.get("min_value")) and kwargs.get("max_value") is None
        ):
            continue
        return False
    return True


def _missing(value: Any) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def split_by_document(name: str, spec: SuiteSpec, df: pd.DataFrame, result) -> dict[Any, SuiteOutcome] | None:
    """Each document's outcome from the result of a batch of documents (exact for the suites of
    splits_by_document), or None when the result cannot be attributed to documents (an
    expectation raised, or GX did not list every unexpected row)."""
    keys = [None if _missing(v) else v for v in df[spec.batch_column].tolist()]
    rows = Counter(keys)
    results: dict[Any, list[ExpectationOutcome]] = {key: [] for key in rows}
    for item in result.results:
        if _raised(item):
            return None
        config = item.expectation_config
        label = expectation_label(config)
        detail = item.result or {}
        findings = label in spec.findings_expectations
        if config.type not in ROW_EXPECTATIONS:  # on the columns only: the same for every document
            success = bool(item.success)
            same = ExpectationOutcome(
                label,
                success,
                detail.get("unexpected_count"),
                [],
                detail_line(label, success, detail, config.kwargs),
                findings,
            )
            for found in results.values():
                found.append(same)
            continue
        indexes = detail.get("unexpected_index_list")
        if indexes is None or detail.get("unexpected_count") != len(indexes):
            return None
        positions = sorted(i["index"] if isinstance(i, Mapping) else i for i in indexes)
        if any(not 0 <= p < len(keys) for p in positions):
            return None
        hits: dict[Any, list[int]] = defaultdict(list)
        for position in positions:
            hits[keys[position]].append(position)
        # each document's first offending rows, read from the frame at once (GX lists at most 200 values)
        shown = [p for found in hits.values() for p in found[:SAMPLE_ROWS]]
        samples = dict(
            zip(shown, sample_rows(df, {"unexpected_index_list": shown}, spec.sample_columns, len(shown)), strict=True)
        )
        values = dict(zip(shown, _values(df, config.kwargs, shown), strict=True))
        for key, found in results.items():
            mine = hits.get(key, [])[:SAMPLE_ROWS]
            success = key not in hits
            count = len(hits.get(key, []))
            text = detail_line(
                label,
                success,
                {"unexpected_count": count, "partial_unexpected_list": [values[p] for p in mine]},
                config.kwargs,
            )
            found.append(ExpectationOutcome(label, success, count, [samples[p] for p in mine], text, findings))
    now = utc_now()
    return {
        key: SuiteOutcome(
            suite=name,
            success=all(r.status != "failed" for r in found),
            severity=spec.severity,
            blocking=spec.blocking,
            results=found,
            row_count=rows[key],
            evaluated_at=now,
        )
        for key, found in results.items()
    }
