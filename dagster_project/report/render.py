"""The HTML report: read the published warehouse read-only, write a static site that works offline.

    render_reports(warehouse_path, out_dir, reports_dir=None) -> list[Path]

Reading is queries.py (a document's rows at a time), the pages pages.py (Jinja2 templates under
templates/), the files
writing.py. The warehouse is opened read-only: BI tools may hold the published file open, and a
writer lock would fail or block them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..warehouse.settings import limit_memory
from .queries import WarehouseReader
from .writing import write_site


def render_reports(
    warehouse_path: Path | str, out_dir: Path | str, reports_dir: Path | str | None = None
) -> list[Path]:
    """Write the report into out_dir; returns the report pages, KPI pages, findings.html and index.html.

    reports_dir holds the report files for the source views' full text (default: REPORTS_DIR);
    a document missing there gets a view of the lines the warehouse cites, so links still work.
    """
    if reports_dir is None:
        from ..warehouse.settings import settings

        reports_dir = settings().reports_dir
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        limit_memory(con)
        reader = WarehouseReader(con)
        return write_site(
            reader.outline(), Path(out_dir), Path(reports_dir) if reports_dir is not None else None, reader
        )
