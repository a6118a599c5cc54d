"""Storage: the migrations match the models, SQLite is configured safely, times stay UTC, the schema
keeps its promises, and concurrent read-then-write units of work never lose an update."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from adapters.console import ConsoleAdapter
from bot.app import App
from storage import Database, groups
from storage import database as storage_database
from storage.database import head_revision
from storage.groups import Group, GroupSetting, Membership
from storage.people import Account, Person
from storage.schema import metadata

WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def schema_differences(database: Database, metadata: MetaData) -> list[Any]:
    """What Alembic's autogenerate would change to turn the database into `metadata` ([] = nothing)."""
    async with database.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )


async def count(database: Database, model: type) -> int:
    async with database.unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def add_person(database: Database, name: str) -> int:
    async with database.unit_of_work() as session:
        person = Person(display_name=name, created_at=WHEN)
        session.add(person)
        await session.flush()
        return person.id


async def add_group(database: Database, name: str = "Riverside Lay Partners") -> int:
    async with database.unit_of_work() as session:
        group = Group(name=name, created_at=WHEN)
        session.add(group)
        await session.flush()
        return group.id


# ---- migrations --------------------------------------------------------------------------------


async def test_migrations_produce_exactly_the_models_schema(app: App) -> None:
    # No compare_type callback is needed: Alembic compares a TypeDecorator by its impl, and
    # UTCDateTime's impl, DateTime(timezone=True), is what the migration writes (env.render_item).
    assert await schema_differences(app.database, metadata()) == []


async def test_schema_comparison_notices_a_column_the_migrations_lack(app: App) -> None:
    # Guards the test above: an empty diff must mean "the same", not "compared nothing".
    changed = MetaData(naming_convention=metadata().naming_convention)
    for table in metadata().sorted_tables:
        table.to_metadata(changed)
    changed.tables["groups"].append_column(Column("colour", Integer, nullable=True))
    differences = await schema_differences(app.database, changed)
    assert [(d[0], d[3].name) for d in differences if d[0] == "add_column"] == [("add_column", "colour")]


async def test_migrating_twice_changes_nothing_and_records_the_newest_revision(app: App) -> None:
    await app.database.migrate()
    await app.database.migrate()
    assert await app.database.current_revision() == head_revision()
    assert await schema_differences(app.database, metadata()) == []


async def test_a_database_that_was_never_migrated_has_no_revision(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        assert await database.current_revision() is None
    finally:
        await database.dispose()


# ---- SQLite connection settings ----------------------------------------------------------------


async def test_sqlite_connections_use_wal_foreign_keys_and_never_block_the_event_loop(app: App) -> None:
    if not app.database.is_sqlite:
        pytest.skip("SQLite pragmas")
    async with app.database.unit_of_work() as session:
        journal_mode = (await session.execute(text("PRAGMA journal_mode"))).scalar_one()
        foreign_keys = (await session.execute(text("PRAGMA foreign_keys"))).scalar_one()
        busy_timeout = (await session.execute(text("PRAGMA busy_timeout"))).scalar_one()
    assert journal_mode == "wal"
    assert foreign_keys == 1
    # SQLite runs on the event loop's thread, so it must never wait inside SQLite for a lock:
    # BEGIN IMMEDIATE is retried with asynchronous sleeps instead (see the two-Database test).
    assert busy_timeout == 0


async def test_sqlite_refuses_a_row_that_points_at_a_missing_group(app: App) -> None:
    if not app.database.is_sqlite:
        pytest.skip("PostgreSQL always enforces foreign keys")
    with pytest.raises(IntegrityError):
        async with app.database.unit_of_work() as session:
            session.add(GroupSetting(group_id=999, key="timezone", value="Europe/London"))
    assert await count(app.database, GroupSetting) == 0


# ---- times -------------------------------------------------------------------------------------


async def test_datetimes_come_back_as_the_same_instant_in_utc(app: App) -> None:
    summer_evening = datetime(2026, 7, 14, 18, 30, tzinfo=ZoneInfo("Europe/London"))  # BST, UTC+1
    async with app.database.unit_of_work() as session:
        session.add(Group(name="Riverside Lay Partners", created_at=summer_evening))
    async with app.database.unit_of_work() as session:  # a fresh session: read from the database
        stored = (await session.execute(select(Group.created_at))).scalar_one()
    assert stored == summer_evening
    assert stored.tzinfo is UTC
    assert (stored.hour, stored.minute) == (17, 30)


async def test_a_naive_datetime_is_refused_and_nothing_is_stored(app: App) -> None:
    with pytest.raises(StatementError, match="aware datetimes only"):
        async with app.database.unit_of_work() as session:
            session.add(Group(name="Riverside Lay Partners", created_at=datetime(2026, 7, 14, 18, 30)))
    assert await count(app.database, Group) == 0


# ---- integrity in the schema -------------------------------------------------------------------


async def test_two_accounts_for_the_same_platform_user_are_refused(app: App) -> None:
    ann, also_ann = await add_person(app.database, "Ann"), await add_person(app.database, "Ann again")
    with pytest.raises(IntegrityError):
        async with app.database.unit_of_work() as session:
            for person_id in (ann, also_ann):
                session.add(
                    Account(person_id=person_id, platform="telegram", user_id="42", display_name="Ann", created_at=WHEN)
                )
    assert await count(app.database, Account) == 0


async def test_the_same_user_id_on_two_platforms_is_two_accounts(app: App) -> None:
    ann = await add_person(app.database, "Ann")
    async with app.database.unit_of_work() as session:
        for platform in ("telegram", "discord"):
            session.add(Account(person_id=ann, platform=platform, user_id="42", display_name="Ann", created_at=WHEN))
    assert await count(app.database, Account) == 2


async def test_two_memberships_of_one_person_in_one_group_are_refused(app: App) -> None:
    group_id, ann = await add_group(app.database), await add_person(app.database, "Ann")
    with pytest.raises(IntegrityError):
        async with app.database.unit_of_work() as session:
            session.add(Membership(group_id=group_id, person_id=ann, joined_at=WHEN))
            await session.flush()
            session.add(Membership(group_id=group_id, person_id=ann, joined_at=WHEN))
    assert await count(app.database, Membership) == 0


# ---- units of work -----------------------------------------------------------------------------


async def test_a_unit_of_work_that_fails_writes_nothing(app: App) -> None:
    with pytest.raises(RuntimeError, match="handler broke"):
        async with app.database.unit_of_work() as session:
            session.add(Group(name="Riverside Lay Partners", created_at=WHEN))
            await session.flush()  # the row reached the database inside the transaction
            raise RuntimeError("handler broke")
    assert await count(app.database, Group) == 0


# ---- SQLite under concurrency ------------------------------------------------------------------


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "concurrent.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


async def add_counter(database: Database) -> int:
    group_id = await add_group(database)
    async with database.unit_of_work() as session:
        session.add(GroupSetting(group_id=group_id, key="counter", value="0"))
    return group_id


async def increment(database: Database, group_id: int) -> None:
    """Read the counter, then write it back plus one: loses updates unless units of work serialise."""
    async with database.unit_of_work() as session:
        value = (await groups.group_settings(session, group_id))["counter"]
        await asyncio.sleep(0)  # let every other task run between the read and the write
        await groups.set_group_setting(session, group_id, "counter", str(int(value) + 1))


async def read_counter(database: Database, group_id: int) -> str:
    async with database.unit_of_work() as session:
        return (await groups.group_settings(session, group_id))["counter"]


async def test_twenty_concurrent_read_then_write_units_of_work_lose_no_update(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    try:
        group_id = await add_counter(database)
        await asyncio.gather(*(increment(database, group_id) for _ in range(20)))
        assert await read_counter(database, group_id) == "20"
    finally:
        await database.dispose()


async def test_two_processes_sharing_one_sqlite_file_lose_no_update(sqlite_url: str) -> None:
    # Two Database objects have separate engines and separate in-process locks, like two
    # processes: only BEGIN IMMEDIATE, retried while the other holds the lock, keeps them apart.
    first, second = Database(sqlite_url), Database(sqlite_url)
    try:
        group_id = await add_counter(first)
        await asyncio.gather(*(increment(first if i % 2 else second, group_id) for i in range(20)))
        assert await read_counter(first, group_id) == "20"
        assert await read_counter(second, group_id) == "20"
    finally:
        await first.dispose()
        await second.dispose()


async def test_waiting_for_another_process_lock_does_not_freeze_the_bot(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = Database(sqlite_url), Database(sqlite_url)
    release = asyncio.Event()
    holding = asyncio.Event()
    attempts = 0
    real_is_locked = storage_database._is_locked

    def counting_is_locked(error: BaseException) -> bool:
        nonlocal attempts
        attempts += 1
        return real_is_locked(error)

    monkeypatch.setattr(storage_database, "_is_locked", counting_is_locked)
    try:
        group_id = await add_counter(first)

        async def hold_the_lock() -> None:
            async with first.unit_of_work() as session:
                await groups.set_group_setting(session, group_id, "counter", "held")
                holding.set()
                await release.wait()

        holder = asyncio.create_task(hold_the_lock())
        await holding.wait()
        waiter = asyncio.create_task(increment(second, group_id))
        loop = asyncio.get_running_loop()
        longest_gap, last = 0.0, loop.time()
        for _ in range(20):  # the event loop keeps serving other work while `waiter` waits
            await asyncio.sleep(0.005)
            longest_gap, last = max(longest_gap, loop.time() - last), loop.time()
        assert not waiter.done()
        assert attempts >= 2, "the waiter should have tried for the lock again and again meanwhile"
        assert longest_gap < 0.5, f"the event loop stood still for {longest_gap:.2f} s"
        release.set()
        await holder
        with pytest.raises(ValueError):  # the waiter read "held" only after the holder committed
            await waiter
    finally:
        await first.dispose()
        await second.dispose()


# ---- chats that change id ----------------------------------------------------------------------


async def test_a_chat_that_changes_id_keeps_its_group(group: ConsoleAdapter, app: App) -> None:
    new_chat = dataclasses.replace(group.group_chat, id="-1001234567890")
    async with app.database.unit_of_work() as session:
        assert await groups.move_channel(session, "console", group.group_chat.id, new_chat.id) is True
    group.group_chat = new_chat  # the platform now sends the group's messages from the new id
    said = await group.say("Bob", "/members")
    assert said.text.splitlines() == [
        "“Riverside Lay Partners” has 3 members.",
        "Alice, co-chair, a lay partner.",
        "Bob, a lay partner.",
        "Carol, a professional.",
    ]
    async with app.database.unit_of_work() as session:
        assert await groups.find_channel(session, "console", "group") is None


async def test_moving_a_chat_that_was_never_set_up_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    async with app.database.unit_of_work() as session:
        assert await groups.move_channel(session, "console", "not-a-chat", "-100999") is False
    assert "has 3 members" in (await group.say("Bob", "/members")).text
