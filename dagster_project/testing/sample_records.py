"""Small records for tests that need one document in the raw layer: an annual report of Region
Västerbotten and a budget-deviation fact read from its running text."""

from __future__ import annotations

from datetime import date

from ..extraction.records import DocumentMeta, Fact


def annual_report_meta(
    name: str = "rapport.txt", sha: str = "aaa", *, size_bytes: int = 100, line_count: int = 40
) -> DocumentMeta:
    return DocumentMeta(
        name,
        name.rsplit(".", 1)[0],
        sha,
        size_bytes,
        "24",
        "Region Västerbotten",
        "annual_report",
        date(2022, 1, 1),
        date(2022, 12, 31),
        "Årsrapport 2022",
        "utf-8",
        line_count,
    )


def budget_deviation_fact(
    name: str = "rapport.txt",
    value: float = -199.0,
    *,
    line: int = 3,
    text: str = "ett underskott på 199 miljoner kronor",
) -> Fact:
    return Fact(
        name,
        "budget_deviation_mnkr",
        "Hälso- och sjukvårdsnämnden",
        "24",
        date(2022, 1, 1),
        date(2022, 12, 31),
        "year",
        "actual",
        "total",
        value,
        "mnkr",
        False,
        line,
        text,
        "text:test",
    )


def document_meta(
    *,
    document: str = "doc.txt",
    region: str | None = "24",
    region_name: str | None = None,
    kind: str = "interim_report",
    start: date | None = date(2023, 1, 1),
    end: date | None = date(2023, 4, 30),
    title: str | None = None,
    organisation: str | None = None,
    code: str | None = None,
    published: date | None = None,
    sha256: str = "",
) -> DocumentMeta:
    """What extraction rules read of a document (kind, period, whose report), for tests that
    extract from lines in hand."""
    return DocumentMeta(
        document=document,
        document_id=document.rsplit(".", 1)[0],
        sha256=sha256,
        size_bytes=0,
        region_code=region,
        region_name=region_name,
        document_kind=kind,
        period_start=start,
        period_end=end,
        title=title,
        encoding="utf-8",
        line_count=0,
        organisation=organisation,
        organisation_code=code,
        published_on=published,
    )
