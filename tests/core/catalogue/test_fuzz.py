"""The catalogue loader against whatever an operator (or a broken editor) might hand it: every bad
file gets a clear `file:line:` error or a size error, never a traceback, never a hang."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.catalogue.loading import load_catalogue, parse_catalogue
from bot.core.catalogue.model import MAX_CATALOGUE_BYTES, CatalogueError
from tests.support.samples import a_film

ROOT = Path(__file__).resolve().parents[3]
REAL = (ROOT / "data" / "films.yaml").read_text(encoding="utf-8")
FIELDS = ["id", "title", "original_title", "year", "premiere_year", "directors", "cast", "runtime_min",
          "description", "facts", "aliases", "sources", "hidden", "note"]  # fmt: skip
WRONG_VALUES: list[Any] = [None, 0, -1, 10**20, 3.5, True, "", "x", [], [1, 2], {}, {"en": 1}, [{"en": None}]]
LOCATED = re.compile(r"^cat\.yaml:\d+: ")


def refused_clearly(text: str) -> list[str]:
    """Parse `text`; it must be refused with every error located at a line of the file."""
    with pytest.raises(CatalogueError) as refused:
        parse_catalogue(text, "cat.yaml")
    errors = refused.value.errors
    assert errors and all(LOCATED.match(e) for e in errors), errors
    return errors


def one_film(**changes: Any) -> str:
    return yaml.safe_dump({"films": [a_film(**changes)]}, allow_unicode=True)


def test_the_helper_film_is_valid() -> None:
    assert parse_catalogue(one_film(), "cat.yaml").visible[0].id == "a-film"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(REAL) - 1))
def test_a_truncated_file_is_refused_with_a_line_or_loads(cut: int) -> None:
    try:
        parse_catalogue(REAL[:cut], "cat.yaml")
    except CatalogueError as exc:
        assert all(LOCATED.match(e) for e in exc.errors), exc.errors


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", WRONG_VALUES, ids=repr)
def test_a_wrong_type_in_any_field_is_refused_with_its_line(field: str, value: Any) -> None:
    try:
        parse_catalogue(one_film(**{field: value}), "cat.yaml")
    except CatalogueError as exc:
        assert all(LOCATED.match(e) for e in exc.errors), exc.errors


def test_a_duplicate_key_is_refused_with_its_line() -> None:
    text = one_film().replace("  title: A Film\n", "  title: A Film\n  title: Another Film\n")
    errors = refused_clearly(text)
    assert any("duplicate key 'title'" in e for e in errors), errors


def test_exponential_aliases_are_refused_at_once() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 12):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [{', '.join(['*' + chr(96 + level)] * 9)}]\n"
    bomb += "films: [*l]\n"
    errors = refused_clearly(bomb)
    assert any("anchors and aliases" in e for e in errors), errors


def test_a_single_alias_is_refused_too() -> None:
    text = "people: &p Someone\n" + one_film().replace("en: Someone\n", "en: *p\n")
    assert "*p" in text
    assert any("anchors and aliases" in e for e in refused_clearly(text))


def test_a_huge_file_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "films.yaml"
    with path.open("w", encoding="utf-8") as file:
        file.write("films:\n")
        line = "  - {id: x, title: " + "y" * 1000 + "}\n"
        for _ in range(50 * 1024):  # 50 MB
            file.write(line)
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    assert refused.value.errors == [
        f"{path}: the file has {path.stat().st_size / 2**20:.0f} MB; a catalogue may have at most "
        f"{MAX_CATALOGUE_BYTES // 2**20} MB"
    ]


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        b"\x00\x01\x02films: []",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        REAL.encode("cp1251", errors="replace"),
        REAL.encode("utf-16"),
    ],
    ids=["all-bytes", "nul", "png", "cp1251", "utf-16"],
)
def test_binary_garbage_or_another_encoding_is_refused_with_a_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cat.yaml"
    path.write_bytes(content)
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)
    errors = refused.value.errors
    assert errors and all(re.match(rf"^{re.escape(str(path))}:\d+: ", e) for e in errors), errors


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_loaded_or_refused_with_a_line(text: str) -> None:
    try:
        parse_catalogue(text, "cat.yaml")
    except CatalogueError as exc:
        assert all(LOCATED.match(e) for e in exc.errors), exc.errors
