"""The KPI report: one self-contained HTML page per report document, an index, and source views.

Reads the published warehouse read-only (BI tools may hold it open at the same time) and
writes, into out_dir:

- `<document stem>.html`: headline KPIs, budget deviation per committee and area, care guarantee
  per clinic with the region mean as a rule, waiting counts per specialty, time series, goal
  ratings and consistency findings of one document (one region, one report period);
- `index.html`: the reports by region and period;
- `sources/<document>.html`: the document's text with an anchor per line (#L2316), so every
  number's link ('rvb_hsn_arsrapport_2022.txt:2316') opens offline at the line it came from.

Pages carry their CSS and SVG charts inline and load nothing from the network.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import quote

import duckdb

from .svg import Mark, Point, Series, horizontal_bars, line_chart

log = logging.getLogger(__name__)

SCENARIO_SV = {"actual": "Utfall", "forecast": "Prognos", "target": "Mål"}
SCENARIO_ORDER = {"actual": 0, "forecast": 1, "target": 2}
STATUS_SV = {
    "met": "Uppfyllt",
    "partly_met": "Delvis uppfyllt",
    "not_met": "Ej uppfyllt",
    "no_assessment": "Ingen bedömning",
}
STATUS_ORDER = {status: rank for rank, status in enumerate(STATUS_SV)}
STATUS_COLOUR = {"met": "#2e7d32", "partly_met": "#f9a825", "not_met": "#c62828", "no_assessment": "#9e9e9e"}
LEVEL_SV = {
    "region": "Region",
    "county_total": "Länet totalt",
    "council": "Fullmäktige",
    "board": "Styrelse",
    "committee": "Nämnd",
    "administration": "Förvaltning",
    "area": "Område",
    "unit": "Enhet",
}
LEVEL_ORDER = {level: rank for rank, level in enumerate(LEVEL_SV)}
# Units that speak for an organisation as a whole; 'area' and 'unit' are parts of one.
ORGANISATION_LEVELS = {"region", "county_total", "council", "board", "committee", "administration"}
# The region's own figure for a measure published per clinic (MEDEL/TOTALT VÄSTERBOTTEN).
REGION_LEVELS = ("county_total", "region")
UNIT_SUFFIX = {"mnkr": " mnkr", "percent": " %", "days": " dagar"}

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
MIN_SERIES_POINTS = 3
MAX_SERIES_PER_CHART = 8

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
h2 small,h3 small{font-weight:normal;color:#666;font-size:.75em}
.meta{color:#555}nav a{margin-right:1rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #e4e4e4;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;white-space:nowrap}
a.src{font-family:ui-monospace,monospace;font-size:.8rem;color:#555}
.status{display:inline-block;padding:.05rem .5rem;border-radius:.7rem;color:#fff;font-size:.8rem;white-space:nowrap}
.status.partly_met{color:#222}
.sev-error{color:#c62828;font-weight:bold}.sev-warn,.sev-warning{color:#e65100;font-weight:bold}
.en{color:#666;font-size:.85em}.empty{color:#777;font-style:italic}
figure{margin:1rem 0}figcaption{color:#555;font-size:.85rem}
svg a:hover rect,svg a:hover circle{opacity:.7}
footer{margin-top:3rem;color:#666;font-size:.85rem;border-top:1px solid #ddd;padding-top:.5rem}
"""


# ---------------------------------------------------------------- formatting


def format_number(value: float | None, unit: str | None = None, approximate: bool = False) -> str:
    """Swedish style: no-break space between thousands, decimal comma; the unit after."""
    if value is None:
        return "–"
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
    else:
        text = f"{number:,.3f}".rstrip("0").rstrip(".")
    text = text.replace(",", "\u00a0").replace(".", ",")
    return ("ca " if approximate else "") + text + UNIT_SUFFIX.get(unit or "", "")


def format_period(start: date | None, end: date | None, period_type: str | None = None) -> str:
    if end is None:
        return "–"
    if start is None or start == end:
        return end.isoformat()
    if period_type == "year" and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(end.year)
    if period_type == "month" and start.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{end:%Y-%m}"
    return f"{start.isoformat()} – {end.isoformat()}"


def source_href(document: str, line: int | None) -> str:
    """Relative link from a report page to the line in the document's source view."""
    anchor = f"#L{line}" if line else ""
    return f"sources/{quote(document)}.html{anchor}"


def source_link(document: str, line: int | None, source_text: str | None, label: str | None = None) -> str:
    """The 'document:line' link every number carries, with the source text as its tooltip."""
    label = label or (f"{document}:{line}" if line else document)
    return (
        f"<a class='src' href='{escape(source_href(document, line), quote=True)}' "
        f"title='{escape(source_text or '', quote=True)}'>{escape(label)}</a>"
    )


def value_link(row: dict) -> str:
    """The number itself, linked to its source line."""
    text = format_number(row["value"], row.get("unit"), bool(row.get("is_approximate")))
    return (
        f"<a class='num' href='{escape(source_href(row['document'], row.get('source_line')), quote=True)}' "
        f"title='{escape(row.get('source_text') or '', quote=True)}' data-value='{row['value']!r}'>"
        f"{escape(text)}</a>"
    )


def _tooltip(row: dict) -> str:
    return f"{row['document']}:{row.get('source_line')} — {row.get('source_text') or ''}"


# ---------------------------------------------------------------- reading the warehouse


@dataclass
class DocumentReport:
    document: str
    title: str
    region_code: str | None
    region_name: str | None
    kind: str | None
    period_start: date | None
    period_end: date | None
    loaded_at: object = None
    observations: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    file_name: str = ""  # the report page, set when pages are named


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _marts_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """marts relation -> its columns (tables and views)."""
    columns: dict[str, set[str]] = defaultdict(set)
    for table, column in con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and table_catalog = current_database()"
    ).fetchall():
        columns[table].add(column)
    return columns


# One cited place in marts.consistency_findings.source_lines, which is readable text:
# '2302 (total); 2292–2301 (10 rows)', '131 (text)', 'rvb_x.txt:3, rvb_y.txt:1637'.
_SOURCE_PART = re.compile(
    r"(?:(?P<document>[^\s,;:()]+\.[A-Za-z]{2,4}):)?(?P<first>\d+)(?:\s*[–-]\s*(?P<last>\d+))?(?:\s*\((?P<role>[^)]*)\))?"
)


@dataclass(frozen=True)
class CitedLine:
    document: str
    line: int | None
    label: str


def finding_sources(finding: dict) -> list[CitedLine]:
    """The document lines a finding cites, parsed from its source_lines text."""
    documents = [d.strip() for d in str(finding.get("documents") or "").split(",") if d.strip()]
    default = finding.get("document") or (documents[0] if documents else None)
    cited = []
    for match in _SOURCE_PART.finditer(str(finding.get("source_lines") or "")):
        document = match["document"] or default
        if not document:
            continue
        label = f"{document}:{match['first']}" + (f"–{match['last']}" if match["last"] else "")
        label += f" ({match['role']})" if match["role"] else ""
        if any(c.document == document and c.line == int(match["first"]) for c in cited):
            continue  # '394, 394': one value stated twice on a line needs one link
        cited.append(CitedLine(document, int(match["first"]), label))
    cited_documents = {c.document for c in cited}
    cited += [CitedLine(d, None, d) for d in dict.fromkeys([*documents, default]) if d and d not in cited_documents]
    return cited


def read_warehouse(con: duckdb.DuckDBPyConnection) -> list[DocumentReport]:
    """Everything the reports show, grouped by document."""
    columns = _marts_columns(con)
    if "kpi_observations" not in columns:
        raise ValueError("the warehouse has no marts.kpi_observations (the BI view); build it first")

    levels: dict[str, str] = {}
    unit_names: dict[str, str] = {}
    if {"org_unit_code", "level"} <= columns.get("dim_org_unit", set()):
        for row in _rows(con, "select * from marts.dim_org_unit"):
            if row.get("is_unknown_member"):
                continue  # 'Okänd enhet' would hide the label the document wrote
            levels[row["org_unit_code"]] = row["level"]
            unit_names[row["org_unit_code"]] = row.get("org_unit_name")

    reports: dict[str, DocumentReport] = {}
    if "dim_document" in columns:
        for row in _rows(con, "select * from marts.dim_document"):
            name = row["document_name"]
            if row.get("is_unknown_member"):
                continue
            reports[name] = DocumentReport(
                document=name,
                title=row.get("title") or name,
                region_code=row.get("region_code"),
                region_name=row.get("region_name"),
                kind=row.get("document_kind"),
                period_start=row.get("period_start"),
                period_end=row.get("period_end"),
                loaded_at=row.get("loaded_at"),
            )

    def report_for(document: str, row: dict | None = None) -> DocumentReport:
        if document not in reports:
            row = row or {}
            reports[document] = DocumentReport(
                document=document,
                title=document,
                region_code=row.get("region_code"),
                region_name=row.get("region_name"),
                kind=None,
                period_start=None,
                period_end=None,
            )
        return reports[document]

    for row in _rows(con, "select * from marts.kpi_observations order by document, source_line, kpi_code"):
        if "org_unit_level" not in row:
            row["org_unit_level"] = levels.get(row.get("org_unit_code"))
        report_for(row["document"], row).observations.append(row)

    # dim_org_unit, fct_goal_assessment and consistency_findings are optional: the sample
    # warehouse (cli example) carries only the BI view and the findings
    if "fct_goal_assessment" in columns:
        for row in _rows(con, "select * from marts.fct_goal_assessment order by source_line"):
            row["document"] = row["document_name"]
            # the canonical name when the unit resolved, else the label as written
            row["org_unit_name"] = unit_names.get(row.get("org_unit_code") or "") or row.get("org_unit_label")
            report_for(row["document"]).goals.append(row)

    if "consistency_findings" in columns:
        for finding in _rows(con, "select * from marts.consistency_findings"):
            finding["sources"] = finding_sources(finding)
            for document in dict.fromkeys(c.document for c in finding["sources"]):
                report_for(document).findings.append(finding)

    return sorted(reports.values(), key=lambda r: (r.region_code or "", r.period_end or date.min, r.document))


# ---------------------------------------------------------------- sections


def _observation_table(rows: list[dict], *, show_kpi: bool = True, show_level: bool = False) -> str:
    if not rows:
        return "<p class='empty'>Inga värden i dokumentet. <span class='en'>No values in the document.</span></p>"
    head = (
        ("<th>Nyckeltal</th>" if show_kpi else "")
        + ("<th>Nivå</th>" if show_level else "")
        + "<th>Enhet</th><th>Period</th><th>Scenario</th><th>Uppdelning</th><th>Värde</th><th>Källa</th>"
    )
    body = []
    for row in rows:
        body.append(
            "<tr>"
            + (f"<td>{escape(row.get('kpi_name_sv') or row['kpi_code'])}</td>" if show_kpi else "")
            + (f"<td>{escape(LEVEL_SV.get(row.get('org_unit_level') or '', row.get('org_unit_level') or ''))}</td>" if show_level else "")
            + f"<td>{escape(row.get('org_unit_name') or '')}</td>"
            + f"<td>{escape(format_period(row.get('period_start'), row.get('period_end'), row.get('period_type')))}</td>"
            + f"<td>{escape(SCENARIO_SV.get(row.get('scenario'), row.get('scenario') or ''))}</td>"
            + f"<td>{escape(row.get('breakdown') or '')}</td>"
            + f"<td class='num'>{value_link(row)}</td>"
            + f"<td>{source_link(row['document'], row.get('source_line'), row.get('source_text'))}</td>"
            + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _sort_key(row: dict) -> tuple:
    return (
        LEVEL_ORDER.get(row.get("org_unit_level") or "unit", 99),
        row.get("org_unit_name") or "",
        SCENARIO_ORDER.get(row.get("scenario"), 9),
        -(row["period_end"].toordinal() if row.get("period_end") else 0),
        row.get("source_line") or 0,
    )


def _headline(report: DocumentReport) -> str:
    by_kpi = defaultdict(list)
    for row in report.observations:
        if (
            row["kpi_code"] in HEADLINE_KPIS
            and row.get("breakdown") == "total"
            and row.get("org_unit_level") in ORGANISATION_LEVELS
        ):
            by_kpi[row["kpi_code"]].append(row)
    rows = [row for kpi in HEADLINE_KPIS for row in sorted(by_kpi[kpi], key=_sort_key)]
    return (
        "<section id='headline'><h2>Nyckeltal <small>Headline KPIs</small></h2>"
        "<p class='meta'>Resultat, budgetavvikelse, nettokostnadsutveckling, sjukfrånvaro, antal anställda och "
        "vårdgaranti för regionen, nämnder och förvaltningar. Varje värde länkar till raden i dokumentet.</p>"
        + _observation_table(rows)
        + "</section>"
    )


def _period_groups(rows: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(SCENARIO_ORDER.get(row.get("scenario"), 9), row.get("scenario"), row.get("period_start"),
                row.get("period_end"), row.get("period_type"))].append(row)
    return dict(sorted(groups.items(), key=lambda item: (item[0][0], -(item[0][3].toordinal() if item[0][3] else 0))))


def _marks(rows: list[dict]) -> list[Mark]:
    """One bar per row; a unit named twice (the document disagrees with itself) shows its line."""
    counts = defaultdict(int)
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
                href=source_href(row["document"], row.get("source_line")),
                tooltip=_tooltip(row),
                display=format_number(row["value"], row.get("unit"), bool(row.get("is_approximate"))),
            )
        )
    return marks


def _region_row(group: list[dict]) -> dict | None:
    """The value the document states for the region as a whole (county total first), if any."""
    return next((r for level in REGION_LEVELS for r in group if r.get("org_unit_level") == level), None)


def _chart_id(*parts) -> str:
    return "-".join(str(p) for p in parts if p is not None).replace(" ", "_")


def _budget_deviation(report: DocumentReport) -> str:
    rows = [r for r in report.observations if r["kpi_code"] == "budget_deviation_mnkr" and r.get("breakdown") == "total"]
    charts = []
    for (_, scenario, start, end, period_type), group in _period_groups(rows).items():
        parts = sorted(
            (r for r in group if r.get("org_unit_level") not in REGION_LEVELS),
            key=lambda r: -float(r["value"]),
        )
        if not parts:
            continue
        caption = (
            f"Budgetavvikelse per nämnd och område, {SCENARIO_SV.get(scenario, scenario).lower()} "
            f"{format_period(start, end, period_type)} (mnkr)"
        )
        charts.append(
            "<figure>"
            + horizontal_bars(_marks(parts), chart_id=_chart_id("deviation-by-area", scenario, period_type, end), caption=caption)
            + "<figcaption>Negativt = underskott. Klicka på en stapel för källraden. "
            "<span class='en'>Budget deviation by committee and area; negative = deficit.</span></figcaption></figure>"
        )
    return (
        "<section id='budget-deviation'><h2>Budgetavvikelse per nämnd och område "
        "<small>Budget deviation per committee and area</small></h2>"
        + "".join(charts)
        + _observation_table(sorted(rows, key=_sort_key), show_kpi=False, show_level=True)
        + "</section>"
    )


def _care_guarantee(report: DocumentReport) -> str:
    charts = []
    for kpi in CARE_GUARANTEE_KPIS:
        rows = [r for r in report.observations if r["kpi_code"] == kpi and r.get("breakdown") == "total"]
        for (_, scenario, start, end, period_type), group in _period_groups(rows).items():
            clinics = sorted(
                (r for r in group if r.get("org_unit_level") not in ORGANISATION_LEVELS),
                key=lambda r: -float(r["value"]),
            )
            if len(clinics) < 2:
                continue
            # the region's own stated figure: shares are never averaged or summed across clinics
            region = _region_row(group)
            name = group[0].get("kpi_name_sv") or kpi
            caption = f"{name}, {format_period(start, end, period_type)}"
            rule_label = ""
            if region is not None:
                rule_label = f"{region.get('org_unit_name')}: {format_number(region['value'], 'percent')}"
            note = (
                f"Streckad linje: regionens värde enligt dokumentet ({escape(rule_label)}), "
                f"{source_link(region['document'], region.get('source_line'), region.get('source_text'))}."
                if region is not None
                else "Dokumentet anger inget värde för regionen som helhet; andelar summeras eller medelvärdesbildas inte över kliniker."
            )
            charts.append(
                "<figure>"
                + horizontal_bars(
                    _marks(clinics),
                    chart_id=_chart_id("care-guarantee", kpi, scenario, period_type, end),
                    caption=caption,
                    rule=float(region["value"]) if region is not None else None,
                    rule_label=rule_label,
                    colour_by_sign=False,
                )
                + f"<figcaption>{note} <span class='en'>Share of waiting patients within 90 days, per clinic, "
                "sorted; the dashed rule is the region's stated value.</span></figcaption></figure>"
            )
    if not charts:
        charts.append("<p class='empty'>Inga vårdgarantivärden per klinik i dokumentet. "
                      "<span class='en'>No care-guarantee values per clinic.</span></p>")
    return (
        "<section id='care-guarantee'><h2>Vårdgaranti per klinik <small>Care guarantee per clinic</small></h2>"
        + "".join(charts)
        + "</section>"
    )


def _waiting(report: DocumentReport) -> str:
    charts = []
    for kpi in WAITING_KPIS:
        rows = [r for r in report.observations if r["kpi_code"] == kpi and r.get("breakdown") == "total"]
        for (_, scenario, start, end, period_type), group in _period_groups(rows).items():
            specialties = sorted(
                (r for r in group if r.get("org_unit_level") not in ORGANISATION_LEVELS),
                key=lambda r: -float(r["value"]),
            )
            if not specialties:
                continue
            total = _region_row(group)
            name = group[0].get("kpi_name_sv") or kpi
            caption = f"{name}, {format_period(start, end, period_type)} (antal)"
            total_note = (
                f"Totalt enligt dokumentet: {value_link(total)} "
                f"({source_link(total['document'], total.get('source_line'), total.get('source_text'))}). "
                if total is not None
                else ""
            )
            charts.append(
                "<figure>"
                + horizontal_bars(
                    _marks(specialties),
                    chart_id=_chart_id("waiting", kpi, scenario, period_type, end),
                    caption=caption,
                    colour_by_sign=False,
                )
                + f"<figcaption>{total_note}<span class='en'>Patients waiting over 90 days per specialty.</span>"
                "</figcaption></figure>"
            )
    if not charts:
        charts.append("<p class='empty'>Inga väntandeantal per specialitet i dokumentet. "
                      "<span class='en'>No waiting counts per specialty.</span></p>")
    return (
        "<section id='waiting'><h2>Väntande längre än 90 dagar per specialitet "
        "<small>Waiting counts per specialty</small></h2>" + "".join(charts) + "</section>"
    )


def _time_series(report: DocumentReport) -> str:
    series_rows: dict[tuple, list[dict]] = defaultdict(list)
    for row in report.observations:
        if row.get("period_end") is None:
            continue
        key = (row["kpi_code"], row.get("period_type"), row.get("org_unit_name"), row.get("breakdown"), row.get("scenario"))
        series_rows[key].append(row)
    by_chart: dict[tuple, list[Series]] = defaultdict(list)
    names: dict[tuple, str] = {}
    for (kpi, period_type, unit, breakdown, scenario), rows in series_rows.items():
        first_by_end = {}
        for row in sorted(rows, key=lambda r: r.get("source_line") or 0):
            first_by_end.setdefault(row["period_end"], row)
        if len(first_by_end) < MIN_SERIES_POINTS:
            continue
        label = f"{unit} · {breakdown}" + ("" if scenario == "actual" else f" · {SCENARIO_SV.get(scenario, scenario)}")
        points = tuple(
            Point(when=end, value=float(row["value"]), href=source_href(row["document"], row.get("source_line")),
                  tooltip=f"{end}: {format_number(row['value'], row.get('unit'))} — {_tooltip(row)}")
            for end, row in sorted(first_by_end.items())
        )
        by_chart[(kpi, period_type)].append(Series(name=label, points=points))
        names[(kpi, period_type)] = rows[0].get("kpi_name_sv") or kpi
    charts = []
    for (kpi, period_type), series in sorted(by_chart.items()):
        series = sorted(series, key=lambda s: -len(s.points))[:MAX_SERIES_PER_CHART]
        caption = f"{names[(kpi, period_type)]} ({(period_type or '').replace('_', ' ')})"
        charts.append(
            "<figure>"
            + line_chart(series, chart_id=_chart_id("series", kpi, period_type), caption=caption)
            + "<figcaption>Varje punkt länkar till sin källrad. <span class='en'>Each point links to its source line."
            "</span></figcaption></figure>"
        )
    if not charts:
        charts.append(f"<p class='empty'>Inga tidsserier (minst {MIN_SERIES_POINTS} perioder) i dokumentet. "
                      "<span class='en'>No time series in the document.</span></p>")
    return "<section id='time-series'><h2>Tidsserier <small>Time series</small></h2>" + "".join(charts) + "</section>"


def _status_badge(status: str | None) -> str:
    status = status or "no_assessment"
    colour = STATUS_COLOUR.get(status, "#9e9e9e")
    return (
        f"<span class='status {escape(status, quote=True)}' style='background:{colour}' "
        f"data-status='{escape(status, quote=True)}'>{escape(STATUS_SV.get(status, status))}</span>"
    )


def _goals(report: DocumentReport) -> str:
    goals = sorted(
        report.goals,
        key=lambda g: (SCENARIO_ORDER.get(g.get("scenario"), 9), g.get("goal_number") or 0, g.get("sub_goal") or "",
                       g.get("source_line") or 0),
    )
    if not goals:
        body = "<p class='empty'>Inga målbedömningar i dokumentet. <span class='en'>No goal ratings.</span></p>"
    else:
        counts = defaultdict(int)
        for goal in goals:
            counts[(goal.get("scenario"), goal.get("status"))] += 1
        summary = ", ".join(
            f"{SCENARIO_SV.get(scenario, scenario)}: {_status_badge(status)} × {count}"
            for (scenario, status), count in sorted(counts.items(), key=lambda i: (SCENARIO_ORDER.get(i[0][0], 9), STATUS_ORDER.get(i[0][1], 9)))
        )
        rows = "".join(
            "<tr>"
            f"<td>{escape(str(g.get('goal_number') or ''))}</td>"
            f"<td>{escape(g.get('sub_goal') or '')}</td>"
            f"<td>{escape(g.get('goal_text') or '')}</td>"
            f"<td>{escape(g.get('org_unit_name') or '')}</td>"
            f"<td>{escape(SCENARIO_SV.get(g.get('scenario'), g.get('scenario') or ''))}</td>"
            f"<td>{_status_badge(g.get('status'))}</td>"
            f"<td>{source_link(g['document'], g.get('source_line'), g.get('source_text'))}</td>"
            "</tr>"
            for g in goals
        )
        body = (
            f"<p class='meta'>{summary}</p><table><thead><tr><th>Mål</th><th>Delmål</th><th>Målformulering</th>"
            "<th>Enhet</th><th>Scenario</th><th>Bedömning</th><th>Källa</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    return "<section id='goals'><h2>Målbedömningar <small>Goal ratings</small></h2>" + body + "</section>"


def _format_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_format_cell(v) for v in value)
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def _findings(report: DocumentReport, source_texts: dict[tuple[str, int], str]) -> str:
    if not report.findings:
        body = ("<p class='empty'>Inga konsistensavvikelser för dokumentet. "
                "<span class='en'>No consistency findings for the document.</span></p>")
    else:
        rows = []
        # errors first, then by rule
        for finding in sorted(report.findings, key=lambda f: (str(f.get("severity")) != "error", str(f.get("rule")))):
            severity = str(finding.get("severity") or "")
            links = "<br>".join(
                source_link(c.document, c.line, source_texts.get((c.document, c.line)) if c.line else None, c.label)
                for c in finding["sources"]
            )
            compared = " / ".join(
                _format_cell(finding.get(name)) for name in ("expected", "actual") if finding.get(name) is not None
            )
            rows.append(
                "<tr>"
                f"<td class='sev-{escape(severity.lower(), quote=True)}'>{escape(severity)}</td>"
                f"<td>{escape(str(finding.get('rule') or ''))}</td>"
                f"<td>{escape(str(finding.get('message_sv') or ''))}"
                f"<div class='en'>{escape(str(finding.get('message_en') or ''))}</div></td>"
                f"<td>{escape(_format_cell(finding.get('inputs')))}</td>"
                f"<td class='num'>{escape(compared)}</td>"
                f"<td class='num'>{escape(_format_cell(finding.get('difference')))}</td>"
                f"<td>{links}</td>"
                "</tr>"
            )
        body = (
            "<p class='meta'>Ställen där dokumentet inte stämmer med sig självt (eller med ett annat dokument). "
            "De visas, inte döljs. <span class='en'>Where the document disagrees with itself or another.</span></p>"
            "<table><thead><tr><th>Allvar</th><th>Regel</th><th>Beskrivning</th><th>Indata</th>"
            "<th>Förväntat / faktiskt</th><th>Differens</th>"
            f"<th>Källor</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return ("<section id='findings'><h2>Konsistensavvikelser <small>Consistency findings</small></h2>"
            + body + "</section>")


def _all_values(report: DocumentReport) -> str:
    rows = sorted(report.observations, key=lambda r: (r.get("source_line") or 0, r["kpi_code"]))
    return (
        "<section id='observations'><h2>Alla värden <small>Every extracted value</small></h2>"
        f"<details><summary>{len(rows)} värden i dokumentordning</summary>"
        + _observation_table(rows)
        + "</details></section>"
    )


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def _region_label(report: DocumentReport) -> str:
    return report.region_name or (f"Region {report.region_code}" if report.region_code else "Okänd region")


def render_document(report: DocumentReport, source_texts: dict[tuple[str, int], str]) -> str:
    """One document's report page."""
    header = (
        f"<header><p><a href='index.html'>← Alla rapporter</a></p><h1>{escape(report.title)}</h1>"
        f"<p class='meta'>{escape(_region_label(report))} · "
        f"{escape(format_period(report.period_start, report.period_end))} · {escape(report.kind or '')} · "
        f"<a href='{escape(source_href(report.document, None), quote=True)}'>{escape(report.document)}</a></p>"
        "<nav><a href='#headline'>Nyckeltal</a><a href='#budget-deviation'>Budgetavvikelse</a>"
        "<a href='#care-guarantee'>Vårdgaranti</a><a href='#waiting'>Väntande</a><a href='#time-series'>Tidsserier</a>"
        "<a href='#goals'>Mål</a><a href='#findings'>Avvikelser</a><a href='#observations'>Alla värden</a></nav></header>"
    )
    footer = (
        "<footer>Värdena är extraherade ur dokumentet och bearbetade i lagret; varje värde länkar till raden det "
        "står på. <span class='en'>Values extracted from the document; each links to its line.</span>"
        + (f" Data laddad {escape(str(report.loaded_at))}." if report.loaded_at else "")
        + "</footer>"
    )
    return _page(
        f"{report.title} – {report.document}",
        header
        + _headline(report)
        + _budget_deviation(report)
        + _care_guarantee(report)
        + _waiting(report)
        + _time_series(report)
        + _goals(report)
        + _findings(report, source_texts)
        + _all_values(report)
        + footer,
    )


def render_index(reports: list[DocumentReport]) -> str:
    by_region: dict[str, list[DocumentReport]] = defaultdict(list)
    for report in reports:
        by_region[_region_label(report)].append(report)
    sections = []
    for region, items in sorted(by_region.items()):
        rows = "".join(
            "<tr>"
            f"<td>{escape(format_period(r.period_start, r.period_end))}</td>"
            f"<td><a href='{escape(quote(r.file_name), quote=True)}'>{escape(r.title)}</a></td>"
            f"<td>{escape(r.kind or '')}</td>"
            f"<td class='num'>{len(r.observations)}</td><td class='num'>{len(r.goals)}</td>"
            f"<td class='num'>{len(r.findings)}</td>"
            f"<td><a class='src' href='{escape(source_href(r.document, None), quote=True)}'>{escape(r.document)}</a></td>"
            "</tr>"
            for r in sorted(items, key=lambda r: (r.period_end or date.min, r.document))
        )
        sections.append(
            f"<h2>{escape(region)}</h2><table><thead><tr><th>Period</th><th>Rapport</th><th>Typ</th><th>Värden</th>"
            f"<th>Målbedömningar</th><th>Avvikelser</th><th>Källdokument</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if not sections:
        sections.append("<p class='empty'>Lagret innehåller inga dokument. <span class='en'>No documents.</span></p>")
    return _page(
        "Uppföljningsrapporter – nyckeltal",
        "<h1>Uppföljningsrapporter <small>KPI reports</small></h1>"
        "<p class='meta'>En sida per region och rapportperiod (dokument). <span class='en'>One page per region and "
        "report period.</span></p>" + "".join(sections),
    )


# ---------------------------------------------------------------- source views


def _document_lines(document: str, reports_dir: Path | None) -> list[str] | None:
    """The document's lines numbered exactly as extraction numbered them, or None if unavailable."""
    if reports_dir is None or not (reports_dir / document).is_file():
        return None
    from ..extraction.documents import DocumentText, read_document

    read = read_document(reports_dir / document, reports_dir)
    return read.lines if isinstance(read, DocumentText) else None


def render_source_view(report: DocumentReport, lines: list[str] | None, cited: dict[int, str]) -> str:
    """The document's text with an anchor per line; when the file is gone, the lines the warehouse cites."""
    if lines is not None:
        numbered = list(enumerate(lines, start=1))
        note = ""
    else:
        numbered = sorted(cited.items())
        note = (
            "<p class='empty'>Dokumentets fulltext finns inte här; raderna nedan är de som lagret hänvisar till. "
            "<span class='en'>Full text unavailable; showing the lines the warehouse cites.</span></p>"
        )
    rows = "".join(
        f"<tr id='L{number}'{' class=cited' if number in cited else ''}><td class='n'><a href='#L{number}'>{number}</a>"
        f"</td><td><pre>{escape(text)}</pre></td></tr>"
        for number, text in numbered
    )
    css = (
        "body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td{padding:0 .5rem;vertical-align:top}td.n{text-align:right;color:#888;user-select:none}"
        "td.n a{color:#888;text-decoration:none}pre{margin:0;white-space:pre-wrap;font-size:.85rem}"
        "tr.cited td.n a{color:#1f77b4;font-weight:bold}tr:target{background:#fff3b0}"
    )
    return (
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>"
        f"<title>{escape(report.document)}</title><style>{css}</style></head><body>"
        f"<p><a href='../{escape(quote(report.file_name), quote=True)}'>← Rapport</a> · "
        f"<a href='../index.html'>Alla rapporter</a></p><h1>{escape(report.document)}</h1>{note}"
        f"<table>{rows}</table></body></html>"
    )


# ---------------------------------------------------------------- entry point


def render_reports(warehouse_path: Path | str, out_dir: Path | str, reports_dir: Path | str | None = None) -> list[Path]:
    """Write one HTML report per document, index.html and per-document source views into out_dir.

    reports_dir holds the report files for the source views' full text (default: REPORTS_DIR);
    a document missing there gets a view of the lines the warehouse cites, so links still work.
    Returns the report pages followed by index.html.
    """
    out_dir = Path(out_dir)
    if reports_dir is None:
        from ..warehouse.settings import settings

        reports_dir = settings().reports_dir
    reports_dir = Path(reports_dir) if reports_dir is not None else None
    # read_only: BI tools may hold the published file open; a writer lock would fail or block them
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        reports = read_warehouse(con)

    # findings cite lines of any document; their tooltips come from the rows those lines hold
    source_texts: dict[tuple[str, int], str] = {}
    for report in reports:
        for row in report.observations + report.goals:
            if row.get("source_line"):
                source_texts.setdefault((row["document"], row["source_line"]), row.get("source_text") or "")
    used_names: set[str] = set()
    for report in reports:
        stem_name = f"{Path(report.document).stem}.html"
        report.file_name = stem_name if stem_name not in used_names else f"{report.document}.html"  # x.txt, x.pdf
        used_names.add(report.file_name)

    sources_dir = out_dir / "sources"
    sources_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for report in reports:
        path = out_dir / report.file_name
        path.write_text(render_document(report, source_texts), encoding="utf-8")
        written.append(path)
        cited = {line: text for (document, line), text in source_texts.items() if document == report.document}
        for finding in report.findings:
            for place in finding["sources"]:
                if place.document == report.document and place.line:
                    cited.setdefault(place.line, "")
        view = render_source_view(report, _document_lines(report.document, reports_dir), cited)
        (sources_dir / f"{report.document}.html").write_text(view, encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_index(reports), encoding="utf-8")
    written.append(index)
    log.info("wrote %d report pages to %s", len(written) - 1, out_dir)
    return written
