"""Texts as a native speaker writes them: real plural forms, the reader's quotation marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.models import LANGUAGES, Language
from bot.core.texts import _strings, plural_form, text

NEEDED = {"en": {"one", "other"}, "ru": {"one", "few", "many"}}


@pytest.mark.parametrize(
    ("count", "form"),
    [(1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"), (21, "one"),
     (22, "few"), (25, "many"), (111, "many"), (0, "many")],
)  # fmt: skip
def test_russian_plural_forms(count: int, form: str) -> None:
    assert plural_form("ru", count) == form


def test_counts_read_naturally_in_both_languages() -> None:
    assert "1 film to watch." in text("en", "lb_export_watchlist", count=1)
    assert "3 films to watch." in text("en", "lb_export_watchlist", count=3)
    assert "1 фильм, который" in text("ru", "lb_export_watchlist", count=1)
    assert "3 фильма, которые" in text("ru", "lb_export_watchlist", count=3)
    assert "5 фильмов, которые" in text("ru", "lb_export_watchlist", count=5)
    assert "21 фильм, который" in text("ru", "lb_export_watchlist", count=21)
    assert "(s)" not in text("en", "reload_failed", count=2, path="x")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_text_has_the_forms_its_language_needs(language: Language) -> None:
    for key, value in _strings(language).items():
        if isinstance(value, dict) and key not in ("commands",):
            assert NEEDED[language] <= set(value), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_counted_noun_is_hedged(language: Language) -> None:
    for key, value in _strings(language).items():
        for form in value.values() if isinstance(value, dict) else [value]:
            assert "(s)" not in str(form) and not re.search(r"— \{count\}", str(form)), (language, key)


def test_english_texts_use_english_quotation_marks() -> None:
    for key, value in _strings("en").items():
        for form in value.values() if isinstance(value, dict) else [value]:
            assert "«" not in str(form) and "»" not in str(form), key


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_text_key_is_defined_twice(language: str) -> None:
    """YAML keeps the last of two equal keys silently: one text would replace another unnoticed."""
    path = Path(__file__).resolve().parents[3] / "bot" / "core" / "texts" / f"{language}.yaml"
    root = yaml.compose(path.read_text(encoding="utf-8"))
    assert isinstance(root, yaml.MappingNode)
    keys = [key.value for key, _ in root.value]
    assert sorted({k for k in keys if keys.count(k) > 1}) == []
