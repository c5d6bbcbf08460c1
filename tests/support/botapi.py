"""A Bot API test server: a real HTTP server on 127.0.0.1 that speaks the Bot API's JSON shapes.

The bot under test talks to it exactly as it talks to Telegram (through BOT_API_BASE_URL). A test plays
the user: it queues updates (a message, a button press, an inline query), then reads what the bot sent.
The server checks what Telegram checks where it matters here: HTML that parses, 4096-character texts,
64-byte callback data, at most 50 unique inline results. Failures (429, 403, 5xx) can be injected.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

TOKEN = "110201543:test-token-for-the-loopback-bot"
BOT_ID = int(TOKEN.split(":")[0])
BOT_USERNAME = "soviet_film_test_bot"

# Parameters the Bot API client sends as raw strings (everything else is JSON-encoded).
_STRING_PARAMS = {
    "text",
    "parse_mode",
    "callback_query_id",
    "inline_query_id",
    "next_offset",
    "caption",
    "url",
    "inline_message_id",
    "secret_token",
    "language_code",
    "description",
    "short_description",
    "name",
    "switch_pm_text",
    "switch_pm_parameter",
}
_BUTTON_ACTIONS = {"url", "callback_data", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
                   "callback_game", "pay"}  # fmt: skip
# SwitchInlineQueryChosenChat: a button that opens no kind of chat is refused
_CHOSEN_CHAT_FIELDS = {
    "query",
    "allow_user_chats",
    "allow_bot_chats",
    "allow_group_chats",
    "allow_channel_chats",
}
_PREVIEW_FIELDS = {"is_disabled", "url", "prefer_small_media", "prefer_large_media", "show_above_text"}
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "tg-spoiler", "span", "blockquote", "tg-emoji", "tg-time"}  # fmt: skip
# <tg-time unix="…" format="…">: a date_time entity (Bot API 9.5); the format is "r" (relative) or
# an optional weekday, an optional short or long date and an optional short or long time. The
# documentation gives the shape, not Telegram's wording when it is broken: this server's refusals
# for a bad tg-time (and for options added to an anonymous poll) are worded by us.
_DATE_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")


class _HTMLCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None
        self.entities: list[dict[str, Any]] = []  # the date_time entities, as a Message carries them
        self.text_shown = ""
        self._open: list[dict[str, Any]] = []

    def _offset(self) -> int:
        return len("".join(self.text).encode("utf-16-le")) // 2  # entities count UTF-16 code units

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = self.error or f'unsupported start tag "{tag}"'
        if tag == "tg-time":
            given = dict(attrs)
            unix, shown = given.get("unix") or "", given.get("format")
            if not unix.isdigit():
                self.error = self.error or 'invalid "unix" attribute of "tg-time" tag'
            elif shown is not None and not _DATE_TIME_FORMAT.fullmatch(shown):
                self.error = self.error or 'invalid "format" attribute of "tg-time" tag'
            entity: dict[str, Any] = {
                "type": "date_time",
                "offset": self._offset(),
                "unix_time": int(unix or 0),
            }
            if shown:
                entity["date_time_format"] = shown
            self._open.append(entity)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = self.error or f'unexpected end tag "{tag}"'
        elif tag == "tg-time":
            entity = self._open.pop()
            entity["length"] = self._offset() - entity["offset"]
            if not entity["length"]:
                self.error = self.error or 'empty "tg-time" entity'
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(html: str) -> str:
    """The plain text Telegram would show; ValueError if Telegram could not parse the entities."""
    return _parsed(html).text_shown


def date_times(html: str) -> list[tuple[str, int, str | None]]:
    """The date_time entities of a message: the fallback text each covers, its Unix time and its
    format."""
    parsed = _parsed(html)
    plain = parsed.text_shown.encode("utf-16-le")
    return [
        (
            plain[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le"),
            e["unix_time"],
            e.get("date_time_format"),
        )
        for e in parsed.entities
    ]


def _parsed(html: str) -> _HTMLCheck:
    checker = _HTMLCheck()
    checker.feed(html)
    checker.close()
    if checker.error or checker.stack:
        raise ValueError(checker.error or f'unclosed tag "{checker.stack[-1]}"')
    checker.text_shown = "".join(checker.text)
    return checker


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button(self, label_part: str) -> dict[str, Any]:
        for button in self.buttons:
            if label_part in button["text"]:
                return button
        raise AssertionError(f"no button containing {label_part!r} in {[b['text'] for b in self.buttons]}")


@dataclass
class User:
    id: int
    first_name: str = "Anna"
    language_code: str | None = "en"
    username: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            data["language_code"] = self.language_code
        if self.username:
            data["username"] = self.username
        return data

    def private_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None = None
    chat_id: int | None = None


class Since:
    """The calls a test server received from one moment on (and, used as a block, until its end)."""

    def __init__(self, server: BotAPIServer, start: int):
        self._server = server
        self._start = start
        self._end: int | None = None

    @property
    def calls(self) -> list[Call]:
        return self._server.calls[self._start : self._end]

    def sent(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self, method: str, predicate: Callable[[Call], bool] = lambda call: True, timeout: float = 10.0
    ) -> Call:
        """The first such call since then, waiting for it if need be."""
        return await self._server.wait_for(method, predicate, timeout, after=self._start)

    def __enter__(self) -> Since:
        return self

    def __exit__(self, *_: object) -> None:
        self._end = len(self._server.calls)


class BotAPIServer:
    def __init__(self, token: str = TOKEN, username: str = BOT_USERNAME, rate_limit: float | None = None):
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.photos: dict[str, list[dict[str, Any]]] = {}  # a photo's sizes, by each size's file_id
        self.photo_bytes: dict[str, bytes] = {}  # what was uploaded, by the largest size's file_id
        self.uploads: list[str] = []  # the file_id of each photo uploaded, in order
        # a group's administrators: chat -> user -> "administrator" or "creator"
        self.admins: dict[int, dict[int, str]] = {}
        self._adding: dict[str, bool] = {}  # poll -> whether members may add options
        # Telegram's own clock, which a poll's close_date is checked against: a test whose bot runs
        # on a moved clock moves this one with it
        self.clock: Callable[[], float] = time.time
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._received: dict[tuple[int, int], dict[str, Any]] = {}  # the users' messages, by chat and id
        self._bot_messages: dict[tuple[int, int], dict[str, Any]] = {}  # and the bot's
        self._callback_ids = itertools.count(1)
        self._new_update = asyncio.Condition()
        self._new_call = asyncio.Condition()
        self._failures: dict[str, deque[Failure]] = {}
        self._delays: dict[str, deque[tuple[float, int | None]]] = {}
        self.listener: Callable[[Call], None] | None = None  # told of every call as it is recorded
        self.first_poll_at: float | None = None  # when the bot first asked for updates (monotonic)
        self.blocked: set[int] = set()
        self.left_chats: set[int] = set()  # groups the bot was removed from: it can send nothing there
        self.migrated: dict[int, int] = {}  # a group become a supergroup: old id -> new id
        self.deleted: set[tuple[int, int]] = set()  # the bot's, by an admin; a user's, by its author
        self.polls: dict[str, dict[str, Any]] = {}  # the polls the bot sent, by poll id
        self._files: dict[str, bytes] = {}  # what users sent, by file_path
        self._poll_ids = itertools.count(5_000_000_000)
        self._ballots: dict[str, dict[int, list[int]]] = {}  # poll id -> voter -> their options
        self.down = False
        self.rate_limit = rate_limit
        self._window: deque[float] = deque()
        self.rejected_429 = 0
        self._released = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle

    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]
        return self.base_url

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # what the user does

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    async def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: payload}
        if kind == "message":  # what a reply can quote (reply_parameters)
            self._received[(payload["chat"]["id"], payload["message_id"])] = payload
        async with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()
        return update

    async def send_message(
        self,
        user: User,
        text: str,
        chat: dict[str, Any] | None = None,
        edited: bool = False,
        topic: int | None = None,
    ) -> dict[str, Any]:
        """`user` writes `text` (by default in their private chat; `topic`: in that forum topic of
        `chat`, a supergroup with is_forum)."""
        chat = chat or user.private_chat()
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "text": text,
        }
        if topic is not None:
            message |= {"message_thread_id": topic, "is_topic_message": True}
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if edited:
            message["edit_date"] = int(time.time())
        return await self.push("edited_message" if edited else "message", message)

    async def press(
        self, user: User, call: Call | None, callback_data: str, inline_message_id: str | None = None
    ) -> str:
        """Press a button on a message the bot sent (`call`), or on an inline-sent card."""
        query: dict[str, Any] = {
            "id": str(next(self._callback_ids)),
            "from": user.as_dict(),
            "chat_instance": "1",
            "data": callback_data,
        }
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        else:
            assert call is not None
            query["message"] = call.params["_sent"]
        await self.push("callback_query", query)
        return str(query["id"])

    async def inline_query(self, user: User, query: str, offset: str = "") -> str:
        query_id = str(next(self._callback_ids))
        await self.push(
            "inline_query",
            {"id": query_id, "from": user.as_dict(), "query": query, "offset": offset, "chat_type": "sender"},
        )
        return query_id

    async def chat_member(self, user: User, old: str, new: str) -> None:
        """The user blocks ("kicked") or unblocks ("member") the bot in their private chat."""
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": self.username}

        def member(status: str) -> dict[str, Any]:
            return {"user": bot, "status": status, **({"until_date": 0} if status == "kicked" else {})}

        await self.push(
            "my_chat_member",
            {
                "chat": user.private_chat(),
                "from": user.as_dict(),
                "date": int(time.time()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # what the bot did

    def since(self) -> Since:
        """The calls the bot makes from now on: `new = botapi.since()`, then act, then
        `await new.wait_for(...)` or `new.calls`. As a block (`with botapi.since() as new:`), only
        the calls made inside it."""
        return Since(self, len(self.calls))

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if (method is None or c.method == method) and (chat_id is None or c.chat_id == chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda call: True,
        timeout: float = 10.0,
        after: int = 0,
    ) -> Call:
        """The first call to `method` (from index `after` on) matching `predicate`, waiting if need be."""
        deadline = time.monotonic() + timeout
        async with self._new_call:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.params.get("text", "")[:60]) for c in self.calls[after:]]
                    raise AssertionError(f"no {method} call within {timeout}s; calls: {seen}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_call.wait(), remaining)

    async def reply_to(
        self, user: User, text: str, method: str = "sendMessage", timeout: float = 10.0
    ) -> Call:
        """Send `text` as `user` and return the bot's next `method` call to that chat."""
        new = self.since()
        await self.send_message(user, text)
        return await new.wait_for(method, lambda c: c.chat_id == user.id, timeout)

    def delay(self, method: str, seconds: float, chat_id: int | None = None, times: int = 1) -> None:
        """Carry out the next `method` call(s) at once (the message arrives), but send the response
        only after `seconds`: what the bot sees when Telegram's answer is lost or late."""
        self._delays.setdefault(method, deque()).extend([(seconds, chat_id)] * times)

    def refused_as_invalid(self) -> list[Call]:
        """Calls this server refused because Telegram would: HTML it cannot parse, a text over 4096
        characters, bad callback data, too many inline results. Every test must end with none."""
        return [
            c
            for c in self.calls
            if "_error" in c.params and "Bad Request" in str(c.params["_error"]) and "_state" not in c.params
        ]

    def fail(self, method: str, failure: Failure, times: int = 1) -> None:
        self._failures.setdefault(method, deque()).extend([failure] * times)

    # HTTP

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        form = await request.post() if request.can_read_body else request.query
        params: dict[str, Any] = dict(request.query)
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {"filename": value.filename, "content": value.file.read()}
            elif key in _STRING_PARAMS:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except (TypeError, ValueError):
                    params[key] = value
        return params

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        """A file download, as https://api.telegram.org/file/bot<token>/<file_path> serves it."""
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        content = self._files.get(request.match_info["path"])
        if content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")

    async def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        """A file a user sent: its path for the download (files over 20 MB the Bot API does not serve)."""
        file_id = str(params.get("file_id", ""))
        path = f"documents/{file_id}"
        if path not in self._files:
            raise _APIError(400, "Bad Request: invalid file_id")
        size = len(self._files[path])
        if size > 20 * 2**20:
            raise _APIError(400, "Bad Request: file is too big", by_state=True)
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size, "file_path": path}

    async def send_document(
        self, user: User, filename: str, content: bytes, declared_size: int | None = None
    ) -> dict[str, Any]:
        """`user` sends a file in their private chat (`declared_size`: what Telegram reports, if the
        test wants it to differ from the bytes it serves)."""
        file_id = f"doc{next(self._callback_ids)}"
        self._files[f"documents/{file_id}"] = content
        chat = user.private_chat()
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": filename,
                "mime_type": "application/zip" if filename.endswith(".zip") else "text/csv",
                "file_size": len(content) if declared_size is None else declared_size,
            },
        }
        return await self.push("message", message)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self.down:
            return web.Response(status=502, text="Bad Gateway")
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "Bad Request: invalid parameters")
        method_key = method.lower()
        handler = getattr(self, f"_api_{method_key}", None)
        if method_key not in ("getupdates",):
            failure = self._take_failure(method, params)
            if failure is not None:
                self._record(method, params)
                return _error(failure.status, failure.description, failure.retry_after)
            paid = params.get("allow_paid_broadcast") is True  # up to 1000 a second, for Stars
            if (
                self.rate_limit
                and method_key in ("sendmessage", "senddocument")
                and not paid
                and self._over_rate()
            ):
                self.rejected_429 += 1
                self._record(method, {**params, "_rejected": 429})
                return _error(429, "Too Many Requests: retry after 1", 1)
            chat_id = params.get("chat_id")
            if chat_id is not None and _as_int(chat_id) in self.blocked and method_key.startswith("send"):
                self._record(method, params)
                return _error(403, "Forbidden: bot was blocked by the user")
            if chat_id is not None and _as_int(chat_id) in self.left_chats:
                self._record(method, params)
                return _error(403, "Forbidden: bot was kicked from the supergroup chat")
            if chat_id is not None and _as_int(chat_id) in self.migrated:
                self._record(method, params)
                moved = {"migrate_to_chat_id": self.migrated[_as_int(chat_id)]}
                return _error(
                    400, "Bad Request: group chat was upgraded to a supergroup chat", parameters=moved
                )
        try:
            result = await handler(params) if handler else True
        except _APIError as exc:
            self._record(
                method, {**params, "_error": exc.description, **({"_state": True} if exc.by_state else {})}
            )
            return _error(exc.status, exc.description)
        if method_key != "getupdates":
            if isinstance(result, dict):
                params["_sent"] = result
            self._record(method, params)
            delays = self._delays.get(method)
            if delays and (delays[0][1] is None or delays[0][1] == _as_int(params.get("chat_id"))):
                await asyncio.sleep(delays.popleft()[0])
        return web.json_response({"ok": True, "result": result})

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        if failure.chat_id is not None and _as_int(params.get("chat_id")) != failure.chat_id:
            return None
        return queue.popleft()

    def _over_rate(self) -> bool:
        assert self.rate_limit
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= self.rate_limit:
            return True
        self._window.append(now)
        return False

    def _record(self, method: str, params: dict[str, Any]) -> None:
        call = Call(method, params)
        self.calls.append(call)
        if self.listener is not None:
            self.listener(call)

        async def notify() -> None:
            async with self._new_call:
                self._new_call.notify_all()

        asyncio.get_running_loop().create_task(notify())

    # Bot API methods

    def _me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Soviet Film Bot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._me()

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        if not str(params.get("url", "")).startswith("https://"):
            raise _APIError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _APIError(400, "Bad Request: secret token contains unallowed characters")
        return True

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.first_poll_at is None:
            self.first_poll_at = time.monotonic()
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        async with self._new_update:
            while True:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
                if self._updates or self._released or time.monotonic() >= deadline:
                    return list(itertools.islice(self._updates, limit))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())

    async def release_polling(self) -> None:
        """Answer long polls at once from now on, so a bot under test stops without waiting."""
        async with self._new_update:
            self._released = True
            self._new_update.notify_all()

    def resume_long_polling(self) -> None:
        """After release_polling: hold long polls again (for a bot started anew)."""
        self._released = False

    def pending_updates(self) -> int:
        return len(self._updates)

    def _message(self, chat_id: Any, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _as_int(chat_id)
        text = str(params.get("text", params.get("caption", "")))
        plain = self._check_text(text, params)
        self._check_markup(params.get("reply_markup"))
        self._check_preview(params)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self._me(),
        }
        if plain:
            message["text"] = plain
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id") is not None:  # in a forum topic
            message |= {"message_thread_id": _as_int(params["message_thread_id"]), "is_topic_message": True}
        replied = self._replied_to(chat_id, params)
        if replied is not None:
            message["reply_to_message"] = replied
        self._bot_messages[(chat_id, message["message_id"])] = message
        return message

    def _replied_to(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any] | None:
        """The message a reply quotes (the Bot API's ReplyParameters): a user's message this server
        delivered in that chat, or one the bot sent there; one it never saw is refused unless
        allow_sending_without_reply."""
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        where = _as_int(reply.get("chat_id", chat_id))
        key = (where, _as_int(reply["message_id"]))
        found = None if key in self.deleted else self._received.get(key) or self._bot_messages.get(key)
        if found is None and not reply.get("allow_sending_without_reply"):
            raise _APIError(400, "Bad Request: message to be replied not found")
        return found

    def _check_text(self, text: str, params: dict[str, Any]) -> str:
        plain = text
        if params.get("parse_mode") == "HTML":
            try:
                plain = parse_html(text)
            except ValueError as exc:
                raise _APIError(400, f"Bad Request: can't parse entities: {exc}") from None
        if len(plain) > 4096:
            raise _APIError(400, "Bad Request: message is too long")
        return plain

    def _check_markup(self, markup: Any) -> None:
        """An InlineKeyboardMarkup as the Bot API takes it: each button a label and exactly one
        action; callback data of 1-64 bytes; a url button's address http(s) or tg."""
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                actions = set(button) & _BUTTON_ACTIONS
                if not str(button.get("text", "")).strip() or len(actions) != 1:
                    raise _APIError(400, "Bad Request: BUTTON_TYPE_INVALID")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _APIError(400, "Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
                    raise _APIError(400, "Bad Request: BUTTON_URL_INVALID")
                chosen = button.get("switch_inline_query_chosen_chat")
                if chosen is not None and (
                    not isinstance(chosen, dict)
                    or set(chosen) - _CHOSEN_CHAT_FIELDS
                    or not any(chosen.get(k) for k in _CHOSEN_CHAT_FIELDS - {"query"})
                ):
                    raise _APIError(400, "Bad Request: BUTTON_TYPE_INVALID")

    @staticmethod
    def _check_preview(params: dict[str, Any]) -> None:
        """LinkPreviewOptions: only its documented fields, each of its type."""
        options = params.get("link_preview_options")
        if options is None:
            return
        if not isinstance(options, dict) or set(options) - _PREVIEW_FIELDS:
            raise _APIError(400, "Bad Request: can't parse link preview options")
        if any(not isinstance(options[k], bool) for k in options if k != "url"):
            raise _APIError(400, "Bad Request: can't parse link preview options")

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if not str(params.get("text", "")).strip():
            raise _APIError(400, "Bad Request: message text is empty")
        return self._message(params["chat_id"], params)

    async def _api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params["chat_id"], params)
        document = params.get("document")
        message["document"] = {
            "file_id": "doc",
            "file_unique_id": "doc",
            "file_name": document.get("filename") if isinstance(document, dict) else "file",
        }
        return message

    async def _api_getchatmember(self, params: dict[str, Any]) -> dict[str, Any]:
        """A member of a group, as ChatMember's documented shapes have it: its creator, an
        administrator (with every right of ChatMemberAdministrator listed) or a plain member."""
        chat_id, user_id = _as_int(params.get("chat_id")), _as_int(params.get("user_id"))
        if chat_id > 0 and chat_id != user_id:
            raise _APIError(400, "Bad Request: member not found")
        user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        status = self.admins.get(chat_id, {}).get(user_id, "member")
        if status == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        if status == "administrator":
            rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                      "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
                      "can_post_stories", "can_edit_stories", "can_delete_stories")  # fmt: skip
            return {"status": "administrator", "user": user, "can_be_edited": False, "is_anonymous": False,
                    **dict.fromkeys(rights, True)}  # fmt: skip
        return {"status": "member", "user": user}

    async def _api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        """A photo, as the Bot API takes one: a new upload (multipart; an image of at most 10 MB,
        sides summing to at most 10000 and a ratio of at most 20) or the file_id of one Telegram
        already has; a caption of at most 1024 characters. Telegram keeps the upload in several
        sizes, the largest (the last) the photo itself; an upload's sizes are kept for reuse."""
        caption = str(params.get("caption", ""))
        if len(self._check_text(caption, params)) > 1024:
            raise _APIError(400, "Bad Request: message caption is too long")
        photo = params.get("photo")
        if isinstance(photo, dict):  # an upload
            sizes = self._photo_sizes(photo["content"])
            self.uploads.append(sizes[-1]["file_id"])
        elif isinstance(photo, str) and photo in self.photos:
            sizes = self.photos[photo]
        else:  # a file_id this server never gave, or forgot (a test's `photos.clear()`)
            raise _APIError(400, "Bad Request: wrong file identifier/HTTP URL specified", by_state=True)
        message = self._message(params["chat_id"], {**params, "text": ""})
        message["photo"] = sizes
        if caption:
            message["caption"] = self._check_text(caption, params)
        return message

    def _photo_sizes(self, content: bytes) -> list[dict[str, Any]]:
        from PIL import Image, UnidentifiedImageError

        if len(content) > 10 * 2**20:
            raise _APIError(400, "Bad Request: file is too big")
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise _APIError(400, "Bad Request: IMAGE_PROCESS_FAILED") from None
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise _APIError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        number = next(self._callback_ids)
        sizes: list[dict[str, Any]] = []
        for side in (90, 320, 800, 1280):  # the thumbnails Telegram makes, and the photo (at most 1280)
            scale = min(1.0, side / max(width, height))
            sizes.append(
                {
                    "file_id": f"AgACAgIAAx{number}-{side}",
                    "file_unique_id": f"AQAD{number}-{side}",
                    "width": round(width * scale),
                    "height": round(height * scale),
                    "file_size": len(content) if scale == 1.0 else len(content) * side // 1280,
                }
            )
            if scale == 1.0:
                break
        for size in sizes:  # any of its sizes' file_ids sends the photo again
            self.photos[size["file_id"]] = sizes
        self.photo_bytes[sizes[-1]["file_id"]] = content
        return sizes

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        self._check_text(str(params.get("text", "")), params)
        self._check_markup(params.get("reply_markup"))
        self._check_preview(params)
        if "inline_message_id" in params:
            return True
        chat_id = _as_int(params["chat_id"])
        if (chat_id, _as_int(params["message_id"])) in self.deleted:
            raise _APIError(400, "Bad Request: message to edit not found", by_state=True)
        message = {
            "message_id": _as_int(params["message_id"]),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": self._me(),
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        original = self._bot_messages.get((message["chat"]["id"], message["message_id"]), {})
        if "reply_to_message" in original:  # an edited message still quotes what it answered
            message["reply_to_message"] = original["reply_to_message"]
        return message

    async def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        self._check_markup(params.get("reply_markup"))
        if "inline_message_id" in params:
            return True
        return {
            "message_id": _as_int(params["message_id"]),
            "date": int(time.time()),
            "chat": {"id": _as_int(params["chat_id"]), "type": "private"},
            "from": self._me(),
            "reply_markup": params.get("reply_markup"),
        }

    async def _api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if len(results) > 50:
            raise _APIError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if len(set(ids)) != len(ids):
            raise _APIError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            if result.get("type") == "photo" and "photo_file_id" in result:  # InlineQueryResultCachedPhoto
                if result["photo_file_id"] not in self.photos:
                    raise _APIError(400, "Bad Request: wrong file identifier/HTTP URL specified")
                if len(self._check_text(str(result.get("caption", "")), result)) > 1024:
                    raise _APIError(400, "Bad Request: message caption is too long")
            content = result.get("input_message_content") or {}
            self._check_text(str(content.get("message_text", "")), content)
            self._check_preview(content)
            self._check_markup(result.get("reply_markup"))
        return True

    async def _api_getmycommands(self, params: dict[str, Any]) -> list[Any]:
        return []

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        """A toast, or (url) a link the client opens: for a bot, only t.me links to itself."""
        url = params.get("url")
        if url is not None and not str(url).startswith(f"https://t.me/{self.username}?start="):
            raise _APIError(400, "Bad Request: URL_INVALID")
        if len(str(params.get("text") or "")) > 200:
            raise _APIError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    # polls

    async def _api_sendpoll(self, params: dict[str, Any]) -> dict[str, Any]:
        """A regular poll, as the Bot API (10.0, as python-telegram-bot 22.8 speaks it) has it: a
        question of 1-300 characters, 2-12 options of 1-100 characters each, close_date 5 s to
        about a month ahead (not with open_period); options with persistent ids."""
        question = str(params.get("question", ""))
        options = [o.get("text", "") if isinstance(o, dict) else str(o) for o in params.get("options") or []]
        if not 1 <= len(question) <= 300:
            raise _APIError(400, "Bad Request: poll question length must not exceed 300")
        if not 2 <= len(options) <= 12:
            raise _APIError(400, "Bad Request: poll must have at least 2 option" if len(options) < 2
                            else "Bad Request: poll can't have more than 12 options")  # fmt: skip
        if any(not 1 <= len(o) <= 100 for o in options):
            raise _APIError(400, "Bad Request: poll options length must not exceed 100")
        if params.get("close_date") is not None:
            if params.get("open_period") is not None:
                raise _APIError(400, "Bad Request: can't use open_period and close_date together")
            ahead = _as_int(params["close_date"]) - self.clock()
            if not 4 <= ahead <= 2_628_000:  # a second of slack for the trip here
                raise _APIError(400, "Bad Request: wrong poll close_date specified")
        quiz = params.get("type") == "quiz"
        if params.get("type") not in (None, "quiz", "regular"):
            raise _APIError(400, "Bad Request: wrong poll type specified")
        correct = params.get("correct_option_ids")
        if correct is None and params.get("correct_option_id") is not None:  # before Bot API 9.6
            correct = [params["correct_option_id"]]
        explanation = str(params.get("explanation") or "")
        if quiz:
            correct = [
                _as_int(n) for n in (json.loads(correct) if isinstance(correct, str) else correct or [])
            ]
            if (
                not correct
                or correct != sorted(set(correct))
                or not all(0 <= n < len(options) for n in correct)
            ):
                raise _APIError(400, "Bad Request: wrong correct option ID specified")
            if len(explanation) > 200 or explanation.count("\n") > 2:
                raise _APIError(400, "Bad Request: poll explanation is too long")
        elif correct is not None or explanation:
            raise _APIError(400, "Bad Request: correct options and an explanation are for quiz polls only")
        adding = bool(params.get("allow_adding_options"))
        if adding and (quiz or params.get("is_anonymous", True) is not False):
            raise _APIError(400, "Bad Request: options can be added only to non-anonymous regular polls")
        description = str(params.get("description") or "")
        if len(description) > 1024:
            raise _APIError(400, "Bad Request: poll description is too long")
        self._check_markup(params.get("reply_markup"))
        poll_id = str(next(self._poll_ids))
        poll: dict[str, Any] = {
            "id": poll_id,
            "question": question,
            "options": [
                {"persistent_id": f"{poll_id}-{n}", "text": o, "voter_count": 0}
                for n, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True) is not False,
            "type": "quiz" if quiz else "regular",
            "allows_multiple_answers": bool(params.get("allows_multiple_answers")) and not quiz,
            # a quiz takes one answer per user: it cannot be changed or taken back
            "allows_revoting": params.get("allows_revoting", True) is not False and not quiz,
            "members_only": bool(params.get("members_only")),
        }
        if quiz:  # the bot that sent it sees the right answers and the explanation
            poll["correct_option_ids"] = correct
            if explanation:
                poll["explanation"] = explanation
        if params.get("close_date") is not None:
            poll["close_date"] = _as_int(params["close_date"])
        if description:
            poll["description"] = description
        self.polls[poll_id] = poll
        self._adding[poll_id] = adding
        self._ballots[poll_id] = {}
        message = self._message(params["chat_id"], {"reply_markup": params.get("reply_markup")})
        message["poll"] = poll
        return message

    async def _api_stoppoll(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (_as_int(params.get("chat_id")), _as_int(params.get("message_id")))
        message = self._bot_messages.get(key)
        if key in self.deleted or message is None or "poll" not in message:
            raise _APIError(400, "Bad Request: message to stop not found", by_state=True)
        poll = self.polls[message["poll"]["id"]]
        if poll["is_closed"]:
            raise _APIError(400, "Bad Request: poll has already been closed", by_state=True)
        poll["is_closed"] = True
        return poll

    async def answer_poll(self, user: User, poll_id: str, option_ids: list[int]) -> None:
        """`user` votes in a non-anonymous poll (an empty list takes the vote back): the bot gets a
        poll_answer update, as the Bot API sends for non-anonymous polls."""
        poll = self.polls[poll_id]
        assert not poll["is_anonymous"] and not poll["is_closed"], "only open, public polls report answers"
        if not poll["allows_revoting"] and self._ballots[poll_id].get(user.id):
            return  # a quiz's (or a no-revote poll's) answer is final: the client does not offer another
        self._ballots[poll_id][user.id] = list(option_ids)
        for number, option in enumerate(poll["options"]):
            option["voter_count"] = sum(number in b for b in self._ballots[poll_id].values())
        poll["total_voter_count"] = sum(bool(b) for b in self._ballots[poll_id].values())
        persistent = [poll["options"][n]["persistent_id"] for n in option_ids]
        answer = {"poll_id": poll_id, "user": user.as_dict(), "option_ids": list(option_ids)}
        await self.push("poll_answer", {**answer, "option_persistent_ids": persistent})

    async def add_poll_option(self, user: User, poll_id: str, option: str) -> str:
        """`user` adds an option to a poll that allows it (Bot API 9.6): the poll, sent by the bot,
        changes (a `poll` update, the option carrying who added it and when) and the chat gets a
        poll_option_added service message. The new option's persistent id."""
        poll = self.polls[poll_id]
        assert self._adding.get(poll_id) and not poll["is_closed"], "the client offers no way to add one"
        assert 1 <= len(option) <= 100 and len(poll["options"]) < 12, "the client refuses such an option"
        persistent = f"{poll_id}-{len(poll['options'])}"
        added = {
            "persistent_id": persistent,
            "text": option,
            "voter_count": 0,
            "added_by_user": user.as_dict(),
            "addition_date": int(time.time()),
        }
        poll["options"].append(added)
        chat_id = next(
            chat
            for (chat, _), sent in self._bot_messages.items()
            if sent.get("poll", {}).get("id") == poll_id
        )
        await self.push("poll", poll)
        chat = {"id": chat_id, "type": "supergroup" if chat_id < 0 else "private", "title": "Group"}
        service = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "poll_option_added": {"option_persistent_id": persistent, "option_text": option},
        }
        await self.push("message", service)
        return persistent

    # what happens to a group

    def delete_message(self, chat_id: int, message_id: int) -> None:
        """An admin deletes one of the bot's messages, or a user one of theirs."""
        self.deleted.add((chat_id, message_id))

    async def migrate_group(self, chat: dict[str, Any], new_id: int) -> dict[str, Any]:
        """The group becomes a supergroup: a service message in the old chat names the new id, and
        sending to the old id fails with migrate_to_chat_id from then on."""
        self.migrated[chat["id"]] = new_id
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": 1, "is_bot": False, "first_name": "Admin"},
            "migrate_to_chat_id": new_id,
        }
        await self.push("message", message)
        return {**chat, "id": new_id, "type": "supergroup"}

    async def remove_bot(self, chat: dict[str, Any], by: User) -> None:
        """An admin removes the bot from the group: a my_chat_member update, and nothing more gets
        through to that chat."""
        self.left_chats.add(chat["id"])
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": self.username}
        await self.push(
            "my_chat_member",
            {
                "chat": chat,
                "from": by.as_dict(),
                "date": int(time.time()),
                "old_chat_member": {"user": bot, "status": "member"},
                "new_chat_member": {"user": bot, "status": "kicked", "until_date": 0},
            },
        )

    async def send_via_bot(self, user: User, chat: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
        """`user` picks an inline result: its message appears in `chat`, sent via the bot."""
        content = result["input_message_content"]
        message = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "text": parse_html(content["message_text"])
            if content.get("parse_mode") == "HTML"
            else content["message_text"],
            "via_bot": {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": self.username},
        }
        if result.get("reply_markup"):
            message["reply_markup"] = result["reply_markup"]
        return await self.push("message", message)


class _APIError(Exception):
    """A refusal; `by_state` when it comes from the chat's state (a message an admin deleted, a poll
    closed already), which a correct bot meets too, rather than from an invalid request."""

    def __init__(self, status: int, description: str, by_state: bool = False):
        super().__init__(description)
        self.status = status
        self.description = description
        self.by_state = by_state


def _as_int(value: Any) -> int:
    return int(value) if value is not None else 0


def _error(
    status: int, description: str, retry_after: int | None = None, parameters: dict[str, Any] | None = None
) -> web.Response:
    """The Bot API's error object: ResponseParameters carry retry_after or migrate_to_chat_id."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
