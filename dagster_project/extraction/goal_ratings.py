"""Goal ratings: goal tables and sub-goal tables, with the status and scenario of each rating.

- Goal tables: 'Mål N. <goal text>  Mål kommer helt/delvis/inte uppfyllas' (the rating at the
  end of the goal's last line).
- Sub-goal tables ('Regionmål Delmål Prognos'), where each Delmål text is followed by its rating
  and the 'Mål N. <title>' labels float between them; there the sub-goals are numbered from the
  per-goal follow-up section further on ('Mål N. <title>' headings followed by their Delmål).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import org_units
from .normalise import fold
from .records import DocumentMeta, Extraction, GoalAssessment

_RATING = re.compile(
    r"(?P<phrase>"
    r"Mål(?:et)?\s+kommer\s+(?:att\s+)?(?P<k>helt|delvis|inte|ej)\s+(?:att\s+)?uppfyll\w*"
    r"|Mål(?:et)?\s+(?:är|uppfylls|bedöms)\s+(?P<a>helt|delvis|inte|ej)?\s*(?:vara\s+)?uppfyll\w*"
    r"|Mål(?:et)?\s+uppfylls\s+(?P<u>helt|delvis|inte|ej)"
    r"|(?P<bare>delvis|ej|inte)\s+uppfyllt"
    r"|Ingen\s+bedömning|Ingen|Inga\s+data|Ej\s+bedömt|Ej\s+bedömd"
    r")\s*\.?\s*$",
    re.IGNORECASE,
)

_STATUS_BY_WORD = {"helt": "met", "delvis": "partly_met", "inte": "not_met", "ej": "not_met"}


def rating_status(phrase: str) -> str:
    folded = fold(phrase)
    if folded.startswith(("ingen", "inga", "ej bedöm")):
        return "no_assessment"
    words = folded.split()
    for word in ("delvis", "inte", "ej"):
        if word in words:
            return _STATUS_BY_WORD[word]
    return "met"


def rating_scenario(phrase: str, header: str) -> str:
    """'kommer ... uppfyllas' and a 'Prognos' column are forecasts; 'är uppfyllt' is actual."""
    folded = fold(phrase)
    if "kommer" in folded or "prognos" in fold(header):
        return "forecast"
    if folded.startswith(("ingen", "inga")) and "prognos" in fold(header):
        return "forecast"
    return (
        "actual"
        if not folded.startswith(("ingen", "inga"))
        else ("forecast" if "prognos" in fold(header) else "actual")
    )


def find_rating(text: str) -> re.Match | None:
    return _RATING.search(text)


GOAL_LINE = re.compile(r"^\s*Mål\s+(?P<number>[1-9]\d?)\s*[.:]\s*(?P<text>.*)$")


def _rated_unit(meta: DocumentMeta, lines: list[str], table_line: int) -> str:
    """Whose goals: the committee the goal section names ('riktat till nämnden', 'Hälso- och
    sjukvårdsnämndens verksamhetsplan'), else the region (goals directed 'till nämnderna')."""
    start = max(0, table_line - 80)
    for back in range(table_line - 1, start, -1):
        if re.match(r"^\s*Uppföljning av [\w ]*mål\s*$", lines[back - 1]):  # the section heading
            start = back - 1
            break
    window = " ".join(lines[start : table_line - 1])
    for match in re.finditer(r"([A-ZÅÄÖa-zåäö]+-\s+och\s+[a-zåäö]+nämnd|[A-ZÅÄÖa-zåäö]*nämnd)(en|ens|s)?\b", window):
        if match.group(0).lower().endswith(("nämnderna", "nämnders")):
            continue
        unit = org_units.find_unit(match.group(1), meta.region_code) or org_units.find_unit(
            match.group(1) + "en", meta.region_code
        )
        if unit:
            return unit.name
    return org_units.region_name(meta.region_code) or ""


def _period_end(meta: DocumentMeta, scenario: str) -> date | None:
    if meta.period_end is None:
        return None
    return date(meta.period_end.year, 12, 31) if scenario == "forecast" else meta.period_end


@dataclass
class _Rated:
    line: int  # where the rating stands
    text: str  # the item's text without the rating
    phrase: str
    first_line: int
    source: str


def _goal_rows(meta: DocumentMeta, lines: list[str], out: Extraction, used: set[int]) -> None:
    """'Mål N. text  <rating>' rows, the text possibly wrapped onto following lines."""
    index = 0
    table_start, table_end, unit = None, 0, ""
    while index < len(lines):
        match = GOAL_LINE.match(lines[index])
        if not match or index + 1 in used:
            index += 1
            continue
        parts = [(index + 1, lines[index].strip())]
        cursor = index + 1
        rating = find_rating(lines[index])
        while rating is None and cursor < len(lines) and lines[cursor].strip() and len(parts) < 4:
            if GOAL_LINE.match(lines[cursor]):
                break
            parts.append((cursor + 1, lines[cursor].strip()))
            rating = find_rating(lines[cursor])
            cursor += 1
        if rating is None:
            index += 1
            continue
        rating_line = parts[-1][0]
        text = " ".join(p for _, p in parts)
        phrase = rating.group("phrase")
        goal_text = re.sub(r"\s+", " ", text[: len(text) - len(parts[-1][1]) + rating.start()]).strip()
        goal_text = GOAL_LINE.match(goal_text).group("text").strip() if GOAL_LINE.match(goal_text) else goal_text
        header = _table_header(lines, index)
        scenario = rating_scenario(phrase, header)
        if table_start is None or index > table_end + 6:
            table_start, unit = index + 1, _rated_unit(meta, lines, index + 1)
        table_end = cursor
        out.goals.append(
            GoalAssessment(
                document=meta.document,
                org_unit=unit,
                goal_number=int(match.group("number")),
                sub_goal=None,
                goal_text=goal_text,
                status=rating_status(phrase),
                scenario=scenario,
                period_end=_period_end(meta, scenario),
                source_line=rating_line,
                source_text=text,
                extraction_method="goals:goal_table",
            )
        )
        used.update(n for n, _ in parts)
        index = cursor if cursor > index + 1 else index + 1


def _table_header(lines: list[str], index: int) -> str:
    """The nearest header line above a goal table row ('Regionmål Prognos')."""
    for back in range(index - 1, max(-1, index - 40), -1):
        if re.match(r"^\s*Regionmål\b", lines[back]):
            return lines[back]
    return ""


# ----------------------------------------------------------------------------------------
# Sub-goal tables: 'Regionmål Delmål Prognos'


def _goal_sections(lines: list[str], after: int) -> list[tuple[int, str, list[str]]]:
    """Per-goal follow-up: 'Mål N. title' headings and the Delmål titles under each (the
    paragraph right before each 'Analys'/'Kommentar' line)."""
    sections: list[tuple[int, str, list[str]]] = []
    paragraph: list[str] = []
    for index in range(after, len(lines)):
        text = lines[index].strip()
        heading = GOAL_LINE.match(text)
        if heading and not find_rating(text):
            sections.append((int(heading.group("number")), heading.group("text").strip(), []))
            paragraph = []
            continue
        if not text:
            continue
        if fold(text) in ("analys", "kommentar") and sections:
            if paragraph:
                sections[-1][2].append(" ".join(paragraph))
            paragraph = []
            continue
        if text.lower().startswith("uppföljning av fullmäktiges uppdrag"):
            break
        # a sub-goal title is a short run of lines just before 'Analys'; keep the last run
        previous = lines[index - 1].strip() if index else ""
        if not previous or fold(previous) in ("indikatorer",) or re.match(r"^\d+$", previous):
            paragraph = []
        paragraph.append(text)
    return sections


def _similar(a: str, b: str) -> float:
    left, right = set(fold(a).split()), set(fold(b).split())
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _sub_goal_table(meta: DocumentMeta, lines: list[str], out: Extraction, used: set[int]) -> None:
    for header_index, header in enumerate(lines):
        if not re.match(r"^\s*Regionmål\s+Delmål\b", header):
            continue
        items: list[_Rated] = []
        current: list[tuple[int, str]] = []
        index = header_index + 1
        goal_labels: list[tuple[int, str]] = []  # (number, rest of the label line)
        while index < len(lines):
            text = lines[index].strip()
            if not text:
                index += 1
                continue
            label = GOAL_LINE.match(text)
            if label and not find_rating(text):
                goal_labels.append((int(label.group("number")), label.group("text")))
                # the rest of the line may carry Delmål text after the goal title: kept aside
                current.append((index + 1, "\x00" + label.group("text")))
                index += 1
                continue
            rating = find_rating(text)
            if rating:
                before = text[: rating.start()].strip()
                if before:
                    current.append((index + 1, before))
                items.append(
                    _Rated(
                        index + 1,
                        " ".join(t for _, t in current),
                        rating.group("phrase"),
                        current[0][0] if current else index + 1,
                        " ".join(t.lstrip("\x00") for _, t in current) + " " + rating.group("phrase"),
                    )
                )
                current = []
                index += 1
                continue
            if len(text) > 80 or re.match(r"^Uppföljning av\b", text) or len(current) > 12:
                break  # the table ends where running text or the follow-up section starts
            current.append((index + 1, text))
            index += 1
        if not items:
            continue
        end_index = index
        sections = _goal_sections(lines, end_index)
        titles = {number: title for number, title, _ in sections}
        ordered = [(number, position + 1, sub) for number, _, subs in sections for position, sub in enumerate(subs)]
        # remove goal titles (and their labels) from the items' text
        cleaned: list[str] = []
        for item in items:
            text = item.text
            for title in titles.values():
                text = text.replace("\x00" + title, "").replace(title, "", 1) if ("\x00" + title) in text else text
            text = re.sub(r"\x00\S.*?(?=\s|$)", "", text) if "\x00" in text else text
            cleaned.append(re.sub(r"\s+", " ", text.replace("\x00", "")).strip())
        assignments = _align(cleaned, ordered)
        unit = _rated_unit(meta, lines, header_index + 1)
        for item, text, assigned in zip(items, cleaned, assignments):
            if assigned is None:
                continue
            number, position = assigned
            scenario = rating_scenario(item.phrase, header)
            out.goals.append(
                GoalAssessment(
                    document=meta.document,
                    org_unit=unit,
                    goal_number=number,
                    sub_goal=f"{number}.{position}",
                    goal_text=text,
                    status=rating_status(item.phrase),
                    scenario=scenario,
                    period_end=_period_end(meta, scenario),
                    source_line=item.line,
                    source_text=re.sub(r"\s+", " ", item.source).strip(),
                    extraction_method="goals:sub_goal_table",
                )
            )
        used.update(range(header_index + 1, end_index + 1))


def _align(texts: list[str], ordered: list[tuple[int, int, str]]) -> list[tuple[int, int] | None]:
    """Give each summary item the (goal, position) of the follow-up sub-goal it names; items
    come in the same order, so a text match is searched from the last match on."""
    result: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        best, best_score = None, 0.0
        for offset in range(cursor, len(ordered)):
            score = _similar(text, ordered[offset][2])
            if score > best_score:
                best, best_score = offset, score
        if best is not None and best_score >= 0.5:
            result.append(ordered[best][:2])
            cursor = best + 1
        elif cursor < len(ordered) and len(texts) == len(ordered):
            result.append(ordered[cursor][:2])
            cursor += 1
        else:
            result.append(None)
    return result


def extract_goal_ratings(meta: DocumentMeta, lines: list[str], out: Extraction) -> None:
    """Sub-goal tables first; goal table rows on the lines they did not use."""
    used: set[int] = set()
    _sub_goal_table(meta, lines, out, used)
    _goal_rows(meta, lines, out, used)
