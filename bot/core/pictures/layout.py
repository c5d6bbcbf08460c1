"""A picture as a plan: its background, its shapes and its lines of text, each placed, sized and
coloured, with the colour that lies under it. Plans are built from the catalogue's own words
(card.py, year.py) and drawn here with Pillow; tests measure the plan (every line inside the
margins, its contrast on what lies under it) and the drawing (the promised size, a PNG that opens).

Pillow is imported only when something is measured or drawn: a bot that sends no picture never
pays for its import at start-up."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1080, 1350  # 4:5, the tallest photo Telegram shows at full width in a chat
MARGIN = 72
FONTS = Path(__file__).parent / "fonts"  # PT Sans and PT Serif by ParaType: fonts/LICENSE.txt
ELLIPSIS = "…"

Colour = tuple[int, int, int]


def colour(hex_code: str) -> Colour:
    """ "#A3221B" -> (163, 34, 27)."""
    value = int(hex_code.lstrip("#"), 16)
    return (value >> 16 & 255, value >> 8 & 255, value & 255)


def luminance(rgb: Colour) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    """WCAG 2's contrast ratio, 1 to 21; text needs 4.5 (AA)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


class Face(Enum):
    """The three faces of the pictures: a condensed bold grotesque for what a poster shouts (titles,
    years, figures), a plain sans for credits, an italic serif for what the film says of itself."""

    DISPLAY = "PTN77F.ttf"  # PT Sans Narrow Bold
    TEXT = "PTS55F.ttf"  # PT Sans
    QUOTE = "PTF56F.ttf"  # PT Serif Italic


@cache
def font(face: Face, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(FONTS / face.value), size)


def width_of(text: str, face: Face, size: int) -> int:
    """How wide the text's ink is, from its origin (or from its ink's left, for an italic that
    leans out before it) to the furthest of its advance and its ink's right."""
    left, _, right, _ = font(face, size).getbbox(text, anchor="la")
    return int(max(right, font(face, size).getlength(text)) - min(0, left) + 0.999)


def overhang(text: str, face: Face, size: int) -> int:
    """How far the text's ink leans out left of its origin (an italic's first letter)."""
    return max(0, -int(font(face, size).getbbox(text, anchor="la")[0]))


@dataclass(frozen=True)
class Line:
    """One line of text; (x, y) is the top left of its em box (Pillow's "la" anchor)."""

    text: str
    face: Face
    size: int
    x: int
    y: int
    ink: Colour
    on: Colour  # the colour under the line, for its contrast

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The box of the ink the line leaves: left, top, right, bottom."""
        left, top, right, bottom = font(self.face, self.size).getbbox(self.text, anchor="la")
        return (self.x + int(left), self.y + int(top), self.x + int(right), self.y + int(bottom))


@dataclass(frozen=True)
class Shape:
    """A filled rectangle (two corners), ellipse (its box) or polygon (its points)."""

    kind: str  # "rectangle", "ellipse" or "polygon"
    points: tuple[tuple[int, int], ...]
    fill: Colour


@dataclass(frozen=True)
class Plan:
    background: Colour
    shapes: tuple[Shape, ...]
    lines: tuple[Line, ...]
    size: tuple[int, int] = (WIDTH, HEIGHT)


def wrap(text: str, face: Face, size: int, width: int) -> list[str] | None:
    """The text broken into lines at spaces, each at most `width` wide; None when one word alone
    is wider."""
    lines: list[str] = []
    for word in text.split():
        if width_of(word, face, size) > width:
            return None
        if lines and width_of(f"{lines[-1]} {word}", face, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fit(text: str, face: Face, sizes: Sequence[int], width: int, most: int) -> tuple[int, list[str]]:
    """The largest of `sizes` (largest first) at which the text takes at most `most` lines of
    `width`; at the smallest, the lines that fit, the last one ending in an ellipsis."""
    for size in sizes:
        lines = wrap(text, face, size, width)
        if lines is not None and len(lines) <= most:
            return size, lines
    size = sizes[-1]
    lines = wrap(text, face, size, width) or [text]
    if len(lines) <= most and all(width_of(line, face, size) <= width for line in lines):
        return size, lines
    kept = lines[:most]
    last = kept[-1]
    while last and width_of(last + ELLIPSIS, face, size) > width:
        last = last[:-1].rstrip()
    kept[-1] = last.rstrip(",;:—– ") + ELLIPSIS
    return size, kept


def balance(lines: list[str], face: Face, size: int) -> list[str]:
    """The same words on as many lines, broken so that the longest line is as short as it can be:
    "THE LADY WITH / THE DOG" rather than "THE LADY WITH THE / DOG". For short texts (titles)."""
    words = " ".join(lines).split()
    count = len(lines)
    if count < 2:
        return lines
    span = {
        (i, j): width_of(" ".join(words[i:j]), face, size)
        for i in range(len(words))
        for j in range(i + 1, len(words) + 1)
    }

    @cache
    def best(start: int, left: int) -> tuple[int, tuple[int, ...]]:
        """The narrowest widest line setting words[start:] on `left` lines, and where they break."""
        if left == 1:
            return span[start, len(words)], ()
        options = []
        for end in range(start + 1, len(words) - left + 2):
            rest, breaks = best(end, left - 1)
            options.append((max(span[start, end], rest), (end, *breaks)))
        return min(options)

    _, breaks = best(0, count)
    edges = (0, *breaks, len(words))
    return [" ".join(words[a:b]) for a, b in pairwise(edges)]


class Column:
    """Lines set one under the other from `top`, left-aligned at the margin, on one background."""

    def __init__(self, top: int, on: Colour, left: int = MARGIN, width: int = WIDTH - 2 * MARGIN):
        self.y = top
        self.on = on
        self.left = left
        self.width = width
        self.lines: list[Line] = []

    def add(
        self,
        text: str,
        face: Face,
        sizes: Sequence[int],
        ink: Colour,
        most: int = 1,
        leading: float = 1.2,
        after: int = 0,
        balanced: bool = False,
    ) -> None:
        size, lines = fit(text, face, sizes, self.width, most)
        if balanced and not lines[-1].endswith(ELLIPSIS):
            lines = balance(lines, face, size)
        for line in lines:
            x = self.left + overhang(line, face, size)
            self.lines.append(Line(line, face, size, x, self.y, ink, self.on))
            self.y += round(size * leading)
        self.y += after


def draw(plan: Plan, text: bool = True) -> Image:
    """The plan drawn (without its text, for measuring what lies under each line)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", plan.size, plan.background)
    pen = ImageDraw.Draw(image)
    for shape in plan.shapes:
        if shape.kind == "rectangle":
            pen.rectangle(shape.points, fill=shape.fill)
        elif shape.kind == "ellipse":
            pen.ellipse(shape.points, fill=shape.fill)
        else:
            pen.polygon(shape.points, fill=shape.fill)
    if text:
        for line in plan.lines:
            pen.text((line.x, line.y), line.text, font=font(line.face, line.size), fill=line.ink, anchor="la")
    return image


def png(plan: Plan) -> bytes:
    """The plan as a PNG file. Flat colours compress well: a card is well under Telegram's limits
    for a photo (10 MB, and a sum of sides of at most 10 000 pixels)."""
    out = io.BytesIO()
    draw(plan).save(out, format="PNG", compress_level=6)
    return out.getvalue()


def star(cx: int, cy: int, radius: int, fill: Colour) -> Shape:
    """A five-pointed star (the fonts have no ★)."""
    from math import cos, pi, sin

    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.42
        angle = -pi / 2 + k * pi / 5
        points.append((round(cx + r * cos(angle)), round(cy + r * sin(angle))))
    return Shape("polygon", tuple(points), fill)
