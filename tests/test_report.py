"""The HTML report rendered from a small warehouse built here with SQL.

The marts relations carry only the columns of the contract (kpi_observations) and of the dbt
marts (dim_document, dim_org_unit, fct_goal_assessment, consistency_findings): no series mart, so
each row is its own series on the KPI pages. Rows quote real lines of the corpus, so the source
links can be checked against the document text. The report across reports on a dbt-built
warehouse is tested in test_bi_views.py and, in a browser, in test_report_browser.py.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from dagster_project.report.labels import format_number, format_period
from dagster_project.report.render import render_reports

ROOT = Path(__file__).resolve().parents[1]
HSN = "rvb_hsn_arsrapport_2022.txt"
RNB = "rnb_regiondirektorens_rapport_2023_02.txt"
Y2022 = ("2022-01-01", "2022-12-31", "year")
DEC31 = ("2022-12-31", "2022-12-31", "point_in_time")

# (document, kpi_code, org_unit_code, org_unit_name, region, period, scenario, breakdown, value, unit, line, text)
OBSERVATIONS = [
    (
        HSN,
        "budget_deviation_mnkr",
        "24-HSN",
        "Hälso- och sjukvårdsnämnden",
        "24",
        Y2022,
        "actual",
        "total",
        -199,
        "mnkr",
        3,
        "Hälso- och sjukvårdsnämnden redovisar för året en negativ budgetavvikelse på 199 miljoner kronor",
    ),
    (
        HSN,
        "budget_deviation_mnkr",
        "24-HSN",
        "Hälso- och sjukvårdsnämnden",
        "24",
        Y2022,
        "actual",
        "total",
        -198,
        "mnkr",
        1637,
        "Hälso- och sjukvårdsnämndens verksamheter redovisar 2022 en negativ budgetavvikelse på 198 miljoner",
    ),
    (
        HSN,
        "budget_deviation_mnkr",
        "24-HSN-PV",
        "Primärvård",
        "24",
        Y2022,
        "actual",
        "total",
        -55,
        "mnkr",
        1668,
        "Den samlade negativa budgetavvikelsen för primärvården uppgår till 55 miljoner kronor.",
    ),
    (
        HSN,
        "budget_deviation_mnkr",
        "24-HSN-TV",
        "Tandvård",
        "24",
        Y2022,
        "actual",
        "total",
        -43,
        "mnkr",
        1696,
        "Tandvården redovisar underskott mot budget på 43 miljoner kronor.",
    ),
    (
        HSN,
        "budget_deviation_mnkr",
        "24-HSN-SV",
        "Sjukhusvård",
        "24",
        Y2022,
        "actual",
        "total",
        -353,
        "mnkr",
        1710,
        "Sjukhusvården redovisar en negativ budgetavvikelse på 353 miljoner kronor.",
    ),
    (
        HSN,
        "net_cost_change_pct",
        "24-HSN",
        "Hälso- och sjukvårdsnämnden",
        "24",
        Y2022,
        "actual",
        "total",
        6.7,
        "percent",
        4,
        "nettokostnadsutveckling på 6,7 procent.",
    ),
    (
        HSN,
        "care_guarantee_first_visit_pct",
        "24-aaaa0001",
        "Onkologi Nus",
        "24",
        DEC31,
        "actual",
        "total",
        99,
        "percent",
        2236,
        "Onkologi Nus 99 -1  Thoraxkirurgi Nus 84 -7",
    ),
    (
        HSN,
        "care_guarantee_first_visit_pct",
        "24-aaaa0002",
        "Geriatrik Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        96,
        "percent",
        2237,
        "Geriatrik Vb 96 -5  Neurokirurgi Nus 81 -1",
    ),
    (
        HSN,
        "care_guarantee_first_visit_pct",
        "24-aaaa0003",
        "Ortopedi Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        57,
        "percent",
        2254,
        "Ortopedi Vb 57 -5",
    ),
    (
        HSN,
        "care_guarantee_first_visit_pct",
        "24-aaaa0004",
        "Psykiatri Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        51,
        "percent",
        2255,
        "Psykiatri Vb 51 0",
    ),
    (
        HSN,
        "care_guarantee_first_visit_pct",
        "24",
        "Region Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        64,
        "percent",
        2250,
        "MEDEL VÄSTERBOTTEN 64 -8",
    ),
    (
        HSN,
        "waiting_over_90_days_first_visit_count",
        "24-aaaa0002",
        "Geriatrik Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        3,
        "count",
        2294,
        "Geriatrik Vb 3 3  Bup Vb-behandling 43 -36",
    ),
    (
        HSN,
        "waiting_over_90_days_first_visit_count",
        "24-aaaa0005",
        "Kardiologi",
        "24",
        DEC31,
        "actual",
        "total",
        58,
        "count",
        2298,
        "Kardiologi 58 6  Hand- och plastikkirurgi 337 -173",
    ),
    (
        HSN,
        "waiting_over_90_days_first_visit_count",
        "24",
        "Region Västerbotten",
        "24",
        DEC31,
        "actual",
        "total",
        5496,
        "count",
        2316,
        "TOTALT VÄSTERBOTTEN 5 496 1 721",
    ),
    (
        HSN,
        "bup_treatment_30_days_pct",
        "24-BUP",
        "Barn- och ungdomspsykiatri Västerbotten",
        "24",
        ("2022-01-01", "2022-01-31", "month"),
        "actual",
        "Vb",
        23,
        "percent",
        2367,
        "166 23% 25%",
    ),
    (
        HSN,
        "bup_treatment_30_days_pct",
        "24-BUP",
        "Barn- och ungdomspsykiatri Västerbotten",
        "24",
        ("2022-02-01", "2022-02-28", "month"),
        "actual",
        "Vb",
        21,
        "percent",
        2368,
        "136 21% 29%",
    ),
    (
        HSN,
        "bup_treatment_30_days_pct",
        "24-BUP",
        "Barn- och ungdomspsykiatri Västerbotten",
        "24",
        ("2022-03-01", "2022-03-31", "month"),
        "actual",
        "Vb",
        29,
        "percent",
        2369,
        "134 29% 32%",
    ),
    (
        RNB,
        "result_mnkr",
        "25",
        "Region Norrbotten",
        "25",
        ("2023-01-01", "2023-02-28", "year_to_date"),
        "actual",
        "total",
        133,
        "mnkr",
        48,
        "Periodens resultat uppgår till 133 mnkr vilket är 157 mnkr bättre än budget",
    ),
    (
        RNB,
        "employees_count",
        "25",
        "Region Norrbotten",
        "25",
        ("2023-02-28", "2023-02-28", "point_in_time"),
        "actual",
        "total",
        6807,
        "count",
        100,
        "Regionen har per den sista februari 6 807 anställda varav 6 339 tillsvidarean-",
    ),
]

KPI_NAMES = {
    "budget_deviation_mnkr": "Budgetavvikelse",
    "net_cost_change_pct": "Nettokostnadsutveckling",
    "care_guarantee_first_visit_pct": "Vårdgaranti förstabesök – andel väntande inom 90 dagar",
    "waiting_over_90_days_first_visit_count": "Väntande längre än 90 dagar – förstabesök",
    "bup_treatment_30_days_pct": "BUP behandling inom 30 dagar",
    "result_mnkr": "Resultat",
    "employees_count": "Antal anställda",
}

ORG_UNITS = [
    ("24", "Region Västerbotten", "region", "24"),
    ("25", "Region Norrbotten", "region", "25"),
    ("24-HSN", "Hälso- och sjukvårdsnämnden", "committee", "24"),
    ("24-HSN-PV", "Primärvård", "area", "24"),
    ("24-HSN-TV", "Tandvård", "area", "24"),
    ("24-HSN-SV", "Sjukhusvård", "area", "24"),
    ("24-BUP", "Barn- och ungdomspsykiatri Västerbotten", "unit", "24"),
]

# (document, org_unit_code, org_unit_label, goal_number, sub_goal, goal_text, status, line, text)
GOALS = [
    (
        HSN,
        "24",
        "Region Västerbotten",
        1,
        None,
        "Västerbotten har världens bästa och mest jämlika hälsa",
        "not_met",
        362,
        "Mål 1. Västerbotten har världens bästa och mest jämlika hälsa  Mål kommer inte uppfyllas",
    ),
    (
        HSN,
        "24",
        "Region Västerbotten",
        2,
        None,
        "Västerbotten är det barnvänligaste länet",
        "met",
        364,
        "Mål 2. Västerbotten är det barnvänligaste länet  Mål kommer helt uppfyllas",
    ),
    (
        HSN,
        "24",
        "Region Västerbotten",
        5,
        None,
        "Vi har en nära, tillgänglig och personcentrerad vård i hela länet",
        "partly_met",
        371,
        "Mål 5. Vi har en nära, tillgänglig och personcentrerad vård i hela länet  Mål kommer delvis uppfyllas",
    ),
]


def build_warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.dim_document (
                document_id varchar, document_name varchar, document_kind varchar, title varchar,
                region_code varchar, region_name varchar, period_start date, period_end date,
                line_count integer, is_unknown_member boolean)
            """
        )
        con.executemany(
            "insert into marts.dim_document values (?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
            [
                (
                    "hsn2022",
                    HSN,
                    "annual_report",
                    "Hälso- och sjukvårdsnämnden årsrapport 2022",
                    "24",
                    "Region Västerbotten",
                    "2022-01-01",
                    "2022-12-31",
                    2647,
                ),
                (
                    "rnb202302",
                    RNB,
                    "monthly_report",
                    "Regiondirektörens rapport februari 2023",
                    "25",
                    "Region Norrbotten",
                    "2023-01-01",
                    "2023-02-28",
                    2014,
                ),
            ],
        )
        con.execute(
            "insert into marts.dim_document (document_id, document_name, is_unknown_member) values ('-1', '(unknown document)', true)"
        )
        con.execute(
            "create table marts.dim_org_unit (org_unit_code varchar, org_unit_name varchar, level varchar, "
            "region_code varchar, is_unknown_member boolean)"
        )
        con.executemany("insert into marts.dim_org_unit values (?, ?, ?, ?, false)", ORG_UNITS)
        con.execute("insert into marts.dim_org_unit values ('-1', 'Okänd enhet', 'unknown', null, true)")
        # the BI view with exactly the contract's columns: the report must need no more than these
        con.execute(
            """
            create table marts.fct_kpi_observation (
                document varchar, kpi_code varchar, kpi_name_sv varchar, org_unit_code varchar,
                org_unit_name varchar, region_code varchar, period_start date, period_end date,
                period_type varchar, scenario varchar, breakdown varchar, value double, unit varchar,
                is_approximate boolean, source_line integer, source_text varchar, extraction_method varchar)
            """
        )
        con.executemany(
            "insert into marts.fct_kpi_observation values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?, 'test')",
            [
                (doc, kpi, KPI_NAMES[kpi], code, name, region, *period, scenario, breakdown, value, unit, line, text)
                for doc, kpi, code, name, region, period, scenario, breakdown, value, unit, line, text in OBSERVATIONS
            ],
        )
        con.execute("create view marts.kpi_observations as select * from marts.fct_kpi_observation")
        con.execute(
            """
            create table marts.fct_goal_assessment (
                goal_assessment_id varchar, document_id varchar, org_unit_code varchar, document_name varchar,
                org_unit_label varchar, goal_number integer, sub_goal varchar, goal_text varchar, status varchar,
                scenario varchar, period_end date, source_line integer, source_text varchar, extraction_method varchar)
            """
        )
        con.executemany(
            "insert into marts.fct_goal_assessment values "
            "(md5(?::varchar), 'hsn2022', ?, ?, ?, ?, ?, ?, ?, 'forecast', '2022-12-31', ?, ?, 'test')",
            [(g[7], g[1], g[0], g[2], g[3], g[4], g[5], g[6], g[7], g[8]) for g in GOALS],
        )
        # source_lines is readable text in the quality models: lines with roles, ranges, 'doc:line'
        con.execute(
            """
            create table marts.consistency_findings (
                rule_instance_id varchar, rule varchar, severity varchar, document varchar, documents varchar,
                source_lines varchar, kpi_code varchar, inputs varchar, expected double, actual double,
                difference double, message_sv varchar, message_en varchar)
            """
        )
        con.execute(
            """
            insert into marts.consistency_findings values
            ('f1', 'same_fact_same_value', 'warn', 'rvb_hsn_arsrapport_2022.txt', 'rvb_hsn_arsrapport_2022.txt',
             '3, 1637', 'budget_deviation_mnkr', 'rad 3 = -199; rad 1637 = -198', -199, -198, 1,
             'Budgetavvikelsen anges som -199 och -198 mnkr', 'Budget deviation stated as -199 and -198 mnkr'),
            ('f2', 'table_total_equals_sum_of_rows', 'warn', 'rvb_hsn_arsrapport_2022.txt', 'rvb_hsn_arsrapport_2022.txt',
             '2316 (total); 2294–2298 (2 rows)', 'waiting_over_90_days_first_visit_count', 'total 5496; rows 61',
             5496, 61, -5435, 'Totalen 5 496 är inte summan av raderna', 'Total 5,496 is not the sum of the rows'),
            ('f3', 'stated_count_equals_rated_goals', 'error', 'rnb_regiondirektorens_rapport_2023_02.txt',
             'rnb_regiondirektorens_rapport_2023_02.txt', '48 (text)', null, 'stated 3; rated 4', 3, 4, 1,
             'Texten anger 3 ej uppfyllda mål, tabellen 4', 'Text says 3 unmet goals, table rates 4')
            """
        )


class _Page(HTMLParser):
    """Collects ids, links (href, title, text, class), svg marks and axis labels, status badges."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[dict] = []
        self.charts: dict[str, int] = {}
        self.axis_labels: dict[str, list[str]] = {}
        self.statuses: list[str] = []
        self.text: list[str] = []
        self._link: dict | None = None
        self._chart: str | None = None
        self._axis = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a":
            self._link = {
                "href": attributes.get("href"),
                "title": attributes.get("title"),
                "text": "",
                "class": attributes.get("class"),
                "in_chart": self._chart,
            }
            self.links.append(self._link)
        if tag == "svg":
            self._chart = attributes.get("data-chart")
            self.charts[self._chart] = 0
            self.axis_labels[self._chart] = []
        if self._chart and tag in ("rect", "circle") and "mark" in (attributes.get("class") or ""):
            self.charts[self._chart] += 1
        self._axis = bool(self._chart) and tag == "text" and attributes.get("class") == "axis-label"
        if tag == "span" and "data-status" in attributes:
            self.statuses.append(attributes["data-status"])

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        if tag == "svg":
            self._chart = None
        self._axis = False

    def handle_data(self, data):
        self.text.append(data)
        if self._link is not None:
            self._link["text"] += data
        if self._axis:
            self.axis_labels[self._chart].append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    warehouse = base / "warehouse.duckdb"
    build_warehouse(warehouse)
    reports_dir = base / "reports"
    reports_dir.mkdir()
    # only one document's text is at hand: the other gets a view of the lines the warehouse cites
    shutil.copy(ROOT / "seeds" / "reports" / HSN, reports_dir / HSN)
    out = base / "site"
    written = render_reports(warehouse, out, reports_dir=reports_dir)
    return out, written


def test_pages_per_report_per_kpi_findings_and_an_index(rendered):
    out, written = rendered
    names = [p.relative_to(out).as_posix() for p in written]
    assert names[:2] == ["rvb_hsn_arsrapport_2022.html", "rnb_regiondirektorens_rapport_2023_02.html"]
    assert names[-2:] == ["findings.html", "index.html"]
    assert sorted(n for n in names if n.startswith("kpi/")) == sorted(f"kpi/{kpi}.html" for kpi in KPI_NAMES)
    index = parse(out / "index.html")
    hrefs = {link["href"] for link in index.links}
    assert {
        "rvb_hsn_arsrapport_2022.html",
        "rnb_regiondirektorens_rapport_2023_02.html",
        "findings.html",
        "kpi/budget_deviation_mnkr.html",
    } <= hrefs
    text = "".join(index.text)
    assert "Region Västerbotten" in text and "Region Norrbotten" in text
    assert "Årsrapport" in text and "Månadsrapport" in text and "annual_report" not in text


def test_page_has_every_section(rendered):
    out, _ = rendered
    page = parse(out / "rvb_hsn_arsrapport_2022.html")
    assert {
        "headline",
        "budget-deviation",
        "care-guarantee",
        "waiting",
        "time-series",
        "goals",
        "findings",
        "observations",
    } <= page.ids


def test_numbers_link_to_their_document_line_with_source_text(rendered):
    out, _ = rendered
    page = parse(out / "rvb_hsn_arsrapport_2022.html")
    source_links = {link["text"]: link for link in page.links if link["class"] == "src"}
    link = source_links["rvb_hsn_arsrapport_2022.txt:2316"]
    assert link["href"] == "sources/rvb_hsn_arsrapport_2022.txt.html#L2316"
    assert link["title"] == "TOTALT VÄSTERBOTTEN 5 496 1 721"
    numbers = [link for link in page.links if link["class"] == "num"]
    net_cost = next(n for n in numbers if n["href"].endswith("#L4"))
    assert net_cost["text"] == "6,7 %"
    deviation = next(n for n in numbers if n["href"].endswith("#L1710"))
    assert deviation["text"] == "-353 mnkr"
    assert "353 miljoner kronor" in deviation["title"]
    # every extracted value of the document is shown as a linked number
    hsn_rows = [o for o in OBSERVATIONS if o[0] == HSN]
    assert {f"#L{o[10]}" for o in hsn_rows} <= {n["href"].split(".html")[1] for n in numbers}


def test_source_view_anchors_the_cited_line(rendered):
    out, _ = rendered
    view = parse(out / "sources" / "rvb_hsn_arsrapport_2022.txt.html")
    assert {"L1", "L2316", "L2647"} <= view.ids  # the whole document, line numbers as extraction counts them
    text = (out / "sources" / "rvb_hsn_arsrapport_2022.txt.html").read_text(encoding="utf-8")
    assert 'id="L2316"' in text and "TOTALT VÄSTERBOTTEN 5 496 1 721" in text
    # without the file, the view still holds every line the warehouse cites
    fallback = parse(out / "sources" / "rnb_regiondirektorens_rapport_2023_02.txt.html")
    assert {"L48", "L100"} <= fallback.ids


def test_headline_shows_organisation_level_values_only(rendered):
    out, _ = rendered
    headline = section((out / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8"), "headline")
    assert "Hälso- och sjukvårdsnämnden" in headline and "#L4" in headline
    assert "Onkologi Nus" not in headline  # clinics are charted, not headlined
    assert 'href="kpi/net_cost_change_pct.html"' in headline  # each KPI opens its page across reports
    rnb_headline = section((out / "rnb_regiondirektorens_rapport_2023_02.html").read_text(encoding="utf-8"), "headline")
    assert format_number(6807, "count") in rnb_headline and "133 mnkr" in rnb_headline


def test_charts_are_non_empty_name_their_unit_and_link_marks_to_sources(rendered):
    out, _ = rendered
    page = parse(out / "rvb_hsn_arsrapport_2022.html")
    deviation = "deviation-by-area-actual-year-2022-12-31"
    # areas and the committee (stated twice: both bars kept); not the region
    assert page.charts[deviation] == 5
    assert "mnkr" in " ".join(page.axis_labels[deviation])
    care = "care-guarantee-care_guarantee_first_visit_pct-actual-point_in_time-2022-12-31"
    assert page.charts[care] == 4  # four clinics; the region's 64 % is the rule, not a bar
    assert page.axis_labels[care] == ["procent"]
    waiting = "waiting-waiting_over_90_days_first_visit_count-actual-point_in_time-2022-12-31"
    assert page.charts[waiting] == 2 and page.axis_labels[waiting] == ["antal"]
    series = "series-bup_treatment_30_days_pct-month"
    assert page.charts[series] == 3 and page.axis_labels[series] == ["procent", "periodens slut"]
    chart_links = [link for link in page.links if link["in_chart"]]
    assert chart_links and all(
        link["href"].startswith("sources/rvb_hsn_arsrapport_2022.txt.html#L") for link in chart_links
    )
    html = (out / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8")
    care_svg = html.split("data-chart='care-guarantee-care_guarantee_first_visit_pct")[1].split("</svg>")[0]
    assert "class='rule'" in care_svg and "Region Västerbotten: 64 %" in care_svg
    # clinics sorted by share, highest first
    assert (
        care_svg.index("Onkologi Nus")
        < care_svg.index("Geriatrik")
        < care_svg.index("Ortopedi")
        < care_svg.index("Psykiatri")
    )


def test_every_chart_names_its_unit(rendered):
    _, written = rendered
    for path in written:
        page = parse(path)
        for chart, labels in page.axis_labels.items():
            assert labels and all(label.strip() for label in labels), (path.name, chart)


def test_kpi_page_shows_each_organisation_over_time(rendered):
    out, _ = rendered
    page = parse(out / "kpi" / "bup_treatment_30_days_pct.html")
    [trend] = [chart for chart in page.charts if chart.startswith("trend-")]
    assert page.charts[trend] == 3 and page.axis_labels[trend] == ["procent", "periodens slut"]
    links = [link for link in page.links if link["class"] == "num"]
    assert {link["href"] for link in links} == {
        f"../sources/rvb_hsn_arsrapport_2022.txt.html#L{line}" for line in (2367, 2368, 2369)
    }
    care = parse(out / "kpi" / "care_guarantee_first_visit_pct.html")
    [compare] = [chart for chart in care.charts if chart.startswith("compare-")]
    assert care.charts[compare] == 5  # four clinics and the region, side by side in the latest period
    assert care.axis_labels[compare] == ["procent"]


def test_goal_ratings_carry_status_colours(rendered):
    out, _ = rendered
    page = parse(out / "rvb_hsn_arsrapport_2022.html")
    goals = section((out / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8"), "goals")
    assert {"met", "partly_met", "not_met"} <= set(page.statuses)
    assert "background:#c62828" in goals and "background:#2e7d32" in goals and "background:#f9a825" in goals
    assert "Delvis uppfyllt" in goals and "Prognos" in goals
    assert "rvb_hsn_arsrapport_2022.txt:371" in goals


def test_findings_page_lists_every_finding_with_its_lines_in_swedish(rendered):
    out, _ = rendered
    page = parse(out / "findings.html")
    links = {link["text"]: link["href"] for link in page.links if link["class"] == "src"}
    assert links["rvb_hsn_arsrapport_2022.txt:1637"] == "sources/rvb_hsn_arsrapport_2022.txt.html#L1637"
    # a line's role and a range of rows stay readable; the link opens the first line
    assert links["rvb_hsn_arsrapport_2022.txt:2316 (total)"].endswith("#L2316")
    assert links["rvb_hsn_arsrapport_2022.txt:2294–2298 (2 rows)"].endswith("#L2294")
    text = "".join(page.text)
    assert "Samma uppgift anges med samma värde" in text and "same_fact_same_value" not in text
    assert "Varning" in text and "Fel" in text and "warn" not in text.split()
    assert "Budget deviation stated" not in text  # the English message stays in the warehouse


def test_a_report_page_lists_its_own_findings_only(rendered):
    out, _ = rendered
    findings = section((out / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8"), "findings")
    assert "Budgetavvikelsen anges som -199 och -198 mnkr" in findings
    assert "Texten anger 3 ej uppfyllda mål" not in findings
    rnb = (out / "rnb_regiondirektorens_rapport_2023_02.html").read_text(encoding="utf-8")
    assert "Texten anger 3 ej uppfyllda mål" in section(rnb, "findings")


def test_pages_load_nothing_from_the_network(rendered):
    out, _ = rendered
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", ""), path
        assert "https://" not in html and "<script" not in html, path
        # the one stylesheet ships with the site
        for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
            assert (path.parent / href).resolve().is_file(), (path, href)


def test_text_from_the_warehouse_is_escaped(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build_warehouse(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_kpi_observation set source_text = '<script>alert(1)</script>' where source_line = 4"
        )
    render_reports(warehouse, tmp_path / "site", reports_dir=tmp_path)
    html = (tmp_path / "site" / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_refresh_renders_only_the_pages_whose_inputs_changed(tmp_path):
    """A monthly refresh adds one report to hundreds: the pages of unchanged reports are not
    rendered again, a changed report's page is, and the page of a report that left goes."""
    warehouse, site = tmp_path / "w.duckdb", tmp_path / "site"
    build_warehouse(warehouse)
    render_reports(warehouse, site, reports_dir=tmp_path)
    hsn_page, rnb_page = site / "rvb_hsn_arsrapport_2022.html", site / "rnb_regiondirektorens_rapport_2023_02.html"
    for page in (hsn_page, rnb_page):
        page.write_text("rendered before", encoding="utf-8")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.fct_kpi_observation set source_text = 'ändrad rad' where document = ?", [RNB])
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert hsn_page.read_text(encoding="utf-8") == "rendered before"  # its inputs are the same
    assert "ändrad rad" in rnb_page.read_text(encoding="utf-8")

    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.fct_kpi_observation where document = ?", [RNB])
        con.execute("delete from marts.fct_goal_assessment where document_name = ?", [RNB])
        con.execute("delete from marts.consistency_findings")
        con.execute("delete from marts.dim_document where document_name = ?", [RNB])
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert not rnb_page.exists() and not (site / "sources" / f"{RNB}.html").exists()
    assert hsn_page.exists()


@pytest.fixture
def calls(monkeypatch):
    """The documents whose rows were read (load_rows) and whose page and source view were rendered."""
    from dagster_project.report import pages, queries

    seen: dict[str, list[str]] = {"rows": [], "page": [], "view": []}

    def recording(name, function, document_of):
        def wrapper(*args, **kwargs):
            seen[name].append(document_of(*args))
            return function(*args, **kwargs)

        return wrapper

    load_rows = queries.WarehouseReader.load_rows
    monkeypatch.setattr(queries.WarehouseReader, "load_rows", recording("rows", load_rows, lambda _, r: r.document))
    monkeypatch.setattr(pages, "render_document", recording("page", pages.render_document, lambda r, *_: r.document))
    view = pages.render_source_view
    monkeypatch.setattr(pages, "render_source_view", recording("view", view, lambda r, *_: r.document))
    return seen


def index_counts(site: Path) -> dict[str, tuple[str, str]]:
    """page file -> (values, goal ratings) as the index's table of reports shows them."""
    html = (site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<a href="([^"]+\.html)">.*?</a></td><td>.*?</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', html
    )
    return {page: (values, goals) for page, values, goals in rows}


def test_an_unchanged_refresh_reads_no_rows_and_renders_no_report_page(tmp_path, calls):
    """Each document's rows stand in its pages' inputs by a digest computed in SQL: a refresh
    that changes nothing reads no document's rows, and the index still counts them."""
    warehouse, site = tmp_path / "w.duckdb", tmp_path / "site"
    build_warehouse(warehouse)
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert sorted(calls["rows"]) == sorted(calls["page"]) == sorted(calls["view"]) == sorted([HSN, RNB])
    expected = {
        "rvb_hsn_arsrapport_2022.html": (str(sum(o[0] == HSN for o in OBSERVATIONS)), str(len(GOALS))),
        "rnb_regiondirektorens_rapport_2023_02.html": (str(sum(o[0] == RNB for o in OBSERVATIONS)), "0"),
    }
    assert index_counts(site) == expected
    for seen in calls.values():
        seen.clear()
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert calls == {"rows": [], "page": [], "view": []}
    assert index_counts(site) == expected


def test_a_changed_row_renders_its_own_pages_only(tmp_path, calls):
    """A changed value renders its document's page; a changed quoted text its page and its source
    view (which quotes it); the other document is not read. A finding citing the line shows the new
    text on findings.html."""
    warehouse, site = tmp_path / "w.duckdb", tmp_path / "site"
    build_warehouse(warehouse)
    render_reports(warehouse, site, reports_dir=tmp_path)

    def refresh(update: str) -> dict[str, list[str]]:
        with duckdb.connect(str(warehouse)) as con:
            con.execute(update)
        for seen in calls.values():
            seen.clear()
        render_reports(warehouse, site, reports_dir=tmp_path)
        return {name: sorted(seen) for name, seen in calls.items()}

    assert refresh("update marts.fct_kpi_observation set value = -200 where source_line = 3") == {
        "rows": [HSN],
        "page": [HSN],
        "view": [],  # the view shows lines, not values
    }
    assert "-200 mnkr" in (site / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8")
    assert refresh("update marts.fct_kpi_observation set source_text = 'Ny text på rad 3' where source_line = 3") == {
        "rows": [HSN],
        "page": [HSN],
        "view": [HSN],
    }
    findings = parse(site / "findings.html")
    cited = {link["text"]: link["title"] for link in findings.links if link["class"] == "src"}
    assert cited["rvb_hsn_arsrapport_2022.txt:3"] == "Ny text på rad 3"
    assert cited["rvb_hsn_arsrapport_2022.txt:1637"].startswith("Hälso- och sjukvårdsnämndens verksamheter")
    # a goal's text, of the other mart
    assert refresh("update marts.fct_goal_assessment set status = 'met' where source_line = 362") == {
        "rows": [HSN],
        "page": [HSN],
        "view": [],
    }
    assert refresh("select 1") == {"rows": [], "page": [], "view": []}


def test_what_the_rows_take_from_dim_org_unit_renders_their_pages(tmp_path, calls):
    """A goal's organisation name and (without the view's org_unit_level) a row's level come from
    dim_org_unit after the rows are read: a change there renders the pages that use it, only."""
    warehouse, site = tmp_path / "w.duckdb", tmp_path / "site"
    build_warehouse(warehouse)
    render_reports(warehouse, site, reports_dir=tmp_path)
    for update, document in (
        ("update marts.dim_org_unit set org_unit_name = 'Region V' where org_unit_code = '24'", HSN),
        ("update marts.dim_org_unit set level = 'committee' where org_unit_code = '25'", RNB),
    ):
        with duckdb.connect(str(warehouse)) as con:
            con.execute(update)
        calls["page"].clear()
        render_reports(warehouse, site, reports_dir=tmp_path)
        assert calls["page"] == [document], update
    assert "Region V" in section((site / "rvb_hsn_arsrapport_2022.html").read_text(encoding="utf-8"), "goals")


def test_a_warehouse_of_the_bi_view_and_findings_only_refreshes_without_reading_rows(tmp_path, calls):
    """The sample warehouse (cli example) has no dims, goals or series: the digests need none."""
    warehouse, site = tmp_path / "w.duckdb", tmp_path / "site"
    build_warehouse(warehouse)
    with duckdb.connect(str(warehouse)) as con:
        for table in ("dim_document", "dim_org_unit", "fct_goal_assessment"):
            con.execute(f"drop table marts.{table}")
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert sorted(calls["page"]) == sorted([HSN, RNB])
    assert index_counts(site)["rvb_hsn_arsrapport_2022.html"] == (str(sum(o[0] == HSN for o in OBSERVATIONS)), "0")
    for seen in calls.values():
        seen.clear()
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert calls == {"rows": [], "page": [], "view": []}
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_kpi_observation set source_text = 'Ny' where document = ? and source_line = 48", [RNB]
        )
    render_reports(warehouse, site, reports_dir=tmp_path)
    assert calls == {"rows": [RNB], "page": [RNB], "view": [RNB]}


def test_warehouse_is_opened_read_only(rendered, tmp_path):
    warehouse = tmp_path / "locked.duckdb"
    build_warehouse(warehouse)
    # a reader holding the file read-only (a BI tool) does not stop the report
    with duckdb.connect(str(warehouse), read_only=True):
        written = render_reports(warehouse, tmp_path / "site", reports_dir=tmp_path)
    assert written[-1].name == "index.html"


def test_format_number_and_period_are_swedish():
    assert format_number(6807, "count") == "6\u00a0807"
    assert format_number(-198.5, "mnkr") == "-198,5 mnkr"
    assert format_number(6.7, "percent", approximate=True) == "ca 6,7 %"
    assert format_period(date(2022, 1, 1), date(2022, 12, 31), "year") == "2022"
    assert format_period(date(2023, 1, 1), date(2023, 4, 30), "year_to_date") == "jan–apr 2023"
    assert format_period(date(2023, 2, 1), date(2023, 2, 28), "month") == "feb 2023"
    assert format_period(date(2022, 12, 31), date(2022, 12, 31), "point_in_time") == "31 dec 2022"
    assert format_period(date(2022, 5, 1), date(2023, 4, 30), "rolling_12_months") == "maj 2022–apr 2023"


def test_finding_sources_parse_the_readable_line_list():
    from dagster_project.report.queries import finding_sources

    several = finding_sources({"document": "a.txt", "documents": "a.txt, b.txt", "source_lines": "a.txt:3, b.txt:1637"})
    assert [(c.document, c.line) for c in several] == [("a.txt", 3), ("b.txt", 1637)]
    roles = finding_sources({"document": "a.txt", "documents": "a.txt", "source_lines": "131 (text); 140–150 (3 rows)"})
    assert [(c.line, c.label) for c in roles] == [(131, "a.txt:131 (text)"), (140, "a.txt:140–150 (3 rows)")]
    assert [c.line for c in finding_sources({"document": "a.txt", "source_lines": "394, 394, 1040"})] == [394, 1040]
    # no line at all: the finding still names its document
    assert [(c.document, c.line) for c in finding_sources({"document": "a.txt", "source_lines": None})] == [
        ("a.txt", None)
    ]


def test_labels_are_the_seed_the_swedish_relations_read():
    from dagster_project.report.labels import LABELS_CSV, load_labels

    labels = load_labels()
    assert LABELS_CSV == ROOT / "seeds" / "swedish_labels.csv"
    assert labels.get("scenario", "target") == "målvärde"  # the same word in the report and in BI
    assert labels.capitalised("document_kind", "annual_report") == "Årsrapport"
    assert labels.get("rule", "not_a_rule") == "not_a_rule"  # an unknown code shows as itself


def test_a_change_to_the_swedish_labels_renders_every_page_again(monkeypatch, tmp_path):
    """The labels the pages print come from a seed, not from the report's code: the code digest
    covers them, or a relabelled page would stay as it was."""
    from dagster_project.report import writing

    before = writing.report_code_digest()
    labels = tmp_path / "swedish_labels.csv"
    labels.write_text(writing.LABELS_CSV.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(writing, "LABELS_CSV", labels)
    assert writing.report_code_digest() != before
