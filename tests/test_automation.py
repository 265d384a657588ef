"""Inbox sensor, monthly schedule and the refresh plan: documents as dynamic partitions."""

import os

import dagster as dg
import pytest

from dagster_project.defs.automation import DOWNSTREAM_OF_EXTRACTION, monthly_refresh, report_inbox
from dagster_project.defs.partitions import DOCUMENTS
from dagster_project.extraction.records import IngestIssue
from dagster_project.ingest.plan import plan_refresh
from dagster_project.ingest.registry import read_inbox
from dagster_project.warehouse import raw_layer

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


@pytest.fixture
def inbox(tmp_path, monkeypatch):
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setenv("REPORTS_DIR", str(folder))
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "build" / "warehouse.build.duckdb"))
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "published" / "warehouse.duckdb"))  # raw layer beside it
    return folder


@pytest.fixture
def instance():
    with dg.instance_for_test() as temporary:  # schedules need an instance reference
        yield temporary


def _store(inbox):
    return inbox.parent / "published" / "warehouse_raw"


def _mark_extracted(inbox, name):
    """What the extraction asset leaves behind for a file (here: a refusal, which counts the same)."""
    entry = read_inbox(inbox).files
    found = next(e for e in entry.values() if e.path.name == name)
    raw_layer.save(
        _store(inbox),
        raw_layer.StoredExtraction(
            found.document_id,
            name,
            found.fingerprint,
            raw_layer.extractor_version(),
            failure=IngestIssue(name, "not_a_report", "test"),
        ),
    )


def _evaluate(cursor, instance):
    context = dg.build_sensor_context(cursor=cursor, instance=instance)
    result = report_inbox(context)
    return result, context.cursor


def test_plan_targets_new_and_changed_documents_only(inbox):
    (inbox / "a.txt").write_text("Årsrapport 2022", encoding="utf-8")
    (inbox / "b.txt").write_text("Delårsrapport 2023", encoding="utf-8")
    plan = plan_refresh([], inbox, _store(inbox))
    assert plan.new_partitions == ["a", "b"] and plan.changed == ["a", "b"]
    assert plan.tags == {RANGE_START: "a", RANGE_END: "b"}

    _mark_extracted(inbox, "a.txt")
    _mark_extracted(inbox, "b.txt")
    assert plan_refresh(["a", "b"], inbox, _store(inbox)).changed == []

    (inbox / "a.txt").write_text("Årsrapport 2022, rättad", encoding="utf-8")  # a corrected version
    plan = plan_refresh(["a", "b"], inbox, _store(inbox))
    assert plan.new_partitions == [] and plan.changed == ["a"] and plan.tags[RANGE_END] == "a"


def test_a_redelivered_file_is_a_new_version_of_the_same_partition(inbox):
    (inbox / "rapport.txt").write_text("Årsrapport 2022", encoding="utf-8")
    _mark_extracted(inbox, "rapport.txt")
    os.utime(inbox / "rapport.txt", ns=(1, 1))
    (inbox / "Rapport (2).txt").write_text("Årsrapport 2022, ny version", encoding="utf-8")
    found = read_inbox(inbox)
    assert list(found.files) == ["rapport"] and found.files["rapport"].path.name == "Rapport (2).txt"
    assert [p.name for p in found.superseded] == ["rapport.txt"]
    assert plan_refresh(["rapport"], inbox, _store(inbox)).changed == ["rapport"]


def test_a_new_extractor_version_makes_every_document_changed(inbox, monkeypatch):
    (inbox / "a.txt").write_text("Årsrapport 2022", encoding="utf-8")
    _mark_extracted(inbox, "a.txt")
    monkeypatch.setattr(raw_layer, "extractor_version", lambda: "another")
    assert plan_refresh(["a"], inbox, _store(inbox)).changed == ["a"]


def test_sensor_requests_a_run_for_new_and_changed_reports_only(inbox, instance):
    (inbox / "a.txt").write_text("Årsrapport 2022", encoding="utf-8")
    first, cursor = _evaluate(None, instance)
    assert isinstance(first, dg.SensorResult)
    [request] = first.run_requests
    assert request.tags[RANGE_START] == request.tags[RANGE_END] == "a"
    assert first.dynamic_partitions_requests[0].partition_keys == ["a"]
    instance.add_dynamic_partitions(DOCUMENTS.name, ["a"])  # what the daemon does with the request

    again, cursor = _evaluate(cursor, instance)
    assert isinstance(again, dg.SkipReason)

    _mark_extracted(inbox, "a.txt")
    os.utime(inbox / "a.txt", ns=(1, 1))  # touched, same content: no run
    touched, cursor = _evaluate(cursor, instance)
    assert isinstance(touched, dg.SkipReason) and "none with new content" in touched.skip_message

    (inbox / "b.txt").write_text("Delårsrapport per april 2023", encoding="utf-8")
    changed, cursor = _evaluate(cursor, instance)
    [request] = changed.run_requests
    assert request.tags["changed_documents"] == "b" and request.run_key
    assert request.tags[RANGE_START] == "b"

    (inbox / "b.txt").unlink()  # removal never triggers a run: documents stay until retired
    removed, _ = _evaluate(cursor, instance)
    assert isinstance(removed, dg.SkipReason) and "retired" in removed.skip_message


def test_schedule_runs_monthly_in_stockholm_time_and_registers_new_documents(inbox, instance):
    assert monthly_refresh.cron_schedule == "0 6 5 * *"
    assert monthly_refresh.execution_timezone == "Europe/Stockholm"
    (inbox / "a.txt").write_text("Årsrapport 2022", encoding="utf-8")
    request = monthly_refresh(dg.build_schedule_context(instance=instance))
    assert request.tags[RANGE_START] == "a" and request.asset_selection is None
    assert instance.get_dynamic_partitions(DOCUMENTS.name) == ["a"]

    _mark_extracted(inbox, "a.txt")
    quiet_month = monthly_refresh(dg.build_schedule_context(instance=instance))
    assert RANGE_START not in quiet_month.tags  # nothing to extract: rebuild and publish only
    assert dg.AssetKey(["document_extractions"]) not in quiet_month.asset_selection
    assert quiet_month.asset_selection == DOWNSTREAM_OF_EXTRACTION


def test_instance_runs_one_refresh_at_a_time():
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["concurrency"]["runs"]["max_concurrent_runs"] == 1


def test_partition_range_tags_are_the_ones_dagster_reads():
    from dagster._core.storage import tags  # only here: our spelling must stay Dagster's

    from dagster_project.ingest.plan import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    assert (ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG) == (
        tags.ASSET_PARTITION_RANGE_START_TAG,
        tags.ASSET_PARTITION_RANGE_END_TAG,
    )
