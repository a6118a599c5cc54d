"""How many ballots a busy vote takes per second, through the dispatcher and storage.

A group of 100 members is set up through the terminal chat (/setup, then /join and a button for
each member). Alice opens a non-anonymous yes/no vote with "/vote … | yes/no | in 3 days"; it is
posted to the group chat, and every press asks for it to be re-rendered there (the live tally edit);
re-renders run after the commit and are coalesced (bot/live.py), and their time is included in the
totals. Each ballot is a `ButtonPress` handed to the dispatcher: one unit of work.

Two modes, on a SQLite file and, when TOUCHSTONE_TEST_POSTGRES_URL (or --postgres URL) is set, on
PostgreSQL (in a schema of its own, dropped afterwards, so other users of that database are
untouched):

- sequential: one voter presses Yes, No, Yes, … one press after another;
- concurrent: 100 voters at once (asyncio.gather), each pressing Yes/No alternately.

Every press changes the ballot, so every press writes and edits the message. Latency is the time
from handing the press to the dispatcher to its return (waiting for the database included).
"ballots_per_s" in the JSON is the concurrent mode's throughput: a busy vote is many people at once.
Lock errors count every press that ended with an error id plus every captured log line that
mentions "locked" and is not already one of those.

Prints the figures, then one JSON line:
{"sqlite_ballots_per_s": …, "sqlite_p99_ms_100": …, "postgres_ballots_per_s": …,
 "postgres_p99_ms_100": …, "lock_errors": …}

    make bench      or    .venv/bin/python bench/votes.py [--postgres URL] [--voters N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import bench_settings, percentile, set_up_group
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.console import ConsoleAdapter
from bot.app import App, create_app
from bot.types import ButtonPress, MessageRef, UserRef
from storage.voting import Ballot

GROUP_NAME = "Bench Lay Partners"
QUESTION = "Should we meet monthly?"
TARGET_BALLOTS_PER_S = 800.0
TARGET_P99_MS = 250.0
_ERROR_ID = re.compile(r"error ([0-9A-F]{8}) while handling")


class LogCapture(logging.Handler):
    """Keeps every warning and error the bot logs, to look for "database is locked"."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append(text)

    def locked(self, known_error_ids: set[str]) -> int:
        """Log lines mentioning 'locked' that are not the log line of an already counted error id."""
        count = 0
        for line in self.records:
            if "locked" not in line.casefold():
                continue
            found = _ERROR_ID.search(line)
            if found is None or found.group(1) not in known_error_ids:
                count += 1
        return count


@dataclass
class Mode:
    """The presses of one mode and how they went."""

    name: str
    timings_ms: list[float] = field(default_factory=list)
    error_ids: list[str] = field(default_factory=list)
    refused: int = 0  # answered with something other than "Your vote is in"
    total_s: float = 0.0
    cpu_s: float = 0.0  # this process's CPU time (the database server's is not included)
    statements: int = 0

    @property
    def count(self) -> int:
        return len(self.timings_ms)

    @property
    def per_s(self) -> float:
        return self.count / self.total_s if self.total_s else 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.timings_ms)
        return {
            "p50_ms": statistics.median(ordered),
            "p90_ms": percentile(ordered, 0.90),
            "p99_ms": percentile(ordered, 0.99),
            "max_ms": ordered[-1],
            "ballots_per_s": self.per_s,
            "statements_per_press": self.statements / self.count,
            "cpu_ms_per_press": self.cpu_s * 1000 / self.count,
        }


@dataclass
class Ballots:
    """The vote under test and how to press its buttons."""

    app: App
    console: ConsoleAdapter
    message: MessageRef
    payloads: tuple[str, str]  # Yes, No
    last_choice: dict[str, int] = field(default_factory=dict)  # voter name → index pressed last

    async def press(self, voter: UserRef, choice: int, mode: Mode) -> None:
        event_ = ButtonPress(
            action="ballot",
            payload=self.payloads[choice],
            actor=voter,
            chat=self.console.group_chat,
            message=self.message,
        )
        before = time.perf_counter()
        outcome = await self.app.dispatcher.handle(event_)
        mode.timings_ms.append((time.perf_counter() - before) * 1000)
        if outcome.error_id is not None:
            mode.error_ids.append(outcome.error_id)
        elif not (outcome.toast or "").startswith("Your vote is in"):
            mode.refused += 1
        else:
            self.last_choice[voter.display_name] = choice


# ---- setting up ----------------------------------------------------------------------------------


@asynccontextmanager
async def bench_app(url: str) -> AsyncIterator[App]:
    """An app on a fresh schema: a new SQLite file, or a PostgreSQL schema of its own."""
    settings = bench_settings(url)
    if url.startswith("sqlite"):
        app = await create_app(settings)
        try:
            yield app
        finally:
            await app.close()
        return
    schema = f"touchstone_bench_votes_{secrets.token_hex(4)}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        app = await create_app(settings, migrate=False)

        @event.listens_for(app.database.engine.sync_engine, "connect")
        def use_bench_schema(dbapi_connection: Any, _record: Any) -> None:
            # Outside any transaction, so the setting lasts for the connection's life.
            dbapi_connection.run_async(lambda raw: raw.execute(f'SET search_path TO "{schema}"'))

        try:
            await app.database.migrate()
            yield app
        finally:
            await app.close()
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def open_vote(app: App, console: ConsoleAdapter) -> Ballots:
    """Alice opens the vote in one line; it is posted to the group chat with Yes/No/Abstain buttons."""
    opened = await console.say("Alice", f"/vote {QUESTION} | yes/no | in 3 days")
    if opened.error_id is not None or QUESTION not in opened.text:
        raise SystemExit(f"could not open the vote: {opened.text}")
    posted = console.latest_with_button("Alice", "Yes", console.group_chat)
    by_label = {button.label: button.payload for row in posted.buttons for button in row}
    message = MessageRef(console.group_chat, posted.id)
    return Ballots(app, console, message, (by_label["Yes"], by_label["No"]))


# ---- the two modes -------------------------------------------------------------------------------


class StatementCounter:
    """Counts the SQL statements sent to the database (BEGIN and COMMIT included where visible)."""

    def __init__(self, app: App) -> None:
        self.count = 0
        event.listen(app.database.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


async def sequential(ballots: Ballots, voter: UserRef, presses: int, counter: StatementCounter) -> Mode:
    mode = Mode("sequential")
    counted_from = counter.count
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(presses):
        await ballots.press(voter, i % 2, mode)
    await ballots.app.dispatcher.settle()  # the live re-renders count too
    mode.total_s, mode.cpu_s = time.perf_counter() - started, time.process_time() - cpu
    mode.statements = counter.count - counted_from
    return mode


async def concurrent(ballots: Ballots, voters: list[UserRef], rounds: int, counter: StatementCounter) -> Mode:
    mode = Mode("concurrent")

    async def vote(index: int, voter: UserRef) -> None:
        last = ballots.last_choice.get(voter.display_name)
        first = index % 2 if last is None else 1 - last  # every press changes the ballot
        for i in range(rounds):
            await ballots.press(voter, (first + i) % 2, mode)

    counted_from = counter.count
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(vote(index, voter) for index, voter in enumerate(voters)))
    await ballots.app.dispatcher.settle()  # the live re-renders count too
    mode.total_s, mode.cpu_s = time.perf_counter() - started, time.process_time() - cpu
    mode.statements = counter.count - counted_from
    return mode


async def stored_ballots(app: App, ballots: Ballots) -> tuple[int, int]:
    """(ballots stored for the vote, how many of them match each voter's last accepted press)."""
    vote_id = int(ballots.payloads[0].split(".")[0])
    option_ids = [int(p.split(".")[1]) for p in ballots.payloads]
    async with app.database.unit_of_work() as session:
        total = (
            await session.execute(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id))
        ).scalar_one()
        rows = (await session.execute(select(Ballot.person_id, Ballot.choices).where(Ballot.vote_id == vote_id))).all()
    tally = {str(option): 0 for option in option_ids}
    for _person, choices in rows:
        if choices in tally:
            tally[choices] += 1
    expected = {str(option_ids[0]): 0, str(option_ids[1]): 0}
    for choice in ballots.last_choice.values():
        expected[str(option_ids[choice])] += 1
    matching = sum(min(tally[k], expected[k]) for k in expected)
    return int(total), matching


async def bench_backend(
    label: str, url: str, *, members: int, presses: int, rounds: int, warmup: int, capture: LogCapture
) -> dict[str, Any]:
    async with bench_app(url) as app:
        console = ConsoleAdapter(app.dispatcher, group_title=GROUP_NAME)
        setup_started = time.perf_counter()
        names = await set_up_group(console, members, GROUP_NAME)
        ballots = await open_vote(app, console)
        setup_s = time.perf_counter() - setup_started
        voters = [console.user(name) for name in names]
        counter = StatementCounter(app)
        await sequential(ballots, voters[1], warmup, counter)  # untimed: warm caches and connections
        one = await sequential(ballots, voters[1], presses, counter)
        many = await concurrent(ballots, voters, rounds, counter)
        total, matching = await stored_ballots(app, ballots)
        final_message = console.messages[ballots.message.id].text
    error_ids = set(one.error_ids + many.error_ids)
    locked_logs = capture.locked(error_ids)
    capture.records.clear()
    return {
        "label": label,
        "members": len(names),
        "setup_s": setup_s,
        "sequential": one,
        "concurrent": many,
        "stored_ballots": total,
        "matching_ballots": matching,
        "final_message": final_message,
        "lock_errors": len(error_ids) + locked_logs,
        "locked_log_lines": locked_logs,
    }


# ---- reporting -----------------------------------------------------------------------------------


def report(result: dict[str, Any], voters: int) -> None:
    one: Mode = result["sequential"]
    many: Mode = result["concurrent"]
    print(f"\n{result['label']}: {result['members']} members set up in {result['setup_s']:.1f} s")
    for mode, title in ((one, "1 voter, one press after another"), (many, f"{voters} voters at once")):
        figures = mode.summary()
        print(f"  {title}: {mode.count} presses in {mode.total_s:.2f} s")
        print(f"    throughput  {figures['ballots_per_s']:.0f} ballots/s")
        print(
            f"    latency     p50 {figures['p50_ms']:.2f} ms   p90 {figures['p90_ms']:.2f} ms   "
            f"p99 {figures['p99_ms']:.2f} ms   max {figures['max_ms']:.2f} ms"
        )
        print(
            f"    per press   {figures['statements_per_press']:.1f} SQL statements, "
            f"{figures['cpu_ms_per_press']:.2f} ms of this process's CPU"
        )
        print(f"    errors      {len(mode.error_ids)} with an error id, {mode.refused} refused")
    print(f"  'locked' in the logs: {result['locked_log_lines']} line(s) beyond the errors above")
    print(f"  stored: {result['stored_ballots']} ballots; {result['matching_ballots']} match each voter's last press")
    tally = result["final_message"].splitlines()
    print("  the vote message now says: " + " / ".join(line for line in tally if "Yes" in line or "voted" in line))


def targets(results: list[dict[str, Any]]) -> None:
    print("\nTargets")
    for result in results:
        many: Mode = result["concurrent"]
        p99 = many.summary()["p99_ms"]
        if result["label"].startswith("SQLite"):
            ok = "met" if many.per_s >= TARGET_BALLOTS_PER_S else "MISSED"
            print(f"  SQLite ≥ {TARGET_BALLOTS_PER_S:.0f} ballots/s (100 at once): {many.per_s:.0f} — {ok}")
        ok = "met" if p99 <= TARGET_P99_MS else "MISSED"
        print(f"  {result['label']} p99 ≤ {TARGET_P99_MS:.0f} ms at 100 at once: {p99:.1f} ms — {ok}")
    locked = sum(r["lock_errors"] for r in results)
    print(f"  no lock errors: {locked} — {'met' if locked == 0 else 'MISSED'}")


async def bench(options: argparse.Namespace, capture: LogCapture) -> list[dict[str, Any]]:
    common = {
        "members": options.voters,
        "presses": options.presses,
        "rounds": options.rounds,
        "warmup": options.warmup,
        "capture": capture,
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        results.append(await bench_backend("SQLite file", url, **common))
    if options.postgres:
        results.append(await bench_backend("PostgreSQL", options.postgres, **common))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TOUCHSTONE_TEST_POSTGRES_URL") or None,
        help="PostgreSQL URL (default: TOUCHSTONE_TEST_POSTGRES_URL; without one, SQLite only)",
    )
    parser.add_argument("--voters", type=int, default=100, help="members, all voting at once (default 100)")
    parser.add_argument("--presses", type=int, default=1000, help="presses by the single voter (default 1000)")
    parser.add_argument("--rounds", type=int, default=20, help="presses by each voter at once (default 20)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed presses first (default 50)")
    options = parser.parse_args()

    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    results = asyncio.run(bench(options, capture))

    print(f"Ballot benchmark: a non-anonymous yes/no vote in a group of {options.voters}, pressed through")
    print("the dispatcher; each press is one unit of work and re-renders the posted vote message.")
    for result in results:
        report(result, options.voters)
    targets(results)

    by_label = {r["label"]: r for r in results}
    sqlite, postgres = by_label["SQLite file"], by_label.get("PostgreSQL")

    def rounded(value: float) -> float:
        return round(value, 1)

    figures = {
        "sqlite_ballots_per_s": rounded(sqlite["concurrent"].per_s),
        "sqlite_p99_ms_100": rounded(sqlite["concurrent"].summary()["p99_ms"]),
        "postgres_ballots_per_s": rounded(postgres["concurrent"].per_s) if postgres else None,
        "postgres_p99_ms_100": rounded(postgres["concurrent"].summary()["p99_ms"]) if postgres else None,
        "lock_errors": sum(r["lock_errors"] for r in results),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
