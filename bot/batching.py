"""Applying many button presses of one action together, for busy votes (and, through the same queue,
many group-chat messages in one transaction: see Dispatcher.handle).

When presses of a batchable action (like "ballot") arrive faster than they can be committed one by
one, they queue here; the next batch takes every waiting press and the action's batch handler
applies them in one transaction with a few bulk statements, in arrival order. Each press is told
its own result only after that commit.

The batch handler only takes the ordinary case. Anything unusual it declines (None), and declined
presses then run one by one through the normal dispatcher path, which words every refusal; so the
rules and messages live in one place. If a whole batch fails, every press in it is retried one by
one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.context import Unit
from bot.errors import UserError
from bot.types import ButtonPress, InboundEvent, Outcome

log = logging.getLogger("touchstone.batching")

#: The most presses applied in one transaction.
MAX_BATCH = 200


@dataclass
class Batch:
    """What a batch handler gets: one unit of work (one transaction), the memo, and the presses in order."""

    unit: Unit
    memo: dict[str, Any]
    events: list[ButtonPress]


@dataclass
class BatchResult:
    """One press's result: a toast, or a refusal shown privately, and messages to refresh."""

    toast: str | None = None
    refusal: str | None = None
    refresh: tuple[str, ...] = field(default_factory=tuple)


BatchHandler = Callable[[Batch], Awaitable[list[BatchResult | None]]]
RunBatch = Callable[[list[Any]], Awaitable[list[Outcome | None]]]
HandleOne = Callable[[Any], Awaitable[Outcome]]


class Batcher:
    """Queues events of one kind (presses of one action, or group-chat messages) and applies them in
    batches, one batch at a time. A batch that fails is retried one event at a time."""

    def __init__(self, run_batch: RunBatch, handle_one: HandleOne, *, limit: int = MAX_BATCH) -> None:
        self.run_batch = run_batch
        self.handle_one = handle_one
        self.limit = limit
        self._queue: list[tuple[InboundEvent, asyncio.Future[Outcome]]] = []
        self._draining: asyncio.Task[None] | None = None

    async def submit(self, event: InboundEvent) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._queue.append((event, future))
        if self._draining is None:
            self._draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.limit], self._queue[self.limit :]
                try:
                    outcomes = await self.run_batch([event for event, _future in batch])
                except UserError:  # one event's refusal undid the batch: each is worded on its own
                    outcomes = [None] * len(batch)
                except Exception:
                    log.exception("a batch of %d events failed; trying them one by one", len(batch))
                    outcomes = [None] * len(batch)
                declined = []
                for (event, future), outcome in zip(batch, outcomes, strict=True):
                    if outcome is None:
                        declined.append((event, future))
                    elif not future.done():
                        future.set_result(outcome)
                for event, future in declined:
                    result = await self.handle_one(event)
                    if not future.done():
                        future.set_result(result)
        finally:
            self._draining = None
