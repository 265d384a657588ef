"""Publishing: atomic replace, validation, kept versions, rollback, concurrent read-only readers."""

import duckdb
import pytest

from dagster_project.warehouse.publish import PublishError, publish, published_versions, rollback


def _build(path, rows):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.kpi_observations as select range as value from range(?)", [rows])


def _count(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from marts.kpi_observations").fetchone()[0]


def test_publish_replaces_and_keeps_versions(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "out" / "warehouse.duckdb"
    for rows in (1, 2, 3, 4, 5):
        _build(build, rows)
        assert publish(build, published, keep=3) == {"marts.kpi_observations": rows}
    assert _count(published) == 5
    assert [_count(p) for p in published_versions(published)] == [2, 3, 4]
    rollback(published)
    assert _count(published) == 4
    assert len(published_versions(published)) == 2


def test_build_only_schemas_stay_out_of_the_published_file(tmp_path):
    """The raw mirror and the intermediate rule views are the build's own: readers get their rows
    elsewhere (raw.*, marts.consistency_rule_instances), so publishing leaves them out."""
    build, published = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    _build(build, 2)
    with duckdb.connect(str(build)) as con:
        for schema in ("intermediate", "raw_mirror", "staging"):
            con.execute(f"create schema {schema}")
        con.execute("create view intermediate.rule_x as select * from marts.kpi_observations")
        con.execute("create table raw_mirror.facts as select 1 as x")
        con.execute("create view staging.stg_x as select * from marts.kpi_observations")
    publish(build, published)
    with duckdb.connect(str(published), read_only=True) as con:
        relations = con.execute("select schema_name || '.' || table_name from duckdb_tables() order by 1").fetchall()
    assert [r[0] for r in relations] == ["marts.kpi_observations", "staging.stg_x"]


def test_reader_holding_the_old_file_keeps_reading_while_publishing(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    _build(build, 1)
    publish(build, published)
    with duckdb.connect(str(published), read_only=True) as reader:
        _build(build, 7)
        publish(build, published)  # must not fail on the reader's lock
        assert reader.execute("select count(*) from marts.kpi_observations").fetchone()[0] == 1
    assert _count(published) == 7


def test_build_without_the_bi_view_is_refused_and_published_file_unchanged(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "warehouse.duckdb"
    _build(build, 2)
    publish(build, published)
    with duckdb.connect(str(build)) as con:
        con.execute("drop table marts.kpi_observations")
    with pytest.raises(PublishError, match="kpi_observations"):
        publish(build, published)
    assert _count(published) == 2
    assert not list(tmp_path.glob(".warehouse.duckdb.publishing-*"))


def test_missing_build_file_and_empty_history_say_what_to_do(tmp_path):
    with pytest.raises(PublishError, match="materialise"):
        publish(tmp_path / "none.duckdb", tmp_path / "warehouse.duckdb")
    with pytest.raises(PublishError, match="no earlier published"):
        rollback(tmp_path / "warehouse.duckdb")


def test_connections_carry_the_configured_memory_ceiling(tmp_path, monkeypatch):
    """DUCKDB_MEMORY_LIMIT bounds DuckDB in every connection a refresh opens (dbt gets it through
    the profile), so memory does not grow with the warehouse."""
    from dagster_project.dbt_cli import dbt_env
    from dagster_project.warehouse.settings import duckdb_config

    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "300MB")
    with duckdb.connect(str(tmp_path / "w.duckdb"), config=duckdb_config()) as con:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit == "286.1 MiB"  # 300 MB as DuckDB shows it
    assert dbt_env()["DUCKDB_MEMORY_LIMIT"] == "300MB"
    monkeypatch.delenv("DUCKDB_MEMORY_LIMIT")
    assert duckdb_config() == {"memory_limit": "256MB"}
