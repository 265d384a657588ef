"""Time words in running text: what they name, and which only compare."""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.extraction import time_expressions as times

APRIL = times.PeriodReference(date(2023, 1, 1), date(2023, 4, 30), "interim_report")
YEAR = times.PeriodReference(date(2022, 1, 1), date(2022, 12, 31), "annual_report")
PRESS = times.PeriodReference(date(2017, 1, 1), date(2017, 12, 31), "annual_report", published_on=date(2018, 2, 14))


def one(text: str, ref=APRIL, time_kind="flow"):
    found = [t for t in times.find(text) if not t.is_comparison]
    assert len(found) == 1, found
    return times.resolve(found[0], ref, time_kind)


@pytest.mark.parametrize(
    "text, start, end, kind",
    [
        ("för perioden januari till juli 2021", date(2021, 1, 1), date(2021, 7, 31), "year_to_date"),
        ("januari–augusti", date(2023, 1, 1), date(2023, 8, 31), "year_to_date"),
        ("per april 2022", date(2022, 1, 1), date(2022, 4, 30), "year_to_date"),
        (
            "ackumulerat november",
            date(2022, 1, 1),
            date(2022, 11, 30),
            "year_to_date",
        ),  # November of the year before the April report
        ("för helåret", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("för 2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("inför 2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("året innan", date(2022, 1, 1), date(2022, 4, 30), "year_to_date"),  # last year's same months
        ("nästa år", date(2024, 1, 1), date(2024, 12, 31), "year"),
        ("den 31 december 2017", date(2017, 12, 31), date(2017, 12, 31), "point_in_time"),
        ("R12 (2409-2508)", date(2024, 9, 1), date(2025, 8, 31), "rolling_12_months"),
        ("efter första tertialet 2023", date(2023, 1, 1), date(2023, 4, 30), "year_to_date"),
        ("åren 2023–2025", date(2023, 1, 1), date(2025, 12, 31), "multi_year"),
    ],
)
def test_phrases_name_their_period(text, start, end, kind):
    period = one(text)
    assert (period.start, period.end, period.period_type) == (start, end, kind)


def test_a_stock_is_a_point_in_time():
    period = one("i april 2022", time_kind="stock")
    assert (period.start, period.end, period.period_type) == (date(2022, 4, 30), date(2022, 4, 30), "point_in_time")


@pytest.mark.parametrize(
    "text",
    [
        "jämfört med 2022",
        "än samma period föregående år",
        "jämfört med samma period i fjol",
        "sedan 2019",
    ],
)
def test_comparisons_never_name_the_period(text):
    assert all(t.is_comparison for t in times.find(text))


def test_colloquial_last_year_counts_from_the_publication_date():
    # a press release of February 2018 on the year 2017: 'i fjol' is 2017, 'i år' 2018
    assert one("ifjol", PRESS).end == date(2017, 12, 31)
    assert one("i år", PRESS).end == date(2018, 12, 31)
    assert one("föregående år", PRESS).end == date(2016, 12, 31)


def test_a_year_equal_to_the_report_year_in_an_interim_report_is_the_report_period():
    period = one("för 2023")
    assert (period.start, period.end) == (date(2023, 1, 1), date(2023, 4, 30))
    assert one("för hela 2023").end == date(2023, 12, 31)
