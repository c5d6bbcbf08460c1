"""The delivery port's PTB implementation: the one place that sorts Telegram's errors into outcomes."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.core.subscriptions.delivery import CardButtons, Outcome, SlowDown
from bot.telegram.keyboards import card_keyboard, daily_card_keyboard
from bot.telegram.replies import send

log = logging.getLogger(__name__)


def retry_after_seconds(exc: RetryAfter) -> float:
    delay: timedelta | float = exc.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


class TelegramSender:
    def __init__(self, bot: Bot):
        self._bot = bot

    async def send_card(self, chat_id: int, html: str, buttons: CardButtons) -> Outcome | SlowDown:
        try:
            keyboard = (daily_card_keyboard if buttons.settings else card_keyboard)(
                buttons.film, buttons.language, buttons.entry, buttons.watch
            )
            await send(self._bot, chat_id, html, html=True, keyboard=keyboard, preview=False)
        except RetryAfter as exc:
            return SlowDown(retry_after_seconds(exc))
        except Forbidden:
            return Outcome.BLOCKED
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return Outcome.CHAT_GONE
            log.error("daily film for chat %s refused: %s", chat_id, exc)
            return Outcome.REFUSED
        except NetworkError as exc:  # TimedOut is a NetworkError
            log.debug("daily film for chat %s: %s", chat_id, exc)
            return Outcome.UNREACHABLE
        return Outcome.SENT
