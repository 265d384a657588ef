"""Command line for the operations that are not asset materialisations.

    python -m dagster_project.cli publish        # publish the build file (after a materialisation)
    python -m dagster_project.cli rollback       # put the previous published warehouse back
    python -m dagster_project.cli retire FILE    # remove a document's rows from the build file
    python -m dagster_project.cli example OUT    # small sample warehouse for the repository
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from .warehouse.load import retire_document
from .warehouse.publish import PublishError, publish, rollback
from .warehouse.settings import settings


def _example(out: Path, source: Path) -> None:
    """A small warehouse with the BI view's rows of a few documents, for people to look at."""
    out.unlink(missing_ok=True)
    with duckdb.connect(str(out)) as con:
        quoted = str(source).replace("'", "''")  # ATTACH takes no bound parameters
        con.execute(f"attach '{quoted}' as source (read_only)")
        con.execute("create schema marts")
        for relation in ("kpi_observations", "consistency_findings", "check_results"):
            exists = con.execute(
                "select count(*) from duckdb_tables() where database_name = 'source' and schema_name = 'marts' "
                "and table_name = ? union all select count(*) from duckdb_views() where database_name = 'source' "
                "and schema_name = 'marts' and view_name = ?",
                [relation, relation],
            ).fetchall()
            if sum(row[0] for row in exists):
                con.execute(f"create table marts.{relation} as select * from source.marts.{relation}")
        con.execute("detach source")
        con.execute("checkpoint")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report-warehouse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("publish", help="publish the build file onto WAREHOUSE_PATH")
    commands.add_parser("rollback", help="restore the previous published warehouse")
    retire = commands.add_parser("retire", help="remove a document from the warehouse (facts kept in history)")
    retire.add_argument("document", help="file name as loaded, e.g. rvb_hsn_arsrapport_2022.txt")
    example = commands.add_parser("example", help="write a small sample warehouse")
    example.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    current = settings()
    try:
        if args.command == "publish":
            counts = publish(current.build_path, current.warehouse_path, current.keep_published)
            print(f"published {current.warehouse_path}: {counts}")
        elif args.command == "rollback":
            restored = rollback(current.warehouse_path)
            print(f"restored {restored.name} as {current.warehouse_path}")
        elif args.command == "retire":
            with duckdb.connect(str(current.build_path)) as con:
                removed = retire_document(con, args.document)
            print(f"retired {args.document}: {removed} facts moved to raw.facts_history; "
                  "materialise the warehouse to rebuild and publish")
        elif args.command == "example":
            _example(args.out, current.warehouse_path)
            print(f"wrote {args.out}")
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
