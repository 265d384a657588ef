"""Reading report files: the bundled corpus, classification of short texts, and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dagster_project.extraction.documents import (
    DocumentText,
    classify,
    document_id_for,
    read_document,
    scan_inbox,
)
from dagster_project.extraction.records import IngestIssue

REPORTS = Path(__file__).resolve().parents[1] / "seeds" / "reports"

# Ground truth from the corpus README.
BUNDLED = {
    "rvb_hsn_arsrapport_2022.txt": ("annual_report", "24", date(2022, 1, 1), date(2022, 12, 31), "årsrapport"),
    "rvb_delarsrapport_2023_04.txt": ("interim_report", "24", date(2023, 1, 1), date(2023, 4, 30), "delårsrapport"),
    "rvb_hsd_informerar_2024_02_28.txt": ("board_slides", "24", date(2024, 1, 1), date(2024, 1, 31), "informerar"),
    "rvb_hsn_delarsrapport_2025_08.txt": ("interim_report", "24", date(2025, 1, 1), date(2025, 8, 31), "delårsrapport"),
    "rnb_regiondirektorens_rapport_2023_02.txt": ("monthly_report", "25", date(2023, 1, 1), date(2023, 2, 28), "månadsrapport"),
}


def test_scan_inbox_lists_the_bundled_reports():
    assert [p.name for p in scan_inbox(REPORTS)] == sorted(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_document(name):
    kind, region, start, end, title_word = BUNDLED[name]
    doc = read_document(REPORTS / name, REPORTS)
    assert isinstance(doc, DocumentText), doc
    meta = doc.meta
    assert meta.document == name
    assert meta.document_kind == kind
    assert meta.region_code == region
    assert meta.region_name == {"24": "Region Västerbotten", "25": "Region Norrbotten"}[region]
    assert (meta.period_start, meta.period_end) == (start, end)
    assert meta.title and title_word in meta.title.lower() and len(meta.title) <= 70
    assert meta.encoding == "utf-8" and meta.source_format == "text"
    assert meta.line_count == len(doc.lines) > 100
    assert meta.size_bytes == (REPORTS / name).stat().st_size and len(meta.sha256) == 64
    assert doc.page_of_line is None
    assert doc.issues == []


def test_bundled_titles():
    titles = {name: read_document(REPORTS / name).meta.title for name in BUNDLED}
    assert titles["rvb_hsn_arsrapport_2022.txt"] == "HSN Årsrapport 2022"
    assert titles["rvb_delarsrapport_2023_04.txt"] == "Delårsrapport per april 2023"
    assert titles["rvb_hsd_informerar_2024_02_28.txt"] == "HSD INFORMERAR"
    assert titles["rvb_hsn_delarsrapport_2025_08.txt"] == "Delårsrapport per augusti 2025"
    assert titles["rnb_regiondirektorens_rapport_2023_02.txt"] == "Månadsrapport februari 2023"


def test_document_id_is_a_stable_slug():
    assert document_id_for("rvb_hsn_arsrapport_2022.txt") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("RVB HSN Årsrapport 2022 (2).pdf") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("rvb_hsn_arsrapport_2022_v3.txt") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("Delårsrapport per april – kopia.txt") == "delarsrapport_per_april"
