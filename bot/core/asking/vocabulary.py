"""What a message can ask for, taken from the catalogue: its people (as directors, actors and the
authors of the works adapted), its themes and moods with their words, its studios, and the years
and decades of its films. Built once per catalogue (see `forms`), in a worker thread after start-up.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from rapidfuzz import fuzz, process

from bot.core.asking import words as reading_words
from bot.core.asking.forms import morphology
from bot.core.asking.words import by_language
from bot.core.catalogue.model import Catalogue, Film, Localized
from bot.core.catalogue.search import fold

MAX_PHRASE = 4  # words in the longest name or phrase the vocabulary holds
NEAR_NAME = 85  # how alike (rapidfuzz's ratio) a typed surname must be to one here: Ryazonov, not Tarkovsky


class Kind(Enum):
    PERSON = "p"
    WORK = "w"  # a work films adapt: «Бесприданница» gives Without a Dowry and A Cruel Romance
    THEME = "t"
    MOOD = "m"
    STUDIO = "s"
    DECADE = "d"
    YEAR = "y"


@dataclass(frozen=True)
class Facet:
    """One thing a request may name, with the films it names. A person's films are those they
    directed, played in or wrote the source of (`directed`, `acted`, `wrote` say which)."""

    kind: Kind
    key: str  # as a button carries it: "t-war", "p-eldar-riazanov", "d-1970"
    films: frozenset[str]
    name: Localized
    directed: frozenset[str] = frozenset()
    acted: frozenset[str] = frozenset()
    wrote: frozenset[str] = frozenset()
    ru_gent: str | None = None  # «Эльдара Рязанова», where a name inflects with certainty
    ru_ablt: str | None = None  # «Алексеем Баталовым»
    ru_dative: str | None = None  # «Чехову», as the catalogue gives an author
    heading: Localized | None = None  # a theme's or a mood's list: "Films about the war"


def _slug(text: str) -> str:
    return "-".join(fold(text).split())[:24].strip("-")


# Words of a studio's name that do not tell one studio from another.
_STUDIO_WORDS = frozenset(fold("film studio films kinostudiia kinostudia imeni m").split()) | {
    fold("киностудия"),
    fold("имени"),
}


@dataclass(frozen=True)
class Vocabulary:
    forms: dict[str, list[str]]  # folded form -> its folded dictionary forms, the likeliest first
    phrases: dict[tuple[str, ...], list[Facet]]  # folded dictionary forms -> what they name
    by_key: dict[str, Facet]
    surname_facets: dict[str, list[Facet]]  # a folded surname -> its people, for typos
    decades: dict[int, frozenset[str]]  # 1970 -> the films made in the 1970s
    years: dict[int, frozenset[str]]  # a year -> the films made or first shown in it
    surnames: list[str] = field(init=False)  # the folded surnames, sorted
    starts: frozenset[str] = field(init=False)  # the first words of the phrases of several words

    def __post_init__(self) -> None:
        object.__setattr__(self, "surnames", sorted(self.surname_facets))
        object.__setattr__(self, "starts", frozenset(p[0] for p in self.phrases if len(p) > 1))

    def lemma(self, folded_word: str) -> str:
        return self.lemmas(folded_word)[0]

    def lemmas(self, folded_word: str) -> list[str]:
        return self.forms.get(folded_word) or [folded_word]

    def facet(self, key: str) -> Facet | None:
        """A facet by its key; decades and years are made from theirs."""
        if found := self.by_key.get(key):
            return found
        match = re.fullmatch(r"([dy])-(\d{4})", key)
        if match is None:
            return None
        return self.period(int(match.group(2)), decade=match.group(1) == "d")

    def period(self, year: int, decade: bool) -> Facet:
        """The films of a decade (1970: the 1970s) or of a year (made or first shown then)."""
        films = (self.decades if decade else self.years).get(year, frozenset())
        kind = Kind.DECADE if decade else Kind.YEAR
        return Facet(kind, f"{kind.value}-{year}", films, _period_name(year, decade))

    def near_surname(self, folded_word: str) -> list[Facet]:
        """The people whose surname the word looks like a misspelling of (Ryazonov, Баталoв)."""
        if len(folded_word) < 5 or not self.surnames:
            return []
        # a typo keeps the first letter: "Лісова" is not a misspelling of Alisova
        alike = [s for s in self.surnames if s[0] == folded_word[0]]
        found = process.extractOne(folded_word, alike, scorer=fuzz.ratio, score_cutoff=NEAR_NAME)
        return list(self.surname_facets[found[0]]) if found else []


@dataclass
class _Credits:
    """One person's films in the catalogue, by what they did in each."""

    name: Localized
    directed: set[str] = field(default_factory=set)
    acted: set[str] = field(default_factory=set)
    wrote: set[str] = field(default_factory=set)
    dative: str | None = None  # an author's surname after «по»


def _period_name(year: int, decade: bool) -> Localized:
    if decade:
        return Localized(en=f"the {year}s", ru=f"{str(year)[2:]}-х годов")
    return Localized(en=str(year), ru=f"{year} года")


def build_vocabulary(catalogue: Catalogue, films: Sequence[Film]) -> Vocabulary:
    """The vocabulary of these (visible) films. Loads the morphology dictionaries for a moment."""
    people: dict[str, _Credits] = {}

    def person(name: Localized) -> _Credits:
        return people.setdefault(name.en, _Credits(name))

    studios: dict[str, tuple[Localized, set[str]]] = {}
    works: dict[str, tuple[Localized, set[str]]] = {}
    decades: dict[int, set[str]] = defaultdict(set)
    years: dict[int, set[str]] = defaultdict(set)
    for film in films:
        for director in film.directors:
            person(director).directed.add(film.id)
        for actor in film.cast:
            person(actor).acted.add(film.id)
        if film.based_on is not None:
            if film.based_on.author is not None:
                author = person(film.based_on.author)
                author.wrote.add(film.id)
                author.dative = film.based_on.author.ru_dative or author.dative
            works.setdefault(film.based_on.work.en, (film.based_on.work, set()))[1].add(film.id)
        if film.studio is not None:
            studios.setdefault(film.studio.en, (film.studio, set()))[1].add(film.id)
        for year in {film.year, film.premiere_year or film.year}:
            years[year].add(film.id)
        decades[film.year // 10 * 10].add(film.id)

    labelled = [
        (Kind.THEME, f"t-{key}", theme, frozenset(f.id for f in films if key in f.themes))
        for key, theme in catalogue.themes.items()
    ] + [
        (Kind.MOOD, f"m-{key}", mood, frozenset(f.id for f in films if key in f.moods))
        for key, mood in catalogue.moods.items()
    ]
    words: dict[str, list[str]] = {"en": [], "ru": [], "uk": []}
    for _, _, label, _ in labelled:
        words["en"] += [label.en, *label.words.en]
        words["ru"] += [label.ru or "", *label.words.ru]
        words["uk"] += list(label.words.uk)
    words["ru"] += [credits.name.ru or "" for credits in people.values()]
    words["ru"] += [re.sub(r"[«»]", "", studio.ru or "") for studio, _ in studios.values()]
    words["ru"] += [work.ru or "" for work, _ in works.values()]
    for language, listed in by_language(reading_words.EVERY).items():
        words[language] += listed
    russian_names = [credits.name.ru for credits in people.values() if credits.name.ru]
    forms, inflected = morphology(words, russian_names)

    def key_of(text: str) -> tuple[str, ...]:
        return tuple((forms.get(w) or [w])[0] for w in fold(text).split())

    phrases: dict[tuple[str, ...], list[Facet]] = defaultdict(list)
    by_key: dict[str, Facet] = {}

    def add(facet: Facet, names: Iterable[str]) -> None:
        by_key[facet.key] = facet
        for text in names:
            phrase = key_of(text)
            if phrase and len(phrase) <= MAX_PHRASE and facet not in phrases[phrase]:
                phrases[phrase].append(facet)

    for kind, key, label, tagged in labelled:
        facet = Facet(kind, key, tagged, Localized(en=label.en, ru=label.ru), heading=label.list)
        add(facet, [label.en, label.ru or "", *label.words.en, *label.words.ru, *label.words.uk])
    surname_facets: dict[str, list[Facet]] = defaultdict(list)
    for credits in people.values():
        name = credits.name
        genitive, instrumental = inflected.get(name.ru or "", (None, None))
        facet = Facet(
            Kind.PERSON,
            f"p-{_slug(name.en)}",
            frozenset(credits.directed | credits.acted | credits.wrote),
            Localized(en=name.en, ru=name.ru),
            frozenset(credits.directed),
            frozenset(credits.acted),
            frozenset(credits.wrote),
            genitive,
            instrumental,
            credits.dative,
        )
        surnames = [name.en.split()[-1], *([name.ru.split()[-1]] if name.ru else [])]
        add(facet, [name.en, name.ru or "", *surnames, *([facet.ru_dative] if facet.ru_dative else [])])
        for surname in surnames:
            surname_facets[fold(surname)].append(facet)
    for studio, film_ids in studios.values():
        facet = Facet(Kind.STUDIO, f"s-{_slug(studio.en)}", frozenset(film_ids), studio)
        names = [studio.en, studio.ru or ""]
        distinctive = [" ".join(w for w in fold(n).split() if w not in _STUDIO_WORDS) for n in names if n]
        add(facet, [*names, *(d for d in distinctive if d)])
    for work, film_ids in works.values():
        add(Facet(Kind.WORK, f"w-{_slug(work.en)}", frozenset(film_ids), work), [work.en, work.ru or ""])
    return Vocabulary(
        forms,
        dict(phrases),
        by_key,
        dict(surname_facets),
        {d: frozenset(ids) for d, ids in decades.items()},
        {y: frozenset(ids) for y, ids in years.items()},
    )
