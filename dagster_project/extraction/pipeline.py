"""One document in, everything extracted from it out.

Tables, slide charts and key-figure tables are read first, each skipping the lines the ones
before it used; the lines they consume are skipped by the running-text rules, so a table cell
is never reported twice. Afterwards every number that carries a
unit and did not become a fact is listed as unmapped, with the reason a rule gave or a
generic one, so reviewers can see what the extractor passes over.
"""

from __future__ import annotations

from dataclasses import replace

from .charts import extract_charts
from .documents import DocumentText
from .goals import extract_goals
from .grid_tables import extract_grid_tables
from .key_figures import extract_key_figures
from .numbers import find_numbers
from .records import DocumentMeta, Extraction, Fact, UnmappedNumber
from .running_text import extract_running_text
from .tables import extract_tables

# Units whose numbers are worth accounting for in the coverage report.
COVERAGE_UNITS = {"mnkr", "percent", "days", "kronor", "percentage_points"}


def _dedupe_facts(facts: list[Fact]) -> list[Fact]:
    """Drop exact repeats (same KPI, unit, period, scenario, breakdown, value on the same line)."""
    seen = set()
    result = []
    for fact in facts:
        key = (
            fact.kpi_code,
            fact.org_unit,
            fact.period_start,
            fact.period_end,
            fact.scenario,
            fact.breakdown,
            round(fact.value, 6),
            fact.source_line,
        )
        if key not in seen:
            seen.add(key)
            result.append(fact)
    return result


def _split_impossible_periods(facts: list[Fact]) -> tuple[list[Fact], list[UnmappedNumber]]:
    """A fact whose period ends before it starts was misread; list it instead of loading it,
    so one misread date never stops the refresh of every other document."""
    kept, dropped = [], []
    for fact in facts:
        if fact.period_start > fact.period_end:
            dropped.append(
                UnmappedNumber(
                    fact.document,
                    fact.source_line,
                    f"{fact.value:g}",
                    fact.value,
                    fact.unit,
                    f"period_start_after_end:{fact.period_start}>{fact.period_end}",
                    fact.source_text[:400],
                )
            )
        else:
            kept.append(fact)
    return kept, dropped


def unmapped_numbers(document: str, lines: list[str], extraction: Extraction) -> list[UnmappedNumber]:
    """Numbers with a unit on any line that no fact took, plus what the rules listed, once each."""
    taken = {(f.source_line, round(abs(f.value), 6)) for f in extraction.facts}
    listed = {(u.source_line, u.number_text) for u in extraction.unmapped}
    result = list(extraction.unmapped)
    for number, text in enumerate(lines, start=1):
        for token in find_numbers(text):
            if token.unit not in COVERAGE_UNITS:
                continue
            if (number, round(abs(token.value), 6)) in taken or (number, token.text) in listed:
                continue
            reason = "percentage_points" if token.unit == "percentage_points" else "no_rule_matched"
            if token.unit == "kronor":
                reason = "kronor_amount"
            result.append(
                UnmappedNumber(document, number, token.text, token.value, token.unit, reason, text.strip()[:400])
            )
            listed.add((number, token.text))
    return result


def _with_pages(extraction: Extraction, page_of_line: list[int] | None) -> Extraction:
    """Every row of a PDF gets the page its source line stands on."""
    if not page_of_line:
        return extraction

    def paged(record):
        line = record.source_line
        return replace(record, source_page=page_of_line[line - 1]) if 0 < line <= len(page_of_line) else record

    for attribute in ("facts", "goals", "assignments", "stated_counts", "unmapped"):
        setattr(extraction, attribute, [paged(record) for record in getattr(extraction, attribute)])
    return extraction


def extract_layout(meta: DocumentMeta, lines: list[str]) -> tuple[Extraction, set[int]]:
    """Facts from flattened tables, then from slide charts in the lines no table used, and the
    1-based lines both used."""
    out, consumed = extract_tables(meta, lines)
    charts, chart_lines = extract_charts(meta, lines, skip=consumed)
    out.extend(charts)
    return out, consumed | chart_lines


def extract_document(document: DocumentText) -> Extraction:
    """All facts, goal ratings, assignments, stated counts and unmapped numbers of one document."""
    meta, lines = document.meta, document.lines
    grid, consumed_lines = extract_grid_tables(meta, lines)
    # The readers of flattened tables and of running text never see a grid's lines.
    outside_grids = [text if number not in consumed_lines else "" for number, text in enumerate(lines, start=1)]
    tables, table_lines = extract_layout(meta, outside_grids)
    tables.extend(grid)
    consumed_lines |= table_lines
    key_figures, key_figure_lines = extract_key_figures(meta, lines, skip=consumed_lines)
    tables.extend(key_figures)
    consumed_lines |= key_figure_lines
    text = extract_running_text(meta, lines, skip_lines=consumed_lines)
    goals = extract_goals(meta, outside_grids)
    combined = Extraction()
    for part in (tables, text, goals):
        combined.extend(part)
    combined.facts, impossible = _split_impossible_periods(_dedupe_facts(combined.facts))
    combined.unmapped.extend(impossible)
    combined.unmapped = unmapped_numbers(meta.document, lines, combined)
    return _with_pages(combined, document.page_of_line)
