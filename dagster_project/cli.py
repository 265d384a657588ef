"""Command line for the operations that are not asset materialisations.

python -m dagster_project.cli refresh        # what `make warehouse` runs: extract new or changed
                                             # documents, load, build, validate, publish
python -m dagster_project.cli publish        # publish the build file (after a materialisation)
python -m dagster_project.cli rollback       # put the previous published warehouse back
python -m dagster_project.cli retire DOC     # remove a document (file name or document_id)
python -m dagster_project.cli retire --from-env DOC   # the same, the name read from variable DOC
                                             # (what `make retire DOC=...` runs: no shell sees it)
python -m dagster_project.cli example OUT    # small sample warehouse for the repository
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

import duckdb

from .extraction.inbox import InboxError
from .warehouse import lake, raw_layer
from .warehouse.lock import LockBusy, warehouse_lock
from .warehouse.publish import (
    PublishError,
    last_rollback,
    publish,
    rollback,
)
from .warehouse.restore import restore_raw_layer
from .warehouse.settings import SettingsError, settings


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


def _step_errors(result) -> list[str]:
    """Why each failed step failed, as its Failure or exception says."""
    errors = []
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        data = event.step_failure_data
        described = data.user_failure_data.description if data and data.user_failure_data else None
        if not described and data and data.error:
            described = data.error.message.strip().splitlines()[-1] if data.error.message.strip() else None
        errors.append(f"{event.step_key}: {described or event.message}")
    return errors


def _refresh(full_refresh: bool) -> int:
    """One Dagster run in this process, recorded in DAGSTER_HOME like runs started from the UI.

    Its output (Dagster's events, dbt, extraction workers) goes to build/logs/refresh-<time>.log;
    the console gets a short summary (run_summary.py). A failed run calls ON_FAILURE_COMMAND.
    """
    from . import run_summary

    current = settings()
    rolled_back = last_rollback(current.warehouse_path)
    if rolled_back:
        print(
            f"note: the warehouse was rolled back to {rolled_back['restored']} at {rolled_back['at']}; this refresh "
            "loads again what the inbox holds beyond it and republishes",
            file=sys.stderr,
        )
    started, clock = datetime.now(), time.monotonic()
    logs_dir = current.build_dir / "logs"
    log = run_summary.log_path_for(logs_dir, started)
    plan = result = failure = None
    with run_summary.captured_output(log):
        try:
            import dagster as dg

            from .definitions import build_defs
            from .defs.automation import run_refresh

            with dg.DagsterInstance.get() as instance:
                # the tag tells the run failure sensor that this process reports its own failure
                plan, result = run_refresh(
                    build_defs(), instance, full_refresh=full_refresh, tags={"refresh/reported_by": "cli"}
                )
        except Exception as error:  # noqa: BLE001 - the traceback is in the log; the summary points at it
            traceback.print_exc()
            failure = error
    summary = run_summary.Summary(
        success=bool(result is not None and result.success),
        seconds=time.monotonic() - clock,
        published=lake.published_location(current),
        log=log,
        run_id=result.run_id if result is not None else "",
        read=len(plan.changed) if plan is not None else 0,
    )
    if result is None:
        if isinstance(failure, (InboxError, LockBusy)):
            summary.errors.append(str(failure))  # a plain reason the user can act on
        summary.errors.append(f"the run could not start; the traceback is in {log}")
    elif not result.success:
        summary.errors += _step_errors(result)
        if result.asset_materializations_for_node("published_warehouse"):
            summary.errors.append(f"published {lake.published_location(current)}, but a step after publishing failed")
        else:
            summary.errors.append(f"the published warehouse {lake.published_location(current)} is unchanged")
    # a DuckLake target has no file to open: its build file holds what was committed
    shown = current.warehouse_path if summary.success and current.target == "file" else current.build_path
    run_summary.describe_warehouse(summary, shown)
    run_summary.record_run(logs_dir, summary, started)
    if not summary.success:
        summary.failure_command = run_summary.call_failure_command(summary.message, log, summary.run_id)
    print("\n".join(summary.lines()), file=sys.stdout if summary.success else sys.stderr)
    return 0 if summary.success else 1


def _retire(document: str) -> int:
    """Remove a document from the raw layer and its partition; history keeps its facts.

    The retirement is recorded (raw.retired_documents), so the next publish knows the document
    leaves on purpose and does not stop as if it had been lost."""
    from .defs.partitions import DOCUMENTS

    current = settings()
    with warehouse_lock(current.warehouse_path, current.lock_wait_seconds, "retire"):
        restore_raw_layer(current)
        retired = raw_layer.retire(current.raw_dir, document)
        if not retired:
            print(f"error: no document {document!r} in the raw layer {current.raw_dir}", file=sys.stderr)
            return 1
        import dagster as dg

        with dg.DagsterInstance.get() as instance:
            for document_id, _ in retired:
                if instance.has_dynamic_partition(DOCUMENTS.name, document_id):
                    instance.delete_dynamic_partition(DOCUMENTS.name, document_id)
    print(
        f"retired {', '.join(d for d, _ in retired)}: facts moved to raw.facts_history; run `make warehouse` to "
        "rebuild and publish (remove the file from the inbox too, or it is loaded again)"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="report-warehouse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    refresh = commands.add_parser("refresh", help="extract new or changed documents, build, validate, publish")
    refresh.add_argument(
        "--full-refresh", action="store_true", help="extract every document again and validate every row again"
    )
    commands.add_parser("publish", help="publish the build file onto WAREHOUSE_PATH")
    commands.add_parser("rollback", help="restore the previous published warehouse")
    retire = commands.add_parser("retire", help="remove a document from the warehouse (facts kept in history)")
    retire.add_argument("document", nargs="?", help="file name or document_id, e.g. rvb_hsn_arsrapport_2022.txt")
    retire.add_argument(
        "--from-env",
        metavar="VARIABLE",
        help="read the file name or document_id from this environment variable (make retire DOC=...)",
    )
    example = commands.add_parser("example", help="write a small sample warehouse")
    example.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    try:
        current = settings()
        if args.command == "refresh":
            return _refresh(args.full_refresh)
        if args.command == "publish" and current.target == "ducklake":
            counts = lake.publish(current.build_path, current, allow_shrink=current.allow_shrink)
            print(f"published a new snapshot of the DuckLake {lake.shown_catalog(current.ducklake_catalog)}: {counts}")
        elif args.command == "publish":
            counts = publish(current.build_path, current.warehouse_path, current.keep_published)
            print(f"published {current.warehouse_path}: {counts}")
        elif args.command == "rollback" and current.target == "ducklake":
            restored = lake.rollback(current)
            print(
                f"the DuckLake is back at snapshot {restored.version} (published {restored.at:%Y-%m-%d %H:%M}), "
                "committed as a new snapshot. The next refresh publishes again what the raw layer holds beyond "
                "it (retire or remove a file to keep it out)"
            )
        elif args.command == "rollback":
            restored = rollback(current.warehouse_path)
            print(
                f"restored {restored.name} as {current.warehouse_path}. The next refresh publishes again what "
                "the raw layer holds beyond this version (retire or remove a file to keep it out)"
            )
        elif args.command == "retire":
            document = os.environ.get(args.from_env, "") if args.from_env else args.document
            if not document or (args.from_env and args.document):
                parser.error(
                    "retire needs one document: a file name or document_id, or --from-env VARIABLE "
                    "naming a variable that holds one (make retire DOC=<file name>)"
                )
            return _retire(document)
        elif args.command == "example":
            _example(args.out, current.warehouse_path)
            print(f"wrote {args.out}")
    except (PublishError, InboxError, LockBusy, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
