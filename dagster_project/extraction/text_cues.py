"""The closed-class words of report language: what a clause says about its number.

- aspect: a level ('uppgår till'), a change on an earlier period ('ökade med', 'lägre än
  föregående år'), a deviation from budget ('avvikelse mot budget', 'högre än budget') or from
  a forecast ('jämfört med senaste prognos');
- scenario: an actual, a forecast ('prognosen', 'beräknas', 'väntas'), a target ('budgeterat',
  'målet är', 'ska uppgå till'), or something that is none of these and is left out: a
  hypothetical ('om ... skulle'), an assignment ('uppdrag'), a proposal ('förslag');
- sign: 'negativ avvikelse', 'sämre än', 'minskade', 'underskott';
- breakdown: sex, age band, profession, national comparison, employment type, what a figure
  excludes ('exklusive', 'justerat för').

Measure nouns are data (seeds/kpi_lexicon.csv); these words are grammar and stay here.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------ aspect
BUDGET_REFERENCE = re.compile(
    r"\b(?:mot|än|jämfört\s+med|i\s+förhållande\s+till|gentemot)\s+(?:den\s+|det\s+)?(?:\w+\s+){0,2}?(?:budget\w*|budgeter\w*)"
    r"|\bän\s+vad\s+som\s+(?:\w+\s+)?budgeter\w*|\b(?:överstiger|understiger|överskrider|över|under)\s+budget\w*"
    r"|\bbudgetavvikelse\w*|\bbudgetunderskott\w*|\bbudgetöverskott\w*|\bavvik\w*\s+(?:\w+\s+)?(?:mot|från)\s+budget\w*",
    re.IGNORECASE,
)
DEVIATION_WORD = re.compile(r"\bavvikelse\w*|\bavviker\b|\bavvek\b|\bbudgetavvikelse\w*", re.IGNORECASE)
FORECAST_REFERENCE = re.compile(
    r"\b(?:mot|än|jämfört\s+med|från)\s+(?:den\s+|det\s+)?(?:senaste\s+|tidigare\s+|förra\s+)?prognos\w*|"
    r"\bavvikelse\w*\s+från\s+prognos\w*|\bän\s+(?:vad\s+som\s+)?(?:beräknat|väntat|förväntat)\b",
    re.IGNORECASE,
)
CHANGE_UP = re.compile(
    r"\bök(?:at|ade|ar|t|ad|ning\w*)\b|\bstig(?:it|er)\b|\bsteg\b|\bgick\s+upp\b|\bupp\s+med\b|\btillväxt\w*|\bhögre\b|"
    r"\bförbättr\w+|\b\w+ökning\w*",
    re.IGNORECASE,
)
CHANGE_DOWN = re.compile(
    r"\bminsk(?:at|ade|ar|t|ad|ning\w*)\b|\bsjunk(?:it|er)\b|\bsjönk\b|\bgick\s+(?:ned|ner)\b|\b(?:ned|ner)\s+med\b|"
    r"\blägre\b|\breducer\w+|\bhalver\w+|\bförsämr\w+|\bsänk\w+|\b\w+minskning\w*|\btapp\w*",
    re.IGNORECASE,
)
CHANGE_NOUN = re.compile(r"\bförändring\w*|\w*utveckling\w*|\bökningstakt\w*", re.IGNORECASE)
# a comparison with an earlier period: what makes 'högre'/'lägre' a change on last year
EARLIER_PERIOD = re.compile(
    r"\b(?:än|jämfört\s+med|mot|i\s+jämförelse\s+med|sedan)\s+(?:\w+\s+){0,2}?(?:föregående|förra|fjol\w*|samma\s+period|"
    r"motsvarande\s+period|året\s+innan|(?:19|20)\d\d)|\bän\s+i\s+fjol\b|\bi\s+fjol\b|\bifjol\b|\bmellan\s+(?:19|20)\d\d\s+och\s+(?:19|20)\d\d",
    re.IGNORECASE,
)
SHARE_OF = re.compile(
    r"\bandel\w*|\butgör\b|\bprocent\s+av\s+(?:alla|samtliga|det\s+totala|de\s+totala|totala)\b|%\s+av\s+(?:alla|samtliga|totala)",
    re.IGNORECASE,
)
# what follows a percentage: '7,8 procent av personalkostnaderna' is a share of a definite whole
SHARE_OF_AFTER = re.compile(
    r"^\s*(?:procent|%)?\s*av\s+(?:de\s+|den\s+|det\s+)?(?:totala\s+|samlade\s+)?[^\W\d]{4,}(?:na|en|et)\b",
    re.IGNORECASE,
)
PERCENTAGE_POINTS = re.compile(r"procentenhet\w*", re.IGNORECASE)

# ------------------------------------------------------------------ scenario
FORECAST = re.compile(
    r"\w*prognos\w*|\bprognosti[cs]er\w*|\bberäknas\b|\bberäknad\s+till\b|\bväntas\b|\bförväntas\b|\bförväntade?\b|\bförväntat\b|\bväntade\b|\bbedöms\s+(?:bli|landa|uppgå|hamna|sluta)\b|"
    r"\bgår\s+mot\b|\bpekar\s+mot\b|\bkommer\s+att\s+(?:bli|uppgå|landa|göra|visa|hamna|ge)\b|\bräknar\s+med\b|\bhelårsprognos\w*",
    re.IGNORECASE,
)
TARGET = re.compile(
    r"\bbudgetera\w*|\bbudgeterad\w*|\bbudgeterat\w*|\bmålsättning\w*|\bmålvärde\w*|\bmålnivå\w*|\bmål\s+om\b|\bmålet\s+(?:är|att)\b|"
    r"\bhade\s+som\s+mål\b|\bsom\s+mål\b|\bett\s+av\s+målen\b|\bett\s+mål\s+är\b|\bkrav(?:et)?\s+(?:på|att|för)\b|\bett\s+av\s+kraven\b|"
    r"\bska\s+(?:uppgå|vara|understiga|överstiga|nå|ligga|uppnå|klara)\b|\bför\s+att\s+(?:klara|nå|uppnå)\b|\bbudget(?:en)?\s+för\b|"
    r"\blagd\w*\s+(?:års)?budget\w*|\bårsbudget\w*",
    re.IGNORECASE,
)
# the budget figure itself: 'budgeterat resultat på -252', 'än budgeterade 12,7 mnkr'
BUDGET_FIGURE_BEFORE = re.compile(
    r"(?:\bbudgeter\w*|\bbudget(?:en)?|\bårsbudget\w*|\bmålet?)\s+(?:\w+\s+){0,4}?(?:på|om|till|är|var)?\s*(?:plus|minus)?\s*$"
    r"|\bbudgeter\w*\s*$",
    re.IGNORECASE,
)
# the budget as what a deviation is measured against: 'mot den periodiserade budgeten', 'överstiger budget'
BUDGET_AS_REFERENCE = re.compile(
    r"(?:\bmot|\bgentemot|\bjämfört\s+med|\bi\s+förhållande\s+till|\böverstiger|\bunderstiger|\böverskrider|\bavvik\w*|"
    r"\böver|\bunder)\s+(?:den\s+|det\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
ACTUAL = re.compile(r"\butfall\w*|\bredovisa\w*|\buppgick\b|\bblev\b|\blandade\b|\bnåddes\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(
    r"^\W*om\b|\bom\s+\w+(?:\s+\w+){0,6}\s+(?:skulle|inkluderas|räknas|tas\s+med)\b|\bi\s+så\s+fall\b|\bhade\s+\w+\s+varit\b",
    re.IGNORECASE,
)
CONDITIONAL = re.compile(r"\bskulle\b", re.IGNORECASE)
# a figure the organisation is about to reach ('snart har nått 100 000 invånare') is no outcome
ASSIGNMENT = re.compile(
    r"\bsnart\b|\bi\s+närtid\b|\buppdrag\w*|\bförslag\w*|\bföreslå\w*|\bplanerar\b|\bska\s+(?:minska|sänka|spara|reducera|halvera)\b",
    re.IGNORECASE,
)

# a clause that names a part of what the clause before named: 'varav de riktade statsbidragen ...'
PART_OF = re.compile(r"^\W*(?:varav|därav|av\s+(?:vilka|dessa|detta|dem|denna))\b", re.IGNORECASE)
# 'I kostnaderna för utomlänsvård ingår ...', 'Häri ingår', 'inkluderar': a sentence naming a part of a whole.
CONTAINS_PART = re.compile(r"\b(?:ingår|ingick|inkluderar|inkluderade|innefattar|omfattar\s+även)\b", re.IGNORECASE)
# 'Av hyrkostnaderna består 16 miljoner kronor av ...': the number is a part of the named whole
PART_OPENING = re.compile(
    r"^\W*av\s+(?:[^\W\d]+\s+){0,2}?[^\W\d]+\s+(?:består|utgör|utgjorde|avser|avsåg|går|gick|kommer|beslutade|beslöt|har|hade|"
    r"fördelades|fördelas|fördelade|används|användes|avsattes|avsätts|betalades|betalas)\b",
    re.IGNORECASE,
)
# a count sold to or bought from another party: 'debiterade vårdtillfällen till norra sjukvårdsregionen'
TRADED_BEFORE = re.compile(r"\b(?:debiterade|fakturerade|sålda|köpta|producerade|levererade)\s+$", re.IGNORECASE)
TRADED_AFTER = re.compile(r"^\s+(?:[^\W\d]+\s+){0,1}?(?:till|från|åt)\s+(?!(?:19|20)\d\d)", re.IGNORECASE)
# the people a count names did something: '1700 medarbetare inom vården har genomfört utbildningen'
# counts those who did it, not the staff
DID_SOMETHING = re.compile(
    r"^[\s,]*(?:[\w-]+\s+){0,5}?(?:har\s+|hade\s+)?(?:genomfört|genomgått|deltagit|deltog|slutat|slutade|svarat|svarade|"
    r"besvarat|gått|gick|lämnat|lämnade|utbildats|utbildades|anmält|anmälde|vaccinerats|vaccinerades|sökt|sökte|"
    r"avslutat|avslutade|påbörjat|påbörjade)\b",
    re.IGNORECASE,
)
# reasons a number is left out that say its clause spoke of a part or a sub-kind of a measure
PART_REASONS = ("generic_measure_narrowed", "part_of_earlier", "effect_on_measure", "sub_kind_of_measure")
# a number that is an effect on a measure, not its level: 'påverkat resultatet positivt med 9 miljoner'
EFFECT_ON = re.compile(
    r"\bpåverka\w*\s+(?:[^\W\d]+\s+){0,6}?(?:positivt|negativt|med)\s+(?:med\s+)?(?:[^\W\d]+\s+){0,2}$|"
    # 'läkemedelsrabatter som bidrar till överskottet med 104', 'I överskottet ingår även rabatter med 37'
    r"\bbidr\w*\s+till\s+(?:[^\W\d]+\s+){1,3}?med\s+(?:[^\W\d]+\s+){0,2}$|"
    r"\bi\s+(?:över|under)skottet\s+ingår\s+(?:[^\W\d]+\s+){0,5}?med\s+(?:[^\W\d]+\s+){0,2}$",
    re.IGNORECASE,
)

# ------------------------------------------------------------------ sign
NEGATIVE_DEVIATION = re.compile(
    r"\bnegativ\w*|\bsämre\b|\bunderskott\w*|\bbudgetunderskott\w*|\bminus\b|\böverskrid\w*", re.IGNORECASE
)
POSITIVE_DEVIATION = re.compile(r"\bpositiv\w*|\bbättre\b|\böverskott\w*|\bbudgetöverskott\w*|\bplus\b", re.IGNORECASE)
HIGHER = re.compile(r"\bhögre\b|\böverstiger\b|\bök\w*|\bmer\b|\bstörre\b", re.IGNORECASE)
LOWER = re.compile(r"\blägre\b|\bunderstiger\b|\bminsk\w*|\bmindre\b", re.IGNORECASE)
NEGATIVE_LEVEL = re.compile(
    r"\bnegativ\w*\s+(?:ekonomisk\w*\s+)?resultat\w*|\bminusresultat\w*|\bgick\s+back\b|\bgår\s+back\b", re.IGNORECASE
)

# ------------------------------------------------------------------ roles of a number in its clause
FROM_VALUE = re.compile(r"\bfrån\s*$", re.IGNORECASE)
TO_VALUE = re.compile(r"\btill\s+(?:totalt\s+)?$", re.IGNORECASE)
THRESHOLD = re.compile(
    r"(?:\binom|\bunder|\böver|\blängre\s+än|\bmer\s+än|\bminst|\bhögst|\bmax|\bupp\s+till)\s*$", re.IGNORECASE
)
# A clause that gives the figure just stated again, for another period ('2021 var den siffran 375 000').
RESTATED_FIGURE = re.compile(
    r"\b(?:den\s+siffran|samma\s+siffra|motsvarande\s+(?:siffra|antal|värde|andel))\b", re.IGNORECASE
)
# A bound on a value ('mer än 100 procent', 'under 5 procent', 'minst 80 procent'), right before it.
BOUND_BEFORE = re.compile(
    r"(?:\b(?:mer|mindre|fler|färre|högre|lägre)\s+än|\bminst|\bhögst|\böver|\bunder|\bupp\s+till|\bupp\s+mot|"
    r"\böverstiger|\bunderstiger|\böverskrider)\s*"
    r"(?:\d+(?:,\d+)?\s*(?:%|procent)?(?:,\s+|\s+(?:och|eller)\s+))*$",  # 'överstiger 80, 90 eller 95 procent'
    re.IGNORECASE,
)
# An extra cost compares two ways of doing something ('merkostnad för hyrpersonal'), not two periods.
EXTRA_COST = re.compile(r"\bmerkostnad", re.IGNORECASE)
THRESHOLD_AFTER = re.compile(
    r"^\s*(?:dagar\s+)?(?:eller\s+(?:kortare|längre|mer|mindre)|och\s+(?:uppåt|däröver))", re.IGNORECASE
)
RANGE_BEFORE = re.compile(r"\d\s*[–-]\s*$")

# ------------------------------------------------------------------ breakdowns
SEX = re.compile(r"\b(kvinnor|kvinnornas|kvinnorna|män|männens|männen|pojkar|flickor)\b", re.IGNORECASE)
_SEX_LABEL = {"kvinnornas": "kvinnor", "kvinnorna": "kvinnor", "männens": "män", "männen": "män"}
AGE_BAND = re.compile(
    r"(\d{2})\s*[–-]\s*(\d{2})\s*år|under\s+(\d{2})\s+år|upp\s+till\s+(\d{2})\s+år|(\d{2})\s+år\s+och\s+äldre|över\s+(\d{2})\s+år",
    re.IGNORECASE,
)
PROFESSIONS = re.compile(
    r"\b(tandläkare|tandhygienister|tandsköterskor|sjuksköterskor|undersköterskor|läkare|barnmorskor)\b", re.IGNORECASE
)
EMPLOYMENT_TYPE = re.compile(r"\b(tillsvidareanställda|visstidsanställda|timanställda|vikarier)\b", re.IGNORECASE)
QUALIFIER = re.compile(
    r"\b(exklusive|exkl\.?|justerat\s+för|efter\s+justering\s+för)\s+((?:[a-zåäö/-]+\s+){0,5}?[a-zåäö/-]+?)(?=\s*(?:[,.;]|\s+(?:till|på|är|var|uppgår|uppgick|landar|blev|visar|om|så|utgör|har)\b|$))",
    re.IGNORECASE,
)


def sex_label(word: str) -> str:
    word = word.lower()
    return _SEX_LABEL.get(word, word)


def age_label(match: re.Match) -> str:
    a, b, under, upto, older, over = match.groups()
    if a:
        return f"{a}–{b} år"
    if under:
        return f"under {under} år"
    if upto:
        return f"upp till {upto} år"
    if older:
        return f"{older} år och äldre"
    return f"över {over} år"


def qualifier_label(match: re.Match) -> str:
    kind = match.group(1).lower()
    what = re.sub(r"\s+", " ", match.group(2)).strip()
    if kind.startswith("exkl"):
        return f"exkl. {what}"
    return f"justerat för {what}"
