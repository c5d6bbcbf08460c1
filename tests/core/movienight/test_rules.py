"""Movie night's decisions: which films a round votes on, who wins, and deadlines as people type
them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.catalogue.model import Film
from bot.core.models import Refused, Zone
from bot.core.movienight.rules import MAX_CANDIDATES, Why, rank_candidates, read_deadline, tally
from bot.core.watchlists.model import Entry

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
MOSCOW = Zone("Europe/Moscow", ZoneInfo("Europe/Moscow"))


def film(film_id: str, year: int = 1970) -> Film:
    return Film.model_validate({"id": film_id, "title": film_id.replace("-", " ").title(), "year": year})


NAMES = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima"
FILMS = [film(name, 1950 + 2 * n) for n, name in enumerate(NAMES.split())]
BY_ID = {f.id: f for f in FILMS}


def wants(*film_ids: str, watched: tuple[str, ...] = ()) -> list[Entry]:
    rows = [Entry(f, f.title(), 1970, NOW, None) for f in film_ids]
    return rows + [Entry(f, f.title(), 1970, NOW, NOW) for f in watched]


def ids(candidates: list) -> list[str]:  # type: ignore[type-arg]
    return [c.film.id for c in candidates]


def test_a_film_on_more_lists_comes_first_then_films_on_one_list_then_the_fill_up() -> None:
    lists = {1: wants("bravo", "delta"), 2: wants("delta", "echo"), 3: wants("delta", "bravo", "golf")}
    ranked = rank_candidates(lists, {}, FILMS, BY_ID["kilo"], set())
    assert ids(ranked)[:5] == [
        "delta",
        "bravo",
        "echo",
        "golf",
        "kilo",
    ]  # 3 lists, 2, then one each (by title)
    assert [(c.why, c.lists) for c in ranked[:5]] == [
        (Why.LISTS, 3), (Why.LISTS, 2), (Why.LISTS, 1), (Why.LISTS, 1), (Why.TODAY, 0),
    ]  # fmt: skip
    assert len(ranked) == MAX_CANDIDATES and len(set(ids(ranked))) == MAX_CANDIDATES


def test_a_nomination_counts_as_wanting_it_and_goes_before_unnominated_films_of_the_same_count() -> None:
    lists = {1: wants("bravo"), 2: wants("echo")}
    ranked = rank_candidates(lists, {"india": {1}, "echo": {1}}, FILMS, None, set())
    assert ids(ranked)[:3] == ["echo", "india", "bravo"]  # echo: Boris's list + Anna's nomination
    assert ranked[0].nominated and ranked[0].lists == 1  # on Boris's list, and nominated
    assert ranked[1].nominated and ranked[1].lists == 0  # only nominated


def test_a_nominated_film_on_one_list_never_passes_a_film_on_two_lists() -> None:
    """The README's rule: two lists or more first; then one list or nominated (issue #24)."""
    lists = {1: wants("alpha", "bravo"), 2: wants("bravo"), 3: wants("charlie")}
    ranked = rank_candidates(lists, {"alpha": {2, 3}, "delta": {3}}, FILMS, None, set())
    assert ids(ranked)[:4] == ["bravo", "alpha", "delta", "charlie"]
    assert (ranked[0].lists, ranked[0].nominated) == (2, False)
    assert (ranked[1].lists, ranked[1].nominated) == (1, True)  # wanted by three, on one list


def test_never_a_film_every_participant_watched_nor_a_recent_winner() -> None:
    lists = {1: wants("bravo", watched=("alpha", "charlie")), 2: wants("bravo", watched=("alpha",))}
    ranked = rank_candidates(lists, {}, FILMS, BY_ID["alpha"], {"bravo"})
    assert "alpha" not in ids(ranked)  # both watched it (even as the film of the day)
    assert "bravo" not in ids(ranked)  # won here last week
    assert "charlie" in ids(ranked)  # only one of them watched it


def test_with_nobody_wanting_anything_the_film_of_the_day_leads_the_catalogue() -> None:
    ranked = rank_candidates({1: []}, {}, FILMS, BY_ID["golf"], set(), limit=3)
    assert ids(ranked) == ["golf", "alpha", "bravo"]
    assert [c.why for c in ranked] == [Why.TODAY, Why.CATALOGUE, Why.CATALOGUE]


def test_the_most_votes_win_and_a_voter_choosing_several_counts_for_each() -> None:
    result = tally(["alpha", "bravo", "charlie"], [[0, 1], [1], [1, 2]], random.Random(1))
    assert (result.winner, result.tied, result.voters) == ("bravo", (), 3)
    assert result.votes == {"alpha": 1, "bravo": 3, "charlie": 1}


def test_a_tie_is_drawn_among_the_tied_films_only_and_reported() -> None:
    winners = set()
    for seed in range(40):
        result = tally(["alpha", "bravo", "charlie"], [[0], [1], [2, 1], [0]], random.Random(seed))
        assert result.tied == ("alpha", "bravo")
        winners.add(result.winner)
    assert winners == {"alpha", "bravo"}  # either can win; charlie never


def test_no_votes_no_winner_and_stray_options_are_ignored() -> None:
    assert tally(["alpha", "bravo"], [[], [7, -1]], random.Random(0)).winner is None


@pytest.mark.parametrize(
    ("typed", "after"),
    [
        ("", timedelta(hours=1)),
        ("30m", timedelta(minutes=30)),
        ("30 мин", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1h30m", timedelta(minutes=90)),
        ("1,5 ч", timedelta(minutes=90)),
        ("20:00", timedelta(hours=5)),  # 20:00 in Moscow, where it is 15:00
        ("в 20:00", timedelta(hours=5)),
        ("8pm", timedelta(hours=5)),
        ("20:00 Berlin", timedelta(hours=7)),  # 20:00 in Berlin is 19:00 UTC
        ("9:00", timedelta(hours=18)),  # tomorrow morning
    ],
)
def test_deadlines_as_people_type_them(typed: str, after: timedelta) -> None:
    assert read_deadline(typed, NOW, MOSCOW) == NOW + after


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("soon", "mn_not_a_deadline"),
        ("2m", "mn_too_soon"),
        ("25h", "mn_too_late"),
        ("25:00", "mn_not_a_deadline"),
    ],
)
def test_a_deadline_that_cannot_be_read_says_why(typed: str, key: str) -> None:
    with pytest.raises(Refused) as refused:
        read_deadline(typed, NOW, MOSCOW)
    assert refused.value.key == key


def test_an_added_option_outside_the_catalogue_counts_nothing_and_a_film_twice_counts_once() -> None:
    """Options members add to the poll (issue #29): "" is one the catalogue does not know; a film
    added again beside its own option gets one vote from a voter who ticks both."""
    candidates = ["cranes", "irony", "", "cranes"]
    result = tally(candidates, [[0, 3], [2], [1, 2]], random.Random(1))
    assert result.winner in {"cranes", "irony"}  # cranes 1, irony 1: a tie, drawn
    assert result.votes == {"cranes": 1, "irony": 1}
    assert result.voters == 2  # the vote for "" alone is nobody's vote
    assert set(result.tied) == {"cranes", "irony"}
