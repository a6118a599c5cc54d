"""Meetings handlers: adding, listing, moving and cancelling meetings; answers (coming, apologies with a
private reason); the check-in and roll call; leave of absence; attendance figures; and the scheduled work
(reminders, the start and end of each meeting, writing out more dates of a repeating meeting)."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Member, Unit, channel_chat
from bot.dates import format_time, format_when, zone
from bot.errors import UserError
from bot.events import About, MeetingChanged, MeetingEnded, MeetingStarted, SettingChanged, TookPart
from bot.members import find_member
from bot.registry import MAX_INT, parse_ids
from bot.scheduler import LATE_NOTE_AFTER, Job, JobContext
from bot.text import clean_text
from bot.types import Attachment, Button, ButtonRows, MessageRef, Reply, UserRef
from commands.meetings import calendar, chart, rules, wording
from storage import conversations, groups, people
from storage import meetings as store
from storage.groups import Group, Membership
from storage.meetings import Answer, Meeting, MeetingSeries, MeetingStatus, Presence

log = logging.getLogger("touchstone.meetings")

#: The kind of scheduled work of meetings: "meeting:<id>:remind<minutes>", ":start", ":end", and
#: "meeting:s<series id>:extend" (writing out more dates of a repeating meeting).
MEETING_JOBS = "meeting"
REASON_PROMPT = "meeting_reason"
MAX_REASON_CHARS = 300
#: A roll call shows this many names a page: 4 rows of 3, and a row to turn pages (Discord allows 5 rows).
ROLL_CALL_PAGE = 12
ROLL_CALL_PER_ROW = 3
#: Co-chairs may record who was in the room up to this long after a meeting ended.
ROLL_CALL_AFTER = timedelta(days=7)
PRIVATE_REMINDERS = "meeting_reminders_private"
REMINDER_OFFSETS = "meeting_reminders"


# ---- small helpers ------------------------------------------------------------------------------------


def changed(unit: Unit, meeting: Meeting) -> None:
    """A meeting was added, moved or cancelled: its own work is re-planned, and other features hear of it."""
    unit.reschedule(MEETING_JOBS, meeting.id)
    unit.emit(MeetingChanged(meeting.group_id, meeting.id, unit.now()))


def checkin_key(meeting_id: int) -> str:
    return f"checkin:{meeting_id}"


def one_id(payload: str) -> int:
    """A payload of one id; a forged or stale one is refused kindly."""
    return ids(payload, 1)[0]


def ids(payload: str, count: int) -> list[int]:
    """The ids a button carries; a forged or stale payload is refused kindly."""
    found = parse_ids(payload, count)
    if found is None:
        raise UserError(wording.STALE_BUTTON)
    return found


async def find_meeting(ctx: Context, meeting_id: int) -> Meeting:
    """A meeting of this person's group (or of any group they belong to, from a private chat)."""
    meeting = await store.get_meeting(ctx.session, meeting_id)
    if meeting is None:
        raise UserError(wording.no_such_meeting(meeting_id))
    if ctx.group is not None and not ctx.chat.is_private and ctx.group.id != meeting.group_id:
        raise UserError(wording.no_such_meeting(meeting_id))
    if ctx.membership is not None and ctx.group is not None and ctx.group.id == meeting.group_id:
        membership: Membership | None = ctx.membership
    else:
        membership = await groups.find_membership(ctx.session, meeting.group_id, ctx.me.id)
    if membership is None or not membership.active:
        raise UserError(wording.no_such_meeting(meeting_id))
    ctx.membership = membership
    if ctx.group is None or ctx.group.id != meeting.group_id:
        ctx.use_group(await ctx.session.get(Group, meeting.group_id))
    return meeting


def require_not_over(meeting: Meeting, now: datetime) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        raise UserError(wording.ALREADY_CANCELLED)
    if meeting.ends_at <= now:
        raise UserError(wording.MEETING_OVER)


def short_day(moment: datetime, tz: str) -> str:
    """'Tue 8 Dec' for buttons."""
    local = moment.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}"


def title_of(group: Group) -> str:
    return f"{group.name} meeting"


async def offer_meetings(ctx: Context) -> list[tuple[str, str]]:
    """The next meetings, as buttons beside "Which meeting?"."""
    if ctx.group is None:
        return []
    found = await store.upcoming(ctx.session, ctx.group.id, ctx.now(), limit=5)
    return [(wording.meeting_button(ctx.when(m.starts_at)), str(m.id)) for m in found]


# ---- how a meeting reads ------------------------------------------------------------------------------


def describe(meeting: Meeting, tz: str, now: datetime, series: MeetingSeries | None = None) -> str:
    """'Meeting 4: Tuesday 8 December, 6:30pm to 8:30pm. Online and at Town hall.' and the link, the repeat."""
    local_end = meeting.ends_at.astimezone(zone(tz))
    lines = [
        wording.meeting_line(
            meeting.id,
            format_when(meeting.starts_at, tz, now=now),
            format_time(local_end),
            wording.where_words(meeting.place, meeting.link),
        )
    ]
    if meeting.link:
        lines.append(wording.link_line(meeting.link))
    if series is not None and series.status is MeetingStatus.SCHEDULED:
        lines.append(wording.repeats_line(rules.rule_words(series.rule)))
    return "\n".join(lines)


def answer_buttons(meeting: Meeting, tz: str, *, several: bool = False) -> list[list[Button]]:
    """One row: I'll be there, Send apologies, Add to my calendar (with the day when several meetings are
    listed together, so each button says which meeting it is for)."""
    day = short_day(meeting.starts_at, tz)
    labels = (wording.GOING_BUTTON, wording.APOLOGIES_BUTTON, wording.CALENDAR_BUTTON)
    going, sorry, add = (wording.button_for(label, day) if several else label for label in labels)
    ident = str(meeting.id)
    return [[Button(going, "going", ident), Button(sorry, "apologies", ident), Button(add, "calendar", ident)]]


def meeting_buttons(meeting: Meeting, tz: str, *, remind_me: bool = True) -> ButtonRows:
    """The buttons under a meeting posted to the group."""
    rows = answer_buttons(meeting, tz)
    extra: list[Button] = []
    if meeting.link:
        extra.append(Button(wording.JOIN_BUTTON, url=meeting.link))
    if remind_me:
        extra.append(Button(wording.REMIND_ME_BUTTON, "mysetting", f"{PRIVATE_REMINDERS}.0", in_private=True))
    return Reply.rows(*rows, extra)


async def series_of(session: AsyncSession, meeting: Meeting) -> MeetingSeries | None:
    return await store.get_series(session, meeting.series_id) if meeting.series_id is not None else None


def occasion(meeting: Meeting, group: Group, *, cancelled: bool = False) -> calendar.Occasion:
    return calendar.Occasion(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        length=timedelta(minutes=meeting.length_minutes),
        title=title_of(group),
        place=meeting.place,
        link=meeting.link,
        cancelled=cancelled or meeting.status is MeetingStatus.CANCELLED,
        recurrence_id=meeting.recurrence_id,
    )


def repeat_of(series: MeetingSeries, group: Group) -> calendar.Repeat:
    return calendar.Repeat(
        uid=series.uid,
        sequence=series.sequence,
        rule=series.rule,
        first_local=datetime.fromisoformat(series.first_local),
        timezone=series.timezone,
        length=timedelta(minutes=series.length_minutes),
        title=title_of(group),
        place=series.place,
        link=series.link,
        until=series.until,
        cancelled=series.status is MeetingStatus.CANCELLED,
    )


async def series_file(session: AsyncSession, series: MeetingSeries, group: Group, now: datetime) -> Attachment:
    """The whole repeating meeting as one calendar file, with the dates changed on their own."""
    dates = await store.series_dates(session, series.id, from_=datetime.fromisoformat("1970-01-01T00:00:00+00:00"))
    changed = [
        occasion(m, group)
        for m in dates
        if m.status is MeetingStatus.CANCELLED or m.starts_at != m.recurrence_id or m.sequence > 0
    ]
    start = datetime.fromisoformat(series.first_local)
    filename = calendar.safe_filename(group.name + " meetings", start.date())
    return calendar.series(repeat_of(series, group), changed, now, filename=filename)


async def calendar_file(session: AsyncSession, meeting: Meeting, group: Group, now: datetime) -> Attachment:
    """A file for this meeting: the whole series for a date of a repeating meeting."""
    series = await series_of(session, meeting)
    if series is not None and series.status is MeetingStatus.SCHEDULED:
        return await series_file(session, series, group, now)
    tz = group.timezone
    filename = calendar.safe_filename(group.name, rules.utc_to_local(meeting.starts_at, tz).date())
    return calendar.one_meeting(occasion(meeting, group), tz, now, filename=filename)


def google_button(meeting: Meeting, group: Group, series: MeetingSeries | None) -> Button | None:
    if series is not None and series.status is MeetingStatus.SCHEDULED:
        address = calendar.google_link(
            title_of(group),
            meeting.starts_at,
            timedelta(minutes=meeting.length_minutes),
            series.place,
            series.link,
            group.timezone,
            rule=series.rule,
            until=series.until,
        )
    else:
        address = calendar.google_link(
            title_of(group),
            meeting.starts_at,
            timedelta(minutes=meeting.length_minutes),
            meeting.place,
            meeting.link,
            group.timezone,
        )
    return Button(wording.GOOGLE_BUTTON, url=address) if address else None


async def post_to_group(unit: Unit, group_id: int, reply: Reply) -> list[Reply]:
    """The same message for every chat of the group."""
    return [replace(reply, to=channel_chat(c)) for c in await groups.group_channels(unit.session, group_id)]


# ---- adding a meeting ------------------------------------------------------------------------------------


async def meeting_command(ctx: Context) -> list[Reply]:
    group = ctx.require_group()
    tz, now = group.timezone, ctx.now()
    plan = rules.read_plan(ctx.args["when"], tz, now)
    where = rules.read_where([ctx.args.get("where") or "", ctx.args.get("more") or ""])
    if plan.rule is not None:
        return await add_series(ctx, group, plan, where)
    meeting = await new_meeting(ctx, group, plan.starts_at, plan.length, where)
    text = wording.added(describe(meeting, tz, now))
    file = await calendar_file(ctx.session, meeting, group, now)
    return await announce(ctx, group, meeting, text, file)


async def refuse_overlap(
    ctx: Context, group: Group, starts_at: datetime, length: timedelta, apart_from: int | None = None
) -> None:
    clash = await store.overlapping(ctx.session, group.id, starts_at, starts_at + length, apart_from=apart_from)
    if clash is not None:
        raise UserError(wording.overlaps(ctx.when(clash.starts_at)))


async def new_meeting(
    ctx: Context,
    group: Group,
    starts_at: datetime,
    length: timedelta,
    where: rules.Where,
    *,
    series: MeetingSeries | None = None,
) -> Meeting:
    await refuse_overlap(ctx, group, starts_at, length)
    meeting = Meeting(
        group_id=group.id,
        series_id=series.id if series is not None else None,
        recurrence_id=starts_at if series is not None else None,
        starts_at=starts_at,
        length_minutes=int(length.total_seconds() // 60),
        place=where.place,
        link=where.link,
        uid=series.uid if series is not None else f"{uuid.uuid4()}@touchstone",
        sequence=0,
        created_by=ctx.me.id,
        created_at=ctx.now(),
        changed_at=ctx.now(),
    )
    await store.add_meeting(ctx.session, meeting)
    changed(ctx, meeting)
    return meeting


async def add_series(ctx: Context, group: Group, plan: rules.Plan, where: rules.Where) -> list[Reply]:
    assert plan.rule is not None and plan.first_local is not None
    now = ctx.now()
    series = MeetingSeries(
        group_id=group.id,
        rule=plan.rule,
        first_local=plan.first_local.isoformat(timespec="seconds"),
        timezone=group.timezone,
        length_minutes=int(plan.length.total_seconds() // 60),
        place=where.place,
        link=where.link,
        uid=f"{uuid.uuid4()}@touchstone",
        planned_until=now,
        created_by=ctx.me.id,
        created_at=now,
    )
    await store.add_series(ctx.session, series)
    made = await plan_series(ctx, series, now + rules.PLAN_AHEAD)
    first = made[0]
    text = wording.added_series(describe(first, group.timezone, now), rules.rule_words(series.rule))
    file = await series_file(ctx.session, series, group, now)
    return await announce(ctx, group, first, text, file)


async def plan_series(unit: Unit, series: MeetingSeries, until: datetime, *, by: int | None = None) -> list[Meeting]:
    """Write out the series' dates after those it has, up to `until` (and its own end)."""
    end = min(until, series.until) if series.until is not None else until
    start_after = series.planned_until - timedelta(seconds=1) if series.planned_until else unit.now()
    dates = rules.dates_of(series.rule, datetime.fromisoformat(series.first_local), series.timezone, start_after, end)
    made = []
    for local in dates:
        starts_at = rules.local_to_utc(local, series.timezone)
        if starts_at <= unit.now():
            continue
        if isinstance(unit, Context):
            group = await unit.session.get(Group, series.group_id)
            assert group is not None
            await refuse_overlap(unit, group, starts_at, timedelta(minutes=series.length_minutes))
        meeting = Meeting(
            group_id=series.group_id,
            series_id=series.id,
            recurrence_id=starts_at,
            starts_at=starts_at,
            length_minutes=series.length_minutes,
            place=series.place,
            link=series.link,
            uid=series.uid,
            sequence=series.sequence,
            created_by=series.created_by,
            created_at=unit.now(),
            changed_at=unit.now(),
        )
        await store.add_meeting(unit.session, meeting)
        changed(unit, meeting)
        made.append(meeting)
    series.planned_until = max(series.planned_until, end)
    unit.reschedule(MEETING_JOBS, f"s{series.id}")
    return made


async def announce(ctx: Context, group: Group, meeting: Meeting, text: str, file: Attachment) -> list[Reply]:
    """Post news of a meeting, with its calendar file and buttons, to every chat of the group."""
    post = Reply(text, buttons=meeting_buttons(meeting, group.timezone), files=(file,))
    replies = await post_to_group(ctx, group.id, post)
    if ctx.chat.is_private:
        replies.insert(0, Reply(wording.POSTED_IN_GROUP))
    return replies


# ---- listing, answering, calendar ----------------------------------------------------------------------


async def meetings_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    found = await store.upcoming(ctx.session, group.id, ctx.now(), limit=3)
    if not found:
        return Reply(wording.NO_MEETINGS, private=True)
    tz = group.timezone
    lines = [wording.NEXT_MEETINGS]
    rows: list[list[Button]] = []
    for meeting in found:
        series = await series_of(ctx.session, meeting)
        lines.append(describe(meeting, tz, ctx.now(), series))
        answer = await store.reply_of(ctx.session, meeting.id, ctx.me.id)
        if answer is not None:
            lines.append(wording.you_said_going() if answer.answer is Answer.GOING else wording.you_sent_apologies())
        rows.extend(answer_buttons(meeting, tz, several=len(found) > 1))
    # Discord allows five rows of buttons: one row per meeting (three at most), then these.
    last = [Button(wording.who_button(short_day(found[0].starts_at, tz)), "whocomes", str(found[0].id))]
    if (await ctx.my_settings()).get(PRIVATE_REMINDERS) != "yes":
        last.append(Button(wording.REMIND_ME_BUTTON, "mysetting", f"{PRIVATE_REMINDERS}.0", in_private=True))
    rows.append(last)
    return Reply("\n".join(lines), buttons=Reply.rows(*rows), private=True)


async def press_going(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    require_not_over(meeting, ctx.now())
    await store.set_reply(ctx.session, meeting.id, ctx.me.id, Answer.GOING, ctx.now())
    ctx.toast = wording.going(ctx.when(meeting.starts_at))  # a short acknowledgement on the button itself
    return []


async def next_meeting(ctx: Context, number: int | None) -> Meeting:
    if number is not None:
        meeting = await find_meeting(ctx, number)
        require_not_over(meeting, ctx.now())
        return meeting
    found = await store.upcoming(ctx.session, ctx.require_group().id, ctx.now(), limit=1)
    if not found:
        raise UserError(wording.NO_MEETINGS)
    return found[0]


_NUMBER_FIRST = re.compile(r"^\s*(?:meeting\s+)?(\d{1,10})\b\s*(.*)$", re.IGNORECASE | re.DOTALL)


async def apologies_command(ctx: Context) -> Reply:
    """/apologies [meeting] [reason]: a reason typed in a group chat is not kept there."""
    typed = ctx.args.get("meeting") or ""
    match = _NUMBER_FIRST.match(typed)
    number, reason = (int(match.group(1)), match.group(2).strip()) if match else (None, typed.strip())
    if number is not None and number > MAX_INT:
        raise UserError(wording.no_such_meeting(match.group(1) if match else number))
    meeting = await next_meeting(ctx, number)
    await store.set_reply(ctx.session, meeting.id, ctx.me.id, Answer.APOLOGIES, ctx.now())
    when = ctx.when(meeting.starts_at)
    if not ctx.chat.is_private:
        button = Button(wording.REASON_BUTTON, "apology_reason", str(meeting.id), in_private=True)
        words = wording.REASON_NOT_KEPT if reason else wording.REASON_IN_PRIVATE
        return Reply(f"{wording.apologies_noted(when)} {words}", buttons=Reply.rows([button]))
    if reason:
        return await keep_reason(ctx, meeting, reason)
    return await ask_for_reason(ctx, meeting, first=wording.apologies_noted(when))


async def press_apologies(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    require_not_over(meeting, ctx.now())
    await store.set_reply(ctx.session, meeting.id, ctx.me.id, Answer.APOLOGIES, ctx.now())
    when = ctx.when(meeting.starts_at)
    if ctx.chat.is_private:
        return await ask_for_reason(ctx, meeting, first=wording.apologies_noted(when))
    buttons = Reply.rows(
        [Button(wording.REASON_BUTTON, "apology_reason", str(meeting.id), in_private=True)],
        [Button(wording.UNDO_APOLOGIES_BUTTON, "apology_undo", str(meeting.id))],
    )
    return Reply(f"{wording.apologies_noted(when)} {wording.REASON_IN_PRIVATE}", buttons=buttons, private=True)


async def ask_for_reason(ctx: Context, meeting: Meeting, *, first: str = "") -> Reply:
    """Ask privately for a reason only co-chairs will see (typed, or "No reason needed")."""
    await ctx.ask(REASON_PROMPT, {"meeting": meeting.id}, privately=True)
    text = wording.ask_reason(ctx.when(meeting.starts_at))
    buttons = Reply.rows(
        [Button(wording.NO_REASON_BUTTON, "apology_noreason", str(meeting.id))],
        [Button(wording.UNDO_APOLOGIES_BUTTON, "apology_undo", str(meeting.id))],
    )
    return Reply(f"{first} {text}".strip(), buttons=buttons, private=True)


async def press_apology_reason(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    require_not_over(meeting, ctx.now())
    answer = await store.reply_of(ctx.session, meeting.id, ctx.me.id)
    if answer is None or answer.answer is not Answer.APOLOGIES:
        await store.set_reply(ctx.session, meeting.id, ctx.me.id, Answer.APOLOGIES, ctx.now())
    return await ask_for_reason(ctx, meeting)


async def answer_reason(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, int(ctx.prompt_data.get("meeting", 0)))
    reason = ctx.text.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(wording.REASON_TOO_LONG, ask_again=(REASON_PROMPT, {"meeting": meeting.id}))
    if not reason:
        raise UserError(wording.REASON_TOO_LONG, ask_again=(REASON_PROMPT, {"meeting": meeting.id}))
    return await keep_reason(ctx, meeting, reason)


async def keep_reason(ctx: Context, meeting: Meeting, reason: str) -> Reply:
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(wording.REASON_TOO_LONG)
    answer = await store.set_reply(ctx.session, meeting.id, ctx.me.id, Answer.APOLOGIES, ctx.now())
    answer.reason = clean_text(reason, keep_lines=True)
    return Reply(wording.REASON_KEPT, private=True)


async def press_no_reason(ctx: Context) -> Reply:
    await find_meeting(ctx, one_id(ctx.payload))  # still a meeting of their group
    await end_reason_question(ctx)
    return Reply(wording.NO_REASON, private=True)


async def end_reason_question(ctx: Context) -> None:
    """The private question for a reason is answered another way (a button): it stops waiting."""
    await conversations.clear_pending(
        ctx.session, platform=ctx.actor.platform, chat_id=conversations.ANY_PRIVATE_CHAT, user_id=ctx.actor.id
    )


async def press_apology_undo(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    require_not_over(meeting, ctx.now())
    answer = await store.reply_of(ctx.session, meeting.id, ctx.me.id)
    if answer is None or answer.answer is not Answer.APOLOGIES:
        raise UserError(wording.NO_APOLOGIES)
    await store.remove_reply(ctx.session, meeting.id, ctx.me.id)
    await end_reason_question(ctx)
    return Reply(wording.apologies_taken_back(ctx.when(meeting.starts_at)), private=True)


async def press_calendar(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    require_not_over(meeting, ctx.now())
    group = ctx.require_group()
    file = await calendar_file(ctx.session, meeting, group, ctx.now())
    series = await series_of(ctx.session, meeting)
    google = google_button(meeting, group, series)
    text = wording.calendar_file_ready(ctx.when(meeting.starts_at), repeating=series is not None)
    return Reply(text, buttons=Reply.rows([google] if google else []), files=(file,), private=True)


async def press_who(ctx: Context) -> Reply:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    found = await store.replies(ctx.session, meeting.id)
    going = [r.name for r in found if r.answer is Answer.GOING]
    sorry = [r.name for r in found if r.answer is Answer.APOLOGIES]
    lines = [wording.who_is_coming(ctx.when(meeting.starts_at), going, sorry)]
    if ctx.is_cochair:
        lines.extend(wording.reason_line(r.name, r.reason) for r in found if r.answer is Answer.APOLOGIES and r.reason)
    return Reply("\n".join(lines), private=True)


# ---- moving and cancelling -------------------------------------------------------------------------------


async def movemeeting_command(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, ctx.args["meeting"])
    ctx.require_cochair()
    group = ctx.require_group()
    require_not_over(meeting, ctx.now())
    if meeting.starts_at <= ctx.now():
        raise UserError(wording.ALREADY_STARTED)
    plan = rules.read_plan(ctx.args["when"], group.timezone, ctx.now())
    where_given = ctx.args.get("where")
    if plan.rule is not None:
        return await move_series(ctx, group, meeting, plan, where_given)
    before = ctx.when(meeting.starts_at)
    length = plan.length if plan.length_given else timedelta(minutes=meeting.length_minutes)
    await refuse_overlap(ctx, group, plan.starts_at, length, apart_from=meeting.id)
    if where_given:
        where = rules.read_where([where_given])
        meeting.place, meeting.link = where.place, where.link
    meeting.starts_at = plan.starts_at
    meeting.length_minutes = int(length.total_seconds() // 60)
    meeting.sequence += 1
    meeting.changed_at = ctx.now()
    await store.forget_reminders(ctx.session, meeting.id)
    changed(ctx, meeting)
    await ctx.session.flush()
    text = "\n".join(
        [
            wording.moved(meeting.id, before, ctx.when(meeting.starts_at)),
            describe(meeting, group.timezone, ctx.now()),
            wording.CALENDAR_UPDATE,
        ]
    )
    file = await calendar_file(ctx.session, meeting, group, ctx.now())
    replies = await announce(ctx, group, meeting, text, file)
    return replies + await tell_privately(ctx, group, meeting, text, file)


async def move_series(
    ctx: Context, group: Group, meeting: Meeting, plan: rules.Plan, where_given: str | None
) -> list[Reply]:
    """A repeating meeting changes from this date on: the old series ends before it, a new one starts.
    Answers (coming, apologies) carry over date by date."""
    old = await series_of(ctx.session, meeting)
    if old is None:
        raise UserError(wording.MAKE_REPEAT_WITH_MEETING)
    assert plan.rule is not None and plan.first_local is not None
    later = [
        m
        for m in await store.series_dates(ctx.session, old.id, from_=meeting.starts_at)
        if m.status is MeetingStatus.SCHEDULED
    ]
    answers = [await store.replies(ctx.session, m.id) for m in later]
    for m in later:
        m.status = MeetingStatus.CANCELLED
        changed(ctx, m)
    await end_series_before(ctx, old, meeting)
    await ctx.session.flush()
    where = rules.read_where([where_given]) if where_given else rules.Where(old.place, old.link)
    length = plan.length if plan.length_given else timedelta(minutes=old.length_minutes)
    new_plan = replace(plan, length=length)
    series = MeetingSeries(
        group_id=group.id,
        rule=new_plan.rule,
        first_local=new_plan.first_local.isoformat(timespec="seconds") if new_plan.first_local else "",
        timezone=group.timezone,
        length_minutes=int(length.total_seconds() // 60),
        place=where.place,
        link=where.link,
        uid=f"{uuid.uuid4()}@touchstone",
        planned_until=ctx.now(),
        created_by=ctx.me.id,
        created_at=ctx.now(),
    )
    await store.add_series(ctx.session, series)
    made = await plan_series(ctx, series, ctx.now() + rules.PLAN_AHEAD)
    for new, carried in zip(made, answers, strict=False):
        for row in carried:
            kept = await store.set_reply(ctx.session, new.id, row.person_id, row.answer, ctx.now())
            kept.reason = row.reason
    text = "\n".join(
        [
            wording.series_moved(rules.rule_words(series.rule), ctx.when(made[0].starts_at)),
            describe(made[0], group.timezone, ctx.now(), series),
            wording.CALENDAR_UPDATE,
        ]
    )
    files = [await series_file(ctx.session, series, group, ctx.now())]
    if old.status is MeetingStatus.SCHEDULED:
        files.insert(0, await series_file(ctx.session, old, group, ctx.now()))
    else:
        files.insert(0, calendar.series(repeat_of(old, group), [], ctx.now(), filename="meetings-cancelled.ics"))
    post = Reply(text, buttons=meeting_buttons(made[0], group.timezone), files=tuple(files))
    replies = await post_to_group(ctx, group.id, post)
    if ctx.chat.is_private:
        replies.insert(0, Reply(wording.POSTED_IN_GROUP))
    return replies + await tell_privately(ctx, group, made[0], text, files[-1])


async def end_series_before(unit: Unit, series: MeetingSeries, meeting: Meeting) -> None:
    """The series stops before this date: it is cancelled outright if no earlier date remains."""
    recurrence = meeting.recurrence_id or meeting.starts_at
    earlier = [
        m
        for m in await store.series_dates(
            unit.session, series.id, from_=datetime.fromisoformat("1970-01-01T00:00:00+00:00")
        )
        if (m.recurrence_id or m.starts_at) < recurrence
    ]
    series.sequence += 1
    if not earlier:
        series.status = MeetingStatus.CANCELLED
    else:
        series.until = recurrence - timedelta(minutes=1)
        series.planned_until = min(series.planned_until, series.until)
    unit.reschedule(MEETING_JOBS, f"s{series.id}")


async def cancelmeeting_command(ctx: Context) -> list[Reply] | Reply:
    meeting = await find_meeting(ctx, ctx.args["meeting"])
    ctx.require_cochair()
    require_not_over(meeting, ctx.now())
    which = ctx.args.get("which")
    if meeting.series_id is not None and which is None:
        buttons = Reply.rows(
            [Button(wording.JUST_THIS_DATE, "cancelmeeting", f"{meeting.id}.1")],
            [Button(wording.THIS_AND_LATER, "cancelmeeting", f"{meeting.id}.2")],
        )
        return Reply(wording.ONE_OR_ALL, buttons=buttons, private=True)
    return await cancel(ctx, meeting, every_later=which == "all")


async def press_cancelmeeting(ctx: Context) -> list[Reply] | Reply:
    meeting_id, choice = ids(ctx.payload, 2)
    meeting = await find_meeting(ctx, meeting_id)
    ctx.require_cochair()
    require_not_over(meeting, ctx.now())
    return await cancel(ctx, meeting, every_later=choice == 2)


async def cancel(ctx: Context, meeting: Meeting, *, every_later: bool) -> list[Reply]:
    group = ctx.require_group()
    series = await series_of(ctx.session, meeting)
    now = ctx.now()
    if every_later and series is not None:
        later = [
            m
            for m in await store.series_dates(ctx.session, series.id, from_=meeting.starts_at)
            if m.status is MeetingStatus.SCHEDULED
        ]
        for m in [meeting, *later]:
            m.status = MeetingStatus.CANCELLED
            m.sequence += 1
            changed(ctx, m)
        await end_series_before(ctx, series, meeting)
        await ctx.session.flush()
        if series.status is MeetingStatus.CANCELLED:
            file = calendar.series(repeat_of(series, group), [], now, filename="meetings-cancelled.ics")
        else:
            file = await series_file(ctx.session, series, group, now)
        text = "\n".join(
            [
                wording.series_cancelled(rules.rule_words(series.rule), ctx.when(meeting.starts_at)),
                wording.CALENDAR_UPDATE,
            ]
        )
    else:
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        changed(ctx, meeting)
        await ctx.session.flush()
        if series is not None:
            file = calendar.cancel_one_date(occasion(meeting, group), group.timezone, now)
        else:
            file = calendar.one_meeting(occasion(meeting, group), group.timezone, now, filename="meeting-cancelled.ics")
        text = "\n".join([wording.cancelled(meeting.id, ctx.when(meeting.starts_at)), wording.CALENDAR_UPDATE])
    replies = await post_to_group(ctx, group.id, Reply(text, files=(file,)))
    if ctx.chat.is_private:
        replies.insert(0, Reply(wording.POSTED_IN_GROUP))
    return replies + await tell_privately(ctx, group, meeting, text, file)


async def tell_privately(unit: Unit, group: Group, meeting: Meeting, text: str, file: Attachment) -> list[Reply]:
    """Members who asked for private reminders hear of a change privately too."""
    messages = []
    for reply, user in await private_recipients(unit.session, group.id, meeting.id, Reply(text, files=(file,))):
        messages.append(replace(reply, to=user))
    return messages


async def private_recipients(
    session: AsyncSession, group_id: int, meeting_id: int, reply: Reply
) -> list[tuple[Reply, UserRef]]:
    """The reply for each member who turned on private reminders (not those who sent apologies), with a
    hint in the group's chat for anyone the platform will not let the bot reach yet."""
    members = await groups.roster(session, group_id)
    wanted = await people.people_with_setting(session, [m.person_id for m in members], PRIVATE_REMINDERS)
    sorry = (await store.apologies_for(session, [meeting_id])).get(meeting_id, set())
    chosen = [pid for pid, value in wanted.items() if value == "yes" and pid not in sorry]
    accounts = await people.accounts_of(session, chosen)
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(session, group_id))}
    found = []
    for person_id in sorted(chosen):
        for account in accounts.get(person_id, [])[:1]:
            user = UserRef(account.platform, account.user_id, account.display_name)  # type: ignore[arg-type]
            found.append((replace(reply, hint_in=channels.get(account.platform)), user))
    return found


# ---- check-in, roll call, leave ---------------------------------------------------------------------------


async def render_checkin(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    if not (ident.isascii() and ident.isdigit()):
        return None
    meeting = await store.get_meeting(session, int(ident))
    if meeting is None:
        return None
    tz = await groups.group_timezone(session, meeting.group_id)
    count = await store.checked_in(session, meeting.id)
    when = format_when(meeting.starts_at, tz, now=now)
    if end_of(meeting) <= now or meeting.ended or meeting.status is MeetingStatus.CANCELLED:
        return wording.ended(when, count), ()
    rows: list[list[Button]] = [[Button(wording.HERE_BUTTON, "checkin", str(meeting.id))]]
    if meeting.live:
        rows[0].append(Button(wording.RAISE_HAND_BUTTON, "hand", str(meeting.id)))
    if meeting.link:
        rows.append([Button(wording.JOIN_BUTTON, url=meeting.link)])
    return wording.started(when, count), Reply.rows(*rows)


async def press_checkin(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    now = ctx.now()
    if meeting.status is MeetingStatus.CANCELLED:
        raise UserError(wording.ALREADY_CANCELLED)
    if meeting.starts_at > now and not meeting.live:
        raise UserError(wording.NOT_STARTED)
    if end_of(meeting) <= now or meeting.ended:
        raise UserError(wording.CHECK_IN_CLOSED)
    if not await store.record_attendance(ctx.session, meeting.id, ctx.me.id, Presence.REMOTE, by=None, now=now):
        ctx.toast = wording.ALREADY_CHECKED_IN
        return []
    ctx.refresh(checkin_key(meeting.id))
    ctx.emit(TookPart(meeting.group_id, ctx.me.id, "checkin", f"meeting:{meeting.id}", now))
    ctx.toast = wording.CHECKED_IN
    return []


async def roll_call_meeting(ctx: Context) -> Meeting:
    group = ctx.require_group()
    live = await store.live_meeting(ctx.session, group.id)
    if live is not None:
        return live  # started early with /startmeeting
    meeting = await store.current_or_last(ctx.session, group.id, ctx.now())
    if meeting is None or meeting.ends_at + ROLL_CALL_AFTER < ctx.now():
        raise UserError(wording.NO_MEETING_NOW)
    return meeting


_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)


async def present_command(ctx: Context) -> Reply:
    meeting = await roll_call_meeting(ctx)
    typed = (ctx.args.get("names") or "").strip()
    if not typed:
        return await roll_call(ctx, meeting, 0)
    names = [n for n in _NAME_SPLIT.split(typed) if n]
    found: list[Member] = []
    unknown: list[str] = []
    for name in names:
        try:
            found.append(await find_member(ctx, name))
        except UserError:
            unknown.append(name[:40])
    if unknown:
        raise UserError(wording.unknown_names(unknown))
    recorded: list[str] = []
    already: list[str] = []
    for member in {m.person_id: m for m in found}.values():
        added = await store.record_attendance(
            ctx.session, meeting.id, member.person_id, Presence.ROOM, by=ctx.me.id, now=ctx.now()
        )
        (recorded if added else already).append(member.name)
    lines = []
    if recorded:
        lines.append(wording.present_recorded(recorded, ctx.when(meeting.starts_at)))
    if already:
        lines.append(wording.already_present(already))
    return Reply(" ".join(lines), private=True)


async def roll_call(ctx: Context, meeting: Meeting, page: int, edit: MessageRef | None = None) -> Reply:
    members = await groups.roster(ctx.session, meeting.group_id)
    present = (await store.attended(ctx.session, [meeting.id])).get(meeting.id, {})
    pages = max(1, -(-len(members) // ROLL_CALL_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = members[page * ROLL_CALL_PAGE : (page + 1) * ROLL_CALL_PAGE]
    names = [
        Button(
            wording.ticked(m.name) if m.person_id in present else m.name,
            "present",
            f"{meeting.id}.{m.person_id}.{page}",
        )
        for m in shown
    ]
    rows = [names[i : i + ROLL_CALL_PER_ROW] for i in range(0, len(names), ROLL_CALL_PER_ROW)]
    turn = []
    if page > 0:
        turn.append(Button(wording.PREVIOUS_PAGE, "presentpage", f"{meeting.id}.{page - 1}"))
    if page < pages - 1:
        turn.append(Button(wording.NEXT_PAGE, "presentpage", f"{meeting.id}.{page + 1}"))
    text = wording.roll_call(ctx.when(meeting.starts_at), len(present), page + 1, pages)
    return Reply(text, buttons=Reply.rows(*rows, turn), edit=edit, private=edit is None)


async def press_present(ctx: Context) -> Reply:
    meeting_id, person_id, page = ids(ctx.payload, 3)
    meeting = await find_meeting(ctx, meeting_id)
    ctx.require_cochair()
    if (meeting.starts_at > ctx.now() and not meeting.live) or meeting.ends_at + ROLL_CALL_AFTER < ctx.now():
        raise UserError(wording.NO_MEETING_NOW)
    if not await groups.is_active_member(ctx.session, meeting.group_id, person_id):
        raise UserError(wording.STALE_BUTTON)
    present = (await store.attended(ctx.session, [meeting.id])).get(meeting.id, {})
    if present.get(person_id) is Presence.REMOTE:
        ctx.toast = wording.REMOTE_STAYS
    elif person_id in present:
        await store.remove_attendance(ctx.session, meeting.id, person_id)
    else:
        await store.record_attendance(ctx.session, meeting.id, person_id, Presence.ROOM, by=ctx.me.id, now=ctx.now())
    message = ctx.event.message if ctx.event is not None and hasattr(ctx.event, "message") else None
    return await roll_call(ctx, meeting, page, edit=message)


async def press_present_page(ctx: Context) -> Reply:
    meeting_id, page = ids(ctx.payload, 2)
    meeting = await find_meeting(ctx, meeting_id)
    ctx.require_cochair()
    message = ctx.event.message if ctx.event is not None and hasattr(ctx.event, "message") else None
    return await roll_call(ctx, meeting, page, edit=message)


_UNTIL = re.compile(r"\s+(?:until|till|to)\s+", re.IGNORECASE)
_FROM_PART = re.compile(r"\s+from\s+", re.IGNORECASE)


async def absence_command(ctx: Context) -> Reply:
    """/absence Sam until 1 March (or from 5 January until 1 March; "until today" ends it)."""
    group = ctx.require_group()
    typed = ctx.args["details"]
    parts = _UNTIL.split(typed, maxsplit=1)
    if len(parts) != 2 or not parts[1].strip():
        raise UserError(wording.LEAVE_NEEDS_UNTIL)
    who, until_text = parts[0].strip(), parts[1].strip()
    start_text = None
    split = _FROM_PART.split(who, maxsplit=1)
    if len(split) == 2:
        who, start_text = split[0].strip(), split[1].strip()
    member = await find_member(ctx, who)
    tz, now = group.timezone, ctx.now()
    today = rules.local_to_utc(rules.utc_to_local(now, tz).replace(hour=0, minute=0, second=0, microsecond=0), tz)
    if until_text.casefold() in ("today", "now"):
        current = await store.leave_in(
            ctx.session, group.id, now, now + timedelta(seconds=1), person_id=member.person_id
        )
        if not current:
            raise UserError(wording.NO_LEAVE_TO_END)
        for leave in current:
            leave.ends_at = now
        return Reply(wording.leave_ended(member.name), private=True)
    starts_at = rules.read_day(start_text, tz, now, nearest=True) if start_text else today
    ends_at = rules.read_day(until_text, tz, now, end_of_day=True)
    if ends_at <= starts_at:
        raise UserError(wording.LEAVE_ENDS_BEFORE)
    if ends_at - starts_at > timedelta(days=366):
        raise UserError(wording.LEAVE_TOO_LONG)
    await store.add_leave(
        ctx.session,
        store.Leave(
            group_id=group.id,
            person_id=member.person_id,
            starts_at=starts_at,
            ends_at=ends_at,
            recorded_by=ctx.me.id,
            at=now,
        ),
    )
    return Reply(
        wording.leave_recorded(
            member.name, rules.day_words(starts_at, tz), rules.day_words(ends_at - timedelta(minutes=1), tz)
        ),
        private=True,
    )


# ---- attendance figures ---------------------------------------------------------------------------------


async def figures(
    ctx: Context, group: Group, person_ids: list[int] | None = None
) -> list[tuple[store.MemberSince, rules.Figure]]:
    """Each member's attendance over the group's period: meetings held since they joined."""
    months = int(await ctx.setting("attendance_months"))
    now = ctx.now()
    start = now - timedelta(days=round(months * 30.44))
    held = await store.held_between(ctx.session, group.id, start, now)
    ids_held = [m.id for m in held]
    present = await store.attended(ctx.session, ids_held)
    sorry = await store.apologies_for(ctx.session, ids_held)
    leave = await store.leave_in(ctx.session, group.id, start, now)
    results = []
    for member in await store.members_since(ctx.session, group.id):
        if person_ids is not None and member.person_id not in person_ids:
            continue
        theirs = [m for m in held if m.starts_at >= member.joined_at]
        on_leave = {
            m.id
            for m in theirs
            for lv in leave
            if lv.person_id == member.person_id and lv.starts_at <= m.starts_at < lv.ends_at
        }
        figure = rules.figure(
            [m.id for m in theirs],
            {m.id: present[m.id][member.person_id].value for m in theirs if member.person_id in present.get(m.id, {})},
            {m.id for m in theirs if member.person_id in sorry.get(m.id, set())},
            on_leave,
            in_room_value=Presence.ROOM.value,
        )
        results.append((member, figure))
    return results


async def attendance_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    months = int(await ctx.setting("attendance_months"))
    target = int(await ctx.setting("attendance_target"))
    typed = ctx.args.get("member")
    if typed:
        member = await find_member(ctx, typed)
        if member.person_id != ctx.me.id and not ctx.is_cochair:
            raise UserError(wording.ONLY_OWN_FIGURE)
        found = await figures(ctx, group, [member.person_id])
        if not found:
            raise UserError(wording.NO_FIGURE_YET)
        figure = found[0][1]
        name = None if member.person_id == ctx.me.id else member.name
        return Reply(wording.figure_sentence(name, figure, months, target), private=True)
    mine = await figures(ctx, group, [ctx.me.id])
    lines = [wording.figure_sentence(None, mine[0][1], months, target)] if mine else []
    if not ctx.is_cochair:
        return Reply("\n".join(lines) or wording.NO_FIGURE_YET, private=True)
    everyone = await figures(ctx, group)
    lines.append("")
    lines.append(wording.everyone_heading(months, target))
    lines.extend(wording.figure_sentence(member.name, figure, months, target) for member, figure in everyone)
    picture = chart.attendance_chart(
        [(member.name, figure.percent) for member, figure in everyone],
        target,
        wording.CHART_TITLE.format(months=months),
        wording.CHART_AIM.format(target=target),
    )
    lines.append(wording.CHART_NOTE)
    return Reply("\n".join(lines), files=(picture,), private=True)


# ---- scheduled work --------------------------------------------------------------------------------------


def offsets_of(stored: str | None) -> list[int]:
    """ "2880,60" → [2880, 60] (minutes before a meeting)."""
    value = DEFAULT_OFFSETS if stored is None else stored
    return [int(part) for part in value.split(",") if part.strip().isdigit() and int(part) > 0]


DEFAULT_OFFSETS = "2880,60"


def jobs_of(meeting: Meeting, offsets: list[int], reminded: set[int]) -> list[Job]:
    """A meeting's scheduled work: each reminder not yet sent (and due after it was planned), its start
    (the check-in) and its end (closing the check-in)."""
    if meeting.status is not MeetingStatus.SCHEDULED or meeting.ended:
        return []
    jobs = []
    for minutes in offsets:
        due = meeting.starts_at - timedelta(minutes=minutes)
        if minutes not in reminded and due > meeting.changed_at:
            jobs.append(
                Job(f"{MEETING_JOBS}:{meeting.id}:remind{minutes}", due, partial(remind_job, meeting.id, minutes))
            )
    if not meeting.started:
        jobs.append(Job(f"{MEETING_JOBS}:{meeting.id}:start", meeting.starts_at, partial(start_job, meeting.id)))
    jobs.append(Job(f"{MEETING_JOBS}:{meeting.id}:end", end_of(meeting), partial(end_job, meeting.id)))
    return jobs


#: A meeting run with /startmeeting may run over; if nobody types /endmeeting it is closed this long after.
OVERRUN = timedelta(hours=2)


def end_of(meeting: Meeting) -> datetime:
    return meeting.ends_at + OVERRUN if meeting.live else meeting.ends_at


def series_jobs(series: MeetingSeries) -> list[Job]:
    if series.status is not MeetingStatus.SCHEDULED:
        return []
    if series.until is not None and series.planned_until >= series.until:
        return []
    when = series.planned_until - rules.EXTEND_WHEN_LEFT
    return [Job(f"{MEETING_JOBS}:s{series.id}:extend", when, partial(extend_job, series.id))]


async def all_meeting_jobs(session: AsyncSession, now: datetime) -> list[Job]:
    """Every meeting's scheduled work, in three queries however many meetings there are."""
    found = await store.needing_jobs(session)
    chosen = await groups.setting_of_every_group(session, REMINDER_OFFSETS)
    sent = await store.reminders_sent(session)
    jobs = []
    for meeting in found:
        jobs.extend(jobs_of(meeting, offsets_of(chosen.get(meeting.group_id)), sent.get(meeting.id, set())))
    for series in await store.active_series(session):
        jobs.extend(series_jobs(series))
    return jobs


async def one_meeting_jobs(session: AsyncSession, ident: str, now: datetime) -> list[Job]:
    if ident.startswith("s") and ident[1:].isascii() and ident[1:].isdigit():
        return [
            job
            for series in await store.active_series(session, series_id=int(ident[1:]))
            for job in series_jobs(series)
        ]
    if not (ident.isascii() and ident.isdigit()):
        return []
    found = await store.needing_jobs(session, meeting_id=int(ident))
    if not found:
        return []
    meeting = found[0]
    stored = (await groups.group_settings(session, meeting.group_id)).get(REMINDER_OFFSETS)
    sent = (await store.reminders_sent(session, [meeting.id])).get(meeting.id, set())
    return jobs_of(meeting, offsets_of(stored), sent)


async def remind_job(meeting_id: int, minutes: int, job: JobContext) -> None:
    meeting = await store.get_meeting(job.session, meeting_id)
    if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
        return
    if meeting.starts_at - timedelta(minutes=minutes) > job.now():
        return  # moved later: the re-read schedule has the new time
    if not await store.mark_reminded(job.session, meeting_id, minutes, job.now()):
        return  # already sent (by this process before a restart, or by another)
    if meeting.starts_at <= job.now():
        log.warning(
            "missed the %s-minute reminder for meeting %s: it started while the bot was offline", minutes, meeting_id
        )
        return
    group = await job.session.get(Group, meeting.group_id)
    assert group is not None
    tz = group.timezone
    series = await series_of(job.session, meeting)
    late = job.late_by > LATE_NOTE_AFTER
    if late:
        soon = wording.about(max(1, round((meeting.starts_at - job.now()).total_seconds() / 60)))
    else:
        soon = wording.in_time(minutes)
    text = wording.reminder(describe(meeting, tz, job.now(), series), soon, late=late)
    agenda = await job.section("meeting_reminder", About(group.id, meeting.id, meeting.starts_at, tz, job.now()))
    if agenda:
        text = "\n".join([text, *agenda])
    for reply in await post_to_group(job, group.id, Reply(text, buttons=meeting_buttons(meeting, tz))):
        assert reply.to is not None
        job.send(reply, reply.to)
    private = Reply(text, buttons=Reply.rows(*answer_buttons(meeting, tz)))
    for reply, user in await private_recipients(job.session, group.id, meeting.id, private):
        job.send(reply, user)


async def start_job(meeting_id: int, job: JobContext) -> None:
    meeting = await store.get_meeting(job.session, meeting_id)
    if meeting is None or meeting.starts_at > job.now():
        return
    if not await store.mark_started(job.session, meeting_id):
        return
    if meeting.ends_at <= job.now():
        log.warning("meeting %s ended while the bot was offline; no check-in was posted", meeting_id)
        return
    rendered = await render_checkin(job.session, str(meeting.id), job.now())
    if rendered is None:
        return
    text, buttons = rendered
    for reply in await post_to_group(job, meeting.group_id, Reply(text, buttons=buttons, key=checkin_key(meeting.id))):
        assert reply.to is not None
        job.send(reply, reply.to)


async def end_job(meeting_id: int, job: JobContext) -> None:
    meeting = await store.get_meeting(job.session, meeting_id)
    if meeting is None or end_of(meeting) > job.now():
        return
    if await store.mark_ended(job.session, meeting_id):
        await finish_meeting(job, meeting)


async def extend_job(series_id: int, job: JobContext) -> None:
    series = await store.get_series(job.session, series_id)
    if series is None or series.status is not MeetingStatus.SCHEDULED:
        return
    if series.planned_until - rules.EXTEND_WHEN_LEFT > job.now():
        return
    await plan_series(job, series, job.now() + rules.PLAN_AHEAD)


async def on_setting_changed(unit: Unit, event: SettingChanged) -> None:
    """New reminder times: re-plan the group's meetings. Times already passed count as sent (they were
    never due under the new setting, so nobody gets a "late" reminder for them)."""
    if event.key != REMINDER_OFFSETS:
        return
    stored = (await groups.group_settings(unit.session, event.group_id)).get(REMINDER_OFFSETS)
    for meeting in await store.group_upcoming_all(unit.session, event.group_id, unit.now()):
        for minutes in offsets_of(stored):
            if meeting.starts_at - timedelta(minutes=minutes) <= unit.now():
                await store.mark_reminded(unit.session, meeting.id, minutes, unit.now())
        unit.reschedule(MEETING_JOBS, meeting.id)


# ---- settings --------------------------------------------------------------------------------------------

_OFFSET = re.compile(r"^(\d{1,3})\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|weeks?|w)$")


def parse_offsets(text: str) -> str:
    typed = text.strip().casefold().removesuffix("before").strip()
    if typed in ("none", "no", "off", "0", "never", "no reminders"):
        return ""
    pieces = [p for p in re.split(r"\s*(?:,|\band\b)\s*", typed) if p]
    minutes: list[int] = []
    for piece in pieces:
        match = _OFFSET.match(piece)
        if match is None:
            raise UserError(wording.REMINDERS_BAD)
        count, unit = int(match.group(1)), match.group(2)[0]
        value = count * {"w": 10080, "d": 1440, "h": 60, "m": 1}[unit]
        if not 5 <= value <= 14 * 1440:
            raise UserError(wording.REMINDERS_BAD)
        minutes.append(value)
    if not minutes or len(minutes) > 3:
        raise UserError(wording.REMINDERS_BAD)
    return ",".join(str(m) for m in sorted(set(minutes), reverse=True))


def offset_words(minutes: int) -> str:
    return wording.in_time(minutes).removeprefix("in ")


def describe_offsets(stored: str) -> str:
    values = offsets_of(stored)
    if not values:
        return wording.reminders_described(None)
    words = [offset_words(m) for m in values]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return wording.reminders_described(joined)


def parse_target(text: str) -> str:
    typed = text.strip().removesuffix("%").strip()
    if not (typed.isascii() and typed.isdigit()) or not 1 <= int(typed) <= 100:
        raise UserError(wording.TARGET_BAD)
    return str(int(typed))


def parse_months(text: str) -> str:
    typed = text.strip().casefold().removesuffix("months").removesuffix("month").strip()
    if not (typed.isascii() and typed.isdigit()) or not 1 <= int(typed) <= 36:
        raise UserError(wording.MONTHS_BAD)
    return str(int(typed))


def parse_yes_no(text: str) -> str:
    answer = " ".join(text.casefold().split())
    if answer in ("yes", "y", "on", "true", wording.TURN_ON_PRIVATE.casefold()):
        return "yes"
    if answer in ("no", "n", "off", "false", wording.TURN_OFF_PRIVATE.casefold()):
        return "no"
    raise UserError(wording.YES_OR_NO)


# ---- the evening meeting: started and ended by a co-chair, hands raised from home, its record ----------------

#: /startmeeting finds a meeting starting within this time (or under way).
START_WINDOW = timedelta(hours=2)


async def startmeeting_command(ctx: Context) -> list[Reply]:
    group = ctx.require_group()
    now = ctx.now()
    found = [
        m
        for m in await store.upcoming(ctx.session, group.id, now, limit=3)
        if m.starts_at - START_WINDOW <= now and not m.ended
    ]
    if not found:
        raise UserError(wording.NO_MEETING_TO_START)
    meeting = found[0]
    if meeting.live:
        raise UserError(wording.ALREADY_LIVE)
    meeting.live = True
    first_post = await store.mark_started(ctx.session, meeting.id)
    changed(ctx, meeting)  # its end moves (a meeting run live may run over)
    await ctx.session.flush()
    ctx.emit(MeetingStarted(group.id, meeting.id, now))
    rendered = await render_checkin(ctx.session, str(meeting.id), now)
    assert rendered is not None
    text, buttons = rendered
    replies = [Reply(wording.meeting_opened(ctx.when(meeting.starts_at)), private=True)]
    if first_post:
        replies += await post_to_group(ctx, group.id, Reply(text, buttons=buttons, key=checkin_key(meeting.id)))
    else:
        ctx.refresh(checkin_key(meeting.id))  # the check-in posted at the start gains "Raise my hand"
    return replies


async def live_meeting_of(ctx: Context) -> Meeting:
    meeting = await store.live_meeting(ctx.session, ctx.require_group().id)
    if meeting is None:
        raise UserError(wording.NO_LIVE_MEETING)
    return meeting


async def endmeeting_command(ctx: Context) -> list[Reply]:
    meeting = await live_meeting_of(ctx)
    if not await store.mark_ended(ctx.session, meeting.id):
        raise UserError(wording.NO_LIVE_MEETING)
    record = await finish_meeting(ctx, meeting)
    return await post_to_group(ctx, meeting.group_id, Reply(record))


async def finish_meeting(unit: Unit, meeting: Meeting) -> str:
    """Close the check-in, write the meeting's record (kept for /minutes), and tell other features (items not
    reached carry over)."""
    meeting.ended = True
    group = await unit.session.get(Group, meeting.group_id)
    assert group is not None
    record = await write_record(unit, group, meeting)
    meeting.minutes = record
    await store.clear_hands(unit.session, meeting.id)
    unit.refresh(checkin_key(meeting.id))
    unit.refresh(hands_key(meeting.id))
    unit.reschedule(MEETING_JOBS, meeting.id)
    unit.emit(MeetingEnded(group.id, meeting.id, unit.now()))
    return record


async def write_record(unit: Unit, group: Group, meeting: Meeting) -> str:
    tz = group.timezone
    present = (await store.attended(unit.session, [meeting.id])).get(meeting.id, {})
    names = {m.person_id: m.name for m in await store.members_since(unit.session, group.id)}
    replies = await store.replies(unit.session, meeting.id)
    for row in replies:
        names.setdefault(row.person_id, row.name)
    in_room = sorted(names.get(p, "?") for p, how in present.items() if how is Presence.ROOM)
    remote = sorted(names.get(p, "?") for p, how in present.items() if how is Presence.REMOTE)
    sorry = [r.name for r in replies if r.answer is Answer.APOLOGIES and r.person_id not in present]
    lines = [wording.record_heading(format_when(meeting.starts_at, tz, now=unit.now()))]
    lines.append(wording.record_attended(in_room, remote))
    lines.append(wording.record_apologies(sorry))
    lines.extend(await unit.section("minutes", About(group.id, meeting.id, meeting.starts_at, tz, unit.now())))
    return "\n".join(lines)


async def minutes_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    number = ctx.args.get("meeting")
    meeting: Meeting | None
    if number is not None:
        meeting = await find_meeting(ctx, number)
    else:
        meeting = await store.latest_with_minutes(ctx.session, group.id)
        if meeting is None:
            raise UserError(wording.NO_MINUTES_YET)
    if not meeting.minutes:
        raise UserError(wording.MINUTES_AFTER_END)
    return Reply(meeting.minutes, private=True)


def hands_key(meeting_id: int) -> str:
    return f"hands:{meeting_id}"


async def render_hands(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    if not (ident.isascii() and ident.isdigit()):
        return None
    meeting = await store.get_meeting(session, int(ident))
    if meeting is None:
        return None
    raised = await store.hands(session, meeting.id)
    if meeting.ended:
        return wording.HANDS_CLOSED, ()
    rows = Reply.rows(
        [
            Button(wording.RAISE_HAND_BUTTON, "hand", str(meeting.id)),
            Button(wording.LOWER_HAND_BUTTON, "lowerhand", str(meeting.id)),
        ],
        [Button(wording.NEXT_SPEAKER_BUTTON, "nextspeaker", str(meeting.id))] if raised else [],
    )
    return wording.hands_queue([name for _pid, name in raised]), rows


async def hand_command(ctx: Context) -> list[Reply]:
    meeting = await live_meeting_of(ctx)
    return await raise_hand(ctx, meeting)


async def press_hand(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    if not meeting.live or meeting.ended:
        raise UserError(wording.NO_LIVE_MEETING)
    return await raise_hand(ctx, meeting)


async def raise_hand(ctx: Context, meeting: Meeting) -> list[Reply]:
    if not await store.raise_hand(ctx.session, meeting.id, ctx.me.id, ctx.now()):
        ctx.toast = wording.HAND_ALREADY_UP
        return []
    raised = await store.hands(ctx.session, meeting.id)
    ctx.emit(TookPart(meeting.group_id, ctx.me.id, "hand", f"meeting:{meeting.id}", ctx.now()))
    ctx.toast = wording.hand_raised(len(raised))
    if await ctx.posted(hands_key(meeting.id)):
        ctx.refresh(hands_key(meeting.id))
        return []
    rendered = await render_hands(ctx.session, str(meeting.id), ctx.now())
    assert rendered is not None
    text, buttons = rendered
    return await post_to_group(ctx, meeting.group_id, Reply(text, buttons=buttons, key=hands_key(meeting.id)))


async def press_lower_hand(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    lowered = await store.lower_hand(ctx.session, meeting.id, ctx.me.id)
    ctx.toast = wording.HAND_LOWERED if lowered else wording.HAND_NOT_UP
    ctx.refresh(hands_key(meeting.id))
    return []


async def press_next_speaker(ctx: Context) -> list[Reply]:
    meeting = await find_meeting(ctx, one_id(ctx.payload))
    ctx.require_cochair()
    if not meeting.live or meeting.ended:
        raise UserError(wording.NO_LIVE_MEETING)
    raised = await store.hands(ctx.session, meeting.id)
    if not raised:
        ctx.toast = wording.NO_HANDS
        return []
    person_id, name = raised[0]
    await store.lower_hand(ctx.session, meeting.id, person_id)
    ctx.refresh(hands_key(meeting.id))
    return await post_to_group(ctx, meeting.group_id, Reply(wording.over_to(name)))
