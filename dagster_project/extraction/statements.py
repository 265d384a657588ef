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

from . import lexicon, org_units
from . import text_cues as cues
from . import time_expressions as times
from .aspect_and_sign import aspect_of, sign_of
from .clauses import ALTERNATIVE
from .lexicon import BUDGET_DEVIATION, CHANGE, LEVEL, SHARE, MeasureMatch
from .measure_binding import (
    about_a_sub_kind,
    is_weak,
    measure_for,
    measure_phrase,
    qualified,
)
from .numbers import APPROXIMATE_HEDGE
from .scenario_and_period import grant_year, national_grant, period_of, scenario_of
from .statement_context import (
    ANAPHORA,
    GENERIC,
    HANGING,
    Decided,
    LeftOut,
    Number,
    SentenceContext,
    Statement,
    earlier_decided,
    segment,
)
from .unit_and_breakdown import (
    OBJECT_PREPOSITION,
    breakdown_of,
    budget_holder,
    evaluative_only,
    named_together,
    org_of,
)


def read_number(ctx: SentenceContext, index: int, number: Number) -> Statement | LeftOut:
    """The statement `number` (in clause `index`) makes, or why it is left out."""
    unit = number.unit
    lead, tail = segment(ctx, index, number)
    if any(m.start <= number.start < m.end for m in ctx.measures):
        return LeftOut(number, "part_of_measure_name")
    if unit == "percentage_points":
        measure, _, _ = measure_for(ctx, index, number)
        return LeftOut(number, "percentage_points", measure.measure if measure else None)
    if unit in ("days", "count") and (cues.THRESHOLD.search(lead[-20:]) or cues.THRESHOLD_AFTER.match(tail)):
        return LeftOut(number, "threshold")
    if cues.RANGE_BEFORE.search(lead) or re.match(r"^\s*[–-]\s*\d", tail):
        return LeftOut(number, "range")
    if cues.EFFECT_ON.search(ctx.text[ctx.clauses[index].start : number.start]):
        measure, _, _ = measure_for(ctx, index, number)
        return LeftOut(number, "effect_on_measure", measure.measure if measure else None)
    if _bare_bracketed_alternative(ctx, index, number):
        return LeftOut(number, "bracketed_figure_without_period")
    if cues.PART_OPENING.search(ctx.clauses[index].text):
        measure, _, _ = measure_for(ctx, index, number)
        return LeftOut(number, "part_of_earlier", measure.measure if measure else None)
    frame = ctx.section.measure if ctx.section.is_list_lead else None
    if frame is not None and not lexicon.has_kpi(frame.measure):
        return LeftOut(number, "list_frame_not_in_catalogue", frame.measure)
    measure, binding, reason = measure_for(ctx, index, number)
    if measure is None or reason is not None:
        return LeftOut(
            number, reason or "no_measure", measure.measure if measure else measure_phrase(ctx, index, number)
        )
    bare_nouns = [m for m in ctx.in_clause(ctx.measures, index) if m.measure in GENERIC and m.end <= number.start]
    if bare_nouns and about_a_sub_kind(ctx, bare_nouns[-1]):
        return LeftOut(number, "sub_kind_of_measure", measure.measure)
    if (
        index > 0
        and ctx.clauses[index].link in HANGING
        and index - 1 < len(ctx.decided)
        and ctx.decided[index - 1].is_part
    ):
        # '... av kostnader för hyrsjuksköterskor där kostnadsökningen är 0,7 miljoner': still the part
        return LeftOut(number, "part_of_earlier", measure.measure)
    if (
        number.noun is not None
        and measure is number.noun
        and cues.DID_SOMETHING.match(ctx.text[number.noun.end : ctx.clauses[index].end])
    ):
        return LeftOut(number, "count_of_those_who_did_something", measure.measure)
    if binding == "clause" and any(
        cues.TRADED_BEFORE.search(ctx.text[: m.start]) and cues.TRADED_AFTER.match(ctx.text[m.end : m.end + 40])
        for m in ctx.in_clause(ctx.measures, index)
        if m.measure == measure.measure
    ):
        return LeftOut(number, "traded_with_another_party", measure.measure)
    if not lexicon.has_kpi(measure.measure):
        return LeftOut(number, "measure_not_in_catalogue", measure.measure)
    aspect, budget_figure = aspect_of(ctx, index, number, measure)
    previous = ctx.previous_sentence
    restated = False
    if (
        binding == "carried"
        and aspect == LEVEL
        and previous is not None
        and previous.measure == measure.measure
        and previous.aspect
        and (
            ANAPHORA.search(ctx.clauses[index].text)
            or re.match(r"^\W*(?:detta|det)\s+motsvara", ctx.text, re.IGNORECASE)
        )
    ):
        aspect = (
            previous.aspect
        )  # 'Motsvarande siffra för året innan var 4,8 procent': the same statement, another period
        restated = True
    if aspect == LEVEL and measure.measure in GENERIC and not qualified(ctx, measure):
        # a bare 'kostnaderna uppgår till 16 miljoner' is some cost, not the organisation's total
        return LeftOut(number, "generic_measure", measure.measure)
    if aspect is None:
        return LeftOut(number, "unclear_comparison", measure.measure)
    scenario = scenario_of(ctx, index, number, measure, aspect, budget_figure)
    if scenario is None:
        return LeftOut(number, "not_an_actual_forecast_or_target", measure.measure)
    report_unit = "index" if unit is None else unit
    mapping = lexicon.kpi_for(measure.measure, aspect, report_unit)
    info = lexicon.measures().get(measure.measure)
    if (
        mapping is None
        and aspect == LEVEL
        and report_unit == "percent"
        and info is not None
        and info.polarity in ("cost", "revenue")
        and not cues.EXTRA_COST.search(ctx.clauses[index].text)
    ):
        # a cost 'uppgår till 4,8 procent' is its growth: costs are no percentage (an extra cost,
        # 'merkostnaden för hyrpersonal bedöms till 50 procent', compares with another way, not a year)
        aspect, mapping = CHANGE, lexicon.kpi_for(measure.measure, CHANGE, report_unit)
    if (
        mapping is None
        and ctx.clauses[index].link in HANGING
        and not cues.PART_OF.search(ctx.clauses[index].text)
        and (info is None or info.polarity not in ECONOMIC_POLARITIES)
    ):
        earlier = earlier_decided(ctx, index)
        if (
            earlier is not None
            and earlier.measure
            and earlier.measure != measure.measure
            and lexicon.kpi_for(earlier.measure, aspect, report_unit)
        ):
            # 'medan medarbetare under 30 år har sett en minskning från 5,0 till 4,6 procent': the
            # group of the sick leave the clause before measured
            measure = MeasureMatch(earlier.measure, measure.start, measure.end, earlier.measure_text or "", None)
            mapping = lexicon.kpi_for(measure.measure, aspect, report_unit)
    if mapping is None and aspect == SHARE:
        aspect, mapping = (
            LEVEL,
            lexicon.kpi_for(measure.measure, LEVEL, report_unit),
        )  # a measure that is a share already
    if mapping is None:
        sign = sign_of(ctx, index, number, measure, aspect) if aspect in (CHANGE, BUDGET_DEVIATION) else None
        return LeftOut(number, f"no_kpi_for_{aspect}_in_{report_unit}", measure.measure, aspect, scenario, sign)
    sign = sign_of(ctx, index, number, measure, aspect)
    if restated and aspect != LEVEL and previous.sign is not None and not _own_direction(ctx.clauses[index].text):
        # '... minskat med 348 miljoner kronor. Det motsvarar cirka 29 procent.': the same fall
        sign = previous.sign
    value = abs(number.token.value) * sign
    if not mapping.min_value <= value <= mapping.max_value:
        return LeftOut(number, "implausible_value", measure.measure)
    if scenario != "target" and cues.BOUND_BEFORE.search(ctx.text[: number.start][-60:]):
        # 'beläggning på mer än 100 %', 'under 5 procent': a bound, not the value (a target's
        # 'minst 80 procent' is the target itself)
        return LeftOut(number, "bound_not_a_value", measure.measure)
    if measure.measure == "targeted_state_grant" and ctx.section.grant_section:
        if national_grant(ctx, index, number):
            return LeftOut(number, "national_total", measure.measure)
        period, period_source = grant_year(ctx, index, number), "clause"
    else:
        period, period_source = period_of(ctx, index, number, measure, scenario, aspect)
    if period is None:
        reason = "season_is_no_report_period" if period_source == "season" else "no_period"
        return LeftOut(number, reason, measure.measure)
    if aspect == CHANGE and _compared_year(ctx, index) not in (None, period.end.year - 1):
        # the catalogue's changes are against the year before; 'jämfört med 2019' is another measure
        return LeftOut(number, "change_against_another_year", measure.measure)
    if period_source == "document" and _SINCE_YEAR.search(ctx.text):
        # 'Sedan 2022 är ett av kraven att 70 procent ...': in force since then, for which period unsaid
        return LeftOut(number, "since_year_period_unclear", measure.measure)
    org, national = org_of(ctx, index, number, measure)
    if measure.measure == "production" and _unit_level(org, ctx) == "unit":
        # weighted care production is counted for the organisation and its areas; a laboratory's
        # or an imaging unit's 'produktionsökning' counts its tests, another measure
        return LeftOut(number, "production_of_a_single_unit", measure.measure)
    if (
        measure.measure == "result"
        and aspect == LEVEL
        and evaluative_only(ctx, index, number)
        and budget_holder(org, ctx)
    ):
        # 'Underskottet för kollektivtrafiken uppgår till 11,1 miljoner': a committee or area of a
        # region is held to its budget; its surplus or deficit is the deviation from it
        aspect = BUDGET_DEVIATION
        mapping = lexicon.kpi_for(measure.measure, aspect, report_unit)
    component = mapping.breakdown
    if component in _WHOLE_FOR_A_UNIT and budget_holder(org, ctx):
        # a committee has no taxes or financial items: the deviation of its net costs is its whole deviation
        component = None
    breakdown = breakdown_of(ctx, index, number, measure, component, national)
    if breakdown == "total" and _IN_ADDITION.search(ctx.text[: number.start]):
        # 'Utöver dessa medel erhöll regionen statliga bidrag som ..., totalt 189,3 mnkr': more of
        # the same measure beside a total stated before, and the text gives it no name of its own
        return LeftOut(number, "additional_part_unnamed", measure.measure)
    if aspect == BUDGET_DEVIATION and _MORE.search(ctx.text[: number.start]):
        # 'resulterar i ytterligare 4 miljoner i budgetunderskott': how much the deviation grew
        return LeftOut(number, "increment_not_a_level", measure.measure)
    earlier = ctx.previous_sentence
    if (
        number.unit == "mnkr"
        and _MORE.search(ctx.text[: number.start])
        and earlier is not None
        and (earlier.measure, earlier.breakdown, earlier.org) == (measure.measure, breakdown, org)
    ):
        # 'Under 2022 fick regionen knappt 48 mnkr ... Därtill fick regionen ytterligare drygt 95
        # mnkr ...': a second amount of what the sentence before already gave one of
        return LeftOut(number, "additional_part_unnamed", measure.measure)
    if breakdown == "total" and index > 0 and cues.PART_OF.search(ctx.clauses[index].text):
        earlier = earlier_decided(ctx, index)
        if earlier is not None and earlier.measure == measure.measure and earlier.org == org:
            # 'Läkemedelskostnaderna har ökat med 9,2 procent, varav läkemedel inom förmånen med 11,4
            # procent': a part of the same measure, of the same unit, that no breakdown names
            return LeftOut(number, "part_of_earlier", measure.measure)
    return Statement(
        number,
        mapping.kpi_code,
        measure.measure,
        aspect,
        value,
        report_unit,
        scenario,
        period,
        period_source,
        org,
        breakdown,
        binding,
    )


# 'ytterligare drygt 95 mnkr': an amount on top of one given before (not 'ökade ytterligare till')
_MORE = re.compile(
    rf"\b(?:därtill|dessutom|ytterligare)\s+(?:{APPROXIMATE_HEDGE}\s+)?$",
    re.IGNORECASE,
)
_IN_ADDITION = re.compile(r"^\W*(?:utöver\s+(?:dessa|detta|dem|denna)\b|därutöver\b)", re.IGNORECASE)


def _unit_level(org: str, ctx: SentenceContext) -> str | None:
    unit = org_units.find_unit(org, ctx.reading.region_code)
    return unit.level if unit else None


def _compared_year(ctx: SentenceContext, index: int) -> int | None:
    """The year a change is compared with, when the clause (or else its sentence) names one."""
    clause = ctx.clauses[index]
    compared = [t for t in ctx.times if t.is_comparison and (t.groups.get("y") or t.groups.get("y_first"))]
    own = [t for t in compared if clause.start <= t.start < clause.end]
    chosen = (own or compared)[:1]
    return int(chosen[0].groups.get("y") or chosen[0].groups.get("y_first")) if chosen else None


_SINCE_YEAR = re.compile(r"\bsedan\s+(?:år\s+)?(?:19|20)\d\d\b", re.IGNORECASE)
# Components of an organisation's budget deviation that are the whole deviation of one of its committees.
_WHOLE_FOR_A_UNIT = ("verksamhetens nettokostnader", "före finansnetto")


def _bare_bracketed_alternative(ctx: SentenceContext, index: int, number: Number) -> bool:
    """'Sjukfrånvaro R12: 6,3 % (6,6 %)': a bare figure in brackets after a figure in the same unit
    is some earlier value the text does not date; a period guessed for it would contradict the
    figure before it. A comparison the clause before dates ('högre än föregående år (123,1 mnkr)')
    is read as usual."""
    clause = ctx.clauses[index]
    if index == 0 or clause.link != ALTERNATIVE or not ctx.text[: clause.start].rstrip().endswith("("):
        return False
    if re.search(r"[^\W\d]{3,}", clause.text.replace(number.token.text, " ")):
        return False  # words in the brackets say what the figure is
    previous = ctx.clauses[index - 1]
    before = [n for n in ctx.numbers if previous.start <= n.start < previous.end and n.unit == number.unit]
    dated = [t for t in ctx.times if previous.start <= t.start < previous.end and t.is_comparison]
    return bool(before) and not dated


# Measures of money with a direction of their own: another clause's measure never replaces them.
ECONOMIC_POLARITIES = ("cost", "revenue", "result")


def _own_direction(text: str) -> bool:
    return bool(
        cues.HIGHER.search(text)
        or cues.LOWER.search(text)
        or cues.NEGATIVE_DEVIATION.search(text)
        or cues.POSITIVE_DEVIATION.search(text)
    )


def remember(
    ctx: SentenceContext, index: int, result: Statement | LeftOut | None, measure_text: str | None = None
) -> None:
    """Record what clause `index` decided, for the clauses after it."""
    while len(ctx.decided) <= index:
        ctx.decided.append(Decided())
    decided = ctx.decided[index]
    if isinstance(result, Statement):
        decided.measure, decided.aspect, decided.scenario = result.measure, result.aspect, result.scenario
        decided.named_only = False
        decided.measure_text = measure_text
        decided.period, decided.period_source = result.period, result.period_source
        decided.org, decided.breakdown, decided.unit = result.org, result.breakdown, result.unit
        decided.sign = 1 if result.value >= 0 else -1
    elif isinstance(result, LeftOut) and result.reason in cues.PART_REASONS:
        decided.is_part = True
    elif isinstance(result, LeftOut) and result.measure and not decided.measure:
        decided.measure = result.measure
        decided.aspect = decided.aspect or result.aspect
        decided.scenario = decided.scenario or result.scenario
        decided.sign = result.sign
    # a clause without numbers still names a measure, time or unit for the clause after it; so
    # does one whose only number is a threshold ('medicinsk bedömning inom 3 dagar: 83 %')
    if result is None or (
        isinstance(result, LeftOut) and result.reason in ("threshold", "range") and not decided.measure
    ):
        clause_measures = ctx.in_clause(ctx.measures, index)
        strong = [m for m in clause_measures if not is_weak(m)] or clause_measures
        if strong and not decided.measure:
            decided.measure, decided.measure_text = strong[-1].measure, strong[-1].text
            decided.named_only = result is not None
            signed = [m.sign for m in clause_measures if m.sign is not None]
            decided.sign = signed[-1] if signed else None
        own_scenario = cues.FORECAST.search(ctx.clauses[index].text)
        if own_scenario and not decided.scenario:
            decided.scenario = "forecast"
        lead_times = [t for t in ctx.in_clause(ctx.times, index) if not t.is_comparison]
        if lead_times and ctx.reading.reference is not None and decided.period is None:
            decided.period = times.resolve(lead_times[-1], ctx.reading.reference, "flow")
            decided.period_source = "sentence"
        subjects = [
            m
            for m in ctx.in_clause(ctx.orgs, index)
            if m.level != "national" and not OBJECT_PREPOSITION.search(ctx.text[ctx.clauses[index].start : m.start])
        ]
        if subjects and not decided.org:
            decided.org = named_together(ctx, subjects[0])
