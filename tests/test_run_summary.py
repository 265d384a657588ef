"""What a refresh prints, where the rest goes, and the command a failed run calls."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import run_summary
from dagster_project.defs.alerts import refresh_failure_command


def test_output_of_the_process_and_its_children_goes_to_the_log(tmp_path, capfd):
    log = tmp_path / "logs" / "refresh.log"
    with run_summary.captured_output(log):
        print("a Dagster DEBUG line")
        print("a warning", file=sys.stderr)
        subprocess.run([sys.executable, "-c", "print('dbt: 1 of 141 START')"], check=True)
    print("the summary")
    out, err = capfd.readouterr()
    assert out == "the summary\n" and err == ""
    text = log.read_text(encoding="utf-8")
    assert "a Dagster DEBUG line" in text and "a warning" in text and "dbt: 1 of 141 START" in text


def _warehouse(path: Path, *, failed_check: bool) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_document as select 'a.txt' as document_name, false as is_unknown_member")
        con.execute(
            "create table marts.ingest_issues as select * from (values "
            "('tom.txt', 'empty_file', true), ('x.txt', 'caveat', false)) t(file_name, reason_code, is_fatal)"
        )
        con.execute(
            "create table marts.kpi_observations as select * from (values (true), (false), (true)) t(is_preferred)"
        )
        con.execute("create table marts.kpi_series as select 1 as kpi_series_id from range(2)")
        con.execute("create table marts.consistency_findings as select 'warn' as severity from range(3)")
        status = "failed" if failed_check else "passed"
        con.execute(
            f"create table marts.check_results as select * from (values "
            f"('schema.expect_value', '{status}', true), ('rules.expect_excess', 'findings', false)) "
            "t(check_name, status, blocking)"
        )
    return path


def test_a_successful_run_is_summarised_in_a_few_lines(tmp_path):
    summary = run_summary.Summary(
        success=True, seconds=48.2, published=tmp_path / "warehouse.duckdb", log=tmp_path / "refresh.log", read=5
    )
    run_summary.describe_warehouse(summary, _warehouse(tmp_path / "w.duckdb", failed_check=False))
    lines = summary.lines()
    assert lines[0] == f"Warehouse refreshed in 48 s: published {tmp_path / 'warehouse.duckdb'}"
    text = "\n".join(lines)
    assert "5 read this run (new or changed), 1 in the warehouse, 1 refused" in text
    assert "refused: tom.txt (empty_file)" in text and "x.txt" not in text
    assert "3 values in marts.kpi_observations, 2 series in marts.kpi_series (2 preferred rows)" in text
    assert "findings in the reports: 3 warn" in text and "1 findings, 1 passed" in text
    assert lines[-1] == f"  log: {tmp_path / 'refresh.log'}"
    assert len(lines) <= 10


def test_a_failed_run_is_recorded_and_calls_the_users_command(tmp_path, monkeypatch):
    called = tmp_path / "called.txt"
    monkeypatch.setenv(
        run_summary.FAILURE_COMMAND_VARIABLE,
        f'echo "$REFRESH_STATUS|$REFRESH_RUN_ID|$REFRESH_MESSAGE|$REFRESH_LOG" > "{called}"',
    )
    summary = run_summary.Summary(
        success=False,
        seconds=12,
        published=tmp_path / "warehouse.duckdb",
        log=tmp_path / "refresh.log",
        run_id="r1",
        errors=["published_warehouse: Not published: blocking checks failed"],
    )
    run_summary.describe_warehouse(summary, _warehouse(tmp_path / "build.duckdb", failed_check=True))
    summary.failure_command = run_summary.call_failure_command(summary.message, summary.log, summary.run_id)
    assert summary.failure_command == "ran, exit code 0"
    assert called.read_text(encoding="utf-8").strip() == (
        f"failure|r1|published_warehouse: Not published: blocking checks failed|{tmp_path / 'refresh.log'}"
    )
    text = "\n".join(summary.lines())
    assert "FAILED" in text and "is unchanged" in text and "failed check: schema.expect_value" in text
    history = run_summary.record_run(tmp_path / "logs", summary, datetime(2026, 12, 5, 6, 0))
    rows = history.read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["started", "status", "run_id"]
    assert rows[1].split("\t")[:3] == ["2026-12-05T06:00:00", "failure", "r1"]


def test_no_command_set_means_nothing_is_called(monkeypatch):
    monkeypatch.delenv(run_summary.FAILURE_COMMAND_VARIABLE, raising=False)
    assert run_summary.call_failure_command("failed", None, "r1") is None


def _failed_run(instance):
    @dg.op
    def breaks():
        raise dg.Failure(description="Not published: blocking checks failed")

    @dg.job(name="refresh_warehouse")
    def job():
        breaks()

    result = job.execute_in_process(instance=instance, raise_on_error=False)
    [record] = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return result, record.dagster_event


def test_an_unattended_failed_run_calls_the_command_too(tmp_path, monkeypatch):
    called = tmp_path / "called.txt"
    monkeypatch.setenv(run_summary.FAILURE_COMMAND_VARIABLE, f'echo "$REFRESH_RUN_ID" > "{called}"')
    with dg.DagsterInstance.ephemeral() as instance:
        result, event = _failed_run(instance)
        run = instance.get_run_by_id(result.run_id)
        context = dg.build_run_status_sensor_context(
            sensor_name="refresh_failure_command",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=event,
        ).for_run_failure()
        refresh_failure_command(context)
    assert called.read_text(encoding="utf-8").strip() == result.run_id
