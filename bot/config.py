"""Settings: the only place that reads the environment (and `.env`)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> time:
    """`08:30` or `8:30` -> time(8, 30); anything else raises ValueError."""
    match = _HHMM.match(value.strip())
    if not match:
        raise ValueError("must be a time of day as HH:MM, e.g. 10:00")
    return time(int(match.group(1)), int(match.group(2)))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    bot_api_base_url: str = "https://api.telegram.org/bot"
    catalogue_path: Path = Path("data/films.yaml")
    database_path: Path = Path("data/bot.sqlite3")
    timezone: str = "Europe/Moscow"
    daily_time: str = "10:00"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    log_level: str = "INFO"
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)

    @field_validator("bot_token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("is empty")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Europe/Moscow or UTC"
            ) from None
        return value

    @field_validator("daily_time")
    @classmethod
    def _valid_time(cls, value: str) -> str:
        parse_hhmm(value)
        return value.strip()

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(re.fullmatch(r"-?\d+", p) for p in parts):
                raise ValueError("must be comma-separated numeric Telegram user ids, e.g. 12345,67890")
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def daily_clock(self) -> time:
        return parse_hhmm(self.daily_time)


class ConfigError(Exception):
    """A setting an operator must fix; the message is one line, safe to print."""


_HINTS = {
    "BOT_TOKEN": "get a token from @BotFather in Telegram and put BOT_TOKEN=... in the environment "
    "or in .env (see .env.example)",
}


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one clear ConfigError line per problem."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            if error["type"] == "missing":
                lines.append(f"{name} is not set: {_HINTS.get(name, 'set it in the environment or .env')}")
                continue
            message = str(error["msg"]).removeprefix("Value error, ")
            hint = _HINTS.get(name)
            lines.append(f"{name} {message}" + (f": {hint}" if hint else ""))
        raise ConfigError("; ".join(lines)) from None


class _CatalogueOnly(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    catalogue_path: Path = Path("data/films.yaml")


def catalogue_path_setting() -> Path:
    """CATALOGUE_PATH alone, for tools such as `check` that need no token."""
    return _CatalogueOnly().catalogue_path
