"""One reading of a message: the wish it expresses and the filters it names, with the words left
over. Words are compared in their dictionary form (see `forms`), in the search's Latin skeleton, so
«войну», "war" and «війна» meet their theme, and «с Баталовым» its actor."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import Enum

from bot.core.asking import words
from bot.core.asking.vocabulary import MAX_PHRASE, Facet, Kind, Vocabulary
from bot.core.catalogue.search import fold


class Wish(Enum):
    LIST = "list"  # the films that match (the default, once something is named)
    RANDOM = "random"  # one of them, at random: "recommend", «посоветуй», "I want"


class Role(Enum):
    ANY = "any"
    DIRECTOR = "director"
    ACTOR = "actor"
    AUTHOR = "author"


@dataclass(frozen=True)
class Named:
    facet: Facet
    role: Role = Role.ANY

    @property
    def films(self) -> frozenset[str]:
        facet = self.facet
        if facet.kind is not Kind.PERSON or self.role is Role.ANY:
            return facet.films
        return {Role.DIRECTOR: facet.directed, Role.ACTOR: facet.acted, Role.AUTHOR: facet.wrote}[self.role]


@dataclass
class Reading:
    wish: Wish = Wish.LIST
    named: list[Named] = field(default_factory=list)
    rest: list[str] = field(default_factory=list)  # the message's words not understood (folded)
    asked: bool = False  # a wish word was there ("recommend", «фильмы»): a request, not a title
    love: bool = False  # «про любовь»: all of them (a title's word too: "Office Romance")


def _words(*texts: str) -> frozenset[str]:
    return frozenset(w for text in texts for w in fold(text).split())


_RANDOM, _REQUEST, _FILLER, _LOVE = (
    _words(w) for w in (words.RANDOM, words.REQUEST, words.FILLER, words.LOVE)
)
# the words that say which part a person named next played
_ROLES = {
    **dict.fromkeys(_words(words.ACTOR), Role.ACTOR),
    **dict.fromkeys(_words(words.DIRECTOR), Role.DIRECTOR),
    **dict.fromkeys(_words(words.AUTHOR), Role.AUTHOR),
}
# Decades: "70-х", "70-е", "1970-х", "70s", "1970s", "семидесятых", "seventies"
_DECADE_DIGITS = re.compile(
    r"(?<!\d)(1[89])?(\d)0(?:-?\s?(?:х|x|е|e|ых|ые|s|'s|ті|х років))(?![\w])", re.IGNORECASE
)
_DECADE_WORDS = {
    **{fold(w): d for w, d in [("двадцатые", 1920), ("тридцатые", 1930), ("сороковые", 1940),
                                ("пятидесятые", 1950), ("шестидесятые", 1960), ("семидесятые", 1970),
                                ("восьмидесятые", 1980), ("девяностые", 1990)]},
    **{fold(w): d for w, d in [("twenties", 1920), ("thirties", 1930), ("forties", 1940), ("fifties", 1950),
                          ("sixties", 1960), ("seventies", 1970), ("eighties", 1980), ("nineties", 1990)]},
}  # fmt: skip
_DECADE_STEMS = [(fold(stem), d) for stem, d in [
    ("двадцат", 1920), ("тридцат", 1930), ("сороков", 1940), ("пятидесят", 1950),
    ("шестидесят", 1960), ("семидесят", 1970), ("восьмидесят", 1980), ("девяност", 1990),
]]  # fmt: skip
_YEAR = re.compile(r"(?<!\d)(19[0-9]\d)(?!\d)(?!\s*-?\s*(?:х|x|е|ых|s)\b)")


def read(message: str, vocabulary: Vocabulary) -> Reading:
    """The wish and the filters of `message`; never raises."""
    reading = Reading()
    text = message[:256]
    for match in _DECADE_DIGITS.finditer(text):
        century = int(match.group(1) or 19) * 100
        reading.named.append(Named(vocabulary.period(century + int(match.group(2)) * 10, decade=True)))
    text = _DECADE_DIGITS.sub(" ", text)
    for match in _YEAR.finditer(text):
        reading.named.append(Named(vocabulary.period(int(match.group(1)), decade=False)))
    text = _YEAR.sub(" ", text)
    words = fold(text).split()
    lemmas = [vocabulary.lemma(w) for w in words]
    role = Role.ANY
    position = 0
    while position < len(words):
        word, lemma = words[position], lemmas[position]
        found = None
        # a phrase of several words only where one can start (most words start none)
        longest = min(MAX_PHRASE, len(words) - position)
        if not any(each in vocabulary.starts for each in vocabulary.lemmas(word)[:3]):
            longest = 1
        for size in range(longest, 0, -1):
            found = _phrase(vocabulary, words[position : position + size])
            if found:
                break
        if found:
            for facet in _chosen(found, role):
                reading.named.append(Named(facet, role if facet.kind is Kind.PERSON else Role.ANY))
            position += size
            role = Role.ANY
            continue
        position += 1
        decade = _DECADE_WORDS.get(word) or next(
            (d for stem, d in _DECADE_STEMS if word.startswith(stem)), None
        )
        said = {word, lemma}
        if decade:
            reading.named.append(Named(vocabulary.period(decade, decade=True)))
        elif said & _RANDOM:
            reading.wish, reading.asked = Wish.RANDOM, True
        elif said & _REQUEST:
            reading.asked = True
        elif said & _LOVE:
            reading.love = True
        elif said & _ROLES.keys():
            # «с Янковским»: a request, whoever it names
            role, reading.asked = next(_ROLES[w] for w in (word, lemma) if w in _ROLES), True
        elif said & _FILLER or len(word) < 2:
            continue
        elif people := vocabulary.near_surname(word):  # a typo of a name that is here
            reading.named += [Named(p, role) for p in people[:1]]
            role = Role.ANY
        else:
            reading.rest.append(word)
    reading.named = list({(n.facet.key, n.role): n for n in reading.named}.values())
    return reading


def _chosen(facets: list[Facet], role: Role) -> list[Facet]:
    """Of the facets a phrase names (a surname two people share, a word of a theme and a mood), the
    ones the role fits, else all of them."""
    facets = list(dict.fromkeys(facets))
    if len(facets) == 1:
        return facets
    if role is Role.ANY:
        people = [f for f in facets if f.kind is Kind.PERSON]
        if not people:
            return facets[:2]  # a theme and a mood alike («музыка»): both
        # of two people, the director, else the author: «фильмы Рязанова» are Eldar Ryazanov's
        return sorted(people, key=lambda f: (not f.directed, not f.wrote))[:1]
    fitting = [f for f in facets if f.kind is Kind.PERSON and Named(f, role).films]
    return fitting[:1] or facets[:1]


def _phrase(vocabulary: Vocabulary, words: list[str]) -> list[Facet] | None:
    """What these words name together, through any of their dictionary forms: «первую любовь» (a
    form of «первый», of Сорок первый, and of «первая»); a single word through all its lexemes
    («Рязанова»: Raisa's surname, and a form of Eldar's)."""
    if len(words) == 1:
        word = words[0]
        found = [
            facet
            for each in dict.fromkeys([word, *vocabulary.lemmas(word)])
            for facet in vocabulary.phrases.get((each,), ())
        ]
        return found or None
    forms = (vocabulary.lemmas(w)[:3] for w in words)
    return next((hit for key in itertools.product(*forms) if (hit := vocabulary.phrases.get(key))), None)
