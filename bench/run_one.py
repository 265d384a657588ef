"""One benchmark size in its own process, so peak memory is that size's alone. Prints JSON."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEW_DOCUMENT_SEED = 4242  # not generate()'s default, so the new document's numbers differ from all others


def _refresh(instance):
    """What `make warehouse` does after set-up: load the definitions, plan, run once."""
    from dagster_project.definitions import build_defs
    from dagster_project.defs.automation import run_refresh

    started = time.perf_counter()
    _, result = run_refresh(build_defs(), instance, raise_on_error=True)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, required=True)
    args = parser.parse_args()
    from bench.synthetic import generate

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp_path = Path(tmp)
        inbox = tmp_path / "inbox"
        generate(ROOT / "seeds" / "reports", inbox, args.documents)
        os.environ.update(
            REPORTS_DIR=str(inbox),
            WAREHOUSE_PATH=str(tmp_path / "warehouse.duckdb"),
            DUCKDB_PATH=str(tmp_path / "build" / "warehouse.build.duckdb"),
        )
        size = sum(p.stat().st_size for p in inbox.iterdir())
        started = time.perf_counter()
        import dagster as dg

        import dagster_project.definitions  # noqa: F401  the imports `make warehouse` pays once per run

        startup_seconds = time.perf_counter() - started
        with dg.DagsterInstance.ephemeral() as instance:
            full_seconds, result = _refresh(instance)
            metadata = result.asset_materializations_for_node("document_extractions")[0].metadata
            extracted = metadata["extracted_documents"].value
            step_seconds = metadata["extraction_seconds"].value
            # one new document arrives, varied with a seed of its own: a copy of one already loaded would be
            # refused as a duplicate and the refresh would extract nothing
            generate(ROOT / "seeds" / "reports", inbox, 1, seed=NEW_DOCUMENT_SEED, start=args.documents)
            incremental_seconds, result = _refresh(instance)
            incremental_extracted = (
                result.asset_materializations_for_node("document_extractions")[0].metadata["extracted_documents"].value
            )
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "documents": args.documents,
                "corpus_mb": round(size / 1e6, 2),
                "startup_s": round(startup_seconds, 2),
                "full_refresh_s": round(full_seconds, 2),
                "extraction_s": round(step_seconds, 2),
                "extraction_per_document_ms": round(1000 * step_seconds / max(extracted, 1), 1),
                "incremental_refresh_s": round(incremental_seconds, 2),
                "incremental_extracted_documents": incremental_extracted,
                "incremental_over_full": round(incremental_seconds / full_seconds, 2),
                "peak_memory_mb": round(max(usage_self, usage_children) / 1024, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
