"""Read report files from the inbox into DocumentText, or say precisely why not.

Everything the registry knows about a document (kind, region, period, title) is inferred
from its text, never from the file name: names are chosen by whoever drops the file.
read_document never raises for bad input; it returns an IngestIssue the warehouse records.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..warehouse.settings import read_limits
from .document_profile import classify
from .inbox import content_key, document_id_for
from .normalise import split_lines
from .pdf_text import is_pdf, pdf_lines
from .records import DocumentMeta, IngestIssue
from .refusal import Refused, caveat, refused
from .text_decoding import check_binary, decode_text, truncation_caveat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentText:
    """A successfully read document."""

    meta: DocumentMeta
    lines: list[str]  # normalise.split_lines of the text; index 0 = line 1
    page_of_line: list[int] | None  # for PDF input: page number of each line, else None
    issues: list[IngestIssue]  # non-fatal caveats (e.g. decoded as cp1252), is_fatal=False
    content_key: str = ""  # content_key(lines): the same report in another encoding or layout has the same key


def max_report_bytes(override: int | None = None) -> int:
    """The size limit: argument, else env MAX_REPORT_BYTES, else 50 MB (settings.read_limits)."""
    if override is not None:
        return int(override)
    return read_limits().max_report_bytes


def _bounded_lines(
    lines: list[str], limit: int, name: str, sha: str, size: int
) -> tuple[list[str], IngestIssue | None]:
    """Lines longer than `limit` cut to it (at a word boundary near the end), so no rule ever
    reads a line of megabytes; numbering is kept, so every value still points at its line."""
    long = [(number, len(line)) for number, line in enumerate(lines, start=1) if len(line) > limit]
    if not long:
        return lines, None
    bounded = list(lines)
    for number, _ in long:
        line = bounded[number - 1]
        cut = line.rfind(" ", limit - 200, limit)
        bounded[number - 1] = line[: cut if cut > 0 else limit].rstrip()
    shown = ", ".join(f"line {number} ({length} characters)" for number, length in long[:5])
    more = f" and {len(long) - 5} more" if len(long) > 5 else ""
    return bounded, caveat(
        name,
        "long_line_truncated",
        f"{len(long)} line(s) longer than {limit} characters (MAX_LINE_CHARS) were cut to that length before "
        f"extraction; the rest of each was not read: {shown}{more}",
        sha,
        size,
    )


def read_document(
    path: Path, reports_dir: Path | None = None, *, max_bytes: int | None = None
) -> DocumentText | IngestIssue:
    """Read one report file, or return the IngestIssue saying why it cannot be used."""
    path = Path(path)
    name = path.name
    try:
        return _read(path, reports_dir, max_bytes)
    except Refused as refused:
        return refused.issue
    except Exception as exc:  # the contract: bad input never raises
        log.exception("unexpected error reading %s", path)
        return IngestIssue(name, "read_error", f"{type(exc).__name__}: {exc}")


def _refusal_before_reading(path: Path, inbox: Path, limit: int) -> tuple[IngestIssue | None, os.stat_result | None]:
    """Why a file must not be read at all (a symlink leaving the inbox, not a file, too large),
    decided from the file system alone; else its stat."""
    name = path.name
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            return IngestIssue(name, "broken_symlink", f"symlink {path} does not resolve: {exc}"), None
        if not target.is_relative_to(inbox.resolve()):
            return IngestIssue(
                name, "symlink_outside_inbox", f"symlink points to {target}, outside the inbox {inbox.resolve()}"
            ), None
    try:
        stat = path.stat()
    except FileNotFoundError:
        return IngestIssue(name, "missing_file", f"{path} does not exist"), None
    except OSError as exc:
        return IngestIssue(name, "unreadable_file", f"cannot stat {path}: {exc}"), None
    if not path.is_file():
        return IngestIssue(name, "not_a_file", f"{path} is not a regular file"), None
    if stat.st_size > limit:  # decided by stat, before reading anything into memory
        return IngestIssue(
            name,
            "too_large",
            f"{stat.st_size} bytes exceeds the limit of {limit} bytes (MAX_REPORT_BYTES)",
            None,
            stat.st_size,
        ), None
    return None, stat


def file_fingerprint(path: Path, reports_dir: Path | None = None, *, max_bytes: int | None = None) -> str:
    """What identifies this version of a file without reading it as a report.

    The sha256 of its bytes (equal to DocumentMeta.sha256 once read); for a file read_document
    refuses before reading, a marker of the refusal and what stat saw, so an unchanged refused
    file is not retried on every run.
    """
    path = Path(path)
    inbox = Path(reports_dir) if reports_dir is not None else path.parent
    refusal, _ = _refusal_before_reading(path, inbox, max_report_bytes(max_bytes))
    if refusal is not None:
        try:
            seen = path.lstat()
            return f"refused:{refusal.reason_code}:{seen.st_size}:{seen.st_mtime_ns}"
        except OSError:
            return f"refused:{refusal.reason_code}"
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        return f"refused:{type(exc).__name__}"
    return digest.hexdigest()


@dataclass(frozen=True)
class _Text:
    """A file's lines as extraction numbers them, before anyone decides what the report is."""

    lines: list[str]
    page_of_line: list[int] | None
    issues: list[IngestIssue]
    sha256: str
    size: int
    encoding: str
    source_format: str


def read_lines(path: Path, reports_dir: Path | None = None) -> list[str] | None:
    """The file's lines numbered exactly as extraction numbered them (what source views show), or
    None when the file cannot be read. Reads and decodes only: no classification."""
    try:
        return _read_text(Path(path), reports_dir, None).lines
    except Refused:
        return None
    except Exception:  # the contract: bad input never raises
        log.exception("unexpected error reading %s", path)
        return None


def _read_text(path: Path, reports_dir: Path | None, max_bytes: int | None) -> _Text:
    name = path.name
    inbox = Path(reports_dir) if reports_dir is not None else path.parent
    limit = max_report_bytes(max_bytes)
    refusal, stat = _refusal_before_reading(path, inbox, limit)
    if refusal is not None:
        raise Refused(refusal)
    size = stat.st_size
    if size == 0:
        raise refused(name, "empty_file", "file has 0 bytes", hashlib.sha256(b"").hexdigest(), 0)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file growing after stat still cannot exceed the limit
    except OSError as exc:
        raise refused(name, "unreadable_file", f"cannot read {path}: {exc}", None, size) from exc
    if len(data) > limit:
        raise refused(name, "too_large", f"file grew beyond {limit} bytes while being read", None, len(data))
    size = len(data)
    sha = hashlib.sha256(data).hexdigest()

    issues: list[IngestIssue] = []
    page_of_line: list[int] | None = None
    limits = read_limits()
    if is_pdf(data[:1024]):
        lines, page_of_line, issues = pdf_lines(data, name, sha, size, limits.max_pdf_pages)
        encoding, source_format = "pdf", "pdf"
    else:
        data, issues = check_binary(data, name, sha, size)
        if path.suffix.lower() == ".pdf":
            issues.append(
                caveat(name, "not_a_pdf", "named .pdf but has no %PDF- header: read as a text file", sha, size)
            )
        text, encoding, decode_issues = decode_text(data, name, sha, size)
        issues.extend(decode_issues)
        if not text.strip():
            raise refused(name, "empty_text", f"{size} bytes but only white space", sha, size)
        lines = split_lines(text)
        source_format = "text"
        if not any(i.reason_code == "possibly_truncated" for i in issues):
            cut_off = truncation_caveat(lines, name, sha, size)
            if cut_off:
                issues.append(cut_off)
    lines, long_lines = _bounded_lines(lines, limits.max_line_chars, name, sha, size)
    if long_lines:
        issues.append(long_lines)
    return _Text(lines, page_of_line, issues, sha, size, encoding, source_format)


def _read(path: Path, reports_dir: Path | None, max_bytes: int | None) -> DocumentText:
    name = path.name
    text = _read_text(path, reports_dir, max_bytes)
    lines, page_of_line, issues, sha, size = text.lines, text.page_of_line, text.issues, text.sha256, text.size
    encoding, source_format = text.encoding, text.source_format

    found = classify(lines, name)
    if found.kind == "unknown":
        raise refused(
            name,
            "not_a_report",
            f"no report language with figures in its {len(lines)} lines: it names no report kind "
            "(årsredovisning, delårsrapport, tertialrapport, månadsrapport, bokslut, fakta, väntetider ...) "
            "and has fewer than two amounts or percentages beside words such as resultat, budget or kostnader",
            sha,
            size,
        )
    organisation = found.organisation
    partial = [i for i in issues if i.reason_code in ("pdf_truncated", "pdf_page_unreadable")]
    if partial and organisation is None and found.region_code is None:
        # facts of a partial PDF would be published under no organisation: refuse instead
        raise refused(
            name,
            partial[0].reason_code,
            f"{'; '.join(i.detail for i in partial[:3])}; the pages read do not name the region or "
            "organisation, so the facts cannot be attributed: deliver the complete file",
            sha,
            size,
        )
    meta = DocumentMeta(
        document=name,
        document_id=document_id_for(name),
        sha256=sha,
        size_bytes=size,
        region_code=found.region_code,
        region_name=found.region_name,
        document_kind=found.kind,
        period_start=found.period_start,
        period_end=found.period_end,
        title=found.title,
        encoding=encoding,
        line_count=len(lines),
        source_format=source_format,
        organisation=organisation.name if organisation else None,
        organisation_code=organisation.code if organisation else None,
        published_on=found.published_on,
        from_file_name=",".join(found.file_name_used) or None,
    )
    return DocumentText(meta, lines, page_of_line, issues, content_key(lines))
