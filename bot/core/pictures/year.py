"""A user's year in Soviet cinema as a picture, in the card's design: the year large in the corner
with the circle and the wedge, then what the text says (bot/core/recap/year.py: year_lines), with a
bar per decade and a drawn star by the badge. The palette is that of the decade they watched most."""

from __future__ import annotations

from bot.core.models import Language
from bot.core.recap.year import YearRecap, decade_text, year_lines
from bot.core.texts import text

from .card import YEAR_WIDTH, geometry
from .layout import (
    ELLIPSIS,
    HEIGHT,
    MARGIN,
    WIDTH,
    Column,
    Face,
    Line,
    Plan,
    Shape,
    fit,
    font,
    star,
    width_of,
)
from .palette import PALETTES

BAR_ROW = 46
LABEL_WIDTH = 150
BAR_MOST = 520  # the longest bar; its count stands after it
RULE = 380  # the year's figures need more room than a card: a lower corner
SQUEEZES = (
    (range(72, 47, -4), range(34, 27, -2)),
    (range(60, 39, -4), range(30, 25, -2)),
    (range(52, 35, -4), range(26, 21, -2)),
)


def year_plan(summary: YearRecap, language: Language) -> Plan:
    most = max(summary.decades, key=lambda pair: (pair[1], -pair[0]))[0] if summary.decades else 1950
    palette = PALETTES[min(PALETTES, key=lambda d: (abs(d - most), d))]
    field = palette.field
    lines = dict(year_lines(summary, language))
    top = Column(88, field, width=YEAR_WIDTH)
    top.add(str(summary.year), Face.DISPLAY, range(220, 119, -10), palette.ink)
    footer = text(language, "picture_footer")
    footer_top = HEIGHT - MARGIN - int(font(Face.TEXT, 26).getbbox(footer, anchor="la")[3])
    footer_line = Line(footer, Face.TEXT, 26, MARGIN, footer_top, palette.soft, field)
    for heading_sizes, text_sizes in SQUEEZES:
        shapes = list(geometry(palette, RULE))
        column = Column(RULE + 40, field)
        heading = lines["heading"].upper()  # on one line if it can be, at a smaller size
        one_line = not fit(heading, Face.DISPLAY, heading_sizes, column.width, 1)[1][-1].endswith(ELLIPSIS)
        column.add(
            heading, Face.DISPLAY, heading_sizes, palette.ink, 1 if one_line else 2, leading=1.02, after=8
        )
        figures = " · ".join(lines[k] for k in ("films", "hours") if k in lines)
        column.add(figures.upper(), Face.DISPLAY, heading_sizes, palette.soft, most=2, leading=1.02, after=18)
        if "viewings" in lines:
            column.add(lines["viewings"], Face.TEXT, text_sizes, palette.ink, most=2, after=6)
        column.y += _bars(summary, language, column, shapes, palette.accent, palette.ink, text_sizes[-1])
        for key in ("directors", "actors", "ratings", "unseen", "seen"):
            if key in lines:
                column.add(lines[key], Face.TEXT, text_sizes, palette.ink, most=2, leading=1.25, after=8)
        if "badge" in lines:
            size = text_sizes[0] + 6
            shapes.append(star(MARGIN + size // 2, column.y + size // 2 + 4, size // 2 + 2, palette.accent))
            badge = Column(column.y, field, left=MARGIN + size + 16, width=WIDTH - 2 * MARGIN - size - 16)
            badge.add(lines["badge"].upper(), Face.DISPLAY, (size,), palette.ink)
            column.lines += badge.lines
            column.y = badge.y
        if column.y <= footer_line.y - 20:
            break
    return Plan(field, tuple(shapes), (*top.lines, *column.lines, footer_line))


def _bars(
    summary: YearRecap,
    language: Language,
    column: Column,
    shapes: list[Shape],
    bar: tuple[int, int, int],
    ink: tuple[int, int, int],
    size: int,
) -> int:
    """A row per decade: its name, a bar as long as its count, the count; the height they take."""
    peak = max((n for _, n in summary.decades), default=0) or 1
    y = column.y
    for decade, count in summary.decades:
        label = decade_text(decade, language)
        column.lines.append(Line(label, Face.TEXT, size, MARGIN, y, ink, column.on))
        left = MARGIN + LABEL_WIDTH
        length = round(BAR_MOST * count / peak)
        if length:
            shapes.append(Shape("rectangle", ((left, y + 4), (left + length, y + size)), bar))
        number = str(count)
        x = left + length + 14
        assert x + width_of(number, Face.TEXT, size) <= WIDTH - MARGIN
        column.lines.append(Line(number, Face.TEXT, size, x, y, ink, column.on))
        y += BAR_ROW
    return y - column.y + 12
