"""Requests in one's own words end to end (issue #25): a list headed by what was understood, a
random pick with 🎲 Another like this, an honest "not here", a long list paged, Russian order."""

# ruff: noqa: E501 (the table of replies reads best one request a line)
from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.botapi import BotAPIServer, User, parse_html
from tests.support.flows import in_group, press

SHAPES: dict[str, dict[str, Any]] = {
    "en": {
        "list": ("films by Ryazanov", "Films by Eldar Ryazanov · 2", ["A Cruel Romance (1984)", "The Irony of Fate (1975)"]),
        "random": ("I want a comedy", "🎲 Comedies · one of 2", "🎲 Another like this"),
        "not_here": ("films by Tarkovsky", "“Tarkovsky” is not in this collection."),
        "pages": ("Mosfilm", "Films from Mosfilm · 25 · 1/3", "Films from Mosfilm · 25 · 2/3"),
        "none": ("comedies of the 1930s", "Comedies of the 1930s: none in this collection.", "The nearest: Comedies · 2"),
    },
    "ru": {
        "list": ("фильмы Рязанова", "Фильмы Эльдара Рязанова · 2", ["Жестокий романс (1984)", "Ирония судьбы, или С лёгким паром! (1975)"]),
        "random": ("посоветуй что-нибудь про войну", "🎲 Фильмы о войне · один из 8", "🎲 Ещё такой же"),
        "not_here": ("фильмы Тарковского", "Такого имени или названия в этой коллекции нет: «Тарковского»."),
        "pages": ("Мосфильм", "Фильмы студии «Мосфильм» · 25 · 1/3", "Фильмы студии «Мосфильм» · 25 · 2/3"),
        "none": ("комедии 30-х", "Комедии 30-х годов: в этой коллекции таких нет.", "Ближе всего: Комедии · 2"),
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_requests_get_headed_lists_random_picks_and_honest_nones(
    botapi: BotAPIServer, bot: object, language: str
) -> None:
    shapes = SHAPES[language]
    user = User(5151, "Lena", language)

    query, heading, films = shapes["list"]
    reply = await botapi.reply_to(user, query)
    assert parse_html(reply.text) == heading
    assert [b["text"] for b in reply.buttons] == films  # in the reader's alphabetical order

    query, heading, another = shapes["random"]
    card = await botapi.reply_to(user, query)
    assert parse_html(card.text).startswith(heading)
    new = botapi.since()
    await press(botapi, user, card, another)
    again = await new.wait_for("sendMessage")
    assert parse_html(again.text).startswith(heading) and again.button(another)

    query, said = shapes["not_here"]
    reply = await botapi.reply_to(user, query)
    assert parse_html(reply.text).startswith(said)
    assert "Cruel" not in reply.text and "Жестокий" not in reply.text  # no other person's films

    query, first, second = shapes["pages"]
    reply = await botapi.reply_to(user, query)
    assert parse_html(reply.text) == first and len(reply.buttons) == 11  # ten films and ▶
    new = botapi.since()
    await press(botapi, user, reply, "▶")
    page = await new.wait_for("editMessageText")
    assert parse_html(page.text) == second and len(page.buttons) == 12  # ten films, ◀ and ▶

    query, none, nearest = shapes["none"]
    reply = await botapi.reply_to(user, query)
    assert parse_html(reply.text) == f"{none}\n{nearest}"
    assert len(reply.buttons) == 2


async def test_the_russian_list_is_in_russian_order(botapi: BotAPIServer, bot: object) -> None:
    reply = await botapi.reply_to(User(5252, "Оля", "ru"), "фильмы 70-х")
    titles = [b["text"].casefold().replace("ё", "е") for b in reply.buttons if "callback_data" in b]
    films = [t for t in titles if t not in ("◀", "▶")]
    assert films == sorted(films) and films[0].startswith("в моей смерти")


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        # chat gets an answer, not "nothing found"
        ("ru", "пока", "До свидания!"),
        ("en", "👍", "👍 Type a title"),
        ("ru", "привіт", "Здравствуйте!"),
        ("en", "Hi there! What is this bot?", "What I can do"),
        # times as people say them: "noon", «в полдень», «завтра в 9» were refused as unknown zones
        ("en", "/subscribe noon Berlin", "Subscribed: the film of the day will come every day at 12:00"),
        ("ru", "/subscribe в полдень Москва", "Готово: фильм дня будет приходить каждый день в 12:00"),
        ("ru", "/subscribe завтра в 9 Москва", "Следующий фильм — завтра в 09:00."),
        ("en", "/subscribe tomorrow at 9 Berlin", "Next: tomorrow at 09:00."),
        ("ru", "/subscribe полвосьмого", "Не получилось понять «полвосьмого» как время."),
        ("en", "/subscribe half past eight", "I couldn’t read “half past eight” as a time."),
    ],
)
async def test_what_people_type_gets_its_answer(
    botapi: BotAPIServer, bot: object, language: str, typed: str, said: str
) -> None:
    """Issue #25: chat and spoken times, each with the reply that says it was understood."""
    reply = await botapi.reply_to(User(5454, "Vera", language), typed)
    assert said in parse_html(reply.text)


@pytest.mark.parametrize(
    ("language", "typed"), [("ru", "/movienight через час"), ("en", "/movienight in an hour")]
)
async def test_a_movie_night_in_an_hour(botapi: BotAPIServer, bot: object, language: str, typed: str) -> None:
    invitation = await in_group(botapi, User(5555, "Gleb", language), typed)
    assert "🍿" in invitation.text and invitation.button("🙋")


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_catalogue_lists_titles_of_a_year_in_the_readers_order(
    botapi: BotAPIServer, bot: object, language: str
) -> None:
    """/films goes by year; within a year, a Russian reader's titles in Russian order (issue #25)."""
    user = User(5656, "Zoya", language)
    page = await botapi.reply_to(user, "/films")
    labels = []
    while True:
        labels += [b["text"] for b in page.buttons if b.get("callback_data", "").startswith("v1:film:")]
        if not any(b["text"] == "▶" for b in page.buttons):
            break
        new = botapi.since()
        await press(botapi, user, page, "▶")
        page = await new.wait_for("editMessageText")
    by_year: dict[str, list[str]] = {}
    for label in labels:
        title, _, year = label.rpartition(" (")
        by_year.setdefault(year, []).append(title.casefold().replace("ё", "е"))
    key = (lambda t: t) if language == "ru" else (lambda t: re.sub(r"^(the|an|a) ", "", t))
    assert any(len(titles) > 1 for titles in by_year.values())
    assert all(titles == sorted(titles, key=key) for titles in by_year.values()), by_year


async def test_more_is_another_film_of_the_last_request(botapi: BotAPIServer, bot: object) -> None:
    """«ещё» after «посоветуй что-нибудь про войну» is another war film, not any film (issue #25)."""
    user = User(5757, "Liza", "ru")
    first = await botapi.reply_to(user, "посоветуй что-нибудь про войну")
    assert parse_html(first.text).startswith("🎲 Фильмы о войне · один из 8")
    more = await botapi.reply_to(user, "ещё")
    assert parse_html(more.text).startswith("🎲 Фильмы о войне · один из 8")
    assert more.button("🎲 Ещё такой же")
    other = User(5758, "Nina", "ru")  # someone who asked nothing: any film
    card = await botapi.reply_to(other, "ещё")
    assert "🎲 Фильмы о войне" not in card.text and card.button("🎲")


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("ru", "хочу что-нибудь грустное про космос", "Такого имени или названия в этой коллекции нет: «космос».\nБлиже всего: Грустные фильмы · "),
        ("en", "something sad about <b>spaceships", "“spaceships” is not in this collection.\nThe nearest: Sad films · "),
    ],
)  # fmt: skip
async def test_a_word_not_here_beside_one_understood_says_so_once(
    botapi: BotAPIServer, bot: object, language: str, typed: str, said: str
) -> None:
    """Half a request understood («грустное») and half not («космос»): the word not here is said,
    then the films of the half understood, with no empty line about what matched nothing; what a
    user typed is shown as typed, never as markup."""
    reply = await botapi.reply_to(User(5656, "Rita", language), typed)
    assert parse_html(reply.text).startswith(said), reply.text
    assert "\n:" not in parse_html(reply.text) and len(reply.buttons) > 1
    assert "<b>spaceships" not in reply.text  # a user's words are never markup
