from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.watchlists.model import WatchlistVerb
from bot.telegram.callbacks import FilmId, Payload, accepts, decode, encode
from bot.telegram.handlers.card import Another, ChangeWatchlist, OpenFilm, OpenSettings
from bot.telegram.handlers.diary import Rate, RateOlder, WatchedEarlierOlder
from bot.telegram.handlers.films import FilmsPage
from bot.telegram.handlers.start import ChooseLanguage
from bot.telegram.handlers.subscriptions import ChangeSettings, SettingsChange
from bot.telegram.handlers.watchlist import PickForTonight, RemoveGone, TurnWatchlistPage


@pytest.mark.parametrize(
    "payload",
    [
        Another(),
        OpenFilm("cranes-are-flying"),
        ChooseLanguage("ru"),
        FilmsPage(3),
        ChangeWatchlist(WatchlistVerb.WATCHED, "irony-of-fate"),
        RemoveGone("gone-film", 2),
        TurnWatchlistPage(0),
        PickForTonight(),
        ChangeSettings(SettingsChange.EARLIER),
        OpenSettings(),
    ],
)
def test_every_payload_round_trips(payload: Payload) -> None:
    assert decode(encode(payload)) == payload


def test_star_buttons_name_their_film_and_older_ones_still_parse() -> None:
    assert encode(Rate("asya", 12, 3)) == "v1:rt:asya:12:3"
    assert decode("v1:rate:12:3") == RateOlder(12, 3)  # an older release's, on messages in chats
    assert decode("v1:earl:12") == WatchedEarlierOlder(12)
    longest = "a" * 40  # the catalogue's longest id, with the largest viewing id a button may carry
    assert decode(encode(Rate(longest, 999_999_999_999, 10))) == Rate(longest, 999_999_999_999, 10)


def test_the_wire_format_is_the_one_older_buttons_carry() -> None:
    assert encode(OpenFilm("cranes-are-flying")) == "v1:film:cranes-are-flying"
    assert encode(ChangeWatchlist(WatchlistVerb.REMOVE, "a-b")) == "v1:wl:del:a-b"
    assert encode(Another()) == "v1:rnd"
    assert decode("v1:sub:later") == ChangeSettings(SettingsChange.LATER)


@pytest.mark.parametrize(
    "data",
    [None, "", "rnd", "v0:rnd", "v2:rnd", "v1:", "v1:nope", "v1:rnd:extra", "v1:film", "v1:film:",
     "v1:film:UPPER", "v1:film:a b", "v1:lang:de", "v1:film:" + "a" * 80, "v1:film:x:y",
     "v1:wl:eat:a", "v1:films:-1", "v1:films:12345", "v1:sub:never"],
)  # fmt: skip
def test_forged_or_stale_data_is_refused(data: str | None) -> None:
    assert decode(data) is None


def test_a_pattern_accepts_only_its_own_kind() -> None:
    assert accepts(OpenFilm)("v1:film:a")
    assert not accepts(OpenFilm)("v1:rnd")
    assert not accepts(OpenFilm)(None)


def test_encode_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError):
        encode(OpenFilm("a" * 70))


@settings(max_examples=300)
@given(st.one_of(st.text(st.characters(codec="utf-8")), st.text().map(lambda t: "v1:" + t)))
def test_any_callback_data_decodes_or_is_refused(data: str) -> None:
    payload = decode(data)
    assert payload is None or decode(encode(payload)) == payload


def test_a_new_button_is_one_class_its_parsing_derived_from_its_fields() -> None:
    @dataclass(frozen=True)
    class Ponder(Payload, action="test-ponder"):
        film_id: FilmId
        verb: WatchlistVerb

    assert decode("v1:test-ponder:cranes-are-flying:seen") == Ponder(
        "cranes-are-flying", WatchlistVerb.WATCHED
    )
    assert decode("v1:test-ponder:Cranes:seen") is None
    assert decode("v1:test-ponder:cranes:eat") is None


def test_two_buttons_cannot_share_an_action() -> None:
    with pytest.raises(TypeError, match="two payloads"):

        @dataclass(frozen=True)
        class Impostor(Payload, action="film"):
            film_id: FilmId


def test_a_field_without_a_wire_form_is_refused_on_first_use() -> None:
    @dataclass(frozen=True)
    class Vague(Payload, action="test-vague"):
        anything: str

    with pytest.raises(TypeError, match="no wire form"):
        decode("v1:test-vague:x")
