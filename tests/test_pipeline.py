"""The per-document pipeline: a misread period is listed, never loaded."""

from datetime import date

from dagster_project.extraction.pipeline import _split_impossible_periods
from dagster_project.extraction.records import Fact


def _fact(start, end):
    return Fact(
        "d.txt",
        "result_mnkr",
        "Region Dalarna",
        "20",
        start,
        end,
        "year",
        "actual",
        "total",
        12.0,
        "mnkr",
        False,
        7,
        "Resultatet uppgår till 12 mnkr",
        "text:amount",
    )


def test_a_fact_whose_period_ends_before_it_starts_is_listed_not_loaded():
    good, bad = _fact(date(2024, 1, 1), date(2024, 12, 31)), _fact(date(2025, 1, 1), date(2024, 4, 30))
    kept, dropped = _split_impossible_periods([good, bad])
    assert kept == [good]
    assert [(d.source_line, d.value) for d in dropped] == [(7, 12.0)]
    assert dropped[0].reason.startswith("period_start_after_end")
