"""Taking part under load: group messages and ballots at once, then "who hasn't taken part yet".

A group of 100 members is set up through the terminal chat; a year of 100,000 contributions is already
stored (messages and ballots spread over 365 days), and a monthly meeting was held last week. Then, at the
same time and all through the dispatcher, each event with its own platform id (`origin`) recorded as for
real updates:
- 100 members send 20 group messages each (2,000 `ChatMessage`s, 100 at a time), and
- 100 voters press Yes/No on an open vote 10 times each (1,000 `ButtonPress`es, 100 at a time).
Measured: messages per second, ballots per second alongside, and then /notheard (since the last meeting)
typed 100 times by the co-chair: its p99.

Prints the figures, then one JSON line:
{"messages_per_s": …, "notheard_p99_ms": …, "ballots_per_s_alongside": …}
Targets: ≥ 1,000 messages a second, /notheard p99 ≤ 50 ms, ballots alongside ≥ 500 a second.

    make bench      or    .venv/bin/python bench/participation.py
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import bench_settings, percentile, set_up_group
from sqlalchemy import func, insert, select

from adapters.console import ConsoleAdapter
from bot.app import create_app
from bot.clock import SystemClock
from bot.live import REFRESH_INTERVAL_S
from bot.types import ButtonPress, ChatMessage, CommandCall, MessageRef
from storage.groups import Membership
from storage.participation import Contribution

MEMBERS, HISTORY, MESSAGES_EACH, PRESSES_EACH, QUERIES = 100, 100_000, 20, 10, 100


class ShiftedClock(SystemClock):
    """Real time (live posts really wait between re-renders), read as if it were a chosen day."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return super().now() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


async def count_messages(app: Any) -> int:
    async with app.database.unit_of_work() as session:
        query = select(func.count()).select_from(Contribution).where(Contribution.kind == "message")
        return int((await session.execute(query)).scalar_one())


async def main() -> None:
    clock = ShiftedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))  # a Monday morning
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        app = await create_app(bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'taking-part.db'}"), clock=clock)
        try:
            app.dispatcher.live.min_interval = REFRESH_INTERVAL_S
            console = ConsoleAdapter(app.dispatcher, group_title="Bench Lay Partners")
            names = await set_up_group(console, MEMBERS, "Bench Lay Partners")
            now = clock.now()
            async with app.database.unit_of_work() as session:
                people = list((await session.execute(select(Membership.person_id, Membership.group_id))).all())
            group_id = people[0][1]
            rng = random.Random(7)
            rows = [
                {
                    "group_id": group_id,
                    "person_id": rng.choice(people)[0],
                    "channel_id": None,
                    "kind": rng.choice(("message", "message", "message", "ballot")),
                    "subject": None,
                    "at": now - timedelta(seconds=rng.randrange(365 * 24 * 3600)),
                }
                for _ in range(HISTORY)
            ]
            async with app.database.unit_of_work() as session:
                for start in range(0, HISTORY, 10_000):
                    await session.execute(insert(Contribution), rows[start : start + 10_000])
            await console.say("Alice", "/meeting first Monday of the month 9:30am | Town hall")  # today, 9:30am
            clock.advance(timedelta(hours=3))  # the meeting has been and gone
            await app.scheduler.run_due()
            said = await console.say("Alice", "/vote Meet monthly? | yes/no | in 3 days")
            vote = next(m for m in said.messages if m.text.startswith("Vote "))
            yes, no = (vote.buttons[0][0], vote.buttons[1][0])
            users = [console.user(name) for name in names]
            counter = iter(range(10**9))

            async def message(user_index: int) -> float:
                user = users[user_index]
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(
                    ChatMessage(user, console.group_chat, "a thought", origin=f"bench:m:{next(counter)}")
                )
                if outcome.error_id:
                    raise SystemExit(f"a message failed: {outcome}")
                return time.perf_counter() - began

            async def press(user_index: int, round_: int) -> float:
                button = (yes, no)[(user_index + round_) % 2]
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(
                    ButtonPress(
                        button.action,
                        button.payload,
                        users[user_index],
                        console.group_chat,
                        MessageRef(console.group_chat, vote.id),
                        origin=f"bench:p:{next(counter)}",
                    )
                )
                if outcome.error_id:
                    raise SystemExit(f"a press failed: {outcome}")
                return time.perf_counter() - began

            async def messages() -> float:
                began = time.perf_counter()
                for _round in range(MESSAGES_EACH):
                    await asyncio.gather(*(message(i) for i in range(MEMBERS)))
                return time.perf_counter() - began

            async def ballots() -> float:
                began = time.perf_counter()
                for round_ in range(PRESSES_EACH):
                    await asyncio.gather(*(press(i, round_) for i in range(MEMBERS)))
                return time.perf_counter() - began

            before = await count_messages(app)
            message_s, ballot_s = await asyncio.gather(messages(), ballots())
            await app.dispatcher.settle()
            recorded = await count_messages(app) - before
            if recorded != MEMBERS * MESSAGES_EACH:
                raise SystemExit(f"{recorded} messages were counted, not {MEMBERS * MESSAGES_EACH}")
            latencies = []
            alice = console.user("Alice")
            for _ in range(QUERIES):
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(CommandCall("notheard", "", alice, console.group_chat))
                latencies.append((time.perf_counter() - began) * 1000)
                if not outcome.replies or not outcome.replies[0].text.startswith("Who hasn't taken part"):
                    raise SystemExit(f"/notheard failed: {outcome}")
            latencies.sort()
        finally:
            await app.close()
    sent = MEMBERS * MESSAGES_EACH
    per_s, ballots_per_s = sent / message_s, MEMBERS * PRESSES_EACH / ballot_s
    print(f"{sent:,} group messages from {MEMBERS} members: {per_s:,.0f} a second (target ≥ 1,000)")
    print(f"{MEMBERS * PRESSES_EACH:,} ballots at the same time: {ballots_per_s:,.0f} a second (target ≥ 500)")
    print(f"each message counted once: {recorded:,} new message contributions")
    print(
        f"/notheard since the last meeting, over {HISTORY:,} stored contributions: "
        f"p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms (target ≤ 50 ms)"
    )
    print(
        json.dumps(
            {
                "messages_per_s": round(per_s, 1),
                "notheard_p99_ms": round(percentile(latencies, 0.99), 2),
                "ballots_per_s_alongside": round(ballots_per_s, 1),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
