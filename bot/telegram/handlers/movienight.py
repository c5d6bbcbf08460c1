"""Movie night in a group: /movienight, 🙋 I'm in, /nominate (or a card sent through inline mode),
▶ Start the vote (a Telegram poll), the votes, ⏹ Close now or the deadline, the winner, 👁 We
watched it; and the group's life: the bot removed, the group become a supergroup."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import (
    Bot,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.core.catalogue.search import Verdict
from bot.core.films.card import render_card, titles
from bot.core.movienight.model import Round, RoundState
from bot.core.movienight.service import Member, Nomination, Opened, Tally, read_deadline
from bot.core.movienight.texts import deadline_text, invitation, outcome_heading, poll_option, voting
from bot.core.services import Core
from bot.core.subscriptions.zones import WhenError
from bot.core.texts import text
from bot.core.watchlists.model import WatchlistVerb
from bot.core.watchlists.service import Change
from bot.telegram.context import BotContext
from bot.telegram.handlers.common import Incoming, Press, command_argument, incoming, press
from bot.telegram.keyboards import (
    CloseRound,
    JoinRound,
    Nominate,
    StartVote,
    WeWatched,
    film_of,
    invitation_keyboard,
    nomination_keyboard,
    poll_keyboard,
    rating_keyboard,
    winner_keyboard,
)
from bot.telegram.replies import edit_message, reply, send

log = logging.getLogger(__name__)

POLL_SHORTEST = timedelta(seconds=10)  # a poll closing sooner gets no close_date: the bot stops it
ROUND_LINK = "mn_"  # /start mn_<round id>: a member who had never started the bot comes back in


def member(user: User) -> Member:
    return Member(user.id, user.first_name or "?")


async def start_movienight(update: Update, context: BotContext) -> None:
    """/movienight [deadline]: in a group, an invitation (or the round already open); in a private
    chat, how it works and a button that adds the bot to a group."""
    got = await incoming(update, context)
    if got is None:
        return
    if got.private:
        await explain(context, got)
        return
    nights = context.core.movienights
    try:
        deadline = read_deadline(command_argument(got.message), nights.now(), nights.zone)
    except WhenError as exc:
        await reply(got.message, text(got.lang, exc.key, **exc.values))
        return
    opened, chat_round = await nights.open(got.message.chat.id, member(got.user), got.lang, deadline)
    if opened is Opened.ALREADY:
        when = deadline_text(chat_round.deadline, nights.zone, got.lang)
        await reply(
            got.message, text(got.lang, "mn_already_open", deadline=when), quoting=chat_round.invitation_id
        )
        return
    members = await nights.participants(chat_round.id)
    body = invitation(members, deadline_text(deadline, nights.zone, got.lang), got.lang)
    keyboard = invitation_keyboard(chat_round.id, got.lang)  # sent by PTB: the invitation's id is kept
    sent = await got.message.reply_html(body, reply_markup=keyboard, allow_sending_without_reply=True)
    await nights.set_invitation(chat_round.id, sent.message_id)


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


async def press_join(update: Update, context: BotContext) -> None:
    """🙋 I'm in: the presser takes part; one who never started the bot is sent to its private chat
    (a t.me link the client opens), from where the round takes them back."""
    pressed = await press(update, context, JoinRound)
    chat_round = await _open_round(pressed, context.core) if pressed else None
    if pressed is None or chat_round is None:
        return
    joined = await context.core.movienights.join(chat_round.id, member(pressed.user))
    if not await context.core.users.started(pressed.user.id):
        await pressed.answer(url=f"https://t.me/{context.bot.username}?start={ROUND_LINK}{chat_round.id}")
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
    deadline = deadline_text(chat_round.deadline, nights.zone, lang)
    if chat_round.state is RoundState.OPEN:
        body, keyboard = invitation(members, deadline, lang), invitation_keyboard(chat_round.id, lang)
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


async def _starters_round(pressed: Press[StartVote] | Press[CloseRound] | None, core: Core) -> Round | None:
    """The open round whose starter pressed; anyone else is told who can, and gets None."""
    chat_round = await _open_round(pressed, core) if pressed else None
    if pressed is None or chat_round is None:
        return None
    if pressed.user.id != chat_round.starter_id:
        name = await _starter_name(core, chat_round)
        await pressed.answer(text(pressed.lang, "mn_only_starter", name=name))
        return None
    return chat_round


async def press_start_vote(update: Update, context: BotContext) -> None:
    """▶ Start the vote (the starter only): a non-anonymous poll with several answers allowed."""
    pressed = await press(update, context, StartVote)
    chat_round = await _starters_round(pressed, context.core)
    if pressed is None or chat_round is None:
        return
    nights, lang = context.core.movienights, chat_round.language
    candidates = await nights.candidates(chat_round)
    if not await nights.claim_vote(chat_round, [c.film for c in candidates]):
        await pressed.answer()  # started already (a second tap)
        return
    left = chat_round.deadline - nights.now()
    try:
        poll = await context.bot.send_poll(
            chat_round.chat_id,
            text(lang, "mn_poll_question"),
            [poll_option(c.film, lang) for c in candidates],
            is_anonymous=False,
            allows_multiple_answers=True,
            close_date=chat_round.deadline if left > POLL_SHORTEST else None,
            reply_markup=poll_keyboard(chat_round.id, lang),
        )
    except TelegramError as exc:
        log.warning("round %s: the poll was not sent: %s", chat_round.id, exc)
        await nights.vote_not_started(chat_round.id)
        await pressed.answer(text(pressed.lang, "mn_vote_failed"))
        return
    assert poll.poll is not None
    await nights.vote_started(chat_round.id, poll.poll.id, poll.message_id)
    await pressed.answer()
    voting_round = await nights.round(chat_round.id)
    if voting_round is not None:
        await redraw_invitation(context.bot, context.core, voting_round)


async def count_vote(update: Update, context: BotContext) -> None:
    """A poll answer: the voter's latest choice (an empty one takes their vote back)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    await context.core.movienights.record_answer(answer.poll_id, member(answer.user), answer.option_ids)


async def press_close(update: Update, context: BotContext) -> None:
    """⏹ Close now (the starter only): the vote ends and the winner is announced."""
    pressed = await press(update, context, CloseRound)
    chat_round = await _starters_round(pressed, context.core)
    if pressed is None or chat_round is None:
        return
    await pressed.answer()
    await close_round(context.bot, context.core, chat_round.id)


async def close_due(bot: Bot, core: Core) -> None:
    """A periodic pass: close the rounds whose deadline came (also those that passed while the bot
    was down)."""
    for chat_round in await core.movienights.due():
        await close_round(bot, core, chat_round.id)


async def close_round(bot: Bot, core: Core, round_id: int) -> None:
    """Stop the poll, count the votes and announce the winner — once, whoever gets here first. The
    votes counted are those the bot received, so a poll an admin deleted still has a winner."""
    nights = core.movienights
    chat_round = await nights.claim_close(round_id)
    if chat_round is None:
        return
    if chat_round.state is RoundState.VOTING and chat_round.poll_message_id is not None:
        try:
            await bot.stop_poll(chat_round.chat_id, chat_round.poll_message_id)
        except Forbidden as exc:
            log.info("round %s: the bot is no longer in the group (%s)", chat_round.id, exc)
            return
        except TelegramError as exc:  # deleted by an admin, closed already, migrated: the votes are here
            log.info("round %s: the poll was not stopped: %s", chat_round.id, exc)
    result = await nights.count(chat_round) if chat_round.state is RoundState.VOTING else Tally(None, {})
    films = core.films.catalogue
    pick = result.winner or next(iter(chat_round.candidates), None)
    if pick is None:
        candidates = await nights.candidates(chat_round)
        pick = candidates[0].film.id if candidates else None
    film = films.get(pick) if pick else None
    if film is None:
        log.warning("round %s: no film to announce", chat_round.id)
        return
    await nights.record_outcome(chat_round, Tally(film.id, result.votes, result.voters, result.tied))
    lang = chat_round.language
    heading = outcome_heading(result, films.by_id, lang)
    keyboard = winner_keyboard(film, lang, core.watch.buttons(film, lang))
    chat_id, quoting = chat_round.chat_id, chat_round.invitation_id
    for _ in range(2):
        try:
            body = render_card(film, lang, heading)
            await send(bot, chat_id, body, html=True, keyboard=keyboard, preview=False, quoting=quoting)
            return
        except ChatMigrated as exc:  # the group became a supergroup meanwhile
            await nights.moved(chat_id, exc.new_chat_id)
            chat_id, quoting = exc.new_chat_id, None
        except TelegramError as exc:
            log.warning("round %s: the winner was not announced: %s", chat_round.id, exc)
            return


async def press_we_watched(update: Update, context: BotContext) -> None:
    """👁 We watched it: the film is marked watched on the presser's own list, tonight's viewing goes
    in their diary, and (the group's message being everyone's) the stars to rate it come to their
    private chat."""
    pressed = await press(update, context, WeWatched)
    film = await pressed.film(context, pressed.payload.film_id) if pressed else None
    if pressed is None or film is None:
        return
    change = await context.core.watchlists.change(pressed.user.id, WatchlistVerb.WATCHED, film.id)
    viewing = await context.core.diary.watched(pressed.user.id, film) if change is Change.DONE else None
    if not await context.core.users.started(pressed.user.id):  # their list is kept; the link opens it
        await pressed.answer(url=f"https://t.me/{context.bot.username}?start=watchlist")
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


async def nominate(update: Update, context: BotContext) -> None:
    """/nominate <name>: propose a film for the open round (before its vote starts)."""
    got = await incoming(update, context)
    if got is None:
        return
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


async def press_nominate(update: Update, context: BotContext) -> None:
    """One film of the /nominate choice."""
    pressed = await press(update, context, Nominate)
    message = await pressed.replying_to() if pressed else None
    chat_round = await _open_round(pressed, context.core) if pressed and message else None
    if pressed is None or message is None or chat_round is None:
        return
    await pressed.answer()
    await _nominate(
        context, Incoming(message, pressed.user, pressed.lang), chat_round, pressed.payload.film_id
    )


async def nominate_shared_card(update: Update, context: BotContext) -> None:
    """A card someone sent into the group through inline mode, while a round is open: a nomination."""
    got = await incoming(update, context)
    if got is None or got.private or got.message.via_bot is None or got.message.via_bot.id != context.bot.id:
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
