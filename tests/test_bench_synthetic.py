"""The benchmark's synthetic corpus varies numbers, years, regions and units but keeps the shape."""

import random
import re

from bench.synthetic import generate, vary


def test_vary_keeps_line_count_and_number_shapes():
    text = "Periodens resultat uppgår till 133 mnkr, 2022.\nTOTALT VÄSTERBOTTEN 5 496 1 721\nandel 6,7 procent\n"
    varied = vary(text, random.Random(1))
    assert varied.count("\n") == text.count("\n")
    assert varied != text
    assert re.search(r"TOTALT VÄSTERBOTTEN \d \d{3} \d \d{3}$", varied.splitlines()[1])
    assert re.search(r"\d,\d procent", varied)
    year = int(re.search(r"(\d{4})\.", varied).group(1))
    assert 2020 <= year <= 2024


def test_generate_writes_unique_documents(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.txt").write_text("Resultat 100 mnkr i Västerbotten\n", encoding="utf-8")
    paths = generate(source, tmp_path / "out", 3)
    assert len({p.name for p in paths}) == 3
    assert len({p.read_text(encoding="utf-8") for p in paths}) > 1


def test_varied_shares_stay_within_0_100():
    rng = random.Random(7)
    for _ in range(300):
        varied = vary("andelen var 99,5 procent och 100 procent\n", rng)
        for number in re.findall(r"(\d+(?:,\d+)?) procent", varied):
            assert float(number.replace(",", ".")) <= 100, varied


def test_bench_judges_the_scaling_targets_it_has_sizes_for():
    from bench.run import targets

    lines = targets(
        {
            5: {"full_refresh_s": 10.0},
            500: {"full_refresh_s": 120.0, "incremental_over_full": 0.15, "peak_memory_mb": 1000.0},
            2000: {"peak_memory_mb": 2100.0},
        }
    )
    assert lines == [
        "NOT MET: full refresh at N=500 under 10x N=5 (12.0x)",
        "met: incremental refresh at N=500 under 0.2 of a full one (0.15)",
        "NOT MET: peak memory at N=2000 within 10 % of N=500 (2100 vs 1000 MB)",
        "NOT MET: peak memory at N=2000 under 2 GB (2100 MB)",
    ]
    assert targets({50: {"full_refresh_s": 1.0, "incremental_over_full": 0.5, "peak_memory_mb": 1.0}}) == []


def test_the_benchmarks_new_document_is_new_content_under_a_new_name(tmp_path):
    """The incremental refresh's document must be extracted, not refused as a copy of a loaded one."""
    from bench.run_one import NEW_DOCUMENT_SEED

    source = tmp_path / "source"
    source.mkdir()
    (source / "a.txt").write_text("Resultat 133 mnkr i Västerbotten 2022, andel 6,7 procent\n", encoding="utf-8")
    loaded = generate(source, tmp_path / "inbox", 3)
    [new] = generate(source, tmp_path / "inbox", 1, seed=NEW_DOCUMENT_SEED, start=3)
    assert new.name not in {p.name for p in loaded}
    assert new.read_text(encoding="utf-8") not in {p.read_text(encoding="utf-8") for p in loaded}
