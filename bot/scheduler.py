"""Scheduled work (vote deadlines, reminders; later meetings and discussion papers).

The database is the source of truth. Each feature lists its pending work from the database as
`Job`s with stable ids; the scheduler (re)builds APScheduler's in-memory jobs from that list at
start-up and whenever a handler changes a deadline.

A job runs in one unit of work. It checks that its work is still due and marks it done in the
same transaction in which it writes the messages to send into the outbox. Messages are delivered
after the commit and marked sent; undelivered ones are retried at the next start. So a restart
neither loses nor repeats a reminder.

Late jobs (due while the bot was down) run at start-up: APScheduler's misfire grace is unlimited
here (its one-second default would silently drop them), and each job decides from
`JobContext.late_by` whether its work is still useful (a late reminder says so; one whose vote has
closed is logged as missed).

With several processes on PostgreSQL, only the one holding an advisory lock runs jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.clock import Clock
from bot.registry import JobSource
from bot.types import ChatKind, ChatRef, MessageRef, Reply, UserRef, buttons_from_json, buttons_to_json
from storage import Database, queries

log = logging.getLogger("touchstone.scheduler")

#: A job that runs more than this late tells people it is late.
LATE_NOTE_AFTER = timedelta(minutes=5)
#: PostgreSQL advisory lock key: "TSCH" in ASCII.
SCHEDULER_LOCK_KEY = 0x54534348


@dataclass
class JobContext:
    """What a job gets: one database session, the clock, and a way to send messages after commit."""

    session: AsyncSession
    clock: Clock
    scheduled_for: datetime
    default_timezone: str
    outbox: list[tuple[Reply, ChatRef | UserRef]] = field(default_factory=list)
    changed: bool = False  # the job changed scheduled work (for example, it closed a vote)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def late_by(self) -> timedelta:
        return max(timedelta(0), self.now() - self.scheduled_for)

    def send(self, reply: Reply, target: ChatRef | UserRef) -> None:
        """Queue a message; it is written to the outbox in this job's transaction."""
        self.outbox.append((reply, target))


@dataclass(frozen=True)
class Job:
    """One piece of scheduled work. `id` is stable ("vote-close:12"), so rebuilding replaces it."""

    id: str
    when: datetime
    run: Callable[[JobContext], Awaitable[None]]


Deliver = Callable[[Reply], Awaitable[Any]]


class Scheduler:
    """Runs features' jobs on time, from the database, exactly once each."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        sources: list[JobSource],
        deliver: Deliver,
        *,
        default_timezone: str = "Europe/London",
    ) -> None:
        self.database = database
        self.clock = clock
        self.sources = sources
        self.deliver = deliver
        self.default_timezone = default_timezone
        self._aps: AsyncIOScheduler | None = None
        self._lock_connection: AsyncConnection | None = None
        self._run_lock = asyncio.Lock()

    # ---- life cycle -----------------------------------------------------------------------------

    async def start(self, *, paused: bool = False) -> bool:
        """Start running jobs, unless another process already does (PostgreSQL). Returns True if this
        one does. `paused` builds the schedule without running anything (tests inspect it)."""
        if not await self._take_leadership():
            log.info("another Touchstone process runs the scheduler")
            return False
        self._aps = AsyncIOScheduler(timezone=UTC)
        self._aps.start(paused=paused)
        await self.flush_outbox()
        await self.rebuild()
        return True

    async def shutdown(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if self._lock_connection is not None:
            # The connection goes back to the pool, so its session (and the lock) would outlive it.
            with contextlib.suppress(Exception):
                await self._lock_connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEDULER_LOCK_KEY}
                )
                await self._lock_connection.close()
            self._lock_connection = None

    async def _take_leadership(self) -> bool:
        if self.database.is_sqlite:
            return True  # one process per SQLite file
        connection = await self.database.engine.connect()
        got = (
            await connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": SCHEDULER_LOCK_KEY})
        ).scalar()
        if got:
            self._lock_connection = connection  # held for the life of the process
            return True
        await connection.close()
        return False

    # ---- jobs -------------------------------------------------------------------------------------

    async def pending_jobs(self) -> list[Job]:
        """Every job the features say is still to do, read from the database."""
        async with self.database.unit_of_work() as session:
            now = self.clock.now()
            jobs: list[Job] = []
            for source in self.sources:
                jobs.extend(await source(session, now))
        return jobs

    async def rebuild(self) -> None:
        """Make APScheduler's jobs match the database: add new, move changed, drop finished ones."""
        if self._aps is None:
            return
        jobs = await self.pending_jobs()
        wanted = {job.id for job in jobs}
        for existing in self._aps.get_jobs():
            if existing.id not in wanted:
                existing.remove()
        now = self.clock.now()
        for job in jobs:
            self._aps.add_job(
                self.run_job,
                trigger=DateTrigger(run_date=max(job.when, now)),
                args=[job],
                id=job.id,
                replace_existing=True,
                misfire_grace_time=None,  # run however late; the job itself decides if it is still useful
                coalesce=True,
            )

    def scheduled(self) -> dict[str, datetime]:
        """APScheduler's current jobs: id → next run time (for `touchstone check` and tests)."""
        if self._aps is None:
            return {}
        return {job.id: job.next_run_time for job in self._aps.get_jobs()}

    async def run_due(self) -> int:
        """Run every job due by the clock's now. Tests use this with an injected clock, no sleeping."""
        now = self.clock.now()
        due = [job for job in await self.pending_jobs() if job.when <= now]
        for job in sorted(due, key=lambda j: (j.when, j.id)):
            await self.run_job(job)
        return len(due)

    async def run_job(self, job: Job) -> None:
        """Run one job in its own unit of work, then deliver what it wrote to the outbox."""
        async with self._run_lock:
            try:
                async with self.database.unit_of_work() as session:
                    ctx = JobContext(session, self.clock, job.when, self.default_timezone)
                    await job.run(ctx)
                    for reply, target in ctx.outbox:
                        await queries.add_to_outbox(session, now=self.clock.now(), **_outbox_row(reply, target))
            except Exception:
                log.exception("scheduled job %s failed; it will be tried again at the next start", job.id)
                return
        await self.flush_outbox()
        if ctx.changed:
            await self.rebuild()

    async def flush_outbox(self) -> int:
        """Deliver messages that jobs wrote to the outbox and mark them sent."""
        sent = 0
        async with self.database.unit_of_work() as session:
            rows = [(row.id, _reply_from_row(row)) for row in await queries.unsent_outbox(session)]
        for outbox_id, reply in rows:
            try:
                await self.deliver(reply)
            except Exception:
                log.exception("could not deliver a scheduled message; it stays in the outbox for the next try")
                break
            async with self.database.unit_of_work() as session:
                await queries.mark_sent(session, outbox_id, self.clock.now())
            sent += 1
        return sent


def _outbox_row(reply: Reply, target: ChatRef | UserRef) -> dict[str, str]:
    body = {
        "text": reply.text,
        "buttons": buttons_to_json(reply.buttons),
        "key": reply.key,
        "edit": reply.edit.id if reply.edit is not None else None,
        "hint_in": [reply.hint_in.id, reply.hint_in.title] if reply.hint_in is not None else None,
    }
    if isinstance(target, UserRef):
        return {
            "platform": target.platform,
            "target_kind": "user",
            "target_id": target.id,
            "target_name": target.display_name,
            "chat_kind": ChatKind.PRIVATE.value,
            "body": json.dumps(body),
        }
    return {
        "platform": target.platform,
        "target_kind": "chat",
        "target_id": target.id,
        "target_name": target.title,
        "chat_kind": target.kind.value,
        "body": json.dumps(body),
    }


def _reply_from_row(row: Any) -> Reply:
    body = json.loads(row.body)
    buttons = buttons_from_json(body["buttons"])
    target: ChatRef | UserRef
    hint = body.get("hint_in")
    hint_in = ChatRef(row.platform, hint[0], ChatKind.GROUP, hint[1]) if hint else None
    if row.target_kind == "user":
        target = UserRef(row.platform, row.target_id, row.target_name)
        edit = None
    else:
        target = ChatRef(row.platform, row.target_id, ChatKind(row.chat_kind), row.target_name)
        edit = MessageRef(target, body["edit"]) if body.get("edit") else None
    return Reply(body["text"], buttons=buttons, to=target, key=body.get("key"), edit=edit, hint_in=hint_in)
