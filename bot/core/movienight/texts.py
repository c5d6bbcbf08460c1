"""The movie night's messages: the invitation, the candidates, the poll's options, the winner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape

from bot.core.catalogue.model import Film
from bot.core.films.card import titles
from bot.core.models import Language, Zone, hhmm
from bot.core.movienight.model import Round
from bot.core.movienight.rules import Candidate, Member, Tally, Why
from bot.core.subscriptions.zones import zone_label
from bot.core.texts import text

OPTION_LIMIT = 100  # characters of a poll option


def deadline_text(deadline: datetime, zone: Zone, language: Language, now: datetime | None = None) -> str:
    """A moment as a Telegram date_time entity (Bot API 9.5): each member's client shows it in their
    own zone and format; one that cannot shows the text inside, "20:00 (Berlin, UTC+1)", with
    "tomorrow" when it is not today in that zone (where the client shows the weekday too)."""
    local = deadline.astimezone(zone.tz)
    where = zone_label(zone, language, deadline, in_brackets=True)
    days = (local.date() - (now or deadline).astimezone(zone.tz).date()).days
    same_day = days == 0
    if days == 1:  # "20:00 (tomorrow, Berlin, UTC+1)"
        where = f"{text(language, 'mn_tomorrow')}, {where}"
    elif days > 1:  # "19:00 (Saturday, Berlin, UTC+1)"
        where = f"{text(language, f'mn_day_{local.weekday()}')}, {where}"
    fallback = f"{hhmm(local.time())} ({where})"
    shown = "t" if same_day else "wt"  # short time; the weekday too for another day
    return f'<tg-time unix="{int(deadline.timestamp())}" format="{shown}">{escape(fallback)}</tg-time>'


def poll_question(chat_round: Round, zone: Zone, now: datetime) -> str:
    """ "What shall we watch tonight?", or tomorrow, or on Saturday: the day the time poll chose."""
    language = chat_round.language
    if chat_round.starts_at is None:
        return text(language, "mn_poll_question")
    local = chat_round.starts_at.astimezone(zone.tz)
    days = (local.date() - now.astimezone(zone.tz).date()).days
    if days <= 0:
        return text(language, "mn_poll_question")
    if days == 1:
        return text(language, "mn_poll_question_tomorrow")
    return text(language, "mn_poll_question_day", day=text(language, f"mn_on_day_{local.weekday()}"))


def moment_label(moment: datetime, zone: Zone, language: Language, now: datetime) -> str:
    """A time poll's option: "Today 20:00 (Berlin, UTC+1)", «Суббота, 19:00 (Берлин, UTC+1)»
    (poll options cannot carry a date_time entity: the zone is named)."""
    local = moment.astimezone(zone.tz)
    days = (local.date() - now.astimezone(zone.tz).date()).days
    day = text(language, "mn_today") if days == 0 else text(language, "mn_tomorrow") if days == 1 else None
    day = day or text(language, f"mn_day_{local.weekday()}")
    shown = text(language, "mn_moment", day=day[:1].upper() + day[1:], time=hhmm(local.time()))
    return f"{shown} ({zone_label(zone, language, moment, in_brackets=True)})"


def zone_note(zone_from: str | None, deadline: datetime, zone: Zone, language: Language) -> str:
    """Under the invitation, when a time of day was typed: which zone it was read in, and why."""
    if zone_from is None:
        return ""
    typed = hhmm(deadline.astimezone(zone.tz).time())
    label = zone_label(zone, language, deadline)
    return "\n\n" + escape(text(language, f"mn_zone_{zone_from}", time=typed, zone=label))


def _names(members: Sequence[Member]) -> str:
    return ", ".join(escape(m.name) for m in members)


def invitation(members: Sequence[Member], deadline: str, language: Language, note: str = "") -> str:
    starter = escape(members[0].name) if members else "?"
    return text(language, "mn_invitation", starter=starter, deadline=deadline, names=_names(members)) + note


def _why(candidate: Candidate, language: Language) -> str:
    reasons = []
    if candidate.why is Why.LISTS and candidate.lists:
        reasons.append(text(language, "mn_why_lists", count=candidate.lists))
    elif candidate.why is not Why.LISTS:
        reasons.append(text(language, f"mn_why_{candidate.why.value}"))
    if candidate.nominated:
        reasons.append(text(language, "mn_why_nominated"))
    return ", ".join(reasons)


def voting(
    members: Sequence[Member], candidates: Sequence[Candidate], deadline: str, language: Language
) -> str:
    """The invitation once the vote is on: the candidates in order, each with why it is there."""
    lines = [
        f"{number}. <b>{escape(titles(c.film, language)[0])}</b> ({c.film.year}) — {_why(c, language)}"
        for number, c in enumerate(candidates, 1)
    ]
    return text(language, "mn_voting", candidates="\n".join(lines), deadline=deadline, names=_names(members))


def poll_option(film: Film, language: Language) -> str:
    label = f"{titles(film, language)[0]} ({film.year})"
    return label if len(label) <= OPTION_LIMIT else label[: OPTION_LIMIT - 8].rstrip() + f"… ({film.year})"


def _days_ahead(chat_round: Round, zone: Zone, now: datetime) -> tuple[int, int]:
    """How many days ahead the round's film is watched (0: the day of the vote), and its weekday."""
    starts = (chat_round.starts_at or chat_round.deadline).astimezone(zone.tz)
    return (starts.date() - now.astimezone(zone.tz).date()).days, starts.weekday()


def film_day(chat_round: Round, zone: Zone, now: datetime) -> dict[str, str]:
    """The day the winner is watched, as the announcement says it: "Tonight’s film", «Фильм на
    завтра», "Saturday’s film" (`whose`), and "tonight’s film", «в субботу смотрим» (`when`)."""
    language = chat_round.language
    days, weekday = _days_ahead(chat_round, zone, now)
    key = "today" if days <= 0 else "tomorrow" if days == 1 else "day"
    return {
        "whose": text(language, f"mn_whose_{key}", day=text(language, f"mn_for_day_{weekday}")),
        "when": text(language, f"mn_film_when_{key}", day=text(language, f"mn_on_day_{weekday}")),
    }


def outcome_heading(
    result: Tally, films: Mapping[str, Film], language: Language, day: Mapping[str, str]
) -> str:
    """What the announcement says above the winner's card (plain text: the card escapes it); `day`:
    film_day's words for the day it is watched."""
    if result.winner is None:
        return text(language, "mn_no_votes", when=day["when"])
    if result.tied:
        quote = "«{}»" if language == "ru" else "“{}”"
        named = [quote.format(titles(films[f], language)[0]) for f in result.tied if f in films]
        last = " и " if language == "ru" else " and "
        return text(language, "mn_tie", films=", ".join(named[:-1]) + last + named[-1])
    votes = text(language, "mn_winner_votes", count=result.votes[result.winner])
    return text(language, "mn_winner", votes=votes, voters=result.voters, whose=day["whose"])
