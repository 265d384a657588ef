"""Warehouse: load extractions into DuckDB schema raw, then build the dbt models on top."""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from ..warehouse.load import RAW_TABLES, load_raw, raw_row_counts
from .extract import Extracted
from .resources import dbt_project

RAW_SPECS = [
    dg.AssetSpec(
        key=dg.AssetKey(["raw", table]),
        group_name="warehouse",
        kinds={"duckdb"},
        owners=["team:data-engineering"],
        description=f"raw.{table}: rows of the {record.__name__} records, one document's rows replaced as a unit.",
        deps=[dg.AssetKey(["document_extractions"])],
    )
    for table, (record, _) in RAW_TABLES.items()
]


@dg.multi_asset(specs=RAW_SPECS, can_subset=False)
def raw_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource, document_extractions: Extracted):
    metas = [meta for meta, _ in document_extractions.extractions.values()]
    extractions = {name: extraction for name, (_, extraction) in document_extractions.extractions.items()}
    with duckdb.get_connection() as con:
        loaded = load_raw(con, metas, extractions, document_extractions.issues)
        counts = raw_row_counts(con)
        facts_per_document = dict(
            con.execute("select document, count(*) from raw.facts group by document order by document").fetchall()
        )
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
    """dbt build: seeds, staging views, star-schema marts, quality rule models and BI views, with their tests."""
    yield from dbt.cli(["build"], context=context).stream()


def defs() -> dg.Definitions:
    return dg.Definitions(assets=[raw_tables, warehouse_models])
