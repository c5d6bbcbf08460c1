"""The film card: one HTML renderer for every place a film is shown."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.core.catalogue.likeness import Alike, Reason
from bot.core.catalogue.model import Author, Film, Person
from bot.core.diary.model import Verdict
from bot.core.models import Language, stars
from bot.core.texts import text

MESSAGE_LIMIT = 4096


def titles(film: Film, language: Language) -> tuple[str, str]:
    """The title a reader of `language` sees first, and the other one."""
    original = film.original_title or film.title
    return (original, film.title) if language == "ru" else (film.title, original)


def names(people: Sequence[Person], language: Language) -> str:
    """ "Eldar Ryazanov, …" for English readers, «Эльдар Рязанов, …» for Russian ones."""
    return ", ".join(person.get(language) for person in people)


def verdict_text(verdict: Verdict, language: Language) -> str:
    """ "★ 4.3 · 27 ratings", «★ 4,3 · 27 оценок»."""
    average = f"{verdict.average:.1f}"
    if language == "ru":
        average = average.replace(".", ",")
    return text(language, "card_community", average=average, count=verdict.count)


def render_card(
    film: Film,
    language: Language,
    heading: str | None = None,
    own: int | None = None,
    verdict: Verdict | None = None,
) -> str:
    """The card as Telegram HTML; everything from the catalogue is escaped. `own`: the reader's rating
    (half stars), on their private cards; `verdict`: the community's, once enough people rated it."""
    year = str(film.year)
    if film.premiere_year and film.premiere_year != film.year:
        year += ", " + text(language, "card_released", year=film.premiere_year)
    lines = []
    if heading:
        lines += [escape(heading), ""]
    first, second = titles(film, language)
    lines.append(f"<b>{escape(first)}</b> ({year})")
    lines.append(f"<i>{escape(second)}</i>")
    directed = "card_directed_many" if len(film.directors) > 1 else "card_directed"
    lines.append(f"{text(language, directed)}: {escape(names(film.directors, language))}")
    if film.cast:
        lines.append(f"{text(language, 'card_cast')}: {escape(names(film.cast, language))}")
    if film.based_on is not None:
        work = film.based_on.work.get(language)
        quoted = f"«{work}»" if language == "ru" else f"“{work}”"
        source = f"{film.based_on.author.get(language)}, {quoted}"
        lines.append(f"{text(language, 'card_based_on')}: {escape(source)}")
    made = [escape(film.studio.get(language))] if film.studio else []  # «Мосфильм» · 95 мин
    if film.runtime_min:
        made.append(text(language, "card_runtime", minutes=film.runtime_min))
    if made:
        lines.append(" · ".join(made))
    if verdict is not None:
        lines.append(verdict_text(verdict, language))
    if own is not None:
        lines.append(text(language, "card_your_rating", stars=stars(own)))
    lines += ["", escape(film.card_description.get(language))]
    if film.facts:
        lines += ["", f"<b>{text(language, 'card_facts')}</b>"]
        lines += [f"• {escape(fact.get(language))}" for fact in film.facts]
    return "\n".join(lines)


def oversized_cards(films: list[Film] | tuple[Film, ...]) -> list[str]:
    """Films whose card would not fit in one Telegram message, in either language."""
    problems = []
    for film in films:
        for language in ("en", "ru"):
            length = len(render_card(film, language, heading="🎬 " + "x" * 40))
            if length > MESSAGE_LIMIT:
                problems.append(
                    f"film '{film.id}': the {language} card has {length} characters "
                    f"(Telegram's limit is {MESSAGE_LIMIT}); shorten the description or facts"
                )
    return problems


def reason_text(reason: Reason, language: Language) -> str:
    """One reason a film is like another, in a few words: "also directed by …", «тоже по Чехову»."""
    if reason.theme is not None:
        return reason.theme.like.get(language)
    if reason.decade is not None:
        return text(language, "like_decade", decade=reason.decade)
    assert reason.person is not None
    name = reason.person.get(language)
    if isinstance(reason.person, Author) and language == "ru" and reason.person.ru_dative:
        name = reason.person.ru_dative
    return text(language, f"like_{reason.shared.value}", name=name)


REASONS_SHOWN = 2


def render_more_like(film: Film, alike: Sequence[Alike], language: Language) -> str:
    """The answer to 🎞 More like this: each film with its strongest reasons (escaped HTML)."""
    title = titles(film, language)[0]
    if not alike:
        return escape(text(language, "more_like_none", title=title))
    lines = [text(language, "more_like", title=escape(title)), ""]
    for number, one in enumerate(alike, 1):
        why = ", ".join(reason_text(r, language) for r in one.reasons[:REASONS_SHOWN])
        name = titles(one.film, language)[0]
        lines.append(f"{number}. <b>{escape(name)}</b> ({one.film.year}) — {escape(why)}")
    return "\n".join(lines)
