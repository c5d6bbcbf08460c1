"""The search quality table: the share of queries whose intended film ranks first."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.search import SearchIndex

ROOT = Path(__file__).resolve().parents[3]
CASES = yaml.safe_load((Path(__file__).with_name("search_cases.yaml")).read_text(encoding="utf-8"))["cases"]
REQUIRED_SHARE = 0.99  # issue #12: at least 99 % top-1


def test_the_table_is_broad_enough() -> None:
    kinds = Counter(case["kind"] for case in CASES)
    assert len(CASES) >= 60
    assert set(kinds) >= {"english", "russian", "transliteration", "typo", "prefix", "alias", "director",
                          "cast", "year", "mixed", "author", "studio", "theme"}  # fmt: skip
    for kind in ("author", "studio", "theme"):  # in both languages
        queries = [case["query"] for case in CASES if case["kind"] == kind]
        assert any(re.search("[а-я]", q) for q in queries) and any(re.search("[a-z]", q) for q in queries), (
            kind
        )


def test_top_1_share_is_at_least_99_percent(record_property: Callable[[str, object], None]) -> None:
    catalogue = load_catalogue(ROOT / "data" / "films.yaml")
    assert {case["film"] for case in CASES} <= set(catalogue.by_id)
    index = SearchIndex(catalogue.visible, catalogue.themes)
    misses = []
    for case in CASES:
        results = index.search(case["query"], limit=3)
        if not results or results[0].film.id != case["film"]:
            misses.append((case["query"], case["film"], [m.film.id for m in results]))
    share = 1 - len(misses) / len(CASES)
    # conftest.py prints this at the end of the run
    record_property("search_cases", f"{len(CASES) - len(misses)}/{len(CASES)} top-1 hits ({share:.1%})")
    record_property("search_misses", misses)
    assert share >= REQUIRED_SHARE, misses
