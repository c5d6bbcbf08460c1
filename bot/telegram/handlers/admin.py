"""Commands for ADMIN_IDS: /stats and /reload. They are registered with filters.User(ADMIN_IDS), so
for everyone else they fall through to the ordinary unknown-command reply."""

from __future__ import annotations

from html import escape

from bot.core.catalogue.model import CatalogueError
from bot.core.films.card import MESSAGE_LIMIT
from bot.core.texts import text
from bot.telegram.context import BotContext
from bot.telegram.replies import reply

from .common import Handlers, Incoming

handlers = Handlers()


@handlers.command("reload", admins_only=True)
async def reload_catalogue(got: Incoming, context: BotContext) -> None:
    lang = got.lang
    core = context.core
    try:
        before, films = await core.reload()
    except CatalogueError as exc:
        path = escape(str(core.settings.catalogue_path))
        lines = [text(lang, "reload_failed", count=len(exc.errors), path=path)]
        for error in exc.errors:
            line = f"• {escape(error)}"
            if sum(len(x) + 1 for x in lines) + len(line) > MESSAGE_LIMIT - 10:
                lines.append("…")
                break
            lines.append(line)
        await reply(got.message, "\n".join(lines), html=True)
        return
    await reply(got.message, text(lang, "reload_done", count=films, before=before))


@handlers.command("stats", admins_only=True)
async def show_stats(got: Incoming, context: BotContext) -> None:
    lang, core = got.lang, context.core
    stats = await core.stats()
    none = text(lang, "stats_none")
    stopped = ", ".join(f"{reason}: {count}" for reason, count in stats.stopped.items()) or none
    last = none
    if stats.last_seconds is not None and stats.last_sent:
        rate = stats.last_sent / stats.last_seconds if stats.last_seconds else 0.0
        last = text(lang, "stats_last", sent=stats.last_sent, seconds=stats.last_seconds, rate=rate)
    await reply(
        got.message,
        text(
            lang,
            "stats",
            users=stats.users,
            active=stats.active,
            delivered=stats.delivered,
            waiting=stats.waiting,
            stopped=stopped,
            last=last,
        ),
        html=True,
    )
