"""Who a statement is about: known units, municipalities, groups, kind nouns, the country."""

from __future__ import annotations

from datetime import date

from dagster_project.extraction.organisations import DocumentOrganisation, document_organisation, find_orgs

KARLSTAD = DocumentOrganisation("Karlstads kommun", "1780", "municipality", "17", "title")
VASTERBOTTEN = DocumentOrganisation("Region Västerbotten", "24", "region", "24", "title")


def names(text, document=VASTERBOTTEN, region="24"):
    return [(m.name, m.level) for m in find_orgs(text, region, document)]


def test_municipalities_and_their_genitive():
    assert ("Karlstads kommun", "municipality") in names("Karlstads kommuns resultat", KARLSTAD, "17")
    assert ("Västerviks kommun", "municipality") in names("i Västerviks kommun", KARLSTAD, "17")


def test_a_group_named_by_the_text_and_the_generic_group():
    assert names("Kommunkoncernen Karlstads kommun redovisar", KARLSTAD, "17")[0] == (
        "Kommunkoncernen Karlstads kommun",
        "group",
    )
    assert names("Den kommunala koncernen redovisade", KARLSTAD, "17")[0] == ("Koncernen Karlstads kommun", "group")


def test_the_document_speaking_of_itself():
    assert names("Regionens resultat") == [("Region Västerbotten", "self")]
    assert names("Kommunens resultat", KARLSTAD, "17") == [("Karlstads kommun", "self")]


def test_kind_nouns_the_seed_lacks_are_kept_as_written():
    assert names("specialistvården gjorde ett resultat", VASTERBOTTEN, "22")[0] == ("Specialistvården", "unit")
    assert names("hälsocentralerna gick back", VASTERBOTTEN, "22")[0] == ("Hälsocentralerna", "unit")


def test_the_country_is_a_comparison_and_all_regions_a_unit():
    assert names("rikssnittet") == [("", "national")]
    assert names("Alla landsting") == [("Alla landsting", "national")]


def test_a_place_alone_is_no_organisation():
    assert names("Västerbotten") == []


def test_document_organisation_uses_the_name_of_its_time():
    found = document_organisation(
        ["Delårsrapport 1 april", "3 Landstinget Dalarna Övergripande", "Landstinget har ..."],
        "rapport.txt",
        date(2011, 4, 30),
    )
    assert (found.name, found.code) == ("Landstinget Dalarna", "20")
    named = document_organisation(
        ["Plusresultat för Region Västernorrland 2017", "Region Västernorrland hade ..."], "x.txt", date(2017, 12, 31)
    )
    assert named.name == "Region Västernorrland"  # the text's own name wins over the seed's dates
