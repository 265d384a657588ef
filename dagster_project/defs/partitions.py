"""Documents as Dagster dynamic partitions, and the plan of a refresh run.

A partition is one document, keyed by its stable document_id (the slug of its file name that
survives re-deliveries, see extraction.inbox.document_id_for). A refresh run targets the
partitions whose file is new or changed (content hash, or a new extractor version); the
extraction asset reads the range in one run (single-run backfill policy), and everything
downstream is rebuilt once. The CLI (`make warehouse`), the inbox sensor and the monthly
schedule all plan the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from ..extraction.documents import file_fingerprint
from ..extraction.inbox import delivery_number, document_id_for, scan_inbox
from ..warehouse import extraction_store

DOCUMENTS = dg.DynamicPartitionsDefinition(name="documents")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    document_id: str
    fingerprint: str


@dataclass
class Inbox:
    """The inbox by document: one file per document_id, the latest delivery of each."""

    files: dict[str, InboxFile] = field(default_factory=dict)
    superseded: dict[Path, InboxFile] = field(default_factory=dict)  # older file -> the one kept
    why_kept: dict[str, str] = field(default_factory=dict)  # document_id -> why its file won, when several
    names: list[str] = field(default_factory=list)  # every candidate file name in the inbox


def read_inbox(reports_dir: Path, store_dir: Path | None = None) -> Inbox:
    """One file per document_id. Among files of one document the latest delivery wins, decided
    by what a person can see: the delivery number in the name ('Rapport (2).txt' after
    'rapport.txt'), then content the store has not extracted yet (a corrected file), and only
    then the file date, which copying with cp -p, unzip or rsync -a can make older."""
    inbox = Inbox()
    by_document: dict[str, list[InboxFile]] = {}
    for path in scan_inbox(reports_dir):
        inbox.names.append(path.name)
        entry = InboxFile(path, document_id_for(path.name), file_fingerprint(path, reports_dir))
        by_document.setdefault(entry.document_id, []).append(entry)
    for document_id, entries in by_document.items():
        stored = extraction_store.header(store_dir, document_id) if store_dir is not None and len(entries) > 1 else None

        def rank(entry: InboxFile, stored: dict | None = stored) -> tuple:
            is_new = stored is None or stored["source_fingerprint"] != entry.fingerprint
            return (delivery_number(entry.path.name), is_new, _mtime(entry.path), entry.path.name)

        ordered = sorted(entries, key=rank)
        kept = ordered[-1]
        inbox.files[document_id] = kept
        if len(ordered) > 1:
            runner_up = ordered[-2]
            if delivery_number(kept.path.name) > delivery_number(runner_up.path.name):
                inbox.why_kept[document_id] = f"delivery {delivery_number(kept.path.name)} by its name"
            elif rank(kept)[1] and not rank(runner_up)[1]:
                inbox.why_kept[document_id] = "its content is new; the other's was extracted before"
            else:
                inbox.why_kept[document_id] = "the same delivery number in both names: the later file date"
        for older in ordered[:-1]:
            inbox.superseded[older.path] = kept
    return inbox


def _mtime(path: Path) -> int:
    try:
        return path.lstat().st_mtime_ns
    except OSError:
        return 0


def is_current(store_dir: Path, entry: InboxFile) -> bool:
    """The store holds this file's extraction (or its refusal) by the current extractor."""
    stored = extraction_store.header(store_dir, entry.document_id)
    return (
        stored is not None
        and stored["file_name"] == entry.path.name
        and stored["source_fingerprint"] == entry.fingerprint
        and stored["extractor_version"] == extraction_store.extractor_version()
    )


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


def plan_refresh(known_partitions: Sequence[str], reports_dir: Path, store_dir: Path) -> RefreshPlan:
    """Which documents a run must extract, and the partition range that covers them.

    Partitions are ordered by when they were added, so the range runs from the first changed
    document to the last; unchanged documents inside it are skipped by the extraction asset.
    """
    inbox = read_inbox(reports_dir, store_dir)
    known = list(known_partitions)
    new = [document_id for document_id in sorted(inbox.files) if document_id not in set(known)]
    order = known + new
    changed = [d for d in order if d in inbox.files and not is_current(store_dir, inbox.files[d])]
    partition_range = (changed[0], changed[-1]) if changed else None
    return RefreshPlan(new_partitions=new, changed=changed, partition_range=partition_range)
