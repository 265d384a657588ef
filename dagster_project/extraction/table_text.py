"""How a table flattened into lines reads: cells, label-and-cells segments, total rows.

PDF text extraction prints two tables side by side on one line ('Onkologi Nus 99 -1
Thoraxkirurgi Nus 84 -7') and splits grouped digits ('3 435') like cells; these helpers read
such a line into segments and cells and leave the choice among readings to the table readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalise import fold

# Labels of rows that total or average the rows of a table.
_TOTAL_WORDS = ("totalt", "total", "summa", "medel", "genomsnitt", "samtliga")
# 'Tabell 3' opening a table's caption.
TABLE_CAPTION = re.compile(r"^\s*tabell\s+(\d+)\b", re.IGNORECASE)


# One whitespace token of a cell run: a signed number, a three-digit continuation group, a
# percentage, a lone dash (empty cell) or '.15' (a minus sign printed as a full stop).
_CELL_TOKEN = re.compile(r"^(?:[-−–+]?\d+(?:,\d+)?%?|-|−|–|\.\d+)$")


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None  # None for an empty cell ('-')
    repaired: bool = False  # '.15' read as -15
    percent: bool = False


def _head_ok(token: str) -> bool:
    return bool(re.fullmatch(r"[-−–+]?\d{1,3}(?:,\d+)?%?|[-−–+]?\d+(?:,\d+)?%?|[-−–]|\.\d+", token))


def read_cell(tokens: list[str]) -> Cell | None:
    text = " ".join(tokens)
    head = tokens[0]
    if head in "-−–" and len(tokens) == 1:
        return Cell(text, None)
    percent = text.endswith("%")
    body = text.rstrip("%").strip()
    if re.fullmatch(r"\.\d+", body):
        # a minus sign that the PDF printed as a full stop; kept detectable via `repaired`
        return Cell(text, -float(body[1:]), repaired=True, percent=percent)
    if len(tokens) > 1:
        if not re.fullmatch(r"[-−–+]?\d{1,3}", tokens[0]):
            return None
        if not all(re.fullmatch(r"\d{3}", t) for t in tokens[1:-1]):
            return None
        if not re.fullmatch(r"\d{3}(?:,\d+)?%?", tokens[-1]):
            return None
        if any(t.endswith("%") for t in tokens[:-1]):
            return None
    sign = -1.0 if body[0] in "-−–" else 1.0
    digits = body.lstrip("-−–+").replace(" ", "").replace(",", ".")
    try:
        return Cell(text, sign * float(digits), percent=percent)
    except ValueError:
        return None


def split_cells(tokens: list[str], count: int) -> list[list[Cell]]:
    """Every way to read a run of tokens as exactly `count` cells, greediest first cell first.

    '3 435 570' as two cells is '3 435' + '570' or '3' + '435 570'; the caller chooses.
    """
    results: list[list[Cell]] = []

    def walk(start: int, remaining: int, acc: list[Cell]) -> None:
        if remaining == 0:
            if start == len(tokens):
                results.append(list(acc))
            return
        if start >= len(tokens) or not _head_ok(tokens[start]):
            return
        # longest first so the first result is the greedy reading
        for end in range(len(tokens), start, -1):
            if len(tokens) - end < remaining - 1:
                continue
            cell = read_cell(tokens[start:end])
            if cell is None:
                continue
            acc.append(cell)
            walk(end, remaining - 1, acc)
            acc.pop()

    walk(0, count, [])
    return results


@dataclass
class Segment:
    """One table's part of a flattened line: a label and the cell tokens after it."""

    label: str
    tokens: list[str]
    text: str


def split_segments(line: str) -> list[Segment]:
    """'A 1 2 B c 3 4' -> [A: 1 2], [B c: 3 4]. Empty when the line does not end in cells."""
    tokens = line.split()
    segments: list[Segment] = []
    label: list[str] = []
    cells: list[str] = []
    for token in tokens:
        if _CELL_TOKEN.match(token):
            cells.append(token)
        else:
            if cells:
                if not label:
                    return []
                segments.append(Segment(" ".join(label), cells, " ".join(label + cells)))
                label, cells = [], []
            label.append(token)
    if label and cells:
        segments.append(Segment(" ".join(label), cells, " ".join(label + cells)))
    elif label:
        return []
    # a label needs a letter; a lone dash token inside a label is not a cell run
    if not segments or any(not re.search(r"[^\W\d_]", s.label) for s in segments):
        return []
    return segments


def is_total_label(label: str) -> bool:
    first = fold(label).split(" ")[0] if label.strip() else ""
    return first in _TOTAL_WORDS


def text_before(lines: list[str], line: int, before: int = 40) -> str:
    """The `before` lines above 1-based `line`, joined: where a block's subject is named."""
    return " ".join(lines[max(0, line - 1 - before) : line - 1])
