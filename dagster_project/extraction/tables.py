"""Flattened tables -> KPI facts: side-by-side tables with period headers, then month tables.

PDF text extraction flattens a table into lines; the readers (side_by_side_tables,
month_tables) read that structure (headers, cell counts, label/value runs), and table_rules
decides which KPI a block holds from its caption and column headers, never from the
document's name or line numbers. Slide charts are read by charts.py.
"""

from __future__ import annotations

from .month_tables import extract_month_tables
from .records import DocumentMeta, Extraction
from .side_by_side_tables import extract_side_by_side_tables


def extract_tables(meta: DocumentMeta, lines: list[str]) -> tuple[Extraction, set[int]]:
    """Facts from flattened tables, and the 1-based lines they used."""
    out = Extraction()
    consumed: set[int] = set()
    extract_side_by_side_tables(meta, lines, out, consumed)
    extract_month_tables(meta, lines, out, consumed)
    return out, consumed
