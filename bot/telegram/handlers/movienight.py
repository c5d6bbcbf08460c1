"""Movie night in a group: /movienight, 🙋 I'm in, /nominate (or a card sent through inline mode),
▶ Start the vote (a Telegram poll), the votes, ⏹ Close now or the deadline, the winner, 👁 We
watched it; and the group's life: the bot removed, the group become a supergroup."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from telegram import (
    Bot,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import MessageHandler, PollHandler, filters

from bot.core.catalogue.model import Film
from bot.core.catalogue.search import Verdict
from bot.core.films.card import render_talk, titles
from bot.core.models import Language, Refused, Zone
from bot.core.movienight.model import Round, RoundState
from bot.core.movienight.rules import Member, asks_when, read_moments, read_when
from bot.core.movienight.screening import LATE
from bot.core.movienight.service import MovieNights, Nomination, Opened, ZoneFrom, first_poll_deadline
from bot.core.movienight.texts import (
    deadline_text,
    invitation,
    moment_label,
    poll_option,
    poll_question,
    voting,
    zone_note,
)
from bot.core.services import Core
from bot.core.subscriptions.zones import read_zone, zone_label
from bot.core.texts import text
from bot.telegram.callbacks import FilmId, Payload, RowId, button
from bot.telegram.context import BotContext
from bot.telegram.replies import edit_message, reply, send
from bot.telegram.sender import TelegramSender

from .card import WeWatched, film_of, film_rows
from .common import Handlers, Incoming, Press, command_argument, private_link
from .diary import rating_keyboard

log = logging.getLogger(__name__)

handlers = Handlers()

POLL_SHORTEST = timedelta(seconds=10)  # a poll closing sooner gets no close_date: the bot stops it
ROUND_LINK = "mn_"  # /start mn_<round id>: a member who had never started the bot comes back in


@dataclass(frozen=True)
class JoinRound(Payload, action="mnj"):
    """🙋 I'm in, on a movie night's invitation."""

    round_id: RowId


@dataclass(frozen=True)
class StartVote(Payload, action="mnv"):
    round_id: RowId


@dataclass(frozen=True)
class CloseRound(Payload, action="mnc"):
    """⏹ Close now, under a movie night's poll."""

    round_id: RowId


@dataclass(frozen=True)
class Nominate(Payload, action="mnn"):
    """One film of the choice `/nominate <name>` offers."""

    round_id: RowId
    film_id: FilmId


def invitation_keyboard(round_id: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(text(language, "button_join"), JoinRound(round_id)),
                button(text(language, "button_start_vote"), StartVote(round_id)),
            ]
        ]
    )


def poll_keyboard(round_id: int, language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(text(language, "button_close_vote"), CloseRound(round_id))]])


def nomination_keyboard(round_id: int, films: Sequence[Film], language: Language) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(film_rows(films, language, lambda film: Nominate(round_id, film.id)))


def member(user: User) -> Member:
    return Member(user.id, user.first_name or "?")


@handlers.command("movienight")
async def start_movienight(got: Incoming, context: BotContext) -> None:
    """/movienight [deadline]: in a group, an invitation (or the round already open); in a private
    chat, how it works and a button that adds the bot to a group."""
    if got.private:
        await explain(context, got)
        return
    nights = context.core.movienights
    typed = command_argument(got.message)
    if typed.split()[:1] in (["zone"], ["пояс"]):
        await group_zone(got, context, typed.split(maxsplit=1)[1] if " " in typed else "")
        return
    chat_id = got.message.chat.id
    zone, zone_from = await nights.reading_zone(chat_id, got.user.id)
    if asks_when(typed):
        await ask_when(got, context, typed, zone, zone_from)
        return
    try:
        when = read_when(typed, nights.now(), zone)
    except Refused as exc:
        await reply(got.message, text(got.lang, exc.key, **exc.values))
        return
    if when.named is not None:
        zone, zone_from = when.named, ZoneFrom.TYPED
    opened, chat_round = await nights.open(
        chat_id, member(got.user), got.lang, when.at, zone, zone_from if when.clock else None
    )
    if opened is Opened.ALREADY:
        when_text = deadline_text(chat_round.deadline, nights.zone_of(chat_round), got.lang, nights.now())
        await reply(
            got.message,
            text(got.lang, "mn_already_open", deadline=when_text),
            html=True,
            quoting=chat_round.invitation_id,
        )
        return
    members = await nights.participants(chat_round.id)
    body = _invitation_text(nights, chat_round, members)
    keyboard = invitation_keyboard(chat_round.id, got.lang)  # sent by PTB: the invitation's id is kept
    sent = await got.message.reply_html(body, reply_markup=keyboard, allow_sending_without_reply=True)
    await nights.set_invitation(chat_round.id, sent.message_id)


def _invitation_text(nights: MovieNights, chat_round: Round, members: Sequence[Member]) -> str:
    zone, lang = nights.zone_of(chat_round), chat_round.language
    deadline = deadline_text(chat_round.deadline, zone, lang, nights.now())
    return invitation(
        members, deadline, lang, zone_note(chat_round.zone_from, chat_round.deadline, zone, lang)
    )


async def group_zone(got: Incoming, context: BotContext, typed: str) -> None:
    """/movienight zone [city]: the group's own zone, shown to anyone, set by an administrator."""
    nights = context.core.movienights
    chat_id = got.message.chat.id
    if not typed:
        current = await nights.group_zone(chat_id)
        now = nights.now()
        if current is None:
            body = text(got.lang, "mn_zone_none", zone=zone_label(nights.zone, got.lang, now))
        else:
            body = text(got.lang, "mn_zone_show", zone=zone_label(current, got.lang, now))
        await reply(got.message, body, html=True)
        return
    try:
        member_status = await context.bot.get_chat_member(chat_id, got.user.id)
    except TelegramError as exc:
        log.info("the zone of %s not set: %s", chat_id, exc)
        await reply(got.message, text(got.lang, "mn_zone_admins"))
        return
    if member_status.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        await reply(got.message, text(got.lang, "mn_zone_admins"))
        return
    try:
        zone = read_zone(typed)
    except Refused as exc:
        suggestion = exc.values.get("suggestion")
        key = "mn_zone_suggest" if suggestion else "mn_zone_unknown"
        await reply(got.message, text(got.lang, key, name=escape(typed), suggestion=suggestion), html=True)
        return
    await nights.set_group_zone(chat_id, zone, got.user.id)
    await reply(got.message, text(got.lang, "mn_zone_set", zone=zone_label(zone, got.lang, nights.now())))


async def explain(context: BotContext, got: Incoming) -> None:
    link = f"https://t.me/{context.bot.username}?startgroup=movienight"
    add = InlineKeyboardButton(text(got.lang, "button_add_to_group"), url=link)
    await reply(got.message, text(got.lang, "mn_private"), html=True, keyboard=InlineKeyboardMarkup([[add]]))


async def _open_round(
    pressed: Press[JoinRound] | Press[StartVote] | Press[CloseRound] | Press[Nominate], core: Core
) -> Round | None:
    chat_round = await core.movienights.round(pressed.payload.round_id)
    if chat_round is None or chat_round.state is RoundState.CLOSED:
        await pressed.answer(text(pressed.lang, "mn_over"))
        return None
    return chat_round


@handlers.press(JoinRound)
async def press_join(pressed: Press[JoinRound], context: BotContext) -> None:
    """🙋 I'm in: the presser takes part; one who never started the bot is sent to its private chat
    (a t.me link the client opens), from where the round takes them back."""
    chat_round = await _open_round(pressed, context.core)
    if chat_round is None:
        return
    joined = await context.core.movienights.join(chat_round.id, member(pressed.user))
    if not await context.core.users.started(pressed.user.id):
        await pressed.answer(url=private_link(context.bot.username, f"{ROUND_LINK}{chat_round.id}"))
    else:
        await pressed.answer(text(pressed.lang, "mn_joined" if joined else "mn_already_in"))
    if joined:
        await redraw_invitation(context.bot, context.core, chat_round)


async def redraw_invitation(bot: Bot, core: Core, chat_round: Round) -> None:
    """The invitation with who is in now (and, once the vote is on, the candidates)."""
    if chat_round.invitation_id is None:
        return
    nights, lang = core.movienights, chat_round.language
    members = await nights.participants(chat_round.id)
    deadline = deadline_text(chat_round.deadline, nights.zone_of(chat_round), lang, nights.now())
    if chat_round.state is RoundState.OPEN:
        body, keyboard = (
            _invitation_text(nights, chat_round, members),
            invitation_keyboard(chat_round.id, lang),
        )
    else:
        candidates = await nights.candidates_of(chat_round)
        body, keyboard = voting(members, candidates, deadline, lang), None
    try:
        await edit_message(
            bot, chat_round.chat_id, chat_round.invitation_id, body, html=True, keyboard=keyboard
        )
    except BadRequest as exc:  # deleted by an admin, or unchanged
        log.info("invitation of round %s not redrawn: %s", chat_round.id, exc)


async def _starter_name(core: Core, chat_round: Round) -> str:
    members = await core.movienights.participants(chat_round.id)
    return next((m.name for m in members if m.user_id == chat_round.starter_id), "?")


async def _starters_round(pressed: Press[StartVote] | Press[CloseRound], core: Core) -> Round | None:
    """The open round whose starter pressed; anyone else is told who can, and gets None."""
    chat_round = await _open_round(pressed, core)
    if chat_round is None:
        return None
    if pressed.user.id != chat_round.starter_id:
        name = await _starter_name(core, chat_round)
        await pressed.answer(text(pressed.lang, "mn_only_starter", name=name))
        return None
    return chat_round


@handlers.press(StartVote)
async def press_start_vote(pressed: Press[StartVote], context: BotContext) -> None:
    """▶ Start the vote (the starter only): a non-anonymous poll with several answers allowed."""
    chat_round = await _starters_round(pressed, context.core)
    if chat_round is None:
        return
    sent = await send_film_poll(context.bot, context.core, chat_round)
    if sent is None:
        await pressed.answer()  # started already (a second tap)
    elif not sent:
        await pressed.answer(text(pressed.lang, "mn_vote_failed"))
    else:
        await pressed.answer()


async def send_film_poll(bot: Bot, core: Core, chat_round: Round, quoting: int | None = None) -> bool | None:
    """The film poll of an open round (once: None if it was out already); False if Telegram
    refused it (the round is open again)."""
    nights, lang = core.movienights, chat_round.language
    candidates = await nights.candidates(chat_round)
    if not await nights.claim_vote(chat_round, [c.film for c in candidates]):
        return None
    left = chat_round.deadline - nights.now()
    try:
        poll = await bot.send_poll(
            chat_round.chat_id,
            poll_question(chat_round, nights.zone_of(chat_round), nights.now()),
            [poll_option(c.film, lang) for c in candidates],
            is_anonymous=False,
            allows_multiple_answers=True,
            allows_revoting=True,
            allow_adding_options=True,  # a member adds a film of the collection as an option (Bot API 9.6)
            description=text(lang, "mn_poll_rules"),
            close_date=chat_round.deadline if left > POLL_SHORTEST else None,
            reply_markup=poll_keyboard(chat_round.id, lang),
            reply_to_message_id=quoting,
            allow_sending_without_reply=True,
        )
    except TelegramError as exc:
        log.warning("round %s: the poll was not sent: %s", chat_round.id, exc)
        await nights.vote_not_started(chat_round.id)
        return False
    assert poll.poll is not None
    await nights.vote_started(chat_round.id, poll.poll.id, poll.message_id)
    voting_round = await nights.round(chat_round.id)
    if voting_round is not None:
        await redraw_invitation(bot, core, voting_round)
    return True


async def ask_when(got: Incoming, context: BotContext, typed: str, zone: Zone, zone_from: ZoneFrom) -> None:
    """/movienight when (or two to four moments): a time poll first; the film poll follows at its
    deadline, for the moment most voters chose."""
    nights = context.core.movienights
    now = nights.now()
    try:
        moments = read_moments(typed, now, zone)
    except Refused as exc:
        await reply(got.message, text(got.lang, exc.key, **exc.values))
        return
    if len(moments) < 2:  # "when" late on a Saturday: too little left of the week's evenings
        await reply(got.message, text(got.lang, "mn_when_count"))
        return
    deadline = first_poll_deadline(now, moments[0])
    opened, chat_round = await nights.open(
        got.message.chat.id, member(got.user), got.lang, deadline, zone, zone_from, moments
    )
    if opened is Opened.ALREADY:
        when_text = deadline_text(chat_round.deadline, nights.zone_of(chat_round), got.lang, now)
        already = text(got.lang, "mn_already_open", deadline=when_text)
        await reply(got.message, already, html=True, quoting=chat_round.invitation_id)
        return
    try:
        poll = await got.message.reply_poll(
            text(got.lang, "mn_when_question"),
            [moment_label(m, zone, got.lang, now) for m in moments],
            is_anonymous=False,
            allows_multiple_answers=True,
            allows_revoting=True,
            description=text(got.lang, "mn_when_rules"),
            close_date=deadline,
            allow_sending_without_reply=True,
        )
    except TelegramError as exc:
        log.warning("round %s: the time poll was not sent: %s", chat_round.id, exc)
        await nights.claim_close(chat_round.id)
        return
    assert poll.poll is not None
    await nights.vote_started(chat_round.id, poll.poll.id, poll.message_id)


async def settle_when_due(bot: Bot, core: Core) -> None:
    """A periodic pass: the time polls whose deadline came are counted; each round says when it
    watches and sends its film poll, once."""
    nights = core.movienights
    for chat_round in await nights.due_when():
        async with nights.turns.of(chat_round.chat_id):  # after the votes in hand
            await _settle(bot, core, chat_round)


async def _settle(bot: Bot, core: Core, chat_round: Round) -> None:
    nights = core.movienights
    if chat_round.poll_message_id is not None:
        try:
            await bot.stop_poll(chat_round.chat_id, chat_round.poll_message_id)
        except TelegramError as exc:  # deleted, closed already: the votes received still count
            log.info("round %s: the time poll was not stopped: %s", chat_round.id, exc)
    settled = await nights.settle_when(chat_round)
    if settled is None:
        return
    lang, zone = chat_round.language, nights.zone_of(chat_round)
    result = settled.result
    votes = (
        text(lang, "mn_winner_votes", count=result.votes[result.winner])
        if result.winner
        else text(lang, "mn_when_nobody")
    )
    body = text(
        lang,
        "mn_when_settled",
        when=deadline_text(settled.moment, zone, lang, nights.now()),
        tie=text(lang, "mn_when_tie") if result.tied else "",
        votes=votes,
        late=text(lang, "mn_late") if nights.now() - chat_round.deadline > LATE else "",
    )
    try:
        await send(bot, chat_round.chat_id, body, html=True, quoting=chat_round.poll_message_id)
    except TelegramError as exc:
        log.warning("round %s: the time was not announced: %s", chat_round.id, exc)
    await send_film_poll(bot, core, settled.chat_round)


async def take_added_options(update: Update, context: BotContext) -> None:
    """A round's poll changed: each option a member added (in order, once) is matched to the
    catalogue by its title; one that is not in this collection gets one reply saying so."""
    poll = update.poll
    if poll is None:
        return
    nights = context.core.movienights
    chat_round = await nights.round_of_poll(poll.id)
    if chat_round is None or chat_round.state is not RoundState.VOTING:
        return
    for index in range(len(chat_round.candidates), len(poll.options)):
        option = poll.options[index]
        adder = option.added_by_user
        if adder is None:
            return  # an option of the poll as sent: nothing to take
        taken = await nights.option_added(poll.id, index, option.text, member(adder))
        if taken is None or taken.film is not None:
            continue
        lang = chat_round.language
        body = text(lang, "mn_option_unknown", option=escape(option.text), name=escape(adder.first_name))
        try:
            await send(context.bot, chat_round.chat_id, body, html=True, quoting=chat_round.poll_message_id)
        except TelegramError as exc:
            log.info("round %s: no word on an unknown option: %s", chat_round.id, exc)


async def count_vote(update: Update, context: BotContext) -> None:
    """A poll answer: the voter's latest choice (an empty one takes their vote back)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    await context.core.movienights.record_answer(answer.poll_id, member(answer.user), answer.option_ids)


@handlers.press(CloseRound)
async def press_close(pressed: Press[CloseRound], context: BotContext) -> None:
    """⏹ Close now (the starter only): the vote ends and the winner is announced."""
    chat_round = await _starters_round(pressed, context.core)
    if chat_round is None:
        return
    await pressed.answer()
    await context.core.movienights.close(chat_round.id, TelegramSender(context.bot))


@handlers.press(WeWatched)
async def press_we_watched(pressed: Press[WeWatched], context: BotContext) -> None:
    """👁 We watched it: the film is marked watched on the presser's own list, tonight's viewing goes
    in their diary, and (the group's message being everyone's) the stars to rate it come to their
    private chat."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    viewing = await context.core.watchlists.mark_watched(pressed.user.id, film)
    await _talk_after(pressed, context, film)
    if not await context.core.users.started(pressed.user.id):  # their list is kept; the link opens it
        await pressed.answer(url=private_link(context.bot.username, "watchlist"))
        return
    await pressed.answer(text(pressed.lang, "mn_watched"))
    if viewing is not None:
        ask = text(pressed.lang, "mn_rate_it", title=titles(film, pressed.lang)[0])
        try:
            await send(
                context.bot, pressed.user.id, ask, keyboard=rating_keyboard(film, viewing, pressed.lang)
            )
        except Forbidden:  # they blocked the bot: the film is marked all the same
            log.info("user %s blocked the bot; no rating asked", pressed.user.id)


async def _talk_after(pressed: Press[WeWatched], context: BotContext, film: Film) -> None:
    """The first 👁 We watched it under a winner brings the group the film's talking points (once)."""
    message = pressed.message
    if message is None or not film.talk.get(pressed.lang):
        return
    if not await context.core.movienights.claim_talk(message.chat.id, message.message_id):
        return
    try:
        await send(
            context.bot,
            message.chat.id,
            render_talk(film, pressed.lang),
            html=True,
            quoting=message.message_id,
        )
    except TelegramError as exc:
        log.info("talking points not posted in %s: %s", message.chat.id, exc)


@handlers.command("nominate")
async def nominate(got: Incoming, context: BotContext) -> None:
    """/nominate <name>: propose a film for the open round (before its vote starts)."""
    chat_round = await context.core.movienights.open_round(got.message.chat.id) if not got.private else None
    if chat_round is None:
        await reply(got.message, text(got.lang, "mn_no_round"))
        return
    query = command_argument(got.message)
    if not query:
        await reply(got.message, text(got.lang, "mn_nominate_how"))
        return
    found = context.core.films.find(query)
    if found.verdict is Verdict.ONE:
        await _nominate(context, got, chat_round, found.films[0].id)
    elif found.verdict is Verdict.SEVERAL:
        await reply(
            got.message,
            text(got.lang, "mn_nominate_which", query=query[:64]),
            keyboard=nomination_keyboard(chat_round.id, found.films, got.lang),
        )
    else:
        await reply(got.message, text(got.lang, "mn_nominate_unknown", query=query[:64]))


@handlers.press(Nominate)
async def press_nominate(pressed: Press[Nominate], context: BotContext) -> None:
    """One film of the /nominate choice."""
    message = await pressed.replying_to()
    chat_round = await _open_round(pressed, context.core) if message else None
    if message is None or chat_round is None:
        return
    await pressed.answer()
    await _nominate(
        context, Incoming(message, pressed.user, pressed.lang), chat_round, pressed.payload.film_id
    )


@handlers.message(filters.ChatType.GROUPS & filters.VIA_BOT)
async def nominate_shared_card(got: Incoming, context: BotContext) -> None:
    """A card someone sent into the group through inline mode, while a round is open: a nomination."""
    if got.private or got.message.via_bot is None or got.message.via_bot.id != context.bot.id:
        return
    film_id = film_of(got.message.reply_markup)
    chat_round = await context.core.movienights.open_round(got.message.chat.id)
    if film_id is None or chat_round is None:
        return
    await _nominate(context, got, chat_round, film_id)


async def _nominate(context: BotContext, got: Incoming, chat_round: Round, film_id: str) -> None:
    film = context.core.films.get(film_id)
    if film is None:
        await reply(got.message, text(got.lang, "film_gone"))
        return
    title = titles(film, got.lang)[0]
    if chat_round.state is not RoundState.OPEN:
        await reply(got.message, text(got.lang, "mn_nominations_closed"))
        return
    outcome = await context.core.movienights.nominate(chat_round, film, member(got.user))
    key = {Nomination.ADDED: "mn_nominated", Nomination.ALREADY: "mn_nominated_already"}
    await reply(
        got.message,
        text(got.lang, key.get(outcome, "mn_nominate_resting"), name=got.user.first_name, title=title),
    )
    if outcome is Nomination.ADDED:
        await redraw_invitation(context.bot, context.core, chat_round)


async def follow_migration(update: Update, context: BotContext) -> None:
    """The group became a supergroup (a new chat id): its round goes with it."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await context.core.movienights.moved(message.chat.id, message.migrate_to_chat_id)


async def leave_group(change: ChatMemberUpdated, context: BotContext) -> None:
    """The bot was removed from a group: its open round ends quietly."""
    if change.chat.type != ChatType.PRIVATE and change.new_chat_member.status in (
        ChatMemberStatus.LEFT,
        ChatMemberStatus.BANNED,
    ):
        await context.core.movienights.abandon(change.chat.id)


# poll answers reach count_vote through the quiz's handler (bot/telegram/handlers/quiz.py)
handlers.update(MessageHandler(filters.StatusUpdate.MIGRATE, follow_migration))
handlers.update(PollHandler(take_added_options))
