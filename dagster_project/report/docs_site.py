"""The documentation folder: dbt docs (models, columns, lineage) and the warehouse's check results.

dbt 1.11 writes `static_index.html` with `dbt docs generate --static`: one file with the manifest
and catalog inlined and its scripts bundled, which opens from disk without a server or network
(the project turns dbt's usage tracking off, so the page loads nothing). The check results are a
page of the project's own (checks.html, from marts.check_results): GX's Data Docs load Bootstrap,
jQuery and Font Awesome from CDNs and show unstyled, empty pages offline.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import duckdb

from ..dbt_cli import dbt_env, dbt_executable
from ..warehouse.settings import DBT_PROJECT_DIR
from .pages import render
from .queries import read_check_results
from .writing import STATIC_DIR

log = logging.getLogger(__name__)

DBT_DOCS_FILES = ("index.html", "manifest.json", "catalog.json")
SAMPLES_SHOWN = 3


def generate_dbt_docs(
    target_dir: Path | str,
    project_dir: Path | str = DBT_PROJECT_DIR,
    profiles_dir: Path | str | None = None,
    duckdb_path: Path | str | None = None,
) -> Path:
    """Run `dbt docs generate --static` into target_dir; returns it.

    The catalog step reads the warehouse the profile names (DUCKDB_PATH). With duckdb_path, dbt
    catalogues a scratch copy of that file instead: dbt-duckdb opens read-write, and the write
    lock must never be taken on a file BI tools or the pipeline hold. dbt runs as a subprocess
    so its connection is closed when it returns.
    """
    target_dir = Path(target_dir).resolve()
    project_dir = Path(project_dir).resolve()
    env = dbt_env()
    if duckdb_path is not None:
        copy = target_dir / "catalogued.duckdb"
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(duckdb_path, copy)
        env = dbt_env(copy)
    command = [
        dbt_executable(),
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(Path(profiles_dir).resolve() if profiles_dir else project_dir),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
    ]
    result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    if duckdb_path is not None:
        (target_dir / "catalogued.duckdb").unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"dbt docs generate failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
        )
    return target_dir


def _samples(check: dict) -> list[dict]:
    try:
        rows = json.loads(check.get("sample_rows") or "[]")
    except ValueError:
        return []
    return [row for row in rows if isinstance(row, dict)][:SAMPLES_SHOWN]


def render_checks(duckdb_path: Path | str | None) -> str:
    """checks.html: marts.check_results of the warehouse, read-only, failures first."""
    checks: list[dict] = []
    if duckdb_path is not None and Path(duckdb_path).exists():
        with duckdb.connect(str(duckdb_path), read_only=True) as con:
            checks = read_check_results(con)
    for check in checks:
        check["samples"] = _samples(check)
    stamps = [c["evaluated_at"] for c in checks if c.get("evaluated_at")]
    return render(
        "checks.html.j2",
        root="",
        title="Kontroller av lagret",
        checks=checks,
        counts=Counter(c.get("status") for c in checks),
        evaluated_at=max(stamps).strftime("%Y-%m-%d %H:%M") if stamps else None,
    )


def build_docs(
    out_dir: Path | str,
    *,
    dbt_target_dir: Path | str | None = None,
    dbt_project_dir: Path | str = DBT_PROJECT_DIR,
    duckdb_path: Path | str | None = None,
) -> Path:
    """Assemble out_dir/{index.html, checks.html, static/, dbt/} and return the index page.

    dbt_target_dir: a folder where `dbt docs generate --static` already ran; without it dbt docs
    are generated here, catalogued from a copy of duckdb_path. duckdb_path also gives checks.html.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as scratch:
        source = (
            Path(dbt_target_dir)
            if dbt_target_dir
            else generate_dbt_docs(scratch, dbt_project_dir, duckdb_path=duckdb_path)
        )
        dbt_out = out_dir / "dbt"
        if dbt_out.exists():
            shutil.rmtree(dbt_out)
        dbt_out.mkdir()
        for name in ("static_index.html", *DBT_DOCS_FILES):
            if (source / name).exists():
                shutil.copy2(source / name, dbt_out / name)
    if not (dbt_out / "static_index.html").exists() and not (dbt_out / "index.html").exists():
        raise FileNotFoundError(f"no dbt docs in {source}: run `dbt docs generate --static` first")
    static = (dbt_out / "static_index.html").exists()
    shutil.rmtree(out_dir / "gx", ignore_errors=True)  # GX Data Docs of earlier versions needed a CDN
    shutil.rmtree(out_dir / "static", ignore_errors=True)
    shutil.copytree(STATIC_DIR, out_dir / "static")
    (out_dir / "checks.html").write_text(render_checks(duckdb_path), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(
        render(
            "docs_index.html.j2",
            root="",
            title="Lagrets dokumentation",
            dbt_entry="dbt/static_index.html" if static else "dbt/index.html",
            served_entry="dbt/index.html" if static else None,
        ),
        encoding="utf-8",
    )
    log.info("docs site in %s", out_dir)
    return index
