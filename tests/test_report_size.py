"""The report grows linearly with the number of reports.

A generated corpus of short monthly reports (32 lines each) that all restate the same figures, so
that one fact is stated in every report and findings span every report: the case that once made
each report page list every other report (2.2 MB per report page at 2 000 reports). The corpus
goes through the real dbt project (series, findings) at two sizes; the report's bytes per report
must stay flat. Sizes are measured, never times.
"""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dagster_project.dbt_cli import run_dbt
from dagster_project.extraction.records import DocumentMeta, Extraction, Fact
from dagster_project.report.render import render_reports
from dagster_project.warehouse.load import load_raw

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LINES_PER_REPORT = 32
CLINICS = ["Ortopedi Umeå", "Kirurgi Umeå", "Psykiatri Umeå", "Onkologi Umeå"]


def generated_report(index: int) -> tuple[DocumentMeta, Extraction, list[str]]:
    """Report number `index`: one month of 2023 (or later), region 24, its text and its facts."""
    month = index % 12 + 1
    year = 2023 + index // 12
    end = date(year, month, calendar.monthrange(year, month)[1])
    name = f"rvb_manadsrapport_{index:04d}.txt"
    lines = [f"Månadsrapport {index} för Region Västerbotten, {end.isoformat()}."] + [
        f"Rad {n} i rapporten utan siffror." for n in range(2, LINES_PER_REPORT + 1)
    ]
    facts = []

    def fact(line: int, text: str, **values) -> None:
        lines[line - 1] = text
        facts.append(
            Fact(
                document=name,
                region_code="24",
                is_approximate=False,
                source_line=line,
                source_text=text,
                extraction_method="text:generated",
                scenario="actual",
                breakdown="total",
                **values,
            )
        )

    # 2022 figures restated in every report, by turns two values: a series and a finding each,
    # spanning every report
    deviation = -199.0 - (index % 2)
    fact(
        3,
        f"Budgetavvikelsen 2022 var {deviation:g} miljoner kronor.",
        kpi_code="budget_deviation_mnkr",
        org_unit="Hälso- och sjukvårdsnämnden",
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        period_type="year",
        value=deviation,
        unit="mnkr",
        value_low=deviation - 0.5,
        value_high=deviation + 0.5,
    )
    result = -512.0 + 10 * (index % 2)
    fact(
        20,
        f"Resultatet 2022 blev {result:g} mnkr.",
        kpi_code="result_mnkr",
        org_unit="Region Västerbotten",
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        period_type="year",
        value=result,
        unit="mnkr",
        value_low=result - 0.5,
        value_high=result + 0.5,
    )
    employees = 9459.0 + (index % 2)
    fact(
        22,
        f"Nämnden hade {employees:g} anställda vid årets slut 2022.",
        kpi_code="employees_count",
        org_unit="Hälso- och sjukvårdsnämnden",
        period_start=date(2022, 12, 31),
        period_end=date(2022, 12, 31),
        period_type="point_in_time",
        value=employees,
        unit="count",
        value_low=employees - 0.5,
        value_high=employees + 0.5,
    )
    fact(
        5,
        f"Resultatet hittills i år är {index * 3 - 50} mnkr.",
        kpi_code="result_mnkr",
        org_unit="Region Västerbotten",
        period_start=date(year, 1, 1),
        period_end=end,
        period_type="year_to_date",
        value=float(index * 3 - 50),
        unit="mnkr",
    )
    fact(
        7,
        f"Sjukfrånvaron i månaden var {5 + index % 3} procent.",
        kpi_code="sick_leave_pct",
        org_unit="Hälso- och sjukvårdsnämnden",
        period_start=date(year, month, 1),
        period_end=end,
        period_type="month",
        value=float(5 + index % 3),
        unit="percent",
    )
    for offset, clinic in enumerate(CLINICS):
        share = 50 + (index * 7 + offset * 11) % 50
        fact(
            10 + offset,
            f"{clinic} {share} {offset - 2}",
            kpi_code="care_guarantee_first_visit_pct",
            org_unit=clinic,
            period_start=end,
            period_end=end,
            period_type="point_in_time",
            value=float(share),
            unit="percent",
        )
        facts.append(
            Fact(
                document=name,
                kpi_code="care_guarantee_first_visit_pct",
                org_unit=clinic,
                region_code="24",
                period_start=end,
                period_end=end,
                period_type="point_in_time",
                scenario="actual",
                breakdown="diff_vs_2021_12",
                value=float(offset - 2),
                unit="percent",
                is_approximate=False,
                source_line=10 + offset,
                source_text=lines[9 + offset],
                extraction_method="table:generated",
            )
        )
    fact(
        15,
        "MEDEL VÄSTERBOTTEN 71",
        kpi_code="care_guarantee_first_visit_pct",
        org_unit="Västerbotten",
        period_start=end,
        period_end=end,
        period_type="point_in_time",
        value=71.0,
        unit="percent",
    )
    meta = DocumentMeta(
        name,
        name.removesuffix(".txt"),
        f"{index:064x}",
        2_000,
        "24",
        "Region Västerbotten",
        "monthly_report",
        date(year, 1, 1),
        end,
        f"Månadsrapport {end:%Y-%m}",
        "utf-8",
        LINES_PER_REPORT,
    )
    return meta, Extraction(facts=facts), lines


def build_report(folder: Path, count: int) -> int:
    """The report of `count` generated reports, built through dbt; returns its bytes (without the stylesheet)."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    metas, extractions = [], {}
    for index in range(count):
        meta, extraction, lines = generated_report(index)
        (inbox / meta.document).write_text("\n".join(lines) + "\n", encoding="utf-8")
        metas.append(meta)
        extractions[meta.document] = extraction
    warehouse = folder / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        load_raw(con, metas, extractions, [])
    result = run_dbt(
        ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
        warehouse,
        folder,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    site = folder / "site"
    render_reports(warehouse, site, reports_dir=inbox)
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p.parent.name != "static")


def test_report_bytes_per_report_stay_flat_as_reports_are_added(tmp_path):
    small, large = 10, 40
    per_report_small = build_report(tmp_path / "small", small) / small
    per_report_large = build_report(tmp_path / "large", large) / large
    print(f"\nreport bytes per report: {per_report_small:.0f} at {small} reports, {per_report_large:.0f} at {large}")
    # linear growth: the same bytes per report (a little more for longer index and KPI tables)
    assert per_report_large <= 1.25 * per_report_small
    assert per_report_large < 40_000  # a 32-line report: its page, its source view, its share of the rest
