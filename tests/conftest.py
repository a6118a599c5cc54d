"""Test fixtures: every conversation test runs on SQLite and, when TOUCHSTONE_TEST_POSTGRES_URL is
set, on PostgreSQL too. SQLite tests copy a database file migrated once per run; PostgreSQL tests
share one migrated database and empty its tables before each test."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.console import ConsoleAdapter
from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from storage import Database
from storage.schema import metadata

POSTGRES_URL = os.environ.get("TOUCHSTONE_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("TOUCHSTONE_REQUIRE_POSTGRES") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if REQUIRE_POSTGRES and not POSTGRES_URL:
        raise pytest.UsageError("TOUCHSTONE_REQUIRE_POSTGRES=1 but TOUCHSTONE_TEST_POSTGRES_URL is not set")


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await database.migrate()
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file brought up to date by the real migrations, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """The PostgreSQL test database, emptied and migrated once per run."""

    async def reset() -> None:
        engine = create_async_engine(POSTGRES_URL)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
        await _migrate(POSTGRES_URL)

    asyncio.run(reset())
    return POSTGRES_URL


async def _empty_postgres(url: str) -> None:
    engine = create_async_engine(url)
    tables = ", ".join(table.name for table in metadata().sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need TOUCHSTONE_TEST_POSTGRES_URL")
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "touchstone.db"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
    else:
        url: str = request.getfixturevalue("postgres_migrated")
        asyncio.run(_empty_postgres(url))
        yield url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, telegram_token=None, discord_token=None)  # type: ignore[call-arg]


@pytest.fixture
async def app(settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    application = await create_app(settings, clock=clock, migrate=False)
    yield application
    await application.close()


@pytest.fixture
def chat(app: App) -> ConsoleAdapter:
    """A terminal chat on a fresh database: nothing is set up yet."""
    return ConsoleAdapter(app.dispatcher, group_title="Riverside Lay Partners")


@pytest.fixture
async def group(chat: ConsoleAdapter) -> ConsoleAdapter:
    """A set-up group: Alice is the co-chair (a lay partner), Bob a lay partner, Carol a professional."""
    assert "Done!" in (await chat.say("Alice", "/setup Riverside Lay Partners")).text
    await chat.press("Alice", "Lay partner")
    await chat.press("Bob", "Lay partner")
    await chat.press("Carol", "Professional")
    return chat
