"""Votes members can trust: forged or stale presses change nothing, fast tapping cannot break a
limit, and deadlines and reminders survive a restart, happening exactly once."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.app import App, create_app
from bot.batching import Batch, BatchResult
from bot.clock import ManualClock
from bot.config import Settings
from bot.types import ButtonPress, ChatKind, ChatRef, CommandCall, Outcome
from commands.voting import rules
from storage import voting as store
from storage.outbox import OutboxMessage
from storage.voting import Ballot, BallotChange, Vote, VoteOption
from tests.helpers import snapshot

FRIDAY_5PM_UTC = datetime(2026, 11, 6, 17, 0, tzinfo=UTC)  # the clock starts Monday 2 November, 9am


async def option_ids(app: App, vote_id: int) -> dict[str, int]:
    async with app.database.unit_of_work() as session:
        return {o.label: o.id for o in await store.options(session, vote_id)}


async def stored_choices(app: App, vote_id: int) -> dict[str, tuple[str, ...]]:
    """Each voter's current choices by label (empty ballots left out)."""
    labels = {v: k for k, v in (await option_ids(app, vote_id)).items()}
    async with app.database.unit_of_work() as session:
        rows = await store.ballots(session, vote_id)
    return {row.name: tuple(labels[o] for o in row.choices) for row in rows}


async def start_vote(group: ConsoleAdapter, line: str) -> int:
    said = await group.say("Alice", line)
    started = [m for m in said.messages if m.text.startswith("Vote ")]
    assert started, said.text
    return int(started[0].text.split(":")[0].removeprefix("Vote "))


# ---- forged and stale presses -------------------------------------------------------------------


async def test_a_press_on_a_closed_vote_is_refused_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    yes = (await option_ids(app, vote_id))["Yes"]
    await group.say("Alice", f"/closevote {vote_id}")
    before = await snapshot(app.database)
    said = await group.press_data("Bob", "ballot", f"{vote_id}.{yes}")
    assert said.text == f"Vote {vote_id} has closed, so it can't be changed. Type /results {vote_id} to see the result."
    assert await snapshot(app.database) == before


async def test_a_press_after_the_deadline_is_refused_even_before_the_vote_is_closed(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    clock.set(FRIDAY_5PM_UTC + timedelta(minutes=1))  # the close job has not run yet
    before = await snapshot(app.database)
    said = await group.press("Bob", "Yes")
    assert said.text == f"Vote {vote_id} has closed, so it can't be changed. Type /results {vote_id} to see the result."
    assert await snapshot(app.database) == before


async def test_a_choice_from_another_vote_is_refused_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    first = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    second = await start_vote(group, "/vote Lunch? | Tea, Coffee | Friday 5pm")
    tea = (await option_ids(app, second))["Tea"]
    before = await snapshot(app.database)
    said = await group.press_data("Bob", "ballot", f"{first}.{tea}")
    assert said.text == f"That choice isn't part of vote {first}."
    assert await snapshot(app.database) == before


async def test_a_vote_of_another_group_cannot_be_answered_from_this_group(group: ConsoleAdapter, app: App) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    yes = (await option_ids(app, vote_id))["Yes"]
    other_chat = ChatRef("console", "other-group", ChatKind.GROUP, "Hillside Forum")
    dan = group.user("Dan")
    await app.dispatcher.handle(CommandCall("setup", "Hillside Forum", dan, other_chat))
    before = await snapshot(app.database)
    for name in ("Dan", "Bob"):  # Dan belongs only to the other group; Bob only to this one
        said = await group.press_data(name, "ballot", f"{vote_id}.{yes}", chat=other_chat)
        assert said.text == f"Vote {vote_id} belongs to another group."
    assert await snapshot(app.database) == before


async def test_someone_who_is_not_a_member_cannot_vote(group: ConsoleAdapter, app: App) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await group.say("Mallory", "/help")  # Mallory has an account now, but is not a member
    before = await snapshot(app.database)
    said = await group.press("Mallory", "Yes")
    assert said.text == "Only members can vote. Type /join to become a member."
    assert await snapshot(app.database) == before


async def test_someone_who_joined_after_the_vote_opened_is_told_kindly(group: ConsoleAdapter, app: App) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    before = await snapshot(app.database)
    said = await group.press("Dan", "Yes")
    assert said.text == "You joined after this vote started, so you can't vote in it. You can vote in the next one."
    assert await snapshot(app.database) == before


@pytest.mark.parametrize("payload", ["", "1", "1.2.3", "x.y", "-1.2", "1.-2", "99999999999999.1", "1.1\n", "١.٢"])
async def test_malformed_ballot_payloads_are_refused_and_change_nothing(
    group: ConsoleAdapter, app: App, payload: str
) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    before = await snapshot(app.database)
    said = await group.press_data("Bob", "ballot", payload)
    assert said.error_id is None
    assert said.text in (
        "That button no longer works. Type /votes to see the open votes.",
        "There is no vote 99999999999999. Type /votes to see the open votes.",
    )
    assert await snapshot(app.database) == before


async def test_an_anonymous_vote_reveals_no_names_through_any_button_or_command(
    group: ConsoleAdapter, app: App
) -> None:
    first_message = len(group.messages)
    vote_id = await start_vote(group, "/vote Secret ballot? | yes/no | Friday 5pm | anonymous")
    await group.press("Bob", "No")
    await group.press("Carol", "Yes")
    seen = [
        await group.press_data("Alice", "notvoted", str(vote_id)),
        await group.press_data("Alice", "showvote", str(vote_id)),
        await group.say("Alice", f"/notvoted {vote_id}"),
        await group.say("Alice", f"/results {vote_id}"),
        await group.say("Alice", "/votes"),
    ]
    await group.say("Alice", f"/closevote {vote_id}")
    seen.append(await group.say("Bob", f"/results {vote_id}"))
    for said in seen:
        for message in said.messages:
            assert "Bob" not in message.text and "Carol" not in message.text, message.text
    since_the_vote = list(group.messages.values())[first_message:]
    assert since_the_vote and all("Bob" not in m.text and "Carol" not in m.text for m in since_the_vote)
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(func.count()).select_from(BallotChange))).scalar_one() == 0


# ---- fast tapping -------------------------------------------------------------------------------------


async def test_fifty_concurrent_presses_by_five_people_equal_a_serial_replay(chat: ConsoleAdapter, app: App) -> None:
    """5 people press 10 times each, all at once, on a 'pick up to 2' vote. Whatever order the
    presses were applied in, each person's stored history must be a serial replay of their presses."""
    names = ["Alice", "Bob", "Carol", "Dan", "Erin"]
    await chat.say("Alice", "/setup Riverside Lay Partners")
    for name in names:
        await chat.press(name, "Lay partner")
    vote_id = await start_vote(chat, "/vote Priorities | pick 2: Transport, Housing, Carers, Money | Friday 5pm")
    options = await option_ids(app, vote_id)
    rng = random.Random(20261122)
    presses = [(name, rng.choice(list(options))) for name in names for _ in range(10)]
    rng.shuffle(presses)

    async def press(name: str, label: str) -> None:
        event = ButtonPress("ballot", f"{vote_id}.{options[label]}", chat.user(name), chat.group_chat)
        outcome = await app.dispatcher.handle(event)
        assert outcome.error_id is None

    await asyncio.gather(*(press(name, label) for name, label in presses))

    async with app.database.unit_of_work() as session:
        ballots = {
            b.person_id: b for b in (await session.execute(select(Ballot).where(Ballot.vote_id == vote_id))).scalars()
        }
        changes = (await session.execute(select(BallotChange).order_by(BallotChange.id))).scalars().all()
        people = {row.person_id: row.name for row in await store.ballots(session, vote_id)}
    assert len(ballots) <= 5  # one row per person, by the unique constraint
    by_id = {v: k for k, v in options.items()}
    for person_id, ballot in ballots.items():
        name = people.get(person_id)
        if name is None:
            continue
        # Every state this person's ballot went through, oldest first; the last is the current one.
        chain = [store.decode(c.choices) for c in changes if c.person_id == person_id]
        assert chain[-1] == store.decode(ballot.choices)
        pending = [options[label] for who, label in presses if who == name]
        state: tuple[int, ...] = ()
        for target in chain:
            # Some press, applied to `state`, must give `target`; refused presses (limit) leave it.
            step = next((o for o in pending if _try(state, o) == target), None)
            assert step is not None, f"{name}: {state} → {target} is no single press"
            pending.remove(step)
            state = target
        assert len(state) <= 2
        # A press that changed nothing was refused: it asked for a third choice while two were held.
        full_states = [s for s in chain if len(s) == 2]
        assert all(any(o not in s for s in full_states) for o in pending), f"{name}: {pending} unexplained"
        assert {by_id[o] for o in state} <= set(options)


def _try(state: tuple[int, ...], option: int) -> tuple[int, ...] | None:
    try:
        return rules.press(rules.VoteKind.PICK_MANY, 2, state, option)
    except rules.LimitReached:
        return None


# ---- deadlines, reminders and restarts -----------------------------------------------------------------


async def restart(app: App, settings: Settings, clock: ManualClock) -> tuple[App, ConsoleAdapter]:
    """Stop the bot and start it again on the same database."""
    await app.close()
    again = await create_app(settings, clock=clock)
    return again, ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")


async def test_the_vote_closes_at_its_deadline_once_and_posts_the_result(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await group.press("Bob", "Yes")
    clock.set(FRIDAY_5PM_UTC)
    assert await app.scheduler.run_due() >= 1
    results = [m for m in group.group_messages() if m.text.startswith(f"Result of vote {vote_id}")]
    assert len(results) == 1
    assert "1 of 3 people voted (33%)." in results[0].text
    assert "The proposal was agreed." in results[0].text
    vote_message = next(m for m in group.group_messages() if m.text.startswith(f"Vote {vote_id}:"))
    assert vote_message.buttons == () and "This vote has closed." in vote_message.text
    assert await app.scheduler.run_due() == 0
    assert len([m for m in group.group_messages() if m.text.startswith("Result of")]) == 1


async def test_non_voters_get_one_reminder_a_day_before_the_deadline(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await group.press("Bob", "Yes")
    clock.set(FRIDAY_5PM_UTC - timedelta(hours=24))
    await app.scheduler.run_due()
    await app.scheduler.run_due()
    assert group.inbox("Bob") == []
    carol = group.inbox("Carol")
    assert len(carol) == 1
    assert carol[0].text.startswith("Hello Carol. A kind reminder: the group is voting on “Meet monthly?”")
    assert "Thursday 5 November" not in carol[0].text and "Friday 6 November, 5pm" in carol[0].text
    assert "late" not in carol[0].text
    assert carol[0].labels[:3] == ["Yes", "No", "Abstain"]
    assert len(group.inbox("Alice")) == 1


async def test_a_deadline_and_reminder_survive_a_restart_and_old_buttons_still_work(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    old_button = next(m for m in group.group_messages() if m.text.startswith("Vote ")).buttons[0][0]
    app, chat = await restart(app, settings, clock)
    try:
        pressed = await chat.press_data("Bob", old_button.action, old_button.payload)
        assert pressed.toast == "Your vote is in: Yes."
        clock.set(FRIDAY_5PM_UTC - timedelta(hours=24))
        await app.scheduler.run_due()
        assert [m.text.split(".")[0] for m in chat.inbox("Carol")] == ["Hello Carol"]
        assert chat.inbox("Bob") == []
        clock.set(FRIDAY_5PM_UTC)
        await app.scheduler.run_due()
        assert len([m for m in chat.group_messages() if m.text.startswith(f"Result of vote {vote_id}")]) == 1
    finally:
        await app.close()


async def test_a_deadline_that_passed_while_the_bot_was_down_closes_the_vote_at_start_up_once(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await app.close()
    clock.set(FRIDAY_5PM_UTC + timedelta(days=2))  # the bot was down over the deadline
    for _ in range(2):  # two restarts: still one close, one result
        again = await create_app(settings, clock=clock)
        chat = ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")
        with caplog.at_level(logging.WARNING, logger="touchstone.voting"):
            await again.scheduler.run_due()
        results = [m for m in chat.group_messages() if m.text.startswith(f"Result of vote {vote_id}")]
        await again.close()
        if _ == 0:
            assert len(results) == 1
            assert chat.inbox("Carol") == []  # the reminder is no use after the close: logged as missed
        else:
            assert results == []
    assert "missed the reminder" in caplog.text


async def test_a_reminder_that_is_late_but_still_useful_says_so(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await app.close()
    clock.set(FRIDAY_5PM_UTC - timedelta(hours=3))  # down over the reminder time, back before the close
    again = await create_app(settings, clock=clock)
    try:
        chat = ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")
        await again.scheduler.run_due()
        (reminder,) = chat.inbox("Bob")
        assert "Sorry this reminder is late: the bot was offline for a while." in reminder.text
    finally:
        await again.close()


async def test_start_up_schedules_every_job_from_the_database_with_stable_ids(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await app.close()
    again = await create_app(settings, clock=clock)
    try:
        await again.scheduler.lead(paused=True)
        scheduled = again.scheduler.scheduled()
        assert scheduled == {
            f"vote:{vote_id}:close": FRIDAY_5PM_UTC,
            f"vote:{vote_id}:remind": FRIDAY_5PM_UTC - timedelta(hours=24),
        }
        await again.scheduler.rebuild()  # rebuilding replaces, never duplicates
        assert len(again.scheduler.scheduled()) == 2
    finally:
        await again.close()


async def test_extending_a_vote_moves_its_jobs(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await app.scheduler.lead(paused=True)
    said = await group.say("Alice", f"/extend {vote_id} Monday 5pm")
    assert f"Vote {vote_id} now closes on Monday 9 November, 5pm." in said.text.splitlines()
    monday = datetime(2026, 11, 9, 17, 0, tzinfo=UTC)
    assert app.scheduler.scheduled()[f"vote:{vote_id}:close"] == monday
    clock.set(FRIDAY_5PM_UTC + timedelta(minutes=1))
    await app.scheduler.run_due()
    assert not [m for m in group.group_messages() if m.text.startswith("Result of")]


async def test_a_scheduled_message_that_fails_to_send_stays_in_the_outbox(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    deliver = group.deliver

    async def offline(*_args: object) -> None:
        raise ConnectionError("network down")

    group.deliver = offline  # type: ignore[method-assign,assignment]
    clock.set(FRIDAY_5PM_UTC - timedelta(hours=24))
    await app.scheduler.run_due()
    async with app.database.unit_of_work() as session:
        unsent = (await session.execute(select(func.count()).where(OutboxMessage.sent_at.is_(None)))).scalar_one()
    assert unsent == 3
    group.deliver = deliver  # type: ignore[method-assign]
    assert await app.dispatcher.sender.flush() == 3
    assert len(group.inbox("Bob")) == 1
    assert await app.dispatcher.sender.flush() == 0


async def test_votes_and_options_are_stored_as_typed(group: ConsoleAdapter, app: App) -> None:
    vote_id = await start_vote(
        group, "/vote Lunch? | ranked: Tea, Coffee, Cake | 3/12 18:30 | quorum 60%, hide results"
    )
    async with app.database.unit_of_work() as session:
        vote = await session.get(Vote, vote_id)
        labels = (await session.execute(select(VoteOption.label).order_by(VoteOption.position))).scalars().all()
    assert vote is not None
    assert (vote.kind, vote.quorum_kind, vote.quorum_value, vote.hide_results) == ("ranked", "share", 60, True)
    assert vote.closes_at == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert labels == ["Tea", "Coffee", "Cake"]


async def test_only_one_process_runs_the_scheduler_on_postgresql(
    app: App, settings: Settings, clock: ManualClock
) -> None:
    if app.database.is_sqlite:
        pytest.skip("one process per SQLite file; PostgreSQL decides with an advisory lock")
    quick = settings.model_copy(update={"scheduler_poll_seconds": 0.1})
    other = await create_app(quick, clock=clock, migrate=False)  # a second bot process
    try:
        await app.coordinator.start()
        await other.coordinator.start()
        assert app.coordinator.leading and app.scheduler.running
        assert not other.coordinator.leading and not other.scheduler.running
        await app.coordinator.stop()  # the first process stops: the lock is released
        for _ in range(200):
            if other.coordinator.leading:
                break
            await asyncio.sleep(0.05)
        assert other.coordinator.leading and other.scheduler.running
    finally:
        await other.close()


async def test_someone_who_left_after_the_vote_opened_is_not_chased_for_it(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    await group.say("Carol", "/leave")
    said = await group.say("Alice", f"/notvoted {vote_id}")
    assert said.text.startswith(f"2 people haven't voted in vote {vote_id} yet: Alice and Bob.")
    clock.set(FRIDAY_5PM_UTC - timedelta(hours=24))
    await app.scheduler.run_due()
    assert group.inbox("Carol") == []
    assert len(group.inbox("Bob")) == 1


# ---- busy votes: presses applied in batches ---------------------------------------------------------


def count_batches(app: App) -> list[int]:
    """Wrap the ballot action's batch handler to record each batch's size."""
    sizes: list[int] = []
    action = app.registry.actions["ballot"]
    assert action.batch is not None
    inner = action.batch

    async def counted(batch: Batch) -> list[BatchResult | None]:
        sizes.append(len(batch.events))
        return await inner(batch)

    app.registry.actions["ballot"] = dataclasses.replace(action, batch=counted)
    return sizes


async def press_all(app: App, chat: ConsoleAdapter, presses: list[tuple[str, str]]) -> list[Outcome]:
    """Everyone presses at the same moment; returns each press's outcome, in order."""
    events = [ButtonPress("ballot", payload, chat.user(name), chat.group_chat) for name, payload in presses]
    outcomes = await asyncio.gather(*(app.dispatcher.handle(event) for event in events))
    await app.dispatcher.settle()
    return list(outcomes)


async def test_a_burst_of_presses_gets_the_same_answers_as_presses_one_at_a_time(
    group: ConsoleAdapter, app: App
) -> None:
    sizes = count_batches(app)
    vote_id = await start_vote(group, "/vote Priorities | pick 1: Transport, Housing | Friday 5pm")
    other = await start_vote(group, "/vote Lunch? | Tea, Coffee | Friday 5pm")
    options, tea = await option_ids(app, vote_id), (await option_ids(app, other))["Tea"]
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")  # joined after both votes opened
    await group.say("Mallory", "/help")  # known to the bot, but not a member
    transport, housing = f"{vote_id}.{options['Transport']}", f"{vote_id}.{options['Housing']}"
    outcomes = await press_all(
        app,
        group,
        [
            ("Bob", transport),
            ("Mallory", transport),
            ("Carol", f"{vote_id}.{tea}"),
            ("Dan", housing),
            ("Alice", housing),
            ("Bob", housing),
            ("Alice", transport),
            ("Alice", housing),
        ],
    )
    assert max(sizes) > 1, "the presses were not batched"
    limit = "You can choose up to 1. Press one of your choices again to take it back first."
    assert [o.toast for o in outcomes] == [
        "Your choices: Transport.",
        "Only members can vote. Type /join to become a member.",
        f"That choice isn't part of vote {vote_id}.",
        "You joined after this vote started, so you can't vote in it. You can vote in the next one.",
        "Your choices: Housing.",
        limit,
        limit,
        "You've taken back your vote.",
    ]
    assert all(o.error_id is None for o in outcomes)
    assert await stored_choices(app, vote_id) == {"Bob": ("Transport",)}
    live = next(m for m in group.group_messages() if m.text.startswith(f"Vote {vote_id}:"))
    assert "Transport: 1. Housing: 0." in live.text and "Voted: Bob." in live.text


async def test_consensus_presses_in_a_burst_still_ask_for_reasons(group: ConsoleAdapter, app: App) -> None:
    sizes = count_batches(app)
    vote_id = await start_vote(group, "/vote Adopt the leaflet? | consensus | Friday 5pm")
    options = await option_ids(app, vote_id)
    outcomes = await press_all(
        app, group, [("Bob", f"{vote_id}.{options['Block']}"), ("Carol", f"{vote_id}.{options['Agree']}")]
    )
    assert max(sizes) > 1
    # Block asks for a reason (a message of its own, so no toast beside it); Agree is confirmed by a toast.
    assert [o.toast for o in outcomes] == [None, "Your vote is in: Agree."]
    assert outcomes[0].replies[0].text.startswith("Please type a short reason for choosing Block.")
    await group.say("Bob", "It has no easy-read version")
    await group.say("Alice", f"/closevote {vote_id}")
    result = next(m for m in group.group_messages() if m.text.startswith(f"Result of vote {vote_id}"))
    assert "Bob blocked: It has no easy-read version." in result.text.splitlines()


async def test_if_a_batch_fails_each_press_is_applied_on_its_own(
    group: ConsoleAdapter, app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    vote_id = await start_vote(group, "/vote Meet monthly? | yes/no | Friday 5pm")
    options = await option_ids(app, vote_id)

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("bulk statement failed")

    monkeypatch.setattr(store, "lock_ballots", broken)
    with caplog.at_level(logging.ERROR, logger="touchstone.batching"):
        outcomes = await press_all(
            app, group, [("Bob", f"{vote_id}.{options['Yes']}"), ("Carol", f"{vote_id}.{options['No']}")]
        )
    assert [o.toast for o in outcomes] == ["Your vote is in: Yes.", "Your vote is in: No."]
    assert "trying them one by one" in caplog.text
    assert await stored_choices(app, vote_id) == {"Bob": ("Yes",), "Carol": ("No",)}
