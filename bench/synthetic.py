"""A synthetic corpus of report-like documents made from the bundled ones.

Each copy varies what the extractor has to cope with: every number is changed with its
digit count kept (so tables keep their shape), years are shifted, the region is swapped
and amount units are written another way. File names are unique, so each is a document.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

REGIONS = ["Västerbotten", "Norrbotten", "Jämtland Härjedalen", "Västernorrland", "Dalarna", "Gävleborg"]
UNIT_SPELLINGS = [("mnkr", "miljoner kronor"), ("miljoner kronor", "mnkr")]
_NUMBER = re.compile(r"(?<![\d])(\d{1,3}(?: \d{3})+|\d+)(,\d+)?")


def _vary_number(match: re.Match, rng: random.Random) -> str:
    whole, decimals = match.group(1), match.group(2) or ""
    digits = whole.replace(" ", "")
    if len(digits) == 4 and 1990 <= int(digits) <= 2100:
        return str(int(digits) + rng.choice([-2, -1, 0, 1, 2])) + decimals  # a year: shift it
    if int(digits) <= 100:
        # shares stay shares: a varied 100 % must not become 512 %, nor 100,5 % with its decimals
        new = str(rng.randint(0, 99 if decimals else 100))
    else:
        new = str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))
    if " " in whole:
        new = f"{int(new):,}".replace(",", " ")
    if decimals:
        decimals = "," + "".join(str(rng.randint(0, 9)) for _ in decimals[1:])
    return new + decimals


def vary(text: str, rng: random.Random) -> str:
    region = rng.choice(REGIONS)
    text = re.sub(r"Västerbotten|Norrbotten", region, text)
    source, target = rng.choice(UNIT_SPELLINGS)
    text = text.replace(f" {source} ", f" {target} ")
    return _NUMBER.sub(lambda m: _vary_number(m, rng), text)


def generate(source_dir: Path, out_dir: Path, count: int, seed: int = 42, start: int = 0) -> list[Path]:
    """Documents number `start` to `start + count - 1`. A later call with another `start` and seed
    adds documents of new content (the bench's incremental refresh), not copies of earlier ones."""
    rng = random.Random(seed)
    sources = sorted(source_dir.glob("*.txt"))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        source = sources[index % len(sources)]
        path = out_dir / f"synthetic_{index:04d}_{source.name}"
        path.write_text(vary(source.read_text(encoding="utf-8"), rng), encoding="utf-8")
        paths.append(path)
    return paths
