"""Votes as people use them in the chat: each kind of vote, changing your mind, the live vote
message, hidden and anonymous votes, quorums, who hasn't voted, reminders, proxies, closing,
results, the guided /vote flow and deadlines written the way people talk.

Alice is a co-chair and a lay partner, Bob a lay partner, Carol a professional. The clock starts
on Monday 2 November 2026 at 9am (GMT, the same as UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter, ShownMessage
from bot.app import App
from bot.clock import ManualClock
from storage.people import Person
from storage.voting import Ballot, BallotChange, Vote, VoteOption

VOTE_HEADING = re.compile(r"Vote \d+: ")
MONDAY_9AM = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FRIDAY_5PM = datetime(2026, 11, 6, 17, 0, tzinfo=UTC)
CLOSED = "Vote 1 has closed, so it can't be changed. Type /results 1 to see the result."
ONLY_COCHAIRS = "Only co-chairs can do that. Ask a co-chair if you need it done."
ANONYMOUS_NOTE = (
    "This vote is anonymous: nobody in the group, co-chairs included, can see who chose what. "
    "Whoever runs the bot could see it in the database."
)


# ---- helpers: what people see, and what is stored ----------------------------------------------


@dataclass(frozen=True)
class StoredBallot:
    choices: tuple[str, ...]
    reason: str | None
    proxy_by: int | None


def vote_message(chat: ConsoleAdapter, vote_id: int = 1) -> ShownMessage:
    """The one live message the bot posted in the group chat for this vote."""
    found = [m for m in chat.group_messages() if m.text.startswith(f"Vote {vote_id}: ")]
    assert len(found) == 1, [m.text for m in chat.group_messages()]
    return found[0]


def vote_message_count(chat: ConsoleAdapter) -> int:
    """How many vote messages the bot has posted in the group chat."""
    return len([m for m in chat.group_messages() if VOTE_HEADING.match(m.text)])


def public_messages(chat: ConsoleAdapter) -> list[str]:
    """Ids of the group chat messages everyone can see."""
    return [m.id for m in chat.group_messages() if m.only_for is None]


def result_posted(chat: ConsoleAdapter, vote_id: int = 1) -> str:
    """The result the bot posted in the group chat when the vote closed."""
    found = [m.text for m in chat.group_messages() if m.text.startswith(f"Result of vote {vote_id}: ")]
    assert found, [m.text for m in chat.group_messages()]
    return found[-1]


async def join(chat: ConsoleAdapter, name: str, kind: str = "Lay partner") -> None:
    await chat.say(name, "/join")
    await chat.press(name, kind)


async def person_id(app: App, name: str) -> int:
    async with app.database.unit_of_work() as session:
        return (await session.execute(select(Person.id).where(Person.display_name == name))).scalar_one()


async def stored_vote(app: App, vote_id: int = 1) -> Vote | None:
    async with app.database.unit_of_work() as session:
        return await session.get(Vote, vote_id)


async def votes_stored(app: App) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())


async def option_labels(app: App, vote_id: int) -> dict[int, str]:
    async with app.database.unit_of_work() as session:
        rows = await session.execute(select(VoteOption.id, VoteOption.label).where(VoteOption.vote_id == vote_id))
        return {option_id: label for option_id, label in rows.all()}


def as_labels(encoded: str, labels: dict[int, str]) -> tuple[str, ...]:
    return tuple(labels[int(part)] for part in encoded.split(",") if part)


async def ballots(app: App, vote_id: int = 1) -> dict[str, StoredBallot]:
    """Every row of the ballots table for this vote, by voter name (empty choices included)."""
    labels = await option_labels(app, vote_id)
    async with app.database.unit_of_work() as session:
        rows = await session.execute(
            select(Person.display_name, Ballot.choices, Ballot.reason, Ballot.proxy_by)
            .join(Person, Person.id == Ballot.person_id)
            .where(Ballot.vote_id == vote_id)
        )
        found = rows.all()
    by_name = {name: StoredBallot(as_labels(choices, labels), reason, proxy) for name, choices, reason, proxy in found}
    assert len(by_name) == len(found), "one person has two ballot rows"
    return by_name


async def ballot_rows_of(app: App, name: str, vote_id: int = 1) -> int:
    async with app.database.unit_of_work() as session:
        return int(
            (
                await session.execute(
                    select(func.count())
                    .select_from(Ballot)
                    .join(Person, Person.id == Ballot.person_id)
                    .where(Ballot.vote_id == vote_id, Person.display_name == name)
                )
            ).scalar_one()
        )


async def changes(app: App, vote_id: int = 1) -> list[tuple[str, tuple[str, ...]]]:
    """The ballot_changes table for this vote, oldest first: (name, choices)."""
    labels = await option_labels(app, vote_id)
    async with app.database.unit_of_work() as session:
        rows = await session.execute(
            select(Person.display_name, BallotChange.choices)
            .join(Person, Person.id == BallotChange.person_id)
            .where(BallotChange.vote_id == vote_id)
            .order_by(BallotChange.id)
        )
        return [(name, as_labels(choices, labels)) for name, choices in rows.all()]


async def everyone_votes(chat: ConsoleAdapter, choices: dict[str, str], vote_id: int = 1) -> None:
    for name, label in choices.items():
        await chat.press(name, label, message=vote_message(chat, vote_id))


@pytest.fixture
async def october_group(chat: ConsoleAdapter, clock: ManualClock) -> ConsoleAdapter:
    """The same group, set up on Tuesday 20 October 2026 at 10am London time (British Summer Time)."""
    clock.set(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))
    assert "Done!" in (await chat.say("Alice", "/setup Riverside Lay Partners")).text
    await chat.press("Alice", "Lay partner")
    await chat.press("Bob", "Lay partner")
    await chat.press("Carol", "Professional")
    return chat


# ---- yes or no -------------------------------------------------------------------------------------


async def test_a_yes_no_vote_offers_yes_no_and_abstain(group: ConsoleAdapter) -> None:
    said = await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    posted = vote_message(group)
    assert posted.text.splitlines() == [
        "Vote 1: Should we meet monthly?",
        "Choose yes, no or abstain.",
        "It closes on Friday 6 November, 5pm.",
        "0 of 3 people have voted so far.",
        "Yes: 0. No: 0. Abstain: 0.",
    ]
    assert posted.labels == ["Yes", "No", "Abstain", "Who hasn't voted?"]
    assert posted in said.seen


async def test_yes_no_and_abstain_are_each_counted(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    pressed = await group.press("Alice", "Yes")
    assert pressed.toast == "Your vote is in: Yes."
    await group.press("Bob", "No")
    await group.press("Carol", "Abstain")
    assert "Yes: 1. No: 1. Abstain: 1." in vote_message(group).text.splitlines()
    assert {name: b.choices for name, b in (await ballots(app)).items()} == {
        "Alice": ("Yes",),
        "Bob": ("No",),
        "Carol": ("Abstain",),
    }


async def test_a_yes_no_tie_is_not_agreed_and_abstentions_count_towards_turnout(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "No", "Carol": "Abstain"})
    await group.say("Alice", "/closevote")
    assert result_posted(group).splitlines() == [
        "Result of vote 1: Should we meet monthly?",
        "3 of 3 people voted (100%).",
        "Yes: 1. No: 1. Abstain: 1.",
        "Yes and No tied, so the proposal was not agreed.",
    ]


# ---- pick one --------------------------------------------------------------------------------------


async def test_pick_one_keeps_only_the_latest_choice(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Which day suits? | Monday, Tuesday, Thursday")
    assert "Choose one." in vote_message(group).text
    await group.press("Bob", "Tuesday")
    pressed = await group.press("Bob", "Thursday")
    assert pressed.toast == "Your vote is in: Thursday."
    assert "Monday: 0. Tuesday: 0. Thursday: 1." in vote_message(group).text
    assert (await ballots(app))["Bob"].choices == ("Thursday",)


async def test_pick_one_result_names_the_winner(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Which day suits? | Monday, Tuesday, Thursday")
    await everyone_votes(group, {"Alice": "Thursday", "Bob": "Thursday", "Carol": "Monday"})
    await group.say("Alice", "/closevote")
    result = result_posted(group).splitlines()
    assert "Monday: 1. Tuesday: 0. Thursday: 2." in result
    assert "Thursday won with 2 votes." in result


# ---- pick up to N ----------------------------------------------------------------------------------


async def test_pick_up_to_two_lets_a_person_choose_two(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Our priorities | pick 2: Transport, Housing, Carers")
    assert "Choose up to 2. Press a choice again to take it back." in vote_message(group).text
    await group.press("Bob", "Transport")
    pressed = await group.press("Bob", "Housing")
    assert pressed.toast == "Your choices: Transport and Housing."
    assert "Transport: 1. Housing: 1. Carers: 0." in vote_message(group).text
    assert (await ballots(app))["Bob"].choices == ("Transport", "Housing")


async def test_pressing_a_chosen_option_again_takes_it_back(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Our priorities | pick 2: Transport, Housing, Carers")
    await group.press("Bob", "Transport")
    await group.press("Bob", "Housing")
    pressed = await group.press("Bob", "Transport")
    assert pressed.toast == "Your choices: Housing."
    assert "Transport: 0. Housing: 1. Carers: 0." in vote_message(group).text
    assert (await ballots(app))["Bob"].choices == ("Housing",)


async def test_a_choice_beyond_the_limit_is_refused_kindly_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Our priorities | pick 2: Transport, Housing, Carers")
    await group.press("Bob", "Transport")
    await group.press("Bob", "Housing")
    before = vote_message(group).text
    pressed = await group.press("Bob", "Carers")
    assert pressed.text == "You can choose up to 2. Press one of your choices again to take it back first."
    assert pressed.seen[0].only_for == "bob"
    assert vote_message(group).text == before
    assert (await ballots(app))["Bob"].choices == ("Transport", "Housing")


async def test_pick_several_result_says_what_was_chosen_most_often(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Our priorities | pick 2: Transport, Housing, Carers")
    await everyone_votes(group, {"Alice": "Transport", "Bob": "Transport"})
    await group.press("Alice", "Carers")
    await group.say("Alice", "/closevote")
    result = result_posted(group).splitlines()
    assert "2 of 3 people voted (67%)." in result
    assert "Transport: 2. Housing: 0. Carers: 1." in result
    assert "Chosen most often: Transport, by 2 people." in result


# ---- consensus -------------------------------------------------------------------------------------


async def test_disagreeing_asks_for_a_short_reason_which_is_kept(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    assert vote_message(group).labels == ["Agree", "Abstain", "Disagree", "Block", "Who hasn't voted?"]
    pressed = await group.press("Bob", "Disagree")
    assert "Please type a short reason for choosing Disagree. It will be shown with the result." in pressed.text
    typed = await group.say("Bob", "The print is too small to read")
    assert typed.text == "Thank you. Your reason will be shown with the result."
    assert typed.seen[0].only_for == "bob"
    assert (await ballots(app))["Bob"] == StoredBallot(("Disagree",), "The print is too small to read", None)


async def test_blocking_asks_for_a_reason_too(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    pressed = await group.press("Carol", "Block")
    assert "Please type a short reason for choosing Block. It will be shown with the result." in pressed.text
    await group.say("Carol", "It has no easy-read version")
    assert (await ballots(app))["Carol"].reason == "It has no easy-read version"


async def test_agreeing_asks_for_no_reason(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    pressed = await group.press("Bob", "Agree")
    assert pressed.toast == "Your vote is in: Agree."
    assert "reason" not in pressed.text


async def test_consensus_result_shows_each_reason_with_the_persons_name(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    await group.press("Alice", "Agree")
    await group.press("Bob", "Disagree")
    await group.say("Bob", "The print is too small to read")
    await group.press("Carol", "Block")
    await group.say("Carol", "It has no easy-read version.")
    await group.say("Alice", "/closevote")
    assert result_posted(group).splitlines() == [
        "Result of vote 1: Adopt the new leaflet?",
        "3 of 3 people voted (100%).",
        "Agree: 1. Abstain: 0. Disagree: 1. Block: 1.",
        "The proposal was blocked, so there is no consensus.",
        "Bob disagreed: The print is too small to read.",
        "Carol blocked: It has no easy-read version.",
    ]


async def test_consensus_is_reached_when_more_agree_than_disagree_and_nobody_blocks(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    await everyone_votes(group, {"Alice": "Agree", "Bob": "Agree", "Carol": "Abstain"})
    await group.say("Alice", "/closevote")
    assert "Consensus was reached." in result_posted(group).splitlines()


async def test_anonymous_consensus_asks_for_reasons_privately_and_shows_them_without_names(
    group: ConsoleAdapter,
) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus | | anonymous")
    pressed = await group.press("Bob", "Disagree")
    assert [m.text for m in pressed.messages if m.chat.kind.value == "group" and "reason" in m.text] == []
    asked = group.inbox("Bob")[-1]
    assert asked.text.startswith("You chose Disagree in vote 1. Please reply here with a short reason.")
    chatted = await group.say("Bob", "Sorry I'm late everyone")  # group chat is not taken as the reason
    assert chatted.messages == []
    await group.say("Bob", "The print is too small to read", private=True)
    await group.press("Carol", "Block")
    await group.say("Carol", "It has no easy-read version", private=True)
    await group.say("Alice", "/closevote")
    result = result_posted(group)
    assert "Someone disagreed. Their reason: The print is too small to read." in result.splitlines()
    assert "Someone blocked. Their reason: It has no easy-read version." in result.splitlines()
    assert "Bob" not in result and "Carol" not in result


async def test_changing_from_disagree_to_agree_does_not_take_the_next_message_as_a_reason(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    await group.press("Bob", "Disagree")
    await group.press("Bob", "Agree")
    chatted = await group.say("Bob", "Lovely weather today")
    assert chatted.messages == []
    assert (await ballots(app))["Bob"] == StoredBallot(("Agree",), None, None)


async def test_a_reason_typed_after_the_vote_closed_is_refused_once_and_chat_carries_on(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Alice", "/vote Adopt the new leaflet? | consensus")
    await group.press("Carol", "Block")
    await group.say("Alice", "/closevote")
    late = await group.say("Carol", "It has no easy-read version")
    assert late.text == "Vote 1 has closed, so I couldn't add your reason. Type /results 1 to see the result."
    assert (await group.say("Carol", "Oh well, next time")).messages == []
    assert (await ballots(app))["Carol"].reason is None


# ---- ranked choice ---------------------------------------------------------------------------------


async def test_ranked_choice_records_presses_in_order(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Which drink for the meeting? | ranked: Tea, Coffee, Water")
    posted = vote_message(group)
    assert "Press the choices in your order of preference, first choice first." in posted.text
    assert posted.labels == ["Tea", "Coffee", "Water", "Start my ranking again", "Who hasn't voted?"]
    await group.press("Bob", "Water")
    pressed = await group.press("Bob", "Tea")
    assert pressed.toast == "Your order so far: 1. Water, 2. Tea."
    assert "First choices so far: Tea: 0. Coffee: 0. Water: 1." in vote_message(group).text
    assert (await ballots(app))["Bob"].choices == ("Water", "Tea")


async def test_start_my_ranking_again_clears_the_ranking(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Which drink for the meeting? | ranked: Tea, Coffee, Water")
    await group.press("Bob", "Water")
    await group.press("Bob", "Tea")
    cleared = await group.press("Bob", "Start my ranking again")
    assert cleared.toast == "Your ranking is cleared. Press the choices again, first choice first."
    assert "0 of 3 people have voted so far." in vote_message(group).text
    assert "Bob" not in await ballots(app)  # no ballot row without a choice
    await group.press("Bob", "Coffee")
    assert (await ballots(app))["Bob"].choices == ("Coffee",)


async def test_ranked_result_explains_each_instant_run_off_round(group: ConsoleAdapter) -> None:
    await join(group, "Dan")
    await join(group, "Erin")
    await group.say("Alice", "/vote Which drink for the meeting? | ranked: Tea, Coffee, Water")
    rankings = {
        "Alice": ["Tea"],
        "Bob": ["Tea"],
        "Carol": ["Coffee"],
        "Dan": ["Coffee"],
        "Erin": ["Water", "Coffee"],
    }
    for name, order in rankings.items():
        for label in order:
            await group.press(name, label, message=vote_message(group))
    await group.say("Alice", "/closevote")
    assert result_posted(group).splitlines() == [
        "Result of vote 1: Which drink for the meeting?",
        "5 of 5 people voted (100%).",
        "Round 1, first choices: Tea: 2. Coffee: 2. Water: 1.",
        "Water had the fewest votes and was removed. Those votes moved to the next choice.",
        "Round 2, first choices: Tea: 2. Coffee: 3.",
        "Coffee won in round 2, with 3 of 5 votes.",
    ]


# ---- changing your vote ----------------------------------------------------------------------------


async def test_bob_changes_his_vote_from_yes_to_no(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    changed = await group.press("Bob", "No")
    assert changed.toast == "Your vote is in: No."
    assert "Yes: 0. No: 1. Abstain: 0." in vote_message(group).text
    assert "1 of 3 people have voted so far." in vote_message(group).text
    assert await ballot_rows_of(app, "Bob") == 1
    assert (await ballots(app))["Bob"].choices == ("No",)


async def test_an_earlier_choice_is_kept_for_a_vote_that_is_not_anonymous(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.press("Bob", "No")
    history = await changes(app)
    assert history[0] == ("Bob", ("Yes",))
    assert {name for name, _choices in history} == {"Bob"}


async def test_an_earlier_choice_is_not_kept_for_an_anonymous_vote(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | anonymous")
    await group.press("Bob", "Yes")
    await group.press("Bob", "No")
    assert await changes(app) == []
    assert await ballot_rows_of(app, "Bob") == 1
    assert (await ballots(app))["Bob"].choices == ("No",)


# ---- the live vote message -------------------------------------------------------------------------


async def test_the_vote_message_is_edited_in_place_with_counts_and_who_has_voted(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    posted = vote_message(group)
    assert not posted.edited
    public_before = public_messages(group)
    await group.press("Bob", "Yes")
    await group.press("Carol", "No")
    assert public_messages(group) == public_before  # nothing new posted: the same message changed
    assert vote_message(group) is posted
    assert posted.edited
    assert posted.text.splitlines()[-3:] == [
        "2 of 3 people have voted so far.",
        "Yes: 1. No: 1. Abstain: 0.",
        "Voted: Bob and Carol.",
    ]


async def test_hidden_results_show_no_counts_until_the_vote_closes(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | hide results")
    await group.press("Bob", "Yes")
    await group.press("Carol", "Yes")
    live = vote_message(group).text
    assert "Results are hidden until the vote closes." in live
    assert "Yes: " not in live and "No: " not in live
    assert "2 of 3 people have voted so far." in live
    still_open = await group.say("Bob", "/results 1")
    assert "Vote 1 is still open." in still_open.text
    assert "Yes: " not in still_open.text
    await group.say("Alice", "/closevote")
    assert "Yes: 2. No: 0. Abstain: 0." in result_posted(group).splitlines()
    assert "Yes: 2. No: 0. Abstain: 0." in vote_message(group).text


async def test_an_anonymous_vote_message_names_nobody_and_says_who_could_see_the_choices(
    group: ConsoleAdapter,
) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | anonymous")
    await group.press("Bob", "Yes")
    await group.press("Carol", "No")
    live = vote_message(group).text
    assert ANONYMOUS_NOTE in live.splitlines()
    assert "2 of 3 people have voted so far." in live
    assert "Voted:" not in live
    assert "Bob" not in live and "Carol" not in live


async def test_an_anonymous_vote_names_nobody_in_notvoted_or_the_result(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | anonymous")
    await group.press("Bob", "Yes")
    notvoted = await group.say("Alice", "/notvoted")
    assert notvoted.seen[0].text == (
        "2 people haven't voted in vote 1 yet. This vote is anonymous, so I don't list names."
    )
    pressed = await group.press("Bob", "Who hasn't voted?")
    assert "Alice" not in pressed.text and "Carol" not in pressed.text
    await group.press("Carol", "No", message=vote_message(group))
    await group.say("Alice", "/closevote")
    shown = result_posted(group) + "\n" + vote_message(group).text
    for name in ("Alice", "Bob", "Carol"):
        assert name not in shown


async def test_anonymous_reminders_name_nobody_but_the_person_reminded(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm | anonymous")
    await group.press("Alice", "Yes")
    await group.press("Alice", "Who hasn't voted?")
    sent = await group.press("Alice", "Send them a kind reminder")
    assert sent.seen[-1].text == "I've sent a private reminder to 2 people."
    for name, other in (("Bob", "Carol"), ("Carol", "Bob")):
        (reminder,) = group.inbox(name)
        assert reminder.text.startswith(f"Hello {name}. A kind reminder")
        assert other not in reminder.text and "Alice" not in reminder.text


# ---- quorum ----------------------------------------------------------------------------------------


async def test_a_quorum_of_three_is_met_when_three_people_vote(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | quorum 3")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "Yes", "Carol": "No"})
    await group.say("Alice", "/closevote")
    result = result_posted(group).splitlines()
    assert "The proposal was agreed." in result
    assert "The quorum of 3 people was met." in result


async def test_a_quorum_of_three_is_not_met_when_two_people_vote(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | quorum 3")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "Yes"})
    await group.say("Alice", "/closevote")
    assert "The quorum of 3 people was not met, so this result does not count." in result_posted(group).splitlines()


async def test_a_quorum_of_sixty_percent_is_worked_out_from_who_can_vote(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | quorum 60%")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "No"})
    await group.say("Alice", "/closevote")
    result = result_posted(group).splitlines()
    assert "2 of 3 people voted (67%)." in result
    assert "The quorum of 60% (2 of 3 people) was met." in result  # 60% of 3 people, rounded up


async def test_a_quorum_of_sixty_percent_is_not_met_by_one_of_three(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | quorum 60%")
    await group.press("Bob", "Yes")
    await group.say("Alice", "/closevote")
    assert (
        "The quorum of 60% (2 of 3 people) was not met, so this result does not count."
        in result_posted(group).splitlines()
    )


# ---- lay partners only -----------------------------------------------------------------------------


async def test_a_professional_cannot_vote_in_a_lay_partners_only_vote(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | lay partners only")
    posted = vote_message(group)
    assert "Only lay partners can vote in this one." in posted.text
    assert "0 of 2 people have voted so far." in posted.text
    pressed = await group.press("Carol", "Yes")
    assert pressed.text == "Only lay partners can vote in this one."
    assert pressed.seen[0].only_for == "carol"
    assert not posted.edited
    assert await ballots(app) == {}


async def test_a_lay_partner_can_vote_in_a_lay_partners_only_vote(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | | lay partners only")
    await group.press("Bob", "Yes")
    assert "1 of 2 people have voted so far." in vote_message(group).text
    assert (await ballots(app))["Bob"].choices == ("Yes",)


# ---- who hasn't voted, and reminders ---------------------------------------------------------------


async def test_notvoted_lists_who_has_not_voted_by_name(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    said = await group.say("Bob", "/notvoted")
    assert said.text == "2 people haven't voted in vote 1 yet: Alice and Carol."
    assert said.seen[0].only_for == "bob"


async def test_notvoted_says_one_person_hasnt_voted(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "Yes"})
    said = await group.say("Bob", "/notvoted 1")
    assert said.text == "1 person hasn't voted in vote 1 yet: Carol."


async def test_notvoted_says_when_everyone_has_voted(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "Yes", "Carol": "No"})
    said = await group.say("Bob", "/notvoted")
    assert said.text == "Everyone who can vote in vote 1 has voted."


async def test_the_who_hasnt_voted_button_lists_names_and_offers_a_member_no_reminder(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    pressed = await group.press("Bob", "Who hasn't voted?")
    (shown,) = pressed.seen
    assert shown.text == "2 people haven't voted in vote 1 yet: Alice and Carol."
    assert shown.only_for == "bob"
    assert shown.labels == []


async def test_a_cochair_is_offered_a_kind_reminder(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    pressed = await group.press("Alice", "Who hasn't voted?")
    assert pressed.seen[0].labels == ["Send them a kind reminder"]


async def test_a_kind_reminder_reaches_each_non_voter_privately_with_the_vote_buttons(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "No"})
    await group.say("Alice", "/notvoted")
    sent = await group.press("Alice", "Send them a kind reminder")
    assert sent.toast is None  # the summary below says it
    assert sent.seen[-1].text == "I've sent a private reminder to 1 person."
    (reminder,) = group.inbox("Carol")
    assert reminder.text.splitlines() == [
        "Hello Carol. A kind reminder: the group is voting on “Should we meet monthly?” (vote 1), "
        "and it closes on Friday 6 November, 5pm.",
        "To vote, press a choice below. You can also type /votes in the group's chat.",
    ]
    assert reminder.labels[:3] == ["Yes", "No", "Abstain"]
    assert group.inbox("Bob") == [] and group.inbox("Alice") == []


async def test_a_person_votes_by_pressing_a_button_in_the_reminder(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await group.press("Alice", "Yes")
    await group.say("Alice", "/notvoted")
    await group.press("Alice", "Send them a kind reminder")
    pressed = await group.press("Carol", "Yes", private=True)
    assert pressed.toast == "Your vote is in: Yes."
    assert (await ballots(app))["Carol"].choices == ("Yes",)
    assert "Voted: Alice and Carol." in vote_message(group).text


async def test_a_member_cannot_send_reminders(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    pressed = await group.press_data("Bob", "remind", "1")
    assert pressed.text == ONLY_COCHAIRS
    assert group.inbox("Alice") == [] and group.inbox("Carol") == []


async def test_the_automatic_reminder_goes_to_non_voters_a_day_before_the_deadline(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "No"})
    clock.set(FRIDAY_5PM - timedelta(hours=24, minutes=1))
    await app.scheduler.run_due()
    assert group.inbox("Carol") == []
    clock.advance(timedelta(minutes=1))
    await app.scheduler.run_due()
    (reminder,) = group.inbox("Carol")
    assert reminder.text.startswith("Hello Carol. A kind reminder")
    assert group.inbox("Bob") == []


# ---- proxies ---------------------------------------------------------------------------------------


async def test_a_cochair_records_a_proxy_vote_for_a_member(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    said = await group.say("Alice", "/proxy 1 | Carol | Yes")
    (confirmation,) = [m for m in said.seen if m.only_for == "alice"]
    assert confirmation.text == "Recorded Carol's vote on vote 1, given to you: Yes. It is marked as a proxy vote."
    assert (await ballots(app))["Carol"] == StoredBallot(("Yes",), None, await person_id(app, "Alice"))
    assert "Voted: Carol." in vote_message(group).text


async def test_a_member_cannot_record_a_proxy_vote(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    said = await group.say("Bob", "/proxy 1 | Carol | Yes")
    assert said.text == ONLY_COCHAIRS
    assert await ballots(app) == {}


# ---- listing, results, closing and extending -------------------------------------------------------


async def test_votes_lists_the_open_votes(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    await group.say("Alice", "/vote Which day suits? | Monday, Tuesday")
    await group.say("Alice", "/vote An old question | yes/no")
    await group.say("Alice", "/closevote 3")
    await group.press("Bob", "Yes", message=vote_message(group, 1))
    said = await group.say("Bob", "/votes")
    assert said.text.splitlines() == [
        "Open votes:",
        "Vote 1: Should we meet monthly? (closes on Friday 6 November, 5pm). You have voted.",
        "Vote 2: Which day suits? (no closing time). You haven't voted yet.",
    ]
    assert said.seen[0].labels == ["Show vote 1", "Show vote 2"]


async def test_votes_says_when_nothing_is_open(group: ConsoleAdapter) -> None:
    assert (await group.say("Bob", "/votes")).text == "There are no open votes right now."


async def test_results_shows_a_closed_vote_as_sentences(group: ConsoleAdapter) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "Yes", "Carol": "No"})
    await group.say("Alice", "/closevote")
    said = await group.say("Carol", "/results 1")
    assert said.text.splitlines() == [
        "Result of vote 1: Should we meet monthly?",
        "3 of 3 people voted (100%).",
        "Yes: 2. No: 1. Abstain: 0.",
        "The proposal was agreed.",
    ]


async def test_a_cochair_closes_a_vote_early_and_its_buttons_disappear(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    await group.press("Bob", "Yes")
    closed = await group.say("Alice", "/closevote 1")
    assert "Done. Vote 1 is closed." in closed.text
    posted = vote_message(group)
    assert posted.labels == []
    assert "This vote has closed. Type /results 1 to see the result." in posted.text
    assert result_posted(group).startswith("Result of vote 1: Should we meet monthly?")
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "closed"
    assert vote.closed_at == MONDAY_9AM and vote.closed_by == await person_id(app, "Alice")


async def test_a_press_after_the_vote_closed_is_refused(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    old_message = vote_message(group)
    (yes,) = [b for row in old_message.buttons for b in row if b.label == "Yes"]
    await group.say("Alice", "/closevote")
    pressed = await group.press_data("Bob", yes.action, yes.payload, message=old_message)
    assert pressed.text == CLOSED
    assert await ballots(app) == {}


async def test_a_member_cannot_close_a_vote(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no")
    said = await group.say("Bob", "/closevote 1")
    assert said.text == ONLY_COCHAIRS
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "open"
    assert vote_message(group).labels[:3] == ["Yes", "No", "Abstain"]


async def test_extend_moves_the_deadline_and_shows_it_the_uk_way(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Wednesday 5pm")
    said = await group.say("Alice", "/extend 1 Friday 5pm")
    assert said.text.splitlines()[-1] == "Vote 1 now closes on Friday 6 November, 5pm."
    assert "It closes on Friday 6 November, 5pm." in vote_message(group).text
    vote = await stored_vote(app)
    assert vote is not None and vote.closes_at == FRIDAY_5PM


async def test_a_vote_closes_by_itself_at_its_deadline(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    await everyone_votes(group, {"Alice": "Yes", "Bob": "No", "Carol": "Yes"})
    clock.set(FRIDAY_5PM - timedelta(minutes=1))
    await app.scheduler.run_due()
    assert vote_message(group).labels != []
    clock.set(FRIDAY_5PM)
    await app.scheduler.run_due()
    assert vote_message(group).labels == []
    assert "The proposal was agreed." in result_posted(group).splitlines()
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "closed" and vote.closed_by is None


async def test_an_extended_vote_stays_open_past_its_old_deadline(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Wednesday 5pm")
    await group.say("Alice", "/extend 1 Friday 5pm")
    clock.set(datetime(2026, 11, 5, 9, 0, tzinfo=UTC))  # Thursday
    await app.scheduler.run_due()
    pressed = await group.press("Bob", "Yes")
    assert pressed.toast == "Your vote is in: Yes."
    clock.set(FRIDAY_5PM)
    await app.scheduler.run_due()
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "closed"


# ---- starting a vote step by step ------------------------------------------------------------------


async def test_vote_on_its_own_guides_a_cochair_step_by_step(group: ConsoleAdapter, app: App) -> None:
    asked = await group.say("Alice", "/vote")
    assert asked.text == "What would you like the group to vote on? Please type your question."
    kinds = await group.say("Alice", "Which days suit for the summer meetings?")
    assert kinds.text == "What kind of vote is “Which days suit for the summer meetings?”? Choose one."
    assert kinds.seen[0].labels == ["Yes or no", "Pick one", "Pick several", "Consensus", "Ranked choice"]
    choices = await group.press("Alice", "Pick several")
    assert choices.text == "Please type the choices, separated by commas. For example: Tea, Coffee, Water"
    limit = await group.say("Alice", "Monday, Tuesday, Thursday")
    assert limit.text == "How many choices can each person pick?"
    assert limit.seen[0].labels == ["Up to 1", "Up to 2"]
    deadline = await group.press("Alice", "Up to 2")
    assert deadline.text == (
        "When should the vote close? Type a time like “Friday 5pm” or “in 3 days”, or press No deadline."
    )
    summary = await group.say("Alice", "Friday 5pm")
    assert summary.text.splitlines() == [
        "Ready to start this vote?",
        "Question: Which days suit for the summer meetings?",
        "Kind: people pick up to 2 of the choices.",
        "Choices: Monday, Tuesday, Thursday.",
        "It closes on Friday 6 November, 5pm.",
        "Anonymous: no.",
        "Results hidden until it closes: no.",
    ]
    assert await votes_stored(app) == 1 and vote_message_count(group) == 0
    toggled = await group.press("Alice", "Hide results until it closes")
    assert toggled.seen[0] is summary.seen[0] and toggled.seen[0].edited
    assert "Results hidden until it closes: yes." in toggled.text
    started = await group.press("Alice", "Start the vote")
    assert started.toast is None  # "Vote 1 has started." says it
    assert vote_message_count(group) == 1
    posted = vote_message(group)
    assert posted.labels[:3] == ["Monday", "Tuesday", "Thursday"]
    assert "Results are hidden until the vote closes." in posted.text
    vote = await stored_vote(app)
    assert vote is not None
    assert (vote.status, vote.kind, vote.max_choices, vote.hide_results, vote.anonymous, vote.closes_at) == (
        "open",
        "pick_many",
        2,
        True,
        False,
        FRIDAY_5PM,
    )


async def test_a_guided_vote_can_be_anonymous_with_no_deadline(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote")
    await group.say("Alice", "Should we meet monthly?")
    await group.press("Alice", "Yes or no")
    summary = await group.press("Alice", "No deadline")
    assert "It stays open until a co-chair closes it." in summary.text
    await group.press("Alice", "Make it anonymous")
    await group.press("Alice", "Start the vote")
    posted = vote_message(group)
    assert ANONYMOUS_NOTE in posted.text
    assert posted.labels[:3] == ["Yes", "No", "Abstain"]
    vote = await stored_vote(app)
    assert vote is not None and vote.anonymous and vote.closes_at is None


async def test_a_guided_vote_asks_again_after_a_time_it_cannot_read(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly?")
    await group.press("Alice", "Yes or no")
    unclear = await group.say("Alice", "whenever suits")
    assert unclear.text == (
        "Sorry, I didn't understand “whenever suits” as a time. Try “Friday 5pm”, “in 3 days” or “3 Dec 18:30”."
    )
    summary = await group.say("Alice", "Friday 5pm")
    assert "It closes on Friday 6 November, 5pm." in summary.text
    await group.press("Alice", "Start the vote")
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "open" and vote.closes_at == FRIDAY_5PM


async def test_only_the_person_setting_up_a_vote_can_use_its_buttons(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly?")
    await group.press("Alice", "Yes or no")
    await group.press("Alice", "No deadline")
    pressed = await group.press("Bob", "Start the vote")
    assert pressed.text == "Only the person setting up this vote can use these buttons."
    vote = await stored_vote(app)
    assert vote is not None and vote.status == "draft"


# ---- who may start a vote --------------------------------------------------------------------------


async def test_a_member_cannot_start_a_vote_by_default(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Bob", "/vote Should we meet monthly? | yes/no")
    assert said.text == "Only co-chairs can start votes in this group. A co-chair can change that in /settings."
    assert await votes_stored(app) == 0
    guided = await group.say("Bob", "/vote")
    assert guided.text == said.text


async def test_a_member_can_start_a_vote_once_the_setting_allows_it(group: ConsoleAdapter, app: App) -> None:
    changed = await group.say("Alice", "/settings members_can_start_votes yes")
    assert changed.text == "Done. Any member can start a vote."
    await group.say("Bob", "/vote Should we meet monthly? | yes/no")
    assert vote_message(group).text.startswith("Vote 1: Should we meet monthly?")
    vote = await stored_vote(app)
    assert vote is not None and vote.opened_by == await person_id(app, "Bob")


# ---- deadlines written the way people talk ---------------------------------------------------------


async def test_friday_5pm_on_a_monday_means_this_friday_at_5pm(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | Friday 5pm")
    assert "It closes on Friday 6 November, 5pm." in vote_message(group).text
    vote = await stored_vote(app)
    assert vote is not None and vote.closes_at == FRIDAY_5PM


async def test_a_deadline_after_the_clocks_go_back_is_stored_in_gmt(october_group: ConsoleAdapter, app: App) -> None:
    await october_group.say("Alice", "/vote Should we meet monthly? | yes/no | 27 Oct 18:30")
    assert "It closes on Tuesday 27 October, 6:30pm." in vote_message(october_group).text
    vote = await stored_vote(app)
    assert vote is not None and vote.closes_at == datetime(2026, 10, 27, 18, 30, tzinfo=UTC)


async def test_a_deadline_before_the_clocks_go_back_is_stored_in_bst(october_group: ConsoleAdapter, app: App) -> None:
    await october_group.say("Alice", "/vote Should we meet monthly? | yes/no | 23 Oct 18:30")
    assert "It closes on Friday 23 October, 6:30pm." in vote_message(october_group).text
    vote = await stored_vote(app)
    assert vote is not None and vote.closes_at == datetime(2026, 10, 23, 17, 30, tzinfo=UTC)


async def test_a_date_with_a_slash_is_read_day_first(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Should we meet monthly? | yes/no | 3/12 18:30")
    assert "It closes on Thursday 3 December, 6:30pm." in vote_message(group).text
    vote = await stored_vote(app)
    assert vote is not None and vote.closes_at == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize("when", ["yesterday 5pm", "today 8am", "1/1/2020"])
async def test_a_deadline_in_the_past_is_refused_kindly_and_no_vote_is_created(
    group: ConsoleAdapter, app: App, when: str
) -> None:
    said = await group.say("Alice", f"/vote Should we meet monthly? | yes/no | {when}")
    assert said.text.startswith("That time has already passed. Please choose a time in the future.")
    assert "When should the vote close?" in said.text  # asked again, keeping the rest of the line
    assert await votes_stored(app) == 0
    assert vote_message_count(group) == 0
    await group.say("Alice", "/cancel")
    assert (await group.say("Alice", "Friday 5pm")).messages == []


async def test_a_deadline_it_cannot_read_is_refused_kindly_and_no_vote_is_created(
    group: ConsoleAdapter, app: App
) -> None:
    said = await group.say("Alice", "/vote Should we meet monthly? | yes/no | banana o'clock")
    assert said.text.startswith(
        "Sorry, I didn't understand “banana o'clock” as a time. Try “Friday 5pm”, “in 3 days” or “3 Dec 18:30”."
    )
    assert await votes_stored(app) == 0
    assert vote_message_count(group) == 0
