"""The film of the day for subscribers: /subscribe, /unsubscribe, /settings and its buttons, and
noticing that a user blocked the bot."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from enum import Enum

from telegram import ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ChatMemberHandler

from bot.core.models import Language, Refused
from bot.core.subscriptions.model import Extra, StopReason, Subscription
from bot.core.subscriptions.service import AskZone
from bot.core.texts import text
from bot.telegram.callbacks import CityKey, MinuteOfDay, Payload, button
from bot.telegram.context import BotContext
from bot.telegram.replies import edit, reply

from .card import OpenSettings
from .common import Handlers, Incoming, Press, command_argument, in_private_only, unless_unchanged
from .movienight import leave_group

log = logging.getLogger(__name__)

handlers = Handlers()


class SettingsChange(Enum):
    ON = "on"
    OFF = "off"
    EARLIER = "earlier"  # an hour
    LATER = "later"
    SOONER = "sooner"  # a quarter of an hour
    AFTER = "after"
    ZONE = "zone"  # ask for the zone again
    QUIZ = "quiz"  # the question of the day, on or off
    PICTURE = "picture"  # the film of the day as its picture, on or off


@dataclass(frozen=True)
class ChangeSettings(Payload, action="sub"):
    change: SettingsChange


@dataclass(frozen=True)
class ChooseZone(Payload, action="zone"):
    """A city button of the zone question; `minutes` is the chosen time of day (after midnight)."""

    city: CityKey
    minutes: MinuteOfDay


def settings_keyboard(subscription: Subscription | None, language: Language) -> InlineKeyboardMarkup:
    """/settings: subscribe; or an hour or a quarter of an hour earlier / later, the zone, the
    question of the day and the picture (each on / off), and unsubscribe."""
    if subscription is None or not subscription.active:
        return InlineKeyboardMarkup(
            [[button(text(language, "button_subscribe"), ChangeSettings(SettingsChange.ON))]]
        )

    def change(key: str, what: SettingsChange) -> InlineKeyboardButton:
        return button(text(language, key), ChangeSettings(what))

    return InlineKeyboardMarkup(
        [
            [change("button_earlier", SettingsChange.EARLIER), change("button_later", SettingsChange.LATER)],
            [
                change("button_earlier_minutes", SettingsChange.SOONER),
                change("button_later_minutes", SettingsChange.AFTER),
            ],
            [
                change(
                    "button_daily_quiz_on" if subscription.daily_quiz else "button_daily_quiz_off",
                    SettingsChange.QUIZ,
                )
            ],
            [
                change(
                    "button_daily_picture_on" if subscription.daily_picture else "button_daily_picture_off",
                    SettingsChange.PICTURE,
                )
            ],
            [change("button_zone", SettingsChange.ZONE), change("button_unsubscribe", SettingsChange.OFF)],
        ]
    )


def zone_keyboard(cities: Sequence[tuple[str, str]], at: time) -> InlineKeyboardMarkup:
    """The zone question: a button per (city key, label), two a row."""
    minutes = at.hour * 60 + at.minute
    buttons = [button(label, ChooseZone(key, minutes)) for key, label in cities]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def _answer(
    context: BotContext, outcome: Subscription | AskZone | None, lang: Language, done: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons for a subscription (or for the zone question it needs first)."""
    subscriptions = context.core.subscriptions
    if isinstance(outcome, AskZone):
        return subscriptions.zone_question(outcome.at, lang), zone_keyboard(
            subscriptions.zone_choices(lang), outcome.at
        )
    return subscriptions.describe(outcome, lang, done=done), settings_keyboard(outcome, lang)


@handlers.command("subscribe")
async def subscribe(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "subscribe"):
        return
    await subscribe_with(got, context, command_argument(got.message))


async def subscribe_with(got: Incoming, context: BotContext, argument: str) -> None:
    """`/subscribe <argument>` in a private chat (also the /start menu's 🔔, with no argument)."""
    subscriptions = context.core.subscriptions
    try:
        outcome = await subscriptions.subscribe(got.user.id, got.message.chat.id, argument, got.lang)
    except Refused as exc:
        await reply(got.message, subscriptions.refusal(exc, got.lang), html=True)
        return
    body, keyboard = _answer(context, outcome, got.lang, done=True)
    await reply(got.message, body, html=True, keyboard=keyboard)


@handlers.command("unsubscribe")
async def unsubscribe(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "unsubscribe"):
        return
    stopped = await context.core.subscriptions.stop(got.user.id, StopReason.UNSUBSCRIBED)
    await reply(got.message, text(got.lang, "sub_stopped" if stopped else "sub_not_subscribed"))


@handlers.command("settings")
async def show_settings(got: Incoming, context: BotContext) -> None:
    if not await in_private_only(context, got, "settings"):
        return
    body, keyboard = _answer(context, await context.core.subscriptions.get(got.user.id), got.lang)
    await reply(got.message, body, html=True, keyboard=keyboard)


@handlers.press(OpenSettings)
async def press_open_settings(pressed: Press[OpenSettings], context: BotContext) -> None:
    """⚙ under the film of the day: the settings, as a new message in the subscriber's chat."""
    message = pressed.message
    if message is None:
        return
    await pressed.answer()
    body, keyboard = _answer(context, await context.core.subscriptions.get(pressed.user.id), pressed.lang)
    await reply(message, body, html=True, keyboard=keyboard, quote=False)


@handlers.press(ChangeSettings)
async def press_settings(pressed: Press[ChangeSettings], context: BotContext) -> None:
    message = pressed.message
    if message is None:
        return
    if message.chat.type != ChatType.PRIVATE:  # a group is never subscribed, whoever presses
        await pressed.answer(text(pressed.lang, "sub_private_only"))
        return
    user_id, lang, change = pressed.user.id, pressed.lang, pressed.payload.change
    subscriptions = context.core.subscriptions
    toast: str | None = None
    updated: Subscription | AskZone | None
    if change is SettingsChange.OFF:
        await subscriptions.stop(user_id, StopReason.UNSUBSCRIBED)
        updated = await subscriptions.get(user_id)
    elif change is SettingsChange.ON:
        updated = await subscriptions.resume(user_id, message.chat.id, lang)
    elif change is SettingsChange.ZONE:
        current = await subscriptions.get(user_id)
        updated = AskZone(current.at) if current and current.active else current
    elif change in _EXTRAS:
        extra = _EXTRAS[change]
        toggled = await subscriptions.toggle(user_id, extra)
        if toggled is None:  # on an old message of a stopped one: as it is
            updated = await subscriptions.get(user_id)
        else:
            updated, on = toggled
            toast = text(lang, f"sub_{extra.value}_{'on' if on else 'off'}")
    else:
        updated = await subscriptions.shift(user_id, _SHIFTS[change], lang)
    await pressed.answer(toast)
    body, keyboard = _answer(context, updated, lang)
    async with unless_unchanged():
        await edit(pressed.query, body, html=True, keyboard=keyboard)


_EXTRAS = {SettingsChange.QUIZ: Extra.QUIZ, SettingsChange.PICTURE: Extra.PICTURE}
_SHIFTS = {
    SettingsChange.EARLIER: -60,
    SettingsChange.LATER: 60,
    SettingsChange.SOONER: -15,
    SettingsChange.AFTER: 15,
}


@handlers.press(ChooseZone)
async def press_zone(pressed: Press[ChooseZone], context: BotContext) -> None:
    """A city of the zone question: subscribed (or moved) there at the time the question was for."""
    message = pressed.message
    if message is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await pressed.answer(text(pressed.lang, "sub_private_only"))
        return
    minutes = pressed.payload.minutes
    at = time(minutes // 60, minutes % 60)
    outcome = await context.core.subscriptions.subscribe_in(
        pressed.user.id, message.chat.id, pressed.payload.city, at, pressed.lang
    )
    if outcome is None:
        await pressed.answer(text(pressed.lang, "stale_button"))
        return
    await pressed.answer()
    body, keyboard = _answer(context, outcome, pressed.lang, done=True)
    await edit(pressed.query, body, html=True, keyboard=keyboard)


async def track_membership(update: Update, context: BotContext) -> None:
    """A user who blocks the bot stops getting daily films; /subscribe after unblocking resumes them.
    The bot removed from a group ends the group's movie night."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    if change.chat.type != ChatType.PRIVATE:
        await leave_group(change, context)
        return
    if change.new_chat_member.status == ChatMemberStatus.BANNED:
        await context.core.subscriptions.stop(change.from_user.id, StopReason.BLOCKED)
        log.info("user %s blocked the bot; daily films stopped", change.from_user.id)


handlers.update(ChatMemberHandler(track_membership, ChatMemberHandler.MY_CHAT_MEMBER))
