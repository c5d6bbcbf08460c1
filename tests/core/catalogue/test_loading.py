from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.core.catalogue.loading import load_catalogue, parse_catalogue
from bot.core.catalogue.model import CatalogueError
from bot.core.films.daily import choose_film_of_the_day
from tests.support.samples import a_film

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "data" / "films.yaml"


def parse(*films: dict[str, object]) -> list[str]:
    try:
        parse_catalogue(yaml.safe_dump({"films": list(films)}, allow_unicode=True), "films.yaml")
    except CatalogueError as exc:
        return exc.errors
    return []


def test_the_real_catalogue_loads_with_hidden_films_kept_out_of_sight() -> None:
    catalogue = load_catalogue(REAL)
    assert len(catalogue.visible) >= 9
    hidden = [f for f in catalogue.films if f.hidden]
    assert hidden and all(catalogue.get(f.id) is None for f in hidden)
    assert all(f.note for f in hidden)


def test_a_valid_film_passes() -> None:
    assert parse(a_film()) == []


def test_error_names_file_line_film_and_field() -> None:
    text = "films:\n  - id: cranes\n    title: Cranes\n    original_title: Журавли\n    year: 1800\n"
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(text, "data/films.yaml")
    assert "data/films.yaml:5: film 'cranes': year: must be between 1895 and 2100" in error.value.errors


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"id": "Bad Id"}, "id: must be a slug"),
        ({"colour": "red"}, "colour: unknown field"),
        ({"title": "  "}, "title: must not be empty"),
        ({"description": {"en": ""}}, "description.en: must not be empty"),
        ({"sources": {"bad": "not a url"}}, "is not an http(s) address"),
        ({"sources": {"Bad Name": "https://example.org/a"}}, "is not a source name like en-wikipedia"),
        ({"sources": {}}, "a visible film needs at least one source address"),
        ({"cited": {"credits": ["example"]}}, "cited: description: cites no source"),
        (
            {"cited": {"credits": ["example", "elsewhere"], "description": ["example"]}},
            "credits: cites 'elsewhere', not in",
        ),
        (
            {"sources": {"example": "https://example.org/a", "spare": "https://example.org/b"}},
            "sources: spare (https://example.org/b) backs no claim: cite it, or remove it",
        ),
        ({"facts": [{"en": "A fact.", "ru": "Факт."}]}, "facts: fact 1: cites no source"),
        (
            {
                "sources": {"example": "https://example.org/a", "zen": "https://dzen.ru/a/x"},
                "facts": [{"en": "A fact.", "ru": "Факт.", "src": ["zen"]}],
            },
            "facts: fact 1: every source it cites is a content farm",
        ),
        ({"based_on": {"work": {"en": "An Epic", "ru": "Эпос"}}}, "give the work's `author`, or its `kind`"),
        (
            {"talk": {"en": ["Why?", "How?"], "ru": ["Почему?", "Как?", "Зачем?"]}},
            "talk: en: 2 talking points",
        ),
        (
            {"talk": {"en": ["Why?", "How?", "So."], "ru": ["Почему?", "Как?", "Зачем?"]}},
            "en 3: a talking point is a question",
        ),
        (
            {"talk": {"en": ["Why?", "How?", "Зачем?"], "ru": ["Почему?", "Как?", "Зачем?"]}},
            "en 3: not in its language",
        ),
        ({"original_title": "Latin only"}, "original_title: must be the Russian title in Cyrillic"),
        ({"description": {"en": "Only English."}}, "description: the ru text is missing"),
        ({"description": {"en": "x" * 601, "ru": "y"}}, "the en text has 601 characters (limit 600)"),
        ({"facts": [{"en": "A fact."}]}, "facts: fact 1: the ru text is missing"),
        ({"premiere_year": 1950}, "premiere_year must not be earlier than year"),
    ],
)
def test_broken_fields_are_reported(fields: dict[str, object], fragment: str) -> None:
    errors = parse(a_film(**fields))
    assert any(fragment in e for e in errors), errors


def test_duplicate_ids_titles_and_aliases_are_errors() -> None:
    errors = parse(
        a_film(),
        a_film(id="a-film", title="Other", original_title="Другой"),
        a_film(id="third", title="Third", original_title="Третий", aliases=["a  FILM"]),
        a_film(id="fourth", title="Fourth", original_title="Фильм"),
    )
    assert any("id: duplicate id" in e for e in errors)
    assert any("aliases: 'a FILM' is already used by film 'a-film'" in e for e in errors)
    assert any("film 'fourth': original_title: 'Фильм' is already used" in e for e in errors)


def test_hidden_stub_needs_no_content() -> None:
    assert parse(a_film(), {"id": "stub", "title": "Stub", "year": 1972, "hidden": True, "note": "why"}) == []


def test_every_error_is_listed_not_just_the_first() -> None:
    errors = parse(a_film(year=1000), a_film(id="b", title="B", original_title="Б", colour="x"))
    assert len(errors) == 2


def test_not_yaml_and_wrong_shape_are_clear() -> None:
    with pytest.raises(CatalogueError, match="not valid YAML"):
        parse_catalogue("films: [\n", "x.yaml")
    with pytest.raises(CatalogueError, match="a mapping with a 'films' list"):
        parse_catalogue("- 1\n", "x.yaml")
    with pytest.raises(CatalogueError, match="no such file"):
        load_catalogue(Path("/nonexistent/films.yaml"))


def test_film_of_the_day_choice_is_deterministic_and_among_candidates() -> None:
    ids = ["a", "b", "c", "d"]
    day = date(2026, 11, 26)
    assert choose_film_of_the_day(day, ids) == choose_film_of_the_day(day, list(reversed(ids)))
    assert choose_film_of_the_day(day, ids) in ids
    picks = {choose_film_of_the_day(date(2026, 1, d), ids) for d in range(1, 29)}
    assert len(picks) > 1


def test_decade_pages_keep_decades_apart_and_pages_short() -> None:
    from bot.core.films.browse import decade_pages

    catalogue = load_catalogue(REAL)
    pages = decade_pages(catalogue.visible, per_page=4)
    assert sum(len(p.films) for p in pages) == len(catalogue.visible)
    assert all(len(p.films) <= 4 and {f.year // 10 * 10 for f in p.films} == {p.decade} for p in pages)
    assert [p.decade for p in pages] == sorted(p.decade for p in pages)


# People in both languages (issue #12)


def test_a_person_without_a_russian_spelling_is_refused() -> None:
    [error] = parse(a_film(cast=["Anna Karina"]))
    assert "films.yaml:" in error and "cast: 'Anna Karina' needs its Russian spelling (ru)" in error


def test_a_russian_spelling_in_latin_letters_is_refused() -> None:
    [error] = parse(a_film(directors=[{"en": "Eldar Ryazanov", "ru": "Eldar Ryazanov"}]))
    assert "the Russian spelling must be in Cyrillic" in error


@pytest.mark.parametrize(
    "other",
    [{"en": "Innokenti Smoktunovsky", "ru": "Иннокентий Смоктуновский"},  # two English spellings
     {"en": "Innokenty Smoktunovsky", "ru": "Инокентий Смоктуновский"}],  # two Russian ones
)  # fmt: skip
def test_one_person_spelled_two_ways_across_films_is_refused(other: dict[str, str]) -> None:
    first = a_film(cast=[{"en": "Innokenty Smoktunovsky", "ru": "Иннокентий Смоктуновский"}])
    second = a_film(id="b-film", title="B Film", original_title="Б", cast=[other])
    [error] = parse(first, second)
    assert "film 'b-film': cast:" in error and "one spelling per person" in error and "'a-film'" in error


def test_a_hidden_stub_may_name_people_in_english_only() -> None:
    assert (
        parse(a_film(), {"id": "stub", "title": "Stub", "year": 1972, "hidden": True, "directors": ["X Y"]})
        == []
    )


def test_the_real_catalogue_names_every_person_in_both_languages() -> None:
    catalogue = load_catalogue(REAL)
    for entry in catalogue.visible:
        for person in (*entry.directors, *entry.cast):
            assert person.ru and not any("a" <= c.lower() <= "z" for c in person.ru), (entry.id, person)


def test_a_source_on_a_content_farm_is_refused() -> None:
    farmed = {"example": "https://example.org/a", "homsk": "https://homsk.com./bingo/x"}
    farmed["mirtesen"] = "https://vopros-ik.mirtesen.ru/blog/1"
    cited = {"credits": ["example", "homsk"], "description": ["example", "mirtesen"]}
    errors = parse(a_film(sources=farmed, cited=cited))
    farm = "a content farm (bot/core/catalogue/content-farms.txt)"
    assert len(errors) == 2 and all(farm in e for e in errors)
    assert "homsk.com" in errors[0] and "mirtesen.ru" in errors[1]


@pytest.mark.parametrize(
    ("fact", "problem"),
    [
        ({"en": "The song «Нежность» is sung.", "ru": "Звучит песня «Нежность»."}, "quotes with “…”"),
        ({"en": 'A film called "Asya".', "ru": "Фильм «Ася»."}, "quotes with “…”"),
        ({"en": "Sung as Нежность.", "ru": "Звучит «Нежность»."}, "has Cyrillic"),
        (
            {"en": "It was shot in Baku.", "ru": "It was shot in Baku."},
            "the ru text is in Latin letters only",
        ),
        ({"en": "A film called “Asya”.", "ru": "Фильм “Ася”."}, "the ru text quotes with «…»"),
    ],
)
def test_texts_are_in_their_own_language_and_quotation_marks(fact: dict[str, str], problem: str) -> None:
    errors = parse(a_film(facts=[{**fact, "src": ["example"]}]))
    assert errors and all("facts: fact 1:" in e for e in errors)
    assert any(problem in e for e in errors), errors


def test_english_and_russian_quotation_marks_pass() -> None:
    fact = {
        "en": "Doronina sings “Tenderness” herself.",
        "ru": "Доронина сама поёт «Нежность».",
        "src": ["example"],
    }
    assert parse(a_film(facts=[fact])) == []


def test_a_theme_outside_the_vocabulary_is_refused() -> None:
    war = {"en": "War", "ru": "Война", "like": {"en": "also about the war", "ru": "тоже о войне"}}
    document = {"themes": {"war": war}, "films": [a_film(themes=["war", "space"])]}
    with pytest.raises(CatalogueError) as refused:
        parse_catalogue(yaml.safe_dump(document, allow_unicode=True), "films.yaml")
    [error] = refused.value.errors
    assert "themes: 'space' is not in the catalogue's themes (war)" in error


def test_a_source_work_needs_its_russian_title_and_author() -> None:
    based = {"author": {"en": "Anton Chekhov"}, "work": {"en": "“The Seagull”"}}
    errors = parse(a_film(based_on=based))
    assert any("'Anton Chekhov' needs its Russian spelling" in e for e in errors)
    assert any("the work's ru title is missing" in e for e in errors)
    assert any("without quotation marks" in e for e in errors)


def test_every_adaptation_names_its_source_and_every_film_its_studio() -> None:
    catalogue = load_catalogue(REAL)
    assert set(catalogue.themes) >= {"war", "new-year", "first-love", "adaptation"}
    for entry in catalogue.visible:
        assert ("adaptation" in entry.themes) == (entry.based_on is not None), entry.id
        assert entry.studio is not None, entry.id


def test_no_word_of_the_real_catalogue_is_split_at_a_hyphen() -> None:
    """A folded YAML line that ends in "по-" joins the next with a space: «по- настоящему»."""
    catalogue = load_catalogue(REAL)
    for entry in catalogue.visible:
        texts = [entry.card_description, *entry.facts]
        for text in (t for localized in texts for t in (localized.en, localized.ru or "")):
            assert not re.search(r"[^\W\d_]- [^\W\d_]", text), (entry.id, text)


PROVIDERS = {
    "mosfilm-english": {
        "name": {"en": "Mosfilm on YouTube", "ru": "«Мосфильм» на YouTube"},
        "where": {"en": "on Mosfilm", "ru": "на канале «Мосфильма»"},
        "hosts": ["www.youtube.com", "youtube.com"],
        "check": "youtube-oembed",
        "authors": ["Mosfilm"],
    },
    "mosfilm-cinema": {
        "name": {"en": "Mosfilm's online cinema", "ru": "Онлайн-кинотеатр «Мосфильма»"},
        "where": {"en": "at Mosfilm's online cinema", "ru": "в онлайн-кинотеатре «Мосфильма»"},
        "hosts": ["cinema.mosfilm.ru"],
        "check": "page",
        "studio": "Mosfilm",
        "site": "https://cinema.mosfilm.ru/",
    },
}
VIDEO = "https://www.youtube.com/watch?v=2rINnJat-5k"


class _Written(yaml.SafeDumper):
    """Every value written out, as a curator would: the catalogue refuses YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def parse_with_providers(*films: dict[str, object], providers: object = None) -> list[str]:
    document = {"providers": PROVIDERS if providers is None else providers, "films": list(films)}
    try:
        parse_catalogue(yaml.dump(document, Dumper=_Written, allow_unicode=True), "films.yaml")
    except CatalogueError as exc:
        return exc.errors
    return []


def test_watch_links_on_known_providers_pass() -> None:
    two_parts = [{"provider": "mosfilm-english", "url": VIDEO, "part": 1}]
    two_parts.append({"provider": "mosfilm-english", "url": VIDEO + "x", "part": 2})
    page = {"provider": "mosfilm-cinema", "url": "https://cinema.mosfilm.ru/films/1/", "kind": "page"}
    assert parse_with_providers(a_film(watch=[*two_parts, page])) == []


@pytest.mark.parametrize(
    ("links", "fragment"),
    [
        ([{"provider": "vk-video", "url": VIDEO}], "'vk-video' is not in the catalogue's providers"),
        (
            [{"provider": "mosfilm-english", "url": "http://www.youtube.com/watch?v=1"}],
            "must be an https address",
        ),
        (
            [{"provider": "mosfilm-english", "url": "https://piratebay.example/watch?v=1"}],
            "must be an https address",
        ),
        ([{"provider": "mosfilm-english", "url": VIDEO}] * 2, "a duplicate (already listed for this film)"),
        (
            [
                {"provider": "mosfilm-english", "url": VIDEO},
                {"provider": "mosfilm-english", "url": VIDEO + "x"},
            ],
            "the film has a video on mosfilm-english already",
        ),
        ([{"provider": "mosfilm-cinema", "url": "https://cinema.mosfilm.ru/1"}], "links can only be pages"),
        ([{"provider": "mosfilm-english", "url": VIDEO, "kind": "trailer"}], "watch.0.kind"),
        ([{"provider": "mosfilm-english", "url": VIDEO, "part": 0}], "watch.0.part"),
    ],
)
def test_bad_watch_links_are_refused(links: list[dict[str, object]], fragment: str) -> None:
    errors = parse_with_providers(a_film(watch=links))
    assert any(fragment in e for e in errors), errors


def test_one_link_listed_for_two_films_is_refused() -> None:
    link = [{"provider": "mosfilm-english", "url": VIDEO}]
    other = a_film(id="b-film", title="B Film", original_title="Другой фильм", watch=link)
    errors = parse_with_providers(a_film(watch=link), other)
    [error] = errors
    assert re.fullmatch(r"films\.yaml:\d+: film 'b-film': watch: .*", error)
    assert error.endswith(f"{VIDEO}: a duplicate (already listed for film 'a-film')")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"check": "youtube-oembed", "authors": []}, "needs `authors`"),
        ({"hosts": ["not a host"]}, "is not a host name"),
        ({"site": "https://elsewhere.example/"}, "must be an https address on one of the provider's hosts"),
        ({"studio": None}, "`site` and `studio` go together"),
        (
            {"where": {"en": "at Mosfilm's", "ru": "at Mosfilm's"}},
            "every label needs its ru text, in Cyrillic",
        ),
    ],
)
def test_a_provider_must_be_complete(change: dict[str, object], fragment: str) -> None:
    cinema = {k: v for k, v in {**PROVIDERS["mosfilm-cinema"], **change}.items() if v is not None}
    errors = parse_with_providers(a_film(), providers={"mosfilm-cinema": cinema})
    assert any(fragment in e for e in errors), errors


def test_a_source_author_needs_the_form_russian_says_after_po() -> None:
    based = {
        "author": {"en": "Anton Chekhov", "ru": "Антон Чехов"},
        "work": {"en": "The Seagull", "ru": "Чайка"},
    }
    errors = parse(a_film(based_on=based))
    assert any("'Anton Chekhov' needs ru_dative, the surname after «по» (Чехову)" in e for e in errors)
    assert parse(a_film(based_on={**based, "author": {**based["author"], "ru_dative": "Чехову"}})) == []


def test_the_real_catalogue_lists_the_sheets_videos_and_mosfilms_site() -> None:
    catalogue = load_catalogue(REAL)
    with_video = {f.id for f in catalogue.visible if any(link.kind == "video" for link in f.watch)}
    assert with_video == {
        "cruel-romance",
        "moscow-does-not-believe-in-tears",
        "cranes-are-flying",
        "irony-of-fate",
        "uncle-vanya",
        "unfinished-piece-for-mechanical-piano",
        "oblomov",
        "forty-first",
    }
    assert [link.part for link in catalogue.by_id["irony-of-fate"].watch] == [1, 2]
    sites = {p.studio: p.site for p in catalogue.providers.values() if p.site}
    assert sites == {"Mosfilm": "https://cinema.mosfilm.ru/"}


def test_a_role_needs_its_russian_name_in_cyrillic() -> None:
    cast = [{"en": "Vladimir Korenev", "ru": "Владимир Коренев", "role": {"en": "Ichthyander"}}]
    assert any("the role needs its Russian name, in Cyrillic" in e for e in parse(a_film(cast=cast)))
    cast[0]["role"] = {"en": "Ichthyander", "ru": "Ихтиандр"}
    assert parse(a_film(cast=cast)) == []


def test_the_real_catalogue_has_at_least_fifty_visible_films() -> None:
    assert len(load_catalogue(REAL).visible) >= 50  # issue #26


def test_ids_have_their_shape_and_belong_to_one_film() -> None:
    """Issue #26: Q…, tt…, digits, a Letterboxd slug, each read on a page; no two films share one."""
    from bot.core.catalogue.loading import parse_catalogue
    from bot.core.catalogue.model import CatalogueError

    def film(film_id: str, ids: str) -> str:
        return (
            f"  - id: {film_id}\n    title: {film_id.title()}\n    year: 1957\n    hidden: true\n"
            f"    ids:\n{ids}"
        )

    good = "      imdb: {value: tt0050634, src: 'https://www.imdb.com/title/tt0050634/'}\n"
    with pytest.raises(CatalogueError) as only:  # a good id: the only problem is that all are hidden
        parse_catalogue("films:\n" + film("one", good))
    assert only.value.errors == ["catalogue:1: the catalogue has no visible film"]
    for bad, said in [
        ("      imdb: {value: '0050634', src: 'https://x.org/'}\n", "is not an IMDb title id"),
        ("      wikidata: {value: q12, src: 'https://x.org/'}\n", "is not a Wikidata item id"),
        ("      kinopoisk: {value: 'abc', src: 'https://x.org/'}\n", "is not a Kinopoisk film number"),
        ("      letterboxd: {value: 'The Cranes', src: 'https://x.org/'}\n", "is not a Letterboxd film slug"),
        ("      imdb: {value: tt0050634}\n", "src"),
    ]:
        with pytest.raises(CatalogueError) as refused:
            parse_catalogue("films:\n" + film("one", bad))
        assert said in str(refused.value), (bad, str(refused.value))
    with pytest.raises(CatalogueError) as refused:
        parse_catalogue("films:\n" + film("one", good) + film("two", good))
    assert "imdb 'tt0050634' is already film 'one's" in str(refused.value)


def test_the_checks_the_audit_did_by_hand() -> None:
    """Issue #26: a Russian name or role with a Latin letter in it, a role on a director, Latin words
    in a Russian text (but the names of papers as printed) are refused, each with its line."""
    [mixed] = parse(a_film(cast=[{"en": "Irina Kupchenko", "ru": "Ирина Купченkо"}]))  # a Latin k
    assert "Cyrillic, every letter of it" in mixed
    role = {"en": "Kira Muratova", "ru": "Кира Муратова", "role": {"en": "Valentina", "ru": "Валентина"}}
    [director] = parse(a_film(directors=[role]))
    assert "a role goes on the cast entry" in director
    latin = {"en": "It was shown at Cannes.", "ru": "Фильм показали в Cannes.", "src": ["example"]}
    [words] = parse(a_film(facts=[latin]))
    assert "films.yaml:" in words and "Latin words (Cannes)" in words
    paper = {
        "en": "The Harvard Crimson praised it.",
        "ru": "Газета Harvard Crimson похвалила фильм.",
        "src": ["example"],
    }
    cold = {"en": "It was shot at −40 °C.", "ru": "Фильм снимали при −40 °C.", "src": ["example"]}
    assert parse(a_film(facts=[paper, cold])) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://proza.ru/2018/05/27/1712",
        "https://wikisum.wiki/wiki/X",
        "https://dnyuz.com/2024/x",
        "https://dzen.ru/a/XpxpgpJPBEqN5KGm",
        "https://teletype.in/@filmgourmand/x",
    ],
)
def test_the_hosts_audit_3_names_are_refused(url: str) -> None:
    errors = parse(a_film(sources={"example": url}))
    assert any("a content farm" in e for e in errors), errors


def test_a_person_spelled_two_ways_in_english_is_refused_in_credits_and_texts() -> None:
    """Issue #26: "Grigori Chukhrai" in one film's credits or in a fact, when another film credits
    "Grigory Chukhrai", is one person spelled two ways; a name spelled as credited passes."""
    director = {"en": "Grigory Chukhrai", "ru": "Григорий Чухрай"}
    first = a_film(directors=[director])
    other = a_film(
        id="b-film",
        title="B Film",
        original_title="Другой",
        directors=[{"en": "Grigori Chukhrai", "ru": "Григорий Чухраи"}],
    )
    [credits] = parse(first, other)
    assert "film 'b-film': directors: 'Grigori Chukhrai' is spelled 'Grigory Chukhrai'" in credits
    fact = {"en": "Grigori Chukhrai made it.", "ru": "Его снял Григорий Чухрай.", "src": ["example"]}
    [text] = parse(a_film(directors=[director], facts=[fact]))
    assert "facts: fact 1: 'Grigori Chukhrai' is spelled 'Grigory Chukhrai' in the credits" in text
    fact = {"en": "Grigory Chukhrai made it.", "ru": "Его снял Григорий Чухрай.", "src": ["example"]}
    assert parse(a_film(directors=[director], facts=[fact])) == []
