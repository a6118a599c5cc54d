"""Nothing twice, nothing lost: a real `touchstone run` against the loopback Telegram, killed with SIGKILL in
the middle of a burst of presses and started again, with Telegram redelivering what it had not been told
was received, and redelivering some updates a second time besides."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from storage import Database
from storage.people import Person
from storage.voting import Ballot, BallotChange, Vote
from tests.fakes.telegram import FakeTelegram
from tests.process import BotProcess

JSON = dict[str, Any]
VOTERS = 40


async def eventually(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = predicate()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        await asyncio.sleep(0.05)


async def stored(url: str) -> tuple[int, dict[str, tuple[str, int]]]:
    """How many votes, and each voter's ballot: (choices, how many changes it went through)."""
    database = Database(url)
    try:
        async with database.unit_of_work() as session:
            votes = (await session.execute(select(func.count()).select_from(Vote))).scalar_one()
            ballots = await session.execute(
                select(Person.display_name, Ballot.choices).join(Person, Person.id == Ballot.person_id)
            )
            changes = await session.execute(
                select(Person.display_name, func.count())
                .select_from(BallotChange)
                .join(Person, Person.id == BallotChange.person_id)
                .group_by(Person.display_name)
            )
            counted = dict(changes.all())
            return int(votes), {name: (choices, int(counted.get(name, 0))) for name, choices in ballots.all()}
    finally:
        await database.dispose()


async def test_a_burst_killed_midway_is_done_once_each_after_a_restart_and_repeats_change_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}"
    async with FakeTelegram() as fake:
        chat = fake.group("Riverside Lay Partners")
        alice = fake.user("Alice Smith", username="alice")
        voters = [fake.user(f"Voter {n:02d}") for n in range(VOTERS)]
        fake.set_member(chat["id"], fake.bot_user, "administrator")
        fake.set_member(chat["id"], alice, "creator")
        for voter in voters:
            fake.set_member(chat["id"], voter, "member")
        settings = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": f"{fake.url}/bot", "DATABASE_URL": url}

        def bot_said(fragment: str) -> JSON | None:
            return next((m for m in fake.messages_in(chat["id"]) if fragment in m.get("text", "")), None)

        first = await BotProcess(settings, tmp_path, "the first run").start()
        try:
            await first.said("Touchstone is running on Telegram")
            await fake.send_text(chat, alice, "/setup Riverside Lay Partners")
            welcome = await eventually(lambda: bot_said("Done! This chat is now the group"), 20, "the group")
            joins = [await fake.press(chat, v, welcome["message_id"], label="Lay partner") for v in voters]
            await eventually(lambda: all(q in fake.answers for q in joins), 30, "everyone to join")
            await fake.send_text(chat, alice, "/vote Priorities | pick 2: Transport, Housing, Carers")
            vote = await eventually(lambda: bot_said("Vote 1: Priorities"), 20, "the vote")
            vote_update = max(u for u, sent in fake.sent_updates.items() if "message" in sent)
            # A burst: every voter presses Transport once. Pressing it twice would take it back, so a press
            # applied twice shows, and so does one lost.
            # The database is busy (another process holds its write lock) while the burst arrives, so the
            # bot takes updates from Telegram that it cannot yet store: the moment a crash loses them, unless
            # nothing is confirmed to Telegram before it is kept.
            busy = sqlite3.connect(tmp_path / "touchstone.db", timeout=30, isolation_level=None)
            busy.execute("BEGIN IMMEDIATE")
            presses: list[str] = []
            for voter in voters:
                presses.append(await fake.press(chat, voter, vote["message_id"], label="Transport"))
            press_updates = {fake.update_id_of_query(q) for q in presses}
            await eventually(lambda: press_updates & set(fake.deliveries), 20, "the bot to take the presses")
            await asyncio.sleep(0.5)
        finally:
            await first.kill()
        if busy.in_transaction:
            busy.rollback()
        busy.close()
        assert not any(q in fake.answers for q in presses)  # none was acknowledged: none could be stored yet
        assert press_updates & set(fake.deliveries), "the bot took no press before it died: nothing was tested"

        second = await BotProcess(settings, tmp_path, "the second run").start()
        try:
            await second.said("Touchstone is running on Telegram")

            async def all_in() -> bool:
                _votes, ballots = await stored(url)
                return len(ballots) == VOTERS

            deadline = time.monotonic() + 60
            while not await all_in():
                assert time.monotonic() < deadline, "the presses taken before the crash were never done"
                await asyncio.sleep(0.2)
            # Telegram sends some updates once more: the /vote and a press. Neither has a second effect.
            fake.redeliver(vote_update)
            fake.redeliver(fake.update_id_of_query(presses[0]))
            fake.redeliver(fake.update_id_of_query(presses[-1]))
            await eventually(lambda: not fake.pending_updates, 20, "the repeats to be taken")
            await asyncio.sleep(1)
        finally:
            assert await second.stop() == 0

        votes, ballots = await stored(url)
        assert votes == 1
        transport = {choices for choices, _changes in ballots.values()}
        assert len(transport) == 1 and "," not in next(iter(transport))  # everyone chose Transport, once
        assert {name: changes for name, (_c, changes) in ballots.items()} == {
            f"Voter {n:02d}": 1 for n in range(VOTERS)
        }

        # After a clean restart, the same repeats again: still nothing.
        third = await BotProcess(settings, tmp_path, "the third run").start()
        try:
            await third.said("Touchstone is running on Telegram")
            fake.redeliver(vote_update)
            fake.redeliver(fake.update_id_of_query(presses[1]))
            await eventually(lambda: not fake.pending_updates, 20, "the repeats to be taken")
            await asyncio.sleep(1)
        finally:
            assert await third.stop() == 0
        assert await stored(url) == (votes, ballots)
        assert len([m for m in fake.messages_in(chat["id"]) if m.get("text", "").startswith("Vote ")]) == 1


async def test_at_debug_no_output_ties_a_voter_to_a_choice_in_an_anonymous_vote(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}"
    async with FakeTelegram() as fake:
        chat = fake.group("Riverside Lay Partners")
        alice = fake.user("Alice Smith", username="alice")
        bob, carol = fake.user("Bob Jones"), fake.user("Carol King", username="carolk")
        fake.set_member(chat["id"], fake.bot_user, "administrator")
        fake.set_member(chat["id"], alice, "creator")
        for person in (bob, carol):
            fake.set_member(chat["id"], person, "member")
            fake.start_private(person)
        settings = {
            "TELEGRAM_TOKEN": fake.token,
            "TELEGRAM_API_URL": f"{fake.url}/bot",
            "DATABASE_URL": url,
            "LOG_LEVEL": "DEBUG",
        }

        def bot_said(fragment: str) -> JSON | None:
            return next((m for m in fake.messages_in(chat["id"]) if fragment in m.get("text", "")), None)

        bot = await BotProcess(settings, tmp_path, "the bot").start()
        try:
            await bot.said("Touchstone is running on Telegram")
            await fake.send_text(chat, alice, "/setup Riverside Lay Partners")
            welcome = await eventually(lambda: bot_said("Done! This chat is now the group"), 20, "the group")
            joined = [await fake.press(chat, p, welcome["message_id"], label="Lay partner") for p in (bob, carol)]
            await eventually(lambda: all(q in fake.answers for q in joined), 20, "both to join")
            await fake.send_text(chat, alice, "/vote Meet monthly? | yes/no | | anonymous")
            vote = await eventually(lambda: bot_said("Vote 1: Meet monthly?"), 20, "the vote")
            pressed = [
                await fake.press(chat, bob, vote["message_id"], label="Yes"),
                await fake.press(chat, carol, vote["message_id"], label="No"),
            ]
            await eventually(lambda: all(q in fake.answers for q in pressed), 20, "both ballots")
            await fake.send_text(chat, bob, "I voted, did you?")
            await fake.send_text(chat, alice, "/closevote 1")
            await eventually(lambda: bot_said("Result of vote 1"), 20, "the result")
        finally:
            assert await bot.stop() == 0
        choices = {
            b["callback_data"]
            for row in vote["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("ballot:")
        }
        someone = [str(bob["id"]), str(carol["id"]), "Bob Jones", "Carol King", "carolk"]
        leaks = [
            line
            for line in bot.output.splitlines()
            if any(who in line for who in someone)
            and (any(c in line for c in choices) or " Yes" in line or " No" in line or "did you" in line)
        ]
        assert "DEBUG" in bot.output  # it really ran at DEBUG
        assert leaks == []
