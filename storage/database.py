"""The async engine, one unit of work per event, and start-up migrations.

SQLite (the default) gets WAL, a busy timeout and foreign keys, and every unit of work takes the
write lock up front (`BEGIN IMMEDIATE`): SQLite cannot upgrade a read transaction to a write one,
so a read-then-write under concurrency would otherwise fail with "database is locked". Inside one
process, units of work on SQLite also queue on an asyncio lock, so they never spin on the busy
handler. PostgreSQL (asyncpg) runs the same code with real concurrency; integrity comes from the
schema's constraints and upserts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Database:
    """One database: engine, sessions and migrations."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            options["connect_args"] = {"timeout": 30}
        else:
            options["pool_pre_ping"] = True
            options["pool_size"] = 10
            options["max_overflow"] = 20
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.url.get_backend_name()

    @contextlib.asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        lock = self._write_lock or contextlib.nullcontext()
        async with lock, self.sessions() as session, session.begin():
            yield session

    async def migrate(self) -> None:
        """Bring the schema up to date (Alembic `upgrade head`)."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head, self.url.render_as_string(hide_password=False))

    async def current_revision(self) -> str | None:
        """The schema revision stored in the database, or None if it was never migrated."""
        async with self.engine.connect() as connection:
            return await connection.run_sync(_current_revision)

    async def ping(self) -> None:
        """Raise if the database cannot be reached."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def head_revision() -> str:
    """The newest migration this code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None
    return head


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (the driver's implicit BEGIN is deferred, which cannot
        # later be upgraded to a write lock under concurrency).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade_to_head(connection: Any, url: str) -> None:
    from alembic import command

    config = _alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _current_revision(connection: Any) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
