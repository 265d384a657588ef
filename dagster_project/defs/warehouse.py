"""Warehouse: load extractions into DuckDB schema raw, then build the dbt models on top."""


import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from ..warehouse import extraction_store
from ..warehouse.load import RAW_TABLES, loaded_fingerprints, raw_row_counts, record_issues, replace_document
from ..warehouse.settings import settings
from .ingest import Registry
from .resources import dbt_project

RAW_SPECS = [
    dg.AssetSpec(
        key=dg.AssetKey(["raw", table]),
        group_name="warehouse",
        kinds={"duckdb"},
        owners=["team:data-engineering"],
        description=f"raw.{table}: rows of the {record.__name__} records, one document's rows replaced as a unit.",
        deps=[dg.AssetKey(["document_extractions"]), dg.AssetKey(["report_documents"])],
    )
    for table, (record, _) in RAW_TABLES.items()
]


def load_store(con, store_dir, registry: Registry) -> dict[str, int]:
    """Load every stored extraction DuckDB does not hold yet (other hash or extractor), and the issues.

    Comparing with what DuckDB holds, not with what this run extracted, means an extraction whose
    load was interrupted is loaded by the next run.
    """
    loaded = loaded_fingerprints(con)
    totals: dict[str, int] = {"documents_loaded": 0}
    issues = list(registry.issues)
    for document_id in sorted(registry.paths) + sorted(set(loaded) - set(registry.paths)):
        header = extraction_store.header(store_dir, document_id)
        if header is None:
            continue
        if header["loadable"] and loaded.get(document_id) == (header["source_fingerprint"], header["extractor_version"]):
            continue  # DuckDB holds this version: no need to unpickle it
        entry = extraction_store.load(store_dir, document_id)
        if entry is None:
            continue
        # recorded again each run they are current: record_issues replaces per file name
        issues.extend([entry.failure] if entry.failure else [])
        issues.extend(entry.caveats)
        if entry.loadable:
            for table, count in replace_document(con, entry.meta, entry.extraction, entry.extractor_version).items():
                totals[table] = totals.get(table, 0) + count
            totals["documents_loaded"] += 1
    unique = {(i.file_name, i.reason_code, i.detail): i for i in issues}
    totals["ingest_issues"] = record_issues(con, list(unique.values()))
    if registry.reports_dir:  # a file that left the inbox has no open issue any more (a kept document keeps its caveats)
        in_inbox = set(registry.inbox_files)
        stale = [name for (name,) in con.execute(
            "select distinct file_name from raw.ingest_issues where file_name not in (select document from raw.documents)"
        ).fetchall() if name not in in_inbox]
        if stale:
            con.executemany("delete from raw.ingest_issues where file_name = ?", [[name] for name in stale])
        totals["stale_issues_removed"] = len(stale)
    return totals


@dg.multi_asset(specs=RAW_SPECS, can_subset=False)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, report_documents: Registry):
    store_dir = extraction_store.store_dir(settings().build_dir)
    with duckdb.get_connection() as con:
        loaded = load_store(con, store_dir, report_documents)
        counts = raw_row_counts(con)
        facts_per_document = dict(
            con.execute("select document, count(*) from raw.facts group by document order by document").fetchall()
        )
    context.log.info(f"loaded {loaded['documents_loaded']} document(s) from {store_dir}")
    for table in RAW_TABLES:
        metadata: dict[str, Any] = {"dagster/row_count": counts[table], "rows_loaded_this_run": loaded.get(table, 0)}
        if table == "facts":
            metadata["facts_per_document"] = dg.MetadataValue.json(facts_per_document)
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
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """dbt build: seeds, staging views, star-schema marts, quality rule models and BI views, with their tests.

    dbt unit tests check model logic on fixed inputs, not the data: they run in CI
    (tests/test_dbt_build.py), not in every refresh, as dbt recommends.
    """
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()
    prune_run_targets(dbt_project().project_dir / dbt_project().target_path)


def prune_run_targets(target_dir: Path, keep: int = 3) -> list[Path]:
    """dagster-dbt writes a target folder per run (manifest, compiled SQL, logs: ~10 MB each); a
    monthly job would pile them up. Keep the newest few for debugging."""
    runs = sorted(
        (p for p in Path(target_dir).glob("warehouse_models-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime, reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[raw_tables, warehouse_models])
