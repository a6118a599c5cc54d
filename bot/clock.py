"""The clock, injected everywhere something waits, so tests move time instead of sleeping."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime, and waits."""

    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long by this clock."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))


class ManualClock:
    """A clock that only moves when told to (tests and scripted conversations).

    `sleep` waits until `advance` or `set` moves the clock past the sleeper's wake-up time."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + timedelta(seconds=seconds), next(self._order), future))
        await future

    @property
    def sleeping(self) -> int:
        """How many sleepers are waiting for the clock to move."""
        return sum(1 for _when, _n, future in self._sleepers if not future.done())

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = when
        while self._sleepers and self._sleepers[0][0] <= when:
            _due, _n, future = heapq.heappop(self._sleepers)
            if not future.done():
                future.set_result(None)
