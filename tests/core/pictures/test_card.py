"""Every visible film's picture card, in both languages: a PNG of the promised size and weight, every
line of text inside the margins and clear of the others, on a plain background of the colour the
plan says, at a contrast of at least 4.5:1, in glyphs the font has, and nothing cut or dropped."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot.core.catalogue.loading import load_catalogue
from bot.core.catalogue.model import Film
from bot.core.pictures.card import card_key, card_plan, card_words
from bot.core.pictures.layout import FONTS, HEIGHT, MARGIN, WIDTH, Face, Plan, contrast, draw, png
from bot.core.pictures.palette import PALETTES, WAR

ROOT = Path(__file__).resolve().parents[3]
FILMS = [f for f in load_catalogue(ROOT / "data" / "films.yaml").films if not f.hidden]
MOST_BYTES = 400 * 1024


@cache
def _glyphs(face: Face) -> frozenset[int]:
    return frozenset(TTFont(FONTS / face.value).getBestCmap())


def check_plan(plan: Plan) -> None:
    """What every picture must meet: lines inside the margins, apart, legible, in the font."""
    bare = draw(plan, text=False)
    boxes: list[tuple[int, int, int, int]] = []
    for line in plan.lines:
        left, top, right, bottom = line.box
        assert left >= MARGIN and right <= WIDTH - MARGIN, f"{line.text!r} crosses a side margin"
        assert top >= MARGIN and bottom <= HEIGHT - MARGIN, f"{line.text!r} crosses the top or bottom margin"
        under = bare.crop((left, top, right, bottom)).getcolors(maxcolors=4)
        plain = [((right - left) * (bottom - top), line.on)]
        assert under == plain, f"{line.text!r} is not on plain {line.on}"
        assert contrast(line.ink, line.on) >= 4.5, f"{line.text!r}: {contrast(line.ink, line.on):.2f}:1"
        missing = {c for c in line.text if ord(c) not in _glyphs(line.face) and not c.isspace()}
        assert not missing, f"{line.text!r}: no glyph for {missing}"
        for other in boxes:
            apart = right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top
            assert apart, f"{line.text!r} overlaps another line"
        boxes.append(line.box)


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("film", FILMS, ids=[f.id for f in FILMS])
def test_every_card_fits_reads_and_says_everything(film: Film, language: str) -> None:
    plan = card_plan(film, language)  # type: ignore[arg-type]
    check_plan(plan)
    shown = " ".join(line.text for line in plan.lines)
    words = " ".join(card_words(film, language))  # type: ignore[arg-type]
    assert shown.split() == words.split(), "a line was cut or a word dropped"
    data = png(plan)
    assert len(data) < MOST_BYTES
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, image.mode) == ("PNG", (WIDTH, HEIGHT), "RGB")


def test_a_card_is_named_by_its_words_and_language() -> None:
    film = FILMS[0]
    assert card_key(film, "en") == card_key(film, "en") != card_key(film, "ru")
    changed = film.model_copy(update={"year": film.year + 1})
    assert card_key(changed, "en") != card_key(film, "en")


def test_every_palette_reads_at_four_and_a_half_to_one() -> None:
    for palette in (*PALETTES.values(), WAR):
        assert contrast(palette.ink, palette.field) >= 4.5, palette.name
        assert contrast(palette.soft, palette.field) >= 4.5, palette.name
