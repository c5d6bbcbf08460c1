"""Watchlists end to end: cards, /watchlist, /add, /remove, /export, shared cards and restarts."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import yaml

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import BotAPIServer, Call, User
from tests.support.flows import press
from tests.support.process import bot_process


async def watchlist_text(botapi: BotAPIServer, user: User) -> Call:
    return await botapi.reply_to(user, "/watchlist")


async def test_add_from_a_card_then_watch_then_remove(botapi: BotAPIServer, bot: object, anna: User) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    new = botapi.since()
    toast = await press(botapi, anna, card, "➕ Watchlist")
    assert toast.params["text"] == "Added to your watchlist"
    edited = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in edited.buttons][-2:] == ["✕ Remove from watchlist", "👁 Mark watched"]
    assert botapi.calls.index(toast) < botapi.calls.index(edited)

    view = await watchlist_text(botapi, anna)
    assert "To watch: 1 · Watched: 0" in view.text and "The Cranes Are Flying (1957)" in view.text

    toast = await press(botapi, anna, edited, "👁 Mark watched")
    assert toast.params["text"] == "Marked as watched. Rate it below, if you like."  # issue #16
    view = await watchlist_text(botapi, anna)
    assert "To watch: 0 · Watched: 1" in view.text and "<b>Watched</b>" in view.text

    # issue #24: ✕ left on the card from before it was watched no longer unwatches it in silence
    new = botapi.since()
    toast = await press(botapi, anna, edited, "✕ Remove from watchlist")
    assert toast.params["text"] == "These buttons were out of date — here is where things stand."
    redrawn = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in redrawn.buttons][-3:] == [
        "🔁 Watched again",
        "💬 Talking points",
        "↩ Not watched",
    ]
    assert "To watch: 0 · Watched: 1" in (await watchlist_text(botapi, anna)).text
    # ↩ Not watched asks about the diary entry first; deleting it offers ↶ Undo on the card
    new = botapi.since()
    toast = await press(botapi, anna, redrawn, "↩ Not watched")
    assert toast.params["text"] == "This film has 1 diary entry: it would be deleted too. Choose below."
    asked = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in asked.buttons] == ["🗑 Delete 1 entry and unmark", "✓ Keep it watched"]
    assert "Watched: 1" in (await watchlist_text(botapi, anna)).text  # asking deleted nothing
    new = botapi.since()
    toast = await press(botapi, anna, asked, "🗑")
    assert toast.params["text"] == "Unmarked, and its diary entries deleted. ↶ Undo puts them back."
    back = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in back.buttons][-3:] == ["✕ Remove from watchlist", "👁 Mark watched", "↶ Undo"]
    new = botapi.since()
    toast = await press(botapi, anna, back, "✕ Remove from watchlist")
    assert toast.params["text"] == "Removed from your watchlist"
    removed = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in removed.buttons][-3:] == ["➕ Watchlist", "👁 Mark watched", "↶ Undo"]
    assert "empty" in (await watchlist_text(botapi, anna)).text
    toast = await press(botapi, anna, removed, "↶ Undo")
    assert toast.params["text"] == "Undone: it is back as it was."
    assert "To watch: 1 · Watched: 0" in (await watchlist_text(botapi, anna)).text
    toast = await press(botapi, anna, removed, "↶ Undo")  # a second tap
    assert toast.params["text"] == "Too late to undo that, or it was undone already."


async def test_a_double_tap_leaves_one_row_and_no_error(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film white nights")
    data = card.button("➕ Watchlist")["callback_data"]
    ids = set(await asyncio.gather(*(botapi.press(anna, card, data) for _ in range(4))))
    for query_id in ids:

        def answers(c: Call, q: str = query_id) -> bool:
            return bool(c.params["callback_query_id"] == q)

        await botapi.wait_for("answerCallbackQuery", answers)
    toasts = [c.params["text"] for c in botapi.sent("answerCallbackQuery")]
    assert toasts.count("Added to your watchlist") == 1
    assert toasts.count("Already in your watchlist") == 3
    assert "To watch: 1 ·" in (await watchlist_text(botapi, anna)).text
    assert not any("went wrong" in c.text for c in botapi.sent("sendMessage"))


async def test_add_and_remove_by_name(botapi: BotAPIServer, bot: object, anna: User) -> None:
    reply = await botapi.reply_to(anna, "/add ironiya sudby")
    assert "Added “The Irony of Fate”" in reply.text
    reply = await botapi.reply_to(anna, "/add Irony of Fate")
    assert "already in your watchlist" in reply.text
    reply = await botapi.reply_to(anna, "/add Konchalovsky")
    assert "Which one" in reply.text and len(reply.buttons) == 4
    await press(botapi, anna, reply, "Uncle Vanya")
    reply = await botapi.reply_to(anna, "/remove irony of fate")
    assert "Removed “The Irony of Fate”" in reply.text
    reply = await botapi.reply_to(anna, "/remove cranes")
    assert "is not in your watchlist" in reply.text
    view = await watchlist_text(botapi, anna)
    assert "Uncle Vanya" in view.text and "Irony" not in view.text


async def test_add_without_a_proper_name_gets_a_hint(botapi: BotAPIServer, bot: object, anna: User) -> None:
    assert "/add Летят журавли" in (await botapi.reply_to(anna, "/add")).text
    assert "at most 256" in (await botapi.reply_to(anna, "/add " + "x" * 300)).text
    assert "found no film" in (await botapi.reply_to(anna, "/add qzxwvjk")).text
    assert "/watchlist" in (await botapi.reply_to(anna, "/remove")).text


async def test_watchlist_pages_and_picks_a_film(botapi: BotAPIServer, bot: object, anna: User) -> None:
    names = ["cranes", "lady dog", "cruel romance", "commissar", "letter never sent", "asya klyachina",
             "white nights", "nest of gentry", "three poplars", "brief encounters", "forty first",
             "amphibian"]  # fmt: skip
    for name in names:
        assert "Added" in (await botapi.reply_to(anna, f"/add {name}")).text
    view = await watchlist_text(botapi, anna)
    assert "To watch: 12" in view.text and "Page 1 of 2" in view.text
    assert len([b for b in view.buttons if b["text"].startswith("🎬")]) == 10
    new = botapi.since()
    await botapi.press(anna, view, view.button("▶")["callback_data"])
    second = await new.wait_for("editMessageText")
    assert "Page 2 of 2" in second.text
    assert len([b for b in second.buttons if b["text"].startswith("🎬")]) == 2
    new = botapi.since()
    await botapi.press(anna, second, second.button("Pick one")["callback_data"])
    pick = await new.wait_for("sendMessage")
    assert pick.text.startswith("🎲 For tonight")
    assert "✕ Remove from watchlist" in [b["text"] for b in pick.buttons]


async def test_a_shared_card_changes_only_the_pressers_list(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    new = botapi.since()
    query_id = await botapi.inline_query(anna, "zhuravli")
    answer = await botapi.wait_for("answerInlineQuery", lambda c: c.params["inline_query_id"] == query_id)
    result = answer.params["results"][0]
    add = next(b for row in result["reply_markup"]["inline_keyboard"] for b in row if "➕" in b["text"])
    new = botapi.since()
    await botapi.press(boris, None, add["callback_data"], inline_message_id="shared-1")
    toast = await new.wait_for("answerCallbackQuery")
    assert toast.params["text"] == "Добавлено в ваш список"
    await asyncio.sleep(0.2)
    assert botapi.sent("editMessageReplyMarkup") == []  # the shared card keeps its neutral buttons
    assert "Летят журавли" in (await watchlist_text(botapi, boris)).text
    assert "empty" in (await watchlist_text(botapi, anna)).text


async def test_group_cards_do_not_show_one_members_state(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    group = {"id": -700, "type": "group", "title": "Film club"}
    await botapi.reply_to(anna, "/add cranes")
    new = botapi.since()
    await botapi.send_message(anna, "/film cranes", chat=group)
    card = await new.wait_for("sendMessage", lambda c: c.chat_id == -700)
    assert "➕ Watchlist" in [b["text"] for b in card.buttons]


async def test_the_list_survives_a_restart_and_films_leaving_the_catalogue(
    botapi: BotAPIServer, settings: Settings, anna: User, catalogue_path: Path
) -> None:
    async with running(settings):
        for name in ("cranes", "white nights", "commissar"):
            await botapi.reply_to(anna, f"/add {name}")
        await botapi.release_polling()
    botapi.resume_long_polling()
    data = yaml.safe_load(catalogue_path.read_text(encoding="utf-8"))
    data["films"] = [f for f in data["films"] if f["id"] != "white-nights"]
    catalogue_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    async with running(settings):
        view = await watchlist_text(botapi, anna)
        assert "To watch: 3" in view.text
        assert "White Nights (1959) (no longer in the catalogue)" in view.text
        toast = await press(botapi, anna, view, "✕ Remove White Nights")
        assert toast.params["text"] == "Removed from your watchlist"
        redrawn = await botapi.wait_for("editMessageText")
        assert "To watch: 2" in redrawn.text
        await botapi.release_polling()


async def test_every_acknowledged_add_survives_sigkill(
    botapi: BotAPIServer, tmp_path: Path, anna: User
) -> None:
    names = ["cranes", "lady dog", "cruel romance", "commissar", "white nights", "winter cherry"]
    env = {"BOT_TOKEN": botapi.token, "BOT_API_BASE_URL": botapi.base_url}
    async with bot_process(tmp_path, **env) as process:
        for name in names:
            reply = await botapi.reply_to(anna, f"/add {name}", timeout=30)
            assert "Added" in reply.text
        process.send_signal(signal.SIGKILL)
        await process.wait()
    async with bot_process(tmp_path, **env):
        view = await botapi.reply_to(anna, "/watchlist", timeout=30)
        assert "To watch: 6" in view.text
        await botapi.release_polling()


async def test_a_choice_of_films_stays_usable_after_a_tap(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    choice = await botapi.reply_to(anna, "/add Konchalovsky")
    labels = [b["text"] for b in choice.buttons]
    new = botapi.since()
    first = await press(botapi, anna, choice, "Uncle Vanya")
    assert first.params["text"].startswith("Added “Uncle Vanya”")
    second = await press(botapi, anna, choice, labels[1].removeprefix("➕ ").split(" (")[0])
    assert second.params["text"].startswith("Added “")
    assert [c for c in new.calls if c.method.startswith("edit")] == []  # the choice is kept
    listed = await watchlist_text(botapi, anna)
    assert "To watch: 2 ·" in listed.text
    # in Russian, removing from a choice of the list's films
    for name in ("Дядя Ваня", "Дворянское гнездо"):
        await botapi.reply_to(boris, f"/add {name}")
    choice = await botapi.reply_to(boris, "/remove кончаловский")
    assert "Какой убрать?" in choice.text
    toast = await press(botapi, boris, choice, "Дядя Ваня")
    assert toast.params["text"] == "Фильм «Дядя Ваня» убран из вашего списка."
    toast = await press(botapi, boris, choice, "Дядя Ваня")
    assert toast.params["text"] == "Фильма «Дядя Ваня» нет в вашем списке."


async def test_a_film_seen_before_is_marked_watched_straight_from_its_card(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    card = await botapi.reply_to(anna, "/film white nights")
    assert [b["text"] for b in card.buttons][-2:] == ["➕ Watchlist", "👁 Mark watched"]
    new = botapi.since()
    toast = await press(botapi, anna, card, "👁 Mark watched")
    assert toast.params["text"] == "Marked as watched. Rate it below, if you like."
    rating = await new.wait_for("editMessageReplyMarkup")  # issue #16: stars first
    new = botapi.since()
    await press(botapi, anna, rating, "✓ No rating")
    edited = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in edited.buttons][-3:] == [
        "🔁 Watched again",
        "💬 Talking points",
        "↩ Not watched",
    ]
    again = await press(botapi, anna, card, "👁 Mark watched")  # a second tap on the old buttons
    assert again.params["text"] == "Already marked as watched"
    assert "To watch: 0 · Watched: 1" in (await watchlist_text(botapi, anna)).text
    card = await botapi.reply_to(boris, "/film белые ночи")
    assert [b["text"] for b in card.buttons][-2:] == ["➕ Хочу посмотреть", "👁 Отметить просмотренным"]
    new = botapi.since()
    await press(botapi, boris, card, "👁 Отметить просмотренным")
    rating = await new.wait_for("editMessageReplyMarkup")
    new = botapi.since()
    await press(botapi, boris, rating, "✓ Без оценки")
    edited = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in edited.buttons][-3:] == [
        "🔁 Ещё один просмотр",
        "💬 Поговорить о фильме",
        "↩ Не просмотрено",
    ]
    new = botapi.since()
    toast = await press(botapi, boris, edited, "↩ Не просмотрено")
    assert toast.params["text"] == "В дневнике 1 запись об этом фильме: она тоже удалится. Выберите ниже."
    asked = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in asked.buttons] == [
        "🗑 Удалить 1 запись и снять отметку",
        "✓ Оставить просмотренным",
    ]
    new = botapi.since()
    await press(botapi, boris, asked, "✓ Оставить")  # kept: the card's buttons again
    kept = await new.wait_for("editMessageReplyMarkup")
    assert [b["text"] for b in kept.buttons][-3:] == [
        "🔁 Ещё один просмотр",
        "💬 Поговорить о фильме",
        "↩ Не просмотрено",
    ]
    new = botapi.since()
    await press(botapi, boris, kept, "↩ Не просмотрено")
    asked = await new.wait_for("editMessageReplyMarkup")
    toast = await press(botapi, boris, asked, "🗑")
    assert toast.params["text"] == "Отметка снята, записи в дневнике удалены. «↶ Отменить» вернёт их."
    assert "пуст" in (await botapi.reply_to(boris, "/diary")).text


async def test_removing_a_watched_film_by_name_keeps_it_watched(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    """Issue #24: /remove took a watched film off the list while the diary kept it."""
    for user, name, said in (
        (
            anna,
            "white nights",
            "“White Nights” is marked watched: ↩ Not watched on its card takes that back.",
        ),
        (
            boris,
            "белые ночи",
            "Фильм «Белые ночи» отмечен просмотренным: "
            "снять отметку можно кнопкой «↩ Не просмотрено» на его карточке.",
        ),
    ):
        card = await botapi.reply_to(user, f"/film {name}")
        new = botapi.since()
        await press(botapi, user, card, "👁")
        await new.wait_for("editMessageReplyMarkup")
        assert (await botapi.reply_to(user, f"/remove {name}")).text == said
    assert "Watched: 1" in (await watchlist_text(botapi, anna)).text
