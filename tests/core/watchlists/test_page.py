from __future__ import annotations

from datetime import UTC, datetime

from bot.core.models import PAGE_SIZE
from bot.core.watchlists.model import Entry
from bot.core.watchlists.page import render_watchlist

NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)


def entry(film_id: str, title: str, watched: bool = False) -> Entry:
    return Entry(film_id, title, 1960, NOW, NOW if watched else None)


def test_sections_counts_and_gone_films() -> None:
    entries = [entry("a", "A <b>"), entry("gone", "Gone"), entry("c", "C", watched=True)]
    page = render_watchlist(entries, 0, "en", {"a": "A <b>", "c": "C"})
    assert "To watch: 2 · Watched: 1" in page.text
    assert "<b>To watch</b>" in page.text and "<b>Watched</b>" in page.text
    assert "• A &lt;b&gt; (1960)" in page.text
    assert "• Gone (1960) (no longer in the catalogue)" in page.text
    assert page.pages == 1 and "Page" not in page.text


def test_pages_are_clamped_and_numbered() -> None:
    entries = [entry(f"f{n}", f"F{n}") for n in range(PAGE_SIZE * 2 + 1)]
    page = render_watchlist(entries, 99, "ru", {})
    assert page.number == 2 and page.pages == 3 and len(page.entries) == 1
    assert "Страница 3 из 3" in page.text
