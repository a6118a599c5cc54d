"""Configuration from environment variables, read from `.env` when present (pydantic-settings).

Every setting is listed, with a comment, in `.env.example`. Tokens are SecretStr so they never
appear in logs or reprs.
"""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.dates import is_time_zone

TELEGRAM_TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
DISCORD_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")
WEBHOOK_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Touchstone's settings. Field names match the environment variables, case-insensitively."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///touchstone.db"
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    discord_token: SecretStr | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    discord_guild_id: int | None = None
    #: Switched on in the Discord developer portal too: the bot reads the words of messages (views in a
    #: discussion paper's thread, jargon watch). Without it messages count as taking part only.
    discord_message_content: bool = False
    default_timezone: str = "Europe/London"
    log_level: str = "INFO"
    #: How much the libraries log (python-telegram-bot, discord.py, SQLAlchemy…). Never below INFO unless
    #: asked for here: at DEBUG they log raw updates, with people's ids, what they typed and pressed.
    library_log_level: str = "INFO"
    #: Several processes on PostgreSQL: how often a process that does not run the scheduler tries to
    #: take over (a dead leader is replaced within this time), and how often the leader checks its lock.
    scheduler_poll_seconds: float = Field(default=10.0, gt=0, le=30)
    #: How often the scheduler re-reads all scheduled work, in case a notification was missed.
    scheduler_resync_seconds: float = Field(default=300.0, gt=0)
    #: How often the outbox is checked for messages another process queued (besides its notifications).
    outbox_poll_seconds: float = Field(default=30.0, gt=0)
    #: Telegram allows about 30 messages a second in bulk: the adapter paces every send below this.
    telegram_sends_per_second: float = Field(default=28.0, gt=0, le=30)
    #: Where the terminal chat saves files the bot sends (calendar files, charts); blank: next to the database.
    console_files_dir: str | None = None

    @field_validator(
        "telegram_token",
        "discord_token",
        "telegram_webhook_secret",
        "telegram_webhook_url",
        "console_files_dir",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Telegram only sends updates to an https:// address")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_SHAPE.match(value.get_secret_value()):
            raise ValueError("use 1 to 256 letters, digits, _ or - (Telegram's rule for a secret token)")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError(f"{value!r} is not a time zone name like Europe/London")
        return value

    @field_validator("log_level", "library_log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return upper

    @field_validator("telegram_api_url", "discord_api_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("use a web address that starts with https:// (or http:// for a local server)")
        return value

    @field_validator("discord_gateway_url")
    @classmethod
    def _gateway_address(cls, value: str) -> str:
        if not value.startswith(("wss://", "ws://")):
            raise ValueError("use a gateway address that starts with wss:// (or ws:// for a local server)")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///file.db or postgresql+asyncpg://user@host/db")
        return value

    def token_problems(self) -> list[str]:
        """Plain descriptions of tokens that are not shaped like real ones (never the tokens)."""
        problems = []
        if self.telegram_token and not TELEGRAM_TOKEN_SHAPE.match(self.telegram_token.get_secret_value()):
            problems.append(
                "TELEGRAM_TOKEN does not look like a Telegram bot token (digits, a colon, then 30+ characters)."
            )
        if self.discord_token and not DISCORD_TOKEN_SHAPE.match(self.discord_token.get_secret_value()):
            problems.append("DISCORD_TOKEN does not look like a Discord bot token (three parts separated by dots).")
        return problems

    def secrets(self) -> list[str]:
        """The secret values, so log output can be scrubbed of them."""
        tokens = (self.telegram_token, self.discord_token, self.telegram_webhook_secret)
        return [t.get_secret_value() for t in tokens if t is not None]
