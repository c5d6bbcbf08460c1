"""The film card, the one builder for every place a film is shown: a reply, an inline result, the
film of the day, a movie night's winner. `Cards.card` gives the text and the state of its buttons;
the Telegram side only turns that state into a keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from html import escape
from typing import TYPE_CHECKING

from bot.core.catalogue.likeness import Alike, Reason
from bot.core.catalogue.model import Author, Film, Person
from bot.core.diary.model import CommunityRating
from bot.core.memory import PerFilm
from bot.core.models import Language, stars
from bot.core.texts import text
from bot.core.watchlists.model import Entry

if TYPE_CHECKING:  # the services a card reads; they import this module for titles()
    from bot.core.diary.service import Diary
    from bot.core.watch.service import WatchButton, WatchLinks
    from bot.core.watchlists.service import Watchlists

MESSAGE_LIMIT = 4096


def titles(film: Film, language: Language) -> tuple[str, str]:
    """The title a reader of `language` sees first, and the other one."""
    original = film.original_title or film.title
    return (original, film.title) if language == "ru" else (film.title, original)


def names(people: Sequence[Person], language: Language) -> str:
    """ "Eldar Ryazanov, …" for English readers, «Эльдар Рязанов, …» for Russian ones."""
    return ", ".join(person.get(language) for person in people)


def verdict_text(verdict: CommunityRating, language: Language) -> str:
    """ "★ 4.3 · 27 ratings", «★ 4,3 · 27 оценок»."""
    average = f"{verdict.average:.1f}"
    if language == "ru":
        average = average.replace(".", ",")
    return text(language, "card_community", average=average, count=verdict.count)


def render_card(
    film: Film,
    language: Language,
    heading: str | None = None,
    own: int | None = None,
    verdict: CommunityRating | None = None,
) -> str:
    """The card as Telegram HTML; everything from the catalogue is escaped. `own`: the reader's rating
    (half stars), on their private cards; `verdict`: the community's, once enough people rated it."""
    year = str(film.year)
    if film.premiere_year and film.premiere_year != film.year:
        year += ", " + text(language, "card_released", year=film.premiere_year)
    lines = []
    if heading:
        lines += [escape(heading), ""]
    first, second = titles(film, language)
    lines.append(f"<b>{escape(first)}</b> ({year})")
    lines.append(f"<i>{escape(second)}</i>")
    directed = "card_directed_many" if len(film.directors) > 1 else "card_directed"
    lines.append(f"{text(language, directed)}: {escape(names(film.directors, language))}")
    if film.cast:
        lines.append(f"{text(language, 'card_cast')}: {escape(names(film.cast, language))}")
    if film.based_on is not None:
        work = film.based_on.work.get(language)
        quoted = f"«{work}»" if language == "ru" else f"“{work}”"
        author, kind = film.based_on.author, film.based_on.kind
        if author is not None:  # "Anton Chekhov, “The Seagull”"
            source = f"{author.get(language)}, {quoted}"
        else:  # "“Kyz-Zhibek”, a Kazakh folk epic"
            source = f"{quoted}, {kind.get(language) if kind else ''}".rstrip(", ")
        lines.append(f"{text(language, 'card_based_on')}: {escape(source)}")
    made = [escape(film.studio.get(language))] if film.studio else []  # «Мосфильм» · 95 мин
    if film.runtime_min:
        made.append(text(language, "card_runtime", minutes=film.runtime_min))
    if made:
        lines.append(" · ".join(made))
    if verdict is not None:
        lines.append(verdict_text(verdict, language))
    if own is not None:
        lines.append(text(language, "card_your_rating", stars=stars(own)))
    lines += ["", escape(film.card_description.get(language))]
    if film.facts:
        lines += ["", f"<b>{text(language, 'card_facts')}</b>"]
        lines += [f"• {escape(fact.get(language))}" for fact in film.facts]
    return "\n".join(lines)


def render_talk(film: Film, language: Language) -> str:
    """The film's talking points, for after the film (escaped HTML)."""
    title = titles(film, language)[0]
    quoted = f"«{title}»" if language == "ru" else f"“{title}”"
    lines = [f"<b>{escape(text(language, 'talk_heading', title=quoted))}</b>", ""]
    lines += [f"{number}. {escape(point)}" for number, point in enumerate(film.talk.get(language), 1)]
    return "\n".join(lines)


def oversized_cards(films: list[Film] | tuple[Film, ...]) -> list[str]:
    """Films whose card would not fit in one Telegram message, in either language."""
    problems = []
    for film in films:
        for language in ("en", "ru"):
            length = len(render_card(film, language, heading="🎬 " + "x" * 40))
            if length > MESSAGE_LIMIT:
                problems.append(
                    f"film '{film.id}': the {language} card has {length} characters "
                    f"(Telegram's limit is {MESSAGE_LIMIT}); shorten the description or facts"
                )
    return problems


def reason_text(reason: Reason, language: Language) -> str:
    """One reason a film is like another, in a few words: "also directed by …", «тоже по Чехову»."""
    if reason.theme is not None:
        return reason.theme.like.get(language)
    if reason.decade is not None:
        return text(language, "like_decade", decade=reason.decade)
    assert reason.person is not None
    name = reason.person.get(language)
    if isinstance(reason.person, Author) and language == "ru" and reason.person.ru_dative:
        name = reason.person.ru_dative
    return text(language, f"like_{reason.shared.value}", name=name)


REASONS_SHOWN = 2


def render_more_like(film: Film, alike: Sequence[Alike], language: Language) -> str:
    """The answer to 🎞 More like this: each film with its strongest reasons (escaped HTML)."""
    title = titles(film, language)[0]
    if not alike:
        return escape(text(language, "more_like_none", title=title))
    lines = [text(language, "more_like", title=escape(title)), ""]
    for number, one in enumerate(alike, 1):
        why = ", ".join(reason_text(r, language) for r in one.reasons[:REASONS_SHOWN])
        name = titles(one.film, language)[0]
        lines.append(f"{number}. <b>{escape(name)}</b> ({one.film.year}) — {escape(why)}")
    return "\n".join(lines)


class CardKind(Enum):
    """Where a card is shown, which decides its buttons."""

    CHAT = "chat"  # in a chat with the bot: 🎲, ↗, 🎞, 💌 and the reader's own list buttons
    DAILY = "daily"  # the film of the day: as in a chat, and ⚙ for the subscription
    SHARED = "shared"  # sent through inline mode into any chat: open in the bot, 🎞, ➕ / 👁
    WINNER = "winner"  # a movie night's winner: where to watch it, 👁 We watched it, 🎞
    PICTURE = "picture"  # the card's picture in a chat: as in a chat, ↗ shares the picture
    DAILY_PICTURE = "daily-picture"  # the film of the day as a picture: as the picture, and ⚙


@dataclass(frozen=True)
class CardButtons:
    """The state a card's buttons show: its film and language, where it is shown, the reader's own
    list row (on a card only they see) and the verified places to watch it."""

    film: Film
    language: Language
    kind: CardKind = CardKind.CHAT
    entry: Entry | None = None
    watch: tuple[WatchButton, ...] = ()


@dataclass(frozen=True)
class Card:
    """A film's card as one reader sees it: its text, and the state its buttons show."""

    html: str
    buttons: CardButtons

    @property
    def film(self) -> Film:
        return self.buttons.film

    @property
    def language(self) -> Language:
        return self.buttons.language

    @property
    def kind(self) -> CardKind:
        return self.buttons.kind


@dataclass(frozen=True)
class Readings:
    """What a reader's card shows of the diary, read already: their rating and the community's
    average (a broadcast reads a chunk's at once: `Cards.readings`)."""

    own: int | None
    verdict: CommunityRating | None


class Cards:
    """Builds every card: the reader's rating and list row where the card is theirs alone, the
    community's average where enough people rated the film, the verified places to watch it."""

    def __init__(self, watchlists: Watchlists, diary: Diary, watch: WatchLinks):
        self._watchlists = watchlists
        self._diary = diary
        self._watch = watch
        self._shared: PerFilm[tuple[Language, tuple[WatchButton, ...]], Card] = PerFilm()

    async def card(
        self,
        film: Film,
        language: Language,
        heading: str | None = None,
        kind: CardKind = CardKind.CHAT,
        entry: Entry | None = None,
        reader: int | None = None,
        read: Readings | None = None,
    ) -> Card:
        """`reader`: the user whose private chat alone shows the card (their rating is on it), and
        `entry` their list row; both None where others see the card too. A shared card carries no
        average: it stays in other chats unchanged while the ratings move on. `read`: the reader's
        rating and the average, where they were read already."""
        buttons = CardButtons(film, language, kind, entry, self._watch.buttons(film, language))
        if kind is CardKind.SHARED and heading is None:  # the same for everyone: made once
            return self._shared.get(
                film, (language, buttons.watch), lambda: Card(render_card(film, language), buttons)
            )
        if read is None:
            own = await self._diary.own(reader, film.id) if reader is not None else None
            read = Readings(own, await self._diary.verdict(film.id) if kind is not CardKind.SHARED else None)
        return Card(render_card(film, language, heading, read.own, read.verdict), buttons)

    async def readings(self, film: Film, readers: list[int]) -> dict[int, Readings]:
        """What the cards of `film` for each of `readers` show of the diary, in two reads for all."""
        verdict = await self._diary.verdict(film.id)
        own = await self._diary.ratings_for_film(film.id, readers)
        return {reader: Readings(own.get(reader), verdict) for reader in readers}

    async def buttons_for(
        self, film: Film, language: Language, reader: int | None, kind: CardKind = CardKind.CHAT
    ) -> CardButtons:
        """Only the state of the card's buttons for `reader` (None: in a group): what redrawing a
        card's buttons needs, without its text, the reader's rating or the community's average."""
        entry = await self._watchlists.entry(reader, film.id) if reader is not None else None
        return CardButtons(film, language, kind, entry, self._watch.buttons(film, language))

    async def for_reader(
        self,
        film: Film,
        language: Language,
        reader: int | None,
        heading: str | None = None,
        kind: CardKind = CardKind.CHAT,
    ) -> Card:
        """The card for `reader` in their private chat (None: in a group), their list row looked up."""
        entry = await self._watchlists.entry(reader, film.id) if reader is not None else None
        return await self.card(film, language, heading, kind, entry, reader)
