"""Joining, leaving, the roster and co-chairs, as members would do it in the chat."""

from __future__ import annotations

from adapters.console import ConsoleAdapter
from bot.app import App
from storage.groups import MemberKind, Role
from tests.helpers import membership_of, roles


async def test_a_person_joins_by_pressing_a_button(group: ConsoleAdapter, app: App) -> None:
    asked = await group.say("Dan", "/join")
    assert asked.text == "Welcome! How would you describe yourself in this group? Choose one below."
    assert asked.seen[0].labels == ["Lay partner", "Professional", "Other"]
    pressed = await group.press("Dan", "Other")
    assert "Welcome, Dan! You're now a member of “Riverside Lay Partners”, as other." in pressed.text
    assert pressed.toast is None  # the welcome in the chat says it; one message, not two
    assert (await roles(app))["Dan"] == (Role.MEMBER, MemberKind.OTHER, True)


async def test_joining_twice_is_harmless(group: ConsoleAdapter, app: App) -> None:
    before = await roles(app)
    again = await group.say("Bob", "/join")
    assert again.text.startswith("You're already a member, listed as a lay partner.")
    assert again.seen[0].only_for == "bob"
    pressed = await group.press("Bob", "Lay partner")
    assert pressed.toast == "You're already a member, as a lay partner."
    assert pressed.seen == []
    assert await roles(app) == before


async def test_a_member_can_change_how_they_are_listed(group: ConsoleAdapter, app: App) -> None:
    await group.say("Bob", "/join")
    pressed = await group.press("Bob", "Professional")
    assert "Bob is now listed as a professional." in pressed.text
    assert (await roles(app))["Bob"] == (Role.MEMBER, MemberKind.PROFESSIONAL, True)


async def test_a_cochair_who_changes_kind_stays_a_cochair(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/join")
    await group.press("Alice", "Other")
    assert (await roles(app))["Alice"] == (Role.COCHAIR, MemberKind.OTHER, True)


async def test_join_only_works_in_the_group_chat(group: ConsoleAdapter) -> None:
    said = await group.say("Dan", "/join", private=True)
    assert said.text == "Please use /join in your group's chat."


async def test_members_lists_everyone_with_role_and_kind(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/members")
    assert said.text.splitlines() == [
        "“Riverside Lay Partners” has 3 members.",
        "Alice, co-chair, a lay partner.",
        "Bob, a lay partner.",
        "Carol, a professional.",
    ]


async def test_someone_who_only_spoke_is_on_the_roster_without_a_kind(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Erin", "Hello everyone, sorry I'm late")
    assert said.messages == []
    assert (await roles(app))["Erin"] == (Role.MEMBER, None, True)
    listed = await group.say("Erin", "/members")
    assert "Erin, not chosen yet." in listed.text


async def test_non_members_cannot_see_the_roster(group: ConsoleAdapter) -> None:
    said = await group.say("Mallory", "/members")
    assert said.text == "Only members can do that. Type /join to become a member."


async def test_members_works_in_a_private_chat_for_someone_in_one_group(group: ConsoleAdapter) -> None:
    said = await group.say("Carol", "/members", private=True)
    assert "“Riverside Lay Partners” has 3 members." in said.text


async def test_a_member_leaves_and_can_come_back(group: ConsoleAdapter, app: App) -> None:
    left = await group.say("Bob", "/leave")
    assert left.text == "Bob has left “Riverside Lay Partners”. You're welcome back any time: just type /join."
    assert (await roles(app))["Bob"][2] is False
    assert "Bob" not in (await group.say("Alice", "/members")).text
    await group.say("Bob", "/join")
    await group.press("Bob", "Lay partner")
    assert (await roles(app))["Bob"] == (Role.MEMBER, MemberKind.LAY_PARTNER, True)


async def test_someone_who_left_is_not_re_added_by_speaking(group: ConsoleAdapter, app: App) -> None:
    await group.say("Bob", "/leave")
    await group.say("Bob", "Just saying goodbye")
    assert (await roles(app))["Bob"][2] is False


async def test_the_last_cochair_cannot_leave(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Alice", "/leave")
    assert "You're the only co-chair, and a group always needs one." in said.text
    assert (await roles(app))["Alice"] == (Role.COCHAIR, MemberKind.LAY_PARTNER, True)


async def test_a_cochair_can_leave_when_another_remains(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/cochair add Bob")
    await group.say("Alice", "/leave")
    assert (await roles(app))["Alice"] == (Role.MEMBER, MemberKind.LAY_PARTNER, False)
    assert (await roles(app))["Bob"][0] is Role.COCHAIR


async def test_a_cochair_adds_another_cochair(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Alice", "/cochair add Carol")
    assert said.text == "Done. Carol is now a co-chair."
    assert (await roles(app))["Carol"][0] is Role.COCHAIR
    listed = await group.say("Bob", "/members")
    assert "Carol, co-chair, a professional." in listed.text


async def test_a_member_cannot_add_a_cochair(group: ConsoleAdapter, app: App) -> None:
    before = await roles(app)
    said = await group.say("Bob", "/cochair add Bob")
    assert said.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    assert await roles(app) == before


async def test_the_last_cochair_cannot_step_down(group: ConsoleAdapter, app: App) -> None:
    for command in ("/cochair remove", "/cochair remove Alice"):
        said = await group.say("Alice", command)
        assert "Alice is the only co-chair, and a group always needs one." in said.text
    assert (await membership_of(app, "Alice")).role is Role.COCHAIR  # type: ignore[union-attr]


async def test_a_cochair_steps_down_when_another_remains(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/cochair add Bob")
    said = await group.say("Alice", "/cochair remove")
    assert said.text == "Done. Alice is no longer a co-chair."
    assert (await roles(app))["Alice"][0] is Role.MEMBER


async def test_cochair_names_match_without_caring_about_case_or_full_name(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/cochair add car")
    assert (await roles(app))["Carol"][0] is Role.COCHAIR
    await group.say("Alice", "/cochair remove @carol")
    assert (await roles(app))["Carol"][0] is Role.MEMBER


async def test_cochair_with_an_unknown_name_says_how_to_find_names(group: ConsoleAdapter, app: App) -> None:
    before = await roles(app)
    said = await group.say("Alice", "/cochair add Zed")
    assert said.text == "I can't find a member called “Zed”. Type /members to see everyone's names."
    assert await roles(app) == before


async def test_cochair_with_an_ambiguous_name_asks_for_the_full_name(group: ConsoleAdapter, app: App) -> None:
    await group.say("Carl", "/join")
    await group.press("Carl", "Other")
    said = await group.say("Alice", "/cochair add car")
    assert said.text == "More than one member matches “car”: Carl, Carol. Please type the full name."


async def test_cochair_with_something_other_than_add_or_remove_explains_usage(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/cochair promote Bob")
    assert said.text == "Please choose one of: add, remove. For example: /cochair add Sam"


async def test_a_command_missing_its_arguments_asks_for_them_step_by_step(group: ConsoleAdapter, app: App) -> None:
    asked = await group.say("Alice", "/cochair")
    assert asked.text == "Please type add or remove. (Type /cancel to stop.)"
    said = await group.say("Alice", "remove")  # no name: Alice steps down, but she is the only co-chair
    assert "Alice is the only co-chair" in said.text
    await group.say("Alice", "/proxy")
    assert (await group.say("Alice", "/proxy")).text == "Please type the vote's number. (Type /cancel to stop.)"


async def test_a_guided_command_runs_once_every_part_is_typed(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    steps = ["/proxy 1", "Carol", "No"]
    said = [await group.say("Alice", line) for line in steps]
    assert said[0].text == "Please type the member's name. (Type /cancel to stop.)"
    assert said[1].text == "Please type their choice. (Type /cancel to stop.)"
    assert "Recorded Carol's vote on vote 1, given to you: No. It is marked as a proxy vote." in said[2].text
    assert "Voted: Carol." in said[2].text


async def test_cancel_stops_a_guided_command_and_the_next_message_is_ordinary_chat(
    group: ConsoleAdapter, app: App
) -> None:
    before = await roles(app)
    await group.say("Alice", "/cochair")
    assert (await group.say("Alice", "/cancel")).text == "Okay, I've stopped. Nothing was changed."
    assert (await group.say("Alice", "add")).messages == []
    assert await roles(app) == before
    assert (await group.say("Alice", "/cancel")).text == "There was nothing to stop."


async def test_adding_someone_who_is_already_a_cochair_is_refused_kindly(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/cochair add Alice")
    assert said.text == "Alice is already a co-chair."
