"""Reading refuses what it cannot use with a reason a person can act on, and reads the rest in bounded work."""

from pathlib import Path

import pytest

from dagster_project.extraction.documents import DocumentText, read_document
from dagster_project.extraction.normalise import split_lines
from dagster_project.extraction.pipeline import extract_document
from dagster_project.extraction.records import IngestIssue
from tests.hostile import corpus


def _read(path: Path):
    return read_document(path, path.parent)


def test_encrypted_pdf_says_it_needs_a_password(tmp_path):
    [path] = corpus.encrypted_pdf(tmp_path)
    issue = _read(path)
    assert isinstance(issue, IngestIssue) and issue.reason_code == "pdf_encrypted" and issue.is_fatal
    assert "password" in issue.detail and issue.sha256


def test_text_file_named_pdf_is_read_as_text(tmp_path):
    [path] = corpus.text_named_pdf(tmp_path)
    doc = _read(path)
    assert isinstance(doc, DocumentText), doc
    assert doc.meta.source_format == "text" and doc.meta.region_code == "24"
    assert [(i.reason_code, i.is_fatal) for i in doc.issues] == [("not_a_pdf", False)]


def test_truncated_pdf_without_its_region_is_refused_naming_the_lost_pages(tmp_path):
    [path] = corpus.truncated_pdf(tmp_path, keep=0.5)
    issue = _read(path)
    assert isinstance(issue, IngestIssue) and issue.reason_code == "pdf_truncated" and issue.is_fatal
    assert "of its 16 pages" in issue.detail and "-16" in issue.detail  # the lost range ends at the last page
    assert "region" in issue.detail and "complete file" in issue.detail


def test_truncated_pdf_that_names_its_region_is_read_with_the_lost_pages_listed(tmp_path):
    [path] = corpus.truncated_pdf(tmp_path, keep=0.85)
    doc = _read(path)
    assert isinstance(doc, DocumentText), doc
    assert doc.meta.region_code == "24"
    [caveat] = doc.issues
    assert caveat.reason_code == "pdf_truncated" and not caveat.is_fatal and "lost (no text): " in caveat.detail


def test_pdf_over_the_page_limit_is_refused_before_its_pages_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("MAX_PDF_PAGES", "5")
    [path] = corpus.many_pages_pdf(tmp_path, pages=12)
    issue = _read(path)
    assert isinstance(issue, IngestIssue) and issue.reason_code == "too_many_pages"
    assert "12 pages" in issue.detail and "MAX_PDF_PAGES" in issue.detail
    monkeypatch.setenv("MAX_PDF_PAGES", "12")
    assert isinstance(_read(path), DocumentText)


@pytest.mark.slow
def test_six_thousand_page_pdf_is_refused_by_the_default_limit(tmp_path):
    [path] = corpus.many_pages_pdf(tmp_path, pages=6000)
    issue = _read(path)
    assert isinstance(issue, IngestIssue) and issue.reason_code == "too_many_pages" and "6000 pages" in issue.detail


def test_long_line_is_cut_and_the_rest_of_the_report_still_extracts(tmp_path):
    [path] = corpus.long_line_report(tmp_path, characters=100_000)
    doc = _read(path)
    assert isinstance(doc, DocumentText), doc
    [caveat] = [i for i in doc.issues if i.reason_code == "long_line_truncated"]
    assert "line 61 (100000 characters)" in caveat.detail and not caveat.is_fatal
    assert max(len(line) for line in doc.lines) <= 4000
    original = split_lines(corpus.GOOD_REPORT.read_text(encoding="utf-8"))
    assert doc.lines[:60] == original[:60] and doc.lines[61:] == original[60:]  # numbering kept
    facts = extract_document(doc).facts
    assert any(f.source_line > 61 for f in facts) and any(abs(f.value) == 199 for f in facts)


@pytest.mark.slow
def test_twenty_megabyte_line_under_a_report_heading_is_cut(tmp_path):
    [path] = corpus.one_line_file(tmp_path, megabytes=20)
    doc = _read(path)
    assert isinstance(doc, DocumentText), doc
    assert doc.meta.document_kind == "annual_report" and len(doc.lines[2]) <= 4000
    assert [i.reason_code for i in doc.issues] == ["long_line_truncated"]
    assert extract_document(doc).unmapped  # the cut line's percentages are listed, not lost silently
