"""The `touchstone` command: run (the default), migrate, check."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.config import Settings


class RedactSecrets(logging.Filter):
    """Replace any token that slips into a log record (a library logging a URL, say) with ***."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a badly formed log call must not raise into the code that logged it
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = self.redact(message), None
        # Tracebacks are formatted after filters run: format them now so a token in an exception
        # (an HTTP library putting the request URL in its message) is scrubbed too.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


#: The libraries' loggers, each with the most it may say unless LIBRARY_LOG_LEVEL asks for more. At DEBUG the
#: chat libraries log raw updates (people's ids beside what they pressed in an anonymous vote, what they
#: typed); SQLAlchemy logs every statement with its values at INFO; httpx logs request addresses (Telegram's
#: hold the token) at INFO.
LIBRARY_LOGGERS = {
    "telegram": logging.INFO,
    "discord": logging.INFO,
    "httpcore": logging.INFO,
    "aiohttp": logging.INFO,
    "tornado": logging.INFO,
    "asyncio": logging.INFO,
    "asyncpg": logging.INFO,
    "aiosqlite": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "httpx": logging.WARNING,
    "alembic": logging.WARNING,
    "apscheduler": logging.WARNING,
}


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(settings.secrets()))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    asked = logging.getLevelName(settings.library_log_level)
    for name, floor in LIBRARY_LOGGERS.items():
        # LIBRARY_LOG_LEVEL can lower the floor (to find a fault); by default each stays at its safe level.
        logging.getLogger(name).setLevel(asked if asked < logging.INFO else max(asked, floor))


def load_settings() -> Settings | None:
    try:
        return Settings()
    except ValidationError as exc:
        print("Touchstone's settings need fixing:", file=sys.stderr)
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]).upper()
            print(f"  {field}: {error['msg']}", file=sys.stderr)
        print("See .env.example for every setting.", file=sys.stderr)
        return None


async def check(settings: Settings) -> int:
    """Settings valid, database reachable and migrated, tokens shaped right. Never prints a secret."""
    from storage.database import Database, head_revision

    ok = True
    print("Settings: valid.")
    database = Database(settings.database_url)
    try:
        await database.ping()
        revision = await database.current_revision()
        if revision == head_revision():
            print(f"Database: reachable ({database.backend}), schema up to date.")
        else:
            print(f"Database: reachable ({database.backend}), schema needs updating: run `touchstone migrate`.")
    except Exception as exc:  # report any connection failure plainly
        print(f"Database: not reachable ({type(exc).__name__}). Check DATABASE_URL.")
        ok = False
    finally:
        await database.dispose()
    for problem in settings.token_problems():
        print(f"Tokens: {problem}")
        ok = False
    configured = [n for n, t in (("Telegram", settings.telegram_token), ("Discord", settings.discord_token)) if t]
    if not settings.token_problems():
        print(
            f"Tokens: {', '.join(configured)} set."
            if configured
            else "Tokens: none set, so `touchstone run` opens the terminal chat."
        )
    return 0 if ok else 1


async def migrate(settings: Settings) -> int:
    from storage.database import Database

    database = Database(settings.database_url)
    try:
        await database.migrate()
        print(f"Database schema is up to date ({database.backend}).")
    finally:
        await database.dispose()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="touchstone", description="Touchstone, a chat bot for lay partner groups.")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "migrate", "check"),
        help="run the bot (default), bring the database schema up to date, or check the settings",
    )
    options = parser.parse_args(argv)
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(settings)
    if options.command == "migrate":
        return asyncio.run(migrate(settings))
    if options.command == "check":
        return asyncio.run(check(settings))
    from bot.app import run

    try:
        return asyncio.run(run(settings))
    except KeyboardInterrupt:
        return 130
