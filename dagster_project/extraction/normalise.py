"""Text normalisation that keeps every character's original line number.

Report text comes from PDFs: lines wrap mid-sentence, words are hyphenated across line ends
('tillsvidarean-' / 'ställda'), and extraction tools often put a blank line between every
text line. Rules that read sentences need the text joined back together, and every value
must still point at the line where its number stands. A `TextSpan` carries both: the joined
text and, for each character, the 1-based line it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters PDF extraction produces that mean the same as plain ones.
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space (thousands separator)
        "\u2009": " ",  # thin space
        "\u2007": " ",  # figure space
        "\u00ad": "",  # soft hyphen
        "\u2010": "-",
        "\u2011": "-",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\t": " ",
    }
)

# A line-end hyphen before one of these words is a real hyphen ('hälso- och sjukvård').
_KEEP_HYPHEN_BEFORE = {"och", "eller", "samt", "till", "respektive", "resp", "som"}

_TERMINAL = ".!?:;"
# A full-width text line that does not end a sentence usually wraps into the next one.
_WRAPPED_LINE_MIN_CHARS = 55


def clean_line(text: str) -> str:
    """One line with PDF artefacts replaced, trailing whitespace removed, inner runs kept."""
    text = unicodedata.normalize("NFC", text).translate(_CHAR_MAP)
    return text.rstrip()


def split_lines(text: str) -> list[str]:
    """The document's lines as cleaned strings; index 0 is line 1."""
    return [clean_line(line) for line in text.splitlines()]


@dataclass(frozen=True)
class TextSpan:
    """Joined text with the 1-based source line of every character."""

    text: str
    line_of: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.line_of):
            raise ValueError("every character needs a source line")

    def line_at(self, offset: int) -> int:
        """The line where the character at `offset` stands (clamped into the span)."""
        if not self.line_of:
            raise ValueError("empty span has no lines")
        offset = min(max(offset, 0), len(self.line_of) - 1)
        return self.line_of[offset]

    @property
    def first_line(self) -> int:
        return self.line_of[0]

    @property
    def last_line(self) -> int:
        return self.line_of[-1]

    def slice(self, start: int, end: int) -> TextSpan:
        return TextSpan(self.text[start:end], self.line_of[start:end])

    def strip(self) -> TextSpan:
        start, end = 0, len(self.text)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return self.slice(start, end)

    def __str__(self) -> str:
        return self.text


def _first_word(text: str) -> str:
    match = re.match(r"\s*([^\W\d_]+)", text)
    return match.group(1) if match else ""


def _joins_hyphenated(previous: str, following: str) -> bool:
    """True when `previous` ends in a word broken by a hyphen that `following` completes."""
    if not re.search(r"[^\W\d_]-$", previous):
        return False
    word = _first_word(following)
    if not word or not word[0].islower():
        return False
    return word.lower() not in _KEEP_HYPHEN_BEFORE


def _continues(previous: str, following: str) -> bool:
    """True when the non-blank line `following` continues the sentence of `previous`."""
    prev = previous.rstrip()
    nxt = following.lstrip()
    if not prev or not nxt:
        return False
    if prev.endswith("-") and re.search(r"[^\W\d_]-$", prev):
        return True
    if nxt[0] in "•▪■●-–*" or re.match(r"(Mål|Delmål|Tabell|Figur|Diagram)\s+\d", nxt):
        return False
    first = nxt[0]
    if prev[-1] in _TERMINAL:
        return False
    if first.islower() or first in "(,%":
        return True
    if first.isdigit():
        return len(prev) >= _WRAPPED_LINE_MIN_CHARS
    return len(prev) >= _WRAPPED_LINE_MIN_CHARS


def join_lines(numbered_lines: list[tuple[int, str]]) -> TextSpan:
    """Join (line number, text) pairs into one span, mending line-end hyphenation."""
    chars: list[str] = []
    lines: list[int] = []
    for number, text in numbered_lines:
        text = text.strip()
        if not text:
            continue
        if chars:
            previous = "".join(chars[-80:])
            if _joins_hyphenated(previous, text):
                # drop the hyphen: 'tillsvidarean-' + 'ställda' -> 'tillsvidareanställda'
                chars.pop()
                lines.pop()
            else:
                chars.append(" ")
                lines.append(lines[-1])
        chars.extend(text)
        lines.extend([number] * len(text))
    return TextSpan("".join(chars), tuple(lines))


def blocks(lines: list[str]) -> list[TextSpan]:
    """Runs of lines that belong together (a paragraph or a wrapped sentence).

    Blank lines are ignored when deciding; a line continues the previous one when that one
    is hyphenated at its end, or does not end a sentence and the next begins in lower case,
    or is a full-width line that wraps.
    """
    result: list[TextSpan] = []
    current: list[tuple[int, str]] = []
    previous_text = ""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        if current and not _continues(previous_text, text):
            result.append(join_lines(current))
            current = []
        current.append((number, text))
        previous_text = text
    if current:
        result.append(join_lines(current))
    return result


# Abbreviations whose full stop does not end a sentence. Units ('mkr.', 'mnkr.', 'tkr.') are not
# among them: a sentence often ends on its amount.
_ABBREVIATIONS = (
    "bl.a",
    "t.ex",
    "inkl",
    "exkl",
    "ca",
    "resp",
    "m.m",
    "d.v.s",
    "dvs",
    "s.k",
    "jmf",
    "jfr",
    "milj",
    "st",
    "nr",
    "kap",
    "spec",
    "psyk",
    "prel",
    "t.o.m",
    "fr.o.m",
    "o.s.v",
    "Sö",
    "ff",
    "f.d",
    "p.g.a",
    "pga",
    "tf",
    "Tf",
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"”(A-ZÅÄÖ0-9])")


def _is_abbreviation(text: str, dot: int) -> bool:
    # the run of word characters and dots ending at `dot`, scanned backwards: an end-anchored
    # regex on text[:dot] cost the whole text before every full stop (quadratic on long lines)
    begin = dot
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "_."):
        begin -= 1
    if begin == dot:
        return False
    word = text[begin:dot]
    return word in _ABBREVIATIONS or word.lower() in _ABBREVIATIONS or len(word) == 1


def split_sentences(span: TextSpan) -> list[TextSpan]:
    """Sentences of a block; each keeps its characters' source lines."""
    result = []
    start = 0
    for match in _SENTENCE_END.finditer(span.text):
        dot = match.start()
        if span.text[dot] == "." and _is_abbreviation(span.text, dot):
            continue
        # a decimal like '2.5' never matches: the look-ahead needs white space
        piece = span.slice(start, dot + 1).strip()
        if piece.text:
            result.append(piece)
        start = dot + 1
    rest = span.slice(start, len(span.text)).strip()
    if rest.text:
        result.append(rest)
    return result


def sentences(lines: list[str]) -> list[TextSpan]:
    """All sentences of a document, in order."""
    return [sentence for block in blocks(lines) for sentence in split_sentences(block)]


def fold(text: str) -> str:
    """Lower-case text with hyphens and punctuation turned into single spaces, for matching."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[\-–—/.,:;()*\"”'’]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
