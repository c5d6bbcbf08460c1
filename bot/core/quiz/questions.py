"""Quiz questions made from the catalogue's own data: who directed a film, its year, its studio,
whose work it adapts, who played a named role, which film a sourced fact is about, and which film
is the odd one out by director or by decade. Every question has exactly one right answer by the
catalogue (wrong options are chosen so that none of them is also right), and each has a stable key,
so that a player is not asked the same question twice in a week.

Everything here is pure: the same catalogue and language give the same questions; `pick` draws
from them with the caller's random source."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.core.catalogue.model import Catalogue, Film, Person
from bot.core.catalogue.search import fold
from bot.core.films.card import names, titles
from bot.core.models import Language
from bot.core.texts import text

# Telegram's limits for a quiz poll (Bot API: sendPoll)
QUESTION_LIMIT, OPTION_LIMIT, EXPLANATION_LIMIT = 300, 100, 200
OPTIONS = 4  # one right answer and three wrong ones


@dataclass(frozen=True)
class Question:
    """One quiz question: `key` names it across languages ("director:cranes-are-flying"), `film_id`
    is the film its explanation is about (the card a button opens)."""

    key: str
    film_id: str
    text: str
    options: tuple[str, ...]
    correct: int
    explanation: str


def questions(catalogue: Catalogue, language: Language) -> list[Question]:
    """Every question the catalogue yields in `language`, in a stable order. A question whose
    texts would not fit Telegram's limits, or that could not get three wrong options, is left out."""
    films = list(catalogue.visible)
    made: list[Question] = []
    for kind in _KINDS:
        for question in kind(films, language):
            if _fits(question):
                made.append(question)
    return made


def pick(
    pool: Sequence[Question], count: int, rng: random.Random, avoid: Iterable[str] = ()
) -> list[Question]:
    """`count` questions drawn from `pool` (fewer if it runs short): none whose key is in `avoid`
    (asked this week), each about a different film where the pool allows, kinds mixed."""
    avoided = set(avoid)
    fresh = [q for q in pool if q.key not in avoided]
    rng.shuffle(fresh)
    chosen: list[Question] = []
    films: set[str] = set()
    for question in fresh:
        if len(chosen) == count:
            break
        if question.film_id not in films:
            chosen.append(question)
            films.add(question.film_id)
    for question in fresh:  # a small pool: films may repeat, questions never do
        if len(chosen) == count:
            break
        if question not in chosen:
            chosen.append(question)
    return chosen


def _fits(question: Question) -> bool:
    return (
        1 <= len(question.text) <= QUESTION_LIMIT
        and len(question.options) == OPTIONS
        and len(set(question.options)) == OPTIONS
        and all(1 <= len(option) <= OPTION_LIMIT for option in question.options)
        and len(question.explanation) <= EXPLANATION_LIMIT
    )


def _title(film: Film, language: Language) -> str:
    return titles(film, language)[0]


def _quoted(film: Film, language: Language) -> str:
    title = _title(film, language)
    return f"«{title}»" if language == "ru" else f"“{title}”"


def _decade(year: int) -> int:
    return year // 10 * 10


def _rng(key: str) -> random.Random:
    """The same wrong options for a question every time (a seeded choice, not Python's hash)."""
    return random.Random(sum((i + 1) * ord(c) for i, c in enumerate(key)))


def _options(key: str, right: str, wrong: Sequence[str]) -> tuple[tuple[str, ...], int] | None:
    """The right option and three distinct wrong ones, shuffled; None if there are not three."""
    pool = sorted({w for w in wrong if w and w != right})
    if len(pool) < OPTIONS - 1:
        return None
    rng = _rng(key)
    chosen = [*rng.sample(pool, OPTIONS - 1), right]
    rng.shuffle(chosen)
    return tuple(chosen), chosen.index(right)


def _near_first(film: Film, others: Iterable[Film]) -> list[Film]:
    """Other films, the nearest in time first: wrong options from the same years are plausible."""
    return sorted((f for f in others if f.id != film.id), key=lambda f: (abs(f.year - film.year), f.id))


def _people(people: Sequence[Person]) -> set[str]:
    return {p.en for p in people}


QuestionKind = Callable[[list[Film], Language], Iterable[Question]]


def _directed(films: list[Film], language: Language) -> Iterable[Question]:
    for film in films:
        if not film.directors:
            continue
        mine = _people(film.directors)
        wrong = [
            names(other.directors, language)
            for other in _near_first(film, films)
            if other.directors and not (_people(other.directors) & mine)
        ][:8]
        yield from _ask(
            f"director:{film.id}", film, names(film.directors, language), wrong,
            text(language, "quiz_q_director", title=_quoted(film, language), year=film.year),
            text(language, "quiz_x_director", title=_quoted(film, language), year=film.year,
                 who=names(film.directors, language)),
        )  # fmt: skip


def _year(films: list[Film], language: Language) -> Iterable[Question]:
    for film in films:
        taken = {film.year, film.premiere_year or film.year}
        wrong = [str(film.year + d) for d in (-4, -3, -2, -1, 1, 2, 3, 4) if film.year + d not in taken]
        released = ""
        if film.premiere_year and film.premiere_year != film.year:
            released = text(language, "quiz_x_released", year=film.premiere_year)
        yield from _ask(
            f"year:{film.id}", film, str(film.year), wrong,
            text(language, "quiz_q_year", title=_quoted(film, language)),
            text(language, "quiz_x_year", title=_quoted(film, language), year=film.year,
                 who=names(film.directors, language)) + released,
        )  # fmt: skip


def _studio(films: list[Film], language: Language) -> Iterable[Question]:
    studios = {f.studio.en: f.studio for f in films if f.studio is not None}
    for film in films:
        if film.studio is None:
            continue
        wrong = [s.get(language) for en, s in sorted(studios.items()) if en != film.studio.en]
        yield from _ask(
            f"studio:{film.id}", film, film.studio.get(language), wrong,
            text(language, "quiz_q_studio", title=_quoted(film, language), year=film.year),
            text(language, "quiz_x_studio", title=_quoted(film, language), year=film.year,
                 studio=film.studio.get(language)),
        )  # fmt: skip


def _author(films: list[Film], language: Language) -> Iterable[Question]:
    authors = {
        f.based_on.author.en: f.based_on.author for f in films if f.based_on and f.based_on.author is not None
    }
    for film in films:
        if film.based_on is None or film.based_on.author is None:
            continue
        author = film.based_on.author
        wrong = [a.get(language) for en, a in sorted(authors.items()) if en != author.en]
        work = film.based_on.work.get(language)
        yield from _ask(
            f"author:{film.id}", film, author.get(language), wrong,
            text(language, "quiz_q_author", title=_quoted(film, language), year=film.year),
            text(language, "quiz_x_author", title=_quoted(film, language), author=author.get(language),
                 work=f"«{work}»" if language == "ru" else f"“{work}”"),
        )  # fmt: skip


_FEMALE = re.compile(r"(ова|ева|ёва|ина|ына|ая|яя)$")
_MALE = re.compile(r"(ов|ев|ёв|ин|ын|ий|ой|ый)$")


def _gender(person: Person) -> str:
    """ "f", "m" or "" by the Russian surname's ending: a wrong option for Veronika is an actress."""
    surname = (person.ru or "").split()[-1] if person.ru else ""
    return "f" if _FEMALE.search(surname) else "m" if _MALE.search(surname) else ""


def _role(films: list[Film], language: Language) -> Iterable[Question]:
    for film in films:
        cast = _people(film.cast)
        for number, actor in enumerate(film.cast):
            if actor.role is None:
                continue
            gender = _gender(actor)
            wrong = [
                person.get(language)
                for other in _near_first(film, films)
                for person in other.cast
                if person.en not in cast and gender and _gender(person) == gender
            ][:12]
            key = f"role:{film.id}:{number}"
            role = actor.role.get(language)
            yield from _ask(
                key, film, actor.get(language), wrong,
                text(language, "quiz_q_role", title=_quoted(film, language), year=film.year, role=role),
                text(language, "quiz_x_role", title=_quoted(film, language), year=film.year,
                     who=actor.get(language), role=role),
            )  # fmt: skip


def _mentions(fact: str, film: Film) -> bool:
    """Whether a fact names the film (any of its titles, as whole words): it would give itself away,
    or be about two films at once."""
    folded = f" {fold(fact)} "
    return any(f" {name} " in folded for name in (fold(n) for n in film.names) if len(name) > 3)


def _ask(
    key: str, film: Film, right: str, wrong: Sequence[str], asked: str, explained: str
) -> Iterable[Question]:
    """The question `asked` about `film`, `right` among the nearest of `wrong` (none when too few are
    left), and what the explanation says after the answer."""
    made = _options(key, right, wrong)
    if made is not None:
        options, correct = made
        yield Question(key, film.id, asked, options, correct, explained)


def _which_film(key: str, film: Film, wrong: list[str], language: Language, asked: str) -> Iterable[Question]:
    """A "which film is this about" question; the explanation names the film, its year and its
    directors."""
    explained = text(
        language,
        "quiz_x_fact",
        title=_quoted(film, language),
        year=film.year,
        who=names(film.directors, language),
    )
    yield from _ask(key, film, _title(film, language), wrong, asked, explained)


def _fact(films: list[Film], language: Language) -> Iterable[Question]:
    for film in films:
        for number, fact in enumerate(film.facts, 1):
            said = fact.get(language)
            if _mentions(said, film):
                continue
            wrong = [
                _title(other, language)
                for other in _near_first(film, films)
                if not _mentions(said, other) and not (_people(other.directors) & _people(film.directors))
            ][:8]
            yield from _which_film(f"fact:{film.id}:{number}", film, wrong, language,
                                   text(language, "quiz_q_fact", fact=said))  # fmt: skip


# Capitalised words of the descriptions that are places, peoples, events and works, not the
# characters' names: kept when a description sentence is quoted with its names hidden.
NOT_NAMES = frozenset(
    {
        "Moscow", "War", "Leningrad", "Civil", "St", "Petersburg", "Red", "Army", "Volga", "New", "Year's",
        "Eve", "Muscovite", "Jewish", "Siberian", "White", "Aral", "Sea", "Far", "Eastern", "Young",
        "Pioneer", "Paris", "Illyria", "Georgian", "Polesia", "Hutsul", "Carpathians", "Caucasus", "German",
        "Russia", "Don", "Cossack", "First", "World", "Tisza", "Austro-Hungarian", "Empire", "Whites",
        "Whites'", "Bolshevik", "Hiroshima", "Bolshoi", "Switzerland", "Verona", "Kazakh", "Lermontov's",
        "Masquerade", "Ostrovsky's", "Without", "Dowry", "Joan", "Arc", "Москву", "Москвы", "Москве",
        "Гражданской", "Гражданскую", "Гражданская", "Ленинград", "Ленинграда", "Красной", "Петербурге",
        "Петербург", "Аральском", "Дальнем", "Востоке", "Маскарад", "Островского", "Бесприданница", "Париже",
        "Иллирии", "Полесья", "Карпатах", "Жанны", "Арк", "XIX", "XVI", "XVII", "Первой", "Тисе",
        "Австро-Венгерской", "Хиросимы", "Большой", "Японии", "Швейцарии", "Вероне",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё][\w’'-]*")
_HIDDEN = "…"


def _names(films: list[Film], language: Language) -> set[str]:
    """The characters' names as the descriptions write them (any case form): capitalised words
    inside a sentence that are not places or events, and the words of the roles."""
    found: set[str] = set()
    for film in films:
        for sentence in re.split(r"(?<=[.!?])\s+", film.card_description.get(language)):
            words = _WORD.findall(sentence)
            found.update(w for w in words[1:] if w[0].isupper() and w not in NOT_NAMES)
        for person in film.cast:
            if person.role is not None:
                found.update(w for w in _WORD.findall(person.role.get(language)) if w[0].isupper())
    return found - NOT_NAMES


def _hide(sentence: str, names: set[str]) -> str:
    """The sentence with every name replaced by an ellipsis (a run of names by one)."""
    hidden = _WORD.sub(lambda m: _HIDDEN if m.group(0) in names else m.group(0), sentence)
    return re.sub(rf"{_HIDDEN}(\s+{_HIDDEN})+", _HIDDEN, hidden)


def _description(films: list[Film], language: Language) -> Iterable[Question]:
    characters = _names(films, language)
    for film in films:
        sentence = re.split(r"(?<=[.!?])\s+", film.card_description.get(language))[0]
        hidden = _hide(sentence, characters)
        # too little left to go on, or the title gives it away
        if len(_WORD.findall(hidden)) < 12 or _mentions(hidden, film):
            continue
        work = film.based_on.work.en if film.based_on else None
        wrong = [
            _title(other, language)
            for other in _near_first(film, films)
            if not (work and other.based_on and other.based_on.work.en == work)  # one play, two films
        ][:8]
        yield from _which_film(f"description:{film.id}", film, wrong, language,
                               text(language, "quiz_q_description", sentence=hidden))  # fmt: skip


def _odd_director(films: list[Film], language: Language) -> Iterable[Question]:
    by_director: dict[str, list[Film]] = defaultdict(list)
    for film in films:
        if len(film.directors) == 1:
            by_director[film.directors[0].en].append(film)
    for director_en, theirs in sorted(by_director.items()):
        if len(theirs) < OPTIONS - 1:
            continue
        director = theirs[0].directors[0]
        theirs = sorted(theirs, key=lambda f: f.id)
        for odd in _near_first(theirs[0], films)[:6]:
            if director_en in _people(odd.directors):
                continue
            key = f"odd-director:{fold(director_en).replace(' ', '-')}:{odd.id}"
            rng = _rng(key)
            three = rng.sample(theirs, OPTIONS - 1)
            chosen = [*three, odd]
            rng.shuffle(chosen)
            yield Question(
                key, odd.id,
                text(language, "quiz_q_odd_director", who=director.get(language)),
                tuple(_title(f, language) for f in chosen), chosen.index(odd),
                text(language, "quiz_x_odd_director", title=_quoted(odd, language), year=odd.year,
                     who=names(odd.directors, language)),
            )  # fmt: skip
            break


def _odd_decade(films: list[Film], language: Language) -> Iterable[Question]:
    by_decade: dict[int, list[Film]] = defaultdict(list)
    for film in films:
        decade = _decade(film.year)
        if _decade(film.premiere_year or film.year) == decade:  # made and shown in the same decade
            by_decade[decade].append(film)
    for decade, theirs in sorted(by_decade.items()):
        outside = [
            f for f in films if _decade(f.year) != decade and _decade(f.premiere_year or f.year) != decade
        ]
        for odd in sorted(outside, key=lambda f: f.id):
            key = f"odd-decade:{decade}:{odd.id}"
            rng = _rng(key)
            if len(theirs) < OPTIONS - 1 or rng.random() > 0.2:  # a few per decade, not every film
                continue
            three = rng.sample(sorted(theirs, key=lambda f: f.id), OPTIONS - 1)
            chosen = [*three, odd]
            rng.shuffle(chosen)
            yield Question(
                key, odd.id,
                text(language, "quiz_q_odd_decade", decade=_decade_name(decade, language)),
                tuple(_title(f, language) for f in chosen), chosen.index(odd),
                text(language, "quiz_x_odd_decade", title=_quoted(odd, language), year=odd.year,
                     decade=_decade_name(decade, language)),
            )  # fmt: skip


def _decade_name(decade: int, language: Language) -> str:
    return text(language, "quiz_decade", decade=decade)


_KINDS: tuple[QuestionKind, ...] = (
    _directed,
    _year,
    _studio,
    _author,
    _role,
    _fact,
    _description,
    _odd_director,
    _odd_decade,
)
