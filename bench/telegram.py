"""A busy vote on Telegram: python-telegram-bot + Touchstone against a bare python-telegram-bot bot.

Both bots talk to a loopback fake of the Bot API (tests/fakes/telegram.py) in this process.

Touchstone: an admin sets the group up with /setup, 50 people join by pressing "Lay partner" on the
welcome message, and the admin opens a non-anonymous vote ("/vote Busy vote | yes/no | in 3 days")
whose live message lists who has voted. Then 2,000 presses from the 50 people (each alternating
Yes/No, so every press changes a ballot) are all queued in the fake at once, and the bot long-polls
them in batches of up to 100, as it would from Telegram. The adapter coalesces edits of the vote
message (one every EDIT_INTERVAL_S, as in production); the run waits for the last edit and checks
that the message shows every final ballot.

Bare bot: a plain python-telegram-bot Application against a fresh fake, with one
CallbackQueryHandler that answers each press and then edits the message (to a counter); the same
2,000 presses from 50 people on one message.

Both Applications process updates the same way: the bare bot gets an update processor of the same
kind and size as the adapter's (the adapter handles different people's updates concurrently, one
person's in order; python-telegram-bot's default is one update at a time). For reference, the bare
bot is also run with that default, which suits it better here: everything shares one CPU-bound
process, and httpx's connection pool costs more the more requests are in flight.

Latency is per press, from the moment the fake queued the update to the moment the fake received
answerCallbackQuery for it. Throughput is presses / (first queued → last answered).

Prints the figures, then one JSON line:
{"updates_per_s": …, "bare_updates_per_s": …, "ratio": …, "p99_ms": …}

    make bench      or    .venv/bin/python bench/telegram.py [--people N] [--presses N]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called telegram.py: its folder (first on sys.path when run as a script) must not
# shadow python-telegram-bot. The repository root is needed for tests.fakes.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

from common import LogCapture, bench_settings, plan, spread  # noqa: E402
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
)

from adapters.telegram import EDIT_INTERVAL_S, TelegramAdapter  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.live import REFRESH_INTERVAL_S  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

JSON = dict[str, Any]
GROUP_NAME = "Bench Lay Partners"
QUESTION = "Busy vote"
TARGET_RATIO = 0.6
WAIT_S = 90.0  # the longest any step may take before the run gives up


@dataclass
class Run:
    """One bot's presses and how they went."""

    name: str
    queued_at: dict[str, float] = field(default_factory=dict)  # query id -> perf_counter when queued
    answered_at: dict[str, float] = field(default_factory=dict)
    answer_texts: list[str | None] = field(default_factory=list)
    expected_answer: str = ""
    edits: int = 0  # editMessageText calls made while pressing and until the last edit
    not_modified: int = 0  # edits Telegram refused as "message is not modified" (not an error)
    api_errors: list[str] = field(default_factory=list)
    log_lines: list[str] = field(default_factory=list)
    final_ok: bool = True
    final_note: str = ""
    settle_s: float = 0.0  # from the last answer to the last edit

    @property
    def latencies_ms(self) -> list[float]:
        return sorted((self.answered_at[q] - t) * 1000 for q, t in self.queued_at.items() if q in self.answered_at)

    @property
    def total_s(self) -> float:
        return max(self.answered_at.values()) - min(self.queued_at.values())

    @property
    def per_s(self) -> float:
        return len(self.queued_at) / self.total_s

    @property
    def unexpected_answers(self) -> int:
        return sum(1 for text in self.answer_texts if not (text or "").startswith(self.expected_answer))

    def summary(self) -> dict[str, float]:
        return {f"{name}_ms": value for name, value in spread(self.latencies_ms).items()}


async def fire(fake: FakeTelegram, chat: JSON, message_id: int, presses: list[tuple[JSON, str]], run: Run) -> None:
    """Queue every press in the fake (each an update for getUpdates), then wait for every answer.

    The presses are queued in order within one turn of the event loop (fake.press queues its update
    before it first yields), so the bot finds them all waiting, as after a burst on Telegram."""

    async def press(user: JSON, data: str) -> tuple[str, float]:
        queued = time.perf_counter()
        return await fake.press(chat, user, message_id, data), queued

    for query_id, queued in await asyncio.gather(*(press(user, data) for user, data in presses)):
        run.queued_at[query_id] = queued
    await fake.wait_until(lambda: all(q in fake.answered_at for q in run.queued_at), timeout=WAIT_S, interval=0.05)
    run.answered_at = {q: fake.answered_at[q] for q in run.queued_at}
    run.answer_texts = [fake.answers[q]["text"] for q in run.queued_at]


def button_data(message: JSON, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise LookupError(label)


# ---- Touchstone ----------------------------------------------------------------------------------


async def touchstone(people: int, presses: int, capture: LogCapture) -> tuple[Run, BaseUpdateProcessor, float]:
    """The busy vote through python-telegram-bot and Touchstone. Returns the run, the adapter's update
    processor and the set-up time."""
    run = Run("Touchstone", expected_answer="Your vote is in: ")
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        settings = bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        app = await create_app(settings)
        app.dispatcher.live.min_interval = REFRESH_INTERVAL_S  # as a running bot does
        try:
            async with FakeTelegram(can_read_all_group_messages=True) as fake:
                adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot")
                await adapter.start()
                try:
                    started = time.perf_counter()
                    chat, voters, vote = await set_up_vote(fake, people)
                    await app.dispatcher.settle()
                    await adapter.settle()
                    setup_s = time.perf_counter() - started
                    yes, no = button_data(vote, "Yes"), button_data(vote, "No")
                    capture.records.clear()
                    calls_before, errors_before = len(fake.calls), len(fake.errors)
                    order = plan(len(voters), presses)
                    await fire(fake, chat, vote["message_id"], [(voters[p], (yes, no)[c]) for p, c in order], run)
                    last_answer = max(run.answered_at.values())
                    await app.dispatcher.settle()  # the live re-render
                    await adapter.settle()  # the coalesced edit that is still waiting
                    run.settle_s = time.perf_counter() - last_answer
                    run.edits = fake.calls[calls_before:].count("editMessageText")
                    record_errors(run, fake.errors[errors_before:])
                    run.log_lines = list(capture.records)
                    final = fake.message(chat["id"], vote["message_id"])
                    check_tally(run, final, order, voters)
                finally:
                    await adapter.stop()
                processor = adapter.application.update_processor
        finally:
            await app.close()
    return run, processor, setup_s


async def set_up_vote(fake: FakeTelegram, people: int) -> tuple[JSON, list[JSON], JSON]:
    """/setup by the group's creator, everyone joins with the welcome message's button, then /vote."""
    chat = fake.group(GROUP_NAME)
    admin = fake.user("Alice Admin", username="alice_admin")
    fake.set_member(chat["id"], fake.bot_user, "administrator")
    fake.set_member(chat["id"], admin, "creator")
    fake.start_private(admin)
    voters = [fake.user(f"Voter {n:02d}") for n in range(1, people + 1)]
    for voter in voters:
        fake.set_member(chat["id"], voter, "member")

    def bot_says(fragment: str) -> JSON | None:
        return next((m for m in fake.messages_in(chat["id"]) if fragment in m.get("text", "")), None)

    await fake.send_text(chat, admin, f"/setup@{fake.username} {GROUP_NAME}")
    welcome = await fake.wait_until(lambda: bot_says("Done! This chat is now the group"), timeout=WAIT_S)
    joins = [await fake.press(chat, voter, welcome["message_id"], label="Lay partner") for voter in voters]
    await fake.wait_until(lambda: all(q in fake.answers for q in joins), timeout=WAIT_S)
    # A join is answered without a toast: the welcome posted in the group says it (one message, not two).
    refused = [fake.answers[q]["text"] for q in joins if fake.answers[q]["text"] is not None]
    if refused:
        raise SystemExit(f"{len(refused)} people could not join, e.g. {refused[0]!r}")
    await fake.send_text(chat, admin, f"/vote {QUESTION} | yes/no | in 3 days")
    vote: JSON = await fake.wait_until(lambda: bot_says(f": {QUESTION}"), timeout=WAIT_S)
    return chat, voters, vote


def record_errors(run: Run, errors: list[tuple[str, JSON]]) -> None:
    for method, error in errors:
        if "message is not modified" in error["description"]:
            run.not_modified += 1
        else:
            run.api_errors.append(f"{method}: {error['description']}")


def check_tally(run: Run, final: JSON | None, order: list[tuple[int, int]], voters: list[JSON]) -> None:
    """The vote message, once the last edit is in, shows each person's last choice and every name."""
    last = {person: choice for person, choice in order}
    yes = sum(1 for choice in last.values() if choice == 0)
    expected = f"Yes: {yes}. No: {len(last) - yes}."
    text = (final or {}).get("text", "")
    names = [f"{v['first_name']} {v['last_name']}" for v in voters]
    missing = [name for name in names if name not in text]
    run.final_ok = expected in text and not missing and f"{len(last)} of " in text
    tally = next((line for line in text.splitlines() if line.startswith("Yes:")), "(no tally line)")
    run.final_note = f"shows {tally!r} (expected {expected!r}); voter names missing: {len(missing)}"


# ---- the bare bot --------------------------------------------------------------------------------


async def bare(people: int, presses: int, like: BaseUpdateProcessor | None, capture: LogCapture) -> Run:
    """The same presses against a plain PTB bot that answers each press and edits the message, with an
    update processor like `like` (None: python-telegram-bot's default, one update at a time)."""
    concurrent = like is not None and like.max_concurrent_updates > 1
    how = f"{type(like).__name__}({like.max_concurrent_updates})" if like is not None and concurrent else "default"
    run = Run(f"bare PTB, {how}", expected_answer="Thanks")
    async with FakeTelegram(can_read_all_group_messages=True) as fake:
        chat = fake.group(GROUP_NAME)
        fake.set_member(chat["id"], fake.bot_user, "administrator")
        voters = [fake.user(f"Voter {n:02d}") for n in range(1, people + 1)]
        for voter in voters:
            fake.set_member(chat["id"], voter, "member")
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("Yes", callback_data="yes")], [InlineKeyboardButton("No", callback_data="no")]]
        )
        counted = {"yes": 0, "no": 0}

        async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            query = update.callback_query
            assert query is not None and query.data is not None
            await query.answer("Thanks, you pressed " + query.data)
            counted[query.data] += 1
            await query.edit_message_text(
                f"{QUESTION}: {counted['yes']} Yes presses, {counted['no']} No presses.", reply_markup=markup
            )

        builder = ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot")
        if like is not None and concurrent:
            builder = builder.concurrent_updates(type(like)(like.max_concurrent_updates))
        application: Application = builder.build()  # type: ignore[type-arg]
        application.add_handler(CallbackQueryHandler(on_press))
        await application.initialize()
        try:
            sent = await application.bot.send_message(chat["id"], f"{QUESTION}: no presses yet.", reply_markup=markup)
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            capture.records.clear()
            calls_before, errors_before = len(fake.calls), len(fake.errors)
            order = plan(len(voters), presses)
            await fire(fake, chat, sent.message_id, [(voters[p], ("yes", "no")[c]) for p, c in order], run)
            last_answer = max(run.answered_at.values())
            await fake.wait_until(lambda: sum(counted.values()) == presses, timeout=WAIT_S)
            await fake.wait_until(lambda: fake.calls[calls_before:].count("editMessageText") >= presses, timeout=WAIT_S)
            run.settle_s = time.perf_counter() - last_answer
            run.edits = fake.calls[calls_before:].count("editMessageText")
            record_errors(run, fake.errors[errors_before:])
            run.log_lines = list(capture.records)
            final = fake.message(chat["id"], sent.message_id) or {}
            yes = sum(1 for _person, choice in order if choice == 0)
            expected = f"{yes} Yes presses, {presses - yes} No presses"
            run.final_ok = expected in final.get("text", "")
            run.final_note = f"shows {final.get('text', '')!r}"
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
    return run


# ---- reporting -----------------------------------------------------------------------------------


def report(run: Run) -> None:
    figures = run.summary()
    print(f"\n{run.name}: {len(run.queued_at)} presses in {run.total_s:.2f} s (first queued → last answered)")
    print(f"  throughput   {run.per_s:.0f} presses/s")
    print(
        f"  press → answerCallbackQuery   p50 {figures['p50_ms']:.0f} ms   p90 {figures['p90_ms']:.0f} ms   "
        f"p99 {figures['p99_ms']:.0f} ms   max {figures['max_ms']:.0f} ms"
    )
    print(
        f"  editMessageText calls   {run.edits}, {run.not_modified} of them 'message is not modified' "
        f"(settled {run.settle_s:.2f} s after the last answer)"
    )
    print(f"  final message   {'correct' if run.final_ok else 'WRONG'}: {run.final_note}")
    print(f"  answers other than {run.expected_answer!r}…: {run.unexpected_answers}")
    print(f"  Bot API errors   {len(run.api_errors)}" + (f", e.g. {run.api_errors[0]}" if run.api_errors else ""))
    print(f"  warnings/errors logged   {len(run.log_lines)}" + (f", e.g. {run.log_lines[0]}" if run.log_lines else ""))


async def bench(options: argparse.Namespace, capture: LogCapture) -> tuple[Run, Run, Run | None, str, float]:
    ours, processor, setup_s = await touchstone(options.people, options.presses, capture)
    theirs = await bare(options.people, options.presses, processor, capture)
    concurrent = processor.max_concurrent_updates > 1
    reference = await bare(options.people, options.presses, None, capture) if concurrent else None
    if concurrent:
        setting = f"{type(processor).__name__}({processor.max_concurrent_updates}): up to that many updates at once"
    else:
        setting = "python-telegram-bot's default: one update at a time"
    return ours, theirs, reference, setting, setup_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50, help="people voting (default 50)")
    parser.add_argument("--presses", type=int, default=2000, help="presses in all (default 2000)")
    options = parser.parse_args()

    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    ours, theirs, reference, setting, setup_s = asyncio.run(bench(options, capture))

    print(f"Telegram benchmark: {options.presses} presses from {options.people} people on a non-anonymous")
    print("vote whose live message lists who has voted, all queued in a loopback fake of the Bot API.")
    print(f"Both bots' python-telegram-bot Applications use {setting}.")
    print(f"Touchstone set-up (/setup, {options.people} joins, /vote): {setup_s:.1f} s.")
    print(f"Touchstone coalesces edits of a message to one per {EDIT_INTERVAL_S:g} s (the production default).")
    report(ours)
    report(theirs)
    if reference is not None:
        report(reference)
    ratio = ours.per_s / theirs.per_s
    print(
        f"\nratio {ratio:.2f} (same setting; target ≥ {TARGET_RATIO}: {'met' if ratio >= TARGET_RATIO else 'MISSED'})"
    )
    if reference is not None:
        print(f"against the bare bot at python-telegram-bot's default: {ours.per_s / reference.per_s:.2f}")
    figures = {
        "updates_per_s": round(ours.per_s, 1),
        "bare_updates_per_s": round(theirs.per_s, 1),
        "ratio": round(ratio, 2),
        "p99_ms": round(ours.summary()["p99_ms"], 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
