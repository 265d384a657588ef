"""Per-document extraction results on disk, between the extract step and the load step.

Extraction of one document (a Dagster partition) writes one file; loading reads the files whose
content hash or extractor version differs from what DuckDB holds. Extraction therefore never
needs the single DuckDB writer, and a run that dies between the two steps loses nothing: the
next load picks the file up.

Each entry records the document's sha256 and the extractor version that produced it: a change
of the extraction code or of the seeds it reads makes every document count as changed.

Files are named by a bounded key (a short readable prefix of the document_id and a hash of all
of it), never by the name itself: a document_id as long as the longest file name would not fit
a file name once '.pickle' is added. The document_id and file name live inside the header.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..extraction.records import DocumentMeta, Extraction, IngestIssue
from .settings import PROJECT_ROOT

_EXTRACTION_CODE = PROJECT_ROOT / "dagster_project" / "extraction"
_EXTRACTION_SEEDS = (PROJECT_ROOT / "seeds" / "org_units.csv", PROJECT_ROOT / "seeds" / "place_abbreviations.csv")


@cache
def extractor_version() -> str:
    """Hash of the extraction code and the seeds it reads: what makes two extractions comparable."""
    digest = hashlib.sha256()
    for path in sorted(_EXTRACTION_CODE.glob("*.py")) + [p for p in _EXTRACTION_SEEDS if p.exists()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class StoredExtraction:
    """One inbox file's outcome: its document and extraction, or the reason it gave none."""

    document_id: str
    file_name: str
    source_fingerprint: str  # sha256 of the file (file_fingerprint), DocumentMeta.sha256 when read
    extractor_version: str
    meta: DocumentMeta | None = None
    extraction: Extraction | None = None
    failure: IngestIssue | None = None  # why the file gave no extraction
    caveats: tuple[IngestIssue, ...] = ()  # non-fatal reading notes (e.g. decoded as cp1252)
    content_key: str | None = None  # inbox.content_key of the text: equal for the same report in another encoding

    @property
    def fingerprint(self) -> tuple[str, str]:
        return (self.source_fingerprint, self.extractor_version)

    @property
    def loadable(self) -> bool:
        return self.meta is not None and self.extraction is not None

    def header(self) -> dict:
        return {"document_id": self.document_id, "file_name": self.file_name,
                "source_fingerprint": self.source_fingerprint, "extractor_version": self.extractor_version,
                "loadable": self.loadable, "content_key": self.content_key}


def store_dir(build_dir: Path) -> Path:
    return build_dir / "extractions"


def entry_key(document_id: str) -> str:
    """The file name stem of a document's entry: at most 57 characters whatever the id."""
    digest = hashlib.sha256(document_id.encode("utf-8")).hexdigest()[:16]
    return f"{document_id[:40]}-{digest}"


def _path(directory: Path, document_id: str) -> Path:
    return directory / f"{entry_key(document_id)}.pickle"


def _header_path(directory: Path, document_id: str) -> Path:
    return directory / f"{entry_key(document_id)}.json"


def _write_atomically(directory: Path, target: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save(directory: Path, stored: StoredExtraction) -> Path:
    """Write the entry, then its small header (what planning reads); each file atomically, so a
    killed run leaves either the old or the new version, never half a file. A header is only
    trusted when the entry it describes is there (see header())."""
    directory.mkdir(parents=True, exist_ok=True)
    target = _path(directory, stored.document_id)
    _write_atomically(directory, target, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
    _write_atomically(directory, _header_path(directory, stored.document_id),
                      json.dumps(stored.header(), ensure_ascii=False).encode("utf-8"))
    return target


def header(directory: Path, document_id: str) -> dict | None:
    """The entry's identity without unpickling the extraction; None when either file is missing."""
    try:
        found = json.loads(_header_path(directory, document_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("document_id") != document_id:
        return None  # another document's header under a colliding key, or a damaged file
    return found if _path(directory, document_id).exists() else None


def headers(directory: Path) -> list[dict]:
    """Every entry's header, by document_id (for comparing documents with each other)."""
    found = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            item = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(item, dict) and "document_id" in item and path.with_suffix(".pickle").exists():
            found.append(item)
    return sorted(found, key=lambda item: item["document_id"])


def load(directory: Path, document_id: str) -> StoredExtraction | None:
    """The stored extraction of a document; None when there is none or it cannot be read."""
    path = _path(directory, document_id)
    try:
        with path.open("rb") as handle:
            stored = pickle.load(handle)  # our own files, written by save() above
    except (FileNotFoundError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return stored if isinstance(stored, StoredExtraction) and stored.document_id == document_id else None


def remove(directory: Path, document_id: str) -> bool:
    path = _path(directory, document_id)
    existed = path.exists()
    path.unlink(missing_ok=True)
    _header_path(directory, document_id).unlink(missing_ok=True)
    return existed
