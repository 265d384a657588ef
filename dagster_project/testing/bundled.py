"""The bundled reports' region, kind and period as the document reader finds them, for tests that
run one extractor on a report's lines without reading the file through the whole pipeline."""

from __future__ import annotations

from datetime import date

from ..extraction.records import DocumentMeta

# file name -> (region code, document kind, period start, period end)
BUNDLED_REPORTS = {
    "rvb_hsn_arsrapport_2022.txt": ("24", "annual_report", date(2022, 1, 1), date(2022, 12, 31)),
    "rvb_delarsrapport_2023_04.txt": ("24", "interim_report", date(2023, 1, 1), date(2023, 4, 30)),
    "rvb_hsn_delarsrapport_2025_08.txt": ("24", "interim_report", date(2025, 1, 1), date(2025, 8, 31)),
    "rvb_hsd_informerar_2024_02_28.txt": ("24", "board_slides", date(2024, 1, 1), date(2024, 1, 31)),
    "rnb_regiondirektorens_rapport_2023_02.txt": ("25", "monthly_report", date(2023, 1, 1), date(2023, 2, 28)),
}


def make_meta(document: str, region: str, kind: str, start: date, end: date, lines: int = 0) -> DocumentMeta:
    """A document's metadata as read, with a dummy hash and size."""
    return DocumentMeta(
        document, document.rsplit(".", 1)[0], "0" * 64, 0, region, None, kind, start, end, None, "utf-8", lines
    )
