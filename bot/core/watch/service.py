"""Where to watch a film, legally: the catalogue's links, verified by the bot itself before a card
shows them. Each link is checked against its provider (a YouTube video through the public oEmbed
endpoint: it exists, the official channel uploaded it, its title names the film; a page: it
answers), the verdict is stored with its time, and cards show only the links that passed within
MAX_AGE and have not failed since. Checking runs in the background, never on the way to a reply.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

import aiohttp

from bot.core.catalogue.model import Catalogue, Film, Localized, Provider, WatchLink
from bot.core.catalogue.search import fold
from bot.core.models import Clock, Language
from bot.core.storage import Storage, StorageUnavailable
from bot.core.throttle import BurstLog
from bot.core.watch.model import LinkCheck, LinkStatus
from bot.core.watch.table import LinksTable

log = logging.getLogger(__name__)
_faults = BurstLog(log)

MAX_AGE = timedelta(days=30)  # a link not verified for this long is not shown
LOOK_AGAIN_SECONDS = 3600.0  # the longest the checker sleeps before looking for links due
CONCURRENCY = 3  # links checked at once: a provider must not take the bot for a crawler
TIMEOUT_SECONDS = 10.0
BODY_LIMIT = 64 * 1024  # an oEmbed answer is a few hundred bytes; anything far larger is not one
OEMBED_URL = "https://www.youtube.com/oembed"
_GONE = {400, 401, 403, 404, 410}  # oEmbed's answers for a removed, private or unknown video


class HasCatalogue(Protocol):
    """The films service (or, for the operators' tool, a library): the catalogue now."""

    @property
    def catalogue(self) -> Catalogue: ...


def link_session() -> aiohttp.ClientSession:
    """The HTTP client for checking links, saying who is asking."""
    return aiohttp.ClientSession(
        headers={"User-Agent": "soviet-film-bot link checker (official copies only)"}
    )


@dataclass(frozen=True)
class Endpoints:
    """The providers' metadata endpoints (settings can point them at a local fake)."""

    oembed: str = OEMBED_URL
    timeout: float = TIMEOUT_SECONDS  # for one address, redirects included


@dataclass(frozen=True)
class Target:
    """One address to check: a film's link, or a studio's site (`film` None)."""

    film: Film | None
    provider_key: str
    provider: Provider
    url: str
    part: int | None = None
    video: bool = False


@dataclass(frozen=True)
class Report:
    target: Target
    check: LinkCheck


@dataclass(frozen=True)
class WatchButton:
    """A link a card shows: "▶ Watch on Mosfilm (English subtitles)", the studio's site, or the
    film's page on a film site (`elsewhere`: Letterboxd, IMDb, Kinopoisk)."""

    url: str
    name: Localized  # the provider's
    where: Localized
    note: Localized | None
    part: int | None
    site: bool
    elsewhere: bool = False


def _site(en: str, ru: str, *hosts: str) -> Provider:
    name = Localized(en=en, ru=ru)
    return Provider(name=name, where=name, hosts=hosts, check="page")


# The film sites a card links to (a film's `ids`), verified like every other link: the page must
# answer, on the site's own host. Which a reader sees, in this order: Letterboxd and IMDb for
# English readers, Kinopoisk and IMDb for Russian ones.
ELSEWHERE = {
    "letterboxd": _site("Letterboxd", "Letterboxd", "letterboxd.com", "boxd.it"),
    "kinopoisk": _site("Kinopoisk", "Кинопоиск", "www.kinopoisk.ru", "kinopoisk.ru"),
    "imdb": _site("IMDb", "IMDb", "www.imdb.com", "imdb.com", "m.imdb.com"),
}
ELSEWHERE_FOR: dict[Language, tuple[str, ...]] = {"en": ("letterboxd", "imdb"), "ru": ("kinopoisk", "imdb")}


def targets(catalogue: Catalogue) -> Iterator[Target]:
    """Every address the catalogue would show: the visible films' links and their pages on film
    sites, then the studios' sites."""
    for film in catalogue.visible:
        for link in film.watch:
            provider = catalogue.providers[link.provider]
            yield Target(film, link.provider, provider, link.url, link.part, link.kind == "video")
        for kind, url in film.ids.pages():
            yield Target(film, kind, ELSEWHERE[kind], url)
    for key, provider in catalogue.providers.items():
        if provider.site is not None:
            yield Target(None, key, provider, provider.site)


_PART_WORDS = {
    1: ("1", "one", "i", "first"),
    2: ("2", "two", "ii", "second"),
    3: ("3", "three", "iii", "third"),
}


_PART = "|".join(fold(word) for word in ("part", "seriya", "chast"))


def names_film(title: str, film: Film, part: int | None) -> bool:
    """Whether a video's title names the film (any of its titles or aliases, as whole words) and,
    for a part of a film, that part ("Part One", "Part 2", «2 серия»)."""
    folded = f" {fold(title)} "
    if not any(f" {name} " in folded for name in map(fold, film.names) if name):
        return False
    if part is None:
        return True
    said = {
        number
        for number, words in _PART_WORDS.items()
        for word in map(fold, words)
        if re.search(rf" ({_PART}) {word} | {word} ({_PART}) ", folded)
    }
    return said == {part}


async def _get(
    session: aiohttp.ClientSession, url: str, params: dict[str, str] | None = None
) -> tuple[int, bytes, str]:
    """Status, the start of the body, and the address it ended at (after redirects)."""
    async with session.get(url, params=params, allow_redirects=True) as response:
        body = await response.content.read(BODY_LIMIT)
        return response.status, body, str(response.url)


async def verify(
    target: Target, session: aiohttp.ClientSession, endpoints: Endpoints
) -> tuple[LinkStatus, str]:
    """The verdict on one address, and what it rests on in a few words."""
    try:
        async with asyncio.timeout(endpoints.timeout):
            if target.video:
                return await _verify_video(target, session, endpoints)
            return await _verify_page(target, session)
    except TimeoutError:
        return LinkStatus.UNREACHABLE, f"no answer within {endpoints.timeout:g} s"
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        return LinkStatus.UNREACHABLE, f"{type(exc).__name__}: {exc}"[:200]


async def _verify_video(
    target: Target, session: aiohttp.ClientSession, endpoints: Endpoints
) -> tuple[LinkStatus, str]:
    assert target.film is not None and target.provider.check == "youtube-oembed"
    status, body, _ = await _get(session, endpoints.oembed, {"url": target.url, "format": "json"})
    if status in _GONE:
        return LinkStatus.GONE, f"the provider answers {status}: removed, private or unknown"
    if status != 200:
        return LinkStatus.UNREACHABLE, f"the provider answers {status}"
    try:
        meta = json.loads(body)
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or not all(isinstance(meta.get(k), str) for k in ("title", "author_name")):
        return LinkStatus.UNREACHABLE, "the provider's answer is not oEmbed JSON"
    title, author = meta["title"], meta["author_name"]
    if author.casefold() not in {name.casefold() for name in target.provider.authors}:
        return LinkStatus.WRONG_CHANNEL, f"uploaded by {author!r}"[:200]
    if not names_film(title, target.film, target.part):
        return LinkStatus.WRONG_TITLE, f"titled {title!r}"[:200]
    return LinkStatus.OK, title[:200]


async def _verify_page(target: Target, session: aiohttp.ClientSession) -> tuple[LinkStatus, str]:
    status, _, final = await _get(session, target.url)
    if status in (404, 410):
        return LinkStatus.GONE, f"the page answers {status}"
    if status != 200:
        return LinkStatus.UNREACHABLE, f"the page answers {status}"
    if not target.provider.serves(final):
        return LinkStatus.GONE, f"the page now leads to {urlsplit(final).hostname}"
    return LinkStatus.OK, "the page answers"


class WatchLinks:
    """The verdicts on every link (kept in memory, loaded from and written to SQLite), and the
    buttons a card may show."""

    def __init__(self, storage: Storage, films: HasCatalogue, clock: Clock):
        self._storage = storage
        self._films = films
        self._clock = clock
        self._checks: dict[str, LinkCheck] = {}
        self._running = asyncio.Lock()

    async def load(self) -> None:
        self._checks = {check.url: check for check in await self._storage.table(LinksTable).all()}

    def verified(self, url: str) -> bool:
        check = self._checks.get(url)
        return check is not None and check.shown(self._clock(), MAX_AGE)

    def buttons(self, film: Film, language: Language) -> tuple[WatchButton, ...]:
        """The film's verified videos, in part order; on a Russian card also its studio's own site
        (YouTube is slow for many readers in Russia), once the site was verified; then its verified
        pages elsewhere, in the reader's order (Letterboxd · IMDb, Кинопоиск · IMDb)."""
        catalogue = self._films.catalogue
        shown = []
        for link in sorted(film.watch, key=_part_order):
            provider = catalogue.providers[link.provider]
            if self.verified(link.url):
                shown.append(
                    WatchButton(link.url, provider.name, provider.where, provider.note, link.part, False)
                )
        if language == "ru" and film.studio is not None:
            for provider in catalogue.providers.values():
                if provider.studio == film.studio.en and provider.site and self.verified(provider.site):
                    shown.append(
                        WatchButton(provider.site, provider.name, provider.where, provider.note, None, True)
                    )
        pages = dict(film.ids.pages())
        for kind in ELSEWHERE_FOR[language]:
            url = pages.get(kind)
            if url is not None and self.verified(url):
                site = ELSEWHERE[kind]
                shown.append(WatchButton(url, site.name, site.where, None, None, False, elsewhere=True))
        return tuple(shown)

    def _due_at(self, url: str, every: timedelta) -> datetime:
        """When the address is next due; never checked: due since ever."""
        check = self._checks.get(url)
        return datetime.min.replace(tzinfo=UTC) if check is None else check.checked_at + every

    def seconds_to_next(self, every: timedelta) -> float:
        """How long until some address is due for its next check (0 if one is now)."""
        due = [self._due_at(target.url, every) for target in targets(self._films.catalogue)]
        return max(0.0, (min(due) - self._clock()).total_seconds()) if due else every.total_seconds()

    async def check(
        self,
        session: aiohttp.ClientSession,
        endpoints: Endpoints,
        every: timedelta | None = None,
    ) -> list[Report]:
        """Check every address the catalogue would show (with `every`, those not checked for that
        long), a few at a time; record each verdict (a check that got no verdict keeps the last
        pass). One run at a time."""
        limit = asyncio.Semaphore(CONCURRENCY)
        now = self._clock()
        chosen = [
            t for t in targets(self._films.catalogue) if every is None or self._due_at(t.url, every) <= now
        ]

        async def one(target: Target) -> Report:
            async with limit:
                status, detail = await verify(target, session, endpoints)
            return Report(target, await self._record(target.url, status, detail))

        async with self._running:
            return list(await asyncio.gather(*(one(t) for t in chosen)))

    async def keep_checking(
        self, session: aiohttp.ClientSession, endpoints: Endpoints, every: timedelta
    ) -> None:
        """Run for the bot's lifetime: check each address when its last check is `every` old (at
        start-up, those never checked or checked that long ago; a link a reloaded catalogue adds,
        within the hour)."""
        while True:
            await asyncio.sleep(min(max(1.0, self.seconds_to_next(every)), LOOK_AGAIN_SECONDS))
            try:
                async with self._storage.only_one("link checks") as mine:
                    await self.load()  # what other workers found since: not checked again here
                    if not mine:  # another worker checks now
                        continue
                    reports = await self.check(session, endpoints, every)
            except Exception:  # a bug must not end the checks for the bot's lifetime
                log.exception("watch links: the check failed")
                continue
            if not reports:
                continue
            failed = [r for r in reports if r.check.status is not LinkStatus.OK]
            log.info("watch links checked: %d, not verified: %d", len(reports), len(failed))
            for report in failed:
                log.warning(
                    "watch link %s: %s (%s)",
                    report.target.url,
                    report.check.status.value,
                    report.check.detail,
                )

    async def _record(self, url: str, status: LinkStatus, detail: str) -> LinkCheck:
        now = self._clock()
        before = self._checks.get(url)
        verified = (
            now if status is LinkStatus.OK else before.verified_at if before and not status.dead else None
        )
        check = LinkCheck(url, status, detail, now, verified)
        self._checks[url] = check
        try:
            await self._storage.table(LinksTable).record(check)
        except StorageUnavailable as exc:
            _faults.warning("links", "link check of %s not stored: %s", url, exc)
        return check


def _part_order(link: WatchLink) -> int:
    return link.part or 0
