"""Swedish numbers and units as running text writes them; sentences keep their source lines."""

from __future__ import annotations

import pytest

from dagster_project.extraction.normalise import sentences, split_lines
from dagster_project.extraction.numbers import find_numbers, looks_like_year, parse_number


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("ett budgetöverskott på 1,1 miljon kronor", 1.1, "mnkr"),  # singular 'miljon' (was missed)
        ("en kostnad på 1 miljon", 1.0, "mnkr"),
        ("omfattar totalt 6,4 mdkr", 6400.0, "mnkr"),
        ("Budgetöverskottet är 153 tusen kronor", 0.153, "mnkr"),
        ("uppgår till 2 565 miljoner kronor", 2565.0, "mnkr"),
        ("sänkts 2,27 procentenheter", 2.27, "percentage_points"),
        ("ligger på 4,97 dagar", 4.97, "days"),
        ("motsvarande 3,81%", 3.81, "percent"),
    ],
)
def test_units(text, value, unit):
    token = find_numbers(text)[-1]
    assert (token.value, token.unit) == (pytest.approx(value), unit)


def test_minus_word_and_sign():
    assert find_numbers("resultatet var minus 342 miljoner kronor")[0].value == -342
    assert find_numbers("vilket motsvarar -3,3 procent")[0].value == -3.3
    assert parse_number("−0,4") == -0.4


def test_dash_between_years_is_not_a_minus():
    values = [t.value for t in find_numbers("under perioden 2021 – 2022")]
    assert values == [2021, 2022]


@pytest.mark.parametrize(
    "text, hedge",
    [
        ("drygt 34 mnkr", "drygt"),
        ("knappt 8,2 mnkr", "knappt"),
        ("ca 84 procent", "ca"),
        ("närmare 67 mnkr", "närmare"),
        ("cirka 300 personer", "cirka"),
    ],
)
def test_hedges(text, hedge):
    token = find_numbers(text)[0]
    assert token.is_approximate and token.hedge == hedge


def test_year_is_not_a_value():
    assert looks_like_year(find_numbers("under 2022")[0])
    assert not looks_like_year(find_numbers("2 022 besök")[0])


def test_sentence_keeps_line_of_number_across_hyphenation_and_blank_lines():
    text = "Regionen har per den sista februari 6 807 anställda varav 6 339 tillsvidarean-\n\nställda och 468 vikarier."
    lines = split_lines(text)
    (sentence,) = sentences(lines)
    assert "tillsvidareanställda" in sentence.text
    token = [t for t in find_numbers(sentence.text) if t.value == 468][0]
    assert sentence.line_at(token.start) == 3
