"""Sentences cut into clauses, and how each hangs on the one before."""

from __future__ import annotations

from dagster_project.extraction.clauses import ALTERNATIVE, APPOSITION, COMPARISON, COORDINATE, NEW, RELATIVE, split


def links(text: str, protected=()):
    return [(c.link, c.text.strip(" ,.")) for c in split(text, list(protected))]


def test_relative_clause_after_a_figure():
    assert links(
        "Prognosen visar ett underskott på 553 miljoner kronor, vilket är 557 miljoner kronor sämre än budget."
    ) == [
        (NEW, "Prognosen visar ett underskott på 553 miljoner kronor"),
        (RELATIVE, "vilket är 557 miljoner kronor sämre än budget"),
    ]


def test_conjunction_cuts_only_between_two_figures():
    assert [
        link
        for link, _ in links(
            "I primärvården har produktionen minskat med 11,0 procent och i sjukhusvården med 2,1 procent."
        )
    ] == [NEW, COORDINATE]
    assert [link for link, _ in links("Hälso- och sjukvården och tandvården redovisar 12 miljoner kronor.")] == [NEW]


def test_alternative_and_apposition_and_comparison():
    assert [link for link, _ in links("Kostnaderna har ökat med 4 miljoner kronor eller 2,8 procent.")] == [
        NEW,
        ALTERNATIVE,
    ]
    assert [
        link for link, _ in links("Det allra största underskottet, 105 miljoner kronor, väntas tandvården få.")
    ] == [NEW, APPOSITION, NEW]
    assert [
        link
        for link, _ in links(
            "Resultatet är 1 677 miljoner kronor, att jämföra med budgeterat resultat på -252 miljoner."
        )
    ] == [NEW, COMPARISON]
    bracket = [
        link
        for link, text in links("Resultatet var 146,9 mnkr vilket var högre än föregående år (123,1 mnkr).")
        if "123,1" in text
    ]
    assert bracket == [ALTERNATIVE]


def test_protected_spans_are_never_cut():
    text = "Skatteintäkter, generella statsbidrag och utjämning var 1 244 miljoner kronor högre än budget."
    assert len(split(text, [(0, 51)])) == 1


def test_a_colon_gives_the_figure_of_what_it_follows():
    assert [link for link, _ in links("Nivå R12: 3,81 %")] == [NEW, APPOSITION]
