"""Rewritten patterns read exactly what the quadratic ones read.

Three end-anchored patterns scanned the whole text before every match and made one long line
cost the square of its length (issue 12: a 100 000-character line took 563 s). They are now
backward scans or searches of the tail; these tests compare them with the old regular
expressions on many small random strings, so the rewrite changes speed, not results.
"""

import random
import re

from dagster_project.extraction import normalise, numbers, side_by_side_tables

_OLD_WORD_BEFORE = re.compile(r"([^\W\d_]+\.?)\s+$")
_OLD_PERIOD_HEADER = re.compile(r"^(?P<title>.*[^\W\d_].*?)\s+(?P<year>(?:19|20)\d{2})[ -]?(?P<month>0[1-9]|1[0-2])$")
_OLD_ABBREVIATION_WORD = re.compile(r"([\w.]+)$")


def _strings(alphabet, count, longest, seed):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


def test_word_before_a_number_is_read_as_before():
    for text in _strings(["ab", "å", ".", " ", "\t", "1", "_", "-", "²", "Ö", "ca."], 20000, 10, 1):
        for start in range(len(text) + 1):
            old = _OLD_WORD_BEFORE.search(text[:start])
            expected = (old.group(1), old.start(1)) if old else ("", start)
            assert numbers._word_before(text, start) == expected, (text, start)


def test_table_period_header_is_read_as_before():
    for text in _strings(["A", "B", " ", "2", "0", "1", "9", "-", "ö"], 60000, 14, 2):
        old = _OLD_PERIOD_HEADER.match(text)
        new = side_by_side_tables._PERIOD_HEADER.search(text)
        title = text[: new.start()] if new else ""
        if new and not re.search(r"[^\W\d_]", title):
            new = None
        expected = (old.group("title").strip(), old.group("year"), old.group("month")) if old else None
        assert ((title.strip(), new.group("year"), new.group("month")) if new else None) == expected, text


def test_abbreviation_before_a_full_stop_is_read_as_before():
    def old(text, dot):
        found = _OLD_ABBREVIATION_WORD.search(text[:dot])
        if not found:
            return False
        word = found.group(1)
        return word in normalise._ABBREVIATIONS or word.lower() in normalise._ABBREVIATIONS or len(word) == 1

    for text in _strings(["ca", "t.ex", ".", " ", "a", "Ö", "1", "_", "-", "bl.a"], 20000, 8, 3):
        text += "."
        assert normalise._is_abbreviation(text, len(text) - 1) == old(text, len(text) - 1), text


def test_a_long_line_of_percentages_still_reads_its_numbers():
    line = "12,5 procent " * 5000
    found = numbers.find_numbers(line)
    assert len(found) == 5000 and {t.value for t in found} == {12.5} and {t.unit for t in found} == {"percent"}
    headers, _ = side_by_side_tables._read_headers(["Region Västerbotten", "Årsrapport 2022", line.strip()], 0)
    assert headers == []
