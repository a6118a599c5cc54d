"""Meetings people can reach, driven through the terminal chat: adding, repeating, moving and cancelling;
reminders to the group and privately (once, across a restart and the late-October clock change);
apologies with a private reason; check-in and roll call; attendance against the group's aim."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from adapters.console import ConsoleAdapter, ShownMessage
from bot.app import App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from storage.meetings import Attendance, Meeting, MeetingReply, MeetingSeries, MeetingStatus, Presence
from tests.helpers import snapshot

# The test clock starts on Monday 2 November 2026, 9am (GMT, so UTC is local time).
TUESDAY_630PM = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
LINE = "/meeting Tuesday 6:30pm | Online: https://meet.example.org/abc | Town hall, room 2"


async def add(group: ConsoleAdapter, line: str = LINE) -> ShownMessage:
    said = await group.say("Alice", line)
    posted = [m for m in said.messages if m.text.startswith("New ")]
    assert posted, said.text
    return posted[0]


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table))).scalars())


async def count(app: App, table: type) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


def reminders_in(messages: list[ShownMessage]) -> list[ShownMessage]:
    return [m for m in messages if m.text.startswith("Reminder:")]


# ---- adding --------------------------------------------------------------------------------------------


async def test_a_co_chair_adds_a_meeting_the_way_people_talk(group: ConsoleAdapter, app: App) -> None:
    posted = await add(group)
    assert posted.text == (
        "New meeting. Meeting 1: Tuesday 3 November, 6:30pm to 8:30pm. Online and at Town hall, room 2.\n"
        "Join online: https://meet.example.org/abc"
    )
    assert posted.labels == [
        "I'll be there",
        "Send apologies",
        "Add to my calendar",
        "Join online",
        "Remind me privately",
    ]
    join = posted.buttons[1][0]
    assert join.url == "https://meet.example.org/abc" and not join.action
    (meeting,) = await rows(app, Meeting)
    assert (meeting.starts_at, meeting.length_minutes, meeting.place, meeting.link) == (
        TUESDAY_630PM,
        120,
        "Town hall, room 2",
        "https://meet.example.org/abc",
    )


async def test_a_length_can_be_given_in_minutes_hours_or_as_an_end_time(group: ConsoleAdapter, app: App) -> None:
    await add(group, "/meeting Tuesday 6:30pm for 90 minutes | Library")
    await add(group, "/meeting Wednesday 10am to 12:30pm | Library")
    await add(group, "/meeting Thursday 2pm for an hour and a half | Library")
    lengths = sorted((m.starts_at, m.length_minutes) for m in await rows(app, Meeting))
    assert [length for _start, length in lengths] == [90, 150, 90]


async def test_members_cannot_add_meetings(group: ConsoleAdapter, app: App) -> None:
    said = await group.say("Bob", LINE)
    assert said.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    assert await count(app, Meeting) == 0


async def test_impossible_past_and_clashing_dates_say_what_was_understood_and_save_nothing(
    group: ConsoleAdapter, app: App
) -> None:
    await add(group)
    before = await snapshot(app.database)
    cases = {
        "/meeting 31 February 6pm": "There is no 31 February in 2027. Please check the date. Nothing was saved.",
        "/meeting 30/2 6pm": "There is no 30 February in 2027. Please check the date. Nothing was saved.",
        "/meeting 1 November 2026 6pm": "That time has already passed. Please choose a time in the future.",
        "/meeting Tuesday": "I read “Tuesday” as a day but not a time. Please add the start time, like "
        "“Tuesday 6:30pm”.",
        "/meeting Tuesday 7pm": "That would overlap the meeting on Tuesday 3 November, 6:30pm. Please choose another "
        "time, or move that meeting with /movemeeting. Nothing was saved.",
        "/meeting every blue moon 6pm": "I couldn't read how “every blue moon 6pm” repeats. Please write it like "
        "“every Tuesday 6:30pm”, “every other Tuesday 6:30pm” or “first Monday of the month 7pm”. Nothing was saved.",
        "/meeting every Tuesday": "I understood every Tuesday, but not the time. Please add it, like "
        "“every Tuesday 6:30pm”.",
        "/meeting every Monday 6pm for 20 hours": "A meeting can last from 15 minutes to 12 hours. For example: "
        "“Tuesday 6:30pm for 90 minutes”.",
        "/meeting Friday 6pm | Online: http://meet.example.org/x": "Please give the online link starting with "
        "https://, so it opens safely on every phone.",
    }
    for line, expected in cases.items():
        said = await group.say("Alice", line)
        assert said.text == expected, line
    assert await snapshot(app.database) == before


# ---- repeating ------------------------------------------------------------------------------------------


async def test_a_repeating_meeting_keeps_its_local_time_across_the_clock_change(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    clock.set(datetime(2027, 10, 13, 9, 0, tzinfo=UTC))  # Wednesday 13 October 2027, British Summer Time
    posted = await add(group, "/meeting every other Tuesday 6:30pm | Town hall")
    assert posted.text.startswith(
        "New repeating meeting, every other Tuesday. The first one is Meeting 1: Tuesday 19 October, 6:30pm"
    )
    starts = sorted(m.starts_at for m in await rows(app, Meeting))
    # 19 October is in summer time (UTC+1); 2 November after the clocks went back on 31 October (UTC).
    assert starts[:3] == [
        datetime(2027, 10, 19, 17, 30, tzinfo=UTC),
        datetime(2027, 11, 2, 18, 30, tzinfo=UTC),
        datetime(2027, 11, 16, 18, 30, tzinfo=UTC),
    ]
    (series,) = await rows(app, MeetingSeries)
    assert series.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert all(later - earlier == timedelta(days=14) for earlier, later in itertools.pairwise(starts[1:]))


async def test_first_monday_of_the_month_and_the_scheduler_writes_out_more_dates(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group, "/meeting first Monday of the month 7pm | Library")
    firsts = sorted(m.starts_at.date().isoformat() for m in await rows(app, Meeting))
    # Dates are written out about four months ahead (the first is this evening).
    assert firsts == ["2026-11-02", "2026-12-07", "2027-01-04", "2027-02-01", "2027-03-01"]
    clock.set(datetime(2027, 1, 10, 9, 0, tzinfo=UTC))
    await app.scheduler.run_due()
    later = sorted(m.starts_at.date().isoformat() for m in await rows(app, Meeting))
    assert later[5:] == ["2027-04-05", "2027-05-03"]
    await app.scheduler.run_due()
    assert await count(app, Meeting) == 7  # once


# ---- listing and answering ------------------------------------------------------------------------------


async def test_meetings_lists_the_next_ones_with_a_button_row_each(group: ConsoleAdapter) -> None:
    await add(group)
    await add(group, "/meeting every Thursday 7pm for 90 minutes | Library")
    listed = (await group.say("Bob", "/meetings")).seen[-1]
    assert listed.text == (
        "The next meetings:\n"
        "Meeting 1: Tuesday 3 November, 6:30pm to 8:30pm. Online and at Town hall, room 2.\n"
        "Join online: https://meet.example.org/abc\n"
        "Meeting 2: Thursday 5 November, 7pm to 8:30pm. At Library.\n"
        "It repeats every Thursday.\n"
        "Meeting 3: Thursday 12 November, 7pm to 8:30pm. At Library.\n"
        "It repeats every Thursday."
    )
    assert len(listed.buttons) <= 5 and all(len(row) <= 5 for row in listed.buttons)
    assert listed.buttons[0][0].label == "I'll be there (Tue 3 Nov)"
    assert listed.only_for == group.user("Bob").id


async def test_apologies_with_a_reason_given_privately_that_only_co_chairs_see(group: ConsoleAdapter, app: App) -> None:
    await add(group)
    said = await group.press("Bob", "Send apologies")
    assert said.text == (
        "Thank you. I've noted your apologies for the meeting on Tuesday 3 November, 6:30pm. "
        "If you'd like the co-chairs to know why, you can tell me privately: only they will see it."
    )
    reason_button = said.seen[-1].buttons[0][0]
    assert reason_button.label == "Give a reason privately" and reason_button.in_private
    asked = await group.press("Bob", "Give a reason privately", message=said.seen[-1])
    assert "Only the co-chairs will see it. Type it now" in asked.text
    kept = await group.say("Bob", "Hospital appointment", private=True)
    assert kept.text == "Thank you. I've kept your reason. Only the co-chairs will see it."
    (answer,) = await rows(app, MeetingReply)
    assert (answer.answer.value, answer.reason) == ("apologies", "Hospital appointment")
    await group.say("Carol", "/meetings")
    carol = await group.press("Carol", "Who is coming on Tue 3 Nov?")
    assert carol.text == (
        "For the meeting on Tuesday 3 November, 6:30pm:\nNobody has said they'll be there yet.\n"
        "1 person sent apologies: Bob."
    )
    await group.say("Alice", "/meetings")
    alice = await group.press("Alice", "Who is coming on Tue 3 Nov?")
    assert alice.text.endswith("Bob gave this reason: Hospital appointment")


async def test_a_reason_typed_in_the_group_is_not_kept_there(group: ConsoleAdapter, app: App) -> None:
    await add(group)
    said = await group.say("Bob", "/apologies 1 my hospital appointment")
    assert said.text == (
        "Thank you. I've noted your apologies for the meeting on Tuesday 3 November, 6:30pm. I haven't kept your "
        "reason here, because everyone in this chat can read it. If you'd like the co-chairs to know, press the "
        "button and tell me privately."
    )
    (answer,) = await rows(app, MeetingReply)
    assert answer.reason is None
    private = await group.say("Bob", "/apologies 1 my hospital appointment", private=True)
    assert private.text == "Thank you. I've kept your reason. Only the co-chairs will see it."
    (answer,) = await rows(app, MeetingReply)
    assert answer.reason == "my hospital appointment"


async def test_an_apology_can_be_taken_back_and_i_will_be_there_replaces_it(group: ConsoleAdapter, app: App) -> None:
    await add(group)
    said = await group.press("Bob", "Send apologies")
    undone = await group.press("Bob", "Take my apologies back", message=said.seen[-1])
    assert (
        undone.text
        == "Your apologies for the meeting on Tuesday 3 November, 6:30pm are taken back. We hope to see you there."
    )
    assert await count(app, MeetingReply) == 0
    again = await group.press("Bob", "Take my apologies back", message=said.seen[-1])
    assert again.text == "You haven't sent apologies for that meeting, so there is nothing to take back."
    await group.say("Bob", "/apologies")
    going = await group.press("Bob", "I'll be there")
    assert going.text == "Thank you. I've noted that you'll be at the meeting on Tuesday 3 November, 6:30pm."
    (answer,) = await rows(app, MeetingReply)
    assert answer.answer.value == "going"


async def test_a_member_of_another_group_cannot_see_or_answer_a_meeting(group: ConsoleAdapter, app: App) -> None:
    posted = await add(group)
    before = await snapshot(app.database)
    for action in ("going", "apologies", "calendar", "checkin", "whocomes", "apology_reason"):
        said = await group.press_data("Mallory", action, "1", chat=group.private_chat("Mallory"))
        assert said.text == "There is no meeting 1 in this group. Type /meetings to see the next meetings.", action
    for forged in ("1.2", "x", "-1", "99999999999", ""):
        said = await group.press_data("Bob", "going", forged, message=posted)
        assert said.text == "That button no longer works. Type /meetings to see the next meetings.", forged
    bob_press = await group.press_data("Bob", "cancelmeeting", "1.1", message=posted)
    assert bob_press.text == "Only co-chairs can do that. Ask a co-chair if you need it done."
    assert await snapshot(app.database) == before


# ---- moving and cancelling ---------------------------------------------------------------------------------


async def test_moving_a_meeting_tells_everyone_plainly(group: ConsoleAdapter, app: App) -> None:
    await add(group)
    said = await group.say("Alice", "/movemeeting 1 | Thursday 7pm")
    posted = next(m for m in said.messages if m.text.startswith("Meeting 1 has moved"))
    assert (
        posted.text.splitlines()[0]
        == "Meeting 1 has moved from Tuesday 3 November, 6:30pm to Thursday 5 November, 7pm."
    )
    assert "The calendar file updates the event in calendar apps that accept updates." in posted.text
    (meeting,) = await rows(app, Meeting)
    assert (meeting.starts_at, meeting.sequence, meeting.length_minutes) == (
        datetime(2026, 11, 5, 19, tzinfo=UTC),
        1,
        120,
    )


async def test_one_date_of_a_series_or_every_later_date_can_be_cancelled(group: ConsoleAdapter, app: App) -> None:
    await add(group, "/meeting every Tuesday 6:30pm | Town hall")
    asked = await group.say("Alice", "/cancelmeeting 2")
    assert (
        asked.text
        == "This is one date of a repeating meeting. Cancel just this date, or this date and every later one?"
    )
    one = await group.press("Alice", "Just this date")
    assert one.text.startswith("Meeting 2 on Tuesday 10 November, 6:30pm is cancelled.")
    statuses = {m.id: m.status for m in await rows(app, Meeting)}
    assert statuses[2] is MeetingStatus.CANCELLED and statuses[1] is statuses[3] is MeetingStatus.SCHEDULED
    await group.say("Alice", "/cancelmeeting 4 all")
    later = {m.id: m.status for m in await rows(app, Meeting)}
    assert [i for i, s in sorted(later.items()) if s is MeetingStatus.SCHEDULED] == [1, 3]
    listed = await group.say("Bob", "/meetings")
    assert "Meeting 2:" not in listed.text and "Meeting 4:" not in listed.text and "Meeting 3:" in listed.text


async def test_changing_a_series_from_a_date_on_carries_answers_over(group: ConsoleAdapter, app: App) -> None:
    await add(group, "/meeting every other Wednesday 6:30pm | Town hall")
    await group.say("Bob", "/apologies 2")
    said = await group.say("Alice", "/movemeeting 2 | every other Friday 6pm")
    assert "from now on it is every other Friday. The next one is Friday" in said.text
    meetings = await rows(app, Meeting)
    open_dates = sorted(m.starts_at for m in meetings if m.status is MeetingStatus.SCHEDULED)
    assert open_dates[0] == datetime(2026, 11, 4, 18, 30, tzinfo=UTC)  # before the change: kept
    assert all(d.weekday() == 4 for d in open_dates[1:])
    answers = await rows(app, MeetingReply)
    moved_to = {m.id: m for m in meetings}[answers[-1].meeting_id]
    assert moved_to.status is MeetingStatus.SCHEDULED and moved_to.starts_at == open_dates[1]


# ---- reminders ---------------------------------------------------------------------------------------------


async def test_the_group_and_those_who_asked_are_reminded_once_at_each_time(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group, "/meeting Friday 6:30pm | Online: https://meet.example.org/abc")
    turned_on = await group.say("Bob", "/mysettings private meeting reminders yes")
    assert turned_on.text == "Done. I remind you of meetings in a private message as well."
    await group.say("Carol", "/mysettings private meeting reminders yes")
    await group.say("Carol", "/apologies")  # Carol won't come: no private reminder for her
    friday = datetime(2026, 11, 6, 18, 30, tzinfo=UTC)
    clock.set(friday - timedelta(days=2))
    await app.scheduler.run_due()
    await app.scheduler.run_due()
    (two_days,) = reminders_in(group.group_messages())
    assert two_days.text.startswith(
        "Reminder: the meeting is in 2 days. Meeting 1: Friday 6 November, 6:30pm to 8:30pm. Online."
    )
    assert "Join online: https://meet.example.org/abc" in two_days.text
    assert two_days.labels[:3] == ["I'll be there", "Send apologies", "Add to my calendar"]
    assert len(reminders_in(group.inbox("Bob"))) == 1
    assert reminders_in(group.inbox("Carol")) == [] and reminders_in(group.inbox("Alice")) == []
    clock.set(friday - timedelta(hours=1))
    await app.scheduler.run_due()
    assert [m.text.split(".")[0] for m in reminders_in(group.group_messages())] == [
        "Reminder: the meeting is in 2 days",
        "Reminder: the meeting is in 1 hour",
    ]
    assert len(reminders_in(group.inbox("Bob"))) == 2


async def test_reminders_go_once_across_a_restart_and_a_late_one_says_so(
    group: ConsoleAdapter, app: App, settings: Settings, clock: ManualClock
) -> None:
    await add(group, "/meeting Friday 6:30pm | Town hall")
    friday = datetime(2026, 11, 6, 18, 30, tzinfo=UTC)
    clock.set(friday - timedelta(days=2))
    await app.scheduler.run_due()
    await app.close()
    clock.set(friday - timedelta(minutes=40))  # the bot was down when the 1-hour reminder fell due
    again = await create_app(settings, clock=clock)
    chat = ConsoleAdapter(again.dispatcher, group_title="Riverside Lay Partners")
    try:
        await again.scheduler.run_due()
        await again.scheduler.run_due()
        (late,) = reminders_in(chat.group_messages())
        assert late.text.startswith("Reminder: the meeting is in 40 minutes.")
        assert late.text.endswith("(This reminder is late: I was offline for a while. Sorry.)")
    finally:
        await again.close()


async def test_a_reminder_missed_until_the_meeting_started_is_logged_not_sent(
    group: ConsoleAdapter, app: App, clock: ManualClock, caplog
) -> None:  # type: ignore[no-untyped-def]
    await add(group, "/meeting Friday 6:30pm | Town hall")
    clock.set(datetime(2026, 11, 6, 18, 45, tzinfo=UTC))
    await app.scheduler.run_due()
    assert reminders_in(group.group_messages()) == []
    assert "missed the 60-minute reminder for meeting 1" in caplog.text


async def test_reminders_across_the_clock_change_fire_at_local_time_once(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    clock.set(datetime(2027, 10, 20, 9, 0, tzinfo=UTC))
    await group.say("Alice", "/settings meeting reminders 1 hour")
    await add(group, "/meeting every Tuesday 6:30pm | Town hall")
    sent_at: list[datetime] = []
    moment = clock.now()
    while moment < datetime(2027, 11, 3, tzinfo=UTC):
        moment += timedelta(minutes=15)
        clock.set(moment)
        before = len(reminders_in(group.group_messages()))
        await app.scheduler.run_due()
        sent_at.extend([moment] * (len(reminders_in(group.group_messages())) - before))
    # 5:30pm local both times: 16:30 UTC in summer time (26 October), 17:30 UTC after (2 November).
    assert sent_at == [datetime(2027, 10, 26, 16, 30, tzinfo=UTC), datetime(2027, 11, 2, 17, 30, tzinfo=UTC)]


async def test_changing_the_reminder_times_replans_without_late_reminders(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group, "/meeting Friday 6:30pm | Town hall")
    clock.set(datetime(2026, 11, 4, 18, 30, tzinfo=UTC))  # Wednesday: the 2-day reminder goes
    await app.scheduler.run_due()
    said = await group.say("Alice", "/settings meeting reminders 3 days, 2 hours")
    assert said.text == "Done. The group is reminded of meetings 3 days and 2 hours before."
    await app.scheduler.run_due()
    assert [m.text.split(".")[0] for m in reminders_in(group.group_messages())] == [
        "Reminder: the meeting is in 2 days"
    ]
    clock.set(datetime(2026, 11, 6, 16, 30, tzinfo=UTC))
    await app.scheduler.run_due()
    assert reminders_in(group.group_messages())[-1].text.startswith("Reminder: the meeting is in 2 hours.")


# ---- the meeting itself: check-in and roll call -----------------------------------------------------------


async def test_check_in_opens_when_the_meeting_starts_and_closes_when_it_ends(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group)
    early = await group.press_data("Carol", "checkin", "1")
    assert early.text == "That meeting hasn't started yet, so there is nothing to check in to."
    clock.set(TUESDAY_630PM)
    await app.scheduler.run_due()
    (posted,) = [m for m in group.group_messages() if m.text.startswith("The meeting has started")]
    assert posted.labels == ["I'm here", "Join online"]
    said = await group.press("Carol", "I'm here")
    assert said.toast == "Thank you, you're checked in."
    again = await group.press("Carol", "I'm here")
    assert again.toast == "You're already checked in. Thank you."
    assert posted.text.endswith("1 person has checked in so far.")
    clock.set(TUESDAY_630PM + timedelta(hours=2))
    await app.scheduler.run_due()
    await app.dispatcher.settle()  # live messages are brought up to date (the terminal does this after each event)
    assert posted.text == "The meeting on Tuesday 3 November, 6:30pm has ended. 1 person checked in from home."
    assert posted.buttons == ()
    late = await group.press_data("Bob", "checkin", "1", message=posted)
    assert late.text == "The check-in has closed because the meeting has ended. Please ask a co-chair to add you."
    (row,) = await rows(app, Attendance)
    assert row.presence is Presence.REMOTE
    await app.scheduler.run_due()
    assert (
        len([m for m in group.group_messages() if m.text.startswith(("The meeting has started", "The meeting on"))])
        == 1
    )


async def test_co_chairs_record_who_is_in_the_room_by_name_or_by_ticking(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group)
    clock.set(TUESDAY_630PM + timedelta(minutes=10))
    wrong = await group.say("Alice", "/present Bob, Zed")
    assert wrong.text.startswith("I couldn't find “Zed” in this group, so I haven't recorded anyone.")
    assert await count(app, Attendance) == 0
    said = await group.say("Alice", "/present Bob and alice")
    assert said.text == "I've recorded Bob and Alice as present at the meeting on Tuesday 3 November, 6:30pm."
    listed = await group.say("Alice", "/present")
    assert listed.seen[-1].labels == ["Alice, here", "Bob, here", "Carol"]
    ticked = await group.press("Alice", "Carol", message=listed.seen[-1])
    assert ticked.seen[-1].labels == ["Alice, here", "Bob, here", "Carol, here"]
    untick = await group.press("Alice", "Bob, here", message=listed.seen[-1])
    assert "2 people are marked so far." in untick.text
    present = {(a.person_id, a.presence) for a in await rows(app, Attendance)}
    assert len(present) == 2
    refused = await group.press_data("Bob", "present", listed.seen[-1].buttons[0][0].payload, message=listed.seen[-1])
    assert refused.text == "Only co-chairs can do that. Ask a co-chair if you need it done."


async def test_a_roll_call_of_a_large_group_is_paged_to_fit_discord(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    for index in range(30):
        await group.say(f"Member {index:02d}", "/join")
        await group.press(f"Member {index:02d}", "Lay partner")
    await add(group)
    clock.set(TUESDAY_630PM)
    first = (await group.say("Alice", "/present")).seen[-1]
    assert len(first.buttons) <= 5 and all(len(row) <= 5 for row in first.buttons)
    assert first.text.endswith("Page 1 of 3.") and first.labels[-1] == "Next names"
    second = await group.press("Alice", "Next names", message=first)
    assert second.seen[-1].text.endswith("Page 2 of 3.")
    assert second.seen[-1].labels[-2:] == ["Previous names", "Next names"]


# ---- leave and attendance -----------------------------------------------------------------------------------


async def test_attendance_against_the_aim_with_apologies_and_leave_shown_apart(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group, "/meeting every Tuesday 6:30pm | Town hall")
    await group.say("Carol", "/apologies 2")
    said = await group.say("Alice", "/absence Carol from 16 November until 22 November")
    assert said.text == (
        "I've recorded agreed leave of absence for Carol from Monday 16 November 2026 until Sunday 22 November 2026."
    )
    for week in range(5):
        clock.set(TUESDAY_630PM + timedelta(days=7 * week, minutes=5))
        await app.scheduler.run_due()
        await group.say("Alice", "/present Alice" if week == 1 else "/present Alice, Bob")
        if week in (0, 4):
            await group.press("Carol", "I'm here")
    clock.set(TUESDAY_630PM + timedelta(days=29))
    await app.scheduler.run_due()
    carol = await group.say("Carol", "/attendance")
    assert carol.seen[-1].only_for == group.user("Carol").id
    assert carol.seen[-1].text == (
        "You attended 2 of 5 meetings in the last 12 months (0 in the room, 2 from home): 50%. The group's aim is 80%. "
        "Apologies were sent for 1 meeting. 1 meeting fell in agreed leave of absence and is not counted."
    )
    bob = await group.say("Bob", "/attendance")
    assert bob.seen[-1].text.startswith(
        "You attended 4 of 5 meetings in the last 12 months (4 in the room, 0 from home): 80%, which meets"
    )
    refused = await group.say("Bob", "/attendance Carol")
    assert refused.text == "Only co-chairs can see other members' attendance. Type /attendance to see your own."
    everyone = await group.say("Alice", "/attendance")
    shown = everyone.seen[-1]
    assert shown.only_for == group.user("Alice").id
    assert "Everyone's attendance over the last 12 months (the group's aim is 80%):" in shown.text
    assert "Carol attended 2 of 5 meetings" in shown.text and "Bob attended 4 of 5 meetings" in shown.text
    assert [m for m in everyone.messages if m.only_for is None and "%" in m.text] == []  # nothing in the group


async def test_attendance_counts_only_meetings_since_someone_joined(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group, "/meeting every Tuesday 6:30pm | Town hall")
    clock.set(TUESDAY_630PM + timedelta(days=8))
    await app.scheduler.run_due()
    await group.say("Dan", "/join")
    await group.press("Dan", "Lay partner")
    clock.set(TUESDAY_630PM + timedelta(days=14, minutes=5))
    await app.scheduler.run_due()
    await group.say("Alice", "/present Dan")
    clock.set(TUESDAY_630PM + timedelta(days=15))
    said = await group.say("Dan", "/attendance")
    assert said.text.startswith("You attended 1 of 1 meeting in the last 12 months")


async def test_leave_can_be_ended_early_and_bad_leave_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    before = await snapshot(app.database)
    assert (
        await group.say("Alice", "/absence Carol")
    ).text == "Please say until when, like “/absence Sam until 1 March”."
    assert (await group.say("Alice", "/absence Carol until today")).text == "They have no leave of absence to end."
    assert (await group.say("Bob", "/absence Carol until 1 March")).text.startswith("Only co-chairs can do that.")
    assert (await group.say("Alice", "/absence Zed until 1 March")).text.startswith(
        "I can't find a member called “Zed”"
    )
    assert await snapshot(app.database) == before
    await group.say("Alice", "/absence Carol until 1 March")
    ended = await group.say("Alice", "/absence Carol until today")
    assert ended.text == "Carol's leave of absence has ended today."


# ---- people's data ---------------------------------------------------------------------------------------------


async def test_a_members_meeting_records_are_exported_and_erased(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    from commands.meetings import FEATURE

    await add(group)
    await group.say("Bob", "/apologies 1 sorry", private=True)
    await group.say("Alice", "/absence Bob until 1 March")
    clock.set(TUESDAY_630PM)
    await app.scheduler.run_due()
    await group.say("Alice", "/present Bob")
    bob = (await group.say("Bob", "/meetings")).actor
    async with app.database.unit_of_work() as session:
        from storage.people import find_account

        account = await find_account(session, "console", bob.id)
        assert account is not None
        assert FEATURE.personal_data is not None
        exported = await FEATURE.personal_data.export(session, account.person_id)
    assert exported["meeting_answers"][0]["reason"] == "sorry"
    assert exported["attendance"][0]["how"] == "room" and len(exported["leave"]) == 1
    async with app.database.unit_of_work() as session:
        await FEATURE.personal_data.erase(session, account.person_id)
    async with app.database.unit_of_work() as session:
        left = await FEATURE.personal_data.export(session, account.person_id)
    assert left == {"meeting_answers": [], "attendance": [], "leave": []}
    assert await count(app, Meeting) == 1  # the group's meeting stays


# ---- calendar files and the chart --------------------------------------------------------------------------


def calendar_of(message: ShownMessage) -> Calendar:
    (path,) = message.files
    assert path.suffix == ".ics" and path.exists()
    return Calendar.from_ical(path.read_bytes())


async def test_the_calendar_file_of_a_series_parses_back_with_its_rule_and_time_zone(
    group: ConsoleAdapter, app: App
) -> None:
    await add(group, "/meeting every other Tuesday 6:30pm | Town hall")
    said = await group.press("Bob", "Add to my calendar")
    shown = said.seen[-1]
    assert shown.text.startswith(
        "Here is a calendar file for this repeating meeting, starting Tuesday 3 November, 6:30pm."
    )
    assert shown.only_for == group.user("Bob").id
    cal = calendar_of(shown)
    assert str(cal["method"]) == "REQUEST"
    (event,) = cal.walk("VEVENT")
    (series,) = await rows(app, MeetingSeries)
    assert str(event["uid"]) == series.uid and int(event["sequence"]) == 0
    assert event["rrule"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    start = event.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (18, 30, "Europe/London")
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["location"]) == "Town hall"
    (google,) = [b for row in shown.buttons for b in row if b.url]
    assert google.label == "Add to Google Calendar"
    assert google.url.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert "recur=RRULE%3AFREQ%3DWEEKLY%3BINTERVAL%3D2%3BBYDAY%3DTU" in google.url


async def test_moving_and_cancelling_send_the_same_uid_with_a_higher_sequence(group: ConsoleAdapter, app: App) -> None:
    posted = await add(group)
    added = calendar_of(posted).walk("VEVENT")[0]
    moved = await group.say("Alice", "/movemeeting 1 | Thursday 7pm")
    moved_cal = calendar_of(next(m for m in moved.messages if m.files))
    assert str(moved_cal["method"]) == "REQUEST"
    (event,) = moved_cal.walk("VEVENT")
    assert str(event["uid"]) == str(added["uid"]) and int(event["sequence"]) == 1
    assert event.decoded("dtstart").hour == 19
    cancelled = await group.say("Alice", "/cancelmeeting 1")
    cancel_cal = calendar_of(next(m for m in cancelled.messages if m.files))
    (gone,) = cancel_cal.walk("VEVENT")
    assert str(cancel_cal["method"]) == "CANCEL" and str(gone["status"]) == "CANCELLED"
    assert str(gone["uid"]) == str(added["uid"]) and int(gone["sequence"]) == 2


async def test_one_date_of_a_series_cancelled_and_one_moved_are_in_the_series_file(
    group: ConsoleAdapter, app: App
) -> None:
    await add(group, "/meeting every Tuesday 6:30pm | Town hall")
    await group.say("Alice", "/cancelmeeting 2")
    said = await group.press("Alice", "Just this date")
    one = calendar_of(next(m for m in said.messages if m.files))
    (event,) = one.walk("VEVENT")
    assert str(one["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert event.decoded("recurrence-id") == datetime(2026, 11, 10, 18, 30, tzinfo=UTC)
    await group.say("Alice", "/movemeeting 3 | Wednesday 18 November 7pm")
    file = calendar_of((await group.press("Bob", "Add to my calendar")).seen[-1])
    master, override = file.walk("VEVENT")
    assert [d.dt for d in master["exdate"].dts] == [
        datetime(2026, 11, 10, 18, 30, tzinfo=UTC).astimezone(master.decoded("dtstart").tzinfo)
    ]
    assert override.decoded("recurrence-id").astimezone(UTC) == datetime(2026, 11, 17, 18, 30, tzinfo=UTC)
    assert override.decoded("dtstart").astimezone(UTC) == datetime(2026, 11, 18, 19, 0, tzinfo=UTC)
    assert int(override["sequence"]) == 1 and str(override["uid"]) == str(master["uid"])


async def test_co_chairs_get_an_attendance_chart_as_well_as_sentences(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await add(group)
    clock.set(TUESDAY_630PM + timedelta(minutes=5))
    await group.say("Alice", "/present Alice, Bob")
    clock.set(TUESDAY_630PM + timedelta(days=1))
    said = await group.say("Alice", "/attendance")
    shown = said.seen[-1]
    (chart,) = shown.files
    assert chart.suffix == ".png" and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "The chart shows the same figures as a picture." in shown.text
    member = await group.say("Bob", "/attendance")
    assert member.seen[-1].files == ()
