"""One group across platforms, through the terminal chat: a second chat linked with a one-time code (and every
rule about codes), announcements in both chats, two accounts made one person (one membership, one ballot, one
count), and unlinking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.clock import ManualClock
from bot.types import ChatKind, ChatRef
from storage.groups import Channel, Membership
from storage.linking import LinkCode
from storage.people import Account, Person
from storage.voting import Ballot

SECOND = ChatRef("console", "second-chat", ChatKind.GROUP, "Riverside on the other app")


@contextmanager
def in_second_chat(group: ConsoleAdapter) -> Iterator[None]:
    first = group.group_chat
    group.group_chat = SECOND
    try:
        yield
    finally:
        group.group_chat = first


def code_in(text: str) -> str:
    found = re.search(r"Your code is (\d{8})\.", text)
    assert found, text
    return found.group(1)


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table))).scalars())


async def test_a_chat_on_another_platform_joins_the_group_with_a_one_time_code(group: ConsoleAdapter, app: App) -> None:
    asked = await group.say("Alice", "/linkchat")
    code = code_in(asked.text)
    assert asked.messages[0].only_for == "alice"  # the code comes privately
    assert all(code not in repr(row) for row in await rows(app, LinkCode))  # kept only as a hash
    assert (await group.say("Bob", "/linkchat")).text.startswith("Only co-chairs")
    with in_second_chat(group):
        linked = await group.say("Dan", f"/linkchat {code}")
    (here,) = [m for m in linked.messages if m.chat == SECOND]
    assert here.text.startswith("Done. This chat is now part of “Riverside Lay Partners”.")
    assert any(
        m.text.startswith("A Console chat, “Riverside on the other app”, is now part of this group too.")
        for m in group.group_messages()
    )
    assert len(await rows(app, Channel)) == 2
    with in_second_chat(group):
        again = await group.say("Erin", f"/linkchat {code}")
    assert again.text.startswith("This chat already belongs to “Riverside Lay Partners”.")
    # A vote started in one chat is posted in both.
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    posted = [m for m in group.messages.values() if m.text.startswith("Vote 1: Meet monthly?")]
    assert {m.chat.id for m in posted} == {group.group_chat.id, SECOND.id}
    # Unlinking the second chat: the group keeps its first, and its history.
    from storage.participation import Contribution

    with in_second_chat(group):
        await group.say("Dan", "Hello from the other app")  # taking part, counted in that chat
        assert (await group.say("Alice", "/unlink")).text.startswith("This chat is no longer part of")
    assert [c.kind for c in await rows(app, Contribution)] == ["message"]  # the history stays
    assert (await group.say("Alice", "/unlink")).text.startswith("This is the group's only chat")


async def test_wrong_used_or_misplaced_codes_get_a_clear_message_and_guessing_is_stopped(
    group: ConsoleAdapter, app: App
) -> None:
    code = code_in((await group.say("Alice", "/linkchat")).text)
    assert (await group.say("Alice", f"/linkchat {code}", private=True)).text.startswith(
        "Please type /linkchat in the group's chat"
    )
    assert (await group.say("Bob", f"/linkme {code}", private=True)).text.startswith("That code is for linking a chat.")
    me_code = code_in((await group.say("Bob", "/linkme", private=True)).text)
    with in_second_chat(group):
        assert (await group.say("Dan", f"/linkchat {me_code}")).text.startswith("That code is for linking your own")
        for wrong in ("12345678", "00000000", "abc", "99999999", "11111111"):
            assert (await group.say("Dan", f"/linkchat {wrong}")).text.startswith("That code doesn't work")
        stopped = await group.say("Dan", f"/linkchat {code}")  # even the right one, after five wrong tries
    assert stopped.text.startswith("That's too many codes that didn't work.")
    assert len(await rows(app, Channel)) == 1


async def test_two_accounts_become_one_person_with_one_membership_and_one_ballot(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Bobby", "/join")  # Bob's other account
    await group.press("Bobby", "Lay partner")
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.press("Bobby", "No")
    code = code_in((await group.say("Bob", "/linkme", private=True)).text)
    assert (await group.say("Bobby", f"/linkme {code}")).text.startswith("Please send /linkme to me in a private")
    clock.advance(timedelta(minutes=1))
    merged = await group.say("Bobby", f"/linkme {code}", private=True)
    assert merged.text.startswith("Done. Your accounts are now one person, Bob.")
    assert "kept what your first account did" in merged.text
    people = {p.display_name for p in await rows(app, Person)}
    assert "Bobby" not in people and "Bob" in people
    accounts = [a for a in await rows(app, Account) if a.user_id in ("bob", "bobby")]
    assert len({a.person_id for a in accounts}) == 1
    bob_id = accounts[0].person_id
    assert len([m for m in await rows(app, Membership) if m.person_id == bob_id]) == 1
    ballots = [b for b in await rows(app, Ballot) if b.person_id == bob_id]
    assert len(ballots) == 1
    members = await group.say("Alice", "/members")
    assert members.text.count("Bob") == 1
    # Changing the ballot from the other account changes the one ballot.
    await group.press("Bobby", "No")
    assert len([b for b in await rows(app, Ballot) if b.person_id == bob_id]) == 1
    # Private messages go where Bob last wrote to the bot privately (here: as Bobby).
    from storage.people import accounts_of

    async with app.database.unit_of_work() as session:
        assert [a.user_id for a in (await accounts_of(session, [bob_id]))[bob_id]] == ["bobby", "bob"]
    clock.advance(timedelta(minutes=1))
    await group.say("Bob", "/mysettings", private=True)
    async with app.database.unit_of_work() as session:
        assert [a.user_id for a in (await accounts_of(session, [bob_id]))[bob_id]] == ["bob", "bobby"]
    assert (await group.say("Bob", "/mysettings private messages on discord", private=True)).error_id is None
    # Privately, /unlink separates them again.
    assert (await group.say("Bobby", "/unlink", private=True)).text.startswith("Done. This account is a person")
    assert (await group.say("Alice", "/unlink", private=True)).text.startswith("You have only this account")
