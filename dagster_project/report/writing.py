"""Writing the report's files: every page, the source views and the stylesheet, into one folder.

The folder works offline and from disk: pages link each other and static/report.css relatively.
A page is rendered again only when what it shows changed: .page_inputs.json keeps a digest of
each page's inputs (its rows, its document's version and the report code), so a monthly refresh
that adds one report writes that report's pages, the KPI pages and the index, not every page of
the warehouse. A report's rows enter its inputs as digests computed in SQL (row_digests), and are
read only for a page that is rendered. A page whose report or KPI left the warehouse is deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from . import pages
from .labels import LABELS_CSV
from .queries import DocumentReport, Warehouse, WarehouseReader

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"


PAGE_INPUTS = ".page_inputs.json"


def document_lines(document: str, reports_dir: Path | None) -> list[str] | None:
    """The document's lines numbered exactly as extraction numbered them, or None if unavailable."""
    if reports_dir is None or not (reports_dir / document).is_file():
        return None
    from ..extraction.documents import read_lines

    return read_lines(reports_dir / document, reports_dir)


def _file_version(path: Path | None) -> list | None:
    """What tells a changed report file without reading it: its size and modification time."""
    try:
        seen = path.stat() if path is not None else None
    except OSError:
        return None
    return [seen.st_size, seen.st_mtime_ns] if seen else None


def report_code_digest() -> str:
    """The report's own code, templates and Swedish labels: a change to them renders every page again."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in [*sorted([*package.glob("*.py"), *(package / "templates").rglob("*")]), LABELS_CSV]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(inputs: object) -> str:
    return hashlib.sha256(json.dumps(inputs, default=str, sort_keys=True).encode()).hexdigest()


class PageCache:
    """Renders a page only when the digest of its inputs differs from the one it was last written
    from; remembers every page of this run, and deletes the pages of the last run it did not write."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.code = report_code_digest()
        try:
            stored = json.loads((out_dir / PAGE_INPUTS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        self.previous: dict[str, str] = stored.get("pages", {}) if stored.get("code") == self.code else {}
        self.current: dict[str, str] = {}
        self.rendered = 0

    def write(self, path: Path, inputs: object, render: Callable[[], str]) -> Path:
        key = path.relative_to(self.out_dir).as_posix()
        digest = inputs_digest(inputs)
        self.current[key] = digest
        if self.previous.get(key) != digest or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(), encoding="utf-8")
            self.rendered += 1
        return path

    def finish(self) -> None:
        """Delete pages no longer part of the report, then record this run's inputs."""
        for key in self.previous.keys() - self.current.keys():
            (self.out_dir / key).unlink(missing_ok=True)
        target = self.out_dir / PAGE_INPUTS
        partial = target.with_suffix(".tmp")
        partial.write_text(json.dumps({"code": self.code, "pages": self.current}), encoding="utf-8")
        partial.replace(target)


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


def document_texts(report: DocumentReport) -> dict[int, str]:
    """line -> the text a row of this document quotes from it: tooltips for the lines findings cite."""
    texts: dict[int, str] = {}
    for row in report.observations + report.goals:
        if row.get("source_line"):
            texts.setdefault(row["source_line"], row.get("source_text") or "")
    return texts


def cited_texts(report: DocumentReport, finding_lines: dict[int, str]) -> dict[int, str]:
    """line -> text for the source view: the lines the rows quote, and the lines findings cite."""
    own = document_texts(report)
    return {**own, **{line: text for line, text in finding_lines.items() if line not in own}}


class _Rows:
    """A document's rows, read at most once, and only when one of its pages is rendered."""

    def __init__(self, reader: WarehouseReader, report: DocumentReport) -> None:
        self.reader, self.report, self.loaded = reader, report, False

    def __call__(self) -> DocumentReport:
        if not self.loaded:
            self.reader.load_rows(self.report)
            self.loaded = True
        return self.report


def kpi_summary(code: str, rows: list[dict]) -> dict:
    """A KPI's row on the index: its name, how many organisations and periods its series cover."""
    return {
        "kpi_code": code,
        "name": rows[0].get("kpi_name_sv") or code,
        "organisations": len({r.get("org_unit_name") for r in rows}),
        "periods": len({r["period_end"] for r in rows}),
        "first": min(r["period_end"] for r in rows),
        "last": max(r["period_end"] for r in rows),
    }


def _stale_pages(directory: Path, written: dict[str, str], out_dir: Path) -> None:
    """Pages in a generated folder that this run did not write (left by a run before the page
    inputs were recorded, or by hand)."""
    for path in directory.glob("*.html"):
        if path.relative_to(out_dir).as_posix() not in written:
            path.unlink()


def write_site(warehouse: Warehouse, out_dir: Path, reports_dir: Path | None, reader: WarehouseReader) -> list[Path]:
    """Write every page into out_dir; returns the report pages, KPI pages, findings.html and index.html last.

    `warehouse` is the reader's outline: each document's rows are read while its pages are written
    and let go after, and each KPI's series likewise."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name_pages(warehouse.documents)
    shutil.rmtree(out_dir / "static", ignore_errors=True)
    shutil.copytree(STATIC_DIR, out_dir / "static")
    sources_dir, kpi_dir = out_dir / "sources", out_dir / "kpi"
    finding_lines: dict[str, dict[int, str]] = defaultdict(dict)
    for finding in warehouse.findings:
        for place in finding["sources"]:
            if place.line:
                finding_lines[place.document].setdefault(place.line, "")
    # the quoted text of each line a finding cites, read for those lines only
    texts = reader.quoted_texts(sorted((d, line) for d, lines in finding_lines.items() for line in lines))

    # a finding is on the page of every document it cites: hashed once, not once per page
    finding_digests = {id(finding): inputs_digest(finding) for finding in warehouse.findings}

    cache = PageCache(out_dir)
    written: list[Path] = []
    for report in warehouse.documents:
        rows = _Rows(reader, report)
        # the rows stand in the inputs by their digests (report.row_digests, computed in SQL): an
        # unchanged document's rows are not read at all, only those of a page that is rendered
        inputs = {k: v for k, v in vars(report).items() if k not in ("observations", "goals", "findings")}
        inputs["findings"] = [finding_digests[id(finding)] for finding in report.findings]
        written.append(cache.write(out_dir / report.file_name, inputs, lambda rows=rows: pages.render_document(rows())))
        source_file = reports_dir / report.document if reports_dir is not None else None
        cited_lines = finding_lines[report.document]
        cache.write(
            sources_dir / f"{report.document}.html",
            # the view shows the lines its rows quote (their texts when the file is missing) and the
            # lines findings cite: what cited_texts builds from the rows
            [
                report.sha256,
                report.file_name,
                _file_version(source_file),
                report.row_digests.get("quoted"),
                sorted(cited_lines),
            ],
            lambda rows=rows, c=cited_lines: pages.render_source_view(
                rows(), document_lines(rows.report.document, reports_dir), cited_texts(rows(), c)
            ),
        )
        report.observations, report.goals = [], []  # read again by the next refresh, not kept
    kpis = []
    for code in reader.kpi_codes():
        rows = reader.kpi_series(code)
        if not rows:
            continue
        kpis.append(kpi_summary(code, rows))
        written.append(cache.write(kpi_dir / f"{code}.html", rows, lambda c=code, r=rows: pages.render_kpi(c, r)))
    kpis.sort(key=lambda s: s["name"].lower())
    findings = out_dir / "findings.html"
    findings.write_text(pages.render_findings(warehouse.findings, texts), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(pages.render_index(warehouse, kpis), encoding="utf-8")
    written += [findings, index]
    cache.finish()
    for directory in (sources_dir, kpi_dir):
        _stale_pages(directory, cache.current, out_dir)
    log.info(
        "report of %d documents and %d KPIs in %s: %d pages rendered, the rest unchanged",
        len(warehouse.documents),
        len(kpis),
        out_dir,
        cache.rendered,
    )
    return written
