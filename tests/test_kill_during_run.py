"""A run killed with SIGKILL at any moment leaves the published warehouse unchanged and readable."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _start(env, log):
    command = [sys.executable, "-m", "dagster_project.cli", "refresh"]  # what `make warehouse` runs
    # output goes to a file: a pipe nobody reads would fill up and stall the run
    with open(log, "ab") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def _snapshot(path):
    with duckdb.connect(str(path), read_only=True) as con:
        # rounded: a float sum depends on the order DuckDB's threads add the rows in
        return con.execute("select count(*), round(sum(value), 6) from marts.kpi_observations").fetchone()


def test_kill_at_several_moments_then_complete(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    reports = sorted((ROOT / "seeds" / "reports").glob("*.txt"))
    for report in reports[:2]:
        shutil.copy(report, inbox / report.name)
    env = {
        **os.environ,
        "REPORTS_DIR": str(inbox),
        "WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb"),
        "DUCKDB_PATH": str(tmp_path / "build" / "warehouse.build.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    (tmp_path / "dagster_home").mkdir()
    log = tmp_path / "runs.log"
    first = _start(env, log)
    assert first.wait(timeout=600) == 0, log.read_text(errors="replace")[-2000:]
    published = tmp_path / "warehouse.duckdb"
    before = _snapshot(published)

    shutil.copy(reports[2], inbox / reports[2].name)  # a new report makes the next runs do real work
    seen = []
    for delay in (3, 8, 15, 25):
        run = _start(env, log)
        time.sleep(delay)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        seen.append(_snapshot(published))  # opens and reads: never a half-built file

    final = _start(env, log)
    assert final.wait(timeout=600) == 0, log.read_text(errors="replace")[-2000:]
    after = _snapshot(published)
    assert after[0] > before[0]
    # each kill left the old version or the complete new one (a run may publish and then be killed
    # while it exits), never anything in between
    assert set(seen) <= {before, after}, (before, after, seen)
    assert not list(tmp_path.glob(".warehouse.duckdb.publishing-*"))
