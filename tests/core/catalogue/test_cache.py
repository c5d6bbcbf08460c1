"""The checked catalogue kept beside the database: used only for the same bytes checked by the same
bot, never trusted when damaged, never in the way when it cannot be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core.catalogue import cache as catalogue_cache
from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.model import CatalogueError
from bot.core.films.service import open_library

ROOT = Path(__file__).resolve().parents[3]
FILMS = ROOT / "data" / "films.yaml"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    copy = tmp_path / "films.yaml"
    copy.write_bytes(FILMS.read_bytes())
    return copy


def test_a_checked_catalogue_is_kept_and_taken_back(catalogue: Path, tmp_path: Path) -> None:
    kept = tmp_path / "data" / "catalogue.cache"  # the data directory does not exist yet
    first = open_library(catalogue, kept)
    assert kept.exists()
    again = open_library(catalogue, kept)
    assert [f.model_dump() for f in again.catalogue.films] == [f.model_dump() for f in first.catalogue.films]
    assert again.catalogue.themes == first.catalogue.themes
    assert again.catalogue.providers == first.catalogue.providers
    assert [f.id for f in again.catalogue.alphabetical] == [f.id for f in first.catalogue.alphabetical]


def test_what_is_kept_is_what_a_restart_serves(catalogue: Path, tmp_path: Path) -> None:
    """A hit does not parse the file again: what the copy holds is what comes back."""
    kept = tmp_path / "catalogue.cache"
    other = load_catalogue(catalogue)
    shorter = type(other)(other.films[:3], other.themes, other.providers)
    catalogue_cache.remember(kept, catalogue_cache.key_of(catalogue.read_bytes()), shorter)
    assert len(open_library(catalogue, kept).catalogue.films) == 3


def test_a_changed_file_is_checked_again(catalogue: Path, tmp_path: Path) -> None:
    kept = tmp_path / "catalogue.cache"
    open_library(catalogue, kept)
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("year: 1957", "year: 1800", 1))
    with pytest.raises(CatalogueError, match="between 1895 and 2100"):
        open_library(catalogue, kept)
    catalogue.write_bytes(FILMS.read_bytes())
    assert open_library(catalogue, kept).catalogue.films


def test_the_key_follows_the_checks_code(tmp_path: Path) -> None:
    """Another file of the bot's package (a rule, a card's text), or the same file changed, is
    another stamp, so another key: a copy checked by other code is not taken."""
    package = tmp_path / "bot"
    (package / "core" / "__pycache__").mkdir(parents=True)
    rules = package / "core" / "catalogue.py"
    rules.write_text("RULES = 1\n")
    stamps = []
    for change in (
        lambda: None,
        lambda: (package / "core" / "__pycache__" / "catalogue.cpython-311.pyc").write_bytes(b"ignored"),
        lambda: rules.write_text("RULES = 22\n"),
        lambda: os.utime(rules, ns=(0, 0)),
        lambda: (package / "core" / "en.yaml").write_text("card: '{title}'\n"),
    ):
        change()
        stamps.append(catalogue_cache.code_stamp(package))
    assert stamps[0] == stamps[1]
    assert len(set(stamps[1:])) == 4
    assert catalogue_cache.code_stamp(ROOT / "bot") == catalogue_cache.code_stamp(ROOT / "bot")
    assert catalogue_cache.key_of(b"films: []") != catalogue_cache.key_of(b"films: [] ")


@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"soviet-film-bot catalogue v1\n", None],
    ids=["empty", "garbage", "header only", "truncated"],
)
def test_a_damaged_copy_is_a_miss(catalogue: Path, tmp_path: Path, damage: bytes | None) -> None:
    kept = tmp_path / "catalogue.cache"
    open_library(catalogue, kept)
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    assert len(open_library(catalogue, kept).catalogue.films) == len(load_catalogue(catalogue).films)
    assert kept.read_bytes() == whole  # checked again, and kept again


def test_a_copy_that_is_not_a_catalogue_is_a_miss(catalogue: Path, tmp_path: Path) -> None:
    import pickle

    kept = tmp_path / "catalogue.cache"
    key = catalogue_cache.key_of(catalogue.read_bytes())
    kept.write_bytes(b"soviet-film-bot catalogue v1\n" + key + pickle.dumps({"films": []}))
    assert open_library(catalogue, kept).catalogue.films


def test_where_the_copy_cannot_go_the_catalogue_still_loads(catalogue: Path, tmp_path: Path) -> None:
    """A data 'directory' that is a file (for root too, unlike permissions) cannot hold the copy."""
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    assert open_library(catalogue, blocker / "catalogue.cache").catalogue.films
    assert blocker.read_text() == "not a directory"


def test_a_broken_catalogue_is_refused_with_a_copy_of_a_good_one_beside_it(
    catalogue: Path, tmp_path: Path
) -> None:
    kept = tmp_path / "catalogue.cache"
    open_library(catalogue, kept)
    catalogue.write_text("films: [")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        open_library(catalogue, kept)
