"""The report's pages as HTML, from Jinja2 templates (autoescaped) and the charts of charts.py.

Pages, all in Swedish:
- index.html: the KPIs with a trend page each, the reports by region, the findings in numbers;
- kpi/<kpi_code>.html: one KPI across every report: a trend per organisation, the organisations
  compared in the latest period, every preferred value with the statements it stands for;
- findings.html: every finding with its lines;
- <document>.html: one report (headline KPIs, charts, goal ratings, its findings, every value);
- sources/<document>.html: the document's text with an anchor per line.

A page's size grows with what it shows of its own subject only: a finding that spans many reports
is listed in full once (findings.html); a report page shows its own lines of it and a link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .charts import Mark, Point, Series, horizontal_bars, line_chart
from .labels import axis_unit, format_number, format_period, load_labels
from .queries import DocumentReport, Warehouse

HEADLINE_KPIS = (
    "result_mnkr",
    "budget_deviation_mnkr",
    "net_cost_change_pct",
    "sick_leave_pct",
    "employees_count",
    "care_guarantee_first_visit_pct",
    "care_guarantee_treatment_pct",
    "medical_assessment_3_days_pct",
    "phone_same_day_pct",
)
CARE_GUARANTEE_KPIS = ("care_guarantee_first_visit_pct", "care_guarantee_treatment_pct")
WAITING_KPIS = ("waiting_over_90_days_first_visit_count", "waiting_over_90_days_treatment_count")
LEVEL_ORDER = {
    level: rank
    for rank, level in enumerate(("region", "council", "board", "committee", "administration", "area", "unit"))
}
# Units that speak for an organisation as a whole; 'area' and 'unit' are parts of one.
ORGANISATION_LEVELS = {"region", "council", "board", "committee", "administration"}
SCENARIO_ORDER = {"actual": 0, "forecast": 1, "target": 2}
STATUS_ORDER = {"met": 0, "partly_met": 1, "not_met": 2, "no_assessment": 3}
STATUS_COLOUR = {"met": "#2e7d32", "partly_met": "#f9a825", "not_met": "#c62828", "no_assessment": "#9e9e9e"}
MIN_SERIES_POINTS = 3
MAX_LINES_PER_CHART = 8


# ---------------------------------------------------------------- links and values


def source_href(document: str, line: int | None, root: str = "") -> str:
    """Relative link from a page `root` below the site's top to the line in the document's source view."""
    return f"{root}sources/{quote(document)}.html" + (f"#L{line}" if line else "")


def value_text(row: dict) -> str:
    return format_number(row.get("value"), row.get("unit"), bool(row.get("is_approximate")))


def tooltip(row: dict) -> str:
    return f"{row['document']}:{row.get('source_line')} — {row.get('source_text') or ''}"


def kpi_href(kpi_code: str, root: str = "") -> str:
    return f"{root}kpi/{quote(kpi_code)}.html"


@cache
def environment() -> Environment:
    labels = load_labels()
    env = Environment(
        loader=PackageLoader("dagster_project.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=lambda value, unit=None, approximate=False: format_number(value, unit, approximate),
        value=value_text,
        period=lambda row: format_period(row.get("period_start"), row.get("period_end"), row.get("period_type")),
        label=lambda code, domain: labels.get(domain, code),
        capitalised=lambda code, domain: labels.capitalised(domain, code),
    )
    env.globals.update(source_href=source_href, tooltip=tooltip, kpi_href=kpi_href, status_colour=STATUS_COLOUR)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


# ---------------------------------------------------------------- one report


def _sort_key(row: dict) -> tuple:
    return (
        LEVEL_ORDER.get(row.get("org_unit_level") or "unit", 99),
        row.get("org_unit_name") or "",
        SCENARIO_ORDER.get(row.get("scenario"), 9),
        -(row["period_end"].toordinal() if row.get("period_end") else 0),
        row.get("source_line") or 0,
    )


def _values(rows: list[dict], kpis: tuple[str, ...]) -> dict[str, list[dict]]:
    """Per KPI, the value rows themselves: total breakdown, no comparison (a change is no level)."""
    by_kpi: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["kpi_code"] in kpis and row.get("breakdown") == "total" and not row.get("comparison"):
            by_kpi[row["kpi_code"]].append(row)
    return by_kpi


def _period_groups(rows: list[dict]) -> list[tuple[tuple, list[dict]]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row.get("scenario"), row.get("period_start"), row.get("period_end"), row.get("period_type"))].append(
            row
        )
    return sorted(
        groups.items(),
        key=lambda item: (SCENARIO_ORDER.get(item[0][0], 9), -(item[0][2].toordinal() if item[0][2] else 0)),
    )


def _marks(rows: list[dict], root: str = "") -> list[Mark]:
    """One bar per row; a unit named twice (the report disagrees with itself) shows its line."""
    counts: dict[str | None, int] = defaultdict(int)
    for row in rows:
        counts[row.get("org_unit_name")] += 1
    marks = []
    for row in rows:
        label = row.get("org_unit_name") or "?"
        if counts[row.get("org_unit_name")] > 1:
            label = f"{label} (rad {row.get('source_line')})"
        marks.append(
            Mark(
                label=label,
                value=float(row["value"]),
                href=source_href(row["document"], row.get("source_line"), root),
                tooltip=tooltip(row),
                display=value_text(row),
            )
        )
    return marks


def _chart_id(*parts) -> str:
    return "-".join(str(p) for p in parts if p is not None).replace(" ", "_")


def _caption(name: str, scenario: str | None, start: date | None, end: date | None, period_type: str | None) -> str:
    scenario_text = "" if scenario == "actual" else f", {load_labels().get('scenario', scenario)}"
    return f"{name}, {format_period(start, end, period_type)}{scenario_text}"


def _region_row(group: list[dict]) -> dict | None:
    """The value the report states for the region as a whole, the preferred statement first."""
    regional = [r for r in group if r.get("org_unit_level") == "region"]
    return next((r for r in regional if r.get("is_preferred")), regional[0] if regional else None)


def _budget_charts(rows: list[dict]) -> list[Markup]:
    charts = []
    for (scenario, start, end, period_type), group in _period_groups(rows):
        parts = sorted((r for r in group if r.get("org_unit_level") != "region"), key=lambda r: -float(r["value"]))
        if parts:
            caption = _caption("Budgetavvikelse per nämnd och område", scenario, start, end, period_type)
            charts.append(
                horizontal_bars(
                    _marks(parts),
                    chart_id=_chart_id("deviation-by-area", scenario, period_type, end),
                    caption=caption,
                    axis_label="budgetavvikelse, mnkr (negativ = underskott)",
                )
            )
    return charts


def _clinic_charts(by_kpi: dict[str, list[dict]], kpis: tuple[str, ...], prefix: str, minimum: int) -> list[dict]:
    """Per KPI and period, one bar per clinic or specialty, sorted; the region's own figure beside."""
    charts = []
    for kpi in kpis:
        for (scenario, start, end, period_type), group in _period_groups(by_kpi.get(kpi, [])):
            parts = sorted(
                (r for r in group if r.get("org_unit_level") not in ORGANISATION_LEVELS),
                key=lambda r: -float(r["value"]),
            )
            if len(parts) < minimum:
                continue
            region = _region_row(group)
            unit = group[0].get("unit")
            rule_label = f"{region.get('org_unit_name')}: {value_text(region)}" if region else ""
            shares = unit == "percent"
            chart = horizontal_bars(
                _marks(parts),
                chart_id=_chart_id(prefix, kpi, scenario, period_type, end),
                caption=_caption(group[0].get("kpi_name_sv") or kpi, scenario, start, end, period_type),
                axis_label=axis_unit(unit),
                rule=float(region["value"]) if region and shares else None,
                rule_label=rule_label if shares else "",
                colour_by_sign=False,
            )
            charts.append({"svg": chart, "region": region, "shares": shares})
    return charts


def _time_series(rows: list[dict]) -> list[Markup]:
    """Within one report: KPIs stated for at least MIN_SERIES_POINTS periods (monthly tables)."""
    series_rows: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("period_end") is not None and not row.get("comparison"):
            key = (
                row["kpi_code"],
                row.get("period_type"),
                row.get("org_unit_name"),
                row.get("breakdown"),
                row.get("scenario"),
            )
            series_rows[key].append(row)
    by_chart: dict[tuple, list[Series]] = defaultdict(list)
    first_rows: dict[tuple, dict] = {}
    labels = load_labels()
    for (kpi, period_type, unit_name, breakdown, scenario), group in series_rows.items():
        first_by_end: dict[date, dict] = {}
        for row in sorted(group, key=lambda r: r.get("source_line") or 0):
            first_by_end.setdefault(row["period_end"], row)
        if len(first_by_end) < MIN_SERIES_POINTS:
            continue
        name = f"{unit_name} · {labels.get('breakdown', breakdown)}"
        name += "" if scenario == "actual" else f" · {labels.get('scenario', scenario)}"
        points = tuple(
            Point(
                when=end,
                value=float(row["value"]),
                href=source_href(row["document"], row.get("source_line")),
                tooltip=f"{format_period(end, end)}: {value_text(row)} — {tooltip(row)}",
                hollow=scenario == "forecast",
            )
            for end, row in sorted(first_by_end.items())
        )
        by_chart[(kpi, period_type)].append(Series(name=name, points=points))
        first_rows[(kpi, period_type)] = group[0]
    charts = []
    for (kpi, period_type), series in sorted(by_chart.items()):
        first = first_rows[(kpi, period_type)]
        series = sorted(series, key=lambda s: -len(s.points))[:MAX_LINES_PER_CHART]
        caption = f"{first.get('kpi_name_sv') or kpi} ({labels.get('period_type', period_type)})"
        charts.append(
            line_chart(
                series,
                chart_id=_chart_id("series", kpi, period_type),
                caption=caption,
                axis_label=axis_unit(first.get("unit")),
            )
        )
    return charts


def render_document(report: DocumentReport, findings_per_page: dict[str, int] | None = None) -> str:
    """One report's page. Findings show this report's own lines and link to findings.html."""
    headline = _values(report.observations, HEADLINE_KPIS)
    headline_rows = [
        r
        for kpi in HEADLINE_KPIS
        for r in sorted(headline[kpi], key=_sort_key)
        if r.get("org_unit_level") in ORGANISATION_LEVELS
    ]
    deviation = _values(report.observations, ("budget_deviation_mnkr",))["budget_deviation_mnkr"]
    clinics = _values(report.observations, CARE_GUARANTEE_KPIS + WAITING_KPIS)
    goals = sorted(
        report.goals,
        key=lambda g: (
            SCENARIO_ORDER.get(g.get("scenario"), 9),
            g.get("goal_number") or 0,
            g.get("sub_goal") or "",
            g.get("source_line") or 0,
        ),
    )
    goal_counts: dict[tuple, int] = defaultdict(int)
    for goal in goals:
        goal_counts[(goal.get("scenario"), goal.get("status") or "no_assessment")] += 1
    findings = [
        {
            "finding": f,
            "here": [c for c in f["sources"] if c.document == report.document],
            "elsewhere": len({c.document for c in f["sources"]} - {report.document}),
        }
        for f in sorted(report.findings, key=lambda f: (str(f.get("severity")) != "error", str(f.get("rule"))))
    ]
    return render(
        "document.html.j2",
        root="",
        report=report,
        title=f"{report.title} – {report.document}",
        headline=headline_rows,
        budget_charts=_budget_charts(deviation),
        budget_rows=sorted(deviation, key=_sort_key),
        care_charts=_clinic_charts(clinics, CARE_GUARANTEE_KPIS, "care-guarantee", 2),
        waiting_charts=_clinic_charts(clinics, WAITING_KPIS, "waiting", 1),
        series_charts=_time_series(report.observations),
        min_series_points=MIN_SERIES_POINTS,
        goals=goals,
        goal_counts=sorted(
            goal_counts.items(), key=lambda i: (SCENARIO_ORDER.get(i[0][0], 9), STATUS_ORDER.get(i[0][1], 9))
        ),
        findings=findings,
        observations=sorted(report.observations, key=lambda r: (r.get("source_line") or 0, r["kpi_code"])),
    )


# ---------------------------------------------------------------- one KPI across reports


def _trend_lines(rows: list[dict]) -> list[Series]:
    """One line per organisation (and breakdown), the region and committees first."""
    lines: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if not row.get("comparison") and row.get("scenario") != "target":
            lines[(row.get("org_unit_name"), row.get("breakdown"))].append(row)
    labels = load_labels()
    ranked = sorted(
        lines.items(),
        key=lambda item: (
            item[0][1] != "total",
            LEVEL_ORDER.get(item[1][0].get("org_unit_level") or "unit", 99),
            -len(item[1]),
            item[0][0] or "",
        ),
    )
    # every period gets a point: the first-ranked line of each period not yet covered, then the
    # best-ranked others up to MAX_LINES_PER_CHART
    chosen: list[int] = []
    covered: set[date] = set()
    for index, (_, group) in enumerate(ranked):
        ends = {r["period_end"] for r in group}
        if not ends <= covered:
            chosen.append(index)
            covered |= ends
    chosen += [i for i in range(len(ranked)) if i not in chosen][: max(MAX_LINES_PER_CHART - len(chosen), 0)]
    series = []
    for (name, breakdown), group in (ranked[i] for i in sorted(chosen)):
        label = (name or "?") if breakdown == "total" else f"{name} · {labels.get('breakdown', breakdown)}"
        points = tuple(
            Point(
                when=r["period_end"],
                value=float(r["value"]),
                href=source_href(r["document"], r.get("source_line"), "../"),
                tooltip=f"{format_period(r.get('period_start'), r['period_end'], r.get('period_type'))}: "
                f"{value_text(r)} — {tooltip(r)}",
                hollow=r.get("scenario") == "forecast",
            )
            for r in sorted(group, key=lambda r: r["period_end"])
        )
        series.append(Series(name=label, points=points))
    return series


def _latest_comparison(rows: list[dict], kpi_name: str, period_type: str) -> Markup:
    """The organisations side by side in the latest period that at least two of them state."""
    values = [
        r for r in rows if not r.get("comparison") and r.get("breakdown") == "total" and r.get("scenario") != "target"
    ]
    by_end: dict[date, list[dict]] = defaultdict(list)
    for row in values:
        by_end[row["period_end"]].append(row)
    compared = [end for end, group in by_end.items() if len({r.get("org_unit_name") for r in group}) >= 2]
    if not compared:
        return Markup("")
    end = max(compared)
    group = sorted(by_end[end], key=lambda r: -float(r["value"]))
    first = group[0]
    return horizontal_bars(
        _marks(group, "../"),
        chart_id=_chart_id("compare", first["kpi_code"], period_type, end),
        caption=f"{kpi_name}: enheterna jämförda, {format_period(first.get('period_start'), end, period_type)}",
        axis_label=axis_unit(first.get("unit")),
        colour_by_sign=first.get("unit") == "mnkr",
    )


def render_kpi(kpi_code: str, rows: list[dict]) -> str:
    """One KPI across every report: per period type a trend and a comparison, then every value."""
    labels = load_labels()
    name = rows[0].get("kpi_name_sv") or kpi_code
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_type[row.get("period_type") or "okänd"].append(row)
    sections = []
    for period_type, group in sorted(by_type.items(), key=lambda item: (-len(item[1]), item[0])):
        unit = group[0].get("unit")
        caption = f"{name} över tid ({labels.get('period_type', period_type)})"
        sections.append(
            {
                "period_type": period_type,
                "trend": line_chart(
                    _trend_lines(group),
                    chart_id=_chart_id("trend", kpi_code, period_type),
                    caption=caption,
                    axis_label=axis_unit(unit),
                ),
                "comparison": _latest_comparison(group, name, period_type),
            }
        )
    table = sorted(
        rows,
        key=lambda r: (
            LEVEL_ORDER.get(r.get("org_unit_level") or "unit", 99),
            r.get("org_unit_name") or "",
            r.get("breakdown") != "total",
            r.get("breakdown") or "",
            bool(r.get("comparison")),
            r.get("period_type") or "",
            r["period_end"],
            SCENARIO_ORDER.get(r.get("scenario"), 9),
        ),
    )
    periods = sorted({r["period_end"] for r in rows})
    return render(
        "kpi.html.j2",
        root="../",
        title=f"{name} – över tid",
        kpi_code=kpi_code,
        name=name,
        rows=table,
        sections=sections,
        periods=periods,
    )


# ---------------------------------------------------------------- across the site


def render_findings(findings: list[dict], source_texts: dict[tuple[str, int], str]) -> str:
    ordered = sorted(
        findings, key=lambda f: (str(f.get("severity")) != "error", str(f.get("rule")), str(f.get("document")))
    )
    return render(
        "findings.html.j2", root="", title="Avvikelser i rapporterna", findings=ordered, source_texts=source_texts
    )


def render_index(warehouse: Warehouse, kpis: list[dict]) -> str:
    by_region: dict[str, list[DocumentReport]] = defaultdict(list)
    for report in warehouse.documents:
        by_region[region_label(report)].append(report)
    regions = [
        (region, sorted(items, key=lambda r: (r.period_end or date.min, r.document)))
        for region, items in sorted(by_region.items())
    ]
    severities: dict[str, int] = defaultdict(int)
    for finding in warehouse.findings:
        severities[str(finding.get("severity"))] += 1
    return render(
        "index.html.j2",
        root="",
        title="Uppföljningsrapporter – nyckeltal",
        regions=regions,
        kpis=kpis,
        severities=sorted(severities.items()),
        finding_count=len(warehouse.findings),
    )


def region_label(report: DocumentReport) -> str:
    return report.region_name or (f"Region {report.region_code}" if report.region_code else "Okänd region")


def render_source_view(report: DocumentReport, lines: list[str] | None, cited: dict[int, str]) -> str:
    """The document's text with an anchor per line; when the file is gone, the lines the warehouse cites."""
    numbered = list(enumerate(lines, start=1)) if lines is not None else sorted(cited.items())
    return render(
        "source.html.j2",
        root="../",
        title=report.document,
        report=report,
        numbered=numbered,
        cited=set(cited),
        full_text=lines is not None,
    )
