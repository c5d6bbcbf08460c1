"""Commands for ADMIN_IDS: /reload. (Everyone else gets the ordinary unknown-command reply.)"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatType

from bot.catalogue import CatalogueError
from bot.texts import text
from bot.texts.cards import MESSAGE_LIMIT

from .common import Context, language, services


async def is_admin(update: Update, context: Context) -> bool:
    """True for ADMIN_IDS; for anyone else, answers like an unknown command and returns False."""
    user, message = update.effective_user, update.effective_message
    if user is not None and user.id in services(context).settings.admin_ids:
        return True
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await message.reply_text(text(await language(update, context), "unknown_command"))
    return False


async def reload_catalogue(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not await is_admin(update, context):
        return
    lang = await language(update, context)
    core = services(context)
    try:
        old, new = await core.reload()
    except CatalogueError as exc:
        lines = [
            text(lang, "reload_failed", count=len(exc.errors), path=escape(str(core.settings.catalogue_path)))
        ]
        for error in exc.errors:
            line = f"• {escape(error)}"
            if sum(len(x) + 1 for x in lines) + len(line) > MESSAGE_LIMIT - 10:
                lines.append("…")
                break
            lines.append(line)
        await message.reply_html("\n".join(lines))
        return
    films, before = len(new.catalogue.visible), len(old.catalogue.visible)
    await message.reply_text(text(lang, "reload_done", films=films, before=before))
