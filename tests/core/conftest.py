"""What the core's unit tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, time
from pathlib import Path

import pytest

from bot.core.models import Zone
from bot.core.services import CoreSettings
from bot.core.storage import Storage
from tests.support.database import database_for, database_url_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def core_settings(tmp_path: Path) -> CoreSettings:
    """The real catalogue, a fresh database, UTC, films of the day at 10:00."""
    return CoreSettings(
        catalogue_path=ROOT / "data" / "films.yaml",
        database_path=tmp_path / "bot.sqlite3",
        database_url=database_url_for(tmp_path),
        zone=Zone("UTC", UTC),
        daily_time=time(10),
        broadcast_rate=25.0,
    )


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    """A fresh database file, migrated."""
    opened = await Storage.open(database_for(tmp_path))
    yield opened
    await opened.close()
