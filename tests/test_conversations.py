"""Conversations that never trap anyone: every dead end, stray question and doubled message a new user
met in the terminal chat, each written as they met it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter, run_terminal
from bot.app import DEMO_GROUP, App, build_registry, seed_demo
from bot.clock import ManualClock
from bot.docs import command_table
from bot.registry import Command
from storage.conversations import PendingInput
from storage.voting import Vote, VoteStatus


async def start_vote(group: ConsoleAdapter, line: str) -> None:
    said = await group.say("Alice", line)
    assert any(m.text.startswith("Vote ") for m in said.messages), said.text


# ---- 1. /votes says who can vote -------------------------------------------------------------------


async def test_votes_tells_someone_who_joined_later_they_cannot_vote_and_why(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    said = await group.say("Dan", "/votes")
    assert "You have voted." not in said.text
    assert "You can't vote in this one, because you joined after it started." in said.text


async def test_votes_tells_a_professional_they_cannot_vote_in_a_lay_only_vote(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no | | lay partners only")
    said = await group.say("Carol", "/votes")
    assert "You can't vote in this one, because only lay partners can vote in it." in said.text
    assert "You haven't voted yet." in (await group.say("Bob", "/votes")).text


# ---- 2. a broken one-line vote keeps what was given ------------------------------------------------


async def test_a_vote_of_only_separators_is_guided_like_vote_on_its_own(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/vote |||")
    assert said.text == "What would you like the group to vote on? Please type your question."


async def test_a_one_line_vote_without_a_question_keeps_its_choices(group: ConsoleAdapter) -> None:
    asked = await group.say("Alice", "/vote | yes/no")
    assert asked.text == "What would you like the group to vote on? Please type your question."
    said = await group.say("Alice", "Should we meet monthly?")
    posted = [m for m in said.messages if m.text.startswith("Vote 1: Should we meet monthly?")]
    assert posted and posted[0].labels[:3] == ["Yes", "No", "Abstain"]


async def test_an_unanswered_question_ends_when_the_person_types_another_command(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote | yes/no")
    await group.say("Alice", "/members")
    said = await group.say("Alice", "Friday 5pm")
    assert said.messages == [] and said.toast is None  # ordinary chat now


async def test_an_unanswered_question_ends_after_a_while(group: ConsoleAdapter, clock: ManualClock) -> None:
    await group.say("Alice", "/vote | yes/no")
    clock.advance(timedelta(minutes=20))
    said = await group.say("Alice", "Friday 5pm")
    assert said.messages == []


# ---- 3. a closing time in the past --------------------------------------------------------------------


async def test_a_closing_time_that_has_passed_asks_for_another_and_carries_on(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/vote Meet monthly? | yes/no | last Monday")
    assert said.text.startswith("That time has already passed.")
    assert "When should the vote close?" in said.text
    started = await group.say("Alice", "Friday 5pm")
    posted = [m for m in started.messages if m.text.startswith("Vote 1: Meet monthly?")]
    assert posted and "It closes on Friday 6 November, 5pm." in posted[0].text


# ---- 4. /cancel stops drafts too ------------------------------------------------------------------------


async def test_cancel_stops_a_draft_waiting_for_a_button_and_its_buttons_say_so(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Lunch together?")
    stopped = await group.say("Alice", "/cancel")
    assert stopped.text == "Okay, I've stopped. Nothing was changed."
    pressed = await group.press("Alice", "Yes or no")
    assert pressed.text == "You stopped setting up this vote, so nothing was posted. Type /vote to start again."
    assert "Ready to start" not in pressed.text


# ---- 5. guided commands keep what was given ---------------------------------------------------------------


async def test_guided_cochair_keeps_add_and_asks_for_the_name(group: ConsoleAdapter) -> None:
    assert (await group.say("Alice", "/cochair")).text == "Please type add or remove. (Type /cancel to stop.)"
    asked = await group.say("Alice", "add")
    assert asked.text == "Please type the member's name. (Type /cancel to stop.)"
    done = await group.say("Alice", "Carol")
    assert done.text == "Done. Carol is now a co-chair."


# ---- 6. editing the touchstone says what it replaces ------------------------------------------------------


async def test_editing_with_a_new_number_adds_one_principle_and_keeps_the_rest(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/touchstone edit 11. We have biscuits.")
    assert said.text == "Done. Principle 11 is now: We have biscuits. The other principles are unchanged."
    principles = (await group.say("Bob", "/touchstone")).text.splitlines()
    assert principles[1] == "1. Everyone is an equal partner."
    assert principles[-1] == "11. We have biscuits."


async def test_replacing_the_whole_touchstone_asks_first_and_can_be_undone(group: ConsoleAdapter) -> None:
    asked = await group.say("Alice", "/touchstone edit We meet on Tuesdays.")
    assert "replace all 10 principles" in asked.text
    assert asked.seen[-1].labels == ["Replace all of it", "Add it as principle 11", "Cancel"]
    assert "We meet on Tuesdays." not in (await group.say("Bob", "/touchstone")).text  # nothing yet
    await group.press("Alice", "Replace all of it")
    assert (await group.say("Bob", "/touchstone")).text == "We meet on Tuesdays."
    restored = await group.say("Alice", "/touchstone restore")
    assert restored.text == "Done. The touchstone is back to how it was before the last change."
    assert (await group.say("Bob", "/touchstone")).text.splitlines()[1] == "1. Everyone is an equal partner."


# ---- 7. plurals ------------------------------------------------------------------------------------------------


async def test_a_tie_with_one_vote_each_says_vote(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Lunch? | Tea, Coffee, Cake")
    await group.press("Alice", "Tea")
    await group.press("Bob", "Coffee")
    result = await group.say("Alice", "/closevote")
    assert "Tea and Coffee tied with 1 vote each." in result.text


# ---- 8. /help follows the group's settings ---------------------------------------------------------------


async def test_help_offers_vote_to_members_only_when_the_group_allows_it(group: ConsoleAdapter) -> None:
    assert "/vote —" not in (await group.say("Bob", "/help")).text
    await group.say("Alice", "/settings members can start votes yes")
    assert "/vote — Start a vote" in (await group.say("Bob", "/help")).text


def test_the_readme_table_says_members_may_start_votes_if_the_group_allows() -> None:
    table = command_table(build_registry())
    vote_row = next(line for line in table.splitlines() if line.startswith("| `/vote"))
    assert "members, if the group allows" in vote_row


# ---- 9. settings in plain words -------------------------------------------------------------------------


async def test_settings_read_as_sentences_with_buttons_and_accept_plain_words(group: ConsoleAdapter) -> None:
    shown = await group.say("Alice", "/settings")
    assert "members_can_start_votes" not in shown.text and "vote_reminder_hours" not in shown.text
    assert "Only co-chairs can start votes." in shown.text
    assert "Change: members can start votes" in shown.seen[-1].labels
    opened = await group.press("Alice", "Change: members can start votes", message=shown.seen[-1])
    assert opened.text == "Only co-chairs can start votes."
    assert opened.seen[-1].labels == ["Let members start votes"]
    said = await group.say("Alice", "/settings members can start votes yes")
    assert said.text == "Done. Any member can start a vote."
    listed = await group.say("Alice", "/settings members can start votes")
    pressed = await group.press("Alice", "Only co-chairs start votes", message=listed.seen[-1])
    assert pressed.text == "Done. Only co-chairs can start votes."


async def test_the_settings_list_fits_discord_with_one_button_per_setting(group: ConsoleAdapter) -> None:
    """Seen: with meetings' settings added, /settings offered 13 buttons in 8 rows; Discord shows 5 rows."""
    shown = (await group.say("Alice", "/settings")).seen[-1]
    settings = [line for line in shown.text.splitlines()[1:-1]]
    assert len(shown.labels) == len(settings)
    assert len(shown.buttons) <= 5 and all(len(row) <= 5 for row in shown.buttons)
    typed = await group.press("Alice", "Change: time zone", message=shown)
    assert typed.text.endswith("Please type the new setting for “time zone”. (Type /cancel to stop.)")


# ---- 10. one length limit per part ----------------------------------------------------------------------


async def test_a_long_question_has_the_same_limit_in_one_line_or_step_by_step(group: ConsoleAdapter) -> None:
    question = "Should we " + "really " * 60 + "meet monthly?"
    one_line = await group.say("Alice", f"/vote {question} | yes/no")
    assert one_line.text == "That is too long for the question: please keep it under 300 characters."
    await group.say("Alice", "/vote")
    guided = await group.say("Alice", question)
    assert guided.text == "That is too long for the question: please keep it under 300 characters."


# ---- 11. a closed vote reads as closed ----------------------------------------------------------------------


async def test_a_closed_vote_message_no_longer_explains_how_to_choose(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Priorities | pick 2: Transport, Housing, Carers")
    await group.say("Alice", "/closevote")
    message = next(m for m in group.group_messages() if m.text.startswith("Vote 1:"))
    assert "Choose up to 2" not in message.text and "Press a choice again" not in message.text
    assert "This vote has closed." in message.text


async def test_a_closed_ranked_vote_does_not_say_so_far(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Where? | ranked: Library, Town hall, Online")
    await group.press("Bob", "Library")
    await group.say("Alice", "/closevote")
    message = next(m for m in group.group_messages() if m.text.startswith("Vote 1:"))
    assert "so far" not in message.text


# ---- 12. taking a choice out of a ranking is said ------------------------------------------------------------


async def test_pressing_a_ranked_choice_again_says_it_was_taken_out(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Where? | ranked: Library, Town hall, Online")
    await group.press("Bob", "Library")
    await group.press("Bob", "Online")
    said = await group.press("Bob", "Library")
    assert said.toast == "You took Library out of your order. Your order so far: 1. Online."
    vote = next(m for m in group.group_messages() if m.text.startswith("Vote 1:"))
    assert "Press a choice again to take it out of your order." in vote.text


# ---- 13. one message each --------------------------------------------------------------------------------------


async def test_starting_a_drafted_vote_says_so_once(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Lunch together?")
    await group.press("Alice", "Yes or no")
    await group.press("Alice", "No deadline")
    started = await group.press("Alice", "Start the vote")
    assert started.toast is None
    assert [m.text for m in started.seen if "started" in m.text] == ["Vote 1 has started."]


async def test_sending_reminders_says_so_once(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await group.say("Alice", "/notvoted")
    sent = await group.press("Alice", "Send them a kind reminder")
    assert sent.toast is None
    assert sent.seen[-1].text == "I've sent a private reminder to 3 people."


async def test_joining_by_button_says_welcome_once(group: ConsoleAdapter) -> None:
    await group.say("Dan", "/join")
    joined = await group.press("Dan", "Lay partner")
    assert joined.toast is None
    assert joined.text == "Welcome, Dan! You're now a member of “Riverside Lay Partners”, as a lay partner."


# ---- 14. the terminal treats anything like a number as a button number --------------------------------------


def scripted(lines: list[str]) -> object:
    remaining = list(lines)

    def read(prompt: str) -> str:
        if not remaining:
            raise EOFError
        return remaining.pop(0)

    return read


async def test_the_terminal_asks_for_a_button_number_for_minus_one_and_one_point_five(app: App) -> None:
    console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
    await seed_demo(console)
    written: list[str] = []
    lines = ["/as Dan", "/join", "-1", "1.5", "9"]
    await run_terminal(console, read=scripted(lines), write=written.append)  # type: ignore[arg-type]
    assert written.count("Please type a number from 1 to 3.") == 3


# ---- 15. wording ---------------------------------------------------------------------------------------------------


async def test_a_non_member_pressing_a_vote_in_the_group_is_told_to_type_join(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    said = await group.press("Dan", "Yes")
    assert said.text == "Only members can vote. Type /join to become a member."


async def test_help_does_not_offer_join_to_members(group: ConsoleAdapter) -> None:
    assert "/join" not in (await group.say("Bob", "/help")).text
    assert "/join" in (await group.say("Dan", "/help")).text


async def test_the_draft_summary_does_not_repeat_the_kind(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Where shall we meet?")
    await group.press("Alice", "Pick one")
    await group.say("Alice", "Library, Town hall")
    summary = await group.press("Alice", "No deadline")
    assert "Kind: Pick one. Choose one." not in summary.text
    assert "Kind: people pick one of the choices." in summary.text


async def test_a_run_off_round_that_removes_a_choice_with_no_votes_says_it_had_none(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Where? | ranked: Library, Town hall, Online, Cafe")
    await group.press("Alice", "Town hall")
    await group.press("Bob", "Online")
    await group.press("Carol", "Cafe")
    result = await group.say("Alice", "/closevote")
    assert "Library had no votes and was removed." in result.text


# ---- 16. dead ends -------------------------------------------------------------------------------------------------


async def test_closevote_without_a_number_offers_the_open_votes_as_buttons(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await start_vote(group, "/vote Lunch after? | yes/no")
    asked = await group.say("Alice", "/closevote")
    assert asked.text == "Which vote? Choose one."
    assert asked.seen[-1].labels == ["Vote 1: Meet monthly?", "Vote 2: Lunch after?"]
    closed = await group.press("Alice", "Vote 2: Lunch after?")
    assert "Done. Vote 2 is closed." in closed.text


async def test_proxy_says_why_someone_cannot_vote(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await group.say("Eve", "/join")
    await group.press("Eve", "Lay partner")
    said = await group.say("Alice", "/proxy 1 | Eve | Yes")
    assert said.text == "Eve can't vote in vote 1, because they joined after it started."


# ---- 17. a reminder says how to vote -------------------------------------------------------------------------------


async def test_a_reminder_names_the_vote_and_carries_its_buttons(group: ConsoleAdapter) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await group.say("Alice", "/notvoted")
    await group.press("Alice", "Send them a kind reminder")
    (reminder,) = group.inbox("Carol")
    assert "vote 1" in reminder.text.casefold()
    assert reminder.labels[:3] == ["Yes", "No", "Abstain"]
    assert "press a choice below" in reminder.text.casefold()


# ---- 18. anonymous means anonymous in the terminal too --------------------------------------------------------


async def test_the_terminal_never_shows_who_is_reminded_in_an_anonymous_vote(app: App) -> None:
    console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
    await seed_demo(console)
    written: list[str] = []
    lines = ["/vote Meet monthly? | yes/no | | anonymous", "/notvoted", "1"]
    await run_terminal(console, read=scripted(lines), write=written.append)  # type: ignore[arg-type]
    shown = "\n".join(written)
    assert "Send them a kind reminder" in shown
    for name in ("Alice", "Bob", "Carol"):
        assert f"private message to {name}" not in shown


# ---- every command, every kind of incomplete input ----------------------------------------------------------

REGISTRY = build_registry()
INCOMPLETE = {
    "nothing": lambda command: "",
    "only separators": lambda command: " | | | " if command.separator else "   ",
    "a wrong part": lambda command: " | ".join(["zzz"] * max(1, len(command.params))) if command.separator else "zzz",
}


async def waiting_questions(app: App) -> int:
    async with app.database.unit_of_work() as session:
        return len((await session.execute(select(PendingInput))).all())


async def drafts_left(app: App) -> int:
    async with app.database.unit_of_work() as session:
        return len((await session.execute(select(Vote).where(Vote.status == VoteStatus.DRAFT))).all())


@pytest.mark.parametrize("kind", list(INCOMPLETE))
@pytest.mark.parametrize("command", list(REGISTRY.commands.values()), ids=lambda c: c.name)
async def test_incomplete_input_gets_an_answer_or_one_clear_question_and_cancel_ends_it(
    group: ConsoleAdapter, app: App, command: Command, kind: str
) -> None:
    await start_vote(group, "/vote Meet monthly? | yes/no")
    await start_vote(group, "/vote Lunch after? | yes/no")
    line = f"/{command.name} {INCOMPLETE[kind](command)}".rstrip()
    said = await group.say("Alice", line)
    assert said.error_id is None, f"{line!r} got the apology"
    assert said.text.strip(), f"{line!r} got no answer at all"
    waiting = await waiting_questions(app)
    assert waiting <= 1, f"{line!r} left {waiting} questions waiting"
    if waiting:
        asked = said.seen[-1]
        clear = "?" in asked.text or "Please type" in asked.text or asked.labels
        assert clear, f"{line!r} is waiting for an answer without asking clearly: {asked.text!r}"
    stopped = await group.say("Alice", "/cancel")
    expected = "Okay, I've stopped. Nothing was changed." if waiting or await drafts_left(app) else None
    if expected:
        assert stopped.text == expected
    assert await waiting_questions(app) == 0
    assert await drafts_left(app) == 0
    after = await group.say("Alice", "Friday 5pm")
    assert after.messages == [], f"after /cancel, {line!r} still took ordinary chat as an answer"
