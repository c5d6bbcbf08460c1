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

from bot.core.asking.forms import morphology
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


@dataclass
class Vocabulary:
    forms: dict[str, list[str]]  # folded form -> its folded dictionary forms, the likeliest first
    phrases: dict[tuple[str, ...], list[Facet]]  # folded dictionary forms -> what they name
    by_key: dict[str, Facet]
    surnames: list[str] = field(default_factory=list)  # folded surnames, for typos
    starts: frozenset[str] = frozenset()  # the first words of the phrases of several words
    surname_facets: dict[str, list[Facet]] = field(default_factory=dict)

    def lemma(self, folded_word: str) -> str:
        found = self.forms.get(folded_word)
        return found[0] if found else folded_word

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

    def period(self, year: int, decade: bool) -> Facet | None:
        """The films of a decade (1970: the 1970s) or of a year (made or first shown then)."""
        films = self._decades.get(year) if decade else self._years.get(year)
        if not films:
            return Facet(
                Kind.DECADE if decade else Kind.YEAR,
                f"{'d' if decade else 'y'}-{year}",
                frozenset(),
                _period_name(year, decade),
            )
        return Facet(
            Kind.DECADE if decade else Kind.YEAR,
            f"{'d' if decade else 'y'}-{year}",
            films,
            _period_name(year, decade),
        )

    def near_surname(self, folded_word: str) -> list[Facet]:
        """The people whose surname the word looks like a misspelling of (Ryazonov, Баталoв)."""
        if len(folded_word) < 5 or not self.surnames:
            return []
        # a typo keeps the first letter: "Лісова" is not a misspelling of Alisova
        alike = [s for s in self.surnames if s[0] == folded_word[0]]
        found = process.extractOne(folded_word, alike, scorer=fuzz.ratio, score_cutoff=NEAR_NAME)
        return list(self.surname_facets[found[0]]) if found else []

    _decades: dict[int, frozenset[str]] = field(default_factory=dict)
    _years: dict[int, frozenset[str]] = field(default_factory=dict)


def _period_name(year: int, decade: bool) -> Localized:
    if decade:
        return Localized(en=f"the {year}s", ru=f"{str(year)[2:]}-х годов")
    return Localized(en=str(year), ru=f"{year} года")


def build_vocabulary(catalogue: Catalogue, films: Sequence[Film]) -> Vocabulary:
    """The vocabulary of these (visible) films. Loads the morphology dictionaries for a moment."""
    people: dict[str, dict[str, object]] = {}

    def person(name: Localized, film: Film, role: str, dative: str | None = None) -> None:
        entry = people.setdefault(name.en, {"name": name, "directed": set(), "acted": set(), "wrote": set()})
        roles = entry[role]
        assert isinstance(roles, set)
        roles.add(film.id)
        if dative:
            entry["dative"] = dative

    studios: dict[str, tuple[Localized, set[str]]] = {}
    works: dict[str, tuple[Localized, set[str]]] = {}
    decades: dict[int, set[str]] = defaultdict(set)
    years: dict[int, set[str]] = defaultdict(set)
    for film in films:
        for director in film.directors:
            person(director, film, "directed")
        for actor in film.cast:
            person(actor, film, "acted")
        if film.based_on is not None:
            author = film.based_on.author
            person(author, film, "wrote", author.ru_dative)
            works.setdefault(film.based_on.work.en, (film.based_on.work, set()))[1].add(film.id)
        if film.studio is not None:
            studios.setdefault(film.studio.en, (film.studio, set()))[1].add(film.id)
        for year in {film.year, film.premiere_year or film.year}:
            years[year].add(film.id)
        decades[film.year // 10 * 10].add(film.id)

    words: dict[str, list[str]] = {"en": [], "ru": [], "uk": []}
    for theme in catalogue.themes.values():
        words["en"] += [theme.en, *theme.words.en]
        words["ru"] += [theme.ru or "", *theme.words.ru]
        words["uk"] += list(theme.words.uk)
    for mood in catalogue.moods.values():
        words["en"] += [mood.en, *mood.words.en]
        words["ru"] += [mood.ru or "", *mood.words.ru]
        words["uk"] += list(mood.words.uk)
    for entry in people.values():
        name = entry["name"]
        assert isinstance(name, Localized)
        words["ru"].append(name.ru or "")
    words["ru"] += [re.sub(r"[«»]", "", studio.ru or "") for studio, _ in studios.values()]
    words["ru"] += [work.ru or "" for work, _ in works.values()]
    words["ru"] += [*WISH_WORDS_RU]
    words["en"] += [*WISH_WORDS_EN]
    russian_names = [
        name.ru for entry in people.values() if isinstance(name := entry["name"], Localized) and name.ru
    ]
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

    for key, theme in catalogue.themes.items():
        tagged = frozenset(f.id for f in films if key in f.themes)
        facet = Facet(Kind.THEME, f"t-{key}", tagged, Localized(en=theme.en, ru=theme.ru), heading=theme.list)
        add(facet, [theme.en, theme.ru or "", *theme.words.en, *theme.words.ru, *theme.words.uk])
    for key, mood in catalogue.moods.items():
        tagged = frozenset(f.id for f in films if key in f.moods)
        facet = Facet(Kind.MOOD, f"m-{key}", tagged, Localized(en=mood.en, ru=mood.ru), heading=mood.list)
        add(facet, [mood.en, mood.ru or "", *mood.words.en, *mood.words.ru, *mood.words.uk])
    surname_facets: dict[str, list[Facet]] = defaultdict(list)
    for entry in people.values():
        name, directed, acted, wrote = entry["name"], entry["directed"], entry["acted"], entry["wrote"]
        assert isinstance(name, Localized) and isinstance(directed, set)
        assert isinstance(acted, set) and isinstance(wrote, set)
        dative = entry.get("dative")
        facet = Facet(
            Kind.PERSON,
            f"p-{_slug(name.en)}",
            frozenset(directed | acted | wrote),
            Localized(en=name.en, ru=name.ru),
            frozenset(directed),
            frozenset(acted),
            frozenset(wrote),
            inflected.get(name.ru or "", (None, None))[0],
            inflected.get(name.ru or "", (None, None))[1],
            dative if isinstance(dative, str) else None,
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
    vocabulary = Vocabulary(forms, dict(phrases), by_key, sorted(surname_facets))
    vocabulary.surname_facets = dict(surname_facets)
    vocabulary.starts = frozenset(phrase[0] for phrase in phrases if len(phrase) > 1)
    vocabulary._decades = {d: frozenset(ids) for d, ids in decades.items()}
    vocabulary._years = {y: frozenset(ids) for y, ids in years.items()}
    return vocabulary


# Words of wishes and requests whose forms the reading needs («посоветуй», «хочу», "recommends").
WISH_WORDS_RU = (
    "посоветовать",
    "порекомендовать",
    "предложить",
    "подсказать",
    "хотеть",
    "найти",
    "показать",
    "дать",
    "включить",
    "случайный",
    "любой",
    "какой-нибудь",
    "фильм",
    "кино",
    "кинофильм",
    "картина",
    "список",
    "год",
    "снять",
    "выйти",
    "играть",
    "режиссёр",
    "актёр",
    "актриса",
    "сыграть",
    "главный",
    "роль",
    "участие",
    "студия",
    "посмотреть",
    "смотреть",
    "глянуть",
    "вечер",
    "сегодня",
    "что-нибудь",
    "что-то",
    "нечто",
    "какой",
    "хороший",
    "старый",
    "советский",
)
WISH_WORDS_EN = (
    "recommend",
    "suggest",
    "want",
    "show",
    "give",
    "find",
    "film",
    "movie",
    "picture",
    "list",
    "year",
    "direct",
    "star",
    "play",
    "director",
    "actor",
    "actress",
    "studio",
    "watch",
    "see",
)
