"""The core's sending ports for PTB (the daily delivery's Sender, movie night's Announcer): the one
place that sorts Telegram's errors into outcomes."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.core.films.card import Card, CardKind
from bot.core.movienight.service import Moved
from bot.core.pictures.service import Pictures
from bot.core.subscriptions.delivery import Outcome, SlowDown
from bot.core.texts import text
from bot.telegram.callbacks import button
from bot.telegram.handlers.card import OpenFilm, card_keyboard
from bot.telegram.handlers.pictures import fits_caption, picture_caption, send_picture
from bot.telegram.metrics import Figures
from bot.telegram.replies import send

log = logging.getLogger(__name__)


def retry_after_seconds(exc: RetryAfter) -> float:
    delay: timedelta | float = exc.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


class TelegramSender:
    def __init__(
        self, bot: Bot, pictures: Pictures | None = None, paid: bool = False, metrics: Figures | None = None
    ):
        self._bot = bot
        self._pictures = pictures
        self._metrics = metrics
        self._paid = paid  # daily films with allow_paid_broadcast (PAID_BROADCAST)

    async def send_card(self, chat_id: int, card: Card, picture: bool = False) -> Outcome | SlowDown:
        """The card as text, or (`picture`, for a subscriber who asked) as the film's picture with the
        card as its caption when it fits one, else the card's first lines and 📝 The whole card."""
        outcome = await self._send_card(chat_id, card, picture)
        if self._metrics is not None:
            self._metrics.daily_film("slowed_down" if isinstance(outcome, SlowDown) else outcome.value)
        return outcome

    async def _send_card(self, chat_id: int, card: Card, picture: bool) -> Outcome | SlowDown:
        try:
            if picture and self._pictures is not None:
                await self._send_picture(chat_id, card, self._pictures)
            else:
                keyboard = card_keyboard(card.buttons)
                await send(
                    self._bot,
                    chat_id,
                    card.html,
                    html=True,
                    keyboard=keyboard,
                    preview=False,
                    paid=self._paid,
                )
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

    async def _send_picture(self, chat_id: int, card: Card, pictures: Pictures) -> None:
        keyboard = card_keyboard(replace(card.buttons, kind=CardKind.DAILY_PICTURE))
        if fits_caption(card.html):
            caption = card.html
        else:
            caption = picture_caption(card.film, card.language)
            whole = button(text(card.language, "button_full_card"), OpenFilm(card.film.id))
            keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, [whole]])
        picture = await pictures.card(card.film, card.language)
        await send_picture(self._bot, pictures, chat_id, picture, caption, keyboard, paid=self._paid)

    async def stop_poll(self, chat_id: int, message_id: int) -> bool:
        try:
            await self._bot.stop_poll(chat_id, message_id)
        except Forbidden:
            return False
        except TelegramError as exc:  # deleted by an admin, closed already, migrated: the votes are here
            log.info("the poll %s in chat %s was not stopped: %s", message_id, chat_id, exc)
        return True

    async def announce(self, chat_id: int, card: Card, quoting: int | None) -> bool | Moved:
        try:
            await send(
                self._bot,
                chat_id,
                card.html,
                html=True,
                keyboard=card_keyboard(card.buttons),
                preview=False,
                quoting=quoting,
            )
        except ChatMigrated as exc:
            return Moved(exc.new_chat_id)
        except TelegramError as exc:
            log.warning("the winner was not announced in chat %s: %s", chat_id, exc)
            return False
        return True
