"""Whole-warehouse work in a short-lived process, so the memory it takes leaves with that process
instead of staying with the long-running Dagster process."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def run_in_child(function, *args):
    """`function(*args)` in a fresh process (spawn: no copy of this one's memory), its result back."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as child:
        return child.submit(function, *args).result()
