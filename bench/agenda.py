"""A busy agenda: support presses per second, and how long /agenda takes to render.

A group of 100 members is set up through the terminal chat (/setup, then /join and a button each), with a
monthly meeting (/meeting). 200 items are proposed through the dispatcher (/propose, each by a member, each
posted to the group with its Support button). Then 2,000 Support presses from the 100 members (20 rounds of
everyone at once, asyncio.gather, each press a `ButtonPress` handed to the dispatcher: support, or take it
back, and the post's count re-rendered after the commit, coalesced) on a SQLite file. Finally /agenda is
typed 200 times by members through the dispatcher: the latency of its first page (200 items ranked by
support, in pages of at most 1,800 characters).

Checks afterwards that every item's stored count equals its rows of support.

Prints the figures, then one JSON line: {"support_per_s": …, "agenda_render_p99_ms": …}
Targets: ≥ 800 presses a second, render p99 ≤ 20 ms.

    make bench      or    .venv/bin/python bench/agenda.py
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import bench_settings, percentile, set_up_group
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.app import create_app
from bot.live import REFRESH_INTERVAL_S
from bot.types import ButtonPress, CommandCall, MessageRef
from storage.agenda import AgendaItem, Support

MEMBERS, ITEMS, ROUNDS, RENDERS = 100, 200, 20, 200
WORDS = [
    "transport",
    "parking",
    "carers",
    "leaflets",
    "waiting",
    "rooms",
    "complaints",
    "discharge",
    "pharmacy",
    "signage",
    "volunteers",
    "interpreters",
    "loneliness",
    "housing",
    "dentistry",
    "wheelchairs",
    "hearing",
    "online",
    "appointments",
    "food",
    "buses",
]


def title(n: int) -> str:
    """Distinct titles (a topic and a reference code), so the duplicate check never asks "did you mean…"."""
    code = " ".join(hashlib.sha256(f"{n}.{k}".encode()).hexdigest()[:6] for k in range(4))
    return f"{WORDS[n % len(WORDS)].capitalize()}: {code}"


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        app = await create_app(bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'agenda.db'}"))
        try:
            app.dispatcher.live.min_interval = REFRESH_INTERVAL_S  # posts re-rendered at most once a second, as running
            console = ConsoleAdapter(app.dispatcher, group_title="Bench Lay Partners")
            names = await set_up_group(console, MEMBERS, "Bench Lay Partners")
            await console.say("Alice", "/meeting first Tuesday of the month 6:30pm | Town hall")
            posts: list[str] = []
            for n in range(ITEMS):
                said = await console.say(names[n % MEMBERS], f"/propose {title(n)}")
                post = next((m for m in said.messages if "proposes for" in m.text), None)
                if post is None:
                    raise SystemExit(f"proposal {n} was not posted: {said.text}")
                posts.append(post.id)
            await app.dispatcher.settle()
            async with app.database.unit_of_work() as session:
                item_ids = list((await session.execute(select(AgendaItem.id).order_by(AgendaItem.id))).scalars())
            users = [console.user(name) for name in names]
            latencies: list[float] = []

            async def press(person: int, round_: int) -> None:
                index = (person * 7 + round_ * 13) % ITEMS
                event = ButtonPress(
                    "support",
                    str(item_ids[index]),
                    users[person],
                    console.group_chat,
                    MessageRef(console.group_chat, posts[index]),
                )
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(event)
                latencies.append(time.perf_counter() - began)
                if outcome.error_id or not (outcome.toast or "").startswith(("Thank you", "You no longer")):
                    raise SystemExit(f"a support press failed: {outcome}")

            started = time.perf_counter()
            for round_ in range(ROUNDS):
                await asyncio.gather(*(press(person, round_) for person in range(MEMBERS)))
            await app.dispatcher.settle()
            elapsed = time.perf_counter() - started
            presses = MEMBERS * ROUNDS
            async with app.database.unit_of_work() as session:
                stored = dict((await session.execute(select(AgendaItem.id, AgendaItem.supporters))).all())
                counted = dict(
                    (await session.execute(select(Support.item_id, func.count()).group_by(Support.item_id))).all()
                )
            wrong = [i for i in item_ids if stored[i] != counted.get(i, 0)]
            renders: list[float] = []
            for n in range(RENDERS):
                user = users[n % MEMBERS]
                event = CommandCall("agenda", "", user, console.group_chat)
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(event)
                renders.append((time.perf_counter() - began) * 1000)
                if not outcome.replies or not outcome.replies[0].text.startswith("The draft agenda"):
                    raise SystemExit(f"/agenda failed: {outcome}")
            renders.sort()
            ordered = sorted(latencies)
        finally:
            await app.close()
    per_s = presses / elapsed
    print(
        f"{presses:,} support presses from {MEMBERS} members on {ITEMS} items: {per_s:,.0f} a second "
        f"(target ≥ 800); p50 {percentile(ordered, 0.5) * 1000:.1f} ms, p99 {percentile(ordered, 0.99) * 1000:.1f} ms"
    )
    print(f"stored counts that disagree with the rows of support: {len(wrong)}")
    print(
        f"/agenda (first page of {ITEMS} items): median {statistics.median(renders):.2f} ms, "
        f"p99 {percentile(renders, 0.99):.2f} ms (target ≤ 20 ms)"
    )
    print(json.dumps({"support_per_s": round(per_s, 1), "agenda_render_p99_ms": round(percentile(renders, 0.99), 2)}))


if __name__ == "__main__":
    asyncio.run(main())
