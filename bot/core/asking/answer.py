"""The answer to a message in one's own words: a chat (a greeting, thanks, help), a title to search
for, or a request — the films it names as a list headed by what was understood, one of them at
random, or an honest "none here" with the nearest useful list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from bot.core.asking.reading import Named, Reading, Role, Wish, read
from bot.core.asking.vocabulary import Kind, Vocabulary
from bot.core.catalogue.model import Film, in_reading_order
from bot.core.catalogue.search import SearchIndex, Verdict, fold
from bot.core.films.intents import Intent, conversation
from bot.core.models import Language
from bot.core.texts import text


class AskedKind(Enum):
    INTENT = "intent"  # a chat: greeting, thanks, help, goodbye, a random film, today's
    TITLE = "title"  # a film's name: the title search decides, on the message as it is
    LIST = "list"  # the films a request names (one film: its card)
    RANDOM = "random"  # one of them at random
    NONE = "none"  # none here; `films` are the nearest list's, if any


@dataclass(frozen=True)
class Asked:
    kind: AskedKind
    intent: Intent | None = None
    films: tuple[Film, ...] = ()
    what: str = ""  # the request as understood, in the reader's language: "Films by Eldar Ryazanov"
    key: str = ""  # its filters, for the buttons that page it or pick another ("t-comedy.d-1970")
    unknown: str = ""  # the words of it that name nothing here, as typed ("Tarkovsky")
    nearest: str = ""  # with NONE: the heading of the nearest list (`films`)
    nearest_key: str = ""


_PERIODS = (Kind.DECADE, Kind.YEAR)
KEY_LIMIT = 48  # characters of a request's filters a button can carry
_ORDER = {
    Kind.PERSON: 0, Kind.WORK: 1, Kind.STUDIO: 2, Kind.THEME: 3, Kind.MOOD: 4, Kind.DECADE: 5, Kind.YEAR: 6,
}  # fmt: skip


def ask(message: str, language: Language, index: SearchIndex, vocabulary: Vocabulary) -> Asked:
    """How to answer `message` (see the module); never raises."""
    intent = conversation(message)
    if intent is not None:
        return Asked(AskedKind.INTENT, intent)
    if index.whole_title(message) is not None:  # "Moscow Does Not Believe in Tears" is a title
        return Asked(AskedKind.TITLE)
    reading = read(message, vocabulary)
    if reading.named and (reading.rest or any(n.facet.kind in _PERIODS for n in reading.named)):
        # "Ася 1977": a title and its year, not the films of 1977
        without_year = re.sub(r"\b(?:1[89]\d\d)\b", " ", message)
        titled = without_year != message and index.whole_title(without_year) is not None
        if titled or (reading.rest and index.find(message).verdict is Verdict.ONE):
            return Asked(AskedKind.TITLE)
    strange = [w for w in reading.rest if not index.knows(w)]
    unknown = _as_typed(message, reading.rest if strange else [])
    if not reading.named:
        if reading.asked and unknown:
            return Asked(AskedKind.NONE, unknown=unknown)  # «фильмы Тарковского»: not here
        if reading.rest or not (reading.asked or reading.love):
            return Asked(AskedKind.TITLE)
        # «посоветуй фильм», or «про любовь» (every film here is about love): any, or all of them
        return Asked(AskedKind.INTENT, Intent.RANDOM if reading.wish is Wish.RANDOM else Intent.FILMS)
    answered = answer(reading, language, index.films)
    if unknown:  # «фильмы Тарковского 70-х»: not here; the films of the 70s are the nearest list
        return Asked(
            AskedKind.NONE, films=answered.films, unknown=unknown,
            nearest=answered.what if answered.films else "", nearest_key=answered.key,
        )  # fmt: skip
    return answered


def answer(reading: Reading, language: Language, films: Sequence[Film]) -> Asked:
    """The films the reading names, and how to present them."""
    named = sorted(reading.named, key=lambda n: _ORDER[n.facet.kind])
    matching = _matching(named, films, language)
    what, key = describe(named, language), _key(named)
    if matching:
        kind = AskedKind.RANDOM if reading.wish is Wish.RANDOM else AskedKind.LIST
        return Asked(kind, films=matching, what=what, key=key)
    for drop in _fewer(named):  # the nearest useful list: the same request, less narrow
        nearest = _matching(drop, films, language)
        if nearest:
            return Asked(
                AskedKind.NONE, films=nearest, what=what, key=key,
                nearest=describe(drop, language), nearest_key=_key(drop),
            )  # fmt: skip
    return Asked(AskedKind.NONE, what=what, key=key)


def by_key(key: str, language: Language, films: Sequence[Film], vocabulary: Vocabulary) -> Asked | None:
    """A request again, from the filters a button carries; None when they no longer name anything."""
    named = []
    for part in key.split("."):
        facet_key, _, role = part.partition("~")
        facet = vocabulary.facet(facet_key)
        if facet is None:
            return None
        named.append(Named(facet, Role(role) if role in {r.value for r in Role} else Role.ANY))
    return answer(Reading(named=named), language, films) if named else None


def _matching(named: Sequence[Named], films: Sequence[Film], language: Language) -> tuple[Film, ...]:
    ids: frozenset[str] | None = None
    for one in named:
        ids = one.films if ids is None else ids & one.films
    return in_reading_order([f for f in films if ids is not None and f.id in ids], language)


def _fewer(named: list[Named]) -> list[list[Named]]:
    """The request (in `_ORDER`) with its narrowest filters dropped, one more at a time (a year or a
    decade first, then a mood, a theme, a studio, a work), never with none left."""
    return [named[:size] for size in range(len(named) - 1, 0, -1)]


def _key(named: Sequence[Named]) -> str:
    parts = [n.facet.key + (f"~{n.role.value}" if n.role is not Role.ANY else "") for n in named]
    key = ".".join(parts)
    return key if len(key) <= KEY_LIMIT else ""


def _as_typed(message: str, folded: list[str]) -> str:
    """The words of `message` whose folded forms are `folded`, as the user typed them."""
    if not folded:
        return ""
    wanted = set(folded)
    typed = [w for w in re.findall(r"[\w'’-]+", message) if set(fold(w).split()) & wanted]
    return " ".join(typed)


def describe(named: Sequence[Named], language: Language) -> str:
    """The request (in `_ORDER`) as understood, as a list's heading: "Comedies of the 1970s",
    «Фильмы Эльдара Рязанова», "Sad films based on Anton Chekhov"."""
    labelled = [n for n in named if n.facet.heading is not None]
    base = (
        labelled[0].facet.heading.get(language)
        if labelled and labelled[0].facet.heading
        else text(language, "asked_films")
    )
    parts = [base]
    for one in named:
        facet = one.facet
        if labelled and one is labelled[0]:
            continue
        if facet.kind is Kind.PERSON:
            parts.append(_person(one, language))
        elif facet.kind is Kind.WORK:
            parts.append(text(language, "asked_work", work=facet.name.get(language)))
        elif facet.kind is Kind.STUDIO:
            parts.append(text(language, "asked_studio", name=facet.name.get(language)))
        elif facet.kind in _PERIODS:
            parts.append(text(language, "asked_period", period=facet.name.get(language)))
        else:
            parts.append(text(language, "asked_also", label=facet.name.get(language)))
    return " ".join(parts)


def _person(one: Named, language: Language) -> str:
    facet, role = one.facet, one.role
    if role is Role.ANY:
        role = Role.DIRECTOR if facet.directed else Role.AUTHOR if facet.wrote else Role.ACTOR
    name = facet.name.get(language)
    if role is Role.DIRECTOR:
        return (
            text(language, "asked_by", name=name) if language != "ru" or not facet.ru_gent else facet.ru_gent
        )
    if role is Role.ACTOR:
        inflected = facet.ru_ablt if language == "ru" else None
        return (
            text(language, "asked_with", name=inflected)
            if inflected
            else text(language, "asked_starring", name=name)
        )
    if language == "ru" and facet.ru_dative:
        return text(language, "asked_after", name=facet.ru_dative)
    return text(language, "asked_based_on", name=name)
