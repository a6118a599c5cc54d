"""Nothing twice, nothing lost, nothing leaked: faults found when voting was attacked, each written as it
was met. (Redelivery and crashes are in tests/test_crashes.py, as real processes.)"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.types import ButtonPress, CommandCall
from storage.voting import Ballot, VoteOption
from tests.helpers import snapshot


async def start_vote(group: ConsoleAdapter, line: str) -> int:
    said = await group.say("Alice", line)
    started = [m for m in said.messages if m.text.startswith("Vote ")]
    assert started, said.text
    return int(started[0].text.split(":")[0].removeprefix("Vote "))


async def option(app: App, vote_id: int, label: str) -> int:
    async with app.database.unit_of_work() as session:
        return int(
            (
                await session.execute(
                    select(VoteOption.id).where(VoteOption.vote_id == vote_id, VoteOption.label == label)
                )
            ).scalar_one()
        )


async def ballot_rows(app: App) -> list[tuple[int, str]]:
    async with app.database.unit_of_work() as session:
        return [(b.person_id, b.choices) for b in (await session.execute(select(Ballot))).scalars()]


# ---- 1. a redelivered update has one effect --------------------------------------------------------------


async def test_a_command_and_a_press_delivered_twice_have_one_effect_each(group: ConsoleAdapter, app: App) -> None:
    alice, bob = group.user("Alice"), group.user("Bob")
    vote = CommandCall("vote", "Meet monthly? | yes/no", alice, group.group_chat, origin="telegram:1:500")
    assert (await app.dispatcher.handle(vote)).error_id is None
    repeat = await app.dispatcher.handle(vote)
    assert repeat.replies == [] and repeat.toast is None
    assert len([m for m in group.group_messages() if m.text.startswith("Vote ")]) == 1
    yes = await option(app, 1, "Yes")
    press = ButtonPress("ballot", f"1.{yes}", bob, group.group_chat, origin="telegram:1:501")
    first = await app.dispatcher.handle(press)
    again = await app.dispatcher.handle(press)
    assert first.toast == "Your vote is in: Yes." and again.toast is None
    assert [choices for _person, choices in await ballot_rows(app)] == [str(yes)]


async def test_a_repeated_press_in_a_busy_batch_has_no_second_effect(group: ConsoleAdapter, app: App) -> None:
    import asyncio

    await start_vote(group, "/vote Priorities | pick 2: Transport, Housing, Carers")
    transport = await option(app, 1, "Transport")
    presses = [
        ButtonPress("ballot", f"1.{transport}", group.user(name), group.group_chat, origin=f"telegram:1:{n}")
        for n, name in enumerate(["Alice", "Bob", "Carol"])
    ]
    await asyncio.gather(*(app.dispatcher.handle(p) for p in presses))
    await asyncio.gather(*(app.dispatcher.handle(p) for p in presses))  # all three again: a toggle would undo them
    assert sorted(choices for _p, choices in await ballot_rows(app)) == [str(transport)] * 3


async def test_each_member_seen_joining_in_one_update_is_added(group: ConsoleAdapter, app: App) -> None:
    from bot.types import MemberJoined

    for name in ("Dan", "Eve"):
        await app.dispatcher.handle(
            MemberJoined(group.user(name), group.group_chat, origin=f"telegram:1:900:{name.lower()}")
        )
    members = (await group.say("Alice", "/members")).text
    assert "Dan, not chosen yet." in members and "Eve, not chosen yet." in members


# ---- 3. a forged unrank ------------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["/vote Meet? | yes/no", "/vote P? | pick 2: A, B, C", "/vote L? | A, B | | lay only"])
async def test_a_forged_unrank_on_a_vote_that_is_not_ranked_changes_nothing(
    group: ConsoleAdapter, app: App, line: str
) -> None:
    vote_id = await start_vote(group, line)
    label = "Yes" if "yes/no" in line else "A"
    await group.press("Bob", label)
    before = await snapshot(app.database)
    said = await group.press_data("Bob", "unrank", str(vote_id))
    assert said.text == "That button no longer works. Type /votes to see the open votes."
    assert await snapshot(app.database) == before


# ---- 4. big numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/results 9223372036854775808", "There is no vote 9223372036854775808."),
        ("/closevote 99999999999", "There is no vote 99999999999."),
        ("/notvoted 2147483648", "There is no vote 2147483648."),
        ("/results ٣", "“٣” is not a whole number."),
        ("/results １", "“１” is not a whole number."),
        ("/results 1_000", "“1_000” is not a whole number."),
        ("/vote Q? | yes/no | | quorum 2147483648", "A quorum can be at most"),
    ],
)
async def test_big_and_strange_numbers_get_a_plain_refusal(
    group: ConsoleAdapter, app: App, line: str, expected: str
) -> None:
    before = await snapshot(app.database)
    said = await group.say("Alice", line)
    assert said.error_id is None, f"{line} got the apology"
    assert expected in said.text
    assert await snapshot(app.database) == before


async def test_a_button_payload_bigger_than_the_database_holds_is_refused_kindly(
    group: ConsoleAdapter, app: App
) -> None:
    await start_vote(group, "/vote Meet? | yes/no")
    for payload in ("2147483648.1", "1.2147483648", "99999999999.99999999999"):
        said = await group.press_data("Bob", "ballot", payload)
        assert said.error_id is None
        assert said.text == "That button no longer works. Type /votes to see the open votes."


# ---- 5. typed answers are cleaned like command arguments -----------------------------------------------------


async def test_an_answer_to_a_guided_step_is_cleaned_before_it_is_stored(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Where shall we meet?")
    await group.press("Alice", "Pick one")
    said = await group.say("Alice", "Libr\x00ary\u202e, Town\x07 hall")
    assert said.error_id is None
    async with app.database.unit_of_work() as session:
        labels = list((await session.execute(select(VoteOption.label).order_by(VoteOption.id))).scalars())
    assert labels[-2:] == ["Library", "Town hall"]


# ---- 6. logs never tie an anonymous voter to a choice ---------------------------------------------------------


async def test_a_failing_press_is_logged_without_its_payload(
    group: ConsoleAdapter, app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await start_vote(group, "/vote Meet? | yes/no | | anonymous")
    yes = await option(app, 1, "Yes")
    from commands.voting import handlers

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(handlers.store, "lock_ballot", broken)
    monkeypatch.setattr(handlers.store, "lock_ballots", broken)
    with caplog.at_level(logging.ERROR):
        said = await group.press_data("Carol", "ballot", f"1.{yes}")
    assert said.error_id is not None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ballot" in logged and said.error_id in logged
    assert f"1.{yes}" not in logged and str(yes) not in logged.split("ballot", 1)[1].split("\n", 1)[0]


# ---- 8. reminders in an anonymous vote name nobody to the group ------------------------------------------------
# (Telegram and Discord hints: tests/test_telegram.py and tests/test_discord.py.)


# ---- 10. no ballot row without a choice ------------------------------------------------------------------------


async def test_unranking_with_no_ranking_leaves_no_empty_ballot(group: ConsoleAdapter, app: App) -> None:
    vote_id = await start_vote(group, "/vote Where? | ranked: Library, Town hall")
    said = await group.press_data("Bob", "unrank", str(vote_id))
    assert said.toast == "You haven't ranked anything yet. Press the choices, first choice first."
    assert await ballot_rows(app) == []


async def test_taking_back_every_choice_leaves_no_empty_ballot(group: ConsoleAdapter, app: App) -> None:
    await start_vote(group, "/vote P? | pick 2: A, B, C")
    await group.press("Bob", "A")
    await group.press("Bob", "A")
    assert await ballot_rows(app) == []


async def test_a_reason_typed_with_control_characters_is_stored_clean(group: ConsoleAdapter, app: App) -> None:
    await start_vote(group, "/vote Adopt? | consensus")
    await group.press("Bob", "Disagree")
    await group.say("Bob", "Too\x00 small\u202e print")
    async with app.database.unit_of_work() as session:
        reason = (await session.execute(select(Ballot.reason))).scalar_one()
    assert reason == "Too small print"


async def test_a_press_redelivered_while_its_first_copy_waits_in_a_batch_has_one_effect(
    group: ConsoleAdapter, app: App
) -> None:
    import asyncio
    import dataclasses

    await start_vote(group, "/vote Priorities | pick 2: Transport, Housing, Carers")
    transport = await option(app, 1, "Transport")
    presses = [
        ButtonPress("ballot", f"1.{transport}", group.user(name), group.group_chat, origin=f"telegram:1:{n}")
        for n, name in enumerate(["Alice", "Bob", "Carol"])
    ]
    # A platform re-sends Bob's press while the first copy still queues: both arrive in one batch.
    again = dataclasses.replace(presses[1])  # the same update, parsed again
    outcomes = await asyncio.gather(*(app.dispatcher.handle(p) for p in [*presses, again]))
    assert sorted(choices for _p, choices in await ballot_rows(app)) == [str(transport)] * 3
    assert outcomes[3].toast is None and outcomes[3].replies == []
