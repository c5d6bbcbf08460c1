from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bot.config import Settings
from bot.telegram.app import running
from bot.telegram.context import BotApplication
from tests.support.botapi import TOKEN, BotAPIServer, User
from tests.support.database import database_url_for
from tests.support.flows import Clock
from tests.support.provider import FakeProvider, mosfilm_videos

ROOT = Path(__file__).resolve().parent.parent

# Property-based tests: a small, fast profile in the suite; HYPOTHESIS_PROFILE=long for a real hunt.
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
hypothesis_settings.register_profile("default", max_examples=25, deadline=None, suppress_health_check=_QUIET)
hypothesis_settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=_QUIET)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
CATALOGUE = ROOT / "data" / "films.yaml"


@pytest.fixture
async def botapi() -> AsyncIterator[BotAPIServer]:
    server = BotAPIServer()
    await server.start()
    yield server
    await server.stop()
    refused = [(c.method, c.params["_error"]) for c in server.refused_as_invalid()]
    assert not refused, f"the bot sent what Telegram refuses: {refused}"


@pytest.fixture
def catalogue_path(tmp_path: Path) -> Path:
    path = tmp_path / "films.yaml"
    shutil.copy(CATALOGUE, path)
    return path


@pytest.fixture
def settings(botapi: BotAPIServer, tmp_path: Path, catalogue_path: Path) -> Settings:
    return Settings(
        bot_token=TOKEN,
        bot_api_base_url=botapi.base_url,
        catalogue_path=catalogue_path,
        database_path=tmp_path / "bot.sqlite3",
        database_url=database_url_for(tmp_path),
        heartbeat_path=tmp_path / "heartbeat",
        link_check_hours=0,  # no link checks unless a test serves the provider (tests/support/provider.py)
        _env_file=None,
    )


@pytest.fixture
async def bot(settings: Settings, botapi: BotAPIServer) -> AsyncIterator[object]:
    async with running(settings) as app:
        yield app
        await botapi.release_polling()


@pytest.fixture
def clock() -> Clock:
    """The bot's clock, which a test moves on: it starts now (a module may start it elsewhere)."""
    return Clock(datetime.now(UTC))


@pytest.fixture
async def clocked_bot(
    settings: Settings, botapi: BotAPIServer, clock: Clock
) -> AsyncIterator[BotApplication]:
    """The bot on the test's clock, with its delivery and closing passes every 50 ms."""
    async with running(settings, clock=clock, delivery_interval=0.05) as app:
        yield app
        await botapi.release_polling()


@pytest.fixture
async def provider() -> AsyncIterator[FakeProvider]:
    """The video provider the watch links are checked against: Mosfilm's videos, all good."""
    fake = FakeProvider(mosfilm_videos())
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def anna() -> User:
    return User(1001, "Anna", "en")


@pytest.fixture
def boris() -> User:
    return User(1002, "Борис", "ru")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the search quality table's score (recorded by tests/core/catalogue/test_search_cases.py)."""
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        properties = dict(getattr(report, "user_properties", []))
        if "search_cases" in properties and report.when == "call":
            terminalreporter.write_line(f"search cases: {properties['search_cases']}")
            for miss in properties.get("search_misses", []):
                terminalreporter.write_line(f"  miss: {miss}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests (marked slow) go first, so that the two xdist workers finish together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
