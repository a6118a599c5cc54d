"""Discussion papers, driven through the terminal chat: added, posted on schedule (once, across a restart),
views by reply and privately (named and without a name), a kind reminder to those not yet heard, and the
summary when views close."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter, ShownMessage
from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from bot.types import Attachment
from storage.papers import Paper, PaperStatus, View
from storage.people import Person
from tests.helpers import snapshot

# The test clock starts on Monday 2 November 2026, 9am (GMT).
WEDNESDAY_9AM = datetime(2026, 11, 4, 9, 0, tzinfo=UTC)
THURSDAY_5PM = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
FRIDAY_5PM = datetime(2026, 11, 6, 17, 0, tzinfo=UTC)
LINE = (
    "/paper Hospital transport | What should the trust change? | https://example.org/paper.pdf | "
    "Wednesday 9am | until Friday 5pm"
)


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table).order_by(table.id))).scalars())  # type: ignore[attr-defined]


async def person_id(app: App, name: str) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(Person.id).where(Person.display_name == name))).scalar_one())


def posted(group: ConsoleAdapter) -> ShownMessage:
    return next(m for m in group.group_messages() if m.text.startswith("Discussion paper 1:"))


async def post_it(group: ConsoleAdapter, app: App, clock: ManualClock) -> ShownMessage:
    said = await group.say("Alice", LINE)
    assert said.messages[0].text == (
        "Done. Discussion paper 1 will be posted on Wednesday 4 November, 9am; views are welcome until "
        "Friday 6 November, 5pm."
    )
    check = said.messages[1]  # the plain-language check, for whoever added the paper
    assert check.only_for == "alice" and check.text.startswith("How easy paper 1 is to read")
    assert "Reading ease: " in check.text and "The linked or attached paper itself isn't checked" in check.text
    clock.set(WEDNESDAY_9AM)
    await app.scheduler.run_due()
    return posted(group)


async def test_a_paper_is_posted_on_schedule_once_even_across_a_restart(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    await group.say("Alice", LINE)
    assert not [m for m in group.group_messages() if m.text.startswith("Discussion paper")]
    await app.close()
    clock.set(WEDNESDAY_9AM)
    again = await create_app(settings, clock=clock)
    chat = ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")
    try:
        await again.scheduler.run_due()
        await again.scheduler.run_due()
        (post,) = [m for m in chat.group_messages() if m.text.startswith("Discussion paper 1:")]
        assert post.text == (
            "Discussion paper 1: Hospital transport\nWhat should the trust change?\n"
            "Read it here: https://example.org/paper.pdf\n"
            "Your views are welcome until Friday 6 November, 5pm. Reply to this message, press Add my view, or "
            "send me a private message with /view 1."
        )
        assert post.labels == ["Add my view"]
    finally:
        await again.close()


async def test_a_document_sent_with_the_command_is_kept_and_posted_with_the_paper(
    group: ConsoleAdapter, app: App
) -> None:
    document = Attachment("transport.pdf", b"%PDF-1.4 the paper itself", "application/pdf")
    said = await group.say(
        "Alice", "/paper Hospital transport | What should change? | | now | for 3 days", files=(document,)
    )
    done = "Done. Discussion paper 1 is posted; views are welcome until Thursday 5 November, 9am."
    assert done in [m.text for m in said.seen]
    post = posted(group)
    assert post.file_names == ("transport.pdf",) and post.files[0].read_bytes() == document.data
    (paper,) = await rows(app, Paper)
    assert paper.status is PaperStatus.OPEN and paper.file_name == "transport.pdf"


async def test_bad_papers_get_a_plain_message_and_save_nothing(group: ConsoleAdapter, app: App) -> None:
    before = await snapshot(app.database)
    big = Attachment("huge.pdf", b"x" * (10 * 1024 * 1024 + 1), "application/pdf")
    cases = {
        "/paper Transport | Summary": "Please give the paper itself: its text, a link to it, or a document sent with "
        "the command. For example: /paper Hospital transport | What should change? | https://example.org/paper.pdf",
        "/paper Transport | Summary | http://example.org/p.pdf": "That doesn't look like a working link. Please give a "
        "link starting with https://.",
        "/paper Transport | Summary | https://example.org/p.pdf | Wednesday 9am | until Tuesday 5pm": "Views would "
        "close on Tuesday 3 November, 5pm, before the paper is posted on Wednesday 4 November, 9am. Please choose a "
        "later closing time. Nothing was saved.",
        "/paper Transport | Summary | https://example.org/p.pdf | now | whenever": "I couldn't read “whenever” as how "
        "long views stay open. Try “for 7 days” or “until Friday 5pm”.",
    }
    for line, expected in cases.items():
        assert (await group.say("Alice", line)).text == expected, line
    too_big = await group.say("Alice", "/paper Transport | Summary | | now", files=(big,))
    assert too_big.text.startswith("That document is bigger than 10 MB, the most every platform lets me post.")
    assert (await group.say("Bob", LINE)).text == (
        "Only co-chairs can add discussion papers in this group. Ask a co-chair if you have one."
    )
    assert {k: v for k, v in (await snapshot(app.database)).items() if k != "inbound_events"} == {
        k: v for k, v in before.items() if k != "inbound_events"
    }
    await group.say("Alice", "/settings members can add papers yes")
    assert (await group.say("Bob", LINE)).text.startswith("Done. Discussion paper 1 will be posted")


async def test_a_reply_to_the_post_is_a_named_view(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    post = await post_it(group, app, clock)
    said = await group.reply("Bob", post, "The 6pm bus is the problem")
    assert said.seen == [] or all(m.only_for is None for m in said.seen)  # the reply itself is there to see
    (view,) = await rows(app, View)
    assert (view.person_id, view.anonymous, view.text) == (
        await person_id(app, "Bob"),
        False,
        "The 6pm bus is the problem",
    )


async def test_views_privately_with_or_without_a_name(
    group: ConsoleAdapter, app: App, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await post_it(group, app, clock)
    asked = await group.press("Bob", "Add my view")
    assert asked.text.startswith("Please type your view on discussion paper 1, “Hospital transport”.")
    await group.say("Bob", "The 6pm bus is the problem", private=True)
    named = await group.press("Bob", "Share with my name", private=True)
    assert "A view on paper 1 from Bob: The 6pm bus is the problem" in [m.text for m in named.messages]
    await group.say("Carol", "/view 1 Parking costs too much", private=True)
    anonymous = await group.press("Carol", "Share without my name", private=True)
    relayed = next(m for m in anonymous.messages if m.chat == group.group_chat)
    assert relayed.text == "A view on paper 1, shared without a name: Parking costs too much"
    assert any(
        m.text.startswith("Thank you. Your view is shared with the group without your name.") for m in anonymous.seen
    )
    views = await rows(app, View)
    assert [(v.person_id is None, v.anonymous) for v in views] == [(False, False), (True, True)]
    assert "Parking costs too much" not in caplog.text
    carol = await person_id(app, "Carol")
    for table, table_rows in (await snapshot(app.database)).items():
        if table in ("outbox", "inbound_events"):
            continue
        assert not any("Parking costs too much" in repr(r) and carol in r for r in table_rows), table
    hidden = await group.say("Alice", "/hide view 2")
    assert hidden.seen[-1].text.startswith("Done. View 2 now reads “(hidden by a co-chair)”")
    assert relayed.text == "(hidden by a co-chair)"
    assert (await group.say("Alice", "/hide view 1")).text == "There is no anonymous view 1 in this group to hide."


async def test_a_reminder_goes_to_members_not_yet_heard_by_name_and_can_be_turned_off(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    post = await post_it(group, app, clock)
    await group.reply("Bob", post, "The 6pm bus is the problem")
    await group.say("Alice", "/mysettings reminders about papers no")
    clock.set(THURSDAY_5PM)
    await app.scheduler.run_due()
    await app.scheduler.run_due()
    carol = [m for m in group.inbox("Carol") if "kind reminder" in m.text]
    assert len(carol) == 1
    assert carol[0].text.startswith("Hello Carol. A kind reminder: views on discussion paper 1, “Hospital transport”")
    assert "If you've already shared your view without your name, please ignore this." in carol[0].text
    assert carol[0].labels == ["Add my view"]
    assert not [m for m in group.inbox("Bob") if "kind reminder" in m.text]
    assert not [m for m in group.inbox("Alice") if "kind reminder" in m.text]


async def test_when_views_close_a_summary_is_posted_and_late_views_are_refused(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    post = await post_it(group, app, clock)
    await group.reply("Bob", post, "The 6pm bus is the problem")
    await group.say("Carol", "/view 1 Parking costs too much", private=True)
    await group.press("Carol", "Share without my name", private=True)
    clock.set(FRIDAY_5PM)
    await app.scheduler.run_due()
    await app.dispatcher.settle()  # the paper's post is brought up to date (the terminal does this after each event)
    summary = next(m for m in group.group_messages() if m.text.startswith("Views on discussion paper 1"))
    assert summary.text.splitlines() == [
        "Views on discussion paper 1, “Hospital transport”, have closed. 2 views from 1 member (1 shared without "
        "a name).",
        "Bob: The 6pm bus is the problem",
        "A member (without a name): Parking costs too much",
        "2 members have not yet been heard on it by name. Some of them may have shared a view without their name.",
    ]
    assert posted(group).text.endswith("Views have closed; thank you to everyone who shared one.")
    late = await group.say("Alice", "/view 1 Too late?", private=True)
    assert late.text == "Views on discussion paper 1 closed on Friday 6 November, 5pm, so I can't add yours now."
    listed = await group.say("Bob", "/papers")
    assert "Paper 1: Hospital transport. Closed on Friday 6 November, 5pm with 2 views." in listed.text
    await app.scheduler.run_due()
    assert len([m for m in group.group_messages() if m.text.startswith("Views on discussion paper 1")]) == 1


async def test_a_member_of_another_group_cannot_add_a_view(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    await post_it(group, app, clock)
    said = await group.press_data("Mallory", "addview", "1", chat=group.private_chat("Mallory"))
    assert said.text == "There is no discussion paper 1 in this group. Type /papers to see them."
    forged = await group.press_data("Bob", "addview", "99999999999")
    assert forged.text == "That button no longer works. Type /papers to see the papers."


async def test_named_views_are_exported_and_erased_and_anonymous_ones_are_nobodys(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    from commands.papers import FEATURE

    post = await post_it(group, app, clock)
    await group.reply("Bob", post, "The 6pm bus is the problem")
    await group.say("Bob", "/view 1 A second thought", private=True)
    await group.press("Bob", "Share without my name", private=True)
    bob = await person_id(app, "Bob")
    assert FEATURE.personal_data is not None
    async with app.database.unit_of_work() as session:
        exported = await FEATURE.personal_data.export(session, bob)
        assert [v["view"] for v in exported["views"]] == ["The 6pm bus is the problem"]
        await FEATURE.personal_data.erase(session, bob)
    async with app.database.unit_of_work() as session:
        assert (await FEATURE.personal_data.export(session, bob))["views"] == []
    assert [v.text for v in await rows(app, View)] == ["A second thought"]


async def test_a_view_can_be_shared_without_a_name_by_typing_it(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await post_it(group, app, clock)
    await group.say("Carol", "/view 1 Parking costs too much", private=True)
    assert (await group.say("Carol", "hmm", private=True)).messages == []  # the buttons still wait
    shared = await group.say("Carol", "anonymous", private=True)
    relayed = next(m for m in shared.messages if m.chat == group.group_chat)
    assert relayed.text == "A view on paper 1, shared without a name: Parking costs too much"
