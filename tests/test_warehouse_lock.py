"""The warehouse lock: one writer, held also for the step processes a refresh starts."""

import os
import subprocess
import sys
import textwrap

import pytest

from dagster_project.warehouse.lock import (
    HOLDER_VARIABLE,
    LockBusy,
    lock_path,
    warehouse_lock,
)

TAKE_LOCK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from dagster_project.warehouse.lock import LockBusy, warehouse_lock
    try:
        with warehouse_lock(Path(sys.argv[1]), 0.2, "test"):
            print("took it")
    except LockBusy as busy:
        print(f"busy: {busy}")
""")


def _take_in_child(warehouse, env=None):
    result = subprocess.run(
        [sys.executable, "-c", TAKE_LOCK, str(warehouse)],
        capture_output=True,
        text=True,
        env=env if env is not None else os.environ.copy(),
        check=True,
        cwd=os.getcwd(),
    )
    return result.stdout.strip()


def test_a_step_process_of_the_holder_takes_the_lock(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with warehouse_lock(warehouse, 1, "refresh"):
        assert os.environ[HOLDER_VARIABLE].endswith(f"@{os.getpid()}")
        assert _take_in_child(warehouse) == "took it"
    assert HOLDER_VARIABLE not in os.environ


def test_another_process_claiming_the_holder_still_waits(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    # a process that is no descendant of the holder gets no pass, whatever its environment says
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        from dagster_project.warehouse.lock import warehouse_lock
        with warehouse_lock(Path({str(warehouse)!r}), 1, "refresh"):
            print("holding", flush=True)
            time.sleep(30)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        forged = {**os.environ, HOLDER_VARIABLE: f"{lock_path(warehouse).resolve()}@{holder.pid}"}
        assert _take_in_child(warehouse, forged).startswith("busy: another refresh is running")
        with pytest.raises(LockBusy), warehouse_lock(warehouse, 0.2, "publish"):
            pass
    finally:
        holder.kill()
        holder.wait()
