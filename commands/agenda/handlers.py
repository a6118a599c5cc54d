"""Agenda handlers: proposing (named, or anonymous from a private chat), supporting, the ranked agenda a page
at a time, co-chairs shaping it, publishing it on schedule, carrying over what was not reached, and the
meeting itself item by item (comments from home, decisions, actions)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.batching import Batch, BatchResult
from bot.context import Context, Unit, account_names, channel_chat
from bot.dates import format_when, zone
from bot.errors import UserError
from bot.events import About, MeetingChanged, MeetingEnded, MeetingStarted, TookPart, VoteClosed, VoteOpened
from bot.members import find_member
from bot.registry import parse_ids
from bot.scheduler import Job, JobContext
from bot.text import clean_text, named_or_not
from bot.types import Button, ButtonRows, Reply
from commands.agenda import wording
from storage import agenda as store
from storage import groups
from storage import meetings as meeting_store
from storage.agenda import AgendaItem, ItemNote, ItemStatus
from storage.groups import Group, Membership
from storage.meetings import Meeting, MeetingStatus

log = logging.getLogger("touchstone.agenda")

AGENDA_JOBS = "agenda"
PROPOSE_PROMPT = "propose"
MAX_TITLE = 200
MAX_NOTE = 500
#: A page of the agenda stays under Discord's 2,000 characters (Telegram allows 4,096).
PAGE_CHARS = 1800
#: How alike two titles must be (rapidfuzz token set ratio) to ask "did you mean to support that one?".
DUPLICATE_SCORE = 85


# ---- small helpers -------------------------------------------------------------------------------------


def item_key(item_id: int) -> str:
    return f"item:{item_id}"


def ids(payload: str, count: int) -> list[int]:
    """The ids a button carries; a forged or stale payload is refused kindly."""
    found = parse_ids(payload, count)
    if found is None:
        raise UserError(wording.STALE_BUTTON)
    return found


async def find_item(ctx: Context, item_id: int) -> AgendaItem:
    """An item of this person's group (or of any group they belong to, from a private chat)."""
    item = await store.get_item(ctx.session, item_id)
    if item is None:
        raise UserError(wording.no_such_item(item_id))
    if ctx.group is not None and not ctx.chat.is_private and ctx.group.id != item.group_id:
        raise UserError(wording.no_such_item(item_id))
    if ctx.membership is not None and ctx.group is not None and ctx.group.id == item.group_id:
        membership: Membership | None = ctx.membership
    else:
        membership = await groups.find_membership(ctx.session, item.group_id, ctx.me.id)
    if membership is None or not membership.active:
        raise UserError(wording.no_such_item(item_id))
    ctx.membership = membership
    if ctx.group is None or ctx.group.id != item.group_id:
        ctx.use_group(await ctx.session.get(Group, item.group_id))
    return item


async def days_setting(unit: Unit, group_id: int, key: str, default: str) -> int:
    stored = (await groups.group_settings(unit.session, group_id)).get(key, default)
    return int(stored) if stored.isdigit() else int(default)


async def upcoming_meetings(session: AsyncSession, group_id: int, now: datetime) -> list[Meeting]:
    """The group's meetings still to start, soonest first."""
    found = await meeting_store.upcoming(session, group_id, now, limit=10)
    return [m for m in found if m.starts_at > now]


async def meeting_for_proposals(unit: Unit, group_id: int) -> tuple[Meeting | None, Meeting | None]:
    """(the meeting a new proposal is for, the nearer meeting whose proposals have closed, if any)."""
    close_days = await days_setting(unit, group_id, "proposals_close_days", DEFAULT_CLOSE)
    closed: Meeting | None = None
    for meeting in await upcoming_meetings(unit.session, group_id, unit.now()):
        if meeting.starts_at - timedelta(days=close_days) > unit.now():
            return meeting, closed
        closed = closed or meeting
    return None, closed


# ---- proposing ------------------------------------------------------------------------------------------


async def propose_command(ctx: Context) -> Reply | list[Reply]:
    group = ctx.require_group()
    title = clean_text(ctx.args["item"]).strip(" .")
    note = clean_text(ctx.args.get("note") or "", keep_lines=True).strip() or None
    if len(title) < 3:
        raise UserError(wording.ITEM_TOO_SHORT)
    how = ctx.args.get("how")
    if how == "anonymous" and not ctx.chat.is_private:
        raise UserError(wording.ANONYMOUS_ONLY_PRIVATELY)
    data: dict[str, object] = {"title": title, "note": note, "how": how}
    return await continue_proposal(ctx, group, data)


async def continue_proposal(ctx: Context, group: Group, data: dict[str, object]) -> Reply | list[Reply]:
    """Ask what is still to ask (a likely duplicate; named or not, in a private chat), else propose."""
    title = str(data["title"])
    if not data.get("checked"):
        titles = await store.open_titles(ctx.session, group.id)
        match = process.extractOne(
            title, {i: t for i, t in titles}, scorer=fuzz.token_set_ratio, score_cutoff=DUPLICATE_SCORE
        )
        if match is not None:
            _title, _score, item_id = match
            await ctx.ask(PROPOSE_PROMPT, {**data, "checked": True}, typed=False)
            buttons = Reply.rows(
                [Button(wording.support_item_button(int(item_id)), "support", str(item_id))],
                [Button(wording.PROPOSE_ANYWAY, "propose_go", "check")],
            )
            return Reply(wording.looks_like(int(item_id), _title), buttons=buttons, private=True)
    how = data.get("how")
    if how is None and ctx.chat.is_private:
        await ctx.ask(PROPOSE_PROMPT, {**data, "checked": True}, typed=False)
        buttons = Reply.rows(
            [Button(wording.WITH_MY_NAME, "propose_go", "named"), Button(wording.WITHOUT_MY_NAME, "propose_go", "anon")]
        )
        return Reply(wording.ASK_NAMED, buttons=buttons, private=True)
    note = data.get("note")
    return await propose(ctx, group, title, str(note) if note else None, anonymous=how == "anonymous")


async def answer_propose(ctx: Context) -> Reply | list[Reply] | None:
    """Words typed while "with your name or without?" (or "did you mean that one?") waits for a button."""
    data = dict(ctx.prompt_data)
    choice = named_or_not(ctx.text)
    words = " ".join(ctx.text.casefold().split())
    if "title" in data and choice is not None and ctx.chat.is_private:
        data["how"] = "anonymous" if choice == "anon" else "named"
    elif not ("title" in data and words in ("propose anyway", "anyway", "propose it anyway")):
        await ctx.ask(PROPOSE_PROMPT, data, typed=False)  # ordinary chat: the buttons still wait
        return None
    return await continue_proposal(ctx, ctx.require_group(), data)


async def press_propose_go(ctx: Context) -> Reply | list[Reply]:
    choice = ctx.payload
    if choice not in ("check", "named", "anon"):
        raise UserError(wording.STALE_BUTTON)
    data = await ctx.take_question(PROPOSE_PROMPT)
    if data is None or "title" not in data:
        raise UserError(wording.ALREADY_ANSWERED)
    group = ctx.require_group()
    if choice != "check":
        data["how"] = "anonymous" if choice == "anon" else "named"
    return await continue_proposal(ctx, group, data)


async def propose(ctx: Context, group: Group, title: str, note: str | None, *, anonymous: bool) -> list[Reply]:
    meeting, closed = await meeting_for_proposals(ctx, group.id)
    item = await store.add_item(
        ctx.session,
        AgendaItem(
            group_id=group.id,
            meeting_id=meeting.id if meeting else None,
            title=title[:MAX_TITLE],
            note=note[:MAX_NOTE] if note else None,
            proposed_by=None if anonymous else ctx.me.id,
            anonymous=anonymous,
            created_at=ctx.now(),
        ),
    )
    if not anonymous:
        ctx.emit(TookPart(group.id, ctx.me.id, "proposal", item_key(item.id), ctx.now()))
    rendered = await render_item(ctx.session, str(item.id), ctx.now())
    assert rendered is not None
    text, buttons = rendered
    replies = [
        Reply(text, buttons=buttons, to=channel_chat(c), key=item_key(item.id))
        for c in await groups.group_channels(ctx.session, group.id)
    ]
    when = ctx.when(meeting.starts_at) if meeting else None
    thanks = wording.proposed(item.id, when)
    if closed is not None and meeting is not None:
        close_days = await days_setting(ctx, group.id, "proposals_close_days", DEFAULT_CLOSE)
        thanks += " " + wording.proposals_closed(
            ctx.when(closed.starts_at), ctx.when(closed.starts_at - timedelta(days=close_days))
        )
    replies.insert(0, Reply(thanks, private=True))
    return replies


async def render_item(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    """A proposal as posted in the group: who (unless anonymous), what, for which meeting, its support."""
    if not (ident.isascii() and ident.isdigit()):
        return None
    item = await store.get_item(session, int(ident))
    if item is None:
        return None
    if item.status is ItemStatus.HIDDEN:
        return wording.HIDDEN, ()
    tz = await groups.group_timezone(session, item.group_id)
    meeting = await meeting_store.get_meeting(session, item.meeting_id) if item.meeting_id else None
    who = None
    if not item.anonymous:
        names = await store.names_of(session, [item.proposed_by] if item.proposed_by else [])
        who = names.get(item.proposed_by or 0) or FORMER_MEMBER
    when = format_when(meeting.starts_at, tz, now=now) if meeting else None
    text = wording.proposal_post(who, item.title, item.note, when, item.supporters)
    if item.status is not ItemStatus.PROPOSED:
        return text, ()
    return text, Reply.rows([Button(wording.SUPPORT_BUTTON, "support", str(item.id))])


FORMER_MEMBER = "A former member"


async def press_support(ctx: Context) -> list[Reply]:
    (item_id,) = ids(ctx.payload, 1)
    item = await find_item(ctx, item_id)
    await ctx.take_question(PROPOSE_PROMPT)  # "did you mean to support that one?": answered
    if item.status is not ItemStatus.PROPOSED:
        raise UserError(wording.NOT_OPEN)
    now_supports = await store.toggle_support(ctx.session, item.id, ctx.me.id, ctx.now())
    if now_supports:
        ctx.emit(TookPart(item.group_id, ctx.me.id, "support", item_key(item.id), ctx.now()))
    ctx.refresh(item_key(item.id))
    ctx.toast = wording.supported(item.id) if now_supports else wording.unsupported(item.id)
    return []


async def press_supports(batch: Batch) -> list[BatchResult | None]:
    """Many Support presses at once (a busy agenda): the ordinary case in a few bulk statements. Declines
    anything else, and every later press of the same person on the same item, so press_support words each
    refusal and the order of presses is kept."""
    results: list[BatchResult | None] = [None] * len(batch.events)
    unit = batch.unit
    wanted: list[tuple[int, str, str, str, int]] = []  # (index, platform, chat id, user id, item id)
    by_chat: dict[tuple[str, str], set[str]] = {}
    for index, event in enumerate(batch.events):
        parts = event.payload
        if event.chat.is_private or not (parts.isascii() and parts.isdigit()) or len(parts) > 9:
            continue
        wanted.append((index, event.chat.platform, event.chat.id, event.actor.id, int(parts)))
        by_chat.setdefault((event.chat.platform, event.chat.id), set()).add(event.actor.id)
    if not wanted:
        return results
    people: dict[tuple[str, str, str], groups.ChatMember] = {}
    for (platform, chat_id), user_ids in by_chat.items():
        for user_id, member in (await groups.members_in_chat(unit.session, platform, chat_id, list(user_ids))).items():
            people[(platform, chat_id, user_id)] = member
    items = await store.items_by_id(unit.session, list({w[4] for w in wanted}))
    accepted: list[tuple[int, int, int]] = []  # (index, item id, person id)
    seen: set[tuple[int, str, str]] = set()
    for index, platform, chat_id, user_id, item_id in wanted:
        event = batch.events[index]
        who = people.get((platform, chat_id, user_id))
        item = items.get(item_id)
        pair = (item_id, platform, user_id)
        ordinary = (
            pair not in seen
            and who is not None
            and (who.display_name, who.handle) == account_names(event.actor)
            and who.active_member
            and item is not None
            and item.status is ItemStatus.PROPOSED
            and item.group_id == who.group_id
        )
        seen.add(pair)
        if ordinary and who is not None:
            accepted.append((index, item_id, who.person_id))
    if not accepted:
        return results
    existing = await store.support_pairs(unit.session, [i for _x, i, _p in accepted], [p for _x, _i, p in accepted])
    added: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    for index, item_id, person_id in accepted:
        if (item_id, person_id) in existing:
            removed.append((item_id, person_id))
            toast = wording.unsupported(item_id)
        else:
            added.append((item_id, person_id))
            toast = wording.supported(item_id)
        results[index] = BatchResult(toast=toast, refresh=(item_key(item_id),))
    await store.save_support(unit.session, added, removed, unit.now())
    for item_id, person_id in added:
        unit.emit(TookPart(items[item_id].group_id, person_id, "support", item_key(item_id), unit.now()))
    return results


# ---- the agenda ---------------------------------------------------------------------------------------------


async def agenda_pages(
    unit: Unit, group: Group, meeting: Meeting | None, rows: list[store.Row] | None = None
) -> list[str]:
    """The agenda of a meeting (or of the next one not yet planned) in pages of at most PAGE_CHARS."""
    now = unit.now()
    tz = group.timezone
    if meeting is None:
        items = rows if rows is not None else await store.agenda_rows(unit.session, group.id, None, unplanned_too=False)
        heading = wording.UNPLANNED_HEADING
    else:
        if rows is None:
            is_next = await is_next_meeting(unit, group.id, meeting)
            rows = await store.agenda_rows(unit.session, group.id, meeting.id, unplanned_too=is_next)
        items = rows
        published = meeting.id in await store.published(unit.session, [meeting.id])
        close_days = await days_setting(unit, group.id, "proposals_close_days", DEFAULT_CLOSE)
        closes = format_when(meeting.starts_at - timedelta(days=close_days), tz, now=now) if close_days else None
        heading = wording.agenda_heading(
            format_when(meeting.starts_at, tz, now=now), published=published, closes=closes
        )
    if not items:
        return [f"{heading}\n{wording.NO_ITEMS}"]
    lines = []
    for rank, item in enumerate(items, start=1):
        who = None if item.anonymous else (item.proposer or FORMER_MEMBER)
        lines.append(
            wording.agenda_line(
                rank,
                item.id,
                item.title,
                who,
                day_month(item.created_at, tz),
                item.supporters,
                item.minutes,
                day_month(item.carried_from, tz) if item.carried_from else None,
            )
        )
    pages: list[list[str]] = [[heading]]
    for line in lines:
        if sum(len(x) + 1 for x in pages[-1]) + len(line) > PAGE_CHARS - 40:
            pages.append([])
        pages[-1].append(line)
    texts = ["\n".join(page) for page in pages]
    if len(texts) > 1:
        texts = [f"{text}\n{wording.page_of(n, len(texts))}" for n, text in enumerate(texts, start=1)]
    return texts


async def is_next_meeting(unit: Unit, group_id: int, meeting: Meeting) -> bool:
    upcoming = await upcoming_meetings(unit.session, group_id, unit.now())
    return bool(upcoming) and upcoming[0].id == meeting.id


def day_month(moment: datetime, tz: str) -> str:
    local = moment.astimezone(zone(tz))
    return f"{local.day} {local:%B}"


def page_buttons(meeting_id: int | None, page: int, pages: int) -> ButtonRows:
    turn = []
    if page > 0:
        turn.append(Button(wording.PREVIOUS_PAGE, "agendapage", f"{meeting_id or 0}.{page - 1}"))
    if page < pages - 1:
        turn.append(Button(wording.NEXT_PAGE, "agendapage", f"{meeting_id or 0}.{page + 1}"))
    return Reply.rows(turn)


async def agenda_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    upcoming = await upcoming_meetings(ctx.session, group.id, ctx.now())
    meeting = upcoming[0] if upcoming else None
    rows = await store.agenda_rows(ctx.session, group.id, meeting.id if meeting else None, unplanned_too=True)
    if meeting is not None and not rows:
        # Nothing for the next meeting (its proposals may have closed): show the one proposals go to.
        open_for, _closed = await meeting_for_proposals(ctx, group.id)
        if open_for is not None and open_for.id != meeting.id:
            later = await store.agenda_rows(ctx.session, group.id, open_for.id, unplanned_too=False)
            if later:
                meeting, rows = open_for, later
    pages = await agenda_pages(ctx, group, meeting, rows)
    return Reply(pages[0], buttons=page_buttons(meeting.id if meeting else None, 0, len(pages)), private=True)


async def press_agenda_page(ctx: Context) -> Reply:
    meeting_id, page = ids(ctx.payload, 2)
    group = ctx.require_group()
    meeting = None
    if meeting_id:
        meeting = await meeting_store.get_meeting(ctx.session, meeting_id)
        if meeting is None or meeting.group_id != group.id:
            raise UserError(wording.STALE_BUTTON)
    pages = await agenda_pages(ctx, group, meeting)
    page = min(page, len(pages) - 1)
    edit = ctx.event.message if ctx.event is not None and hasattr(ctx.event, "message") else None
    return Reply(
        pages[page], buttons=page_buttons(meeting_id or None, page, len(pages)), edit=edit, private=edit is None
    )


# ---- co-chairs shape it ----------------------------------------------------------------------------------

_TO = re.compile(r"^(?:to|position|to position|move to)\s+(\d{1,3})$")
_INTO = re.compile(r"^(?:merge\s+)?(?:into|with|merge)\s+(?:item\s+)?(\d{1,10})$")
_TIME = re.compile(r"^(?:time\s+)?(\d{1,3})\s*(?:minutes?|mins?)?$")


async def item_command(ctx: Context) -> Reply | list[Reply]:
    item = await find_item(ctx, ctx.args["item"])
    change = " ".join((ctx.args.get("change") or "").casefold().split())
    if change in ("withdraw", "remove", "take back"):
        if not (ctx.is_cochair or (item.proposed_by is not None and item.proposed_by == ctx.me.id)):
            raise UserError(wording.ONLY_PROPOSER_OR_COCHAIR)
        require_open(item)
        item.status = ItemStatus.WITHDRAWN
        ctx.refresh(item_key(item.id))
        return Reply(wording.withdrawn(item.id))
    ctx.require_cochair()
    require_open(item)
    group = ctx.require_group()
    if change in ("first", "top", "last", "bottom") or _TO.match(change):
        return await place(ctx, group, item, change)
    if match := _INTO.match(change):
        return await merge(ctx, item, int(match.group(1)))
    if change in ("defer", "later", "next meeting", "postpone"):
        return await defer(ctx, group, item)
    if (match := _TIME.match(change)) and change.startswith(("time", *"0123456789")):
        minutes = int(match.group(1))
        if not 1 <= minutes <= 180:
            raise UserError(wording.TIME_RANGE)
        item.minutes = minutes
        return Reply(wording.timed(item.id, minutes))
    raise UserError(wording.CHANGES_HELP)


def require_open(item: AgendaItem) -> None:
    if item.status is not ItemStatus.PROPOSED:
        raise UserError(wording.NOT_OPEN)


async def place(ctx: Context, group: Group, item: AgendaItem, change: str) -> Reply:
    """Give the item a place; every item above it keeps its place, in order."""
    meeting = await meeting_store.get_meeting(ctx.session, item.meeting_id) if item.meeting_id else None
    upcoming = await upcoming_meetings(ctx.session, group.id, ctx.now())
    is_next = meeting is not None and bool(upcoming) and upcoming[0].id == meeting.id
    ordered = [
        i
        for i in await store.items_for(ctx.session, group.id, item.meeting_id, unplanned_too=is_next)
        if i.id != item.id
    ]
    if change in ("first", "top"):
        wanted = 1
    elif change in ("last", "bottom"):
        wanted = len(ordered) + 1
    else:
        match = _TO.match(change)
        assert match is not None
        wanted = min(max(1, int(match.group(1))), len(ordered) + 1)
    ordered.insert(wanted - 1, item)
    for position, each in enumerate(ordered, start=1):
        each.position = position
    return Reply(wording.moved_to(item.id, wanted))


async def merge(ctx: Context, item: AgendaItem, into_id: int) -> Reply:
    if into_id == item.id:
        raise UserError(wording.CANNOT_MERGE_INTO_ITSELF)
    target = await find_item(ctx, into_id)
    require_open(target)
    if target.group_id != item.group_id:
        raise UserError(wording.no_such_item(into_id))
    await store.move_support(ctx.session, item.id, target.id)
    item.status = ItemStatus.MERGED
    item.merged_into = target.id
    await ctx.session.refresh(target)
    ctx.refresh(item_key(item.id))
    ctx.refresh(item_key(target.id))
    return Reply(wording.merged(item.id, target.id))


async def defer(ctx: Context, group: Group, item: AgendaItem) -> Reply:
    upcoming = await upcoming_meetings(ctx.session, group.id, ctx.now())
    later = [m for m in upcoming if item.meeting_id is None or m.id != item.meeting_id]
    current = next((m for m in upcoming if m.id == item.meeting_id), None)
    if current is not None:
        later = [m for m in later if m.starts_at > current.starts_at]
    elif item.meeting_id is None and upcoming:
        later = upcoming[1:]
    if not later:
        raise UserError(wording.NO_LATER_MEETING)
    item.meeting_id = later[0].id
    item.position = None
    ctx.refresh(item_key(item.id))
    return Reply(wording.deferred(item.id, ctx.when(later[0].starts_at)))


# ---- hiding an anonymous proposal ---------------------------------------------------------------------------


async def hide_item(unit: Unit, ident: int, group_id: int) -> str | None:
    """The core's /hide for an anonymous proposal: returns its key (its posts then read "hidden"), or None if
    there is no such anonymous item in this group."""
    item = await store.get_item(unit.session, ident)
    if item is None or item.group_id != group_id or not item.anonymous:
        return None
    item.status = ItemStatus.HIDDEN
    return item_key(item.id)


# ---- the meeting itself: item by item --------------------------------------------------------------------------


async def on_meeting_started(unit: Unit, event: MeetingStarted) -> None:
    """A co-chair started the meeting: the agenda is posted, and the first item is under way."""
    session_row = await store.session_of(unit.session, event.meeting_id)
    if session_row is None:
        session_row = store.Session(meeting_id=event.meeting_id, group_id=event.group_id, started_at=event.at)
        unit.session.add(session_row)
    group = await unit.session.get(Group, event.group_id)
    meeting = await meeting_store.get_meeting(unit.session, event.meeting_id)
    assert group is not None and meeting is not None
    await store.assign_unplanned(unit.session, group.id, meeting.id)
    await store.mark_published(unit.session, meeting.id, event.at)  # what is posted now is the agenda
    items = await store.items_for(unit.session, group.id, meeting.id, unplanned_too=False)
    for position, item in enumerate(items, start=1):
        item.position = position
    session_row.current_item = items[0].id if items else None
    await unit.session.flush()
    pages = await agenda_pages(unit, group, meeting)
    channels = await groups.group_channels(unit.session, group.id)
    for page in pages:
        for channel in channels:
            unit.send(Reply(page), channel_chat(channel))
    if items:
        first = wording.now_on(1, len(items), items[0].id, items[0].title, items[0].minutes)
        for channel in channels:
            unit.send(Reply(first), channel_chat(channel))


async def live(ctx: Context) -> tuple[store.Session, list[AgendaItem]]:
    group = ctx.require_group()
    session_row = await store.live_session(ctx.session, group.id)
    if session_row is None:
        raise UserError(wording.NO_LIVE_MEETING)
    items = await store.items_for(ctx.session, group.id, session_row.meeting_id, unplanned_too=False)
    return session_row, items


async def nextitem_command(ctx: Context) -> list[Reply] | Reply:
    session_row, items = await live(ctx)
    group = ctx.require_group()
    current = next((i for i in items if i.id == session_row.current_item), None)
    if current is not None:
        current.status = ItemStatus.DISCUSSED
        ctx.refresh(item_key(current.id))
    remaining = [i for i in items if i.status is ItemStatus.PROPOSED]
    discussed = len(await store.discussed_in(ctx.session, session_row.meeting_id))
    if not remaining:
        session_row.current_item = None
        return Reply(wording.NO_MORE_ITEMS)
    nxt = remaining[0]
    session_row.current_item = nxt.id
    text = wording.now_on(discussed + 1, discussed + len(remaining), nxt.id, nxt.title, nxt.minutes)
    return [Reply(text, to=channel_chat(c)) for c in await groups.group_channels(ctx.session, group.id)]


async def comment_command(ctx: Context) -> list[Reply]:
    session_row, _items = await live(ctx)
    group = ctx.require_group()
    text = clean_text(ctx.args["comment"], keep_lines=True).strip()
    await store.add_note(
        ctx.session,
        ItemNote(
            meeting_id=session_row.meeting_id,
            item_id=session_row.current_item,
            kind="comment",
            person_id=ctx.me.id,
            text=text,
            at=ctx.now(),
        ),
    )
    ctx.emit(TookPart(group.id, ctx.me.id, "comment", f"meeting:{session_row.meeting_id}", ctx.now()))
    relayed = wording.comment_relayed(ctx.me.display_name, text)
    replies = [Reply(relayed, to=channel_chat(c)) for c in await groups.group_channels(ctx.session, group.id)]
    return [Reply(wording.COMMENT_NOTED, private=True), *replies]


async def action_command(ctx: Context) -> list[Reply]:
    session_row, _items = await live(ctx)
    group = ctx.require_group()
    who_typed, what = (ctx.args.get("who") or "").strip(), (ctx.args.get("what") or "").strip()
    if not who_typed or not what:
        raise UserError(wording.ACTION_HELP)
    person_id = None
    try:
        member = await find_member(ctx, who_typed)
        who, person_id = member.name, member.person_id
    except UserError:
        who = clean_text(who_typed)[:80]  # "the co-chairs", "everyone": not a member's name
    what = clean_text(what).rstrip(".")
    text = wording.action_noted(who, what)
    await store.add_note(
        ctx.session,
        ItemNote(
            meeting_id=session_row.meeting_id,
            item_id=session_row.current_item,
            kind="action",
            person_id=person_id,
            text=f"{who} will {what}.",
            at=ctx.now(),
        ),
    )
    return [Reply(text, to=channel_chat(c)) for c in await groups.group_channels(ctx.session, group.id)]


async def on_vote_opened(unit: Unit, event: VoteOpened) -> None:
    """A vote started while a meeting is under way belongs to its current item."""
    session_row = await store.live_session(unit.session, event.group_id)
    if session_row is None:
        return
    await store.add_note(
        unit.session,
        ItemNote(
            meeting_id=session_row.meeting_id,
            item_id=session_row.current_item,
            kind="vote",
            vote_id=event.vote_id,
            text=wording.vote_during(event.question),
            at=event.at,
        ),
    )


async def on_vote_closed(unit: Unit, event: VoteClosed) -> None:
    note = await store.vote_note(unit.session, event.vote_id)
    if note is not None:
        note.text = event.result


async def on_meeting_ended(unit: Unit, event: MeetingEnded) -> None:
    """Items not reached carry over to the next meeting (and the agenda says so)."""
    session_row = await store.session_of(unit.session, event.meeting_id)
    if session_row is not None and session_row.ended_at is None:
        session_row.ended_at = event.at
        current = await store.get_item(unit.session, session_row.current_item) if session_row.current_item else None
        if current is not None and current.status is ItemStatus.PROPOSED:
            current.status = ItemStatus.DISCUSSED  # the item under way when the meeting closed was reached
    meeting = await meeting_store.get_meeting(unit.session, event.meeting_id)
    if meeting is None:
        return
    later = [m for m in await upcoming_meetings(unit.session, event.group_id, event.at) if m.id != meeting.id]
    moved = await store.carry_over(
        unit.session, event.group_id, meeting.id, later[0].id if later else None, meeting.starts_at
    )
    if moved:
        log.info("%s agenda items of meeting %s carried over", moved, meeting.id)


async def on_meeting_changed(unit: Unit, event: MeetingChanged) -> None:
    unit.reschedule(AGENDA_JOBS, event.meeting_id)


# ---- sections: the agenda in reminders, the items in the record ----------------------------------------------


async def reminder_section(session: AsyncSession, about: About) -> list[str]:
    upcoming = await upcoming_meetings(session, about.group_id, about.now)
    is_next = bool(upcoming) and upcoming[0].id == about.meeting_id
    items = await store.items_for(session, about.group_id, about.meeting_id, unplanned_too=is_next)
    if not items:
        return []
    shown = [f"{i.title}" for i in items[:5]]
    return [wording.reminder_section(shown, len(items) - len(shown))]


async def minutes_section(session: AsyncSession, about: About) -> list[str]:
    discussed = await store.discussed_in(session, about.meeting_id)
    session_row = await store.session_of(session, about.meeting_id)
    under_way = (
        await store.get_item(session, session_row.current_item) if session_row and session_row.current_item else None
    )
    if under_way is not None and under_way.status is ItemStatus.PROPOSED:
        discussed.append(under_way)  # the item under way when the meeting closed was reached
    notes = await store.notes_of(session, about.meeting_id)
    names = await store.names_of(session, [n.person_id for n in notes if n.person_id])
    lines: list[str] = []
    by_item: dict[int | None, list[ItemNote]] = {}
    for note in notes:
        by_item.setdefault(note.item_id, []).append(note)

    def note_lines(item_notes: list[ItemNote]) -> list[str]:
        out = []
        for note in item_notes:
            if note.kind == "comment":
                out.append("  " + wording.minutes_comment(names.get(note.person_id or 0, FORMER_MEMBER), note.text))
            elif note.kind == "vote":
                out.append("  " + wording.minutes_decision(note.text))
            else:
                out.append("  " + wording.minutes_action(note.text))
        return out

    for item in discussed:
        lines.append(wording.minutes_item(item.id, item.title))
        lines.extend(note_lines(by_item.get(item.id, [])))
    lines.extend(note_lines(by_item.get(None, [])))
    waiting = [
        i
        for i in await store.items_for(session, about.group_id, about.meeting_id, unplanned_too=False)
        if under_way is None or i.id != under_way.id
    ]
    if waiting:
        lines.append(wording.minutes_not_reached([f"item {i.id}, {i.title}" for i in waiting]))
    return lines


# ---- scheduled work: publishing the agenda -------------------------------------------------------------------

DEFAULT_PUBLISH = "7"
DEFAULT_CLOSE = "7"


def publish_job(meeting: Meeting, days: int) -> list[Job]:
    if days <= 0 or meeting.status is not MeetingStatus.SCHEDULED or meeting.started:
        return []
    when = meeting.starts_at - timedelta(days=days)
    return [Job(f"{AGENDA_JOBS}:{meeting.id}:publish", when, partial(publish, meeting.id))]


async def all_agenda_jobs(session: AsyncSession, now: datetime) -> list[Job]:
    meetings = [m for m in await meeting_store.needing_jobs(session) if m.starts_at > now]
    done = await store.published(session, [m.id for m in meetings]) if meetings else set()
    chosen = await groups.setting_of_every_group(session, "agenda_publish_days")
    jobs = []
    for meeting in meetings:
        if meeting.id not in done:
            jobs.extend(publish_job(meeting, int(chosen.get(meeting.group_id, DEFAULT_PUBLISH))))
    return jobs


async def one_agenda_jobs(session: AsyncSession, ident: str, now: datetime) -> list[Job]:
    if not (ident.isascii() and ident.isdigit()):
        return []
    meeting = await meeting_store.get_meeting(session, int(ident))
    if meeting is None or meeting.starts_at <= now or await store.published(session, [meeting.id]):
        return []
    stored = (await groups.group_settings(session, meeting.group_id)).get("agenda_publish_days", DEFAULT_PUBLISH)
    return publish_job(meeting, int(stored))


async def publish(meeting_id: int, job: JobContext) -> None:
    meeting = await meeting_store.get_meeting(job.session, meeting_id)
    if meeting is None or meeting.status is not MeetingStatus.SCHEDULED or meeting.starts_at <= job.now():
        return
    if not await store.mark_published(job.session, meeting.id, job.now()):
        return  # published once
    group = await job.session.get(Group, meeting.group_id)
    assert group is not None
    upcoming = await upcoming_meetings(job.session, group.id, job.now())
    if upcoming and upcoming[0].id == meeting.id:
        await store.assign_unplanned(job.session, group.id, meeting.id)
    pages = await agenda_pages(job, group, meeting)
    for channel in await groups.group_channels(job.session, group.id):
        for page in pages:
            job.send(Reply(page), channel_chat(channel))


# ---- settings ----------------------------------------------------------------------------------------------


def parse_days(text: str) -> str:
    typed = text.strip().casefold().removesuffix("days").removesuffix("day").strip()
    if typed in ("never", "none", "no"):
        typed = "0"
    if not (typed.isascii() and typed.isdigit()) or not 0 <= int(typed) <= 60:
        raise UserError(wording.DAYS_BAD)
    return str(int(typed))


def close_agrees(value: str, settings: Mapping[str, str]) -> str | None:
    """Proposals close no later than the agenda is posted (or it would be posted while they are open)."""
    publish = int(settings.get("agenda_publish_days", DEFAULT_PUBLISH))
    if publish and int(value) < publish:
        return wording.close_after_publish(int(value), publish)
    return None


def publish_agrees(value: str, settings: Mapping[str, str]) -> str | None:
    close = int(settings.get("proposals_close_days", DEFAULT_CLOSE))
    if int(value) > close:
        return wording.publish_before_close(int(value), close)
    return None
