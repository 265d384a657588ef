"""make bench: full refresh, extraction per document, incremental refresh and peak memory for N documents.

    python -m bench.run [--sizes 5 50 500 2000]

Writes a table to stdout and bench/results/<timestamp>.json with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = [
    "documents",
    "corpus_mb",
    "startup_s",
    "full_refresh_s",
    "extraction_per_document_ms",
    "incremental_refresh_s",
    "incremental_over_full",
    "peak_memory_mb",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 500, 2000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.run_one", "--documents", str(size)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            print(completed.stderr[-3000:], file=sys.stderr)
            return completed.returncode
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
        row = results[-1]
        print(" | ".join(f"{c}={row[c]}" for c in COLUMNS), flush=True)
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}
    out = ROOT / "bench" / "results" / f"bench_{datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2), encoding="utf-8")
    print("\n| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS))
    for row in results:
        print("| " + " | ".join(str(row[c]) for c in COLUMNS) + " |")
    if len(results) > 1:
        print(
            f"\nfull refresh N={results[-1]['documents']} / N={results[0]['documents']}: "
            f"{results[-1]['full_refresh_s'] / results[0]['full_refresh_s']:.1f}x"
        )
    for line in targets({row["documents"]: row for row in results}):
        print(line)
    print(f"written {out.relative_to(ROOT)}")
    return 0


def targets(by_size: dict[int, dict]) -> list[str]:
    """The scaling targets of issue 15 that the sizes run allow to judge, each with met / not met."""
    lines = []

    def judged(label: str, value: float, limit: float, shown: str) -> None:
        lines.append(f"{'met' if value < limit else 'NOT MET'}: {label} ({shown})")

    if 5 in by_size and 500 in by_size:
        ratio = by_size[500]["full_refresh_s"] / by_size[5]["full_refresh_s"]
        judged("full refresh at N=500 under 10x N=5", ratio, 10, f"{ratio:.1f}x")
    if 500 in by_size:
        share = by_size[500]["incremental_over_full"]
        judged("incremental refresh at N=500 under 0.2 of a full one", share, 0.2, f"{share:.2f}")
    if 500 in by_size and 2000 in by_size:
        small, large = by_size[500]["peak_memory_mb"], by_size[2000]["peak_memory_mb"]
        judged("peak memory at N=2000 within 10 % of N=500", large, small * 1.1, f"{large:.0f} vs {small:.0f} MB")
        judged("peak memory at N=2000 under 2 GB", large, 2048, f"{large:.0f} MB")
    return lines


if __name__ == "__main__":
    sys.exit(main())
