"""KPI values from the running text of a report: blocks -> sentences -> clauses -> statements.

Headings open sections (their unit, measure, scenario and period are the fallback for the
text under them); a line ending in a colon leads in a list. Every number with a unit is read
by statements.read_number; what it cannot bind is listed as unmapped with the reason and the
measure it found, so nothing is filed under a nearby KPI by default.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import lexicon, sections, statements
from . import text_cues as cues
from . import time_expressions as times
from .clauses import split as split_clauses
from .normalise import TextSpan, blocks, split_sentences
from .numbers import find_numbers, looks_like_year
from .org_units import find_unit, region_name, resolve
from .organisations import DocumentOrganisation, capitalise, find_orgs, group_name
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .sections import heading_text
from .statement_context import (
    Decided,
    LeftOut,
    Number,
    Reading,
    Section,
    SentenceContext,
    Statement,
)
from .time_expressions import PeriodReference

MAX_SOURCE_TEXT = 400
# Units a statement can be made in; other numbers are read only as counts or indexes.
_VALUE_UNITS = {"mnkr", "percent", "days", "percentage_points"}
_COUNT_WORDS = re.compile(r"^\s*(st|stycken|personer)\b", re.IGNORECASE)
_INDEX_MEASURES = {"hme", "hse"}
_BULLET = re.compile(r"^\s*[•·▪◦*-]\s+")
_COMMITTEE_LEVELS = ("committee", "board")
_ADMINISTRATION = re.compile(r"förvaltning(?:en)?$", re.IGNORECASE)
_COMMITTEE = re.compile(r"(?:nämnd|styrelse)(?:en)?$", re.IGNORECASE)
_CONTINUES = re.compile(r"^\W*(?:men|och|samt)\s", re.IGNORECASE)
_SCOPE_OPENING = re.compile(r"\W*(?:inom|hos|vid)\s+(?:den\s+|det\s+)?", re.IGNORECASE)


def _default_org(meta: DocumentMeta, organisation: DocumentOrganisation | None, lines: list[str]) -> str:
    """The unit a report is about when a sentence names none: the committee its title names;
    for a report that speaks of 'nämndens verksamheter' (one committee, not 'nämnderna'), the
    committee it names most; else its organisation."""
    fallback = (
        organisation.name
        if organisation
        else (meta.organisation or meta.region_name or region_name(meta.region_code, meta.period_end) or "")
    )
    for mention in find_orgs(meta.title or "", meta.region_code):
        if mention.level in _COMMITTEE_LEVELS:
            return mention.name
    text = "\n".join(lines)
    singular = len(re.findall(r"\bnämndens\b", text, re.IGNORECASE))
    plural = len(re.findall(r"\bnämnderna\b", text, re.IGNORECASE))
    if singular >= 3 and singular > plural:
        counts: dict[str, int] = {}
        for mention in find_orgs(text, meta.region_code):
            if mention.level == "committee":
                counts[mention.name] = counts.get(mention.name, 0) + 1
        if counts:
            return max(counts, key=counts.get)
    return fallback


def _reading(meta: DocumentMeta, lines: list[str]) -> Reading:
    organisation = None
    if meta.organisation:
        unit = find_unit(meta.organisation, meta.region_code)
        level = unit.level if unit else "region"
        organisation = DocumentOrganisation(meta.organisation, meta.organisation_code, level, meta.region_code, "meta")
        if level == "municipality":
            organisation = replace(organisation, group_name=group_name(lines, organisation))
    reference = None
    if meta.period_start is not None and meta.period_end is not None:
        reference = PeriodReference(meta.period_start, meta.period_end, meta.document_kind, meta.published_on)
    return Reading(meta.document, meta.region_code, reference, organisation, _default_org(meta, organisation, lines))


def _numbers(text: str, measures: list[lexicon.MeasureMatch], previous: Decided | None = None) -> list[Number]:
    result = []
    # 'Hållbart medarbetarindex (HME) ...', or 'För 2021 låg resultatet på 76' after a sentence on it
    index_context = any(m.measure in _INDEX_MEASURES for m in measures) or (
        previous is not None
        and previous.measure in _INDEX_MEASURES
        and re.search(r"\bresultatet\b", text, re.IGNORECASE)
    )
    for token in find_numbers(text):
        if token.unit in _VALUE_UNITS:
            result.append(Number(token, token.unit))
            continue
        if token.unit is not None or looks_like_year(token):
            continue
        noun = next((m for m in measures if 0 <= m.start - token.end <= 1), None)
        if noun is not None and lexicon.kpi_for(noun.measure, "level", "count"):
            result.append(Number(token, "count", noun))
        elif _COUNT_WORDS.match(text[token.end :]) or _counted_before(text[: token.start], measures):
            result.append(Number(token, "count"))
        elif (
            index_context
            and 0 < token.value <= 100
            and re.search(r"\b(?:från|till|på|index\w*)\s*$", text[: token.start], re.IGNORECASE)
        ):
            result.append(Number(token, None))
    return result


# 'Antalet vårdtillfällen uppgick till 43 200': the count stands after its verb, with no noun after it
_COUNT_BEFORE = re.compile(
    r"\bantal(?:et)?\s+(?P<what>(?:(?:[^\W\d]+|(?:19|20)\d\d)[\s,]+){1,5}?)(?:var|är|blev|uppgick\s+till|uppgår\s+till|landade\s+på|"
    r"ökade\s+till|minskade\s+till)\s+(?:totalt\s+|drygt\s+|knappt\s+|cirka\s+|ca\.?\s+|nästan\s+|närmare\s+)?$",
    re.IGNORECASE,
)


def _counted_before(lead: str, measures: list[lexicon.MeasureMatch]) -> bool:
    found = _COUNT_BEFORE.search(lead)
    if found is None or re.search(r"\bper\b", found.group("what"), re.IGNORECASE):
        return False  # 'antalet vårdtillfällen per 1 000 invånare' is a rate
    start, end = found.start("what"), found.end("what")
    return any(m.start < end and m.end > start and lexicon.kpi_for(m.measure, "level", "count") for m in measures)


def _with_carried_counts(text: str, clauses, numbers: list[Number], previous: Decided | None) -> list[Number]:
    """'..., motsvarande siffra för april 2022 var 10 840': a bare figure in a clause that restates
    the count just given (or the one of the sentence before) is a count too."""
    counted = [n for n in numbers if n.unit == "count"]
    if not counted and (previous is None or previous.unit != "count"):
        return numbers
    taken = {n.start for n in numbers}
    extra = []
    for clause in clauses[1:] if counted else clauses:
        if not cues.RESTATED_FIGURE.match(clause.text, re.match(r"\W*", clause.text).end()):
            continue
        for token in find_numbers(clause.text):
            start = clause.start + token.start
            if start in taken or token.unit is not None or looks_like_year(token) or token.value < 10:
                continue
            extra.append(Number(replace(token, start=start, end=clause.start + token.end), "count"))
    return sorted(numbers + extra, key=lambda n: n.start)


def _source(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_SOURCE_TEXT else text[: MAX_SOURCE_TEXT - 1] + "…"


class _Walker:
    def __init__(self, meta: DocumentMeta, lines: list[str], extraction: Extraction) -> None:
        self.meta = meta
        self.reading = _reading(meta, lines)
        self.out = extraction
        self.section = Section()
        self.previous: Decided | None = None
        self.paragraph_org: str | None = None
        self.sentence_start = 0  # the first of the facts the sentence being read gave
        self.block_org: str | None = None  # the unit a paragraph's first sentence scoped it to
        self.units_before: list[str] = []  # the units the sentence before named
        self.opens_block = False

    # ------------------------------------------------------------------ structure
    def heading(self, text: str, list_lead: bool = False) -> None:
        self.units_before = []
        mentions = [
            m
            for m in find_orgs(text, self.meta.region_code, self.reading.organisation)
            if m.level not in ("council", "national")
        ]
        self.section = sections.next_section(text, self.section, mentions, self.reading.reference, list_lead)
        self.previous = None
        self.paragraph_org = None

    def block(self, span: TextSpan) -> None:
        self.paragraph_org = None
        self.block_org = None
        self.units_before = []
        for number, sentence in enumerate(split_sentences(span)):
            self.opens_block = number == 0
            self.sentence(sentence)

    # ------------------------------------------------------------------ sentences
    def sentence(self, span: TextSpan) -> None:
        text = span.text
        self._without_what_follows_includes(text)
        self.sentence_start = len(self.out.facts)
        measures = lexicon.find_measures(text)
        numbers = _numbers(text, measures, self.previous)
        if not numbers:
            self.paragraph_org = None
            orgs = find_orgs(text, self.meta.region_code, self.reading.organisation)
            self._note_subject(text, orgs)
            self.units_before = self._named_units(orgs)
            # 'Kostnaderna för medicinskt material har ökat kraftigt.' names what the next
            # sentence's bare 'Kostnaderna' are
            specific = [m for m in measures if m.measure not in ("cost", "revenue", "result")]
            if specific:
                self.previous = Decided(
                    measure=specific[-1].measure,
                    measure_text=specific[-1].text,
                    # 'I kostnaderna för utomlänsvård ingår kostnad för digitala vårdtjänster': the
                    # next sentence's bare 'Kostnaderna' are the part's, not the whole's
                    is_part=bool(cues.CONTAINS_PART.search(text)),
                )
            return
        orgs = find_orgs(text, self.meta.region_code, self.reading.organisation)
        protected = [(m.start, m.end) for m in measures if " " in m.text.strip() or "," in m.text]
        protected += [(o.start, o.end) for o in orgs if " " in text[o.start : o.end].strip()]
        found_times = times.find(text)
        protected += [(t.start, t.end) for t in found_times if t.kind in ("span", "year_range", "rolling")]
        clauses = split_clauses(text, protected)
        numbers = _with_carried_counts(text, clauses, numbers, self.previous)
        ctx = SentenceContext(
            text,
            clauses,
            measures,
            found_times,
            orgs,
            numbers,
            self.reading,
            self.section,
            self.previous,
            self.paragraph_org or self._continued_unit(text) or self.block_org,
        )
        self.paragraph_org = None  # a subject carries to the next sentence only
        if self._label_list(ctx, span):
            return
        last: Decided | None = None
        for index, clause in enumerate(clauses):
            in_clause = [n for n in numbers if clause.start <= n.start < clause.end]
            if not in_clause:
                statements.remember(ctx, index, None)
                continue
            for number in in_clause:
                result = statements.read_number(ctx, index, number)
                measure_text = None
                if isinstance(result, Statement):
                    measure_text = next((m.text for m in measures if m.measure == result.measure), None)
                    self._fact(result, span, text)
                else:
                    self._unmapped(result, span, text)
                statements.remember(ctx, index, result, measure_text)
            last = ctx.decided[index] if index < len(ctx.decided) else last
        if last is not None and last.measure and not last.named_only:
            self.previous = last
        self._note_subject(text, orgs)
        self.units_before = self._named_units(orgs)

    def _without_what_follows_includes(self, text: str) -> None:
        """'... ett positivt resultat på 79 miljoner kronor. Inklusive nedskrivning av X landar
        resultatet på minus 25,9 miljoner kronor.': the figure before is the one without X."""
        including = re.match(r"^\W*inklusive\s+([^,.;]{3,80}?)\s*,", text, re.IGNORECASE)
        if including is None:
            return
        qualifier = cues.QUALIFIER.search(f"exklusive {including.group(1)},")
        measures = {m.measure for m in lexicon.find_measures(text)}
        for index in range(self.sentence_start, len(self.out.facts)):
            fact = self.out.facts[index]
            if fact.measure in measures and fact.breakdown == "total" and qualifier is not None:
                self.out.facts[index] = replace(fact, breakdown=cues.qualifier_label(qualifier))

    @staticmethod
    def _named_units(orgs) -> list[str]:
        return [o.name for o in orgs if o.level not in ("national", "council", "self", "group")]

    def _continued_unit(self, text: str) -> str | None:
        """'Kostnaderna uppgår till 201 miljoner kronor inom hälso- och sjukvården. Men ett
        budgetunderskott på 29 miljoner kronor.': a sentence that goes on with the one before is
        about the unit that one named."""
        if self.units_before and _CONTINUES.match(text):
            return self.units_before[-1]
        return None

    def _note_subject(self, text: str, orgs=None) -> None:
        """A unit that opens a sentence ('Tandvården redovisar ...') is the subject of the
        sentence after it, when that one names none ('Intäkterna avviker negativt ...')."""
        orgs = orgs if orgs is not None else find_orgs(text, self.meta.region_code, self.reading.organisation)
        # a group's figure is named as the group's each time ('Koncernens resultat ...'); the
        # sentence after it speaks of the organisation again
        opening = [
            o
            for o in orgs
            if o.start <= 3 and o.level not in ("national", "council", "self", "group") and o.name != "Verksamheterna"
        ]  # 'the operations' in general are no one unit
        if opening:
            self.paragraph_org = opening[0].name
            if _ADMINISTRATION.search(self.section.org or "") and _COMMITTEE.search(opening[0].name):
                # 'Regionala utvecklingsförvaltningen' heads the section, 'Regionala utvecklingsnämndens
                # nettokostnader ...' opens it: the administration reports its committee's economy
                self.section = replace(self.section, org=opening[0].name)
            if opening[0].name != self.block_org:
                self.block_org = None  # the paragraph moved on to another unit
        # 'Inom tandvården minskade antalet besök ...' opening a paragraph: the paragraph's unit
        scope = [
            o
            for o in orgs
            if o.level not in ("national", "council", "self", "group")
            and o.name != "Verksamheterna"
            and _SCOPE_OPENING.fullmatch(text[: o.start])
        ]
        if scope and self.opens_block:
            self.block_org = scope[0].name

    def _label_list(self, ctx: SentenceContext, span: TextSpan) -> bool:
        """'Södra Lappland 87 procent, Skellefteå 72 procent, Umeå 78 procent.': units and their
        values, of the measure the sentence before stated."""
        items = []
        for clause in ctx.clauses:
            found = re.fullmatch(
                r"\s*(?:och\s+)?([A-ZÅÄÖ][\w\s./-]{1,40}?)\s+(\d[\d ,]*\s*(?:procent|%))\s*[.;]?\s*", clause.text
            )
            if not found:
                return False
            items.append((clause, found))
        if len(items) < 2 or self.previous is None or self.previous.unit != "percent" or not self.previous.measure:
            return False
        labels = [found.group(1).strip() for _, found in items]
        if not all(find_unit(label, self.meta.region_code) for label in labels):
            return False
        previous = self.previous
        mapping = lexicon.kpi_for(previous.measure, previous.aspect or "level", "percent")
        if mapping is None or previous.period is None:
            return False
        for clause, found in items:
            number = next(n for n in ctx.numbers if clause.start <= n.start < clause.end)
            value = number.token.value
            statement = Statement(
                number,
                mapping.kpi_code,
                previous.measure,
                previous.aspect or "level",
                value,
                "percent",
                previous.scenario or "actual",
                previous.period,
                previous.period_source or "document",
                resolve(found.group(1).strip(), self.meta.region_code),
                mapping.breakdown or "total",
                "carried",
            )
            self._fact(statement, span, ctx.text)
        return True

    # ------------------------------------------------------------------ records
    def _fact(self, statement: Statement, span: TextSpan, text: str) -> None:
        token = statement.number.token
        low, high = _interval(token, statement.value)
        self.out.facts.append(
            Fact(
                document=self.meta.document,
                kpi_code=statement.kpi_code,
                org_unit=statement.org,
                region_code=_region_of(statement.org, self.meta.region_code),
                period_start=statement.period.start,
                period_end=statement.period.end,
                period_type=statement.period.period_type,
                scenario=statement.scenario,
                breakdown=statement.breakdown,
                value=round(statement.value, 6),
                unit=statement.unit,
                is_approximate=token.is_approximate,
                source_line=span.line_at(token.start),
                source_text=_source(text),
                extraction_method=f"text:{statement.aspect}",
                measure=statement.measure,
                binding=statement.binding,
                value_low=low,
                value_high=high,
                period_source=statement.period_source,
            )
        )

    def _unmapped(self, left: LeftOut, span: TextSpan, text: str) -> None:
        token = left.number.token
        self.out.unmapped.append(
            UnmappedNumber(
                self.meta.document,
                span.line_at(token.start),
                token.text,
                token.value,
                left.number.unit or "count",
                left.reason,
                _source(text),
                left.measure,
            )
        )


def _region_of(org: str, region_code: str | None) -> str | None:
    unit = find_unit(org, region_code)
    return unit.region_code if unit else region_code


# The share of a stated value its hedge leaves open: 'drygt 900' is 900 to about 990.
_HEDGE_SPREAD = {
    "drygt": (0.0, 0.1),
    "knappt": (-0.1, 0.0),
    "närmare": (-0.1, 0.0),
    "nästan": (-0.1, 0.0),
    "uppemot": (-0.1, 0.0),
}


def _interval(token, value: float) -> tuple[float, float]:
    """The interval a value stated at its precision and hedge covers ('930' covers 929.5-930.5)."""
    number = re.search(r"\d[\d ]*(?:[,.]\d+)?", token.text)
    decimals = 0
    if number and re.search(r"[,.](\d+)$", number.group(0)):
        decimals = len(re.search(r"[,.](\d+)$", number.group(0)).group(1))
    scale = abs(value) / abs(token.value) if token.value else 1.0
    half = 0.5 * 10 ** (-decimals) * scale
    low, high = value - half, value + half
    hedge = (token.hedge or "").lower().rstrip(".")
    if hedge in _HEDGE_SPREAD:
        down, up = _HEDGE_SPREAD[hedge]
        low, high = low + down * abs(value), high + up * abs(value)
    elif hedge:  # cirka, ungefär, omkring: either way
        low, high = low - 0.05 * abs(value), high + 0.05 * abs(value)
    return round(min(low, high), 6), round(max(low, high), 6)


def extract_running_text(meta: DocumentMeta, lines: list[str], skip_lines: set[int] = frozenset()) -> Extraction:
    """Facts from the running text of one document; `lines` index 0 is line 1."""
    extraction = Extraction()
    if not lines:
        return extraction
    walker = _Walker(meta, lines, extraction)
    for span in _blocks_outside(lines, skip_lines):
        heading = heading_text(span.text)
        if heading is not None:
            walker.heading(heading)
            continue
        if span.text.rstrip().endswith(":") and len(span.text) <= 120:
            walker.heading(span.text.rstrip(" :"), list_lead=True)  # a list's lead-in line
            continue
        walker.block(span)
    return extraction


def _blocks_outside(lines: list[str], skip_lines: set[int]) -> list[TextSpan]:
    """Blocks of the document, never joining text across a line another parser consumed."""
    if not skip_lines:
        return blocks(lines)
    result: list[TextSpan] = []
    run: list[int] = []
    for number in range(1, len(lines) + 2):
        if number > len(lines) or number in skip_lines:
            if run:
                keep = set(run)
                result.extend(blocks([text if (index + 1) in keep else "" for index, text in enumerate(lines)]))
            run = []
        else:
            run.append(number)
    return result


__all__ = ["extract_running_text", "heading_text", "capitalise"]
