"""Headings, and what one says about the text under it: the unit it is about, a measure, a
forecast and its period, an agreement's area and year, a staff group."""

from __future__ import annotations

import re
from dataclasses import replace

from . import lexicon
from . import text_cues as cues
from . import time_expressions as times
from .organisations import OrgMention, coordinated
from .statement_context import Section
from .time_expressions import PeriodReference

_CHAPTER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")
_NOT_HEADING = re.compile(r"^(Figur|Tabell|Diagram|Bild|Källa|Sida)\b|^\W|^\d{4}-\d{2}-\d{2}", re.IGNORECASE)
# A unit in a heading after these words is the section's subject ('Tillgänglighet till primärvård').
_SCOPE_BEFORE = re.compile(r"(?<![\w-])(?:inom|i|till|för|vid)\s+(?:den\s+|det\s+)?$", re.IGNORECASE)
# A heading that opens a section on agreements and targeted state grants.
_GRANT_HEADING = re.compile(
    r"överenskommelse|riktade\s+statsbidrag|riktade\s+statliga|statsbidrag\s+och\s+överenskommelser", re.IGNORECASE
)
# Headings that close such a section (a new chapter, an appendix).
_LEAVES_GRANTS = re.compile(
    r"^(?:\d+(?:\.\d+)*\s+|bilag|sammanfattning|ekonomi|personal|medarbetare|tillgänglighet|investering)", re.IGNORECASE
)


def heading_text(block: str) -> str | None:
    """The heading a block is, or None when it is running text."""
    text = block.strip()
    if not text or len(text) > 90 or _NOT_HEADING.search(text):
        return None
    if text[-1] in ".!?:;,":
        return None
    if re.search(r"\d+(,\d+)?\s*(%|procent|mnkr|mkr|miljoner|miljarder|kronor)", text):
        return None
    if len(text.split()) > 12:
        return None
    stripped = _CHAPTER.sub("", text)
    if not stripped or not (stripped[0].isupper() or stripped[0].isdigit()):
        return None
    return stripped


def next_section(
    text: str,
    previous: Section,
    mentions: list[OrgMention],
    reference: PeriodReference | None,
    list_lead: bool = False,
) -> Section:
    """The section a heading (or a list's lead-in line) opens after `previous`; `mentions` are
    the units the heading names."""
    measures = list(lexicon.find_measures(text))
    found = times.find(text)
    period = None
    if found and reference is not None:
        period = times.resolve(found[-1], reference, "flow")
    scenario = "forecast" if re.search(r"prognos", text, re.IGNORECASE) else None
    # 'Tandvård' heads a unit's section; 'Hälso- och sjukvårdens arbete med civilt försvar' an area
    named = [m for m in mentions if not m.is_genitive and (m.end - m.start) >= 0.6 * len(text.strip())]
    # 'Tillgänglighet till primärvård', 'Åtgärder inom hälso- och sjukvård': the unit the section is about
    scoped = [
        m
        for m in mentions
        if not m.is_genitive
        and m.level != "self"
        and _SCOPE_BEFORE.search(text[: m.start])
        and coordinated(text, m, mentions) is None  # 'för primärvård och tandvård': neither alone
    ]
    # a list's lead-in line is inside the section, about its unit; so is a heading that only
    # names a staff group ('Tandläkare' under 'Tandvården')
    staff_group = cues.PROFESSIONS.fullmatch(text.strip())
    inherited = previous.org if (list_lead or staff_group) and not previous.grant_section else None
    if previous.grant_section and list_lead:
        # 'och regionen fick ersättning för:' lists what the agreement paid for: same agreement
        return replace(previous, heading=text)
    if _GRANT_HEADING.search(text) and not named:
        return Section(heading=text, grant_section=True)
    if previous.grant_section and re.fullmatch(r"\s*((?:19|20)\d\d)\s*", text):
        return replace(previous, year=int(text.strip()))
    if previous.grant_section and not named and not _LEAVES_GRANTS.match(text):
        return Section(heading=text, grant_section=True, grant_area=text.strip())
    return Section(
        heading=text,
        org=(named or scoped)[0].name if (named or scoped) else inherited,
        measure=measures[0] if measures else None,
        scenario=scenario,
        period=period if scenario else None,
        is_list_lead=list_lead,
        staff_group=staff_group.group(1).lower() if staff_group else None,
    )
