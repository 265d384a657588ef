"""Which measure a number's clause names (seeds/kpi_lexicon.csv): the clause's own phrase, the one
of the clause it hangs on, or, only when the text says it refers back, the sentence before's
(binding 'carried'); and the phrase a number seems to measure when the lexicon names none."""

from __future__ import annotations

import re

from . import lexicon
from .clauses import COORDINATE
from .lexicon import CHANGE, MeasureMatch
from .statement_context import (
    ANAPHORA,
    GENERIC,
    HANGING,
    VERB,
    Decided,
    Number,
    SentenceContext,
    earlier_decided,
)

_GENERIC_QUALIFIED = re.compile(
    r"\b(?:verksamhetens|verksamheternas|totala|samlade|sammanlagda|regionens|landstingets|kommunens)\s+\S*$",
    re.IGNORECASE,
)


def measure_for(ctx: SentenceContext, index: int, number: Number) -> tuple[MeasureMatch | None, str, str | None]:
    """(measure, binding, reason when none) for `number` in clause `index`."""
    clause = ctx.clauses[index]
    if number.noun is not None:
        earlier = earlier_decided(ctx, index) if clause.link in HANGING else None
        if (
            earlier is not None
            and earlier.measure
            and earlier.measure != number.noun.measure
            and _same_family(earlier.measure, number.noun.measure)
        ):
            # '... utgör 7,9 procent av alla besök vilket motsvarar drygt 120 500 besök': distansbesök
            return (
                MeasureMatch(earlier.measure, number.noun.start, number.noun.end, earlier.measure_text or "", None),
                "clause",
                None,
            )
        if (
            ANAPHORA.search(clause.text)
            and index == 0
            and ctx.previous_sentence is not None
            and ctx.previous_sentence.aspect == CHANGE
            and _same_family(ctx.previous_sentence.measure or "", number.noun.measure)
        ):
            previous = ctx.previous_sentence  # 'Detta motsvarar knappt 2 600 besök' after a change
            return (
                MeasureMatch(previous.measure, number.noun.start, number.noun.end, previous.measure_text or "", None),
                "carried",
                None,
            )
        return number.noun, "clause", None
    found = [m for m in ctx.in_clause(ctx.measures, index) if not (m.start <= number.start < m.end)]
    excluded = [
        m
        for m in found
        if _excluded(m, clause.text)
        or _qualifying(ctx, m)
        or _absent(ctx, m)
        or (_denominator(ctx, m) and number.end <= m.start)
    ]
    found = [m for m in found if m not in excluded]
    strong = [m for m in found if not is_weak(m)]
    previous = _referred_back_to(ctx, index)
    if (
        previous is not None
        and found
        and all(m.measure == "result" for m in found)
        and previous.measure in _RESULT_FAMILY
    ):
        # 'Det är ett lägre resultat jämfört med ...': the result the sentence before named
        first = found[0]
        return (
            MeasureMatch(previous.measure, first.start, first.end, previous.measure_text or "", first.sign),
            "carried",
            None,
        )
    earlier = ctx.previous_sentence
    if (
        number.unit is None
        and found
        and all(m.measure == "result" for m in found)
        and earlier is not None
        and earlier.measure in INDEX_MEASURES
    ):
        # 'För 2021 låg resultatet på 76' after a sentence on the staff index: the index's result
        first = found[0]
        return MeasureMatch(earlier.measure, first.start, first.end, earlier.measure_text or "", None), "carried", None
    if strong:
        distinct = {m.measure for m in strong}
        if len(distinct) > 1 and _listed(ctx.text, strong):
            return None, "clause", "several_measures"
        before = [m for m in strong if m.end <= number.start]
        chosen = before[-1] if before else strong[0]
        weak_before = [
            m for m in found if is_weak(m) and m.end <= number.start and m.start >= (chosen.end if before else 0)
        ]
        if weak_before and (
            not before or (number.start - chosen.end > 80 and number.start - weak_before[-1].end <= 40)
        ):
            # 'ett överskott mot budget på 144 miljoner kronor främst påverkat av statsbidrag ...';
            # '... merkostnader ... och osäkerhet ... kvarstår årsprognos för negativ budgetavvikelse på 550'
            return weak_before[-1], "clause", None
        chosen = _specific(ctx.text, chosen, strong)
        return chosen, "clause", None
    link = clause.link
    weak = [m for m in found if is_weak(m)]
    if (
        index == 0
        and re.match(r"^\W*(?:men|och|samt)\b", clause.text, re.IGNORECASE)
        and ctx.previous_sentence is not None
        and ctx.previous_sentence.measure
        and not [m for m in weak if m.measure in GENERIC]
    ):
        # 'Men ett budgetunderskott på 29 miljoner kronor.' goes on with the sentence before
        previous = ctx.previous_sentence
        sign = next((m.sign for m in weak if m.sign is not None), None)
        return (
            MeasureMatch(previous.measure, clause.start, clause.start, previous.measure_text or "", sign),
            "carried",
            None,
        )
    nouns = [m for m in weak if m.measure in GENERIC and m.end <= number.start]
    if nouns:
        # 'medan kostnaderna minskat med 1,9 procent': the clause's own noun, however generic
        chosen = nouns[-1]
        if clause.link in HANGING:
            earlier = earlier_decided(ctx, index)
            if earlier is not None and earlier.measure and earlier.measure not in GENERIC + ("result",):
                # 'överskott för läkemedelskostnaderna på 25 miljoner, och en kostnadsutveckling som ...':
                # the generic noun of a clause that hangs on a specific measure is that measure's
                return (
                    MeasureMatch(earlier.measure, chosen.start, chosen.end, earlier.measure_text or "", None),
                    "clause",
                    None,
                )
        narrowed = _NARROWED.match(ctx.text[chosen.end : chosen.end + 40])
        if narrowed and not any(o.start == chosen.end + narrowed.start(1) for o in ctx.orgs):
            return chosen, "clause", "generic_measure_narrowed"  # 'kostnaderna för lokaler': some costs, not all
        if not qualified(ctx, chosen) and index == 0 and len({m.measure for m in ctx.measures}) == 1:
            # the bare noun opens a sentence about nothing else: the costs the sentence before named
            carried = _carried_specific(ctx, chosen)
            if carried is not None:
                return carried, "carried", None
            if ctx.section.measure is not None and ctx.section.measure.measure not in GENERIC:
                # 'Kostnaderna ... har minskat med 26 miljoner' under 'Minska hyrberoendet': some
                # costs of what the heading names, not the organisation's total
                return chosen, "clause", "generic_measure_under_specific_heading"
        return chosen, "clause", None
    if index > 0 and link in HANGING and not (link == COORDINATE and _own_subject(ctx, index, number)):
        earlier = earlier_decided(ctx, index)
        if earlier is not None and earlier.measure:
            return (
                MeasureMatch(earlier.measure, clause.start, clause.start, earlier.measure_text or "", None),
                "clause",
                None,
            )
    if weak:
        before = [m for m in weak if m.end <= number.start]
        chosen = before[-1] if before else weak[0]
        previous = _referred_back_to(ctx, index)
        if (
            previous is not None
            and lexicon.measures().get(previous.measure)
            and lexicon.measures()[previous.measure].polarity == lexicon.measures()[chosen.measure].polarity
        ):
            # 'Det är ett lägre resultat jämfört med ...': the result the sentence before named
            return (
                MeasureMatch(previous.measure, chosen.start, chosen.end, previous.measure_text or "", chosen.sign),
                "carried",
                None,
            )
        if (
            _definite_opening(ctx, chosen)
            and ctx.previous_sentence is not None
            and ctx.previous_sentence.measure
            and ctx.previous_sentence.measure not in ("result",) + tuple(GENERIC)
        ):
            # 'Budgetavvikelsen är negativ med 66 miljoner kronor' after a sentence on care revenue
            previous = ctx.previous_sentence
            return (
                MeasureMatch(previous.measure, chosen.start, chosen.end, previous.measure_text or "", chosen.sign),
                "carried",
                None,
            )
        if chosen.measure in GENERIC and not qualified(ctx, chosen):
            carried = _carried_specific(ctx, chosen)
            if carried is not None:
                return carried, "carried", None
        return chosen, "clause", None
    if ctx.section.grant_section and number.unit == "mnkr":
        # 'Totalt fick regionen 25 mnkr' under an agreement's heading
        return MeasureMatch("targeted_state_grant", clause.start, clause.start, "", None), "carried", None
    if ctx.section.measure is not None and len(ctx.text.split()) <= 8 and ":" in ctx.text:
        # 'Nivå R12 (2409-2508): 3,81 %' under a heading that names the measure
        heading = ctx.section.measure
        return MeasureMatch(heading.measure, clause.start, clause.start, heading.text, heading.sign), "carried", None
    if ANAPHORA.search(clause.text) and ctx.previous_sentence is not None and ctx.previous_sentence.measure:
        previous = ctx.previous_sentence
        return (
            MeasureMatch(previous.measure, clause.start, clause.start, previous.measure_text or "", None),
            "carried",
            None,
        )
    return None, "clause", "no_measure"


INDEX_MEASURES = ("hme", "hse")


def _referred_back_to(ctx: SentenceContext, index: int) -> Decided | None:
    """The sentence before, when this sentence opens by referring back to it ('Det är ett lägre
    resultat ...') and it named a measure."""
    previous = ctx.previous_sentence
    if index == 0 and ANAPHORA.search(ctx.clauses[0].text) and previous is not None and previous.measure:
        return previous
    return None


def about_a_sub_kind(ctx: SentenceContext, noun: MeasureMatch) -> bool:
    """'... kopplat till diabetesläkemedel där kostnaden stigit med 16,9 procent': a bare noun
    right after 'där' belongs to the word before 'där'. When that word is neither a unit
    ('Primärvården, där kostnaderna ...': the unit's costs) nor a measure, the costs are those
    of some kind of thing, like 'kostnaderna för lokaler'."""
    antecedent = re.search(r"([^\W\d]+)[\s,]+där\s+(?:den\s+|det\s+|de\s+)?$", ctx.text[: noun.start], re.IGNORECASE)
    if antecedent is None:
        return False
    at = antecedent.start(1)
    return not (any(o.start <= at < o.end for o in ctx.orgs) or any(m.start <= at < m.end for m in ctx.measures))


_WEAK_PHRASE = re.compile(
    r"^(?:överskott|underskott|budgetunderskott|budgetöverskott|budgetavvikelse|avvikelse|utfall|kostnad|intäkt|"
    r"plusresultat|minusresultat)",
    re.IGNORECASE,
)


_LEADING_WORDS = re.compile(
    r"^(?:\W|och|samt|men|medan|varav|vilket|som|där|då|det|den|de|en|ett|att|av|i|för|under|till|med|totalt|även|dessutom)+\s*",
    re.IGNORECASE,
)


def measure_phrase(ctx: SentenceContext, index: int, number: Number) -> str | None:
    """What a number the lexicon cannot name seems to measure, as the text words it: 'procent av
    landstingets kapital' -> 'landstingets kapital'; 'Biljettintäkter i kollektivtrafiken är 2 475'
    -> 'biljettintäkter i kollektivtrafiken'. Listed with the number, so the unmapped numbers
    say what the catalogue lacks."""
    clause = ctx.clauses[index]
    after = re.match(
        r"^\s*(?:procent|%)?\s*av\s+(?:alla|all|allt|de|det|den)?\s*([^,.;()0-9]{3,60}?)(?=\s+(?:är|var|har|som)\b|[,.;]|$)",
        ctx.text[number.end : clause.end],
        re.IGNORECASE,
    )
    if after:
        return after.group(1).strip().lower()
    lead = ctx.text[clause.start : number.start]
    verb = VERB.search(lead)
    subject = lead[: verb.start()] if verb else lead
    subject = _LEADING_WORDS.sub("", subject.strip()).strip(" ,:;-–")
    subject = re.sub(r"\s+", " ", subject)
    if len(subject) < 3 or not re.search(r"[a-zåäö]{3}", subject, re.IGNORECASE):
        return None
    return subject[:60].lower()


def is_weak(match: MeasureMatch) -> bool:
    """Evaluative or generic words ('underskott', 'kostnaderna'): they name the result, the costs
    or the revenue only when nothing more specific stands in the clause."""
    return match.measure in ("result", "cost", "revenue") and bool(_WEAK_PHRASE.match(match.text.strip()))


_RESULT_FAMILY = {"result", "result_after_financial_items", "operating_result", "balance_requirement_result"}


_FAMILIES = ({"visits", "remote_visits"}, {"employees"}, {"care_episodes"}, {"care_days"})


def _same_family(first: str, second: str) -> bool:
    return any(first in family and second in family for family in _FAMILIES)


_FUNCTION_WORDS = re.compile(
    r"(?:och|samt|men|medan|i|inom|för|på|med|av|till|under|hos|bland|en|ett|den|det|de|totalt|drygt|knappt|"
    r"cirka|ca|även|också|ytterligare|respektive|resp|kronor|miljoner|procent|mnkr|mkr|minus|plus|ändå|dock|nu)",
    re.IGNORECASE,
)


# Words a clause that leaves its subject out opens with: verbs and adverbs of manner.
_ELLIPTIC_OPENING = re.compile(
    r"(?:gick|går|kom|steg|sjönk|stiger|sjunker|ökade|minskade|ökat|minskat|ökar|minskar|landade|landar|hamnade|hamnar|"
    r"blev|blir|låg|ligger|uppgick|uppgår|visar|visade|redovisar|redovisade|har|hade|är|var|väntas|beräknas|förväntas|"
    r"bedöms|motsvarar|motsvarade|ackumulerat|sammantaget|samlat)",
    re.IGNORECASE,
)


def _own_subject(ctx: SentenceContext, index: int, number: Number) -> bool:
    """'samt medel utifrån politiska beslut på 60 miljoner': a coordinate clause that opens with a
    subject of its own (one the lexicon does not know); 'och i sjukhusvården med 2,1 procent',
    'men gick ändå upp med 16 procent', 'och minus 387 miljoner nästa år' leave theirs out."""
    clause = ctx.clauses[index]
    chars = list(ctx.text[clause.start : number.start])
    for item in [*ctx.orgs, *ctx.times]:
        for position in range(max(item.start, clause.start), min(item.end, number.start)):
            chars[position - clause.start] = " "
    words = re.findall(r"[a-zåäöé]+", "".join(chars), re.IGNORECASE)
    words = [w for w in words if not _FUNCTION_WORDS.fullmatch(w)]
    if not words:
        return False
    first = words[0]
    return not (VERB.fullmatch(first) or _ELLIPTIC_OPENING.fullmatch(first)) and len(first) >= 4


def _definite_opening(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """A sentence that opens with a definite evaluative noun ('Budgetavvikelsen', 'Underskottet')
    speaks of what the sentence before was about."""
    if (
        match.start > 3
        or match.measure != "result"
        or not re.search(r"(?:en|et|n)$", match.text.strip(), re.IGNORECASE)
    ):
        return False
    # 'Underskottet för kollektivtrafiken ...' names its own reference
    return not re.match(r"\s+(?:för|i|inom|hos|på)\s", ctx.text[match.end : match.end + 8], re.IGNORECASE)


_INCLUDED = re.compile(
    r"\b(?:inklusive|inkl\.?|exklusive|exkl\.?|utöver|förutom)\s+"
    r"(?:(?!(?:ett|en|är|var|på|med|till|om|så|utgör|uppgår|uppgick|har|hade|visar|redovisar|ligger)\b)[\w/-]+(?:,\s*|\s+och\s+|\s+samt\s+|\s+))*$",
    re.IGNORECASE,
)


def _qualifying(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """'inklusive skatter, generella statsbidrag och finansiella poster': measures named only to
    say what a figure includes or leaves out."""
    return bool(_INCLUDED.search(ctx.text[max(0, match.start - 80) : match.start]))


def _denominator(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """'41 procent av förväntad effekt': what a share is taken of is not what it measures."""
    return bool(
        re.search(
            r"(?:procent|%)\s+av\s+(?:den\s+|det\s+|de\s+)?(?:\w+\s+)?$",
            ctx.text[max(0, match.start - 40) : match.start],
            re.IGNORECASE,
        )
    )


def _absent(ctx: SentenceContext, match: MeasureMatch) -> bool:
    """'medarbetare helt utan sjukfrånvaro', 'utan hyrpersonal': what the text says is missing
    is not what its number measures."""
    return bool(re.search(r"\butan\s+(?:\w+\s+)?$", ctx.text[max(0, match.start - 30) : match.start], re.IGNORECASE))


def _excluded(match: MeasureMatch, clause_text: str) -> bool:
    measure = lexicon.measures().get(match.measure)
    return bool(measure and measure.excluded and measure.excluded.search(clause_text))


def _listed(text: str, matches: list[MeasureMatch]) -> bool:
    """Two different measures joined as a list ('skatter, statsbidrag och finansnetto')."""
    for first, second in zip(matches, matches[1:]):
        if first.measure != second.measure and re.fullmatch(
            r"\s*(?:,|och|samt|,\s*och)\s*", text[first.end : second.start]
        ):
            return True
    return False


_NARROWED = re.compile(
    r"^\s+för\s+(?!perioden|året|helåret|hela|samma|motsvarande|regionen|(?:19|20)\d\d|januari|februari|mars|april|maj|juni|juli|"
    r"augusti|september|oktober|november|december|nämnden|förvaltningen)(\w+)",
    re.IGNORECASE,
)


def _specific(text: str, chosen: MeasureMatch, strong: list[MeasureMatch]) -> MeasureMatch:
    """'Kostnadsökningen för stafetter': a generic measure narrowed by the one it is for."""
    if chosen.measure not in GENERIC:
        return chosen
    for other in strong:
        if (
            other.start >= chosen.end
            and other.measure not in GENERIC
            and re.fullmatch(r"\s*(?:för|av|inom|till)\s+(?:\w+\s+){0,2}", text[chosen.end : other.start])
        ):
            return other
    return chosen


def qualified(ctx: SentenceContext, match: MeasureMatch) -> bool:
    if " " in match.text.strip() and not match.text.lower().startswith(("kostnad", "intäkt")):
        return True  # 'verksamhetens kostnader' is a phrase of its own
    lead = ctx.text[max(0, match.start - 40) : match.start]
    if _GENERIC_QUALIFIED.search(lead):
        return True
    return any(o.is_genitive and 0 <= match.start - o.end <= 25 and o.level != "national" for o in ctx.orgs)


def _carried_specific(ctx: SentenceContext, generic: MeasureMatch) -> MeasureMatch | None:
    """'Kostnaderna 2022 uppgår till 16 miljoner' after a sentence on out-of-county care: the
    costs (or revenue) the sentence before was about."""
    wanted = lexicon.measures()[generic.measure].polarity
    if ctx.previous_sentence is not None and ctx.previous_sentence.is_part:
        return None  # the sentence before named a part of its measure: which costs is unclear
    candidates = [
        ctx.previous_sentence.measure if ctx.previous_sentence else None,
        ctx.section.measure.measure if ctx.section.measure else None,
    ]  # or the heading's
    for candidate in candidates:
        info = lexicon.measures().get(candidate or "")
        if info is not None and candidate not in GENERIC and info.polarity == wanted:
            return MeasureMatch(candidate, generic.start, generic.end, "", None)
    return None
