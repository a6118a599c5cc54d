"""Several bot processes on one PostgreSQL database: one for Telegram, one for Discord, each a real
`touchstone run` against the loopback fakes. Exactly one runs the scheduler; it hears of work created
through the other, a result goes out through the process that serves its platform, and when the
leader is killed the other takes over and does what fell due, once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage import Database
from storage.voting import Vote, VoteStatus
from tests.conftest import POSTGRES_URL
from tests.fakes.discord import MANAGE_GUILD, FakeDiscord
from tests.fakes.telegram import FakeTelegram
from tests.process import BotProcess

JSON = dict[str, Any]

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="several processes need PostgreSQL")


async def eventually(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `predicate` (real time: these are real processes) until it gives something true."""
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(0.1)


class DiscordGroup:
    """A Discord server whose #general is the group's channel, driven through the fake."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.alice = fake.user("Alice Smith")
        self.bob = fake.user("Bob Jones")
        self.carol = fake.user("Carol King")
        self.guild = fake.guild("Riverside Lay Partners", owner=fake.user("Olga Owner"))
        self.channel = fake.channel(self.guild, "general")
        fake.add_member(self.guild, self.alice, permissions=MANAGE_GUILD)
        for person in (self.bob, self.carol):
            fake.add_member(self.guild, person)

    def messages(self, fragment: str) -> list[JSON]:
        return [m for m in self.fake.messages_in(self.channel) if fragment in m.get("content", "")]

    def dms(self, user: JSON, fragment: str) -> list[JSON]:
        return [m for m in self.fake.dms(user) if fragment in m.get("content", "")]

    async def slash(self, user: JSON, command: str, **options: Any) -> None:
        iid = await self.fake.slash(self.channel, user, command, options or None)
        await eventually(lambda: self.fake.interaction(iid).acknowledged, 10, f"/{command} to be acknowledged")

    async def press(self, user: JSON, fragment: str, label: str) -> None:
        message = (await eventually(lambda: self.messages(fragment), 10, repr(fragment)))[-1]
        iid = await self.fake.click(self.channel, user, message["id"], label=label)
        await eventually(lambda: self.fake.interaction(iid).acknowledged, 10, f"{label!r} to be acknowledged")


async def vote_rows(url: str) -> dict[int, Vote]:
    database = Database(url)
    try:
        async with database.unit_of_work() as session:
            return {vote.id: vote for vote in (await session.execute(select(Vote))).scalars()}
    finally:
        await database.dispose()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_two_processes_share_the_work_and_one_takes_over_when_the_leader_dies(
    database_url: str, tmp_path: Path
) -> None:
    async with FakeTelegram() as telegram, FakeDiscord() as discord:
        people = DiscordGroup(discord)
        shared = {"DATABASE_URL": database_url, "LOG_LEVEL": "INFO"}
        leader = BotProcess(
            {**shared, "TELEGRAM_TOKEN": telegram.token, "TELEGRAM_API_URL": f"{telegram.url}/bot"},
            tmp_path,
            "the Telegram process",
        )
        other = BotProcess(
            {
                **shared,
                "DISCORD_TOKEN": discord.token,
                "DISCORD_API_URL": discord.api_url,
                "DISCORD_GATEWAY_URL": discord.gateway_url,
                "DISCORD_GUILD_ID": str(people.guild["id"]),
            },
            tmp_path,
            "the Discord process",
        )
        try:
            await leader.start()
            await leader.said("this process runs the scheduler")
            await other.start()
            await other.said("Press Ctrl-C to stop.")
            assert "this process runs the scheduler" not in other.output

            # A vote created through the process that does not run the scheduler closes at its deadline,
            # once, and its result is posted in its own chat by the process that serves that platform.
            await people.slash(people.alice, "setup", name="Riverside Lay Partners")
            await people.press(people.bob, "Done! This chat is now the group", "Lay partner")
            await people.press(people.carol, "Done! This chat is now the group", "Lay partner")
            await people.slash(people.alice, "vote", question="Meet monthly?", choices="yes/no", closes="in 12 seconds")
            await people.press(people.bob, "Vote 1: Meet monthly?", "Yes")
            deadline = (await vote_rows(database_url))[1].closes_at
            assert deadline is not None
            await eventually(lambda: people.messages("Result of vote 1"), 40, "the result of vote 1")
            vote = (await vote_rows(database_url))[1]
            assert vote.status is VoteStatus.CLOSED and vote.closed_at is not None
            assert abs((vote.closed_at - deadline).total_seconds()) < 5

            # The leader dies. Work falls due while nobody leads: a reminder (for a vote closing in an hour)
            # and a vote's deadline. The other process takes over within 30 seconds and does both, once.
            await people.slash(people.alice, "settings", change="vote reminders 1")
            await people.slash(
                people.alice,
                "vote",
                question="Which day suits?",
                choices="Monday, Friday",
                closes="in 1 hour 4 seconds",
            )
            await people.slash(people.alice, "vote", question="Lunch after?", choices="yes/no", closes="in 6 seconds")
            await eventually(lambda: people.messages("Vote 3: Lunch after?"), 10, "vote 3 to be posted")
            await leader.kill()
            killed = time.monotonic()
            await eventually(lambda: people.messages("Result of vote 3"), 40, "the result of vote 3")
            await eventually(lambda: people.dms(people.bob, "Which day suits?"), 40, "Bob's reminder")
            assert time.monotonic() - killed < 30 + 6  # taken over within 30 s of the death, after the deadline
            assert "this process runs the scheduler" in other.output
            await asyncio.sleep(3)  # anything doubled would have arrived by now
            assert len(people.messages("Result of vote 1")) == 1
            assert len(people.messages("Result of vote 3")) == 1
            for person in (people.alice, people.bob, people.carol):  # nobody has voted in vote 2 yet
                assert len(people.dms(person, "Which day suits?")) == 1
            votes = await vote_rows(database_url)
            assert votes[3].status is VoteStatus.CLOSED and votes[2].status is VoteStatus.OPEN
            assert votes[2].reminded_at is not None
            assert await other.stop() == 0
        finally:
            for process in (leader, other):
                if process.process is not None and process.process.returncode is None:
                    await process.kill()
