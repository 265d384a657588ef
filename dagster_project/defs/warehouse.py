"""Warehouse: the raw layer settled and exposed to DuckDB as schema raw, then the dbt models on top.

Everything here writes: the raw layer's superseded files, the build file. These assets share the
Dagster concurrency pool WRITER_POOL with publishing (one slot, dagster.yaml), so whatever
starts a run (the schedule, the sensor, the CLI, the UI) and however its steps execute, one
step at a time writes.
"""

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from ..child_process import run_in_child
from ..warehouse.raw_layer import RAW_RELATIONS, RAW_TABLES, mirror_into, settle
from ..warehouse.seed_state import forget_seeds, record_seeds, seed_digest, seeds_current
from ..warehouse.settings import DBT_PROJECT_DIR, SEEDS_DIR, duckdb_config, settings
from .ingest import Registry
from .partitions import is_full_refresh
from .resources import dbt_project

WRITER_POOL = "warehouse_writer"

RAW_SPECS = [
    dg.AssetSpec(
        key=dg.AssetKey(["raw", table]),
        group_name="warehouse",
        kinds={"parquet", "duckdb"},
        owners=["team:data-engineering"],
        description=f"raw.{table}: the raw layer's {table} Parquet files, mirrored into the build file "
        + (
            f"(rows of the {RAW_TABLES[table][0].__name__} records, one file per document version)."
            if table in RAW_TABLES
            else "(facts of replaced and retired versions)."
            if table == "facts_history"
            else "(documents retired with make retire)."
        ),
        deps=[dg.AssetKey(["document_extractions"]), dg.AssetKey(["report_documents"])],
    )
    for table in RAW_RELATIONS
]


@dg.multi_asset(specs=RAW_SPECS, can_subset=False, pool=WRITER_POOL)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, report_documents: Registry):
    """Settle the raw layer (superseded versions out, their facts to history, the inbox's issues
    written), then (re)create the raw views dbt's sources read."""
    current = settings()
    settled = settle(
        current.raw_dir, report_documents.issues, report_documents.inbox_files if report_documents.reports_dir else None
    )
    mirrored, counts = run_in_child(mirror_into, duckdb.database, dict(duckdb.connection_config), current.raw_dir)
    context.log.info(
        f"raw layer {current.raw_dir}: {settled}; build file's mirror: {mirrored.added_files} files loaded, "
        f"{mirrored.removed_files} taken out"
    )
    for table in RAW_RELATIONS:
        metadata: dict[str, Any] = {
            "dagster/row_count": counts[table],
            "path": str(current.raw_dir / RAW_RELATIONS[table]),
        }
        if table == "facts":
            metadata["versions_moved_to_history"] = settled.facts_to_history
            metadata["superseded_files_removed"] = settled.superseded_files
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["raw", table]), metadata=metadata)


# dbt folder -> Dagster group, so the graph reads ingest -> extract -> warehouse -> quality -> publish
_GROUPS = {"staging": "warehouse", "marts": "warehouse", "quality": "quality", "bi": "publish"}


class WarehouseTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        folder = (dbt_resource_props.get("fqn") or ["", ""])[1] if len(dbt_resource_props.get("fqn") or []) > 2 else ""
        if dbt_resource_props["resource_type"] == "seed":
            return "warehouse"
        return _GROUPS.get(folder, "warehouse")


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=WarehouseTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    pool=WRITER_POOL,
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: seeds, staging views, star-schema marts, quality rule models and BI views, with their tests.

    dbt unit tests check model logic on fixed inputs, not the data: they run in CI
    (tests/test_dbt_build.py), not in every refresh, as dbt recommends.
    """
    build_path = settings().build_path
    manifest = json.loads(dbt_project().manifest_path.read_text(encoding="utf-8"))  # read once, used twice
    dropped = drop_moved_models(build_path, manifest)
    if dropped:
        context.log.info(f"dropped models left in a schema they moved out of: {', '.join(dropped)}")
    digest = seed_digest(DBT_PROJECT_DIR, SEEDS_DIR)
    load_seeds = is_full_refresh(context.run) or not seeds_current(build_path, digest, seed_relations(manifest))
    args = ["build", "--exclude-resource-type", "unit_test"]
    if load_seeds:
        forget_seeds(build_path)
    else:
        args += ["--exclude", "resource_type:seed"]  # their tables are these very files: see seed_state
        context.log.info("seeds unchanged since the build file loaded them: not loaded again")
    invocation = dbt.cli(args, context=context)
    yield from invocation.stream()
    if load_seeds:
        record_seeds(build_path, digest)
    target_dir = dbt_project().project_dir / dbt_project().target_path
    keep_partial_parse(Path(invocation.target_path), target_dir)
    prune_run_targets(target_dir)


def seed_relations(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(schema, table) of every seed the project loads, from dbt's manifest."""
    nodes = manifest["nodes"].values()
    return sorted((node["schema"], node["alias"] or node["name"]) for node in nodes if node["resource_type"] == "seed")


def drop_moved_models(build_path: Path, manifest: Mapping[str, Any]) -> list[str]:
    """Drop a model's relation from a schema the model no longer builds into (dbt leaves it behind).

    Otherwise a build file made before a model moved (the rule views went from marts to
    intermediate) keeps publishing the old relation, which nothing refreshes. Only schemas that
    hold nothing but models are looked at: raw also holds the raw views, whose names a model may
    share (raw.ingest_issues, marts.ingest_issues)."""
    if not build_path.exists():
        return []
    nodes = manifest["nodes"].values()
    built = {
        (node["schema"], node["name"])
        for node in nodes
        if node["resource_type"] == "model" and node["config"].get("materialized") != "ephemeral"
    }
    names = {name for _, name in built}
    shared = {node["schema"] for node in [*nodes, *manifest["sources"].values()] if node["resource_type"] != "model"}
    schemas = {schema for schema, _ in built} - shared
    dropped = []
    with duckdb.connect(str(build_path), config=duckdb_config()) as con:
        found = con.execute(
            "select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database() "
            "union all select schema_name, view_name, 'view' from duckdb_views() "
            "where database_name = current_database() and not internal"
        ).fetchall()
        for schema, name, kind in found:
            if schema in schemas and name in names and (schema, name) not in built:
                con.execute(f'drop {kind} "{schema}"."{name}"')
                dropped.append(f"{schema}.{name}")
    return sorted(dropped)


def keep_partial_parse(run_target: Path, target_dir: Path) -> bool:
    """Leave this build's parse where dagster-dbt copies it from for the next build.

    dbt reuses a parse only for the same profile, and the profile names the build file: a parse
    made by `make setup` for another DUCKDB_PATH (the bench's, the tests') would make every build
    parse from scratch (~4 s). dbt checks the profile and every file's checksum before reusing one,
    so a parse left by another build is never used wrongly, only parsed again."""
    parsed = run_target / "partial_parse.msgpack"
    if not parsed.exists():
        return False
    temp = target_dir / f".partial_parse.{os.getpid()}.tmp"
    shutil.copyfile(parsed, temp)
    os.replace(temp, target_dir / "partial_parse.msgpack")  # a build starting meanwhile reads a whole file
    return True


def prune_run_targets(target_dir: Path, keep: int = 3) -> list[Path]:
    """dagster-dbt writes a target folder per run (manifest, compiled SQL, logs: ~10 MB each); a
    monthly job would pile them up. Keep the newest few for debugging."""
    runs = sorted(
        (p for p in Path(target_dir).glob("warehouse_models-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[raw_tables, warehouse_models])
