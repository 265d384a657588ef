"""One documentation folder: dbt docs (models, columns, lineage) and the GX Data Docs, with an index.

dbt 1.11 writes `static_index.html` with `dbt docs generate --static`: one file with the manifest
and catalog inlined, which opens from disk without `dbt docs serve`. The plain index.html,
manifest.json and catalog.json are copied too, for anyone serving the folder over HTTP.

GX 1.24's Data Docs templates link Bootstrap, jQuery and Font Awesome from public CDNs, so offline
they render unstyled; the index says so and points at marts.check_results.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

from ..warehouse.settings import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

DBT_DOCS_FILES = ("index.html", "manifest.json", "catalog.json")


def _dbt_executable() -> str:
    """The dbt of this interpreter's environment, so the pinned dbt-core runs, not one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


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
    env = dict(os.environ)
    if duckdb_path is not None:
        copy = target_dir / "catalogued.duckdb"
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(duckdb_path, copy)
        env["DUCKDB_PATH"] = str(copy)
    command = [
        _dbt_executable(), "docs", "generate", "--static",
        "--project-dir", str(project_dir),
        "--profiles-dir", str(Path(profiles_dir).resolve() if profiles_dir else project_dir),
        "--target-path", str(target_dir),
        "--log-path", str(target_dir / "logs"),
    ]
    result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True)
    if duckdb_path is not None:
        (target_dir / "catalogued.duckdb").unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt docs generate failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return target_dir


def _find_index(folder: Path) -> Path | None:
    """The GX Data Docs entry page: index.html at the top, or the shallowest one below."""
    candidates = sorted(folder.rglob("index.html"), key=lambda p: (len(p.relative_to(folder).parts), str(p)))
    return candidates[0] if candidates else None


def _replace_tree(source: Path, destination: Path) -> None:
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(source, destination)


def build_docs(
    out_dir: Path | str,
    gx_docs_dir: Path | str | None = None,
    *,
    dbt_target_dir: Path | str | None = None,
    dbt_project_dir: Path | str = DBT_PROJECT_DIR,
    duckdb_path: Path | str | None = None,
) -> Path:
    """Assemble out_dir/{index.html, dbt/, gx/} and return the index page.

    dbt_target_dir: a folder where `dbt docs generate --static` already ran (e.g. by the Dagster
    dbt resource); without it dbt docs are generated here. gx_docs_dir: the GX Data Docs site
    (the folder holding its index.html); left out when None or missing, and the index says so.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as scratch:
        source = Path(dbt_target_dir) if dbt_target_dir else generate_dbt_docs(scratch, dbt_project_dir, duckdb_path=duckdb_path)
        dbt_out = out_dir / "dbt"
        if dbt_out.exists():
            shutil.rmtree(dbt_out)
        dbt_out.mkdir()
        for name in ("static_index.html", *DBT_DOCS_FILES):
            if (source / name).exists():
                shutil.copy2(source / name, dbt_out / name)
    if not (dbt_out / "static_index.html").exists() and not (dbt_out / "index.html").exists():
        raise FileNotFoundError(f"no dbt docs in {source}: run `dbt docs generate --static` first")
    dbt_entry = "dbt/static_index.html" if (dbt_out / "static_index.html").exists() else "dbt/index.html"

    gx_entry = None
    gx_out = out_dir / "gx"
    if gx_docs_dir is not None and Path(gx_docs_dir).is_dir():
        _replace_tree(Path(gx_docs_dir), gx_out)
        found = _find_index(gx_out)
        gx_entry = found.relative_to(out_dir).as_posix() if found else None
    elif gx_out.exists():
        shutil.rmtree(gx_out)  # a stale copy would show results of an earlier run

    index = out_dir / "index.html"
    index.write_text(_index_html(dbt_entry, gx_entry), encoding="utf-8")
    log.info("docs site in %s (dbt: %s, GX: %s)", out_dir, dbt_entry, gx_entry or "none")
    return index


def _index_html(dbt_entry: str, gx_entry: str | None) -> str:
    gx_item = (
        f"<li><a href='{escape(gx_entry, quote=True)}'>Great Expectations Data Docs</a> – valideringsresultat per "
        "svit och tabell (validation results per suite and table). GX hämtar stilmallar och skript från publika "
        "CDN:er; utan nätverk visas sidorna utan formatering. Samma resultat finns i <code>marts.check_results</code>."
        "</li>"
        if gx_entry
        else "<li>Great Expectations Data Docs: inte byggda i denna körning (not built in this run); "
        "resultaten finns också i <code>marts.check_results</code>.</li>"
    )
    served = (
        "<li><a href='dbt/index.html'>dbt docs (serverad version)</a> – läser manifest.json och catalog.json; "
        "kräver en webbserver, t.ex. <code>python -m http.server</code> i denna mapp.</li>"
        if dbt_entry.endswith("static_index.html")
        else ""
    )
    return (
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>Lagrets dokumentation</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:800px;margin:2rem auto;padding:0 1rem}"
        "li{margin:.5rem 0}</style></head><body>"
        "<h1>Lagrets dokumentation <small>Warehouse documentation</small></h1><ul>"
        f"<li><a href='{escape(dbt_entry, quote=True)}'>dbt docs</a> – modeller, kolumner med beskrivningar, tester "
        "och lineage (models, column descriptions, tests, lineage). Öppnas direkt från disk.</li>"
        f"{served}{gx_item}</ul></body></html>"
    )
