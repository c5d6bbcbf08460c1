"""The global error handler: log with the update id, apologise to the user, carry on."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import NetworkError, TimedOut

from bot.texts import default_language, text

from .common import Context

log = logging.getLogger(__name__)


async def report_error(update: object, context: Context) -> None:
    error = context.error
    if not isinstance(update, Update):
        if isinstance(error, NetworkError | TimedOut):
            log.warning("Telegram is unreachable (%s); retrying", error)
        else:
            log.error("error outside an update", exc_info=error)
        return
    log.error("update %s failed", update.update_id, exc_info=error)
    user = update.effective_user
    lang = default_language(user.language_code if user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text(lang, "apology"))
        elif update.effective_message is not None and update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text(lang, "apology"))
    except Exception:
        log.warning("could not send the apology for update %s", update.update_id, exc_info=True)
