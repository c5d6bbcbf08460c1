"""Pictures end to end: 🖼 Card sends a film's picture as a photo (uploaded once, then sent by
Telegram's file_id), with its caption and the film's buttons; ↗ Share under it offers the cached
photo in inline mode; a file_id Telegram no longer knows is uploaded again."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from PIL import Image

from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import ask, in_group, press


async def _picture(botapi: BotAPIServer, user: User, card: Call, label: str) -> Call:
    new = botapi.since()
    await press(botapi, user, card, label)
    return await new.wait_for("sendPhoto", lambda c: c.chat_id == user.id and "_error" not in c.params)


def _labels(call: Call) -> list[str]:
    return [b["text"] for b in call.buttons]


async def test_a_card_sends_its_picture_once_and_then_by_file_id(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    photo = await _picture(botapi, anna, card, "🖼 Card")
    assert isinstance(photo.params["photo"], dict)  # an upload
    image = Image.open(io.BytesIO(photo.params["photo"]["content"]))
    assert (image.format, image.size) == ("PNG", (1080, 1350))
    caption = parse_html(photo.params["caption"]).splitlines()
    assert caption == ["The Cranes Are Flying (1957)", "Летят журавли", "Directed by Mikhail Kalatozov"]
    labels = _labels(photo)
    assert "🖼 Card" not in labels and "↗ Share" in labels and "👁 Mark watched" in labels
    share = photo.button("↗ Share")["switch_inline_query"]
    assert share == "🖼 The Cranes Are Flying"

    again = await _picture(botapi, anna, card, "🖼 Card")
    assert again.params["photo"] == photo.params["_sent"]["photo"][-1]["file_id"]  # no second upload
    assert len(botapi.uploads) == 1

    russian = await _picture(botapi, boris, await botapi.reply_to(boris, "/film летят журавли"), "🖼 Открытка")
    assert isinstance(russian.params["photo"], dict)  # its own picture, in Russian
    assert parse_html(russian.params["caption"]).splitlines()[0] == "Летят журавли (1957)"
    assert len(botapi.uploads) == 2


async def test_buttons_under_a_picture_keep_it_a_picture(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    photo = await _picture(botapi, anna, card, "🖼 Card")
    new = botapi.since()
    await press(botapi, anna, photo, "➕ Watchlist")
    redrawn = await new.wait_for("editMessageReplyMarkup", lambda c: c.chat_id == anna.id)
    labels = [b["text"] for row in redrawn.params["reply_markup"]["inline_keyboard"] for b in row]
    assert "✕ Remove from watchlist" in labels
    assert "🖼 Card" not in labels  # still the picture's buttons
    assert redrawn.button("↗ Share")["switch_inline_query"] == "🖼 The Cranes Are Flying"


async def test_share_under_a_picture_offers_the_photo_telegram_keeps(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    before = (await ask(botapi, anna, "🖼 The Cranes Are Flying")).params["results"]
    assert [r["type"] for r in before] == ["article"]  # not uploaded yet: the text card only
    card = await botapi.reply_to(anna, "/film cranes are flying")
    photo = await _picture(botapi, anna, card, "🖼 Card")
    results = (await ask(botapi, anna, "🖼 The Cranes Are Flying")).params["results"]
    assert results[0]["type"] == "photo"
    assert (results[0]["title"], results[0]["description"]) == ("The Cranes Are Flying (1957)", "🖼 Card")
    assert results[0]["photo_file_id"] == photo.params["_sent"]["photo"][-1]["file_id"]
    assert parse_html(results[0]["caption"]).startswith("The Cranes Are Flying (1957)")
    assert results[1]["id"] == "cranes-are-flying"


async def test_a_forgotten_file_id_is_uploaded_again(botapi: BotAPIServer, bot: object, anna: User) -> None:
    card = await botapi.reply_to(anna, "/film cranes are flying")
    await _picture(botapi, anna, card, "🖼 Card")
    botapi.photos.clear()  # Telegram no longer knows it (the bot's token was changed, say)
    again = await _picture(botapi, anna, card, "🖼 Card")
    assert isinstance(again.params["photo"], dict)
    assert len(botapi.uploads) == 2
    refused = [c for c in botapi.sent("sendPhoto") if "_error" in c.params]
    assert [c.params["_error"] for c in refused] == ["Bad Request: wrong file identifier/HTTP URL specified"]


async def test_year_from_the_first_film_logged_as_a_picture_and_text(
    botapi: BotAPIServer, bot: object, anna: User, boris: User
) -> None:
    this_year = datetime.now(UTC).year
    empty = await botapi.reply_to(anna, "/year")
    assert empty.text.startswith(f"Nothing in your diary is dated {this_year} yet.")
    card = await botapi.reply_to(anna, "/film irony of fate")
    await press(botapi, anna, card, "👁 Mark watched")
    year = await botapi.reply_to(anna, "/year", method="sendPhoto")
    caption = parse_html(year.params["caption"]).splitlines()
    assert caption[0] == f"My {this_year} in Soviet cinema"
    assert caption[2] == "1 film · 3 hours"
    assert "Directed by: Eldar Ryazanov" in caption
    assert isinstance(year.params["photo"], dict)
    image = Image.open(io.BytesIO(year.params["photo"]["content"]))
    assert image.size == (1080, 1350)
    again = await botapi.reply_to(anna, "/year", method="sendPhoto")
    assert again.params["photo"] == year.params["_sent"]["photo"][-1]["file_id"]  # nothing changed: no upload

    other = await botapi.reply_to(anna, f"/year {this_year - 3}")
    assert other.text == (
        f"Nothing in your diary is dated {this_year - 3}. "
        f"Your years so far: {this_year} — send, say, /year {this_year}."
    )
    bad = await botapi.reply_to(anna, "/year next")
    assert bad.text == f"Send /year for this year, or /year {this_year - 1} for another one."

    card = await botapi.reply_to(boris, "/film ирония судьбы")
    await press(botapi, boris, card, "👁")
    russian = await botapi.reply_to(boris, "/year", method="sendPhoto")
    lines = parse_html(russian.params["caption"]).splitlines()
    assert lines[0] == f"Мой {this_year} год в советском кино" and lines[2] == "1 фильм · 3 часа"


async def test_year_in_a_group_opens_in_the_private_chat(
    botapi: BotAPIServer, bot: object, anna: User
) -> None:
    answer = await in_group(botapi, anna, "/year")
    assert (
        answer.text
        == "Your year comes from your diary, which is personal: it opens in your private chat with me."
    )
    assert answer.button("Open my year")["url"].endswith("?start=year")
    assert not botapi.sent("sendPhoto")
    opened = await botapi.reply_to(anna, "/start year")  # the button opens the private chat on it
    assert opened.text.startswith("Nothing in your diary is dated")
