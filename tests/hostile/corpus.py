"""Hostile and unlucky inputs for the monthly refresh (issue 12), made on demand.

Each function writes one case of the issue's table into a folder and returns the paths it wrote;
the tests call them on temporary folders, and a person can make the whole corpus to try a
refresh by hand:

    python -m tests.hostile.corpus OUT_DIR [case ...]     # all cases when none is named

Nothing here is committed as data: the inputs are large (20 MB, 6 000 pages, 2 000 files) and
cheap to make. PDF cases need reportlab (a dev dependency).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[2] / "seeds" / "reports"
GOOD_REPORT = REPORTS / "rvb_hsn_arsrapport_2022.txt"

# A small report every reader classifies: kind, region and period in its first lines, and two
# values the running-text rules extract. `{n}` varies the numbers so copies are not duplicates.
SMALL_REPORT = """Region Västerbotten
Årsrapport 2022
Hälso- och sjukvårdsnämnden

Sammanfattning
Hälso- och sjukvårdsnämnden redovisar ett underskott på {deficit} miljoner kronor för 2022.
Sjukfrånvaron var {sick},{tenth} procent under året.
"""


def small_report(number: int = 0) -> str:
    return SMALL_REPORT.format(deficit=100 + number % 800, sick=4 + number % 5, tenth=number % 10)


def write_pdf(path: Path, pages: list[list[str]], **canvas_options) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, **canvas_options)
    for page in pages:
        y = 800
        for line in page:
            pdf.drawString(40, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


# ---------------------------------------------------------------- one case each


def one_line_file(folder: Path, megabytes: float = 20) -> list[Path]:
    """A report heading, then one line of `megabytes` MB ("12,5 procent " repeated)."""
    path = folder / "en_rad.txt"
    unit = "12,5 procent "
    with path.open("w", encoding="utf-8") as out:
        out.write("Region Västerbotten\nÅrsrapport 2022\n")
        chunk = unit * 10_000
        for _ in range(max(1, int(megabytes * 1024 * 1024 / len(chunk)))):
            out.write(chunk)
        out.write("\n")
    return [path]


def long_line_report(folder: Path, characters: int = 100_000) -> list[Path]:
    """The bundled annual report with `characters` characters of its own text joined onto one line."""
    lines = GOOD_REPORT.read_text(encoding="utf-8").splitlines()
    joined = ""
    index = 60
    while len(joined) < characters:
        joined += " " + lines[index % len(lines)].strip()
        index += 1
    path = folder / "lang_rad_arsrapport_2022.txt"
    path.write_text("\n".join(lines[:60] + [joined[:characters]] + lines[60:]) + "\n", encoding="utf-8")
    return [path]


def many_pages_pdf(folder: Path, pages: int = 6000) -> list[Path]:
    """A PDF of `pages` short text pages (6 000 pages are about 4.5 MB)."""
    body = [
        ["Region Västerbotten", "Årsrapport 2022", f"Sida {n}: sjukfrånvaron var 5,{n % 10} procent."]
        for n in range(1, pages + 1)
    ]
    return [write_pdf(folder / "tusentals_sidor.pdf", body)]


def long_name(folder: Path) -> list[Path]:
    """A report whose file name is 255 bytes, the most ext4 and most file systems allow."""
    stem = "årsrapport_" + "x" * 300
    name = stem.encode("utf-8")[: 255 - len(b".txt")].decode("utf-8", "ignore") + ".txt"
    path = folder / name
    path.write_text(small_report(1), encoding="utf-8")
    return [path]


def encrypted_pdf(folder: Path) -> list[Path]:
    """A report PDF that needs a password to open."""
    lines = small_report(2).splitlines()
    return [write_pdf(folder / "losenord.pdf", [lines], encrypt="hemligt")]


def truncated_pdf(folder: Path, keep: float = 0.5) -> list[Path]:
    """A 16-page report cut off after `keep` of its bytes; only the lost pages name the region."""
    pages = [["Årsrapport 2022", f"Sida {n}: sjukfrånvaron var 5,{n % 10} procent under året."] for n in range(1, 17)]
    for page in pages[8:]:
        page.append("Region Västerbotten")
    whole = write_pdf(folder / "hel.pdf", pages)
    data = whole.read_bytes()
    whole.unlink()
    path = folder / "avbruten.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    return [path]


def text_named_pdf(folder: Path) -> list[Path]:
    """A plain text report saved with a .pdf name."""
    path = folder / "egentligen_text.pdf"
    path.write_text(small_report(3), encoding="utf-8")
    return [path]


def same_report_many_ways(folder: Path) -> list[Path]:
    """One report as UTF-8, cp1252, UTF-16 and UTF-8 with a byte order mark under other names, and with
    every line doubled. (latin-1 would give cp1252's bytes for this text: the same file.)"""
    text = small_report(4)
    written = []
    for name, encoding in (
        ("rapport_utf8.txt", "utf-8"),
        ("Rapport Windows.txt", "cp1252"),
        ("rapport-utf16.txt", "utf-16"),
        ("RAPPORT bom.txt", "utf-8-sig"),
    ):
        path = folder / name
        path.write_bytes(text.encode(encoding))
        written.append(path)
    doubled = folder / "rapport dubblerad.txt"
    doubled.write_text("".join(line + "\n" + line + "\n" for line in text.splitlines()), encoding="utf-8")
    return [*written, doubled]


def corrected_with_older_date(folder: Path) -> list[Path]:
    """A report and its correction 'Rapport (2).txt' whose file date is older (cp -p, unzip, rsync -a)."""
    import os

    original = folder / "rapport.txt"
    original.write_text(small_report(5), encoding="utf-8")
    corrected = folder / "Rapport (2).txt"
    corrected.write_text(small_report(6), encoding="utf-8")
    os.utime(corrected, (1_600_000_000, 1_600_000_000))  # 2020: older than the original
    return [original, corrected]


def names_that_are_code(folder: Path) -> list[Path]:
    """Reports whose names hold what a shell or make would run or choke on."""
    names = [
        "rapport `touch PWNED_BACKTICK`.txt",
        'rapport "citat".txt',
        "rapport $(touch PWNED_DOLLAR).txt",
        "rapport med mellanslag.txt",
        "rapport 'apostrof'.txt",
    ]
    written = []
    for number, name in enumerate(names):
        path = folder / name
        path.write_text(small_report(10 + number), encoding="utf-8")
        written.append(path)
    return written


def small_files(folder: Path, count: int = 2000) -> list[Path]:
    """`count` distinct small reports (about 8 lines each)."""
    written = []
    for number in range(count):
        path = folder / f"liten_rapport_{number:05d}.txt"
        path.write_text(small_report(number) + f"Bilaga {number}.\n", encoding="utf-8")
        written.append(path)
    return written


def good_reports(folder: Path) -> list[Path]:
    """The bundled reports: what must still be published next to any bad file."""
    written = []
    for source in sorted(REPORTS.glob("*.txt")):
        target = folder / source.name
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written


CASES = {
    "good_reports": good_reports,
    "one_line_file": one_line_file,
    "long_line_report": long_line_report,
    "many_pages_pdf": many_pages_pdf,
    "long_name": long_name,
    "encrypted_pdf": encrypted_pdf,
    "truncated_pdf": truncated_pdf,
    "text_named_pdf": text_named_pdf,
    "same_report_many_ways": same_report_many_ways,
    "corrected_with_older_date": corrected_with_older_date,
    "names_that_are_code": names_that_are_code,
    "small_files": small_files,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write into; each case gets its own subfolder")
    parser.add_argument("cases", nargs="*", choices=[[], *CASES], help="cases to make (default: all)")
    args = parser.parse_args(argv)
    for case in args.cases or list(CASES):
        folder = args.out / case
        folder.mkdir(parents=True, exist_ok=True)
        written = CASES[case](folder)
        print(f"{case}: {len(written)} file(s) in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
