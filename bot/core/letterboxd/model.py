"""What a Letterboxd import adds, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ImportedViewing:
    """A viewing an import adds: a diary entry, or (`mark`) a film a watched or ratings row says
    was watched, with no diary entry — one per film, its rating if the ratings row gives one."""

    film_id: str
    watched_on: date | None
    rating: int | None
    rewatch: bool | None = None
    uri: str | None = None
    mark: bool = False
    explicit: bool = False  # a mark our own export wrote: a viewing of its own, beside any diary entry


@dataclass
class ImportPlan:
    """What an import adds, film by film (matched), and the rows that matched nothing."""

    to_watch: set[str] = field(default_factory=set)
    watched: set[str] = field(default_factory=set)
    viewings: list[ImportedViewing] = field(default_factory=list)  # two alike are two viewings
    ratings: dict[str, int] = field(default_factory=dict)  # a ratings row's: the film's own rating
    addresses: dict[str, str] = field(default_factory=dict)  # the films' Letterboxd addresses
    unmatched: list[tuple[str, int | None]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # the films as the files list them

    @property
    def films(self) -> int:
        return len(self.to_watch | self.watched | set(self.ratings))
