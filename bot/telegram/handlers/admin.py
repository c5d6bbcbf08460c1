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
    stats = await context.core.stats()
    await reply(got.message, stats.describe(got.lang), html=True)
