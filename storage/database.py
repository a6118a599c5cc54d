"""The async engine, one unit of work per event, and start-up migrations.

SQLite (the default) gets WAL, foreign keys, and every unit of work takes the write lock up front
(`BEGIN IMMEDIATE`): SQLite cannot upgrade a read transaction to a write one, so a read-then-write
under concurrency would otherwise fail with "database is locked". Inside one process, units of
work on SQLite queue on an asyncio lock (one writer at a time); across processes, `BEGIN IMMEDIATE`
is retried with short asynchronous sleeps while another process holds the lock.

SQLite calls run on the event loop's own thread. aiosqlite normally hands every call to a worker
thread; on a local file each call takes microseconds, but each hand-off costs 100-250 µs on a small
machine and a statement takes four of them, which made one command cost several milliseconds
(see bench/dispatch.py). The only SQLite call that can wait, BEGIN IMMEDIATE, never blocks: it fails
at once when the lock is taken and is retried after an `asyncio.sleep`.

PostgreSQL (asyncpg) runs the same code with real concurrency; integrity comes from the schema's
constraints and upserts.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
POSTGRES_POOL_SIZE = 10
#: How long a unit of work waits for another process to release SQLite's write lock.
SQLITE_LOCK_WAIT_S = 30.0
T = TypeVar("T")


class InlineSQLiteConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run at once on the calling (event loop) thread.

    aiosqlite still opens and closes the sqlite3 connection on its worker thread; only the
    per-statement hand-off is skipped. Safe because nothing here can block: the busy timeout is
    zero, and the one statement that waits for a lock (BEGIN IMMEDIATE) is retried asynchronously.
    """

    async def _execute(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def _sqlite_creator(url: URL) -> Callable[[], Any]:
    database = url.database or ":memory:"

    async def create() -> InlineSQLiteConnection:
        connector = partial(sqlite3.connect, database, timeout=0, isolation_level=None, check_same_thread=False)
        connection = InlineSQLiteConnection(connector, iter_chunk_size=64)
        await connection  # opens the sqlite3 connection on aiosqlite's worker thread
        return connection

    return create


class Database:
    """One database: engine, sessions and migrations."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        options: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            options["async_creator"] = _sqlite_creator(self.url)
            # Every unit of work ends its own transaction, so the pool's rollback on return is waste.
            options["pool_reset_on_return"] = None
        else:
            options["pool_pre_ping"] = True
            options["pool_size"] = POSTGRES_POOL_SIZE
            options["max_overflow"] = 5  # for reads outside units of work and the scheduler's lock
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        # SQLite: one writer at a time. PostgreSQL: first come, first served for the pool's
        # connections (the pool itself lets newcomers overtake, which made the slowest waits seconds).
        self._write_lock: asyncio.Lock | asyncio.Semaphore = (
            asyncio.Lock() if self.is_sqlite else asyncio.Semaphore(POSTGRES_POOL_SIZE)
        )

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.url.get_backend_name()

    @contextlib.asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        async with self._write_lock, self.sessions() as session, session.begin():
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

    async def control_connection(self) -> ControlConnection:
        """A PostgreSQL connection of its own, outside the pool's turn-taking, for what lives as long
        as a session: an advisory lock and LISTEN. (SQLite has neither: one process per file.)"""
        if self.is_sqlite:
            raise RuntimeError("SQLite has no advisory locks or notifications")
        connection = await self.engine.connect()
        raw = await connection.get_raw_connection()
        return ControlConnection(connection, raw.driver_connection)


async def notify(session: AsyncSession, channel: str, payload: str = "") -> None:
    """Tell every process listening on `channel`, when this transaction commits (PostgreSQL NOTIFY;
    nothing on SQLite, where one process serves everything)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": payload})


class ControlConnection:
    """One PostgreSQL session held open: advisory locks, LISTEN, and noticing when it is lost."""

    def __init__(self, connection: AsyncConnection, driver: Any) -> None:
        self._connection = connection
        self._driver = driver  # asyncpg.Connection
        self.lost = asyncio.Event()
        driver.add_termination_listener(lambda _conn: self.lost.set())

    async def try_lock(self, key: int) -> bool:
        """Take a session-level advisory lock if nobody holds it; held until unlocked or the session ends."""
        return bool(await self._driver.fetchval("SELECT pg_try_advisory_lock($1)", key))

    async def unlock(self, key: int) -> None:
        await self._driver.execute("SELECT pg_advisory_unlock($1)", key)

    async def listen(self, channel: str, callback: Callable[[str], None]) -> None:
        """Call `callback(payload)` for every NOTIFY on `channel`."""
        await self._driver.add_listener(channel, lambda _conn, _pid, _channel, payload: callback(payload))

    async def server_pid(self) -> int:
        """The server process behind this session (to tell it apart in pg_stat_activity)."""
        return int(self._driver.get_server_pid())

    async def alive(self, timeout: float) -> bool:
        """A round trip to the server within `timeout` seconds."""
        if self.lost.is_set() or self._driver.is_closed():
            return False
        try:
            await asyncio.wait_for(self._driver.fetchval("SELECT 1"), timeout)
        except Exception:
            self.lost.set()
            return False
        return True

    async def close(self) -> None:
        """Close the session (its locks and LISTENs end with it)."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._connection.invalidate(), 5)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._connection.close(), 5)


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
        cursor.execute("PRAGMA busy_timeout=0")  # never block the event loop; see on_begin
        _retry_while_locked(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        _retry_while_locked(lambda: connection.exec_driver_sql("BEGIN IMMEDIATE"))


def _is_locked(error: BaseException) -> bool:
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


def _retry_while_locked(statement: Callable[[], Any]) -> None:
    """Run a statement that may find the database locked by another process, retrying after short
    asynchronous sleeps (so the event loop keeps running) for up to SQLITE_LOCK_WAIT_S."""
    delay = 0.001
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_S
    while True:
        try:
            statement()
            return
        except (exc.OperationalError, sqlite3.OperationalError) as error:
            if not _is_locked(error) or time.monotonic() > deadline:
                raise
        await_(asyncio.sleep(delay))
        delay = min(delay * 2, 0.05)


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
