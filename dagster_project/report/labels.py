"""Swedish labels and formats for the Swedish pages.

The labels come from seeds/swedish_labels.csv, the one list that the Swedish relations of the
warehouse (dbt model int_swedish_labels) read too, so a page and a BI tool name a code alike.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..warehouse.settings import SEEDS_DIR

LABELS_CSV = SEEDS_DIR / "swedish_labels.csv"
UNIT_SUFFIX = {"mnkr": " mnkr", "percent": " %", "days": " dagar"}
# the unit an axis names: what a value is measured in, in Swedish
AXIS_UNIT = {"mnkr": "mnkr", "percent": "procent", "count": "antal", "days": "dagar", "index": "index"}


@dataclass(frozen=True)
class Labels:
    by_domain: dict[str, dict[str, str]]

    def get(self, domain: str, code: object, default: str | None = None) -> str:
        """The Swedish label of a code; the code itself (or default) when the list has none."""
        if code is None:
            return default or ""
        text = str(code)
        return self.by_domain.get(domain, {}).get(text, text if default is None else default)

    def has(self, domain: str, code: object) -> bool:
        return str(code) in self.by_domain.get(domain, {})

    def capitalised(self, domain: str, code: object) -> str:
        text = self.get(domain, code)
        return text[:1].upper() + text[1:]

    def month(self, month: int) -> str:
        return self.get("month", month)


@cache
def load_labels(path: Path = LABELS_CSV) -> Labels:
    by_domain: dict[str, dict[str, str]] = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_domain[row["domain"]][row["code"]] = row["label_sv"]
    return Labels(dict(by_domain))


def format_number(value: float | None, unit: str | None = None, approximate: bool = False) -> str:
    """Swedish style: no-break space between thousands, decimal comma; the unit after."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
    else:
        text = f"{number:,.3f}".rstrip("0").rstrip(".")
    text = text.replace(",", "\u00a0").replace(".", ",")
    return ("ca " if approximate else "") + text + UNIT_SUFFIX.get(unit or "", "")


def format_period(start: date | None, end: date | None, period_type: str | None = None) -> str:
    """A period as a Swedish reader writes it: '2022', 'jan–apr 2023', 'feb 2023', '31 dec 2022'."""
    labels = load_labels()
    if end is None:
        return "–"
    if start is None or start == end:
        return f"{end.day} {labels.month(end.month)} {end.year}"
    whole_months = start.day == 1 and (
        end.month == 12 or date(end.year, end.month + 1, 1).toordinal() - 1 == end.toordinal()
    )
    if whole_months and (start.month, end.month) == (1, 12) and start.year == end.year:
        return str(end.year)
    if whole_months and (start.year, start.month) == (end.year, end.month):
        return f"{labels.month(end.month)} {end.year}"
    if whole_months and start.year == end.year:
        return f"{labels.month(start.month)}–{labels.month(end.month)} {end.year}"
    if whole_months:
        return f"{labels.month(start.month)} {start.year}–{labels.month(end.month)} {end.year}"
    return f"{start.isoformat()}–{end.isoformat()}"


def axis_unit(unit: str | None) -> str:
    return AXIS_UNIT.get(unit or "", unit or "värde")
