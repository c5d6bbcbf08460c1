"""What a plain message means when it is a chat and not a request: a greeting, thanks, goodbye, an
"ok", a request for help, for a film to watch, for today's film. Recognised only when every clause of
the message says one of them (after case, punctuation, emoji and «ё» are folded): "Hi there! What is
this bot?" asks for help, "thank you so much, that's great" thanks; a title is never taken for a
chat. English, Russian and the common Ukrainian words."""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import cache


class Intent(Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    RANDOM = "random"
    TODAY = "today"
    FILMS = "films"  # the whole collection: "show me the films"
    MORE = "more"  # «ещё», "another one": another film of the last request, else any
    BYE = "bye"
    OK = "ok"  # "ok", "👍", «понятно»: nothing to do, and the bot says so kindly


_BOT = r"(?:\s+(?:bot|there|friend|again|бот|ботик|друг|друже|еще раз))?"
_PLEASE = r"(?:\s+(?:please|pls|пожалуйста|плиз))?"
_FILM = r"(?:film|movie|something|anything|фильм|фильмец|кино|что\s*нибудь)"
_SOON = r"(?:\s+(?:tonight|today|now|this evening|вечером|сегодня|сейчас|на вечер))?"

_PATTERNS: dict[Intent, list[str]] = {
    Intent.GREETING: [
        rf"(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)){_BOT}",
        rf"(?:привет|приветик|приветствую|здравствуй|здравствуйте|здрасте|хай|салют|здорово){_BOT}",
        rf"(?:добрый (?:день|вечер)|доброе утро|доброй ночи){_BOT}",
        rf"(?:привіт|вітаю|добрий (?:день|вечір|ранок)|доброго (?:дня|ранку|вечора)|здрастуйте){_BOT}",
    ],
    Intent.THANKS: [
        rf"(?:thanks|thank you|thank u|thx|ty|cheers|many thanks|thanks a lot|thank you so much){_BOT}",
        rf"(?:спасибо|спасибо большое|большое спасибо|спасибки|спс|благодарю|мерси){_BOT}",
        rf"(?:дякую|щиро дякую|дуже дякую|дякую тобі|спасибі){_BOT}",
    ],
    Intent.MORE: [
        r"(?:еще|еще один|еще фильм|еще что нибудь|давай еще|еще такой|another|another one|one more|more"
        r"|next|something else|ще|ще один|ще щось)",
    ],
    Intent.FILMS: [
        r"(?:show me (?:the |all )?(?:films|movies)|all (?:the )?(?:films|movies)|(?:film|movie) list"
        r"|list of (?:films|movies)|what (?:films|movies) do you have)",
        r"(?:покажи (?:все )?фильмы|все фильмы|список фильмов|какие (?:есть )?фильмы|какие фильмы есть"
        r"|каталог)",
    ],
    Intent.BYE: [
        rf"(?:bye|goodbye|bye bye|see you|see ya|good night|night|later|see you later|ciao){_BOT}",
        rf"(?:пока|пока пока|до свидания|до встречи|до завтра|спокойной ночи|бывай|всего доброго){_BOT}",
        rf"(?:бувай|до побачення|на все добре|на добраніч|до зустрічі){_BOT}",
    ],
    Intent.OK: [
        r"(?:ok|okay|k|kk|cool|great|nice|awesome|perfect|good|got it|i see|sure|alright|all right|fine"
        r"|that'?s great|that is great|that'?s nice|sounds good|it'?s great|wow|yes|yep|no|nope|lol"
        r"|haha|hm+)",
        r"(?:ок|окей|хорошо|ладно|ясно|понятно|понял|поняла|отлично|класс|круто|супер|здорово|да|нет|ага"
        r"|угу|ну ладно|хм+|ха+|ахаха|вау)",
        r"(?:добре|зрозуміло|гаразд|чудово|клас|так|ні)",
        r"",  # only emoji or punctuation: 👍, ❤️, "…"
    ],
    Intent.HELP: [
        rf"(?:help|help me|i need help|what can you do|how does (?:this|it) work|how do i use (?:this|you)"
        rf"|commands|what are the commands){_PLEASE}",
        rf"(?:помощь|помоги|помогите|справка|команды|что ты умеешь|что ты можешь|как (?:тобой )?пользоваться"
        rf"|как это работает|что это за бот|кто ты|что ты такое|что умеешь|что ты делаешь){_PLEASE}",
        r"(?:what is this(?: bot)?|what'?s this(?: bot)?|who are you|what are you|what do you do)",
        r"(?:що ти вмієш|допомога|що це за бот)",
    ],
    Intent.RANDOM: [
        rf"(?:random|random (?:film|movie)|surprise me|recommend (?:a |me a )?{_FILM}"
        rf"|suggest (?:a |me a )?{_FILM}"
        rf"|what (?:should|shall|can) (?:i|we) watch|anything to watch|something to watch"
        rf"|give me a {_FILM}|pick (?:a |me a )?{_FILM}){_SOON}{_PLEASE}",
        rf"(?:посоветуй|посоветуйте|порекомендуй|порекомендуйте|предложи|подскажи)(?:\s+(?:мне|нам))?"
        rf"(?:\s+(?:какой нибудь |хороший |)?{_FILM})?{_SOON}{_PLEASE}",
        rf"(?:что (?:бы )?посмотреть|что можно посмотреть|что глянуть|случайный фильм|любой фильм"
        rf"|хочу (?:какой нибудь )?фильм|дай фильм){_SOON}{_PLEASE}",
    ],
    Intent.TODAY: [
        r"(?:(?:the )?(?:film|movie) of the day|today'?s (?:film|movie)|what'?s (?:the )?(?:film|movie) "
        r"(?:of the day|today)|daily (?:film|movie))",
        r"(?:фильм дня|фильм на сегодня|сегодняшний фильм|какой (?:сегодня )?фильм дня|что сегодня"
        r"|какой фильм сегодня)",
    ],
}


@cache
def _compiled() -> list[tuple[Intent, re.Pattern[str]]]:
    """The patterns, compiled on first use or by `prepare` (not at import: start-up does not need them)."""
    return [
        (intent, re.compile(rf"^(?:{pattern})$"))
        for intent, patterns in _PATTERNS.items()
        for pattern in patterns
    ]


def prepare() -> None:
    _compiled()


_WORDS = re.compile(r"[^\w']+")


def _normalized(message: str) -> str:
    """Lower case, «ё» as «е», hyphens and punctuation and emoji as spaces, one space between words."""
    text = unicodedata.normalize("NFKC", message).casefold().replace("ё", "е").replace("’", "'")
    return " ".join(_WORDS.sub(" ", text).split())


def intent_of(message: str) -> Intent | None:
    """The intent the whole message expresses, if it is one of these; None for anything else (a
    film's name, a question the bot cannot answer). Only emoji or punctuation is an OK."""
    text = _normalized(message)
    if len(text) > 80 or (not text and not message.strip()):
        return None
    return next((intent for intent, pattern in _compiled() if pattern.match(text)), None)


# When clauses say different things, the one to answer: a question before a greeting before thanks.
_PRIORITY = [
    Intent.HELP,
    Intent.TODAY,
    Intent.RANDOM,
    Intent.FILMS,
    Intent.GREETING,
    Intent.THANKS,
    Intent.BYE,
    Intent.OK,
]
_CLAUSES = re.compile(r"[.!?;,\n…]+|\s+(?:and|и|і|та)\s+")


def conversation(message: str) -> Intent | None:
    """The chat a message is when each of its clauses is one ("Привет! Что ты умеешь?": help);
    None when any clause is something else (a title, a request)."""
    if len(message) > 160:
        return None
    whole = intent_of(message)
    if whole is not None:
        return whole
    clauses = [c for c in _CLAUSES.split(message) if c.strip()]
    if len(clauses) < 2:
        return None
    found = [intent_of(clause) for clause in clauses]
    if any(intent is None for intent in found):
        return None
    return min((i for i in found if i is not None), key=_PRIORITY.index)
