"""Bytes of a text file -> Swedish text, or a refusal: binary content, no encoding that yields
Swedish text. Caveats say how a file was read (cp1252, a double encoding repaired, a text cut
off mid-sentence)."""

from __future__ import annotations

import re
import unicodedata

from .records import IngestIssue
from .refusal import caveat, refused

# Characters Swedish report text legitimately contains beyond ASCII.
_SWEDISH_EXTRA = set("åäöÅÄÖéÉèÈüÜáÁàøØæÆ§°½¼¾±×÷«»–—‘’‚“”„•…€£¤µ²³´¨·¸¹º¿ªÑñçÇíÍóÓúÚôâêîûëïÿ©®™†‡‰")
_MOJIBAKE = re.compile(r"Ã[¥¤¶…„–©]")
_UNDECODABLE_SHARE = 0.02
_MIN_LETTER_SHARE = 0.4


def _oddness(text: str) -> float:
    """Share of characters no Swedish report would contain (controls, foreign scripts)."""
    if not text:
        return 0.0
    odd = 0
    for char in text:
        if char in "\n\r\t\f\v" or " " <= char <= "~" or char in _SWEDISH_EXTRA:
            continue
        if unicodedata.category(char) in ("Zs",):
            continue
        odd += 1
    return odd / len(text)


def _plausible_swedish(text: str) -> bool:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return True
    letters = sum(1 for c in visible if c.isalpha())
    return letters / len(visible) >= _MIN_LETTER_SHARE and _oddness(text) <= _UNDECODABLE_SHARE


def decode_text(data: bytes, name: str, sha: str, size: int) -> tuple[str, str, list[IngestIssue]]:
    """Text, encoding name and caveats; raises _Refused when no encoding gives Swedish text."""
    issues: list[IngestIssue] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
            if _plausible_swedish(text):
                issues.append(caveat(name, "decoded_as_utf16", "file is UTF-16 (byte order mark)", sha, size))
                return text, "utf-16", issues
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        if len(_MOJIBAKE.findall(text)) >= 3:
            # UTF-8 bytes decoded as cp1252 and saved again as UTF-8: 'Ã¥' for 'å'. Undo it.
            try:
                repaired = text.encode("cp1252").decode("utf-8")
            except UnicodeError:
                repaired = None
            if repaired is not None and _plausible_swedish(repaired):
                issues.append(
                    caveat(
                        name,
                        "repaired_double_encoding",
                        f"text was UTF-8 encoded twice ('Ã¥' for 'å', first at offset {_MOJIBAKE.search(text).start()}); repaired",
                        sha,
                        size,
                    )
                )
                return repaired, encoding, issues
        if _plausible_swedish(text):
            return text, encoding, issues
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    else:
        utf8_error = "UTF-8 decodes but does not look like Swedish text"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_swedish(text):
            code = "decoded_as_cp1252" if encoding == "cp1252" else "decoded_as_latin1"
            issues.append(caveat(name, code, f"{utf8_error}; decoded as {encoding}", sha, size))
            return text, encoding, issues
    raise refused(
        name,
        "undecodable",
        f"{utf8_error}, and neither cp1252 nor latin-1 yields plausible Swedish text",
        sha,
        size,
    )


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.01


def check_binary(data: bytes, name: str, sha: str, size: int) -> tuple[bytes, list[IngestIssue]]:
    """Refuse binary content; a text padded with NULs at the end is a truncated write."""
    issues = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, issues  # UTF-16: NUL bytes are expected
    stripped = data.rstrip(b"\x00")
    if len(stripped) < len(data) and b"\x00" not in stripped and stripped.strip():
        issues.append(
            caveat(
                name,
                "possibly_truncated",
                f"file ends in {len(data) - len(stripped)} NUL bytes after offset {len(stripped)} - an interrupted write?",
                sha,
                size,
            )
        )
        data = stripped
    nul = data.find(b"\x00")
    if nul >= 0:
        raise refused(name, "binary_file", f"NUL byte at offset {nul}: not a text or PDF file", sha, size)
    sample = data[: 1 << 20]
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        raise refused(
            name,
            "binary_file",
            f"{controls} control bytes in the first {len(sample)} bytes: not a text or PDF file",
            sha,
            size,
        )
    return data, issues


# A last line ending like this stops mid-sentence: the text was probably cut off.
_DANGLING_WORDS = {
    "och",
    "att",
    "som",
    "i",
    "på",
    "för",
    "med",
    "av",
    "till",
    "eller",
    "samt",
    "men",
    "den",
    "det",
    "de",
    "en",
    "ett",
    "är",
    "har",
    "vid",
    "om",
    "från",
    "inom",
    "mot",
    "under",
    "efter",
}


def truncation_caveat(lines: list[str], name: str, sha: str, size: int) -> IngestIssue | None:
    non_blank = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    if not non_blank:
        return None
    number, last = non_blank[-1]
    words = re.findall(r"[^\W\d_]+", last.lower())
    if (
        re.search(r"[^\W\d_]-$", last)
        or last.endswith(",")
        or (words and words[-1] in _DANGLING_WORDS and last[-1] not in ".:!?")
    ):
        return caveat(
            name,
            "possibly_truncated",
            f"text ends mid-sentence at line {number}: {last[-60:]!r}",
            sha,
            size,
        )
    return None
