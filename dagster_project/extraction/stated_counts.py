"""Stated counts: how many goals, sub-goals, indicators, assignments or measures a text says
there are, or have a rating or status.

'Av de tio mål ... kommer 4 helt att uppfyllas, 1 delvis ...', 'Av 18 indikatorer bedöms fyra
gröna ...', 'tre av fyra mål uppfylls', 'samtliga sex inriktningsmål', 'Av 20 uppdrag är 12
avslutade'. The quality rules compare them with the items the document rates or lists, and the
parts of one statement with its total.
"""

from __future__ import annotations

import re

from .goal_ratings import GOAL_LINE, find_rating
from .normalise import blocks, fold, split_sentences
from .records import DocumentMeta, Extraction, StatedCount

_NUMBER_WORDS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "nitton": 19,
    "tjugo": 20,
}
# A goal word: 'mål', 'målen' and compounds ending in it ('inriktningsmål', 'verksamhetsmålen');
# a few compounds are no goals ('ändamål', 'önskemål').
_GOAL_WORD = re.compile(r"[a-zåäö-]*mål(?:en|et)?")
_NOT_GOALS = ("ändamål", "önskemål", "spörsmål", "tvistemål", "brottmål")
# Words that make a sentence worth reading for counts: a rating, a status or a total.
_COUNT_SIGNAL = (
    "uppfyll",
    "uppnå",
    "bedöm",
    "grön",
    "gul",
    "röd",
    "saknar",
    "antagit",
    "avslut",
    "pågå",
    "påbörja",
    "klar",
    "genomför",
    "slutför",
    "samtliga",
    "totalt",
)
# words after 'en'/'ett' that make it a count ('en som delvis', 'ett uppfylls'), not an article
_AFTER_ONE = (
    "som",
    "av",
    "grön",
    "gul",
    "röd",
    "delmål",
    "mål",
    "indikator",
    "uppdrag",
    "åtgärd",
    "uppfyll",
    "uppnå",
    "delvis",
    "inte",
    "ej",
    "avslut",
    "pågå",
    "klar",
)
# The categories a count of each subject can take; others are misreadings.
_CATEGORIES = {
    "goals": ("total", "met", "partly_met", "not_met", "no_assessment"),
    "sub_goals": ("total", "met", "partly_met", "not_met", "no_assessment"),
    "indicators": ("total", "met", "partly_met", "not_met", "no_assessment", "green", "yellow", "red"),
    "assignments": ("total", "completed", "in_progress", "not_started"),
    "measures": ("total", "completed", "in_progress", "not_started"),
}
_NOT_A_COUNT_AFTER = (
    "procent",
    "%",
    "mnkr",
    "miljoner",
    "kronor",
    "personer",
    "dagar",
    "år",
    "procentenheter",
    "timmar",
    "veckor",
    "månader",
)


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
    for word in words[start : min(stop, start + 9)]:
        window.append(word)
        if word.endswith((",", ";", ".")):
            break
    return window


def _window_subject(window: list[str]) -> str | None:
    subject = next((s for s in (_subject(w) for w in window[:3]) if s), None)
    if subject is None and window[:1] and window[0].lower() == "av":  # 'en av målen', 'fyra av indikatorerna'
        subject = next((s for s in (_subject(w) for w in window[1:4]) if s), None)
    return subject


def extract_stated_counts(meta: DocumentMeta, lines: list[str], out: Extraction) -> None:
    scope = None
    for block in blocks(lines):
        heading = GOAL_LINE.match(block.text)
        head_lines = " ".join(lines[block.first_line - 1 : block.first_line + 2])
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
                between = [w.lower().strip(",") for w in words[position + 1 : next_position]]
                if between in (["av"], ["av", "de"], ["av", "dessa"], ["av", "totalt"]):
                    part_of[position] = next_position
            totals = set(part_of.values())
            stops = {
                position: (counts[n + 1][0] if n + 1 < len(counts) else len(words))
                for n, (position, _) in enumerate(counts)
            }
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
                    out.stated_counts.append(
                        StatedCount(
                            document=meta.document,
                            subject=subject_here,
                            category=stated,
                            value=float(value),
                            source_line=sentence.line_at(matches[position].start()),
                            source_text=text,
                            extraction_method="goals:stated_count",
                            scope=None if subject_here in ("goals", "assignments") else scope,
                        )
                    )


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
    before = [w.group(0).lower() for w in words[max(0, position - 2) : position]]
    return "av" in before or any(w.startswith(("antagit", "totalt", "samtliga", "alla")) for w in before)


def _says_all(words, position: int) -> bool:
    before = [w.group(0).lower() for w in words[max(0, position - 2) : position]]
    return any(w.startswith(("samtliga", "alla")) for w in before)
