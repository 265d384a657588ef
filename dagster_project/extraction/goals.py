"""Goal ratings, assignments and the counts the text states about them.

- Goal tables: 'Mål N. <goal text>  Mål kommer helt/delvis/inte uppfyllas' (the rating at the
  end of the goal's last line), and sub-goal tables ('Regionmål Delmål Prognos') where each
  Delmål text is followed by its rating and the 'Mål N. <title>' labels float between them;
  there the sub-goals are numbered from the per-goal follow-up section further on
  ('Mål N. <title>' headings followed by their Delmål).
- Assignment tables under 'Uppdrag från X till Y': a status (Avslutad, Pågående, Klar med
  avvikelse ...), the assignment, comments, and the deadline date; slide lists under
  'FRÅN X TILL Y' with bullets and no status.
- Stated counts: 'Av de tio mål ... kommer 4 helt att uppfyllas, 1 delvis ...', 'Av 18
  indikatorer bedöms fyra gröna ...', 'tre av fyra mål', 'samtliga sex inriktningsmål', 'Av 20
  uppdrag är 12 avslutade', so they can be reconciled with the rated or listed items and with
  the statement's own total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import org_units
from .normalise import fold, sentences, blocks, split_sentences
from .records import Assignment, DocumentMeta, Extraction, GoalAssessment, StatedCount

# ----------------------------------------------------------------------------------------
# Ratings

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
    return "actual" if not folded.startswith(("ingen", "inga")) else ("forecast" if "prognos" in fold(header) else "actual")


def find_rating(text: str) -> re.Match | None:
    return _RATING.search(text)


_GOAL_LINE = re.compile(r"^\s*Mål\s+(?P<number>[1-9]\d?)\s*[.:]\s*(?P<text>.*)$")


def _rated_unit(meta: DocumentMeta, lines: list[str], table_line: int) -> str:
    """Whose goals: the committee the goal section names ('riktat till nämnden', 'Hälso- och
    sjukvårdsnämndens verksamhetsplan'), else the region (goals directed 'till nämnderna')."""
    start = max(0, table_line - 80)
    for back in range(table_line - 1, start, -1):
        if re.match(r"^\s*Uppföljning av [\w ]*mål\s*$", lines[back - 1]):  # the section heading
            start = back - 1
            break
    window = " ".join(lines[start: table_line - 1])
    for match in re.finditer(r"([A-ZÅÄÖa-zåäö]+-\s+och\s+[a-zåäö]+nämnd|[A-ZÅÄÖa-zåäö]*nämnd)(en|ens|s)?\b", window):
        if match.group(0).lower().endswith(("nämnderna", "nämnders")):
            continue
        unit = org_units.find_unit(match.group(1), meta.region_code) or org_units.find_unit(match.group(1) + "en", meta.region_code)
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
        match = _GOAL_LINE.match(lines[index])
        if not match or index + 1 in used:
            index += 1
            continue
        parts = [(index + 1, lines[index].strip())]
        cursor = index + 1
        rating = find_rating(lines[index])
        while rating is None and cursor < len(lines) and lines[cursor].strip() and len(parts) < 4:
            if _GOAL_LINE.match(lines[cursor]):
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
        goal_text = _GOAL_LINE.match(goal_text).group("text").strip() if _GOAL_LINE.match(goal_text) else goal_text
        header = _table_header(lines, index)
        scenario = rating_scenario(phrase, header)
        if table_start is None or index > table_end + 6:
            table_start, unit = index + 1, _rated_unit(meta, lines, index + 1)
        table_end = cursor
        out.goals.append(GoalAssessment(
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
        ))
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
        heading = _GOAL_LINE.match(text)
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
            label = _GOAL_LINE.match(text)
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
                items.append(_Rated(index + 1, " ".join(t for _, t in current), rating.group("phrase"),
                                    current[0][0] if current else index + 1,
                                    " ".join(t.lstrip("\x00") for _, t in current) + " " + rating.group("phrase")))
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
            for number, title in titles.items():
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
            out.goals.append(GoalAssessment(
                document=meta.document, org_unit=unit, goal_number=number, sub_goal=f"{number}.{position}",
                goal_text=text, status=rating_status(item.phrase), scenario=scenario,
                period_end=_period_end(meta, scenario), source_line=item.line,
                source_text=re.sub(r"\s+", " ", item.source).strip(), extraction_method="goals:sub_goal_table",
            ))
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


# ----------------------------------------------------------------------------------------
# Assignments

_STATUS_WORDS = {
    "avslutad": "completed", "avslutat": "completed", "klar": "completed", "klart": "completed",
    "genomförd": "completed", "pågående": "in_progress", "pågår": "in_progress", "påbörjad": "in_progress",
    "ej påbörjad": "not_started", "ej påbörjat": "not_started", "ej startad": "not_started", "inte påbörjad": "not_started",
}
_STATUS = re.compile(r"^\s*(?P<status>ej påbörjad|ej påbörjat|ej startad|inte påbörjad|avslutad|avslutat|klar|klart|genomförd|pågående|påbörjad)\b(?P<rest>.*)$", re.IGNORECASE)
_STATUS_TAIL = ("enligt plan", "med avvikelse", "med", "avvikelse", "enligt", "plan", "försenad", "ej enligt plan")
_SECTION = re.compile(r"^\s*(?:Uppdrag\s+)?från\s+(?P<from>.+?)\s+till\s+(?P<to>.+?)\s*$", re.IGNORECASE)
_DATE = re.compile(r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b")
_BULLET = re.compile(r"^\s*([•▪■●\-–*]|[\ue000-\uf8ff])\s*")


def _is_section(text: str) -> re.Match | None:
    match = _SECTION.match(text)
    if not match:
        return None
    # a heading, not a sentence: short, no full stop
    if len(text) > 90 or text.rstrip().endswith("."):
        return None
    if not (text.strip().lower().startswith("uppdrag") or text.strip().isupper()):
        return None
    return match


def _is_entry_boundary(previous: str) -> bool:
    folded = fold(previous)
    return (not previous.strip() or folded.endswith("slutdatum") or bool(_DATE.search(previous))
            or folded.startswith("status uppdrag") or bool(_is_section(previous)))


def _assignments(meta: DocumentMeta, lines: list[str], out: Extraction) -> None:
    section = None
    index = 0
    previous_text = ""
    while index < len(lines):
        text = lines[index].strip()
        heading = _is_section(text)
        if heading:
            section = (fold(heading.group("from")), heading.group("to").strip().lower())
            if text.isupper():
                index = _slide_list(meta, lines, index + 1, section, out)
                previous_text = ""
                continue
            index += 1
            previous_text = text
            continue
        if section is None or not text:
            index += 1
            continue
        if re.match(r"^\d+(\.\d+)*\s+[A-ZÅÄÖ]", text) or fold(text).startswith(("uppföljning av", "ekonomisk", "bilaga")):
            section = None
            index += 1
            continue
        if fold(text) in ("ej", "inte"):
            following = next((j for j in range(index + 1, min(len(lines), index + 3)) if lines[j].strip()), None)
            if following is not None and _STATUS.match(text + " " + lines[following].strip()):
                text = text + " " + lines[following].strip()
                index = following
        status = _STATUS.match(text)
        if status and (_is_entry_boundary(previous_text) or not _strip_tail(status.group("rest"))):
            index = _table_entry(meta, lines, index, status, section, out)
            previous_text = lines[index - 1].strip() if index else ""
            continue
        previous_text = text
        index += 1


def _strip_tail(rest: str) -> str:
    rest = rest.strip()
    changed = True
    while changed and rest:
        changed = False
        for tail in sorted(_STATUS_TAIL, key=len, reverse=True):
            if fold(rest).startswith(tail) and (len(rest) == len(tail) or not rest[len(tail)].isalpha()):
                rest = rest[len(tail):].strip()
                changed = True
                break
    return rest


def _table_entry(meta: DocumentMeta, lines: list[str], index: int, status: re.Match, section, out: Extraction) -> int:
    status_words = [status.group("status")]
    rest = status.group("rest").strip()
    title_rest = _strip_tail(rest)
    if rest and title_rest != rest:
        status_words.append(rest[: len(rest) - len(title_rest)].strip())
    start = index
    cursor = index + 1
    # status continuation lines ('enligt plan', 'med' / 'avvikelse')
    while not title_rest and cursor < len(lines):
        text = lines[cursor].strip()
        if not text:
            cursor += 1
            continue
        if fold(text) in _STATUS_TAIL:
            status_words.append(text)
            cursor += 1
            continue
        break
    title_parts: list[str] = [title_rest] if title_rest else []
    if not title_rest:
        while cursor < len(lines) and not lines[cursor].strip():
            cursor += 1
    while cursor < len(lines) and lines[cursor].strip():
        title_parts.append(lines[cursor].strip())
        cursor += 1
    title = _join_wrapped(title_parts)
    # the entry runs to its deadline date (or the next status line)
    deadline = None
    end = cursor
    while end < len(lines):
        text = lines[end].strip()
        if _DATE.search(text):
            deadline = _DATE.search(text).group(0)
            end += 1
            break
        if _is_section(text) or (_STATUS.match(text) and _is_entry_boundary(lines[end - 1].strip()) and end > cursor + 1):
            break
        end += 1
    status_text = " ".join(status_words).strip()
    out.assignments.append(Assignment(
        document=meta.document,
        assignment_text=title,
        from_body=section[0],
        to_body=section[1],
        status=_STATUS_WORDS.get(status.group("status").lower()),
        status_text=status_text,
        deadline=deadline,
        source_line=start + 1,
        source_text=f"{status_text} {title}".strip(),
        extraction_method="goals:assignment_table",
    ))
    return end


def _join_wrapped(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower() and not re.search(r"\s(och|eller)$", part):
            text = text[:-1] + part if not re.search(r"\w-\s*$", text[-3:]) or part.split()[0] not in ("och", "eller") else text + " " + part
        else:
            text = f"{text} {part}".strip()
    return re.sub(r"\s+", " ", text).strip()


def _slide_list(meta: DocumentMeta, lines: list[str], index: int, section, out: Extraction) -> int:
    """Bulleted assignments on a slide under 'FRÅN X TILL Y'; no status."""
    items: list[tuple[int, list[str]]] = []
    blanks = 0
    while index < len(lines):
        text = lines[index].strip()
        if not text:
            blanks += 1
            if blanks >= 3:
                break
            index += 1
            continue
        if _is_section(text) or (text.isupper() and len(text) > 3):
            break
        bullet = _BULLET.match(lines[index])
        if bullet:
            items.append((index + 1, [text[bullet.end() - (len(lines[index]) - len(lines[index].lstrip())):].strip()]))
        elif items:
            items[-1][1].append(text)
        blanks = 0
        index += 1
    for line, parts in items:
        body = _join_wrapped(parts)
        out.assignments.append(Assignment(
            document=meta.document, assignment_text=body, from_body=section[0], to_body=section[1],
            status=None, status_text=None, deadline=None, source_line=line, source_text=body,
            extraction_method="goals:assignment_list",
        ))
    return index


# ----------------------------------------------------------------------------------------
# Stated counts
#
# Any statement of how many goals, sub-goals, indicators, assignments or measures there are,
# or how many of them have a rating or status: 'Av de tio mål ... kommer 4 helt att uppfyllas',
# 'tre av fyra mål uppfylls', 'samtliga sex inriktningsmål', 'Av 20 uppdrag är 12 avslutade'.
# The quality rules compare them with the items the document rates or lists, and the parts of
# one statement with its total.

_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
    "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20,
}
# A goal word: 'mål', 'målen' and compounds ending in it ('inriktningsmål', 'verksamhetsmålen');
# a few compounds are no goals ('ändamål', 'önskemål').
_GOAL_WORD = re.compile(r"[a-zåäö-]*mål(?:en|et)?")
_NOT_GOALS = ("ändamål", "önskemål", "spörsmål", "tvistemål", "brottmål")
# Words that make a sentence worth reading for counts: a rating, a status or a total.
_COUNT_SIGNAL = ("uppfyll", "uppnå", "bedöm", "grön", "gul", "röd", "saknar", "antagit", "avslut", "pågå",
                 "påbörja", "klar", "genomför", "slutför", "samtliga", "totalt")
# words after 'en'/'ett' that make it a count ('en som delvis', 'ett uppfylls'), not an article
_AFTER_ONE = ("som", "av", "grön", "gul", "röd", "delmål", "mål", "indikator", "uppdrag", "åtgärd", "uppfyll",
              "uppnå", "delvis", "inte", "ej", "avslut", "pågå", "klar")
# The categories a count of each subject can take; others are misreadings.
_CATEGORIES = {
    "goals": ("total", "met", "partly_met", "not_met", "no_assessment"),
    "sub_goals": ("total", "met", "partly_met", "not_met", "no_assessment"),
    "indicators": ("total", "met", "partly_met", "not_met", "no_assessment", "green", "yellow", "red"),
    "assignments": ("total", "completed", "in_progress", "not_started"),
    "measures": ("total", "completed", "in_progress", "not_started"),
}
_NOT_A_COUNT_AFTER = ("procent", "%", "mnkr", "miljoner", "kronor", "personer", "dagar", "år", "procentenheter",
                      "timmar", "veckor", "månader")


def _count(word: str) -> int | None:
    if re.fullmatch(r"\d{1,3}", word):
        return int(word)
    return _NUMBER_WORDS.get(word.lower())


def _count_at(words: list[str], position: int) -> int | None:
    token = words[position].strip(".,;:()")
    value = _count(token)
    if value is None:
        return None
    if token.lower() in ("en", "ett"):
        following = words[position + 1].lower() if position + 1 < len(words) else ""
        if not following.startswith(_AFTER_ONE):
            return None
    before = words[position - 1].lower() if position else ""
    if before.startswith("mål") or before in ("vecka", "kapitel", "nr", "tabell", "sida", "figur", "bilaga"):
        return None  # 'mål 1' names a goal, it is not a count
    return value


def _subject(word: str) -> str | None:
    lowered = word.lower().strip(".,;:()\"'”“")
    if lowered.startswith("delmål"):
        return "sub_goals"
    if lowered.startswith("indikator"):
        return "indicators"
    if lowered.startswith("uppdrag"):
        return "assignments"
    if lowered.startswith("åtgärd"):
        return "measures"
    if _GOAL_WORD.fullmatch(lowered) and not lowered.startswith(_NOT_GOALS):
        return "goals"
    return None


def _category(window: list[str]) -> str | None:
    words = [w.lower().strip(".,;:") for w in window]
    has = lambda *stems: any(w.startswith(stems) for w in words)  # noqa: E731
    negated = has("inte", "ej")
    if ("saknar" in words and has("bedömning")) or (negated and has("bedöm")):
        return "no_assessment"
    if "delvis" in words:
        return "partly_met"
    if negated and has("uppfyll", "uppnå", "uppnås"):
        return "not_met"
    if has("uppfyll", "uppnå"):
        return "met"
    if has("grön"):
        return "green"
    if has("gul"):
        return "yellow"
    if has("röd"):
        return "red"
    if negated and has("påbörja", "start"):
        return "not_started"
    if has("avslut", "klar", "genomför", "slutför"):
        return "completed"
    if has("pågå", "påbörja"):
        return "in_progress"
    return None


def _window(words: list[str], start: int, stop: int) -> list[str]:
    """The words after a count up to the end of its clause (a comma, semicolon or full stop),
    the next count or eight words."""
    window = []
    for word in words[start: min(stop, start + 9)]:
        window.append(word)
        if word.endswith((",", ";", ".")):
            break
    return window


def _window_subject(window: list[str]) -> str | None:
    subject = next((s for s in (_subject(w) for w in window[:3]) if s), None)
    if subject is None and window[:1] and window[0].lower() == "av":  # 'en av målen', 'fyra av indikatorerna'
        subject = next((s for s in (_subject(w) for w in window[1:4]) if s), None)
    return subject


def _stated_counts(meta: DocumentMeta, lines: list[str], out: Extraction) -> None:
    scope = None
    for block in blocks(lines):
        heading = _GOAL_LINE.match(block.text)
        head_lines = " ".join(lines[block.first_line - 1: block.first_line + 2])
        if heading and not re.search(r"Mål(?:et)? kommer|\bIngen\b|Inga data|uppfyll", head_lines):
            scope = f"Mål {heading.group('number')}"
        subject = None
        for sentence in split_sentences(block):
            text = sentence.text
            folded = fold(text)
            scope_match = re.search(r"\b(?:mot|för|inom)\s+mål\s+(\d{1,2})\b", text, re.IGNORECASE)
            if scope_match:
                scope = f"Mål {scope_match.group(1)}"
            matches = list(re.finditer(r"\S+", text))
            words = [m.group(0) for m in matches]
            if not any(signal in folded for signal in _COUNT_SIGNAL) or _is_rating_row(text):
                for position, word in enumerate(words):
                    if position and words[position - 1].lower() in ("mot", "för", "inom"):
                        continue
                    subject = _subject(word) or subject
                continue
            counts = [(position, _count_at(words, position)) for position in range(len(words))]
            counts = [(position, value) for position, value in counts if value is not None]
            part_of: dict[int, int] = {}  # 'X av Y': X's position -> Y's position
            for number in range(len(counts) - 1):
                position, next_position = counts[number][0], counts[number + 1][0]
                between = [w.lower().strip(",") for w in words[position + 1: next_position]]
                if between in (["av"], ["av", "de"], ["av", "dessa"], ["av", "totalt"]):
                    part_of[position] = next_position
            totals = set(part_of.values())
            stops = {position: (counts[n + 1][0] if n + 1 < len(counts) else len(words)) for n, (position, _) in enumerate(counts)}
            for position, value in counts:
                # 'tre av fyra mål uppfylls': the clause after the total says what the part is
                clause_start = part_of.get(position, position) + 1
                window = _window(words, clause_start, stops.get(part_of.get(position, position), len(words)))
                if window and window[0].lower().strip(".,") in _NOT_A_COUNT_AFTER:
                    continue
                window_subject = _window_subject(window)
                if (position in totals or position in part_of) and window_subject is None:
                    continue  # 'fyra av 12 basenheter': a count of something else
                category = _category(window)
                all_of = _is_total(matches, position)
                if position in totals or (category is None and window_subject is not None and all_of):
                    category = "total"
                subject_here = window_subject or subject
                if window_subject:
                    subject = window_subject
                if category is None or subject_here is None:
                    continue
                categories = [category]
                # 'samtliga sex mål uppfylls': six goals, and six met
                if category != "total" and all_of and position not in part_of and _says_all(matches, position):
                    categories.insert(0, "total")
                for stated in categories:
                    if stated not in _CATEGORIES[subject_here]:
                        continue
                    out.stated_counts.append(StatedCount(
                        document=meta.document, subject=subject_here, category=stated, value=float(value),
                        source_line=sentence.line_at(matches[position].start()), source_text=text,
                        extraction_method="goals:stated_count",
                        scope=None if subject_here in ("goals", "assignments") else scope,
                    ))


def _is_rating_row(text: str) -> bool:
    """A goal table row ending in its rating ('... Mål kommer delvis uppfyllas'), not a
    sentence counting goals that ends the same way ('tre av fyra mål uppfylls helt')."""
    rating = find_rating(text)
    if rating is None:
        return False
    before = text[: rating.start()].split()
    return not before or _count(before[-1].strip(".,;:()")) is None


def _is_total(words, position: int) -> bool:
    """'Av 18 indikatorer', 'Av de tio mål', 'antagit sju delmål', 'samtliga sex mål' state a total."""
    before = [w.group(0).lower() for w in words[max(0, position - 2): position]]
    return "av" in before or any(w.startswith(("antagit", "totalt", "samtliga", "alla")) for w in before)


def _says_all(words, position: int) -> bool:
    before = [w.group(0).lower() for w in words[max(0, position - 2): position]]
    return any(w.startswith(("samtliga", "alla")) for w in before)


# ----------------------------------------------------------------------------------------

def extract_goals(meta: DocumentMeta, lines: list[str]) -> Extraction:
    out = Extraction()
    used: set[int] = set()
    _sub_goal_table(meta, lines, out, used)
    _goal_rows(meta, lines, out, used)
    _assignments(meta, lines, out)
    _stated_counts(meta, lines, out)
    return out
