"""Inline paging over a catalogue larger than one answer can hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generated_yaml
from tests.support.botapi import BotAPIServer, User
from tests.support.flows import ask


@pytest.fixture
def catalogue_path(tmp_path: Path) -> Path:
    path = tmp_path / "generated.yaml"
    path.write_text(generated_yaml(260), encoding="utf-8")
    return path


async def test_pages_of_fifty_cover_a_large_catalogue(botapi: BotAPIServer, bot: object, anna: User) -> None:
    for query in ("", "love"):
        seen: list[str] = []
        offset = ""
        while True:
            answer = await ask(botapi, anna, query, offset)
            results = answer.params["results"]
            assert len(results) <= 50
            seen += [r["id"] for r in results]
            offset = answer.params.get("next_offset") or ""
            if not offset:
                break
        assert len(seen) == len(set(seen)), query
        assert len(seen) > 50, query
    assert len(set(seen)) > 50
