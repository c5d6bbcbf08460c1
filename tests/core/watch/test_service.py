"""Verifying the watch links against a fake provider (tests/support/provider.py): which verdicts
each answer gives, which links a card may show, and how verdicts change between checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.core.films.service import Library, open_library
from bot.core.storage import Storage
from bot.core.watch.model import LinkStatus
from bot.core.watch.service import Endpoints, WatchLinks, names_film
from tests.support import flows
from tests.support.database import database_for
from tests.support.provider import CRANES, IRONY_2, FakeProvider, Video, good

CATALOGUE = Path(__file__).resolve().parents[3] / "data" / "films.yaml"
FAST = Endpoints(timeout=0.5)


def noon() -> flows.Clock:
    """A clock the test moves, at noon on 1 December."""
    return flows.Clock(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
async def session(provider: FakeProvider) -> AsyncIterator[aiohttp.ClientSession]:
    async with provider.session() as client:
        yield client


@pytest.fixture
def library() -> Library:
    return open_library(CATALOGUE)


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    opened = await Storage.open(database_for(tmp_path))
    yield opened
    await opened.close()


def shown_urls(
    links: WatchLinks, library: Library, film_id: str, language: str = "en", elsewhere: bool = False
) -> list[str]:
    """The places to watch a card shows (with `elsewhere`, the film's pages on film sites)."""
    film = library.catalogue.by_id[film_id]
    buttons = links.buttons(film, "ru" if language == "ru" else "en")
    return [button.url for button in buttons if button.elsewhere == elsewhere]


async def test_a_good_video_is_verified_and_shown_and_an_unchecked_one_is_not(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    links = WatchLinks(storage, library, noon())
    assert shown_urls(links, library, "cranes-are-flying") == []  # never checked: never shown
    reports = await links.check(session, FAST)
    assert {r.check.status for r in reports} == {LinkStatus.OK}
    pages = sum(len(film.ids.pages()) for film in library.catalogue.visible)
    assert len(reports) == 10 + pages  # nine videos of eight films, Mosfilm's site, the films' pages
    assert shown_urls(links, library, "cranes-are-flying") == [f"https://www.youtube.com/watch?v={CRANES}"]
    assert f"https://www.youtube.com/watch?v={CRANES}" in provider.asked  # asked through oEmbed


async def test_the_films_pages_elsewhere_come_in_the_readers_order_once_they_answer(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    """Issue #26: "Letterboxd · IMDb" for English readers, «Кинопоиск · IMDb» for Russian ones,
    each page verified like every link; a page that is gone leaves the card."""
    links = WatchLinks(storage, library, noon())
    provider.gone.add("https://www.imdb.com/title/tt0050634/")
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying", "en", elsewhere=True) == [
        "https://letterboxd.com/film/the-cranes-are-flying/"
    ]
    assert shown_urls(links, library, "cranes-are-flying", "ru", elsewhere=True) == [
        "https://www.kinopoisk.ru/film/7724/"
    ]
    provider.gone.clear()
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying", "en", elsewhere=True) == [
        "https://letterboxd.com/film/the-cranes-are-flying/",
        "https://www.imdb.com/title/tt0050634/",
    ]
    assert shown_urls(links, library, "cranes-are-flying", "ru", elsewhere=True) == [
        "https://www.kinopoisk.ru/film/7724/",
        "https://www.imdb.com/title/tt0050634/",
    ]
    assert shown_urls(links, library, "lady-with-the-dog", "en", elsewhere=True) == []  # no ids read


async def test_russian_cards_also_offer_the_studios_own_site_once_it_answers(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    links = WatchLinks(storage, library, noon())
    provider.site_status = 503
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying", "ru") == [
        f"https://www.youtube.com/watch?v={CRANES}"
    ]
    provider.site_status = 200
    await links.check(session, FAST)
    ru = shown_urls(links, library, "cranes-are-flying", "ru")
    assert ru == [f"https://www.youtube.com/watch?v={CRANES}", "https://cinema.mosfilm.ru/"]
    assert shown_urls(links, library, "cranes-are-flying", "en") == ru[:1]  # English cards: the video
    assert shown_urls(links, library, "lady-with-the-dog", "ru") == []  # Lenfilm: no site in the catalogue


@pytest.mark.parametrize(
    ("video", "status"),
    [
        (Video(status=404), LinkStatus.GONE),  # removed
        (Video(status=401), LinkStatus.GONE),  # private
        (Video(status=403), LinkStatus.GONE),  # blocked from embedding
        (Video("The Cranes are Flying | FULL MOVIE", author="Classic Films 4U"), LinkStatus.WRONG_CHANNEL),
        (Video("Office Romance | ROMANTIC COMEDY | FULL MOVIE"), LinkStatus.WRONG_TITLE),
        (Video(stall=True), LinkStatus.UNREACHABLE),  # no answer before the timeout
        (Video(garbage=True), LinkStatus.UNREACHABLE),  # a 200 that is not oEmbed
        (Video(status=500), LinkStatus.UNREACHABLE),
        (Video(status=429), LinkStatus.UNREACHABLE),
    ],
)
async def test_each_bad_answer_gets_its_verdict_and_the_link_is_not_shown(
    provider: FakeProvider,
    session: aiohttp.ClientSession,
    library: Library,
    storage: Storage,
    video: Video,
    status: LinkStatus,
) -> None:
    provider.videos[CRANES] = video
    links = WatchLinks(storage, library, noon())
    reports = {r.target.url: r.check for r in await links.check(session, FAST)}
    check = reports[f"https://www.youtube.com/watch?v={CRANES}"]
    assert check.status is status, check.detail
    assert check.detail
    assert shown_urls(links, library, "cranes-are-flying") == []
    assert len(shown_urls(links, library, "uncle-vanya")) == 1  # the others are not affected


async def test_a_link_that_dies_between_two_checks_is_hidden_at_the_next(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    clock = noon()
    links = WatchLinks(storage, library, clock)
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying") != []
    provider.videos[CRANES] = Video(status=404)
    clock.now += timedelta(days=1)
    assert shown_urls(links, library, "cranes-are-flying") != []  # until the next check, it stands
    await links.check(session, FAST, every=timedelta(days=1))
    assert shown_urls(links, library, "cranes-are-flying") == []
    reopened = WatchLinks(storage, library, clock)  # and the verdict outlives a restart
    await reopened.load()
    assert shown_urls(reopened, library, "cranes-are-flying") == []
    assert shown_urls(reopened, library, "uncle-vanya") != []


async def test_a_check_that_cannot_reach_the_provider_keeps_the_last_pass_for_thirty_days(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    clock = noon()
    links = WatchLinks(storage, library, clock)
    await links.check(session, FAST)
    provider.videos[CRANES] = Video(stall=True)
    clock.now += timedelta(days=29)
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying") != []  # no verdict: the pass stands
    clock.now += timedelta(days=2)  # 31 days since it last passed
    assert shown_urls(links, library, "cranes-are-flying") == []
    provider.videos[CRANES] = good("The Cranes are Flying | DRAMA | FULL MOVIE")
    await links.check(session, FAST)
    assert shown_urls(links, library, "cranes-are-flying") != []  # verified again: shown again


async def test_only_addresses_due_are_checked_again(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    clock = noon()
    links = WatchLinks(storage, library, clock)
    assert links.seconds_to_next(timedelta(days=1)) == 0  # never checked: due now
    await links.check(session, FAST)
    clock.now += timedelta(hours=5)
    assert links.seconds_to_next(timedelta(days=1)) == pytest.approx(19 * 3600)
    asked = len(provider.asked)
    assert await links.check(session, FAST, every=timedelta(days=1)) == []
    assert len(provider.asked) == asked


async def test_two_parts_are_shown_in_order_each_verified_for_its_own_part(
    provider: FakeProvider, session: aiohttp.ClientSession, library: Library, storage: Storage
) -> None:
    links = WatchLinks(storage, library, noon())
    provider.videos[IRONY_2] = good("The Irony of Fate, Part One | ROMANTIC COMEDY | FULL MOVIE")
    reports = {r.target.url: r.check.status for r in await links.check(session, FAST)}
    assert reports[f"https://www.youtube.com/watch?v={IRONY_2}"] is LinkStatus.WRONG_TITLE  # part 2 says One
    film = library.catalogue.by_id["irony-of-fate"]
    assert [b.part for b in links.buttons(film, "en") if not b.elsewhere] == [1]
    provider.videos[IRONY_2] = good("The Irony of Fate, Part Two | ROMANTIC COMEDY | FULL MOVIE")
    await links.check(session, FAST)
    assert [b.part for b in links.buttons(film, "en") if not b.elsewhere] == [1, 2]


@pytest.mark.parametrize(
    ("title", "film_id", "part", "named"),
    [
        ("Several days from the life of I. I. Oblomov | DRAMA | FULL MOVIE", "oblomov", None, True),
        ("The Cranes are Flying | DRAMA | FULL MOVIE", "cranes-are-flying", None, True),
        ("Летят журавли (1957) фильм", "cranes-are-flying", None, True),
        ("The Cranes are Flying Home | a documentary", "uncle-vanya", None, False),
        ("The Irony of Fate, Part One | ROMANTIC COMEDY", "irony-of-fate", 1, True),
        ("The Irony of Fate, Part One | ROMANTIC COMEDY", "irony-of-fate", 2, False),
        ("The Irony of Fate | ROMANTIC COMEDY", "irony-of-fate", 2, False),  # which part is it?
        ("Ирония судьбы, 2 серия", "irony-of-fate", 2, True),
    ],
)
def test_a_title_names_the_film_by_any_of_its_names_and_the_right_part(
    library: Library, title: str, film_id: str, part: int | None, named: bool
) -> None:
    assert names_film(title, library.catalogue.by_id[film_id], part) is named
