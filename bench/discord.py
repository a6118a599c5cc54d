"""A busy vote on Discord: discord.py + Touchstone against a bare discord.py bot, 50 clicks at once.

Both bots are the real discord.py talking to a loopback fake of Discord's gateway and REST API
(tests/fakes/discord.py) in this process, with Discord's 3-second limit for acknowledging an
interaction (a later acknowledgement is refused with 10062 Unknown interaction and counts as a failure).

Touchstone: a server manager (Alice) sets the group up with /setup, 50 people join by clicking
"Lay partner" on the welcome message, and Alice opens a non-anonymous vote ("/vote question:Busy vote
choices:yes/no closes:in 3 days") whose live message lists who has voted. Then 2,000 clicks on Yes/No
from the 50 people (each alternating Yes/No, so every click changes a ballot), by 50 clickers at once:
each person clicks, waits until the click is done, and clicks again, so at most 50 clicks are
outstanding. A click is done when the fake has the acknowledgement (a deferred update, type 6) and
the ephemeral follow-up ("Your vote is in: Yes."), or when it has refused the acknowledgement. The
adapter coalesces edits of the vote message (one every EDIT_INTERVAL_S, as in production); the run
waits for the last edit and checks that the message shows every final ballot and every voter's name.

Bare bot: a plain discord.Client (the same intents and cache settings as the adapter's client) with a
DynamicItem button that on a click defers, sends the same ephemeral follow-up, and has the vote message
edited to the tally and the voters' names, at most once per EDIT_INTERVAL_S: the same Discord work
without Touchstone. The same clicks, people and concurrency, against a fresh fake.

Acknowledgement latency is per click, measured by the fake: from the INTERACTION_CREATE being written
to the bot's socket to the fake receiving the callback (a click not acknowledged in time counts as
3,000 ms, the least it took). Click → follow-up is from the clicker clicking
to the fake receiving the follow-up. Throughput is completed clicks (acknowledged in time and answered
with the expected ephemeral follow-up) / (first click → last click done).

Everything shares one process and one event loop, so the fake's own work (it deep-copies and keeps
every payload it sends or receives) is in both bots' figures: it costs about as much CPU as the bot
does, which brings the ratio closer to 1 than the bots alone would be. The fake's growing records also
make Python's full garbage collections (which stop everything) take a few hundred milliseconds each;
they are most of both bots' p99, and their count and length are printed for each bot.

Prints the figures, then one JSON line:
{"interactions_per_s": …, "bare_interactions_per_s": …, "ratio": …, "ack_p99_ms": …, …}

    make bench      or    .venv/bin/python bench/discord.py [--people N] [--presses N] [--concurrency N] [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called discord.py: its folder (first on sys.path when run as a script) must not shadow
# discord.py. The repository root is needed for bench.common, adapters, bot and tests.fakes.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

import discord  # noqa: E402
import yarl  # noqa: E402
from aiohttp import web  # noqa: E402
from discord.gateway import DiscordWebSocket  # noqa: E402
from discord.http import Route  # noqa: E402

from adapters.discord import EDIT_INTERVAL_S, DiscordAdapter  # noqa: E402
from bench.common import LogCapture, bench_settings, plan, spread  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.live import REFRESH_INTERVAL_S  # noqa: E402
from tests.fakes.discord import MANAGE_GUILD, UNKNOWN_INTERACTION, FakeDiscord, InteractionRecord  # noqa: E402

JSON = dict[str, Any]
GROUP_NAME = "Bench Lay Partners"
QUESTION = "Busy vote"
TARGET_ACK_P99_MS = 1000.0
ACK_TIMEOUT_S = 3.0  # Discord's limit for acknowledging an interaction
CLICK_TIMEOUT_S = 10.0  # a click not done by then counts as failed, and its clicker goes on
WAIT_S = 90.0  # the longest any other step may take before the run gives up
TOAST = "Your vote is in: "
LABELS = ("Yes", "No")
TOKEN_IN_PATH = re.compile(r"/[\w-]{40,}")  # an interaction token, left out of what is printed


class WatchedFake(FakeDiscord):
    """The fake, telling the clickers as soon as it has answered a request that may finish their click
    (so that 50 clickers need not poll, which would cost CPU in this one process)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.watching: dict[int, tuple[InteractionRecord, asyncio.Future[float]]] = {}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            return await super()._handle(request)
        finally:
            if self.watching and request.method == "POST":
                self._check_watched()

    def _check_watched(self) -> None:
        now = time.perf_counter()
        for iid, (record, done) in list(self.watching.items()):
            if click_done(record):
                del self.watching[iid]
                if not done.done():
                    done.set_result(now)

    async def click_and_wait(self, channel: JSON, user: JSON, message_id: int, label: str) -> tuple[int, float | None]:
        """Click, and wait until the click is done. Returns the interaction id and when it was done
        (perf_counter), or None if it was not done within CLICK_TIMEOUT_S."""
        iid = await self.click(channel, user, message_id, label=label)
        record = self.interaction(iid)
        if click_done(record):
            return iid, time.perf_counter()
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.watching[iid] = (record, done)
        try:
            return iid, await asyncio.wait_for(done, CLICK_TIMEOUT_S)
        except TimeoutError:
            return iid, None
        finally:
            self.watching.pop(iid, None)


def click_done(record: InteractionRecord) -> bool:
    """Acknowledged and followed up, or refused (a late or second acknowledgement)."""
    return bool(record.rejected) or (record.acknowledged and bool(record.followup_ids))


@dataclass
class Run:
    """One bot's clicks and how they went."""

    name: str
    clicked_at: dict[int, float] = field(default_factory=dict)  # interaction id -> perf_counter at the click
    done_at: dict[int, float] = field(default_factory=dict)  # only clicks that were done
    outcomes: dict[int, str] = field(default_factory=dict)  # interaction id -> "ok" or what went wrong
    ack_ms: list[float] = field(default_factory=list)  # sorted, one per click
    edits: int = 0  # edits of the vote message while clicking and until the last edit
    api_errors: list[str] = field(default_factory=list)
    log_lines: list[str] = field(default_factory=list)
    final_ok: bool = True
    final_note: str = ""
    settle_s: float = 0.0  # from the last click done to the last edit
    gc_pauses_ms: list[float] = field(default_factory=list)  # full (generation 2) collections while clicking
    started_at: float = 0.0  # perf_counter at the first click
    ended_at: float = 0.0  # perf_counter when the last click was done (or given up on)

    @property
    def completed(self) -> int:
        return sum(1 for outcome in self.outcomes.values() if outcome == "ok")

    @property
    def failures(self) -> int:
        return len(self.outcomes) - self.completed

    def count(self, outcome: str) -> int:
        return sum(1 for found in self.outcomes.values() if found == outcome)

    @property
    def click_to_followup_ms(self) -> list[float]:
        return sorted((self.done_at[i] - t) * 1000 for i, t in self.clicked_at.items() if i in self.done_at)

    @property
    def total_s(self) -> float:
        return self.ended_at - self.started_at

    @property
    def per_s(self) -> float:
        return self.completed / self.total_s

    def figures(self, values: list[float]) -> dict[str, float]:
        return spread(values)


async def fire(
    fake: WatchedFake,
    channel: JSON,
    message_id: int,
    voters: list[JSON],
    order: list[tuple[int, int]],
    concurrency: int,
    run: Run,
) -> None:
    """The clicks in `order`, by `concurrency` clickers at once. A person's clicks are all made by one
    clicker, in order, each after the one before is done (as a person would: one click at a time)."""
    lanes: list[list[tuple[int, int]]] = [[] for _ in range(min(concurrency, len(voters)))]
    for person, choice in order:
        lanes[person % len(lanes)].append((person, choice))

    async def clicker(lane: list[tuple[int, int]]) -> None:
        for person, choice in lane:
            clicked = time.perf_counter()
            iid, done = await fake.click_and_wait(channel, voters[person], message_id, LABELS[choice])
            run.clicked_at[iid] = clicked
            if done is not None:
                run.done_at[iid] = done

    gc.collect()  # each bot starts clicking without the garbage of what came before
    run.started_at = time.perf_counter()
    with full_collections(run.gc_pauses_ms):
        await asyncio.gather(*(clicker(lane) for lane in lanes))
    run.ended_at = max(run.done_at.values()) if len(run.done_at) == len(order) else time.perf_counter()
    records = [fake.interaction(iid) for iid in run.clicked_at]  # not kept: they hold on to the whole fake
    run.outcomes = {record.id: outcome(record) for record in records}
    # A click not acknowledged in time counts as Discord's limit, the least it could have taken.
    run.ack_ms = sorted(ACK_TIMEOUT_S * 1000 if r.ack_s is None else r.ack_s * 1000 for r in records)


@contextmanager
def full_collections(pauses_ms: list[float]) -> Iterator[None]:
    """Note how long each full garbage collection takes meanwhile: it stops the whole process (bot and
    fake alike), and the fake keeps every frame and request it saw, so they grow longer as a run goes on."""
    started = 0.0

    def note(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if info["generation"] != 2:
            return
        if phase == "start":
            started = time.perf_counter()
        else:
            pauses_ms.append((time.perf_counter() - started) * 1000)

    gc.callbacks.append(note)
    try:
        yield
    finally:
        gc.callbacks.remove(note)


def outcome(record: InteractionRecord) -> str:
    """ "ok" for a click acknowledged in time and answered privately with the ballot, else what went wrong."""
    if UNKNOWN_INTERACTION in record.rejected:
        return "late"  # acknowledged after Discord's 3 seconds: refused with 10062
    if not record.acknowledged:
        return "unacknowledged"
    if record.rejected:
        return "refused"  # e.g. acknowledged twice (40060)
    followups = record.followups
    if not followups:
        return "no follow-up"
    if not all(f.ephemeral and f.text.startswith(TOAST) for f in followups):
        return "wrong answer"
    return "ok"


def make_world(fake: FakeDiscord, people: int) -> tuple[JSON, JSON, JSON, list[JSON]]:
    """A server with a #general channel, Alice (Manage Server) and `people` voters."""
    alice = fake.user("Alice Admin")
    guild = fake.guild(GROUP_NAME, owner=fake.user("Olga Owner"))
    channel = fake.channel(guild, "general")
    fake.add_member(guild, alice, permissions=MANAGE_GUILD)
    voters = [fake.user(f"Voter {n:02d}") for n in range(1, people + 1)]
    for voter in voters:
        fake.add_member(guild, voter)
    return guild, channel, alice, voters


def finish(run: Run, fake: FakeDiscord, channel: JSON, message_id: int, calls_before: int, errors_before: int) -> None:
    edit = f"PATCH /channels/{channel['id']}/messages/{message_id}"
    run.edits = fake.calls[calls_before:].count(edit)
    run.api_errors = [
        f"{TOKEN_IN_PATH.sub('/TOKEN', call)}: {status} {body.get('message')}"
        for call, status, body in fake.errors[errors_before:]
    ]


def check_tally(run: Run, text: str, order: list[tuple[int, int]], voters: list[JSON], tally: str) -> None:
    """The vote message, once the last edit is in, shows each person's last choice and every name."""
    last = dict(order)
    yes = sum(1 for choice in last.values() if choice == 0)
    expected = tally.format(yes=yes, no=len(last) - yes)
    names = [str(voters[person]["global_name"]) for person in last]
    missing = [name for name in names if name not in text]
    run.final_ok = expected in text and not missing
    shown = next((line for line in text.splitlines() if line.startswith("Yes")), "(no tally line)")
    run.final_note = f"shows {shown!r} (expected {expected!r}); voter names missing: {len(missing)}"


# ---- Touchstone ----------------------------------------------------------------------------------


async def touchstone(options: argparse.Namespace, capture: LogCapture) -> tuple[Run, float]:
    """The busy vote through discord.py and Touchstone. Returns the run and the set-up time."""
    run = Run("Touchstone")
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        settings = bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        app = await create_app(settings)
        app.dispatcher.live.min_interval = REFRESH_INTERVAL_S  # as a running bot does
        try:
            fake = WatchedFake(ack_timeout=ACK_TIMEOUT_S)
            async with fake:
                guild, channel, alice, voters = make_world(fake, options.people)
                adapter = DiscordAdapter(
                    app.dispatcher,
                    app.registry,
                    fake.token,
                    api_url=fake.api_url,
                    gateway_url=fake.gateway_url,
                    guild_id=int(guild["id"]),
                    guild_ready_timeout=0.05,  # only how long start() waits for more servers
                )
                await adapter.start()
                try:
                    started = time.perf_counter()
                    vote = await set_up_vote(fake, channel, alice, voters)
                    await app.dispatcher.settle()
                    await adapter.settle()
                    setup_s = time.perf_counter() - started
                    capture.records.clear()
                    calls_before, errors_before = len(fake.calls), len(fake.errors)
                    order = plan(len(voters), options.presses)
                    await fire(fake, channel, int(vote["id"]), voters, order, options.concurrency, run)
                    await app.dispatcher.settle()  # the live re-render
                    await adapter.settle()  # the coalesced edit that is still waiting
                    run.settle_s = time.perf_counter() - run.ended_at
                    finish(run, fake, channel, int(vote["id"]), calls_before, errors_before)
                    run.log_lines = list(capture.records)
                    final = fake.message(channel, vote["id"]) or {}
                    check_tally(run, str(final.get("content", "")), order, voters, "Yes: {yes}. No: {no}.")
                finally:
                    await adapter.stop()
        finally:
            await app.close()
    return run, setup_s


async def set_up_vote(fake: WatchedFake, channel: JSON, alice: JSON, voters: list[JSON]) -> JSON:
    """/setup by Alice, everyone joins with the welcome message's button, then Alice's /vote."""

    def bot_says(fragment: str) -> JSON | None:
        return next((m for m in fake.messages_in(channel) if fragment in m.get("content", "")), None)

    await fake.slash(channel, alice, "setup", {"name": GROUP_NAME})
    welcome = await fake.wait_until(lambda: bot_says("Done! This chat is now the group"), timeout=WAIT_S)
    joins = await asyncio.gather(
        *(fake.click_and_wait(channel, voter, int(welcome["id"]), "Lay partner") for voter in voters)
    )
    # A join is answered in the channel ("Welcome, …"), with nothing for the person alone (one message, not two).
    refused = [
        [f.text for f in fake.interaction(iid).followups]
        for iid, _done in joins
        if [f.text for f in fake.interaction(iid).followups if f.text]
    ]
    if refused:
        raise SystemExit(f"{len(refused)} people could not join, e.g. {refused[0]!r}")
    await fake.slash(channel, alice, "vote", {"question": QUESTION, "choices": "yes/no", "closes": "in 3 days"})
    vote: JSON = await fake.wait_until(lambda: bot_says(f": {QUESTION}"), timeout=WAIT_S)
    return vote


# ---- the bare bot --------------------------------------------------------------------------------


class Tally:
    """The bare bot's whole state: everyone's last choice, and an edit of the vote message at most once
    per interval (the newest tally wins), run in the background as Touchstone's live edits are."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.choices: dict[int, tuple[str, str]] = {}  # user id -> (name, label)
        self.message: discord.PartialMessage | None = None
        self._dirty = False
        self._task: asyncio.Task[None] | None = None
        self._last = 0.0

    def vote(self, user: discord.abc.User, label: str) -> None:
        self.choices[user.id] = (user.display_name, label)
        self._dirty = True
        if self._task is None:
            self._task = asyncio.create_task(self._edit_until_fresh())

    def text(self) -> str:
        labels = [label for _name, label in self.choices.values()]
        lines = [
            f"Vote 1: {QUESTION}",
            f"Yes {labels.count('Yes')}, No {labels.count('No')}.",
            f"{len(self.choices)} have voted: " + ", ".join(sorted(name for name, _ in self.choices.values())),
        ]
        return "\n".join(lines)

    async def _edit_until_fresh(self) -> None:
        try:
            while self._dirty:
                wait = self._last + self.interval - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty = False
                self._last = time.monotonic()
                assert self.message is not None
                try:
                    await self.message.edit(content=self.text(), view=bare_view())
                except discord.HTTPException:
                    logging.getLogger("bench.bare").exception("the vote message could not be edited")
        finally:
            self._task = None

    async def settle(self) -> None:
        while self._task is not None:
            await asyncio.shield(self._task)


class BareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bare:(?P<label>Yes|No)"):
    """Yes or No. A click: defer, note the vote (the coalesced edit of the vote message follows in the
    background, as Touchstone's live re-render does), then the ephemeral answer."""

    def __init__(self, label: str) -> None:
        super().__init__(discord.ui.Button(label=label, custom_id=f"bare:{label}"))
        self.label = label

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> BareButton:
        return cls(match["label"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        assert isinstance(client, BareClient)
        await interaction.response.defer()
        client.tally.vote(interaction.user, self.label)
        await interaction.followup.send(f"{TOAST}{self.label}.", ephemeral=True)


def bare_view() -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for label in LABELS:
        view.add_item(BareButton(label))
    view.stop()  # only its components are sent; clicks come back through BareButton
    return view


class BareClient(discord.Client):
    def __init__(self, tally: Tally, **options: Any) -> None:
        super().__init__(**options)
        self.tally = tally
        self.ready = asyncio.Event()

    async def setup_hook(self) -> None:
        self.add_dynamic_items(BareButton)

    async def on_ready(self) -> None:
        self.ready.set()


async def bare(options: argparse.Namespace, capture: LogCapture) -> Run:
    """The same clicks against a plain discord.py bot doing the same Discord work."""
    run = Run("bare discord.py")
    fake = WatchedFake(ack_timeout=ACK_TIMEOUT_S)
    async with fake:
        _guild, channel, _alice, voters = make_world(fake, options.people)
        Route.BASE = fake.api_url  # as the adapter does it
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        intents = discord.Intents.none()
        intents.guilds = intents.guild_messages = intents.dm_messages = True  # the adapter's intents
        tally = Tally(EDIT_INTERVAL_S)
        client = BareClient(
            tally,
            intents=intents,
            max_messages=None,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            guild_ready_timeout=0.05,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        await client.login(fake.token)
        connection = asyncio.create_task(client.connect(reconnect=True))
        try:
            await asyncio.wait_for(client.ready.wait(), WAIT_S)
            general = client.get_partial_messageable(int(channel["id"]))
            sent = await general.send(f"Vote 1: {QUESTION}\nNo votes yet.", view=bare_view())
            tally.message = general.get_partial_message(sent.id)
            capture.records.clear()
            calls_before, errors_before = len(fake.calls), len(fake.errors)
            order = plan(len(voters), options.presses)
            await fire(fake, channel, sent.id, voters, order, options.concurrency, run)
            await tally.settle()
            run.settle_s = time.perf_counter() - run.ended_at
            finish(run, fake, channel, sent.id, calls_before, errors_before)
            run.log_lines = list(capture.records)
            final = fake.message(channel, sent.id) or {}
            check_tally(run, str(final.get("content", "")), order, voters, "Yes {yes}, No {no}.")
        finally:
            await client.close()
            await connection
    return run


# ---- reporting -----------------------------------------------------------------------------------


def report(run: Run) -> None:
    ack = run.figures(run.ack_ms)
    whole = run.figures(run.click_to_followup_ms)
    print(f"\n{run.name}: {len(run.outcomes)} clicks in {run.total_s:.2f} s (first click → last click done)")
    print(f"  throughput   {run.per_s:.0f} interactions/s ({run.completed} completed)")
    print(
        f"  interaction → acknowledgement   p50 {ack['p50']:.0f} ms   p90 {ack['p90']:.0f} ms   "
        f"p99 {ack['p99']:.0f} ms   max {ack['max']:.0f} ms"
    )
    print(
        f"  click → ephemeral follow-up     p50 {whole['p50']:.0f} ms   p90 {whole['p90']:.0f} ms   "
        f"p99 {whole['p99']:.0f} ms   max {whole['max']:.0f} ms"
    )
    kinds = ("late", "unacknowledged", "refused", "no follow-up", "wrong answer")
    print(
        f"  failures   {run.failures} (acknowledged too late, refused with 10062: {run.count('late')}; "
        + "; ".join(f"{kind}: {run.count(kind)}" for kind in kinds[1:])
        + ")"
    )
    pauses = run.gc_pauses_ms
    print(
        f"  full garbage collections while clicking   {len(pauses)}"
        + (f", longest {max(pauses):.0f} ms, {sum(pauses):.0f} ms in all" if pauses else "")
    )
    print(f"  edits of the vote message   {run.edits} (settled {run.settle_s:.2f} s after the last click was done)")
    print(f"  final message   {'correct' if run.final_ok else 'WRONG'}: {run.final_note}")
    print(f"  Discord API errors   {len(run.api_errors)}" + (f", e.g. {run.api_errors[0]}" if run.api_errors else ""))
    print(f"  warnings/errors logged   {len(run.log_lines)}" + (f", e.g. {run.log_lines[0]}" if run.log_lines else ""))


async def bench(options: argparse.Namespace, capture: LogCapture) -> tuple[Run, Run, float]:
    ours, setup_s = await touchstone(options, capture)
    theirs = await bare(options, capture)
    return ours, theirs, setup_s


def rounded(value: float, digits: int) -> float | None:
    """For the JSON line: null rather than NaN (which is not JSON) when nothing was measured."""
    return None if math.isnan(value) else round(value, digits)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=50, help="people voting (default 50)")
    parser.add_argument("--presses", type=int, default=2000, help="clicks in all (default 2000)")
    parser.add_argument("--concurrency", type=int, default=50, help="clicks outstanding at once (default 50)")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 200 clicks")
    options = parser.parse_args(argv)
    if options.quick:
        options.presses = min(options.presses, 200)
    if options.people < 1 or options.presses < 1 or options.concurrency < 1:
        parser.error("--people, --presses and --concurrency must be at least 1")

    logging.getLogger("discord").setLevel(logging.ERROR)  # no PyNaCl/davey voice warnings
    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    ours, theirs, setup_s = asyncio.run(bench(options, capture))

    clickers = min(options.concurrency, options.people)
    print(f"Discord benchmark: {options.presses} clicks from {options.people} people on a non-anonymous")
    print("vote whose live message lists who has voted, against a loopback fake of Discord's gateway and REST API.")
    print(f"{clickers} clickers at once; each clicks again once its click is acknowledged and followed up.")
    print(f"Touchstone set-up (/setup, {options.people} joins, /vote): {setup_s:.1f} s.")
    print(f"Both bots edit the vote message at most once per {EDIT_INTERVAL_S:g} s (the adapter's default).")
    report(ours)
    report(theirs)
    ratio = ours.per_s / theirs.per_s if theirs.per_s else math.nan
    ack_p99 = ours.figures(ours.ack_ms)["p99"]
    met = ack_p99 <= TARGET_ACK_P99_MS and not ours.failures
    print(f"\nratio {ratio:.2f} (Touchstone / bare discord.py)")
    print(f"ack p99 {ack_p99:.0f} ms (target ≤ {TARGET_ACK_P99_MS:,.0f} ms, no failures: {'met' if met else 'MISSED'})")
    figures = {
        "interactions_per_s": rounded(ours.per_s, 1),
        "bare_interactions_per_s": rounded(theirs.per_s, 1),
        "ratio": rounded(ratio, 2),
        "ack_p99_ms": rounded(ack_p99, 1),
        "ack_p50_ms": rounded(ours.figures(ours.ack_ms)["p50"], 1),
        "bare_ack_p99_ms": rounded(theirs.figures(theirs.ack_ms)["p99"], 1),
        "failures": ours.failures,
        "bare_failures": theirs.failures,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
