from __future__ import annotations

from datetime import time

import pytest

from bot.core.models import hhmm, parse_hhmm


@pytest.mark.parametrize(
    ("text", "expected"), [("8:30", time(8, 30)), ("23:59", time(23, 59)), ("00:00", time(0))]
)
def test_parse_hhmm_accepts_times_of_day(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8:60", "830", "", "8:5"])
def test_parse_hhmm_rejects_the_rest(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hhmm(text)


def test_times_are_written_with_two_digit_hours() -> None:
    assert hhmm(time(8, 5)) == "08:05"
