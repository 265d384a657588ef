"""Goal ratings, assignments and stated counts: synthetic shapes, then the corpus."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from dagster_project.extraction.goals import extract_goals
from dagster_project.extraction.normalise import split_lines
from dagster_project.testing.bundled import BUNDLED_REPORTS, make_meta

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "seeds" / "reports"
FIXTURES = ROOT / "tests" / "fixtures"

CORPUS = BUNDLED_REPORTS


def run(text: str, end: date = date(2023, 8, 31)):
    lines = split_lines(text)
    return extract_goals(
        make_meta("synthetic.txt", "25", "interim_report", date(end.year, 1, 1), end, len(lines)), lines
    )


GOAL_TABLE = """
Uppföljning av fullmäktiges mål

I regionplanen har fullmäktige riktat mål till nämnderna.

Mål 1. Norrbotten har god hälsa  Målet är uppfyllt

Mål 2. Vi har en tillgänglig vård för alla invånare i hela länet och
i alla åldrar  Målet är delvis uppfyllt

Mål 3. Vi har en hållbar ekonomi  Målet är ej uppfyllt

Mål 4. Vi är en attraktiv arbetsgivare  Ingen bedömning

Mål 5. Vi forskar  Mål kommer delvis uppfyllas

Av de fem mål som riktats till nämnderna är 1 helt uppfyllt, 1 delvis uppfyllt och 2 inte uppfyllda. Av 12 indikatorer bedöms fem gröna, två gula och en röd. Fyra indikatorer saknar bedömning.
"""


def test_goal_table_ratings():
    out = run(GOAL_TABLE)
    got = [(g.goal_number, g.sub_goal, g.status, g.scenario) for g in out.goals]
    assert got == [
        (1, None, "met", "actual"),
        (2, None, "partly_met", "actual"),
        (3, None, "not_met", "actual"),
        (4, None, "no_assessment", "actual"),
        (5, None, "partly_met", "forecast"),
    ]
    lines = split_lines(GOAL_TABLE)
    assert lines[out.goals[1].source_line - 1].startswith("i alla åldrar")  # the rating's line
    assert out.goals[1].goal_text.startswith("Vi har en tillgänglig vård") and "uppfyllt" not in out.goals[1].goal_text
    assert {g.org_unit for g in out.goals} == {"Region Norrbotten"}
    assert out.goals[4].period_end == date(2023, 12, 31)


def test_stated_counts_about_ratings():
    counts = {(c.subject, c.category): c.value for c in run(GOAL_TABLE).stated_counts}
    assert counts[("goals", "total")] == 5
    assert counts[("goals", "met")] == 1 and counts[("goals", "partly_met")] == 1 and counts[("goals", "not_met")] == 2
    assert counts[("indicators", "total")] == 12
    assert (
        counts[("indicators", "green")] == 5
        and counts[("indicators", "yellow")] == 2
        and counts[("indicators", "red")] == 1
    )
    assert counts[("indicators", "no_assessment")] == 4


def _counts(text: str) -> list[tuple[str, str, float]]:
    return [(c.subject, c.category, c.value) for c in run(text).stated_counts]


def test_stated_counts_in_other_shapes():
    # 'X av Y': X has the clause's category, Y is the total
    assert _counts("Tre av fyra mål uppfylls helt.") == [("goals", "met", 3), ("goals", "total", 4)]
    # 'samtliga/alla N': the total, and the category when one follows
    assert _counts("Samtliga sex inriktningsmål uppfylls.") == [("goals", "total", 6), ("goals", "met", 6)]
    assert _counts("Måluppfyllelsen bedöms inte helt tillfredsställande för alla sex inriktningsmål.") == [
        ("goals", "total", 6)
    ]
    assert _counts("Av 20 uppdrag är 12 avslutade, sju pågående och ett ej påbörjat.") == [
        ("assignments", "total", 20),
        ("assignments", "completed", 12),
        ("assignments", "in_progress", 7),
        ("assignments", "not_started", 1),
    ]
    assert _counts("Handlingsplanen innehåller totalt 14 åtgärder, varav nio är genomförda.") == [
        ("measures", "total", 14),
        ("measures", "completed", 9),
    ]
    # 'ett uppfylls' is a count; the subject comes from the sentence before
    assert _counts(
        "Nämnderna har antagit sex delmål mot mål 6. I nuläget är bedömningen att ett uppfylls och "
        "fyra som delvis uppfylls."
    ) == [("sub_goals", "total", 6), ("sub_goals", "met", 1), ("sub_goals", "partly_met", 4)]


def test_counts_of_other_things_are_no_stated_counts():
    assert _counts("Fyra av 12 basenheter har inte rapporterat på indikatorn om handledare.") == []
    assert _counts("Ett av målen är att korta väntetiderna. Målet uppfylls.") == []
    assert _counts("Mål 3. Vi har en hållbar ekonomi  Målet är ej uppfyllt") == []  # a goal table row
    assert _counts("Av de sex ändamål som fullmäktige angett har fyra uppfyllts.") == []


SUB_GOAL_TABLE = """
Uppföljning av fullmäktiges mål
Målen som fullmäktige riktat till hälso- och sjukvårdsnämnden följs med delmål.

Regionmål Delmål Prognos

Fler barn får tidigt stöd
 Inga data
Mål 1. Goda uppväxtvillkor Alla nyfödda erbjuds
hembesök
 Mål kommer helt uppfyllas
Mål 2. God miljö
Minskad användning av
engångsmaterial  Mål kommer inte uppfyllas

Uppföljning av regionmål
Mål 1. Goda uppväxtvillkor

Fler barn får tidigt stöd

Analys

Text om analysen som är lång nog.

Alla nyfödda erbjuds hembesök

Analys

Mer text.

Mål 2. God miljö

Minskad användning av engångsmaterial

Analys

Slut.
"""


def test_sub_goal_table_numbers_sub_goals_from_follow_up_section():
    out = run(SUB_GOAL_TABLE)
    got = [(g.goal_number, g.sub_goal, g.status, g.scenario) for g in out.goals]
    assert got == [
        (1, "1.1", "no_assessment", "forecast"),
        (1, "1.2", "met", "forecast"),
        (2, "2.1", "not_met", "forecast"),
    ]
    assert out.goals[1].goal_text == "Alla nyfödda erbjuds hembesök"
    assert {g.org_unit for g in out.goals} == {"Hälso- och sjukvårdsnämnden"}


ASSIGNMENTS = """
Uppdrag från fullmäktige till styrelse

Status Uppdrag Kommentar
Periodicitet och
slutdatum

 Avslutad Utreda länets
ambulansflyg

Arbetet är klart och redovisat.

Tertial: apr, dec

2023-12-31

 Ej
påbörjad

Ta fram en plan för
lokaler

Inget arbete ännu. Pågående diskussioner finns.

2024-06-30

Pågående
enligt plan

Minska sjukresorna

Arbetet fortsätter.

2023-12-31

4 Ekonomi
"""


def test_assignment_table():
    out = run(ASSIGNMENTS)
    got = [(a.assignment_text, a.status, a.status_text, a.deadline, a.from_body, a.to_body) for a in out.assignments]
    assert got == [
        ("Utreda länets ambulansflyg", "completed", "Avslutad", "2023-12-31", "fullmäktige", "styrelse"),
        ("Ta fram en plan för lokaler", "not_started", "Ej påbörjad", "2024-06-30", "fullmäktige", "styrelse"),
        ("Minska sjukresorna", "in_progress", "Pågående enligt plan", "2023-12-31", "fullmäktige", "styrelse"),
    ]


def test_slide_assignment_list():
    text = "\nFRÅN STYRELSE TILL FÖRVALTNING\n\n• Utreda hur vården kan\n\nförbättras i länet\n\n• Minska kostnaderna\n\n\n\nNÄSTA BILD\n"
    out = run(text)
    assert [(a.assignment_text, a.status, a.from_body, a.to_body) for a in out.assignments] == [
        ("Utreda hur vården kan förbättras i länet", None, "styrelse", "förvaltning"),
        ("Minska kostnaderna", None, "styrelse", "förvaltning"),
    ]


# ---------------------------------------------------------------------------------------
# corpus


def _extract(document):
    region, kind, start, end = CORPUS[document]
    lines = split_lines((REPORTS / document).read_text(encoding="utf-8"))
    return extract_goals(make_meta(document, region, kind, start, end, len(lines)), lines)


def test_every_hand_labelled_goal_rating_is_recovered():
    with open(FIXTURES / "goal_ratings.csv", encoding="utf-8", newline="") as handle:
        labels = list(csv.DictReader(handle))
    extracted = set()
    for document in CORPUS:
        for g in _extract(document).goals:
            extracted.add((g.document, g.source_line, g.goal_number, g.sub_goal or "", g.status, g.scenario))
    expected = {
        (r["document"], int(r["line"]), int(r["goal_number"]), r["sub_goal"], r["status"], r["scenario"])
        for r in labels
    }
    missing = expected - extracted
    extra = {e for e in extracted if e[0] in {r["document"] for r in labels}} - expected
    print(f"\ngoal ratings: {len(expected) - len(missing)}/{len(expected)} recovered, {len(extra)} not labelled")
    assert not missing
    assert not extra


def test_memo_count_disagrees_with_the_goal_table():
    out = _extract("rvb_hsn_arsrapport_2022.txt")
    counted_not_met = sum(g.status == "not_met" for g in out.goals)
    stated = sorted(c.value for c in out.stated_counts if c.subject == "goals" and c.category == "not_met")
    assert counted_not_met == 4
    assert stated == [3.0, 4.0]  # the cover memo says 3, the report text says 4


def test_corpus_assignments_and_counts():
    report_2025 = _extract("rvb_hsn_delarsrapport_2025_08.txt")
    statuses = [a.status_text for a in report_2025.assignments]
    assert "Klar med avvikelse" in statuses and all(a.deadline for a in report_2025.assignments)
    report_2022 = _extract("rvb_hsn_arsrapport_2022.txt")
    assert len(report_2022.assignments) == 20
    assert [a.status for a in report_2022.assignments].count("not_started") == 1
    slides = _extract("rvb_hsd_informerar_2024_02_28.txt")
    assert [a.to_body for a in slides.assignments].count("förvaltning") == 3
    assert [a.to_body for a in slides.assignments].count("nämnd") == 7
    region = _extract("rvb_delarsrapport_2023_04.txt")
    goal_3 = {(c.subject, c.category): c.value for c in region.stated_counts if c.scope == "Mål 3"}
    assert goal_3[("indicators", "total")] == 18 and goal_3[("indicators", "green")] == 4
    assert goal_3[("sub_goals", "total")] == 7
