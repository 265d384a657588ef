"""What a page says about itself: kinds beyond follow-up reports, period, publication date, and
what the file name had to supply."""

from __future__ import annotations

from datetime import date

from dagster_project.extraction.document_profile import classify, file_name_period, is_report_like, published_on

PRESS = """Starkt resultat för Region Västernorrland

2022-02-03 12:06

Region Västernorrlands preliminära resultat för 2021 uppgår till 637 miljoner kronor."""

FACTS = """Fakta om regionen

Regionen hade den 31 december 2019 6 100 medarbetare.
45 procent av alla besök sker i primärvården.
Alla uppgifter är från den 31 december 2019."""

WAITING = """Väntetider i vården

Måluppfyllelse operation/åtgärd
Mars 2021
• 71%
Andel väntande patienter som väntat 90 dagar eller kortare."""

KEY_FIGURES = """Översikt över verksamhetens utveckling
Kommunen, mnkr
2020 2019 2018
Årets resultat
25,9
33,8
12,8
Skattesats
21,16
21,16
21,16"""


def test_a_press_release_on_the_year_is_an_annual_report_by_its_file_name_and_dated():
    found = classify(PRESS.splitlines(), "vasternorrland_bokslut_2021_12.txt")
    assert found.kind == "annual_report" and "kind" in found.file_name_used
    assert (found.period_start, found.period_end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert found.published_on == date(2022, 2, 3)
    assert found.organisation.name == "Region Västernorrland"


def test_a_fact_sheet_is_dated_by_its_figures():
    found = classify(FACTS.splitlines(), "fakta.txt")
    assert found.kind == "fact_sheet"
    assert (found.period_start, found.period_end) == (date(2019, 12, 31), date(2019, 12, 31))


def test_a_waiting_time_page_is_dated_by_its_month_heading():
    found = classify(WAITING.splitlines(), "sida.txt")
    assert found.kind == "waiting_times"
    assert found.period_end == date(2021, 3, 31)


def test_a_page_of_figures_whose_kind_is_not_named_is_other_or_the_file_names_kind():
    assert classify(KEY_FIGURES.splitlines(), "siffror.txt").kind == "other"
    named = classify(KEY_FIGURES.splitlines(), "vastervik_arsredovisning_2020_12.txt")
    assert named.kind == "annual_report" and named.period_end == date(2020, 12, 31)
    assert named.organisation.name == "Västerviks kommun" and "organisation" in named.file_name_used


def test_report_language_with_figures():
    assert is_report_like(["Resultatet blev 12 miljoner kronor och budgeten 10 miljoner kronor."])
    assert not is_report_like(["Mjölk", "Smör", "Ägg"])


def test_dates_in_file_names_and_first_lines():
    assert file_name_period("stockholm_manadsrapport_2024_02.txt") == (2024, 2)
    assert file_name_period("rapport.txt") == (None, None)
    assert published_on(["Pressmeddelande – 30 januari 2024", "text"]) == date(2024, 1, 30)
