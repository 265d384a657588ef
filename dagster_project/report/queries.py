"""What the report shows, read from the published warehouse over a read-only connection.

Everything but marts.kpi_observations is optional: the small sample warehouse (cli example)
carries only the BI view, the findings and the check results. marts.consistency_findings is read
by its columns' names and nothing more (its rules change elsewhere); each finding's cited lines
are parsed from its readable source_lines text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import duckdb


@dataclass(frozen=True)
class CitedLine:
    document: str
    line: int | None
    label: str


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
    sha256: str | None = None  # of the version the warehouse holds
    observations: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    file_name: str = ""  # the report page, set when pages are named
    # for the index, counted in SQL (WarehouseReader.outline) so its rows need not be read
    observation_count: int = 0
    goal_count: int = 0
    # digests of its rows as load_rows reads them ('observations', 'goals') and of the texts its
    # rows quote per line ('quoted'), computed in SQL: a page's cache inputs without its rows
    row_digests: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Warehouse:
    documents: list[DocumentReport]
    series: list[dict]  # one preferred value per series (marts.kpi_series), with 'others'
    findings: list[dict]  # marts.consistency_findings, each with 'sources' and 'anchor'


def _rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: list | None = None) -> list[dict]:
    cursor = con.execute(sql, parameters or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def marts_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
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


def finding_sources(finding: dict) -> list[CitedLine]:
    """The document lines a finding cites, parsed from its source_lines text."""
    documents = [d.strip() for d in str(finding.get("documents") or "").split(",") if d.strip()]
    default = finding.get("document") or (documents[0] if documents else None)
    cited: list[CitedLine] = []
    seen: set[tuple[str, int]] = set()
    for match in _SOURCE_PART.finditer(str(finding.get("source_lines") or "")):
        document = match["document"] or default
        if not document:
            continue
        key = (document, int(match["first"]))
        if key in seen:
            continue  # '394, 394': one value stated twice on a line needs one link
        seen.add(key)
        label = f"{document}:{match['first']}" + (f"–{match['last']}" if match["last"] else "")
        label += f" ({match['role']})" if match["role"] else ""
        cited.append(CitedLine(document, int(match["first"]), label))
    cited_documents = {c.document for c in cited}
    cited += [CitedLine(d, None, d) for d in dict.fromkeys([*documents, default]) if d and d not in cited_documents]
    return cited


# Each mart's unique key, the last sort key of its rows: rows tied on the others must come in the
# same order every time, or a page's digest (writing.PageCache) changes with no change in its rows
# and the page is rendered again.
_UNIQUE_KEYS = {"kpi_observations": "kpi_observation_id", "fct_goal_assessment": "goal_assessment_id"}


def _tie_break(columns: dict[str, set[str]], table: str) -> str:
    key = _UNIQUE_KEYS[table]
    return f", {key}" if key in columns.get(table, set()) else ""


def _column(columns: dict[str, set[str]], table: str, alias: str, name: str, absent: str = "null") -> str:
    """A column of a mart, or `absent` when the mart lacks it (as row.get reads it in Python)."""
    return f"{alias}.{name}" if name in columns.get(table, set()) else absent


def _documents(con, columns) -> dict[str, DocumentReport]:
    reports: dict[str, DocumentReport] = {}
    if "dim_document" not in columns:
        return reports
    for row in _rows(con, "select * from marts.dim_document"):
        if row.get("is_unknown_member"):
            continue
        reports[row["document_name"]] = DocumentReport(
            document=row["document_name"],
            title=row.get("title") or row["document_name"],
            region_code=row.get("region_code"),
            region_name=row.get("region_name"),
            kind=row.get("document_kind"),
            period_start=row.get("period_start"),
            period_end=row.get("period_end"),
            loaded_at=row.get("loaded_at"),
            sha256=row.get("document_sha256"),
        )
    return reports


def _series(con, columns, observations: dict[str, dict]) -> list[dict]:
    if "kpi_series" in columns:
        rows = _rows(con, "select * from marts.kpi_series order by kpi_code, period_end, org_unit_name, kpi_series_id")
    else:
        # a warehouse without the series mart: each preferred row (or each row) is its own series
        preferred = "where is_preferred" if "is_preferred" in columns["kpi_observations"] else ""
        rows = _rows(
            con,
            f"select * from marts.kpi_observations {preferred} "
            f"order by kpi_code, period_end, org_unit_name{_tie_break(columns, 'kpi_observations')}",
        )
        for row in rows:
            row.setdefault("statement_count", 1)
            row.setdefault("kpi_observation_ids", [row.get("kpi_observation_id")])
    for row in rows:
        chosen = row.get("kpi_observation_id")
        row["others"] = [
            observations[i] for i in row.get("kpi_observation_ids") or [] if i != chosen and i in observations
        ]
    return rows


class WarehouseReader:
    """What the report shows, read a part at a time: the documents and findings first (outline,
    with each document's row counts and row digests), then one document's rows (load_rows) when
    its pages are rendered and one KPI's series (kpi_series), so the report's memory does not grow
    with the number of documents (reading every row at once took 770 MB at 2 000 documents)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.columns = marts_columns(con)
        if "kpi_observations" not in self.columns:
            raise ValueError("the warehouse has no marts.kpi_observations (the BI view); build it first")
        self.levels: dict[str, str] = {}
        self.unit_names: dict[str, str] = {}
        self.has_units = {"org_unit_code", "level"} <= self.columns.get("dim_org_unit", set())
        if self.has_units:
            for row in _rows(con, "select * from marts.dim_org_unit where not is_unknown_member"):
                self.levels[row["org_unit_code"]] = row["level"]
                self.unit_names[row["org_unit_code"]] = row.get("org_unit_name")
        self._all_series: dict[str, list[dict]] | None = None

    def _observations(self, where: str = "", parameters: list | None = None) -> list[dict]:
        order = f"order by document, source_line, kpi_code{_tie_break(self.columns, 'kpi_observations')}"
        rows = _rows(self.con, f"select * from marts.kpi_observations {where} {order}", parameters)
        for row in rows:
            if "org_unit_level" not in row:
                row["org_unit_level"] = self.levels.get(row.get("org_unit_code"))
        return rows

    def _goals(self, where: str = "", parameters: list | None = None) -> list[dict]:
        if "fct_goal_assessment" not in self.columns:
            return []
        order = f"order by source_line{_tie_break(self.columns, 'fct_goal_assessment')}"
        rows = _rows(self.con, f"select * from marts.fct_goal_assessment {where} {order}", parameters)
        for row in rows:
            row["document"] = row["document_name"]
            # the canonical name when the unit resolved, else the label as written
            row["org_unit_name"] = self.unit_names.get(row.get("org_unit_code") or "") or row.get("org_unit_label")
        return rows

    def outline(self) -> Warehouse:
        """The documents (without their rows) and the findings; series are read per KPI."""
        reports = _documents(self.con, self.columns)
        observed = self.columns["kpi_observations"]
        region = [c if c in observed else f"null as {c}" for c in ("region_code", "region_name")]
        # a document the rows name but dim_document lacks: its region from its first row
        first_rows = (
            f"select distinct on (document) document, {', '.join(region)} from marts.kpi_observations "
            f"order by document, source_line, kpi_code{_tie_break(self.columns, 'kpi_observations')}"
        )
        for row in _rows(self.con, first_rows):
            if row["document"] not in reports:
                reports[row["document"]] = DocumentReport(
                    row["document"], row["document"], row["region_code"], row["region_name"], None, None, None
                )
        if "fct_goal_assessment" in self.columns:
            for (document,) in self.con.execute(
                "select distinct document_name from marts.fct_goal_assessment order by 1"
            ).fetchall():
                reports.setdefault(document, DocumentReport(document, document, None, None, None, None, None))
        findings = []
        if "consistency_findings" in self.columns:
            for index, finding in enumerate(_rows(self.con, "select * from marts.consistency_findings order by all")):
                finding["sources"] = finding_sources(finding)
                finding["anchor"] = f"f-{str(finding.get('rule_instance_id') or index)[:16]}"
                findings.append(finding)
                for document in dict.fromkeys(c.document for c in finding["sources"]):
                    reports.setdefault(document, DocumentReport(document, document, None, None, None, None, None))
                    reports[document].findings.append(finding)
        self._count_and_digest(reports)
        documents = sorted(reports.values(), key=lambda r: (r.region_code or "", r.period_end or date.min, r.document))
        return Warehouse(documents=documents, series=[], findings=findings)

    def _units_lookup(self, value: str) -> str:
        """A CTE of dim_org_unit's `value` per code, as load_rows adds it in Python (every value of a
        code, sorted: the dim's key should be unique, and a second row must still change the digest)."""
        return (
            f"units as (select org_unit_code, list({value} order by {value}) as unit_values "
            "from marts.dim_org_unit where not is_unknown_member group by org_unit_code)"
        )

    def _digest_query(self, table: str) -> str:
        """Per document: its row count and a digest of its rows exactly as load_rows reads them
        (every column, as JSON: unambiguous, nulls apart from text, doubles round-trip) plus what
        load_rows adds from dim_org_unit: the sum of the rows' 64-bit hashes. A sum does not depend
        on the order, which load_rows' total order fixes for a given set of rows; an ordered
        aggregate (string_agg ... order by) keeps a sort per document that DuckDB cannot spill, and
        ran out of memory at the 256MB ceiling on 2 000 documents."""
        if table == "kpi_observations":
            document = "document"
            # org_unit_level comes from the dim only when the view lacks it (see _observations)
            lookup = "level" if self.has_units and "org_unit_level" not in self.columns[table] else None
            unit_code = _column(self.columns, table, "t", "org_unit_code")
        else:
            document = "document_name"
            # the goal's org_unit_name is the dim's name of its code (see _goals)
            named = self.has_units and "org_unit_name" in self.columns["dim_org_unit"]
            lookup = "org_unit_name" if named else None
            unit_code = f"coalesce({_column(self.columns, table, 't', 'org_unit_code')}, '')"
        row_text = "to_json(t)" if lookup is None else "concat(to_json(t), chr(10), to_json(units.unit_values))"
        join = f"left join units on units.org_unit_code = {unit_code}" if lookup is not None else ""
        return (
            ("with " + self._units_lookup(lookup) + " " if lookup is not None else "")
            + f"select t.{document} as document, count(*) as row_count, sum(hash({row_text}))::varchar as digest "
            f"from marts.{table} t {join} where t.{document} is not null group by t.{document}"
        )

    def _quoted_lines(self, only_cited: bool = False) -> str:
        """The text writing.document_texts takes for each line of a document: the first row's that
        quotes the line, observations (in load_rows' order) before goals. only_cited: the lines of
        a CTE `cited` (document, source_line) only."""

        def cited(alias: str, document: str) -> str:
            if not only_cited:
                return ""
            return (
                " and exists (select 1 from cited c "
                f"where c.document = {alias}.{document} and c.source_line = {alias}.source_line)"
            )

        observation_key = _column(self.columns, "kpi_observations", "o", _UNIQUE_KEYS["kpi_observations"])
        goal_key = _column(self.columns, "fct_goal_assessment", "g", _UNIQUE_KEYS["fct_goal_assessment"])
        goal_text = _column(self.columns, "fct_goal_assessment", "g", "source_text")
        # source_line <> 0: document_texts skips rows without a line (None or 0)
        observations = (
            "select document, source_line, coalesce(source_text, '') as text, 0 as part, kpi_code as k1, "
            f"{observation_key}::varchar as k2 from marts.kpi_observations o "
            f"where source_line <> 0{cited('o', 'document')}"
        )
        goals = (
            f"select document_name, source_line, coalesce({goal_text}, ''), 1, null, {goal_key}::varchar "
            f"from marts.fct_goal_assessment g where source_line <> 0{cited('g', 'document_name')}"
        )
        quoted = observations + (f" union all {goals}" if "fct_goal_assessment" in self.columns else "")
        return (
            f"quoted as (select document, source_line, text from ({quoted}) "
            "qualify row_number() over (partition by document, source_line order by part, k1, k2, text) = 1)"
        )

    def _count_and_digest(self, reports: dict[str, DocumentReport]) -> None:
        """Each document's row counts and row digests, one grouped query per mart and one for its
        quoted lines: a refresh that changes one document reads no rows of the others (reading
        every row to hash it in Python was 2.8 s of 4 at 500 documents, and grew with them)."""
        for document, count, digest in self.con.execute(self._digest_query("kpi_observations")).fetchall():
            if document in reports:
                reports[document].observation_count = count
                reports[document].row_digests["observations"] = digest
        if "fct_goal_assessment" in self.columns:
            for document, count, digest in self.con.execute(self._digest_query("fct_goal_assessment")).fetchall():
                if document in reports:
                    reports[document].goal_count = count
                    reports[document].row_digests["goals"] = digest
        quoted = (
            f"with {self._quoted_lines()} select document, "
            "sum(hash(to_json([source_line::varchar, text])))::varchar "
            "from quoted group by document"
        )
        for document, digest in self.con.execute(quoted).fetchall():
            if document in reports:
                reports[document].row_digests["quoted"] = digest

    def quoted_texts(self, lines: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """(document, line) -> the text the document's rows quote from that line, for the given
        lines only (the ones findings cite), as writing.document_texts would take it."""
        if not lines:
            return {}
        documents, numbers = [d for d, _ in lines], [n for _, n in lines]
        rows = self.con.execute(
            "with cited as (select unnest(?::varchar[]) as document, unnest(?::integer[]) as source_line), "
            f"{self._quoted_lines(only_cited=True)} select document, source_line, text from quoted",
            [documents, numbers],
        ).fetchall()
        return {(document, line): text for document, line, text in rows}

    def load_rows(self, report: DocumentReport) -> DocumentReport:
        """Read one document's KPI rows and goal ratings into its report."""
        report.observations = self._observations("where document = ?", [report.document])
        report.goals = self._goals("where document_name = ?", [report.document])
        report.observation_count, report.goal_count = len(report.observations), len(report.goals)
        return report

    def kpi_codes(self) -> list[str]:
        """The KPIs with a trend page: a series with a period end."""
        if "kpi_series" not in self.columns:
            return sorted(self._series_without_mart())
        return [
            row[0]
            for row in self.con.execute(
                "select distinct kpi_code from marts.kpi_series where period_end is not null order by 1"
            ).fetchall()
        ]

    def kpi_series(self, kpi_code: str) -> list[dict]:
        """One KPI's series rows with a period end, each with 'others': its series' other rows."""
        if "kpi_series" not in self.columns:
            return self._series_without_mart()[kpi_code]
        rows = _rows(
            self.con,
            "select * from marts.kpi_series where kpi_code = ? and period_end is not null "
            "order by period_end, org_unit_name, kpi_series_id",
            [kpi_code],
        )
        wanted = sorted({i for row in rows for i in row.get("kpi_observation_ids") or [] if i is not None})
        observations = {
            row["kpi_observation_id"]: row
            for row in self._observations("where kpi_observation_id in (select unnest(?))", [wanted])
            if row.get("kpi_observation_id")
        }
        for row in rows:
            chosen = row.get("kpi_observation_id")
            row["others"] = [
                observations[i] for i in row.get("kpi_observation_ids") or [] if i != chosen and i in observations
            ]
        return rows

    def _series_without_mart(self) -> dict[str, list[dict]]:
        """A warehouse without marts.kpi_series (the small sample): read whole, it is small."""
        if self._all_series is None:
            by_id = {row["kpi_observation_id"]: row for row in self._observations() if row.get("kpi_observation_id")}
            self._all_series = defaultdict(list)
            for row in _series(self.con, self.columns, by_id):
                if row.get("period_end") is not None:
                    self._all_series[row["kpi_code"]].append(row)
        return self._all_series


def read_check_results(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """marts.check_results, failures first; empty when the warehouse has none."""
    if "check_results" not in marts_columns(con):
        return []
    rank = {"failed": 0, "findings": 1}
    rows = _rows(con, "select * from marts.check_results")
    return sorted(rows, key=lambda r: (rank.get(r.get("status"), 2), str(r.get("suite")), str(r.get("check_name"))))
