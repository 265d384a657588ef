"""A review file of warehouse rows with their source lines, for someone who did not write the rules.

`make audit` draws a repeatable random sample of marts.kpi_observations (every kind of row:
running text, tables, charts, in proportion) and every consistency finding, each with the
lines around it from the report, into build/audit/: a Markdown file to read and a CSV with an
empty `verdict` column (right / wrong, and a note) to fill in. `--judged FILE` reads a filled-in
CSV back and prints the share judged right with its 95 % (Wilson) interval.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

CONTEXT_LINES = 2
ROW_FIELDS = [
    "item",
    "document",
    "source_line",
    "kpi_code",
    "kpi_name_sv",
    "org_unit_name",
    "period_start",
    "period_end",
    "scenario",
    "breakdown",
    "value",
    "unit",
    "measure",
    "binding",
    "extraction_method",
    "verdict",
    "note",
]


def _lines(reports_dir: Path, document: str, cache: dict[str, list[str]]) -> list[str]:
    if document not in cache:
        path = reports_dir / document
        try:
            cache[document] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            cache[document] = []
    return cache[document]


def context(reports_dir: Path, document: str, line: int, cache: dict[str, list[str]]) -> str:
    lines = _lines(reports_dir, document, cache)
    start, end = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    return "\n".join(f"{'>' if n == line else ' '} {n:5d}  {lines[n - 1]}" for n in range(start, end + 1))


def sample_rows(con: duckdb.DuckDBPyConnection, size: int, seed: int) -> list[dict]:
    """A random sample of `size` rows, drawn per kind of extraction in proportion to its rows."""
    cursor = con.execute("select * from marts.kpi_observations order by kpi_observation_id")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values)) for values in cursor.fetchall()]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[str(row["extraction_method"]).split(":")[0]].append(row)
    rng = random.Random(seed)
    chosen: list[dict] = []
    for kind in sorted(by_kind):
        group = by_kind[kind]
        share = max(1, round(size * len(group) / len(rows))) if rows else 0
        chosen.extend(rng.sample(group, min(share, len(group))))
    rng.shuffle(chosen)
    return chosen[:size]


def findings(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cursor = con.execute("select * from marts.consistency_findings")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def _cited_lines(finding: dict) -> list[tuple[str, int]]:
    """(document, line) pairs a finding cites; lines may be written 'doc.txt:12' or bare."""
    import re

    documents = [
        d.strip()
        for d in re.split(r"[,;|]", str(finding.get("documents") or finding.get("document") or ""))
        if d.strip()
    ]
    cited = []
    for part in re.split(r"[,;|\s]+", str(finding.get("source_lines") or "")):
        found = re.match(r"^(?:(?P<doc>[^:]+):)?(?P<line>\d+)$", part.strip())
        if found and documents:
            cited.append((found["doc"] or documents[0], int(found["line"])))
    return cited


def write_review(
    warehouse: Path, reports_dir: Path, out_dir: Path, size: int, seed: int, name: str
) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    cache: dict[str, list[str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = sample_rows(con, size, seed)
        found = findings(con)
    markdown = [
        f"# Review sample ({name}): {len(rows)} rows of {warehouse} (seed {seed}), {len(found)} findings",
        "",
        "Judge each row against its line: is every field right (KPI, value and sign, unit, organisation, "
        "period, scenario, breakdown)? Write right or wrong in the CSV's verdict column, with a note.",
        "",
    ]
    csv_rows = []
    for number, row in enumerate(rows, start=1):
        markdown += [
            f"## R{number}: {row['document']} line {row['source_line']}",
            f"- **{row['kpi_code']}** ({row.get('kpi_name_sv')}) = **{row['value']:g} {row['unit']}**, "
            f"{row['org_unit_name']}, {row['period_start']}..{row['period_end']} ({row['period_type']}), {row['scenario']}, "
            f"breakdown {row['breakdown']}; measure {row.get('measure')}, binding {row.get('binding')}, {row['extraction_method']}",
            "```",
            context(reports_dir, row["document"], int(row["source_line"]), cache),
            "```",
            "",
        ]
        csv_rows.append(
            {**{k: row.get(k) for k in ROW_FIELDS if k in row}, "item": f"R{number}", "verdict": "", "note": ""}
        )
    for number, finding in enumerate(found, start=1):
        cited = _cited_lines(finding)
        markdown += [
            f"## F{number}: {finding.get('rule')} in {finding.get('document')}",
            f"- {finding.get('message_sv') or finding.get('message_en')}",
            f"- expected {finding.get('expected')}, actual {finding.get('actual')}",
        ]
        for document, line in cited[:4]:
            markdown += ["```", context(reports_dir, document, line, cache), "```"]
        markdown.append("")
        csv_rows.append(
            {
                "item": f"F{number}",
                "document": finding.get("document"),
                "kpi_code": finding.get("rule"),
                "value": finding.get("actual"),
                "verdict": "",
                "note": "",
            }
        )
    review = out_dir / f"review_{name}.md"
    sheet = out_dir / f"review_{name}.csv"
    review.write_text("\n".join(markdown), encoding="utf-8")
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ROW_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(csv_rows)
    return review, sheet


def wilson(right: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return 0.0, 0.0
    p = right / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return centre - half, centre + half


def judged(sheet: Path) -> str:
    with open(sheet, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("verdict") or "").strip()]
    lines = []
    for prefix, label in (("R", "rows"), ("F", "findings")):
        items = [r for r in rows if r["item"].startswith(prefix)]
        right = sum(1 for r in items if r["verdict"].strip().lower().startswith("right"))
        low, high = wilson(right, len(items))
        if items:
            lines.append(
                f"{label}: {right}/{len(items)} judged right = {right / len(items):.2f} (95 % interval {low:.2f}–{high:.2f})"
            )
    return "\n".join(lines) or "no verdicts in the file"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a review sample of warehouse rows and findings, or score a judged one."
    )
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--reports-dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/audit"))
    parser.add_argument("--sample", type=int, default=120)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--name", default="bundled", help="names the review files: review_<name>.md/.csv")
    parser.add_argument("--judged", type=Path, help="a filled-in review CSV to score")
    args = parser.parse_args(argv)
    if args.judged:
        print(judged(args.judged))
        return 0
    if not args.warehouse or not args.reports_dir:
        parser.error("--warehouse and --reports-dir are required to write a review sample")
    review, sheet = write_review(args.warehouse, args.reports_dir, args.out, args.sample, args.seed, args.name)
    print(f"review: {review}\nverdicts: {sheet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
