"""Live messages (a vote's tally) are re-rendered after the commit, coalesced, and not more often than
a running bot needs."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.live import LiveMessages
from bot.types import ButtonRows, ChatKind, ChatRef, MessageRef, Reply


async def live_with(app: App, min_interval: float) -> tuple[LiveMessages, list[str], list[Reply], dict[str, Any]]:
    state = {"count": 0}
    rendered: list[str] = []
    delivered: list[Reply] = []

    async def render(session: AsyncSession, ident: str, now: datetime, zone: str) -> tuple[str, ButtonRows]:
        text = f"Count {state['count']}."
        rendered.append(text)
        await asyncio.sleep(0.01)  # a render takes a moment, as a real one does
        return text, ()

    async def deliver(reply: Reply) -> None:
        delivered.append(reply)

    live = LiveMessages(app.database, app.clock, {"tally": render}, deliver, min_interval=min_interval)
    await app.dispatcher.remember("tally:1", MessageRef(ChatRef("console", "room", ChatKind.GROUP), "7"))
    return live, rendered, delivered, state


async def test_a_burst_of_requests_costs_a_few_renders_and_the_last_shows_the_newest_state(app: App) -> None:
    live, rendered, delivered, state = await live_with(app, min_interval=0.0)
    for count in range(1, 51):
        state["count"] = count
        live.request("tally:1")
        await asyncio.sleep(0)
    await live.settle()
    assert len(rendered) < 50
    assert delivered[-1].text == "Count 50."
    assert delivered[-1].edit == MessageRef(ChatRef("console", "room", ChatKind.GROUP), "7")


async def test_while_requests_keep_coming_a_message_is_rendered_at_most_once_per_interval(app: App) -> None:
    live, rendered, delivered, state = await live_with(app, min_interval=0.5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < 0.3:  # a steady stream of presses for 0.3 s
        state["count"] += 1
        live.request("tally:1")
        await asyncio.sleep(0.005)
    await live.settle()
    # The first render at once, then one more after the interval with the newest count.
    assert len(rendered) == 2
    assert rendered[0] == "Count 1."
    assert delivered[-1].text == f"Count {state['count']}."
