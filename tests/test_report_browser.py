"""The report of the bundled reports, opened from disk in headless Chromium, as an analyst would.

One Chromium run loads a probe page beside the report; the probe opens every page in an iframe
(file:// pages may read each other with --allow-file-access-from-files), measures it after layout
and writes what it found into its own DOM, which --dump-dom prints. Chromium comes from Debian
(`apt-get install chromium`; .ci/run installs it when missing) and runs without network services.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape

import duckdb
import pytest

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-file-access-from-files",
    "--window-size=1400,1000",
    "--virtual-time-budget=60000",
]
# English codes that must not reach a Swedish page: each has a Swedish label (seeds/swedish_labels.csv)
CODES = re.compile(
    r"\b(annual_report|interim_report|monthly_report|board_slides|actual|forecast|target|warn|error|year_to_date|"
    r"point_in_time|rolling_12_months|only_statement|first_stated|latest_report|more_precise|actual_over_forecast|"
    r"same_fact_same_value|table_total_equals_sum_of_rows|passed|failed|findings|county_total|difference)\b"
)

PROBE = """<!DOCTYPE html><html><body><pre id="out">waiting</pre>
<iframe id="frame" style="width:1280px;height:900px"></iframe>
<script>
const pages = %s;
const results = [];
const frame = document.getElementById("frame");
function boxesOverlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
function measure(page, d) {
  const w = d.defaultView;
  const charts = Array.from(d.querySelectorAll("svg.chart")).map(svg => {
    const legend = Array.from(svg.querySelectorAll("text.legend")).map(t => t.getBBox());
    let overlaps = 0;
    for (let i = 0; i < legend.length; i++) for (let j = i + 1; j < legend.length; j++)
      if (boxesOverlap(legend[i], legend[j])) overlaps++;
    return {id: svg.dataset.chart, axis: Array.from(svg.querySelectorAll("text.axis-label")).map(t => t.textContent),
            legend_overlaps: overlaps, marks: svg.querySelectorAll(".mark").length,
            right: svg.getBoundingClientRect().right};
  });
  const body = d.body.cloneNode(true);
  body.querySelectorAll("td.message").forEach(e => e.remove());  // the rules' own sentences
  const table = d.querySelector("table.findings");
  return {
    page: page, title: d.title, styled: w.getComputedStyle(d.body).maxWidth === "1100px",
    scroll_width: d.documentElement.scrollWidth, client_width: d.documentElement.clientWidth,
    trend_periods: Array.from(d.querySelectorAll("svg[data-chart^='trend-'] circle.mark")).map(c => c.dataset.period),
    charts: charts, text: body.innerText,
    findings_table: table ? {layout: w.getComputedStyle(table).tableLayout,
                             right: table.getBoundingClientRect().right} : null,
  };
}
function next(i) {
  if (i >= pages.length) { document.getElementById("out").textContent = JSON.stringify(results); return; }
  frame.onload = () => {
    try { results.push(measure(pages[i], frame.contentDocument)); }
    catch (e) { results.push({page: pages[i], error: String(e)}); }
    next(i + 1);
  };
  frame.src = pages[i];
}
next(0);
</script></body></html>
"""


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browsed(bundled_pipeline, tmp_path_factory) -> dict:
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed: apt-get install -y chromium")
    site = tmp_path_factory.mktemp("browsed") / "report"
    shutil.copytree(bundled_pipeline["report"], site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[-2] != "sources")
    (site / "probe.html").write_text(PROBE % json.dumps(pages), encoding="utf-8")
    profile = tmp_path_factory.mktemp("chromium_profile")
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", (site / "probe.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found and found.group(1) != "waiting", f"the probe did not finish: {result.stderr[-2000:]}"
    measured = {m["page"]: m for m in json.loads(unescape(found.group(1)))}
    assert not [m for m in measured.values() if "error" in m]
    return {"pages": measured, "published": bundled_pipeline["published"]}


def test_a_trend_page_per_kpi_with_every_period_of_the_reports(browsed):
    with duckdb.connect(str(browsed["published"]), read_only=True) as con:
        periods = dict(
            con.execute(
                "select kpi_code, list(distinct strftime(period_end, '%Y-%m-%d')) from marts.kpi_series "
                "where comparison is null and scenario <> 'target' group by kpi_code"
            ).fetchall()
        )
        report_periods = {
            str(end)
            for (end,) in con.execute(
                "select distinct period_end from marts.dim_document where not is_unknown_member"
            ).fetchall()
        }
    assert len(periods) > 20
    for kpi, ends in periods.items():
        page = browsed["pages"][f"kpi/{kpi}.html"]
        assert page["styled"], kpi
        assert set(ends) <= set(page["trend_periods"]), (kpi, set(ends) - set(page["trend_periods"]))
    # the bundled reports' periods all appear on some trend
    shown = {end for kpi in periods for end in browsed["pages"][f"kpi/{kpi}.html"]["trend_periods"]}
    assert {"2022-12-31", "2023-02-28", "2023-04-30", "2025-08-31"} <= shown
    assert report_periods & shown


def test_every_chart_has_a_unit_on_its_axis_and_no_overlapping_legend(browsed):
    charts = [(page, chart) for page, measured in browsed["pages"].items() for chart in measured["charts"]]
    assert len(charts) > 50
    for page, chart in charts:
        assert chart["axis"] and all(label.strip() for label in chart["axis"]), (page, chart["id"])
        assert chart["legend_overlaps"] == 0, (page, chart["id"])
        assert chart["marks"] > 0, (page, chart["id"])


def test_every_page_fits_its_width_and_the_findings_table_fits_the_page(browsed):
    for page, measured in browsed["pages"].items():
        assert measured["styled"], page  # the stylesheet shipped with the site was applied, offline
        assert measured["scroll_width"] <= measured["client_width"], page
    findings = browsed["pages"]["findings.html"]
    assert findings["findings_table"]["layout"] == "fixed"
    assert findings["findings_table"]["right"] <= findings["client_width"]
    assert "Avvikelser i rapporterna" in findings["text"]


def test_swedish_pages_show_no_english_codes(browsed):
    for page, measured in browsed["pages"].items():
        codes = sorted(set(CODES.findall(measured["text"])))
        assert not codes, (page, codes)
