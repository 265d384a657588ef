"""Suite outcomes beyond the run that evaluated them: as JSON between the asset checks and
publishing, and as rows of marts.check_results."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from .outcomes import ExpectationOutcome, Severity, SuiteOutcome

# ------------------------------------------------------------------------------------ outcomes on disk


def outcome_to_json(outcome: SuiteOutcome, run_id: str) -> dict:
    """What an asset check leaves for publishing (the run it belongs to, the outcome)."""
    return {
        "run_id": run_id,
        "suite": outcome.suite,
        "success": outcome.success,
        "severity": outcome.severity.value,
        "blocking": outcome.blocking,
        "row_count": outcome.row_count,
        "evaluated_at": outcome.evaluated_at.isoformat(),
        "results": [
            {
                "expectation": r.expectation,
                "success": r.success,
                "unexpected_count": r.unexpected_count,
                "sample": r.sample,
                "detail": r.detail,
                "reports_findings": r.reports_findings,
            }
            for r in outcome.results
        ],
    }


def outcome_from_json(data: Mapping[str, Any]) -> SuiteOutcome:
    return SuiteOutcome(
        suite=data["suite"],
        success=data["success"],
        severity=Severity(data["severity"]),
        blocking=data["blocking"],
        results=[ExpectationOutcome(**r) for r in data["results"]],
        row_count=data["row_count"],
        evaluated_at=datetime.fromisoformat(data["evaluated_at"]),
    )


# ------------------------------------------------------------------------------------ publishing

CHECK_RESULTS_COLUMNS = {
    "check_name": "VARCHAR",  # '<suite>.<expectation>(<column>)'
    "suite": "VARCHAR",
    "status": "VARCHAR",  # passed, failed, findings
    "severity": "VARCHAR",  # ERROR, WARN
    "blocking": "BOOLEAN",
    "unexpected_count": "BIGINT",
    "detail": "VARCHAR",
    "sample_rows": "VARCHAR",  # JSON list of offending rows
    "evaluated_at": "TIMESTAMP",
}


def check_results_frame(outcomes: Iterable[SuiteOutcome]) -> pd.DataFrame:
    rows = [
        {
            "check_name": f"{outcome.suite}.{result.expectation}",
            "suite": outcome.suite,
            "status": result.status,
            "severity": outcome.severity.value,
            "blocking": outcome.blocking,
            "unexpected_count": result.unexpected_count,
            "detail": result.detail,
            "sample_rows": json.dumps(result.sample, ensure_ascii=False) if result.sample else None,
            "evaluated_at": outcome.evaluated_at,
        }
        for outcome in outcomes
        for result in outcome.results
    ]
    frame = pd.DataFrame(rows, columns=list(CHECK_RESULTS_COLUMNS))
    return frame.astype({"unexpected_count": "Int64", "blocking": "boolean"})


def write_check_results(con: duckdb.DuckDBPyConnection, outcomes: Sequence[SuiteOutcome]) -> int:
    """Replace the suites' rows in marts.check_results; returns the rows written.

    The docs site renders this table as a static page (report/docs_site.py): GX's own Data Docs
    load their styles and scripts from CDNs and show nothing offline.
    """
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in CHECK_RESULTS_COLUMNS.items())
    con.execute("create schema if not exists marts")
    existing = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database() "
            "and table_schema = 'marts' and table_name = 'check_results' order by ordinal_position"
        ).fetchall()
    ]
    if existing and existing != list(CHECK_RESULTS_COLUMNS):
        con.execute("drop table marts.check_results")  # an earlier layout (a column once named check)
    con.execute(f"create table if not exists marts.check_results ({columns})")
    frame = check_results_frame(outcomes)
    con.execute("begin transaction")
    try:
        for suite in {o.suite for o in outcomes}:
            con.execute("delete from marts.check_results where suite = ?", [suite])
        con.register("incoming_check_results", frame)
        names = ", ".join(CHECK_RESULTS_COLUMNS)
        con.execute(f"insert into marts.check_results ({names}) select {names} from incoming_check_results")
        con.unregister("incoming_check_results")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(frame)
