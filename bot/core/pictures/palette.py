"""The colours of the pictures, after the Soviet poster: one bold field per decade (and one for the
war films, whatever their decade), light ink on it, and two colours for the geometry — the circle,
the wedge and the rule of the constructivists, never under a line of text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.catalogue.model import Film

from .layout import Colour, colour


@dataclass(frozen=True)
class Palette:
    name: str
    field: Colour  # the background
    ink: Colour  # titles and text
    soft: Colour  # the second voice (the original title, the footer); still 4.5:1 on the field
    accent: Colour  # the circle and the rule
    second: Colour  # the wedge


PALETTES = {
    1930: Palette("black and red", colour("#1C1B19"), colour("#F3E9D2"), colour("#C9BFA8"),
                  colour("#D0312D"), colour("#F3E9D2")),
    1950: Palette("brick red", colour("#A3221B"), colour("#FBF3E4"), colour("#F6D9BE"),
                  colour("#1C1B19"), colour("#E8B33A")),
    1960: Palette("navy", colour("#123A5A"), colour("#F4EEE1"), colour("#BFD3E3"),
                  colour("#E1523D"), colour("#F4EEE1")),
    1970: Palette("bottle green", colour("#1F4636"), colour("#F6EFDC"), colour("#CFE3D2"),
                  colour("#E3A72F"), colour("#1C1B19")),
    1980: Palette("violet", colour("#3B2752"), colour("#F7EEE6"), colour("#DCCDEA"),
                  colour("#EE6C4D"), colour("#F2C14E")),
}  # fmt: skip
WAR = Palette("olive drab", colour("#363B27"), colour("#F1E9D0"), colour("#D5CEB2"),
              colour("#C0392B"), colour("#1C1B19"))  # fmt: skip


def palette_for(film: Film) -> Palette:
    """The war's olive for war films; else the decade's field (the nearest decade we have)."""
    if "war" in film.themes:
        return WAR
    decade = film.year // 10 * 10
    return PALETTES[min(PALETTES, key=lambda d: (abs(d - decade), d))]
