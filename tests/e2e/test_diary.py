"""The diary end to end: a film marked watched asks for stars in the same message, /diary lists
the viewings, cards show your rating and, from five raters on, everyone's; /top ranks the films."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.texts import format_day
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import GROUP, in_group, press


async def rate(botapi: BotAPIServer, user: User, film: str, stars_label: str) -> Call:
    """`user` opens the film, marks it watched and presses a star; the toast."""
    card = await botapi.reply_to(user, f"/film {film}")
    new = botapi.since()
    await press(botapi, user, card, "👁")
    asking = await new.wait_for("editMessageReplyMarkup")
    return await press(botapi, user, asking, stars_label)


async def test_marking_watched_asks_for_stars_and_the_diary_keeps_them(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    card = await botapi.reply_to(anna, "/film the cranes are flying")
    new = botapi.since()
    toast = await press(botapi, anna, card, "👁 Mark watched")
    assert toast.params["text"] == "Marked as watched. Rate it below, if you like."
    asking = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in asking.buttons] == [
        "½★", "1★", "1½★", "2★", "2½★", "3★", "3½★", "4★", "4½★", "5★",
        "📅 Earlier, not today", "✓ No rating",
    ]  # fmt: skip
    toast = await press(botapi, anna, asking, "📅 Earlier")
    assert toast.params["text"] == "Noted: watched some time ago."
    new = botapi.since()
    toast = await press(botapi, anna, asking, "4½★")
    assert toast.params["text"] == "Rated ★★★★½"
    back = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in back.buttons][-3:] == [
        "🔁 Watched again",
        "💬 Talking points",
        "↩ Not watched",
    ]

    diary = await botapi.reply_to(anna, "/diary")
    assert (
        parse_html(diary.text)
        == "📖 Your diary — page 1 of 1 · 1 entry\n\nEarlier · The Cranes Are Flying (1957) ★★★★½\n\n"
        "Tap an entry to change its date or rating, or to delete it."
    )
    assert diary.buttons[0]["text"] == "Earlier · The Cranes Are Flying"  # opens the entry
    card = await botapi.reply_to(anna, "/film the cranes are flying")
    assert "Your rating: ★★★★½" in card.text

    toast = await rate(botapi, boris, "белые ночи", "3★")
    assert toast.params["text"] == "Ваша оценка: ★★★"
    diary = await botapi.reply_to(boris, "/diary")
    assert parse_html(diary.text).startswith("📖 Ваш дневник — страница 1 из 1 · 1 запись\n\n")
    assert "· Белые ночи (1959) ★★★" in parse_html(diary.text)
    group = await in_group(botapi, anna, "/diary")  # personal: the private chat
    assert group.button("Open my diary")["url"].endswith("?start=diary")
    assert "Cranes" not in group.text


async def test_everyones_average_appears_from_the_fifth_rater_and_top_ranks_the_films(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    raters = [User(2000 + n, f"R{n}", "en") for n in range(5)]
    for rater, label in zip(raters[:4], ["5★", "4★", "4★", "4½★"], strict=True):
        await rate(botapi, rater, "white nights", label)
    card = await botapi.reply_to(anna, "/film white nights")
    assert "★ " not in card.text.split("\n\n")[0]  # four ratings: no average yet
    await rate(botapi, raters[4], "white nights", "3½★")
    card = await botapi.reply_to(anna, "/film white nights")
    assert "★ 4.2 · 5 ratings" in card.text
    card = await botapi.reply_to(boris, "/film белые ночи")
    assert "★ 4,2 · 5 оценок" in card.text
    await rate(botapi, anna, "cranes are flying", "5★")
    top = await botapi.reply_to(raters[0], "/top")
    assert parse_html(top.text).split("\n")[2:4] == [
        "1. White Nights (1959) — ★ 4.2 · 5 ratings · you: ★★★★★",
        "2. The Cranes Are Flying (1957) — fewer than 5 ratings",
    ]
    top = await botapi.reply_to(boris, "/top")
    assert parse_html(top.text).startswith(
        "🏆 Лучшие фильмы по оценкам зрителей\n\n1. Белые ночи (1959) — ★ 4,2 · 5 оценок"
    )
    group = await in_group(botapi, raters[0], "/top")  # in a group, nobody's own stars
    assert "you:" not in group.text
    assert group.chat_id == GROUP["id"]


async def test_a_film_watched_again_is_a_second_entry_and_the_latest_rating_counts(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    await rate(botapi, anna, "white nights", "3★")
    card = await botapi.reply_to(anna, "/film white nights")
    assert "Your rating: ★★★" in card.text
    new = botapi.since()
    toast = await press(botapi, anna, card, "🔁 Watched again")
    assert toast.params["text"] == "Another viewing in your diary. Rate it below, if you like."
    asking = await new.wait_for("editMessageReplyMarkup")
    await press(botapi, anna, asking, "4★")
    diary = parse_html((await botapi.reply_to(anna, "/diary")).text)
    assert diary.count("White Nights (1959)") == 2 and "★★★★" in diary and "★★★\n" in diary + "\n"
    card = await botapi.reply_to(anna, "/film white nights")
    assert "Your rating: ★★★★" in card.text


@pytest.mark.parametrize(
    ("language", "asya", "cherry", "stale", "watched"),
    [
        ("en", "five evenings", "winter cherry", "These buttons were out of date", "👁 Mark watched"),
        ("ru", "пять вечеров", "зимняя вишня", "Эти кнопки устарели", "👁 Отметить просмотренным"),
    ],
)
async def test_a_stale_star_never_rates_another_film(
    botapi: BotAPIServer, bot: object, language: str, asya: str, cherry: str, stale: str, watched: str
) -> None:
    """Issue #24: stars left on a film's card (Asya's, then; Five Evenings here), after the film was
    unmarked and Winter Cherry marked, rated Winter Cherry (the viewing's id had been reused) and put
    its buttons on the first film's card."""
    user = User(4343, "Nadia", language)
    card = await botapi.reply_to(user, f"/film {asya}")
    new = botapi.since()
    await press(botapi, user, card, "👁")
    asking = await new.wait_for("editMessageReplyMarkup")  # stars under Asya, left for later
    again = await botapi.reply_to(user, f"/film {asya}")
    new = botapi.since()
    await press(botapi, user, again, "↩")
    await press(botapi, user, await new.wait_for("editMessageReplyMarkup"), "🗑")  # and its entry
    other = await botapi.reply_to(user, f"/film {cherry}")
    new = botapi.since()
    await press(botapi, user, other, "👁")
    await new.wait_for("editMessageReplyMarkup")
    new = botapi.since()
    toast = await press(botapi, user, asking, "½★")
    assert toast.params["text"].startswith(stale)
    redrawn = await new.wait_for("editMessageReplyMarkup")
    assert redrawn.params["message_id"] == asking.params["message_id"]
    datas = [b.get("callback_data", "") for b in redrawn.buttons]
    assert any(d.endswith(":five-evenings") for d in datas) and not any("winter-cherry" in d for d in datas)
    assert watched in [b["text"] for b in redrawn.buttons]  # Asya is no longer watched
    diary = (await botapi.reply_to(user, "/diary")).text
    assert "½" not in diary and "★" not in diary  # nothing rated


ENTRY_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "film": "cranes are flying",
        "title": "The Cranes Are Flying",
        "earlier": "Earlier · ",
        "date": "📅 Change the date",
        "month": "March",
        "unrate": "✕ Remove the rating",
        "diary": "◀ Diary",
        "delete": "🗑 Delete this entry",
        "undo": "↶ Undo",
        "again": "🔁",
        "watched": "👁 Mark watched",
    },
    "ru": {
        "film": "летят журавли",
        "title": "Летят журавли",
        "earlier": "Раньше · ",
        "date": "📅 Изменить дату",
        "month": "март",
        "unrate": "✕ Убрать оценку",
        "diary": "◀ Дневник",
        "delete": "🗑 Удалить запись",
        "undo": "↶ Отменить",
        "again": "🔁",
        "watched": "👁 Отметить просмотренным",
    },
}

ENTRY_TEXTS: dict[str, list[str]] = {
    "en": [
        "Rated ★★★★★ for this viewing; the film keeps ★★★★, the rating of your latest viewing.",
        "📖 The Cranes Are Flying (1957)\nWatched: some time ago, no date\nYour rating: ★★★★★",
        "📅 The Cranes Are Flying (1957)\nWhen did you watch it?",
        "Date set: March {year}.",
        "Watched: March {year}\nYour rating: ★★★★★",
        "Rating removed.",
        "Your rating: none",
        "March {year} · The Cranes Are Flying (1957)\n",
        "Entry deleted. ↶ Undo puts it back.",
        "🗑 Deleted from your diary: The Cranes Are Flying (1957), {today}.",
        "Undone: it is back as it was.",
        "These buttons were out of date",
        "It was your only entry of this film, so the film is no longer marked watched.",
    ],
    "ru": [
        "Этот просмотр оценён на ★★★★★; у фильма остаётся ★★★★ — оценка последнего просмотра.",
        "📖 Летят журавли (1957)\nКогда: когда-то раньше, без даты\nВаша оценка: ★★★★★",
        "📅 Летят журавли (1957)\nКогда вы его смотрели?",
        "Дата записи: март {year}.",
        "Когда: март {year}\nВаша оценка: ★★★★★",
        "Оценка убрана.",
        "Ваша оценка: нет",
        "Март {year} · Летят журавли (1957)\n",
        "Запись удалена. «↶ Отменить» вернёт её.",
        "🗑 Запись удалена из дневника: Летят журавли (1957), {today}.",
        "Отменено: всё как было.",
        "Эти кнопки устарели",
        "Других записей об этом фильме не было, поэтому он больше не отмечен просмотренным.",
    ],
}


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_an_entry_opened_from_the_diary_changes_its_date_and_rating_or_goes_alone(
    botapi: BotAPIServer, bot: object, language: str
) -> None:
    """Issue #24: each diary entry can be opened and changed on its own — its date (an "earlier"
    viewing gets a month and year), its rating — or deleted alone, with ↶ Undo on the message."""
    labels = ENTRY_LABELS[language]
    said = iter(ENTRY_TEXTS[language])
    user = User(4545, "Vera", language)
    today = date.today()
    last_year = today.year - 1
    day = format_day(language, today)  # type: ignore[arg-type]
    await rate(botapi, user, labels["film"], "4★")
    card = await botapi.reply_to(user, f"/film {labels['film']}")
    new = botapi.since()
    await press(botapi, user, card, labels["again"])
    asking = await new.wait_for("editMessageReplyMarkup")
    await press(botapi, user, asking, "📅")
    toast = await press(botapi, user, asking, "5★")
    assert toast.params["text"] == next(said)  # the film's rating is still its latest viewing's

    diary = await botapi.reply_to(user, "/diary")
    assert [b["text"] for b in diary.buttons] == [
        f"{day} · {labels['title']}",
        f"{labels['earlier']}{labels['title']}",
    ]
    new = botapi.since()
    await press(botapi, user, diary, labels["earlier"])
    entry = await new.wait_for("editMessageText")
    assert parse_html(entry.text).startswith(next(said)) and "✓5★" in [b["text"] for b in entry.buttons]

    new = botapi.since()
    await press(botapi, user, entry, labels["date"])
    picker = await new.wait_for("editMessageText")
    assert parse_html(picker.text).startswith(next(said))
    months = [b["text"] for b in picker.buttons]
    assert len([m for m in months if m[0].isalpha()]) >= today.month  # this year: up to this month
    new = botapi.since()
    await press(botapi, user, picker, f"◀ {last_year}")
    picker = await new.wait_for("editMessageText")
    new = botapi.since()
    toast = await press(botapi, user, picker, labels["month"])
    assert toast.params["text"] == next(said).format(year=last_year)
    entry = await new.wait_for("editMessageText")
    assert next(said).format(year=last_year) in parse_html(entry.text)

    new = botapi.since()
    toast = await press(botapi, user, entry, labels["unrate"])
    assert toast.params["text"] == next(said)
    entry = await new.wait_for("editMessageText")
    assert next(said) in parse_html(entry.text) and not any("✓" in b["text"] for b in entry.buttons)
    new = botapi.since()
    await press(botapi, user, entry, labels["diary"])
    page = await new.wait_for("editMessageText")
    assert next(said).format(year=last_year) in parse_html(page.text)

    old_diary = await botapi.reply_to(user, "/diary")  # will outlive today's entry
    new = botapi.since()
    await press(botapi, user, page, day)
    entry = await new.wait_for("editMessageText")
    new = botapi.since()
    toast = await press(botapi, user, entry, labels["delete"])
    assert toast.params["text"] == next(said)
    gone = await new.wait_for("editMessageText")
    assert parse_html(gone.text) == next(said).format(today=day)
    card = await botapi.reply_to(user, f"/film {labels['film']}")
    assert "★" not in card.text.split("\n\n")[0] + card.text.split("\n")[-1]  # no rating left
    new = botapi.since()
    toast = await press(botapi, user, gone, labels["undo"])
    assert toast.params["text"] == next(said)
    back = await new.wait_for("editMessageText")
    assert "★★★★" in parse_html(back.text) and day in parse_html(back.text)

    stale_labels = next(said)
    new = botapi.since()
    await press(botapi, user, back, labels["delete"])  # deleted again, through this message
    await new.wait_for("editMessageText")
    new = botapi.since()
    toast = await press(botapi, user, old_diary, day)  # the older /diary's button of that entry
    assert toast.params["text"].startswith(stale_labels)
    redrawn = await new.wait_for("editMessageText")
    assert [b["text"] for b in redrawn.buttons] == [
        f"March {last_year}".replace("March", labels["month"].capitalize()) + f" · {labels['title']}"
    ]

    new = botapi.since()
    await press(botapi, user, redrawn, labels["title"])
    entry = await new.wait_for("editMessageText")
    new = botapi.since()
    await press(botapi, user, entry, labels["delete"])  # the last one
    gone = await new.wait_for("editMessageText")
    assert parse_html(gone.text).endswith(next(said))
    card = await botapi.reply_to(user, f"/film {labels['film']}")
    assert labels["watched"] in [b["text"] for b in card.buttons]
