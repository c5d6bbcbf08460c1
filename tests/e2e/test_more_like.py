"""🎞 More like this under every card: in a private chat, in a group and on a card shared through
inline mode, in both languages."""

from __future__ import annotations

from bot.telegram.callbacks import encode
from bot.telegram.handlers.similar import OpenShared
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import GROUP, ask, in_group, to_chat


def plain(call: Call) -> str:
    """The text as the reader sees it (the HTML parsed)."""
    return parse_html(call.text)


async def test_more_like_this_lists_films_with_their_reasons_and_opens_each(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film uncle vanya")
    new = botapi.since()
    await botapi.press(anna, card, card.button("🎞 More like this")["callback_data"])
    listing = await new.wait_for("sendMessage", to_chat(anna.id))
    assert plain(listing).startswith(
        "More like “Uncle Vanya”\n\n1. A Nest of Gentry (1969) — also directed by Andrey Konchalovsky"
    )
    assert "also based on Anton Chekhov" in plain(listing)
    assert "Uncle Vanya (1970)" not in plain(listing)  # never the film itself
    labels = [b["text"] for b in listing.buttons]
    assert len(labels) == 5 and labels[0] == "A Nest of Gentry (1969)"
    new = botapi.since()
    await botapi.press(anna, listing, listing.buttons[0]["callback_data"])
    opened = await new.wait_for("sendMessage", to_chat(anna.id))
    assert plain(opened).startswith("A Nest of Gentry (1969)")
    assert opened.button("🎞 More like this")


async def test_russian_readers_get_the_list_in_russian(
    botapi: BotAPIServer, bot: object, boris: User
) -> None:
    card = await botapi.reply_to(boris, "/film дядя ваня")
    new = botapi.since()
    await botapi.press(boris, card, card.button("🎞 Похожие фильмы")["callback_data"])
    listing = await new.wait_for("sendMessage", to_chat(boris.id))
    assert plain(listing).startswith(
        "Похожие на «Дядя Ваня»\n\n1. Дворянское гнездо (1969) — режиссёр тоже Андрей Кончаловский"
    )
    assert "тоже по Чехову" in plain(listing)
    assert listing.buttons[0]["text"] == "Дворянское гнездо (1969)"


async def test_in_a_group_any_member_can_ask_and_gets_the_list_in_their_language(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    card = await in_group(botapi, anna, "/film the cranes are flying")
    new = botapi.since()
    await botapi.press(boris, card, card.button("🎞 More like this")["callback_data"])
    listing = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert plain(listing).startswith("Похожие на «Летят журавли»")
    assert "режиссёр тоже Михаил Калатозов" in plain(listing)
    new = botapi.since()
    await botapi.press(anna, listing, listing.buttons[0]["callback_data"])
    opened = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert plain(opened).startswith("Letter Never Sent (1959)")


async def test_a_shared_card_is_never_rewritten_the_list_comes_to_the_presser_privately(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    """Issue #24: any reader's 🎞 on a card Anna shared turned her message into a list, and the next
    tap into another film's card. The message is hers: the list comes to the presser's private chat
    (or, before they ever started the bot, the press opens it there)."""
    answer = await ask(botapi, anna, "uncle vanya")
    [result] = [r for r in answer.params["results"] if r["id"] == "uncle-vanya"]
    more = next(
        b for row in result["reply_markup"]["inline_keyboard"] for b in row if b["text"] == "🎞 More like this"
    )
    new = botapi.since()
    await botapi.press(boris, None, more["callback_data"], inline_message_id="shared-7")
    toast = await new.wait_for("answerCallbackQuery")
    assert toast.params["url"] == "https://t.me/soviet_film_test_bot?start=like_uncle-vanya"
    listing = await botapi.reply_to(boris, "/start like_uncle-vanya")  # the link, in his private chat
    assert plain(listing).startswith("Похожие на «Дядя Ваня»")  # Boris reads Russian
    assert listing.buttons[0]["text"] == "Дворянское гнездо (1969)"
    for user, said in ((boris, "Отправил в наш личный чат."), (anna, "Sent to our private chat.")):
        await botapi.reply_to(user, "/start")  # now they have started the bot
        new = botapi.since()
        await botapi.press(user, None, more["callback_data"], inline_message_id="shared-7")
        toast = await new.wait_for("answerCallbackQuery")
        assert toast.params["text"] == said
        sent = await new.wait_for("sendMessage", to_chat(user.id))
        assert "Uncle Vanya" in plain(sent) or "Дядя Ваня" in plain(sent)
    older = encode(OpenShared("nest-of-gentry", "en"))  # a film button an older release put there
    new = botapi.since()
    await botapi.press(anna, None, older, inline_message_id="shared-7")
    card = await new.wait_for("sendMessage", to_chat(anna.id))
    assert plain(card).startswith("A Nest of Gentry (1969)")
    assert botapi.sent("editMessageText") == []  # the shared message is as Anna sent it


async def test_more_like_this_for_a_film_that_left_the_catalogue_says_so(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film uncle vanya")
    forged = card.button("🎞 More like this")["callback_data"].replace("uncle-vanya", "no-such-film")
    new = botapi.since()
    await botapi.press(anna, card, forged)
    toast = await new.wait_for("answerCallbackQuery")
    assert toast.params["text"]  # a film that left the catalogue: said so, nothing else
