"""Key-figure tables as PDF text flattens them, read through the lexicon."""

from __future__ import annotations

from datetime import date

from dagster_project.extraction.key_figures import extract_key_figures
from dagster_project.testing.sample_records import document_meta


def meta(
    organisation="Hylte kommun", region="13", start=date(2021, 1, 1), end=date(2021, 12, 31), kind="annual_report"
):
    return document_meta(organisation=organisation, region=region, start=start, end=end, kind=kind)


OVERVIEW = """Koncernen, mnkr

 202120202019
Årets resultat

    12,5

8,1

-3,0

Soliditet, %

40,1

38,0

37,2

Borgensåtagande

120

118

110

Antal anställda, tillsvidare

1 210

1 190

1 180"""


def test_a_five_year_overview_per_row_and_year():
    found, used = extract_key_figures(meta(), OVERVIEW.splitlines())
    rows = {(f.kpi_code, f.period_end.year): (f.value, f.org_unit, f.period_type) for f in found.facts}
    assert rows[("result_mnkr", 2021)] == (12.5, "Koncernen Hylte kommun", "year")
    assert rows[("result_mnkr", 2019)][0] == -3.0
    assert rows[("equity_ratio_pct", 2020)][0] == 38.0
    assert rows[("employees_count", 2021)] == (1210, "Koncernen Hylte kommun", "point_in_time")  # a stock: at year end
    # a row whose measure the catalogue lacks is listed, not filed under another KPI
    assert {u.measure for u in found.unmapped} == {"guarantees"}
    assert {3, 4, 6} <= used and 1 not in used  # header, the first label, its first value; not the caption


UNITS = """Rapport vecka 10
AS
BS
Totalt
Disponibla vårdplatser
120
80
200
AS: Alfasjukhuset BS: Betasjukhuset"""


def test_columns_of_units_with_a_legend():
    found, _ = extract_key_figures(
        meta("Region Halland", "13", date(2021, 3, 12), date(2021, 3, 12), "other"), UNITS.splitlines()
    )
    rows = {f.org_unit: f.value for f in found.facts if f.kpi_code == "available_beds_count"}
    assert rows == {"Alfasjukhuset": 120, "Betasjukhuset": 80, "Region Halland": 200}


SERIES = """Andel väntande som väntat 90 dagar eller kortare på en operation/åtgärd
Jan 2021 Feb 2021 Mars 2021
Urval 70% 72% 71%
Alla regioner 80% 81% 79%"""


def test_a_month_series_with_a_national_row():
    found, _ = extract_key_figures(
        meta("Region Halland", "13", date(2021, 3, 31), date(2021, 3, 31), "waiting_times"), SERIES.splitlines()
    )
    rows = {(f.org_unit, f.period_end, f.breakdown): f.value for f in found.facts}
    assert rows[("Region Halland", date(2021, 2, 28), "total")] == 72
    assert rows[("Alla regioner", date(2021, 3, 31), "Riket")] == 79
    assert all(f.kpi_code == "care_guarantee_treatment_pct" for f in found.facts)
