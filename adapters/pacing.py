"""Pacing a bot's outgoing messages so a platform never has to say "too many requests".

Telegram allows a bot about 30 messages a second in all. A burst (a reminder to everyone in a big
group, held messages, a busy evening) must go out at a steady rate below that, not all at once:
`SendPacer` lets one send through every 1/rate seconds, in the order they asked, shared by every
send of one bot. If the platform still asks to wait (a 429 with "retry after N"), `pause` holds
every send back until then.
"""

from __future__ import annotations

import asyncio


class SendPacer:
    """At most `per_second` sends a second, evenly spaced, first come first served.

    Spacing is measured when a send is let through, so after the event loop was busy for a moment
    the waiting sends do not all go at once: any one-second window holds at most `per_second` + 1.
    """

    def __init__(self, per_second: float) -> None:
        if per_second <= 0:
            raise ValueError("a send rate must be above zero")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self._next = 0.0  # the event loop's time when the next send may go
        self._lock = asyncio.Lock()  # fair: waiters go in the order they arrived

    async def wait(self) -> None:
        """Return when this send may go."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            while (delay := self._next - loop.time()) > 0:
                await asyncio.sleep(delay)  # a pause() meanwhile moves _next later: checked again
            self._next = max(self._next, loop.time()) + self.interval

    def pause(self, seconds: float) -> None:
        """The platform asked to wait: no send goes before `seconds` from now."""
        loop = asyncio.get_running_loop()
        self._next = max(self._next, loop.time() + seconds)
