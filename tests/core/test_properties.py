"""Property-based, on the core alone: what users control never raises anything but the documented
ValueError, whatever the text."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.films import Library, open_library
from bot.core.schedule import parse_subscription, parse_zone
from bot.core.search import MAX_QUERY_CHARS, Verdict, fold

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
        at, zone = parse_subscription(argument, time(10), parse_zone("UTC"))
    except ValueError:
        return
    assert 0 <= at.hour < 24 and zone.name


@pytest.mark.parametrize("length", [MAX_QUERY_CHARS, MAX_QUERY_CHARS + 1, 10_000])
def test_long_queries_are_bounded(length: int) -> None:
    LIBRARY.index.find("ж" * length)
