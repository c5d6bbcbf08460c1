from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

TOKEN = "110201543:test-token-for-the-loopback-bot"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    for name in ("BOT_TOKEN", "TIMEZONE", "DAILY_TIME", "ADMIN_IDS", "LOG_LEVEL", "BOT_API_BASE_URL",
                 "BROADCAST_RATE", "PAID_BROADCAST"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)


def test_defaults_match_the_documented_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert settings.bot_api_base_url == "https://api.telegram.org/bot"
    assert settings.catalogue_path == Path("data/films.yaml")
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.timezone == "Europe/Moscow"
    assert settings.core().daily_time == time(10, 0)
    assert settings.core().zone.name == "Europe/Moscow"
    assert settings.admin_ids == frozenset()
    assert settings.log_level == "INFO"


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nADMIN_IDS=1, 2,3\n", encoding="utf-8")
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == TOKEN
    assert settings.admin_ids == frozenset({1, 2, 3})


def test_token_is_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    assert TOKEN not in repr(load_settings())


def test_missing_token_says_where_to_get_one() -> None:
    with pytest.raises(ConfigError, match=r"BOT_TOKEN is not set: .*@BotFather.*\.env\.example"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("DAILY_TIME", "25:00", "DAILY_TIME must be a time of day as HH:MM"),
        ("DAILY_TIME", "noon", "DAILY_TIME must be a time of day as HH:MM"),
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE unknown time zone 'Mars/Olympus'"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS must be comma-separated numeric"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of"),
        ("WEBHOOK_URL", "http://films.example.org/telegram", "WEBHOOK_URL must be the public https://"),
    ],
)
def test_malformed_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert fragment in str(error.value)
    assert TOKEN not in str(error.value)
    assert "\n" not in str(error.value)


def test_a_broadcast_above_telegrams_free_rate_must_be_paid_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #30: above 30 messages a second Telegram charges Stars (allow_paid_broadcast), so a
    BROADCAST_RATE above it is refused at start unless PAID_BROADCAST=true says the operator knows."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BROADCAST_RATE", "40")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value) == (
        "BROADCAST_RATE 40 is above the 30 messages per second Telegram delivers free: lower it, or set "
        "PAID_BROADCAST=true to send the daily films with allow_paid_broadcast (Telegram charges Stars "
        "for each message above that)"
    )
    monkeypatch.setenv("PAID_BROADCAST", "true")
    settings = load_settings()
    assert settings.broadcast_rate == 40 and settings.paid_broadcast is True
    monkeypatch.setenv("BROADCAST_RATE", "30")
    monkeypatch.delenv("PAID_BROADCAST")
    assert load_settings().paid_broadcast is False  # 30 is free
