"""Every asset materialised into a temporary folder, as `make warehouse` does, then read like a BI tool."""

from pathlib import Path

import duckdb
import pytest

from dagster_project.evaluation.score import read_gold, score
from dagster_project.extraction.numbers import find_numbers
from tests.bi_contract import CONTRACT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "seeds" / "reports").glob("*.txt"))

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pipeline(bundled_pipeline):
    return bundled_pipeline


def _rows(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]


def test_run_succeeds_and_publishes(pipeline):
    assert pipeline["first"].success, [
        e.message for e in pipeline["first"].all_events if e.event_type_value == "STEP_FAILURE"
    ]
    assert pipeline["published"].exists()


def test_bi_view_has_the_contract_columns_and_all_documents(pipeline):
    with duckdb.connect(str(pipeline["published"]), read_only=True) as con:
        columns = [r[0] for r in con.execute("describe marts.kpi_observations").fetchall()]
        documents = {r[0] for r in con.execute("select distinct document from marts.kpi_observations").fetchall()}
        schemas = {
            r[0]
            for r in con.execute(
                "select schema_name from duckdb_schemas() where database_name = current_database()"
            ).fetchall()
        }
    assert columns[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert documents == {p.name for p in REPORTS}
    assert {"raw", "staging", "marts"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_every_row_points_at_a_line_holding_its_number(pipeline):
    rows = _rows(pipeline["published"], "select document, source_line, value, unit from marts.kpi_observations")
    texts = {p.name: p.read_text(encoding="utf-8").splitlines() for p in REPORTS}
    wrong = []
    for row in rows:
        line = texts[row["document"]][row["source_line"] - 1]
        values = {round(abs(t.value), 4) for t in find_numbers(line)}
        # a misprinted sign ('.15') or a number split over two table columns still names its digits
        digits = "".join(ch for ch in line if ch.isdigit())
        number = f"{abs(row['value']):g}".replace(".", "")
        if round(abs(row["value"]), 4) not in values and number not in digits:
            wrong.append((row["document"], row["source_line"], row["value"], line.strip()[:80]))
    assert not wrong, f"{len(wrong)} rows whose line lacks their number, e.g. {wrong[:5]}"


def test_bad_input_is_recorded_and_never_stops_the_others(pipeline):
    issues = _rows(pipeline["published"], "select file_name, reason_code, detail from marts.ingest_issues")
    reasons = {i["file_name"]: i["reason_code"] for i in issues}
    assert reasons.get("tom.txt") == "empty_file"
    assert reasons.get("bild.txt") == "binary_file"
    assert reasons.get("inköpslista.txt") == "not_a_report"
    assert all(i["detail"] for i in issues)


def test_gold_sample_recall(pipeline):
    rows = _rows(pipeline["published"], "select * from marts.kpi_observations")
    result = score(rows, read_gold(ROOT / "tests" / "fixtures" / "gold_dev.csv"))
    print("\n" + result.summary())
    assert result.strict_recall >= 0.60


def test_every_inbox_file_is_a_document_partition(pipeline):
    from dagster_project.extraction.inbox import document_id_for

    partitions = pipeline["instance"].get_dynamic_partitions("documents")
    assert sorted(partitions) == sorted(document_id_for(p.name) for p in pipeline["inbox"].iterdir())
    assert pipeline["plan"].changed == pipeline["plan"].new_partitions  # a first run extracts all of them
    extracted = pipeline["first"].asset_materializations_for_node("document_extractions")
    assert sorted(m.partition for m in extracted) == sorted(partitions)


def _refresh(pipeline):
    from dagster_project.defs.automation import run_refresh

    with pytest.MonkeyPatch.context() as patch:
        for key, value in pipeline["env"].items():
            patch.setenv(key, value)
        return run_refresh(pipeline["defs"], pipeline["instance"])


def test_second_run_with_a_reader_open_is_incremental_and_identical(pipeline):
    published = pipeline["published"]
    query = "select * from marts.kpi_observations order by all"
    before = _rows(published, query)
    with duckdb.connect(str(published), read_only=True) as reader:
        plan, second = _refresh(pipeline)
        assert reader.execute("select count(*) from marts.kpi_observations").fetchone()[0] == len(before)
    assert second.success
    assert plan.changed == [] and second.asset_materializations_for_node("document_extractions") == []
    ingest = second.asset_materializations_for_node("report_documents")[0].metadata
    assert ingest["documents_new_or_changed"].value == 0  # unchanged files are not even read
    assert _rows(published, query) == before


def test_a_new_document_is_the_only_one_extracted(pipeline):
    source = pipeline["inbox"] / REPORTS[0].name
    (pipeline["inbox"] / "Ny rapport (2).txt").write_text(
        source.read_text(encoding="utf-8") + "\nBilaga.\n", encoding="utf-8"
    )
    plan, third = _refresh(pipeline)
    assert third.success
    assert plan.changed == ["ny_rapport"]
    extracted = third.asset_materializations_for_node("document_extractions")
    assert [m.partition for m in extracted] == ["ny_rapport"]
    assert extracted[0].metadata["extracted_documents"].value == 1
    documents = {
        r["document"] for r in _rows(pipeline["published"], "select distinct document from marts.kpi_observations")
    }
    assert "Ny rapport (2).txt" in documents


def test_a_sum_of_preferred_rows_counts_each_fact_once(pipeline):
    # HSN's 2022 budget deviation is stated twice in its annual report: -199 (line 3), -198 (line 1637)
    rows = _rows(
        pipeline["published"],
        """
        select value, source_line, is_preferred, kpi_series_id from marts.kpi_observations
        where document = 'rvb_hsn_arsrapport_2022.txt' and kpi_code = 'budget_deviation_mnkr'
          and org_unit_name = 'Hälso- och sjukvårdsnämnden' and period_end = date '2022-12-31'
          and breakdown = 'total' and comparison is null
    """,
    )
    assert sorted(r["value"] for r in rows) == [-199.0, -198.0]
    assert sum(r["value"] for r in rows if r["is_preferred"]) == -199.0  # not -397
    [series] = _rows(
        pipeline["published"], f"select * from marts.kpi_series where kpi_series_id = '{rows[0]['kpi_series_id']}'"
    )
    assert series["statement_count"] == 2 and series["chosen_by"] == "first_stated" and not series["is_consistent"]
    # across the whole warehouse: per KPI, measure, organisation, period, breakdown and comparison, the
    # preferred rows are one per series, and an outcome has one preferred value
    [(doubled,)] = (
        duckdb.connect(str(pipeline["published"]), read_only=True)
        .execute("""
        select count(*) from (
            select kpi_code, measure, org_unit_code, org_unit_name, period_start, period_end, breakdown, comparison, unit,
                   scenario = 'target' as is_target
            from marts.kpi_observations where is_preferred
            group by all having count(*) > 1)
    """)
        .fetchall()
    )
    assert doubled == 0


def test_a_region_wide_value_is_one_level_and_a_change_is_a_comparison(pipeline):
    rows = _rows(
        pipeline["published"],
        """
        select org_unit_level, count(*) as n from marts.kpi_observations
        where org_unit_label in ('Västerbotten', 'Region Västerbotten', 'Norrbotten', 'Region Norrbotten')
        group by all
    """,
    )
    assert {r["org_unit_level"] for r in rows} == {"region"}
    levels = {
        r[0]
        for r in duckdb.connect(str(pipeline["published"]), read_only=True)
        .execute("select distinct level from marts.dim_org_unit")
        .fetchall()
    }
    assert "county_total" not in levels
    # the contract keeps a difference column's breakdown ('diff_vs_2021_12', the spec's example);
    # the comparison columns say it as data, and the series keep differences apart from values
    changes = _rows(
        pipeline["published"],
        """
        select breakdown, comparison, comparison_period_end, count(*) as n from marts.kpi_observations
        where comparison is not null group by all
    """,
    )
    assert changes and all(c["breakdown"].startswith("diff_vs_") and c["comparison"] == "difference" for c in changes)
    assert {str(c["comparison_period_end"]) for c in changes} == {"2021-12-31"}
    assert not _rows(pipeline["published"], "select 1 from marts.kpi_series where breakdown like 'diff%'")
    columns = {
        r["column_name"]
        for r in _rows(
            pipeline["published"],
            "select column_name from information_schema.columns where table_name = 'check_results'",
        )
    }
    assert "check_name" in columns and "check" not in columns


def test_the_command_line_prints_a_short_summary_and_logs_the_rest(pipeline, tmp_path, monkeypatch, capfd):
    from dagster_project.cli import main

    for key, value in pipeline["env"].items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    capfd.readouterr()
    assert main(["refresh"]) == 0
    out, err = capfd.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("Warehouse refreshed in ") and lines[0].endswith(f"published {pipeline['published']}")
    assert len(lines) <= 10 and err == ""
    assert any(line.startswith("  documents: 0 read this run") and "3 refused" in line for line in lines)
    assert any("refused: bild.txt (binary_file)" in line for line in lines)
    log = Path(lines[-1].split("log: ", 1)[1])
    text = log.read_text(encoding="utf-8")
    assert " DEBUG " in text and "RUN_SUCCESS" in text and "Running with dbt=" in text


def test_every_code_a_swedish_page_shows_has_a_swedish_label(pipeline):
    from dagster_project.report.labels import load_labels

    labels = load_labels()
    with duckdb.connect(str(pipeline["published"]), read_only=True) as con:
        shown = {
            "rule": "select distinct rule from marts.consistency_rule_instances",
            "severity": "select distinct severity from marts.consistency_rule_instances",
            "document_kind": "select distinct document_kind from marts.dim_document where document_kind is not null",
            "scenario": "select distinct scenario from marts.kpi_observations",
            "period_type": "select distinct period_type from marts.kpi_observations",
            "org_unit_level": "select distinct level from marts.dim_org_unit",
            "chosen_by": "select distinct chosen_by from marts.kpi_series",
            "check_status": "select distinct status from marts.check_results",
        }
        missing = {
            domain: sorted(code for (code,) in con.execute(sql).fetchall() if not labels.has(domain, code))
            for domain, sql in shown.items()
        }
    assert not {domain: codes for domain, codes in missing.items() if codes}, "add them to seeds/swedish_labels.csv"
