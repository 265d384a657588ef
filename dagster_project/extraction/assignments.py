"""Assignments ('uppdrag') from one body to another, with their status and deadline.

- Assignment tables under 'Uppdrag från X till Y': a status (Avslutad, Pågående, Klar med
  avvikelse ...), the assignment, comments, and the deadline date.
- Slide lists under 'FRÅN X TILL Y' with bullets and no status.
"""

from __future__ import annotations

import re

from .normalise import fold
from .records import Assignment, DocumentMeta, Extraction

_STATUS_WORDS = {
    "avslutad": "completed",
    "avslutat": "completed",
    "klar": "completed",
    "klart": "completed",
    "genomförd": "completed",
    "pågående": "in_progress",
    "pågår": "in_progress",
    "påbörjad": "in_progress",
    "ej påbörjad": "not_started",
    "ej påbörjat": "not_started",
    "ej startad": "not_started",
    "inte påbörjad": "not_started",
}
_STATUS = re.compile(
    r"^\s*(?P<status>ej påbörjad|ej påbörjat|ej startad|inte påbörjad|avslutad|avslutat|klar|klart|genomförd|pågående|påbörjad)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
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
    return (
        not previous.strip()
        or folded.endswith("slutdatum")
        or bool(_DATE.search(previous))
        or folded.startswith("status uppdrag")
        or bool(_is_section(previous))
    )


def extract_assignments(meta: DocumentMeta, lines: list[str], out: Extraction) -> None:
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
        if re.match(r"^\d+(\.\d+)*\s+[A-ZÅÄÖ]", text) or fold(text).startswith(
            ("uppföljning av", "ekonomisk", "bilaga")
        ):
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
                rest = rest[len(tail) :].strip()
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
        if _is_section(text) or (
            _STATUS.match(text) and _is_entry_boundary(lines[end - 1].strip()) and end > cursor + 1
        ):
            break
        end += 1
    status_text = " ".join(status_words).strip()
    out.assignments.append(
        Assignment(
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
        )
    )
    return end


def _join_wrapped(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower() and not re.search(r"\s(och|eller)$", part):
            text = (
                text[:-1] + part
                if not re.search(r"\w-\s*$", text[-3:]) or part.split()[0] not in ("och", "eller")
                else text + " " + part
            )
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
            items.append((index + 1, [text[bullet.end() - (len(lines[index]) - len(lines[index].lstrip())) :].strip()]))
        elif items:
            items[-1][1].append(text)
        blanks = 0
        index += 1
    for line, parts in items:
        body = _join_wrapped(parts)
        out.assignments.append(
            Assignment(
                document=meta.document,
                assignment_text=body,
                from_body=section[0],
                to_body=section[1],
                status=None,
                status_text=None,
                deadline=None,
                source_line=line,
                source_text=body,
                extraction_method="goals:assignment_list",
            )
        )
    return index
