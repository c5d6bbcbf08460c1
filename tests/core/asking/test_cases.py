"""The requests table (ask_cases.yaml, issue #25): each request gets the films the catalogue's own
data says it asks for, an honest "none here", the chat it is, or the title it names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.core.asking.answer import AskedKind, ask
from bot.core.catalogue.model import Film
from bot.core.catalogue.search import Verdict
from bot.core.films.intents import Intent
from bot.core.films.service import Library, open_library

ROOT = Path(__file__).resolve().parents[3]
CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "ask_cases.yaml").read_text())
LIBRARY: Library = open_library(ROOT / "data" / "films.yaml")


def holds(name: str, value: Any, film: Film) -> bool:
    """Whether the film has what a case's `name: value` asks for, by the catalogue's data."""
    directors = {p.en for p in film.directors}
    actors = {p.en for p in film.cast}
    authors = {film.based_on.author.en} if film.based_on and film.based_on.author else set()
    if name == "director":
        return value in directors
    if name == "actor":
        return value in actors
    if name == "author":
        return value in authors
    if name == "person":
        return value in directors | actors | authors
    if name == "work":
        return film.based_on is not None and film.based_on.work.en == value
    if name == "theme":
        return {value} <= set(film.themes)
    if name == "mood":
        return value in film.moods
    if name == "studio":
        return film.studio is not None and film.studio.en == value
    if name == "decade":
        return bool(film.year // 10 * 10 == value)
    if name == "year":
        return value in (film.year, film.premiere_year)
    return True


FILTERS = ("director", "actor", "author", "person", "work", "theme", "mood", "studio", "decade", "year")


def expected(case: dict[str, Any], films: tuple[Film, ...]) -> set[str]:
    """The films a case asks for, from the catalogue's data."""
    return {f.id for f in films if all(holds(n, case[n], f) for n in FILTERS if n in case)}


def outcome(case: dict[str, Any]) -> str | None:
    """None when the case gets what it asks for; else what it got."""
    query = case["q"]
    language = case.get("lang") or ("ru" if re.search("[а-яёіїєґ]", query, re.IGNORECASE) else "en")
    asked = ask(query, "ru" if language == "ru" else "en", LIBRARY.index, LIBRARY.vocabulary)
    got = f"{asked.kind.value} {asked.intent} {asked.what!r} {sorted(f.id for f in asked.films)}"
    if "intent" in case:
        return None if asked.kind is AskedKind.INTENT and asked.intent is Intent(case["intent"]) else got
    if "title" in case:
        found = LIBRARY.index.find(query) if asked.kind is AskedKind.TITLE else None
        ok = found is not None and found.verdict is Verdict.ONE and found.films[0].id == case["title"]
        return None if ok else got
    if case.get("none"):
        if asked.kind is AskedKind.NONE:
            return None
        found = LIBRARY.index.find(query) if asked.kind is AskedKind.TITLE else None
        return None if found is not None and found.verdict is Verdict.NONE else got
    wanted = expected(case, LIBRARY.catalogue.visible)
    kind = AskedKind.RANDOM if case.get("wish") == "random" else AskedKind.LIST
    ok = asked.kind is kind and {f.id for f in asked.films} == wanted and bool(wanted)
    return None if ok else f"{got} (wanted {kind.value} {sorted(wanted)})"


def test_the_table_is_large_and_in_three_languages() -> None:
    assert len(CASES) >= 150
    assert any(re.search("[іїєґ]", c["q"]) for c in CASES)  # Ukrainian
    assert sum(1 for c in CASES if re.search("[а-яё]", c["q"])) >= 60
    assert sum(1 for c in CASES if not re.search("[а-яёіїєґ]", c["q"], re.IGNORECASE)) >= 60


def test_requests_in_ones_own_words_get_what_they_ask_for() -> None:
    failures = [(c["q"], got) for c in CASES if (got := outcome(c)) is not None]
    rate = 1 - len(failures) / len(CASES)
    print(f"ask cases: {len(CASES) - len(failures)}/{len(CASES)} ({rate:.1%})")
    assert rate >= 0.97, "\n".join(f"{q!r}: {got}" for q, got in failures)


def test_the_quoted_requests_all_work() -> None:
    """The requests quoted at the top of issue #25, every one."""
    quoted = CASES[: CASES.index(next(c for c in CASES if c["q"] == "Тіні забутих предків")) + 1]
    failures = [(c["q"], got) for c in quoted if (got := outcome(c)) is not None]
    assert not failures, failures
