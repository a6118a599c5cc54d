"""/help shows only what this person may do here; /settings and /touchstone for co-chairs."""

from __future__ import annotations

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from commands.group.wording import DEFAULT_PRINCIPLES
from storage.groups import Group, GroupSetting


def commands_listed(text: str) -> list[str]:
    return [line.split(" — ")[0] for line in text.splitlines()[1:]]


async def test_help_for_a_cochair_lists_cochair_commands(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/help")
    assert said.text.startswith("Here is what you can do here:")
    listed = commands_listed(said.text)
    assert "/cochair" in listed and "/settings" in listed
    assert "/setup" not in listed  # already set up
    assert said.seen[0].only_for == "alice"


async def test_help_for_a_member_hides_cochair_commands(group: ConsoleAdapter) -> None:
    listed = commands_listed((await group.say("Bob", "/help")).text)
    assert "/cochair" not in listed and "/settings" not in listed
    assert {"/members", "/leave", "/touchstone", "/help"} <= set(listed)
    assert "/join" not in listed  # members may still type it to change how they are listed


async def test_help_for_a_visitor_shows_how_to_join(group: ConsoleAdapter) -> None:
    listed = commands_listed((await group.say("Mallory", "/help")).text)
    assert "/join" in listed
    assert "/members" not in listed and "/leave" not in listed


async def test_help_in_a_chat_that_is_not_set_up_offers_setup(chat: ConsoleAdapter) -> None:
    listed = commands_listed((await chat.say("Alice", "/help")).text)
    assert "/setup" in listed
    assert "/join" not in listed


async def test_help_lines_read_as_plain_sentences(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/help")
    assert "/members — See who is in the group" in said.text.splitlines()


async def test_touchstone_shows_the_default_principles(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/touchstone")
    assert said.text == DEFAULT_PRINCIPLES
    assert "Everyone is an equal partner." in said.text


async def test_a_cochair_replaces_and_resets_the_principles(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/touchstone edit We listen first.\nWe decide together.")
    said = await group.press("Alice", "Replace all of it")
    assert said.text == (
        "Done. The touchstone is replaced. "
        "Type /touchstone to read it, or /touchstone restore to bring back the old one."
    )
    assert (await group.say("Bob", "/touchstone")).text == "We listen first.\nWe decide together."
    await group.say("Alice", "/touchstone reset")
    assert (await group.say("Bob", "/touchstone")).text == DEFAULT_PRINCIPLES
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(Group.principles))).scalar_one() is None


async def test_a_member_cannot_change_the_principles(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/touchstone edit Anything goes")
    assert said.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    assert (await group.say("Bob", "/touchstone")).text == DEFAULT_PRINCIPLES


async def test_editing_the_principles_needs_some_words(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/touchstone edit")
    assert said.text == (
        "Please write the words after /touchstone edit. To change one principle, start with its number, "
        "like /touchstone edit 3. We share papers a week ahead."
    )


async def test_settings_lists_the_time_zone(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/settings")
    assert "Dates and times are shown in Europe/London time." in said.text


async def test_a_cochair_changes_the_time_zone(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Alice", "/settings timezone europe/paris")
    assert said.text == "Done. Dates and times are shown in Europe/Paris time."
    async with app.database.unit_of_work() as session:
        stored = (await session.execute(select(Group.timezone))).scalar_one()
        by_name = (await session.execute(select(GroupSetting.value).where(GroupSetting.key == "timezone"))).all()
    assert stored == "Europe/Paris"
    assert by_name == []  # the time zone is the group's own, not a setting looked up by its name


async def test_a_city_name_alone_finds_its_time_zone(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/settings timezone Dublin")
    assert said.text == "Done. Dates and times are shown in Europe/Dublin time."


async def test_an_unknown_time_zone_suggests_a_close_one_and_changes_nothing(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/settings timezone Europe/Londn")
    assert said.text.startswith("I don't know the time zone “Europe/Londn”. Did you mean Europe/London")
    assert "Dates and times are shown in Europe/London time." in (await group.say("Alice", "/settings")).text


async def test_an_unknown_setting_is_refused_kindly(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/settings colour blue")
    assert said.text == "I don't know a setting called “colour blue”. Type /settings to see them all."


async def test_a_member_cannot_change_settings(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/settings timezone Europe/Paris")
    assert said.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
