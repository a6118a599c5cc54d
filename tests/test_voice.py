"""Every voice heard, through the terminal chat: counting each kind of taking part, every window of
/notheard, the "consider why" facts, invitations and their four answers, "A member says", hiding, the
report with its chart and table, meeting roles, help requests from asking to done, and the pulse."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.clock import ManualClock
from storage.participation import AnonymousPost, Contribution, HelpRequest, Invitation, PulseAnswer, PulseAsked
from storage.people import Person
from tests.helpers import snapshot

# The test clock starts on Monday 2 November 2026, 9am (GMT).
TUESDAY_630PM = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table).order_by(table.id))).scalars())  # type: ignore[attr-defined]


async def kinds(app: App) -> list[tuple[str, str, str | None]]:
    async with app.database.unit_of_work() as session:
        found = await session.execute(
            select(Person.display_name, Contribution.kind, Contribution.subject)
            .join(Person, Person.id == Contribution.person_id)
            .order_by(Contribution.id)
        )
        return [tuple(r) for r in found.all()]  # type: ignore[misc]


async def test_each_kind_of_taking_part_is_counted_and_anonymous_acts_never_are(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Bob", "Hello everyone")  # a message: who, where, when; never the words
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.say("Alice", "/vote Secret ballot | yes/no | | anonymous")
    secret = next(m for m in group.group_messages() if m.text.startswith("Vote 2:"))
    await group.press("Carol", "Yes", message=secret)
    await group.say("Alice", "/meeting Tuesday 6:30pm | Town hall")
    post = next(
        m for m in (await group.say("Carol", "/propose Transport to the hospital")).messages if "proposes" in m.text
    )
    await group.press("Bob", "Support", message=post)
    await group.say("Carol", "/propose Something private | | anonymous", private=True)
    await group.say("Carol", "/anonymous The meetings are too fast", private=True)
    clock.set(TUESDAY_630PM - timedelta(minutes=10))
    await group.say("Alice", "/startmeeting")
    await group.press("Carol", "I'm here")
    await group.press("Carol", "Raise my hand")
    await group.say("Carol", "/comment Buses matter", private=True)
    counted = await kinds(app)
    assert ("Bob", "message", None) in counted
    assert ("Bob", "ballot", "vote:1") in counted
    assert ("Carol", "proposal", "item:1") in counted and ("Bob", "support", "item:1") in counted
    assert {
        ("Carol", "checkin", "meeting:1"),
        ("Carol", "hand", "meeting:1"),
        ("Carol", "comment", "meeting:1"),
    } <= set(counted)
    assert not [c for c in counted if c[2] == "vote:2"]  # the anonymous ballot
    assert len([c for c in counted if c[0] == "Carol" and c[1] == "proposal"]) == 1  # not the anonymous item
    async with app.database.unit_of_work() as session:
        stored = (await session.execute(select(Contribution))).scalars().all()
    assert all(not hasattr(c, "text") for c in stored)


async def test_notheard_since_the_last_meeting_groups_the_quiet_gently_and_only_co_chairs_see_it(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/meeting Tuesday 6:30pm | Town hall")
    clock.set(TUESDAY_630PM + timedelta(minutes=5))
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Carol", "Yes")
    await group.say("Alice", "Welcome, everyone")
    assert (await group.say("Bob", "/notheard")).text.startswith("Only co-chairs can do that.")
    said = await group.say("Alice", "/notheard")
    shown = said.seen[-1]
    assert shown.only_for == group.user("Alice").id
    lines = shown.text.splitlines()
    assert lines[:3] == [
        "Who hasn't taken part since the meeting on Tuesday 3 November, 6:30pm:",
        "Not heard from yet: Bob.",
        "Only voted: Carol.",
    ]
    assert lines[-1] == "This is based on what I can see; anonymous acts are never counted for anyone."
    assert shown.labels == ["Invite them kindly"]


async def test_every_window_of_notheard_and_bad_ones(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.say("Alice", "/vote Secret | yes/no | | anonymous")
    await group.say("Alice", "/paper Transport | Summary | https://example.org/p.pdf")
    paper = next(m for m in group.group_messages() if m.text.startswith("Discussion paper 1"))
    await group.reply("Carol", paper, "Buses are the problem")
    no_meeting = await group.say("Alice", "/notheard")
    assert no_meeting.text.startswith("There hasn't been a meeting yet, so I looked at the last 30 days instead.")
    assert "Who hasn't taken part in the last 30 days:" in (await group.say("Alice", "/notheard 30 days")).text
    assert "in the last 14 days" in (await group.say("Alice", "/notheard 2 weeks")).text
    vote = await group.say("Alice", "/notheard vote 1")
    assert vote.text.splitlines()[:2] == [
        "Who hasn't taken part on vote 1, “Meet monthly?”:",
        "Not heard from yet: Alice and Carol.",
    ]
    anonymous = await group.say("Alice", "/notheard vote 2")
    assert anonymous.text == "Vote 2 is anonymous, so I can't say who took part in it: that would show who voted."
    on_paper = await group.say("Alice", "/notheard paper 1")
    assert on_paper.text.splitlines()[1] == "Not heard from yet: Alice and Bob."
    assert (
        await group.say("Alice", "/notheard meeting")
    ).text == "There hasn't been a meeting yet. Try “30 days” instead."
    before = await snapshot(app.database)
    for bad in ("since Blursday", "vote 99", "paper 7", "meeting 5", "9999 days"):
        said = await group.say("Alice", f"/notheard {bad}")
        assert said.text.startswith(("I couldn't read", "There is no")), bad
    after = await snapshot(app.database)
    assert {k: v for k, v in after.items() if k != "inbound_events"} == {
        k: v for k, v in before.items() if k != "inbound_events"
    }


async def test_consider_why_gives_plain_facts(group: ConsoleAdapter, app: App, clock: ManualClock) -> None:
    await group.say("Alice", "/meeting every Tuesday 6:30pm | Town hall")
    await group.say("Carol", "/apologies 2")
    for week in range(2):
        clock.set(TUESDAY_630PM + timedelta(days=7 * week, minutes=5))
        await app.scheduler.run_due()
        await group.say("Alice", "/present Alice")
    clock.set(TUESDAY_630PM + timedelta(days=10))
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    await group.say("Bob", "Hello")
    said = await group.say("Alice", "/notheard 3 days")
    text = said.seen[-1].text
    assert "Things that may explain it (facts, not judgements):" in text
    assert "Carol: sent apologies for the meeting on Tuesday 10 November; missed 2 of the last 2 meetings." in text
    assert "Dan: joined on Friday 13 November." in text


async def test_an_invitation_and_each_of_its_four_answers(group: ConsoleAdapter, app: App) -> None:
    for name in ("Dan", "Eve"):
        await group.say(name, "/join")
        await group.press(name, "Lay partner")
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Alice", "Yes")
    await group.say("Alice", "/notheard vote 1")
    sent = await group.press("Alice", "Invite them kindly")
    assert sent.seen[-1].text == "I've sent a kind invitation to 4 members."
    (bob,) = [m for m in group.inbox("Bob") if m.text.startswith("Hello Bob. We'd love to hear from you")]
    assert "about vote 1, “Meet monthly?”" in bob.text and "please ignore this" in bob.text
    assert bob.labels == ["Share my view", "Share without my name", "I'm happy listening", "I'd like some help"]
    # 1. Bob shares with his name.
    await group.press("Bob", "Share my view", private=True)
    shared = await group.say("Bob", "Monthly is too often for carers", private=True)
    assert "Bob's view about vote 1, “Meet monthly?”: Monthly is too often for carers" in [
        m.text for m in shared.messages
    ]
    # 2. Carol shares without her name: posted as "A member says", stored with no author.
    await group.press("Carol", "Share without my name", private=True)
    anon = await group.say("Carol", "I can't make evenings", private=True)
    assert "A member says, about vote 1, “Meet monthly?”: I can't make evenings" in [m.text for m in anon.messages]
    (post,) = await rows(app, AnonymousPost)
    assert not hasattr(post, "person_id")
    # 3. Dan is happy listening; 4. Eve asks for help.
    listening = await group.press("Dan", "I'm happy listening", private=True)
    assert listening.text == "That's fine. Listening is taking part too. I won't ask you about this again."
    helped = await group.press("Eve", "I'd like some help", private=True)
    assert helped.seen[0].text == "Thank you for asking. I've told the co-chairs; you'll hear who is helping."
    (request,) = await rows(app, HelpRequest)
    assert request.text == "I'd like some help to take part in vote 1, “Meet monthly?”."
    answers = {i.answer for i in await rows(app, Invitation)}
    assert answers == {"shared", "anonymous", "listening", "help"}
    again = await group.press("Alice", "Invite them kindly")
    assert again.seen[-1].text.startswith("I've sent a kind invitation to 0 members.")


async def test_invitations_can_be_turned_off_and_are_once_a_week_for_day_windows(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Carol", "/mysettings invitations to take part no")
    await group.say("Alice", "/notheard 7 days")
    first = await group.press("Alice", "Invite them kindly")
    assert first.seen[-1].text.startswith("I've sent a kind invitation to 1 member. 1 was left out")
    await group.say("Alice", "/notheard 30 days")
    second = await group.press("Alice", "Invite them kindly")
    assert second.seen[-1].text.startswith("I've sent a kind invitation to 0 members.")
    assert not [m for m in group.inbox("Carol") if "We'd love to hear from you" in m.text]


async def test_a_member_says_without_a_name_and_a_co_chair_hides_it(group: ConsoleAdapter, app: App) -> None:
    refused = await group.say("Bob", "/anonymous Too fast")
    assert refused.text.startswith("To say something without your name, send /anonymous to me in a private message.")
    assert (await group.say("Bob", "/anonymous    ", private=True)).text.startswith("Please type")
    said = await group.say("Bob", "/anonymous The meetings are too fast", private=True)
    posted = next(m for m in said.messages if m.chat == group.group_chat)
    assert posted.text == "A member says: The meetings are too fast"
    assert [c for c in await kinds(app) if c[0] == "Bob"] == []  # counted for nobody
    hidden = await group.say("Alice", "/hide message 1")
    assert posted.text == "(hidden by a co-chair)"
    assert hidden.seen[-1].text.startswith("Done. Message 1 now reads")
    assert (await group.say("Alice", "/hide message 1")).text == "Message 1 is hidden already. Nothing has changed."
    assert (
        await group.say("Alice", "/hide message 2")
    ).text == "There is no anonymous message 2 in this group to hide."


async def test_help_from_asking_to_done_with_a_reminder_after_a_week(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Bob", "/askhelp Help reading the budget papers", private=True)
    (note,) = [m for m in group.inbox("Alice") if m.text.startswith("Bob asks for help")]
    assert note.labels == ["I'll take this", "Done"]
    taken = await group.press("Alice", "I'll take this", message=note, private=True)
    assert taken.seen[0].text == "Thank you. Request 1 from Bob is yours."
    assert group.inbox("Bob")[-1].text == "Alice is helping you with your request. They'll be in touch."
    assert "taken by Alice" in (await group.say("Alice", "/helprequests")).text
    clock.set(clock.now() + timedelta(days=7, minutes=1))
    await app.scheduler.run_due()
    await app.scheduler.run_due()
    reminders = [m for m in group.inbox("Alice") if m.text.startswith("A kind reminder: Bob's request")]
    assert len(reminders) == 1
    done = await group.press("Alice", "Done", message=reminders[0], private=True)
    assert done.seen[0].text == "Request 1 is marked done. Thank you for helping."
    assert group.inbox("Bob")[-1].text.startswith("Alice marked your request for help as done.")
    assert (await group.say("Alice", "/helprequests")).text == "There are no open requests for help."
    assert (
        await group.press("Alice", "Done", message=reminders[0], private=True)
    ).text == "That request is already done."
    forged = await group.press_data("Bob", "help_take", "1", chat=group.private_chat("Bob"))
    assert forged.text.startswith("Only co-chairs can do that.")


async def test_the_report_as_sentences_a_chart_and_a_safe_table(group: ConsoleAdapter, app: App) -> None:
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    await group.say("Alice", "/setup")  # nothing; Alice's name stays
    for _ in range(4):
        await group.say("Bob", "A thought")
    await group.say("Carol", "Me too")
    async with app.database.unit_of_work() as session:
        person = (await session.execute(select(Person).where(Person.display_name == "Dan"))).scalar_one()
        person.display_name = '=HYPERLINK("x")'
    said = await group.say("Alice", "/report 30 days")
    shown = said.seen[-1]
    assert shown.only_for == group.user("Alice").id
    assert "Bob: 4 messages." in shown.text and "Carol: 1 message." in shown.text
    assert "The most active 1 member made 80% of everything I could see." in shown.text
    chart, table = shown.files
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    parsed = list(csv.reader(io.StringIO(table.read_text())))
    assert parsed[0][0] == "member" and parsed[0][-1] == "total"
    assert ['\'=HYPERLINK("x")', "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"] in parsed


async def test_roles_are_shared_out_fairly_and_shown_in_the_reminder(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/settings meeting roles chair, note-taker")
    await group.say("Alice", "/meeting Friday 6:30pm | Town hall")
    await group.say("Bob", "/roles optout note-taker")
    said = await group.say("Alice", "/roles")
    assert said.seen[-1].text.splitlines() == [
        "Roles for the meeting on Friday 6 November, 6:30pm:",
        "Chair: suggested Alice, who has held it 0 times.",
        "Note-taker: suggested Carol, who has held it 0 times.",
    ]
    assert (await group.press("Bob", "Confirm Alice as chair", message=said.seen[-1])).text.startswith("Only co-chairs")
    await group.press("Alice", "Confirm Alice as chair", message=said.seen[-1])
    confirmed = await group.say("Alice", "/roles")
    assert "Chair: Alice (confirmed)." in confirmed.text
    clock.set(datetime(2026, 11, 6, 17, 30, tzinfo=UTC))
    await app.scheduler.run_due()
    reminder = [m for m in group.group_messages() if m.text.startswith("Reminder:")][-1]
    assert reminder.text.endswith("Roles: chair Alice.")
    assert (await group.say("Bob", "/roles optout treasurer")).text.startswith("There is no role called “treasurer”.")


async def test_did_you_feel_heard_is_asked_of_attendees_and_kept_without_names(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/meeting Tuesday 6:30pm | Town hall")
    clock.set(TUESDAY_630PM + timedelta(minutes=5))
    await app.scheduler.run_due()
    await group.say("Alice", "/present Alice, Bob")
    clock.set(TUESDAY_630PM + timedelta(hours=3))
    await app.scheduler.run_due()
    (asked,) = [m for m in group.inbox("Bob") if m.text.startswith("Did you feel heard")]
    assert asked.labels == ["Yes", "Partly", "No"]
    assert not [m for m in group.inbox("Carol") if m.text.startswith("Did you feel heard")]  # not there
    thanks = await group.press("Bob", "Partly", message=asked, private=True)
    assert "Thank you. Your answer is counted without your name." in [m.text for m in thanks.seen]
    again = await group.press("Bob", "No", message=asked, private=True)
    assert again.text == "You've already answered. Thank you."
    (answer,) = await rows(app, PulseAnswer)
    assert answer.answer == "partly" and not hasattr(answer, "person_id")
    assert sorted(a.answered for a in await rows(app, PulseAsked)) == [False, True]  # Bob answered; Alice not yet
    pulse = await group.say("Alice", "/pulse")
    assert pulse.text.endswith("The meeting on Tuesday 3 November, 6:30pm: 0 felt heard, 1 partly, 0 not.")
    assert (await group.say("Bob", "/pulse")).text.startswith("Only co-chairs can do that.")


async def test_a_members_records_here_are_exported_and_erased(group: ConsoleAdapter, app: App) -> None:
    from commands.participation import FEATURE

    await group.say("Bob", "Hello")
    await group.say("Bob", "/askhelp Training on minutes", private=True)
    await group.say("Bob", "/roles optout chair")
    async with app.database.unit_of_work() as session:
        bob = (await session.execute(select(Person.id).where(Person.display_name == "Bob"))).scalar_one()
    assert FEATURE.personal_data is not None
    async with app.database.unit_of_work() as session:
        exported = await FEATURE.personal_data.export(session, bob)
    assert exported["taking_part"][0]["kind"] == "message"
    assert [h["text"] for h in exported["help_requests"]] == ["Training on minutes"]
    assert exported["role_optouts"] == ["chair"]
    async with app.database.unit_of_work() as session:
        await FEATURE.personal_data.erase(session, bob)
    async with app.database.unit_of_work() as session:
        after = await FEATURE.personal_data.export(session, bob)
    assert after["taking_part"] == [] and after["help_requests"] == [] and after["role_optouts"] == []


async def test_a_busy_group_chat_counts_each_message_once_when_many_are_handled_together(
    group: ConsoleAdapter, app: App
) -> None:
    import asyncio

    from bot.types import ChatMessage
    from storage.groups import Membership

    await group.say("Alice", "/vote")  # a guided vote: the bot waits for Alice's question in the group
    bob, carol, erin = group.user("Bob"), group.user("Carol"), group.user("Erin")
    chat = group.group_chat
    messages = [
        ChatMessage(bob, chat, "Morning all", origin="telegram:1:700"),
        ChatMessage(erin, chat, "Hello, I'm new", origin="telegram:1:701"),  # seen for the first time
        ChatMessage(group.user("Alice"), chat, "Should we meet monthly?", origin="telegram:1:702"),
        ChatMessage(erin, chat, "Glad to be here", origin="telegram:1:703"),
        ChatMessage(carol, chat, "Hi Erin", origin="telegram:1:704"),
        ChatMessage(bob, chat, "Morning all", origin="telegram:1:700"),  # re-sent while the first still queues
    ]
    outcomes = await asyncio.gather(*(app.dispatcher.handle(m) for m in messages))
    assert all(o.error_id is None for o in outcomes)
    assert "What kind of vote" in " ".join(r.text for r in outcomes[2].replies)  # Alice's answer was taken
    assert outcomes[5].replies == []
    counted = [(name, kind) for name, kind, _subject in await kinds(app) if kind == "message"]
    assert sorted(name for name, _kind in counted) == ["Alice", "Bob", "Carol", "Erin", "Erin"]
    async with app.database.unit_of_work() as session:
        erins = (
            await session.execute(
                select(Membership).join(Person, Person.id == Membership.person_id).where(Person.display_name == "Erin")
            )
        ).scalars()
        assert len(list(erins)) == 1


async def test_anonymous_with_nothing_after_it_is_refused_in_the_group_and_asked_for_privately(
    group: ConsoleAdapter, app: App
) -> None:
    refused = await group.say("Bob", "/anonymous")
    assert refused.text.startswith("To say something without your name, send /anonymous to me in a private message.")
    assert await rows(app, AnonymousPost) == []
    asked = await group.say("Bob", "/anonymous", private=True)
    assert asked.text.startswith("Please type what you'd like to say.")
    said = await group.say("Bob", "Could papers come a week earlier?", private=True)
    assert "A member says: Could papers come a week earlier?" in [m.text for m in said.messages]
