"""Property-based, on the core alone: what users control never raises anything but the documented
ValueError, whatever the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.catalogue.search import MAX_QUERY_CHARS, Verdict, fold
from bot.core.films.service import Library, open_library
from bot.core.subscriptions.zones import read_subscription

ROOT = Path(__file__).resolve().parents[2]
TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
LIBRARY: Library = open_library(ROOT / "data" / "films.yaml")


@settings(max_examples=300)
@given(TEXT)
def test_search_takes_any_text(query: str) -> None:
    found = LIBRARY.index.find(query)
    assert found.verdict in (Verdict.ONE, Verdict.SEVERAL, Verdict.NONE)
    assert len(LIBRARY.index.search(query, limit=50)) <= 50
    assert all(token.isascii() for token in fold(query).split())


@settings(max_examples=300)
@given(TEXT)
def test_subscribe_arguments_parse_or_raise_value_error(argument: str) -> None:
    try:
        at, zone = read_subscription(argument)
    except ValueError:
        return
    assert (at is None or 0 <= at.hour < 24) and (zone is None or zone.name)


@pytest.mark.parametrize("length", [MAX_QUERY_CHARS, MAX_QUERY_CHARS + 1, 10_000])
def test_long_queries_are_bounded(length: int) -> None:
    """A query is read up to MAX_QUERY_CHARS: past that, what it finds no longer depends on its
    length. A wall of letters finds nothing; a title before it still finds its film."""
    for start, verdict in (("", Verdict.NONE), ("летят журавли ", Verdict.ONE)):
        found = LIBRARY.index.find(start + "ж" * length)
        assert found == LIBRARY.index.find((start + "ж" * length)[:MAX_QUERY_CHARS])
        assert found.verdict is verdict
