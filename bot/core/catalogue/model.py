"""The film catalogue's records: films, people, themes, places to watch, and the catalogue itself."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.core.models import Language

if TYPE_CHECKING:
    pass

# PyYAML is imported where a catalogue is parsed, not with this module: a restart that takes the
# catalogue from its checked copy (catalogue_cache) parses no YAML, and the import is 15-25 ms.

DESCRIPTION_LIMIT = 600
MAX_CATALOGUE_BYTES = 5 * 2**20  # the real one is about 100 KB; far larger is a mistake, not a catalogue
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _required_text(value: str | None) -> str | None:
    """Whitespace folded; an optional text may be absent, but never blank."""
    if value is None:
        return None
    value = _clean(value)
    if not value:
        raise ValueError("must not be empty")
    return value


# Every catalogue record: unknown fields refused, immutable once read. Validators are built when
# the first record is validated, not when the class is made: a restart that takes the catalogue
# from its checked copy (catalogue_cache) validates nothing, and saves about 20 ms of start-up.
_RECORD = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Localized(BaseModel):
    """A text in English with an optional Russian version; a plain string means English only."""

    model_config = _RECORD

    en: str
    ru: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    _not_blank = field_validator("en", "ru")(_required_text)

    def get(self, language: Language) -> str:
        """The text in `language`, falling back to English."""
        return (self.ru or self.en) if language == "ru" else self.en


class Person(Localized):
    """A director or an actor: the English spelling (one per person across the catalogue) and the
    Russian one (`get` gives the reader's); a plain string means the English spelling only. An
    actor's `role` (the character, where a sheet names it) lets search find a film by its hero."""

    role: Localized | None = None


class Author(Person):
    """A source work's author; `ru_dative` is the surname as Russian says "after Chekhov" («по
    Чехову»), which "More like this" needs and no rule can make for every name."""

    ru_dative: str | None = None

    _dative_not_blank = field_validator("ru_dative")(_required_text)


class BasedOn(BaseModel):
    """The work a film adapts and its author, in both languages (titles without quotation marks:
    the card adds the reader's); a work without an author (a folk epic) says what it is in `kind`."""

    model_config = _RECORD

    author: Author | None = None
    work: Localized
    kind: Localized | None = None  # "a Kazakh folk epic", where there is no author to name

    @model_validator(mode="after")
    def _author_or_kind(self) -> BasedOn:
        if self.author is None and self.kind is None:
            raise ValueError("give the work's `author`, or its `kind` when it has none (a folk epic)")
        return self


# A source's name in a film's `sources` (what its claims cite): "en-wikipedia", "megabook".
SOURCE_NAME = r"[a-z0-9]+(-[a-z0-9]+)*"


class Fact(Localized):
    """A fact on the card and the sources (names in the film's `sources`) it was read in."""

    src: tuple[str, ...] = ()


class TalkingPoints(BaseModel):
    """Three open questions per language for people who have just seen the film (a film club's
    talking points): questions, never new claims; any plot they mention is the film's own."""

    model_config = _RECORD

    en: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()

    def get(self, language: Language) -> tuple[str, ...]:
        return self.ru if language == "ru" else self.en


class Cited(BaseModel):
    """Which of a film's sources back its card: `credits` (the year, the people and their roles,
    the studio, the runtime, the source work) and `description` (the plot as told)."""

    model_config = _RECORD

    credits: tuple[str, ...] = ()
    description: tuple[str, ...] = ()


class Words(BaseModel):
    """What people call a theme or a mood, per language, in dictionary form ("war", «война»,
    «війна»): a reading of a message finds every inflected form of them."""

    model_config = _RECORD

    en: tuple[str, ...] = ()
    ru: tuple[str, ...] = ()
    uk: tuple[str, ...] = ()


class Theme(Localized):
    """A theme's label, how "More like this" gives it as a reason ("also about the war"), how a
    list of its films is headed ("Films about the war") and the words that ask for it."""

    like: Localized
    list: Localized | None = None
    words: Words = Words()


class Mood(Localized):
    """A mood the curators read in films' descriptions ("sad"), how a list of them is headed and
    the words that ask for it ("melancholy", «грустный», «поплакать»)."""

    list: Localized
    words: Words = Words()


class Identifier(BaseModel):
    """A film's id elsewhere and the address it was read on (never built from a title)."""

    model_config = _RECORD

    value: str
    src: str = Field(pattern=r"^https?://\S+$")


def _shaped(pattern: str, what: str) -> Any:
    def check(value: Identifier | None) -> Identifier | None:
        if value is not None and not re.fullmatch(pattern, value.value):
            raise ValueError(f"{value.value!r} is not {what}")
        return value

    return check


class Ids(BaseModel):
    """Where else the film is: its Wikidata item (Q…), IMDb title (tt…), Kinopoisk film (digits)
    and Letterboxd film (its slug), each with the address it was read on."""

    model_config = _RECORD

    wikidata: Identifier | None = None
    imdb: Identifier | None = None
    kinopoisk: Identifier | None = None
    letterboxd: Identifier | None = None

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: ({**v, "value": str(v["value"])} if isinstance(v, dict) and "value" in v else v)
                for k, v in value.items()
            }
        return value

    _wikidata = field_validator("wikidata")(_shaped(r"Q[1-9]\d*", "a Wikidata item id like Q123"))
    _imdb = field_validator("imdb")(_shaped(r"tt\d{7,8}", "an IMDb title id like tt0050634"))
    _kinopoisk = field_validator("kinopoisk")(_shaped(r"[1-9]\d{0,8}", "a Kinopoisk film number"))
    _letterboxd = field_validator("letterboxd")(
        _shaped(r"[a-z0-9]+(-[a-z0-9]+)*", "a Letterboxd film slug like the-cranes-are-flying")
    )

    def pages(self) -> list[tuple[str, str]]:
        """(kind, address) of the film's own page on each site a card can link to: the site's
        canonical address for the id that was read (never a search built from a title)."""
        addresses = {
            "imdb": "https://www.imdb.com/title/{}/",
            "kinopoisk": "https://www.kinopoisk.ru/film/{}/",
            "letterboxd": "https://letterboxd.com/film/{}/",
        }
        return [(kind, addresses[kind].format(value)) for kind, value in self.items() if kind in addresses]

    def items(self) -> list[tuple[str, str]]:
        """(kind, value) of each id the film has."""
        return [
            (kind, one.value)
            for kind in ("wikidata", "imdb", "kinopoisk", "letterboxd")
            if (one := getattr(self, kind))
        ]


class Provider(BaseModel):
    """An official place to watch films (the `providers:` of the catalogue). `check` is how its
    links are verified: `youtube-oembed` (the video's public metadata: it exists, `authors` names
    its channel and its title names the film) or `page` (the page answers). A provider with `site`
    and `studio` is that studio's own site, which Russian cards offer for the studio's films."""

    model_config = _RECORD

    name: Localized
    where: Localized  # as the button says it: "Watch on Mosfilm", «Смотреть на канале «Мосфильма»»
    note: Localized | None = None  # "English subtitles"
    hosts: tuple[str, ...] = Field(min_length=1)
    check: Literal["youtube-oembed", "page"]
    authors: tuple[str, ...] = ()
    studio: str | None = None
    site: str | None = None

    @field_validator("hosts")
    @classmethod
    def _host_names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for host in values:
            if not re.fullmatch(r"[a-z0-9]+([.-][a-z0-9]+)*\.[a-z]{2,}", host):
                raise ValueError(f"{host!r} is not a host name such as www.youtube.com")
        return values

    @model_validator(mode="after")
    def _complete(self) -> Provider:
        if self.check == "youtube-oembed" and not self.authors:
            raise ValueError("a youtube-oembed provider needs `authors`: the channel names its videos show")
        if (self.site is None) != (self.studio is None):
            raise ValueError("`site` and `studio` go together: the studio's own site")
        if self.site is not None and not self.serves(self.site):
            raise ValueError(f"site {self.site} must be an https address on one of the provider's hosts")
        return self

    def serves(self, url: str) -> bool:
        """An https address on one of the provider's hosts."""
        parts = urlsplit(url)
        return parts.scheme == "https" and (parts.hostname or "") in self.hosts


class WatchLink(BaseModel):
    """Where a film can be watched: a `video` of the film itself (`part` when it is split), or a
    `page` of an official provider (its search or channel page). Shown only once verified."""

    model_config = _RECORD

    provider: str
    url: str
    kind: Literal["video", "page"] = "video"
    part: int | None = Field(default=None, ge=1, le=9)


class Film(BaseModel):
    model_config = _RECORD

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    title: str
    original_title: str | None = None
    year: int = Field(ge=1895, le=2100)
    premiere_year: int | None = Field(default=None, ge=1895, le=2100)
    directors: tuple[Person, ...] = ()
    cast: tuple[Person, ...] = ()
    studio: Localized | None = None
    based_on: BasedOn | None = None
    themes: tuple[str, ...] = ()
    moods: tuple[str, ...] = ()
    runtime_min: int | None = Field(default=None, ge=1, le=1000)
    watch: tuple[WatchLink, ...] = ()
    ids: Ids = Ids()
    letterboxd: str | None = Field(  # the film's Letterboxd address, where a sheet gives it (for /export)
        default=None, pattern=r"^https://(letterboxd\.com/film/[a-z0-9-]+/|boxd\.it/[A-Za-z0-9]+)$"
    )
    description: Localized | None = None
    facts: tuple[Fact, ...] = ()
    aliases: tuple[str, ...] = ()
    # name -> the address read, as (name, address) pairs: a film is hashable (`addresses` is the dict)
    talk: TalkingPoints = TalkingPoints()
    sources: tuple[tuple[str, str], ...] = ()
    cited: Cited = Cited()
    hidden: bool = False
    note: str | None = None

    _text_not_blank = field_validator("title", "original_title")(_required_text)

    @field_validator("aliases")
    @classmethod
    def _names_not_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(_clean(v) for v in values)
        if any(not v for v in cleaned):
            raise ValueError("entries must not be empty")
        return cleaned

    @field_validator("sources", mode="before")
    @classmethod
    def _urls(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            raise ValueError("must map each source's name to its address (en-wikipedia: https://…)")
        for name, url in values.items():
            if not isinstance(name, str) or not re.fullmatch(SOURCE_NAME, name):
                raise ValueError(f"{name!r} is not a source name like en-wikipedia")
            if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
                raise ValueError(f"{url!r} is not an http(s) address")
        return tuple(values.items())

    @property
    def addresses(self) -> dict[str, str]:
        """Each source's name and the address it was read on."""
        return dict(self.sources)

    def claims(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each claim on the card and the names of the sources it cites: "credits",
        "description", "fact 1", …"""
        return [
            ("credits", self.cited.credits),
            ("description", self.cited.description),
            *((f"fact {number}", fact.src) for number, fact in enumerate(self.facts, 1)),
        ]

    @model_validator(mode="after")
    def _premiere_not_before_making(self) -> Film:
        if self.premiere_year is not None and self.premiere_year < self.year:
            raise ValueError("premiere_year must not be earlier than year")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the film goes by: its title, its original title and its aliases."""
        return (self.title, *([self.original_title] if self.original_title else []), *self.aliases)

    @property
    def sort_key(self) -> tuple[str, str]:
        """Alphabetical order as a reader expects it: leading articles do not count."""
        return (re.sub(r"^(the|a|an) ", "", fold_name(self.title)), self.id)

    @property
    def letterboxd_address(self) -> str | None:
        """The film's page on Letterboxd: from its id, else the address a sheet gave."""
        if self.ids.letterboxd is not None:
            return f"https://letterboxd.com/film/{self.ids.letterboxd.value}/"
        return self.letterboxd

    @property
    def card_description(self) -> Localized:
        assert self.description is not None, "only visible films are rendered"
        return self.description


class CatalogueError(Exception):
    """The catalogue file cannot be used; `errors` lists every problem, one line each."""

    def __init__(self, errors: Sequence[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Catalogue:
    films: tuple[Film, ...]
    themes: dict[str, Theme] = field(default_factory=dict)  # the vocabulary: key -> labels
    providers: dict[str, Provider] = field(default_factory=dict)  # official places to watch
    moods: dict[str, Mood] = field(default_factory=dict)  # the curators' reading of each film
    by_id: dict[str, Film] = field(init=False, repr=False)
    visible: tuple[Film, ...] = field(init=False, repr=False)
    alphabetical: tuple[Film, ...] = field(init=False, repr=False)  # visible films, sorted once

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {f.id: f for f in self.films})
        object.__setattr__(self, "visible", tuple(f for f in self.films if not f.hidden))
        object.__setattr__(self, "alphabetical", tuple(sorted(self.visible, key=lambda f: f.sort_key)))

    def get(self, film_id: str) -> Film | None:
        """A visible film by id; hidden films are never shown to users."""
        film = self.by_id.get(film_id)
        return film if film and not film.hidden else None


def in_reading_order(films: Iterable[Film], language: str) -> tuple[Film, ...]:
    """A Russian reader's list by the Russian titles in Russian alphabetical order (ё as е); an
    English reader's by English title, leading articles not counted."""
    if language == "ru":
        return tuple(
            sorted(films, key=lambda f: ((f.original_title or f.title).casefold().replace("ё", "е"), f.id))
        )
    return tuple(sorted(films, key=lambda f: f.sort_key))


def fold_name(text: str) -> str:
    """Case- and accent-insensitive key for duplicate detection."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())
