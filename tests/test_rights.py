"""People's rights over their data, through the terminal chat: /mydata gathers every feature's records into a
file, and /forgetme (after a confirmation) erases the person everywhere; the group is told only that a member
has left, and the last co-chair is asked to hand the role on first."""

from __future__ import annotations

import json

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from storage.people import Account, Person
from tests.helpers import snapshot


async def test_mydata_is_a_file_of_everything_from_every_feature(group: ConsoleAdapter) -> None:
    await group.say("Bob", "Morning all")
    await group.say("Bob", "/offer spreadsheets")
    await group.say("Bob", "/glossary add Riverside Hub | Our drop-in centre")
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    assert (await group.say("Bob", "/mydata")).text.startswith("Please send this to me in a private message")
    said = await group.say("Bob", "/mydata", private=True)
    (shown,) = [m for m in said.messages if m.files]
    assert shown.text.startswith("Here is everything I hold about you, in the file. In short:")
    held = json.loads(shown.files[0].read_bytes())
    assert {"core", "voting", "participation", "glossary", "skills"} <= set(held)
    assert [s["skill"] for s in held["skills"]["skills"]] == ["spreadsheets"]
    assert held["glossary"]["glossary_changes"][0]["term"] == "Riverside Hub"


async def test_forgetme_asks_first_then_erases_the_person_everywhere(group: ConsoleAdapter, app: App) -> None:
    await group.say("Bob", "Morning all")
    await group.say("Bob", "/offer spreadsheets")
    await group.say("Bob", "/askhelp Reading the budget", private=True)
    asked = await group.say("Bob", "/forgetme", private=True)
    assert asked.text.startswith("Shall I forget you?") and asked.seen[-1].labels == ["Yes, forget me", "No, keep me"]
    kept = await group.press("Bob", "No, keep me", private=True, message=asked.seen[-1])
    assert kept.text == "That's fine. I haven't changed anything."
    await group.say("Bob", "/forgetme", private=True)
    gone = await group.press("Bob", "Yes, forget me", private=True)
    assert "Done. I've forgotten you." in gone.text
    assert [m.text for m in group.group_messages()][-1] == "A member has left the group."
    stored = await snapshot(app.database)
    texts = repr({k: v for k, v in stored.items() if k not in ("outbox", "inbound_events")})
    assert "spreadsheets" not in texts and "Reading the budget" not in texts
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(Account).where(Account.user_id == "bob"))).first() is None
        assert "Bob" not in [p.display_name for p in (await session.execute(select(Person))).scalars()]


async def test_the_last_co_chair_is_asked_to_hand_the_role_on_first(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/forgetme", private=True)
    assert said.text.startswith("You're the only co-chair of “Riverside Lay Partners”.")
