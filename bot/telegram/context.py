"""The typed context every handler receives (as in PTB's examples/contexttypesbot.py): the core's
services as an attribute, not a string key in bot_data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot
from telegram.request import BaseRequest

from bot.core.services import Core
from bot.core.throttle import Throttle
from bot.heartbeat import Heartbeat
from bot.telegram.metrics import Figures


class BotData:
    """What the application keeps for the whole bot: the core, set by the composition root."""

    def __init__(self) -> None:
        self.core: Core | None = None
        self.admins: frozenset[int] = frozenset()
        self.redact: Callable[[str], str] = str  # removes the token and other secrets from a text
        self.error_reports = Throttle(burst=3, window=600.0)  # tracebacks to the admins
        self.heartbeat: Heartbeat | None = None
        # the HTTP clients to Telegram, closed on the way out even when the bot never reached it
        self.requests: tuple[BaseRequest, ...] = ()
        self.metrics: Figures = Figures()  # a Metrics, served on METRICS_PORT, when it is set


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def core(self) -> Core:
        core = self.bot_data.core
        assert core is not None, "the composition root sets the core before the bot starts"
        return core


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)

BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, None]
