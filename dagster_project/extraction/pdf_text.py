"""PDF bytes -> lines with the page of each, repaired when the file is cut off; or a refusal
(encrypted, too many pages, unreadable, no text layer)."""

from __future__ import annotations

import io
import re

from .pdf_layout import PageLine, drop_page_furniture, page_lines
from .records import IngestIssue
from .refusal import Refused, caveat, refused


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
    for page_number, kept in zip(page_numbers, kept_pages, strict=True):
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


def _too_many_pages(name: str, found: _TooManyPages, sha: str, size: int) -> Refused:
    return refused(
        name,
        "too_many_pages",
        f"the PDF has {found.pages} pages, more than the limit of {found.limit} (MAX_PDF_PAGES); no page was read",
        sha,
        size,
    )


def pdf_lines(
    data: bytes, name: str, sha: str, size: int, max_pages: int
) -> tuple[list[str], list[int], list[IngestIssue]]:
    issues: list[IngestIssue] = []
    cut_off = b"%%EOF" not in data[-2048:]
    try:
        page_count, lines, pages, failed = _extract_pdf(data, max_pages)
        if cut_off:
            issues.append(
                caveat(name, "pdf_truncated", "PDF has no %%EOF marker at its end: the file may be cut off", sha, size)
            )
    except _TooManyPages as found:
        raise _too_many_pages(name, found, sha, size) from None
    except Exception as exc:  # broken xref, encryption, not a PDF at all...
        if _is_encrypted(exc, data):
            raise refused(
                name,
                "pdf_encrypted",
                "the PDF is encrypted and needs a password to open: deliver a copy saved without a password",
                sha,
                size,
            ) from exc
        error = f"{type(exc).__name__}: {exc}".rstrip(": ") or type(exc).__name__
        repaired = _repair_truncated_pdf(data) if cut_off else None
        if repaired is None:
            raise refused(name, "pdf_unreadable", f"pdfplumber could not open the PDF: {error}", sha, size) from exc
        try:
            page_count, lines, pages, failed = _extract_pdf(repaired, max_pages)
        except _TooManyPages as found:
            raise _too_many_pages(name, found, sha, size) from None
        except Exception as again:
            raise refused(
                name,
                "pdf_unreadable",
                f"PDF is cut off (no %%EOF) and could not be repaired: {error}; after repair: {type(again).__name__}: {again}",
                sha,
                size,
            ) from again
        empty_pages = sorted(set(range(1, page_count + 1)) - set(pages))
        if not any(line.strip() for line in lines):
            detail = f"PDF is cut off (no %%EOF) and no page text survives: {error}"
            raise refused(name, "pdf_unreadable", detail, sha, size) from exc
        issues.append(
            caveat(
                name,
                "pdf_truncated",
                f"PDF is cut off after byte {size} (no %%EOF, {error}); of its {page_count} pages, "
                f"{page_count - len(empty_pages)} were read and these were lost (no text): {_page_ranges(empty_pages) or 'none'}",
                sha,
                size,
            )
        )
    for page_number, error in failed:
        issues.append(caveat(name, "pdf_page_unreadable", f"page {page_number}: {error}", sha, size))
    if page_count == 0:
        raise refused(name, "pdf_unreadable", "the PDF has no pages", sha, size)
    if not any(line.strip() for line in lines):
        detail = f"none of the {page_count} pages has extractable text (scanned images? needs OCR)"
        raise refused(name, "no_text_layer", detail, sha, size)
    return lines, pages, issues


def is_pdf(head: bytes) -> bool:
    """By content, never by name: a PDF starts with '%PDF-' (the format allows a little junk before it)."""
    return b"%PDF-" in head[:1024]
