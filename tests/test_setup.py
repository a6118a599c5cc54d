"""Setting up a group: who may, what it creates, and what happens when it is done twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.clock import ManualClock
from bot.types import Button, MemberLeft, Reply
from storage.groups import Channel, Group, GroupSetting, Membership, Role


async def count(app: App, model: type) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_chat_admin_sets_up_a_group_and_becomes_its_first_cochair(chat: ConsoleAdapter, app: App) -> None:
    said = await chat.say("Alice", "/setup Riverside Lay Partners")
    assert "This chat is now the group “Riverside Lay Partners”, and Alice is its first co-chair." in said.text
    assert said.seen[0].labels == ["Lay partner", "Professional", "Other"]
    async with app.database.unit_of_work() as session:
        group = (await session.execute(select(Group))).scalar_one()
        assert group.name == "Riverside Lay Partners"
        channel = (await session.execute(select(Channel))).scalar_one()
        assert (channel.platform, channel.chat_id, channel.group_id) == ("console", "group", group.id)
        membership = (await session.execute(select(Membership))).scalar_one()
        assert membership.role is Role.COCHAIR and membership.active
        assert group.timezone == "Europe/London"
        assert (await session.execute(select(GroupSetting))).all() == []


async def test_setup_without_a_name_uses_the_chat_title(chat: ConsoleAdapter) -> None:
    said = await chat.say("Alice", "/setup")
    assert "the group “Riverside Lay Partners”" in said.text


async def test_someone_who_is_not_a_chat_admin_cannot_set_up(chat: ConsoleAdapter, app: App) -> None:
    chat.admins = {"Alice"}
    said = await chat.say("Mallory", "/setup Mallory's group")
    assert "Only an admin of this chat can set it up" in said.text
    assert await count(app, Group) == 0
    assert await count(app, Membership) == 0


async def test_setting_up_twice_is_refused_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Bob", "/setup Another name")
    assert "already set up for the group “Riverside Lay Partners”" in said.text
    assert await count(app, Group) == 1
    assert await count(app, Channel) == 1


async def test_setup_in_a_private_chat_points_to_the_group_chat(chat: ConsoleAdapter, app: App) -> None:
    said = await chat.say("Alice", "/setup", private=True)
    assert said.text == "Please use /setup in your group's chat."
    assert await count(app, Group) == 0


async def test_commands_in_a_chat_that_is_not_set_up_explain_how_to_start(chat: ConsoleAdapter) -> None:
    said = await chat.say("Bob", "/members")
    assert said.text == "This chat isn't set up yet. A chat admin can type /setup to start."


async def test_chat_admin_can_take_over_a_group_whose_cochairs_all_left(group: ConsoleAdapter, app: App) -> None:
    assert "/setup" not in (await group.say("Bob", "/help")).text
    assert "already set up" in (await group.say("Bob", "/setup")).text
    # Alice, the only co-chair, leaves the chat on the platform (not with /leave, which would refuse).
    await app.dispatcher.handle(MemberLeft(group.user("Alice"), group.group_chat))
    assert "/setup" in (await group.say("Bob", "/help")).text
    said = await group.say("Bob", "/setup")
    assert "Bob is now a co-chair of “Riverside Lay Partners”, because the group had none." in said.text
    assert await count(app, Group) == 1
    assert "/setup" not in (await group.say("Carol", "/help")).text
    assert "already set up" in (await group.say("Carol", "/setup")).text


async def test_start_explains_what_the_bot_does_in_a_private_chat(chat: ConsoleAdapter) -> None:
    said = await chat.say("Dan", "/start", private=True)
    assert said.text.startswith("Hello Dan! I'm Touchstone.")
    assert "/help" in said.text


async def test_start_sends_what_could_not_be_sent_before_once_and_never_stale_messages(
    app: App, group: ConsoleAdapter, clock: ManualClock
) -> None:
    bob = group.user("Bob")
    await app.dispatcher.hold(Reply("An old note."), bob)
    clock.advance(timedelta(days=15))
    await app.dispatcher.hold(
        Reply("A kind reminder: vote 1 closes on Friday.", buttons=((Button("Yes", "ballot", "1.1"),),)), bob
    )
    said = await group.say("Bob", "/start missed", private=True)
    texts = [shown.text for shown in said.seen]
    assert texts == [
        "Hello Bob! Here is the message I couldn't send you before.",
        "A kind reminder: vote 1 closes on Friday.",
    ]
    assert said.seen[1].labels == ["Yes"]
    again = await group.say("Bob", "/start", private=True)
    assert again.text.startswith("Hello Bob! I'm Touchstone.")  # sent once only


async def test_held_messages_are_only_for_the_person_they_were_meant_for(app: App, group: ConsoleAdapter) -> None:
    await app.dispatcher.hold(Reply("For Bob only."), group.user("Bob"))
    said = await group.say("Carol", "/start", private=True)
    assert "For Bob only." not in [shown.text for shown in said.seen]
    assert "For Bob only." in [shown.text for shown in (await group.say("Bob", "/start", private=True)).seen]


async def test_start_in_the_group_shows_what_was_kept_only_to_that_person(app: App, group: ConsoleAdapter) -> None:
    await app.dispatcher.hold(Reply("A kind reminder: vote 1 closes on Friday."), group.user("Bob"))
    said = await group.say("Bob", "/start")
    assert [shown.text for shown in said.seen] == [
        "Hello Bob! Here is the message I couldn't send you before.",
        "A kind reminder: vote 1 closes on Friday.",
    ]
    assert all(shown.only_for == "bob" for shown in said.seen)
