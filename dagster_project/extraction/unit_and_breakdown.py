"""The unit a statement is about and the sub-group it is for (sex, age band, profession, the
country, an agreement's area, what a figure excludes)."""

from __future__ import annotations

import re

from . import org_units
from . import text_cues as cues
from .clauses import ALTERNATIVE, APPOSITION
from .lexicon import MeasureMatch
from .organisations import OrgMention, common_unit, coordinated
from .scenario_and_period import grant_component, predicate_after
from .statement_context import (
    HANGING,
    Number,
    SentenceContext,
    earlier_decided,
    segment,
)

OBJECT_PREPOSITION = re.compile(r"\b(?:till|från|åt|av|med|hos)\s+(?:\w+\s+)?$", re.IGNORECASE)


_GRANT_PURPOSE = re.compile(
    r"^\W*(?:som|i)\s+((?:kompensation|ersättning|stöd)\s+för\s+[^,.;0-9]+?)\s*(?:,|$|totalt|på|om|med)", re.IGNORECASE
)


# 'ett riktat statsbidrag på 52,5 miljoner kronor avseende uppdämda vårdbehov'
_GRANT_REGARDING = re.compile(
    r"^\W*(?:avseende|för\s+att\s+hantera)\s+(?:det\s+|den\s+)?([^,.;0-9]{4,60}?)\s*(?:[,.;]|$)", re.IGNORECASE
)


def org_of(ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch) -> tuple[str, OrgMention | None]:
    """The unit the statement is about, and the national mention when it compares with the country."""
    name, national = _named_org(ctx, index, number, measure)
    if name == "Verksamheterna":
        # a committee's report or section: its operations are the committee's
        for holder in (ctx.section.org, ctx.reading.default_org):
            if holder and budget_holder(holder, ctx):
                return holder, national
    return name, national


def _named_org(
    ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch
) -> tuple[str, OrgMention | None]:
    clause = ctx.clauses[index]
    mentions = list(ctx.in_clause(ctx.orgs, index))
    national = next((m for m in mentions if m.level == "national"), None)
    subjects = [
        m
        for m in mentions
        if m.level != "national"
        and (_owns_measure(ctx, m) or not OBJECT_PREPOSITION.search(ctx.text[clause.start : m.start]))
    ]
    genitive = [m for m in subjects if m.is_genitive and m.end <= measure.start + 1 and measure.start - m.end <= 40]
    if genitive:
        return genitive[-1].name, national
    # 'Beläggningen av sjukhusvårdens vårdplatser': the unit whose things the measure counts
    owner = [
        m
        for m in mentions
        if m.is_genitive and m.level != "national" and _MEASURE_OF.fullmatch(ctx.text[measure.end : m.start])
    ]
    if owner:
        return owner[0].name, national
    before = [m for m in subjects if m.end <= number.start]
    if before:
        return named_together(ctx, before[0]), national
    after = [m for m in subjects if m.start >= number.end]
    if not after and predicate_after(ctx, index):
        after = [m for m in ctx.in_clause(ctx.orgs, index + 1) if m.level != "national"]
    if after:
        return named_together(ctx, after[0]), national
    if national is not None and national.name:
        return national.name, national
    for earlier in range(index - 1, -1, -1):
        if earlier < len(ctx.decided) and ctx.decided[earlier].org:
            return ctx.decided[earlier].org, national
    sentence_subjects = [
        m
        for m in ctx.orgs
        if m.level != "national"
        and m.start < clause.start
        and (_owns_measure(ctx, m) or not OBJECT_PREPOSITION.search(ctx.text[max(0, m.start - 20) : m.start]))
    ]
    if sentence_subjects:
        return named_together(ctx, sentence_subjects[0]), national
    if cues.RESTATED_FIGURE.search(clause.text) and ctx.previous_sentence is not None and ctx.previous_sentence.org:
        return ctx.previous_sentence.org, national  # '2021 var den siffran 375 000 besök': the same unit's
    if ctx.paragraph_org:
        # the unit the sentence before opened with is nearer than the section's heading
        return ctx.paragraph_org, national
    if ctx.section.org:
        return ctx.section.org, national
    return ctx.reading.default_org, national


_MEASURE_OF = re.compile(r"\s+(?:av|för|inom|i)\s+", re.IGNORECASE)


def named_together(ctx: SentenceContext, mention: OrgMention) -> str:
    """A unit named together with another ('på länets sjukhus och på sjukstugorna') is not the
    subject alone: the unit both belong to is, or the report's own unit when none is known."""
    other = coordinated(ctx.text, mention, ctx.orgs)
    if other is None:
        return mention.name
    return common_unit(mention.name, other.name, ctx.reading.region_code) or ctx.reading.default_org


def _owns_measure(ctx: SentenceContext, mention: OrgMention) -> bool:
    """'av sjukhusvårdens vårdplatser': a unit in the genitive right before a measure names whose
    measure it is, whatever preposition stands before it."""
    return mention.is_genitive and any(
        0 <= m.start - mention.end <= 12 or _MEASURE_OF.fullmatch(ctx.text[m.end : mention.start]) for m in ctx.measures
    )


def breakdown_of(
    ctx: SentenceContext,
    index: int,
    number: Number,
    measure: MeasureMatch,
    mapping_breakdown: str | None,
    national: OrgMention | None,
) -> str:
    lead, tail = segment(ctx, index, number)
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
        scope = lead if clause.link not in (ALTERNATIVE, APPOSITION) else ctx.text[: number.start]
        profession = _last_match(cues.PROFESSIONS, scope)
        age = _last_match(cues.AGE_BAND, scope)
        sex = [m for m in cues.SEX.finditer(scope) if not re.search(r"\bän\s*$", scope[: m.start()])]
        if profession:
            parts.append(profession.group(1).lower())
        elif ctx.section.staff_group:
            parts.append(ctx.section.staff_group)
        if age:
            parts.append(cues.age_label(age))
        elif sex:
            parts.append(cues.sex_label(sex[-1].group(1)))
    if measure.measure == "hired_staff_cost":
        group = re.search(r"\b(hyrsköterskor|hyrsjuksköterskor|hyrläkare|stafettläkare)\b", measure.text, re.IGNORECASE)
        if group is None and clause.link in HANGING:
            earlier = earlier_decided(ctx, index)
            if earlier is not None and earlier.measure == measure.measure and earlier.breakdown not in (None, "total"):
                return earlier.breakdown
        if group:
            parts.append(group.group(1).lower())
    if measure.measure == "visits" and ctx.text[measure.start : measure.end] == measure.text:
        kind = re.match(r"(läkarbesök|sjukvårdande\s+behandling)", measure.text.strip(), re.IGNORECASE)
        both = re.match(
            r"\s*(?:och|samt)\s+sjukvårdande\s+behandling", ctx.text[measure.end : measure.end + 30], re.IGNORECASE
        )
        if kind and not both:
            parts.append("läkarbesök" if kind.group(1).lower().startswith("läkar") else "sjukvårdande behandlingar")
    if measure.measure == "employees":
        employment = cues.EMPLOYMENT_TYPE.search(measure.text) or cues.EMPLOYMENT_TYPE.search(lead + tail)
        if employment:
            parts.append(employment.group(1).lower())
    if measure.measure == "targeted_state_grant" and ctx.section.grant_area:
        # what follows the amount up to the next figure ('drygt 4,3 mnkr, baserad på befolkningsmängd')
        after = re.split(r"\d", ctx.text[number.end : number.end + 45])[0]
        qualifier = grant_component(ctx.text[max(0, number.start - 90) : number.start] + " " + after)
        return f"{ctx.section.grant_area} – {qualifier}" if qualifier else ctx.section.grant_area
    if measure.measure == "targeted_state_grant":
        grants = [m for m in ctx.measures if m.measure == measure.measure and m.end <= number.start]
        purpose = _GRANT_PURPOSE.search(ctx.text[grants[-1].end : number.start]) if grants else None
        purpose = purpose or _GRANT_REGARDING.match(tail)
        if purpose:
            parts.append(re.sub(r"\s+", " ", purpose.group(1)).strip())
    rest = _THE_REST.search(lead)
    if rest:
        parts.append(re.sub(r"\s+", " ", rest.group(1)).lower())  # 'Nämndens övriga verksamheter har ...'
    category = _REGISTERED_AS.match(tail)
    if category:
        parts.append(category.group(1).strip())
    if not parts and index > 0 and clause.link in HANGING and not list(ctx.in_clause(ctx.measures, index)):
        # 'Läkarbesök inom primärvården har ökat med 0,4 procent medan sjukhusvården ökat med 1,8
        # procent': the clause leaves out what it measures, so it measures the same group
        earlier = earlier_decided(ctx, index)
        if earlier is not None and earlier.measure == measure.measure and earlier.breakdown not in (None, "total"):
            return earlier.breakdown
    if (
        not parts
        and cues.RESTATED_FIGURE.search(clause.text)
        and ctx.previous_sentence is not None
        and ctx.previous_sentence.measure == measure.measure
        and ctx.previous_sentence.breakdown
    ):
        return ctx.previous_sentence.breakdown  # 'den siffran': the same group's figure, another period
    return " ".join(parts) if parts else "total"


# '200 300 besök produktregistrerade som ”Covid-19 vaccination inklusive besök”': the category counted
_REGISTERED_AS = re.compile(
    r"^\W*(?:\w+\s+){0,2}?\w*(?:registrerade|registrerats|kodade|kodats|klassade|klassats|redovisade)\s+som\s+"
    r"[”\"“'‘’]([^”\"“'‘’]{3,80})[”\"“'‘’]",
    re.IGNORECASE,
)
# The units a text has not named yet, as one part: 'övriga verksamheter', 'övriga förvaltningar'
_THE_REST = re.compile(
    r"\b(övriga\s+(?:verksamhete[rn]|verksamheterna|enheter(?:na)?|delar(?:na)?|förvaltningar(?:na)?|"
    r"nämnder(?:na)?|områden(?:a)?))\b",
    re.IGNORECASE,
)


def _qualifier(ctx: SentenceContext, index: int, number: Number) -> str | None:
    """'exklusive nedskrivning av ...', 'efter justering för jämförelsestörande poster': in the
    clause, or in a lead-in clause of the sentence that sets it for what follows."""
    clause = ctx.clauses[index]
    for match in cues.QUALIFIER.finditer(ctx.text):
        if any(m.start <= match.start() < m.end for m in ctx.measures):
            continue  # part of a measure's own name ('resultatet exklusive finansiella placeringar')
        if clause.start <= match.start() < clause.end:
            return cues.qualifier_label(match)
        if (
            match.start() < clause.start
            and ctx.clauses[0].start <= match.start() < ctx.clauses[0].end
            and not [n for n in ctx.numbers if ctx.clauses[0].start <= n.start < ctx.clauses[0].end]
        ):
            return cues.qualifier_label(match)
    return None


def _last_match(pattern: re.Pattern, text: str) -> re.Match | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


_BUDGET_HOLDER_NAME = re.compile(r"(?:nämnden|förvaltningen|styrelsen)$", re.IGNORECASE)


def budget_holder(org: str, ctx: SentenceContext) -> bool:
    """A committee, administration or area: held to a budget, so its surplus is a deviation. A
    committee the seed does not know ('Socialnämnden' of a municipality) is one by its name."""
    unit = org_units.find_unit(org, ctx.reading.region_code)
    if unit is not None:
        return unit.level in ("committee", "area", "administration", "board", "unit")
    return bool(_BUDGET_HOLDER_NAME.search(org.strip()))


_EVALUATIVE = re.compile(r"^(?:över|under)skott", re.IGNORECASE)


def evaluative_only(ctx: SentenceContext, index: int, number: Number) -> bool:
    """The clause names the figure only as a surplus or deficit, never as a 'resultat'."""
    clause = ctx.clauses[index]
    words = [m for m in ctx.measures if m.measure == "result" and clause.start <= m.start < clause.end]
    if not words and clause.link in HANGING and index > 0:
        previous = ctx.clauses[index - 1]
        words = [m for m in ctx.measures if m.measure == "result" and previous.start <= m.start < previous.end]
    return bool(words) and all(_is_evaluative(m) for m in words)


def _is_evaluative(match: MeasureMatch) -> bool:
    return bool(_EVALUATIVE.match(match.text.strip()))
