"""The inbox this run, by document: which file stands for each document_id, whether its
extraction is current, and which files are no document of their own.

Among files of one document the latest delivery wins (read_inbox); build_registry adds the
files refused before reading and the same content delivered under two names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..extraction.documents import file_fingerprint
from ..extraction.inbox import delivery_number, document_id_for, scan_inbox
from ..extraction.records import IngestIssue
from ..warehouse import raw_layer


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
        stored = raw_layer.header(store_dir, document_id) if store_dir is not None and len(entries) > 1 else None

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
    """The raw layer holds this file's extraction (or its refusal) by the current extractor."""
    stored = raw_layer.header(store_dir, entry.document_id)
    return (
        stored is not None
        and stored["file_name"] == entry.path.name
        and stored["source_fingerprint"] == entry.fingerprint
        and stored["extractor_version"] == raw_layer.extractor_version()
    )


@dataclass
class Registry:
    """The inbox this run, by document_id: which file stands for each document, its fingerprint,
    whether it is unchanged since its last extraction, and files refused before reading."""

    reports_dir: str = ""
    paths: dict[str, str] = field(default_factory=dict)  # document_id -> file path
    fingerprints: dict[str, str] = field(default_factory=dict)  # document_id -> file fingerprint
    unchanged: list[str] = field(default_factory=list)  # document ids whose extraction is current
    refused: dict[str, IngestIssue] = field(default_factory=dict)  # document_id -> why it is not read
    issues: list[IngestIssue] = field(default_factory=list)  # files that are no document of their own
    inbox_files: list[str] = field(default_factory=list)  # every file name in the inbox this run

    @property
    def file_names(self) -> dict[str, str]:
        return {document_id: Path(path).name for document_id, path in self.paths.items()}

    @property
    def changed(self) -> list[str]:
        return [document_id for document_id in sorted(self.paths) if document_id not in self.unchanged]


def build_registry(reports_dir: Path, store_dir: Path | None = None, everything: bool = False) -> Registry:
    """List the inbox; with a raw layer, documents whose extraction is current there are unchanged
    (none with `everything`, a full refresh)."""
    registry = Registry(reports_dir=str(reports_dir))
    inbox = read_inbox(reports_dir, store_dir)
    registry.inbox_files = list(inbox.names)
    for old, kept in inbox.superseded.items():
        registry.issues.append(
            IngestIssue(
                old.name,
                "superseded_version",
                f"same document ({kept.document_id}) as {kept.path.name}, which is loaded "
                f"({inbox.why_kept.get(kept.document_id, 'the later delivery')})",
                is_fatal=True,
            )
        )
    first_with_content: dict[str, str] = {}  # fingerprint -> file name
    for document_id, entry in sorted(inbox.files.items()):
        registry.paths[document_id] = str(entry.path)
        registry.fingerprints[document_id] = entry.fingerprint
        if store_dir is not None and not everything and is_current(store_dir, entry):
            registry.unchanged.append(document_id)
            header = raw_layer.header(store_dir, document_id)
            if header and header["loadable"]:
                first_with_content.setdefault(entry.fingerprint, entry.path.name)
    # two files with the same content are one document: the first name (loaded earlier, or by name) keeps it
    for document_id in registry.changed:
        fingerprint, name = registry.fingerprints[document_id], Path(registry.paths[document_id]).name
        if fingerprint.startswith("refused:"):
            continue
        first = first_with_content.setdefault(fingerprint, name)
        if first != name:
            registry.refused[document_id] = IngestIssue(
                name,
                "duplicate_content",
                f"same content (sha256 {fingerprint[:12]}) as {first}; loaded once",
                fingerprint,
                is_fatal=True,
            )
    return registry
