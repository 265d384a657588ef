"""A statement's scenario (actual, forecast, target, or none of these: a hypothetical, an
assignment) and the period it covers, from its clause first and the document last."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from . import lexicon
from . import text_cues as cues
from . import time_expressions as times
from .clauses import ALTERNATIVE, APPOSITION, NEW
from .lexicon import BUDGET_DEVIATION, MeasureMatch
from .statement_context import HANGING, VERB, Number, SentenceContext, segment
from .time_expressions import ResolvedPeriod, TimeExpression


def predicate_after(ctx: SentenceContext, index: int) -> str:
    """'Det allra största underskottet, 105 miljoner kronor, förväntas hälso- och sjukvården få':
    a figure set off as an apposition belongs to the predicate that follows it."""
    clause = ctx.clauses[index]
    if (
        clause.link == APPOSITION
        and index + 1 < len(ctx.clauses)
        and ctx.clauses[index + 1].link == NEW
        and len(clause.text.split()) <= 5
    ):
        return ctx.clauses[index + 1].text
    return ""


def scenario_of(
    ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, aspect: str, budget_figure: bool
) -> str | None:
    """actual, forecast, target, or None for a hypothetical, an assignment or a proposal."""
    clause = ctx.clauses[index]
    lead, tail = segment(ctx, index, number)
    own = _without_measure_names(ctx, clause.start, number.end + len(tail)) + " " + predicate_after(ctx, index)
    if index > 0 and ctx.text[: clause.start].rstrip().endswith(":"):
        # 'Region Västerbottens målsättning 2025: 3,7 %': the label says what the value is
        own = _without_measure_names(ctx, ctx.clauses[index - 1].start, clause.start) + " " + own
    if (
        cues.HYPOTHETICAL.search(ctx.text[: number.start])
        and not cues.HYPOTHETICAL.search(ctx.text[number.end :])
        and re.search(r"\bom\b", ctx.text[: number.start], re.IGNORECASE)
        and _hypothetical_sentence(ctx.text)
    ):
        return None
    if cues.ASSIGNMENT.search(own):
        return None
    if budget_figure:
        return "target"
    if measure.measure == "savings_plan":
        return "target" if (cues.TARGET.search(ctx.text) or cues.CONDITIONAL.search(own)) else "actual"
    if cues.CONDITIONAL.search(own) and cues.TARGET.search(ctx.text[: number.end]):
        return "target"  # 'kravet ... var att regionen skulle uppnå ... 70 procent'
    if cues.CONDITIONAL.search(own):
        return None
    if cues.FORECAST.search(own):
        return "forecast"
    if aspect != BUDGET_DEVIATION and cues.TARGET.search(own):
        return "target"
    if cues.ACTUAL.search(own):
        return "actual"
    earlier = ctx.decided[index - 1] if index > 0 and index - 1 < len(ctx.decided) else None
    if earlier is not None and earlier.scenario and clause.link in HANGING:
        return earlier.scenario
    if cues.FORECAST.search(ctx.text[: clause.start]):
        return "forecast"  # 'Prognosen för årets resultat, som ..., visar på ett negativt resultat ...'
    if ctx.section.scenario:
        return ctx.section.scenario
    return "actual"


def _without_measure_names(ctx: SentenceContext, start: int, end: int) -> str:
    """The text of [start, end) with measure names that hold a forecast or actual word blanked,
    so 'förväntad effekt' (a measure) is not read as a forecast. Other names stay: 'ett av
    målen' says target although 'målen' is a measure."""
    chars = list(ctx.text[start:end])
    for match in ctx.measures:
        if not (cues.FORECAST.search(match.text) or cues.ACTUAL.search(match.text)):
            continue
        for position in range(max(match.start, start), min(match.end, end)):
            chars[position - start] = " "
    return "".join(chars)


def _hypothetical_sentence(text: str) -> bool:
    return bool(re.search(r"^\W*om\b|\bom\s+[^,.]{3,80}?(?:skulle|inkluderas|räknas|tas\s+med)\b", text, re.IGNORECASE))


def period_of(
    ctx: SentenceContext, index: int, number: Number, measure: MeasureMatch, scenario: str, aspect: str
) -> tuple[ResolvedPeriod | None, str]:
    reference = ctx.reading.reference
    time_kind = lexicon.measures()[measure.measure].time_kind if measure.measure in lexicon.measures() else "flow"
    clause = ctx.clauses[index]
    lead, tail = segment(ctx, index, number)
    own = [t for t in ctx.in_clause(ctx.times, index) if not t.is_comparison and not (t.start <= number.start < t.end)]
    if cues.FROM_VALUE.search(lead) and not [t for t in own if number.end <= t.start <= number.end + 15]:
        # 'ökat från 5,2 till 5,5 procent': the first figure is the earlier period's
        compared = [
            t for t in ctx.times if t.is_comparison and t.kind in ("year", "previous_year", "same_period_previous")
        ]
        if compared and reference is not None:
            period = times.resolve(replace(compared[0], is_comparison=False), reference, time_kind)
            if period is not None:
                return period, "sentence"
        if reference is not None:
            return times.resolve(
                times.TimeExpression("previous_year", 0, 0, "", False, {}), reference, time_kind
            ), "sentence"
    if not own and index > 0 and ctx.text[: clause.start].rstrip().endswith(":"):
        # 'målsättning 2025: 3,7 %': the label dates the value
        own = [t for t in ctx.in_clause(ctx.times, index - 1) if not t.is_comparison]
    chosen = _nearest_time(own, number)
    source = "clause"
    attributed = [
        t
        for t in ctx.in_clause(ctx.times, index)
        if t.is_comparison
        and t.end <= number.start
        and re.match(
            r"^[\s,]*(?:\w+\s+){0,2}?(?:som|då)\s+(?:\w+\s+){0,2}?(?:var|låg|uppgick|landade|hade)\b",
            ctx.text[t.end : number.start],
            re.IGNORECASE,
        )
    ]
    if attributed and (chosen is None or chosen.end <= attributed[-1].start or chosen.start >= number.end):
        # 'jämfört med samma period föregående år som var 115 miljoner', 'från januari då den var 6,0 procent'
        chosen = replace(attributed[-1], is_comparison=False)
    if chosen is None and clause.link == ALTERNATIVE and index > 0 and ctx.text[: clause.start].rstrip().endswith("("):
        # '... högre än föregående år (123,1 mnkr)': the figure in brackets is the one compared with
        previous = ctx.clauses[index - 1]
        compared = [
            t
            for t in ctx.times
            if previous.start <= t.start < previous.end
            and t.is_comparison
            and ctx.text[t.end : previous.end].strip(" ,") == ""
        ]
        if compared:
            chosen, source = replace(compared[-1], is_comparison=False), "sentence"
    if chosen is None and reference is not None:
        earlier = _inherited_period(ctx, index)
        if earlier is not None:
            if (
                scenario in ("forecast", "target")
                and time_kind != "stock"
                and earlier.period_type in ("year_to_date", "month")
            ):
                return times.full_year(earlier.end.year), "sentence"  # 'Årsprognosen efter fyra månader är ...'
            return earlier, "sentence"
    if reference is None:
        return None, "document"
    if chosen is not None and chosen.kind == "same_period_anaphoric":
        spoken_of = _period_spoken_of(ctx, index)
        if spoken_of is not None:
            return spoken_of, "sentence"
        chosen = None  # nothing said before: the period is the document's
    if chosen is not None:
        if chosen.kind == "season":
            return None, "season"  # 'korttidsfrånvaron som ökade hösten 2022 minskat till 2,5 procent'
        if chosen.kind == "multi_year":
            start_year = next((int(t.groups["y"]) for t in ctx.times if t.kind == "year"), reference.year)
            span = times.multi_year_span(chosen, start_year)
            return span, source
        if scenario in ("forecast", "target") and chosen.kind == "year" and time_kind != "stock":
            return times.full_year(int(chosen.groups["y"])), source
        if (
            scenario in ("forecast", "target")
            and chosen.kind in ("month_ytd", "tertial", "document_period", "months_elapsed")
            and time_kind != "stock"
            and not re.search(r"perioden", chosen.text, re.IGNORECASE)
        ):
            # 'prognos per april': the date a forecast was made, not the period it covers
            return times.full_year(reference.year), source
        period = times.resolve(chosen, reference, time_kind)
        rolling = [t for t in ctx.times if t.kind == "rolling" and t is not chosen]
        if period is not None and rolling and chosen.kind in ("month", "month_ytd") and time_kind != "stock":
            # 'sjukfrånvaron över 12 månader ... 6,0 procent för mars 2023': twelve months to that month
            end = period.end
            return ResolvedPeriod(times.first_of_month_back(end, 11), end, "rolling_12_months"), source
        if period is not None:
            return period, source
    previous = ctx.previous_sentence
    if (
        previous is not None
        and previous.period is not None
        and previous.period_source not in (None, "document")
        and not VERB.search(ctx.text)
        and ":" not in ctx.text
        and previous.scenario == scenario
    ):
        # 'Positiv budgetavvikelse för verksamhetens nettokostnader på 68 miljoner kronor.' has no
        # verb: it goes on with the sentence before, and in that sentence's period ('Label: value'
        # lines of a slide or a monthly report stand each on their own)
        return previous.period, "sentence"
    if ctx.section.period is not None:
        return ctx.section.period, "heading"
    if (scenario in ("forecast", "target") or measure.measure == "savings_plan") and time_kind != "stock":
        # a forecast, a target and an action plan are for the year, whenever they are reported
        return times.full_year(reference.year), "document"
    return times.document_period(reference, time_kind), "document"


def _period_spoken_of(ctx: SentenceContext, index: int) -> ResolvedPeriod | None:
    """The period an earlier clause or the sentence before named ('under samma period')."""
    for position in range(index - 1, -1, -1):
        earlier = ctx.decided[position] if position < len(ctx.decided) else None
        if earlier is not None and earlier.period is not None and earlier.period_source != "document":
            return earlier.period
    previous = ctx.previous_sentence
    if previous is not None and previous.period is not None and previous.period_source != "document":
        return previous.period
    return None


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
    if clause.link in HANGING:
        for position in range(index - 1, -1, -1):
            earlier = ctx.decided[position] if position < len(ctx.decided) else None
            if earlier is not None and earlier.period is not None and earlier.period_source != "document":
                return earlier.period
            if ctx.clauses[position].link not in HANGING:
                break
    previous = ctx.clauses[index - 1]
    if clause.link == NEW and not [n for n in ctx.numbers if previous.start <= n.start < previous.end]:
        # a lead-in without figures ('Under 2023, ...') sets the time for the clause after it
        lead_times = [t for t in ctx.times if previous.start <= t.start < previous.end and not t.is_comparison]
        if lead_times and ctx.reading.reference is not None:
            return times.resolve(lead_times[-1], ctx.reading.reference, "flow")
    return None


_GRANT_COMPONENTS = [
    ("grundbelopp", re.compile(r"grundbelopp\w*", re.IGNORECASE)),
    ("bonuspott", re.compile(r"bonuspott\w*", re.IGNORECASE)),
    ("ersättning", re.compile(r"\bi\s+ersättning\b", re.IGNORECASE)),
    ("länsgemensamma insatser", re.compile(r"länsgemensamma\s+insatser", re.IGNORECASE)),
    ("gemensamma medel med kommunerna", re.compile(r"gemensamma\s+medel\s+med\s+kommunerna", re.IGNORECASE)),
    # 'drygt 4,3 mnkr, baserad på befolkningsmängd', 'tilldelning i relation till befolkningsandel 6,2 mnkr'
    (
        "befolkningsbaserad del",
        re.compile(r"(?:baserad\w*\s+på|i\s+relation\s+till|utifrån|efter)\s+befolknings\w+", re.IGNORECASE),
    ),
]


# 'knappt 18 mnkr och avsåg både 2021 och 2022': one amount for two years
_BOTH_YEARS = re.compile(
    r"^[^.;]{0,40}?\b(?:avsåg|avser|gäller|gällde|för)\s+(?:både\s+)?((?:19|20)\d\d)\s+och\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_SET_ASIDE = re.compile(r"\b(?:pott(?:en)?|avsattes|avsätts|avsatts|avsatt)\b", re.IGNORECASE)
_REGION_RECEIVES = re.compile(r"(?i:\bregionen\b|\bregionens\b|\blandstinget\b)|\b[Rr]egion\s+[A-ZÅÄÖ]")
_NATIONAL_AMOUNT = re.compile(
    r"\bstaten\b|\briket\b|\bvarje\s+region\b|\brespektive\s+region\b|\bsamtliga\s+regioner\b|"
    r"\balla\s+regioner\b|\bregioner\s+och\s+kommuner\b",
    re.IGNORECASE,
)


_PAST_RECEIPT = re.compile(r"\b(?:erhöll|fick|tilldelades|beviljades|avsåg|uppgick|omfattade|var)\b", re.IGNORECASE)


def grant_component(window: str) -> str | None:
    """The part of an agreement an amount is ('grundbeloppet', 'länsgemensamma insatser')."""
    best, best_end = None, -1
    for label, pattern in _GRANT_COMPONENTS:
        for match in pattern.finditer(window):
            if match.end() > best_end:
                best, best_end = label, match.end()
    return best


def national_grant(ctx: SentenceContext, index: int, number: Number) -> bool:
    """An agreement's total for the whole country, not the region's share ('omfattar totalt 326
    mnkr varav regionen får 1,5 mnkr')."""
    lead, tail = segment(ctx, index, number)
    if re.match(r"^\W*(?:mnkr\s*)?varav\b", ctx.text[number.end : number.end + 30]) or re.search(
        r"miljard|mdkr", number.token.text, re.IGNORECASE
    ):
        return True
    if _SET_ASIDE.search(ctx.text) and not _REGION_RECEIVES.search(ctx.text):
        return True  # 'En mindre pott, 36 mnkr, avsattes för ...': money set aside for all regions
    return bool(
        _NATIONAL_AMOUNT.search(lead[-80:])
        and not re.search(r"regionens|regionen\b|region\s+[A-ZÅÄÖ]", lead[-40:])
        and grant_component(lead[-40:]) != "grundbelopp"
    )


def grant_year(ctx: SentenceContext, index: int, number: Number) -> ResolvedPeriod | None:
    """Agreements are reported per calendar year: the year named, the year heading, or the tense."""
    reference = ctx.reading.reference
    if reference is None:
        return None
    own = [
        t
        for t in ctx.in_clause(ctx.times, index)
        if t.kind == "year"
        and not t.is_comparison
        and not re.search(r"(?:sedan|från)\s*$", ctx.text[max(0, t.start - 8) : t.start], re.IGNORECASE)
    ]
    if not own:
        own = [
            t
            for t in ctx.times
            if t.kind == "year"
            and not t.is_comparison
            and t.end <= number.start
            and not re.search(r"(?:sedan|från)\s*$", ctx.text[max(0, t.start - 8) : t.start], re.IGNORECASE)
        ]
    both = _BOTH_YEARS.search(ctx.text[number.end :])
    if both:
        first, last = sorted((int(both.group(1)), int(both.group(2))))
        if last - first <= 5:
            return ResolvedPeriod(date(first, 1, 1), date(last, 12, 31), "multi_year")
    if own:
        return times.full_year(int(own[-1].groups["y"]))
    if ctx.section.year:
        return times.full_year(ctx.section.year)
    year = reference.year
    if reference.document_kind != "annual_report" and _PAST_RECEIPT.search(ctx.text[: number.start]):
        year -= 1  # 'regionen erhöll' in a report early in the year: what came in last year
    return times.full_year(year)
