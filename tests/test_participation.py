"""Taking part is counted by the participation feature from events other features raise: who, where,
when and what kind, never the words, and never for anonymous acts."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.types import ButtonPress
from storage.participation import Contribution
from storage.people import Person


async def taking_part(app: App) -> list[tuple[str, str, bool]]:
    """(name, kind, has a channel) for every contribution stored, in order."""
    async with app.database.unit_of_work() as session:
        rows = await session.execute(
            select(Person.display_name, Contribution.kind, Contribution.channel_id)
            .join(Person, Person.id == Contribution.person_id)
            .order_by(Contribution.id)
        )
        return [(name, kind, channel is not None) for name, kind, channel in rows.all()]


async def test_a_message_in_the_group_counts_as_taking_part_without_its_words(group: ConsoleAdapter, app: App) -> None:
    await group.say("Bob", "I think the leaflet is too long")
    assert await taking_part(app) == [("Bob", "message", True)]
    async with app.database.unit_of_work() as session:
        for row in (await session.execute(select(Contribution))).scalars():
            assert "leaflet" not in repr(vars(row))


async def test_someone_seen_speaking_for_the_first_time_joins_the_roster_and_counts(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Dan", "Hello everyone")
    assert "Dan, not chosen yet." in (await group.say("Bob", "/members")).text
    assert await taking_part(app) == [("Dan", "message", True)]


async def test_someone_who_left_is_not_added_back_or_counted_when_they_speak(group: ConsoleAdapter, app: App) -> None:
    await group.say("Carol", "/leave")
    await group.say("Carol", "Just saying goodbye")
    assert "Carol" not in (await group.say("Bob", "/members")).text
    assert await taking_part(app) == []


async def test_a_ballot_counts_once_per_vote_however_often_it_changes(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.press("Bob", "No")
    await group.press("Bob", "Yes")
    assert await taking_part(app) == [("Bob", "ballot", False)]


async def test_a_ballot_in_an_anonymous_vote_is_never_counted_for_anyone(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no | | anonymous")
    await group.press("Bob", "Yes")
    await group.press("Carol", "No")
    assert await taking_part(app) == []


async def test_ballots_applied_together_in_a_batch_count_once_each(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    vote_message = group.latest_with_button("Bob", "Yes", group.group_chat)
    yes = next(b for row in vote_message.buttons for b in row if b.label == "Yes")
    no = next(b for row in vote_message.buttons for b in row if b.label == "No")
    presses = [
        ButtonPress(button.action, button.payload, group.user(name), group.group_chat)
        for name in ("Alice", "Bob", "Carol")
        for button in (yes, no)
    ]
    outcomes = await asyncio.gather(*(app.dispatcher.handle(press) for press in presses))
    assert all(outcome.error_id is None for outcome in outcomes)
    expected = [("Alice", "ballot", False), ("Bob", "ballot", False), ("Carol", "ballot", False)]
    assert sorted(await taking_part(app)) == expected
