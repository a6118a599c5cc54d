"""Edits of one message are coalesced for the platforms' rate limits: the newest waiting edit wins.
Time is the injected clock: the tests move it, they never sleep."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from adapters import coalesce
from adapters.coalesce import CoalescedEdits, split_lines
from bot.clock import ManualClock
from bot.types import ChatKind, ChatRef, MessageRef, Reply

ROOM = ChatRef("telegram", "-100", ChatKind.GROUP)


async def test_the_first_edit_goes_at_once_and_a_burst_after_it_becomes_one_edit_with_the_newest_text() -> None:
    sent: list[tuple[str, str]] = []
    clock = ManualClock()

    async def edit_now(ref: MessageRef, reply: Reply) -> None:
        sent.append((ref.id, reply.text))

    edits = CoalescedEdits(edit_now, interval=3.0, clock=clock)
    message = MessageRef(ROOM, "7")
    await edits.edit(message, Reply("Yes: 1."))
    assert sent == [("7", "Yes: 1.")]
    for count in range(2, 6):
        await edits.edit(message, Reply(f"Yes: {count}."))
    await asyncio.sleep(0)
    assert len(sent) == 1  # waiting for the interval
    clock.advance(timedelta(seconds=2.9))
    await asyncio.sleep(0)
    assert len(sent) == 1
    clock.advance(timedelta(seconds=0.1))
    await edits.settle()
    assert sent == [("7", "Yes: 1."), ("7", "Yes: 5.")]


async def test_different_messages_do_not_wait_for_each_other() -> None:
    sent: list[str] = []

    async def edit_now(ref: MessageRef, reply: Reply) -> None:
        sent.append(ref.id)

    edits = CoalescedEdits(edit_now, interval=60, clock=ManualClock())
    for ident in ("1", "2", "3"):
        await edits.edit(MessageRef(ROOM, ident), Reply("Hello."))
    assert sent == ["1", "2", "3"]


async def test_quiet_messages_are_forgotten_so_a_long_running_bot_does_not_grow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def edit_now(ref: MessageRef, reply: Reply) -> None:
        pass

    monkeypatch.setattr(coalesce, "PRUNE_AT", 10)
    clock = ManualClock()
    edits = CoalescedEdits(edit_now, interval=1, clock=clock)
    for ident in range(25):
        await edits.edit(MessageRef(ROOM, str(ident)), Reply("Hello."))
        clock.advance(timedelta(seconds=2))
    assert len(edits._slots) <= 10


def test_long_text_is_split_at_line_breaks_within_the_limit() -> None:
    text = "\n".join(f"Line {n}" for n in range(100))
    chunks = split_lines(text, 50)
    assert all(len(chunk) <= 50 for chunk in chunks)
    assert "\n".join(chunks) == text
