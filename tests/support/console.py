"""Talk to the bot by hand, as a user would, through the loopback Bot API test server.

    .venv/bin/python -m tests.support.console            # an English-speaking user
    .venv/bin/python -m tests.support.console --lang ru  # a Russian-speaking one

Type what a person would type. Lines that start with a colon are for the console itself:
    :press N         press button N (as numbered) of the bot's last message
    :inline TEXT     type `@bot TEXT` in some chat and list the results
    :group TEXT      say TEXT in a group chat with the bot
    :quit
Everything the bot does in reply is printed: messages (with their buttons, numbered), edits,
toasts, documents and inline answers.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.telegram.app import running
from tests.support.botapi import TOKEN, BotAPIServer, Call, User

ROOT = Path(__file__).resolve().parents[2]
GROUP: dict[str, Any] = {"id": -777, "type": "group", "title": "Film club"}


def plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def show(call: Call, buttons: list[dict[str, Any]]) -> None:
    where = " (group)" if call.chat_id == GROUP["id"] else ""
    if call.method in ("sendMessage", "editMessageText"):
        label = "bot" if call.method == "sendMessage" else "bot (edits)"
        print(f"{label}{where}: " + plain(call.text).replace("\n", "\n     "))
    elif call.method == "editMessageReplyMarkup":
        print("bot (new buttons)")
    elif call.method == "answerCallbackQuery":
        print(f"toast: {call.params.get('text') or '(none)'}")
    elif call.method == "sendDocument":
        print(f"bot sends a file: {call.params.get('document', {}).get('filename')}")
    elif call.method == "answerInlineQuery":
        for number, result in enumerate(call.params["results"][:10], 1):
            print(f"  {number}. {result['title']} — {result.get('description', '')}")
        return
    else:
        return
    for button in call.buttons:
        buttons.append(button)
        print(f"  [{len(buttons)}] {button['text']}")


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
        heartbeat_path=folder / "heartbeat",
        _env_file=None,
    )
    user = User(1001, "Anna" if language == "en" else "Анна", language)
    buttons: list[dict[str, Any]] = []
    pressed_on: dict[int, Call] = {}
    async with running(settings):
        while True:
            try:
                line = (await asyncio.to_thread(input, "you: ")).strip()
            except EOFError:
                break
            if line == ":quit":
                break
            mark = len(botapi.calls)
            if line.startswith(":press "):
                number = int(line.split()[1])
                await botapi.press(user, pressed_on[number], buttons[number - 1]["callback_data"])
            elif line.startswith(":inline"):
                await botapi.inline_query(user, line.removeprefix(":inline").strip())
            elif line.startswith(":group "):
                await botapi.send_message(user, line.removeprefix(":group "), chat=GROUP)
            else:
                await botapi.send_message(user, line)
            await asyncio.sleep(0.5)
            buttons.clear()
            for call in botapi.calls[mark:]:
                before = len(buttons)
                show(call, buttons)
                for number in range(before + 1, len(buttons) + 1):
                    pressed_on[number] = call
        await botapi.release_polling()
    await botapi.stop()
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--lang", choices=["en", "ru"], default="en", help="the user's Telegram language")
    asyncio.run(console(parser.parse_args().lang))


if __name__ == "__main__":
    main()
