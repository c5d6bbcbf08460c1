"""Word forms: made in a process of their own, and in this one should no process start."""

from __future__ import annotations

import sys

import pytest

from bot.core.asking.forms import morphology
from bot.core.catalogue.search import fold

WORDS = {"ru": ["война", "первая любовь"], "uk": ["війна"], "en": ["comedy"]}
NAMES = ["Эльдар Рязанов", "Барбара Брыльска"]


def check(forms: dict[str, list[str]], inflected: dict[str, tuple[str | None, str | None]]) -> None:
    assert forms[fold("войну")][0] == fold("война") and forms[fold("войны")][0] == fold("война")
    assert fold("первая") in forms[fold("первую")]
    assert forms[fold("comedies")] == [fold("comedy")]
    assert fold("війна") in forms[fold("війну")]
    assert inflected["Эльдар Рязанов"] == ("Эльдара Рязанова", "Эльдаром Рязановым")
    assert inflected["Барбара Брыльска"] == (None, None)  # not sure of it: left as it is


def test_forms_are_made_in_a_process_of_their_own(caplog: pytest.LogCaptureFixture) -> None:
    check(*morphology(WORDS, NAMES))
    assert "own process" not in caplog.text  # the dictionaries never entered this process


def test_forms_are_made_here_when_no_process_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # the outside world refuses
    check(*morphology(WORDS, NAMES))
    assert "word forms made in the bot's own process" in caplog.text
