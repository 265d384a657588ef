"""The reconciliation rules (dbt/models/quality) on a small raw warehouse: every rule has an
instance that passes and one that fails, and only failed instances reach consistency_findings.

One dbt build per module: the fixture writes raw tables with the project's loader, builds the
models the quality folder needs, then runs the quality folder's own dbt tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.extraction.records import (
    DocumentMeta,
    Extraction,
    Fact,
    GoalAssessment,
    StatedCount,
    UnmappedNumber,
)
from dagster_project.warehouse.load import load_raw

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = ROOT / "dbt"

DOC_A = "rvb_test_arsrapport_2022.txt"  # annual report: HSN 2022, a waiting table, goals
DOC_B = "rvb_test_delarsrapport_2023.txt"  # interim report: forecasts, staff, sick leave
DOC_C = "rvb_test_informerar_2024.txt"  # slides: a pie chart

Y2022 = (date(2022, 1, 1), date(2022, 12, 31), "year")
Y2023 = (date(2023, 1, 1), date(2023, 12, 31), "year")
DEC22 = (date(2022, 12, 31), date(2022, 12, 31), "point_in_time")
HSN = "Hälso- och sjukvårdsnämnden"


def _meta(document: str, kind: str, start: date, end: date) -> DocumentMeta:
    return DocumentMeta(
        document=document, document_id=document.removesuffix(".txt"), sha256=document[:8].ljust(64, "0"),
        size_bytes=1000, region_code="24", region_name="Region Västerbotten", document_kind=kind,
        period_start=start, period_end=end, title=document, encoding="utf-8", line_count=500,
    )


def _fact(document, kpi, unit_name, period, value, unit, line, *, scenario="actual", breakdown="total",
          method="text:rule", text=None, approx=False) -> Fact:
    start, end, period_type = period
    return Fact(
        document=document, kpi_code=kpi, org_unit=unit_name, region_code="24", period_start=start, period_end=end,
        period_type=period_type, scenario=scenario, breakdown=breakdown, value=value, unit=unit,
        is_approximate=approx, source_line=line, source_text=text if text is not None else f"{unit_name} {value}",
        extraction_method=method,
    )


def _table_row(document, kpi, label, value, diff, line, unit="count") -> list[Fact]:
    text = f"{label} {value:g} {diff:g}"
    return [
        _fact(document, kpi, label, DEC22, value, unit, line, method="table:side_by_side", text=text),
        _fact(document, kpi, label, DEC22, diff, unit, line, method="table:side_by_side", text=text,
              breakdown="diff_vs_2021_12"),
    ]


def sample_documents() -> list[DocumentMeta]:
    return [
        _meta(DOC_A, "annual_report", date(2022, 1, 1), date(2022, 12, 31)),
        _meta(DOC_B, "interim_report", date(2023, 1, 1), date(2023, 4, 30)),
        _meta(DOC_C, "board_slides", date(2024, 1, 31), date(2024, 1, 31)),
    ]


def sample_extractions() -> dict[str, Extraction]:
    first_visit, treatment = "waiting_over_90_days_first_visit_count", "waiting_over_90_days_treatment_count"
    a = Extraction(
        facts=[
            # HSN 2022: -199 in the summary, -198 in the economy section (same_fact_same_value fails);
            # areas sum to -199, revenue + costs to -199: both statements within 1 mnkr (pass)
            _fact(DOC_A, "budget_deviation_mnkr", HSN, Y2022, -199, "mnkr", 3),
            _fact(DOC_A, "budget_deviation_mnkr", HSN, Y2022, -198, "mnkr", 50),
            _fact(DOC_A, "budget_deviation_mnkr", "Primärvård", Y2022, -55, "mnkr", 40),
            _fact(DOC_A, "budget_deviation_mnkr", "Tandvård", Y2022, -43, "mnkr", 41),
            _fact(DOC_A, "budget_deviation_mnkr", "Sjukhusvård", Y2022, -353, "mnkr", 42),
            _fact(DOC_A, "budget_deviation_mnkr", "Administration och anslag", Y2022, 252, "mnkr", 43),
            _fact(DOC_A, "revenue_budget_deviation_mnkr", HSN, Y2022, 327, "mnkr", 60),
            _fact(DOC_A, "cost_budget_deviation_mnkr", HSN, Y2022, -526, "mnkr", 61),
            # stated once here and once in DOC_B with the same value (same_fact_same_value passes)
            _fact(DOC_A, "care_revenue_mnkr", HSN, Y2022, 1424, "mnkr", 70),
            # waiting table 1: rows 10 + 20 = total 30 (pass); table 2: 5 + 7 = 12, total says 15 (fail)
            *_table_row(DOC_A, first_visit, "Ortopedi Vb", 10, 2, 10),
            *_table_row(DOC_A, first_visit, "Psykiatri Vb", 20, -1, 11),
            *_table_row(DOC_A, first_visit, "TOTALT VÄSTERBOTTEN", 30, 1, 12),
            *_table_row(DOC_A, treatment, "Ögonkirurgi Vb", 5, 1, 20),
            *_table_row(DOC_A, treatment, "Kirurgi inkl. urologi", 7, 2, 21),
            *_table_row(DOC_A, treatment, "TOTALT VÄSTERBOTTEN", 15, 3, 22),
            # employees 9 000 + 400 = 9 400, total says 9 459 (fail)
            _fact(DOC_A, "employees_count", HSN, DEC22, 9459, "count", 200),
            _fact(DOC_A, "employees_count", HSN, DEC22, 9000, "count", 200, breakdown="tillsvidareanställda"),
            _fact(DOC_A, "employees_count", HSN, DEC22, 400, "count", 201, breakdown="vikarier"),
            # sick leave 6,4 -> 5,1 stated as a change of 2 percentage points (fail)
            _fact(DOC_A, "sick_leave_pct", HSN, (date(2022, 1, 1), date(2022, 1, 31), "month"), 6.4, "percent", 300),
            _fact(DOC_A, "sick_leave_pct", HSN, (date(2022, 11, 1), date(2022, 11, 30), "month"), 5.1, "percent", 301),
            # care guarantee table: 'Reumatologi Nus 76 -9' twice (fail), 'Geriatrik Vb 96 -5' once (pass)
            *_table_row(DOC_A, "care_guarantee_first_visit_pct", "Reumatologi Nus", 76, -9, 400, "percent"),
            *_table_row(DOC_A, "care_guarantee_first_visit_pct", "Geriatrik Vb", 96, -5, 401, "percent"),
            *_table_row(DOC_A, "care_guarantee_first_visit_pct", "Reumatologi Nus", 76, -9, 402, "percent"),
        ],
        goals=[
            GoalAssessment(DOC_A, HSN, number, None, f"Mål {number}", status, "forecast", date(2022, 12, 31),
                           360 + number, f"Mål {number} ...", "goals:summary_table")
            for number, status in [(1, "not_met"), (2, "not_met"), (3, "met"), (4, "partly_met")]
        ],
        stated_counts=[
            StatedCount(DOC_A, "goals", "not_met", 2, 385, "2 kommer inte att uppfyllas", "goals:stated_count"),
            StatedCount(DOC_A, "goals", "not_met", 3, 480, "3 kommer inte att uppfyllas", "goals:stated_count"),
            StatedCount(DOC_A, "goals", "total", 4, 386, "Av de fyra målen", "goals:stated_count"),
        ],
        unmapped=[
            UnmappedNumber(DOC_A, 302, "2 procentenheter", 2.0, "percentage_points", "percentage_points",
                           "Sjukfrånvaron minskade med 2 procentenheter"),
            UnmappedNumber(DOC_A, 403, "96 -5", 96.0, None, "contradiction:duplicate_table_row: same row as line 401",
                           "Geriatrik Vb 96 -5"),
            UnmappedNumber(DOC_A, 9, "2022 07", None, None,
                           "contradiction:table_header_period: header says 2022-07, text (line 5) says 2022-12-31; "
                           "text date used", "FÖRSTABESÖK - SPECIALITET 2022 07"),
        ],
    )
    b = Extraction(
        facts=[
            # forecast 2023: areas -100 - 50 - 300 + 0 = -450 and revenue + costs = -490, total says -550 (fail)
            _fact(DOC_B, "budget_deviation_mnkr", HSN, Y2023, -550, "mnkr", 5, scenario="forecast"),
            _fact(DOC_B, "revenue_budget_deviation_mnkr", HSN, Y2023, 10, "mnkr", 6, scenario="forecast"),
            _fact(DOC_B, "cost_budget_deviation_mnkr", HSN, Y2023, -500, "mnkr", 7, scenario="forecast"),
            _fact(DOC_B, "budget_deviation_mnkr", "Primärvård", Y2023, -100, "mnkr", 20, scenario="forecast"),
            _fact(DOC_B, "budget_deviation_mnkr", "Tandvård", Y2023, -50, "mnkr", 21, scenario="forecast"),
            _fact(DOC_B, "budget_deviation_mnkr", "Sjukhusvård", Y2023, -300, "mnkr", 22, scenario="forecast"),
            _fact(DOC_B, "budget_deviation_mnkr", "Administration och anslag", Y2023, 0, "mnkr", 23, scenario="forecast"),
            _fact(DOC_B, "care_revenue_mnkr", HSN, Y2022, 1424, "mnkr", 30),
            # 6 807 = 6 339 + 468 (pass)
            _fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 6807, "count", 100),
            _fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 6339, "count",
                  100, breakdown="tillsvidareanställda"),
            _fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 468, "count",
                  102, breakdown="vikarier och tillfälligt anställda"),
            # 8,97 -> 6,7 stated as 2,27 percentage points (pass)
            _fact(DOC_B, "sick_leave_pct", HSN, (date(2023, 1, 1), date(2023, 2, 28), "year_to_date"), 6.7, "percent", 110),
            _fact(DOC_B, "sick_leave_pct", HSN, (date(2022, 1, 1), date(2022, 2, 28), "year_to_date"), 8.97, "percent", 114),
        ],
        unmapped=[
            UnmappedNumber(DOC_B, 112, "2,27 procentenheter", 2.27, "percentage_points", "percentage_points",
                           "sjukfrånvaron sänkts 2,27 procentenheter"),
        ],
    )
    jan24 = (date(2024, 1, 31), date(2024, 1, 31), "point_in_time")
    feb24 = (date(2024, 2, 29), date(2024, 2, 29), "point_in_time")
    share = "share_waiting_over_90_days_pct"
    c = Extraction(
        facts=[
            # pie January: 60 + 40 = 100 (pass); pie February: 60 + 30 + 20 = 110 (fail)
            _fact(DOC_C, share, "Ögon", jan24, 60, "percent", 10, method="chart:pie"),
            _fact(DOC_C, share, "Ortopedi", jan24, 40, "percent", 12, method="chart:pie"),
            _fact(DOC_C, share, "Ögon", feb24, 60, "percent", 30, method="chart:pie"),
            _fact(DOC_C, share, "Ortopedi", feb24, 30, "percent", 32, method="chart:pie"),
            _fact(DOC_C, share, "Urologi", feb24, 20, "percent", 34, method="chart:pie"),
            # schema and range breaches (severity error), one per rule
            _fact(DOC_C, "care_guarantee_first_visit_pct", "Ögon", jan24, 140, "percent", 50, method="chart:bar"),
            _fact(DOC_C, "bed_occupancy_pct", "Ögon", jan24, 104, "percent", 51),  # may exceed 100: passes
            _fact(DOC_C, "bup_waiting_count", "Barn- och ungdomspsykiatri Västerbotten", jan24, -5, "count", 52),
            _fact(DOC_C, "made_up_kpi_pct", "Ögon", jan24, 12, "percent", 53),
            _fact(DOC_C, "visits_count", "Ögon", (date(2024, 2, 1), date(2024, 1, 1), "month"), 100, "count", 54),
            _fact(DOC_C, "visits_count", "Ortopedi", jan24, 100, "count", 55, text=""),
            _fact(DOC_C, "visits_count", "Urologi", (date(2024, 1, 1), date(2024, 1, 31), None), 100, "count", 56),
        ],
    )
    return {DOC_A: a, DOC_B: b, DOC_C: c}


def build_raw(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        load_raw(con, sample_documents(), sample_extractions(), [])
        con.execute("checkpoint")
    return path


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def run_dbt(args: list[str], database: Path, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DUCKDB_PATH": str(database)}
    command = [dbt_executable(), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
               "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=DBT_DIR, timeout=900)


def build_warehouse(tmp: Path) -> Path:
    """Raw fixture + every model the quality folder needs, then the quality folder's dbt tests.

    Upstream tests are left to their own modules: a deliberately broken fact must reach the rules.
    """
    database = build_raw(tmp / "warehouse.duckdb")
    built = run_dbt(["build", "--select", "+path:models/quality", "--exclude-resource-type", "test",
                     "--exclude-resource-type", "unit_test"], database, tmp)
    assert built.returncode == 0, built.stdout[-4000:]
    tested = run_dbt(["test", "--select", "path:models/quality"], database, tmp)
    assert tested.returncode == 0, tested.stdout[-4000:]
    return database


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("consistency"))


def instances(warehouse: Path, rule: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.consistency_rule_instances where rule = ? order by document, source_lines", [rule]
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def verdicts(warehouse: Path, rule: str) -> set[bool]:
    return {row["passed"] for row in instances(warehouse, rule)}


@pytest.mark.parametrize(
    "rule",
    [
        "table_total_equals_sum_of_rows",
        "unit_equals_sum_of_areas",
        "revenue_plus_cost_equals_total",
        "same_fact_same_value",
        "stated_count_equals_rated_goals",
        "total_equals_sum_of_breakdowns",
        "change_equals_difference_of_levels",
        "shares_sum_to_100",
        "table_row_stated_once",
        "share_within_0_100",
        "count_not_negative",
        "period_start_not_after_end",
        "provenance_present",
        "kpi_in_catalogue",
        "period_in_dimension",
    ],
)
def test_every_rule_passes_and_fails_on_the_fixture(warehouse, rule):
    assert verdicts(warehouse, rule) == {True, False}


def test_table_total_vs_sum_of_rows(warehouse):
    rows = {r["kpi_code"] + "/" + r["breakdown"]: r for r in instances(warehouse, "table_total_equals_sum_of_rows")}
    failed = rows["waiting_over_90_days_treatment_count/total"]
    assert (failed["expected"], failed["actual"], failed["difference"], failed["passed"]) == (15, 12, -3, False)
    assert failed["source_lines"] == "22 (total); 20–21 (2 rows)"
    assert rows["waiting_over_90_days_first_visit_count/total"]["passed"]
    # the difference column is a table of its own: 2 - 1 = 1
    assert rows["waiting_over_90_days_first_visit_count/diff_vs_2021_12"]["passed"]


def test_budget_deviation_stated_twice_is_a_finding_but_both_reconcile(warehouse):
    conflict = [r for r in instances(warehouse, "same_fact_same_value") if r["kpi_code"] == "budget_deviation_mnkr"]
    assert len(conflict) == 1 and not conflict[0]["passed"]
    assert (conflict[0]["expected"], conflict[0]["actual"], conflict[0]["source_lines"]) == (-199, -198, "3, 50")
    assert "-199 (rad 3), -198 (rad 50)" in conflict[0]["message_sv"]
    hsn_2022 = [r for r in instances(warehouse, "unit_equals_sum_of_areas") if r["period_end"] == date(2022, 12, 31)]
    assert sorted((r["expected"], r["actual"], r["passed"]) for r in hsn_2022) == [(-199, -199, True), (-198, -199, True)]
    forecast = [r for r in instances(warehouse, "revenue_plus_cost_equals_total") if r["scenario"] == "forecast"]
    assert [(r["expected"], r["actual"], r["passed"]) for r in forecast] == [(-550, -490, False)]
    care_revenue = [r for r in instances(warehouse, "same_fact_same_value") if r["kpi_code"] == "care_revenue_mnkr"]
    assert care_revenue[0]["passed"] and care_revenue[0]["documents"] == f"{DOC_A}, {DOC_B}"


def test_stated_goal_count_vs_goal_table(warehouse):
    rows = {(r["breakdown"], r["expected"]): r for r in instances(warehouse, "stated_count_equals_rated_goals")}
    assert rows[("not_met", 3)]["actual"] == 2 and not rows[("not_met", 3)]["passed"]
    assert rows[("not_met", 2)]["passed"] and rows[("total", 4)]["passed"]
    assert "men måltabellen har 2" in rows[("not_met", 3)]["message_sv"]


def test_percentage_point_change_vs_levels(warehouse):
    rows = {r["document"]: r for r in instances(warehouse, "change_equals_difference_of_levels")}
    assert rows[DOC_B]["passed"] and rows[DOC_B]["expected"] == pytest.approx(2.27)
    assert not rows[DOC_A]["passed"] and rows[DOC_A]["difference"] == pytest.approx(0.7)
    assert rows[DOC_A]["tolerance"] == pytest.approx(0.1)


def test_duplicated_rows_from_facts_and_from_the_parser(warehouse):
    failed = [r for r in instances(warehouse, "table_row_stated_once") if not r["passed"]]
    assert sorted(r["source_lines"] for r in failed) == ["400, 402", "401, 403"]


def test_findings_hold_only_failed_instances_with_messages(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed = con.execute("select count(*) from marts.consistency_rule_instances where not passed").fetchone()[0]
        findings = con.execute(
            "select rule, severity, message_sv, message_en from marts.consistency_findings"
        ).fetchall()
    assert len(findings) == failed > 0
    assert all(sv and en for _, _, sv, en in findings)
    rules_by_severity = {}
    for rule, severity, _, _ in findings:
        rules_by_severity.setdefault(severity, set()).add(rule)
    assert "share_within_0_100" in rules_by_severity["error"]
    assert "source_states_one_reading" in rules_by_severity["warn"]
    assert not rules_by_severity["warn"] & rules_by_severity["error"]


def test_bed_occupancy_may_exceed_100(warehouse):
    rows = [r for r in instances(warehouse, "share_within_0_100") if r["kpi_code"] == "bed_occupancy_pct"]
    assert rows and all(r["passed"] for r in rows)
