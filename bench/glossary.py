"""The glossary under load: /define over a 5,000-word glossary, and what jargon watch adds to each group message.

A group is set up through the terminal chat and given 5,000 words of its own (stored as members would add them,
with their history), on top of the seeded ones. Then:
- /define is typed 1,000 times through the dispatcher: exact words, plurals, expanded forms and typos. Its p99.
- A second group has a 1,000-word glossary. 2,000 ordinary group messages (one in twenty uses a glossary word,
  as real chat does) go through jargon watch as the dispatcher hands it each message: the time it adds per
  message, median and p99 (the listener, timed on its own inside the message's transaction).

Prints the figures, then one JSON line: {"define_p99_ms": …, "jargon_median_us": …, "jargon_p99_us": …}
Targets: /define p99 ≤ 5 ms, jargon watch median ≤ 500 µs.

    make bench      or    .venv/bin/python bench/glossary.py
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import bench_settings, percentile, set_up_group
from sqlalchemy import insert, select

from adapters.console import ConsoleAdapter
from bot.app import create_app
from bot.context import Unit
from bot.events import Spoke, Standing
from bot.types import CommandCall
from commands.glossary import handlers
from commands.glossary.index import fold
from storage.glossary import GlossaryChange, GlossaryEntry
from storage.groups import Channel, Group, Membership, set_group_setting

BIG, WATCHED, LOOKUPS, MESSAGES = 5_000, 1_000, 1_000, 2_000
SYLLABLES = ["ka", "lo", "mi", "ter", "van", "sel", "dor", "pri", "nu", "cal", "ben", "ros", "tiv", "mar", "gen"]
CHAT = [
    "Thanks everyone, see you on Tuesday.",
    "Could we move the meeting to the library?",
    "I agree with Sam about the buses after six.",
    "Has anyone read the leaflet about the new clinic yet?",
    "The waiting room was very cold last week.",
    "I'll bring the biscuits.",
    "My mum had a good experience at the hospital, actually.",
    "Can someone send me the link again please?",
]


def made_up_terms(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(term, expanded form) pairs: made-up words and acronyms, all different."""
    seen: set[str] = set()
    terms = []
    while len(terms) < n:
        words = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(rng.choice((1, 2, 2, 3)))
        ]
        expanded = " ".join(words)
        term = "".join(w[0] for w in words).upper() + rng.choice("BCDFGHJKLMNPQRSTVWXZ") if len(words) > 1 else expanded
        if fold(term) in seen or fold(expanded) in seen or len(fold(term)) < 3:
            continue
        seen.update({fold(term), fold(expanded)})
        terms.append((term, expanded))
    return terms


async def give_glossary(app, group_id: int, terms: list[tuple[str, str]], person_id: int) -> None:  # type: ignore[no-untyped-def]
    now = app.clock.now()
    async with app.database.unit_of_work() as session:
        await set_group_setting(session, group_id, handlers.VERSION_SETTING, "1")
        rows = [
            {
                "group_id": group_id,
                "key": fold(term),
                "term": term,
                "meaning": f"A made-up word for the bench, number {n}.",
                "example": "",
                "also": expanded if expanded != term else "",
                "removed": False,
                "updated_at": now,
            }
            for n, (term, expanded) in enumerate(terms)
        ]
        await session.execute(insert(GlossaryEntry), rows)
        ids = (await session.execute(select(GlossaryEntry.id).where(GlossaryEntry.group_id == group_id))).scalars()
        await session.execute(
            insert(GlossaryChange),
            [
                {"entry_id": i, "person_id": person_id, "action": "added", "meaning": "-", "example": "", "at": now}
                for i in ids
            ],
        )


def typed_forms(terms: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """What members type: the word, its plural, the expanded form, a typo in it."""
    typed = []
    for _ in range(LOOKUPS):
        term, expanded = rng.choice(terms)
        way = rng.randrange(4)
        if way == 0:
            typed.append(term)
        elif way == 1:
            typed.append(expanded + "s")
        elif way == 2:
            typed.append(expanded)
        else:
            at = rng.randrange(1, len(expanded))
            typed.append(expanded[:at] + expanded[at + 1 :])  # a letter left out
    return typed


async def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        app = await create_app(bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'glossary.db'}"))
        try:
            console = ConsoleAdapter(app.dispatcher, group_title="Bench Lay Partners")
            await set_up_group(console, 10, "Bench Lay Partners")
            async with app.database.unit_of_work() as session:
                group_id, person_id = (await session.execute(select(Membership.group_id, Membership.person_id))).first()  # type: ignore[misc]
            big = made_up_terms(BIG, rng)
            await give_glossary(app, group_id, big, person_id)

            # /define through the dispatcher, as typed.
            alice = console.user("Alice")
            latencies, found = [], 0
            for typed in typed_forms(big, rng):
                began = time.perf_counter()
                outcome = await app.dispatcher.handle(CommandCall("define", typed, alice, console.group_chat))
                latencies.append((time.perf_counter() - began) * 1000)
                found += not outcome.replies[0].text.startswith(("I'm not sure", "“"))
            latencies.sort()

            # Jargon watch: a second group with 1,000 words, ordinary messages through the listener.
            second = ConsoleAdapter(app.dispatcher, group_title="Second Group")
            second.group_chat = second.group_chat.__class__(
                "console", "second-group", second.group_chat.kind, "Second Group"
            )
            await set_up_group(second, 10, "Second Group")
            async with app.database.unit_of_work() as session:
                channel = (await session.execute(select(Channel).where(Channel.chat_id == "second-group"))).scalar_one()
                group2 = await session.get(Group, channel.group_id)
                assert group2 is not None
                members = list(
                    (
                        await session.execute(select(Membership.person_id).where(Membership.group_id == group2.id))
                    ).scalars()
                )
            watched = made_up_terms(WATCHED, random.Random(5))
            await give_glossary(app, group2.id, watched, members[0])
            added, explained = [], 0
            for n in range(MESSAGES):
                text = rng.choice(CHAT)
                if n % 20 == 0:
                    text = f"{text} What does {rng.choice(watched)[0]} mean?"
                event = Spoke(group2.id, rng.choice(members), channel.id, Standing.MEMBER, app.clock.now(), text)
                async with app.database.unit_of_work() as session:
                    unit = Unit(session, app.clock, memo=app.dispatcher.memo)
                    began = time.perf_counter()
                    replies = await handlers.on_spoke(unit, [event])
                    added.append((time.perf_counter() - began) * 1_000_000)
                explained += len(replies)
            added.sort()
        finally:
            await app.close()
    define_p99 = percentile(latencies, 0.99)
    median_us, p99_us = statistics.median(added), percentile(added, 0.99)
    print(f"/define over {BIG:,} words of the group's own (and the seeded ones), typed {LOOKUPS:,} ways:")
    print(
        f"  p50 {percentile(latencies, 0.5):.2f} ms, p99 {define_p99:.2f} ms (target ≤ 5 ms); "
        f"answered at once {found:,}"
    )
    print(f"jargon watch over {WATCHED:,} words, {MESSAGES:,} ordinary messages (1 in 20 uses a word):")
    print(f"  added per message: median {median_us:.0f} µs, p99 {p99_us:.0f} µs (target median ≤ 500 µs)")
    print(f"  explanations posted: {explained} (once per word per day, never twice to one person)")
    print(
        json.dumps(
            {
                "define_p99_ms": round(define_p99, 2),
                "jargon_median_us": round(median_us),
                "jargon_p99_us": round(p99_us),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
