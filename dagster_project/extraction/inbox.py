"""The inbox: which files are report candidates, and the ids that tie deliveries together.

A document's id comes from its file name with version marks dropped, so a re-delivered or
re-formatted file replaces its earlier version; its delivery number is the version mark a
person can see; its content key is shared by the same report in another encoding or layout.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_TEXT_SUFFIXES = (".pdf", ".txt", ".text", ".md")

_TEMP_NAME = re.compile(r"^~|~$|\.(?:tmp|part|crdownload|swp|lock)$", re.IGNORECASE)


class InboxError(RuntimeError):
    """The inbox itself cannot be read: a run must stop rather than see an empty inbox."""


def scan_inbox(reports_dir: Path) -> list[Path]:
    """Report candidates in the inbox (not recursive), sorted by name.

    Hidden files and editors'/downloaders' temp files are skipped; anything else is a
    candidate, so that a wrong file type is reported as an issue rather than ignored.
    Raises InboxError when the folder is missing or cannot be listed: a typo or a share that
    is not mounted must not look like an inbox whose reports were all removed.
    """
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        what = "is not a folder" if reports_dir.exists() else "does not exist"
        raise InboxError(f"the inbox REPORTS_DIR={reports_dir} {what} (a typo, or a share that is not mounted?)")
    try:
        entries = list(reports_dir.iterdir())
    except OSError as error:
        raise InboxError(f"cannot list the inbox REPORTS_DIR={reports_dir}: {error.strerror or error}") from error
    found = []
    for path in entries:
        if path.name.startswith(".") or _TEMP_NAME.search(path.name):
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.name)


_VERSION_SUFFIX = re.compile(
    r"(?:[\s_\-]*(?:\(\d+\)|v\d+|ver\d+|version\s*\d+|rev\d+|kopia|copy|final|slutlig|ny|new))+$",
    re.IGNORECASE,
)


def content_key(lines: list[str]) -> str:
    """What two deliveries of one report share whatever their encoding, file name, white space,
    blank lines or doubled lines: the sha256 of the non-blank lines, white space collapsed,
    each repeat of the line before it dropped."""
    digest = hashlib.sha256()
    previous = None
    for line in lines:
        text = " ".join(line.split())
        if text and text != previous:
            digest.update(text.encode("utf-8") + b"\n")
            previous = text
    return digest.hexdigest()


_VERSION_NUMBER = re.compile(r"\((\d+)\)|(?:v|ver|version|rev)\s*(\d+)", re.IGNORECASE)


def delivery_number(file_name: str) -> int:
    """The delivery a file name says it is: 'Rapport (2).txt' and 'rapport_v2.pdf' are 2, a name
    without a version mark is 1. A person can see it in the name, unlike a file date that
    cp -p, unzip or rsync -a carry over from an older copy."""
    stem = _stem(file_name)
    marks = _VERSION_SUFFIX.search(stem.strip())
    numbers = [int(a or b) for a, b in _VERSION_NUMBER.findall(marks.group(0))] if marks else []
    return max(numbers, default=1)


def document_id_for(file_name: str) -> str:
    """Stable slug of the file name: no extension, ascii, '_'-separated, version marks dropped.

    'RVB HSN Årsrapport 2022 (2).pdf' and 'rvb_hsn_arsrapport_2022.txt' share one id, so a
    re-delivered or re-formatted file replaces its earlier version.
    """
    stem = _stem(file_name)
    stem = _VERSION_SUFFIX.sub("", stem.strip()) or stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_stem.lower()).strip("_")
    if not slug:  # a name of only non-latin characters still needs a stable id
        slug = "doc_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]
    return slug


def _stem(file_name: str) -> str:
    """The file name without its folder and its report extension."""
    stem = Path(file_name).name
    for suffix in _TEXT_SUFFIXES:
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)]
    return stem
