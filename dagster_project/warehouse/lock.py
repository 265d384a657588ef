"""One writer at a time for the build file and the published warehouse.

A refresh, a publish, a rollback and a retire all write the build file or the published file
(DuckDB allows one writer per file, and two publishes would replace each other's work). Each
takes this lock, a file lock next to the published warehouse (so it outlives `make clean`). A
second one waits up to LOCK_WAIT_SECONDS, then stops with "another refresh is running (pid ...)".
The lock is re-entrant within a process: a refresh that publishes holds it once. It is also
held for the processes a refresh starts (a multiprocess executor runs each step in a child):
the holder names itself in WAREHOUSE_LOCK_HOLDER, and a descendant of that live process takes
the lock as its own instead of waiting for its parent to finish.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

_held: dict[Path, list] = {}  # lock path -> [open file, depth], for re-entry in this process
HOLDER_VARIABLE = "WAREHOUSE_LOCK_HOLDER"  # '<lock path>@<pid>' of the process holding it, for its children


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
        return int(stat.rsplit(")", 1)[1].split()[1])  # the name in brackets may hold spaces
    except (OSError, ValueError, IndexError):
        return None


def _held_by_an_ancestor(path: Path) -> bool:
    lock, _, pid = os.environ.get(HOLDER_VARIABLE, "").rpartition("@")
    if lock != str(path) or not pid.isdigit():
        return False
    current: int | None = os.getppid()
    while current and current > 1:
        if current == int(pid):
            return True
        current = _parent_of(current)
    return False


class LockBusy(RuntimeError):
    """Another process holds the warehouse lock."""


def lock_path(warehouse_path: Path) -> Path:
    return Path(warehouse_path).parent / f".{Path(warehouse_path).name}.lock"


def holder(warehouse_path: Path) -> dict:
    """What the lock file says about its current or last holder (pid, purpose, since)."""
    try:
        return json.loads(lock_path(warehouse_path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _describe(found: dict) -> str:
    if not found:
        return "another refresh is running"
    return (
        f"another {found.get('purpose', 'refresh')} is running (pid {found.get('pid', '?')}, "
        f"since {found.get('since', '?')})"
    )


@contextmanager
def warehouse_lock(warehouse_path: Path, wait_seconds: float, purpose: str = "refresh") -> Iterator[None]:
    """Hold the lock of `warehouse_path` for the block; raise LockBusy after `wait_seconds`."""
    path = lock_path(warehouse_path).resolve()
    if path in _held:
        _held[path][1] += 1
        try:
            yield
        finally:
            _held[path][1] -= 1
        return
    if _held_by_an_ancestor(path):
        yield  # the refresh that started this process holds it
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held beyond this block, closed below
    deadline = time.monotonic() + wait_seconds
    told = False
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                busy = _describe(holder(warehouse_path))
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"{busy}; waited {wait_seconds:g} s (LOCK_WAIT_SECONDS) for it to finish, lock file {path}"
                    ) from None
                if not told:
                    print(f"{busy}: waiting up to {wait_seconds:g} s (LOCK_WAIT_SECONDS)", file=sys.stderr)
                    told = True
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps({"pid": os.getpid(), "purpose": purpose, "since": datetime.now().isoformat(timespec="seconds")})
        )
        handle.flush()
        _held[path] = [handle, 1]
        inherited = os.environ.get(HOLDER_VARIABLE)
        os.environ[HOLDER_VARIABLE] = f"{path}@{os.getpid()}"
        try:
            yield
        finally:
            del _held[path]
            if inherited is None:
                os.environ.pop(HOLDER_VARIABLE, None)
            else:
                os.environ[HOLDER_VARIABLE] = inherited
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
