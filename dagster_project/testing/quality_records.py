"""Records for the reconciliation rules' fixture, written as a firm reading would give them: the
documents, periods and units the fixture uses, and builders of facts and stated counts."""

from __future__ import annotations

from datetime import date

from ..extraction.records import DocumentMeta, Fact, StatedCount
from ..extraction.table_rules import measure_for

DOC_A = "rvb_test_arsrapport_2022.txt"  # annual report: HSN 2022, a waiting table, goals
DOC_B = "rvb_test_delarsrapport_2023.txt"  # interim report: forecasts, staff, sick leave, indicators
DOC_C = "rvb_test_informerar_2024.txt"  # slides: a pie chart

Y2022 = (date(2022, 1, 1), date(2022, 12, 31), "year")
Y2023 = (date(2023, 1, 1), date(2023, 12, 31), "year")
T2023 = (date(2023, 1, 1), date(2023, 4, 30), "year_to_date")
DEC22 = (date(2022, 12, 31), date(2022, 12, 31), "point_in_time")
HSN = "Hälso- och sjukvårdsnämnden"
RS = "Regionstyrelsen"


def document_meta(document: str, kind: str, start: date, end: date) -> DocumentMeta:
    return DocumentMeta(
        document=document,
        document_id=document.removesuffix(".txt"),
        sha256=document[:8].ljust(64, "0"),
        size_bytes=1000,
        region_code="24",
        region_name="Region Västerbotten",
        document_kind=kind,
        period_start=start,
        period_end=end,
        title=document,
        encoding="utf-8",
        line_count=500,
    )


def _half_unit(value: float) -> float:
    """Half a unit of the last decimal the value is written with, as the extraction records it."""
    for decimals in range(3):
        if abs(value * 10**decimals - round(value * 10**decimals)) < 1e-9:
            return 0.5 * 10**-decimals
    return 0.0005


def fact(
    document,
    kpi,
    unit_name,
    period,
    value,
    unit,
    line,
    *,
    scenario="actual",
    breakdown="total",
    method="text:rule",
    text=None,
    approx=False,
    measure=None,
    binding="clause",
    interval=None,
    period_source="clause",
) -> Fact:
    start, end, period_type = period
    if interval is None and not approx and method.startswith("text"):
        interval = (value - _half_unit(value), value + _half_unit(value))
    low, high = interval if interval else (None, None)
    return Fact(
        document=document,
        kpi_code=kpi,
        org_unit=unit_name,
        region_code="24",
        period_start=start,
        period_end=end,
        period_type=period_type,
        scenario=scenario,
        breakdown=breakdown,
        value=value,
        unit=unit,
        is_approximate=approx,
        source_line=line,
        source_text=text if text is not None else f"{unit_name} {value}",
        extraction_method=method,
        measure=measure,
        binding=binding,
        value_low=low,
        value_high=high,
        period_source=period_source,
    )


def deviation(document, unit_name, period, value, line, **kwargs) -> Fact:
    return fact(document, "budget_deviation_mnkr", unit_name, period, value, "mnkr", line, measure="result", **kwargs)


def table_row_facts(document, kpi, label, value, diff, line, unit="count") -> list[Fact]:
    text = f"{label} {value:g} {diff:g}"
    table = {
        "method": "table:side_by_side",
        "text": text,
        "measure": measure_for(kpi),
        "binding": "table",
        "period_source": "table_header",
    }
    return [
        fact(document, kpi, label, DEC22, value, unit, line, **table),
        fact(document, kpi, label, DEC22, diff, unit, line, breakdown="diff_vs_2021_12", **table),
    ]


def pie_slice(document, label, period, value, line) -> Fact:
    share = "share_waiting_over_90_days_pct"
    return fact(
        document,
        share,
        label,
        period,
        value,
        "percent",
        line,
        method="chart:pie",
        measure=measure_for(share),
        binding="chart",
        period_source="heading",
    )


def stated_count(document, subject, category, value, line, text, scope=None) -> StatedCount:
    return StatedCount(document, subject, category, value, line, text, "goals:stated_count", scope)
