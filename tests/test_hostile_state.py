"""Nothing published is lost without an explicit user action; one writer at a time; versions by what a person sees."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.extraction.inbox import InboxError
from dagster_project.extraction.records import (
    Extraction,
    IngestIssue,
)
from dagster_project.ingest.registry import build_registry, read_inbox
from dagster_project.testing.sample_records import annual_report_meta, budget_deviation_fact
from dagster_project.warehouse import raw_layer
from dagster_project.warehouse.load import load_raw
from dagster_project.warehouse.lock import LockBusy, lock_path, warehouse_lock
from dagster_project.warehouse.publish import (
    PublishError,
    last_rollback,
    publish,
    shrinkage,
)
from dagster_project.warehouse.raw_layer import create_raw_views
from dagster_project.warehouse.restore import restore_raw_layer
from dagster_project.warehouse.settings import settings
from tests.hostile import corpus

ROOT = Path(__file__).resolve().parents[1]


def _meta(name, sha="aaa"):
    return annual_report_meta(name, sha)


def _fact(name, value=-199.0):
    return budget_deviation_fact(name, value, text="underskott")


def _build(path: Path, names: list[str], sha="aaa") -> None:
    """A build file with raw documents (the raw layer RAW_DATA_PATH) and the BI relation publishing validates."""
    with duckdb.connect(str(path)) as con:
        load_raw(
            con,
            [_meta(n, sha) for n in names],
            {n: Extraction(facts=[_fact(n)]) for n in names},
            [],
            raw_dir=settings().raw_dir,
        )
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.kpi_observations as select * from raw.facts")


def _lose(build: Path) -> None:
    """The build file and the raw layer lost (the state a publish must not shrink to)."""
    build.unlink()
    shutil.rmtree(settings().raw_dir)


def _sync_raw(build: Path) -> None:
    with duckdb.connect(str(build)) as con:
        create_raw_views(con, settings().raw_dir)


def _documents(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [r[0] for r in con.execute("select document from raw.documents order by 1").fetchall()]


@pytest.fixture
def paths(tmp_path, monkeypatch):
    build, published = tmp_path / "build" / "warehouse.build.duckdb", tmp_path / "out" / "warehouse.duckdb"
    build.parent.mkdir()
    for variable, value in {
        "DUCKDB_PATH": build,
        "WAREHOUSE_PATH": published,
        "DAGSTER_HOME": tmp_path,
        "REPORTS_DIR": tmp_path / "inbox",
        "RAW_DATA_PATH": tmp_path / "raw",
    }.items():
        monkeypatch.setenv(variable, str(value))
    monkeypatch.delenv("ALLOW_SHRINK", raising=False)
    return build, published


# ---------------------------------------------------------------- shrinking


def test_a_build_that_lost_documents_is_not_published_and_names_them(paths):
    build, published = paths
    _build(build, ["a.txt", "b.txt", "c.txt"])
    publish(build, published)
    _lose(build)
    _build(build, ["a.txt"])  # the raw layer was lost and the inbox holds one report
    with pytest.raises(PublishError) as refused:
        publish(build, published)
    message = str(refused.value)
    assert "2 document(s)" in message and "b.txt (1 facts)" in message and "c.txt (1 facts)" in message
    assert "ALLOW_SHRINK=1" in message and "make retire" in message
    assert _documents(published) == ["a.txt", "b.txt", "c.txt"]  # unchanged

    publish(build, published, allow_shrink=True)  # the user says so
    assert _documents(published) == ["a.txt"]


def test_allow_shrink_comes_from_the_environment(paths, monkeypatch):
    build, published = paths
    _build(build, ["a.txt", "b.txt"])
    publish(build, published)
    _lose(build)
    _build(build, ["a.txt"])
    monkeypatch.setenv("ALLOW_SHRINK", "1")
    publish(build, published)
    assert _documents(published) == ["a.txt"]


def test_a_retired_document_may_leave_and_lost_history_may_not(paths):
    build, published = paths
    _build(build, ["a.txt", "b.txt"])
    publish(build, published)
    from dagster_project.cli import main

    assert main(["retire", "b.txt"]) == 0
    _sync_raw(build)  # what the next refresh's raw step does
    assert not shrinkage(build, published)
    publish(build, published)
    assert _documents(published) == ["a.txt"]

    for path in (settings().raw_dir / "history" / "facts").glob("*--*.parquet"):  # history is state too
        path.unlink()
    _sync_raw(build)
    lost = shrinkage(build, published)
    assert lost.lost_history_rows == 1 and "raw.facts_history would lose 1 row" in lost.describe()
    with pytest.raises(PublishError, match="facts_history"):
        publish(build, published)


def test_a_lost_raw_layer_is_restored_from_the_published_warehouse(paths):
    build, published = paths
    assert restore_raw_layer() == 0  # nothing published yet: nothing to restore
    _build(build, ["a.txt", "b.txt"])
    from dagster_project.cli import main

    assert main(["retire", "b.txt"]) == 0
    _sync_raw(build)
    publish(build, published)
    _lose(build)  # the raw layer's disk is gone; the build file too (make clean)
    assert restore_raw_layer() == 1
    _sync_raw(build)  # what the next refresh's raw step does
    assert _documents(build) == ["a.txt"]
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select count(*) from raw.facts_history").fetchone()[0] == 1
        assert con.execute("select document_id from raw.retired_documents").fetchall() == [("b",)]
    assert not shrinkage(build, published)
    assert restore_raw_layer() == 0  # only when empty


# ---------------------------------------------------------------- one writer


_HOLDER = """
import sys, time
from pathlib import Path
from dagster_project.warehouse.lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), 0, "refresh"):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold_lock(published: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(published), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_a_second_writer_stops_naming_the_running_refresh(paths):
    build, published = paths
    _build(build, ["a.txt"])
    holder = _hold_lock(published, 30)
    try:
        with pytest.raises(LockBusy) as busy, warehouse_lock(published, 0, "publish"):
            pass
        assert f"another refresh is running (pid {holder.pid}" in str(busy.value)
        with pytest.raises(LockBusy):
            publish(build, published, lock_wait=0)
        assert not published.exists()
    finally:
        holder.kill()
        holder.wait()
    publish(build, published, lock_wait=0)  # the lock died with its holder
    assert _documents(published) == ["a.txt"]


@pytest.mark.slow  # waits out a lock
def test_a_second_writer_waits_for_the_first_within_the_limit(paths):
    build, published = paths
    _build(build, ["a.txt"])
    holder = _hold_lock(published, 1)
    try:
        publish(build, published, lock_wait=60)
    finally:
        holder.wait()
    assert _documents(published) == ["a.txt"]
    assert lock_path(published).exists()


_PUBLISHER = """
import sys
from pathlib import Path
from dagster_project.warehouse.publish import publish
for _ in range(3):
    publish(Path(sys.argv[1]), Path(sys.argv[2]), keep=2, lock_wait=120)
"""


@pytest.mark.slow  # races processes
def test_concurrent_publishes_never_remove_each_others_files(paths, tmp_path):
    _, published = paths
    builds = []
    for number in range(2):
        build = tmp_path / f"build{number}.duckdb"
        _build(build, ["a.txt"])
        builds.append(build)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _PUBLISHER, str(build), str(published)], cwd=ROOT, stderr=subprocess.PIPE, text=True
        )
        for build in builds
    ]
    errors = [run.communicate()[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert _documents(published) == ["a.txt"]
    assert not list(published.parent.glob(".warehouse.duckdb.publishing-*"))


def test_cli_publish_says_another_refresh_is_running(paths, monkeypatch, capsys):
    build, published = paths
    _build(build, ["a.txt"])
    monkeypatch.setenv("LOCK_WAIT_SECONDS", "0")
    holder = _hold_lock(published, 30)
    try:
        from dagster_project.cli import main

        assert main(["publish"]) == 1
        assert f"another refresh is running (pid {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------- rollback


def test_rollback_rolls_the_build_back_and_the_next_publish_says_it_republishes(paths, capsys):
    build, published = paths
    _build(build, ["a.txt"])
    publish(build, published)
    _build(build, ["a.txt", "b.txt"])
    publish(build, published)
    from dagster_project.cli import main

    assert main(["rollback"]) == 0
    assert "publishes again what the raw layer holds beyond this version" in capsys.readouterr().out
    assert _documents(published) == ["a.txt"]
    assert last_rollback(published)["restored"].startswith("warehouse.")
    publish(build, published)  # the next refresh publishes the raw layer again, and says so
    assert _documents(published) == ["a.txt", "b.txt"] and last_rollback(published) is None


def test_rollback_without_history_and_retire_without_build_say_what_is_wrong(paths, capsys):
    build, _ = paths
    from dagster_project.cli import main

    assert main(["rollback"]) == 1
    assert "no earlier published warehouse" in capsys.readouterr().err
    build.parent.rmdir()  # the build folder is gone and nothing was ever published
    assert main(["retire", "a.txt"]) == 1
    assert "no document 'a.txt' in the raw layer" in capsys.readouterr().err


# ---------------------------------------------------------------- the inbox


@pytest.mark.slow  # loads the Dagster definitions and runs them
def test_missing_inbox_is_an_error_for_the_refresh_the_sensor_and_the_schedule(paths, capsys):
    from dagster_project.cli import main
    from dagster_project.defs.automation import monthly_refresh, report_inbox

    assert main(["refresh"]) == 1
    err = capsys.readouterr().err
    assert "REPORTS_DIR" in err and "does not exist" in err and "inbox" in err
    with dg.instance_for_test() as instance:
        with pytest.raises(InboxError):
            report_inbox(dg.build_sensor_context(instance=instance))
        with pytest.raises(InboxError):
            monthly_refresh(dg.build_schedule_context(instance=instance))


def test_a_correction_with_an_older_file_date_replaces_the_original(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    corpus.corrected_with_older_date(inbox)
    found = read_inbox(inbox)
    assert found.files["rapport"].path.name == "Rapport (2).txt"
    registry = build_registry(inbox)
    [issue] = registry.issues
    assert (issue.file_name, issue.reason_code) == ("rapport.txt", "superseded_version")
    assert "Rapport (2).txt" in issue.detail and "delivery 2 by its name" in issue.detail


def test_without_a_delivery_number_new_content_wins_over_the_file_date(tmp_path):
    inbox, store = tmp_path / "inbox", tmp_path / "store"
    inbox.mkdir()
    (inbox / "rapport.txt").write_text(corpus.small_report(1), encoding="utf-8")
    first = read_inbox(inbox).files["rapport"]
    raw_layer.save(
        store,
        raw_layer.StoredExtraction(
            "rapport",
            "rapport.txt",
            first.fingerprint,
            raw_layer.extractor_version(),
            failure=IngestIssue("rapport.txt", "unknown_kind", "test"),
        ),
    )
    (inbox / "Rapport.pdf").write_text(corpus.small_report(2), encoding="utf-8")  # a correction, copied with cp -p
    os.utime(inbox / "Rapport.pdf", (1_600_000_000, 1_600_000_000))
    found = read_inbox(inbox, store)
    assert found.files["rapport"].path.name == "Rapport.pdf"
    assert "content is new" in found.why_kept["rapport"]


def test_issues_of_files_that_left_the_inbox_are_removed(tmp_path):
    from dagster_project.warehouse import raw_layer

    inbox, raw = tmp_path / "inbox", tmp_path / "raw"
    inbox.mkdir()
    (inbox / "kvar.txt").write_bytes(b"")
    for name in ("borta.txt", "kvar.txt"):
        raw_layer.save(
            raw,
            raw_layer.StoredExtraction(
                name[:-4], name, "e3b0", "x", failure=IngestIssue(name, "empty_file", "file has 0 bytes")
            ),
        )
    caveat = IngestIssue("behållen.txt", "decoded_as_cp1252", "caveat", is_fatal=False)
    raw_layer.save(
        raw,
        raw_layer.StoredExtraction(
            "behållen",
            "behållen.txt",
            "aaa",
            "x",
            meta=_meta("behållen.txt"),
            extraction=Extraction(facts=[_fact("behållen.txt")]),
            caveats=(caveat,),
        ),
    )
    registry = build_registry(inbox)
    settled = raw_layer.settle(raw, registry.issues, registry.inbox_files)
    with duckdb.connect() as con:
        raw_layer.create_raw_views(con, raw)
        left = sorted(r[0] for r in con.execute("select file_name from raw.ingest_issues").fetchall())
    assert settled.stale_documents == 1
    assert left == ["behållen.txt", "kvar.txt"]  # a kept document keeps its caveat


# ---------------------------------------------------------------- names are data


@pytest.mark.slow  # runs make, many Dagster runs or waits out a timeout
def test_make_retire_passes_any_name_to_the_cli_and_never_to_a_shell(paths, tmp_path):
    build, _ = paths
    name = 'rapport `touch PWNED` "citat" $(touch PWNED2).txt'
    with duckdb.connect(str(build)) as con:
        load_raw(con, [_meta(name)], {name: Extraction(facts=[_fact(name)])}, [], raw_dir=settings().raw_dir)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "retire", f"DOC={name}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "retired" in done.stdout
    assert not list(tmp_path.glob("PWNED*")) and not list(ROOT.glob("PWNED*"))
    _sync_raw(build)
    assert _documents(build) == []


# ---------------------------------------------------------------- run storage


@dg.op
def _noop():
    return 1


@dg.job
def _tiny_job():
    _noop()


@pytest.mark.slow  # runs make, many Dagster runs or waits out a timeout
def test_run_storage_keeps_the_newest_runs(tmp_path):
    from dagster_project.defs.publish import prune_runs

    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        runs = [_tiny_job.execute_in_process(instance=instance).run_id for _ in range(5)]
        for run_id in runs:  # compute logs live beside the run storage
            (tmp_path / "storage" / run_id).mkdir(parents=True, exist_ok=True)
        shards = [Path(instance.event_log_storage.path_for_shard(run_id)) for run_id in runs]
        assert all(shard.exists() for shard in shards)
        removed = prune_runs(instance, keep=2)
        assert sorted(removed) == sorted(runs[:3])
        assert [shard.exists() for shard in shards] == [False, False, False, True, True]  # their event files too
        assert [r.run_id for r in instance.get_runs()] == runs[:2:-1]
        assert not any((tmp_path / "storage" / run_id).exists() for run_id in runs[:3])
        assert all((tmp_path / "storage" / run_id).exists() for run_id in runs[3:])


@pytest.mark.slow  # starts a Dagster instance
def test_the_instance_settings_bound_tick_storage_and_load_in_dagster():
    import yaml

    config = yaml.safe_load((ROOT / "dagster.yaml").read_text(encoding="utf-8"))
    assert config["retention"]["sensor"]["purge_after_days"]["skipped"] > 0
    from dagster._core.definitions.run_request import InstigatorType
    from dagster._core.scheduler.instigation import TickStatus

    with dg.instance_for_test(overrides=config) as instance:  # Dagster validates the settings
        retention = instance.get_tick_retention_settings(InstigatorType.SENSOR)
        assert retention[TickStatus.SKIPPED] == 7
