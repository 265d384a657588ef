"""A sentence cut into clauses, each knowing how it hangs on the one before.

Swedish report sentences chain several statements: 'Prognosen för helåret visar ett
underskott på 553 miljoner kronor, vilket är 557 miljoner kronor sämre än budget.' The
relative clause states the same measure's deviation from budget; 'I primärvården har
produktionen minskat med 11,0 procent och i sjukhusvården med 2,1 procent' leaves the verb
out of its second half. A clause records the link that tells what it may take over from the
clause before (measure, aspect, scenario, period, organisation).

Clauses are cut at punctuation (comma, semicolon, colon, a spaced dash, parentheses) and at a
conjunction standing between two numbers, never inside a protected span (a measure or unit
name such as 'skatteintäkter, generella statsbidrag och utjämning').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How a clause hangs on the one before it.
RELATIVE = "relative"  # ', vilket är 1 346 miljoner kronor högre än budget', ', då utfallet var ...'
APPOSITION = "apposition"  # ', en negativ avvikelse mot budget på 392 miljoner kronor', ', 105 miljoner kronor,'
ALTERNATIVE = "alternative"  # 'eller 2,8 procent', '(8 176 besök)', ', det motsvarar 7,6 procent'
COORDINATE = "coordinate"  # 'och i sjukhusvården med 2,1 procent', 'men fortfarande cirka 1 procent högre'
COMPARISON = "comparison"  # ', att jämföra med budgeterat resultat för perioden på -252 miljoner kronor'
NEW = "new"  # a clause of its own (the first one, or after a colon or semicolon)

_RELATIVE_START = re.compile(r"^(?:vilket|vilka|vilken|som|där|då|varav|varvid)\b", re.IGNORECASE)
_ALTERNATIVE_START = re.compile(
    r"^(?:eller|alternativt|(?:vilket|det|detta|som)\s+(?:motsvarar|motsvarade|motsvarande|innebär|innebar|är\s+lika\s+med)|"
    r"motsvarande|motsvarar|dvs\.?|d\.v\.s\.?|det\s+vill\s+säga|i\s+procent|\()",
    re.IGNORECASE,
)
_APPOSITION_START = re.compile(
    r"^(?:(?:en|ett|totalt|sammanlagt|varav|drygt|knappt|cirka|ca\.?)\b|[-−–+]?\d)", re.IGNORECASE
)
_COORDINATE_START = re.compile(r"^(?:och|samt|men|medan|liksom|respektive|resp\.)\b", re.IGNORECASE)
_COMPARISON_START = re.compile(r"^(?:att\s+jämföra\s+med|jämfört\s+med|i\s+jämförelse\s+med|mot|än)\b", re.IGNORECASE)

# Where a clause may end: punctuation, or a conjunction (decided below).
_PUNCTUATION = re.compile(r"\s*[;:]\s+|,\s+|\s+[–—-]\s+|\s*\(|\)\s*")
_CONJUNCTION = re.compile(r"\s+(?:och|samt|men|medan|eller|varav|där)\s+", re.IGNORECASE)
# A relative pronoun always opens a clause about what stands before it ('146,9 mnkr vilket var
# något högre än föregående år'): its comparison is not the figure's own.
_RELATIVE_CUT = re.compile(r"\s+(?:vilket|vilka)\s+", re.IGNORECASE)
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    link: str  # RELATIVE, APPOSITION, ALTERNATIVE, COORDINATE, COMPARISON or NEW
    text: str


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _link(text: str, cut: str) -> str:
    stripped = text.lstrip(" ,;:(–—-")
    if cut.strip().startswith(("(",)):
        return ALTERNATIVE
    if cut.strip() == ";":
        return NEW
    if cut.strip() == ":":
        return APPOSITION  # 'Nivå R12 (2409-2508): 3,81 %': the figure of what the colon follows
    if _ALTERNATIVE_START.match(stripped):
        return ALTERNATIVE
    if _COMPARISON_START.match(stripped):
        return COMPARISON
    if _RELATIVE_START.match(stripped):
        return RELATIVE
    if _COORDINATE_START.match(stripped):
        return COORDINATE
    if _APPOSITION_START.match(stripped):
        return APPOSITION
    return NEW


def split(sentence: str, protected: list[tuple[int, int]] = ()) -> list[Clause]:
    """The clauses of `sentence`; `protected` spans are never cut."""
    protected = list(protected)
    # an aside in brackets with no figure ('(FVIS)', '(S)') is part of its clause
    protected += [(m.start() - 1, m.end() + 1) for m in re.finditer(r"(?<=\()[^()\d]{1,40}(?=\))", sentence)]
    cuts: list[tuple[int, int, str]] = []
    for match in _PUNCTUATION.finditer(sentence):
        if _inside(match.start(), protected) or _inside(match.end() - 1, protected):
            continue
        if "(" in match.group(0) and re.match(r"[^()\d]{1,40}\)", sentence[match.end() :]):
            continue  # '(januari – december)', '(FVIS)': an aside, no clause of its own
        # a comma between digits is a decimal comma, never a clause boundary
        if (
            match.group(0).startswith(",")
            and match.start() > 0
            and sentence[match.start() - 1].isdigit()
            and match.end() < len(sentence)
            and sentence[match.end()].isdigit()
            and match.group(0) == ","
        ):
            continue
        cuts.append((match.start(), match.end(), match.group(0)))
    for match in _CONJUNCTION.finditer(sentence):
        if _inside(match.start() + 1, protected):
            continue
        before, after = sentence[: match.start()], sentence[match.end() :]
        # a conjunction cuts only between two statements with figures of their own
        last_cut = max((c[1] for c in cuts if c[1] <= match.start()), default=0)
        next_cut = min((c[0] for c in cuts if c[0] >= match.end()), default=len(sentence))
        if _NUMBER.search(before[last_cut:]) and _NUMBER.search(after[: next_cut - match.end()]):
            cuts.append((match.start(), match.start() + 1, " "))
    for match in _RELATIVE_CUT.finditer(sentence):
        if not _inside(match.start() + 1, protected) and _NUMBER.search(sentence[: match.start()]):
            cuts.append((match.start(), match.start() + 1, " "))
    cuts.sort()
    clauses: list[Clause] = []
    start = 0
    previous_cut = ""
    for cut_start, cut_end, cut_text in cuts:
        if cut_start > start:
            piece = sentence[start:cut_start]
            if piece.strip():
                clauses.append(Clause(start, cut_start, _link(piece, previous_cut) if clauses else NEW, piece))
        start = max(start, cut_end)
        previous_cut = cut_text
    if start < len(sentence) and sentence[start:].strip():
        piece = sentence[start:]
        clauses.append(Clause(start, len(sentence), _link(piece, previous_cut) if clauses else NEW, piece))
    return clauses


def clause_at(clauses: list[Clause], position: int) -> int:
    """Index of the clause holding `position`."""
    for index, clause in enumerate(clauses):
        if clause.start <= position < clause.end:
            return index
    return len(clauses) - 1
