from __future__ import annotations

import re
from pathlib import Path

from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.model import Film
from bot.core.films.card import MESSAGE_LIMIT, oversized_cards, render_card
from bot.core.texts import default_language, format_day, strings, text
from tests.support.botapi import parse_html

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = load_catalogue(ROOT / "data" / "films.yaml")


def test_every_card_is_valid_html_within_the_limit_in_both_languages() -> None:
    for film in CATALOGUE.visible:
        for language in ("en", "ru"):
            card = render_card(film, language)
            assert len(parse_html(card)) <= MESSAGE_LIMIT
    assert oversized_cards(CATALOGUE.visible) == []


def test_catalogue_text_is_escaped() -> None:
    film = Film.model_validate(
        {
            "id": "x",
            "title": "<b>Bold & Co</b>",
            "original_title": "Фильм <i>",
            "year": 1960,
            "directors": ["A <script>"],
            "description": {"en": "a < b", "ru": "а > б"},
            "facts": [{"en": "x&y", "ru": "х&у"}],
        }
    )
    card = render_card(film, "en")
    assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt;" in card
    assert "<script>" not in card
    parse_html(card)


def test_card_shows_both_years_and_russian_texts() -> None:
    film = CATALOGUE.get("irony-of-fate")
    assert film is not None
    # the audit (§6): «в прокате» is wrong for a television premiere; "first shown" fits both
    assert "(1975, first shown 1976)" in render_card(film, "en")
    ru = render_card(film, "ru")
    assert ru.startswith("<b>Ирония судьбы, или С лёгким паром!</b> (1975, премьера в 1976)")
    assert "<i>The Irony of Fate</i>" in ru and "Режиссёр:" in ru and (film.card_description.ru or "-") in ru


def test_several_directors_read_as_plural_in_russian() -> None:
    film = CATALOGUE.get("house-i-live-in")
    assert film is not None
    assert "Режиссёры: Лев Кулиджанов, Яков Сегель" in render_card(film, "ru")  # issue #12: in Cyrillic


def test_both_languages_have_the_same_strings() -> None:
    from bot.core.texts import _strings

    assert _strings("en").keys() == _strings("ru").keys()
    assert strings("en", "commands").keys() == strings("ru", "commands").keys()


def test_default_language_follows_telegram() -> None:
    assert [default_language(c) for c in ("ru", "uk", "be", "ru-RU", "en", "de", None)] == [
        "ru", "ru", "ru", "ru", "en", "en", "en"
    ]  # fmt: skip


def test_dates_read_naturally() -> None:
    from datetime import date

    assert format_day("en", date(2026, 11, 26)) == "26 November"
    assert format_day("ru", date(2026, 11, 26)) == "26 ноября"
    assert text("ru", "film_of_the_day", date="1 мая") == "🎬 Фильм дня, 1 мая"


def test_russian_cards_show_people_and_studios_in_cyrillic() -> None:
    """Issue #12: «Режиссёр: Mikhail Kalatozov» read as a machine translation."""
    for film in CATALOGUE.visible:
        card = render_card(film, "ru").split("\n")
        people = [line for line in card if line.startswith(("Режиссёр", "В ролях"))]
        assert people and not any(re.search("[A-Za-z]", line) for line in people), (film.id, people)
    cranes = CATALOGUE.get("cranes-are-flying")
    assert cranes is not None
    assert "«Мосфильм» · 95 мин" in render_card(cranes, "ru")
    assert "Mosfilm · 95 min" in render_card(cranes, "en")
    assert "Directed by: Mikhail Kalatozov" in render_card(cranes, "en")


def test_a_card_names_the_adapted_work_in_the_readers_language() -> None:
    film = CATALOGUE.get("cruel-romance")
    assert film is not None
    assert "Литературная основа: Александр Островский, «Бесприданница»" in render_card(film, "ru")
    assert "Based on: Alexander Ostrovsky, “Without a Dowry”" in render_card(film, "en")
