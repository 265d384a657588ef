"""Stand-ins for the extraction worker's task function, for tests of the worker pool.

They live in a module (not in a test) because spawned workers import the function by name.
"""

import os
import signal
import time
from pathlib import Path

from dagster_project.warehouse.extract_batch import Summary, Task, extract_to_store


def hang_or_die(task: Task) -> Summary:
    """A file whose name says 'hangs' never finishes, one that says 'dies' kills its worker the way
    the OOM killer does, one that says 'eats' asks for 8 GB; any other is extracted as usual."""
    name = Path(task.path).name
    if "eats" in name:
        bytearray(8 * 1024**3)  # beyond EXTRACT_MEMORY_MB: MemoryError, not the OOM killer
    if "hangs" in name:
        while True:
            time.sleep(1)
    if "dies" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_to_store(task)
