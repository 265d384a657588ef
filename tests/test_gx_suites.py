"""The GX suites (expectations/*.json) and their runner, and the Dagster checks built on them.

Fast tests validate small DataFrames directly; one slow module fixture builds the rule
fixture of test_consistency with dbt and runs every registered suite and asset check on it.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import great_expectations as gx
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from dagster_project.defs import quality as quality_defs
from dagster_project.defs.partitions import FULL_REFRESH_TAG, is_full_refresh
from dagster_project.quality import check_results, gx_results, gx_suites, outcome_cache
from dagster_project.quality.gx_suites import (
    REGISTRY,
    Severity,
    load_suite,
    run_suite,
    suite_names,
)
from dagster_project.warehouse.settings import duckdb_config

CATALOGUE = ["care_guarantee_first_visit_pct", "bed_occupancy_pct", "budget_deviation_mnkr", "employees_count"]


def observation(**overrides) -> dict:
    row = {
        "document": "rvb_hsn_arsrapport_2022.txt",
        "kpi_code": "care_guarantee_first_visit_pct",
        "kpi_name_sv": "Vårdgaranti förstabesök",
        "org_unit_code": "24-abc",
        "org_unit_name": "Ortopedi Västerbotten",
        "region_code": "24",
        "period_start": pd.Timestamp("2022-12-31"),
        "period_end": pd.Timestamp("2022-12-31"),
        "period_type": "point_in_time",
        "scenario": "actual",
        "breakdown": "total",
        "value": 57.0,
        "unit": "percent",
        "is_approximate": False,
        "source_line": 2253,
        "source_text": "Ortopedi Vb 57 -5",
        "extraction_method": "table:side_by_side",
        "value_kind": "share",
        "is_difference_breakdown": False,
    }
    return {**row, **overrides}


def observations(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            observation(),
            observation(breakdown="diff_vs_2021_12", value=-5.0, is_difference_breakdown=True),
            observation(kpi_code="bed_occupancy_pct", value=104.0, source_line=1990),
            *rows,
        ]
    )


def rule_instance(**overrides) -> dict:
    row = {
        "rule": "table_total_equals_sum_of_rows",
        "severity": "warn",
        "document": "a.txt",
        "source_lines": "22 (total)",
        "expected": 15.0,
        "actual": 15.0,
        "difference": 0.0,
        "tolerance": 1.0,
        "passed": True,
        "message_sv": "Totalraden stämmer.",
        "message_en": "The total row matches.",
    }
    row.update(overrides)
    row["excess_over_tolerance"] = abs(row["difference"]) - row["tolerance"]
    row["within_tolerance"] = abs(row["difference"]) <= row["tolerance"] + 1e-9
    return row


# ------------------------------------------------------------------ suites load


def test_gx_is_the_pinned_version():
    assert gx.__version__ == "1.24.1"


def test_every_registered_suite_has_a_file_and_every_file_is_registered():
    assert sorted(REGISTRY) == suite_names()


@pytest.mark.parametrize("name", suite_names())
def test_every_suite_loads_under_the_pinned_gx(name):
    suite = load_suite(name)
    assert suite.name == name and suite.expectations
    # the JSON is in GX's own shape: re-serialising gives the same expectations
    on_disk = json.loads(gx_suites.suite_path(name).read_text(encoding="utf-8"))
    assert [e.expectation_type for e in suite.expectations] == [e["type"] for e in on_disk["expectations"]]


def test_blocking_suites_are_errors_and_warnings_never_block():
    assert (
        REGISTRY["kpi_observations_schema"].severity is Severity.ERROR and REGISTRY["kpi_observations_schema"].blocking
    )
    assert REGISTRY["consistency_rules"].severity is Severity.WARN and not REGISTRY["consistency_rules"].blocking
    for spec in REGISTRY.values():
        assert not (spec.blocking and spec.severity is Severity.WARN)


# ------------------------------------------------------------------ suites on DataFrames


def test_clean_observations_pass_the_schema_suite():
    outcome = run_suite("kpi_observations_schema", observations(), {"kpi_codes": CATALOGUE})
    assert outcome.success, outcome.summary()
    assert not outcome.blocks_publishing


def test_a_share_of_140_percent_fails_the_blocking_suite_with_a_clear_message():
    broken = observation(value=140.0, source_line=2260, source_text="Ortopedi Vb 140 -5")
    outcome = run_suite("kpi_observations_schema", observations(broken), {"kpi_codes": CATALOGUE})
    assert not outcome.success and outcome.blocks_publishing and outcome.severity is Severity.ERROR
    [failure] = outcome.failures
    assert failure.expectation == "expect_column_values_to_be_between(value)"
    assert failure.unexpected_count == 1
    assert "1 unexpected rows" in failure.detail and "140" in failure.detail
    assert failure.sample[0]["source_line"] == 2260 and failure.sample[0]["value"] == 140.0
    assert failure.sample[0]["document"] == "rvb_hsn_arsrapport_2022.txt"
    assert "kpi_observations_schema: 1 of" in outcome.summary()


def test_schema_suite_catches_uncatalogued_codes_missing_provenance_and_reversed_periods():
    outcome = run_suite(
        "kpi_observations_schema",
        observations(
            observation(kpi_code="made_up_kpi"),
            observation(source_text=None),
            observation(period_start=pd.Timestamp("2023-01-01")),
        ),
        {"kpi_codes": CATALOGUE},
    )
    failed = {f.expectation for f in outcome.failures}
    assert failed == {
        "expect_column_values_to_be_in_set(kpi_code)",
        "expect_column_values_to_not_be_null(source_text)",
        "expect_column_pair_values_a_to_be_greater_than_b(period_end, period_start)",
    }


def test_missing_contract_column_fails():
    outcome = run_suite(
        "kpi_observations_schema", observations().drop(columns=["source_text"]), {"kpi_codes": CATALOGUE}
    )
    assert not outcome.success
    assert any("source_text" in f.detail for f in outcome.failures)


def test_a_source_inconsistency_is_a_finding_not_a_failure():
    frame = pd.DataFrame(
        [
            rule_instance(),
            rule_instance(
                rule="same_fact_same_value",
                expected=-199.0,
                actual=-198.0,
                difference=1.0,
                tolerance=0.0,
                passed=False,
                message_en="Budget deviation is stated as -199 and -198.",
            ),
        ]
    )
    outcome = run_suite("consistency_rules", frame)
    assert outcome.success and not outcome.failures
    assert outcome.severity is Severity.WARN and not outcome.blocking and not outcome.blocks_publishing
    [finding] = outcome.findings
    assert finding.expectation == "expect_column_values_to_be_between(excess_over_tolerance)"
    assert finding.status == "findings" and finding.unexpected_count == 1 == outcome.finding_count
    assert finding.sample[0]["rule"] == "same_fact_same_value"
    assert "1 findings in the source documents" in outcome.summary()
    # reported in the asset check's metadata, and the check passes
    result = quality_defs.check_result(outcome)
    assert result.passed and result.metadata["findings"].value == 1
    assert "same_fact_same_value" in result.metadata["sample_findings"].value


def test_a_malformed_rule_row_still_fails_the_warn_suite():
    frame = pd.DataFrame([rule_instance(message_sv=None, difference=5.0, passed=False)])
    outcome = run_suite("consistency_rules", frame)
    assert not outcome.success
    assert {f.expectation for f in outcome.failures} == {"expect_column_values_to_not_be_null(message_sv)"}
    assert outcome.finding_count == 1


def test_a_rule_row_whose_verdict_contradicts_its_difference_is_caught():
    frame = pd.DataFrame([rule_instance(difference=3.0, passed=True)])
    outcome = run_suite("consistency_rules", frame)
    assert "expect_column_pair_values_to_be_equal(passed, within_tolerance)" in {
        f.expectation for f in outcome.failures
    }


def test_check_results_table(tmp_path):
    outcomes = [
        run_suite("kpi_observations_schema", observations(observation(value=140.0)), {"kpi_codes": CATALOGUE}),
        run_suite("consistency_rules", pd.DataFrame([rule_instance(), rule_instance(difference=4.0, passed=False)])),
    ]
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        # a table of an earlier layout (a column named check, a reserved word) is replaced
        con.execute('create schema marts; create table marts.check_results ("check" varchar, suite varchar)')
        check_results.write_check_results(con, outcomes)
        check_results.write_check_results(con, outcomes)  # replaces, never appends
        rows = con.execute(
            "select check_name, status, severity, unexpected_count from marts.check_results order by check_name"
        ).fetchall()
    assert len(rows) == sum(len(o.results) for o in outcomes)
    assert [(r[0], r[2]) for r in rows if r[1] == "failed"] == [
        ("kpi_observations_schema.expect_column_values_to_be_between(value)", "ERROR")
    ]
    assert [(r[0], r[3]) for r in rows if r[1] == "findings"] == [
        ("consistency_rules.expect_column_values_to_be_between(excess_over_tolerance)", 1)
    ]


def test_asset_check_result_carries_severity_and_sample_rows():
    outcome = run_suite("kpi_observations_schema", observations(observation(value=140.0)), {"kpi_codes": CATALOGUE})
    result = quality_defs.check_result(outcome)
    assert not result.passed and result.severity == dg.AssetCheckSeverity.ERROR
    assert result.metadata["expectations_failed"].value == 1
    assert "140" in result.metadata["sample_offending_rows"].value
    warn = quality_defs.check_result(run_suite("consistency_rules", pd.DataFrame([rule_instance()])))
    assert warn.passed and warn.severity == dg.AssetCheckSeverity.WARN


def test_checks_are_defined_one_per_suite_and_blocking_as_registered():
    defs = dg.Definitions.merge(
        quality_defs.defs(), dg.Definitions(resources={"duckdb": DuckDBResource(database=":memory:")})
    )
    dg.Definitions.validate_loadable(defs)
    specs = {spec.name: spec for check in quality_defs.QUALITY_CHECKS for spec in check.check_specs}
    assert set(specs) == set(REGISTRY)
    assert specs["kpi_observations_schema"].asset_key == dg.AssetKey(["marts", "kpi_observations"])
    # one registry: the asset each check is on and whether it blocks come from REGISTRY alone
    assert {name: spec.blocking for name, spec in specs.items()} == {n: s.blocking for n, s in REGISTRY.items()}
    assert {name: spec.asset_key.path for name, spec in specs.items()} == {
        n: list(s.asset) for n, s in REGISTRY.items()
    }


# ------------------------------------------------------------------ on a built warehouse


@pytest.fixture(scope="module")
def warehouse(quality_warehouse):
    return quality_warehouse  # the rules' fixture, built once per session (tests/conftest.py)


@pytest.mark.slow
def test_registered_suites_and_asset_checks_on_a_built_warehouse(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = {o.suite: o for o in gx_suites.evaluate_all(con, use_cache=False)}
    schema = outcomes["kpi_observations_schema"]
    assert schema.blocks_publishing
    share = next(f for f in schema.failures if f.expectation == "expect_column_values_to_be_between(value)")
    assert [row["value"] for row in share.sample] == [140.0]
    assert outcomes["integrity_rules"].blocks_publishing
    consistency = outcomes["consistency_rules"]
    assert consistency.success and not consistency.blocks_publishing
    # GX and dbt agree on every instance (same epsilon for float noise)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        failed_warn = con.execute(
            "select count(*) from marts.consistency_rule_instances where severity = 'warn' and not passed"
        ).fetchone()[0]
    [excess] = consistency.findings
    assert failed_warn > 0 and excess.unexpected_count == failed_warn == consistency.finding_count
    assert outcomes["documents_extracted"].success
    # validated again from the outcome cache: nothing runs through GX, the outcomes are the same
    with duckdb.connect(str(warehouse), read_only=True) as con:
        again = {o.suite: o for o in gx_suites.evaluate_all(con)}
    for name, outcome in outcomes.items():
        assert again[name].documents_validated == 0 and again[name].documents_cached == outcome.documents_validated > 0
        assert (again[name].success, again[name].row_count, again[name].results) == (
            outcome.success,
            outcome.row_count,
            outcome.results,
        )

    resource = DuckDBResource(database=str(warehouse))
    results = {name: quality_defs.run_check(name, resource)[0] for name in REGISTRY}
    assert not results["kpi_observations_schema"].passed
    assert results["kpi_observations_schema"].severity == dg.AssetCheckSeverity.ERROR
    # findings in the sources are data in the metadata, not a failed check
    assert results["consistency_rules"].passed
    assert results["consistency_rules"].severity == dg.AssetCheckSeverity.WARN
    assert results["consistency_rules"].metadata["findings"].value == failed_warn


def test_a_check_on_a_missing_warehouse_fails_instead_of_crashing(tmp_path):
    result, outcome = quality_defs.run_check(
        "kpi_observations_schema", DuckDBResource(database=str(tmp_path / "absent.duckdb"))
    )
    assert not result.passed and "error" in result.metadata and outcome is None


def load_observations(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    """marts.kpi_observations (as dbt builds it: comparison, not is_difference_breakdown) and the catalogue."""
    con.execute("create schema if not exists marts; create schema if not exists raw")
    con.register("incoming_rows", rows)
    con.execute(
        "create or replace table marts.kpi_observations as select * exclude (is_difference_breakdown), "
        "case when is_difference_breakdown then '2021_12' end as comparison from incoming_rows"
    )
    con.unregister("incoming_rows")
    con.execute("create or replace table raw.kpi_catalogue as select unnest(?) as kpi_code", [CATALOGUE])


def test_suites_validate_a_batch_of_documents_at_a_time_and_add_up(tmp_path):
    """Memory flat in N: no suite validates a whole table; the batches' outcomes add up to the whole's."""
    rows = observations(
        observation(value=140.0, document="b.txt"),
        observation(kpi_code="made_up", document="c.txt"),
        observation(document="d.txt"),
        observation(document=None),
    )
    with duckdb.connect() as con:
        load_observations(con, rows)
        documents = outcome_cache.document_digests(con, REGISTRY["kpi_observations_schema"])
        assert [(d.value, d.rows) for d in documents] == [
            ("b.txt", 1),
            ("c.txt", 1),
            ("d.txt", 1),
            ("rvb_hsn_arsrapport_2022.txt", 3),
            (None, 1),
        ]
        batches = outcome_cache.document_batches(documents, batch_rows=2)
        assert batches == [["b.txt", "c.txt"], ["d.txt", "rvb_hsn_arsrapport_2022.txt"], [None]]
        batched = gx_suites.evaluate(con, "kpi_observations_schema", batch_rows=2)
        whole = gx_suites.evaluate(con, "kpi_observations_schema", batch_rows=10_000)
    assert batched.row_count == whole.row_count == len(rows)
    summary = {r.expectation: (r.success, r.unexpected_count) for r in batched.results}
    assert summary == {r.expectation: (r.success, r.unexpected_count) for r in whole.results}
    assert summary["expect_column_values_to_be_between(value)"] == (False, 1)
    assert summary["expect_column_values_to_not_be_null(document)"] == (False, 1)
    assert summary["expect_column_values_to_be_in_set(kpi_code)"] == (False, 1)
    assert not batched.success and batched.blocks_publishing


# ------------------------------------------------------------------ outcome cache

SCHEMA = "kpi_observations_schema"


def cache_rows() -> pd.DataFrame:
    """Six documents (two with an offending row each) and a row without a document."""
    return observations(
        *(observation(document=f"{name}.txt", source_line=line) for line, name in enumerate("abcdef")),
        observation(document="b.txt", value=140.0, source_line=90),
        observation(document="e.txt", kpi_code="made_up", source_line=91),
        observation(document=None, source_line=92),
    )


@pytest.fixture
def cache_warehouse(tmp_path) -> str:
    path = tmp_path / "build" / "warehouse.build.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as con:
        load_observations(con, cache_rows())
    return str(path)


@pytest.fixture
def validated(monkeypatch) -> list[set]:
    """The documents GX validated, one set per validated frame."""
    frames: list[set] = []
    real = gx_suites._validate

    def spy(name, df, parameters):
        frames.append({None if pd.isna(value) else value for value in df["document"]})
        return real(name, df, parameters)

    monkeypatch.setattr(gx_suites, "_validate", spy)
    # several batches are validated in a child process, which a spy here cannot see: keep them here
    monkeypatch.setattr(gx_suites, "run_in_child", lambda function, *args: function(*args))
    return frames


def test_many_batches_are_validated_in_a_child_process_with_the_same_outcome(cache_warehouse, monkeypatch):
    """A full refresh validates every document: in a short-lived process, so GX's memory does not
    stay with the Dagster process; the outcome is the one validating here gives."""
    children = []
    real = gx_suites.run_in_child

    def counting(function, *args):
        children.append(function.__name__)
        return real(function, *args)

    monkeypatch.setattr(gx_suites, "run_in_child", counting)
    in_child = evaluate_schema(cache_warehouse, use_cache=False)
    assert children == ["_validate_batches_in_file"]
    monkeypatch.setattr(gx_suites, "run_in_child", lambda function, *args: function(*args))
    here = evaluate_schema(cache_warehouse, use_cache=False)
    assert same_outcome(in_child, here) and not in_child.success
    assert in_child.documents_validated == here.documents_validated == 8

    # one changed document (the monthly case) is one batch, validated in this process
    with duckdb.connect(cache_warehouse) as con:
        con.execute("update marts.kpi_observations set value = 101.5 where document = 'd.txt'")
    children.clear()
    monkeypatch.setattr(gx_suites, "run_in_child", counting)
    assert evaluate_schema(cache_warehouse).documents_validated == 1
    assert children == []


def evaluate_schema(path: str, **options) -> gx_suites.SuiteOutcome:
    # the refresh's configuration: the batches' process opens the file with it (here too, in tests
    # that keep the batches in this process, where DuckDB wants one configuration per file)
    with duckdb.connect(path, read_only=True, config=duckdb_config()) as con:
        return gx_suites.evaluate(con, SCHEMA, batch_rows=4, **options)


def same_outcome(first: gx_suites.SuiteOutcome, second: gx_suites.SuiteOutcome) -> bool:
    return (first.success, first.row_count, first.results) == (second.success, second.row_count, second.results)


def test_a_cached_run_gives_the_outcome_of_an_uncached_one(cache_warehouse, validated):
    cold = evaluate_schema(cache_warehouse)
    documents = {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "rvb_hsn_arsrapport_2022.txt", None}
    assert set().union(*validated) == documents and len(validated) > 1  # in batches
    assert (cold.documents_validated, cold.documents_cached) == (8, 0)
    cache = outcome_cache.cache_path(Path(cache_warehouse), SCHEMA)
    assert cache.parent == Path(cache_warehouse).parent / "checks" / "gx_cache" and cache.is_file()

    validated.clear()
    warm = evaluate_schema(cache_warehouse)
    assert validated == [] and (warm.documents_validated, warm.documents_cached) == (0, 8)
    assert same_outcome(warm, cold)
    failed = {f.expectation: f for f in warm.failures}
    assert failed["expect_column_values_to_be_between(value)"].sample[0]["document"] == "b.txt"
    assert failed["expect_column_values_to_be_in_set(kpi_code)"].unexpected_count == 1
    assert failed["expect_column_values_to_not_be_null(document)"].unexpected_count == 1

    # and what one GX run over every row says (samples included: documents merge in their order)
    with duckdb.connect(cache_warehouse, read_only=True) as con:
        whole = run_suite(SCHEMA, *gx_suites.suite_frame(con, SCHEMA))
    assert warm.success == whole.success and warm.row_count == whole.row_count
    assert [(r.expectation, r.success, r.unexpected_count, r.sample) for r in warm.results] == [
        (r.expectation, r.success, r.unexpected_count, r.sample) for r in whole.results
    ]


def test_splitting_a_batch_by_document_is_exact(cache_warehouse):
    """A batch's result split by document is what each document alone gives, detail lines included."""
    batched = evaluate_schema(cache_warehouse, use_cache=False)
    with duckdb.connect(cache_warehouse, read_only=True) as con:
        one_by_one = gx_suites.evaluate(con, SCHEMA, batch_rows=1, use_cache=False)
    assert same_outcome(batched, one_by_one)


def test_a_changed_document_alone_is_validated_again_and_can_fail_the_suite(cache_warehouse, validated):
    assert evaluate_schema(cache_warehouse).documents_validated == 8
    with duckdb.connect(cache_warehouse) as con:
        con.execute("update marts.kpi_observations set value = 101.5 where document = 'd.txt'")
    validated.clear()
    outcome = evaluate_schema(cache_warehouse)
    assert validated == [{"d.txt"}] and (outcome.documents_validated, outcome.documents_cached) == (1, 7)
    share = next(f for f in outcome.failures if f.expectation == "expect_column_values_to_be_between(value)")
    assert share.unexpected_count == 2 and [row["document"] for row in share.sample] == ["b.txt", "d.txt"]

    # a new document in the middle of the order, and one whose only offending row is fixed
    with duckdb.connect(cache_warehouse) as con:
        con.execute(
            "insert into marts.kpi_observations select * replace ('c2.txt' as document) "
            "from marts.kpi_observations where document = 'c.txt'"
        )
        con.execute("update marts.kpi_observations set value = 40 where document = 'b.txt'")
    validated.clear()
    outcome = evaluate_schema(cache_warehouse)
    assert sorted(map(sorted, validated)) == [["b.txt", "c2.txt"]]  # in one batch
    assert (outcome.documents_validated, outcome.documents_cached) == (2, 7)
    share = next(f for f in outcome.failures if f.expectation == "expect_column_values_to_be_between(value)")
    assert share.unexpected_count == 1 and share.sample[0]["document"] == "d.txt"
    assert same_outcome(outcome, evaluate_schema(cache_warehouse, use_cache=False))

    # a document that is gone leaves the cache; the others stay cached
    with duckdb.connect(cache_warehouse) as con:
        con.execute("delete from marts.kpi_observations where document = 'd.txt'")
    validated.clear()
    outcome = evaluate_schema(cache_warehouse)
    assert validated == [] and (outcome.documents_validated, outcome.documents_cached) == (0, 8)
    assert "expect_column_values_to_be_between(value)" not in {f.expectation for f in outcome.failures}


def test_digests_change_with_any_value_and_not_with_row_order():
    rows = observations(observation(document="b.txt"), observation(document="b.txt", value=None))
    with duckdb.connect() as con:
        load_observations(con, rows)
        before = {d.value: d.digest for d in outcome_cache.document_digests(con, REGISTRY[SCHEMA])}
        con.execute("create or replace table marts.kpi_observations as from marts.kpi_observations order by random()")
        assert {d.value: d.digest for d in outcome_cache.document_digests(con, REGISTRY[SCHEMA])} == before
        changes = [
            "update marts.kpi_observations set value = 'nan' where document = 'b.txt' and value is null",
            "update marts.kpi_observations set value = 57.000000001 where document = 'b.txt' and value = 57",
            "update marts.kpi_observations set period_end = period_end + interval 1 day where document = 'b.txt'",
            "update marts.kpi_observations set source_text = source_text || ' ' where document = 'b.txt'",
            "insert into marts.kpi_observations select * from marts.kpi_observations where document = 'b.txt' limit 1",
        ]
        for change in changes:
            con.execute(change)
            after = {d.value: d.digest for d in outcome_cache.document_digests(con, REGISTRY[SCHEMA])}
            assert after["b.txt"] != before["b.txt"], change
            assert after["rvb_hsn_arsrapport_2022.txt"] == before["rvb_hsn_arsrapport_2022.txt"]
            before = after


def test_a_change_of_suite_parameters_or_spec_invalidates_the_cache(cache_warehouse, tmp_path, monkeypatch):
    first = evaluate_schema(cache_warehouse)
    assert first.documents_validated == 8 and evaluate_schema(cache_warehouse).documents_cached == 8

    # the suite's JSON: a copy of expectations/ where scenario 'actual' is no longer allowed
    suites = tmp_path / "expectations"
    shutil.copytree(gx_suites.EXPECTATIONS_DIR, suites)
    config = json.loads((suites / f"{SCHEMA}.json").read_text(encoding="utf-8"))
    scenario = next(e for e in config["expectations"] if e["kwargs"].get("column") == "scenario")
    scenario["kwargs"]["value_set"] = ["forecast", "target"]
    (suites / f"{SCHEMA}.json").write_text(json.dumps(config), encoding="utf-8")
    original = gx_suites.EXPECTATIONS_DIR
    monkeypatch.setattr(gx_suites, "EXPECTATIONS_DIR", suites)
    changed = evaluate_schema(cache_warehouse)
    assert changed.documents_validated == 8
    assert "expect_column_values_to_be_in_set(scenario)" in {f.expectation for f in changed.failures}
    assert evaluate_schema(cache_warehouse).documents_cached == 8
    monkeypatch.setattr(gx_suites, "EXPECTATIONS_DIR", original)
    back = evaluate_schema(cache_warehouse)
    assert back.documents_validated == 8 and same_outcome(back, first)

    # the parameters: a code leaves the catalogue
    with duckdb.connect(cache_warehouse) as con:
        con.execute("delete from raw.kpi_catalogue where kpi_code = 'bed_occupancy_pct'")
    outcome = evaluate_schema(cache_warehouse)
    assert outcome.documents_validated == 8
    in_set = next(f for f in outcome.failures if f.expectation == "expect_column_values_to_be_in_set(kpi_code)")
    assert in_set.unexpected_count == 2 and {row["kpi_code"] for row in in_set.sample} == {
        "made_up",
        "bed_occupancy_pct",
    }

    # the spec: other sample columns
    spec = dataclasses.replace(REGISTRY[SCHEMA], sample_columns=("document", "value"))
    monkeypatch.setitem(REGISTRY, SCHEMA, spec)
    outcome = evaluate_schema(cache_warehouse)
    assert outcome.documents_validated == 8
    assert set(outcome.failures[0].sample[0]) == {"document", "value"}

    # the code that computes outcomes: no manual version bump needed
    assert evaluate_schema(cache_warehouse).documents_cached == 8
    monkeypatch.setattr(outcome_cache, "code_digest", lambda: "other code")
    assert evaluate_schema(cache_warehouse).documents_validated == 8


def test_a_corrupt_or_foreign_cache_is_ignored(cache_warehouse, tmp_path):
    first = evaluate_schema(cache_warehouse)
    cache = outcome_cache.cache_path(Path(cache_warehouse), SCHEMA)
    good = cache.read_text(encoding="utf-8")
    data = json.loads(good)
    not_an_outcome = json.loads(good)
    not_an_outcome["documents"][0][3][0] = "passed"
    too_few = json.loads(good)
    too_few["documents"][0][3].pop()
    broken = [
        good[: len(good) // 2],  # cut short
        "[]",
        json.dumps({**data, "format": outcome_cache.CACHE_FORMAT + 1}),
        json.dumps(not_an_outcome),
        json.dumps(too_few),
    ]
    for text in broken:
        cache.write_text(text, encoding="utf-8")
        outcome = evaluate_schema(cache_warehouse)
        assert outcome.documents_validated == 8 and same_outcome(outcome, first)
        assert cache.read_text(encoding="utf-8") == good  # written again

    # another build file never reads this one's outcomes, even given its cache file
    other = tmp_path / "build" / "other.build.duckdb"
    shutil.copy(cache_warehouse, other)
    shutil.copy(cache, outcome_cache.cache_path(other, SCHEMA))
    assert outcome_cache.cache_path(other, SCHEMA) != cache
    assert evaluate_schema(str(other)).documents_validated == 8


def test_a_full_refresh_validates_everything_and_leaves_a_fresh_cache(cache_warehouse):
    evaluate_schema(cache_warehouse)
    full = evaluate_schema(cache_warehouse, use_cache=False)
    assert full.documents_validated == 8 and full.documents_cached == 0
    assert evaluate_schema(cache_warehouse).documents_cached == 8
    result, _ = quality_defs.run_check(SCHEMA, DuckDBResource(database=cache_warehouse), use_cache=False)
    assert result.metadata["documents_validated"].value == 8 and result.metadata["documents_from_cache"].value == 0
    result, _ = quality_defs.run_check(SCHEMA, DuckDBResource(database=cache_warehouse))
    assert result.metadata["documents_from_cache"].value == 8
    assert is_full_refresh(dg.DagsterRun(job_name="refresh", tags={FULL_REFRESH_TAG: "true"}))
    assert not is_full_refresh(dg.DagsterRun(job_name="refresh"))


def test_the_check_in_a_full_refresh_run_ignores_the_cache(cache_warehouse, monkeypatch):
    monkeypatch.setenv("DUCKDB_PATH", cache_warehouse)  # where the check records its outcome
    evaluate_schema(cache_warehouse)

    @dg.asset(key=list(REGISTRY[SCHEMA].asset))
    def kpi_observations() -> None:
        return None

    check = next(c for c in quality_defs.QUALITY_CHECKS if SCHEMA in {spec.name for spec in c.check_specs})

    def metadata(tags: dict[str, str]) -> dict:
        result = dg.materialize(
            [kpi_observations, check],
            resources={"duckdb": DuckDBResource(database=cache_warehouse)},
            tags=tags,
            raise_on_error=False,  # the suite fails (a share of 140 %), and it blocks
        )
        [evaluation] = result.get_asset_check_evaluations()
        assert not evaluation.passed
        return {key: value.value for key, value in evaluation.metadata.items()}

    monthly = metadata({})
    assert (monthly["documents_validated"], monthly["documents_from_cache"]) == (0, 8)
    full = metadata({FULL_REFRESH_TAG: "true"})
    assert (full["documents_validated"], full["documents_from_cache"]) == (8, 0)


def test_a_suite_whose_expectations_span_documents_is_validated_whole(cache_warehouse, tmp_path, monkeypatch):
    """Uniqueness across rows cannot be judged per document: such a suite keeps no cache."""
    assert all(gx_results.splits_by_document(gx_suites.suite_config(name)) for name in REGISTRY)
    suites = tmp_path / "expectations"
    shutil.copytree(gx_suites.EXPECTATIONS_DIR, suites)
    config = json.loads((suites / f"{SCHEMA}.json").read_text(encoding="utf-8"))
    config["expectations"].append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": "source_line"}})
    (suites / f"{SCHEMA}.json").write_text(json.dumps(config), encoding="utf-8")
    monkeypatch.setattr(gx_suites, "EXPECTATIONS_DIR", suites)
    assert not gx_results.splits_by_document(gx_suites.suite_config(SCHEMA))
    with duckdb.connect(cache_warehouse, read_only=True) as con:
        outcome = gx_suites.evaluate(con, SCHEMA)  # line 2253 states a value and its difference
        again = gx_suites.evaluate(con, SCHEMA)
    unique = next(r for r in outcome.results if r.expectation == "expect_column_values_to_be_unique(source_line)")
    assert not unique.success and unique.unexpected_count > 0
    assert again.documents_cached == 0 and same_outcome(outcome, again)
    assert not outcome_cache.cache_path(Path(cache_warehouse), SCHEMA).exists()


def test_an_outcome_survives_the_trip_from_the_check_to_publishing(tmp_path):
    outcome = run_suite("kpi_observations_schema", observations(observation(value=140.0)), {"kpi_codes": CATALOGUE})
    quality_defs.record_outcome(outcome, "run-1", tmp_path)
    found, missing = quality_defs.recorded_outcomes("run-1", tmp_path)
    assert [o.suite for o in found] == ["kpi_observations_schema"] and set(missing) == set(REGISTRY) - {
        "kpi_observations_schema"
    }
    assert found[0].failures[0].sample == outcome.failures[0].sample and found[0].blocks_publishing
    assert quality_defs.recorded_outcomes("run-2", tmp_path)[0] == []  # another run's outcome never counts


def test_dates_in_samples_are_iso_strings():
    assert gx_results.json_safe(pd.Timestamp("2022-12-31")) == "2022-12-31"
    assert gx_results.json_safe(date(2022, 12, 31)) == "2022-12-31"
    assert gx_results.json_safe(float("nan")) is None


@pytest.mark.slow
def test_a_blocking_failure_stops_publishing_and_leaves_the_published_file(warehouse, tmp_path, monkeypatch):
    from dagster_project.defs.publish import published_warehouse

    published = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute("create schema marts; create table marts.kpi_observations as select 1 as value")
    monkeypatch.setenv("WAREHOUSE_PATH", str(published))
    monkeypatch.setenv("DUCKDB_PATH", str(warehouse))
    resources = {"duckdb": DuckDBResource(database=str(warehouse))}
    # run alone, no check ran in its run: the blocking suites count as failed
    alone = dg.materialize([published_warehouse], resources=resources, raise_on_error=False)
    failure = next(e for e in alone.all_events if e.event_type_value == "STEP_FAILURE")
    assert "kpi_observations_schema: did not run in this run" in failure.step_failure_data.user_failure_data.description
    # the outcomes the run's checks recorded (evaluated once, here) decide
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = gx_suites.evaluate_all(con)
    monkeypatch.setattr("dagster_project.defs.publish.recorded_outcomes", lambda run_id: (outcomes, []))
    result = dg.materialize([published_warehouse], resources=resources, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.step_failure_data.user_failure_data.description
    assert "Not published" in message and "kpi_observations_schema" in message and "140" in message
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.kpi_observations").fetchone()[0] == 1
