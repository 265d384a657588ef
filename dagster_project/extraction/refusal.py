"""How a reading step says a file cannot be used (raise refused(...)), or can with a caveat."""

from __future__ import annotations

from .records import IngestIssue


class Refused(Exception):
    """Carries the IngestIssue out of the reading steps; read_document returns it."""

    def __init__(self, issue: IngestIssue) -> None:
        super().__init__(issue.detail)
        self.issue = issue


def caveat(name: str, code: str, detail: str, sha: str | None, size: int | None) -> IngestIssue:
    """A non-fatal issue: the document is read, and the caveat is recorded beside it."""
    return IngestIssue(name, code, detail, sha, size, is_fatal=False)


def refused(name: str, code: str, detail: str, sha: str | None = None, size: int | None = None) -> Refused:
    """The refusal to raise: the file is not read, and the issue is recorded."""
    return Refused(IngestIssue(name, code, detail, sha, size))
