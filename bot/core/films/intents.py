"""What a plain message means when it is not a film's name: a greeting, thanks, a request for help,
for a film to watch, for today's film. Recognised only when the whole message says it (after case,
punctuation, emoji and «ё» are folded), so a title is never taken for a chat."""

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


_BOT = r"(?:\s+(?:bot|there|friend|бот|ботик|друг))?"
_PLEASE = r"(?:\s+(?:please|pls|пожалуйста|плиз))?"
_FILM = r"(?:film|movie|something|anything|фильм|фильмец|кино|что\s*нибудь)"
_SOON = r"(?:\s+(?:tonight|today|now|this evening|вечером|сегодня|сейчас|на вечер))?"

_PATTERNS: dict[Intent, list[str]] = {
    Intent.GREETING: [
        rf"(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)){_BOT}",
        rf"(?:привет|приветик|приветствую|здравствуй|здравствуйте|здрасте|хай|салют|здорово){_BOT}",
        rf"(?:добрый (?:день|вечер)|доброе утро|доброй ночи){_BOT}",
    ],
    Intent.THANKS: [
        rf"(?:thanks|thank you|thank u|thx|ty|cheers|many thanks|thanks a lot|thank you so much){_BOT}",
        rf"(?:спасибо|спасибо большое|большое спасибо|спасибки|спс|благодарю|мерси){_BOT}",
    ],
    Intent.HELP: [
        rf"(?:help|help me|i need help|what can you do|how does (?:this|it) work|how do i use (?:this|you)"
        rf"|commands|what are the commands){_PLEASE}",
        rf"(?:помощь|помоги|помогите|справка|команды|что ты умеешь|что ты можешь|как (?:тобой )?пользоваться"
        rf"|как это работает){_PLEASE}",
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
    film's name, a question the bot cannot answer)."""
    text = _normalized(message)
    if not text or len(text) > 80:
        return None
    return next((intent for intent, pattern in _compiled() if pattern.match(text)), None)
