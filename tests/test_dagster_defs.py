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


def test_a_model_that_moved_schema_leaves_no_copy_behind(tmp_path):
    """A build file made before a model moved schema keeps the old relation (dbt never drops it),
    and publishing would copy it: the asset drops it. Relations of other names, and raw (whose
    views may share a model's name), are left alone."""
    import json

    import duckdb

    from dagster_project.defs.warehouse import drop_moved_models

    def model(schema, name, materialized="view"):
        return {"resource_type": "model", "schema": schema, "name": name, "config": {"materialized": materialized}}

    manifest = tmp_path / "manifest.json"
    nodes = [
        model("intermediate", "rule_x"),
        model("marts", "ingest_issues", "table"),
        model("marts", "int_y", "ephemeral"),
        {"resource_type": "seed", "schema": "raw", "name": "kpi_catalogue", "config": {}},
    ]
    manifest.write_text(json.dumps({"nodes": {str(i): n for i, n in enumerate(nodes)}, "sources": {}}))
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)) as con:
        for schema in ("marts", "intermediate", "raw"):
            con.execute(f"create schema {schema}")
        con.execute("create table marts.ingest_issues as select 1 as x")
        con.execute("create view marts.rule_x as select 1 as x")  # where rule_x was built before
        con.execute("create view intermediate.rule_x as select 1 as x")
        con.execute("create view raw.ingest_issues as select 1 as x")
        con.execute("create table marts.check_results as select 1 as x")  # written by Python, not dbt
    assert drop_moved_models(build, json.loads(manifest.read_text())) == ["marts.rule_x"]
    with duckdb.connect(str(build)) as con:
        left = {r[0] for r in con.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall()}
        left |= {
            r[0]
            for r in con.execute(
                "select schema_name || '.' || view_name from duckdb_views() where not internal"
            ).fetchall()
        }
    assert left == {"marts.ingest_issues", "intermediate.rule_x", "raw.ingest_issues", "marts.check_results"}
    assert drop_moved_models(tmp_path / "absent.duckdb", json.loads(manifest.read_text())) == []
