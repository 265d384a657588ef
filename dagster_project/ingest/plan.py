"""The plan of a refresh run: which documents to extract, and the partition range covering them.

A partition is one document, keyed by its stable document_id (the slug of its file name that
survives re-deliveries, see extraction.inbox.document_id_for). A refresh run targets the
partitions whose file is new or changed (content hash, or a new extractor version); the
extraction asset reads the range in one run (single-run backfill policy), and everything
downstream is rebuilt once. The CLI (`make warehouse`), the inbox sensor and the monthly
schedule all plan the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..extraction.inbox import scan_inbox
from .registry import is_current, read_inbox

# Dagster's run tags for a run over a range of partitions (its single-run backfills set the
# same); Dagster exports the constants only from a private module, so they are spelled here.
ASSET_PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"


@dataclass(frozen=True)
class RefreshPlan:
    new_partitions: list[str]
    changed: list[str]  # document ids to (re-)extract, in partition order
    partition_range: tuple[str, str] | None

    @property
    def tags(self) -> dict[str, str]:
        if self.partition_range is None:
            return {}
        start, end = self.partition_range
        return {ASSET_PARTITION_RANGE_START_TAG: start, ASSET_PARTITION_RANGE_END_TAG: end}

    def describe(self) -> str:
        if not self.changed:
            return "no new or changed documents: rebuild and publish only"
        return f"{len(self.changed)} new or changed document(s): {', '.join(self.changed[:10])}" + (
            " ..." if len(self.changed) > 10 else ""
        )


def plan_refresh(
    known_partitions: Sequence[str], reports_dir: Path, store_dir: Path, everything: bool = False
) -> RefreshPlan:
    """Which documents a run must extract, and the partition range that covers them.

    Partitions are ordered by when they were added, so the range runs from the first changed
    document to the last; unchanged documents inside it are skipped by the extraction asset.
    `everything` (a full refresh) counts every document in the inbox as changed.
    """
    inbox = read_inbox(reports_dir, store_dir)
    known = list(known_partitions)
    new = [document_id for document_id in sorted(inbox.files) if document_id not in set(known)]
    order = known + new
    changed = [d for d in order if d in inbox.files and (everything or not is_current(store_dir, inbox.files[d]))]
    partition_range = (changed[0], changed[-1]) if changed else None
    return RefreshPlan(new_partitions=new, changed=changed, partition_range=partition_range)


def inbox_state(reports_dir) -> dict[str, list]:
    """File name -> [size, mtime_ns] of the inbox's candidates (inbox.scan_inbox): enough to
    notice a new or replaced report without reading it."""
    state = {}
    for path in scan_inbox(reports_dir):
        try:
            stat = path.lstat()  # a broken symlink is still a change worth a plan
        except OSError:  # removed since the scan
            continue
        state[path.name] = [stat.st_size, stat.st_mtime_ns]
    return state
