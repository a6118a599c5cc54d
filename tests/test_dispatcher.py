"""The dispatcher's promises: nothing half-written after an error, an error id for our mistakes,
and replies sent only after the commit."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.context import Context
from bot.registry import Access, Command
from bot.types import ChatRef, MessageRef, Reply, UserRef
from storage.groups import Group
from tests.helpers import roles


async def test_an_unexpected_error_rolls_back_and_apologises_with_an_error_id(
    group: ConsoleAdapter, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async def rename_then_fail(ctx: Context) -> Reply:
        ctx.require_group().name = "Half-written"
        raise RuntimeError("boom")

    app.registry.add_command(Command("broken", "Fails on purpose", rename_then_fail, access=Access.MEMBER))
    with caplog.at_level(logging.ERROR, logger="touchstone.dispatch"):
        said = await group.say("Bob", "/broken")
    assert said.error_id is not None
    assert said.text.startswith("Sorry, something went wrong on our side and nothing was changed.")
    assert said.error_id in said.text
    assert said.error_id in caplog.text and "RuntimeError: boom" in caplog.text
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(Group.name))).scalar_one() == "Riverside Lay Partners"


async def test_log_lines_never_contain_what_people_typed(
    group: ConsoleAdapter, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async def fail(ctx: Context) -> Reply:
        raise RuntimeError("boom")

    app.registry.add_command(Command("broken", "Fails on purpose", fail, access=Access.MEMBER))
    with caplog.at_level(logging.ERROR):
        await group.say("Bob", "/broken my private medical details")
    assert "medical" not in caplog.text


async def test_a_user_mistake_changes_nothing_even_after_partial_work(group: ConsoleAdapter, app: App) -> None:
    before = await roles(app)
    said = await group.say("Alice", "/cochair add Nobody")
    assert "I can't find a member called “Nobody”." in said.text
    assert said.error_id is None
    assert await roles(app) == before


async def test_replies_are_sent_only_after_the_commit(group: ConsoleAdapter, app: App) -> None:
    seen_at_delivery: list[str] = []
    deliver = group.deliver

    async def deliver_and_look(reply: Reply, target: ChatRef | UserRef) -> MessageRef:
        # A separate connection sees only committed data.
        async with app.database.engine.connect() as connection:
            seen_at_delivery.append((await connection.execute(select(Group.name))).scalar_one())
        return await deliver(reply, target)

    group.deliver = deliver_and_look  # type: ignore[method-assign]

    async def rename(ctx: Context) -> list[Reply]:
        ctx.require_group().name = "Renamed"
        return [Reply("Renamed it.", to=group.user("Carol")), Reply("Renamed it.", to=group.group_chat)]

    app.registry.add_command(Command("rename", "Renames", rename, access=Access.MEMBER))
    await group.say("Bob", "/rename")
    assert seen_at_delivery == ["Renamed", "Renamed"]
    assert group.inbox("Carol")[-1].text == "Renamed it."


async def test_an_unknown_command_suggests_the_nearest_one(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/member")
    assert said.text == "I don't know /member. Did you mean /members? Type /help to see them all."


async def test_a_command_addressed_to_the_bot_by_name_works(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/members@TouchstoneBot")
    assert "has 3 members" in said.text


async def test_an_unknown_button_is_refused_kindly(group: ConsoleAdapter, app: App) -> None:
    before = await roles(app)
    said = await group.press_data("Bob", "explode", "1")
    assert said.text == "That button no longer works. Please type /help to start again."
    assert await roles(app) == before
