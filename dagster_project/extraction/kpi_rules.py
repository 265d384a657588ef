"""The vocabulary of follow-up reports: what a number is about (topic), what it measures
(level, budget deviation, change) and which catalogue KPI that pair is filed under.

A sentence like 'Personalkostnaderna har ökat med 11,1 procent och har en avvikelse mot
budget på 178 miljoner kronor' names one topic (staff costs) and two measures; the
extractor finds the topic and the measure nearest to each number and looks the pair up in
KPI_BY_TOPIC_MEASURE together with the number's unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- topics ---------------------------------------------------------------------------------
# (topic, pattern, strong). Weak topics ('kostnadsutveckling') only decide when no strong
# topic stands in the sentence. Longer, more specific patterns win over shorter ones that
# they contain ('resultat före finansnetto' is a result, not the financial net).
_TOPICS: list[tuple[str, str, bool]] = [
    ("none", r"merkostnad\w*|pensions\w*|avskrivning\w*|övertid\w*|resekostnad\w*|konsult\w*|"
             r"patientintäkt\w*|tandvårdsintäkt\w*|it/mt|energi\w*|portfölj\w*|börs\w*|aktie\w*|"
             r"låneskuld\w*|kassaflöde\w*|skattesats\w*|drg-pris\w*|po-pålägg\w*|po-påslag\w*|"
             r"långtidssjuk\w*|utan sjukfrånvaro|sjuka färre|flygtimmar|hälsoundersökning\w*|vhu|"
             r"årsbudget|budgeterat resultat|budgeterat verksamhetsresultat|budgeterade behov|"
             r"semesterlöneskuld|personalskuld\w*|inkomstutjämning|kostnadsutjämning|"
             r"valda konton|nybesök|operation\w*|inom (utsatta )?(tidsgränser|ledtider\w*)|ersättningsmodell\w*|ersätts\b|ersätter\b|skuldsättning\w*|självfinansiering\w*|"
             r"balanskrav\w*|konsolidering|befolkning\w*|hsavvikelse", True),
    ("result", r"(verksamhetens |periodens |regionens )?resultat\w* (före|efter) finansnetto|verksamhetens resultat|verksamhetsresultat\w*|"
               r"periodens resultat|årets resultat|regionens resultat|\bresultat(et)?\b", True),
    ("net_cost", r"nettokostnad\w*|verksamhetens nettokostnader", True),
    ("financial_net", r"finansnetto\w*|finansiella poster", True),
    ("tax_and_grants", r"skatteintäkter och generella statsbidrag|skatter (och|samt) generella statsbidrag|"
                       r"skatteintäkter samt generella statsbidrag", True),
    ("tax", r"skatteintäkt\w*", True),
    ("general_grants", r"generella statsbidrag\w*( och utjämning\w*)?", True),
    ("targeted_grant", r"(erhållit|erhöll|tillförts) statsbidrag|riktat statsbidrag|riktade statsbidrag\w*|statsbidrag(et)? på|överenskommelse\w*|"
                       r"grundbelopp\w*|tilldelning\w*|bonuspott\w*|regionens andel|regionens del|"
                       r"norrbottens del|västerbottens del", True),
    ("care_revenue", r"vårdintäkt\w*", True),
    ("revenue", r"(?<![\w-])intäkt(er|erna)?\b|intäktssidan|intäkterna/kostnadsreduceringarna", True),
    ("hired_share", r"i förhållande till (total|den totala|egna|kostnaden för anställd)\w* ?personal\w*|"
                    r"andel av egna personalkostnader|beroende\w* av inhyrd personal|hyrberoende\w*|beroende hyrpersonal", True),
    ("hired", r"hyrpersonal\w*|inhyrd personal|inhyrpersonal|hyrkostnad\w*|hyrsköterskor|hyrsjuksköterskor|hyrläkare|"
              r"inhyrd sjukvårdpersonal", True),
    ("staff", r"personalkostnad\w*|kostnadsutvecklingen för personal|kostnader för (egen )?personal", True),
    ("drug", r"\w*läkemedel\w*", True),
    ("medical_material", r"medicinskt? material\w*|medicinskt förbrukningsmateriel", True),
    ("out_of_county", r"utomlänsvård\w*|utomlänskostnad\w*", True),
    ("savings_achieved", r"uppnådd\w* effekt|uppnått en effekt", True),
    ("savings_plan", r"åtgärdsplan\w*|omställningsplan\w*|behov av åtgärder|förväntad effekt|plan(en)?( \d{4})? för omställning", True),
    ("investments", r"investeringsutfall\w*|nettoinvestering\w*|investering\w*", True),
    ("short_sick", r"korttidssjukfrånvaro\w*|korttidsfrånvaro\w*", True),
    ("sick", r"sjukfrånvaro\w*|sjuktal\w*", True),
    ("employees", r"antal(et)? anställda|anställda|tillsvidareanställda|medarbetare i regionen", True),
    ("hme", r"\bhme\b|hållbart medarbetar(engagemang|index)", True),
    ("care_days", r"vårddag\w*|vårddygn\w*", True),
    ("care_episodes", r"vårdtillfälle\w*", True),
    ("alos", r"medelvårdtid\w*", True),
    ("occupancy", r"beläggning\w*", True),
    ("beds", r"disponibla vårdplatser|vårdplatser tillgängliga|i snitt \d[\d ]* vårdplatser", True),
    ("remote", r"distansbesök\w*|besök på distans|vårdbesök på distans", True),
    ("production", r"produktion(en)?\b|produktionsökning\w*|produktionsminskning\w*|viktad\w* vårdtjänst\w*", True),
    ("visits", r"\w*besök\w*|sjukvårdande behandlingar", True),
    ("med_assessment", r"medicinsk\w* bedömning\w*( inom (3|tre) dagar)?|besöksgarantin", True),
    ("phone", r"telefontillgänglighet\w*|kontakt samma dag|besvarade samtal samma dag", True),
    ("care_guarantee_treatment", r"(väntat|väntar) 90 dagar eller kortare på en (beslutad )?(operation|åtgärd)|vårdgaranti\w* (för|till) åtgärd\w*|vårdgarantiläget för åtgärd", True),
    ("care_guarantee_visit", r"(väntat|väntar) 90 dagar eller kortare på ett (beslutat )?besök|vårdgaranti\w* (för|till) förstabesök|vårdgarantiläget för förstabesök", True),
    ("svf", r"standardiserat vårdförlopp|\bsvf\b", True),
    ("ed_4h", r"vistelsetid\w*|inom (4|fyra) timmar", True),
    ("cost", r"(?<![\w-])kostnad(er|erna)?\b(?! för (?!utomläns|läkemedel|hyr|personal|medicinsk))|kostnadssidan", True),
    ("cost", r"kostnadsutveckling\w*|kostnadsökning\w*|kostnadsminskning\w*", False),
    ("budget", r"budgetavvikelse\w*|budgetföljsamhet|budgetunderskott\w*|budgetöverskott\w*", False),
    # a cost compound no rule knows ('drift- och förvaltningskostnader') is about something else
    ("none", r"[\w-]+kostnad(er|erna)?\b", True),
]

TOPIC_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE), strong) for name, pattern, strong in _TOPICS]

# Topics that are costs: a value 'higher than budget' is a negative deviation.
COST_TOPICS = {"cost", "staff", "drug", "medical_material", "out_of_county", "hired", "net_cost"}

# --- measures -------------------------------------------------------------------------------
BUDGET = re.compile(
    r"budgetavvikelse\w*|avvikelse\w* mot budget|avvik\w* (negativt|positivt)|budgetunderskott\w*|budgetöverskott\w*|"
    r"underskott\w*|överskott\w*|(bättre|sämre|högre|lägre) än budget\w*|mot budget|(över|under) budget|avvikelse\w*",
    re.IGNORECASE,
)
CHANGE = re.compile(
    r"\bök(at|ade|ar|ning\w*|ningen|t)\b|\bminsk(at|ade|ar|ning\w*|t|ad)\b|\bstiger\b|\bsjunker\b|förändring\w*|\w*kostnadsutveckling\w*|"
    r"\w*kostnadsökning\w*|\w*kostnadsminskning\w*|produktionsökning\w*|(högre|lägre) (än|jämfört|utfall)|"
    r"\bstigit\b|\bsjunkit\b|\bsänkts\b|\bförbättr\w+|\bförsämr\w+|\butveckling\w*",
    re.IGNORECASE,
)
NEGATIVE_CHANGE = re.compile(r"minsk\w*|lägre|sjunk\w*|sänk\w*|försämr\w*|negativ\w*|ned\b", re.IGNORECASE)
POSITIVE_CHANGE = re.compile(r"\bök\w*|högre|stig\w*|förbättr\w*|\bupp\b", re.IGNORECASE)
NEGATIVE_BUDGET = re.compile(r"negativ\w*|underskott\w*|sämre|budgetunderskott\w*|minus", re.IGNORECASE)
POSITIVE_BUDGET = re.compile(r"positiv\w*|överskott\w*|bättre|budgetöverskott\w*|plus", re.IGNORECASE)
# A share of all of something ('utgör 9,1 procent av alla besök').
SHARE = re.compile(r"\butgör\b|\bandel\w*|procent av (alla|totala|samtliga)|% av (alla|totala)", re.IGNORECASE)


@dataclass(frozen=True)
class KpiChoice:
    kpi_code: str
    unit: str
    rule: str
    kind: str  # stock, rate, flow


def kpi_for(topic: str, measure: str, unit: str, sentence: str) -> KpiChoice | None:
    """The KPI that (topic, measure, unit) is filed under, or None."""
    s = sentence.lower()
    mnkr, pct = unit == "mnkr", unit == "percent"
    if topic == "none":
        return None
    if measure == "budget":
        if not mnkr:
            return None
        code = {
            "result": "budget_deviation_mnkr",
            "budget": "budget_deviation_mnkr",
            "net_cost": "budget_deviation_mnkr",
            "financial_net": "budget_deviation_mnkr",
            "tax_and_grants": "budget_deviation_mnkr",
            "revenue": "revenue_budget_deviation_mnkr",
            "cost": "cost_budget_deviation_mnkr",
            "staff": "staff_cost_budget_deviation_mnkr",
            "drug": "drug_cost_budget_deviation_mnkr",
            "medical_material": "medical_material_budget_deviation_mnkr",
            "care_revenue": "care_revenue_budget_deviation_mnkr",
            "out_of_county": "out_of_county_care_budget_deviation_mnkr",
        }.get(topic)
        return KpiChoice(code, "mnkr", "text:budget_deviation", "flow") if code else None
    if measure == "change":
        if not pct:
            return None
        code = {
            "net_cost": "net_cost_change_pct",
            "revenue": "revenue_change_pct",
            "cost": "cost_change_pct",
            "staff": "staff_cost_change_pct",
            "drug": "drug_cost_change_pct",
            "hired": "hired_staff_cost_change_pct",
            "visits": "visits_change_pct",
            "remote": "visits_change_pct",
            "production": "production_change_pct",
        }.get(topic)
        return KpiChoice(code, "percent", "text:change", "flow") if code else None
    # measure == level
    if mnkr:
        code = {
            "result": "result_mnkr",
            "tax": "tax_revenue_mnkr",
            "general_grants": "general_state_grants_mnkr",
            "financial_net": "financial_net_mnkr",
            "care_revenue": "care_revenue_mnkr",
            "out_of_county": "out_of_county_care_cost_mnkr",
            "hired": "hired_staff_cost_mnkr",
            "targeted_grant": "targeted_state_grant_mnkr",
            "savings_plan": "savings_plan_mnkr",
            "savings_achieved": "savings_achieved_mnkr",
            "investments": "net_investments_mnkr",
        }.get(topic)
        return KpiChoice(code, "mnkr", "text:amount", "flow") if code else None
    if pct:
        code = {
            "sick": ("sick_leave_pct", "rate"),
            "short_sick": ("short_term_sick_leave_pct", "rate"),
            "hired_share": ("hired_staff_share_pct", "rate"),
            "occupancy": ("bed_occupancy_pct", "flow"),
            "savings_achieved": ("savings_achieved_pct", "flow"),
            "med_assessment": ("medical_assessment_3_days_pct", "flow"),
            "phone": ("phone_same_day_pct", "flow"),
            "care_guarantee_visit": ("care_guarantee_first_visit_pct", "stock"),
            "care_guarantee_treatment": ("care_guarantee_treatment_pct", "stock"),
            "svf": ("svf_inclusion_pct", "flow"),
            "ed_4h": ("ed_within_4_hours_pct", "flow"),
        }.get(topic)
        if topic == "remote" and SHARE.search(s):
            code = ("remote_visits_share_pct", "flow")
        # a cost 'uppgår till 4,8 procent' is its change on last year
        if code is None and topic in ("drug", "cost", "staff", "net_cost", "hired", "visits", "production"):
            return kpi_for(topic, "change", unit, sentence)
        if code is None and topic == "hired" and SHARE.search(s):
            code = ("hired_staff_share_pct", "rate")
        return KpiChoice(code[0], "percent", "text:share", code[1]) if code else None
    if unit == "days":
        if topic == "alos":
            return KpiChoice("average_length_of_stay_days", "days", "text:length_of_stay", "flow")
        return None
    if unit == "count":
        code = {
            "employees": ("employees_count", "stock"),
            "care_episodes": ("care_episodes_count", "flow"),
            "care_days": ("care_days_count", "flow"),
            "visits": ("visits_count", "flow"),
            "remote": ("visits_count", "flow"),
            "beds": ("available_beds_count", "flow"),
        }.get(topic)
        return KpiChoice(code[0], "count", "text:count", code[1]) if code else None
    if unit == "index" and topic == "hme":
        return KpiChoice("hme_index", "index", "text:index", "flow")
    return None


# --- count nouns ----------------------------------------------------------------------------
# A bare number followed by one of these is a count of that thing.
COUNT_NOUNS = re.compile(
    r"\s*(personer|anställda|tillsvidareanställda|medarbetare|vårdtillfällen|vårddagar|vårddygn|besök|läkarbesök|"
    r"vårdplatser|patienter)\b",
    re.IGNORECASE,
)

# --- breakdowns -----------------------------------------------------------------------------
SEX = re.compile(r"\b(kvinnor|kvinnornas|män|männens|pojkar|flickor)\b", re.IGNORECASE)
_SEX_LABEL = {"kvinnornas": "kvinnor", "männens": "män"}
AGE_BAND = re.compile(
    r"(\d{2})\s*[–-]\s*(\d{2}) år|under (\d{2}) år|upp till (\d{2}) år|(\d{2}) år och äldre|över (\d{2}) år",
    re.IGNORECASE,
)
PROFESSIONS = re.compile(r"\b(tandläkare|tandhygienister|tandsköterskor|sjuksköterskor|undersköterskor|läkare|barnmorskor)\b", re.IGNORECASE)
# Sub-groups a value can be about; the label is written as the report writes it.
SUBGROUPS: list[tuple[str, re.Pattern]] = [
    ("tillsvidareanställda", re.compile(r"tillsvidareanställda", re.IGNORECASE)),
    ("vikarier och tillfälligt anställda", re.compile(r"vikarier och tillfälligt anställda", re.IGNORECASE)),
    ("läkarbesök", re.compile(r"läkarbesök\w*", re.IGNORECASE)),
    ("sjukvårdande behandlingar", re.compile(r"sjukvårdande behandlingar", re.IGNORECASE)),
    ("distansbesök", re.compile(r"distansbesök\w*|besök på distans|vårdbesök på distans", re.IGNORECASE)),
    ("vaccinationsbesök", re.compile(r"vaccinationsbesök\w*", re.IGNORECASE)),
    ("hyrsköterskor", re.compile(r"hyrsköterskor", re.IGNORECASE)),
    ("hyrsjuksköterskor", re.compile(r"hyrsjuksköterskor", re.IGNORECASE)),
    ("hyrläkare", re.compile(r"hyrläkare", re.IGNORECASE)),
    ("diabetesläkemedel", re.compile(r"diabetesläkemedel", re.IGNORECASE)),
    ("cancerläkemedel", re.compile(r"cancerläkemedel", re.IGNORECASE)),
    ("övriga verksamheter", re.compile(r"övriga verksamheter", re.IGNORECASE)),
]
# Components of a region's or committee's budget deviation.
BUDGET_COMPONENTS: list[tuple[str, re.Pattern]] = [
    ("verksamhetens nettokostnader", re.compile(r"verksamhetens nettokostnader", re.IGNORECASE)),
    ("finansnetto", re.compile(r"finansnetto\w*|finansiella poster", re.IGNORECASE)),
    ("skatteintäkter och generella statsbidrag", re.compile(r"skatte\w* (och|samt) generella statsbidrag|skatter och generella statsbidrag", re.IGNORECASE)),
    ("före finansnetto", re.compile(r"resultat före finansnetto", re.IGNORECASE)),
]
