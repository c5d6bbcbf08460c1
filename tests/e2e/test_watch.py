"""Where to watch it: the running bot checks its watch links against the provider (a local fake,
tests/support/provider.py) in the background, and cards show only the verified ones."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.app import running
from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, Call, User
from tests.support.database import peek
from tests.support.flows import ask, until
from tests.support.process import run_to_exit
from tests.support.provider import CRANES, FakeProvider, Video

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "films.yaml"
VIDEO = f"https://www.youtube.com/watch?v={CRANES}"
SITE = "https://cinema.mosfilm.ru/"
# The Cranes Are Flying on the film sites, as its ids in the catalogue give them (issue #26)
LETTERBOXD = "https://letterboxd.com/film/the-cranes-are-flying/"
IMDB = "https://www.imdb.com/title/tt0050634/"
KINOPOISK = "https://www.kinopoisk.ru/film/7724/"


@pytest.fixture
async def checked_bot(
    settings: Settings, botapi: BotAPIServer, provider: FakeProvider
) -> AsyncIterator[BotApplication]:
    """The bot with its daily link checks on; its first check, at start-up, has run."""
    async with (
        provider.session() as session,
        running(settings.model_copy(update={"link_check_hours": 24}), links=session) as app,
    ):
        core = app.bot_data.core
        assert core is not None
        await until(lambda: core.watch.verified(SITE) and core.watch.verified(VIDEO))
        yield app
        await botapi.release_polling()


def url_buttons(call: Call) -> list[tuple[str, str]]:
    return [(b["text"], b["url"]) for b in call.buttons if "url" in b]


async def test_cards_show_the_verified_links_in_the_readers_language(
    botapi: BotAPIServer, checked_bot: object, anna: User, boris: User
) -> None:
    card = await botapi.reply_to(anna, "/film the cranes are flying")
    assert url_buttons(card) == [
        ("▶ Watch on Mosfilm (English subtitles)", VIDEO),
        ("Letterboxd", LETTERBOXD),  # the film's pages elsewhere, English readers' sites
        ("IMDb", IMDB),
    ]
    assert card.params["link_preview_options"] == {"is_disabled": True}
    rows = card.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in rows[1]] == ["Letterboxd", "IMDb"]  # one row, under where to watch
    card = await botapi.reply_to(boris, "/film летят журавли")
    assert url_buttons(card) == [
        ("▶ Смотреть на канале «Мосфильма» (англ. субтитры)", VIDEO),
        ("🎬 Онлайн-кинотеатр «Мосфильма»", SITE),  # YouTube is slow in Russia: the studio's own site
        ("Кинопоиск", KINOPOISK),  # and Russian readers' film site first
        ("IMDb", IMDB),
    ]


async def test_a_two_part_film_has_a_button_per_part(
    botapi: BotAPIServer, checked_bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film irony of fate")
    assert [label for label, _ in url_buttons(card)] == [
        "▶ Part 1 on Mosfilm (English subtitles)",
        "▶ Part 2 on Mosfilm (English subtitles)",
        "IMDb",
    ]


async def test_a_film_without_a_link_shows_none_and_never_a_web_search(
    botapi: BotAPIServer, checked_bot: object, anna: User, boris: User
) -> None:
    white_nights = "https://www.imdb.com/title/tt0142113/"
    card = await botapi.reply_to(anna, "/film white nights")  # Mosfilm, but no video in the sheet
    assert url_buttons(card) == [("IMDb", white_nights)]
    card = await botapi.reply_to(boris, "/film белые ночи")
    assert url_buttons(card) == [("🎬 Онлайн-кинотеатр «Мосфильма»", SITE), ("IMDb", white_nights)]
    card = await botapi.reply_to(boris, "/film дама с собачкой")  # Lenfilm: nothing
    assert url_buttons(card) == []


async def test_shared_cards_carry_the_verified_links_too(
    botapi: BotAPIServer, checked_bot: object, anna: User
) -> None:
    answer = await ask(botapi, anna, "cranes are flying")
    [result] = [r for r in answer.params["results"] if r["id"] == "cranes-are-flying"]
    buttons = [b for row in result["reply_markup"]["inline_keyboard"] for b in row]
    assert {"text": "▶ Watch on Mosfilm (English subtitles)", "url": VIDEO} in buttons
    assert result["input_message_content"]["link_preview_options"] == {"is_disabled": True}


async def test_a_link_that_dies_between_two_checks_leaves_the_cards(
    botapi: BotAPIServer, checked_bot: BotApplication, provider: FakeProvider, settings: Settings, anna: User
) -> None:
    provider.videos[CRANES] = Video(status=404)  # Mosfilm took it down
    core = checked_bot.bot_data.core
    assert core is not None
    card = await botapi.reply_to(anna, "/film the cranes are flying")
    assert url_buttons(card) != []  # until the next check, the last verdict stands
    async with provider.session() as session:
        await core.watch.check(session, settings.endpoints())  # the next daily check
    card = await botapi.reply_to(anna, "/film the cranes are flying")
    assert url_buttons(card) == [("Letterboxd", LETTERBOXD), ("IMDb", IMDB)]  # the pages still answer
    card = await botapi.reply_to(anna, "/film uncle vanya")
    assert [label for label, _ in url_buttons(card)] == ["▶ Watch on Mosfilm (English subtitles)"]


async def test_a_film_page_that_is_gone_leaves_the_cards(
    botapi: BotAPIServer, checked_bot: BotApplication, provider: FakeProvider, settings: Settings, boris: User
) -> None:
    """Issue #26: the film sites' pages are links like any other, shown only while they answer."""
    provider.gone.add(KINOPOISK)
    core = checked_bot.bot_data.core
    assert core is not None
    async with provider.session() as session:
        await core.watch.check(session, settings.endpoints())
    card = await botapi.reply_to(boris, "/film летят журавли")
    assert [label for label, _ in url_buttons(card)][-2:] == ["🎬 Онлайн-кинотеатр «Мосфильма»", "IMDb"]


async def test_without_a_check_no_link_is_shown(botapi: BotAPIServer, bot: object, anna: User) -> None:
    card = await botapi.reply_to(anna, "/film the cranes are flying")  # LINK_CHECK_HOURS=0: never verified
    assert url_buttons(card) == []
    assert card.params["link_preview_options"] == {"is_disabled": True}


def without_studio_sites(path: Path) -> Path:
    """The real catalogue less the studios' sites and the films' ids (their pages on IMDb and the
    like), which only a real network could answer for: the videos are what these tests check."""
    text = CATALOGUE.read_text(encoding="utf-8")
    sites = '    studio: Mosfilm\n    site: "https://cinema.mosfilm.ru/"\n'
    assert sites in text
    text = re.sub(r"(?m)^    ids:.*\n(^      .*\n)+", "", text.replace(sites, ""))
    path.write_text(text, encoding="utf-8")
    return path


async def test_operators_check_the_links_by_hand_and_see_a_table(
    tmp_path: Path, provider: FakeProvider
) -> None:
    catalogue = str(without_studio_sites(tmp_path / "films.yaml"))
    code, out, err = await run_to_exit(
        tmp_path, "check-links", CATALOGUE_PATH=catalogue, OEMBED_URL=provider.oembed_url
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["film", "provider", "status", "checked", "at", "detail"]
    [cranes] = [line for line in lines if line.startswith("cranes-are-flying ")]
    assert re.match(
        r"cranes-are-flying +mosfilm-english +ok +\d{4}-\d\d-\d\d \d\d:\d\d UTC The Cranes are", cranes
    )
    assert lines[1].startswith("irony-of-fate (part 1) ")
    assert lines[-1] == "9 link(s): 9 verified, 0 dead, 0 not checked"

    provider.videos[CRANES] = Video(status=404)
    code, out, _ = await run_to_exit(
        tmp_path, "check-links", CATALOGUE_PATH=catalogue, OEMBED_URL=provider.oembed_url
    )
    assert code == 1
    assert re.search(r"cranes-are-flying +mosfilm-english +gone .* the provider answers 404", out)
    assert out.splitlines()[-1] == "9 link(s): 8 verified, 1 dead, 0 not checked"
    rows = await peek(tmp_path, "SELECT url, status FROM link_checks")  # recorded for the bot
    statuses = {url: status for url, status in rows}
    assert statuses[VIDEO] == "gone" and statuses["https://www.youtube.com/watch?v=EF3A9mmRzGc"] == "ok"


async def test_check_links_without_the_provider_says_nothing_could_be_checked(tmp_path: Path) -> None:
    catalogue = str(without_studio_sites(tmp_path / "films.yaml"))
    code, out, _ = await run_to_exit(
        tmp_path, "check-links", CATALOGUE_PATH=catalogue, OEMBED_URL="http://127.0.0.1:9/oembed"
    )
    assert code == 2
    assert out.splitlines()[-1] == "9 link(s): 0 verified, 0 dead, 9 not checked"
