"""A small, realistic raw schema to develop and test the dbt project against.

    python -m dagster_project.testing.raw_fixture /tmp/dev.duckdb
    cd dbt && DUCKDB_PATH=/tmp/dev.duckdb dbt build --profiles-dir .

The rows are records as extraction produces them (dataclasses from records.py), written with
the warehouse loader `dagster_project.warehouse.load.load_raw` so the raw tables have exactly
the columns and types the pipeline writes.

The sample deliberately covers the edge cases the marts must handle: a clinic the org-unit seed
does not know, written two ways ('Ortopedi Ske' / 'Ortopedi Skellefteå'); a fact without a region;
a KPI code missing from the catalogue; a goal rating; an assignment; an ingest issue.
"""

from __future__ import annotations

import sys
import typing
from datetime import date
from pathlib import Path

import duckdb

from ..extraction import records
from ..warehouse.load import load_raw

RVB_2022 = "rvb_hsn_arsrapport_2022.txt"
RNB_2023 = "rnb_regiondirektorens_rapport_2023_02.txt"
HSD_2024 = "rvb_hsd_informerar_2024_02_28.txt"

# A clinic the seed does not list: the marts must add it to dim_org_unit, not drop its facts.
UNKNOWN_CLINIC = "Ortopedi Skellefteå"


# The rows are a table: one record a line, kept as written.
# fmt: off
def sample_documents() -> list[records.DocumentMeta]:
    return [
        records.DocumentMeta(
            document=RVB_2022,
            document_id="rvb_hsn_arsrapport_2022",
            sha256="a" * 64,
            size_bytes=182_311,
            region_code="24",
            region_name="Region Västerbotten",
            document_kind="annual_report",
            period_start=date(2022, 1, 1),
            period_end=date(2022, 12, 31),
            title="Hälso- och sjukvårdsnämndens årsrapport 2022",
            encoding="utf-8",
            line_count=2410,
        ),
        records.DocumentMeta(
            document=RNB_2023,
            document_id="rnb_regiondirektorens_rapport_2023_02",
            sha256="b" * 64,
            size_bytes=41_002,
            region_code="25",
            region_name="Region Norrbotten",
            document_kind="monthly_report",
            period_start=date(2023, 1, 1),
            period_end=date(2023, 2, 28),
            title="Regiondirektörens rapport februari 2023",
            encoding="utf-8",
            line_count=388,
        ),
        records.DocumentMeta(
            document=HSD_2024,
            document_id="rvb_hsd_informerar_2024_02_28",
            sha256="c" * 64,
            size_bytes=23_870,
            region_code="24",
            region_name="Region Västerbotten",
            document_kind="board_slides",
            period_start=None,
            period_end=date(2024, 1, 31),
            title="Hälso- och sjukvårdsdirektören informerar",
            encoding="utf-8",
            line_count=512,
        ),
    ]


def _fact(document: str, kpi_code: str, org_unit: str, region_code: str | None, start: date, end: date,
          period_type: str, value: float, unit: str, line: int, text: str, *, scenario: str = "actual",
          breakdown: str = "total", approx: bool = False, method: str = "text_rule") -> records.Fact:
    return records.Fact(
        document=document, kpi_code=kpi_code, org_unit=org_unit, region_code=region_code,
        period_start=start, period_end=end, period_type=period_type, scenario=scenario,
        breakdown=breakdown, value=value, unit=unit, is_approximate=approx, source_line=line,
        source_text=text, extraction_method=method,
    )


def sample_extractions() -> dict[str, records.Extraction]:
    y2022 = (date(2022, 1, 1), date(2022, 12, 31), "year")
    dec22 = (date(2022, 12, 31), date(2022, 12, 31), "point_in_time")
    ytd_feb23 = (date(2023, 1, 1), date(2023, 2, 28), "year_to_date")
    jan24 = (date(2024, 1, 31), date(2024, 1, 31), "point_in_time")
    rvb = records.Extraction(
        facts=[
            _fact(RVB_2022, "result_mnkr", "Hälso- och sjukvårdsnämnden", "24", *y2022, -512.0, "mnkr", 61,
                  "Hälso- och sjukvårdsnämndens resultat för 2022 är -512 mnkr."),
            _fact(RVB_2022, "care_revenue_mnkr", "Hälso- och sjukvårdsnämnden", "24", *y2022, 1424.0, "mnkr", 233,
                  "Vårdintäkterna uppgår till 1 424 mnkr."),
            _fact(RVB_2022, "hired_staff_cost_mnkr", "Primärvård", "24", *y2022, 120.0, "mnkr", 412,
                  "Kostnaden för inhyrd personal inom primärvården var drygt 120 mnkr.", approx=True),
            _fact(RVB_2022, "care_guarantee_first_visit_pct", "Ortopedi Västerbotten", "24", *dec22, 57.0,
                  "percent", 1630, "Ortopedi Vb 57 % 61 % -4", method="table_row"),
            _fact(RVB_2022, "care_guarantee_first_visit_pct", UNKNOWN_CLINIC, "24", *dec22, 48.0, "percent",
                  1641, "Ortopedi Ske 48 % 52 % -4", method="table_row"),
            _fact(RVB_2022, "care_guarantee_first_visit_pct", UNKNOWN_CLINIC, "24", *dec22, -4.0, "percent",
                  1641, "Ortopedi Ske 48 % 52 % -4", breakdown="diff_vs_2021_12", method="table_row"),
            _fact(RVB_2022, "bup_waiting_count", "Barn- och ungdomspsykiatri Västerbotten", "24",
                  date(2022, 10, 31), date(2022, 10, 31), "point_in_time", 112.0, "count", 1902,
                  "Behandling 126 119 112", breakdown="behandling", method="chart"),
            _fact(RVB_2022, "sick_leave_pct", "Hälso- och sjukvårdsnämnden", "24", date(2022, 1, 1),
                  date(2022, 11, 30), "year_to_date", 6.9, "percent", 2105,
                  "Sjukfrånvaron till och med november är 6,9 procent."),
        ],
        goals=[
            records.GoalAssessment(
                document=RVB_2022, org_unit="Hälso- och sjukvårdsnämnden", goal_number=3, sub_goal=None,
                goal_text="En god och jämlik hälsa", status="partly_met", scenario="actual",
                period_end=date(2022, 12, 31), source_line=140,
                source_text="Mål 3 En god och jämlik hälsa – Målet är delvis uppfyllt", extraction_method="goal_rule",
            ),
            records.GoalAssessment(
                document=RVB_2022, org_unit="Hälso- och sjukvårdsnämnden", goal_number=3, sub_goal="3.2",
                goal_text="Tillgängligheten ska öka", status="not_met", scenario="actual",
                period_end=date(2022, 12, 31), source_line=152,
                source_text="Delmål 3.2 Tillgängligheten ska öka – Ej uppfyllt", extraction_method="goal_rule",
            ),
        ],
        stated_counts=[
            records.StatedCount(document=RVB_2022, subject="goals", category="not_met", value=1.0, source_line=131,
                        source_text="Ett delmål bedöms inte uppfyllas.", extraction_method="count_rule"),
        ],
        unmapped=[
            records.UnmappedNumber(document=RVB_2022, source_line=300, number_text="14 procent", value=14.0, unit="percent",
                           reason="no_kpi_rule", source_text="Andelen ökade med 14 procent jämfört med 2019."),
        ],
    )
    rnb = records.Extraction(
        facts=[
            _fact(RNB_2023, "result_mnkr", "Region Norrbotten", "25", *ytd_feb23, 133.0, "mnkr", 48,
                  "Periodens resultat uppgår till 133 mnkr"),
            _fact(RNB_2023, "result_mnkr", "Region Norrbotten", "25", date(2023, 1, 1), date(2023, 12, 31), "year",
                  -150.0, "mnkr", 52, "Prognosen för helåret är ett underskott på 150 mnkr", scenario="forecast"),
            _fact(RNB_2023, "employees_count", "Region Norrbotten", "25", date(2023, 2, 28), date(2023, 2, 28),
                  "point_in_time", 6807.0, "count", 100, "per den sista februari 6 807 anställda"),
            # an extractor may emit a code the catalogue does not (yet) have: keep the row
            _fact(RNB_2023, "ambulance_missions_count", "Region Norrbotten", "25", *ytd_feb23, 6120.0, "count", 140,
                  "Ambulansen genomförde 6 120 uppdrag under perioden."),
        ],
        assignments=[
            records.Assignment(document=RNB_2023, assignment_text="Ta fram en plan för minskat beroende av hyrpersonal",
                       from_body="regionstyrelsen", to_body="regiondirektören", status="in_progress",
                       status_text="Pågående", deadline="2023-06-30", source_line=210,
                       source_text="Ta fram en plan för minskat beroende av hyrpersonal. Pågående",
                       extraction_method="assignment_list"),
        ],
    )
    hsd = records.Extraction(
        facts=[
            _fact(HSD_2024, "care_guarantee_first_visit_pct", "Ortopedi Ske", None, *jan24, 62.0, "percent", 88,
                  "Ortopedi Ske 62", method="chart"),
        ],
        assignments=[
            records.Assignment(document=HSD_2024, assignment_text="Formalisera arbetet med att minska hyrberoendet",
                       from_body="fullmäktige", to_body="nämnd", status=None, status_text=None, deadline=None,
                       source_line=21, source_text="• Formalisera arbetet med att minska hyrberoendet",
                       extraction_method="assignment_list"),
        ],
    )
    return {RVB_2022: rvb, RNB_2023: rnb, HSD_2024: hsd}


def sample_issues() -> list[records.IngestIssue]:
    return [
        records.IngestIssue(file_name="scan_utan_text.pdf", reason_code="no_text_layer",
                    detail="PDF has no extractable text (scanned image?)", sha256="d" * 64, size_bytes=1_204_003),
    ]
# fmt: on


def build_raw_fixture(path: str | Path) -> Path:
    """Write the sample raw schema into the DuckDB file at `path` (created or added to)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        load_raw(con, sample_documents(), sample_extractions(), sample_issues())
        con.execute("checkpoint")
    finally:
        con.close()  # dbt needs the write lock next
    return path


def main(argv: typing.Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m dagster_project.testing.raw_fixture PATH.duckdb", file=sys.stderr)
        return 2
    path = build_raw_fixture(argv[0])
    print(f"raw fixture written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
