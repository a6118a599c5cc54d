"""Scheduled work (vote deadlines and reminders; later meetings and discussion papers).

The database is the source of truth. Each feature declares job kinds; a kind lists its pending work
from the database as `Job`s with stable ids ("vote:12:close"), for every item at start-up and for
one item when it changes (`unit.reschedule("vote", 12)`), so adding one job never rebuilds them all.

A job runs in one unit of work. It checks its work is still due and marks it done in the same
transaction in which its messages go to the outbox; the outbox delivers them after the commit. So a
restart neither loses nor repeats a reminder.

Late jobs (due while the bot was down) run as soon as the schedule is built: APScheduler's misfire
grace is unlimited here (its one-second default would silently drop them), and each job decides from
`JobContext.late_by` whether its work is still useful.

Only the leading process runs jobs (see bot.coordination). It hears of work changed by any process
(NOTIFY) and re-reads everything every `resync_s` seconds as a safety net; when it stops leading its
jobs are dropped at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.context import Unit
from storage import Database

log = logging.getLogger("touchstone.scheduler")

#: A job that runs more than this late tells people it is late.
LATE_NOTE_AFTER = timedelta(minutes=5)


@dataclass
class JobContext(Unit):
    """What a job gets: a unit of work, and when it was meant to run."""

    scheduled_for: datetime = field(default_factory=lambda: datetime.min.replace(tzinfo=UTC))
    default_timezone: str = "Europe/London"

    @property
    def late_by(self) -> timedelta:
        return max(timedelta(0), self.now() - self.scheduled_for)


@dataclass(frozen=True)
class Job:
    """One piece of scheduled work. `id` is stable ("vote:12:close"), so re-reading replaces it."""

    id: str
    when: datetime
    run: Callable[[JobContext], Awaitable[None]]

    @property
    def item(self) -> tuple[str, str]:
        """(kind, item id) of the id "kind:item:step"."""
        kind, ident, _step = self.id.split(":", 2)
        return kind, ident


class JobSource(Protocol):
    """A feature's kind of scheduled work (bot.registry.JobKind): all its jobs, or one item's."""

    @property
    def name(self) -> str: ...

    @property
    def all(self) -> Callable[[AsyncSession, datetime], Awaitable[list[Job]]]: ...

    @property
    def one(self) -> Callable[[AsyncSession, str, datetime], Awaitable[list[Job]]]: ...


class UnitHooks(Protocol):
    """What happens around a job's unit of work (the dispatcher's, shared with handlers)."""

    async def finish(self, unit: Unit) -> list[int]:
        """Inside the transaction: hand events to listeners, write outgoing messages to the outbox."""
        ...

    async def after_commit(self, unit: Unit, outbox_ids: list[int]) -> None:
        """After the commit: send the messages, refresh live messages, reschedule changed work."""
        ...

    async def sections(self, session: AsyncSession, name: str, about: object) -> list[str]:
        """Features' lines for a section (see Unit.section)."""
        ...


class Scheduler:
    """Runs features' jobs on time, from the database, exactly once each."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        sources: Sequence[JobSource],
        hooks: UnitHooks,
        *,
        default_timezone: str = "Europe/London",
        resync_s: float = 300.0,
    ) -> None:
        self.database = database
        self.clock = clock
        self.sources = {source.name: source for source in sources}
        self.hooks = hooks
        self.default_timezone = default_timezone
        self.resync_s = resync_s
        self.running = False
        self._aps: AsyncIOScheduler | None = None
        self._run_lock = asyncio.Lock()
        self._resync: asyncio.Task[None] | None = None
        self._item_jobs: dict[tuple[str, str], set[str]] = {}

    # ---- life cycle (the coordinator calls these) ------------------------------------------------------

    async def lead(self, *, paused: bool = False) -> None:
        """Start running jobs: build the whole schedule from the database."""
        if self._aps is None:
            self._aps = AsyncIOScheduler(timezone=UTC)
            self._aps.start(paused=paused)
        self.running = True
        await self.rebuild()
        if self._resync is None and self.resync_s > 0:
            self._resync = asyncio.create_task(self._resync_forever())

    def step_down(self) -> None:
        """Stop running jobs at once (another process may lead now)."""
        self.running = False
        if self._resync is not None:
            self._resync.cancel()
            self._resync = None
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        self._item_jobs.clear()

    async def shutdown(self) -> None:
        self.step_down()
        async with self._run_lock:  # a job under way finishes its transaction
            pass

    async def _resync_forever(self) -> None:
        while True:
            await asyncio.sleep(self.resync_s)
            try:
                await self.rebuild()
            except Exception:
                log.exception("could not re-read the schedule; trying again later")

    # ---- the schedule -------------------------------------------------------------------------------

    async def pending_jobs(self) -> list[Job]:
        """Every job the features say is still to do, read from the database."""
        async with self.database.unit_of_work() as session:
            now = self.clock.now()
            jobs: list[Job] = []
            for source in self.sources.values():
                jobs.extend(await source.all(session, now))
        return jobs

    async def rebuild(self) -> None:
        """Make the schedule match the database: add new, move changed, drop finished jobs."""
        if self._aps is None:
            return
        jobs = await self.pending_jobs()
        wanted = {job.id for job in jobs}
        for existing in self._aps.get_jobs():
            if existing.id not in wanted:
                existing.remove()
        self._item_jobs.clear()
        self._place(jobs)

    async def refresh(self, items: Iterable[tuple[str, str]]) -> None:
        """Re-read the jobs of a few items (a vote whose deadline changed), leaving the rest alone."""
        if self._aps is None:
            return
        items = [item for item in items if item[0] in self.sources]
        if not items:
            return
        async with self.database.unit_of_work() as session:
            now = self.clock.now()
            found = {item: await self.sources[item[0]].one(session, item[1], now) for item in items}
        for item, jobs in found.items():
            for old in self._item_jobs.pop(item, set()) - {job.id for job in jobs}:
                with contextlib.suppress(Exception):
                    self._aps.remove_job(old)
            self._place(jobs)

    def heard(self, payload: str) -> None:
        """A NOTIFY from any process: "kind:item" changed (anything else: re-read everything)."""
        if not self.running:
            return
        kind, sep, ident = payload.partition(":")
        work = self.refresh([(kind, ident)]) if sep and kind in self.sources else self.rebuild()
        asyncio.get_running_loop().create_task(self._quietly(work))

    @staticmethod
    async def _quietly(work: Awaitable[None]) -> None:
        try:
            await work
        except Exception:
            log.exception("could not re-read scheduled work; the next full re-read will")

    def _place(self, jobs: Iterable[Job]) -> None:
        assert self._aps is not None
        now = self.clock.now()
        for job in jobs:
            self._item_jobs.setdefault(job.item, set()).add(job.id)
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
        """The current schedule: job id → next run time (for `touchstone check` and tests)."""
        if self._aps is None:
            return {}
        return {job.id: job.next_run_time for job in self._aps.get_jobs()}

    # ---- running --------------------------------------------------------------------------------------

    async def run_due(self) -> int:
        """Run every job due by the clock's now. Tests use this with an injected clock, no sleeping."""
        now = self.clock.now()
        due = [job for job in await self.pending_jobs() if job.when <= now]
        for job in sorted(due, key=lambda j: (j.when, j.id)):
            await self.run_job(job, force=True)
        return len(due)

    async def run_job(self, job: Job, *, force: bool = False) -> None:
        """Run one job in its own unit of work, then deliver what it wrote to the outbox."""
        async with self._run_lock:
            if not (self.running or force):
                return  # this process no longer leads: another one runs it
            try:
                async with self.database.unit_of_work() as session:
                    unit = JobContext(
                        session,
                        self.clock,
                        section_source=self.hooks.sections,
                        scheduled_for=job.when,
                        default_timezone=self.default_timezone,
                    )
                    await job.run(unit)
                    outbox_ids = await self.hooks.finish(unit)
            except Exception:
                log.exception("scheduled job %s failed; it will be tried again at the next re-read", job.id)
                return
        await self.hooks.after_commit(unit, outbox_ids)
