"""Read report files from the inbox into DocumentText, or say precisely why not.

Everything the registry knows about a document (kind, region, period, title) is inferred
from its text, never from the file name: names are chosen by whoever drops the file.
read_document never raises for bad input; it returns an IngestIssue the warehouse records.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..warehouse.settings import ReadLimits, read_limits
from .normalise import split_lines
from .periods import MONTH_PATTERN, month_end, month_number, year_to_date
from .records import DocumentMeta, IngestIssue

log = logging.getLogger(__name__)

DEFAULT_MAX_REPORT_BYTES = ReadLimits().max_report_bytes

# All 21 Swedish regions: SCB county code, official name, and the name stems reports use
# ('Region Västerbotten', 'Västerbottens län', 'Region Jönköpings län').
REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Region Stockholm", ("stockholm",)),
    "03": ("Region Uppsala", ("uppsala",)),
    "04": ("Region Sörmland", ("sörmland", "södermanland")),
    "05": ("Region Östergötland", ("östergötland",)),
    "06": ("Region Jönköpings län", ("jönköping",)),
    "07": ("Region Kronoberg", ("kronoberg",)),
    "08": ("Region Kalmar län", ("kalmar",)),
    "09": ("Region Gotland", ("gotland",)),
    "10": ("Region Blekinge", ("blekinge",)),
    "12": ("Region Skåne", ("skåne",)),
    "13": ("Region Halland", ("halland",)),
    "14": ("Västra Götalandsregionen", ("västra götaland",)),
    "17": ("Region Värmland", ("värmland",)),
    "18": ("Region Örebro län", ("örebro",)),
    "19": ("Region Västmanland", ("västmanland",)),
    "20": ("Region Dalarna", ("dalarna", "dalarnas")),
    "21": ("Region Gävleborg", ("gävleborg",)),
    "22": ("Region Västernorrland", ("västernorrland",)),
    "23": ("Region Jämtland Härjedalen", ("jämtland härjedalen", "jämtland")),
    "24": ("Region Västerbotten", ("västerbotten",)),
    "25": ("Region Norrbotten", ("norrbotten",)),
}


def _region_pattern(stem: str) -> re.Pattern[str]:
    stem_re = re.escape(stem).replace(r"\ ", r"\s+")
    # 'Region X', 'Region Xs', 'Xs län', 'X läns', 'Västra Götalandsregionen'
    return re.compile(
        rf"\bregion\s+{stem_re}s?\b|\b{stem_re}s?\s+läns?\b|\b{stem_re}sregionen\b", re.IGNORECASE
    )


_REGION_PATTERNS = {
    code: [_region_pattern(stem) for stem in stems] for code, (_, stems) in REGIONS.items()
}

# Kind vocabulary. Word boundaries matter: 'delårsrapport' must not count as 'årsrapport'.
_KIND_PATTERNS: dict[str, re.Pattern[str]] = {
    "annual_report": re.compile(
        r"\b(?:årsrapport|årsredovisning|verksamhetsberättelse)(?:en|ens|s)?\b", re.IGNORECASE
    ),
    "interim_report": re.compile(
        r"\b(?:delårsrapport(?:en|ens|er|erna)?|delårsbokslut(?:et)?|tertialrapport(?:en|er)?|"
        r"tertialuppföljning(?:en)?|delår\s+per)\b",
        re.IGNORECASE,
    ),
    "monthly_report": re.compile(
        r"\b(?:månadsrapport(?:en|er)?|månadsuppföljning(?:en)?|månadsbokslut(?:et)?|"
        r"månadsrapportering(?:en)?)\b",
        re.IGNORECASE,
    ),
    "board_slides": re.compile(r"\binformerar\b", re.IGNORECASE),
}
# A line that names the report in a heading carries more weight than a passing mention.
_HEADING_WEIGHT = 5
_HEADING_MAX_CHARS = 70
_SLIDE_SHORT_LINE_SHARE = 0.75
_SLIDE_MAX_LINES = 400

_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?![\d-])")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_PER_MONTH = re.compile(
    r"\b(?:delårsrapport(?:en)?|delårsbokslut|delår|tertialrapport|månadsrapport(?:en)?|"
    r"månadsuppföljning(?:en)?|utfall|resultat)?\s*(?:per|efter)\s+(?:den\s+)?(?:sista\s+)?"
    rf"(?P<month>{MONTH_PATTERN})(?:\s+månad)?(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_REPORT_MONTH = re.compile(
    r"\b(?:delårsrapport(?:en)?|delår|tertialrapport|månadsrapport(?:en)?|"
    r"månadsuppföljning(?:en)?)\s+(?:per\s+)?(?:den\s+)?(?:sista\s+)?"
    # not the first month of a range: 'Delårsrapport januari–augusti'
    rf"(?P<month>{MONTH_PATTERN})(?!\w)(?!\s*(?:-|–|till\b))(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_JAN_RANGE = re.compile(
    rf"\bjan(?:uari)?\.?\s*(?:-|–|till|t\.o\.m\.?)\s*(?P<month>{MONTH_PATTERN})(?:\s+(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_DATA_MONTH = re.compile(
    rf"\b(?:data|utfall|siffror)\s+(?:från|för|avser)\s+(?P<month>{MONTH_PATTERN})\s+(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_TERTIAL_NUMBER = re.compile(r"\b(?:tertial\s*([12])|T([12]))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Classification:
    """What the text says about itself."""

    kind: str  # annual_report, interim_report, monthly_report, board_slides, unknown
    region_code: str | None
    region_name: str | None
    period_start: date | None
    period_end: date | None
    title: str | None
    scores: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class DocumentText:
    """A successfully read document."""

    meta: DocumentMeta
    lines: list[str]  # normalise.split_lines of the text; index 0 = line 1
    page_of_line: list[int] | None  # for PDF input: page number of each line, else None
    issues: list[IngestIssue]  # non-fatal caveats (e.g. decoded as cp1252), is_fatal=False
    content_key: str = ""  # content_key(lines): the same report in another encoding or layout has the same key


# ---------------------------------------------------------------- inbox and ids


_TEMP_NAME = re.compile(r"^~|~$|\.(?:tmp|part|crdownload|swp|lock)$", re.IGNORECASE)


class InboxError(RuntimeError):
    """The inbox itself cannot be read: a run must stop rather than see an empty inbox."""


def scan_inbox(reports_dir: Path) -> list[Path]:
    """Report candidates in the inbox (not recursive), sorted by name.

    Hidden files and editors'/downloaders' temp files are skipped; anything else is a
    candidate, so that a wrong file type is reported as an issue rather than ignored.
    Raises InboxError when the folder is missing or cannot be listed: a typo or a share that
    is not mounted must not look like an inbox whose reports were all removed.
    """
    reports_dir = Path(reports_dir)
    if not reports_dir.is_dir():
        what = "is not a folder" if reports_dir.exists() else "does not exist"
        raise InboxError(f"the inbox REPORTS_DIR={reports_dir} {what} (a typo, or a share that is not mounted?)")
    try:
        entries = list(reports_dir.iterdir())
    except OSError as error:
        raise InboxError(f"cannot list the inbox REPORTS_DIR={reports_dir}: {error.strerror or error}") from error
    found = []
    for path in entries:
        if path.name.startswith(".") or _TEMP_NAME.search(path.name):
            continue
        if path.is_dir() and not path.is_symlink():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.name)


_VERSION_SUFFIX = re.compile(
    r"(?:[\s_\-]*(?:\(\d+\)|v\d+|ver\d+|version\s*\d+|rev\d+|kopia|copy|final|slutlig|ny|new))+$",
    re.IGNORECASE,
)


def content_key(lines: list[str]) -> str:
    """What two deliveries of one report share whatever their encoding, file name, white space,
    blank lines or doubled lines: the sha256 of the non-blank lines, white space collapsed,
    each repeat of the line before it dropped."""
    digest = hashlib.sha256()
    previous = None
    for line in lines:
        text = " ".join(line.split())
        if text and text != previous:
            digest.update(text.encode("utf-8") + b"\n")
            previous = text
    return digest.hexdigest()


_VERSION_NUMBER = re.compile(r"\((\d+)\)|(?:v|ver|version|rev)\s*(\d+)", re.IGNORECASE)


def delivery_number(file_name: str) -> int:
    """The delivery a file name says it is: 'Rapport (2).txt' and 'rapport_v2.pdf' are 2, a name
    without a version mark is 1. A person can see it in the name, unlike a file date that
    cp -p, unzip or rsync -a carry over from an older copy."""
    stem = Path(file_name).name
    for suffix in (".pdf", ".txt", ".text", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    marks = _VERSION_SUFFIX.search(stem.strip())
    numbers = [int(a or b) for a, b in _VERSION_NUMBER.findall(marks.group(0))] if marks else []
    return max(numbers, default=1)


def document_id_for(file_name: str) -> str:
    """Stable slug of the file name: no extension, ascii, '_'-separated, version marks dropped.

    'RVB HSN Årsrapport 2022 (2).pdf' and 'rvb_hsn_arsrapport_2022.txt' share one id, so a
    re-delivered or re-formatted file replaces its earlier version.
    """
    stem = Path(file_name).name
    for suffix in (".pdf", ".txt", ".text", ".md"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = _VERSION_SUFFIX.sub("", stem.strip()) or stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_stem.lower()).strip("_")
    if not slug:  # a name of only non-latin characters still needs a stable id
        slug = "doc_" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]
    return slug


# ---------------------------------------------------------------- classification


_CHAPTER_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
# 'denna delårsrapport', 'i detta månadsbokslut': the document speaking of itself.
_SELF_REFERENCE = re.compile(r"\b(?:denna|detta|föreliggande)\s+$", re.IGNORECASE)


def _heading_text(line: str) -> str:
    """A line with white space collapsed and any chapter number ('4. ', '2.1 ') removed."""
    return _CHAPTER_NUMBER.sub("", re.sub(r"\s+", " ", line.strip()))


def _names_report(line: str, pattern: re.Pattern[str]) -> bool:
    """A heading-like line that names the report: 'HSN Årsrapport 2022', 'Månadsrapport februari'.

    Short, starts with a capital, no sentence punctuation at the end, and the kind word is
    among its first three words (so 'under Kapitel 3.2 i denna delårsrapport.' is no heading).
    """
    text = _heading_text(line)
    if not text or len(text) > _HEADING_MAX_CHARS or not text[0].isupper():
        return False
    if text[-1] in ".,;:" or len(text.split()) > 8:
        return False
    found = pattern.search(text)
    if not found:
        return False
    if found.group(0).lower() == "informerar":
        # a verb: 'HÄLSO- OCH SJUKVÅRDSDIREKTÖREN INFORMERAR' - it closes the heading
        return not text[found.end():].strip()
    return len(text[: found.start()].split()) <= 2


def _kind_scores(lines: list[str]) -> dict[str, float]:
    scores: Counter[str] = Counter()
    for line in lines:
        for kind, pattern in _KIND_PATTERNS.items():
            if _names_report(line, pattern):
                scores[kind] += _HEADING_WEIGHT
                continue
            for found in pattern.finditer(line):
                self_reference = _SELF_REFERENCE.search(line[: found.start()])
                scores[kind] += 3 if self_reference else 1
    non_blank = [line.strip() for line in lines if line.strip()]
    if non_blank and len(non_blank) <= _SLIDE_MAX_LINES:
        short = sum(1 for line in non_blank if len(line) <= 60 and not line.endswith("."))
        # Slides: mostly short bullet-like lines and a standalone meeting date.
        if short / len(non_blank) >= _SLIDE_SHORT_LINE_SHARE and any(
            _ISO_DATE.fullmatch(line) for line in non_blank
        ):
            scores["board_slides"] += 3
    return dict(scores)


def _pick_kind(scores: dict[str, float]) -> str:
    if scores.get("board_slides", 0) >= _HEADING_WEIGHT and scores["board_slides"] >= max(
        scores.get(k, 0) for k in ("annual_report", "interim_report", "monthly_report")
    ) / 2:
        # 'X informerar' headings are slides even when they mention the annual report.
        return "board_slides"
    ranked = sorted(
        ((score, kind) for kind, score in scores.items() if kind != "board_slides"), reverse=True
    )
    if ranked and ranked[0][0] >= 2:
        return ranked[0][1]
    if scores.get("board_slides", 0) >= 3:
        return "board_slides"
    return "unknown"


def detect_region(text: str) -> tuple[str | None, str | None]:
    """The region whose 'Region X' / 'X län' names dominate the text."""
    counts = Counter()
    for code, patterns in _REGION_PATTERNS.items():
        for pattern in patterns:
            counts[code] += len(pattern.findall(text))
    # 'Jämtland Härjedalen' also matches the 'jämtland' stem: count it once.
    if counts["23"]:
        counts["23"] = max(len(p.findall(text)) for p in _REGION_PATTERNS["23"])
    if not counts or counts.most_common(1)[0][1] == 0:
        return None, None
    (code, best), *rest = counts.most_common(2) + [(None, 0)]
    if rest and rest[0][1] == best:
        return None, None  # a tie is no evidence
    return code, REGIONS[code][0]


def _dominant_year(text: str) -> int | None:
    years = Counter(int(y) for y in _YEAR.findall(text))
    return years.most_common(1)[0][0] if years else None


def _month_votes(pattern: re.Pattern[str], text: str) -> tuple[int | None, int | None]:
    """Most frequent month named by `pattern`, and the year written with it most often."""
    months: Counter[int] = Counter()
    years: Counter[tuple[int, int]] = Counter()
    for found in pattern.finditer(text):
        month = month_number(found["month"])
        if month is None:
            continue
        months[month] += 1
        if found["year"]:
            years[(month, int(found["year"]))] += 1
    if not months:
        return None, None
    month = months.most_common(1)[0][0]
    with_year = [(n, year) for (m, year), n in years.items() if m == month]
    return month, (max(with_year)[1] if with_year else None)


def _period(kind: str, text: str, lines: list[str]) -> tuple[date | None, date | None]:
    year = _dominant_year(text)
    if kind == "annual_report":
        titled = Counter(
            int(found.group(1))
            for found in re.finditer(
                r"\b(?:årsrapport|årsredovisning|verksamhetsberättelse)(?:en)?\s+(?:för\s+)?(?:år\s+)?((?:19|20)\d\d)\b",
                text,
                re.IGNORECASE,
            )
        )
        year = titled.most_common(1)[0][0] if titled else year
        return (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)
    if kind in ("interim_report", "monthly_report"):
        month, month_year = _month_votes(_REPORT_MONTH, text)
        if month is None:
            month, month_year = _month_votes(_JAN_RANGE, text)
        if month is None and kind == "interim_report":
            tertial = _TERTIAL_NUMBER.search(text)
            if tertial:
                month = 4 * int(tertial.group(1) or tertial.group(2))
        if month is None:
            month, month_year = _month_votes(_PER_MONTH, text)
        year = month_year or year
        if month is None or year is None:
            return None, None
        start, end, _ = year_to_date(year, month)
        return start, end
    if kind == "board_slides":
        data_month = _DATA_MONTH.search(text)
        if data_month:
            y, m = int(data_month["year"]), month_number(data_month["month"])
            return date(y, m, 1), month_end(y, m)
        for line in lines:
            found = _ISO_DATE.fullmatch(line.strip())
            if found:
                y, m = int(found.group(1)), int(found.group(2))
                if 1 <= m <= 12:
                    return date(y, m, 1), month_end(y, m)
        return None, None
    return None, None


def _title(kind: str, lines: list[str], period_end: date | None) -> str | None:
    pattern = _KIND_PATTERNS.get(kind)
    if pattern is None:
        return None
    headings = [_heading_text(line) for line in lines if _names_report(line, pattern)]
    if headings:
        # Prefer a heading that also names the year (a cover line over a section head).
        with_year = [h for h in headings if _YEAR.search(h)]
        return (with_year or headings)[0]
    # No heading names the report: take the phrase as the text writes it, preferring
    # the singular form with its month ('Delårsrapport per april').
    text = "\n".join(lines)
    singular = pattern.pattern.replace("(?:en|ens|s)?", "").replace("(?:en|ens|er|erna)?", "")
    for phrase_pattern in (
        rf"{singular}\s+per\s+{MONTH_PATTERN}(?:\s+(?:19|20)\d\d)?",
        rf"{singular}(?:\s+(?:19|20)\d\d)?",
    ):
        found = re.search(phrase_pattern, text, re.IGNORECASE)
        if found:
            break
    else:
        return None
    phrase = re.sub(r"\s+", " ", found.group(0)).strip().rstrip(".")
    phrase = phrase[0].upper() + phrase[1:]
    if period_end and not _YEAR.search(phrase):
        phrase = f"{phrase} {period_end.year}"
    return phrase


def classify(lines: list[str]) -> Classification:
    """Kind, region, period and title of a document, inferred from its text alone."""
    text = "\n".join(lines)
    scores = _kind_scores(lines)
    kind = _pick_kind(scores)
    region_code, region_name = detect_region(text)
    start, end = _period(kind, text, lines) if kind != "unknown" else (None, None)
    title = _title(kind, lines, end)
    return Classification(kind, region_code, region_name, start, end, title, scores)


# ---------------------------------------------------------------- reading files


class _Refused(Exception):
    """Internal: carries the IngestIssue out of the reading steps."""

    def __init__(self, issue: IngestIssue) -> None:
        super().__init__(issue.detail)
        self.issue = issue


def max_report_bytes(override: int | None = None) -> int:
    """The size limit: argument, else env MAX_REPORT_BYTES, else 50 MB (settings.read_limits)."""
    if override is not None:
        return int(override)
    return read_limits().max_report_bytes


# Characters Swedish report text legitimately contains beyond ASCII.
_SWEDISH_EXTRA = set("åäöÅÄÖéÉèÈüÜáÁàøØæÆ§°½¼¾±×÷«»–—‘’‚“”„•…€£¤µ²³´¨·¸¹º¿ªÑñçÇíÍóÓúÚôâêîûëïÿ©®™†‡‰")
_MOJIBAKE = re.compile(r"Ã[¥¤¶…„–©]")
_UNDECODABLE_SHARE = 0.02
_MIN_LETTER_SHARE = 0.4


def _oddness(text: str) -> float:
    """Share of characters no Swedish report would contain (controls, foreign scripts)."""
    if not text:
        return 0.0
    odd = 0
    for char in text:
        if char in "\n\r\t\f\v" or " " <= char <= "~" or char in _SWEDISH_EXTRA:
            continue
        if unicodedata.category(char) in ("Zs",):
            continue
        odd += 1
    return odd / len(text)


def _plausible_swedish(text: str) -> bool:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return True
    letters = sum(1 for c in visible if c.isalpha())
    return letters / len(visible) >= _MIN_LETTER_SHARE and _oddness(text) <= _UNDECODABLE_SHARE


def _decode(data: bytes, name: str, sha: str, size: int) -> tuple[str, str, list[IngestIssue]]:
    """Text, encoding name and caveats; raises _Refused when no encoding gives Swedish text."""
    issues: list[IngestIssue] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
            if _plausible_swedish(text):
                issues.append(_caveat(name, "decoded_as_utf16", "file is UTF-16 (byte order mark)", sha, size))
                return text, "utf-16", issues
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        if len(_MOJIBAKE.findall(text)) >= 3:
            # UTF-8 bytes decoded as cp1252 and saved again as UTF-8: 'Ã¥' for 'å'. Undo it.
            try:
                repaired = text.encode("cp1252").decode("utf-8")
            except UnicodeError:
                repaired = None
            if repaired is not None and _plausible_swedish(repaired):
                issues.append(_caveat(
                    name, "repaired_double_encoding",
                    f"text was UTF-8 encoded twice ('Ã¥' for 'å', first at offset {_MOJIBAKE.search(text).start()}); repaired",
                    sha, size,
                ))
                return repaired, encoding, issues
        if _plausible_swedish(text):
            return text, encoding, issues
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    else:
        utf8_error = "UTF-8 decodes but does not look like Swedish text"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_swedish(text):
            code = "decoded_as_cp1252" if encoding == "cp1252" else "decoded_as_latin1"
            issues.append(_caveat(name, code, f"{utf8_error}; decoded as {encoding}", sha, size))
            return text, encoding, issues
    raise _Refused(IngestIssue(
        name, "undecodable",
        f"{utf8_error}, and neither cp1252 nor latin-1 yields plausible Swedish text", sha, size,
    ))


def _caveat(name: str, code: str, detail: str, sha: str | None, size: int | None) -> IngestIssue:
    return IngestIssue(name, code, detail, sha, size, is_fatal=False)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.01


def _check_binary(data: bytes, name: str, sha: str, size: int) -> tuple[bytes, list[IngestIssue]]:
    """Refuse binary content; a text padded with NULs at the end is a truncated write."""
    issues = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data, issues  # UTF-16: NUL bytes are expected
    stripped = data.rstrip(b"\x00")
    if len(stripped) < len(data) and b"\x00" not in stripped and stripped.strip():
        issues.append(_caveat(
            name, "possibly_truncated",
            f"file ends in {len(data) - len(stripped)} NUL bytes after offset {len(stripped)} - an interrupted write?",
            sha, size,
        ))
        data = stripped
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _Refused(IngestIssue(name, "binary_file", f"NUL byte at offset {nul}: not a text or PDF file", sha, size))
    sample = data[: 1 << 20]
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if sample and controls / len(sample) > _BINARY_CONTROL_SHARE:
        raise _Refused(IngestIssue(
            name, "binary_file",
            f"{controls} control bytes in the first {len(sample)} bytes: not a text or PDF file", sha, size,
        ))
    return data, issues


# A last line ending like this stops mid-sentence: the text was probably cut off.
_DANGLING_WORDS = {
    "och", "att", "som", "i", "på", "för", "med", "av", "till", "eller", "samt", "men", "den",
    "det", "de", "en", "ett", "är", "har", "vid", "om", "från", "inom", "mot", "under", "efter",
}


def _truncation_caveat(lines: list[str], name: str, sha: str, size: int) -> IngestIssue | None:
    non_blank = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    if not non_blank:
        return None
    number, last = non_blank[-1]
    words = re.findall(r"[^\W\d_]+", last.lower())
    if re.search(r"[^\W\d_]-$", last) or last.endswith(",") or (words and words[-1] in _DANGLING_WORDS and not last[-1] in ".:!?"):
        return _caveat(
            name, "possibly_truncated",
            f"text ends mid-sentence at line {number}: {last[-60:]!r}", sha, size,
        )
    return None


class _TooManyPages(Exception):
    """Internal: the PDF declares more pages than MAX_PDF_PAGES."""

    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"{pages} pages")
        self.pages, self.limit = pages, limit


def _declared_pages(pdf) -> int | None:
    """The page count the page tree declares, read without building every page object."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:  # noqa: BLE001 - a damaged or cut-off page tree: count the pages instead
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _extract_pdf(data: bytes, max_pages: int) -> tuple[int, list[str], list[int], list[tuple[int, str]]]:
    """Page count, lines, page of each line, and (page, error) for pages that failed.

    Raises _TooManyPages before reading any page when the PDF has more than `max_pages`. Each
    page's layout is released once its text is taken (page.close()): pdfplumber otherwise keeps
    every page's characters, about 0.5 MB a page, so a 6 000-page file took 3 GB.
    """
    import pdfplumber  # heavy import, only for PDFs

    lines: list[str] = []
    pages: list[int] = []
    failed: list[tuple[int, str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        declared = _declared_pages(pdf)
        if declared is not None and declared > max_pages:
            raise _TooManyPages(declared, max_pages)
        page_count = len(pdf.pages)
        if page_count > max_pages:
            raise _TooManyPages(page_count, max_pages)
        for page_number, page in enumerate(pdf.pages, start=1):
            try:
                page_text = page.extract_text() or ""
            except Exception as exc:  # pdfminer raises many types on damaged pages
                failed.append((page_number, f"{type(exc).__name__}: {exc}"))
                continue
            finally:
                page.close()
            page_lines = split_lines(page_text)
            lines.extend(page_lines)
            pages.extend([page_number] * len(page_lines))
    return page_count, lines, pages, failed


def _is_encrypted(error: BaseException, data: bytes) -> bool:
    """pdfplumber wraps pdfminer's password errors in an exception with an empty message."""
    seen: list[BaseException] = []
    while isinstance(error, BaseException) and error not in seen:
        seen.append(error)
        if any(word in type(error).__name__ for word in ("Password", "Encrypt")):
            return True
        error = error.__cause__ or error.__context__ or (error.args[0] if error.args else None)
    return b"/Encrypt" in data


def _page_ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    ranges: list[str] = []
    for number in sorted(numbers):
        if ranges and number == int(ranges[-1].split("-")[-1]) + 1:
            ranges[-1] = f"{ranges[-1].split('-')[0]}-{number}"
        else:
            ranges.append(str(number))
    return ", ".join(ranges)


_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).)*?/Type\s*/Catalog", re.DOTALL)


def _repair_truncated_pdf(data: bytes) -> bytes | None:
    """A cut-off PDF lacks its xref and trailer; keep the whole objects, add a trailer.

    pdfminer falls back to scanning for objects when the xref is missing; it only needs a
    trailer naming the catalog. Pages whose content was cut off then come out empty.
    """
    catalog = _CATALOG.search(data)
    last_object_end = data.rfind(b"endobj")
    if not catalog or last_object_end < 0:
        return None
    kept = data[: last_object_end + len(b"endobj")]
    return kept + b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % (catalog.group(1), catalog.group(2))


def _too_many_pages(name: str, found: _TooManyPages, sha: str, size: int) -> _Refused:
    return _Refused(IngestIssue(
        name, "too_many_pages",
        f"the PDF has {found.pages} pages, more than the limit of {found.limit} (MAX_PDF_PAGES); no page was read",
        sha, size,
    ))


def _pdf_lines(data: bytes, name: str, sha: str, size: int, max_pages: int) -> tuple[list[str], list[int], list[IngestIssue]]:
    issues: list[IngestIssue] = []
    cut_off = b"%%EOF" not in data[-2048:]
    try:
        page_count, lines, pages, failed = _extract_pdf(data, max_pages)
        if cut_off:
            issues.append(_caveat(name, "pdf_truncated", "PDF has no %%EOF marker at its end: the file may be cut off", sha, size))
    except _TooManyPages as found:
        raise _too_many_pages(name, found, sha, size)
    except Exception as exc:  # broken xref, encryption, not a PDF at all...
        if _is_encrypted(exc, data):
            raise _Refused(IngestIssue(
                name, "pdf_encrypted",
                "the PDF is encrypted and needs a password to open: deliver a copy saved without a password",
                sha, size,
            ))
        error = f"{type(exc).__name__}: {exc}".rstrip(": ") or type(exc).__name__
        repaired = _repair_truncated_pdf(data) if cut_off else None
        if repaired is None:
            raise _Refused(IngestIssue(name, "pdf_unreadable", f"pdfplumber could not open the PDF: {error}", sha, size))
        try:
            page_count, lines, pages, failed = _extract_pdf(repaired, max_pages)
        except _TooManyPages as found:
            raise _too_many_pages(name, found, sha, size)
        except Exception as again:
            raise _Refused(IngestIssue(
                name, "pdf_unreadable",
                f"PDF is cut off (no %%EOF) and could not be repaired: {error}; after repair: {type(again).__name__}: {again}",
                sha, size,
            ))
        empty_pages = sorted(set(range(1, page_count + 1)) - set(pages))
        if not any(line.strip() for line in lines):
            raise _Refused(IngestIssue(
                name, "pdf_unreadable", f"PDF is cut off (no %%EOF) and no page text survives: {error}", sha, size,
            ))
        issues.append(_caveat(
            name, "pdf_truncated",
            f"PDF is cut off after byte {size} (no %%EOF, {error}); of its {page_count} pages, "
            f"{page_count - len(empty_pages)} were read and these were lost (no text): {_page_ranges(empty_pages) or 'none'}",
            sha, size,
        ))
    for page_number, error in failed:
        issues.append(_caveat(name, "pdf_page_unreadable", f"page {page_number}: {error}", sha, size))
    if page_count == 0:
        raise _Refused(IngestIssue(name, "pdf_unreadable", "the PDF has no pages", sha, size))
    if not any(line.strip() for line in lines):
        raise _Refused(IngestIssue(
            name, "no_text_layer",
            f"none of the {page_count} pages has extractable text (scanned images? needs OCR)", sha, size,
        ))
    return lines, pages, issues


def _is_pdf(head: bytes) -> bool:
    """By content, never by name: a PDF starts with '%PDF-' (the format allows a little junk before it)."""
    return b"%PDF-" in head[:1024]


def _bounded_lines(lines: list[str], limit: int, name: str, sha: str, size: int) -> tuple[list[str], IngestIssue | None]:
    """Lines longer than `limit` cut to it (at a word boundary near the end), so no rule ever
    reads a line of megabytes; numbering is kept, so every value still points at its line."""
    long = [(number, len(line)) for number, line in enumerate(lines, start=1) if len(line) > limit]
    if not long:
        return lines, None
    bounded = list(lines)
    for number, _ in long:
        line = bounded[number - 1]
        cut = line.rfind(" ", limit - 200, limit)
        bounded[number - 1] = line[: cut if cut > 0 else limit].rstrip()
    shown = ", ".join(f"line {number} ({length} characters)" for number, length in long[:5])
    more = f" and {len(long) - 5} more" if len(long) > 5 else ""
    return bounded, _caveat(
        name, "long_line_truncated",
        f"{len(long)} line(s) longer than {limit} characters (MAX_LINE_CHARS) were cut to that length before "
        f"extraction; the rest of each was not read: {shown}{more}",
        sha, size,
    )


def read_document(
    path: Path, reports_dir: Path | None = None, *, max_bytes: int | None = None
) -> DocumentText | IngestIssue:
    """Read one report file, or return the IngestIssue saying why it cannot be used."""
    path = Path(path)
    name = path.name
    try:
        return _read(path, reports_dir, max_bytes)
    except _Refused as refused:
        return refused.issue
    except Exception as exc:  # the contract: bad input never raises
        log.exception("unexpected error reading %s", path)
        return IngestIssue(name, "read_error", f"{type(exc).__name__}: {exc}")


def _refusal_before_reading(path: Path, inbox: Path, limit: int) -> tuple[IngestIssue | None, os.stat_result | None]:
    """Why a file must not be read at all (a symlink leaving the inbox, not a file, too large),
    decided from the file system alone; else its stat."""
    name = path.name
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            return IngestIssue(name, "broken_symlink", f"symlink {path} does not resolve: {exc}"), None
        if not target.is_relative_to(inbox.resolve()):
            return IngestIssue(name, "symlink_outside_inbox",
                               f"symlink points to {target}, outside the inbox {inbox.resolve()}"), None
    try:
        stat = path.stat()
    except FileNotFoundError:
        return IngestIssue(name, "missing_file", f"{path} does not exist"), None
    except OSError as exc:
        return IngestIssue(name, "unreadable_file", f"cannot stat {path}: {exc}"), None
    if not path.is_file():
        return IngestIssue(name, "not_a_file", f"{path} is not a regular file"), None
    if stat.st_size > limit:  # decided by stat, before reading anything into memory
        return IngestIssue(name, "too_large", f"{stat.st_size} bytes exceeds the limit of {limit} bytes "
                           "(MAX_REPORT_BYTES)", None, stat.st_size), None
    return None, stat


def file_fingerprint(path: Path, reports_dir: Path | None = None, *, max_bytes: int | None = None) -> str:
    """What identifies this version of a file without reading it as a report.

    The sha256 of its bytes (equal to DocumentMeta.sha256 once read); for a file read_document
    refuses before reading, a marker of the refusal and what stat saw, so an unchanged refused
    file is not retried on every run.
    """
    path = Path(path)
    inbox = Path(reports_dir) if reports_dir is not None else path.parent
    refusal, _ = _refusal_before_reading(path, inbox, max_report_bytes(max_bytes))
    if refusal is not None:
        try:
            seen = path.lstat()
            return f"refused:{refusal.reason_code}:{seen.st_size}:{seen.st_mtime_ns}"
        except OSError:
            return f"refused:{refusal.reason_code}"
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        return f"refused:{type(exc).__name__}"
    return digest.hexdigest()


def _read(path: Path, reports_dir: Path | None, max_bytes: int | None) -> DocumentText:
    name = path.name
    inbox = Path(reports_dir) if reports_dir is not None else path.parent
    limit = max_report_bytes(max_bytes)
    refusal, stat = _refusal_before_reading(path, inbox, limit)
    if refusal is not None:
        raise _Refused(refusal)
    size = stat.st_size
    if size == 0:
        raise _Refused(IngestIssue(name, "empty_file", "file has 0 bytes", hashlib.sha256(b"").hexdigest(), 0))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file growing after stat still cannot exceed the limit
    except OSError as exc:
        raise _Refused(IngestIssue(name, "unreadable_file", f"cannot read {path}: {exc}", None, size))
    if len(data) > limit:
        raise _Refused(IngestIssue(name, "too_large", f"file grew beyond {limit} bytes while being read", None, len(data)))
    size = len(data)
    sha = hashlib.sha256(data).hexdigest()

    issues: list[IngestIssue] = []
    page_of_line: list[int] | None = None
    limits = read_limits()
    if _is_pdf(data[:1024]):
        lines, page_of_line, issues = _pdf_lines(data, name, sha, size, limits.max_pdf_pages)
        encoding, source_format = "pdf", "pdf"
    else:
        data, issues = _check_binary(data, name, sha, size)
        if path.suffix.lower() == ".pdf":
            issues.append(_caveat(name, "not_a_pdf", "named .pdf but has no %PDF- header: read as a text file", sha, size))
        text, encoding, decode_issues = _decode(data, name, sha, size)
        issues.extend(decode_issues)
        if not text.strip():
            raise _Refused(IngestIssue(name, "empty_text", f"{size} bytes but only white space", sha, size))
        lines = split_lines(text)
        source_format = "text"
        if not any(i.reason_code == "possibly_truncated" for i in issues):
            caveat = _truncation_caveat(lines, name, sha, size)
            if caveat:
                issues.append(caveat)
    lines, long_lines = _bounded_lines(lines, limits.max_line_chars, name, sha, size)
    if long_lines:
        issues.append(long_lines)

    found = classify(lines)
    if found.kind == "unknown":
        raise _Refused(IngestIssue(
            name, "unknown_kind",
            "text names no report kind (årsrapport/årsredovisning, delårsrapport/tertialrapport, "
            f"månadsrapport/månadsuppföljning, 'informerar' slides) in its {len(lines)} lines",
            sha, size,
        ))
    partial = [i for i in issues if i.reason_code in ("pdf_truncated", "pdf_page_unreadable")]
    if partial and found.region_code is None:
        # facts of a partial PDF would be published under the bare root unit 'Region': refuse instead
        raise _Refused(IngestIssue(
            name, partial[0].reason_code,
            f"{'; '.join(i.detail for i in partial[:3])}; the pages read do not name the region, so the "
            "facts cannot be attributed to an organisation: deliver the complete file",
            sha, size,
        ))
    meta = DocumentMeta(
        document=name,
        document_id=document_id_for(name),
        sha256=sha,
        size_bytes=size,
        region_code=found.region_code,
        region_name=found.region_name,
        document_kind=found.kind,
        period_start=found.period_start,
        period_end=found.period_end,
        title=found.title,
        encoding=encoding,
        line_count=len(lines),
        source_format=source_format,
    )
    return DocumentText(meta, lines, page_of_line, issues, content_key(lines))
