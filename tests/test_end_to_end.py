"""Every asset materialised into a temporary folder, as `make warehouse` does, then read like a BI tool."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.evaluation.score import read_gold, score
from dagster_project.extraction.numbers import find_numbers

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "seeds" / "reports").glob("*.txt"))
CONTRACT_COLUMNS = [
    "document", "kpi_code", "kpi_name_sv", "org_unit_code", "org_unit_name", "region_code", "period_start",
    "period_end", "period_type", "scenario", "breakdown", "value", "unit", "is_approximate", "source_line",
    "source_text", "extraction_method",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
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
            yield {"defs": defs, "instance": instance, "plan": plan, "first": first, "published": published,
                   "inbox": inbox, "env": env}


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
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas() where database_name = current_database()").fetchall()}
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
    from dagster_project.extraction.documents import document_id_for

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
        source.read_text(encoding="utf-8") + "\nBilaga.\n", encoding="utf-8")
    plan, third = _refresh(pipeline)
    assert third.success
    assert plan.changed == ["ny_rapport"]
    extracted = third.asset_materializations_for_node("document_extractions")
    assert [m.partition for m in extracted] == ["ny_rapport"]
    assert extracted[0].metadata["extracted_documents"].value == 1
    documents = {r["document"] for r in _rows(pipeline["published"], "select distinct document from marts.kpi_observations")}
    assert "Ny rapport (2).txt" in documents
