"""One number in a sentence -> the statement it makes, or the reason it is left out.

A number is bound to the measure its own clause names (seeds/kpi_lexicon.csv). Only a clause
that hangs on the one before it ('..., vilket är 557 miljoner kronor sämre än budget', 'och i
sjukhusvården med 2,1 procent', '(123,1 mnkr)') takes the measure over; a new clause that
names no measure takes nothing from elsewhere unless it says it does ('Motsvarande siffra för
året innan var 4,8 procent'), and then the binding is recorded as 'carried'. What the clause
says of the number (level, change, deviation from budget), its scenario, period, organisation
and breakdown come from the clause the same way, with the document's period and organisation
as the last fallback; each fact records where its period came from.

When a step cannot decide, the number is left out with the reason (and the measure, when one
was found), so marts.unmapped_numbers says what the catalogue or the rules lack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import lexicon, org_units, text_cues as cues, time_expressions as times
from .clauses import ALTERNATIVE, APPOSITION, COMPARISON, COORDINATE, NEW, RELATIVE, Clause
from .lexicon import BUDGET_DEVIATION, CHANGE, LEVEL, SHARE, MeasureMatch
from .numbers import NumberToken
from .organisations import DocumentOrganisation, OrgMention
from .time_expressions import PeriodReference, ResolvedPeriod, TimeExpression

# Links through which a clause takes over what the clause before it stated.
_HANGING = (RELATIVE, APPOSITION, ALTERNATIVE, COORDINATE, COMPARISON)
# Measures that name a whole organisation's costs or revenue only when qualified
# ('verksamhetens kostnader', 'Region Blekinges kostnader'), never as a bare 'kostnaderna'.
_GENERIC = ("cost", "revenue")
_GENERIC_QUALIFIED = re.compile(r"\b(?:verksamhetens|verksamheternas|totala|samlade|sammanlagda|regionens|landstingets|kommunens)\s+\S*$",
                                re.IGNORECASE)
_ANAPHORA = re.compile(
    r"\bmotsvarande\s+(?:siffra|värde|andel|nivå|tal)\w*|\bden\s+siffran\b|\bsamma\s+siffra\b|^\W*(?:det|detta)\s+motsvara\w*|"
    r"^\W*(?:års|helårs)?prognosen(?:\s+för\s+(?:hel)?året)?\s+(?:är|uppgår|landar|visar|pekar)\b",
    re.IGNORECASE,
)
_OBJECT_PREPOSITION = re.compile(r"\b(?:till|från|åt|av|med|hos)\s+(?:\w+\s+)?$", re.IGNORECASE)
_GRANT_PURPOSE = re.compile(r"^\W*(?:som|i)\s+((?:kompensation|ersättning|stöd)\s+för\s+[^,.;0-9]+?)\s*(?:,|$|totalt|på|om|med)",
                            re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    token: NumberToken
    unit: str | None
    noun: MeasureMatch | None = None  # a count noun right after the number ('4 942 medarbetare')

    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end


@dataclass(frozen=True)
class Reading:
    """The document-level context every statement falls back on."""

    document: str
    region_code: str | None
    reference: PeriodReference | None
    organisation: DocumentOrganisation | None
    default_org: str  # the unit the report is about: its committee, else its organisation


@dataclass
class Section:
    """What a heading (or a list's lead-in line) says about the text under it."""

    heading: str | None = None
    org: str | None = None
    measure: MeasureMatch | None = None
    scenario: str | None = None
    period: ResolvedPeriod | None = None
    is_list_lead: bool = False  # 'En vanlig vardag:' frames the items of the list under it
    # A section on agreements and targeted state grants: each heading under it names an area
    # ('Jämlik och effektiv cancervård'), a year heading ('2023') the year its amounts are for.
    grant_section: bool = False
    grant_area: str | None = None
    year: int | None = None


@dataclass
class Decided:
    """What one clause (or one statement) decided; later clauses may take it over."""

    measure: str | None = None
    measure_text: str | None = None
    aspect: str | None = None
    scenario: str | None = None
    period: ResolvedPeriod | None = None
    period_source: str | None = None
    org: str | None = None
    breakdown: str | None = None
    qualifier: str | None = None
    unit: str | None = None
    sign: int | None = None


@dataclass
class Statement:
    """A number bound to a KPI, with everything a Fact needs."""

    number: Number
    kpi_code: str
    measure: str
    aspect: str
    value: float
    unit: str
    scenario: str
    period: ResolvedPeriod
    period_source: str
    org: str
    breakdown: str
    binding: str  # clause or carried


@dataclass
class LeftOut:
    number: Number
    reason: str
    measure: str | None = None
    aspect: str | None = None  # what the clause said of it, for the clauses after it
    scenario: str | None = None


@dataclass
class SentenceContext:
    """Everything found in one sentence, passed around as one value."""

    text: str
    clauses: list[Clause]
    measures: list[MeasureMatch]
    times: list[TimeExpression]
    orgs: list[OrgMention]
    numbers: list[Number]
    reading: Reading
    section: Section
    previous_sentence: Decided | None = None  # the last statement of the sentence before, same paragraph
    paragraph_org: str | None = None
    decided: list[Decided] = field(default_factory=list)  # per clause, filled while reading

    def in_clause(self, items, index: int):
        clause = self.clauses[index]
        return [item for item in items if clause.start <= item.start < clause.end]


# ---------------------------------------------------------------------------- measure


def _measure_for(ctx: SentenceContext, index: int, number: Number) -> tuple[MeasureMatch | None, str, str | None]:
    """(measure, binding, reason when none) for `number` in clause `index`."""
    clause = ctx.clauses[index]
    if number.noun is not None:
        return number.noun, "clause", None
    found = [m for m in ctx.in_clause(ctx.measures, index) if not (m.start <= number.start < m.end)]
    excluded = [m for m in found if _excluded(m, clause.text) or _qualifying(ctx, m)
                or (_denominator(ctx, m) and number.end <= m.start)]
    found = [m for m in found if m not in excluded]
    strong = [m for m in found if not _is_weak(m)]
    if strong:
        distinct = {m.measure for m in strong}
        if len(distinct) > 1 and _listed(ctx.text, strong):
            return None, "clause", "several_measures"
        before = [m for m in strong if m.end <= number.start]
        chosen = before[-1] if before else strong[0]
        chosen = _specific(ctx.text, chosen, strong)
        return chosen, "clause", None
    link = clause.link
    weak = [m for m in found if _is_weak(m)]
    nouns = [m for m in weak if m.measure in _GENERIC and m.end <= number.start]
    if nouns:
        # 'medan kostnaderna minskat med 1,9 procent': the clause's own noun, however generic
        chosen = nouns[-1]
        if clause.link in _HANGING:
            earlier = _earlier_decided(ctx, index)
            if earlier is not None and earlier.measure and earlier.measure not in _GENERIC + ("result",):
                # 'överskott för läkemedelskostnaderna på 25 miljoner, och en kostnadsutveckling som ...':
                # the generic noun of a clause that hangs on a specific measure is that measure's
                return MeasureMatch(earlier.measure, chosen.start, chosen.end, earlier.measure_text or "", None), "clause", None
        if not _qualified(ctx, chosen) and index == 0 and len({m.measure for m in ctx.measures}) == 1:
            # the bare noun opens a sentence about nothing else: the costs the sentence before named
            carried = _carried_specific(ctx, chosen)
            if carried is not None:
                return carried, "carried", None
        return chosen, "clause", None
    if index > 0 and link in _HANGING:
        earlier = _earlier_decided(ctx, index)
        if earlier is not None and earlier.measure:
            return MeasureMatch(earlier.measure, clause.start, clause.start, earlier.measure_text or "", None), "clause", None
    if weak:
        before = [m for m in weak if m.end <= number.start]
        chosen = before[-1] if before else weak[0]
        if _definite_opening(ctx, chosen) and ctx.previous_sentence is not None and ctx.previous_sentence.measure \
                and ctx.previous_sentence.measure not in ("result",) + tuple(_GENERIC):
            # 'Budgetavvikelsen är negativ med 66 miljoner kronor' after a sentence on care revenue
            previous = ctx.previous_sentence
            return MeasureMatch(previous.measure, chosen.start, chosen.end, previous.measure_text or "", chosen.sign), "carried", None
        if chosen.measure in _GENERIC and not _qualified(ctx, chosen):
            carried = _carried_specific(ctx, chosen)
            if carried is not None:
                return carried, "carried", None
        return chosen, "clause", None
    if index == 0 and re.match(r"^\W*(?:men|och|samt)\b", clause.text, re.IGNORECASE) and ctx.previous_sentence is not None \
            and ctx.previous_sentence.measure and not [m for m in found if not _is_weak(m)]:
        previous = ctx.previous_sentence  # 'Men ett budgetunderskott på 29 miljoner kronor.'
        return MeasureMatch(previous.measure, clause.start, clause.start, previous.measure_text or "", None), "carried", None
    if ctx.section.grant_section and number.unit == "mnkr":
        # 'Totalt fick regionen 25 mnkr' under an agreement's heading
        return MeasureMatch("targeted_state_grant", clause.start, clause.start, "", None), "carried", None
    if ctx.section.measure is not None and len(ctx.text.split()) <= 8 and ":" in ctx.text:
        # 'Nivå R12 (2409-2508): 3,81 %' under a heading that names the measure
        heading = ctx.section.measure
        return MeasureMatch(heading.measure, clause.start, clause.start, heading.text, heading.sign), "carried", None
    if _ANAPHORA.search(clause.text) and ctx.previous_sentence is not None and ctx.previous_sentence.measure:
        previous = ctx.previous_sentence
        return MeasureMatch(previous.measure, clause.start, clause.start, previous.measure_text or "", None), "carried", None
    return None, "clause", "no_measure"


_WEAK_PHRASE = re.compile(
    r"^(?:överskott|underskott|budgetunderskott|budgetöverskott|budgetavvikelse|avvikelse|utfall|kostnad|intäkt|"
    r"plusresultat|minusresultat)",
    re.IGNORECASE,
)


_VERB = re.compile(
    r"\b(?:är|var|blir|blev|uppgår|uppgick|uppgått|har|hade|visar|visade|redovisar|redovisade|ligger|låg|landar|landade|"
    r"ökade|ökar|ökat|minskade|minskar|minskat|motsvarar|utgör|beräknas|väntas|förväntas|omfattar|omfattade|gör|fick|erhöll|"
    r"serveras|besöker|ringer|välkomnas|avser|innebär|ger)\b",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(r"^(?:\W|och|samt|men|medan|varav|vilket|som|där|då|det|den|de|en|ett|att|av|i|för|under|till|med|totalt|även|dessutom)+\s*",
                            re.IGNORECASE)


def _measure_phrase(ctx: SentenceContext, index: int, number: Number) -> str | None:
    """What a number the lexicon cannot name seems to measure, as the text words it: 'procent av
    landstingets kapital' -> 'landstingets kapital'; 'Biljettintäkter i kollektivtrafiken är 2 475'
    -> 'biljettintäkter i kollektivtrafiken'. Listed with the number, so the unmapped numbers
    say what the catalogue lacks."""
    clause = ctx.clauses[index]
    after = re.match(r"^\s*(?:procent|%)?\s*av\s+(?:alla|all|allt|de|det|den)?\s*([^,.;()0-9]{3,60}?)(?=\s+(?:är|var|har|som)\b|[,.;]|$)",
                     ctx.text[number.end:clause.end], re.IGNORECASE)
    if after:
        return after.group(1).strip().lower()
    lead = ctx.text[clause.start:number.start]
    verb = _VERB.search(lead)
    subject = lead[:verb.start()] if verb else lead
    subject = _LEADING_WORDS.sub("", subject.strip()).strip(" ,:;-–")
    subject = re.sub(r"\s+", " ", subject)
    if len(subject) < 3 or not re.search(r"[a-zåäö]{3}", subject, re.IGNORECASE):
        return None
    return subject[:60].lower()


def _is_weak(match: MeasureMatch) -> bool:
    """Evaluative or generic words ('underskott', 'kostnaderna'): they name the result, the costs
    or the revenue only when nothing more specific stands in the clause."""
    return match.measure in ("result", "cost", "revenue") and bool(_WEAK_PHRASE.match(match.text.strip()))


def _definite_opening(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """A sentence that opens with a definite evaluative noun ('Budgetavvikelsen', 'Underskottet')
    speaks of what the sentence before was about."""
    if match.start > 3 or match.measure != "result" or not re.search(r"(?:en|et|n)$", match.text.strip(), re.IGNORECASE):
        return False
    # 'Underskottet för kollektivtrafiken ...' names its own reference
    return not re.match(r"\s+(?:för|i|inom|hos|på)\s", ctx.text[match.end:match.end + 8], re.IGNORECASE)


_INCLUDED = re.compile(
    r"\b(?:inklusive|inkl\.?|exklusive|exkl\.?|utöver|förutom)\s+"
    r"(?:(?!(?:ett|en|är|var|på|med|till|om)\b)[\w/-]+(?:,\s*|\s+och\s+|\s+samt\s+|\s+))*$",
    re.IGNORECASE,
)


def _qualifying(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """'inklusive skatter, generella statsbidrag och finansiella poster': measures named only to
    say what a figure includes or leaves out."""
    return bool(_INCLUDED.search(ctx.text[max(0, match.start - 80):match.start]))


def _denominator(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """'41 procent av förväntad effekt': what a share is taken of is not what it measures."""
    return bool(re.search(r"(?:procent|%)\s+av\s+(?:den\s+|det\s+|de\s+)?(?:\w+\s+)?$", ctx.text[max(0, match.start - 40):match.start],
                          re.IGNORECASE))


def _excluded(match: MeasureMatch, clause_text: str) -> bool:
    measure = lexicon.measures().get(match.measure)
    return bool(measure and measure.excluded and measure.excluded.search(clause_text))


def _listed(text: str, matches: list[MeasureMatch]) -> bool:
    """Two different measures joined as a list ('skatter, statsbidrag och finansnetto')."""
    for first, second in zip(matches, matches[1:]):
        if first.measure != second.measure and re.fullmatch(r"\s*(?:,|och|samt|,\s*och)\s*", text[first.end:second.start]):
            return True
    return False


def _specific(text: str, chosen: MeasureMatch, strong: list[MeasureMatch]) -> MeasureMatch:
    """'Kostnadsökningen för stafetter': a generic measure narrowed by the one it is for."""
    if chosen.measure not in _GENERIC:
        return chosen
    for other in strong:
        if other.start >= chosen.end and other.measure not in _GENERIC \
                and re.fullmatch(r"\s*(?:för|av|inom|till)\s+(?:\w+\s+){0,2}", text[chosen.end:other.start]):
            return other
    return chosen


def _qualified(ctx: SentenceContext, match: MeasureMatch) -> bool:
    if " " in match.text.strip() and not match.text.lower().startswith(("kostnad", "intäkt")):
        return True  # 'verksamhetens kostnader' is a phrase of its own
    lead = ctx.text[max(0, match.start - 40):match.start]
    if _GENERIC_QUALIFIED.search(lead):
        return True
    return any(o.is_genitive and 0 <= match.start - o.end <= 25 and o.level != "national" for o in ctx.orgs)


def _carried_specific(ctx: SentenceContext, generic: MeasureMatch) -> MeasureMatch | None:
    """'Kostnaderna 2022 uppgår till 16 miljoner' after a sentence on out-of-county care: the
    costs (or revenue) the sentence before was about."""
    previous = ctx.previous_sentence
    if previous is None or not previous.measure or previous.measure in _GENERIC:
        return None
    info = lexicon.measures().get(previous.measure)
    wanted = lexicon.measures()[generic.measure].polarity
    if info and info.polarity == wanted:
        return MeasureMatch(previous.measure, generic.start, generic.end, previous.measure_text or "", None)
    return None


def _earlier_decided(ctx: SentenceContext, index: int) -> Decided | None:
    for earlier in range(index - 1, -1, -1):
        if earlier < len(ctx.decided) and ctx.decided[earlier].measure:
            return ctx.decided[earlier]
        if ctx.clauses[earlier].link not in _HANGING:
            break
    return None


# ---------------------------------------------------------------------------- aspect


def _segment(ctx: SentenceContext, index: int, number: Number) -> tuple[str, str]:
    """The words that belong to `number`: from the previous number (or clause start) to it, and
    after it up to the next number (or clause end)."""
    clause = ctx.clauses[index]
    numbers = [n for n in ctx.in_clause(ctx.numbers, index)]
    position = numbers.index(number) if number in numbers else 0
    lead_start = numbers[position - 1].end if position > 0 else clause.start
    tail_end = numbers[position + 1].start if position + 1 < len(numbers) else clause.end
    return ctx.text[lead_start:number.start], ctx.text[number.end:tail_end]


def _aspect(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch) -> tuple[str | None, bool]:
    """(aspect, is_budget_figure). None: the number compares with something no KPI holds."""
    lead, tail = _segment(ctx, index, number)
    window = lead + " " + tail
    if _budget_figure(lead):
        return LEVEL, True
    if cues.FORECAST_REFERENCE.search(window):
        return None, False
    phrase = measure.text.lower()
    if cues.BUDGET_REFERENCE.search(window) or cues.DEVIATION_WORD.search(window) or \
            re.match(r"budget(?:avvikelse|underskott|överskott)|avvikelse", phrase):
        return BUDGET_DEVIATION, False
    info = lexicon.measures().get(measure.measure)
    if info is not None and info.polarity in ("cost", "revenue") and re.search(r"\b(?:över|under)skott\w*\b", lead, re.IGNORECASE):
        return BUDGET_DEVIATION, False  # costs have no surplus but against their budget
    if number.unit == "percent" and re.search(r"\bi\s+förhållande\s+till\b|\bsom\s+andel\s+av\b", lead, re.IGNORECASE):
        return SHARE, False
    if cues.TO_VALUE.search(lead) or cues.FROM_VALUE.search(lead):
        return LEVEL, False
    change_cue = cues.CHANGE_NOUN.search(window) or cues.CHANGE_NOUN.search(phrase) or re.search(
        r"\b(?:ök\w*|minsk\w*|stig\w*|steg|sjunk\w*|sjönk|gick\s+(?:upp|ned|ner)|upp|ned|ner)\s+(?:\w+\s+){0,3}?med\s*$", lead, re.IGNORECASE
    ) or re.search(r"\b\w*(?:ökning|minskning)\w*\s+(?:\w+\s+){0,4}?(?:med|på|om)\s*$", lead, re.IGNORECASE) \
        or re.search(r"\w*(?:ökning|minskning)", phrase)
    if re.search(r"\b(?:ökning|minskning|förändring|utveckling)(?:en)?\s+(?:av|i|för)\b", lead, re.IGNORECASE):
        return CHANGE, False  # 'Ökningen av verksamhetens nettokostnader motsvarar 18,3 procent'
    comparative = re.search(r"^\s*(?:\w+\s+){0,3}?(?:högre|lägre|större|mindre|fler|färre|bättre|sämre)\b", tail, re.IGNORECASE) \
        or re.search(r"\b(?:högre|lägre|bättre|sämre)\s+(?:\w+\s+)?(?:på|med|om)\s*$", lead, re.IGNORECASE)
    if change_cue or (comparative and cues.EARLIER_PERIOD.search(window)):
        return CHANGE, False
    if comparative:
        earlier = _earlier_decided(ctx, index) if ctx.clauses[index].link in _HANGING else None
        return (earlier.aspect if earlier and earlier.aspect in (CHANGE, BUDGET_DEVIATION) else None), False
    if number.unit == "percent" and cues.SHARE_OF.search(window):
        return SHARE, False
    if ctx.clauses[index].link == ALTERNATIVE:
        earlier = _earlier_decided(ctx, index)
        if earlier is not None and earlier.aspect:
            return earlier.aspect, False
    if ctx.clauses[index].link == COORDINATE and re.match(r"^\W*(?:och|samt|men|medan)\s+(?:(?:i|inom|för|på)\s+[\w\s-]+?\s+)?med\s*$",
                                                         lead, re.IGNORECASE):
        earlier = _earlier_decided(ctx, index)  # 'och i sjukhusvården med 2,1 procent': the verb is left out
        if earlier is not None and earlier.aspect:
            return earlier.aspect, False
    return LEVEL, False


def _budget_figure(lead: str) -> bool:
    """The number is the budget itself ('budgeterat resultat för perioden på -252', 'bättre än
    budgeterade 12,7 mnkr'), not a deviation from it ('underskott mot budgeten på 17')."""
    found = cues.BUDGET_FIGURE_BEFORE.search(lead)
    if not found or re.search(r"\bmed\b", found.group(0), re.IGNORECASE):
        return False
    return not cues.BUDGET_AS_REFERENCE.search(lead[:found.start()])


# ---------------------------------------------------------------------------- sign


def _sign(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, aspect: str) -> int:
    if number.token.value < 0:
        return -1
    lead, tail = _segment(ctx, index, number)
    near = lead[-90:] + " " + re.split(r",\s|\s(?:och|men|medan)\s", tail[:50])[0]
    polarity = lexicon.measures()[measure.measure].polarity if measure.measure in lexicon.measures() else "neutral"
    if aspect == BUDGET_DEVIATION:
        higher = re.search(r"\b(högre|lägre|överstiger|understiger|större|mindre)\b", near, re.IGNORECASE)
        if higher and not re.search(r"\b(?:bättre|sämre|negativ\w*|positiv\w*)\b", near, re.IGNORECASE):
            up = higher.group(1).lower() in ("högre", "överstiger", "större")
            return -1 if up == (polarity == "cost") else 1
        sign = _last(near, cues.NEGATIVE_DEVIATION, cues.POSITIVE_DEVIATION)
        if sign is None and measure.sign is not None and measure.start >= ctx.clauses[index].start:
            sign = measure.sign
        if sign is None:
            earlier = _earlier_decided(ctx, index) if ctx.clauses[index].link in _HANGING else None
            sign = earlier.sign if earlier is not None and earlier.aspect == BUDGET_DEVIATION else None
        if sign is None and polarity in ("cost", "revenue"):
            # 'Personalkostnaderna har ökat med 11,1 procent och har en avvikelse mot budget på 178':
            # costs that rose, or revenue that fell, deviate to the bad side
            against = cues.CHANGE_UP if polarity == "cost" else cues.CHANGE_DOWN
            if against.search(ctx.text[:number.start]):
                sign = -1
        return sign if sign is not None else 1
    if aspect == CHANGE:
        sign = _last(near + " " + measure.text, cues.CHANGE_DOWN, cues.CHANGE_UP)
        if sign is None and ctx.clauses[index].link in (COORDINATE, ALTERNATIVE):
            earlier = _earlier_decided(ctx, index)
            sign = earlier.sign if earlier is not None and earlier.aspect == CHANGE else None
        return sign if sign is not None else 1
    if measure.sign is not None and ctx.clauses[index].start <= measure.start:
        return measure.sign
    # 'Periodens resultat är ett underskott på 51 mkr': the evaluative word carries the sign
    evaluative = [m for m in ctx.measures if m.sign is not None and m.measure == measure.measure
                  and ctx.clauses[index].start <= m.start and m.end <= number.start and number.start - m.end <= 40]
    if evaluative:
        return evaluative[-1].sign
    if ctx.clauses[index].link in (APPOSITION, ALTERNATIVE):
        earlier = _earlier_decided(ctx, index)
        if earlier is not None and earlier.sign is not None and earlier.aspect in (None, LEVEL):
            return earlier.sign
    if cues.NEGATIVE_LEVEL.search(near):
        return -1
    return 1


def _last(text: str, negative: re.Pattern, positive: re.Pattern) -> int | None:
    best, position = None, -1
    for sign, pattern in ((-1, negative), (1, positive)):
        for match in pattern.finditer(text):
            if match.start() > position:
                best, position = sign, match.start()
    return best


# ---------------------------------------------------------------------------- scenario


def _predicate_after(ctx: SentenceContext, index: int) -> str:
    """'Det allra största underskottet, 105 miljoner kronor, förväntas hälso- och sjukvården få':
    a figure set off as an apposition belongs to the predicate that follows it."""
    clause = ctx.clauses[index]
    if clause.link == APPOSITION and index + 1 < len(ctx.clauses) and ctx.clauses[index + 1].link == NEW \
            and len(clause.text.split()) <= 5:
        return ctx.clauses[index + 1].text
    return ""


def _scenario(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, aspect: str,
              budget_figure: bool) -> str | None:
    """actual, forecast, target, or None for a hypothetical, an assignment or a proposal."""
    clause = ctx.clauses[index]
    lead, tail = _segment(ctx, index, number)
    own = _without_measure_names(ctx, clause.start, number.end + len(tail)) + " " + _predicate_after(ctx, index)
    if cues.HYPOTHETICAL.search(ctx.text[:number.start]) and not cues.HYPOTHETICAL.search(ctx.text[number.end:]) \
            and re.search(r"\bom\b", ctx.text[:number.start], re.IGNORECASE) and _hypothetical_sentence(ctx.text):
        return None
    if cues.ASSIGNMENT.search(own):
        return None
    if budget_figure:
        return "target"
    if measure.measure == "savings_plan":
        return "target" if (cues.TARGET.search(ctx.text) or cues.CONDITIONAL.search(own)) else "actual"
    if cues.CONDITIONAL.search(own):
        return None
    if cues.FORECAST.search(own):
        return "forecast"
    if aspect != BUDGET_DEVIATION and cues.TARGET.search(own):
        return "target"
    if cues.ACTUAL.search(own):
        return "actual"
    earlier = ctx.decided[index - 1] if index > 0 and index - 1 < len(ctx.decided) else None
    if earlier is not None and earlier.scenario and clause.link in _HANGING:
        return earlier.scenario
    if cues.FORECAST.search(ctx.text[:clause.start]):
        return "forecast"  # 'Prognosen för årets resultat, som ..., visar på ett negativt resultat ...'
    if ctx.section.scenario:
        return ctx.section.scenario
    return "actual"


def _without_measure_names(ctx: SentenceContext, start: int, end: int) -> str:
    """The text of [start, end) with measure names blanked, so 'förväntad effekt' (a measure)
    is not read as a forecast."""
    chars = list(ctx.text[start:end])
    for match in ctx.measures:
        for position in range(max(match.start, start), min(match.end, end)):
            chars[position - start] = " "
    return "".join(chars)


def _hypothetical_sentence(text: str) -> bool:
    return bool(re.search(r"^\W*om\b|\bom\s+[^,.]{3,80}?(?:skulle|inkluderas|räknas|tas\s+med)\b", text, re.IGNORECASE))


# ---------------------------------------------------------------------------- period


def _period(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, scenario: str,
            aspect: str) -> tuple[ResolvedPeriod | None, str]:
    reference = ctx.reading.reference
    time_kind = lexicon.measures()[measure.measure].time_kind if measure.measure in lexicon.measures() else "flow"
    clause = ctx.clauses[index]
    lead, tail = _segment(ctx, index, number)
    own = [t for t in ctx.in_clause(ctx.times, index) if not t.is_comparison and not (t.start <= number.start < t.end)]
    if cues.FROM_VALUE.search(lead) and not [t for t in own if number.end <= t.start <= number.end + 15]:
        # 'ökat från 5,2 till 5,5 procent': the first figure is the earlier period's
        compared = [t for t in ctx.times if t.is_comparison and t.kind in ("year", "previous_year", "same_period_previous")]
        if compared and reference is not None:
            period = times.resolve(replace(compared[0], is_comparison=False), reference, time_kind)
            if period is not None:
                return period, "sentence"
        if reference is not None:
            return times.resolve(times.TimeExpression("previous_year", 0, 0, "", False, {}), reference, time_kind), "sentence"
    chosen = _nearest_time(own, number)
    source = "clause"
    attributed = [t for t in ctx.in_clause(ctx.times, index) if t.is_comparison and t.end <= number.start
                  and re.match(r"^[\s,]*(?:\w+\s+){0,2}?(?:som|då)\s+(?:\w+\s+){0,2}?(?:var|låg|uppgick|landade|hade)\b",
                               ctx.text[t.end:number.start], re.IGNORECASE)]
    if attributed:
        # 'jämfört med samma period föregående år som var 115 miljoner', 'från januari då den var 6,0 procent'
        chosen = replace(attributed[-1], is_comparison=False)
    if chosen is None and clause.link == ALTERNATIVE and index > 0 and ctx.text[:clause.start].rstrip().endswith("("):
        # '... högre än föregående år (123,1 mnkr)': the figure in brackets is the one compared with
        previous = ctx.clauses[index - 1]
        compared = [t for t in ctx.times if previous.start <= t.start < previous.end and t.is_comparison
                    and ctx.text[t.end:previous.end].strip(" ,") == ""]
        if compared:
            chosen, source = replace(compared[-1], is_comparison=False), "sentence"
    if chosen is None and reference is not None:
        earlier = _inherited_period(ctx, index)
        if earlier is not None:
            return earlier, "sentence"
    if reference is None:
        return None, "document"
    if chosen is not None:
        if chosen.kind == "multi_year":
            start_year = next((int(t.groups["y"]) for t in ctx.times if t.kind == "year"), reference.year)
            span = times.multi_year_span(chosen, start_year)
            return span, source
        if scenario in ("forecast", "target") and chosen.kind == "year" and time_kind != "stock":
            return times.full_year(int(chosen.groups["y"])), source
        if scenario in ("forecast", "target") and chosen.kind in ("month_ytd", "tertial", "document_period") and time_kind != "stock" \
                and not re.search(r"perioden", chosen.text, re.IGNORECASE):
            # 'prognos per april': the date a forecast was made, not the period it covers
            return times.full_year(reference.year), source
        period = times.resolve(chosen, reference, time_kind)
        rolling = [t for t in ctx.times if t.kind == "rolling" and t is not chosen]
        if period is not None and rolling and chosen.kind in ("month", "month_ytd") and time_kind != "stock":
            # 'sjukfrånvaron över 12 månader ... 6,0 procent för mars 2023': twelve months to that month
            end = period.end
            return ResolvedPeriod(times._first_of_month_back(end, 11), end, "rolling_12_months"), source
        if period is not None:
            return period, source
    if ctx.section.period is not None:
        return ctx.section.period, "heading"
    if scenario in ("forecast", "target") and time_kind != "stock":
        return times.full_year(reference.year), "document"
    return times.document_period(reference, time_kind), "document"


def _nearest_time(candidates: list[TimeExpression], number: Number) -> TimeExpression | None:
    if not candidates:
        return None
    after = [t for t in candidates if number.end <= t.start <= number.end + 6]
    if after:
        return after[0]
    before = [t for t in candidates if t.end <= number.start]
    if before:
        return before[-1]
    return candidates[0]


def _inherited_period(ctx: SentenceContext, index: int) -> ResolvedPeriod | None:
    clause = ctx.clauses[index]
    if index == 0:
        return None
    if clause.link in _HANGING:
        for position in range(index - 1, -1, -1):
            earlier = ctx.decided[position] if position < len(ctx.decided) else None
            if earlier is not None and earlier.period is not None and earlier.period_source != "document":
                return earlier.period
            if ctx.clauses[position].link not in _HANGING:
                break
    previous = ctx.clauses[index - 1]
    if clause.link == NEW and not [n for n in ctx.numbers if previous.start <= n.start < previous.end]:
        # a lead-in without figures ('Under 2023, ...') sets the time for the clause after it
        lead_times = [t for t in ctx.times if previous.start <= t.start < previous.end and not t.is_comparison]
        if lead_times and ctx.reading.reference is not None:
            return times.resolve(lead_times[-1], ctx.reading.reference, "flow")
    return None


# ---------------------------------------------------------------------------- organisation and breakdown


def _org(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch) -> tuple[str, OrgMention | None]:
    """The unit the statement is about, and the national mention when it compares with the country."""
    name, national = _named_org(ctx, index, number, measure)
    if name == "Verksamheterna" and _budget_holder(ctx.reading.default_org, ctx):
        return ctx.reading.default_org, national  # a committee's report: its operations are the committee's
    return name, national


def _named_org(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch) -> tuple[str, OrgMention | None]:
    clause = ctx.clauses[index]
    mentions = [m for m in ctx.in_clause(ctx.orgs, index)]
    national = next((m for m in mentions if m.level == "national"), None)
    subjects = [m for m in mentions if m.level != "national" and not _OBJECT_PREPOSITION.search(ctx.text[clause.start:m.start])]
    genitive = [m for m in subjects if m.is_genitive and m.end <= measure.start + 1 and measure.start - m.end <= 40]
    if genitive:
        return genitive[-1].name, national
    before = [m for m in subjects if m.end <= number.start]
    if before:
        return before[0].name, national
    after = [m for m in subjects if m.start >= number.end]
    if not after and _predicate_after(ctx, index):
        after = [m for m in ctx.in_clause(ctx.orgs, index + 1) if m.level != "national"]
    if after:
        return after[0].name, national
    if national is not None and national.name:
        return national.name, national
    for earlier in range(index - 1, -1, -1):
        if earlier < len(ctx.decided) and ctx.decided[earlier].org:
            return ctx.decided[earlier].org, national
    sentence_subjects = [m for m in ctx.orgs if m.level != "national" and m.start < clause.start
                         and not _OBJECT_PREPOSITION.search(ctx.text[max(0, m.start - 20):m.start])]
    if sentence_subjects:
        return sentence_subjects[0].name, national
    if ctx.section.org:
        return ctx.section.org, national
    if ctx.paragraph_org:
        return ctx.paragraph_org, national
    return ctx.reading.default_org, national


def _breakdown(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, mapping_breakdown: str | None,
               national: OrgMention | None) -> str:
    lead, tail = _segment(ctx, index, number)
    clause = ctx.clauses[index]
    if national is not None and (national.start >= number.end or number.start - national.end <= 60):
        return "Riket"
    parts: list[str] = []
    if mapping_breakdown:
        parts.append(mapping_breakdown)
    qualifier = _qualifier(ctx, index, number)
    if qualifier:
        parts.append(qualifier)
    if measure.measure in ("sick_leave", "short_term_sick_leave"):
        # a figure in brackets or after a comma belongs to the group the sentence named before it
        scope = lead if clause.link not in (ALTERNATIVE, APPOSITION) else ctx.text[:number.start]
        profession = _last_match(cues.PROFESSIONS, scope)
        age = _last_match(cues.AGE_BAND, scope)
        sex = [m for m in cues.SEX.finditer(scope) if not re.search(r"\bän\s*$", scope[:m.start()])]
        if profession:
            parts.append(profession.group(1).lower())
        if age:
            parts.append(cues.age_label(age))
        elif sex:
            parts.append(cues.sex_label(sex[-1].group(1)))
    if measure.measure == "employees":
        employment = cues.EMPLOYMENT_TYPE.search(measure.text) or cues.EMPLOYMENT_TYPE.search(lead + tail)
        if employment:
            parts.append(employment.group(1).lower())
    if measure.measure == "targeted_state_grant" and ctx.section.grant_area:
        qualifier = _grant_component(ctx.text[max(0, number.start - 90):number.start] + " " + tail[:40])
        return f"{ctx.section.grant_area} – {qualifier}" if qualifier else ctx.section.grant_area
    if measure.measure == "targeted_state_grant":
        grants = [m for m in ctx.measures if m.measure == measure.measure and m.end <= number.start]
        purpose = _GRANT_PURPOSE.search(ctx.text[grants[-1].end:number.start]) if grants else None
        if purpose:
            parts.append(re.sub(r"\s+", " ", purpose.group(1)).strip())
    return " ".join(parts) if parts else "total"


_GRANT_COMPONENTS = [
    ("grundbelopp", re.compile(r"grundbelopp\w*", re.IGNORECASE)),
    ("bonuspott", re.compile(r"bonuspott\w*", re.IGNORECASE)),
    ("ersättning", re.compile(r"\bi\s+ersättning\b", re.IGNORECASE)),
    ("länsgemensamma insatser", re.compile(r"länsgemensamma\s+insatser", re.IGNORECASE)),
    ("gemensamma medel med kommunerna", re.compile(r"gemensamma\s+medel\s+med\s+kommunerna", re.IGNORECASE)),
]
_NATIONAL_AMOUNT = re.compile(r"\bstaten\b|\briket\b|\bvarje\s+region\b|\brespektive\s+region\b|\bsamtliga\s+regioner\b|"
                              r"\balla\s+regioner\b|\bregioner\s+och\s+kommuner\b", re.IGNORECASE)
_PAST_RECEIPT = re.compile(r"\b(?:erhöll|fick|tilldelades|beviljades|avsåg|uppgick|omfattade|var)\b", re.IGNORECASE)


def _grant_component(window: str) -> str | None:
    """The part of an agreement an amount is ('grundbeloppet', 'länsgemensamma insatser')."""
    best, best_end = None, -1
    for label, pattern in _GRANT_COMPONENTS:
        for match in pattern.finditer(window):
            if match.end() > best_end:
                best, best_end = label, match.end()
    return best


def _national_grant(ctx: SentenceContext, index: int, number: Number) -> bool:
    """An agreement's total for the whole country, not the region's share ('omfattar totalt 326
    mnkr varav regionen får 1,5 mnkr')."""
    lead, tail = _segment(ctx, index, number)
    if re.match(r"^\W*(?:mnkr\s*)?varav\b", tail) or re.search(r"miljard|mdkr", number.token.text, re.IGNORECASE):
        return True
    if _NATIONAL_AMOUNT.search(lead[-80:]) and not re.search(r"regionens|regionen\b|region\s+[A-ZÅÄÖ]", lead[-40:]) \
            and not _grant_component(lead[-40:]) == "grundbelopp":
        return True
    return False


def _grant_year(ctx: SentenceContext, index: int, number: Number) -> ResolvedPeriod | None:
    """Agreements are reported per calendar year: the year named, the year heading, or the tense."""
    reference = ctx.reading.reference
    if reference is None:
        return None
    own = [t for t in ctx.in_clause(ctx.times, index) if t.kind == "year" and not t.is_comparison
           and not re.search(r"(?:sedan|från)\s*$", ctx.text[max(0, t.start - 8):t.start], re.IGNORECASE)]
    if not own:
        own = [t for t in ctx.times if t.kind == "year" and not t.is_comparison and t.end <= number.start
               and not re.search(r"(?:sedan|från)\s*$", ctx.text[max(0, t.start - 8):t.start], re.IGNORECASE)]
    if own:
        return times.full_year(int(own[-1].groups["y"]))
    if ctx.section.year:
        return times.full_year(ctx.section.year)
    year = reference.year
    if reference.document_kind != "annual_report" and _PAST_RECEIPT.search(ctx.text[:number.start]):
        year -= 1  # 'regionen erhöll' in a report early in the year: what came in last year
    return times.full_year(year)


def _qualifier(ctx: SentenceContext, index: int, number: Number) -> str | None:
    """'exklusive nedskrivning av ...', 'efter justering för jämförelsestörande poster': in the
    clause, or in a lead-in clause of the sentence that sets it for what follows."""
    clause = ctx.clauses[index]
    for match in cues.QUALIFIER.finditer(ctx.text):
        if any(m.start <= match.start() < m.end for m in ctx.measures):
            continue  # part of a measure's own name ('resultatet exklusive finansiella placeringar')
        if clause.start <= match.start() < clause.end:
            return cues.qualifier_label(match)
        if match.start() < clause.start and ctx.clauses[0].start <= match.start() < ctx.clauses[0].end \
                and not [n for n in ctx.numbers if ctx.clauses[0].start <= n.start < ctx.clauses[0].end]:
            return cues.qualifier_label(match)
    return None


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    last = None
    for last in pattern.finditer(text):
        pass
    return last


# ---------------------------------------------------------------------------- one number


def read_number(ctx: SentenceContext, index: int, number: Number) -> Statement | LeftOut:
    """The statement `number` (in clause `index`) makes, or why it is left out."""
    unit = number.unit
    lead, tail = _segment(ctx, index, number)
    if any(m.start <= number.start < m.end for m in ctx.measures):
        return LeftOut(number, "part_of_measure_name")
    if unit == "percentage_points":
        measure, _, _ = _measure_for(ctx, index, number)
        return LeftOut(number, "percentage_points", measure.measure if measure else None)
    if unit in ("days", "count") and (cues.THRESHOLD.search(lead[-20:]) or cues.THRESHOLD_AFTER.match(tail)):
        return LeftOut(number, "threshold")
    if cues.RANGE_BEFORE.search(lead) or re.match(r"^\s*[–-]\s*\d", tail):
        return LeftOut(number, "range")
    frame = ctx.section.measure if ctx.section.is_list_lead else None
    if frame is not None and not lexicon.has_kpi(frame.measure):
        return LeftOut(number, "list_frame_not_in_catalogue", frame.measure)
    measure, binding, reason = _measure_for(ctx, index, number)
    if measure is None or reason is not None:
        return LeftOut(number, reason or "no_measure", measure.measure if measure else _measure_phrase(ctx, index, number))
    if not lexicon.has_kpi(measure.measure):
        return LeftOut(number, "measure_not_in_catalogue", measure.measure)
    aspect, budget_figure = _aspect(ctx, index, number, measure)
    previous = ctx.previous_sentence
    if binding == "carried" and aspect == LEVEL and previous is not None and previous.measure == measure.measure \
            and previous.aspect and _ANAPHORA.search(ctx.clauses[index].text):
        aspect = previous.aspect  # 'Motsvarande siffra för året innan var 4,8 procent': the same statement, another period
    if aspect == LEVEL and measure.measure in _GENERIC and not _qualified(ctx, measure):
        # a bare 'kostnaderna uppgår till 16 miljoner' is some cost, not the organisation's total
        return LeftOut(number, "generic_measure", measure.measure)
    if aspect is None:
        return LeftOut(number, "unclear_comparison", measure.measure)
    scenario = _scenario(ctx, index, number, measure, aspect, budget_figure)
    if scenario is None:
        return LeftOut(number, "not_an_actual_forecast_or_target", measure.measure)
    report_unit = "index" if unit is None else unit
    mapping = lexicon.kpi_for(measure.measure, aspect, report_unit)
    if mapping is None and aspect == SHARE:
        aspect, mapping = LEVEL, lexicon.kpi_for(measure.measure, LEVEL, report_unit)  # a measure that is a share already
    if mapping is None:
        return LeftOut(number, f"no_kpi_for_{aspect}_in_{report_unit}", measure.measure, aspect, scenario)
    sign = _sign(ctx, index, number, measure, aspect)
    value = abs(number.token.value) * sign
    if not mapping.min_value <= value <= mapping.max_value:
        return LeftOut(number, "implausible_value", measure.measure)
    if measure.measure == "targeted_state_grant" and ctx.section.grant_section:
        if _national_grant(ctx, index, number):
            return LeftOut(number, "national_total", measure.measure)
        period, period_source = _grant_year(ctx, index, number), "clause"
    else:
        period, period_source = _period(ctx, index, number, measure, scenario, aspect)
    if period is None:
        return LeftOut(number, "no_period", measure.measure)
    org, national = _org(ctx, index, number, measure)
    if measure.measure == "result" and aspect == LEVEL and _evaluative_only(ctx, index, number) and _budget_holder(org, ctx):
        # 'Underskottet för kollektivtrafiken uppgår till 11,1 miljoner': a committee or area of a
        # region is held to its budget; its surplus or deficit is the deviation from it
        aspect = BUDGET_DEVIATION
        mapping = lexicon.kpi_for(measure.measure, aspect, report_unit)
    breakdown = _breakdown(ctx, index, number, measure, mapping.breakdown, national)
    return Statement(number, mapping.kpi_code, measure.measure, aspect, value, report_unit, scenario, period,
                     period_source, org, breakdown, binding)


_EVALUATIVE = re.compile(r"^(?:över|under)skott", re.IGNORECASE)


def _evaluative_only(ctx: SentenceContext, index: int, number: Number) -> bool:
    """The clause names the figure only as a surplus or deficit, never as a 'resultat'."""
    clause = ctx.clauses[index]
    words = [m for m in ctx.measures if m.measure == "result" and clause.start <= m.start < clause.end]
    if not words and clause.link in _HANGING and index > 0:
        previous = ctx.clauses[index - 1]
        words = [m for m in ctx.measures if m.measure == "result" and previous.start <= m.start < previous.end]
    return bool(words) and all(_is_evaluative(m) for m in words)


def _is_evaluative(match: MeasureMatch) -> bool:
    return bool(_EVALUATIVE.match(match.text.strip()))


def _budget_holder(org: str, ctx: SentenceContext) -> bool:
    unit = org_units.find_unit(org, ctx.reading.region_code)
    return unit is not None and unit.level in ("committee", "area", "administration", "board", "unit")


def remember(ctx: SentenceContext, index: int, result: Statement | LeftOut | None, measure_text: str | None = None) -> None:
    """Record what clause `index` decided, for the clauses after it."""
    while len(ctx.decided) <= index:
        ctx.decided.append(Decided())
    decided = ctx.decided[index]
    if isinstance(result, Statement):
        decided.measure, decided.aspect, decided.scenario = result.measure, result.aspect, result.scenario
        decided.measure_text = measure_text
        decided.period, decided.period_source = result.period, result.period_source
        decided.org, decided.breakdown, decided.unit = result.org, result.breakdown, result.unit
        decided.sign = 1 if result.value >= 0 else -1
    elif isinstance(result, LeftOut) and result.measure and not decided.measure:
        decided.measure = result.measure
        decided.aspect = decided.aspect or result.aspect
        decided.scenario = decided.scenario or result.scenario
    # a clause without numbers still names a measure, time or unit for the clause after it
    if result is None:
        clause_measures = ctx.in_clause(ctx.measures, index)
        strong = [m for m in clause_measures if not _is_weak(m)] or clause_measures
        if strong and not decided.measure:
            decided.measure, decided.measure_text = strong[-1].measure, strong[-1].text
            signed = [m.sign for m in clause_measures if m.sign is not None]
            decided.sign = signed[-1] if signed else None
        own_scenario = cues.FORECAST.search(ctx.clauses[index].text)
        if own_scenario and not decided.scenario:
            decided.scenario = "forecast"
        lead_times = [t for t in ctx.in_clause(ctx.times, index) if not t.is_comparison]
        if lead_times and ctx.reading.reference is not None and decided.period is None:
            decided.period = times.resolve(lead_times[-1], ctx.reading.reference, "flow")
            decided.period_source = "sentence"
        subjects = [m for m in ctx.in_clause(ctx.orgs, index) if m.level != "national"
                    and not _OBJECT_PREPOSITION.search(ctx.text[ctx.clauses[index].start:m.start])]
        if subjects and not decided.org:
            decided.org = subjects[0].name


def resolve_label(label: str, region_code: str | None) -> str:
    return org_units.resolve(label, region_code)
