"""What a clause says of its number (a level, a change, a deviation from budget, a share) and its
sign, from the wording around it."""

from __future__ import annotations

import re

from . import lexicon
from . import text_cues as cues
from .clauses import ALTERNATIVE, APPOSITION, COORDINATE
from .lexicon import BUDGET_DEVIATION, CHANGE, LEVEL, SHARE, MeasureMatch
from .numbers import APPROXIMATE_HEDGE
from .statement_context import (
    HANGING,
    VERB,
    Number,
    SentenceContext,
    earlier_decided,
    segment,
)


def aspect_of(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch) -> tuple[str | None, bool]:
    """(aspect, is_budget_figure). None: the number compares with something no KPI holds."""
    lead, tail = segment(ctx, index, number)
    window = lead + " " + tail
    if (
        ctx.clauses[index].link == ALTERNATIVE
        and index > 0
        and ctx.text[: ctx.clauses[index].start].rstrip().endswith("(")
    ):
        window = ctx.clauses[index - 1].text + " " + window  # 'ligger markant över budget (+118 mnkr)'
    if _budget_figure(lead):
        return LEVEL, True
    if cues.FORECAST_REFERENCE.search(window):
        return None, False
    phrase = measure.text.lower()
    if (
        cues.BUDGET_REFERENCE.search(window)
        or cues.DEVIATION_WORD.search(window)
        or re.match(r"budget(?:avvikelse|underskott|överskott)|avvikelse", phrase)
    ):
        return BUDGET_DEVIATION, False
    info = lexicon.measures().get(measure.measure)
    if (
        info is not None
        and info.polarity in ("cost", "revenue")
        and re.search(r"\b(?:över|under)skott\w*\b", lead, re.IGNORECASE)
    ):
        return BUDGET_DEVIATION, False  # costs have no surplus but against their budget
    if number.unit == "percent" and re.search(r"\bi\s+förhållande\s+till\b|\bsom\s+andel\s+av\b", lead, re.IGNORECASE):
        return SHARE, False
    if re.search(
        r"\b(?:beräknas|bedöms|uppskattas)\s+(?:\w+\s+)?\w*(?:ökning|minskning)\w*\s+(?:\w+\s+){0,2}?till\s*$|"
        r"\w*(?:ökning|minskning)\w*\s+(?:\w+\s+){0,2}?(?:beräknas|bedöms|uppskattas)\s+(?:\w+\s+)?till\s*$",
        lead,
        re.IGNORECASE,
    ):
        return CHANGE, False  # 'för 2023 och 2024 beräknas kostnadsökningen till 1 miljard': the increase is estimated
    if cues.TO_VALUE.search(lead) or cues.FROM_VALUE.search(lead):
        return LEVEL, False
    change_cue = (
        cues.CHANGE_NOUN.search(window)
        or cues.CHANGE_NOUN.search(phrase)
        or re.search(
            r"\b(?:ök\w*|minsk\w*|stig\w*|steg|sjunk\w*|sjönk|förbättr\w*|försämr\w*|gick\s+(?:upp|ned|ner)|upp|ned|ner)\s+(?:\w+\s+){0,6}?med"
            r"(?:\s+(?:totalt|drygt|knappt|cirka|ca\.?|omkring|ungefär|runt|nästan|närmare|ytterligare|över|under|minst))?\s*$",
            lead,
            re.IGNORECASE,
        )
        or re.search(
            r"\b\w*(?:ökning|minskning)\w*\s+(?:\w+\s+){0,4}?(?:med|på|om)(?:\s+(?:totalt|drygt|knappt|cirka))?\s*$",
            lead,
            re.IGNORECASE,
        )
        or re.search(r"\b(?:ökad|minskad|höjd|sänkt)e?\s+(?:\w+\s+){0,2}?(?:på|med|om)\s*$", lead, re.IGNORECASE)
        or re.search(r"\w*(?:ökning|minskning)", phrase)
    )
    if re.search(
        r"\b(?:ökning|minskning|förändring|utveckling)(?:en)?\s+(?:av|i|för)\b|\b(?:ökningen|minskningen|förändringen)\b",
        lead,
        re.IGNORECASE,
    ) and not cues.TO_VALUE.search(lead):
        return (
            CHANGE,
            False,
        )  # 'Ökningen av verksamhetens nettokostnader motsvarar 18,3 procent', 'Den totala ökningen är 9 700 besök'
    # '4 miljoner kronor eller 0,3 procent lägre': the comparison after the restated figure
    compared_tail = _RESTATED_FIGURE.sub(" ", tail, count=1)
    comparative = re.search(
        r"^\s*(?:\w+\s+){0,3}?(?:högre|lägre|större|mindre|fler|färre|bättre|sämre)\b", compared_tail, re.IGNORECASE
    ) or re.search(r"\b(?:högre|lägre|bättre|sämre)\s+(?:\w+\s+)?(?:på|med|om)\s*$", lead, re.IGNORECASE)
    if change_cue or (comparative and cues.EARLIER_PERIOD.search(window)):
        return CHANGE, False
    if comparative:
        earlier = earlier_decided(ctx, index) if ctx.clauses[index].link in HANGING else None
        return (earlier.aspect if earlier and earlier.aspect in (CHANGE, BUDGET_DEVIATION) else None), False
    if number.unit == "percent" and (cues.SHARE_OF.search(window) or cues.SHARE_OF_AFTER.match(tail)):
        return SHARE, False
    earlier_sentence = ctx.previous_sentence
    if (
        re.search(r"prognos\w*\s+(?:\w+\s+){0,2}?(?:positiv|negativ)\w*\s+med\s+(?:\w+\s+)?$", lead, re.IGNORECASE)
        and earlier_sentence is not None
        and earlier_sentence.aspect == BUDGET_DEVIATION
    ):
        # 'Skatter … ger ett budgetöverskott på 154 miljoner kronor. För finansiella poster är
        # årsprognosen positiv med 81 miljoner kronor': the forecast's deviation, item by item (a
        # level says what it is: 'resultat före finansnetto är positivt med 79 mnkr')
        return BUDGET_DEVIATION, False
    following = ctx.clauses[index + 1] if index + 1 < len(ctx.clauses) else None
    if following is not None and following.link == ALTERNATIVE and _COMPARED_ALTERNATIVE.match(following.text):
        return CHANGE, False  # 'vilket är 4 miljoner kronor eller 0,3 procent lägre jämfört med föregående år'
    if ctx.clauses[index].link == ALTERNATIVE:
        earlier = earlier_decided(ctx, index)
        if earlier is not None and earlier.aspect:
            return earlier.aspect, False
    if ctx.clauses[index].link == COORDINATE and (
        re.match(r"^\W*(?:och|samt|men|medan)\s+(?:(?:i|inom|för|på)\s+[\w\s-]+?\s+)?med\s*$", lead, re.IGNORECASE)
        or not VERB.search(lead)
    ):
        earlier = earlier_decided(ctx, index)  # 'och i sjukhusvården med 2,1 procent': the verb is left out
        if earlier is not None and earlier.aspect:
            return earlier.aspect, False
    return LEVEL, False


# 'eller 0,3 procent': the same figure again in another unit
_ALTERNATIVE_FIGURE = rf"(?:eller|alternativt)\s+(?:{APPROXIMATE_HEDGE}\s+)?\d[\d\s]*(?:,\d+)?\s*"
_RESTATED_FIGURE = re.compile(rf"^\s*{_ALTERNATIVE_FIGURE}(?:%|procent|miljoner\s+kronor|mnkr|mkr)?", re.IGNORECASE)
_COMPARED_ALTERNATIVE = re.compile(
    rf"^\W*{_ALTERNATIVE_FIGURE}(?:%|procent)?\s*(?:\w+\s+){{0,2}}?(?:högre|lägre|större|mindre|fler|färre|bättre|sämre)\b",
    re.IGNORECASE,
)


def _budget_figure(lead: str) -> bool:
    """The number is the budget itself ('budgeterat resultat för perioden på -252', 'bättre än
    budgeterade 12,7 mnkr'), not a deviation from it ('underskott mot budgeten på 17')."""
    found = cues.BUDGET_FIGURE_BEFORE.search(lead)
    if not found or re.search(r"\bmed\b", found.group(0), re.IGNORECASE):
        return False
    return not cues.BUDGET_AS_REFERENCE.search(lead[: found.start()])


def sign_of(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, aspect: str) -> int:
    if number.token.value < 0:
        return -1
    lead, tail = segment(ctx, index, number)
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
            earlier = earlier_decided(ctx, index) if ctx.clauses[index].link in HANGING else None
            sign = earlier.sign if earlier is not None and earlier.aspect == BUDGET_DEVIATION else None
        if sign is None and polarity in ("cost", "revenue"):
            # 'Personalkostnaderna har ökat med 11,1 procent och har en avvikelse mot budget på 178':
            # costs that rose, or revenue that fell, deviate to the bad side
            against = cues.CHANGE_UP if polarity == "cost" else cues.CHANGE_DOWN
            if against.search(ctx.text[: number.start]):
                sign = -1
        return sign if sign is not None else 1
    if aspect == CHANGE:
        sign = _last(near + " " + measure.text, cues.CHANGE_DOWN, cues.CHANGE_UP)
        if sign is None and ctx.clauses[index].link in (COORDINATE, ALTERNATIVE):
            earlier = earlier_decided(ctx, index)
            sign = earlier.sign if earlier is not None and earlier.aspect == CHANGE else None
        return sign if sign is not None else 1
    if measure.sign is not None and ctx.clauses[index].start <= measure.start:
        return measure.sign
    # 'Periodens resultat är ett underskott på 51 mkr': the evaluative word carries the sign
    evaluative = [
        m
        for m in ctx.measures
        if m.sign is not None
        and m.measure == measure.measure
        and ctx.clauses[index].start <= m.start
        and m.end <= number.start
        and number.start - m.end <= 40
    ]
    if evaluative:
        return evaluative[-1].sign
    if ctx.clauses[index].link in (APPOSITION, ALTERNATIVE):
        earlier = earlier_decided(ctx, index)
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
