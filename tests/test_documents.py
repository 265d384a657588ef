"""Reading report files: the bundled corpus, classification of short texts, and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dagster_project.extraction.document_profile import classify
from dagster_project.extraction.documents import DocumentText, read_document
from dagster_project.extraction.inbox import InboxError, document_id_for, scan_inbox
from dagster_project.extraction.records import IngestIssue
from tests.hostile import corpus

REPORTS = Path(__file__).resolve().parents[1] / "seeds" / "reports"

# Ground truth from the corpus README.
BUNDLED = {
    "rvb_hsn_arsrapport_2022.txt": ("annual_report", "24", date(2022, 1, 1), date(2022, 12, 31), "årsrapport"),
    "rvb_delarsrapport_2023_04.txt": ("interim_report", "24", date(2023, 1, 1), date(2023, 4, 30), "delårsrapport"),
    "rvb_hsd_informerar_2024_02_28.txt": ("board_slides", "24", date(2024, 1, 1), date(2024, 1, 31), "informerar"),
    "rvb_hsn_delarsrapport_2025_08.txt": ("interim_report", "24", date(2025, 1, 1), date(2025, 8, 31), "delårsrapport"),
    "rnb_regiondirektorens_rapport_2023_02.txt": (
        "monthly_report",
        "25",
        date(2023, 1, 1),
        date(2023, 2, 28),
        "månadsrapport",
    ),
}


def test_scan_inbox_lists_the_bundled_reports():
    assert [p.name for p in scan_inbox(REPORTS)] == sorted(BUNDLED)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_document(name):
    kind, region, start, end, title_word = BUNDLED[name]
    doc = read_document(REPORTS / name, REPORTS)
    assert isinstance(doc, DocumentText), doc
    meta = doc.meta
    assert meta.document == name
    assert meta.document_kind == kind
    assert meta.region_code == region
    assert meta.region_name == {"24": "Region Västerbotten", "25": "Region Norrbotten"}[region]
    assert (meta.period_start, meta.period_end) == (start, end)
    assert meta.title and title_word in meta.title.lower() and len(meta.title) <= 70
    assert meta.encoding == "utf-8" and meta.source_format == "text"
    assert meta.line_count == len(doc.lines) > 100
    assert meta.size_bytes == (REPORTS / name).stat().st_size and len(meta.sha256) == 64
    assert doc.page_of_line is None
    assert doc.issues == []


def test_bundled_titles():
    titles = {name: read_document(REPORTS / name).meta.title for name in BUNDLED}
    assert titles["rvb_hsn_arsrapport_2022.txt"] == "HSN Årsrapport 2022"
    assert titles["rvb_delarsrapport_2023_04.txt"] == "Delårsrapport per april 2023"
    assert titles["rvb_hsd_informerar_2024_02_28.txt"] == "HSD INFORMERAR"
    assert titles["rvb_hsn_delarsrapport_2025_08.txt"] == "Delårsrapport per augusti 2025"
    assert titles["rnb_regiondirektorens_rapport_2023_02.txt"] == "Månadsrapport februari 2023"


def test_document_id_is_a_stable_slug():
    assert document_id_for("rvb_hsn_arsrapport_2022.txt") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("RVB HSN Årsrapport 2022 (2).pdf") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("rvb_hsn_arsrapport_2022_v3.txt") == "rvb_hsn_arsrapport_2022"
    assert document_id_for("Delårsrapport per april – kopia.txt") == "delarsrapport_per_april"


# ---------------------------------------------------------------- classify short texts

SHORT_TEXTS = [
    (  # annual report of another region, with a passing mention of the interim report
        """Region Skåne
Årsredovisning 2023
1 Förvaltningsberättelse
Region Skåne redovisar för året ett resultat på 512 miljoner kronor.
I delårsrapport per augusti bedömdes resultatet bli lägre.
Årsredovisningen beskriver verksamheten i Skåne läns hälso- och sjukvård under 2023.""",
        ("annual_report", "12", date(2023, 1, 1), date(2023, 12, 31), "Årsredovisning 2023"),
    ),
    (
        """Verksamhetsberättelse 2021
Västra Götalandsregionen
Nämnden redovisar ett överskott på 12 miljoner kronor för året 2021.
Region Halland och Västra Götalandsregionen samarbetar om ambulansflyg.""",
        ("annual_report", "14", date(2021, 1, 1), date(2021, 12, 31), "Verksamhetsberättelse 2021"),
    ),
    (
        """Tertialrapport 1 2024
Region Östergötland
Uppföljningen avser perioden januari - april 2024.
Region Östergötlands resultat per april uppgår till 120 miljoner kronor.""",
        ("interim_report", "05", date(2024, 1, 1), date(2024, 4, 30), "Tertialrapport 1 2024"),
    ),
    (
        """Delårsrapport januari–augusti 2022
Region Kalmar län
Resultatet efter augusti är 88 miljoner kronor. I denna delårsrapport
redovisas även prognosen för helåret, som är 40 miljoner kronor.""",
        ("interim_report", "08", date(2022, 1, 1), date(2022, 8, 31), "Delårsrapport januari–augusti 2022"),
    ),
    (
        """Månadsuppföljning per oktober 2024
Region Jämtland Härjedalen
Resultatet för perioden januari–oktober är -45 miljoner kronor.
Jämtlands läns befolkning ökar.""",
        ("monthly_report", "23", date(2024, 1, 1), date(2024, 10, 31), "Månadsuppföljning per oktober 2024"),
    ),
    (
        """Regiondirektörens rapport
Månadsrapport juni
Periodens resultat uppgår till 210 mnkr för Region Uppsala.
För mer information se Månadsrapport per juni 2025.""",
        ("monthly_report", "03", date(2025, 1, 1), date(2025, 6, 30), "Månadsrapport juni"),
    ),
    (
        """HÄLSO- OCH SJUKVÅRDSDIREKTÖREN INFORMERAR
2023-11-15
Aktuellt läge
Vårdplatser
Tillgänglighet
Region Gävleborg
Besök inom 90 dagar
Data från oktober 2023
Andel inom 90 dagar
Operation inom 90 dagar""",
        ("board_slides", "21", date(2023, 10, 1), date(2023, 10, 31), "HÄLSO- OCH SJUKVÅRDSDIREKTÖREN INFORMERAR"),
    ),
]


@pytest.mark.parametrize("text, expected", SHORT_TEXTS, ids=[e[1][0] + "_" + e[1][1] for e in SHORT_TEXTS])
def test_classify_short_texts(text, expected):
    found = classify(text.splitlines())
    assert (found.kind, found.region_code, found.period_start, found.period_end, found.title) == expected


def test_classify_ignores_the_file_name(tmp_path):
    # the name says 'arsrapport'; the text is a monthly report
    path = tmp_path / "arsrapport_2022.txt"
    path.write_text(SHORT_TEXTS[4][0], encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert doc.meta.document_kind == "monthly_report"


def test_organisation_of_a_document_comes_from_its_text():
    from dagster_project.extraction.org_units import regions
    from dagster_project.extraction.organisations import document_organisation

    assert len(regions()) == 21
    found = document_organisation(
        ["Region Jönköpings län", "Region Jönköpings läns resultat, jämfört med Region Västerbotten"],
        "rapport.txt",
        None,
    )
    assert (found.name, found.code) == ("Region Jönköpings län", "06")
    council = document_organisation(
        ["Landstinget hade vid årets slut 4 100 medarbetare.", "Norrbottens läns landsting"],
        "rapport.txt",
        date(2015, 12, 31),
    )
    assert (council.name, council.code) == ("Norrbottens läns landsting", "25")
    assert document_organisation(["ingen organisation nämns"], "rapport.txt", None) is None
    assert (
        document_organisation(["Region Skåne och Region Halland"], "rapport.txt", None) is None
    )  # a tie decides nothing
    # a municipality is no region; its name from the title
    town = document_organisation(
        ["Karlstads kommuns årsredovisning", "Kommunen redovisar ett resultat."], "x.txt", None
    )
    assert (town.name, town.code, town.region_code) == ("Karlstads kommun", "1780", "17")
    # the file name only when the text names no one, and recorded as such
    unnamed = document_organisation(["Kommunens resultat blev 25,9 mnkr."], "vastervik_arsredovisning_2020.txt", None)
    assert (unnamed.name, unnamed.source) == ("Västerviks kommun", "file_name")


UNKNOWN_TEXT = """Protokoll
Regionstyrelsens sammanträde 2023-05-10
§ 12 Val av justerare
Beslut: Region Västerbotten utser två justerare."""


def test_a_text_that_is_no_report_is_a_fatal_issue(tmp_path):
    assert classify(UNKNOWN_TEXT.splitlines()).kind == "unknown"
    path = tmp_path / "protokoll.txt"
    path.write_text(UNKNOWN_TEXT, encoding="utf-8")
    issue = read_document(path)
    assert isinstance(issue, IngestIssue)
    assert issue.reason_code == "not_a_report" and issue.is_fatal
    assert issue.sha256 and issue.size_bytes == path.stat().st_size


# ---------------------------------------------------------------- bad input

REPORT = """Delårsrapport per april 2023
Region Västerbotten
Hälso- och sjukvårdsnämndens verksamheter redovisar per april en negativ budgetavvikelse på 286 miljoner kronor.
Sjukfrånvaron är 6,0 procent för mars 2023 och målet är att öka andelen närproducerad mat.
"""


def _issue(path, reports_dir=None, **kwargs) -> IngestIssue:
    result = read_document(path, reports_dir, **kwargs)
    assert isinstance(result, IngestIssue), result
    assert result.file_name == path.name and result.detail
    return result


def test_empty_file(tmp_path):
    path = tmp_path / "tom.txt"
    path.write_bytes(b"")
    issue = _issue(path)
    assert (issue.reason_code, issue.size_bytes, issue.is_fatal) == ("empty_file", 0, True)


def test_whitespace_only(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\n\t \r\n")
    issue = _issue(path)
    assert issue.reason_code == "empty_text" and issue.size_bytes == 7 and issue.sha256


def test_binary_with_nul_bytes(tmp_path):
    path = tmp_path / "bild.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    issue = _issue(path)
    assert issue.reason_code == "binary_file" and "offset" in issue.detail


def test_binary_mostly_control_bytes(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 65, 66]) * 200)
    assert _issue(path).reason_code == "binary_file"


def test_cp1252_text_is_decoded_with_a_caveat(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes((REPORT + "Kostnaden – 5 mnkr € ”citat”\n").encode("cp1252"))
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert doc.meta.encoding == "cp1252"
    assert "Hälso- och sjukvårdsnämndens verksamheter" in doc.lines[2]
    assert doc.lines[-1] == "Kostnaden – 5 mnkr € ”citat”"
    assert [(i.reason_code, i.is_fatal) for i in doc.issues] == [("decoded_as_cp1252", False)]
    assert doc.meta.document_kind == "interim_report"


def test_latin1_text_with_a_byte_cp1252_lacks(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(REPORT.encode("latin-1") + b"\x81\n")
    doc = read_document(path)
    assert isinstance(doc, DocumentText) and doc.meta.encoding == "latin-1"
    assert "påverkat" not in doc.lines[1] and "Västerbotten" in doc.lines[1]
    assert [i.reason_code for i in doc.issues] == ["decoded_as_latin1"]


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(REPORT.encode("utf-8-sig"))
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert doc.meta.encoding == "utf-8-sig" and doc.lines[0] == "Delårsrapport per april 2023"
    assert doc.issues == []


def test_double_encoded_utf8_is_repaired(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_bytes(REPORT.encode("utf-8").decode("cp1252").encode("utf-8"))
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert doc.lines[1] == "Region Västerbotten"
    assert [i.reason_code for i in doc.issues] == ["repaired_double_encoding"]


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(0x80, 0x100)) * 20,  # high bytes only: C1 controls whatever the code page
        ("Привет, это отчёт о работе региона за год. " * 30).encode("cp1251"),
    ],
    ids=["high_bytes", "cyrillic_cp1251"],
)
def test_undecodable(tmp_path, data):
    path = tmp_path / "okand.txt"
    path.write_bytes(data)
    issue = _issue(path)
    assert issue.reason_code == "undecodable" and "not UTF-8" in issue.detail
    assert issue.size_bytes == len(data) and issue.sha256


def test_too_large_by_argument_and_env(tmp_path, monkeypatch):
    path = tmp_path / "stor.txt"
    path.write_text(REPORT, encoding="utf-8")
    issue = _issue(path, max_bytes=100)
    assert issue.reason_code == "too_large" and issue.size_bytes == path.stat().st_size
    monkeypatch.setenv("MAX_REPORT_BYTES", "100")
    assert _issue(path).reason_code == "too_large"
    monkeypatch.setenv("MAX_REPORT_BYTES", "100000")
    assert isinstance(read_document(path), DocumentText)


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "jatte.txt"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    issue = _issue(path)
    assert issue.reason_code == "too_large" and str(200 * 1024 * 1024) in issue.detail


def test_symlink_outside_inbox(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "hemlig.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "rapport.txt").write_text(REPORT, encoding="utf-8")
    (inbox / "lank.txt").symlink_to(outside / "hemlig.txt")
    (inbox / "inne.txt").symlink_to(inbox / "rapport.txt")
    issue = _issue(inbox / "lank.txt", inbox)
    assert issue.reason_code == "symlink_outside_inbox" and "outside" in issue.detail
    assert isinstance(read_document(inbox / "inne.txt", inbox), DocumentText)
    # without reports_dir the file's own folder is the inbox
    assert _issue(inbox / "lank.txt").reason_code == "symlink_outside_inbox"


def test_broken_symlink_and_missing_file(tmp_path):
    (tmp_path / "trasig.txt").symlink_to(tmp_path / "finns_inte.txt")
    assert _issue(tmp_path / "trasig.txt", tmp_path).reason_code == "broken_symlink"
    assert _issue(tmp_path / "saknas.txt", tmp_path).reason_code == "missing_file"


def test_unicode_and_spaces_in_file_name(tmp_path):
    path = tmp_path / "Delårsrapport april 2023 – Region Västerbotten.txt"
    path.write_text(REPORT, encoding="utf-8")
    doc = read_document(path, tmp_path)
    assert isinstance(doc, DocumentText)
    assert doc.meta.document == path.name
    assert doc.meta.document_id == "delarsrapport_april_2023_region_vasterbotten"
    assert doc.meta.period_end == date(2023, 4, 30)


def test_scan_inbox_skips_hidden_and_temp_files(tmp_path):
    for name in ["b.txt", "a rapport.pdf", ".DS_Store", ".~lock.b.txt#", "~$rapport.txt", "c.txt.part"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "undermapp").mkdir()
    assert [p.name for p in scan_inbox(tmp_path)] == ["a rapport.pdf", "b.txt"]
    with pytest.raises(InboxError, match="does not exist"):
        scan_inbox(tmp_path / "finns_inte")


@pytest.mark.parametrize("ending", ["och budgetavvikelsen för perioden beror på att", "kostnader för inhyrd perso-"])
def test_text_ending_mid_sentence_loads_with_a_caveat(tmp_path, ending):
    path = tmp_path / "avbruten.txt"
    path.write_text(REPORT + ending, encoding="utf-8")
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert [(i.reason_code, i.is_fatal) for i in doc.issues] == [("possibly_truncated", False)]
    assert "line 5" in doc.issues[0].detail


def test_text_padded_with_nul_bytes_is_a_truncated_write(tmp_path):
    path = tmp_path / "avbruten.txt"
    path.write_bytes(REPORT.encode("utf-8") + b"\x00" * 4096)
    doc = read_document(path)
    assert isinstance(doc, DocumentText)
    assert [i.reason_code for i in doc.issues] == ["possibly_truncated"]
    assert doc.meta.size_bytes == len(REPORT.encode("utf-8")) + 4096


def test_complete_text_has_no_truncation_caveat(tmp_path):
    path = tmp_path / "hel.txt"
    path.write_text(REPORT + "Kompletteras senare - ej levererad 17 sept", encoding="utf-8")
    assert read_document(path).issues == []


def test_unexpected_errors_become_issues(tmp_path, monkeypatch):
    import dagster_project.extraction.documents as documents

    path = tmp_path / "rapport.txt"
    path.write_text(REPORT, encoding="utf-8")

    def boom(lines, file_name=""):
        raise RuntimeError("classifier bug")

    monkeypatch.setattr(documents, "classify", boom)
    issue = _issue(path)
    assert issue.reason_code == "read_error" and "classifier bug" in issue.detail


# ---------------------------------------------------------------- PDF input

PDF_PAGES = [
    [
        "HSN Delårsrapport per augusti 2025",
        "Region Västerbotten",
        "1 Sammanfattning",
        "Efter augusti månad 2025 uppgår den negativa avvikelsen mot budget till 335",
        "miljoner kronor. Det innebär en minskad nettokostnad med 4,8 procent jämfört",
        "med motsvarande period 2024.",
    ],
    [
        "2 Förvaltningsberättelse",
        "Sjukfrånvaron är 6,0 procent per augusti och antalet vårdplatser ökar med 8.",
        "Delmålet bedöms delvis vara uppfyllt vid delårsrapport per sista augusti.",
        "Prognosen för helåret är ett underskott på 410 miljoner kronor – ”åtgärder” krävs.",
    ],
]


def _write_pdf(path: Path, pages: list[list[str]]) -> bytes:
    return corpus.write_pdf(path, pages).read_bytes()


def test_pdf_with_text_layer_reads_like_its_text_version(tmp_path):
    pdf_path = tmp_path / "hsn_delarsrapport_2025_08.pdf"
    _write_pdf(pdf_path, PDF_PAGES)
    txt_path = tmp_path / "hsn_delarsrapport_2025_08.txt"
    txt_path.write_text("\n".join(line for page in PDF_PAGES for line in page) + "\n", encoding="utf-8")

    from_pdf, from_text = read_document(pdf_path, tmp_path), read_document(txt_path, tmp_path)
    assert isinstance(from_pdf, DocumentText) and isinstance(from_text, DocumentText), (from_pdf, from_text)
    assert from_pdf.lines == from_text.lines
    assert from_pdf.page_of_line == [1] * 6 + [2] * 4
    assert from_pdf.meta.source_format == "pdf" and from_pdf.meta.encoding == "pdf"
    assert from_pdf.issues == []
    for field_name in (
        "document_kind",
        "region_code",
        "period_start",
        "period_end",
        "title",
        "line_count",
        "document_id",
    ):
        assert getattr(from_pdf.meta, field_name) == getattr(from_text.meta, field_name), field_name
    assert from_pdf.meta.document_kind == "interim_report"
    assert from_pdf.meta.period_end == date(2025, 8, 31)

    try:  # the same lines give the same facts, once the extraction modules are in place
        from dagster_project.extraction.pipeline import extract_document
    except ImportError:
        return
    strip = lambda facts: [(f.kpi_code, f.value, f.source_line, f.period_end) for f in facts]  # noqa: E731
    assert strip(extract_document(from_pdf).facts) == strip(extract_document(from_text).facts)


def test_pdf_without_text_layer(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "skannad.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.rect(50, 50, 300, 300, fill=1)  # a page that is only a picture
    pdf.showPage()
    pdf.save()
    issue = _issue(path)
    assert issue.reason_code == "no_text_layer" and "1 pages" in issue.detail and issue.sha256


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\nnonsense, no objects at all\n", b"%PDF-1.7\n" + bytes(range(256)) * 10],
    ids=["no_objects", "garbage"],
)
def test_broken_pdf(tmp_path, data):
    path = tmp_path / "trasig.pdf"
    path.write_bytes(data)
    issue = _issue(path)
    assert issue.reason_code == "pdf_unreadable" and issue.size_bytes == len(data)


def test_pdf_named_txt_is_still_read_as_pdf(tmp_path):
    data = _write_pdf(tmp_path / "a.pdf", PDF_PAGES)
    path = tmp_path / "felnamn.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert isinstance(doc, DocumentText) and doc.meta.source_format == "pdf"


def test_truncated_pdf_keeps_the_pages_that_survive(tmp_path):
    pages = [[f"Sida {n}: Delårsrapport per april 2023 för Region Västerbotten"] for n in range(1, 5)]
    data = _write_pdf(tmp_path / "hel.pdf", pages)
    path = tmp_path / "avbruten.pdf"
    path.write_bytes(data[: int(len(data) * 0.7)])
    doc = read_document(path)
    assert isinstance(doc, DocumentText), doc
    assert doc.lines[0].startswith("Sida 1: Delårsrapport")
    assert doc.meta.document_kind == "interim_report"
    assert [(i.reason_code, i.is_fatal) for i in doc.issues] == [("pdf_truncated", False)]
    assert "of its 4 pages" in doc.issues[0].detail and "lost (no text): " in doc.issues[0].detail


def test_pdf_cut_off_before_any_text(tmp_path):
    data = _write_pdf(tmp_path / "hel.pdf", PDF_PAGES)
    path = tmp_path / "stump.pdf"
    path.write_bytes(data[:200])
    assert _issue(path).reason_code == "pdf_unreadable"


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(REPORT.encode("utf-16"))
    doc = read_document(path)
    assert isinstance(doc, DocumentText) and doc.meta.encoding == "utf-16"
    assert doc.lines[1] == "Region Västerbotten"
    assert [i.reason_code for i in doc.issues] == ["decoded_as_utf16"]


def test_invalid_size_limit_in_env_falls_back_to_default(tmp_path, monkeypatch):
    path = tmp_path / "rapport.txt"
    path.write_text(REPORT, encoding="utf-8")
    monkeypatch.setenv("MAX_REPORT_BYTES", "femtio")
    assert isinstance(read_document(path), DocumentText)


def test_directory_and_fifo_are_not_files(tmp_path):
    import os

    (tmp_path / "mapp.txt").mkdir()
    assert _issue(tmp_path / "mapp.txt").reason_code == "not_a_file"
    os.mkfifo(tmp_path / "ror.txt")
    assert _issue(tmp_path / "ror.txt").reason_code == "not_a_file"  # never opened: would block
