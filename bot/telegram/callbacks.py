"""Button data as typed payloads: one small frozen dataclass per button action, written as
`v1:<action>[:<arg>...]` (at most 64 bytes, Telegram's limit).

A payload class registers itself by naming its action (`class Rate(Payload, action="rate")`), and
how each argument is read back is derived from its field's type: a `FilmId`, a `Page`, a `RowId`,
an Enum (by value), a `Literal` (one of its values). So a new button is one class in its feature's
handler module. The `v1:` wire format is the one buttons already in chats carry: they keep working.
Anything forged, truncated, unknown or from another version decodes to None.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from telegram import InlineKeyboardButton

VERSION = "v1"
CALLBACK_LIMIT = 64


@dataclass(frozen=True)
class Wire:
    """How an argument looks on the wire, and the value it stands for."""

    pattern: str
    convert: Callable[[str], Any] = str

    def read(self, arg: str) -> Any:
        return self.convert(arg) if re.fullmatch(self.pattern, arg) else None


FilmId = Annotated[str, Wire(r"[a-z0-9]+(-[a-z0-9]+)*")]
Page = Annotated[int, Wire(r"\d{1,4}", int)]  # 0-based
RowId = Annotated[int, Wire(r"[1-9]\d{0,11}", int)]  # a database row: a round, a viewing
HalfStars = Annotated[int, Wire(r"[1-9]|10", int)]  # ½★ … 5★
CityKey = Annotated[str, Wire(r"[a-z]+(-[a-z]+)*")]
MinuteOfDay = Annotated[int, Wire(r"1[0-3]\d\d|14[0-3]\d|\d{1,3}", int)]  # 0 … 1439
Year = Annotated[int, Wire(r"(18|19|20)\d\d", int)]


def _reader(kind: Any) -> Callable[[str], Any]:
    """How an argument of this type is read from its text form (None for anything else)."""
    if typing.get_origin(kind) is Annotated:
        wire = next(extra for extra in kind.__metadata__ if isinstance(extra, Wire))
        return wire.read
    if typing.get_origin(kind) is Literal:
        values = {str(value): value for value in typing.get_args(kind)}
        return values.get
    if isinstance(kind, type) and issubclass(kind, Enum):
        members = {member.value: member for member in kind}
        return members.get
    raise TypeError(f"no wire form for {kind!r}: annotate the field (FilmId, Page, RowId, ...)")


class Payload:
    """The data of one kind of button; subclasses are frozen dataclasses naming their action."""

    ACTION: ClassVar[str]
    _KINDS: ClassVar[dict[str, type[Payload]]] = {}

    def __init_subclass__(cls, action: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if action in Payload._KINDS:
            raise TypeError(f"two payloads with the action {action!r}")
        cls.ACTION = action
        Payload._KINDS[action] = cls


_READERS: dict[type[Payload], tuple[Callable[[str], Any], ...]] = {}


def _readers(kind: type[Payload]) -> tuple[Callable[[str], Any], ...]:
    """How each field of `kind` is read, derived from its types on first use (when every name its
    annotations use is defined)."""
    readers = _READERS.get(kind)
    if readers is None:
        hints = typing.get_type_hints(kind, include_extras=True)
        readers = tuple(_reader(hints[field.name]) for field in fields(kind))  # type: ignore[arg-type]
        _READERS[kind] = readers
    return readers


def encode(payload: Payload) -> str:
    args = [value.value if isinstance(value, Enum) else str(value) for value in astuple(payload)]  # type: ignore[call-overload]
    data = ":".join((VERSION, payload.ACTION, *args))
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def decode(data: object) -> Payload | None:
    """Parse callback data; None for anything forged, truncated, unknown or from another version."""
    if not isinstance(data, str) or not data or len(data.encode()) > CALLBACK_LIMIT:
        return None
    return _decode(data)


@lru_cache(maxsize=4096)  # payloads are immutable, and each handler's pattern decodes every press
def _decode(data: str) -> Payload | None:
    version, _, rest = data.partition(":")
    if version != VERSION:
        return None
    action, *args = rest.split(":")
    kind = Payload._KINDS.get(action)
    if kind is None:
        return None
    readers = _readers(kind)
    if len(args) != len(readers):
        return None
    values = [read(arg) for read, arg in zip(readers, args, strict=True)]
    if any(value is None for value in values):
        return None
    return kind(*values)


P = TypeVar("P", bound=Payload)


def accepts(kind: type[Payload]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: valid data of one kind; everything else falls through."""
    return lambda data: isinstance(decode(data), kind)


def payload_of(data: object, kind: type[P]) -> P | None:
    """The payload of `kind` in `data`, or None."""
    payload = decode(data)
    return payload if isinstance(payload, kind) else None


def button(label: str, payload: Payload) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(payload))


def pager_row(page_of: Callable[[int], Payload], page: int, pages: int) -> list[InlineKeyboardButton]:
    """◀ ▶ buttons around page `page` (0-based) of `pages`; empty when one page is all there is."""
    row = []
    if page > 0:
        row.append(button("◀", page_of(page - 1)))
    if page < pages - 1:
        row.append(button("▶", page_of(page + 1)))
    return row
