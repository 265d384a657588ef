"""Whole refreshes on the hostile inputs of issue 12: the good reports are published, each bad file is
recorded with a reason, and nothing already published is lost without a user's action."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.hostile import corpus

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


class Refresh:
    """One REPORTS_DIR / WAREHOUSE_PATH / DUCKDB_PATH, refreshed like `make warehouse` does."""

    def __init__(self, root: Path, instance: dg.DagsterInstance):
        self.inbox, self.published = root / "inbox", root / "published" / "warehouse.duckdb"
        self.build = root / "build" / "warehouse.build.duckdb"
        self.inbox.mkdir(parents=True)
        self.instance = instance
        self.env = {
            "REPORTS_DIR": str(self.inbox),
            "WAREHOUSE_PATH": str(self.published),
            "DUCKDB_PATH": str(self.build),
            "DAGSTER_HOME": str(root),
        }

    def run(self, **variables):
        from dagster_project.definitions import build_defs
        from dagster_project.defs.automation import run_refresh

        with pytest.MonkeyPatch.context() as patch:
            for key, value in {**self.env, **variables}.items():
                patch.setenv(key, value)
            return run_refresh(build_defs(), self.instance)

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.published), read_only=True) as con:
            return con.execute(sql).fetchall()

    def documents(self) -> set[str]:
        return {r[0] for r in self.rows("select document from raw.documents")}

    def issues(self) -> dict[str, str]:
        return dict(self.rows("select file_name, reason_code from marts.ingest_issues"))


@pytest.fixture(scope="module")
def instance():
    from dagster_project.defs.resources import prepare_manifest

    prepare_manifest()
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _failures(result) -> list[str]:
    return [event.message for event in result.all_events if event.event_type_value == "STEP_FAILURE"]


def test_every_hostile_file_is_recorded_and_the_good_reports_published(tmp_path, instance):
    refresh = Refresh(tmp_path, instance)
    good = {p.name for p in corpus.good_reports(refresh.inbox)}
    for case in (
        "one_line_file",
        "long_line_report",
        "many_pages_pdf",
        "encrypted_pdf",
        "truncated_pdf",
        "text_named_pdf",
        "names_that_are_code",
        "same_report_many_ways",
        "corrected_with_older_date",
    ):
        corpus.CASES[case](refresh.inbox)

    _, result = refresh.run()
    assert result.success, _failures(result)
    documents, issues = refresh.documents(), refresh.issues()
    assert good <= documents
    assert {
        "lang_rad_arsrapport_2022.txt",
        "egentligen_text.pdf",
        "Rapport (2).txt",
        'rapport "citat".txt',
        "rapport `touch PWNED_BACKTICK`.txt",
        "rapport $(touch PWNED_DOLLAR).txt",
        "en_rad.txt",
    } <= documents
    assert issues["tusentals_sidor.pdf"] == "too_many_pages"
    assert issues["losenord.pdf"] == "pdf_encrypted"
    assert issues["avbruten.pdf"] == "pdf_truncated"
    assert issues["en_rad.txt"] == issues["lang_rad_arsrapport_2022.txt"] == "long_line_truncated"
    assert issues["egentligen_text.pdf"] == "not_a_pdf"
    assert issues["rapport.txt"] == "superseded_version"
    copies = {
        "rapport_utf8.txt",
        "Rapport Windows.txt",
        "rapport-utf16.txt",
        "RAPPORT bom.txt",
        "rapport dubblerad.txt",
    }
    assert len(copies & documents) == 1  # the same report four ways and doubled: one document
    assert sorted(issues[name] for name in copies - documents) == ["duplicate_content"] * 4
    assert not {"tusentals_sidor.pdf", "losenord.pdf", "avbruten.pdf", "rapport.txt"} & documents
    touched = {"PWNED_BACKTICK", "PWNED_DOLLAR"}  # what `touch` in a name would have made, had a shell run it
    assert not [p for p in [*tmp_path.rglob("*"), *ROOT.iterdir()] if p.name in touched]
    corrected = refresh.rows(
        "select value from marts.kpi_observations where document = 'Rapport (2).txt' and unit = 'mnkr'"
    )
    assert corrected and abs(corrected[0][0]) == 100 + 6  # the correction's number, not the original's

    again, second = refresh.run()  # refused files are not retried: nothing new, nothing slow
    assert second.success and again.changed == []


def test_a_file_name_of_255_bytes_is_published(tmp_path, instance):
    refresh = Refresh(tmp_path, instance)
    [path] = corpus.long_name(refresh.inbox)
    corpus.good_reports(refresh.inbox)
    _, result = refresh.run()
    # the HTML report step (report/render.py) names its pages after the document; it is not part of
    # publishing the warehouse, which is what this case broke
    published = result.asset_materializations_for_node("published_warehouse")
    assert published, _failures(result)
    assert path.name in refresh.documents()
    with duckdb.connect(str(refresh.published), read_only=True) as con:
        assert con.execute("select count(*) from marts.kpi_observations where document = ?", [path.name]).fetchone()[0]


def test_make_clean_then_one_report_publishes_all_five_and_keeps_the_history(tmp_path, instance):
    refresh = Refresh(tmp_path, instance)
    reports = corpus.good_reports(refresh.inbox)
    _, first = refresh.run()
    assert first.success, _failures(first)
    before = refresh.rows("select count(*) from marts.kpi_observations")[0][0]
    # a corrected version moves the old facts to the history, which the inbox cannot rebuild
    reports[0].write_text(reports[0].read_text(encoding="utf-8") + "\nRättelse.\n", encoding="utf-8")
    _, second = refresh.run()
    assert second.success, _failures(second)
    history = refresh.rows("select count(*) from raw.facts_history")[0][0]
    assert history > 0

    shutil.rmtree(refresh.build.parent)  # make clean
    for report in reports[1:]:
        report.unlink()  # the inbox now holds 1 of the 5 reports
    _, third = refresh.run()
    assert third.success, _failures(third)
    assert refresh.documents() == {p.name for p in reports}  # kept until retired
    assert refresh.rows("select count(*) from marts.kpi_observations")[0][0] == before
    assert refresh.rows("select count(*) from raw.facts_history")[0][0] == history

    # a rollback is kept by the build; the next refresh republishes what the inbox holds beyond it
    from dagster_project.cli import main

    with pytest.MonkeyPatch.context() as patch:
        for key, value in refresh.env.items():
            patch.setenv(key, value)
        assert main(["rollback"]) == 0
    _, fourth = refresh.run()
    assert fourth.success, _failures(fourth)
    published = fourth.asset_materializations_for_node("published_warehouse")[0].metadata
    assert published["republished_after_rollback"].value.startswith("warehouse.")


def test_two_refreshes_at_once_the_second_says_the_first_is_running(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    hold = (
        "import sys, time\nfrom pathlib import Path\nfrom dagster_project.warehouse.lock import warehouse_lock\n"
        "with warehouse_lock(Path(sys.argv[1]), 0, 'refresh'):\n    print('holding', flush=True)\n    time.sleep(120)"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold, str(published)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        (tmp_path / "inbox").mkdir()
        env = {
            **os.environ,
            "REPORTS_DIR": str(tmp_path / "inbox"),
            "WAREHOUSE_PATH": str(published),
            "DUCKDB_PATH": str(tmp_path / "build" / "b.duckdb"),
            "DAGSTER_HOME": str(tmp_path),
            "LOCK_WAIT_SECONDS": "1",
        }
        second = subprocess.run(
            [sys.executable, "-m", "dagster_project.cli", "refresh"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 1
    assert f"another refresh is running (pid {holder.pid}" in second.stderr
    assert "waited 1 s" in second.stderr
