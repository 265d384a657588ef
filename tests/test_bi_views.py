"""After a dbt build, the BI views exist in marts with their Swedish names, hold the rows of the
marts they rename, and users' tools work on the result: the docs site, the report, the export.

On the session's one `dbt build` of the dev raw fixture (tests/conftest.py: dev_warehouse).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from dagster_project.report.docs_site import build_docs
from dagster_project.report.export import export_parquet
from dagster_project.report.render import render_reports

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_DIR = PROJECT_ROOT / "dbt"

# Swedish view -> (the mart it renames, its columns in order)
SWEDISH_VIEWS = {
    "kpi_observationer": (
        "kpi_observations",
        [
            "dokument",
            "kpi_kod",
            "kpi_namn",
            "kpi_kategori",
            "organisationsenhet_kod",
            "organisationsenhet",
            "organisationsnivå",
            "regionkod",
            "region",
            "period_från",
            "period_till",
            "periodtyp",
            "scenario",
            "uppdelning",
            "jämförelse",
            "jämfört_med_period_till",
            "värde",
            "enhet",
            "är_ungefärligt",
            "är_föredraget",
            "serie_id",
            "källrad",
            "källsida",
            "källtext",
            "extraktionsmetod",
        ],
    ),
    "malbedomningar": (
        "fct_goal_assessment",
        [
            "dokument",
            "regionkod",
            "region",
            "organisationsenhet_kod",
            "organisationsenhet",
            "målnummer",
            "delmål",
            "målformulering",
            "bedömning",
            "bedömningskod",
            "scenario",
            "period_till",
            "källrad",
            "källsida",
            "källtext",
            "extraktionsmetod",
        ],
    ),
    "uppdrag": (
        "fct_assignment",
        [
            "dokument",
            "regionkod",
            "region",
            "uppdrag",
            "från",
            "till",
            "status",
            "statuskod",
            "status_enligt_dokumentet",
            "tidsgräns",
            "källrad",
            "källsida",
            "källtext",
            "extraktionsmetod",
        ],
    ),
    "konsistensavvikelser": (
        "consistency_findings",
        [
            "avvikelse_id",
            "regel",
            "regelkod",
            "allvarlighetsgrad",
            "dokument",
            "alla_dokument",
            "källrader",
            "kpi_kod",
            "organisationsenhet",
            "scenario",
            "uppdelning",
            "period_från",
            "period_till",
            "enhet",
            "indata",
            "förväntat",
            "faktiskt",
            "differens",
            "tolerans",
            "beskrivning",
            "beskrivning_engelska",
        ],
    ),
}


@pytest.fixture(scope="module")
def built(dev_warehouse) -> dict:
    return {"warehouse": dev_warehouse}


def _relations(con) -> dict[str, str]:
    return dict(
        con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'marts' and table_catalog = current_database()"
        ).fetchall()
    )


def test_swedish_views_exist_in_marts_with_their_columns_and_rows(built):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        relations = _relations(con)
        for view, (mart, columns) in SWEDISH_VIEWS.items():
            assert relations.get(view) == "BASE TABLE", view
            assert [row[0] for row in con.execute(f"describe marts.{view}").fetchall()] == columns, view
            # a renaming view: exactly the rows of the mart it renames
            count = con.execute(f"select count(*) from marts.{view}").fetchone()[0]
            assert count == con.execute(f"select count(*) from marts.{mart}").fetchone()[0], view
        assert con.execute("select count(*) from marts.kpi_observationer").fetchone()[0] > 0
        # the Swedish names are usable unquoted, as a BI user would type them
        row = con.execute(
            "select värde, källrad, källtext from marts.kpi_observationer "
            "where dokument = 'rnb_regiondirektorens_rapport_2023_02.txt' and kpi_kod = 'employees_count'"
        ).fetchone()
        assert row == (6807.0, 100, "per den sista februari 6 807 anställda")
        assert {r[0] for r in con.execute("select distinct scenario from marts.kpi_observationer").fetchall()} <= {
            "utfall",
            "prognos",
            "målvärde",
        }
        assert {r[0] for r in con.execute("select distinct enhet from marts.kpi_observationer").fetchall()} <= {
            "mnkr",
            "procent",
            "antal",
            "dagar",
            "index",
        }
        assert {r[0] for r in con.execute("select distinct bedömning from marts.malbedomningar").fetchall()} <= {
            "uppfyllt",
            "delvis uppfyllt",
            "ej uppfyllt",
            "ingen bedömning",
        }


def test_kolada_comparable_rows_follow_the_rules(built):
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        assert _relations(con).get("kolada_comparable") == "BASE TABLE"
        bad = con.execute(
            """
            select count(*) from marts.kolada_comparable c
            join marts.dim_kpi k on c.kpi_code = k.kpi_code
            join marts.dim_org_unit u on c.org_unit_code = u.org_unit_code
            where k.kolada_match <> 'same' or c.kolada_kpi_id <> k.kolada_kpi_id
               or u.level <> 'region'
               or not exists (select 1 from marts.kpi_observations o where o.document = c.document
                              and o.source_line = c.source_line and o.kpi_code = c.kpi_code and o.is_preferred)
               or c.kolada_region_id <> '00' || c.region_code
               or c.period_start <> make_date(c.kolada_year, 1, 1) or c.period_end <> make_date(c.kolada_year, 12, 31)
               or c.source_attribution not like 'Källa: ' || c.document || ', rad %'
            """
        ).fetchone()[0]
        assert bad == 0


def test_docs_site_has_dbt_docs_with_column_descriptions_and_check_results(built, tmp_path):
    from dagster_project.quality import check_results, gx_suites

    warehouse = tmp_path / "warehouse.duckdb"  # the check results are written to a copy of the shared build
    shutil.copy(built["warehouse"], warehouse)
    with duckdb.connect(str(warehouse)) as con:
        check_results.write_check_results(con, gx_suites.evaluate_all(con))
    index = build_docs(tmp_path / "docs", dbt_project_dir=DBT_DIR, duckdb_path=warehouse)
    html = index.read_text(encoding="utf-8")
    assert 'href="dbt/static_index.html"' in html and 'href="checks.html"' in html
    static = (tmp_path / "docs" / "dbt" / "static_index.html").read_text(encoding="utf-8")
    assert "kpi_observationer" in static and "kpi_series" in static  # manifest and catalog are inlined
    manifest = json.loads((tmp_path / "docs" / "dbt" / "manifest.json").read_text(encoding="utf-8"))
    # dbt docs load their tracker from a CDN only when usage statistics are on
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for view, (_, columns) in SWEDISH_VIEWS.items():
        described = {name: c["description"] for name, c in nodes[view]["columns"].items()}
        assert all(described.get(column) for column in columns), view
    assert "Källa: Kolada" in nodes["kolada_comparable"]["description"]
    catalog = json.loads((tmp_path / "docs" / "dbt" / "catalog.json").read_text(encoding="utf-8"))
    assert any(key.endswith(".kpi_observationer") for key in catalog["nodes"])
    # the check results, in Swedish, in a page of the project's own: every suite's rows
    checks = (tmp_path / "docs" / "checks.html").read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [r[0] for r in con.execute("select check_name from marts.check_results").fetchall()]
    assert names and all(name in checks for name in names)
    assert "<td>Godkänd" in checks and "<td>passed" not in checks
    for page in (tmp_path / "docs").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "cdn." not in text.lower() and "bootstrapcdn" not in text, page
    assert (tmp_path / "docs" / "static" / "report.css").is_file()
    # the warehouse was catalogued from a copy: no scratch file left behind, the original untouched
    assert not list((tmp_path / "docs").rglob("*.duckdb"))


def test_report_across_reports_on_the_built_marts(built, tmp_path):
    written = render_reports(built["warehouse"], tmp_path / "report", reports_dir=PROJECT_ROOT / "seeds" / "reports")
    assert written[-1].name == "index.html"
    page = next(p for p in written if p.name == "rnb_regiondirektorens_rapport_2023_02.html").read_text(
        encoding="utf-8"
    )
    assert "rnb_regiondirektorens_rapport_2023_02.txt:100" in page
    assert (tmp_path / "report" / "sources" / "rnb_regiondirektorens_rapport_2023_02.txt.html").exists()
    with duckdb.connect(str(built["warehouse"]), read_only=True) as con:
        series = con.execute("select distinct kpi_code from marts.kpi_series").fetchall()
        # 'Ortopedi Ske' in 2022 and 2024: one unit, two periods, on one trend
        ends = con.execute(
            "select distinct period_end from marts.kpi_series where kpi_code = 'care_guarantee_first_visit_pct' "
            "and comparison is null"
        ).fetchall()
    assert {p.stem for p in (tmp_path / "report" / "kpi").iterdir()} == {kpi for (kpi,) in series}
    care = (tmp_path / "report" / "kpi" / "care_guarantee_first_visit_pct.html").read_text(encoding="utf-8")
    assert all(f'data-period="{end.isoformat()}"' in care for (end,) in ends) and len(ends) == 2


def test_export_writes_every_marts_relation(built, tmp_path):
    files = export_parquet(built["warehouse"], tmp_path / "parquet")
    names = {p.stem for p in files}
    assert {"kpi_observations", "kpi_series", "kpi_observationer", "konsistensavvikelser", "kolada_comparable"} <= names
