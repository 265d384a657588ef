"""The Dagster code location: what loads, how documents are partitioned, housekeeping."""

import os

import dagster as dg

from dagster_project.defs.partitions import DOCUMENTS


def test_definitions_load_with_documents_as_dynamic_partitions():
    from dagster_project.definitions import build_defs

    defs = build_defs()
    extraction = defs.resolve_assets_def(dg.AssetKey(["document_extractions"]))
    assert extraction.partitions_def == DOCUMENTS
    assert extraction.backfill_policy == dg.BackfillPolicy.single_run()
    for unpartitioned in (
        ["report_documents"],
        ["raw", "facts"],
        ["marts", "kpi_observations"],
        ["published_warehouse"],
    ):
        assert defs.resolve_assets_def(dg.AssetKey(unpartitioned)).partitions_def is None
    assert defs.resolve_job_def("refresh_warehouse") is not None
    assert {s.name for s in defs.schedules} == {"monthly_refresh"}
    assert {s.name for s in defs.sensors} == {"report_inbox", "refresh_failure_command"}


def test_old_dbt_run_folders_are_pruned(tmp_path):
    from dagster_project.defs.warehouse import prune_run_targets

    for index in range(5):
        folder = tmp_path / f"warehouse_models-{index}"
        folder.mkdir()
        os.utime(folder, ns=(index * 10**9, index * 10**9))
    (tmp_path / "manifest.json").write_text("{}")
    removed = prune_run_targets(tmp_path, keep=3)
    assert sorted(p.name for p in removed) == ["warehouse_models-0", "warehouse_models-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "manifest.json",
        "warehouse_models-2",
        "warehouse_models-3",
        "warehouse_models-4",
    ]
