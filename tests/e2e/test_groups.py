"""In a group, nothing one member owns is posted for everyone, and a group can never be subscribed:
personal commands answer with a short line and a button that opens the private chat, where the
real answer comes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.botapi import BotAPIServer, Call, User
from tests.support.flows import GROUP, in_group, settle, to_chat


@pytest.mark.parametrize(
    ("command", "topic", "english", "russian"),
    [
        ("/watchlist", "watchlist", "Watchlists are personal", "Список у каждого свой"),
        ("/export", "export", "The export is personal", "Файл со списком личный"),
        ("/settings", "settings", "comes to a private chat", "приходит в личный чат"),
        # the link opens subscribing itself (the zone question), not only the settings
        ("/subscribe 9:00", "subscribe", "comes to a private chat", "приходит в личный чат"),
        # issue #24: these changed or showed a member's private data in the group
        (
            "/unsubscribe",
            "unsubscribe",
            "stop it in our private chat",
            "отписаться можно в нашем личном чате",
        ),
        ("/language", "language", "for our private chat", "для нашего личного чата"),
        ("/add the cranes are flying", "add_cranes-are-flying", "add the film", "добавьте фильм"),
        ("/remove the cranes are flying", "remove_cranes-are-flying", "remove the film", "уберите фильм"),
        ("/add cranes", "add_cranes-are-flying", "add the film", "добавьте фильм"),
        ("/diary", "diary", "The diary is personal", "Дневник у каждого свой"),
    ],
)
async def test_personal_commands_in_a_group_point_to_the_private_chat(
    botapi: BotAPIServer,
    bot: object,
    anna: User,
    boris: User,
    command: str,
    topic: str,
    english: str,
    russian: str,
) -> None:
    await botapi.reply_to(anna, "/add cranes are flying")  # Anna has a list; it must not leak
    for user, expected in ((anna, english), (boris, russian)):
        reply = await in_group(botapi, user, command)
        assert expected in reply.text
        assert "Cranes" not in reply.text and "журавли" not in reply.text and "Журавли" not in reply.text
        [button] = reply.buttons
        assert button["url"] == f"https://t.me/soviet_film_test_bot?start={topic}"
    subscribed = await botapi.reply_to(anna, "/settings")
    assert "You are not subscribed" in subscribed.text  # the group's /subscribe subscribed nobody
    listed = await botapi.reply_to(anna, "/watchlist")
    assert "The Cranes Are Flying" in listed.text  # the group's /remove removed nothing
    assert "Что я умею" in (await botapi.reply_to(boris, "/help")).text  # nor was a language chosen
    group_texts = [c.text for c in botapi.sent(chat_id=GROUP["id"])]
    assert not any("Cranes" in t or "every day at" in t or "каждый день" in t for t in group_texts)
    assert botapi.sent("sendDocument", chat_id=GROUP["id"]) == []


async def test_the_deep_link_opens_the_personal_answer_in_private(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    await botapi.reply_to(anna, "/add cranes are flying")
    listed = await botapi.reply_to(anna, "/start watchlist")
    assert "The Cranes Are Flying" in listed.text
    settings = await botapi.reply_to(boris, "/start settings")
    assert "Вы не подписаны" in settings.text
    question = await botapi.reply_to(boris, "/start subscribe")
    assert "по какому времени?" in question.text and question.buttons[0]["text"] == "Москва (UTC+3)"
    new = botapi.since()
    await botapi.send_message(anna, "/start export")
    document = await new.wait_for("sendDocument", lambda c: c.chat_id == anna.id)
    assert document.params["document"]["filename"] == "letterboxd-watchlist.csv"  # issue #16: two files


async def test_a_group_can_never_be_subscribed_by_a_button(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    private = await botapi.reply_to(anna, "/settings")  # a settings message with "▶ Subscribe"
    group_copy = Call("sendMessage", {**private.params, "_sent": {**private.params["_sent"], "chat": GROUP}})
    data = private.button("Subscribe")["callback_data"]
    for user, toast_part in ((anna, "private chat"), (boris, "личном чате")):
        new = botapi.since()
        await botapi.press(user, group_copy, data)
        toast = await new.wait_for("answerCallbackQuery")
        assert toast_part in toast.params["text"]
    await settle()
    assert botapi.sent("editMessageText") == []
    assert "not subscribed" in (await botapi.reply_to(anna, "/settings")).text
    assert "Вы не подписаны" in (await botapi.reply_to(boris, "/settings")).text


async def test_start_in_a_group_says_how_to_ask_there(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    for user, expected in (
        (anna, "In a group, ask with /film and a title, or type @soviet_film_test_bot"),
        (boris, "В группе спрашивайте так: /film и название — или наберите @soviet_film_test_bot"),
    ):
        reply = await in_group(botapi, user, "/start")
        assert expected in reply.text
        assert reply.buttons[-1]["url"] == "https://t.me/soviet_film_test_bot?start=subscribe"


async def test_an_answer_in_a_forum_topic_stays_in_the_topic_and_quotes_the_request(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    forum: dict[str, Any] = {"id": -1001234567, "type": "supergroup", "title": "Киноклуб", "is_forum": True}
    for text in ("/random", "/film cranes are flying", "/help"):
        new = botapi.since()
        asked = (await botapi.send_message(anna, text, chat=forum, topic=42))["message"]
        answer = await new.wait_for("sendMessage", to_chat(forum["id"]))
        assert answer.params["message_thread_id"] == 42
        assert answer.params["_sent"]["reply_to_message"]["message_id"] == asked["message_id"]


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("/film cranes are flying", "The Cranes Are Flying"),
        ("/movienight", "Movie night!"),  # the invitation, whose id the bot keeps: sent by PTB's method
    ],
)
async def test_an_answer_to_a_request_deleted_meanwhile_still_comes_without_the_quote(
    botapi: BotAPIServer, bot: object, anna: User, request_text: str, expected: str
) -> None:
    new = botapi.since()
    asked = (await botapi.send_message(anna, request_text, chat=GROUP))["message"]
    botapi.delete_message(GROUP["id"], asked["message_id"])  # before the bot answers
    answer = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert expected in answer.text
    assert answer.params["reply_parameters"]["message_id"] == asked["message_id"]
    assert "reply_to_message" not in answer.params["_sent"]
    await settle()
    assert [c.text for c in botapi.sent(chat_id=GROUP["id"])] == [answer.text]  # and no apology


async def test_the_links_of_add_and_remove_do_it_in_the_private_chat(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    for user, added, removed in (
        (anna, "Added “The Cranes Are Flying”", "Removed “The Cranes Are Flying”"),
        (boris, "«Летят журавли» добавлен в ваш список", "«Летят журавли» убран из вашего списка"),
    ):
        assert added in (await botapi.reply_to(user, "/start add_cranes-are-flying")).text
        assert removed in (await botapi.reply_to(user, "/start remove_cranes-are-flying")).text
    assert "/add" in (await botapi.reply_to(anna, "/start add")).text  # no film: how to add one
    gone = await botapi.reply_to(boris, "/start add_no-such-film")
    assert gone.text == "Этого фильма больше нет в каталоге."


@pytest.mark.parametrize("label", ["➕", "👁"])
async def test_a_list_button_on_a_group_card_opens_the_private_chat_and_changes_nothing(
    botapi: BotAPIServer, bot: object, anna: User, boris: User, label: str
) -> None:
    card = await in_group(botapi, anna, "/film the cranes are flying")
    for user in (anna, boris):
        new = botapi.since()
        await botapi.press(user, card, card.button(label)["callback_data"])
        toast = await new.wait_for("answerCallbackQuery")
        assert toast.params["url"] == "https://t.me/soviet_film_test_bot?start=film_cranes-are-flying"
    await settle()
    assert botapi.sent("editMessageReplyMarkup") == []
    assert "empty" in (await botapi.reply_to(anna, "/watchlist")).text
    assert "пуст" in (await botapi.reply_to(boris, "/diary")).text
    opened = await botapi.reply_to(boris, "/start film_cranes-are-flying")
    assert opened.text.startswith("<b>Летят журавли</b> (1957)")
    assert opened.button("➕")  # their own buttons, in their own chat
