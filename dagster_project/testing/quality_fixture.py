"""A small raw warehouse for the reconciliation rules (dbt/models/quality): every rule has an
instance that passes and one that fails, and the doubtful readings the rules must keep for review.

The facts carry what the text extraction records (measure, binding, value interval, period
source), written here as a firm reading would give them. build_quality_warehouse writes them with
the project's loader, builds the models the quality folder needs, then runs the quality folder's
own dbt tests (tests/test_consistency.py, tests/test_gx_suites.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from ..dbt_cli import run_dbt
from ..extraction.records import (
    Assignment,
    DocumentMeta,
    Extraction,
    GoalAssessment,
    UnmappedNumber,
)
from ..warehouse.load import load_raw
from .quality_records import (
    DEC22,
    DOC_A,
    DOC_B,
    DOC_C,
    HSN,
    RS,
    T2023,
    Y2022,
    Y2023,
    deviation,
    document_meta,
    fact,
    pie_slice,
    stated_count,
    table_row_facts,
)


# The rows are a table: one record a line, kept as written.
# fmt: off
def sample_documents() -> list[DocumentMeta]:
    return [
        document_meta(DOC_A, "annual_report", date(2022, 1, 1), date(2022, 12, 31)),
        document_meta(DOC_B, "interim_report", date(2023, 1, 1), date(2023, 4, 30)),
        document_meta(DOC_C, "board_slides", date(2024, 1, 31), date(2024, 1, 31)),
    ]


def sample_extractions() -> dict[str, Extraction]:
    first_visit, treatment = "waiting_over_90_days_first_visit_count", "waiting_over_90_days_treatment_count"
    revenue = {"measure": "revenue"}
    cost = {"measure": "cost"}
    a = Extraction(
        facts=[
            # HSN 2022: -199 in the summary, -198 in the economy section (same_fact_same_value fails);
            # areas sum to -199, revenue + costs to -199: both statements within rounding (pass)
            deviation(DOC_A, HSN, Y2022, -199, 3, text="redovisar för året en negativ budgetavvikelse på 199 mnkr"),
            deviation(DOC_A, HSN, Y2022, -198, 50, text="redovisar 2022 en negativ budgetavvikelse på 198 mnkr"),
            # the measure carried from an earlier sentence: never an accusation (needs review)
            deviation(DOC_A, HSN, Y2022, -150, 55, binding="carried", text="Den uppgår till 150 mnkr"),
            deviation(DOC_A, "Primärvård", Y2022, -55, 40),
            deviation(DOC_A, "Tandvård", Y2022, -43, 41),
            deviation(DOC_A, "Sjukhusvård", Y2022, -353, 42),
            deviation(DOC_A, "Administration och anslag", Y2022, 252, 43),
            fact(DOC_A, "revenue_budget_deviation_mnkr", HSN, Y2022, 327, "mnkr", 60, **revenue),
            fact(DOC_A, "cost_budget_deviation_mnkr", HSN, Y2022, -526, "mnkr", 61, **cost),
            # the result after and before financial items share a KPI, not a measure: no conflict;
            # the financial net is not stated, so the sum is not checkable
            fact(DOC_A, "result_mnkr", HSN, Y2022, 133, "mnkr", 48, measure="result"),
            fact(DOC_A, "result_mnkr", HSN, Y2022, 79, "mnkr", 58, measure="operating_result"),
            # a hedged 'drygt 1 400' covers the exact 1 424 (its interval is stated): compatible
            fact(DOC_A, "care_revenue_mnkr", HSN, Y2022, 1400, "mnkr", 70, approx=True, interval=(1400, 1540),
                  measure="care_revenue"),
            fact(DOC_A, "care_revenue_mnkr", HSN, Y2022, 1424, "mnkr", 71, measure="care_revenue"),
            # one sentence, two values of one measure: a misreading, not a contradiction (needs review)
            fact(DOC_A, "hired_staff_cost_mnkr", "Primärvård", Y2022, 120, "mnkr", 80, measure="hired_staff_cost",
                  text="kostnaderna för inhyrd personal 120 mnkr, varav 16 mnkr"),
            fact(DOC_A, "hired_staff_cost_mnkr", "Primärvård", Y2022, 16, "mnkr", 80, measure="hired_staff_cost",
                  text="kostnaderna för inhyrd personal 120 mnkr, varav 16 mnkr"),
            # waiting table 1: rows 10 + 20 = total 30 (pass); table 2: 5 + 7 = 12, total says 15 (fail)
            *table_row_facts(DOC_A, first_visit, "Ortopedi Vb", 10, 2, 10),
            *table_row_facts(DOC_A, first_visit, "Psykiatri Vb", 20, -1, 11),
            *table_row_facts(DOC_A, first_visit, "TOTALT VÄSTERBOTTEN", 30, 1, 12),
            *table_row_facts(DOC_A, treatment, "Ögonkirurgi Vb", 5, 1, 20),
            *table_row_facts(DOC_A, treatment, "Kirurgi inkl. urologi", 7, 2, 21),
            *table_row_facts(DOC_A, treatment, "TOTALT VÄSTERBOTTEN", 15, 3, 22),
            # employees 9 000 + 400 = 9 400, total says 9 459 (fail)
            fact(DOC_A, "employees_count", HSN, DEC22, 9459, "count", 200, measure="employees"),
            fact(DOC_A, "employees_count", HSN, DEC22, 9000, "count", 200, breakdown="tillsvidareanställda",
                  measure="employees"),
            fact(DOC_A, "employees_count", HSN, DEC22, 400, "count", 201, breakdown="vikarier", measure="employees"),
            # sick leave 6,4 -> 5,1 stated as a change of 2 percentage points (fail)
            fact(DOC_A, "sick_leave_pct", HSN, (date(2022, 1, 1), date(2022, 1, 31), "month"), 6.4, "percent", 300,
                  measure="sick_leave"),
            fact(DOC_A, "sick_leave_pct", HSN, (date(2022, 11, 1), date(2022, 11, 30), "month"), 5.1, "percent", 301,
                  measure="sick_leave"),
            # care guarantee table: 'Reumatologi Nus 76 -9' twice (fail), 'Geriatrik Vb 96 -5' once (pass)
            *table_row_facts(DOC_A, "care_guarantee_first_visit_pct", "Reumatologi Nus", 76, -9, 400, "percent"),
            *table_row_facts(DOC_A, "care_guarantee_first_visit_pct", "Geriatrik Vb", 96, -5, 401, "percent"),
            *table_row_facts(DOC_A, "care_guarantee_first_visit_pct", "Reumatologi Nus", 76, -9, 402, "percent"),
        ],
        goals=[
            GoalAssessment(DOC_A, HSN, number, None, f"Mål {number}", status, "forecast", date(2022, 12, 31),
                           360 + number, f"Mål {number}. Ett mål  Mål kommer {status}", "goals:goal_table")
            for number, status in [(1, "not_met"), (2, "not_met"), (3, "met"), (4, "partly_met")]
        ],
        assignments=[
            Assignment(DOC_A, f"Uppdrag {n}", "fullmäktige", "nämnd", status, status, "2022-12-31", 600 + 3 * n,
                       f"{status} Uppdrag {n}", "goals:assignment_table")
            for n, status in [(1, "completed"), (2, "in_progress"), (3, "in_progress")]
        ],
        stated_counts=[
            stated_count(DOC_A, "goals", "total", 4, 386, "Av de fyra målen kommer 2 inte att uppfyllas."),
            stated_count(DOC_A, "goals", "not_met", 2, 386, "Av de fyra målen kommer 2 inte att uppfyllas."),
            # the cover memo: 3 not met where the table rates 2 (fail)
            stated_count(DOC_A, "goals", "not_met", 3, 480, "3 kommer inte att uppfyllas."),
            # 'Av de sex inriktningsmålen': another set of goals than the four rated (needs review)
            stated_count(DOC_A, "goals", "total", 6, 490, "Av de sex inriktningsmålen uppfylls fem."),
            stated_count(DOC_A, "goals", "met", 5, 490, "Av de sex inriktningsmålen uppfylls fem."),
            # assignments: 2 of 3 completed where the list has 1 (fail); the total 3 holds (pass)
            stated_count(DOC_A, "assignments", "total", 3, 590, "Av 3 uppdrag är 2 avslutade."),
            stated_count(DOC_A, "assignments", "completed", 2, 590, "Av 3 uppdrag är 2 avslutade."),
        ],
        unmapped=[
            UnmappedNumber(DOC_A, 302, "2 procentenheter", 2.0, "percentage_points", "percentage_points",
                           "Sjukfrånvaron minskade med 2 procentenheter"),
            UnmappedNumber(DOC_A, 403, "96 -5", 96.0, None, "contradiction:duplicate_table_row: same row as line 401",
                           "Geriatrik Vb 96 -5"),
            UnmappedNumber(DOC_A, 9, "2022 07", None, None,
                           "contradiction:table_header_period: header says 2022-07, text (line 5) says 2022-12-31; "
                           "text date used", "FÖRSTABESÖK - SPECIALITET 2022 07"),
            UnmappedNumber(DOC_A, 404, ".15", -15.0, "count", "contradiction:misprinted_cell: '.15' read as -15",
                           "Öron- näs- och halssjukvård Nus 62 .15"),
        ],
    )
    forecast = {"scenario": "forecast"}
    b = Extraction(
        facts=[
            # forecast 2023: areas -100 - 50 - 300 + 0 = -450 and revenue + costs = -490, total says -550 (fail)
            deviation(DOC_B, HSN, Y2023, -550, 5, **forecast),
            fact(DOC_B, "revenue_budget_deviation_mnkr", HSN, Y2023, 10, "mnkr", 6, **forecast, **revenue),
            fact(DOC_B, "cost_budget_deviation_mnkr", HSN, Y2023, -500, "mnkr", 7, **forecast, **cost),
            deviation(DOC_B, "Primärvård", Y2023, -100, 20, **forecast),
            deviation(DOC_B, "Tandvård", Y2023, -50, 21, **forecast),
            deviation(DOC_B, "Sjukhusvård", Y2023, -300, 22, **forecast),
            deviation(DOC_B, "Administration och anslag", Y2023, 0, 23, **forecast),
            # Regionstyrelsen's forecast: 3 + 1 + 26 + 6 - 80 = -44 against -43, within the rounding of six
            # whole millions; Digitalisering och Service is one of its areas (seeds/org_units.csv)
            deviation(DOC_B, RS, Y2023, -43, 1510, **forecast),
            deviation(DOC_B, "Regionförvaltningen gemensamt", Y2023, 3, 1512, **forecast),
            deviation(DOC_B, "Administrativ verksamhet", Y2023, 1, 1517, **forecast),
            deviation(DOC_B, "Primärvård beställning", Y2023, 26, 1519, **forecast),
            deviation(DOC_B, "Tandvård beställning", Y2023, 6, 1520, **forecast),
            deviation(DOC_B, "Digitalisering och Service", Y2023, -80, 1522, **forecast),
            # ... and per April only two of its areas are stated: not checkable, nothing found
            deviation(DOC_B, RS, T2023, 16, 1306),
            deviation(DOC_B, "Administrativ verksamhet", T2023, 2, 1322),
            deviation(DOC_B, "Digitalisering och Service", T2023, -24, 1329),
            # result -288 = operating result -324 + financial net 36 (pass)
            fact(DOC_B, "result_mnkr", "Region Västerbotten", T2023, -288, "mnkr", 1015, measure="result"),
            fact(DOC_B, "result_mnkr", "Region Västerbotten", T2023, -324, "mnkr", 1022, measure="operating_result"),
            fact(DOC_B, "financial_net_mnkr", "Region Västerbotten", T2023, 36, "mnkr", 1065, measure="financial_net"),
            # net investments forecast 930 and 925: one measure, two values (fail) ...
            fact(DOC_B, "net_investments_mnkr", "Region Västerbotten", Y2023, 930, "mnkr", 627, **forecast,
                  measure="net_investments"),
            fact(DOC_B, "net_investments_mnkr", "Region Västerbotten", Y2023, 925, "mnkr", 1575, **forecast,
                  measure="net_investments"),
            # ... a third whose period is only the document's while the others state theirs: doubtful
            fact(DOC_B, "net_investments_mnkr", "Region Västerbotten", Y2023, 700, "mnkr", 1580, **forecast,
                  measure="net_investments", period_source="document"),
            # 6 807 = 6 339 + 468 (pass)
            fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 6807, "count",
                  100, measure="employees"),
            fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 6339, "count",
                  100, breakdown="tillsvidareanställda", measure="employees"),
            fact(DOC_B, "employees_count", HSN, (date(2023, 2, 28), date(2023, 2, 28), "point_in_time"), 468, "count",
                  102, breakdown="vikarier och tillfälligt anställda", measure="employees"),
            # 8,97 -> 6,7 stated as 2,27 percentage points (pass)
            fact(DOC_B, "sick_leave_pct", HSN, (date(2023, 1, 1), date(2023, 2, 28), "year_to_date"), 6.7, "percent",
                  110, measure="sick_leave"),
            fact(DOC_B, "sick_leave_pct", HSN, (date(2022, 1, 1), date(2022, 2, 28), "year_to_date"), 8.97, "percent",
                  114, measure="sick_leave"),
        ],
        stated_counts=[
            # 'Av 18 indikatorer bedöms fyra gröna, fyra gula och fyra röda. 6 saknar bedömning.' (pass)
            stated_count(DOC_B, "indicators", "total", 18, 246, "Av 18 indikatorer bedöms fyra gröna ...", "Mål 3"),
            stated_count(DOC_B, "indicators", "green", 4, 246, "Av 18 indikatorer bedöms fyra gröna ...", "Mål 3"),
            stated_count(DOC_B, "indicators", "yellow", 4, 246, "Av 18 indikatorer bedöms fyra gröna ...", "Mål 3"),
            stated_count(DOC_B, "indicators", "red", 4, 246, "Av 18 indikatorer bedöms fyra gröna ...", "Mål 3"),
            stated_count(DOC_B, "indicators", "no_assessment", 6, 247, "6 indikatorer saknar bedömning.", "Mål 3"),
            # 'Av nio indikatorer bedöms fem gröna, en gul och fyra röda': ten of nine (fail)
            stated_count(DOC_B, "indicators", "total", 9, 221, "Av nio indikatorer bedöms fem gröna ...", "Mål 2"),
            stated_count(DOC_B, "indicators", "green", 5, 221, "Av nio indikatorer bedöms fem gröna ...", "Mål 2"),
            stated_count(DOC_B, "indicators", "yellow", 1, 221, "Av nio indikatorer bedöms fem gröna ...", "Mål 2"),
            stated_count(DOC_B, "indicators", "red", 4, 222, "Av nio indikatorer bedöms fem gröna ...", "Mål 2"),
            # sub-goals: the document rates none, so nothing to compare with (not checkable)
            stated_count(DOC_B, "sub_goals", "met", 3, 187, "I nuläget är bedömningen att tre uppfylls.", "Mål 1"),
        ],
        unmapped=[
            UnmappedNumber(DOC_B, 112, "2,27 procentenheter", 2.27, "percentage_points", "percentage_points",
                           "sjukfrånvaron sänkts 2,27 procentenheter"),
        ],
    )
    jan24 = (date(2024, 1, 31), date(2024, 1, 31), "point_in_time")
    feb24 = (date(2024, 2, 29), date(2024, 2, 29), "point_in_time")
    c = Extraction(
        facts=[
            # pie January: 60 + 40 = 100 (pass); pie February: 60 + 30 + 20 = 110 (fail)
            pie_slice(DOC_C, "Ögon", jan24, 60, 10),
            pie_slice(DOC_C, "Ortopedi", jan24, 40, 12),
            pie_slice(DOC_C, "Ögon", feb24, 60, 30),
            pie_slice(DOC_C, "Ortopedi", feb24, 30, 32),
            pie_slice(DOC_C, "Urologi", feb24, 20, 34),
            # schema and range breaches (severity error), one per rule
            fact(DOC_C, "care_guarantee_first_visit_pct", "Ögon", jan24, 140, "percent", 50, method="chart:bar"),
            fact(DOC_C, "bed_occupancy_pct", "Ögon", jan24, 104, "percent", 51),  # may exceed 100: passes
            fact(DOC_C, "bup_waiting_count", "Barn- och ungdomspsykiatri Västerbotten", jan24, -5, "count", 52),
            fact(DOC_C, "made_up_kpi_pct", "Ögon", jan24, 12, "percent", 53),
            fact(DOC_C, "visits_count", "Ögon", (date(2024, 2, 1), date(2024, 1, 1), "month"), 100, "count", 54),
            fact(DOC_C, "visits_count", "Ortopedi", jan24, 100, "count", 55, text=""),
            fact(DOC_C, "visits_count", "Urologi", (date(2024, 1, 1), date(2024, 1, 31), None), 100, "count", 56),
        ],
    )
    return {DOC_A: a, DOC_B: b, DOC_C: c}
# fmt: on


def build_raw(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        load_raw(con, sample_documents(), sample_extractions(), [])
        con.execute("checkpoint")
    return path


def build_quality_warehouse(tmp: Path) -> Path:
    """Raw fixture + every model the quality folder needs, then the quality folder's dbt tests.

    Upstream tests are left to their own modules: a deliberately broken fact must reach the rules.
    """
    database = build_raw(tmp / "warehouse.duckdb")
    built = run_dbt(
        [
            "build",
            "--select",
            "+path:models/quality",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
        ],
        database,
        tmp,
    )
    assert built.returncode == 0, built.stdout[-4000:]
    tested = run_dbt(["test", "--select", "path:models/quality"], database, tmp)
    assert tested.returncode == 0, tested.stdout[-4000:]
    return database
