"""Precision rules of the running-text reader: which unit, group, sign and kind of figure a
number is, or that it is left out. Sentences written in the style of such reports, and
lines of the bundled ones."""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.extraction.running_text import extract_running_text
from dagster_project.testing.sample_records import document_meta


def read(text: str, kind: str = "annual_report"):
    """Facts of `text` read as Region Västerbotten's report of `kind` for 2022."""
    meta = document_meta(kind=kind, start=date(2022, 1, 1), end=date(2022, 12, 31))
    return extract_running_text(meta, text.split("\n"))


def facts_of(text: str, kpi: str, **kwargs):
    return [f for f in read(text, **kwargs).facts if f.kpi_code == kpi]


def reasons(text: str, **kwargs) -> dict[str, str]:
    return {u.number_text: u.reason for u in read(text, **kwargs).unmapped}


# --- which unit -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, unit",
    [
        # the unit whose beds are counted, after the measure
        ("Beläggningen av sjukhusvårdens vårdplatser ligger på 94,2 procent.", "Sjukhusvård"),
        ("Beläggningen av primärvårdens vårdplatser var 61 procent under året.", "Primärvård"),
        # the region only says whose primary care it is
        ("Under året gjordes 48 000 besök inom regionens egen primärvård.", "Primärvård"),
    ],
)
def test_the_unit_a_figure_belongs_to(text, unit):
    found = read(text).facts
    assert [f.org_unit for f in found] == [unit]


def test_two_units_named_together_are_their_common_unit():
    # the hospitals and the cottage hospitals of primary care: the health care committee's whole
    text = (
        "Antalet vårdtillfällen på länets sjukhus och på sjukstugorna i primärvården är 2,1 procent "
        "lägre än 2021 och medelvårdtiden ligger på 5,12 dagar."
    )
    [stay] = facts_of(text, "average_length_of_stay_days")
    assert stay.org_unit == "Hälso- och sjukvårdsnämnden"
    assert stay.value == 5.12


def test_a_heading_that_scopes_a_unit_gives_the_section_its_unit():
    text = "Tillgänglighet till primärvård\n\nAndelen som fick en medicinsk bedömning inom 3 dagar var 81 procent."
    [assessment] = facts_of(text, "medical_assessment_3_days_pct")
    assert assessment.org_unit == "Primärvård"


def test_a_heading_naming_two_units_gives_neither():
    text = (
        "Uppföljning för primärvård och tandvård\n\n"
        "Andelen som fick en medicinsk bedömning inom 3 dagar var 81 procent."
    )
    [assessment] = facts_of(text, "medical_assessment_3_days_pct")
    assert assessment.org_unit not in ("Primärvård", "Tandvård")


def test_staff_group_headings_stay_in_the_units_section():
    text = (
        "Tandvården\n\n"
        "Inom tandvården har sjukfrånvaron följts noga under året.\n\n"
        "Tandhygienister\n\n"
        "Gruppen 50 år och äldre har den högsta sjukfrånvaron, 9,4 procent.\n\n"
        "Tandsköterskor\n\n"
        "Tandsköterskor har en sjukfrånvaro på 8,8 procent."
    )
    found = facts_of(text, "sick_leave_pct")
    assert [(f.org_unit, f.breakdown, f.value) for f in found] == [
        ("Tandvård", "tandhygienister 50 år och äldre", 9.4),
        ("Tandvård", "tandsköterskor", 8.8),
    ]


def test_a_topic_heading_does_not_inherit_the_unit_before_it():
    text = (
        "Tandvården\n\n"
        "Tandvården redovisar ett överskott mot budget på 3 miljoner kronor.\n\n"
        "Läkemedel\n\n"
        "Kostnaderna för läkemedel har ökat med 4,2 procent jämfört med föregående år."
    )
    [drugs] = facts_of(text, "drug_cost_change_pct")
    assert drugs.org_unit != "Tandvård"


def test_a_restated_figure_keeps_the_unit_and_category():
    text = (
        "Under 2022 är 52 100 besök registrerade som ”Hälsosamtal” inom regionens egen primärvård. "
        "2021 var den siffran 47 300 besök."
    )
    found = facts_of(text, "visits_count")
    assert [(f.org_unit, f.breakdown, f.period_end, f.value) for f in found] == [
        ("Primärvård", "Hälsosamtal", date(2022, 12, 31), 52100),
        ("Primärvård", "Hälsosamtal", date(2021, 12, 31), 47300),
    ]


# --- what kind of figure --------------------------------------------------------------------
def test_a_committees_net_cost_deviation_is_its_whole_deviation():
    text = (
        "Kulturnämndens nettokostnader har ökat med 2 miljoner kronor jämfört med föregående år. "
        "Budgetavvikelsen för året uppgår till minus 3,4 miljoner kronor."
    )
    [deviation] = facts_of(text, "budget_deviation_mnkr")
    assert deviation.breakdown == "total"
    assert deviation.value == -3.4


def test_the_regions_net_cost_deviation_is_a_component():
    text = "Budgetavvikelsen för verksamhetens nettokostnader uppgår för regionen till minus 120 miljoner kronor."
    [deviation] = facts_of(text, "budget_deviation_mnkr")
    assert deviation.breakdown == "verksamhetens nettokostnader"


def test_the_sign_of_a_fall_carries_to_its_share():
    text = "För perioden har kostnaderna minskat med 12 miljoner kronor eller 9 procent jämfört med 2021."
    [change] = facts_of(text, "cost_change_pct")
    assert change.value == -9


def test_a_figure_followed_by_what_it_includes_is_the_one_without_it():
    text = (
        "Kommunens verksamheter visar ett positivt resultat på 64 miljoner kronor. Inklusive "
        "reavinster från försäljning av mark, landar resultatet på 91 miljoner kronor."
    )
    found = {f.value: f.breakdown for f in facts_of(text, "result_mnkr")}
    assert found[64] == "exkl. reavinster från försäljning av mark"


# --- left out, with the reason --------------------------------------------------------------
@pytest.mark.parametrize(
    "text, number, reason",
    [
        (
            "Beläggningen på Kiruna sjukhus var mer än 100 procent under sommarveckorna.",
            "100 procent",
            "bound_not_a_value",
        ),
        ("Sjukfrånvaron låg under 5 procent i samtliga förvaltningar.", "5 procent", "bound_not_a_value"),
        (
            "Andelen patienter som fått en medicinsk bedömning inom 3 dagar var minst 80 procent.",
            "80 procent",
            "bound_not_a_value",
        ),
    ],
)
def test_a_bound_is_not_a_value(text, number, reason):
    assert reasons(text)[number] == reason
    assert not read(text).facts


def test_a_targets_bound_is_the_target():
    [target] = facts_of("Målet är att sjukfrånvaron ska vara högst 6 procent.", "sick_leave_pct")
    assert (target.scenario, target.value) == ("target", 6)


def test_an_extra_cost_share_is_no_change():
    text = "Merkostnaden för hyrläkare bedöms till 55 procent jämfört med egen personal."
    assert not read(text).facts


def test_a_count_a_measure_falls_by_is_no_level():
    text = "Det nya arbetssättet har minskat vårdbehovet med omkring 180 vårddygn per år."
    assert not facts_of(text, "care_days_count")


def test_a_share_of_staff_without_sick_leave_is_no_sick_leave():
    text = "Andelen medarbetare som varit helt utan sjukfrånvaro under året är 31 procent."
    assert not facts_of(text, "sick_leave_pct")


def test_costs_after_a_sentence_naming_a_part_are_not_the_wholes():
    text = (
        "I kostnaderna för utomlänsvård ingår kostnad för digitala vårdtjänster som har minskat. "
        "Kostnaderna 2022 uppgår till 14 miljoner kronor."
    )
    assert not facts_of(text, "out_of_county_care_cost_mnkr")


# --- agreements and targeted state grants ---------------------------------------------------
GRANTS = "Riktade statsbidrag och överenskommelser\n\nKvinnors hälsa\n\n"


def test_a_pot_set_aside_for_all_regions_is_not_the_regions_grant():
    text = GRANTS + "En mindre pott, 40 mnkr, avsattes för att utveckla vården i hela landet."
    assert not facts_of(text, "targeted_state_grant_mnkr")


def test_the_regions_share_of_a_pot_is_its_grant():
    text = GRANTS + "Regionen fick 2,5 mnkr av den pott som avsattes under 2022."
    [grant] = facts_of(text, "targeted_state_grant_mnkr")
    assert grant.value == 2.5


def test_one_amount_for_two_years_spans_both():
    text = GRANTS + "Regionens andel var knappt 12 mnkr och avsåg både 2021 och 2022."
    [grant] = facts_of(text, "targeted_state_grant_mnkr")
    assert (grant.period_start, grant.period_end) == (date(2021, 1, 1), date(2022, 12, 31))


def test_a_requirement_in_force_since_a_year_has_no_period_of_its_own():
    text = "Sedan 2021 är ett av kraven att 75 procent av alla nya cancerfall ska utredas via ett standardiserat vårdförlopp."
    assert not read(text, kind="monthly_report").facts


def test_a_list_inside_an_agreement_keeps_its_area():
    text = GRANTS + (
        "En del av ersättningen var prestationsbaserad och regionen fick ersättning för:\n\n"
        "• kortare väntetider i primärvården\n"
        "• fler vårdplatser\n\n"
        "2023\n\n"
        "Överenskommelsen omfattar drygt 1,2 mdkr. För Västerbottens del 5,1 mnkr."
    )
    [grant] = facts_of(text, "targeted_state_grant_mnkr")
    assert (grant.breakdown, grant.period_end, grant.value) == ("Kvinnors hälsa", date(2023, 12, 31), 5.1)


# --- periods --------------------------------------------------------------------------------
def test_a_season_is_no_report_period():
    text = "Korttidsfrånvaron som ökade hösten 2022 har minskat något till 2,4 procent."
    assert reasons(text)["2,4 procent"] == "season_is_no_report_period"
    assert not read(text).facts


def test_a_change_against_another_year_than_the_last_is_left_out():
    text = "Jämfört med 2019 minskade antalet besök med 12,4 procent."
    assert reasons(text)["12,4 procent"] == "change_against_another_year"
    [change] = facts_of("Antalet besök minskade med 1,3 procent jämfört med 2021.", "visits_change_pct")
    assert change.value == -1.3


def test_a_labels_target_and_year_date_its_value():
    text = "Beroende av hyrpersonal – andel av egna personalkostnader\n\nRegionens målsättning 2024: 3,2 %"
    [target] = facts_of(text, "hired_staff_share_pct")
    assert (target.scenario, target.period_start, target.period_end) == ("target", date(2024, 1, 1), date(2024, 12, 31))


def test_an_action_plans_effect_is_for_the_year():
    [plan] = facts_of("Åtgärdsplaner med bedömd effekt 96 mkr.", "savings_plan_mnkr", kind="monthly_report")
    assert (plan.period_start, plan.period_end) == (date(2022, 1, 1), date(2022, 12, 31))


# --- units across sentences -----------------------------------------------------------------
def test_a_sentence_going_on_with_the_one_before_keeps_its_unit():
    text = (
        "Kostnaderna för medicinskt material uppgår till 188 miljoner kronor inom tandvården. "
        "Men ett budgetunderskott på 12 miljoner kronor."
    )
    [deviation] = facts_of(text, "medical_material_budget_deviation_mnkr")
    assert deviation.org_unit == "Tandvård"


def test_a_paragraph_opened_inside_a_unit_stays_there():
    text = (
        "Inom tandvården minskade antalet besök med 1,4 procent jämfört med 2021. "
        "Detta motsvarar drygt 3 000 besök. Sjukfrånvaron var 6,8 procent under året."
    )
    [sick_leave] = facts_of(text, "sick_leave_pct")
    assert sick_leave.org_unit == "Tandvård"


def test_the_health_care_a_region_runs_is_its_health_care_committees():
    text = "Inom hälso- och sjukvården redovisas en beräknad uppnådd effekt på 41 miljoner kronor."
    [effect] = facts_of(text, "savings_achieved_mnkr")
    assert effect.org_unit == "Hälso- och sjukvårdsnämnden"


def test_an_administrations_section_reports_its_committees_economy():
    text = (
        "Regionala utvecklingsförvaltningen\n\n"
        "Regionala utvecklingsnämndens nettokostnader har ökat med 3 miljoner kronor.\n\n"
        "Budgetavvikelsen efter årets första fyra månader uppgår till minus 2,2 miljoner kronor.\n\n"
        "Nämndens övriga verksamheter har positiva budgetavvikelser på 1,9 miljoner kronor."
    )
    found = [(f.org_unit, f.breakdown, f.value) for f in facts_of(text, "budget_deviation_mnkr", kind="interim_report")]
    assert found == [
        ("Regionala utvecklingsnämnden", "total", -2.2),
        ("Regionala utvecklingsnämnden", "övriga verksamheter", 1.9),
    ]


def test_a_clause_that_leaves_out_its_measure_measures_the_same_group():
    text = "Läkarbesök inom primärvården har ökat med 0,7 procent medan sjukhusvården ökat med 2,3 procent."
    found = [(f.org_unit, f.breakdown, f.value) for f in facts_of(text, "visits_change_pct")]
    assert found == [("Primärvård", "läkarbesök", 0.7), ("Sjukhusvård", "läkarbesök", 2.3)]


def test_a_grant_for_a_named_purpose_carries_it():
    text = (
        "Hälso- och sjukvårdsnämnden erhöll ett riktat statsbidrag på 31,5 miljoner kronor avseende kortare vårdköer."
    )
    [grant] = facts_of(text, "targeted_state_grant_mnkr")
    assert grant.breakdown == "kortare vårdköer"


def test_grants_beside_a_stated_total_without_a_name_are_left_out():
    text = (
        "År 2022 omfattade överenskommelserna för regionens del totalt 410 mnkr. Utöver dessa medel erhöll "
        "regionen statliga bidrag för arbetet med covid-19, totalt 122,4 mnkr."
    )
    found = facts_of(text, "targeted_state_grant_mnkr")
    assert [f.value for f in found] == [410]
    assert reasons(text)["122,4 mnkr"] == "additional_part_unnamed"


def test_a_second_amount_for_the_same_area_is_left_out():
    text = GRANTS + (
        "Under 2022 fick regionen knappt 30 mnkr för att hantera vårdskulden. "
        "Därtill fick regionen ytterligare drygt 61 mnkr för att hantera den uppdämda vården."
    )
    found = facts_of(text, "targeted_state_grant_mnkr")
    assert [(f.breakdown, f.value) for f in found] == [("Kvinnors hälsa", 30)]


def test_a_level_that_grows_further_is_kept():
    text = "Sjukfrånvaron var 6,1 procent i mars. I april ökade sjukfrånvaron ytterligare till 6,6 procent."
    assert [f.value for f in facts_of(text, "sick_leave_pct")] == [6.1, 6.6]


def test_a_population_based_part_of_an_allocation_is_named():
    text = GRANTS + (
        "2023\n\nÖverenskommelsen omfattar totalt 310 mnkr varav regionen får en del, drygt 3,1 mnkr, "
        "baserad på befolkningsmängd. Den andra delen utgår från prestation."
    )
    [grant] = facts_of(text, "targeted_state_grant_mnkr")
    assert grant.breakdown == "Kvinnors hälsa – befolkningsbaserad del"


# --- comparisons, thresholds and increments -------------------------------------------------
def test_a_tertial_compared_with_is_no_period_of_the_value():
    text = "Tillgängligheten till medicinsk bedömning inom 3 dagar har stigit till 79% i jämförelse med T3 2021."
    [level] = facts_of(text, "medical_assessment_3_days_pct")
    assert (level.period_start, level.period_end) == (date(2022, 1, 1), date(2022, 12, 31))


def test_thresholds_of_a_payment_model_are_no_results():
    text = "Hälsocentralerna ersätts stegvis om andelen besvarade samtal samma dag månadsvis överstiger 80, 90 eller 95 procent."
    assert not read(text).facts


def test_an_amount_restated_with_its_comparison_is_a_change():
    text = (
        "Bokförda vårdintäkter för året uppgår till 1 210 miljoner kronor, vilket är 6 miljoner kronor "
        "eller 0,5 procent lägre jämfört med föregående år."
    )
    assert [f.value for f in facts_of(text, "care_revenue_mnkr")] == [1210]


def test_how_much_a_deviation_grows_is_no_deviation():
    text = "Regionala utvecklingsnämnden\n\n" + (
        "Förändringar i bolagens prognos resulterar i ytterligare 3 miljoner i budgetunderskott och ger "
        "ett totalt prognosticerat underskott på 38 miljoner kronor."
    )
    assert [f.value for f in facts_of(text, "budget_deviation_mnkr")] == [-38]


def test_what_adds_to_a_surplus_is_no_deviation_of_its_own():
    text = (
        "Anslag och administration redovisar ett överskott mot budget på 180 miljoner kronor. Överskottet "
        "innefattar även läkemedelsrabatter som bidrar till överskottet med 72 miljoner kronor. "
        "I överskottet ingår även läkemedelsrabatter med 21 miljoner kronor."
    )
    assert [f.value for f in read(text).facts] == [180]


def test_bare_costs_under_a_heading_of_another_measure_are_left_out():
    text = (
        'Fullmäktiges uppdrag "Minska hyrberoendet"\n\n'
        "För perioden har kostnaderna minskat med 19 miljoner kronor eller 11 procent jämfört med 2021."
    )
    assert not facts_of(text, "cost_change_pct")


def test_a_laboratorys_production_is_no_care_production():
    text = (
        "Medicinsk service redovisar en produktionsökning på 2,2 procent där laboratoriemedicin har en ökning med 2,6 procent. "
        "I primärvården har produktionen minskat med 4,0 procent."
    )
    found = [(f.org_unit, f.value) for f in facts_of(text, "production_change_pct")]
    assert found == [("Primärvård", -4.0)]


def test_the_result_of_an_index_the_sentence_before_named():
    text = (
        "Årets medarbetarundersökning visar ett förbättrat resultat för Hållbart medarbetarindex (HME). "
        "För 2021 låg resultatet på 74 och nu landar vi på 78."
    )
    found = [(f.period_end, f.value) for f in facts_of(text, "hme_index")]
    assert found == [(date(2021, 12, 31), 74), (date(2022, 12, 31), 78)]
    assert not facts_of(text, "result_mnkr")


def test_a_requirement_for_a_grant_is_a_target():
    text = (
        "Kravet för tilldelning var att regionen skulle uppnå inklusion av utredda cancerfall på 65 procent "
        "under perioden 1 januari till 30 juni 2022."
    )
    [target] = facts_of(text, "svf_inclusion_pct")
    assert (target.scenario, target.period_start, target.period_end) == ("target", date(2022, 1, 1), date(2022, 6, 30))


def test_a_forecast_positive_by_after_deviations_is_a_deviation():
    text = (
        "Skatter och generella statsbidrag beräknas ge ett budgetöverskott på 120 miljoner kronor. "
        "För finansiella poster är årsprognosen positiv med 64 miljoner kronor."
    )
    found = {f.value: (f.kpi_code, f.breakdown) for f in read(text, kind="interim_report").facts}
    assert found[64] == ("budget_deviation_mnkr", "finansnetto")


def test_a_level_positive_by_stays_a_level():
    text = (
        "Skatter och generella statsbidrag ger ett budgetöverskott på 120 miljoner kronor. "
        "Verksamhetens resultat före finansnetto är positivt med 52 mnkr."
    )
    found = {f.value: f.kpi_code for f in read(text, kind="interim_report").facts}
    assert found[52] == "result_mnkr"


def test_the_unit_the_sentence_before_opened_with_is_nearer_than_the_heading():
    text = (
        "Regionala utvecklingsnämnden\n\n"
        "Kollektivtrafikbolagens budgeterade behov av driftbidrag uppgår till 31 miljoner kronor mer än budgeterat. "
        "Den nya prognosen ger ett totalt prognosticerat underskott på 36 miljoner kronor."
    )
    [deviation] = facts_of(text, "budget_deviation_mnkr", kind="interim_report")
    assert (deviation.org_unit, deviation.value) == ("Kollektivtrafiken", -36)
