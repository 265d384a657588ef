"""python -m dagster_project.report {report,docs,export} [--out DIR]

Runs on the configured paths (warehouse/settings.py): the report and the export read the
published WAREHOUSE_PATH read-only; docs run `dbt docs generate --static` on the dbt project
(catalogued from a copy of the published file) and render its check results.
Default output folders are under build/: build/report, build/docs, build/parquet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..warehouse.settings import PROJECT_ROOT, settings

DEFAULT_OUT = {"report": "build/report", "docs": "build/docs", "export": "build/parquet"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.report", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=sorted(DEFAULT_OUT))
    parser.add_argument("--out", type=Path, help="output folder (default build/<command>)")
    args = parser.parse_args(argv)
    current = settings()
    out = args.out or PROJECT_ROOT / DEFAULT_OUT[args.command]
    if args.command == "report":
        from .render import render_reports

        written = render_reports(current.warehouse_path, out, reports_dir=current.reports_dir)
        print(f"wrote {len(written)} pages; open {out / 'index.html'}")
    elif args.command == "export":
        from .export import export_parquet

        written = export_parquet(current.warehouse_path, out)
        print(f"wrote {len(written)} Parquet files to {out}")
    else:
        from .docs_site import build_docs

        # catalogue (a copy of) the published warehouse: the build file may be gone or locked
        index = build_docs(out, duckdb_path=current.warehouse_path)
        print(f"wrote {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
