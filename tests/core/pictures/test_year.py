"""Your year in Soviet cinema: the recap counted from a diary, written out whole in both languages,
and its picture held to the cards' rules (tests/core/pictures/test_card.py: check_plan)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.diary.model import Viewing
from bot.core.pictures.layout import png
from bot.core.pictures.year import year_plan
from bot.core.recap.year import recap, render_year, years_logged
from tests.core.pictures.test_card import FILMS, check_plan

LOGGED = datetime(2026, 12, 1, tzinfo=UTC)
BY_ID = {f.id: f for f in FILMS}


def viewing(n: int, film_id: str, day: date | None, rating: int | None = None) -> Viewing:
    return Viewing(n, film_id, day, rating, LOGGED)


def test_one_film_logged_makes_a_year() -> None:
    summary = recap(2026, [viewing(1, "irony-of-fate", date(2026, 1, 1), 9)], FILMS, {})
    assert summary is not None
    assert [f.id for f in summary.films] == ["irony-of-fate"]
    assert summary.minutes == BY_ID["irony-of-fate"].runtime_min
    assert summary.seen == 1 and summary.collection == len(FILMS) and summary.badge is None
    assert summary.own_average == 4.5 and summary.everyone_average is None and summary.best_unseen is None
    en = render_year(summary, "en")
    assert en.splitlines()[:3] == ["<b>My 2026 in Soviet cinema</b>", "", "1 film · 3 hours"]
    assert "Directed by: Eldar Ryazanov" in en
    assert f"You have seen 1 of the {len(FILMS)} films in the collection" in en
    ru = render_year(summary, "ru")
    assert ru.splitlines()[2] == "1 фильм · 3 часа"
    assert f"Вы видели 1 из {len(FILMS)} фильма коллекции" in ru


def test_a_year_counts_its_own_entries_and_the_collection_all_of_them() -> None:
    ids = [f.id for f in FILMS]
    entries = [viewing(n, ids[n], date(2025, 3, 1 + n), 6) for n in range(12)]  # last year
    entries += [viewing(20 + n, ids[n], date(2026, 2, 1 + n), 8) for n in range(3)]  # rewatches
    entries += [viewing(40, ids[20], None)]  # undated: seen, in no year
    community = {ids[0]: (4, 32), ids[30]: (10, 100), ids[31]: (2, 20)}
    summary = recap(2026, entries, FILMS, community)
    assert summary is not None
    assert len(summary.films) == 3 and summary.viewings == 3
    assert summary.seen == 13 and summary.badge == 25  # 13 of 51: past a quarter
    assert summary.own_average == 4.0
    assert summary.everyone_average == 4.0  # ids[0] only: 32 half stars from 4 ratings
    assert summary.best_unseen is not None and summary.best_unseen.id == ids[30]  # ten 5s beat two
    assert sum(n for _, n in summary.decades) == 3
    assert years_logged(entries) == [2026, 2025]
    assert recap(2024, entries, FILMS, community) is None


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("watched", [1, 7, len(FILMS)])
def test_every_year_picture_fits_and_says_what_the_text_says(language: str, watched: int) -> None:
    entries = [
        viewing(n, FILMS[n].id, date(2026, 1 + n % 12, 1 + n % 28), 1 + n % 10) for n in range(watched)
    ]
    entries += [viewing(100 + n, FILMS[n].id, date(2026, 12, 1), 10) for n in range(min(watched, 3))]
    summary = recap(2026, entries, FILMS, {f.id: (2, 15) for f in FILMS[::2]})
    assert summary is not None
    plan = year_plan(summary, language)  # type: ignore[arg-type]
    check_plan(plan)
    shown = " ".join(line.text for line in plan.lines).upper().split()
    said = render_year(summary, language).replace("<b>", "").replace("</b>", "")  # type: ignore[arg-type]
    by_decade = said.splitlines()[3]  # the picture draws it as bars: each decade's name and count
    for word in said.replace(by_decade, "").upper().split():
        if word not in ("🎖", "🏅", "🏆", "👑"):
            assert word in shown, f"{word!r} is in the text but not on the picture"
    assert len(png(plan)) < 400 * 1024
