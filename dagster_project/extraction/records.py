"""Records that extraction produces. Each becomes one row of a raw DuckDB table.

These dataclasses are the contract between the extraction code (plain Python) and the
warehouse (raw schema -> dbt). Field names are the raw column names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date


@dataclass(frozen=True)
class Period:
    """The span a value covers. A point-in-time value has start == end."""

    start: date
    end: date
    period_type: str  # month, year_to_date, year, rolling_12_months, point_in_time, quarter, tertial

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period start {self.start} is after end {self.end}")


@dataclass(frozen=True)
class DocumentMeta:
    """What the registry knows about one report document, inferred from its text."""

    document: str  # file name, e.g. rvb_hsn_arsrapport_2022.txt
    document_id: str  # stable id: derived from the file name, survives new versions
    sha256: str
    size_bytes: int
    region_code: str | None  # SCB county code, '24' Västerbotten, '25' Norrbotten
    region_name: str | None
    # annual_report, interim_report, monthly_report, board_slides, fact_sheet, waiting_times, plan, other
    document_kind: str
    period_start: date | None
    period_end: date | None
    title: str | None
    encoding: str
    line_count: int
    source_format: str = "text"  # text or pdf
    organisation: str | None = None  # the region or municipality reported on, as it was called then
    organisation_code: str | None = None  # its code in seeds/org_units.csv (county or municipality code)
    published_on: date | None = None  # the date a page states it was published
    # what the file name had to supply because the text did not say it ('kind,period'), else None
    from_file_name: str | None = None


@dataclass(frozen=True)
class Fact:
    """One extracted KPI value, with the line of the document it came from."""

    document: str
    kpi_code: str
    org_unit: str  # canonical name as resolved by org_units.resolve (or the label as written)
    region_code: str | None
    period_start: date
    period_end: date
    period_type: str
    scenario: str  # actual, forecast, target
    breakdown: str  # 'total' or the sub-group
    value: float
    unit: str  # mnkr, percent, count, days, index
    is_approximate: bool
    source_line: int  # 1-based line in the document where the number stands
    source_text: str  # the sentence or table row it came from
    extraction_method: str  # which rule or parser produced it
    # What the number was bound to, so that only statements of one measure are compared:
    # the lexicon measure (seeds/kpi_lexicon.csv), e.g. 'result' or 'operating_result'.
    measure: str | None = None
    # How the measure reached the number: 'clause' (named in its own clause), 'table', 'chart',
    # or 'carried' (from an earlier clause, sentence or heading). Only direct bindings are
    # strong enough to accuse a report of contradicting itself.
    binding: str = "clause"
    # The interval the statement covers at its stated precision and hedge: '930' covers
    # 929.5..930.5, 'drygt 900' covers 900..~990. None: not known (treat as the value itself).
    value_low: float | None = None
    value_high: float | None = None
    # Where the period came from: 'clause', 'sentence', 'heading', 'table_header', 'document'.
    period_source: str = "document"
    # For a PDF, the page the source line stands on (page numbers as the PDF counts them).
    source_page: int | None = None


@dataclass(frozen=True)
class GoalAssessment:
    """A goal rating: 'Mål 3 ... Mål kommer delvis uppfyllas'."""

    document: str
    org_unit: str
    goal_number: int
    sub_goal: str | None  # e.g. '3.2' for a Delmål, None for the goal itself
    goal_text: str
    status: str  # met, partly_met, not_met, no_assessment
    scenario: str  # actual or forecast (Prognos)
    period_end: date | None
    source_line: int
    source_text: str
    extraction_method: str
    source_page: int | None = None


@dataclass(frozen=True)
class Assignment:
    """An assignment ('uppdrag') given by one body to another, with its status."""

    document: str
    assignment_text: str
    from_body: str | None  # e.g. 'fullmäktige', 'nämnd'
    to_body: str | None
    status: str | None  # completed, in_progress, not_started (None when not stated)
    status_text: str | None  # as written: Avslutad, Pågående, Ej påbörjad, Klar
    deadline: str | None  # as written in the document
    source_line: int
    source_text: str
    extraction_method: str
    source_page: int | None = None


@dataclass(frozen=True)
class StatedCount:
    """A count the text states about something else in the document, for reconciliation.

    Example: 'tre mål bedöms inte uppfyllas' -> subject 'goals', category 'not_met', value 3.
    """

    document: str
    subject: str  # goals, indicators, ...
    category: str  # met, partly_met, not_met, total, green, yellow, red ...
    value: float
    source_line: int
    source_text: str
    extraction_method: str
    scope: str | None = None  # what the count is about when narrower than the document, e.g. 'Mål 3'
    source_page: int | None = None


@dataclass(frozen=True)
class UnmappedNumber:
    """A number with a unit that no rule turned into a KPI value, and why."""

    document: str
    source_line: int
    number_text: str
    value: float | None
    unit: str | None
    reason: str
    source_text: str
    measure: str | None = None  # the measure phrase the number was bound to, when one was found
    source_page: int | None = None


@dataclass(frozen=True)
class IngestIssue:
    """A file that could not be read as a report, or was read with a caveat."""

    file_name: str
    reason_code: str  # empty_file, binary_file, undecodable, not_a_report, too_large, ...
    detail: str
    sha256: str | None = None
    size_bytes: int | None = None
    is_fatal: bool = True  # fatal: the document was not extracted


@dataclass
class Extraction:
    """Everything extracted from one document."""

    facts: list[Fact] = field(default_factory=list)
    goals: list[GoalAssessment] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    stated_counts: list[StatedCount] = field(default_factory=list)
    unmapped: list[UnmappedNumber] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        self.facts.extend(other.facts)
        self.goals.extend(other.goals)
        self.assignments.extend(other.assignments)
        self.stated_counts.extend(other.stated_counts)
        self.unmapped.extend(other.unmapped)


def as_row(record) -> dict:
    """A record as a plain dict (column name -> value)."""
    return asdict(record)


def column_names(record_type) -> list[str]:
    return [f.name for f in fields(record_type)]
