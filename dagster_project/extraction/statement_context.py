"""What extraction knows while it reads one sentence: its clauses, measures, times, units and
numbers (SentenceContext, passed around as one value), what each clause decided (Decided), and the
statement a number makes or the reason it is left out (Statement, LeftOut)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clauses import ALTERNATIVE, APPOSITION, COMPARISON, COORDINATE, RELATIVE, Clause
from .lexicon import MeasureMatch
from .numbers import NumberToken
from .organisations import DocumentOrganisation, OrgMention
from .time_expressions import PeriodReference, ResolvedPeriod, TimeExpression

# Links through which a clause takes over what the clause before it stated.
HANGING = (RELATIVE, APPOSITION, ALTERNATIVE, COORDINATE, COMPARISON)


# Measures that name a whole organisation's costs or revenue only when qualified
# ('verksamhetens kostnader', 'Region Blekinges kostnader'), never as a bare 'kostnaderna'.
GENERIC = ("cost", "revenue")


ANAPHORA = re.compile(
    r"^\W*(?:det|detta)\s+(?:är|var|innebär|innebar)\s+(?:ett|en)\s+(?:\w+\s+)?(?:resultat|utfall|nivå|värde)\w*|"
    r"^\W*(?:det|detta)\s+(?:är|var|innebär|innebar|motsvarar)\s+(?:ett|en)\s+(?:\w+\s+)?(?:ökning|minskning|förändring|förbättring|försämring)\w*|"
    r"\bnivån\b|"
    r"\bmotsvarande\s+(?:siffra|värde|andel|nivå|tal)\w*|\bden\s+siffran\b|\bsamma\s+siffra\b|^\W*(?:det|detta)\s+motsvara\w*|"
    r"^\W*(?:års|helårs)?prognosen(?:\s+för\s+(?:hel)?året)?\s+(?:är|uppgår|landar|visar|pekar)\b",
    re.IGNORECASE,
)


VERB = re.compile(
    r"\b(?:är|var|blir|blev|uppgår|uppgick|uppgått|har|hade|visar|visade|redovisar|redovisade|ligger|låg|landar|landade|"
    r"ökade|ökar|ökat|minskade|minskar|minskat|motsvarar|utgör|beräknas|väntas|förväntas|omfattar|omfattade|gör|fick|erhöll|"
    r"serveras|besöker|ringer|välkomnas|avser|innebär|ger)\b",
    re.IGNORECASE,
)


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
    # 'Tandhygienister' under 'Tandvården': a staff group's part of the unit's section
    staff_group: str | None = None
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
    # the clause spoke of a part or a sub-kind ('diabetesläkemedel där kostnaden ...'): the
    # clauses after it must not take over the whole's measure from before it
    is_part: bool = False
    # the clause only named a measure (beside a threshold): enough for the clause after it, not
    # for the next sentence
    named_only: bool = False


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
    sign: int | None = None  # the direction it stated ('minskat med 26 miljoner'), for 'eller 14 procent'


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
    _by_clause: dict = field(default_factory=dict, repr=False)

    def in_clause(self, items, index: int):
        # Every number of a clause asks for the same lists; a long table-like sentence would
        # otherwise rescan them once per number.
        key = (id(items), index)
        if key not in self._by_clause:
            clause = self.clauses[index]
            self._by_clause[key] = [item for item in items if clause.start <= item.start < clause.end]
        return self._by_clause[key]


def segment(ctx: SentenceContext, index: int, number: Number) -> tuple[str, str]:
    """The words that belong to `number`: from the previous number (or clause start) to it, and
    after it up to the next number (or clause end)."""
    clause = ctx.clauses[index]
    numbers = ctx.in_clause(ctx.numbers, index)
    position = numbers.index(number) if number in numbers else 0
    lead_start = numbers[position - 1].end if position > 0 else clause.start
    tail_end = numbers[position + 1].start if position + 1 < len(numbers) else clause.end
    return ctx.text[lead_start : number.start], ctx.text[number.end : tail_end]


def earlier_decided(ctx: SentenceContext, index: int) -> Decided | None:
    for earlier in range(index - 1, -1, -1):
        if earlier < len(ctx.decided) and ctx.decided[earlier].is_part:
            return None
        if earlier < len(ctx.decided) and ctx.decided[earlier].measure:
            return ctx.decided[earlier]
        if ctx.clauses[earlier].link not in HANGING:
            break
    return None
