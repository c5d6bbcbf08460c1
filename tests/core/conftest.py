"""What the core's unit tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.storage import Storage


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    """A fresh database file, migrated."""
    opened = await Storage.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()
