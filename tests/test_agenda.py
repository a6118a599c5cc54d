"""A co-produced agenda and the evening meeting, driven through the terminal chat: proposing (named, private,
anonymous), support, ranking, co-chairs shaping it, publishing on schedule, carry-over, hiding an anonymous
post, and a whole meeting from /startmeeting to /minutes."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter, ShownMessage
from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from storage.agenda import AgendaItem, ItemStatus, Support
from storage.groups import HiddenPost
from storage.people import Person
from tests.helpers import snapshot

# The test clock starts on Monday 2 November 2026, 9am (GMT). Meetings below are on Tuesdays at 6:30pm.
MONTHLY = "/meeting first Tuesday of the month 6:30pm | Town hall"
DECEMBER_1ST = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table).order_by(table.id))).scalars())  # type: ignore[attr-defined]


async def person_id(app: App, name: str) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(Person.id).where(Person.display_name == name))).scalar_one())


async def propose(group: ConsoleAdapter, who: str, line: str) -> ShownMessage:
    said = await group.say(who, line)
    posts = [m for m in said.messages if "proposes for" in m.text]
    assert posts, said.text
    return posts[0]


@pytest.fixture
async def planned(group: ConsoleAdapter) -> ConsoleAdapter:
    """A group with a monthly meeting: Tuesday 3 November is too close (proposals closed a week before),
    so new items are for Tuesday 1 December."""
    await group.say("Alice", MONTHLY)
    return group


# ---- proposing -------------------------------------------------------------------------------------------


async def test_a_member_proposes_an_item_in_one_line_and_it_is_posted_with_a_support_button(
    planned: ConsoleAdapter, app: App
) -> None:
    said = await planned.say("Bob", "/propose Transport to the hospital | https://example.org/buses")
    post = next(m for m in said.messages if m.only_for is None)
    assert post.text == (
        "Bob proposes for the meeting on Tuesday 1 December, 6:30pm: Transport to the hospital\n"
        "Note: https://example.org/buses\nNobody supports it yet. Press Support if you do."
    )
    assert post.labels == ["Support"]
    thanks = next(m for m in said.messages if m.only_for == planned.user("Bob").id)
    assert thanks.text.startswith("Thank you. Your item is number 1, for the meeting on Tuesday 1 December, 6:30pm.")
    assert "Proposals for the meeting on Tuesday 3 November, 6:30pm closed on Tuesday 27 October" in thanks.text
    (item,) = await rows(app, AgendaItem)
    assert (item.title, item.proposed_by, item.anonymous) == (
        "Transport to the hospital",
        await person_id(app, "Bob"),
        False,
    )


async def test_privately_an_item_can_be_proposed_without_a_name_and_nothing_links_it_to_its_author(
    planned: ConsoleAdapter, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    asked = await planned.say("Carol", "/propose Our complaints process", private=True)
    assert asked.text == "Shall I post this with your name, or as “A member proposes”?"
    said = await planned.press("Carol", "Without my name", private=True)
    post = next(m for m in said.messages if m.chat == planned.group_chat)
    assert post.text.startswith(
        "A member proposes for the meeting on Tuesday 1 December, 6:30pm: Our complaints process"
    )
    assert "Carol" not in post.text
    (item,) = await rows(app, AgendaItem)
    assert item.anonymous and item.proposed_by is None
    everything = await snapshot(app.database)
    carol = await person_id(app, "Carol")
    for table, table_rows in everything.items():
        if table in ("people", "accounts", "memberships", "inbound_events", "outbox"):
            continue
        for row in table_rows:
            assert not ("Our complaints process" in repr(row) and carol in row), (table, row)
    assert "Our complaints process" not in caplog.text
    listed = await planned.say("Alice", "/agenda")
    assert "1. Item 1: Our complaints process. Proposed by a member on 2 November" in listed.text


async def test_anonymous_in_the_group_chat_is_refused_and_an_empty_proposal_saves_nothing(
    planned: ConsoleAdapter, app: App
) -> None:
    before = await snapshot(app.database)
    said = await planned.say("Bob", "/propose Our complaints | | anonymous")
    assert said.text.startswith("To propose an item without your name, send /propose to me in a private message.")
    assert (await planned.say("Bob", "/propose ..")).text.startswith("Please describe the item in a few words")
    assert (await planned.say("Bob", "/propose")).text.startswith("Please type the item.")
    await planned.say("Bob", "/cancel")
    assert await rows(app, AgendaItem) == []
    assert {k: v for k, v in (await snapshot(app.database)).items() if k != "inbound_events"} == {
        k: v for k, v in before.items() if k != "inbound_events"
    }


async def test_a_likely_duplicate_offers_to_support_the_existing_item_instead(
    planned: ConsoleAdapter, app: App
) -> None:
    await propose(planned, "Bob", "/propose Transport to the hospital")
    asked = await planned.say("Carol", "/propose transport to hospital")
    assert asked.text == "That looks like item 1, “Transport to the hospital”. Did you mean to support that one?"
    assert asked.seen[-1].labels == ["Support item 1", "Propose mine anyway"]
    supported = await planned.press("Carol", "Support item 1")
    assert supported.toast == "Thank you, you support item 1."
    assert len(await rows(app, AgendaItem)) == 1
    await planned.say("Carol", "/propose transport to hospital")
    anyway = await planned.press("Carol", "Propose mine anyway")
    assert any("Carol proposes for" in m.text for m in anyway.messages)
    assert len(await rows(app, AgendaItem)) == 2
    stale = await planned.press("Carol", "Propose mine anyway", message=asked.seen[-1])
    assert stale.text.startswith("That was already done, or the question has expired.")


# ---- support and ranking -------------------------------------------------------------------------------


async def test_support_is_one_per_person_can_be_taken_back_and_ranks_the_agenda(
    planned: ConsoleAdapter, app: App
) -> None:
    first = await propose(planned, "Bob", "/propose Transport to the hospital")
    second = await propose(planned, "Carol", "/propose Carers' breaks")
    for who in ("Alice", "Bob"):
        said = await planned.press(who, "Support", message=second)
        assert said.toast == "Thank you, you support item 2."
    assert (await planned.press("Carol", "Support", message=first)).toast == "Thank you, you support item 1."
    assert second.text.endswith("2 people support it.")
    taken_back = await planned.press("Bob", "Support", message=second)
    assert taken_back.toast == "You no longer support item 2."
    assert second.text.endswith("1 person supports it.")
    await planned.press("Bob", "Support", message=second)
    assert len(await rows(app, Support)) == 3
    listed = await planned.say("Bob", "/agenda")
    assert listed.text.splitlines() == [
        "The draft agenda for the meeting on Tuesday 1 December, 6:30pm, most supported first: "
        "(proposals close on Tuesday 24 November, 6:30pm)",
        "1. Item 2: Carers' breaks. Proposed by Carol on 2 November; 2 people support it.",
        "2. Item 1: Transport to the hospital. Proposed by Bob on 2 November; 1 person supports it.",
    ]


async def test_a_long_agenda_comes_a_page_at_a_time_within_discords_limit(planned: ConsoleAdapter) -> None:
    for n in range(40):
        words = " ".join(hashlib.sha256(f"{n}.{k}".encode()).hexdigest()[:9] for k in range(12))
        await planned.say("Bob", f"/propose {words}")
    first = (await planned.say("Bob", "/agenda")).seen[-1]
    pages = int(first.text.rsplit(" ", 1)[-1].rstrip("."))
    assert len(first.text) <= 2000 and first.text.endswith(f"Page 1 of {pages}.") and pages > 2
    second = await planned.press("Bob", "Next page", message=first)
    assert second.seen[-1].text.endswith(f"Page 2 of {pages}.")
    assert second.seen[-1].labels == ["Previous page", "Next page"]
    assert len(second.seen[-1].text) <= 2000


# ---- co-chairs shape it -----------------------------------------------------------------------------------


async def test_co_chairs_order_merge_defer_and_time_items_and_members_cannot(planned: ConsoleAdapter, app: App) -> None:
    await planned.say("Alice", "/meeting 5 January 2027 6:30pm | Library")
    await propose(planned, "Bob", "/propose Transport to the hospital")
    bus = await propose(planned, "Carol", "/propose Buses after 6pm")
    await propose(planned, "Bob", "/propose Carers' breaks")
    await planned.press("Alice", "Support", message=bus)
    assert (
        await planned.say("Bob", "/item 3 first")
    ).text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    assert (await planned.say("Alice", "/item 3 first")).text == "Item 3 is now number 1 on the agenda."
    assert (await planned.say("Alice", "/item 3 time 15 minutes")).text == "Item 3 has 15 minutes."
    merged = await planned.say("Alice", "/item 2 into 1")
    assert merged.text.endswith("Item 2 is merged into item 1; its supporters now support item 1.")
    deferred = await planned.say("Alice", "/item 1 defer")
    assert deferred.text.endswith("Item 1 is moved to the meeting on Tuesday 5 January 2027, 6:30pm.")
    listed = await planned.say("Alice", "/agenda")
    assert listed.text.splitlines()[1:] == [
        "1. Item 3: Carers' breaks. Proposed by Bob on 2 November; no support yet. 15 minutes."
    ]
    items = {i.id: i for i in await rows(app, AgendaItem)}
    assert items[2].status is ItemStatus.MERGED and items[1].supporters == 1
    bad = await planned.say("Alice", "/item 3 sideways")
    assert bad.text.startswith("Please say what to change, like “/item 4 first”")
    assert (await planned.say("Carol", "/item 3 withdraw")).text.startswith("Only the person who proposed it")
    assert (await planned.say("Bob", "/item 3 withdraw")).text.endswith("Item 3 is withdrawn from the agenda.")


async def test_proposal_and_publishing_settings_are_checked_together(planned: ConsoleAdapter) -> None:
    refused = await planned.say("Alice", "/settings proposals close 3")
    assert refused.text.startswith("Proposals have to close no later than the agenda is posted (7 days before")
    refused = await planned.say("Alice", "/settings agenda publishing 10")
    assert refused.text.startswith("The agenda can't be posted before proposals close (7 days before the meeting).")
    assert (await planned.say("Alice", "/settings proposals close 10")).text == (
        "Done. Proposals for a meeting close 10 days before it."
    )
    assert (await planned.say("Alice", "/settings agenda publishing 10")).text == (
        "Done. The agenda is posted 10 days before each meeting."
    )


# ---- publishing, reminders, carry-over --------------------------------------------------------------------


async def test_the_agenda_is_published_once_on_schedule_even_across_a_restart_and_is_in_the_reminder(
    planned: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    await propose(planned, "Bob", "/propose Transport to the hospital")
    clock.set(DECEMBER_1ST - timedelta(days=7))
    await app.scheduler.run_due()
    published = [m for m in planned.group_messages() if m.text.startswith("The agenda for the meeting on")]
    assert [m.text.splitlines()[0] for m in published] == ["The agenda for the meeting on Tuesday 1 December, 6:30pm:"]
    await app.close()
    again = await create_app(settings, clock=clock)
    chat = ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")
    try:
        await again.scheduler.run_due()
        assert not [m for m in chat.group_messages() if m.text.startswith("The agenda for")]
        clock.set(DECEMBER_1ST - timedelta(hours=1))
        await again.scheduler.run_due()
        reminders = [m for m in chat.group_messages() if m.text.startswith("Reminder:")]
        assert reminders[-1].text.startswith("Reminder: the meeting is in 1 hour.")
        assert reminders[-1].text.endswith("On the agenda: Transport to the hospital.")
    finally:
        await again.close()


async def test_items_not_reached_carry_over_to_the_next_meeting_and_the_agenda_says_so(
    planned: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await propose(planned, "Bob", "/propose Transport to the hospital")
    clock.set(DECEMBER_1ST + timedelta(hours=3))  # the meeting has been and gone
    await app.scheduler.run_due()
    listed = await planned.say("Bob", "/agenda")
    assert listed.text.splitlines()[0].startswith("The draft agenda for the meeting on Tuesday 5 January 2027, 6:30pm")
    assert listed.text.splitlines()[1].endswith("(Carried over from the meeting on 1 December.)")


# ---- hiding ---------------------------------------------------------------------------------------------------


async def test_a_co_chair_hides_an_anonymous_item_and_the_hiding_is_logged(
    planned: ConsoleAdapter, app: App, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await planned.say("Carol", "/propose Something rude | | anonymous", private=True)
    post = next(m for m in planned.group_messages() if "A member proposes" in m.text)
    await propose(planned, "Bob", "/propose Transport to the hospital")
    assert (await planned.say("Bob", "/hide item 1")).text.startswith("Only co-chairs can do that.")
    named = await planned.say("Alice", "/hide item 2")
    assert named.text == "There is no anonymous item 2 in this group to hide."
    done = await planned.say("Alice", "/hide item 1")
    assert done.seen[-1].text == "Done. Item 1 now reads “(hidden by a co-chair)”, and the hiding is noted in the log."
    assert post.text == "(hidden by a co-chair)" and post.buttons == ()
    (hidden,) = await rows(app, HiddenPost)
    assert (hidden.kind, hidden.number, hidden.hidden_by) == ("item", 1, await person_id(app, "Alice"))
    assert "hid item 1" in caplog.text and "Something rude" not in caplog.text
    assert "Something rude" not in (await planned.say("Bob", "/agenda")).text


# ---- the evening meeting --------------------------------------------------------------------------------------


async def test_a_whole_evening_meeting_from_start_to_minutes(
    planned: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    group = planned
    await propose(group, "Bob", "/propose Transport to the hospital")
    await propose(group, "Carol", "/propose Carers' breaks")
    await propose(group, "Bob", "/propose Parking at the clinic")
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    await group.say("Dan", "/apologies 2")
    clock.set(DECEMBER_1ST - timedelta(minutes=10))
    assert (await group.say("Bob", "/startmeeting")).text.startswith("Only co-chairs can do that.")
    started = await group.say("Alice", "/startmeeting")
    texts = [m.text for m in started.messages]
    assert any(t.startswith("The agenda for the meeting on Tuesday 1 December, 6:30pm:") for t in texts)
    assert "Now item 1 of 3: item 1, Transport to the hospital." in texts
    check_in = next(m for m in started.messages if m.text.startswith("The meeting has started"))
    assert check_in.labels == ["I'm here", "Raise my hand"]
    await group.press("Carol", "I'm here", message=check_in)
    raised = await group.press("Carol", "Raise my hand", message=check_in)
    assert raised.toast == "Your hand is up. You're next."
    queue = next(m for m in group.group_messages() if m.text.startswith("Hands raised"))
    assert queue.text == "Hands raised, in order: 1. Carol."
    refused = await group.press("Bob", "Next speaker (co-chairs)", message=queue)
    assert refused.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    called = await group.press("Alice", "Next speaker (co-chairs)", message=queue)
    assert "Carol, over to you." in [m.text for m in called.messages]
    assert queue.text.startswith("No hands are raised.")
    comment = await group.say("Carol", "/comment The 6pm bus is the problem", private=True)
    assert "Comment from Carol: The 6pm bus is the problem" in [m.text for m in comment.messages]
    await group.say("Alice", "/present Alice, Bob")
    vote = await group.say("Alice", "/vote Ask for a later bus? | yes/no")
    assert any(m.text.startswith("Vote 1:") for m in vote.messages)
    await group.press("Bob", "Yes")
    await group.press("Carol", "Yes")
    await group.say("Alice", "/closevote 1")
    action = await group.say("Alice", "/action Bob | write to the bus company")
    assert action.text == "Action: Bob will write to the bus company."
    moved_on = await group.say("Alice", "/nextitem")
    assert "Now item 2 of 3: item 2, Carers' breaks." in [m.text for m in moved_on.messages]
    ended = await group.say("Alice", "/endmeeting")
    record = next(m for m in ended.messages if m.text.startswith("Record of the meeting"))
    assert record.text.splitlines() == [
        "Record of the meeting on Tuesday 1 December, 6:30pm.",
        "In the room: Alice and Bob. From home: Carol.",
        "Apologies: Dan.",
        "Item 1: Transport to the hospital.",
        "  Comment from Carol: The 6pm bus is the problem",
        "  Decision: Result of vote 1: Ask for a later bus? 2 of 4 people voted (50%). Yes: 2. No: 0. Abstain: 0. "
        "The proposal was agreed.",
        "  Action: Bob will write to the bus company.",
        "Item 2: Carers' breaks.",
        "Not reached, carried over to the next meeting: item 3, Parking at the clinic.",
    ]
    later = await group.say("Dan", "/minutes")
    assert later.text == record.text
    assert (
        await group.say("Alice", "/nextitem")
    ).text == "There is no meeting under way. A co-chair starts one with /startmeeting."
    agenda = await group.say("Bob", "/agenda")
    assert (
        "Item 3: Parking at the clinic" in agenda.text
        and "(Carried over from the meeting on 1 December.)" in agenda.text
    )
    assert "Carers' breaks" not in agenda.text


# ---- people's data ----------------------------------------------------------------------------------------------


async def test_named_proposals_support_and_comments_are_exported_and_erased(planned: ConsoleAdapter, app: App) -> None:
    from commands.agenda import FEATURE

    post = await propose(planned, "Bob", "/propose Transport to the hospital")
    await planned.press("Bob", "Support", message=post)
    await planned.say("Bob", "/propose Secret thing | | anonymous", private=True)
    bob = await person_id(app, "Bob")
    assert FEATURE.personal_data is not None
    async with app.database.unit_of_work() as session:
        exported = await FEATURE.personal_data.export(session, bob)
    assert [p["title"] for p in exported["proposals"]] == ["Transport to the hospital"]  # not the anonymous one
    assert [s["item"] for s in exported["support"]] == ["Transport to the hospital"]
    async with app.database.unit_of_work() as session:
        await FEATURE.personal_data.erase(session, bob)
    async with app.database.unit_of_work() as session:
        assert await FEATURE.personal_data.export(session, bob) == {"proposals": [], "support": [], "meeting_notes": []}
        count = (await session.execute(select(func.count()).select_from(AgendaItem))).scalar_one()
    assert count == 2
    items = await rows(app, AgendaItem)
    assert items[0].supporters == 0 and items[0].proposed_by is None


async def test_with_or_without_a_name_can_be_typed_and_other_words_leave_the_buttons_waiting(
    planned: ConsoleAdapter, app: App
) -> None:
    await planned.say("Carol", "/propose Our complaints process", private=True)
    chatter = await planned.say("Carol", "hang on, let me think", private=True)
    assert chatter.messages == []  # ordinary chat: nothing posted, the question still waits
    said = await planned.say("Carol", "Without my name.", private=True)
    post = next(m for m in said.messages if m.chat == planned.group_chat)
    assert post.text.startswith("A member proposes for the meeting on Tuesday 1 December")
    (item,) = await rows(app, AgendaItem)
    assert item.anonymous and item.proposed_by is None
    late = await planned.press("Carol", "With my name", private=True)
    assert "already" in late.text.casefold() and len(await rows(app, AgendaItem)) == 1
