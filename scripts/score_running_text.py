"""Run extract_text over the bundled corpus and score it against the running-text gold rows.

Usage: python scripts/score_running_text.py [--gold tests/fixtures/gold_dev.csv] [--show 40] [--doc NAME]
Table/chart gold rows (the waiting-time tables of the 2022 annual report and the slide
charts) belong to the table parser and are left out.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dagster_project.evaluation.score import read_gold, report, score  # noqa: E402
from dagster_project.extraction.extract import extract_text  # noqa: E402
from dagster_project.extraction.normalise import split_lines  # noqa: E402
from dagster_project.extraction.records import DocumentMeta  # noqa: E402

REPORTS = ROOT / "seeds" / "reports"

# (file, region, kind, start, end, title) as the document registry would classify them
CORPUS = [
    ("rvb_hsn_arsrapport_2022.txt", "24", "annual_report", date(2022, 1, 1), date(2022, 12, 31), "HSN Årsrapport 2022"),
    ("rvb_delarsrapport_2023_04.txt", "24", "interim_report", date(2023, 1, 1), date(2023, 4, 30), "Delårsrapport per april 2023 Region Västerbotten"),
    ("rvb_hsd_informerar_2024_02_28.txt", "24", "board_slides", date(2024, 1, 1), date(2024, 1, 31), "HSD informerar"),
    ("rvb_hsn_delarsrapport_2025_08.txt", "24", "interim_report", date(2025, 1, 1), date(2025, 8, 31), "Hälso- och sjukvårdsnämndens delårsrapport per augusti 2025"),
    ("rnb_regiondirektorens_rapport_2023_02.txt", "25", "monthly_report", date(2023, 1, 1), date(2023, 2, 28), "Regiondirektörens rapport"),
]
REGION_NAMES = {"24": "Region Västerbotten", "25": "Region Norrbotten"}


def is_running_text_gold(row: dict) -> bool:
    if row["document"].startswith("rvb_hsd_informerar"):
        return False
    if row["document"] == "rvb_hsn_arsrapport_2022.txt" and 2214 <= int(row["line"]) <= 2380:
        return False
    return True


def meta_for(name, region, kind, start, end, title, line_count) -> DocumentMeta:
    return DocumentMeta(
        document=name, document_id=name.removesuffix(".txt"), sha256="", size_bytes=0, region_code=region,
        region_name=REGION_NAMES[region], document_kind=kind, period_start=start, period_end=end, title=title,
        encoding="utf-8", line_count=line_count,
    )


def corpus_rows(only: str | None = None) -> tuple[list[dict], list]:
    rows, extractions = [], []
    for name, region, kind, start, end, title in CORPUS:
        if only and only not in name:
            continue
        lines = split_lines((REPORTS / name).read_text(encoding="utf-8"))
        extraction = extract_text(meta_for(name, region, kind, start, end, title, len(lines)), lines)
        extractions.append((name, extraction))
        for fact in extraction.facts:
            rows.append(
                {
                    "document": fact.document, "kpi_code": fact.kpi_code, "org_unit_name": fact.org_unit,
                    "period_end": fact.period_end, "scenario": fact.scenario, "breakdown": fact.breakdown,
                    "value": fact.value, "source_line": fact.source_line, "extraction_method": fact.extraction_method,
                }
            )
    return rows, extractions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, action="append")
    parser.add_argument("--show", type=int, default=60)
    parser.add_argument("--doc")
    args = parser.parse_args()
    gold_paths = args.gold or [ROOT / "tests" / "fixtures" / "gold_dev.csv"]
    gold = [row for path in gold_paths for row in read_gold(path) if is_running_text_gold(row)]
    if args.doc:
        gold = [g for g in gold if args.doc in g["document"]]
    rows, _ = corpus_rows(args.doc)
    print(f"facts extracted: {len(rows)}")
    print(report(score(rows, gold), args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
