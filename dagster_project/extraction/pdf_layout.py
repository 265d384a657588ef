"""A PDF page's text layer as lines: running text, table rows, and no page furniture.

Two things of a PDF page are not running text:

- **Tables.** pdfplumber finds ruled tables and their cells. Their area is taken out of the
  page text and each row is written as one line with the cells joined by ' | ', where the
  table stands; grid_tables.py reads those lines. Flattened into text, a table's empty cells
  would shift every value one column to the left.
- **Running headers, footers and page numbers.** A line in the top or bottom lines of a page
  that recurs (digits aside) on most pages, or a page-number line ('12', 'Sida 3 av 12',
  '3 (12)'), is dropped, so 'Delårsrapport augusti 2023 | Sida 4' never joins the sentence
  that runs from one page to the next. The first page's top lines are kept: they hold the
  title the document is classified by.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .grid_tables import CELL_SEPARATOR
from .normalise import clean_line, fold

# How many non-blank lines at each end of a page can be a running header or footer.
MARGIN_LINES = 2
_PAGE_NUMBER = re.compile(
    r"^\s*[-–(]?\s*(?:sid(?:a|an)?\.?\s*)?(?P<n>\d{1,4})\s*(?:(?:av|/|\()\s*\d{1,4}\s*\)?)?\s*[-–)]?\s*$", re.IGNORECASE
)
_EXPLICIT_PAGE_NUMBER = re.compile(r"\bsid(?:a|an)?\b|\d\s*(?:av|/)\s*\d|\d\s*\(\s*\d+\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class PageLine:
    text: str
    top: float  # distance from the top of the page, to merge table rows into the text
    is_table_row: bool = False


def _cell_text(cell: str | None) -> str:
    # A cell may wrap over lines, and must not contain the separator itself.
    return " ".join((cell or "").split()).replace("|", "/")


def render_row(cells: list[str | None]) -> str:
    return CELL_SEPARATOR.join(_cell_text(cell) for cell in cells)


def _is_data_table(rows: list[list[str | None]]) -> bool:
    """A ruled box around a paragraph is no table: want two rows, two columns and a number
    outside the first column."""
    if len(rows) < 2 or max((len(row) for row in rows), default=0) < 2:
        return False
    return any(re.search(r"\d", cell or "") for row in rows[1:] for cell in row[1:])


def page_lines(page) -> list[PageLine]:
    """The lines of one pdfplumber page in reading order, tables as ' | ' rows."""
    tables = []
    for table in page.find_tables():
        rows = table.extract()
        if _is_data_table(rows):
            tables.append((table.bbox, rows))

    def outside_tables(obj) -> bool:
        x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
        y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for (x0, top, x1, bottom), _ in tables)

    text_page = page.filter(outside_tables) if tables else page
    lines = [PageLine(clean_line(line["text"]), line["top"]) for line in text_page.extract_text_lines()]
    for (_, top, _, _), rows in tables:
        for position, row in enumerate(rows):
            lines.append(PageLine(clean_line(render_row(row)), top + position * 1e-3, True))
    lines.sort(key=lambda line: line.top)
    return lines


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(fold(text).split()))


def _margin_positions(lines: list[PageLine], first_page: bool) -> list[int]:
    """Indexes of the lines that can be page furniture: the first and last MARGIN_LINES text
    lines; on the first page only bottom lines that are not also among its first lines."""
    text = [index for index, line in enumerate(lines) if line.text.strip() and not line.is_table_row]
    top = set(text[:MARGIN_LINES])
    margins = top | set(text[-MARGIN_LINES:])
    return sorted(margins - top if first_page else margins)


def drop_page_furniture(pages: list[list[PageLine]]) -> tuple[list[list[PageLine]], int]:
    """The pages without running headers, footers and page numbers, and how many lines went."""
    recurring = Counter()
    for lines in pages:
        recurring.update({_margin_key(lines[i].text) for i in _margin_positions(lines, first_page=False)})
    # A header or footer stands on at least half of the pages (and on two at least).
    needed = max(2, (len(pages) + 1) // 2)
    furniture = {key for key, count in recurring.items() if count >= needed and key.strip("# ")}
    kept_pages, dropped = [], 0
    for number, lines in enumerate(pages):
        remove = set()
        for index in _margin_positions(lines, number == 0):
            text = lines[index].text
            page_number = _PAGE_NUMBER.match(text)
            if (
                _margin_key(text) in furniture
                or page_number
                and (_EXPLICIT_PAGE_NUMBER.search(text) or _follows_page(page_number, number, pages))
            ):
                remove.add(index)
        if len(remove) == sum(1 for line in lines if line.text.strip()):
            remove = set()  # a page of nothing but a header (a picture page) keeps it: the page was read
        dropped += len(remove)
        kept_pages.append([line for index, line in enumerate(lines) if index not in remove])
    return kept_pages, dropped


def _follows_page(match: re.Match, page_index: int, pages: list[list[PageLine]]) -> bool:
    """A bare number is a page number when it counts with the pages: the same offset from the
    page index as a bare number in the margin of a neighbouring page."""
    offset = int(match.group("n")) - page_index
    for neighbour in (page_index - 1, page_index + 1):
        if 0 <= neighbour < len(pages):
            for index in _margin_positions(pages[neighbour], neighbour == 0):
                other = _PAGE_NUMBER.match(pages[neighbour][index].text)
                if other and int(other.group("n")) - neighbour == offset:
                    return True
    return False
