"""Read report files from the inbox into DocumentText, or say precisely why not.

Everything the registry knows about a document (kind, region, period, title) is inferred
from its text, never from the file name: names are chosen by whoever drops the file.
read_document never raises for bad input; it returns an IngestIssue the warehouse records.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..warehouse.settings import ReadLimits, read_limits
from .document_profile import classify
from .normalise import split_lines
from .pdf_layout import PageLine, drop_page_furniture, page_lines
from .records import DocumentMeta, IngestIssue

log = logging.getLogger(__name__)

DEFAULT_MAX_REPORT_BYTES = ReadLimits().max_report_bytes

@dataclass(frozen=True)
class DocumentText:
    """A successfully read document."""

    meta: DocumentMeta
    lines: list[str]  # normalise.split_lines of the text; index 0 = line 1
    page_of_line: list[int] | None  # for PDF input: page number of each line, else None
    issues: list[IngestIssue]  # non-fatal caveats (e.g. decoded as cp1252), is_fatal=False
    content_key: str = ""  # content_key(lines): the same report in another encoding or layout has the same key


# ---------------------------------------------------------------- inbox and ids


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
    stem = Path(file_name).name
    for suffix in (".pdf", ".txt", ".text", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    marks = _VERSION_SUFFIX.search(stem.strip())
    numbers = [int(a or b) for a, b in _VERSION_NUMBER.findall(marks.group(0))] if marks else []
    return max(numbers, default=1)


def document_id_for(file_name: str) -> str:
    """Stable slug of the file name: no extension, ascii, '_'-separated, version marks dropped.

    'RVB HSN Årsrapport 2022 (2).pdf' and 'rvb_hsn_arsrapport_2022.txt' share one id, so a
    re-delivered or re-formatted file replaces its earlier version.
    """
    stem = Path(file_name).name
    for suffix in (".pdf", ".txt", ".text", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = _VERSION_SUFFIX.sub("", stem.strip()) or stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_stem.lower()).strip("_")
    if not slug:  # a name of only non-latin characters still needs a stable id
        slug = "doc_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]
    return slug


# ---------------------------------------------------------------- reading files


class _Refused(Exception):
    """Internal: carries the IngestIssue out of the reading steps."""

    def __init__(self, issue: IngestIssue) -> None:
        super().__init__(issue.detail)
        self.issue = issue


def max_report_bytes(override: int | None = None) -> int:
    """The size limit: argument, else env MAX_REPORT_BYTES, else 50 MB (settings.read_limits)."""
    if override is not None:
        return int(override)
    return read_limits().max_report_bytes


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


def _decode(data: bytes, name: str, sha: str, size: int) -> tuple[str, str, list[IngestIssue]]:
    """Text, encoding name and caveats; raises _Refused when no encoding gives Swedish text."""
    issues: list[IngestIssue] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
            if _plausible_swedish(text):
                issues.append(_caveat(name, "decoded_as_utf16", "file is UTF-16 (byte order mark)", sha, size))
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
                issues.append(_caveat(
                    name, "repaired_double_encoding",
                    f"text was UTF-8 encoded twice ('Ã¥' for 'å', first at offset {_MOJIBAKE.search(text).start()}); repaired",
                    sha, size,
                ))
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
            issues.append(_caveat(name, code, f"{utf8_error}; decoded as {encoding}", sha, size))
            return text, encoding, issues
    raise _Refused(IngestIssue(
        name, "undecodable",
        f"{utf8_error}, and neither cp1252 nor latin-1 yields plausible Swedish text", sha, size,
    ))


def _caveat(name: str, code: str, detail: str, sha: str | None, size: int | None) -> IngestIssue:
    return IngestIssue(name, code, detail, sha, size, is_fatal=False)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.01


def _check_binary(data: bytes, name: str, sha: str, size: int) -> tuple[bytes, list[IngestIssue]]:
    """Refuse binary content; a text padded with NULs at the end is a truncated write."""
    issues = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, issues  # UTF-16: NUL bytes are expected
    stripped = data.rstrip(b"\x00")
    if len(stripped) < len(data) and b"\x00" not in stripped and stripped.strip():
        issues.append(_caveat(
            name, "possibly_truncated",
            f"file ends in {len(data) - len(stripped)} NUL bytes after offset {len(stripped)} - an interrupted write?",
            sha, size,
        ))
        data = stripped
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _Refused(IngestIssue(name, "binary_file", f"NUL byte at offset {nul}: not a text or PDF file", sha, size))
    sample = data[: 1 << 20]
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        raise _Refused(IngestIssue(
            name, "binary_file",
            f"{controls} control bytes in the first {len(sample)} bytes: not a text or PDF file", sha, size,
        ))
    return data, issues


# A last line ending like this stops mid-sentence: the text was probably cut off.
_DANGLING_WORDS = {
    "och", "att", "som", "i", "på", "för", "med", "av", "till", "eller", "samt", "men", "den",
    "det", "de", "en", "ett", "är", "har", "vid", "om", "från", "inom", "mot", "under", "efter",
}


def _truncation_caveat(lines: list[str], name: str, sha: str, size: int) -> IngestIssue | None:
    non_blank = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    if not non_blank:
        return None
    number, last = non_blank[-1]
    words = re.findall(r"[^\W\d_]+", last.lower())
    if re.search(r"[^\W\d_]-$", last) or last.endswith(",") or (words and words[-1] in _DANGLING_WORDS and not last[-1] in ".:!?"):
        return _caveat(
            name, "possibly_truncated",
            f"text ends mid-sentence at line {number}: {last[-60:]!r}", sha, size,
        )
    return None


class _TooManyPages(Exception):
    """Internal: the PDF declares more pages than MAX_PDF_PAGES."""

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"{pages} pages")
        self.pages, self.limit = pages, limit


def _declared_pages(pdf) -> int | None:
    """The page count the page tree declares, read without building every page object."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:  # noqa: BLE001 - a damaged or cut-off page tree: count the pages instead
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _extract_pdf(data: bytes, max_pages: int) -> tuple[int, list[str], list[int], list[tuple[int, str]]]:
    """Page count, lines, page of each line, and (page, error) for pages that failed.

    Tables come out as ' | ' rows and running headers, footers and page numbers are left out
    (pdf_layout.py). Raises _TooManyPages before reading any page when the PDF has more than
    `max_pages`. Each page's layout is released once its lines are taken (page.close()):
    pdfplumber otherwise keeps every page's characters, about 0.5 MB a page, so a 6 000-page
    file took 3 GB.
    """
    import pdfplumber  # heavy import, only for PDFs

    read_pages: list[list[PageLine]] = []
    page_numbers: list[int] = []
    failed: list[tuple[int, str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        declared = _declared_pages(pdf)
        if declared is not None and declared > max_pages:
            raise _TooManyPages(declared, max_pages)
        page_count = len(pdf.pages)
        if page_count > max_pages:
            raise _TooManyPages(page_count, max_pages)
        for page_number, page in enumerate(pdf.pages, start=1):
            try:
                read_pages.append(page_lines(page))
                page_numbers.append(page_number)
            except Exception as exc:  # pdfminer raises many types on damaged pages
                failed.append((page_number, f"{type(exc).__name__}: {exc}"))
                continue
            finally:
                page.close()
    lines: list[str] = []
    pages: list[int] = []
    kept_pages, _ = drop_page_furniture(read_pages)
    for page_number, kept in zip(page_numbers, kept_pages):
        lines.extend(line.text for line in kept)
        pages.extend([page_number] * len(kept))
    return page_count, lines, pages, failed


def _is_encrypted(error: BaseException, data: bytes) -> bool:
    """pdfplumber wraps pdfminer's password errors in an exception with an empty message."""
    seen: list[BaseException] = []
    while isinstance(error, BaseException) and error not in seen:
        seen.append(error)
        if any(word in type(error).__name__ for word in ("Password", "Encrypt")):
            return True
        error = error.__cause__ or error.__context__ or (error.args[0] if error.args else None)
    return b"/Encrypt" in data


def _page_ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    ranges: list[str] = []
    for number in sorted(numbers):
        if ranges and number == int(ranges[-1].split("-")[-1]) + 1:
            ranges[-1] = f"{ranges[-1].split('-')[0]}-{number}"
        else:
            ranges.append(str(number))
    return ", ".join(ranges)


_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).)*?/Type\s*/Catalog", re.DOTALL)


def _repair_truncated_pdf(data: bytes) -> bytes | None:
    """A cut-off PDF lacks its xref and trailer; keep the whole objects, add a trailer.

    pdfminer falls back to scanning for objects when the xref is missing; it only needs a
    trailer naming the catalog. Pages whose content was cut off then come out empty.
    """
    catalog = _CATALOG.search(data)
    last_object_end = data.rfind(b"endobj")
    if not catalog or last_object_end < 0:
        return None
    kept = data[: last_object_end + len(b"endobj")]
    return kept + b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % (catalog.group(1), catalog.group(2))


def _too_many_pages(name: str, found: _TooManyPages, sha: str, size: int) -> _Refused:
    return _Refused(IngestIssue(
        name, "too_many_pages",
        f"the PDF has {found.pages} pages, more than the limit of {found.limit} (MAX_PDF_PAGES); no page was read",
        sha, size,
    ))


def _pdf_lines(data: bytes, name: str, sha: str, size: int, max_pages: int) -> tuple[list[str], list[int], list[IngestIssue]]:
    issues: list[IngestIssue] = []
    cut_off = b"%%EOF" not in data[-2048:]
    try:
        page_count, lines, pages, failed = _extract_pdf(data, max_pages)
        if cut_off:
            issues.append(_caveat(name, "pdf_truncated", "PDF has no %%EOF marker at its end: the file may be cut off", sha, size))
    except _TooManyPages as found:
        raise _too_many_pages(name, found, sha, size)
    except Exception as exc:  # broken xref, encryption, not a PDF at all...
        if _is_encrypted(exc, data):
            raise _Refused(IngestIssue(
                name, "pdf_encrypted",
                "the PDF is encrypted and needs a password to open: deliver a copy saved without a password",
                sha, size,
            ))
        error = f"{type(exc).__name__}: {exc}".rstrip(": ") or type(exc).__name__
        repaired = _repair_truncated_pdf(data) if cut_off else None
        if repaired is None:
            raise _Refused(IngestIssue(name, "pdf_unreadable", f"pdfplumber could not open the PDF: {error}", sha, size))
        try:
            page_count, lines, pages, failed = _extract_pdf(repaired, max_pages)
        except _TooManyPages as found:
            raise _too_many_pages(name, found, sha, size)
        except Exception as again:
            raise _Refused(IngestIssue(
                name, "pdf_unreadable",
                f"PDF is cut off (no %%EOF) and could not be repaired: {error}; after repair: {type(again).__name__}: {again}",
                sha, size,
            ))
        empty_pages = sorted(set(range(1, page_count + 1)) - set(pages))
        if not any(line.strip() for line in lines):
            raise _Refused(IngestIssue(
                name, "pdf_unreadable", f"PDF is cut off (no %%EOF) and no page text survives: {error}", sha, size,
            ))
        issues.append(_caveat(
            name, "pdf_truncated",
            f"PDF is cut off after byte {size} (no %%EOF, {error}); of its {page_count} pages, "
            f"{page_count - len(empty_pages)} were read and these were lost (no text): {_page_ranges(empty_pages) or 'none'}",
            sha, size,
        ))
    for page_number, error in failed:
        issues.append(_caveat(name, "pdf_page_unreadable", f"page {page_number}: {error}", sha, size))
    if page_count == 0:
        raise _Refused(IngestIssue(name, "pdf_unreadable", "the PDF has no pages", sha, size))
    if not any(line.strip() for line in lines):
        raise _Refused(IngestIssue(
            name, "no_text_layer",
            f"none of the {page_count} pages has extractable text (scanned images? needs OCR)", sha, size,
        ))
    return lines, pages, issues


def _is_pdf(head: bytes) -> bool:
    """By content, never by name: a PDF starts with '%PDF-' (the format allows a little junk before it)."""
    return b"%PDF-" in head[:1024]


def _bounded_lines(lines: list[str], limit: int, name: str, sha: str, size: int) -> tuple[list[str], IngestIssue | None]:
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
    return bounded, _caveat(
        name, "long_line_truncated",
        f"{len(long)} line(s) longer than {limit} characters (MAX_LINE_CHARS) were cut to that length before "
        f"extraction; the rest of each was not read: {shown}{more}",
        sha, size,
    )


def read_document(
    path: Path, reports_dir: Path | None = None, *, max_bytes: int | None = None
) -> DocumentText | IngestIssue:
    """Read one report file, or return the IngestIssue saying why it cannot be used."""
    path = Path(path)
    name = path.name
    try:
        return _read(path, reports_dir, max_bytes)
    except _Refused as refused:
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
            return IngestIssue(name, "symlink_outside_inbox",
                               f"symlink points to {target}, outside the inbox {inbox.resolve()}"), None
    try:
        stat = path.stat()
    except FileNotFoundError:
        return IngestIssue(name, "missing_file", f"{path} does not exist"), None
    except OSError as exc:
        return IngestIssue(name, "unreadable_file", f"cannot stat {path}: {exc}"), None
    if not path.is_file():
        return IngestIssue(name, "not_a_file", f"{path} is not a regular file"), None
    if stat.st_size > limit:  # decided by stat, before reading anything into memory
        return IngestIssue(name, "too_large", f"{stat.st_size} bytes exceeds the limit of {limit} bytes "
                           "(MAX_REPORT_BYTES)", None, stat.st_size), None
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


def _read(path: Path, reports_dir: Path | None, max_bytes: int | None) -> DocumentText:
    name = path.name
    inbox = Path(reports_dir) if reports_dir is not None else path.parent
    limit = max_report_bytes(max_bytes)
    refusal, stat = _refusal_before_reading(path, inbox, limit)
    if refusal is not None:
        raise _Refused(refusal)
    size = stat.st_size
    if size == 0:
        raise _Refused(IngestIssue(name, "empty_file", "file has 0 bytes", hashlib.sha256(b"").hexdigest(), 0))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file growing after stat still cannot exceed the limit
    except OSError as exc:
        raise _Refused(IngestIssue(name, "unreadable_file", f"cannot read {path}: {exc}", None, size))
    if len(data) > limit:
        raise _Refused(IngestIssue(name, "too_large", f"file grew beyond {limit} bytes while being read", None, len(data)))
    size = len(data)
    sha = hashlib.sha256(data).hexdigest()

    issues: list[IngestIssue] = []
    page_of_line: list[int] | None = None
    limits = read_limits()
    if _is_pdf(data[:1024]):
        lines, page_of_line, issues = _pdf_lines(data, name, sha, size, limits.max_pdf_pages)
        encoding, source_format = "pdf", "pdf"
    else:
        data, issues = _check_binary(data, name, sha, size)
        if path.suffix.lower() == ".pdf":
            issues.append(_caveat(name, "not_a_pdf", "named .pdf but has no %PDF- header: read as a text file", sha, size))
        text, encoding, decode_issues = _decode(data, name, sha, size)
        issues.extend(decode_issues)
        if not text.strip():
            raise _Refused(IngestIssue(name, "empty_text", f"{size} bytes but only white space", sha, size))
        lines = split_lines(text)
        source_format = "text"
        if not any(i.reason_code == "possibly_truncated" for i in issues):
            caveat = _truncation_caveat(lines, name, sha, size)
            if caveat:
                issues.append(caveat)
    lines, long_lines = _bounded_lines(lines, limits.max_line_chars, name, sha, size)
    if long_lines:
        issues.append(long_lines)

    found = classify(lines, name)
    if found.kind == "unknown":
        raise _Refused(IngestIssue(
            name, "not_a_report",
            f"no report language with figures in its {len(lines)} lines: it names no report kind "
            "(årsredovisning, delårsrapport, tertialrapport, månadsrapport, bokslut, fakta, väntetider ...) "
            "and has fewer than two amounts or percentages beside words such as resultat, budget or kostnader",
            sha, size,
        ))
    organisation = found.organisation
    partial = [i for i in issues if i.reason_code in ("pdf_truncated", "pdf_page_unreadable")]
    if partial and organisation is None and found.region_code is None:
        # facts of a partial PDF would be published under no organisation: refuse instead
        raise _Refused(IngestIssue(
            name, partial[0].reason_code,
            f"{'; '.join(i.detail for i in partial[:3])}; the pages read do not name the region or "
            "organisation, so the facts cannot be attributed: deliver the complete file",
            sha, size,
        ))
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
