"""Writing the report's files: every page, the source views and the stylesheet, into one folder.

The folder works offline and from disk: pages link each other and static/report.css relatively.
Generated sub-folders (kpi/, sources/, static/) are replaced, so a KPI or a report that left the
warehouse leaves no stale page behind.
"""

from __future__ import annotations

import logging
import shutil
from collections import defaultdict
from pathlib import Path

from . import pages
from .queries import DocumentReport, Warehouse

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


def document_lines(document: str, reports_dir: Path | None) -> list[str] | None:
    """The document's lines numbered exactly as extraction numbered them, or None if unavailable."""
    if reports_dir is None or not (reports_dir / document).is_file():
        return None
    from ..extraction.documents import DocumentText, read_document

    read = read_document(reports_dir / document, reports_dir)
    return read.lines if isinstance(read, DocumentText) else None


def name_pages(documents: list[DocumentReport]) -> None:
    """Each report's page file name: its stem, or the whole name when two files share a stem."""
    used: set[str] = set()
    for report in documents:
        stem_name = f"{Path(report.document).stem}.html"
        report.file_name = (
            stem_name
            if stem_name not in used and stem_name not in ("index.html", "findings.html")
            else (f"{report.document}.html")
        )
        used.add(report.file_name)


def source_texts(warehouse: Warehouse) -> dict[tuple[str, int], str]:
    """(document, line) -> the text a row quotes from it: tooltips for the lines findings cite."""
    texts: dict[tuple[str, int], str] = {}
    for report in warehouse.documents:
        for row in report.observations + report.goals:
            if row.get("source_line"):
                texts.setdefault((row["document"], row["source_line"]), row.get("source_text") or "")
    return texts


def kpi_summaries(warehouse: Warehouse) -> tuple[list[dict], dict[str, list[dict]]]:
    """The KPIs with a trend page (index rows) and each KPI's series rows."""
    by_kpi: dict[str, list[dict]] = defaultdict(list)
    for row in warehouse.series:
        if row.get("period_end") is not None:
            by_kpi[row["kpi_code"]].append(row)
    summaries = [
        {
            "kpi_code": code,
            "name": rows[0].get("kpi_name_sv") or code,
            "organisations": len({r.get("org_unit_name") for r in rows}),
            "periods": len({r["period_end"] for r in rows}),
            "first": min(r["period_end"] for r in rows),
            "last": max(r["period_end"] for r in rows),
        }
        for code, rows in by_kpi.items()
    ]
    return sorted(summaries, key=lambda s: s["name"].lower()), by_kpi


def _fresh(directory: Path) -> Path:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


def write_site(warehouse: Warehouse, out_dir: Path, reports_dir: Path | None) -> list[Path]:
    """Write every page into out_dir; returns the report pages, KPI pages, findings.html and index.html last."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name_pages(warehouse.documents)
    shutil.rmtree(out_dir / "static", ignore_errors=True)
    shutil.copytree(STATIC_DIR, out_dir / "static")
    sources_dir, kpi_dir = _fresh(out_dir / "sources"), _fresh(out_dir / "kpi")
    texts = source_texts(warehouse)
    cited: dict[str, dict[int, str]] = defaultdict(dict)
    for (document, line), text in texts.items():
        cited[document][line] = text
    for finding in warehouse.findings:
        for place in finding["sources"]:
            if place.line:
                cited[place.document].setdefault(place.line, "")

    written: list[Path] = []
    for report in warehouse.documents:
        path = out_dir / report.file_name
        path.write_text(pages.render_document(report), encoding="utf-8")
        written.append(path)
        view = pages.render_source_view(report, document_lines(report.document, reports_dir), cited[report.document])
        (sources_dir / f"{report.document}.html").write_text(view, encoding="utf-8")
    kpis, series_by_kpi = kpi_summaries(warehouse)
    for kpi in kpis:
        path = kpi_dir / f"{kpi['kpi_code']}.html"
        path.write_text(pages.render_kpi(kpi["kpi_code"], series_by_kpi[kpi["kpi_code"]]), encoding="utf-8")
        written.append(path)
    findings = out_dir / "findings.html"
    findings.write_text(pages.render_findings(warehouse.findings, texts), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(pages.render_index(warehouse, kpis), encoding="utf-8")
    written += [findings, index]
    log.info("wrote %d report pages, %d KPI pages to %s", len(warehouse.documents), len(kpis), out_dir)
    return written
