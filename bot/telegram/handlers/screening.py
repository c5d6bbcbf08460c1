"""A movie night's screening on Telegram (the rules: bot/core/movienight/screening.py): the reminder
before the moment, and at the moment one message — ✋ Ready, ▶ Start (the starter's), then a
countdown and "Play now", and ⏱ Where are we? for whoever arrives late. At most two messages from
the bot per screening; everything else is an edit of the second or a toast."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from html import escape

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError

from bot.core.films.card import titles
from bot.core.movienight.screening import COUNTDOWN, DueStep, Screening, Step, clock_text
from bot.core.movienight.texts import deadline_text
from bot.core.services import Core
from bot.core.subscriptions.schedule import parse_zone
from bot.core.texts import text
from bot.telegram.callbacks import Payload, RowId, button
from bot.telegram.context import BotContext
from bot.telegram.replies import edit_message

from .card import watch_rows
from .common import Handlers, Press

log = logging.getLogger(__name__)

handlers = Handlers()


@dataclass(frozen=True)
class Ready(Payload, action="mnr"):
    """✋ Ready, on a screening's start message."""

    round_id: RowId


@dataclass(frozen=True)
class StartFilm(Payload, action="mns"):
    """▶ Start, the starter's, on a screening's start message: the countdown, then play."""

    round_id: RowId


@dataclass(frozen=True)
class WhereAreWe(Payload, action="mnw2"):
    """⏱ Where are we?: how far into the film the group is (a toast)."""

    round_id: RowId


def _title(core: Core, screening: Screening) -> str:
    film = core.films.get(screening.film_id)
    return escape(titles(film, screening.language)[0]) if film else "?"


def _late(step: DueStep) -> str:
    return text(step.screening.language, "mn_late") if step.late else ""


def start_keyboard(screening: Screening, started: bool) -> InlineKeyboardMarkup:
    lang, round_id = screening.language, screening.round_id
    if started:
        return InlineKeyboardMarkup([[button(text(lang, "button_where"), WhereAreWe(round_id))]])
    return InlineKeyboardMarkup(
        [
            [
                button(text(lang, "button_ready"), Ready(round_id)),
                button(text(lang, "button_start_film"), StartFilm(round_id)),
            ],
            [button(text(lang, "button_where"), WhereAreWe(round_id))],
        ]
    )


def start_text(core: Core, screening: Screening, ready: list[str], late: str = "") -> str:
    lang = screening.language
    names = ", ".join(escape(n) for n in ready) if ready else text(lang, "mn_ready_nobody")
    return text(lang, "mn_screening", title=_title(core, screening), late=late, ready=names)


async def screen(bot: Bot, core: Core) -> None:
    """A periodic pass: the reminders and start messages whose time has come, each once."""
    for step in await core.movienights.screenings.due():
        screening = step.screening
        try:
            if step.step is Step.REMIND:
                await _remind(bot, core, step)
            else:
                await _open(bot, core, step)
        except TelegramError as exc:
            log.warning(
                "round %s: the screening's %s was not sent: %s", screening.round_id, step.step.value, exc
            )


async def _remind(bot: Bot, core: Core, step: DueStep) -> None:
    """ "⏰ Starting at 20:00: The Cranes Are Flying", with where to watch it (verified links)."""
    screening, lang = step.screening, step.screening.language
    zone = parse_zone(screening.zone) if screening.zone else core.movienights.zone
    when = deadline_text(screening.starts_at, zone, lang, core.movienights.now())
    body = text(lang, "mn_reminder", time=when, title=_title(core, screening), late=_late(step))
    film = core.films.get(screening.film_id)
    rows = watch_rows([b for b in core.watch.buttons(film, lang) if not b.elsewhere], lang) if film else []
    await bot.send_message(
        screening.chat_id, body, parse_mode="HTML", reply_markup=InlineKeyboardMarkup(rows)
    )


async def _open(bot: Bot, core: Core, step: DueStep) -> None:
    screening = step.screening
    ready = await core.movienights.screenings.ready_names(screening.round_id)
    sent = await bot.send_message(
        screening.chat_id,
        start_text(core, screening, ready, _late(step)),
        parse_mode="HTML",
        reply_markup=start_keyboard(screening, started=False),
    )
    await core.movienights.screenings.opened(screening.round_id, sent.message_id)


async def _screening(
    pressed: Press[Ready] | Press[StartFilm] | Press[WhereAreWe], core: Core
) -> Screening | None:
    screening = await core.movienights.screenings.get(pressed.payload.round_id)
    if screening is None or screening.message_id is None:
        await pressed.answer(text(pressed.lang, "mn_over"))
        return None
    return screening


@handlers.press(Ready)
async def press_ready(pressed: Press[Ready], context: BotContext) -> None:
    screening = await _screening(pressed, context.core)
    if screening is None:
        return
    if screening.started_at is not None:
        await where_are_we(pressed, context, screening)
        return
    ready = await context.core.movienights.screenings.ready(
        screening.round_id, pressed.user.id, pressed.user.first_name or "?"
    )
    await pressed.answer(text(pressed.lang, "mn_ready_ok"))
    await _edit(context.bot, screening, start_text(context.core, screening, ready), started=False)


@handlers.press(StartFilm)
async def press_start_film(pressed: Press[StartFilm], context: BotContext) -> None:
    """▶ Start (the starter only): "3… 2… 1…" as edits, then "Play now" and ⏱ Where are we?"""
    screening = await _screening(pressed, context.core)
    if screening is None:
        return
    if pressed.user.id != screening.starter_id:
        await pressed.answer(text(pressed.lang, "mn_start_only_starter"))
        return
    starts = await context.core.movienights.screenings.start(screening.round_id)
    if starts is None:
        await where_are_we(pressed, context, screening)
        return
    await pressed.answer()
    context.application.create_task(_count_down(context.bot, context.core, screening))


async def _count_down(bot: Bot, core: Core, screening: Screening) -> None:
    lang, title = screening.language, _title(core, screening)
    for left in range(COUNTDOWN, 0, -1):
        await _edit(bot, screening, text(lang, "mn_countdown", title=title, left=left), started=True)
        await asyncio.sleep(1)
    await _edit(bot, screening, text(lang, "mn_playing", title=title), started=True)


@handlers.press(WhereAreWe)
async def press_where(pressed: Press[WhereAreWe], context: BotContext) -> None:
    screening = await _screening(pressed, context.core)
    if screening is not None:
        await where_are_we(pressed, context, screening)


async def where_are_we(
    pressed: Press[Ready] | Press[StartFilm] | Press[WhereAreWe], context: BotContext, screening: Screening
) -> None:
    """A toast: "Join at 0:42:10", or that the film has not started yet."""
    elapsed = context.core.movienights.screenings.elapsed(screening)
    if elapsed is None:
        await pressed.answer(text(pressed.lang, "mn_not_started"))
    else:
        await pressed.answer(text(pressed.lang, "mn_join_at", at=clock_text(elapsed)))


async def _edit(bot: Bot, screening: Screening, body: str, started: bool) -> None:
    assert screening.message_id is not None
    try:
        await edit_message(
            bot,
            screening.chat_id,
            screening.message_id,
            body,
            html=True,
            keyboard=start_keyboard(screening, started),
        )
    except BadRequest as exc:  # deleted by an admin, or unchanged
        log.info("round %s: the start message was not edited: %s", screening.round_id, exc)
