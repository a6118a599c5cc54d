"""Several bot processes on one PostgreSQL database: who leads, and telling each other about new work.

Exactly one process leads (runs the scheduler): the one holding a PostgreSQL advisory lock on its
control connection. The others try for the lock every `retry_s` seconds, so when a leader dies one
takes over within that time. Every process LISTENs on the control connection: the leader hears of
scheduled work created anywhere (`JOBS`), every process hears of messages waiting in the outbox
(`OUTBOX`). If the control connection is lost, the process stops leading at once (no two leaders),
then reconnects, listens again and has everything re-read.

On SQLite there is one process per database file: it always leads, and hears its own work directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from storage import Database
from storage.database import ControlConnection

log = logging.getLogger("touchstone.coordination")

#: PostgreSQL advisory lock key of the scheduler: "TSCH" in ASCII.
LEADER_LOCK_KEY = 0x54534348
#: NOTIFY channels.
JOBS = "touchstone_jobs"
OUTBOX = "touchstone_outbox"
#: How long a round trip on the control connection may take before it counts as lost.
ALIVE_TIMEOUT_S = 5.0

Notice = Callable[[str], None]


class Coordinator:
    """Leadership and notifications for one process."""

    def __init__(self, database: Database, *, retry_s: float = 10.0) -> None:
        self.database = database
        self.retry_s = retry_s
        self.leading = False
        #: Called when this process starts leading (also after a reconnect): build the schedule.
        self.on_lead: Callable[[], Awaitable[None]] | None = None
        #: Called at once when this process stops leading: run no more jobs.
        self.on_unlead: Callable[[], None] | None = None
        #: Called whenever the control connection is (re)established: re-read what may have been missed.
        self.on_connected: Callable[[], None] | None = None
        self._listeners: dict[str, Notice] = {}
        self._connection: ControlConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def listen(self, channel: str, notice: Notice) -> None:
        """Call `notice(payload)` on every NOTIFY on `channel` (before `start`)."""
        self._listeners[channel] = notice

    async def start(self) -> None:
        if self.database.is_sqlite:
            await self._lead()
            return
        await self._attempt()
        self._task = asyncio.create_task(self._keep_trying())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._unlead()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.unlock(LEADER_LOCK_KEY)
            await self._connection.close()
            self._connection = None

    # ---- internals ---------------------------------------------------------------------------------

    async def _keep_trying(self) -> None:
        while True:
            lost = self._connection.lost if self._connection is not None else None
            waits: list[asyncio.Task[object]] = [asyncio.create_task(asyncio.sleep(self.retry_s))]
            if lost is not None:
                waits.append(asyncio.create_task(lost.wait()))
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in waits:
                    task.cancel()
            await self._attempt()

    async def _attempt(self) -> None:
        """Check the control connection (reconnecting if it was lost) and try for leadership."""
        try:
            if self._connection is not None and not await self._connection.alive(ALIVE_TIMEOUT_S):
                self._connection_lost()
            if self._connection is None:
                self._connection = await self.database.control_connection()
                for channel, notice in self._listeners.items():
                    await self._connection.listen(channel, notice)
                log.info("listening for work from other Touchstone processes")
                if self.on_connected is not None:
                    self.on_connected()
            if not self.leading and await self._connection.try_lock(LEADER_LOCK_KEY):
                await self._lead()
        except Exception as error:
            log.warning("the database connection for coordinating processes failed (%s); trying again", error)
            self._connection_lost()

    def _connection_lost(self) -> None:
        if self.leading:
            log.warning("lost the connection that holds the scheduler's lock: this process stops running jobs")
        self._unlead()
        if self._connection is not None:
            connection, self._connection = self._connection, None
            asyncio.get_running_loop().create_task(connection.close())

    async def _lead(self) -> None:
        self.leading = True
        log.info("this process runs the scheduler")
        if self.on_lead is not None:
            await self.on_lead()

    def _unlead(self) -> None:
        if self.leading:
            self.leading = False
            if self.on_unlead is not None:
                self.on_unlead()
