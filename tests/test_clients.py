"""The published file in the clients BI tools bundle: DuckDB 1.1 and duckdb-engine under SQLAlchemy 2.0.

A throwaway virtual environment gets the old wheels from PyPI (duckdb 1.1.3, duckdb-engine 0.17.0,
SQLAlchemy 2.0.44: the newest 2.0 that reflects on DuckDB 1.1, see docs/using_the_warehouse.md)
and opens the file the bundled pipeline published after an incremental run (one that rebuilt the
build file in place, which once made DuckDB 1.1 fail to open it).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import venv
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

CLIENT_PACKAGES = ["duckdb==1.1.3", "duckdb-engine==0.17.0", "sqlalchemy==2.0.44"]
# DuckDB's storage format number for files that 0.10 to 1.1 read (and 1.5 writes for them)
READABLE_BY_DUCKDB_1_1 = 64

CLIENT_SCRIPT = r"""
import json, sys
import duckdb, sqlalchemy

path, = sys.argv[1:]
report = {"duckdb": duckdb.__version__, "sqlalchemy": sqlalchemy.__version__, "failed": {}}
con = duckdb.connect()
con.execute(f"attach '{path}' as wh (read_only)")
relations = con.execute(
    "select schema_name, table_name from duckdb_tables() where database_name = 'wh' "
    "union all select schema_name, view_name from duckdb_views() where database_name = 'wh' and not internal"
).fetchall()
report["relations"] = len(relations)
for schema, name in relations:
    try:
        con.execute(f'select count(*) from wh."{schema}"."{name}"').fetchall()
    except duckdb.Error as error:
        report["failed"][f"{schema}.{name}"] = str(error).splitlines()[0]
report["kpi_observations"] = con.execute("select count(*) from wh.marts.kpi_observations").fetchone()[0]
report["preferred_sum_rows"] = con.execute(
    "select count(*) from wh.marts.kpi_observations where is_preferred").fetchone()[0]

engine = sqlalchemy.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
inspector = sqlalchemy.inspect(engine)
report["schemas"] = inspector.get_schema_names()
report["columns"] = [c["name"] for c in inspector.get_columns("kpi_observations", schema="marts")]
report["tables"] = inspector.get_table_names(schema="marts")
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def client_python(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("client_venv")
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *CLIENT_PACKAGES],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        message = f"could not install {CLIENT_PACKAGES} from PyPI: {result.stderr[-2000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return python


@pytest.fixture(scope="module")
def published_after_a_rebuild(bundled_pipeline) -> Path:
    """The published file after a second run that rebuilt the build file in place."""
    from dagster_project.defs.automation import run_refresh

    with pytest.MonkeyPatch.context() as patch:
        for key, value in bundled_pipeline["env"].items():
            patch.setenv(key, value)
        _, result = run_refresh(bundled_pipeline["defs"], bundled_pipeline["instance"])
    assert result.success
    return bundled_pipeline["published"]


def test_the_file_is_in_the_storage_format_duckdb_1_1_reads(published_after_a_rebuild):
    header = published_after_a_rebuild.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == READABLE_BY_DUCKDB_1_1
    with duckdb.connect(str(published_after_a_rebuild), read_only=True) as con:
        # nothing but tables: a view cannot be bound by a 1.1 client that attaches under another name
        assert con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0] == 0


def test_duckdb_1_1_attaches_the_file_under_any_name_and_duckdb_engine_reflects_it(
    client_python, published_after_a_rebuild
):
    result = subprocess.run(
        [str(client_python), "-c", CLIENT_SCRIPT, str(published_after_a_rebuild)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["duckdb"] == "1.1.3" and report["sqlalchemy"].startswith("2.0.")
    assert report["relations"] > 30 and report["failed"] == {}
    with duckdb.connect(str(published_after_a_rebuild), read_only=True) as con:
        assert report["kpi_observations"] == con.execute("select count(*) from marts.kpi_observations").fetchone()[0]
        columns = [r[0] for r in con.execute("describe marts.kpi_observations").fetchall()]
    assert report["preferred_sum_rows"] > 0
    # duckdb-engine names schemas '<database>.<schema>' (what Superset lists); reflection by 'marts' works
    assert "warehouse.marts" in report["schemas"]
    assert report["columns"] == columns
    assert {"kpi_observations", "kpi_series", "kpi_observationer", "check_results"} <= set(report["tables"])


def test_the_project_pins_a_duckdb_that_writes_for_1_x_readers():
    import duckdb as project_duckdb

    major, minor = (int(part) for part in project_duckdb.__version__.split(".")[:2])
    assert major == 1 and minor >= 5, project_duckdb.__version__
