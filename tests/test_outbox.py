"""The outbox: what a unit of work decided to send is written in its own transaction and sent after the
commit, by a process that serves that platform; nothing is marked sent undelivered."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import Unit
from bot.ports import DeliveryFailed
from bot.types import ChatKind, ChatRef, MessageRef, Platform, Reply, UserRef
from storage.outbox import HeldMessage, OutboxMessage

DISCORD_CHAT = ChatRef("discord", "555", ChatKind.GROUP, "general")


class FakePort:
    """An adapter as the core sees it, recording what it was asked to send."""

    private_in_place = True

    def __init__(self, platform: Platform, *, refuse: bool = False, fail: int = 0) -> None:
        self.platform = platform
        self.sent: list[Reply] = []
        self.refuse = refuse
        self.fail = fail

    async def is_chat_admin(self, chat: ChatRef, user: UserRef) -> bool:
        return True

    async def setup_notes(self, chat: ChatRef) -> list[str]:
        return []

    async def deliver(self, reply: Reply, target: ChatRef | UserRef) -> MessageRef | None:
        if self.fail:
            self.fail -= 1
            raise ConnectionError("the platform is unreachable")
        if self.refuse:
            raise DeliveryFailed("the person never opened a private chat")
        self.sent.append(reply)
        chat = target if isinstance(target, ChatRef) else ChatRef(self.platform, target.id, ChatKind.PRIVATE)
        return MessageRef(chat, str(len(self.sent)))


async def queue(app: App, reply: Reply, target: ChatRef | UserRef) -> list[int]:
    async with app.database.unit_of_work() as session:
        unit = Unit(session, app.clock)
        unit.send(reply, target)
        ids = await app.dispatcher.finish(unit)
    return ids


async def unsent(app: App) -> list[str]:
    async with app.database.unit_of_work() as session:
        rows = await session.execute(select(OutboxMessage.platform).where(OutboxMessage.sent_at.is_(None)))
        return list(rows.scalars())


@pytest.fixture
async def other_process(settings: Settings, clock: ManualClock) -> AsyncIterator[App]:
    """A second bot process on the same database (on SQLite, run one after the other)."""
    second = await create_app(settings, clock=clock, migrate=False)
    yield second
    await second.close()


async def test_a_message_for_a_platform_this_process_does_not_serve_waits_for_one_that_does(
    chat: ConsoleAdapter, app: App, other_process: App
) -> None:
    ids = await queue(app, Reply("Result of vote 1: Meet monthly?", key="vote:1"), DISCORD_CHAT)
    assert await app.dispatcher.sender.flush(ids) == 0  # this process serves only the terminal chat
    assert await unsent(app) == ["discord"]
    discord = FakePort("discord")
    other_process.dispatcher.attach(discord)
    assert await other_process.dispatcher.sender.flush() == 1
    assert [reply.text for reply in discord.sent] == ["Result of vote 1: Meet monthly?"]
    assert discord.sent[0].nonce == f"ts{ids[0]}"
    assert await unsent(app) == []
    assert await other_process.dispatcher.sender.flush() == 0  # sent once, never again


async def test_a_message_the_platform_refuses_for_good_is_done_and_one_that_keeps_failing_is_given_up(
    chat: ConsoleAdapter, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    refusing = FakePort("telegram", refuse=True)
    app.dispatcher.attach(refusing)
    await queue(app, Reply("A kind reminder."), UserRef("telegram", "42", "Bob"))
    assert await app.dispatcher.sender.flush() == 1
    assert await unsent(app) == []  # refused for good: the adapter keeps it for the person; not retried
    flaky = FakePort("discord", fail=10)
    app.dispatcher.attach(flaky)
    await queue(app, Reply("Result of vote 2."), DISCORD_CHAT)
    for _ in range(4):
        await app.dispatcher.sender.flush()
        assert await unsent(app) == ["discord"]  # a passing failure: tried again later
    await app.dispatcher.sender.flush()
    assert await unsent(app) == []  # the fifth failure gives it up, so it never blocks the rest
    assert flaky.sent == []
    assert "could not send a message to discord" in caplog.text


async def test_nothing_is_queued_when_the_unit_of_work_rolls_back(chat: ConsoleAdapter, app: App) -> None:
    with pytest.raises(RuntimeError):
        async with app.database.unit_of_work() as session:
            unit = Unit(session, app.clock)
            unit.send(Reply("Never sent."), DISCORD_CHAT)
            await app.dispatcher.finish(unit)
            raise RuntimeError("the handler failed after deciding to send")
    assert await unsent(app) == []
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(HeldMessage))).all() == []


async def test_a_unit_that_queues_many_messages_sends_them_all_right_after_its_commit(
    chat: ConsoleAdapter, app: App
) -> None:
    """Seen: a meeting reminder to 200 people sent 50 at once, and the rest only at the next poll."""
    telegram = FakePort("telegram")
    app.dispatcher.attach(telegram)
    async with app.database.unit_of_work() as session:
        unit = Unit(session, app.clock)
        for n in range(120):
            unit.send(Reply(f"Reminder {n}"), UserRef("telegram", str(n), f"Member {n}"))
        ids = await app.dispatcher.finish(unit)
    assert await app.dispatcher.sender.flush(ids) == 120
    assert [reply.text for reply in telegram.sent] == [f"Reminder {n}" for n in range(120)]
    assert await unsent(app) == []
