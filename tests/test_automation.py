"""Inbox sensor and monthly schedule."""

import os

import dagster as dg

from dagster_project.defs.automation import monthly_refresh, report_inbox


def _evaluate(cursor):
    context = dg.build_sensor_context(cursor=cursor)
    result = report_inbox(context)
    return result, context.cursor


def test_sensor_requests_a_run_for_new_and_changed_reports_only(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path))
    (tmp_path / "a.txt").write_text("Årsrapport 2022", encoding="utf-8")
    first, cursor = _evaluate(None)
    assert isinstance(first, dg.RunRequest) and first.tags["changed_files"] == "a.txt"

    again, cursor = _evaluate(cursor)
    assert isinstance(again, dg.SkipReason)

    (tmp_path / "b.txt").write_text("Delårsrapport per april 2023", encoding="utf-8")
    os.utime(tmp_path / "a.txt", ns=(1, 1))
    changed, cursor = _evaluate(cursor)
    assert isinstance(changed, dg.RunRequest)
    assert changed.tags["changed_files"] == "a.txt,b.txt"
    assert changed.run_key != first.run_key

    (tmp_path / "b.txt").unlink()  # removal never triggers a run: documents stay until retired
    removed, _ = _evaluate(cursor)
    assert isinstance(removed, dg.SkipReason) and "retired" in removed.skip_message


def test_schedule_runs_monthly_in_stockholm_time():
    assert monthly_refresh.cron_schedule == "0 6 5 * *"
    assert monthly_refresh.execution_timezone == "Europe/Stockholm"
