"""A film's picture card: what its text card says first, set as a poster. The year large in the
corner, the constructivists' circle and wedge beside it, a rule; under it the title in the reader's
script (capitals, condensed), the other title, who directed it, the studio and the running time,
and the first sentence of the film's own description. Nothing on it that the text card lacks."""

from __future__ import annotations

import hashlib
import re

from bot.core.catalogue.model import Film
from bot.core.films.card import names, titles
from bot.core.models import Language
from bot.core.texts import text

from .layout import HEIGHT, MARGIN, WIDTH, Column, Face, Line, Plan, Shape, font
from .palette import Palette, palette_for

DESIGN = "card-1"  # a new design is a new name: pictures Telegram keeps for the old one are not reused
RULE_TOP = 500
YEAR_WIDTH = 470  # the year stays left of the circle and the wedge
# the title's and the description's sizes, tried largest first; later rows squeeze a long card
SQUEEZES = (
    (range(132, 63, -4), range(40, 31, -2)),
    (range(104, 55, -4), range(40, 31, -2)),
    (range(84, 47, -4), range(36, 27, -2)),
    (range(72, 43, -4), range(30, 23, -2)),
)


def first_sentence(description: str) -> str:
    return re.split(r"(?<=[.!?…])\s+", description.strip())[0]


def directed_by(film: Film, language: Language) -> str:
    """ "Directed by Mikhail Kalatozov", «Режиссёр: Михаил Калатозов»."""
    key = "picture_directed_many" if len(film.directors) > 1 else "picture_directed"
    return text(language, key, who=names(film.directors, language))


def card_words(film: Film, language: Language) -> tuple[str, ...]:
    """Every word the card shows, in order: what its picture is drawn from, and so what names it."""
    first, second = titles(film, language)
    directed = directed_by(film, language)
    made = [film.studio.get(language)] if film.studio else []
    if film.runtime_min:
        made.append(text(language, "card_runtime", minutes=film.runtime_min))
    return (
        str(film.year),
        first.upper(),
        second,
        directed,
        " · ".join(made),
        first_sentence(film.card_description.get(language)),
        text(language, "picture_footer"),
    )


def card_key(film: Film, language: Language) -> str:
    """The picture's name: the design and a digest of its words, so that a changed card is drawn and
    sent anew, and an unchanged one is never uploaded twice."""
    digest = hashlib.sha256("\n".join((DESIGN, *card_words(film, language))).encode()).hexdigest()[:16]
    return f"card:{film.id}:{language}:{digest}"


def geometry(palette: Palette, rule_top: int = RULE_TOP) -> tuple[Shape, ...]:
    """The circle and the wedge in the top right corner, above the rule across the page."""
    high = rule_top / RULE_TOP
    return (
        Shape("ellipse", ((WIDTH + 50 - (rule_top - 20), -60), (WIDTH + 50, rule_top - 80)), palette.accent),
        Shape(
            "polygon",
            (
                (540, rule_top - 30),
                (640, rule_top - 30),
                (WIDTH, round(170 * high)),
                (WIDTH, round(70 * high)),
            ),
            palette.second,
        ),
        Shape("rectangle", ((MARGIN, rule_top), (WIDTH - MARGIN, rule_top + 10)), palette.accent),
    )


def card_plan(film: Film, language: Language) -> Plan:
    palette = palette_for(film)
    year, title, other, directed, made, sentence, footer = card_words(film, language)
    field = palette.field
    top = Column(96, field, width=YEAR_WIDTH)
    top.add(year, Face.DISPLAY, range(300, 119, -10), palette.ink)
    footer_size = 26
    footer_top = HEIGHT - MARGIN - int(font(Face.TEXT, footer_size).getbbox(footer, anchor="la")[3])
    footer_line = Line(footer, Face.TEXT, footer_size, MARGIN, footer_top, palette.soft, field)
    for title_sizes, sentence_sizes in SQUEEZES:
        column = Column(RULE_TOP + 48, field)
        column.add(
            title, Face.DISPLAY, title_sizes, palette.ink, most=3, leading=1.02, after=14, balanced=True
        )
        column.add(other, Face.QUOTE, range(46, 29, -2), palette.soft, most=2, after=34)
        column.add(directed, Face.TEXT, range(38, 27, -2), palette.ink, most=2)
        if made:
            column.add(made, Face.TEXT, range(38, 27, -2), palette.ink)
        column.y += 30
        column.add(sentence, Face.QUOTE, sentence_sizes, palette.ink, most=6, leading=1.3)
        if column.y <= footer_line.y - 24:
            break
    return Plan(field, geometry(palette), (*top.lines, *column.lines, footer_line))
