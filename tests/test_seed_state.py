"""The build file records which seeds it loaded, so a refresh loads them only when they changed."""

import duckdb

from dagster_project.warehouse.seed_state import forget_seeds, record_seeds, seed_digest, seeds_current


def _project(tmp_path):
    project, seeds = tmp_path / "dbt", tmp_path / "seeds"
    project.mkdir()
    seeds.mkdir()
    (project / "dbt_project.yml").write_text("seeds:\n  +schema: raw\n")
    (seeds / "org_units.csv").write_text("org_unit_code,name\n24,Region Västerbotten\n")
    return project, seeds


def _loaded(build):
    with duckdb.connect(str(build)) as con:
        con.execute("create schema if not exists raw")
        con.execute("create or replace table raw.org_units as select '24' as org_unit_code")


def test_seeds_are_current_only_after_a_recorded_load_of_the_same_files(tmp_path):
    project, seeds = _project(tmp_path)
    build, relations = tmp_path / "build.duckdb", [("raw", "org_units")]
    digest = seed_digest(project, seeds)
    assert not seeds_current(build, digest, relations)  # no build file yet
    _loaded(build)
    assert not seeds_current(build, digest, relations)  # loaded, but nothing recorded
    record_seeds(build, digest)
    assert seeds_current(build, digest, relations)

    (seeds / "org_units.csv").write_text("org_unit_code,name\n24,Region Västerbotten\n25,Region Norrbotten\n")
    assert not seeds_current(build, seed_digest(project, seeds), relations)  # a seed changed

    (project / "dbt_project.yml").write_text("seeds:\n  +schema: raw\n  +column_types: {}\n")
    assert seed_digest(project, seeds) != digest  # the project file sets the seeds' column types


def test_a_missing_seed_table_or_a_forgotten_load_means_loading_again(tmp_path):
    project, seeds = _project(tmp_path)
    build, relations = tmp_path / "build.duckdb", [("raw", "org_units")]
    digest = seed_digest(project, seeds)
    _loaded(build)
    record_seeds(build, digest)
    assert not seeds_current(build, digest, [*relations, ("raw", "kpi_catalogue")])
    forget_seeds(build)  # a build that loads the seeds forgets first: if it fails, the next one loads again
    assert not seeds_current(build, digest, relations)
    with duckdb.connect(str(build)) as con:
        con.execute("drop table raw.org_units")
    record_seeds(build, digest)
    assert not seeds_current(build, digest, relations)
