"""Talk to the bot by hand, as a user would, through the loopback Bot API test server.

    .venv/bin/python -m tests.support.console            # an English-speaking user
    .venv/bin/python -m tests.support.console --lang ru  # a Russian-speaking one
    TEST_DATABASE_URL=postgresql://… .venv/bin/python -m tests.support.console   # on PostgreSQL

Type what a person would type. Lines that start with a colon are for the console itself:
    :press N|LABEL   press button N (as numbered), or the last one whose label has LABEL
    :inline TEXT     type `@bot TEXT` in some chat and list the results
    :send N          send result N of the last :inline into that chat (its buttons are then pressable)
    :group TEXT      say TEXT in a group chat with the bot
    :vote N [N …]    vote for options N… of the bot's last poll
    :wait S          let S seconds pass on the bot's clock (a movie night's deadline, say)
    :quit
Everything the bot does in reply is printed: messages (with their buttons, numbered), edits,
toasts, documents and inline answers. The watch links are checked against a local fake of
YouTube's oEmbed (tests/support/provider.py) that knows Mosfilm's videos, so ▶ buttons show.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import TOKEN, BotAPIServer, Call, User
from tests.support.database import database_url_for
from tests.support.flows import Clock
from tests.support.provider import FakeProvider, mosfilm_videos

ROOT = Path(__file__).resolve().parents[2]
GROUP: dict[str, Any] = {"id": -777, "type": "group", "title": "Film club"}


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def save_photo(photo: dict[str, Any]) -> str:
    """An uploaded picture written where a person can open it."""
    path = Path(tempfile.gettempdir()) / f"console-{photo['filename']}"
    path.write_bytes(photo["content"])
    return str(path)


def show(call: Call, buttons: list[dict[str, Any]]) -> None:
    where = " (group)" if call.chat_id == GROUP["id"] else ""
    if call.method in ("sendMessage", "editMessageText"):
        label = "bot" if call.method == "sendMessage" else "bot (edits)"
        print(f"{label}{where}: " + plain(call.text).replace("\n", "\n     "))
    elif call.method == "editMessageReplyMarkup":
        print("bot (new buttons)")
    elif call.method == "answerCallbackQuery":
        print(f"toast: {call.params.get('text') or '(none)'}")
    elif call.method == "sendPhoto":
        photo = call.params.get("photo")
        sent = (
            f"a new picture, saved as {save_photo(photo)}"
            if isinstance(photo, dict)
            else "a picture it sent before"
        )
        print(
            f"bot{where} sends {sent}, captioned: "
            + plain(call.params.get("caption", "")).replace("\n", "\n     ")
        )
    elif call.method == "sendDocument":
        print(f"bot sends a file: {call.params.get('document', {}).get('filename')}")
    elif call.method == "answerInlineQuery":
        for number, result in enumerate(call.params["results"][:10], 1):
            print(f"  {number}. {result['title']} — {result.get('description', '')}")
        return
    elif call.method == "sendPoll":
        print(f"bot{where} polls: {call.params['question']}")
        for number, option in enumerate(call.params["options"], 1):
            print(f"  ({number}) {option['text'] if isinstance(option, dict) else option}")
    elif call.method == "stopPoll":
        print(f"bot{where} closes the poll")
    elif call.method == "shared":  # an inline result sent into a chat: the card as the chat sees it
        print("card in the chat: " + plain(call.text).replace("\n", "\n     "))
    else:
        return
    for button in call.buttons:
        buttons.append(button)
        opens = f"  → {button['url']}" if "url" in button else ""
        print(f"  [{len(buttons)}] {button['text']}{opens}")


async def settled(new: Any, first: float = 10.0, quiet: float = 0.5) -> None:
    """Wait for the bot's answer to a turn: up to `first` seconds for it to start (the first
    message of a run waits for the bot to finish starting up), then until it has been `quiet`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + first
    while not new.calls and loop.time() < deadline:
        await asyncio.sleep(0.05)
    seen = -1
    while seen != len(new.calls):
        seen = len(new.calls)
        await asyncio.sleep(quiet)


async def console(language: str) -> None:
    botapi = BotAPIServer()
    await botapi.start()
    folder = Path(tempfile.mkdtemp())
    shutil.copy(ROOT / "data" / "films.yaml", folder / "films.yaml")
    settings = Settings(
        bot_token=TOKEN,
        bot_api_base_url=botapi.base_url,
        catalogue_path=folder / "films.yaml",
        database_path=folder / "bot.sqlite3",
        database_url=database_url_for(folder),  # PostgreSQL with TEST_DATABASE_URL set
        heartbeat_path=folder / "heartbeat",
        _env_file=None,
    )
    provider = FakeProvider(mosfilm_videos())
    await provider.start()
    user = User(1001, "Anna" if language == "en" else "Анна", language)
    buttons: list[dict[str, Any]] = []
    pressed_on: dict[int, Call] = {}
    results: list[dict[str, Any]] = []
    clock = Clock(datetime.now(UTC))
    async with (
        provider.session() as session,
        running(settings, clock=clock, delivery_interval=0.2, links=session),
    ):
        while True:
            try:
                line = (await asyncio.to_thread(input, "you: ")).strip()
            except EOFError:
                break
            if line == ":quit":
                break
            new = botapi.since()
            shared: Call | None = None
            if line.startswith(":press "):
                which = line.removeprefix(":press ").strip()
                # a number, or a part of a label (the latest button that has it)
                labelled = [n for n, b in enumerate(buttons, 1) if which in b["text"]]
                number = int(which) if which.isdigit() else (labelled[-1] if labelled else 0)
                if not 1 <= number <= len(buttons):
                    print(f"(no button {number}: the last message has {len(buttons)})")
                    continue
                button = buttons[number - 1]
                if "callback_data" not in button:
                    print(f"(a link: it opens {button.get('url') or button})")
                    continue
                on = pressed_on[number]
                inline_id = on.params.get("inline_message_id")
                await botapi.press(user, None if inline_id else on, button["callback_data"], inline_id)
            elif line.startswith(":send "):
                result = results[int(line.split()[1]) - 1]
                content = result["input_message_content"]
                params = {"text": content["message_text"], "reply_markup": result.get("reply_markup")}
                shared = Call("shared", {**params, "inline_message_id": f"shared-{result['id']}"})
            elif line.startswith(":inline"):
                await botapi.inline_query(user, line.removeprefix(":inline").strip())
            elif line.startswith(":vote "):
                polls = [c for c in botapi.calls if c.method == "sendPoll" and "_sent" in c.params]
                if not polls:
                    print("(no poll yet)")
                    continue
                chosen = [int(n) - 1 for n in line.split()[1:]]
                await botapi.answer_poll(user, polls[-1].params["_sent"]["poll"]["id"], chosen)
            elif line.startswith(":wait "):
                clock.now += timedelta(seconds=float(line.split()[1]))
            elif line.startswith(":group "):
                await botapi.send_message(user, line.removeprefix(":group "), chat=GROUP)
            else:
                await botapi.send_message(user, line)
            await settled(new)
            shown: list[dict[str, Any]] = []
            for call in new.calls + ([shared] if shared else []):
                if call.method == "answerInlineQuery":
                    results = call.params["results"]
                before = len(shown)
                show(call, shown)
                for number in range(before + 1, len(shown) + 1):
                    pressed_on[number] = call
            if shown:  # a turn with only a toast keeps the buttons before it pressable
                buttons[:] = shown
        await botapi.release_polling()
    await botapi.stop()
    await provider.stop()
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--lang", choices=["en", "ru"], default="en", help="the user's Telegram language")
    asyncio.run(console(parser.parse_args().lang))


if __name__ == "__main__":
    main()
