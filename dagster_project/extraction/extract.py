"""KPI values from the running text of a follow-up report.

For every number with a unit in a sentence the extractor decides
- the topic it is about (kpi_rules.TOPIC_PATTERNS: nearest in its clause, else the sentence,
  else the previous sentence of the paragraph, else the section heading),
- what it measures (a level, a budget deviation, a change on last year),
- the KPI that (topic, measure, unit) is filed under (kpi_rules.kpi_for),
- the sign (wording: 'negativ avvikelse', 'underskott', 'minskat', 'lägre än budget'),
- the org unit (named in the clause, the sentence, the paragraph, the heading, or the report's
  own committee/region), the breakdown (sex, age band, sub-group, grant area) and
- the period and scenario (sentence_periods.choose_period).
Numbers it passes over are listed in Extraction.unmapped with a short reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import kpi_rules as rules
from . import org_units
from .context import OrgMention, default_org, find_orgs, heading_text
from .normalise import TextSpan, blocks, split_sentences
from .numbers import NumberToken, find_numbers, looks_like_year
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .sentence_periods import PeriodChoice, PeriodContext, choose_period

MAX_SOURCE_TEXT = 400
KPI_UNITS = {"mnkr", "percent", "days", "count", "index"}

# A level verb nearer to the number than any change word makes it a level
# ('... minskat med 2,0 procent och ligger ackumulerat på 4,97 dagar').
LEVEL_VERB = re.compile(r"\b(är|var|ligger|låg|landar|uppgår|uppgick|uppgått|utgör|motsvarade|blev|hade|har)\b", re.IGNORECASE)
# '... stigit till 5,8 procent', 'en minskning om 0,4 procentenheter till 2,8': the new level.
CHANGED_TO = re.compile(r"\btill\s*$", re.IGNORECASE)
FROM_VALUE = re.compile(r"\bfrån\s*$", re.IGNORECASE)
# Comparative right after the number: '157 mnkr bättre än budget', '8,5 procent lägre än ...'.
AFTER_COMPARATIVE = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(bättre|sämre|högre|lägre|mer|mindre)\b(\s+\w+){0,3}?\s*(än|jämfört|mot)?", re.IGNORECASE
)
AFTER_BUDGET = re.compile(r"^[^.]{0,25}?\b(än|mot) budget\w*|^[^.]{0,25}?\b(över|under) budget", re.IGNORECASE)
# A connective that carries the previous number's measure and topic ('4 miljoner kronor
# eller 2,8 procent', '... 97 miljoner, det motsvarande 7,6 procent', '(8 176 besök)').
# 'minskat med 11,0 procent och i sjukhusvården med 2,1 procent': the verb is left out
ELLIPSIS = re.compile(r"^\s*\w*\s*(och|samt|medan)\s+(i|inom|för)\s+[\w\s-]+?\s+med\s*$", re.IGNORECASE)
CONNECTIVE = re.compile(r"^[\s,(]*((eller|vilket|det|som)\s+)?(motsvara\w*|eller|\()?\s*$", re.IGNORECASE)
ANAPHORA = re.compile(r"den siffran|motsvarande siffra", re.IGNORECASE)
GENERIC_COST = re.compile(r"^\s*(kostnaderna|kostnader)\b", re.IGNORECASE)
THRESHOLD = re.compile(
    r"(inom|under|över|längre än|eller kortare|minst|högst)\s*$|^\s*(dagar\s+)?(eller kortare|eller längre)", re.IGNORECASE
)
QUOTED = re.compile(r"[”\"“]([^”\"“]{3,60})[”\"“]")
EXCLUDING = re.compile(r"\b(exklusive|exkl\.?)\s+(\w+)", re.IGNORECASE)
NATIONAL = re.compile(r"\bstaten\b|\briket\b|rikssnitt\w*|\bvarje region\b|\brespektive region\b", re.IGNORECASE)
CLAUSE_BOUNDARY = re.compile(r",\s|\s(och|men|medan|vilket|där|samt)\s", re.IGNORECASE)
PAST_TENSE = re.compile(r"\b(erhöll|fick|var|uppgick|tilldelades|beviljades|avsåg)\b", re.IGNORECASE)
GRANT_SECTION = re.compile(r"nationella överenskommelser|riktade statsbidrag", re.IGNORECASE)
GRANT_QUALIFIERS = [
    ("grundbelopp", re.compile(r"grundbelopp\w*", re.IGNORECASE)),
    ("bonuspott", re.compile(r"bonuspott\w*", re.IGNORECASE)),
    ("ersättning", re.compile(r"\bi ersättning\b", re.IGNORECASE)),
    ("länsgemensamma insatser", re.compile(r"länsgemensamma insatser", re.IGNORECASE)),
    ("gemensamma medel med kommunerna", re.compile(r"gemensamma medel med kommunerna", re.IGNORECASE)),
]
PROFESSION_HEADING = re.compile(r"^(tandläkare|tandhygienister|tandsköterskor|sjuksköterskor|undersköterskor|läkare|barnmorskor)$", re.IGNORECASE)
PARTICIPLE_GROUP = re.compile(r"\bantalet (\w+ade) (vårdtillfällen|besök|vårddagar) (till [a-zåäö ]+?)(?=\s+år\b|\s+\d|,|$)", re.IGNORECASE)
INCLUDED_COST = re.compile(r"\bingår (?:även )?kostnad\w* för ([a-zåäö ]+?)\s+som\b", re.IGNORECASE)
COMBINED_ORGS = re.compile(r"^\s*(och|samt)\s+(på\s+|i\s+|inom\s+)?$", re.IGNORECASE)


@dataclass
class Candidate:
    token: NumberToken
    unit: str | None
    noun: str | None = None


@dataclass
class FactDraft:
    """What the rules decided for one number, before it becomes a Fact."""

    topic: str
    measure: str
    org: str | None
    breakdown: str
    previous: bool
    period: PeriodChoice | None = None
    sign: int | None = None  # sign carried from the number a clause leaves its verb to


@dataclass
class Section:
    heading: str | None = None
    org: str | None = None
    topic: str | None = None
    profession: str | None = None
    grant_section: bool = False
    grant_area: str | None = None
    grant_year: int | None = None
    first_sentence_seen: bool = False
    area_heading: str | None = None  # a heading naming no unit: the area a grant is for


@dataclass
class ParagraphMemory:
    org: str | None = None
    topics: list[str] = field(default_factory=list)
    last: FactDraft | None = None
    last_topic: str | None = None
    breakdown: str | None = None


def extract_text(meta: DocumentMeta, lines: list[str], skip_lines: set[int] = frozenset()) -> Extraction:
    """Facts from the running text of one document; `lines` index 0 is line 1."""
    extraction = Extraction()
    if not lines or meta.period_start is None or meta.period_end is None:
        return extraction
    ctx = PeriodContext(meta.period_start, meta.period_end, meta.document_kind)
    doc_org = default_org(meta.title, meta.region_code, lines)
    section = Section()
    memory = ParagraphMemory()
    for block in _blocks_outside(lines, skip_lines):
        heading = heading_text(block.text)
        if heading is not None:
            section = _enter_heading(heading, section, meta.region_code)
            memory = ParagraphMemory()
            continue
        memory.org = None  # a unit named in one paragraph is not carried into the next
        for sentence in split_sentences(block):
            _read_sentence(sentence, meta, ctx, doc_org, section, memory, extraction)
            section.first_sentence_seen = True
    return extraction


def _blocks_outside(lines: list[str], skip_lines: set[int]) -> list[TextSpan]:
    """Blocks of the document, never joining text across a line another parser consumed."""
    if not skip_lines:
        return blocks(lines)
    result: list[TextSpan] = []
    run: list[int] = []
    for number in range(1, len(lines) + 1):
        if number in skip_lines:
            if run:
                result.extend(_blocks_of(lines, run))
            run = []
        else:
            run.append(number)
    if run:
        result.extend(_blocks_of(lines, run))
    return result


def _blocks_of(lines: list[str], numbers: list[int]) -> list[TextSpan]:
    keep = set(numbers)
    masked = [text if (index + 1) in keep else "" for index, text in enumerate(lines)]
    return blocks(masked)


def _enter_heading(heading: str, previous: Section, region_code: str | None) -> Section:
    """A heading opens a section: its unit, its topic, or a sub-group of the section before."""
    orgs = [m for m in find_orgs(heading, region_code) if m.level != "council"]
    topic = _topics_in(heading)
    grant = previous.grant_section
    if GRANT_SECTION.search(heading) and not orgs:
        return Section(heading=heading, grant_section=True)
    if re.fullmatch(r"\d{4}", heading.strip()):
        # a year heading inside a section of agreements: 'God och nära vård' ... '2023'
        return Section(heading=previous.heading, org=previous.org, topic=previous.topic, grant_section=grant,
                       grant_area=previous.grant_area, grant_year=int(heading.strip()), profession=previous.profession)
    if PROFESSION_HEADING.match(heading.strip()):
        return Section(heading=heading, org=previous.org, topic=previous.topic or "sick", profession=heading.strip().lower(),
                       grant_section=grant)
    if re.match(r"^(Bilag|Bilaga|Bilagor)\b", heading):
        return Section(heading=heading)
    if orgs:
        return Section(heading=heading, org=orgs[0].name, topic=topic[0] if topic else None)
    if grant:
        return Section(heading=heading, grant_section=True, grant_area=heading.strip())
    return Section(heading=heading, topic=topic[0] if topic else None, area_heading=heading.strip())


def _topics_in(text: str) -> list[str]:
    return [name for name, pattern, strong in rules.TOPIC_PATTERNS if strong and name != "none" and pattern.search(text)]


def _topic_matches(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, topic, strong) for topic words in `text`, longer matches shadowing shorter ones."""
    found: list[tuple[int, int, str, bool]] = []
    for name, pattern, strong in rules.TOPIC_PATTERNS:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), name, strong))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str, bool]] = []
    for item in found:
        if any(item[0] < k[1] and k[0] < item[1] for k in kept):
            continue
        kept.append(item)
    return sorted(kept)


def _candidates(text: str) -> list[Candidate]:
    result = []
    for token in find_numbers(text):
        unit = token.unit
        noun = None
        if unit is None:
            if looks_like_year(token):
                continue
            match = rules.COUNT_NOUNS.match(text, token.end)
            if match:
                unit, noun = "count", match.group(1).lower()
            elif re.match(r"\s*vikarier\b", text[token.end:]):
                unit, noun = "count", "vikarier"
        result.append(Candidate(token, unit, noun))
    return result


def _read_sentence(sentence: TextSpan, meta: DocumentMeta, ctx: PeriodContext, doc_org: str, section: Section,
                   memory: ParagraphMemory, extraction: Extraction) -> None:
    text = sentence.text
    candidates = _candidates(text)
    sentence_matches = _topic_matches(text)
    sentence_topics = [m[2] for m in sentence_matches if m[3]]
    explicit_orgs = find_orgs(text, meta.region_code)
    first_segment_end = candidates[0].token.start if candidates else len(text)
    hme_context = "hme" in sentence_topics or "hme" in memory.topics
    # bare numbers (age bands '30–49 år', counts of unrelated things) do not cut clauses
    candidates = [c for c in candidates if c.unit or hme_context or ANAPHORA.search(text)]
    first_segment_end = candidates[0].token.start if candidates else len(text)
    if not section.first_sentence_seen and section.org is None and explicit_orgs and explicit_orgs[0].start < 3 \
            and explicit_orgs[0].level not in ("council", "region"):
        section.org = explicit_orgs[0].name  # 'Regionala utvecklingsnämndens ...' opens a section the heading does not name
    previous: FactDraft | None = None
    for index, candidate in enumerate(candidates):
        token = candidate.token
        seg_start = candidates[index - 1].token.end if index else 0
        next_start = candidates[index + 1].token.start if index + 1 < len(candidates) else len(text)
        segment = text[seg_start:token.start]
        after = text[token.end:next_start]
        unit = candidate.unit
        if unit is None and hme_context and 0 < token.value <= 100:
            unit = "index"
        if unit is None and ANAPHORA.search(segment) and (previous or memory.last) is not None:
            unit = "count" if (previous or memory.last).topic in ("employees", "visits", "care_episodes", "care_days") else None
        if unit is None:
            continue
        source_line = sentence.line_at(token.start)

        def unmapped(reason: str) -> None:
            extraction.unmapped.append(
                UnmappedNumber(meta.document, source_line, token.text, token.value, unit, reason, _source(text))
            )

        if unit == "percentage_points":
            unmapped("percentage_points")
            continue
        if unit not in KPI_UNITS:
            unmapped(f"unit_{unit}")
            continue
        if unit == "days" and THRESHOLD.search(segment[-25:] + " ") or (unit == "days" and re.match(r"\s*(eller kortare|eller längre)", after)):
            unmapped("threshold")
            continue
        if re.search(r"mdkr|miljard", token.text) and section.grant_section:
            unmapped("national_total")
            continue
        draft = _decide(text, candidate, unit, index, candidates, segment, after, sentence_matches, sentence_topics,
                        explicit_orgs, first_segment_end, section, memory, previous, meta, doc_org)
        if draft is None:
            unmapped("no_kpi_keyword")
            continue
        if isinstance(draft, str):
            unmapped(draft)
            previous = None
            continue
        choice = rules.kpi_for(draft.topic, draft.measure, unit, text)
        if (choice is None or choice.kpi_code is None) and draft.measure == "budget" and unit == "mnkr":
            choice = rules.kpi_for("budget", "budget", unit, text)
        if choice is None or choice.kpi_code is None:
            unmapped("no_kpi_code" if draft.topic != "none" else "not_a_kpi")
            previous = draft
            continue
        if section.grant_section and choice.kpi_code == "targeted_state_grant_mnkr" and re.match(r"^\s*(mnkr\s*)?varav\b", after):
            unmapped("national_total")
            continue
        if section.grant_section and NATIONAL.search(segment) and not re.search(r"regionens|region norrbotten|regionen", segment[-40:], re.IGNORECASE) and not draft.breakdown.endswith("grundbelopp"):
            unmapped("national_total")
            continue
        value = _signed_value(token, draft, text, segment, after, choice.kpi_code)
        period = _period(ctx, text, seg_start, token, next_start, choice.kind, draft, section, memory)
        draft.period = period
        org = draft.org or doc_org
        fact = Fact(
            document=meta.document,
            kpi_code=choice.kpi_code,
            org_unit=org,
            region_code=meta.region_code,
            period_start=period.start,
            period_end=period.end,
            period_type=period.period_type,
            scenario=period.scenario,
            breakdown=draft.breakdown or "total",
            value=round(value, 6),
            unit=choice.unit,
            is_approximate=token.is_approximate,
            source_line=source_line,
            source_text=_source(text),
            extraction_method=choice.rule,
        )
        extraction.facts.append(fact)
        previous = draft
        memory.last = draft
    # what the next sentence may refer back to
    own_orgs = _usable_orgs(explicit_orgs, text)
    if own_orgs is not None:
        memory.org = own_orgs
    strong = [t for t in sentence_topics if t != "none"]
    if strong:
        memory.topics = strong
        memory.last_topic = previous.topic if previous is not None and previous.topic != "none" else strong[-1]
    included = INCLUDED_COST.search(text)
    memory.breakdown = included.group(1).strip() if included else None


def _usable_orgs(mentions: list[OrgMention], text: str) -> str | None:
    """The unit a sentence is about, if it names one (and not two side by side)."""
    if not mentions:
        return None
    if _combined(mentions, text):
        return None
    usable = [m for m in mentions if m.level != "council"]
    return usable[0].name if usable else None


def _combined(mentions: list[OrgMention], text: str) -> bool:
    for first, second in zip(mentions, mentions[1:]):
        if first.name != second.name and COMBINED_ORGS.match(text[first.end:second.start]):
            return True
    return False


def _decide(text, candidate, unit, index, candidates, segment, after, sentence_matches, sentence_topics,
            explicit_orgs, first_segment_end, section, memory, previous, meta, doc_org):
    """Topic, measure, org and breakdown of one number; a str is a reason to pass it over."""
    token = candidate.token
    seg_start = token.start - len(segment)
    lowered_after = after.lower()
    # --- measure ---
    measure = None
    from_value = bool(FROM_VALUE.search(segment))
    inherited = previous is not None and CONNECTIVE.match(segment) is not None
    elliptic = previous is not None and ELLIPSIS.match(segment) is not None
    if inherited or elliptic:
        measure = previous.measure
    if measure is None:
        if AFTER_BUDGET.search(after):
            measure = "budget"
        elif AFTER_COMPARATIVE.match(after) and not from_value:
            measure = "change"
    if measure is None:
        measure = _nearest_measure(segment)
    if from_value or (measure == "change" and CHANGED_TO.search(segment) and not re.search(r"\bmed\s*$", segment)):
        measure = "level"
    if from_value is False and previous is not None and previous.measure == "level" and re.search(r"^\s*\w*\s*till\s*$", segment) :
        measure = "level"
    # --- topic ---
    if unit == "index":
        topic = "hme"
    elif (inherited or elliptic) and previous.topic:
        topic = previous.topic
    else:
        topic = _choose_topic(text, segment, seg_start, sentence_matches, memory, section, measure, unit, candidate)
    if topic is None:
        if ANAPHORA.search(segment) and memory.last is not None:
            topic = memory.last.topic
        else:
            return None
    if topic == "none":
        return "not_a_kpi"
    # --- org ---
    org = _choose_org(text, segment, seg_start, after, token, explicit_orgs, first_segment_end, memory, section,
                      meta, topic, inherited, previous)
    # --- breakdown ---
    breakdown = _choose_breakdown(text, segment, after, candidate, topic, measure, section, memory, explicit_orgs,
                                  first_segment_end, previous, inherited)
    if ANAPHORA.search(segment) and memory.last is not None:
        breakdown = memory.last.breakdown if breakdown == "total" else breakdown
        org = org or memory.last.org
    sign = previous.sign if (elliptic or inherited) and previous is not None else None
    return FactDraft(topic=topic, measure=measure, org=org, breakdown=breakdown, previous=from_value, sign=sign)


def _nearest_measure(segment: str) -> str:
    """Budget or change word in the clause before the number; a level verb after a change word
    makes the number a level again ('... lägre ... som var 115'), never after a budget word
    ('Underskottet ... uppgår till 11,1')."""
    def last_end(pattern: re.Pattern) -> int:
        ends = [m.end() for m in pattern.finditer(segment)]
        return ends[-1] if ends else -1

    budget, change, level = last_end(rules.BUDGET), last_end(rules.CHANGE), last_end(LEVEL_VERB)
    if budget < 0 and change < 0:
        return "level"
    if budget > change:
        return "budget"
    return "level" if level > change else "change"


def _choose_topic(text, segment, seg_start, sentence_matches, memory, section, measure, unit, candidate) -> str | None:
    seg_end = seg_start + len(segment)
    in_segment = [m for m in sentence_matches if m[0] >= seg_start and m[1] <= seg_end + 1]
    strong_segment = [m for m in in_segment if m[3]]
    if candidate.noun:
        noun_topic = {"personer": None, "anställda": "employees", "tillsvidareanställda": "employees", "vikarier": "employees",
                      "medarbetare": "employees", "vårdtillfällen": "care_episodes", "vårddagar": "care_days",
                      "vårddygn": "care_days", "besök": "visits", "läkarbesök": "visits", "vårdplatser": None,
                      "patienter": "none"}.get(candidate.noun)
        if candidate.noun == "vårdplatser" and re.search(r"disponib|i snitt|tillgängliga", text, re.IGNORECASE):
            noun_topic = "beds"
        if noun_topic:
            if noun_topic == "visits" and any(m[2] == "remote" for m in strong_segment):
                return "remote"
            return noun_topic
        if candidate.noun == "personer":
            near = [m[2] for m in strong_segment] or [m[2] for m in sentence_matches if m[3]]
            return "employees" if "employees" in near else (near[-1] if near else None)
        return None
    if strong_segment:
        return _resolve_generic(strong_segment[-1][2], text[strong_segment[-1][0]:], memory, section)
    # words that block a number ('merkostnad') only block in its own clause
    strong_sentence = [m for m in sentence_matches if m[3] and m[2] != "none"]
    if measure == "budget":
        strong_sentence = [m for m in strong_sentence if m[1] <= seg_end]
    if strong_sentence:
        # the subject of the sentence, i.e. the first strong topic, unless one stands right after the number
        after_matches = [m for m in strong_sentence if m[0] >= seg_end]
        before = [m for m in strong_sentence if m[1] <= seg_end]
        pick = before[-1] if before else (after_matches[0] if after_matches else strong_sentence[0])
        if before and before[0][2] != "cost":
            pick = before[0] if len({m[2] for m in before}) > 1 and before[-1][2] == "none" else before[-1]
        return _resolve_generic(pick[2], text[pick[0]:], memory, section)
    weak = [m for m in sentence_matches if not m[3] and (measure != "budget" or m[1] <= seg_end)]
    if weak and weak[-1][2] != "budget":
        return weak[-1][2]
    generic = {"cost", "revenue", "net_cost", "none", "budget", "tax_and_grants"}
    for carried in (memory.last_topic, section.topic):
        if not carried or carried == "none":
            continue
        if measure == "budget" and (carried in generic or rules.kpi_for(carried, "budget", "mnkr", text) is None):
            continue
        return carried
    if weak or measure == "budget":
        return "budget"
    if section.grant_section and section.grant_area and unit == "mnkr":
        return "targeted_grant"
    return None


def _resolve_generic(topic: str, from_text: str, memory: ParagraphMemory, section: Section) -> str:
    """'Kostnaderna' after a sentence about out-of-county care means out-of-county costs."""
    specific = {"drug", "medical_material", "out_of_county", "hired", "staff"}
    if topic == "cost" and GENERIC_COST.match(from_text):
        if memory.last_topic in specific:
            return memory.last_topic
        if section.topic in specific:
            return section.topic
    return topic


def _choose_org(text, segment, seg_start, after, token, explicit_orgs, first_segment_end, memory, section, meta, topic,
                inherited, previous) -> str | None:
    seg_end = seg_start + len(segment)
    in_segment = [m for m in explicit_orgs if m.start >= seg_start and m.end <= seg_end]
    if inherited and previous is not None and not in_segment:
        return previous.org
    if in_segment:
        if _combined(in_segment, text):
            return section.org
        return in_segment[-1].name
    in_after = [m for m in explicit_orgs if m.start >= token.end and m.start - token.end < 120]
    if in_after and not re.search(r"\d", text[token.end:in_after[0].start]):
        return in_after[0].name
    in_first = [m for m in explicit_orgs if m.end <= first_segment_end]
    if in_first:
        if _combined(in_first, text):
            return section.org
        return in_first[-1].name
    if memory.org:
        return memory.org
    if section.org:
        return section.org
    if topic in ("med_assessment", "phone"):
        unit = org_units.find_unit("Primärvård", meta.region_code)
        if unit is not None and unit.region_code == meta.region_code:
            return unit.name
    return None


def _choose_breakdown(text, segment, after, candidate, topic, measure, section, memory, explicit_orgs,
                      first_segment_end, previous, inherited) -> str:
    token = candidate.token
    seg_start = token.start - len(segment)
    if inherited and previous is not None:
        return previous.breakdown
    # agreements: area heading, plus a component of it named next to the number
    if topic == "targeted_grant":
        base = section.grant_area if section.grant_section else section.area_heading
        if section.grant_section and section.grant_area is None:
            return "total"
        window = segment[-70:] + " " + after[:40]
        qualifier = _nearest_label(window, len(segment[-70:]), GRANT_QUALIFIERS)
        if base and qualifier:
            return f"{base} – {qualifier}"
        return base or "total"
    parts: list[str] = []
    if candidate.noun in ("tillsvidareanställda",):
        return "tillsvidareanställda"
    if candidate.noun == "vikarier":
        return "vikarier och tillfälligt anställda"
    if topic in ("sick", "short_sick"):
        profession = rules.PROFESSIONS.search(segment) or (rules.PROFESSIONS.search(text[:first_segment_end]) if True else None)
        prof = profession.group(1).lower() if profession else section.profession
        age = _nearest_regex(segment, rules.AGE_BAND) or _nearest_regex(text[:seg_start], rules.AGE_BAND)
        sex = _sex(segment) if not age else None
        if prof:
            parts.append(prof)
        if age:
            parts.append(_age_label(age))
        elif sex:
            parts.append(sex)
        return " ".join(parts) if parts else "total"
    if topic == "med_assessment":
        sex = _sex(segment)
        if sex:
            return sex
        if re.search(r"rikssnitt\w*|riket", segment + after[:20], re.IGNORECASE):
            return "Riket"
    if measure == "budget" and topic in ("budget", "net_cost", "financial_net", "tax_and_grants", "result"):
        if not re.search(r"inklusive|inkl\b", segment, re.IGNORECASE):
            label = _nearest_label(segment, len(segment), rules.BUDGET_COMPONENTS) or _nearest_label(
                text[:first_segment_end], first_segment_end, rules.BUDGET_COMPONENTS)
            if label:
                return label
        sub = _nearest_label(segment, len(segment), [rules.SUBGROUPS[-1]])
        return sub or "total"
    participle = rules and PARTICIPLE_GROUP.search(text)
    if participle and topic in ("care_episodes", "visits", "care_days"):
        return f"{participle.group(1).lower()} {participle.group(3).strip()}"
    quoted = QUOTED.search(after) or QUOTED.search(segment)
    if quoted and topic in ("visits", "care_episodes"):
        return quoted.group(1).strip()
    excluding = EXCLUDING.search(segment) or EXCLUDING.search(text[:seg_start])
    if excluding and topic in ("remote", "visits"):
        word = re.sub(r"(en|na)$", "", excluding.group(2).lower())
        return f"exklusive {word}"
    if topic == "out_of_county" and memory.breakdown and GENERIC_COST.match(text):
        return memory.breakdown
    if topic in ("staff", "cost") and measure == "level":
        return "total"
    combined = _combined_label(explicit_orgs, text, seg_start + len(segment))
    if combined and topic == "hired_share":
        return combined
    label = _nearest_label(segment, len(segment), rules.SUBGROUPS) or _nearest_label(
        text[:first_segment_end], first_segment_end, rules.SUBGROUPS)
    if label == "distansbesök" and topic == "remote" and measure == "level" and token.unit in ("percent",):
        return "total"
    if label in ("läkarbesök", "sjukvårdande behandlingar") and re.search(r"läkarbesök och sjukvårdande behandlingar", text, re.IGNORECASE):
        return "total"
    if label and _label_fits(label, topic):
        return label
    return "total"


def _label_fits(label: str, topic: str) -> bool:
    groups = {
        "visits": {"läkarbesök", "sjukvårdande behandlingar", "distansbesök", "vaccinationsbesök"},
        "remote": {"distansbesök"},
        "hired": {"hyrsköterskor", "hyrsjuksköterskor", "hyrläkare"},
        "drug": {"diabetesläkemedel", "cancerläkemedel"},
        "employees": {"tillsvidareanställda", "vikarier och tillfälligt anställda"},
    }
    return label in groups.get(topic, set())


def _combined_label(mentions: list[OrgMention], text: str, limit: int) -> str | None:
    before = [m for m in mentions if m.end <= limit]
    for first, second in zip(before, before[1:]):
        if COMBINED_ORGS.match(text[first.end:second.start]):
            return text[first.start:second.end].lower()
    return None


def _nearest_label(text: str, position: int, labels) -> str | None:
    best, best_end = None, -1
    for label, pattern in labels:
        for match in pattern.finditer(text):
            if match.end() <= position + 40 and match.end() > best_end:
                best, best_end = label, match.end()
    return best


def _nearest_regex(text: str, pattern: re.Pattern) -> re.Match | None:
    last = None
    for match in pattern.finditer(text):
        last = match
    return last


def _age_label(match: re.Match) -> str:
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


def _sex(segment: str) -> str | None:
    found = [m for m in rules.SEX.finditer(segment) if not re.search(r"\bän\s*$", segment[:m.start()])]
    if not found:
        return None
    labels = {rules._SEX_LABEL.get(m.group(1).lower(), m.group(1).lower()) for m in found[-2:]}
    if len(labels) > 1 and re.search(r"mellan\s+\w+\s+och\s+\w+\s*$|\w+ och \w+", segment[found[-2].start():found[-1].end()]):
        return None
    label = found[-1].group(1).lower()
    return rules._SEX_LABEL.get(label, label)


def _signed_value(token: NumberToken, draft: FactDraft, text: str, segment: str, after: str, kpi_code: str) -> float:
    value = token.value
    if value < 0:
        draft.sign = -1
        return value
    if draft.sign is not None:
        return value * draft.sign
    signed = _signed(value, draft, text, segment, after)
    draft.sign = -1 if signed < 0 else 1
    return signed


def _signed(value: float, draft: FactDraft, text: str, segment: str, after: str) -> float:
    # the words after a number count only up to the next clause ('... ökat med 1,2 procent och
    # sjukvårdande behandlingar minskat med 12,2 procent')
    window = _clause_tail(segment) + " " + CLAUSE_BOUNDARY.split(after[:40])[0]
    if draft.measure == "budget":
        sign = _last_sign(window, rules.NEGATIVE_BUDGET, rules.POSITIVE_BUDGET)
        higher = re.search(r"\b(högre|lägre) än budget", window, re.IGNORECASE)
        if higher:
            cost = draft.topic in rules.COST_TOPICS
            is_higher = higher.group(1).lower() == "högre"
            sign = -1 if (is_higher == cost) else 1
        if sign is None and re.search(r"\bnegativ\w*", text, re.IGNORECASE) and not re.search(r"\bpositiv\w*", text, re.IGNORECASE):
            sign = -1
        if sign is None and draft.topic in rules.COST_TOPICS | {"budget"} and re.search(r"\bök(at|ade|ning)|högre", text, re.IGNORECASE):
            sign = -1
        return -value if sign == -1 else value
    if draft.measure == "change":
        sign = _last_sign(window, rules.NEGATIVE_CHANGE, rules.POSITIVE_CHANGE)
        return -value if sign == -1 else value
    return value


def _clause_tail(segment: str) -> str:
    return segment[-120:]


def _last_sign(window: str, negative: re.Pattern, positive: re.Pattern) -> int | None:
    best, position = None, -1
    for sign, pattern in ((-1, negative), (1, positive)):
        for match in pattern.finditer(window):
            if match.start() > position:
                best, position = sign, match.start()
    return best


def _period(ctx: PeriodContext, text: str, seg_start: int, token: NumberToken, next_start: int, kind: str,
            draft: FactDraft, section: Section, memory: ParagraphMemory) -> PeriodChoice:
    if draft.topic == "targeted_grant" and section.grant_section:
        return _grant_period(ctx, text, seg_start, token, next_start, section)
    if re.search(r"\b(under|för) samma period\b(?!\s+(i fjol|föregående|förra))", text[token.end:next_start] + text[seg_start:token.start], re.IGNORECASE) \
            and memory.last is not None and memory.last.period is not None:
        return memory.last.period
    choice = choose_period(ctx, text, seg_start, token.start, next_start, kind, inherited_previous=draft.previous,
                           token_end=token.end)
    if draft.topic == "savings_plan" and choice.scenario == "actual" and re.search(r"\binför \d{4}|för (hel)?året|helåret", text, re.IGNORECASE):
        s, e, t = ctx.full_year()
        return PeriodChoice(s, e, t, choice.scenario)
    return choice


def _grant_period(ctx, text, seg_start, token, next_start, section) -> PeriodChoice:
    """Agreements are reported per calendar year: the year named, the year heading, or the tense."""
    scenario = "forecast" if re.search(r"\bberäknas\b|\bprognos", text, re.IGNORECASE) else "actual"
    both = re.search(r"både (\d{4}) och (\d{4})", text)
    if both:
        return PeriodChoice(date(int(both.group(1)), 1, 1), date(int(both.group(2)), 12, 31), "year", scenario)
    window = text[max(0, seg_start - 10):next_start]
    years = [int(y) for y in re.findall(r"(?<![\d-])(20\d{2})(?![\d-])", window)
             if not re.search(rf"(sedan|under|från)\s+{y}", window, re.IGNORECASE)]
    if years:
        year = years[0]
    elif section.grant_year:
        year = section.grant_year
    elif PAST_TENSE.search(text):
        year = ctx.year - 1
    else:
        year = ctx.year
    return PeriodChoice(date(year, 1, 1), date(year, 12, 31), "year", scenario)


def _source(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_SOURCE_TEXT else text[: MAX_SOURCE_TEXT - 1] + "…"
