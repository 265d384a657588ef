"""Extraction of a folder of reports straight to rows shaped like marts.kpi_observations.

For scoring during development and in tests without building a warehouse: the unit name is
resolved the way dim_org_unit resolves it (a known unit's canonical name; a unit's former name
as written). `make score` scores the published warehouse itself.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..extraction.documents import read_document
from ..extraction.org_units import find_unit
from ..extraction.pipeline import extract_document


def org_unit_name(label: str, region_code: str | None) -> str:
    unit = find_unit(label, region_code)
    if unit is None or label == unit.former_name:
        return label
    return unit.name


def extract_rows(paths: list[Path]) -> list[dict]:
    """Every fact of every readable document in `paths`, as a row of the BI view's columns."""
    rows = []
    for path in paths:
        document = read_document(Path(path))
        if not hasattr(document, "meta"):
            continue
        for fact in extract_document(document).facts:
            row = dataclasses.asdict(fact)
            row["org_unit_name"] = org_unit_name(fact.org_unit, fact.region_code)
            rows.append(row)
    return rows
