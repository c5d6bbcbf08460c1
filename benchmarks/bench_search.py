"""Search latency: our index against a full rapidfuzz scan, on the real and a 10,000-film catalogue.

Run:  .venv/bin/python benchmarks/bench_search.py
Prints p50/p99 per catalogue size for both, their ratio, and the top-1 hit share of each on the
cases table (tests/core/catalogue/search_cases.yaml). Our side is timed uncached
(`SearchIndex.rank`), so every query pays for the whole search; the bot itself also caches rankings
per query.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import yaml
from anyascii import anyascii
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generated_catalogue  # noqa: E402
from benchmarks.stats import percentile  # noqa: E402
from bot.core.catalogue.loading import load_catalogue  # noqa
from bot.core.catalogue.model import Film, Localized  # noqa
from bot.core.catalogue.search import SearchIndex, fold  # noqa

QUERIES = 1000
SEED = 26


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiouнаок") + word[i + 1 :]


def query_mix(films: Sequence[Film], count: int = QUERIES, seed: int = SEED) -> list[str]:
    """A fixed mix of what people type: titles in both scripts, transliterations, typos, prefixes,
    directors and years."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        film = rng.choice(films)
        original = film.original_title or film.title
        kind = rng.random()
        if kind < 0.2:
            query = film.title
        elif kind < 0.4:
            query = original  # Cyrillic
        elif kind < 0.5:
            query = anyascii(original).lower()  # transliteration
        elif kind < 0.7:
            words = rng.choice([film.title, original]).split()
            query = " ".join(_typo(w, rng) for w in words)
        elif kind < 0.8:
            word = max(rng.choice([film.title, original]).split(), key=len)
            query = word[: max(3, len(word) * 2 // 3)]
        elif kind < 0.9:
            query = film.directors[0].en.split()[-1]
        else:
            query = f"{film.directors[0].en.split()[-1]} {film.year}"
        queries.append(query)
    return queries


def timings_us(run: Callable[[str], object], queries: list[str]) -> list[float]:
    for query in queries[:50]:
        run(query)  # warm up
    gc.disable()
    try:
        result = []
        for query in queries:
            start = time.perf_counter_ns()
            run(query)
            result.append((time.perf_counter_ns() - start) / 1000)
        return result
    finally:
        gc.enable()


class FullScan:
    """The baseline: rapidfuzz's WRatio over every title, English and Russian, per query."""

    def __init__(self, films: Sequence[Film]):
        self.choices: list[str] = []
        self.owners: list[Film] = []
        for film in films:
            for name in {film.title, film.original_title or film.title}:
                self.choices.append(name)
                self.owners.append(film)

    def search(self, query: str, limit: int = 50) -> list[Film]:
        hits = process.extract(
            query, self.choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit
        )
        seen: dict[str, Film] = {}
        for _, _, position in hits:
            seen.setdefault(self.owners[position].id, self.owners[position])
        return list(seen.values())


def top1_share(search: Callable[[str], list[str]]) -> float:
    table = ROOT / "tests" / "core" / "catalogue" / "search_cases.yaml"
    cases = yaml.safe_load(table.read_text(encoding="utf-8"))["cases"]
    hits = sum(1 for case in cases if search(str(case["query"]))[:1] == [case["film"]])
    return hits / len(cases)


def measure(
    label: str, films: Sequence[Film], themes: Mapping[str, Localized] | None = None
) -> dict[str, float]:
    started = time.perf_counter()
    index = SearchIndex(films, themes)
    build_ms = (time.perf_counter() - started) * 1000
    baseline = FullScan(films)
    queries = query_mix(films)
    ours = timings_us(lambda q: index.rank(fold(q), 50), queries)
    theirs = timings_us(lambda q: baseline.search(q), queries)
    row = {
        "films": len(films),
        "build_ms": build_ms,
        "ours_p50": statistics.median(ours),
        "ours_p99": percentile(ours, 0.99),
        "scan_p50": statistics.median(theirs),
        "scan_p99": percentile(theirs, 0.99),
    }
    row["ratio_p50"] = row["scan_p50"] / row["ours_p50"]
    row["ratio_p99"] = row["scan_p99"] / row["ours_p99"]
    print(
        f"{label:<16} {row['films']:>6} films  index built in {build_ms:8.1f} ms\n"
        f"  ours      p50 {row['ours_p50']:8.1f} µs   p99 {row['ours_p99']:8.1f} µs\n"
        f"  full scan p50 {row['scan_p50']:8.1f} µs   p99 {row['scan_p99']:8.1f} µs\n"
        f"  speed-up  p50 {row['ratio_p50']:8.1f} x    p99 {row['ratio_p99']:8.1f} x"
    )
    return row


def main() -> None:
    catalogue = load_catalogue(ROOT / "data" / "films.yaml")
    real = catalogue.visible
    print(f"python {sys.version.split()[0]}, {QUERIES} queries per catalogue (seed {SEED})\n")
    measure("real catalogue", real, catalogue.themes)
    measure("generated", generated_catalogue(10_000).visible)

    index, baseline = SearchIndex(real, catalogue.themes), FullScan(real)
    ours = top1_share(lambda q: [m.film.id for m in index.search(q, limit=1)])
    theirs = top1_share(lambda q: [f.id for f in baseline.search(q, limit=5)])
    print(f"\ncases table top-1: ours {ours:.1%}, full scan {theirs:.1%}")


if __name__ == "__main__":
    main()
