"""Leadership between processes on PostgreSQL: a leader that loses the connection holding its lock
stops running jobs at once (no two leaders), and on reconnecting listens again and re-reads its work."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from storage.database import notify


async def eventually(predicate: Callable[[], Any], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_leader_that_loses_its_connection_stops_at_once_and_one_process_leads_again(
    settings: Settings, clock: ManualClock
) -> None:
    quick = settings.model_copy(update={"scheduler_poll_seconds": 0.3})
    first = await create_app(quick, clock=clock, migrate=False)
    second = await create_app(quick, clock=clock, migrate=False)
    heard: list[str] = []
    first.coordinator.listen("touchstone_test", heard.append)
    stepped_down: list[float] = []
    step_down = first.scheduler.step_down

    def record_step_down() -> None:
        stepped_down.append(time.monotonic())
        step_down()

    first.coordinator.on_unlead = record_step_down
    both_led = False

    async def watch() -> None:
        nonlocal both_led
        while True:
            both_led = both_led or (first.scheduler.running and second.scheduler.running)
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    try:
        await first.coordinator.start()
        await second.coordinator.start()
        assert first.scheduler.running and not second.scheduler.running
        connection = first.coordinator._connection
        assert connection is not None
        pid = await connection.server_pid()
        async with first.database.engine.connect() as admin:
            await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        cut = time.monotonic()
        await eventually(lambda: stepped_down, 2, "the old leader to stop running jobs")
        stopped_after = stepped_down[0] - cut
        await eventually(lambda: first.scheduler.running or second.scheduler.running, 5, "a new leader")
        await asyncio.sleep(1)  # several more rounds of trying for the lock
        assert first.scheduler.running != second.scheduler.running  # exactly one leads
        assert not both_led
        assert stopped_after < 1.0
        # The first process reconnected and listens again: a notification reaches it.
        await eventually(lambda: first.coordinator._connection is not None, 5, "the first process to reconnect")
        async with first.database.unit_of_work() as session:
            await notify(session, "touchstone_test", "hello again")
        await eventually(lambda: heard == ["hello again"], 5, "the notification after reconnecting")
    finally:
        watcher.cancel()
        await first.close()
        await second.close()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_the_leader_hears_of_work_changed_in_another_process_and_schedules_only_that(
    app: App, settings: Settings, clock: ManualClock
) -> None:
    from adapters.console import ConsoleAdapter

    other = await create_app(settings, clock=clock, migrate=False)

    async def lead_paused() -> None:  # the schedule is inspected, not run: the test's clock is not the real one
        await app.scheduler.lead(paused=True)

    app.coordinator.on_lead = lead_paused
    try:
        await app.coordinator.start()
        assert app.scheduler.running
        console = ConsoleAdapter(other.dispatcher, group_title="Riverside Lay Partners")  # the other process
        await console.say("Alice", "/setup Riverside Lay Partners")
        await console.press("Alice", "Lay partner")
        said = await console.say("Alice", "/vote Meet monthly? | yes/no | Friday 5pm")
        assert "Vote 1: Meet monthly?" in said.text
        await eventually(lambda: "vote:1:close" in app.scheduler.scheduled(), 5, "the leader to schedule vote 1")
        assert set(app.scheduler.scheduled()) == {"vote:1:close", "vote:1:remind"}
        await console.say("Alice", "/closevote 1")
        await eventually(lambda: app.scheduler.scheduled() == {}, 5, "the leader to drop vote 1's jobs")
    finally:
        await other.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_on_sqlite_the_one_process_leads_at_once_without_a_control_connection(app: App) -> None:
    await app.coordinator.start()
    assert app.coordinator.leading and app.scheduler.running
    assert app.coordinator._connection is None
