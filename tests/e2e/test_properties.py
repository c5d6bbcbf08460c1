"""Property-based: whatever a user types, presses or queries — any Unicode, combining marks, RTL,
zero-width, astral characters — the bot answers, never with an apology, and everything it sends is
within Telegram's limits and valid HTML (the test server refuses what Telegram would, and any such
refusal fails the test: see tests/conftest.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.support.botapi import BotAPIServer, Call, Since, User
from tests.support.flows import ask

SPECIAL = [
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u0301", "\u0336", "\u05d0", "\u0627",
    "𝕱𝖎𝖑𝖒", "🎬", "👩‍❤️‍👨", "<b>", "</i>", "&amp;", "&", "<", ">", '"', "'", "\\", "%s", "{0}", "{title}",
    "/", "@", "#", "\n", "\t", " ", "ё", "Ё", "ß", "İ", "ﬁ",
]  # fmt: skip
UNICODE = st.characters(codec="utf-8")  # any code point that UTF-8 can carry
TEXT = st.lists(st.one_of(st.text(UNICODE, max_size=12), st.sampled_from(SPECIAL)), max_size=20).map("".join)
USER = User(777, "Fuzz", "en")
RUSSIAN = User(778, "Фаз", "ru")


def apologies(new: Since) -> list[Call]:
    return [c for c in new.calls if "went wrong" in c.text or "сломалось" in c.text]


async def answered(botapi: BotAPIServer, user: User, text: str) -> None:
    new = botapi.since()
    await botapi.send_message(user, text)
    await new.wait_for("sendMessage", lambda c: c.chat_id == user.id)
    assert apologies(new) == []


@given(text=TEXT.filter(lambda t: t.strip() and len(t) <= 4096 and not t.startswith("/")))
async def test_any_plain_text_gets_an_answer(botapi: BotAPIServer, bot: object, text: str) -> None:
    await answered(botapi, USER, text)


@given(
    command=st.sampled_from(["/film", "/add", "/remove", "/subscribe", "/start", "/search", "/films"]),
    argument=TEXT.filter(lambda t: len(t) <= 2000),
    russian=st.booleans(),
)
async def test_any_command_argument_gets_an_answer(
    botapi: BotAPIServer, bot: object, command: str, argument: str, russian: bool
) -> None:
    await answered(botapi, RUSSIAN if russian else USER, f"{command} {argument}")


@given(query=TEXT.map(lambda t: t[:256]), russian=st.booleans())
async def test_any_inline_query_gets_an_answer(
    botapi: BotAPIServer, bot: object, query: str, russian: bool
) -> None:
    answer = await ask(botapi, RUSSIAN if russian else USER, query)
    assert "_error" not in answer.params
    assert len(answer.params["results"]) <= 50


@given(data=st.one_of(TEXT, st.sampled_from(["v1:film:", "v1:wl:add:", "v1:sub:", "v1:films:"]).flatmap(
    lambda prefix: TEXT.map(lambda t: prefix + t))))  # fmt: skip
async def test_any_callback_data_gets_a_toast(botapi: BotAPIServer, bot: object, data: str) -> None:
    data = data.encode()[:64].decode(errors="ignore") or "x"
    card = await botapi.reply_to(USER, "/film cranes are flying")
    new = botapi.since()
    await botapi.press(USER, card, data)
    await new.wait_for("answerCallbackQuery")
    assert apologies(new) == []
