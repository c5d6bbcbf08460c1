"""A deterministic generator of large, realistic catalogues (Russian and English titles, directors, years).

Used by the search benchmark and by the tests that need more films than the real catalogue has.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import yaml

from bot.core.catalogue.model import Catalogue, Film

# (masculine, feminine, neuter, English)
_ADJECTIVES = [
    ("белый", "белая", "белое", "White"), ("тихий", "тихая", "тихое", "Quiet"),
    ("последний", "последняя", "последнее", "Last"), ("долгий", "долгая", "долгое", "Long"),
    ("зимний", "зимняя", "зимнее", "Winter"), ("летний", "летняя", "летнее", "Summer"),
    ("осенний", "осенняя", "осеннее", "Autumn"), ("весенний", "весенняя", "весеннее", "Spring"),
    ("чужой", "чужая", "чужое", "Someone Else's"), ("первый", "первая", "первое", "First"),
    ("далёкий", "далёкая", "далёкое", "Distant"), ("горький", "горькая", "горькое", "Bitter"),
    ("светлый", "светлая", "светлое", "Bright"), ("старый", "старая", "старое", "Old"),
    ("синий", "синяя", "синее", "Blue"), ("красный", "красная", "красное", "Red"),
    ("золотой", "золотая", "золотое", "Golden"), ("тёплый", "тёплая", "тёплое", "Warm"),
    ("короткий", "короткая", "короткое", "Short"), ("нежный", "нежная", "нежное", "Tender"),
    ("ночной", "ночная", "ночное", "Night"), ("морской", "морская", "морское", "Sea"),
    ("лесной", "лесная", "лесное", "Forest"), ("северный", "северная", "северное", "Northern"),
    ("южный", "южная", "южное", "Southern"), ("случайный", "случайная", "случайное", "Chance"),
    ("тайный", "тайная", "тайное", "Secret"), ("пустой", "пустая", "пустое", "Empty"),
    ("верный", "верная", "верное", "Faithful"), ("простой", "простая", "простое", "Simple"),
]  # fmt: skip
# (Russian, gender, English)
_NOUNS = [
    ("ночь", 1, "Night"), ("город", 0, "Town"), ("письмо", 2, "Letter"), ("река", 1, "River"),
    ("дорога", 1, "Road"), ("дом", 0, "House"), ("вокзал", 0, "Station"), ("сад", 0, "Garden"),
    ("песня", 1, "Song"), ("встреча", 1, "Meeting"), ("весна", 1, "Spring"), ("берег", 0, "Shore"),
    ("окно", 2, "Window"), ("звезда", 1, "Star"), ("поезд", 0, "Train"), ("праздник", 0, "Holiday"),
    ("море", 2, "Sea"), ("сердце", 2, "Heart"), ("мост", 0, "Bridge"), ("остров", 0, "Island"),
    ("любовь", 1, "Love"), ("разлука", 1, "Parting"), ("романс", 0, "Romance"), ("вальс", 0, "Waltz"),
    ("метель", 1, "Blizzard"), ("пристань", 1, "Pier"), ("улица", 1, "Street"), ("роман", 0, "Affair"),
    ("небо", 2, "Sky"), ("лето", 2, "Summer"), ("счастье", 2, "Happiness"), ("утро", 2, "Morning"),
    ("свидание", 2, "Date"), ("признание", 2, "Confession"), ("полустанок", 0, "Halt"),
    ("маяк", 0, "Lighthouse"), ("перрон", 0, "Platform"), ("рассвет", 0, "Dawn"), ("ветер", 0, "Wind"),
    ("облако", 2, "Cloud"),
]  # fmt: skip
_PLACES = [
    ("на Неве", "on the Neva"), ("на Волге", "on the Volga"), ("в Ялте", "in Yalta"),
    ("в Москве", "in Moscow"), ("на Арбате", "on the Arbat"), ("в Одессе", "in Odessa"),
    ("на Урале", "in the Urals"), ("в Риге", "in Riga"), ("на Дону", "on the Don"),
    ("в Тбилиси", "in Tbilisi"), ("на Байкале", "on Baikal"), ("в Киеве", "in Kiev"),
]  # fmt: skip
_FIRST = (
    "Ivan Sergei Andrei Mikhail Yuri Nikolai Vladimir Aleksandr Pyotr Lev Georgi Eldar Kira Larisa "
    "Tatyana Dinara Vitaly Leonid Boris"
).split()
_LAST = (
    "Petrov Sokolov Orlov Belov Kuznetsov Volkov Zaitsev Frolov Gusev Tikhonov Smirnov Lebedev Morozov "
    "Novikov Kozlov Pavlov Semyonov Yegorov Vinogradov Bogdanov Vorobyov Fyodorov Mikhailov Belyaev "
    "Tarasov Belousov Komarov Orekhov Kiselyov Makarov Andreyev Kovalyov Ilyin"
).split()
# The same names in Russian, in the same order: a person has one spelling in each language.
_FIRST_RU = (
    "Иван Сергей Андрей Михаил Юрий Николай Владимир Александр Пётр Лев Георгий Эльдар Кира Лариса "
    "Татьяна Динара Виталий Леонид Борис"
).split()
_LAST_RU = (
    "Петров Соколов Орлов Белов Кузнецов Волков Зайцев Фролов Гусев Тихонов Смирнов Лебедев Морозов "
    "Новиков Козлов Павлов Семёнов Егоров Виноградов Богданов Воробьёв Фёдоров Михайлов Беляев "
    "Тарасов Белоусов Комаров Орехов Киселёв Макаров Андреев Ковалёв Ильин"
).split()


def _person(rng: random.Random) -> dict[str, str]:
    first, last = rng.randrange(len(_FIRST)), rng.randrange(len(_LAST))
    return {"en": f"{_FIRST[first]} {_LAST[last]}", "ru": f"{_FIRST_RU[first]} {_LAST_RU[last]}"}


def _titles(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Endless (Russian, English) title pairs, each pair unique."""
    seen: set[str] = set()
    while True:
        adjective = rng.choice(_ADJECTIVES)
        noun, gender, noun_en = rng.choice(_NOUNS)
        ru, en = f"{adjective[gender].capitalize()} {noun}", f"{adjective[3]} {noun_en}"
        shape = rng.random()
        if shape < 0.5:
            place_ru, place_en = rng.choice(_PLACES)
            ru, en = f"{ru} {place_ru}", f"{en} {place_en}"
        elif shape < 0.8:
            other, _, other_en = rng.choice(_NOUNS)
            ru, en = f"{noun.capitalize()} и {other}", f"The {noun_en} and the {other_en}"
        if en.casefold() in seen or ru.casefold() in seen:
            continue
        seen.update({en.casefold(), ru.casefold()})
        yield ru, en


def generated_films(count: int, seed: int = 1957) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    titles = _titles(rng)
    films = []
    for number in range(count):
        ru, en = next(titles)
        director = _person(rng)
        films.append(
            {
                "id": f"gen-{number}",
                "title": en,
                "original_title": ru,
                "year": rng.randint(1924, 1991),
                "directors": [director],
                "cast": [_person(rng) for _ in range(2)],
                "description": {
                    "en": f"A story of {en.lower()} and of a love that was never returned.",
                    "ru": f"История о том, что зовётся «{ru}», и о любви без ответа.",
                },
                "sources": {"example": f"https://example.org/films/{number}"},
                "cited": {"credits": ["example"], "description": ["example"]},
                "talk": {"en": ["Why?", "How?", "What then?"], "ru": ["Почему?", "Как?", "А что потом?"]},
            }
        )
    return films


def generated_catalogue(count: int, seed: int = 1957) -> Catalogue:
    return Catalogue(tuple(Film.model_validate(f) for f in generated_films(count, seed)))


def generated_yaml(count: int, seed: int = 1957) -> str:
    return yaml.safe_dump({"films": generated_films(count, seed)}, allow_unicode=True, sort_keys=False)
