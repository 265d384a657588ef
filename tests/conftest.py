"""Fixtures shared by test modules; each builds once per session.

dev_warehouse: the dev raw fixture (dagster_project/testing/raw_fixture.py) through a whole
`dbt build` in a temporary folder: the dbt project's tests, the BI views and the tools that read
them (docs site, report, export) use this one build. Tests that write to it work on a copy.

quality_warehouse: the reconciliation rules' fixture (dagster_project/testing/quality_fixture.py)
built through the models the quality folder needs: the rules' tests and the GX suites' tests.

bundled_pipeline: the bundled reports (and three files that are no report) refreshed once per
session into a temporary folder, as `make warehouse` does: the end-to-end tests, the client tests
and the browser test all read what it published, so the pipeline runs once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "seeds" / "reports").glob("*.txt"))


@pytest.fixture(scope="session")
def dev_warehouse(tmp_path_factory) -> Path:
    from dagster_project.testing.dbt_build import build_dev_warehouse

    return build_dev_warehouse(tmp_path_factory.mktemp("dev_warehouse"))


@pytest.fixture(scope="session")
def quality_warehouse(tmp_path_factory) -> Path:
    from dagster_project.testing.quality_fixture import build_quality_warehouse

    return build_quality_warehouse(tmp_path_factory.mktemp("quality_warehouse"))


@pytest.fixture(scope="session")
def bundled_pipeline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    inbox = tmp / "inbox"
    inbox.mkdir()
    for report in REPORTS:
        shutil.copy(report, inbox / report.name)
    (inbox / "tom.txt").write_bytes(b"")
    (inbox / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (inbox / "inköpslista.txt").write_text("Mjölk\nSmör\nÄgg\nKaffe\n" * 5, encoding="utf-8")
    env = {
        "REPORTS_DIR": str(inbox),
        "WAREHOUSE_PATH": str(tmp / "published" / "warehouse.duckdb"),
        "DUCKDB_PATH": str(tmp / "build" / "warehouse.build.duckdb"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        from dagster_project.definitions import build_defs
        from dagster_project.defs.automation import run_refresh
        from dagster_project.defs.resources import prepare_manifest

        prepare_manifest()
        defs = build_defs()
        with dg.DagsterInstance.ephemeral() as instance:  # disposed at the end, storage closed cleanly
            plan, first = run_refresh(defs, instance)
            published = Path(env["WAREHOUSE_PATH"])
            yield {
                "defs": defs,
                "instance": instance,
                "plan": plan,
                "first": first,
                "published": published,
                "inbox": inbox,
                "env": env,
                "report": tmp / "build" / "report",
                "tmp": tmp,
            }
