"""Markdown tables for asset and check metadata (the Dagster UI renders them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _cell(value: Any) -> str:
    return str("" if value is None else value).replace("|", "\\|").replace("\n", " ")[:120]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown_records(records: Sequence[dict[str, Any]]) -> str:
    """A table of dicts, columns from the first one; empty string when there are none."""
    if not records:
        return ""
    columns = list(records[0])
    return markdown_table(columns, [[record.get(c) for c in columns] for record in records])
