"""The reconciliation rules (dbt/models/quality) on a small raw warehouse: every rule has an
instance that passes and one that fails, only failed instances reach consistency_findings, and
disagreements resting on a doubtful reading (a carried measure, a defaulted period, a hedge with
no interval, two values in one sentence, a count about another set of goals) stay in
consistency_needs_review.

The rows and the build: dagster_project/testing/quality_fixture.py; the build runs once per test
session (tests/conftest.py, shared with tests/test_gx_suites.py).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.testing.quality_records import DOC_A, DOC_B, DOC_C, HSN

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(quality_warehouse) -> Path:
    return quality_warehouse


def instances(warehouse: Path, rule: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(
            "select * from marts.consistency_rule_instances where rule = ? order by document, source_lines", [rule]
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def verdicts(warehouse: Path, rule: str) -> set[bool]:
    return {row["passed"] for row in instances(warehouse, rule)}


def findings(warehouse: Path) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.consistency_findings")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def table(warehouse: Path, relation: str) -> list[dict]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from marts.{relation}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


@pytest.mark.parametrize(
    "rule",
    [
        "table_total_equals_sum_of_rows",
        "unit_equals_sum_of_areas",
        "total_equals_sum_of_components",
        "same_fact_same_value",
        "stated_count_equals_listed_items",
        "stated_parts_within_stated_total",
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
    # counts printed in a table are exact: no rounding to allow for
    assert (failed["expected"], failed["actual"], failed["difference"], failed["tolerance"], failed["passed"]) == (
        15,
        12,
        -3,
        0,
        False,
    )
    assert failed["source_lines"] == "22 (total); 20–21 (2 rows)"
    assert rows["waiting_over_90_days_first_visit_count/total"]["passed"]
    # the difference column is a table of its own: 2 - 1 = 1
    assert rows["waiting_over_90_days_first_visit_count/diff_vs_2021_12"]["passed"]


def test_one_measure_stated_twice_must_agree(warehouse):
    rows = {(r["document"], r["kpi_code"]): r for r in instances(warehouse, "same_fact_same_value")}
    conflict = rows[(DOC_A, "budget_deviation_mnkr")]
    assert not conflict["passed"] and (conflict["expected"], conflict["actual"], conflict["source_lines"]) == (
        -199,
        -198,
        "3, 50",
    )
    # two rounding intervals that only touch (198,5) do not overlap
    assert conflict["tolerance"] == pytest.approx(1.0, abs=1e-5) and conflict["tolerance"] < 1.0
    assert "-199 (rad 3), -198 (rad 50)" in conflict["message_sv"]
    assert "rad 3: «redovisar för året" in conflict["cited_text"] and "rad 50: «" in conflict["cited_text"]
    # the carried -150 (line 55) takes no part
    assert "55" not in conflict["source_lines"]
    # 930 and 925: equally precise, so no preferred value is named
    investments = rows[(DOC_B, "net_investments_mnkr")]
    assert not investments["passed"] and investments["source_lines"] == "627, 1575"
    assert "det mest exakta" not in investments["message_sv"]
    # the hedged 'drygt 1 400' (1 400..1 540) covers 1 424; the exact one is preferred
    care = rows[(DOC_A, "care_revenue_mnkr")]
    assert care["passed"] and care["expected"] == 1424
    # result (133) and operating result (79) are two measures of one KPI: nothing to compare
    assert (DOC_A, "result_mnkr") not in rows


def test_doubtful_readings_are_kept_for_review_not_published(warehouse):
    review = {
        (r["candidate_kind"], r["doubt_reason"], r["actual"]) for r in table(warehouse, "consistency_needs_review")
    }
    assert ("same_measure", "carried_binding", -150) in review
    assert ("same_measure", "defaulted_period", 700) in review
    assert ("same_measure", "same_sentence", 16) in review or ("same_measure", "same_sentence", 120) in review
    counts = {
        (r["expected"], r["actual"])
        for r in table(warehouse, "consistency_needs_review")
        if r["candidate_kind"] == "stated_count"
    }
    assert counts == {(6, 4), (5, 1)}  # 'Av de sex inriktningsmålen uppfylls fem' against four rated goals
    cited = {
        line for r in findings(warehouse) if r["document"] != DOC_C for line in re.findall(r"\d+", r["source_lines"])
    }
    assert not {"55", "1580", "490"} & cited
    assert not any(r["kpi_code"] == "hired_staff_cost_mnkr" for r in findings(warehouse))


def test_sums_are_checked_only_with_every_part(warehouse):
    checks = table(warehouse, "calculation_checks")
    by_line = {(c["document"], c["relation"], c["source_line"]): c for c in checks}
    # Regionstyrelsen's forecast adds up once Digitalisering och Service counts as its area
    rs = by_line[(DOC_B, "budget_deviation_is_sum_of_areas", 1510)]
    assert rs["status"] == "checked" and rs["passed"] and rs["parts_found"] == 5
    assert rs["parts_sum"] == -44 and rs["tolerance"] >= 1
    # per April two of its five areas are stated: not checkable, and what is missing is named
    april = by_line[(DOC_B, "budget_deviation_is_sum_of_areas", 1306)]
    assert april["status"] == "not_checkable" and april["passed"] is None
    assert april["parts_missing"] == "Primärvård beställning, Regionförvaltningen gemensamt, Tandvård beställning"
    # result without its financial net: not checkable; with it (interim report): -324 + 36 = -288
    assert by_line[(DOC_A, "result_is_operating_result_plus_financial_net", 48)]["parts_missing"] == "finansnettot"
    assert by_line[(DOC_B, "result_is_operating_result_plus_financial_net", 1015)]["passed"]
    # HSN 2022: -199 and -198 both reconcile with areas and with revenue + costs within rounding
    hsn = [c for c in checks if c["document"] == DOC_A and c["org_unit_name"] == HSN and c["status"] == "checked"]
    assert {(c["relation"], c["value"], c["passed"]) for c in hsn} == {
        ("budget_deviation_is_sum_of_areas", -199, True),
        ("budget_deviation_is_sum_of_areas", -198, True),
        ("budget_deviation_is_revenue_plus_cost_deviation", -199, True),
        ("budget_deviation_is_revenue_plus_cost_deviation", -198, True),
    }
    # the forecast fails both ways, and nothing not checkable reaches the findings
    forecast = {
        (r["rule"], r["actual"])
        for r in instances(warehouse, "unit_equals_sum_of_areas")
        + instances(warehouse, "total_equals_sum_of_components")
        if not r["passed"]
    }
    assert forecast == {("unit_equals_sum_of_areas", -450), ("total_equals_sum_of_components", -490)}
    assert not any(r["source_lines"].startswith("1306") for r in findings(warehouse))


def test_stated_counts_against_listed_items_and_their_own_total(warehouse):
    rows = {
        (r["breakdown"], r["expected"], r["source_lines"].split(" ")[0]): r
        for r in instances(warehouse, "stated_count_equals_listed_items")
    }
    memo = rows[("not_met", 3, "480")]
    assert memo["actual"] == 2 and not memo["passed"]
    assert "men måltabellen bedömer 2" in memo["message_sv"]
    assert rows[("not_met", 2, "386")]["passed"] and rows[("total", 4, "386")]["passed"]
    assignments = rows[("completed", 2, "590")]
    assert (
        assignments["actual"] == 1 and not assignments["passed"] and "uppdragslistan har 1" in assignments["message_sv"]
    )
    assert rows[("total", 3, "590")]["passed"]
    own = {r["expected"]: r for r in instances(warehouse, "stated_parts_within_stated_total")}
    assert own[18]["passed"] and own[18]["actual"] == 18
    assert not own[9]["passed"] and own[9]["actual"] == 10 and own[9]["difference"] == 1
    checks = table(warehouse, "stated_count_checks")
    sub_goals = [c for c in checks if c["subject"] == "sub_goals"]
    assert [(c["status"], c["not_checkable_reason"]) for c in sub_goals] == [("not_checkable", "nothing_listed")]


def test_percentage_point_change_vs_levels(warehouse):
    rows = {r["document"]: r for r in instances(warehouse, "change_equals_difference_of_levels")}
    assert rows[DOC_B]["passed"] and rows[DOC_B]["expected"] == pytest.approx(2.27)
    assert not rows[DOC_A]["passed"] and rows[DOC_A]["difference"] == pytest.approx(0.7)
    assert rows[DOC_A]["tolerance"] == pytest.approx(0.1)


def test_duplicated_rows_from_facts_and_from_the_parser(warehouse):
    failed = [r for r in instances(warehouse, "table_row_stated_once") if not r["passed"]]
    assert sorted(r["source_lines"] for r in failed) == ["400, 402", "401, 403"]


def test_pie_shares_sum_within_their_rounding(warehouse):
    rows = {r["period_end"]: r for r in instances(warehouse, "shares_sum_to_100")}
    assert rows[date(2024, 1, 31)]["passed"]
    february = rows[date(2024, 2, 29)]
    # three whole percents: at most 1,5 points of rounding
    assert not february["passed"] and february["tolerance"] == pytest.approx(1.5)


def test_findings_say_what_to_check(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed = con.execute("select count(*) from marts.consistency_rule_instances where not passed").fetchone()[0]
    rows = findings(warehouse)
    assert len(rows) == failed > 0
    assert all(r["message_sv"] and r["message_en"] and r["cited_text"].startswith("rad ") for r in rows)
    classes = {r["rule"]: r["finding_class"] for r in rows}
    assert classes["same_fact_same_value"] == "report_contradicts_itself"
    assert classes["table_header_agrees_with_text"] == "report_contradicts_itself"
    assert classes["unit_equals_sum_of_areas"] == "sum_does_not_add_up"
    assert classes["stated_count_equals_listed_items"] == "count_does_not_match"
    assert classes["cell_is_printed_as_a_number"] == "misprint"
    assert classes["table_row_stated_once"] == "misprint"
    header = next(r for r in rows if r["rule"] == "table_header_agrees_with_text")
    assert (
        header["message_sv"].startswith("Tabellhuvudet på rad 9 anger perioden 2022-07")
        and "rad 5" in header["message_sv"]
    )
    misprint = next(r for r in rows if r["rule"] == "cell_is_printed_as_a_number")
    assert (
        "har lästs som -15" in misprint["message_sv"]
        and misprint["cited_text"] == "rad 404: «Öron- näs- och halssjukvård Nus 62 .15»"
    )
    # no codes or English in the Swedish messages
    for r in rows:
        assert "_" not in r["message_sv"] and " the " not in r["message_sv"], r["message_sv"]
    by_severity = {}
    for r in rows:
        by_severity.setdefault(r["severity"], set()).add(r["rule"])
    assert "share_within_0_100" in by_severity["error"]
    assert not by_severity["warn"] & by_severity["error"]


def test_bed_occupancy_may_exceed_100(warehouse):
    rows = [r for r in instances(warehouse, "share_within_0_100") if r["kpi_code"] == "bed_occupancy_pct"]
    assert rows and all(r["passed"] for r in rows)
