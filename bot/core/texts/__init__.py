"""User-facing strings per language (en.yaml, ru.yaml) and the language rules."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from bot.core.models import LANGUAGES, Language

RUSSIAN_SPEAKING = frozenset({"ru", "uk", "be"})


@cache
def _strings(language: Language) -> dict[str, Any]:
    import yaml  # here: the bot reaches Telegram first, and loads the texts right after (`prepare`)

    text = resources.files(__package__).joinpath(f"{language}.yaml").read_text(encoding="utf-8")
    # libyaml's safe loader where PyYAML has it: the pure-Python one is several times slower.
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


def text(language: Language, key: str, **values: object) -> str:
    """The string `key` in `language`, with `values` substituted (callers escape them). A string
    with plural forms (a mapping: one / few / many / other) is chosen by `count`."""
    template = _strings(language)[key]
    if isinstance(template, dict):
        forms: dict[str, str] = template
        template = forms.get(plural_form(language, int(str(values["count"])))) or forms["other"]
    return str(template).format(**values) if values else str(template)


@cache
def _locale(language: Language) -> Any:
    from babel import Locale  # imported on first use: it is not needed to start the bot

    return Locale.parse(language)


def prepare() -> None:
    """Load now what the first reply in each language would load (the strings, CLDR's plural rules)."""
    for language in LANGUAGES:
        _strings(language)
        _locale(language)


def plural_form(language: Language, count: int) -> str:
    """CLDR's plural category of `count` in `language`: "one", "few", "many" or "other"
    (1 фильм, 2 фильма, 5 фильмов, 21 фильм; 1 film, 2 films)."""
    return str(_locale(language).plural_form(abs(count)))


def strings(language: Language, key: str) -> Any:
    """A structured entry (a list or mapping), e.g. month names or command descriptions."""
    return _strings(language)[key]


def default_language(language_code: str | None) -> Language:
    """Russian for ru/uk/be Telegram clients, English otherwise."""
    base = (language_code or "").split("-")[0].lower()
    return "ru" if base in RUSSIAN_SPEAKING else "en"


def as_language(value: str | None) -> Language | None:
    return next((lang for lang in LANGUAGES if lang == value), None)


def format_day(language: Language, day: date) -> str:
    month = strings(language, "months")[day.month - 1]
    return text(language, "date_format", day=day.day, month=month)
