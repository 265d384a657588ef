"""WAREHOUSE_TARGET=ducklake: publishing is one snapshot, rollback is time travel, readers never see
half a publish; end to end on a real PostgreSQL catalog (a throwaway server, .ci/run installs it)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.warehouse import lake
from dagster_project.warehouse.publish import PublishError
from dagster_project.warehouse.settings import settings

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "seeds" / "reports").glob("*.txt"))


@pytest.fixture
def local_lake(tmp_path, monkeypatch):
    for key, value in {
        "WAREHOUSE_TARGET": "ducklake",
        "WAREHOUSE_PATH": tmp_path / "warehouse.duckdb",
        "DUCKLAKE_CATALOG": tmp_path / "catalog.ducklake",
        "DUCKLAKE_DATA_PATH": tmp_path / "data",
        "KEEP_PUBLISHED": "2",
    }.items():
        monkeypatch.setenv(key, str(value))
    return tmp_path


def _build(path: Path, documents: list[str]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists raw; create schema if not exists marts")
        con.execute(
            "create or replace table raw.documents as select unnest(?) as document_id, unnest(?) as document, "
            "now()::timestamp as loaded_at",
            [documents, documents],
        )
        con.execute("create or replace table raw.facts as select document, 1.0 as value from raw.documents")
        con.execute("create or replace table marts.kpi_observations as select * from raw.facts")
    return path


def _count(relation="marts.kpi_observations") -> int:
    with lake.connect(settings(), read_only=True) as con:
        return con.execute(f"select count(*) from lake.{relation}").fetchone()[0]


def test_publish_is_one_snapshot_rollback_is_time_travel_and_shrinking_is_refused(local_lake):
    build = local_lake / "build.duckdb"
    assert lake.publish(_build(build, ["a", "b"]), settings()) == {"marts.kpi_observations": 2}
    with lake.connect(settings(), read_only=True) as con:
        first = lake.snapshots(con)[-1]
    lake.publish(_build(build, ["a", "b", "c"]), settings())
    with lake.connect(settings(), read_only=True) as con:
        [previous, latest] = lake.published_snapshots(con)
        # the second publish (three relations replaced) is exactly one snapshot after the first
        assert latest.version == first.version + 1 == previous.version + 1 and latest.message == "publish"
    assert _count() == 3
    with pytest.raises(PublishError, match="1 document"):  # c would disappear without a retirement
        lake.publish(_build(build, ["a", "b"]), settings())
    assert _count() == 3
    restored = lake.rollback(settings())
    assert restored.version == first.version and _count() == 2 and _count("raw.documents") == 2
    assert lake.last_rollback(settings())["restored"] == f"snapshot {first.version}"
    with pytest.raises(PublishError, match="no earlier publish"):
        lake.rollback(settings())
    lake.publish(_build(build, ["a", "b", "d"]), settings())
    lake.publish(_build(build, ["a", "b", "d", "e"]), settings())
    with lake.connect(settings(), read_only=True) as con:  # the rolled-back publish no longer counts
        assert [s.version for s in lake.published_snapshots(con)][0] == first.version
    lake.publish(_build(build, ["a", "b", "d", "e", "f"]), settings())
    with lake.connect(settings(), read_only=True) as con:  # KEEP_PUBLISHED=2: the current and 2 to roll back to
        kept = lake.published_snapshots(con)
        assert len(kept) == 3 and first.version not in {s.version for s in lake.snapshots(con)}
    assert _count() == 5


def test_extensions_come_from_the_installed_packages():
    for extension in ("ducklake", "postgres"):
        found = lake.extension_file(extension)
        assert found.exists() and f"v{duckdb.__version__}" in str(found)
    assert lake.extension_file("postgres").name == "postgres_scanner.duckdb_extension"


def test_an_unreachable_catalog_says_which_setting(local_lake, monkeypatch):
    monkeypatch.setenv("DUCKLAKE_CATALOG", "postgres:dbname=none host=127.0.0.1 port=1 user=x password=secret")
    with pytest.raises(lake.LakeError, match="DUCKLAKE_CATALOG") as error:
        lake.connect(settings(), read_only=False)
    assert "secret" not in str(error.value)


# ---------------------------------------------------------------- a real PostgreSQL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pg_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"PostgreSQL ({name}) is not installed; .ci/run installs postgresql-15")
    return found


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL: initdb in a temporary folder, started on a free port, stopped at the end."""
    folder = Path(tempfile.mkdtemp(prefix="lake-postgres-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the package's postgres user
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run(
        [*as_user, _pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            _pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [*as_user, _pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "lake"],
            check=True,
            capture_output=True,
        )
        yield f"postgres:dbname=lake host=127.0.0.1 port={port} user=postgres"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_READER = """
import json, sys, time
from pathlib import Path
from dagster_project.warehouse.lake import connect
from dagster_project.warehouse.settings import settings
stop, seen, deadline = Path(sys.argv[1]), set(), time.monotonic() + 900
with connect(settings(), read_only=True) as con:  # attached once and kept, like a BI tool
    print("attached", flush=True)
    while not stop.exists() and time.monotonic() < deadline:
        seen.add(con.execute("select count(*), count(distinct document) from lake.marts.kpi_observations").fetchone())
        time.sleep(0.2)
print(json.dumps(sorted(seen)))
"""


def _refresh(env: dict[str, str], instance):
    from dagster_project.definitions import build_defs
    from dagster_project.defs.automation import run_refresh

    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        _, result = run_refresh(build_defs(), instance)
    assert result.success, [e.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    return result


def _observations(con, relation: str) -> list[tuple]:
    return con.execute(f"select * exclude (kpi_observation_id) from {relation} order by all").fetchall()


@pytest.mark.slow
def test_end_to_end_on_a_postgresql_catalog(postgres, tmp_path):
    from dagster_project.defs.resources import prepare_manifest

    prepare_manifest()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for report in REPORTS[:2]:
        shutil.copy(report, inbox / report.name)
    common = {"REPORTS_DIR": str(inbox), "RAW_DATA_PATH": str(tmp_path / "raw"), "DAGSTER_HOME": str(tmp_path)}
    on_lake = {
        **common,
        "WAREHOUSE_TARGET": "ducklake",
        "DUCKLAKE_CATALOG": postgres,
        "DUCKLAKE_DATA_PATH": str(tmp_path / "lake_data"),
        "WAREHOUSE_PATH": str(tmp_path / "lake" / "w.duckdb"),
        "DUCKDB_PATH": str(tmp_path / "lake_build" / "build.duckdb"),
    }
    on_file = {
        **common,
        "WAREHOUSE_TARGET": "file",
        "WAREHOUSE_PATH": str(tmp_path / "file" / "warehouse.duckdb"),
        "DUCKDB_PATH": str(tmp_path / "file_build" / "build.duckdb"),
    }
    with dg.DagsterInstance.ephemeral() as instance:
        _refresh(on_lake, instance)
        with pytest.MonkeyPatch.context() as patch:
            for key, value in on_lake.items():
                patch.setenv(key, value)
            first = _count()
            assert first > 0

        # a new report, refreshed while a reader in another process keeps the lake attached
        shutil.copy(REPORTS[2], inbox / REPORTS[2].name)
        stop = tmp_path / "stop-reading"
        reader = subprocess.Popen(
            [sys.executable, "-c", _READER, str(stop)],
            cwd=ROOT,
            env={**os.environ, **on_lake},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert reader.stdout.readline().strip() == "attached", reader.stderr.read()[-2000:]
            _refresh(on_lake, instance)
            time.sleep(1)
        finally:
            stop.touch()
            out, err = reader.communicate(timeout=120)
        seen = {tuple(pair) for pair in json.loads(out.strip().splitlines()[-1])}
        with pytest.MonkeyPatch.context() as patch:
            for key, value in on_lake.items():
                patch.setenv(key, value)
            second = _count()
            with lake.connect(settings(), read_only=True) as con:
                lake_rows = _observations(con, "lake.marts.kpi_observations")
                documents = con.execute("select count(*) from lake.raw.documents").fetchone()[0]
        assert second > first and documents == 3
        # the reader saw the first publish and the second, never anything between
        assert {count for count, _ in seen} <= {first, second} and seen, (seen, first, second, err[-2000:])
        assert (first, 2) in seen

        # the file target on the same raw layer publishes the same rows
        _refresh(on_file, instance)
        with duckdb.connect(on_file["WAREHOUSE_PATH"], read_only=True) as con:
            assert _observations(con, "marts.kpi_observations") == lake_rows

        from dagster_project.cli import main

        with pytest.MonkeyPatch.context() as patch:
            for key, value in on_lake.items():
                patch.setenv(key, value)
            assert main(["rollback"]) == 0
            assert _count() == first  # time travel to the first publish
