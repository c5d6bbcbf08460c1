"""Letterboxd, both ways: /export in the format Letterboxd's importer documents (the diary and the
films to watch as separate files), and importing a Letterboxd export sent to the bot — matched to
the catalogue, idempotent, and refused whole with a reason when the file is wrong."""

from __future__ import annotations

import csv
import io
import zipfile

from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import to_chat
from tests.support.samples import zip_of

VERA = User(1003, "Vera", "en")


def rows_of(call: Call) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(call.params["document"]["content"].decode("utf-8"))))


async def watch_and_rate(botapi: BotAPIServer, user: User, film: str, label: str | None) -> None:
    card = await botapi.reply_to(user, f"/film {film}")
    new = botapi.since()
    await botapi.press(user, card, card.button("👁")["callback_data"])
    asking = await new.wait_for("editMessageReplyMarkup")
    new = botapi.since()
    await botapi.press(user, asking, asking.button(label or "✓")["callback_data"])
    await new.wait_for("editMessageReplyMarkup")


async def export(botapi: BotAPIServer, user: User) -> list[Call]:
    new = botapi.since()
    await botapi.send_message(user, "/export")
    first = await new.wait_for("sendDocument", lambda c: c.chat_id == user.id)
    await new.wait_for("sendDocument", lambda c: c.chat_id == user.id and c is not first)
    return [c for c in new.sent("sendDocument") if c.chat_id == user.id]


async def test_export_gives_letterboxd_a_diary_file_and_a_watchlist_file(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    assert "nothing to export" in (await botapi.reply_to(anna, "/export")).text
    await botapi.reply_to(anna, "/add moscow does not believe in tears")
    await botapi.reply_to(anna, "/add white nights")
    await watch_and_rate(botapi, anna, "irony of fate", "4½★")
    diary, watchlist = await export(botapi, anna)
    assert diary.params["document"]["filename"] == "letterboxd-diary.csv"
    assert diary.params["caption"].startswith(
        "📓 1 viewing, with its date and rating. On Letterboxd: Settings"
    )
    [viewing] = rows_of(diary)
    assert viewing["Title"] == "The Irony of Fate" and viewing["Year"] == "1976"  # first shown 1 Jan 1976
    assert (
        viewing["Directors"] == "Eldar Ryazanov"
        and viewing["Rating"] == "4.5"
        and viewing["Rewatch"] == "false"
    )
    assert (
        len(viewing["WatchedDate"]) == 10
        and viewing["Original Title"] == "Ирония судьбы, или С лёгким паром!"
    )
    assert list(viewing) == [
        "Title",
        "Year",
        "Directors",
        "WatchedDate",
        "Rating",
        "Rewatch",
        "LetterboxdURI",
        "imdbID",
        "Original Title",
    ]
    assert viewing["imdbID"] == "tt0073179"  # Letterboxd matches the exact film by it (issue #26)
    assert watchlist.params["document"]["filename"] == "letterboxd-watchlist.csv"
    assert "2 films to watch" in watchlist.params["caption"]
    assert [(r["Title"], r["Year"]) for r in rows_of(watchlist)] == [
        ("Moscow Does Not Believe in Tears", "1980"),
        ("White Nights", "1960"),
    ]


async def test_a_round_trip_gives_the_second_user_the_first_ones_lists_diary_and_ratings(
    botapi: BotAPIServer, bot: BotApplication, anna: User
) -> None:
    await botapi.reply_to(anna, "/add white nights")
    await watch_and_rate(botapi, anna, "cranes are flying", "5★")
    await watch_and_rate(botapi, anna, "uncle vanya", None)
    diary, watchlist = await export(botapi, anna)
    for call in (diary, watchlist):
        name = call.params["document"]["filename"]
        reply = await send(botapi, VERA, name, call.params["document"]["content"])
        assert "Imported from Letterboxd" in reply.text
    core = bot.bot_data.core
    assert core is not None

    async def state(user_id: int) -> tuple[object, ...]:
        entries = sorted((e.film_id, e.watched) for e in await core.watchlists.entries(user_id))
        viewings = sorted((v.film_id, v.watched_on, v.rating) for v in await core.diary.entries(user_id))
        return entries, viewings, await core.diary.ratings(user_id)

    assert await state(VERA.id) == await state(anna.id)
    assert (await state(VERA.id))[2] == {"cranes-are-flying": 10}
    again = await send(botapi, VERA, "letterboxd-diary.csv", diary.params["document"]["content"])
    assert again.text == "Everything in this file is here already: nothing changed."
    assert await state(VERA.id) == await state(anna.id)


async def send(
    botapi: BotAPIServer, user: User, name: str, content: bytes, declared: int | None = None
) -> Call:
    new = botapi.since()
    await botapi.send_document(user, name, content, declared)
    return await new.wait_for("sendMessage", lambda c: c.chat_id == user.id)


async def test_a_letterboxd_export_zip_is_matched_and_the_rest_named(
    botapi: BotAPIServer, bot: object, boris: User
) -> None:
    export_zip = zip_of(
        {
            "watchlist.csv": "Date,Name,Year,Letterboxd URI\n2024-01-02,White Nights,1960,https://boxd.it/1\n"
            "2024-01-03,Stalker,1979,https://boxd.it/2\n",
            "watched.csv": "Date,Name,Year,Letterboxd URI\n2024-02-01,The Cranes Are Flying,1957,https://boxd.it/3\n"
            "2024-02-02,Ирония судьбы,1975,https://boxd.it/4\n2024-02-03,Solaris,1972,https://boxd.it/5\n",
            "ratings.csv": "Date,Name,Year,Letterboxd URI,Rating\n2024-02-01,The Cranes Are Flying,1957,https://boxd.it/3,4.5\n",
            "diary.csv": "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
            "2024-02-02,Ирония судьбы,1975,https://boxd.it/4,5,,,2023-12-31\n",
            "lists/favourites.csv": "Letterboxd list export v7\n",
            "profile.csv": "Date Joined,Username\n2020-01-01,boris\n",
        }
    )
    reply = await send(botapi, boris, "letterboxd-boris-2024-02-03-utc.zip", export_zip)
    assert reply.text.startswith("Импорт из Letterboxd: посмотреть — 1, просмотрено — 2, с оценкой — 2.")
    assert "Нет в этой коллекции (2): Stalker (1979), Solaris (1972)" in reply.text
    diary = await botapi.reply_to(boris, "/diary")
    assert "31 декабря 2023 · Ирония судьбы, или С лёгким паром! (1975) ★★★★★" in diary.text.replace(
        "<b>", ""
    ).replace("</b>", "")


async def test_bad_files_are_refused_whole_with_a_reason(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    cases = [
        ("notes.txt", b"just some text, no columns", "This is not a Letterboxd export."),
        ("big.zip", b"PK\x03\x04" + b"0" * 100, "This is not a Letterboxd export."),  # a broken ZIP
        ("watched.csv", "Name,Year\nБелые ночи,1959\n".encode("cp1251"), "it is not UTF-8 text"),
        ("watched.csv", b'Name,Year\n"White Nights,1960\n', "is broken"),
        ("huge.csv", b"Name,Year\n", "This file is too big"),  # Telegram says it is 30 MB
    ]
    for name, content, expected in cases:
        declared = 30 * 2**20 if name == "huge.csv" else None
        reply = await send(botapi, anna, name, content, declared)
        assert expected in reply.text, (name, reply.text)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("watched.csv", "Name,Year\n" + "White Nights,1960\n" * 3_000_000)  # ~54 MB unpacked
    reply = await send(botapi, anna, "letterboxd.zip", bomb.getvalue())
    assert "This file is too big" in reply.text
    assert "empty" in (await botapi.reply_to(anna, "/watchlist")).text  # nothing half-imported


IMPORTED_AGAIN = "Всё из этого файла здесь уже есть: ничего не изменилось."
LETTERBOXD_FILES = {
    "ratings.csv": "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-02-05,The Cranes Are Flying,1957,https://letterboxd.com/film/the-cranes-are-flying/,4.5\n"
    "2024-02-05,White Nights,1960,https://letterboxd.com/film/white-nights-1959/,3\n",
    "watched.csv": "Date,Name,Year,Letterboxd URI\n"
    "2024-02-05,The Cranes Are Flying,1957,https://letterboxd.com/film/the-cranes-are-flying/\n"
    "2024-02-05,White Nights,1960,https://letterboxd.com/film/white-nights-1959/\n",
    "diary.csv": "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    "2024-02-02,The Cranes Are Flying,1957,https://boxd.it/AbC1,4.5,,,2024-02-01\n",
}


async def test_files_sent_one_by_one_give_what_the_zip_gives(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    """Issue #24: ratings.csv then diary.csv left each film twice (once dated, once "earlier"), and
    /export then wrote the real viewing as a rewatch, a rating without a date as none, and no
    Letterboxd address."""
    await send(botapi, anna, "letterboxd.zip", zip_of(LETTERBOXD_FILES))
    for name in ("ratings.csv", "watched.csv", "diary.csv"):  # the README invites sending them apart
        await send(botapi, boris, name, LETTERBOXD_FILES[name].encode())
    again = await send(botapi, boris, "diary.csv", LETTERBOXD_FILES["diary.csv"].encode())
    assert again.text.startswith(IMPORTED_AGAIN)  # a second time changes nothing
    english = parse_html((await botapi.reply_to(anna, "/diary")).text).split("\n")
    russian = parse_html((await botapi.reply_to(boris, "/diary")).text).split("\n")
    assert [line for line in english[1:] if "·" in line] == [  # below the heading
        "1 February 2024 · The Cranes Are Flying (1957) ★★★★½",
        "Earlier · White Nights (1959) ★★★",
    ]
    assert [line for line in russian[1:] if "·" in line] == [
        "1 февраля 2024 · Летят журавли (1957) ★★★★½",
        "Раньше · Белые ночи (1959) ★★★",
    ]
    for user in (anna, boris):
        new = botapi.since()
        await botapi.send_message(user, "/export")
        document = await new.wait_for("sendDocument", to_chat(user.id))
        rows = {row["Title"]: row for row in rows_of(document)}
        cranes, nights = rows["The Cranes Are Flying"], rows["White Nights"]
        assert (cranes["WatchedDate"], cranes["Rating"], cranes["Rewatch"]) == ("2024-02-01", "4.5", "false")
        assert cranes["LetterboxdURI"] == "https://boxd.it/AbC1"  # the diary entry's own address, kept
        assert (nights["WatchedDate"], nights["Rating"]) == ("", "3")  # a rating without a date: kept
        assert nights["LetterboxdURI"] == "https://letterboxd.com/film/white-nights-1959/"
