"""The film of the day for subscribers: /subscribe, /unsubscribe, /settings and its buttons, and
noticing that a user blocked the bot."""

from __future__ import annotations

import logging

from telegram import ChatMemberUpdated, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.core.models import StopReason
from bot.core.texts import text
from bot.telegram.context import BotContext
from bot.telegram.keyboards import ChangeSettings, OpenSettings, SettingsChange, settings_keyboard

from .common import command_argument, in_private_only, incoming, press

log = logging.getLogger(__name__)


async def subscribe(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None or not await in_private_only(context, got, "settings"):
        return
    subscriptions = context.core.subscriptions
    try:
        subscription = await subscriptions.subscribe(
            got.user.id, got.message.chat.id, command_argument(got.message), got.lang
        )
    except ValueError:
        await got.message.reply_html(subscriptions.usage(got.lang))
        return
    await got.message.reply_text(
        subscriptions.describe(subscription, got.lang, done=True),
        reply_markup=settings_keyboard(subscription.active, got.lang),
    )


async def unsubscribe(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None:
        return
    stopped = await context.core.subscriptions.stop(got.user.id, StopReason.UNSUBSCRIBED)
    await got.message.reply_text(text(got.lang, "sub_stopped" if stopped else "sub_not_subscribed"))


async def show_settings(update: Update, context: BotContext) -> None:
    got = await incoming(update, context)
    if got is None or not await in_private_only(context, got, "settings"):
        return
    subscriptions = context.core.subscriptions
    subscription = await subscriptions.get(got.user.id)
    await got.message.reply_text(
        subscriptions.describe(subscription, got.lang),
        reply_markup=settings_keyboard(subscription is not None and subscription.active, got.lang),
    )


async def press_open_settings(update: Update, context: BotContext) -> None:
    """⚙ under the film of the day: the settings, as a new message in the subscriber's chat."""
    pressed = await press(update, context, OpenSettings)
    message = pressed.message if pressed else None
    if pressed is None or message is None:
        return
    await pressed.answer()
    subscriptions = context.core.subscriptions
    subscription = await subscriptions.get(pressed.user.id)
    await message.reply_text(
        subscriptions.describe(subscription, pressed.lang),
        reply_markup=settings_keyboard(subscription is not None and subscription.active, pressed.lang),
        do_quote=False,
    )


async def press_settings(update: Update, context: BotContext) -> None:
    pressed = await press(update, context, ChangeSettings)
    message = pressed.message if pressed else None
    if pressed is None or message is None:
        return
    if message.chat.type != ChatType.PRIVATE:  # a group is never subscribed, whoever presses
        await pressed.answer(text(pressed.lang, "sub_private_only"))
        return
    user_id, lang, change = pressed.user.id, pressed.lang, pressed.payload.change
    subscriptions = context.core.subscriptions
    if change is SettingsChange.OFF:
        await subscriptions.stop(user_id, StopReason.UNSUBSCRIBED)
        updated = await subscriptions.get(user_id)
    elif change is SettingsChange.ON:
        updated = await subscriptions.resume(user_id, message.chat.id, lang)
    else:
        updated = await subscriptions.shift(user_id, -1 if change is SettingsChange.EARLIER else 1, lang)
    await pressed.answer()
    await pressed.query.edit_message_text(
        subscriptions.describe(updated, lang),
        reply_markup=settings_keyboard(updated is not None and updated.active, lang),
    )


async def track_membership(update: Update, context: BotContext) -> None:
    """A user who blocks the bot stops getting daily films; /subscribe after unblocking resumes them."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    if change.new_chat_member.status == ChatMemberStatus.BANNED:
        await context.core.subscriptions.stop(change.from_user.id, StopReason.BLOCKED)
        log.info("user %s blocked the bot; daily films stopped", change.from_user.id)
