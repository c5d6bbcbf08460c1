"""Nominating in the poll itself (issue #29): the film poll lets members add options (Bot API 9.6),
allows revoting and says its rules in its description; an added option is matched to the catalogue
by title and its votes count, one that is not in the collection gets one reply and counts for
nothing."""

from __future__ import annotations

from bot.telegram.context import BotApplication
from tests.support.botapi import BotAPIServer, Call, User, parse_html
from tests.support.flows import GROUP, in_group, press, settle, to_chat


def announcements(botapi: BotAPIServer) -> list[Call]:
    return [c for c in botapi.sent("sendMessage", chat_id=GROUP["id"]) if c.text.startswith(("🏆", "🎲"))]


async def start_vote(botapi: BotAPIServer, starter: User) -> Call:
    invitation = await in_group(botapi, starter, "/movienight 2h")
    new = botapi.since()
    await press(botapi, starter, invitation, "▶ Start the vote")
    return await new.wait_for("sendPoll", to_chat(GROUP["id"]))


async def test_members_add_films_to_the_poll_and_change_their_votes(
    botapi: BotAPIServer, clocked_bot: BotApplication, anna: User, boris: User
) -> None:
    await botapi.reply_to(anna, "/start")
    await botapi.reply_to(boris, "/start")
    poll = await start_vote(botapi, anna)
    assert poll.params["allow_adding_options"] is True and poll.params["allows_revoting"] is True
    assert poll.params["description"] == (
        "Vote for as many as you like and change your mind until the vote closes; to propose a film of "
        "this collection, add it as an option."
    )
    sent = poll.params["_sent"]["poll"]
    poll_id, options = sent["id"], len(sent["options"])
    titles = [o["text"] for o in sent["options"]]
    core = clocked_bot.bot_data.core
    assert core is not None
    catalogue = core.films.catalogue
    added = next(f for f in catalogue.visible if f"{f.title} ({f.year})" not in titles)  # Boris proposes it

    new = botapi.since()
    await botapi.add_poll_option(boris, poll_id, str(added.original_title))  # as he knows it, in Russian
    await botapi.add_poll_option(boris, poll_id, "Titanic")
    said = await new.wait_for("sendMessage", to_chat(GROUP["id"]))
    assert parse_html(said.text) == (  # in the round's language: the group's messages are in the starter's
        "Борис, “Titanic” is not in this collection, so votes for it will not count. Add a film of the "
        "collection by its title, or send /films to look through them."
    )
    await settle()
    assert len([c for c in botapi.sent("sendMessage", chat_id=GROUP["id"]) if "Titanic" in c.text]) == 1

    ballad, titanic = options, options + 1
    await botapi.answer_poll(anna, poll_id, [0])
    await botapi.answer_poll(anna, poll_id, [ballad])  # Anna changes her mind
    await botapi.answer_poll(boris, poll_id, [ballad, titanic])
    new = botapi.since()
    await press(botapi, anna, poll, "⏹ Close now")
    winner = await new.wait_for("sendMessage", lambda c: c.chat_id == GROUP["id"] and c.text.startswith("🏆"))
    shown = parse_html(winner.text)
    assert shown.startswith("🏆 Tonight’s film — 2 votes of 2:")
    assert added.title in shown
    assert len(announcements(botapi)) == 1
