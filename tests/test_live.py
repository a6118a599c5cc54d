"""Live messages (a vote's tally) are re-rendered after the commit, coalesced, and not more often than
a running bot needs. Time is the injected clock: the tests move it, they never sleep."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.clock import ManualClock
from bot.live import LiveMessages
from bot.types import ButtonRows, ChatKind, ChatRef, MessageRef, Reply

ROOM = MessageRef(ChatRef("console", "room", ChatKind.GROUP), "7")


async def live_with(
    app: App, clock: ManualClock, min_interval: float
) -> tuple[LiveMessages, list[str], list[Reply], dict[str, Any]]:
    state: dict[str, Any] = {"count": 0, "gate": None}
    rendered: list[str] = []
    delivered: list[Reply] = []

    async def render(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows]:
        text = f"Count {state['count']}."
        rendered.append(text)
        if state["gate"] is not None:
            await state["gate"].wait()  # a render under way, while more requests arrive
        return text, ()

    async def deliver(reply: Reply) -> None:
        delivered.append(reply)

    live = LiveMessages(app.database, clock, {"tally": render}, deliver, min_interval=min_interval)
    await app.dispatcher.remember("tally:1", ROOM)
    return live, rendered, delivered, state


async def until(condition: Any) -> None:
    """Let the event loop run until `condition()` holds (no clock involved)."""
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


async def test_requests_during_a_render_cost_one_more_render_with_the_newest_state(
    app: App, clock: ManualClock
) -> None:
    live, rendered, delivered, state = await live_with(app, clock, min_interval=0.0)
    state["gate"] = asyncio.Event()
    state["count"] = 1
    live.request("tally:1")
    await until(lambda: len(rendered) == 1)
    for count in range(2, 51):  # 49 more presses while the first render is under way
        state["count"] = count
        live.request("tally:1")
    state["gate"].set()
    await live.settle()
    assert rendered == ["Count 1.", "Count 50."]
    assert [reply.text for reply in delivered] == ["Count 1.", "Count 50."]
    assert delivered[-1].edit == ROOM


async def test_while_requests_keep_coming_a_message_is_rendered_at_most_once_per_interval(
    app: App, clock: ManualClock
) -> None:
    live, rendered, delivered, state = await live_with(app, clock, min_interval=0.5)
    state["count"] = 1
    live.request("tally:1")
    await until(lambda: len(delivered) == 1)  # the first render after a quiet spell is immediate
    await live.settle()
    for count in range(2, 21):  # presses keep coming, each after the last render finished
        state["count"] = count
        live.request("tally:1")
        await asyncio.sleep(0)
    await until(lambda: clock.sleeping == 1)
    clock.advance(timedelta(seconds=0.4))
    await asyncio.sleep(0)
    assert rendered == ["Count 1."]  # still inside the interval: nothing more yet
    clock.advance(timedelta(seconds=0.1))
    await live.settle()
    assert rendered == ["Count 1.", "Count 20."]
    assert delivered[-1].text == "Count 20."


async def test_after_a_quiet_spell_a_message_is_rendered_at_once(app: App, clock: ManualClock) -> None:
    live, rendered, _delivered, state = await live_with(app, clock, min_interval=60.0)
    live.request("tally:1")
    await live.settle()
    clock.advance(timedelta(seconds=61))
    state["count"] = 2
    live.request("tally:1")
    await live.settle()  # the interval has passed: no wait
    assert rendered == ["Count 0.", "Count 2."]
    assert clock.sleeping == 0
