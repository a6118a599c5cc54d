"""Messages kept up to date after the fact (a vote's live tally), rendered outside the event's
transaction and coalesced.

A handler asks for `ctx.refresh("vote:12")`; after the commit the dispatcher hands the key here.
At most one refresh per key runs at a time: presses that arrive while it renders just mark the key
stale, and one more render follows. So a burst of 100 presses costs a handful of renders, not 100,
and each press is answered as soon as its own ballot is committed. With `min_interval` set (a
running bot sets REFRESH_INTERVAL_S), a key is rendered at most that often, however the requests
arrive, since platforms only accept an edit every second or two anyway; the first render after a
quiet spell is immediate. (Adapters still coalesce the platform edits themselves.) Time comes from
the injected clock, so tests move it instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.types import ButtonRows, ChatKind, ChatRef, MessageRef, Reply
from storage import Database, outbox

log = logging.getLogger("touchstone.live")

#: Renders the message for the id part of a key ("12" of "vote:12"); None if it is gone.
Renderer = Callable[[AsyncSession, str, datetime], Awaitable[tuple[str, ButtonRows] | None]]
Deliver = Callable[[Reply], Awaitable[object]]

#: How often a running bot re-renders one busy live message (tests use 0: at once).
REFRESH_INTERVAL_S = 1.0
#: Past this many remembered keys, the quiet ones are forgotten.
PRUNE_AT = 1000


class LiveMessages:
    """Re-renders keyed messages on request, one refresh per key at a time."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        renderers: Mapping[str, Renderer],
        deliver: Deliver,
        *,
        min_interval: float = 0.0,
    ) -> None:
        self.database = database
        self.clock = clock
        self.renderers = renderers
        self.deliver = deliver
        self.min_interval = min_interval
        self._running: dict[str, asyncio.Task[None]] = {}
        self._stale: set[str] = set()
        self._last: dict[str, datetime] = {}  # when each key was last rendered

    def request(self, key: str) -> None:
        """Bring the messages posted under `key` up to date soon. Never waits."""
        if key in self._running:
            self._stale.add(key)
            return
        self._running[key] = asyncio.create_task(self._refresh_until_fresh(key))

    async def settle(self) -> None:
        """Wait until every requested refresh has finished (tests and shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _refresh_until_fresh(self, key: str) -> None:
        try:
            while True:
                last = self._last.get(key)
                if last is not None and self.min_interval > 0:
                    since = (self.clock.now() - last).total_seconds()
                    if since < self.min_interval:
                        await self.clock.sleep(self.min_interval - since)  # requests meanwhile only mark it stale
                self._stale.discard(key)
                self._remember(key)
                try:
                    await self._refresh(key)
                except Exception:
                    log.exception("could not refresh %s", key)
                if key not in self._stale:
                    return
        finally:
            del self._running[key]

    def _remember(self, key: str) -> None:
        if len(self._last) >= PRUNE_AT:  # a bot runs for months: forget keys quiet for longer than the interval
            quiet_since = self.clock.now().timestamp() - self.min_interval
            for old, when in list(self._last.items()):
                if when.timestamp() < quiet_since:
                    del self._last[old]
        self._last[key] = self.clock.now()

    async def _refresh(self, key: str) -> None:
        prefix, _sep, ident = key.partition(":")
        renderer = self.renderers.get(prefix)
        if renderer is None:
            log.warning("nothing renders %s", key)
            return
        async with self.database.unit_of_work() as session:
            rendered = await renderer(session, ident, self.clock.now())
            posted = await outbox.posted_messages(session, key)
            refs = [
                MessageRef(ChatRef(p.platform, p.chat_id, ChatKind(p.chat_kind)), p.message_id)  # type: ignore[arg-type]
                for p in posted
            ]
        if rendered is None:
            return
        text, buttons = rendered
        for ref in refs:
            await self.deliver(Reply(text, buttons=buttons, edit=ref, to=ref.chat))
