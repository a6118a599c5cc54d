"""The scheduler under load.

(a) 10,000 future jobs in the database: 2,000 meetings (a reminder two days and one hour before, the start
    and the end: 4 jobs each) and 1,000 open votes (a close and a reminder: 2 jobs each). Measured: seconds
    from the scheduler's start (it leads and reads everything) to all jobs in place; then the time to add one
    more meeting's jobs with the 10,000 present (`refresh` of one item, as after /meeting; no full rebuild),
    the median of 50.

(b) 1,000 members who asked for private meeting reminders, all due in the same minute, sent by the real
    scheduler through the outbox and the Telegram adapter (python-telegram-bot) to the loopback fake of the
    Bot API, which answers 429 "Too Many Requests" above 30 messages a second. Measured: messages received,
    people who got more than one, the steady rate (first to last message) and the 429s answered.

Ends with one JSON line:
{"restore_10k_s": …, "add_job_ms": …, "reminders_sent": …, "reminders_duplicated": …, "send_rate_per_s": …,
 "rate_limit_errors": …}
Targets: restore ≤ 2 s, add ≤ 5 ms, 1,000 sent, 0 duplicated, ≥ 24 a second, 0 rate-limit errors.

    make bench      or    .venv/bin/python bench/scheduler.py [--database-url URL]
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from common import LogCapture, bench_settings  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from adapters.telegram import TelegramAdapter  # noqa: E402
from bot.app import App, create_app  # noqa: E402
from storage.groups import Channel, Group, GroupSetting, MemberKind, Membership, Role  # noqa: E402
from storage.meetings import Meeting  # noqa: E402
from storage.people import Account, Person, PersonSetting  # noqa: E402
from storage.voting import Vote  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

MEETINGS, VOTES = 2_000, 1_000
REMINDED = int(__import__("os").environ.get("BENCH_REMINDED", "1000"))
TELEGRAM_LIMIT = 30  # messages a second before the fake answers 429, as Telegram does for bulk sends
WAIT_S = float(__import__("os").environ.get("BENCH_WAIT", "180"))
JSON = dict[str, Any]


async def seed_group(app: App, now: datetime, *, chat_id: str = "-100", platform: str = "telegram") -> tuple[int, int]:
    """A group with one co-chair; returns (group id, co-chair's person id)."""
    async with app.database.unit_of_work() as session:
        person = Person(display_name="Alice", created_at=now)
        session.add(person)
        await session.flush()
        group = Group(name="Bench Lay Partners", created_at=now)
        session.add(group)
        await session.flush()
        session.add(Channel(group_id=group.id, platform=platform, chat_id=chat_id, title="Bench", created_at=now))
        session.add(Membership(group_id=group.id, person_id=person.id, role=Role.COCHAIR, joined_at=now))
        return group.id, person.id


def meeting_row(group_id: int, starts_at: datetime, now: datetime, number: int) -> dict[str, object]:
    return {
        "group_id": group_id,
        "starts_at": starts_at,
        "length_minutes": 120,
        "place": "Town hall",
        "uid": f"bench-{number}@touchstone",
        "sequence": 0,
        "status": "scheduled",
        "started": False,
        "ended": False,
        "created_at": now,
        "changed_at": now,
    }


async def restore_and_add(database_url: str) -> tuple[float, float, int]:
    """(a): seconds to place 10,000 jobs at start, and the median ms to add one more meeting's."""
    app = await create_app(bench_settings(database_url))
    try:
        now = datetime.now(UTC)
        group_id, alice = await seed_group(app, now, chat_id="-1000")
        async with app.database.unit_of_work() as session:
            await session.execute(
                insert(Meeting),
                [meeting_row(group_id, now + timedelta(days=3, hours=3 * n), now, n) for n in range(MEETINGS)],
            )
            await session.execute(
                insert(Vote),
                [
                    {
                        "group_id": group_id,
                        "question": f"Question {n}",
                        "kind": "yes_no",
                        "status": "open",
                        "opened_by": alice,
                        "opened_at": now,
                        "closes_at": now + timedelta(days=5, minutes=n),
                        "remind_at": now + timedelta(days=4, minutes=n),
                    }
                    for n in range(VOTES)
                ],
            )
        scheduler = app.scheduler
        started = time.perf_counter()
        await scheduler.lead(paused=True)  # reads the database and places every job; paused: nothing runs
        restore_s = time.perf_counter() - started
        placed = len(scheduler.scheduled())
        adds = []
        for n in range(50):
            async with app.database.unit_of_work() as session:
                meeting = Meeting(**meeting_row(group_id, now + timedelta(days=400, hours=3 * n), now, 10_000 + n))  # type: ignore[arg-type]
                session.add(meeting)
                await session.flush()
                ident = meeting.id
            begun = time.perf_counter()
            await scheduler.refresh([("meeting", str(ident))])
            adds.append((time.perf_counter() - begun) * 1000)
        if len(scheduler.scheduled()) != placed + 50 * 4:
            raise SystemExit(f"expected {placed + 200} jobs after adding, found {len(scheduler.scheduled())}")
        scheduler.step_down()
        return restore_s, statistics.median(adds), placed
    finally:
        await app.close()


async def reminders(database_url: str) -> dict[str, float]:
    """(b): 1,000 private reminders due at once, through the Telegram adapter to a rate-limited fake."""
    app = await create_app(bench_settings(database_url))
    try:
        async with FakeTelegram(limit_sends_per_second=TELEGRAM_LIMIT) as fake:
            chat = fake.group("Bench Lay Partners")
            users = [fake.user(f"Member {n:04d}") for n in range(REMINDED)]
            for user in users:
                fake.start_private(user)  # each pressed Start in a private chat with the bot
            now = datetime.now(UTC)
            group_id, _alice = await seed_group(app, now, chat_id=str(chat["id"]))
            async with app.database.unit_of_work() as session:
                people = [Person(display_name=user["first_name"], created_at=now) for user in users]
                session.add_all(people)
                await session.flush()
                session.add_all(
                    Account(
                        person_id=person.id,
                        platform="telegram",
                        user_id=str(user["id"]),
                        display_name=user["first_name"],
                        created_at=now,
                    )
                    for person, user in zip(people, users, strict=True)
                )
                session.add_all(
                    Membership(group_id=group_id, person_id=p.id, kind=MemberKind.LAY_PARTNER, joined_at=now)
                    for p in people
                )
                session.add_all(
                    PersonSetting(person_id=p.id, key="meeting_reminders_private", value="yes") for p in people
                )
                session.add(GroupSetting(group_id=group_id, key="meeting_reminders", value="60"))
                # The 1-hour reminder falls due three seconds from now.
                session.add(Meeting(**meeting_row(group_id, now + timedelta(minutes=60, seconds=3), now, 1)))  # type: ignore[arg-type]
            adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot")
            await adapter.start()
            try:
                await app.scheduler.lead()
                private_ids = {user["id"] for user in users}
                sends_before = len(fake.send_times)

                def received() -> list[JSON]:
                    return [m for m in fake.sent if m["chat"]["id"] in private_ids and "Reminder" in m.get("text", "")]

                await fake.wait_until(lambda: len(received()) >= REMINDED, timeout=WAIT_S, interval=0.2)
                await asyncio.sleep(1.0)  # anything sent twice would arrive now
                got = received()
                counts = Counter(m["chat"]["id"] for m in got)
                times = fake.send_times[sends_before:]  # every message let through: the reminders and the group's
                rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else float("nan")
                return {
                    "reminders_sent": len(counts),
                    "reminders_duplicated": sum(1 for n in counts.values() if n > 1),
                    "send_rate_per_s": rate,
                    "rate_limit_errors": fake.rate_limited,
                }
            finally:
                app.scheduler.step_down()
                await adapter.stop()
    finally:
        await app.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL URL to measure on (default: a fresh SQLite file)")
    args = parser.parse_args()
    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        url_a = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'jobs.db'}"
        url_b = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'reminders.db'}"
        restore_s, add_ms, placed = await restore_and_add(url_a)
        print(f"(a) {placed:,} jobs placed {restore_s:.2f} s after the scheduler started (target ≤ 2 s)")
        print(f"    one more meeting's jobs added in {add_ms:.2f} ms, median of 50 (target ≤ 5 ms)")
        sent = await reminders(url_b)
    print(
        f"(b) {sent['reminders_sent']:,} private reminders received, "
        f"{sent['reminders_duplicated']} people got one twice, "
        f"{sent['send_rate_per_s']:.1f} a second (target ≥ 24), {sent['rate_limit_errors']} answered 429"
    )
    errors = [line for line in capture.records if "scheduler" in line or "outbox" in line]
    if errors:
        print(f"    {len(errors)} warnings, e.g. {errors[0]}")
    print(
        json.dumps(
            {
                "restore_10k_s": round(restore_s, 3),
                "add_job_ms": round(add_ms, 3),
                **{k: round(v, 2) if isinstance(v, float) else v for k, v in sent.items()},
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
