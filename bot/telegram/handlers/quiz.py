"""The quiz: /quiz alone (five native quiz polls, "Next question ▶" after each, the score), /quiz
[N] in a group (N questions, each open for a while or until every player has answered, then the
table), /quiz top (a group's all-time table). The rules are bot/core/quiz's; this module sends the
polls and says what happened.

Poll answers come here first: a quiz poll's answer is counted, any other goes on to the movie night
(one PTB handler takes an update, so one of them must pass it on)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from html import escape

from telegram import Bot, InlineKeyboardMarkup, Poll, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import PollAnswerHandler

from bot.core.films.card import render_talk, titles
from bot.core.models import Language
from bot.core.quiz.service import GROUP_MAX, GROUP_SIZE, PRIVATE_SIZE, QUESTION_TIME, Answered, Asking
from bot.core.quiz.service import Progress as QuizProgress
from bot.core.quiz.table import QuizRound, Score
from bot.core.services import Core
from bot.core.texts import text
from bot.telegram.callbacks import Payload, RowId, button
from bot.telegram.context import BotContext
from bot.telegram.replies import reply, send

from . import movienight
from .card import OpenFilm, TalkAbout
from .common import Handlers, Incoming, Press, command_argument

log = logging.getLogger(__name__)

handlers = Handlers()

MEDALS = ("🥇", "🥈", "🥉")
DAILY_WINDOW = timedelta(hours=6)  # a film of the day older than this gets no question any more


@dataclass(frozen=True)
class NextQuestion(Payload, action="qzn"):
    """Next question ▶, under the answer to question `number` of a private round."""

    round_id: RowId
    number: RowId


class TelegramQuiz:
    """The quiz's port to Telegram (bot/core/quiz/service.py: Asker)."""

    def __init__(self, bot: Bot, core: Core):
        self._bot = bot
        self._core = core

    async def ask(self, asking: Asking) -> tuple[str, int] | None:
        question = asking.question
        try:
            sent = await self._bot.send_poll(
                asking.round.chat_id,
                question.text,
                list(question.options),
                is_anonymous=False,
                type=Poll.QUIZ,
                correct_option_ids=[question.correct],  # type: ignore[list-item]  # 0-3, a Literal to PTB
                explanation=question.explanation,
            )
        except (Forbidden, BadRequest) as exc:  # removed from the group, or the chat is gone
            log.info("quiz round %s: question %s not sent: %s", asking.round.id, asking.number, exc)
            return None
        except TelegramError as exc:
            log.warning("quiz round %s: question %s not sent: %s", asking.round.id, asking.number, exc)
            return None
        if sent.poll is None:
            return None
        return sent.poll.id, sent.message_id

    async def stop(self, chat_id: int, message_id: int) -> None:
        try:
            await self._bot.stop_poll(chat_id, message_id)
        except TelegramError as exc:  # deleted, or closed already: the answers in hand count
            log.info("quiz poll %s in %s not stopped: %s", message_id, chat_id, exc)

    async def finished(self, quiz_round: QuizRound, scores: list[Score]) -> None:
        lang = quiz_round.language
        if quiz_round.is_group:
            body = board(scores, quiz_round.size, lang)
        else:
            right = scores[0].right if scores else 0
            progress = progress_text(await self._core.quiz.progress(quiz_round.starter_id), lang)
            body = text(lang, "quiz_score", right=right, size=quiz_round.size, progress=progress)
        try:
            await send(self._bot, quiz_round.chat_id, body, html=True)
        except TelegramError as exc:
            log.info("quiz round %s: the result not sent: %s", quiz_round.id, exc)


def progress_text(progress: QuizProgress, lang: Language) -> str:
    """ "This week: 12 of 15 right · best streak 7", or a first round's good luck."""
    if not progress.answered and not progress.best_streak:
        return text(lang, "quiz_progress_first")
    return text(
        lang, "quiz_progress", right=progress.right, answered=progress.answered, streak=progress.best_streak
    )


def board(scores: list[Score], size: int | None, lang: Language) -> str:
    """ "🥇 Anna 4/5 · 🥈 Дмитрий 3/5", a line per player; `size` None for the all-time table (right
    answers of those answered)."""
    if not scores:
        return text(lang, "quiz_board_empty" if size is not None else "quiz_top_empty")
    lines, place = [], 0
    for number, score in enumerate(scores):
        if number == 0 or score.right != scores[number - 1].right:  # a tie shares its place
            place = number
        medal = place < len(MEDALS) and score.right > 0  # no gold for no right answer
        mark = MEDALS[place] if medal else f"{place + 1}."
        out_of = size if size is not None else score.answered
        lines.append(f"{mark} {escape(score.name)} {score.right}/{out_of}")
    return text(lang, "quiz_board" if size is not None else "quiz_top", lines="\n".join(lines))


@handlers.command("quiz")
async def start_quiz(got: Incoming, context: BotContext) -> None:
    """/quiz: a round alone in a private chat; /quiz [N] or /quiz top in a group."""
    argument = command_argument(got.message).casefold()
    quiz = context.core.quiz
    if got.private:
        if argument:
            await reply(got.message, text(got.lang, "quiz_private_usage"))
            return
        quiz_round = await quiz.start(got.user.id, got.user.id, got.lang, is_group=False, size=PRIVATE_SIZE)
        if quiz_round is None:
            await reply(got.message, text(got.lang, "quiz_none_left"))
            return
        progress = progress_text(await quiz.progress(got.user.id), got.lang)
        await reply(got.message, text(got.lang, "quiz_start", size=PRIVATE_SIZE, progress=progress))
        await quiz.go_on(quiz_round, 0, TelegramQuiz(context.bot, context.core))
        return
    chat_id = got.message.chat.id
    if argument in ("top", "топ"):
        await reply(got.message, board(await quiz.top(chat_id), None, got.lang), html=True)
        return
    size = GROUP_SIZE
    if argument:
        if not argument.isdigit() or not 1 <= int(argument) <= GROUP_MAX:
            await reply(got.message, text(got.lang, "quiz_group_usage", most=GROUP_MAX))
            return
        size = int(argument)
    quiz_round = await quiz.start(chat_id, got.user.id, got.lang, is_group=True, size=size)
    if quiz_round is None:
        going = await quiz.open_round(chat_id)
        key = "quiz_busy" if going is not None else "quiz_none_left_group"
        await reply(got.message, text(got.lang, key))
        return
    seconds = int(QUESTION_TIME.total_seconds())
    await reply(got.message, text(got.lang, "quiz_start_group", count=quiz_round.size, seconds=seconds))
    await quiz.go_on(quiz_round, 0, TelegramQuiz(context.bot, context.core))


async def answer_poll(update: Update, context: BotContext) -> None:
    """A poll answer: a quiz's is counted (its chat hears what comes next); any other is a movie
    night's vote."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    name = answer.user.first_name or answer.user.username or "?"
    answered = await context.core.quiz.answer(answer.poll_id, answer.user.id, name, list(answer.option_ids))
    if answered is None:
        if await context.core.quiz.is_quiz_poll(answer.poll_id):
            return  # a late or repeated answer to a quiz: not counted, not a vote
        await movienight.count_vote(update, context)
        return
    if answered.everyone:
        await _done(context, answered)


async def _done(context: BotContext, answered: Answered) -> None:
    """The question has all its answers: a private round says how it went and offers the next
    question; a group's closes the poll and goes on."""
    quiz, quiz_round = context.core.quiz, answered.round
    if not await quiz.close(quiz_round.id, answered.number):
        return
    telegram = TelegramQuiz(context.bot, context.core)
    if quiz_round.is_group:
        slot_message = await quiz.message_of(quiz_round.id, answered.number)
        if slot_message is not None:
            await telegram.stop(quiz_round.chat_id, slot_message)
        await quiz.go_on(quiz_round, answered.number, telegram)
        return
    lang = quiz_round.language
    question = answered.question
    if quiz_round.daily:  # the question of the day: how it went, and no round to finish out loud
        await quiz.finish(quiz_round)
        key = "quiz_daily_right" if answered.right else "quiz_daily_wrong"
        said = text(lang, key, answer=question.options[question.correct])
        await send(context.bot, quiz_round.chat_id, said)
        return
    if await quiz.is_last(quiz_round, answered.number):
        await quiz.go_on(quiz_round, answered.number, telegram)  # the round ends: its score
        return
    key = "quiz_right" if answered.right else "quiz_wrong"
    said = text(
        lang, key, number=answered.number, size=quiz_round.size, answer=question.options[question.correct]
    )
    film = context.core.films.catalogue.get(answered.question.film_id)
    rows = [[button(text(lang, "button_quiz_next"), NextQuestion(quiz_round.id, answered.number + 1))]]
    if film is not None:
        rows.append([button(f"🎬 {titles(film, lang)[0]}", OpenFilm(film.id))])
    await send(context.bot, quiz_round.chat_id, said, keyboard=InlineKeyboardMarkup(rows))


@handlers.press(NextQuestion)
async def press_next(pressed: Press[NextQuestion], context: BotContext) -> None:
    """Next question ▶: that question, once (a second press, or one on an old message, does
    nothing but say so)."""
    quiz = context.core.quiz
    quiz_round = await quiz.round(pressed.payload.round_id)
    if quiz_round is None or quiz_round.finished or quiz_round.starter_id != pressed.user.id:
        await pressed.answer(text(pressed.lang, "quiz_stale"))
        return
    asking = await quiz.claim_next(quiz_round, pressed.payload.number)
    if asking is None:
        await pressed.answer(text(pressed.lang, "quiz_already_asked"))
        return
    await pressed.answer()
    telegram = TelegramQuiz(context.bot, context.core)
    sent = await telegram.ask(asking)
    if sent is None:
        await quiz.not_asked(asking)
        return
    await quiz.asked(asking, *sent)


@handlers.press(TalkAbout)
async def press_talk(pressed: Press[TalkAbout], context: BotContext) -> None:
    """💬 Talking points: the film club's questions about a film, in the chat it was pressed in."""
    film = await pressed.film(context, pressed.payload.film_id)
    if film is None:
        return
    await pressed.answer()
    chat_id = pressed.message.chat.id if pressed.message is not None else pressed.user.id
    try:
        await send(context.bot, chat_id, render_talk(film, pressed.lang), html=True)
    except TelegramError as exc:
        log.info("talking points not sent to %s: %s", chat_id, exc)


async def advance(bot: Bot, core: Core) -> None:
    """One pass: close the group questions whose time is up and go on with their rounds; send the
    questions of the day to subscribers whose film of the day has just come."""
    telegram = TelegramQuiz(bot, core)
    await core.quiz.advance(telegram)
    since = core.quiz.now() - DAILY_WINDOW
    await core.quiz.ask_daily(await core.subscriptions.delivered_with_quiz(since), telegram)


handlers.update(PollAnswerHandler(answer_poll))
