"""Swedish months, month ends and period phrases."""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.extraction.periods import (
    MONTH_NAMES,
    month_end,
    month_number,
    month_range,
    parse_date,
    parse_period,
    year_to_date,
)


def test_month_names_and_abbreviations():
    assert [month_number(name) for name in MONTH_NAMES] == list(range(1, 13))
    abbreviations = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    assert [month_number(a) for a in abbreviations] == list(range(1, 13))
    assert month_number("Feb.") == 2 and month_number("sept") == 9 and month_number("AUGUSTI") == 8
    assert month_number("måndag") is None


def test_month_end_handles_leap_years():
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2023, 2) == date(2023, 2, 28)
    assert month_end(2022, 12) == date(2022, 12, 31)
    assert month_end(2025, 4) == date(2025, 4, 30)


@pytest.mark.parametrize(
    "text, default_year, expected",
    [
        ("31 december 2022", None, date(2022, 12, 31)),
        ("Per 31 dec 2022 uppgick skulden", None, date(2022, 12, 31)),
        ("2024-02-28", None, date(2024, 2, 28)),
        ("per den sista februari", 2024, date(2024, 2, 29)),
        ("per den sista februari 2023", None, date(2023, 2, 28)),
        ("per den sista februari", None, None),  # no year, no date
        ("2023-02-30", None, None),
        ("inget datum här", None, None),
    ],
)
def test_parse_date(text, default_year, expected):
    assert parse_date(text, default_year) == expected


@pytest.mark.parametrize(
    "text, default_year, expected",
    [
        ("januari - april", 2023, (date(2023, 1, 1), date(2023, 4, 30), "year_to_date")),
        ("perioden januari–augusti 2025", None, (date(2025, 1, 1), date(2025, 8, 31), "year_to_date")),
        ("jan-aug 2025", None, (date(2025, 1, 1), date(2025, 8, 31), "year_to_date")),
        ("maj - aug 2024", None, (date(2024, 5, 1), date(2024, 8, 31), "tertial")),
        ("apr-jun 2024", None, (date(2024, 4, 1), date(2024, 6, 30), "quarter")),
        ("mars - maj 2024", None, (date(2024, 3, 1), date(2024, 5, 31), "month_range")),
        ("R12 (2409-2508)", None, (date(2024, 9, 1), date(2025, 8, 31), "rolling_12_months")),
        ("Väntetid R12 (2301-2312)", None, (date(2023, 1, 1), date(2023, 12, 31), "rolling_12_months")),
        ("sep 2024 - aug 2025", None, (date(2024, 9, 1), date(2025, 8, 31), "rolling_12_months")),
        ("T2 2024", None, (date(2024, 5, 1), date(2024, 8, 31), "tertial")),
        ("kvartal 3 2024", None, (date(2024, 7, 1), date(2024, 9, 30), "quarter")),
        ("31 december 2022", None, (date(2022, 12, 31), date(2022, 12, 31), "point_in_time")),
        ("2024-02-28", None, (date(2024, 2, 28), date(2024, 2, 28), "point_in_time")),
        ("per den sista februari", 2024, (date(2024, 2, 29), date(2024, 2, 29), "point_in_time")),
        ("Data från januari 2024", None, (date(2024, 1, 1), date(2024, 1, 31), "month")),
        ("år 2022", None, (date(2022, 1, 1), date(2022, 12, 31), "year")),
        ("2022", None, (date(2022, 1, 1), date(2022, 12, 31), "year")),
        ("januari - april", None, None),  # a range without any year
        ("ingen period", None, None),
    ],
)
def test_parse_period(text, default_year, expected):
    assert parse_period(text, default_year) == expected


def test_year_to_date_and_month_range():
    assert year_to_date(2023, 2) == (date(2023, 1, 1), date(2023, 2, 28), "year_to_date")
    assert year_to_date(2024, 1) == (date(2024, 1, 1), date(2024, 1, 31), "month")
    assert month_range(2023, 1, 12) == (date(2023, 1, 1), date(2023, 12, 31), "year_to_date")
