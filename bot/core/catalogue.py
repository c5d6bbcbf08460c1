"""The film catalogue: the Film model, YAML loading with precise errors, and the film of the day."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.core.models import Language

if TYPE_CHECKING:
    import yaml

# PyYAML is imported where a catalogue is parsed, not with this module: a restart that takes the
# catalogue from its checked copy (catalogue_cache) parses no YAML, and the import is 15-25 ms.

DESCRIPTION_LIMIT = 600
MAX_CATALOGUE_BYTES = 5 * 2**20  # the real one is about 100 KB; far larger is a mistake, not a catalogue
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


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
    the card adds the reader's)."""

    model_config = _RECORD

    author: Author
    work: Localized


class Theme(Localized):
    """A theme's label, and how "More like this" gives it as a reason ("also about the war")."""

    like: Localized


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
    runtime_min: int | None = Field(default=None, ge=1, le=1000)
    watch: tuple[WatchLink, ...] = ()
    letterboxd: str | None = Field(  # the film's Letterboxd address, where a sheet gives it (for /export)
        default=None, pattern=r"^https://(letterboxd\.com/film/[a-z0-9-]+/|boxd\.it/[A-Za-z0-9]+)$"
    )
    description: Localized | None = None
    facts: tuple[Localized, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
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

    @field_validator("sources")
    @classmethod
    def _urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for url in values:
            if not re.match(r"^https?://\S+$", url):
                raise ValueError(f"{url!r} is not an http(s) address")
        return values

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
        return (re.sub(r"^(the|a|an) ", "", _fold(self.title)), self.id)

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


@dataclass(frozen=True)
class DecadePage:
    """One page of the catalogue browser: films of one decade, in order of year."""

    decade: int
    films: tuple[Film, ...]


def decade_pages(films: Iterable[Film], per_page: int = 10) -> list[DecadePage]:
    """Films by decade, oldest first, each decade split into pages of at most `per_page`.
    Within a year, films keep the order given (pass Catalogue.alphabetical for title order)."""
    ordered = sorted(films, key=lambda f: f.year)
    pages: list[DecadePage] = []
    for film in ordered:
        decade = film.year // 10 * 10
        if pages and pages[-1].decade == decade and len(pages[-1].films) < per_page:
            pages[-1] = DecadePage(decade, (*pages[-1].films, film))
        else:
            pages.append(DecadePage(decade, (film,)))
    return pages


def _fold(text: str) -> str:
    """Case- and accent-insensitive key for duplicate detection."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def _line_map(document: yaml.Node) -> list[tuple[int, dict[str, int]]]:
    """For each film mapping: its first line and the line of each of its keys (1-based)."""
    import yaml

    result: list[tuple[int, dict[str, int]]] = []
    if not isinstance(document, yaml.MappingNode):
        return result
    for key, value in document.value:
        if key.value == "films" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                keys = {}
                if isinstance(item, yaml.MappingNode):
                    keys = {k.value: k.start_mark.line + 1 for k, _ in item.value}
                result.append((item.start_mark.line + 1, keys))
    return result


def _pydantic_errors(exc: ValidationError) -> Iterable[tuple[str, str]]:
    for error in exc.errors():
        loc = error["loc"]
        field_name = str(loc[0]) if loc else ""
        path = ".".join(str(p) for p in loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "is required"
        elif error["type"] == "greater_than_equal" or error["type"] == "less_than_equal":
            if field_name in {"year", "premiere_year"}:
                message = "must be between 1895 and 2100"
        elif error["type"] == "string_pattern_mismatch":
            message = "must be a slug of lowercase letters, digits and single hyphens"
        yield field_name, f"{path}: {message}"


def _structure_errors(root: yaml.Node, source: str) -> list[str]:
    """Anchors and aliases (a few lines of them can expand into billions of values) and duplicate
    keys (YAML would silently keep the last one): each with its line. Linear in the file's size."""
    import yaml

    errors: list[str] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:  # the composer hands an alias back as the node it names
            errors.append(
                f"{source}:{node.start_mark.line + 1}: YAML anchors and aliases are not allowed in the "
                "catalogue; write the value out"
            )
            return errors
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        errors.append(f"{source}:{key.start_mark.line + 1}: duplicate key {key.value!r}")
                    keys.add(key.value)
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return errors


def parse_catalogue(text: str, source: str = "catalogue") -> Catalogue:
    """Parse and validate a catalogue document; raise CatalogueError listing every problem."""
    if len(text) > MAX_CATALOGUE_BYTES:
        raise CatalogueError([_too_big(source, len(text.encode("utf-8", errors="replace")))])
    import yaml

    # libyaml's loader when PyYAML was built with it (it is on PyPI's wheels): ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()  # kept for line numbers in error messages
        if node is not None and (structure := _structure_errors(node, source)):
            raise CatalogueError(structure)
        data = loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else f"{source}:1"
        problem = getattr(exc, "problem", None) or "the document nests too deeply"
        raise CatalogueError([f"{where}: not valid YAML: {problem}"]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(data.get("films"), list):
        raise CatalogueError([f"{source}:1: the file must be a mapping with a 'films' list"])
    unknown = sorted(set(data) - {"films", "themes", "providers"})
    if unknown:
        raise CatalogueError([f"{source}:1: unknown top-level keys: {', '.join(unknown)}"])
    themes, theme_errors = _vocabulary("themes", data.get("themes"), Theme, source)
    providers, provider_errors = _vocabulary("providers", data.get("providers"), Provider, source)

    lines = _line_map(node) if node is not None else []
    errors: list[str] = theme_errors + provider_errors
    parsed: list[_Parsed] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(data["films"]):
        start, key_lines = lines[index] if index < len(lines) else (1, {})
        name = raw.get("id") if isinstance(raw, dict) else None
        label = f"film '{name}'" if name else f"film #{index + 1}"
        if not isinstance(raw, dict):
            errors.append(f"{source}:{start}: {label}: must be a mapping of fields")
            continue
        if isinstance(name, str):
            if name in seen_ids:
                errors.append(f"{source}:{key_lines.get('id', start)}: {label}: id: duplicate id")
            seen_ids.add(name)
        if not raw.get("hidden"):
            missing = [k for k in ("original_title", "directors", "description") if not raw.get(k)]
            if missing:
                needs = f"a visible film needs {', '.join(missing)} (or hidden: true)"
                errors.append(f"{source}:{start}: {label}: {needs}")
        try:
            parsed.append(_Parsed(Film.model_validate(raw), source, start, key_lines))
        except ValidationError as exc:
            for field_name, message in _pydantic_errors(exc):
                errors.append(f"{source}:{key_lines.get(field_name, start)}: {label}: {message}")

    errors.extend(_cross_film_errors(parsed))
    errors.extend(_people_errors(parsed))
    for entry in parsed:
        for theme in entry.film.themes:
            if theme not in themes:
                known = ", ".join(sorted(themes)) or "none defined"
                errors.append(entry.error("themes", f"{theme!r} is not in the catalogue's themes ({known})"))
    seen_urls: dict[str, str] = {}
    for entry in parsed:
        errors.extend(_content_errors(entry))
        errors.extend(_watch_errors(entry, providers, seen_urls))
    if errors:
        raise CatalogueError(errors)
    films = tuple(entry.film for entry in parsed)
    if all(f.hidden for f in films):
        raise CatalogueError([f"{source}:1: the catalogue has no visible film"])
    return Catalogue(films, themes, providers)


V = TypeVar("V", Theme, Provider)


def _vocabulary(name: str, raw: object, model: type[V], source: str) -> tuple[dict[str, V], list[str]]:
    """A top-level mapping of keys to entries (`themes:`, `providers:`), and what is wrong with it."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"{source}:1: {name}: must map each key (like 'new-year') to its fields"]
    entries: dict[str, V] = {}
    errors = []
    for key, fields in raw.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z]+(-[a-z]+)*", key):
            errors.append(f"{source}:1: {name}: {key!r} is not a key like 'new-year'")
            continue
        try:
            entry = model.model_validate(fields)
        except ValidationError as exc:
            errors += [f"{source}:1: {name}: {key}: {message}" for _, message in _pydantic_errors(exc)]
            continue
        labels = [entry.name, entry.where] if isinstance(entry, Provider) else [entry, entry.like]
        if any(label.ru is None or not _CYRILLIC.search(label.ru) for label in labels):
            errors.append(f"{source}:1: {name}: {key}: every label needs its ru text, in Cyrillic")
        entries[key] = entry
    return entries, errors


def _watch_errors(entry: _Parsed, providers: dict[str, Provider], seen: dict[str, str]) -> list[str]:
    """Each link on a known provider, https on that provider's hosts, listed once in the whole
    catalogue; a video only on a provider that can verify one; parts numbered once each."""
    errors = []
    own: set[str] = set()
    parts: set[tuple[str, int | None]] = set()
    for link in entry.film.watch:
        provider = providers.get(link.provider)
        if provider is None:
            known = ", ".join(sorted(providers)) or "none defined"
            errors.append(
                entry.error("watch", f"{link.provider!r} is not in the catalogue's providers ({known})")
            )
            continue
        if not provider.serves(link.url):
            hosts = ", ".join(provider.hosts)
            errors.append(entry.error("watch", f"{link.url} must be an https address on {hosts}"))
        if link.kind == "video" and provider.check == "page":
            errors.append(entry.error("watch", f"{link.url}: {link.provider} links can only be pages"))
        first = seen.setdefault(link.url, entry.film.id)
        if link.url in own or first != entry.film.id:
            where = "this film" if first == entry.film.id else f"film '{first}'"
            errors.append(entry.error("watch", f"{link.url}: a duplicate (already listed for {where})"))
        elif link.kind == "video" and (link.provider, link.part) in parts:
            which = f"part {link.part}" if link.part else "the film"
            errors.append(entry.error("watch", f"{link.url}: {which} has a video on {link.provider} already"))
        own.add(link.url)
        if link.kind == "video":
            parts.add((link.provider, link.part))
    return errors


@dataclass(frozen=True)
class _Parsed:
    """A validated film and where it stands in the file, for error messages."""

    film: Film
    source: str
    start: int
    key_lines: dict[str, int]

    def error(self, field_name: str, message: str) -> str:
        line = self.key_lines.get(field_name, self.start)
        return f"{self.source}:{line}: film '{self.film.id}': {field_name}: {message}"


def _cross_film_errors(parsed: list[_Parsed]) -> list[str]:
    """Titles and aliases must each point to one film."""
    errors = []
    names: dict[str, str] = {}
    for entry in parsed:
        film = entry.film
        own: set[str] = set()
        named = [("title", film.title), ("original_title", film.original_title or "")]
        for field_name, name in named + [("aliases", a) for a in film.aliases]:
            key = _fold(name)
            if not key or key in own:
                continue
            own.add(key)
            other = names.setdefault(key, film.id)
            if other != film.id:
                errors.append(entry.error(field_name, f"{name!r} is already used by film '{other}'"))
    return errors


@cache
def content_farms() -> frozenset[str]:
    """The hosts `sources` may not cite (bot/core/content-farms.txt)."""
    listed = resources.files(__package__).joinpath("content-farms.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in listed.splitlines() if line.strip() and not line.startswith("#")
    )


def _farmed(url: str) -> str | None:
    """The listed content farm `url` is on, if any (subdomains and a trailing dot included)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    parts = host.split(".")
    return next(
        (".".join(parts[i:]) for i in range(len(parts) - 1) if ".".join(parts[i:]) in content_farms()), None
    )


def _content_errors(entry: _Parsed) -> list[str]:
    """Editorial rules for films users see: sourced, bilingual, Cyrillic original title."""
    film = entry.film
    if film.hidden or film.description is None:  # a missing description is reported already
        return []
    errors = []
    if not film.sources:
        errors.append(entry.error("sources", "a visible film needs at least one source address"))
    for url in film.sources:
        farm = _farmed(url)
        if farm is not None:
            errors.append(
                entry.error("sources", f"{url} is on {farm}, a content farm (bot/core/content-farms.txt)")
            )
    if not _CYRILLIC.search(film.original_title or ""):
        errors.append(entry.error("original_title", "must be the Russian title in Cyrillic"))
    description = film.card_description
    for language, text in (("en", description.en), ("ru", description.ru)):
        if text is None:
            errors.append(entry.error("description", f"the {language} text is missing"))
        elif len(text) > DESCRIPTION_LIMIT:
            limit = f"{len(text)} characters (limit {DESCRIPTION_LIMIT})"
            errors.append(entry.error("description", f"the {language} text has {limit}"))
    for number, fact in enumerate(film.facts, 1):
        if fact.ru is None:
            errors.append(entry.error("facts", f"fact {number}: the ru text is missing"))
    for field_name, people in (("directors", film.directors), ("cast", film.cast)):
        for person in people:
            role = person.role
            if role is not None and (role.ru is None or not _CYRILLIC.search(role.ru)):
                problem = f"{person.en!r}: the role needs its Russian name, in Cyrillic"
                errors.append(entry.error(field_name, problem))
            if person.ru is None:
                errors.append(entry.error(field_name, f"{person.en!r} needs its Russian spelling (ru)"))
            elif not _CYRILLIC.search(person.ru):
                errors.append(
                    entry.error(field_name, f"{person.en!r}: the Russian spelling must be in Cyrillic")
                )
    if film.studio is not None and film.studio.ru is None:
        errors.append(entry.error("studio", "the ru name is missing"))
    if film.based_on is not None:
        author, work = film.based_on.author, film.based_on.work
        if author.ru is None or not _CYRILLIC.search(author.ru):
            errors.append(
                entry.error("based_on", f"{author.en!r} needs its Russian spelling in Cyrillic (ru)")
            )
        if author.ru_dative is None or not _CYRILLIC.search(author.ru_dative):
            errors.append(
                entry.error("based_on", f"{author.en!r} needs ru_dative, the surname after «по» (Чехову)")
            )
        if work.ru is None:
            errors.append(entry.error("based_on", "the work's ru title is missing"))
        if any(mark in title for title in (work.en, work.ru or "") for mark in '«»“”"'):
            errors.append(entry.error("based_on", "give the work's title without quotation marks"))
    texts = [("description", "", film.card_description)]
    texts += [("facts", f"fact {number}: ", fact) for number, fact in enumerate(film.facts, 1)]
    if film.studio is not None:
        texts.append(("studio", "", film.studio))
    for field_name, which, localized in texts:
        errors.extend(entry.error(field_name, which + problem) for problem in _language_problems(localized))
    return errors


_LATIN = re.compile(r"[A-Za-z]")


def _language_problems(text: Localized) -> list[str]:
    """A Russian text in Cyrillic with «…»; an English one with “…” and English titles of works
    (a Russian title in an English text is given in English, or transliterated)."""
    problems = []
    if "«" in text.en or "»" in text.en or '"' in text.en:
        problems.append("the en text quotes with “…”, not «…» or straight quotes")
    if _CYRILLIC.search(text.en):
        problems.append("the en text has Cyrillic: give a title in English (or transliterated)")
    if text.ru is not None:
        if not _CYRILLIC.search(text.ru) and _LATIN.search(text.ru):
            problems.append("the ru text is in Latin letters only")
        if '"' in text.ru or "“" in text.ru or "”" in text.ru:
            problems.append("the ru text quotes with «…»")
    return problems


def _people_errors(parsed: list[_Parsed]) -> list[str]:
    """One spelling per person across the catalogue, in each language: the same Russian name with
    two English spellings (or the reverse) is one person spelled two ways."""
    errors = []
    seen: dict[tuple[str, str], tuple[str, str]] = {}  # (language, spelling) -> (the other, film)
    for entry in parsed:
        for field_name in ("directors", "cast"):
            for person in getattr(entry.film, field_name):
                if person.ru is None:
                    continue
                for key, other in ((("ru", person.ru), person.en), (("en", person.en), person.ru)):
                    first, where = seen.setdefault(key, (other, entry.film.id))
                    if first != other:
                        spelt = f"{key[1]!r} is {first!r} in film '{where}' but {other!r} here"
                        errors.append(entry.error(field_name, f"{spelt}: one spelling per person"))
    return errors


def _too_big(source: str, size: int) -> str:
    return (
        f"{source}: the file has {size / 2**20:.0f} MB; a catalogue may have at most "
        f"{MAX_CATALOGUE_BYTES // 2**20} MB"
    )


def load_catalogue(path: Path) -> Catalogue:
    return parse_file(read_file(path), path)


def read_file(path: Path) -> bytes:
    """A catalogue file's bytes; CatalogueError if it is missing, unreadable or too big."""
    try:
        size = path.stat().st_size
        if size > MAX_CATALOGUE_BYTES:
            raise CatalogueError([_too_big(str(path), size)])
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogueError([f"{path}: no such file; set CATALOGUE_PATH to the catalogue YAML"]) from None
    except OSError as exc:
        raise CatalogueError([f"{path}: cannot read the file: {exc.strerror or exc}"]) from None


def parse_file(content: bytes, path: Path) -> Catalogue:
    """The catalogue in a file's bytes (UTF-8 YAML), validated; CatalogueError listing every problem."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise CatalogueError(
            [f"{path}:{line}: not UTF-8 text (byte {exc.start + 1} of the file); save the file as UTF-8"]
        ) from None
    return parse_catalogue(text, str(path))


def _day_rank(day: date, film_id: str) -> bytes:
    return hashlib.sha256(f"{day.isoformat()}|{film_id}".encode()).digest()


def choose_film_of_the_day(day: date, candidates: Iterable[str]) -> str:
    """Deterministic pick among the films not yet shown in the current cycle."""
    return min(candidates, key=lambda film_id: _day_rank(day, film_id))
