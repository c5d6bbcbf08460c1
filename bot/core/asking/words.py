"""The words a request is read by, in dictionary form, by what they do. `reading` folds them into
its sets; the vocabulary has every form of each made (`forms`), so «посоветуй», «фильмы», «в
главной роли» and "recommends" are read as the words listed here. English, Russian and Ukrainian."""

from __future__ import annotations

from collections.abc import Iterable

# A wish for one film at random.
RANDOM = (
    "посоветовать порекомендовать предложить подсказать хотеть хотеться случайный любой рандом нибудь "
    "нечто recommend suggest want random surprise pick something anything порадити хочу щось"
)
# Words that make a request a request ("films of ...", "show me ..."), without naming anything.
REQUEST = (
    "фильм кино кинофильм картина список показать найти дать включить посмотреть смотреть глянуть "
    "film movie picture list show find give watch see фільм"
)
# Words that carry nothing (prepositions, pronouns, politeness), the roles' words aside.
FILLER = (
    "про о об в на из и а но или какой хороший старый советский сегодня вечер вечерком мне нам "
    "типа вроде интересный лучший классный классический как такой бы хотелось что то выйти выходить "
    "главный студия released came out "
    "kind sort really very maybe pls plz nice great best interesting classic set where "
    "пожалуйста плиз ну же ли есть у тебя вас вы ты можешь можно там это такое такие "
    "очень самый год годы годов года г "
    "the a an of about in on and or but some any good old soviet tonight today please me us i we you "
    "can could would like to for is are there one ones from that this those these with year years "
    "studio що будь ласка мені"
)
# Love: every film here is about it, so it asks for films without narrowing them («про любовь»).
LOVE = (
    "romantic romance love lovely story tale любовь романтический романтичный романтика влюбленный "
    "история кохання"
)
ACTOR = "с со with starring играть сыграть актер актриса роль участие actor actress star play"
DIRECTOR = "режиссер снять director direct directed by"
AUTHOR = "по based after экранизация author adaptation"

EVERY = (RANDOM, REQUEST, FILLER, LOVE, ACTOR, DIRECTOR, AUTHOR)


def by_language(texts: Iterable[str]) -> dict[str, list[str]]:
    """The words of `texts` by the language whose dictionary has them: Latin letters are English,
    і, ї, є or ґ Ukrainian, other Cyrillic Russian."""
    found: dict[str, list[str]] = {"en": [], "ru": [], "uk": []}
    for word in (w for text in texts for w in text.split()):
        if word.isascii():
            found["en"].append(word)
        elif any(letter in "іїєґ" for letter in word):
            found["uk"].append(word)
        else:
            found["ru"].append(word)
    return found
