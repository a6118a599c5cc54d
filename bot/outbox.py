"""Sending what the outbox holds: messages decided inside a transaction and written there.

Every process runs one sender for the platforms it serves. It sends the rows a unit of work just
wrote as soon as that unit commits, and wakes for rows written elsewhere (another process's NOTIFY,
or every `poll_s` seconds as a safety net). A row for a platform this process does not serve waits
for a process that does; nothing is marked sent undelivered.

PostgreSQL: a row is claimed with FOR UPDATE SKIP LOCKED in a transaction held while it is sent,
then marked sent in that transaction, so two processes never send the same row at once and a crash
mid-send leaves it for the next try. SQLite (one process): rows are read, sent and marked in short
transactions, and a set of rows in flight keeps this process from sending one twice.

A refusal that will not change (the person never opened a private chat: the adapter keeps the message
for them) counts as done. Any other failure is retried later; after a few tries the row is given up
and logged, so one bad message never blocks the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.codec import decode
from bot.ports import DeliveryFailed
from bot.types import ChatKind, ChatRef, MessageRef, Reply, UserRef
from storage import Database, outbox
from storage.outbox import OutboxMessage

log = logging.getLogger("touchstone.outbox")

#: Failed attempts before a message is given up.
GIVE_UP_AFTER = 5

Send = Callable[[Reply], Awaitable[MessageRef | None]]


def reply_of(row: OutboxMessage) -> Reply:
    """An outbox row as the reply to send (its columns say where it goes)."""
    target: ChatRef | UserRef
    if row.target_kind == "user":
        target = UserRef(row.platform, row.target_id, row.target_name)  # type: ignore[arg-type]
    else:
        target = ChatRef(row.platform, row.target_id, ChatKind(row.chat_kind), row.target_name)  # type: ignore[arg-type]
    reply = decode(row.body, target)
    return replace(reply, to=reply.to or target, nonce=f"ts{row.id}")


class OutboxSender:
    """Sends outbox rows for the platforms this process serves."""

    def __init__(
        self, database: Database, clock: Clock, send: Send, *, platforms: Callable[[], Collection[str]], poll_s: float
    ) -> None:
        self.database = database
        self.clock = clock
        self.send = send
        self.platforms = platforms
        self.poll_s = poll_s
        self._in_flight: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self, _payload: str = "") -> None:
        """Look for waiting rows soon (a NOTIFY, a reconnect)."""
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a cancellation that
            # arrives just as the event is set, and stop() would then wait a whole poll interval.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_s):
                    await self._wake.wait()
            if self._stopping:
                return
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("could not send from the outbox; trying again later")

    async def flush(self, only: Sequence[int] | None = None) -> int:
        """Send waiting rows (only these ids, if given) for the platforms served here. Returns how many are
        done (sent, or refused for good and kept for the person by the adapter)."""
        platforms = list(self.platforms())
        if not platforms or (only is not None and not only):
            return 0
        if self.database.is_sqlite:
            return await self._flush_sqlite(platforms, only)
        return await self._flush_postgres(platforms, only)

    async def _flush_sqlite(self, platforms: list[str], only: Sequence[int] | None) -> int:
        sent = 0
        while True:
            async with self.database.unit_of_work() as session:
                rows = [
                    (row.id, reply_of(row))
                    for row in await outbox.claim_unsent(session, platforms, limit=50, only=only)
                    if row.id not in self._in_flight
                ]
            if not rows:
                return sent
            self._in_flight.update(row_id for row_id, _reply in rows)
            try:
                for row_id, reply in rows:
                    ref, ok = await self._deliver(reply)
                    async with self.database.unit_of_work() as session:
                        if ok:
                            await self._mark_sent(session, row_id, reply, ref)
                            sent += 1
                        else:
                            await outbox.note_failed_attempt(
                                session, row_id, self.clock.now(), give_up_after=GIVE_UP_AFTER
                            )
                    if not ok:
                        return sent  # the rest wait for the next try, in order
            finally:
                self._in_flight.difference_update(row_id for row_id, _reply in rows)
            # With `only` (this unit's own rows) the loop goes on past the first 50 too: a reminder to a
            # thousand people is one unit, and its last row must not wait for the next poll.

    async def _flush_postgres(self, platforms: list[str], only: Sequence[int] | None) -> int:
        sent = 0
        async with self._lock:  # one send at a time from this process keeps each chat's messages in order
            while True:
                async with self.database.unit_of_work() as session:
                    rows = await outbox.claim_unsent(session, platforms, limit=1, only=only)
                    if not rows:
                        return sent
                    row = rows[0]
                    reply = reply_of(row)
                    ref, ok = await self._deliver(reply)
                    if ok:
                        await self._mark_sent(session, row.id, reply, ref)
                        sent += 1
                    else:
                        await outbox.note_failed_attempt(session, row.id, self.clock.now(), give_up_after=GIVE_UP_AFTER)
                if not ok:
                    return sent

    async def _deliver(self, reply: Reply) -> tuple[MessageRef | None, bool]:
        try:
            return await self.send(reply), True
        except DeliveryFailed:
            return None, True  # the adapter kept it for the person; nothing more to do here
        except Exception:
            assert reply.to is not None
            log.exception("could not send a message to %s; it stays in the outbox", reply.to.platform)
            return None, False

    async def _mark_sent(self, session: AsyncSession, row_id: int, reply: Reply, ref: MessageRef | None) -> None:
        now = self.clock.now()
        await outbox.mark_sent(session, row_id, now)
        if ref is not None and reply.key and reply.edit is None:
            await outbox.remember_posted(
                session,
                key=reply.key,
                platform=ref.chat.platform,
                chat_id=ref.chat.id,
                chat_kind=ref.chat.kind.value,
                message_id=ref.id,
                now=now,
            )
