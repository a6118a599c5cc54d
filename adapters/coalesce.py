"""What both platform adapters need: long text split at line breaks, and coalesced edits.

Coalesced edits of one message: at most one edit per interval, the newest waiting edit wins.

A busy vote changes its live message many times a second; platforms allow a few edits a minute per
chat. Edits of the same message inside the interval wait, and only the newest is sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.types import MessageRef, Reply

log = logging.getLogger("touchstone.adapters")

EditNow = Callable[[MessageRef, Reply], Awaitable[None]]
#: Past this many remembered messages, the quiet ones are forgotten.
PRUNE_AT = 1000


def split_lines(text: str, limit: int) -> list[str]:
    """Split long text at line breaks (or hard, if a line is longer than the limit)."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    chunks.append(current)
    return [chunk for chunk in chunks if chunk] or [""]


@dataclass
class _Slot:
    last_sent: float = 0.0
    waiting: Reply | None = None
    task: asyncio.Task[None] | None = None


class CoalescedEdits:
    def __init__(self, edit_now: EditNow, interval: float, clock: Clock | None = None) -> None:
        self._edit_now = edit_now
        self.interval = interval
        self.clock = clock or SystemClock()
        self._slots: dict[tuple[str, str], _Slot] = {}

    def _seconds(self) -> float:
        return self.clock.now().timestamp()

    async def edit(self, ref: MessageRef, reply: Reply) -> None:
        """Edit now if the interval has passed, otherwise once it has (with the newest text by then)."""
        if len(self._slots) >= PRUNE_AT:
            self._prune()
        key = (ref.chat.id, ref.id)
        slot = self._slots.setdefault(key, _Slot())
        wait = slot.last_sent + self.interval - self._seconds()
        if wait <= 0 and slot.task is None:
            slot.last_sent = self._seconds()
            await self._edit_now(ref, reply)
            return
        slot.waiting = reply
        if slot.task is None:
            slot.task = asyncio.create_task(self._later(ref, slot, max(wait, 0.0)))

    async def _later(self, ref: MessageRef, slot: _Slot, wait: float) -> None:
        try:
            await self.clock.sleep(wait)
            reply, slot.waiting = slot.waiting, None
            slot.last_sent = self._seconds()
            if reply is not None:
                await self._edit_now(ref, reply)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a delayed edit of message %s failed", ref.id)
        finally:
            slot.task = None

    def _prune(self) -> None:
        """Forget messages not edited for a while (a bot runs for months; each edited message left a slot)."""
        quiet_since = self._seconds() - self.interval
        for key, slot in list(self._slots.items()):
            if slot.task is None and slot.last_sent < quiet_since:
                del self._slots[key]

    async def settle(self) -> None:
        """Wait for the edits still waiting (tests, and a clean shutdown: the last tally is not lost)."""
        while tasks := [slot.task for slot in self._slots.values() if slot.task is not None]:
            await asyncio.gather(*tasks, return_exceptions=True)
