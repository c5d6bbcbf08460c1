"""The quiz's questions over the whole catalogue (issue #27): each has exactly one right answer by
the catalogue's own data, checked here independently of how it was made; options are distinct;
texts fit Telegram's limits in both languages; a pick never repeats a question asked this week."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.model import Film
from bot.core.films.card import names, titles
from bot.core.models import Language
from bot.core.quiz.questions import (
    EXPLANATION_LIMIT,
    NOT_NAMES,
    OPTION_LIMIT,
    OPTIONS,
    QUESTION_LIMIT,
    Question,
    pick,
    questions,
)

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[3] / "data" / "films.yaml")
FILMS = CATALOGUE.visible


def by_title(language: Language) -> dict[str, Film]:
    found = {titles(f, language)[0]: f for f in FILMS}
    assert len(found) == len(FILMS), "titles in one language name one film each"
    return found


def decade(year: int) -> int:
    return year // 10 * 10


def right_by_catalogue(question: Question, language: Language) -> list[int]:
    """The options that are right answers, found from the catalogue alone."""
    kind, film_id, *rest = question.key.split(":")  # odd-decade:<decade>:<film>; role:<film>:<n>
    films = by_title(language)
    if kind.startswith("odd-"):
        chosen = [films[o] for o in question.options]
        if kind == "odd-director":  # three films share a director; the right answer is the fourth
            shared = Counter(p.en for f in chosen for p in f.directors).most_common(1)[0]
            assert shared[1] == OPTIONS - 1, question
            return [n for n, f in enumerate(chosen) if shared[0] not in {p.en for p in f.directors}]
        the_decade = int(film_id)
        return [
            n
            for n, f in enumerate(chosen)
            if decade(f.year) != the_decade and decade(f.premiere_year or f.year) != the_decade
        ]
    film = CATALOGUE.by_id[film_id]
    if kind == "director":
        return [n for n, o in enumerate(question.options) if o == names(film.directors, language)]
    if kind == "year":
        return [n for n, o in enumerate(question.options) if int(o) in {film.year}]
    if kind == "studio":
        assert film.studio is not None
        return [n for n, o in enumerate(question.options) if o == film.studio.get(language)]
    if kind == "author":
        assert film.based_on is not None and film.based_on.author is not None
        return [n for n, o in enumerate(question.options) if o == film.based_on.author.get(language)]
    if kind == "role":
        actor = film.cast[int(rest[0])]
        cast = {p.get(language) for p in film.cast}
        assert all(o == actor.get(language) or o not in cast for o in question.options)
        return [n for n, o in enumerate(question.options) if o == actor.get(language)]
    assert kind in ("fact", "description")
    return [n for n, o in enumerate(question.options) if films[o].id == film.id]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_question_has_exactly_one_right_answer_by_the_catalogue(language: Language) -> None:
    made = questions(CATALOGUE, language)
    assert len(made) >= 300  # every film gives several
    for question in made:
        assert right_by_catalogue(question, language) == [question.correct], question


@pytest.mark.parametrize("language", ["en", "ru"])
def test_options_are_distinct_and_texts_fit_telegrams_limits(language: Language) -> None:
    for question in questions(CATALOGUE, language):
        assert len(question.options) == OPTIONS == len(set(question.options)), question
        assert 1 <= len(question.text) <= QUESTION_LIMIT, question
        assert all(1 <= len(o) <= OPTION_LIMIT for o in question.options), question
        assert len(question.explanation) <= EXPLANATION_LIMIT, question
        film = CATALOGUE.by_id[question.film_id]
        assert titles(film, language)[0] in question.explanation  # it names the film


def test_a_year_question_offers_neither_the_premiere_year_nor_the_year_twice() -> None:
    """ "Two films of that year" or a film made in 1975 and shown in 1976 must not make two options
    right: the premiere year is never a wrong option."""
    for question in questions(CATALOGUE, "en"):
        if question.key.startswith("year:"):
            film = CATALOGUE.by_id[question.film_id]
            wrong = [o for n, o in enumerate(question.options) if n != question.correct]
            assert str(film.premiere_year) not in wrong


def test_questions_come_in_the_readers_language() -> None:
    english, russian = questions(CATALOGUE, "en"), questions(CATALOGUE, "ru")
    assert {q.key for q in english} & {q.key for q in russian}
    cyrillic = re.compile("[а-яё]", re.IGNORECASE)
    assert all(cyrillic.search(q.text) for q in russian)
    assert not any(cyrillic.search(q.text) for q in english)


def test_the_same_catalogue_gives_the_same_questions() -> None:
    assert questions(CATALOGUE, "ru") == questions(CATALOGUE, "ru")


def test_a_pick_skips_what_was_asked_this_week_and_mixes_films() -> None:
    pool = questions(CATALOGUE, "en")
    asked = {q.key for q in pool[:300]}
    chosen = pick(pool, 5, random.Random(1), avoid=asked)
    assert len(chosen) == 5 and not ({q.key for q in chosen} & asked)
    assert len({q.film_id for q in chosen}) == 5
    assert pick(pool, 5, random.Random(1), avoid={q.key for q in pool}) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_description_is_quoted_with_its_names_hidden(language: Language) -> None:
    """ "Which film begins like this?" shows the description's first sentence without the
    characters' names: no word of a role is left in it."""
    quoted = [q for q in questions(CATALOGUE, language) if q.key.startswith("description:")]
    assert len(quoted) >= 40
    for question in quoted:
        film = CATALOGUE.by_id[question.film_id]
        words = set(re.findall(r"[\w’'-]+", question.text))
        roles = {
            w
            for p in film.cast
            if p.role
            for w in re.findall(r"[\w’'-]+", p.role.get(language))
            if w[0].isupper() and w not in NOT_NAMES
        }
        assert not (words & roles), (question.text, words & roles)
