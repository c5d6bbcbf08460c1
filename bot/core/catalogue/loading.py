"""Loading a catalogue: YAML parsed into records, every problem reported with its file:line, and
the editorial rules (`python -m bot check`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot.core.catalogue.model import (
    CYRILLIC,
    DESCRIPTION_LIMIT,
    MAX_CATALOGUE_BYTES,
    Catalogue,
    CatalogueError,
    Film,
    Localized,
    Mood,
    Person,
    Provider,
    Theme,
    fold_name,
)

if TYPE_CHECKING:
    import yaml

# PyYAML is imported where a catalogue is parsed, not with this module: a restart that takes the
# catalogue from its checked copy (catalogue_cache) parses no YAML, and the import is 15-25 ms.


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
    unknown = sorted(set(data) - {"films", "themes", "moods", "providers"})
    if unknown:
        raise CatalogueError([f"{source}:1: unknown top-level keys: {', '.join(unknown)}"])
    themes, theme_errors = _vocabulary("themes", data.get("themes"), Theme, source)
    moods, mood_errors = _vocabulary("moods", data.get("moods"), Mood, source)
    providers, provider_errors = _vocabulary("providers", data.get("providers"), Provider, source)

    lines = _line_map(node) if node is not None else []
    errors: list[str] = theme_errors + mood_errors + provider_errors
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
    errors.extend(_english_spelling_errors(parsed))
    for entry in parsed:
        for theme in entry.film.themes:
            if theme not in themes:
                known = ", ".join(sorted(themes)) or "none defined"
                errors.append(entry.error("themes", f"{theme!r} is not in the catalogue's themes ({known})"))
        for mood in entry.film.moods:
            if mood not in moods:
                known = ", ".join(sorted(moods)) or "none defined"
                errors.append(entry.error("moods", f"{mood!r} is not in the catalogue's moods ({known})"))
        if moods and not entry.film.hidden and not entry.film.moods:
            errors.append(entry.error("moods", "a visible film needs at least one mood (a key of `moods`)"))
    seen_urls: dict[str, str] = {}
    for entry in parsed:
        errors.extend(_content_errors(entry))
        errors.extend(_watch_errors(entry, providers, seen_urls))
    if errors:
        raise CatalogueError(errors)
    films = tuple(entry.film for entry in parsed)
    if all(f.hidden for f in films):
        raise CatalogueError([f"{source}:1: the catalogue has no visible film"])
    return Catalogue(films, themes, moods=moods, providers=providers)


V = TypeVar("V", Theme, Mood, Provider)


def _labels(entry: Theme | Mood | Provider) -> list[Localized]:
    """The texts of a vocabulary entry that readers see, each of which needs its Russian."""
    if isinstance(entry, Provider):
        return [entry.name, entry.where]
    if isinstance(entry, Theme):
        return [entry, entry.like, *([entry.list] if entry.list else [])]
    return [entry, entry.list]


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
        labels = _labels(entry)
        if any(label.ru is None or not CYRILLIC.search(label.ru) for label in labels):
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
    """Titles and aliases must each point to one film, and so must every id elsewhere."""
    errors = []
    names: dict[str, str] = {}
    ids: dict[tuple[str, str], str] = {}
    for entry in parsed:
        film = entry.film
        for kind, value in film.ids.items():
            other = ids.setdefault((kind, value), film.id)
            if other != film.id:
                errors.append(entry.error("ids", f"{kind} {value!r} is already film '{other}'s"))
        own: set[str] = set()
        named = [("title", film.title), ("original_title", film.original_title or "")]
        for field_name, name in named + [("aliases", a) for a in film.aliases]:
            key = fold_name(name)
            if not key or key in own:
                continue
            own.add(key)
            other = names.setdefault(key, film.id)
            if other != film.id:
                errors.append(entry.error(field_name, f"{name!r} is already used by film '{other}'"))
    return errors


@cache
def content_farms() -> frozenset[str]:
    """The hosts `sources` may not cite (bot/core/catalogue/content-farms.txt)."""
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


def _source_errors(entry: _Parsed) -> list[str]:
    """Every claim on a visible card cites sources the film lists, at least one of them not a
    content farm, and every listed source backs some claim."""
    film = entry.film
    sources = film.addresses
    errors = []
    if not sources:
        errors.append(entry.error("sources", "a visible film needs at least one source address"))
    farms = {name: farm for name, url in sources.items() if (farm := _farmed(url)) is not None}
    for name, farm in farms.items():
        where = f"{sources[name]} is on {farm}"
        errors.append(
            entry.error("sources", f"{name}: {where}, a content farm (bot/core/catalogue/content-farms.txt)")
        )
    used: set[str] = set()
    for claim, names in film.claims():
        field_name = "facts" if claim.startswith("fact") else "cited"
        if not names:
            errors.append(entry.error(field_name, f"{claim}: cites no source (name one of `sources`)"))
            continue
        unknown = [name for name in names if name not in sources]
        if unknown:
            listed = ", ".join(repr(name) for name in unknown)
            errors.append(entry.error(field_name, f"{claim}: cites {listed}, not in the film's sources"))
        used.update(names)
        known = [name for name in names if name in sources]
        if known and all(name in farms for name in known):
            errors.append(
                entry.error(
                    field_name, f"{claim}: every source it cites is a content farm; find a better one"
                )
            )
    for name, url in sources.items():
        if name not in used:
            errors.append(entry.error("sources", f"{name} ({url}) backs no claim: cite it, or remove it"))
    return errors


TALKING_POINTS = 3  # per language, for every visible film


def _talk_errors(entry: _Parsed) -> list[str]:
    """Three talking points in each language, each a question in its own language."""
    errors = []
    for language in ("en", "ru"):
        points = entry.film.talk.get(language)
        if len(points) != TALKING_POINTS:
            errors.append(
                entry.error(
                    "talk", f"{language}: {len(points)} talking points; a visible film needs {TALKING_POINTS}"
                )
            )
        for number, point in enumerate(points, 1):
            if not point.rstrip().endswith("?"):
                errors.append(
                    entry.error("talk", f"{language} {number}: a talking point is a question (ends with ?)")
                )
            cyrillic = bool(CYRILLIC.search(point))
            if cyrillic != (language == "ru"):
                errors.append(entry.error("talk", f"{language} {number}: not in its language"))
    return errors


def _content_errors(entry: _Parsed) -> list[str]:
    """Editorial rules for films users see: sourced, bilingual, Cyrillic original title."""
    film = entry.film
    if film.hidden or film.description is None:  # a missing description is reported already
        return []
    errors = _source_errors(entry)
    if not CYRILLIC.search(film.original_title or ""):
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
            if role is not None and field_name == "directors":
                problem = f"{person.en!r}: a role goes on the cast entry (a director who acts is in both)"
                errors.append(entry.error(field_name, problem))
            if role is not None and (role.ru is None or not RUSSIAN_NAME.fullmatch(role.ru)):
                problem = f"{person.en!r}: the role needs its Russian name, in Cyrillic (every letter)"
                errors.append(entry.error(field_name, problem))
            if person.ru is None:
                errors.append(entry.error(field_name, f"{person.en!r} needs its Russian spelling (ru)"))
            elif not RUSSIAN_NAME.fullmatch(person.ru):
                errors.append(
                    entry.error(
                        field_name,
                        f"{person.en!r}: the Russian spelling must be in Cyrillic, every letter of it",
                    )
                )
    if film.studio is not None and film.studio.ru is None:
        errors.append(entry.error("studio", "the ru name is missing"))
    if film.based_on is not None:
        author, work = film.based_on.author, film.based_on.work
        if author is not None and (author.ru is None or not CYRILLIC.search(author.ru)):
            errors.append(
                entry.error("based_on", f"{author.en!r} needs its Russian spelling in Cyrillic (ru)")
            )
        if author is not None and (author.ru_dative is None or not CYRILLIC.search(author.ru_dative)):
            errors.append(
                entry.error("based_on", f"{author.en!r} needs ru_dative, the surname after «по» (Чехову)")
            )
        kind = film.based_on.kind
        if kind is not None and (kind.ru is None or not CYRILLIC.search(kind.ru)):
            errors.append(entry.error("based_on", "the work's kind needs its ru text, in Cyrillic"))
        if work.ru is None:
            errors.append(entry.error("based_on", "the work's ru title is missing"))
        if any(mark in title for title in (work.en, work.ru or "") for mark in '«»“”"'):
            errors.append(entry.error("based_on", "give the work's title without quotation marks"))
    errors.extend(_talk_errors(entry))
    texts = [("description", "", film.card_description)]
    texts += [("facts", f"fact {number}: ", fact) for number, fact in enumerate(film.facts, 1)]
    if film.studio is not None:
        texts.append(("studio", "", film.studio))
    for field_name, which, localized in texts:
        errors.extend(entry.error(field_name, which + problem) for problem in _language_problems(localized))
    return errors


_LATIN = re.compile(r"[A-Za-z]")
# A Russian name or role: Cyrillic letters, spaces, hyphens, dots, commas and apostrophes only.
RUSSIAN_NAME = re.compile(r"[\u0400-\u04FF][\u0400-\u04FF .,'’\-()]*")
# Latin words a Russian text may carry: names of papers, prizes and festivals as they are printed.
LATIN_IN_RUSSIAN = (
    "The Harvard Crimson",
    "Harvard Crimson",
    "Cahiers du cinéma",
    "Variety",
    "BAFTA",
    "Oscar",
)
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_ROMAN = re.compile(r"[IVXLC]+")


def _language_problems(text: Localized) -> list[str]:
    """A Russian text in Cyrillic with «…»; an English one with “…” and English titles of works
    (a Russian title in an English text is given in English, or transliterated)."""
    problems = []
    if "«" in text.en or "»" in text.en or '"' in text.en:
        problems.append("the en text quotes with “…”, not «…» or straight quotes")
    if CYRILLIC.search(text.en):
        problems.append("the en text has Cyrillic: give a title in English (or transliterated)")
    if text.ru is not None:
        if not CYRILLIC.search(text.ru) and _LATIN.search(text.ru):
            problems.append("the ru text is in Latin letters only")
        if '"' in text.ru or "“" in text.ru or "”" in text.ru:
            problems.append("the ru text quotes with «…»")
        measured = re.sub(r"°\s?[CF]\b", "", text.ru)  # −40 °C is a unit, not a word
        for name in LATIN_IN_RUSSIAN:  # a paper's or a prize's name, as it is printed
            measured = measured.replace(name, "")
        # a century is written in Roman numerals («XIX век»), which are not words
        latin = [word for word in _LATIN_WORD.findall(measured) if not _ROMAN.fullmatch(word)]
        if latin and CYRILLIC.search(text.ru):
            words = ", ".join(dict.fromkeys(latin))
            problems.append(
                f"the ru text has Latin words ({words}): write them in Russian, or list a paper's name"
            )
    return problems


def _people_errors(parsed: list[_Parsed]) -> list[str]:
    """One spelling per person across the catalogue, in each language: the same Russian name with
    two English spellings (or the reverse) is one person spelled two ways."""
    errors = []
    seen: dict[tuple[str, str], tuple[str, str]] = {}  # (language, spelling) -> (the other, film)
    for entry in parsed:
        for field_name, people in _credited(entry.film):
            for person in people:
                if person.ru is None:
                    continue
                for key, other in ((("ru", person.ru), person.en), (("en", person.en), person.ru)):
                    first, where = seen.setdefault(key, (other, entry.film.id))
                    if first != other:
                        spelt = f"{key[1]!r} is {first!r} in film '{where}' but {other!r} here"
                        errors.append(entry.error(field_name, f"{spelt}: one spelling per person"))
    return errors


def _credited(film: Film) -> list[tuple[str, Sequence[Person]]]:
    """The film's people by the field that credits them: directors, cast, the source's author."""
    based_on = film.based_on
    authors = [based_on.author] if based_on is not None and based_on.author is not None else []
    return [("directors", film.directors), ("cast", film.cast), ("based_on", authors)]


def _english_spelling_errors(parsed: list[_Parsed]) -> list[str]:
    """One English spelling per person, in the credits and in the texts: "Grigori Chukhrai" in a
    fact, or in another film's credits, when the catalogue spells him "Grigory Chukhrai", is one
    person spelled two ways (the variants fold to one form, as search folds them)."""
    from bot.core.catalogue.search import fold  # the search module is not needed at start-up

    spelt: dict[str, tuple[str, str | None, str]] = {}  # folded name -> (English, Russian, film)
    errors = []
    for entry in parsed:
        for field_name, people in _credited(entry.film):
            for person in people:
                key = fold(person.en)
                first, russian, where = spelt.setdefault(key, (person.en, person.ru, entry.film.id))
                # the same Russian spelling is reported by _people_errors already
                if first != person.en and russian != person.ru and len(key.split()) > 1:
                    problem = f"{person.en!r} is spelled {first!r} in film '{where}': one spelling per person"
                    errors.append(entry.error(field_name, problem))
    names = {key: first for key, (first, _, _) in spelt.items() if len(key.split()) > 1}
    longest = max((len(key.split()) for key in names), default=0)
    first_words = {key.split()[0] for key in names}
    seen: dict[str, str] = {}  # word -> its folded form: most words of the texts repeat
    for entry in parsed:
        film = entry.film
        texts: list[tuple[str, str, Localized]] = (
            [("description", "", film.description)] if film.description else []
        )
        texts += [("facts", f"fact {number}: ", fact) for number, fact in enumerate(film.facts, 1)]
        for field_name, which, localized in texts:
            words = re.findall(r"[A-Za-zÀ-ÿ]+", localized.en)
            folded = [seen.get(word) or seen.setdefault(word, fold(word)) for word in words]
            for start, token in enumerate(folded):
                if token not in first_words:
                    continue
                for size in range(2, longest + 1):
                    credited = names.get(" ".join(folded[start : start + size]))
                    typed = " ".join(words[start : start + size])
                    if credited is not None and credited != typed:
                        problem = f"{typed!r} is spelled {credited!r} in the credits: one spelling per person"
                        errors.append(entry.error(field_name, which + problem))
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
