"""Score extracted KPI rows against hand-labelled gold facts.

The rules are those of docs/bi_contract.md: a gold fact is found when one row has the same
document, a source line within 3 lines, a value within 0.05 (or 0.1 %), the same KPI, period
end and scenario, and an org unit and a breakdown that equal the label after normalisation or
abbreviate it word by word ('Ske' ~ 'Skellefteå').

- value recall: gold facts with a row of the same document, nearby line and value.
- strict recall: gold facts found with every field right.
- line-scoped precision: of the rows that carry a labelled number on a labelled line (the
  same line, not a neighbour: a table's next row may hold the same number for another unit),
  the share that are right in every field (the line itself may differ by up to 3 from the label).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..extraction.normalise import fold

LINE_TOLERANCE = 3


def _tokens(text: str | None) -> list[str]:
    return fold(text or "").split()


def _abbreviates(short: str, long: str) -> bool:
    """'ske' ~ 'skellefteå', 'vb' ~ 'västerbotten', 'sö' ~ 'södra': same first letter, in order."""
    if short == long:
        return True
    if len(short) > len(long):
        short, long = long, short
    if not short or short[0] != long[0]:
        return False
    if long.startswith(short):
        return True
    position = 0
    for char in short:
        position = long.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def labels_match(a: str | None, b: str | None) -> bool:
    """Equal after normalisation, or one abbreviates the other word by word."""
    left, right = _tokens(a), _tokens(b)
    if left == right:
        return True
    if len(left) != len(right):
        return False
    return all(_abbreviates(x, y) for x, y in zip(left, right))


def values_match(a: float, b: float) -> bool:
    return abs(a - b) <= 0.05 or abs(a - b) <= abs(b) * 0.001


def _as_date(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


@dataclass
class Score:
    gold_count: int
    value_found: int
    strict_found: int
    scoped_rows: int
    scoped_correct: int
    misses: list[dict] = field(default_factory=list)
    wrong_rows: list[dict] = field(default_factory=list)

    @property
    def value_recall(self) -> float:
        return self.value_found / self.gold_count if self.gold_count else 0.0

    @property
    def strict_recall(self) -> float:
        return self.strict_found / self.gold_count if self.gold_count else 0.0

    @property
    def precision(self) -> float:
        return self.scoped_correct / self.scoped_rows if self.scoped_rows else 1.0

    def summary(self) -> str:
        return (
            f"gold facts: {self.gold_count}  value found on its line: {self.value_recall:.3f}  "
            f"mapped right (strict recall): {self.strict_recall:.3f}  line-scoped precision: {self.precision:.3f} "
            f"({self.scoped_correct}/{self.scoped_rows})"
        )


def _near(row: dict, gold: dict) -> bool:
    return (
        row["document"] == gold["document"]
        and abs(int(row["source_line"]) - int(gold["line"])) <= LINE_TOLERANCE
        and values_match(float(row["value"]), float(gold["value"]))
    )


def _all_fields(row: dict, gold: dict) -> bool:
    return (
        _near(row, gold)
        and row["kpi_code"] == gold["kpi_code"]
        and _as_date(row["period_end"]) == gold["period_end"]
        and row["scenario"] == gold["scenario"]
        and labels_match(row["org_unit_name"], gold["org_unit"])
        and labels_match(row["breakdown"], gold["breakdown"])
    )


def score(rows: list[dict], gold: list[dict]) -> Score:
    """Score rows (columns of marts.kpi_observations) against gold rows (gold CSV columns)."""
    by_document: dict[str, list[dict]] = {}
    for row in rows:
        by_document.setdefault(row["document"], []).append(row)
    value_found = strict_found = 0
    misses = []
    for fact in gold:
        candidates = [r for r in by_document.get(fact["document"], []) if _near(r, fact)]
        if candidates:
            value_found += 1
        if any(_all_fields(r, fact) for r in candidates):
            strict_found += 1
        else:
            nearest = candidates[0] if candidates else None
            misses.append({"gold": fact, "nearest_row": nearest})
    gold_by_document: dict[str, list[dict]] = {}
    for fact in gold:
        gold_by_document.setdefault(fact["document"], []).append(fact)
    scoped = correct = 0
    wrong_rows = []
    for row in rows:
        labelled = [
            g
            for g in gold_by_document.get(row["document"], [])
            if int(row["source_line"]) == int(g["line"]) and values_match(float(row["value"]), float(g["value"]))
        ]
        if not labelled:
            continue
        scoped += 1
        nearby = [g for g in gold_by_document.get(row["document"], []) if _near(row, g)]
        if any(_all_fields(row, g) for g in nearby):
            correct += 1
        else:
            wrong_rows.append({"row": row, "gold": labelled[0]})
    return Score(len(gold), value_found, strict_found, scoped, correct, misses, wrong_rows)


def read_gold(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_warehouse_rows(warehouse: Path) -> list[dict]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from marts.kpi_observations")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values)) for values in cursor.fetchall()]


def _describe(row: dict | None) -> str:
    if row is None:
        return "no row with that number near that line"
    return (
        f"row: {row['kpi_code']} | {row['org_unit_name']} | {row['period_end']} | {row['scenario']} | "
        f"{row['breakdown']} | {row['value']} (line {row['source_line']}, {row['extraction_method']})"
    )


def report(result: Score, show: int = 50) -> str:
    lines = [result.summary()]
    if result.misses:
        lines.append(f"\nmisses ({len(result.misses)}):")
        for miss in result.misses[:show]:
            lines.append(f"  {_gold_line(miss['gold'])}  «{miss['gold']['snippet']}»")
            lines.append(f"      {_describe(miss['nearest_row'])}")
    if result.wrong_rows:
        lines.append(f"\nrows on labelled numbers with a wrong field ({len(result.wrong_rows)}):")
        for item in result.wrong_rows[:show]:
            lines.append(f"  {_gold_line(item['gold'], 'gold ')}")
            lines.append(f"      {_describe(item['row'])}")
    return "\n".join(lines)


def _gold_line(g: dict, before_kpi: str = "") -> str:
    return (
        f"{g['document']}:{g['line']} {before_kpi}{g['kpi_code']} | {g['org_unit']} | {g['period_end']} | "
        f"{g['scenario']} | {g['breakdown']} | {g['value']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score a warehouse against a gold CSV.")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--gold", type=Path, action="append", required=True)
    parser.add_argument("--show", type=int, default=50, help="misses and wrong rows to list")
    args = parser.parse_args(argv)
    gold = [row for path in args.gold for row in read_gold(path)]
    result = score(read_warehouse_rows(args.warehouse), gold)
    print(report(result, args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
