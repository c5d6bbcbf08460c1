"""Settings: the only place that reads the environment (and `.env`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.models import Zone, parse_hhmm
from bot.core.services import CoreSettings
from bot.core.storage import is_postgres
from bot.core.watch.service import OEMBED_URL, Endpoints


class ToolSettings(BaseSettings):
    """The settings the `check` and `health` tools read; they need no token."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    catalogue_path: Path = Path("data/films.yaml")
    heartbeat_path: Path = Path("data/heartbeat")
    database_path: Path = Path("data/bot.sqlite3")
    # a PostgreSQL database instead of the SQLite file (postgresql://user:password@host/name), for
    # several bot processes on one database; unset: the file at DATABASE_PATH
    database_url: SecretStr | None = None
    # YouTube's oEmbed endpoint, which verifies the watch links (a test points it at a local fake)
    oembed_url: str = OEMBED_URL

    @field_validator("oembed_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value.strip()):
            raise ValueError("must be an http(s) address such as https://www.youtube.com/oembed")
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value().strip()
        if not is_postgres(url) or not re.match(r"^postgres(ql)?://[^\s]*$", url):
            raise ValueError(
                "must be a PostgreSQL address such as postgresql://bot:password@localhost/bot "
                "(for the SQLite file, leave it unset and set DATABASE_PATH)"
            )
        return SecretStr(url)

    @property
    def database(self) -> Path | str:
        """Where the bot keeps its data: the PostgreSQL address, else the SQLite file."""
        return self.database_url.get_secret_value() if self.database_url else self.database_path

    def endpoints(self) -> Endpoints:
        return Endpoints(oembed=self.oembed_url)


FREE_BROADCAST_RATE = 30  # messages per second Telegram delivers without allow_paid_broadcast


class Settings(ToolSettings):
    """Everything the bot reads; the tools' settings plus the rest."""

    bot_token: SecretStr
    bot_api_base_url: str = "https://api.telegram.org/bot"
    bot_api_timeout: float = Field(default=5.0, gt=0, le=120)
    # how often the running bot re-checks each watch link; 0: never (then run `check-links` by hand)
    link_check_hours: float = Field(default=24.0, ge=0, le=24 * 30)
    timezone: str = "Europe/Moscow"
    daily_time: str = "10:00"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    log_level: str = "INFO"
    log_format: str = "text"
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    # Telegram delivers about 30 messages a second free; above that, allow_paid_broadcast charges
    # Stars per message, so the operator must say so
    paid_broadcast: bool = False
    # /metrics in Prometheus's text format on a port of its own; 0: off
    metrics_port: int = Field(default=0, ge=0, le=65535)
    metrics_listen: str = "127.0.0.1"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram"

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

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {"text", "json"}:
            raise ValueError("must be text or json")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.match(r"^https://[^\s/]+", value.strip()):  # Telegram posts only to HTTPS
            raise ValueError("must be the public https:// address Telegram should post updates to")
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _path_shape(cls, value: str) -> str:
        value = "/" + value.strip().lstrip("/")
        if not re.fullmatch(r"/[A-Za-z0-9_\-./]*", value):
            raise ValueError("must be a URL path such as /telegram")
        return value

    @model_validator(mode="after")
    def _paid_above_free_rate(self) -> Settings:
        if self.broadcast_rate > FREE_BROADCAST_RATE and not self.paid_broadcast:
            raise ValueError(
                f"BROADCAST_RATE {self.broadcast_rate:g} is above the {FREE_BROADCAST_RATE} messages per "
                "second Telegram delivers free: lower it, or set PAID_BROADCAST=true to send the daily "
                "films with allow_paid_broadcast (Telegram charges Stars for each message above that)"
            )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is required when WEBHOOK_URL is set: choose 1-256 characters of "
                "A-Z, a-z, 0-9, _ and - (for example from `openssl rand -hex 32`)"
            )
        return self

    def file_url(self) -> str:
        """Where files users send are downloaded: the Bot API's /file/bot beside its /bot."""
        return self.bot_api_base_url.removesuffix("/").removesuffix("/bot") + "/file/bot"

    def secrets(self) -> list[str]:
        """What must never appear in a log line or a message: the token and the webhook secret."""
        found = [self.bot_token.get_secret_value()]
        password = self.database_url and urlsplit(self.database_url.get_secret_value()).password
        if password:
            found.append(password)
        if self.webhook_secret is not None:
            found.append(self.webhook_secret.get_secret_value())
        return found

    def core(self) -> CoreSettings:
        """What the core needs of these settings, parsed."""
        return CoreSettings(
            catalogue_path=self.catalogue_path,
            database_path=self.database_path,
            database_url=self.database_url.get_secret_value() if self.database_url else None,
            zone=Zone(self.timezone, ZoneInfo(self.timezone)),
            daily_time=parse_hhmm(self.daily_time),
            broadcast_rate=self.broadcast_rate,
        )


class ConfigError(Exception):
    """A setting an operator must fix; the message is one line, safe to print."""


_HINTS = {
    "BOT_TOKEN": "get a token from @BotFather in Telegram and put BOT_TOKEN=... in the environment "
    "or in .env (see .env.example)",
}
_FRIENDLY = {
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "int_parsing": "must be a whole number",
    "float_parsing": "must be a number",
}


S = TypeVar("S", bound=BaseSettings)


def load_settings(**overrides: object) -> Settings:
    """Read the bot's settings, turning validation errors into one clear ConfigError line per problem."""
    return _load(Settings, overrides)


def load_tool_settings() -> ToolSettings:
    """The same for the tools (`check`, `health`, `reload`, `check-links`)."""
    return _load(ToolSettings, {})


def _load(kind: type[S], overrides: dict[str, object]) -> S:
    try:
        return kind(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            if not error["loc"]:  # a rule across settings: its message names them itself
                lines.append(str(error["msg"]).removeprefix("Value error, "))
                continue
            name = str(error["loc"][0]).upper()
            if error["type"] == "missing":
                lines.append(f"{name} is not set: {_HINTS.get(name, 'set it in the environment or .env')}")
                continue
            friendly = _FRIENDLY.get(error["type"])
            message = (
                friendly.format(**error.get("ctx", {}))
                if friendly
                else str(error["msg"]).removeprefix("Value error, ")
            )
            hint = _HINTS.get(name)
            lines.append(f"{name} {message}" + (f": {hint}" if hint else ""))
        raise ConfigError("; ".join(lines)) from None
