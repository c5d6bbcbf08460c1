"""💌 Recommend: a card sent to a friend or a group with who recommends it and their note, and
buttons for the receiver's own watchlist."""

from __future__ import annotations

from tests.support.botapi import BotAPIServer, User, parse_html
from tests.support.flows import GROUP, ask

VERA = User(1003, "Vera", "en")


async def test_every_card_offers_to_recommend_it_to_a_person_or_a_group(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    assert card.button("💌 Recommend")["switch_inline_query_chosen_chat"] == {
        "query": "💌 The Cranes Are Flying ",
        "allow_user_chats": True,
        "allow_group_chats": True,
    }
    card = await botapi.reply_to(boris, "/film летят журавли")
    assert card.button("💌 Посоветовать")["switch_inline_query_chosen_chat"]["query"] == "💌 Летят журавли "


async def test_a_recommendation_carries_the_senders_name_and_note(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    answer = await ask(botapi, anna, "💌 The Cranes Are Flying you will cry, I promise")
    [result] = answer.params["results"]
    assert result["title"] == "💌 Recommend “The Cranes Are Flying” (1957)"
    assert result["description"] == "with your note: you will cry, I promise"
    card = parse_html(result["input_message_content"]["message_text"])
    assert card.startswith(
        "💌 Recommended by Anna: “you will cry, I promise”\n\nThe Cranes Are Flying (1957)"
    )
    answer = await ask(botapi, anna, "💌 The Cranes Are Flying ")
    card = parse_html(answer.params["results"][0]["input_message_content"]["message_text"])
    assert card.startswith("💌 Recommended by Anna\n\nThe Cranes Are Flying (1957)")
    answer = await ask(botapi, boris, "💌 Летят журавли обязательно посмотри")
    card = parse_html(answer.params["results"][0]["input_message_content"]["message_text"])
    assert card.startswith("💌 Советует Борис: «обязательно посмотри»\n\nЛетят журавли (1957)")
    answer = await ask(botapi, anna, "💌 zzqxw")  # not a title: an ordinary search
    assert answer.params["results"][0]["id"] == "nothing-found"


async def test_the_receiver_adds_it_to_their_own_list_even_before_starting_the_bot(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    await botapi.reply_to(anna, "/start")
    answer = await ask(botapi, anna, "💌 The Cranes Are Flying watch it tonight")
    [result] = answer.params["results"]
    await botapi.send_via_bot(anna, GROUP, result)  # Anna sends it into a group with Vera in it
    add = next(b for row in result["reply_markup"]["inline_keyboard"] for b in row if "➕" in b["text"])
    new = botapi.since()
    await botapi.press(VERA, None, add["callback_data"], inline_message_id="rec-1")
    toast = await new.wait_for("answerCallbackQuery")
    assert toast.params["url"] == "https://t.me/soviet_film_test_bot?start=watchlist"  # opens her list
    listing = await botapi.reply_to(VERA, "/start watchlist")
    assert "The Cranes Are Flying" in listing.text
    new = botapi.since()
    await botapi.press(anna, None, add["callback_data"], inline_message_id="rec-1")
    toast = await new.wait_for("answerCallbackQuery")
    assert "url" not in toast.params  # Anna has started the bot: an ordinary toast


async def test_a_readers_more_like_this_never_erases_the_senders_note(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    """Issue #24: a reader's 🎞 turned Anna's 💌 message into a list, and ◀ brought it back without
    her note. The message stays as she sent it; the list goes to the reader's private chat."""
    await botapi.reply_to(boris, "/start")
    answer = await ask(botapi, anna, "💌 The Cranes Are Flying this one made me cry")
    [result] = answer.params["results"]
    more = next(b for row in result["reply_markup"]["inline_keyboard"] for b in row if "🎞" in b["text"])
    new = botapi.since()
    await botapi.press(boris, None, more["callback_data"], inline_message_id="rec-9")
    assert (await new.wait_for("answerCallbackQuery")).params["text"] == "Отправил в наш личный чат."
    listing = await new.wait_for("sendMessage", lambda c: c.chat_id == boris.id)
    assert parse_html(listing.text).startswith("Похожие на «Летят журавли»")
    assert [
        c
        for c in botapi.calls
        if c.params.get("inline_message_id") == "rec-9" and c.method != "answerCallbackQuery"
    ] == []


async def test_watched_on_a_shared_card_logs_the_viewing_in_the_readers_diary(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    """Issue #24: 👁 on a card shared through inline mode marked the film watched but logged no
    viewing, so the list and the diary disagreed."""
    answer = await ask(botapi, anna, "💌 White Nights you should see it")
    [result] = answer.params["results"]
    seen = next(b for row in result["reply_markup"]["inline_keyboard"] for b in row if "👁" in b["text"])
    for user, toast_text, line in (
        (anna, "Marked as watched", "White Nights (1959)"),
        (boris, "Отмечено как просмотренное", "Белые ночи (1959)"),
    ):
        await botapi.reply_to(user, "/start")
        new = botapi.since()
        await botapi.press(user, None, seen["callback_data"], inline_message_id="rec-4")
        assert (await new.wait_for("answerCallbackQuery")).params["text"] == toast_text
        diary = parse_html((await botapi.reply_to(user, "/diary")).text)
        assert line in diary  # the viewing is in their own diary
        assert [
            c
            for c in new.calls
            if c.params.get("inline_message_id") == "rec-4" and c.method != "answerCallbackQuery"
        ] == []
