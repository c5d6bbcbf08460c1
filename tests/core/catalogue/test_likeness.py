"""More like this: the ranking on a small catalogue, and its reasons in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.catalogue.likeness import WEIGHTS, Shared, more_like
from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.model import Author, BasedOn, Film, Localized, Person, Theme
from bot.core.films.card import reason_text, render_more_like

ROOT = Path(__file__).resolve().parents[3]
KONCHALOVSKY = Person(en="Andrei Konchalovsky", ru="Андрей Кончаловский")
CHEKHOV = Author(en="Anton Chekhov", ru="Антон Чехов", ru_dative="Чехову")
BATALOV = Person(en="Aleksey Batalov", ru="Алексей Баталов")
SMOKTUNOVSKY = Person(en="Innokenty Smoktunovsky", ru="Иннокентий Смоктуновский")
THEMES = {
    "war": Theme(en="War", ru="Война", like=Localized(en="also about the war", ru="тоже о войне")),
    "adaptation": Theme(
        en="Screen adaptation",
        ru="Экранизация",
        like=Localized(en="also a screen adaptation", ru="тоже экранизация"),
    ),
}


def film(film_id: str, year: int, **fields: object) -> Film:
    return Film.model_validate(
        {"id": film_id, "title": film_id.replace("-", " ").title(), "year": year, **fields}
    )


def chekhov(work: str) -> BasedOn:
    return BasedOn(author=CHEKHOV, work=Localized(en=work, ru=work))


UNCLE_VANYA = film(
    "uncle-vanya",
    1970,
    directors=[KONCHALOVSKY],
    cast=[SMOKTUNOVSKY],
    based_on=chekhov("Uncle Vanya"),
    themes=["adaptation"],
)
NEST = film("nest-of-gentry", 1969, directors=[KONCHALOVSKY])
SEAGULL = film("seagull", 1970, based_on=chekhov("The Seagull"), themes=["adaptation"])
LADY = film(
    "lady-with-the-dog",
    1960,
    cast=[BATALOV],
    based_on=chekhov("The Lady with the Dog"),
    themes=["adaptation"],
)
HAMLET = film("hamlet", 1964, cast=[SMOKTUNOVSKY], themes=["adaptation"])
WAR_1970 = film("war-1970", 1970, themes=["war"])
WAR_1975 = film("war-1975", 1975, themes=["war"])
ALONE = film("alone", 1930)
CATALOGUE = (UNCLE_VANYA, NEST, SEAGULL, LADY, HAMLET, WAR_1970, WAR_1975, ALONE)


def ids(film: Film, limit: int = 5) -> list[str]:
    return [a.film.id for a in more_like(film, CATALOGUE, THEMES, limit)]


def test_the_films_sharing_most_come_first_and_never_the_film_itself() -> None:
    # director + decade (4.5) and author + decade (4.5): the nearer year first; then author alone,
    # then the lead actor with a shared theme, then the decade alone
    assert ids(UNCLE_VANYA, 10) == [
        "seagull",
        "nest-of-gentry",
        "hamlet",
        "lady-with-the-dog",
        "war-1970",
        "war-1975",
    ]
    assert "uncle-vanya" not in ids(UNCLE_VANYA, 10)


def test_at_most_five_and_ties_broken_by_year_then_title() -> None:
    assert len(ids(UNCLE_VANYA)) == 5
    assert ids(WAR_1970)[:2] == [
        "war-1975",
        "seagull",
    ]  # the war (1.5 with the decade) beats the decade alone
    assert more_like(SEAGULL, CATALOGUE, THEMES) == more_like(SEAGULL, tuple(reversed(CATALOGUE)), THEMES)


def test_reasons_are_listed_strongest_first_and_an_adaptation_by_the_same_author_is_not_repeated() -> None:
    [seagull] = [a for a in more_like(UNCLE_VANYA, CATALOGUE, THEMES) if a.film.id == "seagull"]
    assert [r.shared for r in seagull.reasons] == [Shared.AUTHOR, Shared.DECADE]
    assert seagull.score == WEIGHTS[Shared.AUTHOR] + WEIGHTS[Shared.DECADE]
    [hamlet] = [a for a in more_like(UNCLE_VANYA, CATALOGUE, THEMES) if a.film.id == "hamlet"]
    assert [r.shared for r in hamlet.reasons] == [Shared.ACTOR, Shared.THEME]


def test_a_film_with_nothing_in_common_gets_an_empty_list_said_plainly() -> None:
    assert more_like(ALONE, CATALOGUE, THEMES) == []
    assert render_more_like(ALONE, [], "en") == (
        "Nothing else in the collection has much in common with “Alone”. How about a random film?"
    )


@pytest.mark.parametrize(
    ("other", "en", "ru"),
    [
        (NEST, "also directed by Andrei Konchalovsky", "режиссёр тоже Андрей Кончаловский"),
        (SEAGULL, "also based on Anton Chekhov", "тоже по Чехову"),
        (HAMLET, "also starring Innokenty Smoktunovsky", "снова играет Иннокентий Смоктуновский"),
        (WAR_1975, "also from the 1970s", "тоже снят в 1970-е"),
    ],
)
def test_each_reason_reads_naturally_in_both_languages(other: Film, en: str, ru: str) -> None:
    [alike] = [a for a in more_like(UNCLE_VANYA, CATALOGUE, THEMES, 10) if a.film.id == other.id]
    first = alike.reasons[0]
    assert (reason_text(first, "en"), reason_text(first, "ru")) == (en, ru)


def test_every_film_of_the_real_catalogue_has_films_like_it_each_with_a_reason() -> None:
    catalogue = load_catalogue(ROOT / "data" / "films.yaml")
    for one in catalogue.visible:
        alike = more_like(one, catalogue.visible, catalogue.themes)
        assert 1 <= len(alike) <= 5, one.id
        assert all(a.reasons and a.film.id != one.id for a in alike)
        for language in ("en", "ru"):
            assert len(render_more_like(one, alike, language)) < 4096
