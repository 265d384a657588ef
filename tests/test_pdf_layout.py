"""PDF pages: running headers, footers and page numbers out of the text; ruled tables as grids."""

from datetime import date
from pathlib import Path

from dagster_project.extraction.documents import DocumentText, read_document
from dagster_project.extraction.pdf_layout import (
    PageLine,
    drop_page_furniture,
    render_row,
)
from dagster_project.extraction.pipeline import extract_document


def _page(*texts: str) -> list[PageLine]:
    return [PageLine(text, float(position)) for position, text in enumerate(texts)]


def _texts(pages):
    return [[line.text for line in page] for page in pages]


def test_recurring_header_and_page_numbers_are_dropped():
    pages = [
        _page("Delårsrapport augusti 2023", "Region Västerbotten", "Resultatet är 140 mnkr", "1"),
        _page("Delårsrapport augusti 2023", "Sjukfrånvaron är 6,1 procent och", "ökar något.", "2"),
        _page("Delårsrapport augusti 2023", "Nettokostnaden ökar med 5,2 procent.", "3"),
    ]
    kept, dropped = drop_page_furniture(pages)
    assert _texts(kept) == [
        ["Delårsrapport augusti 2023", "Region Västerbotten", "Resultatet är 140 mnkr"],
        ["Sjukfrånvaron är 6,1 procent och", "ökar något."],
        ["Nettokostnaden ökar med 5,2 procent."],
    ]
    assert dropped == 5


def test_footer_with_changing_page_number_is_one_footer():
    bodies = [
        [f"Avsnitt {title}", "Första raden om " + title.lower() + ".", text]
        for title, text in (
            ("Ekonomi", "Resultatet är 12 mnkr."),
            ("Personal", "Sjukfrånvaron är 6,1 procent."),
            ("Vård", "Slut."),
        )
    ]
    pages = [
        _page(*body, f"Region Norrbotten - Månadsrapport april - Sida {n} av 3") for n, body in enumerate(bodies, 1)
    ]
    kept, _ = drop_page_furniture(pages)
    assert _texts(kept) == bodies


def test_a_number_at_the_foot_of_one_page_is_not_a_page_number():
    # A chart value or the last cell of a list that happens to stand last on a page stays.
    pages = [_page("Antal vårdplatser", "812"), _page("Sjukfrånvaro i procent", "Totalt", "6,1")]
    kept, dropped = drop_page_furniture(pages)
    assert dropped == 0 and _texts(kept) == _texts(pages)


def test_a_sentence_that_recurs_inside_pages_is_kept():
    line = "Regionen redovisar ett resultat på 12 mnkr."
    pages = [
        _page(f"Rubrik {n}", f"Inledning {n}.", line, f"Mitten {n}.", f"Slut {n}.", f"Sista raden {n}")
        for n in ("ett", "två")
    ]
    kept, _ = drop_page_furniture(pages)
    assert all(line in texts for texts in _texts(kept))


def test_rendered_row_keeps_empty_cells_and_escapes_the_separator():
    assert render_row(["Sjukfrånvaro, %", "6,1", None, "A|B"]) == "Sjukfrånvaro, % | 6,1 |  | A/B"


def _write_report_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()

    def furniture(canvas, doc):
        canvas.drawString(40, 815, "Årsredovisning 2023 Region Västerbotten")
        canvas.drawString(40, 25, f"Sida {doc.page}")

    table = Table(
        [
            ["Mnkr", "2023", "2022"],
            ["Årets resultat", "312", ""],
            ["Sjukfrånvaro, %", "6,1", "6,4"],
        ]
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    body = [
        Paragraph("Årsredovisning 2023", styles["Title"]),
        Paragraph("Regionen redovisar för året ett resultat på 312 miljoner kronor.", styles["Normal"]),
    ]
    body += [
        PageBreak(),
        Paragraph("Resultaträkning, mnkr", styles["Normal"]),
        table,
        Paragraph("Nettokostnaden ökade med 5,2 procent under året.", styles["Normal"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(body, onFirstPage=furniture, onLaterPages=furniture)


def test_pdf_report_end_to_end(tmp_path):
    path = tmp_path / "region_vasterbotten_arsredovisning_2023.pdf"
    _write_report_pdf(path)
    document = read_document(path, tmp_path)
    assert isinstance(document, DocumentText), document
    assert not any(text.startswith("Sida ") for text in document.lines)
    assert sum("Årsredovisning 2023 Region Västerbotten" in text for text in document.lines) <= 1
    assert "Årets resultat | 312 |" in document.lines
    assert max(document.page_of_line) == 2

    extraction = extract_document(document)
    facts = {(f.kpi_code, f.period_end, f.value, f.source_page, f.extraction_method) for f in extraction.facts}
    table_line = document.lines.index("Sjukfrånvaro, % | 6,1 | 6,4") + 1
    assert ("sick_leave_pct", date(2022, 12, 31), 6.4, 2, "table:grid") in facts
    assert ("sick_leave_pct", date(2023, 12, 31), 6.1, 2, "table:grid") in facts
    assert ("result_mnkr", date(2023, 12, 31), 312.0, 1, "text") in {
        (k, e, v, p, m.split(":")[0]) for k, e, v, p, m in facts
    }
    # the empty 2022 cell of 'Årets resultat' is no value, and no value moved into its place
    assert not any(f.kpi_code == "result_mnkr" and f.period_end.year == 2022 for f in extraction.facts)
    assert all(f.source_page == document.page_of_line[f.source_line - 1] for f in extraction.facts)
    assert any(f.source_line == table_line for f in extraction.facts)
