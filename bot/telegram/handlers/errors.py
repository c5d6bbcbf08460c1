"""The global error handler: log with the update id, apologise to the user, tell the admins (a short
traceback, secrets redacted, throttled so that a storm of errors sends a few messages), carry on."""

from __future__ import annotations

import logging
import traceback
from html import escape

from telegram import Update
from telegram.error import NetworkError, TelegramError, TimedOut

from bot.core.storage import StorageUnavailable
from bot.core.texts import default_language, text
from bot.core.throttle import BurstLog
from bot.telegram.context import BotContext
from bot.telegram.replies import send

log = logging.getLogger(__name__)
_faults = BurstLog(log)

TRACEBACK_CHARS = 3000  # the end of the traceback, where the cause is; well inside one message


async def report_error(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        if isinstance(error, NetworkError):  # TimedOut is a NetworkError
            log.warning("Telegram is unreachable (%s); retrying", error)
        else:
            log.error("error outside an update", exc_info=error)
        return
    if isinstance(error, TimedOut):
        # Telegram may well have delivered the reply and only its answer was lost: an apology (or a
        # second try) under a reply the user already has would be wrong.
        log.warning(
            "update %s: Telegram did not answer in time; the reply may have arrived", update.update_id
        )
        return
    user = update.effective_user
    lang = default_language(user.language_code if user else None)
    if isinstance(error, StorageUnavailable):
        # A write the user asked for was not stored, and nothing said it was: say so honestly.
        _faults.warning("storage", "update %s: could not save: %s", update.update_id, error)
        await _tell_user(update, context, text(lang, "save_failed"))
        return
    log.error("update %s failed", update.update_id, exc_info=error)
    await _tell_user(update, context, text(lang, "apology"))
    if error is not None:
        await tell_admins(context, f"update {update.update_id}", error)


async def _tell_user(update: Update, context: BotContext, message: str) -> None:
    """In a toast for a button press, else as a message in the chat."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(message)
        elif update.effective_message is not None and update.effective_chat is not None:
            await send(context.bot, update.effective_chat.id, message)
    except Exception:
        log.warning("could not tell the user about update %s's failure", update.update_id, exc_info=True)


async def tell_admins(context: BotContext, where: str, error: BaseException) -> None:
    """A short traceback to every admin, unless too many were sent lately."""
    data = context.bot_data
    if not data.admins:
        return
    held_back = data.error_reports.allow()
    if held_back is None:
        return
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    trace = data.redact("".join(lines))[-TRACEBACK_CHARS:]
    note = f"\n({held_back} more errors were not reported)" if held_back else ""
    body = f"⚠️ {escape(where)} failed{escape(note)}\n<pre>{escape(trace)}</pre>"
    for admin in data.admins:
        try:
            await send(context.bot, admin, body, html=True)
        except TelegramError as exc:
            log.warning("could not send the error report to admin %s: %s", admin, exc)
