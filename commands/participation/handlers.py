"""Every voice heard: recording taking part (who, where, when, what kind; never the words, never anonymous
acts), who hasn't taken part in a window and the facts that may explain it, kind private invitations,
"A member says" without a name, help on request, the participation report, a fair share of meeting roles,
and "Did you feel heard?" after meetings."""

from __future__ import annotations

import csv
import io
import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Unit, channel_chat
from bot.dates import format_when, zone
from bot.errors import UserError
from bot.events import About, HelpAsked, MeetingEnded, Spoke, Standing, TookPart
from bot.registry import MAX_INT, NeedArgument, parse_ids
from bot.scheduler import Job, JobContext
from bot.text import clean_text
from bot.types import Attachment, Button, Reply, UserRef
from commands.participation import rules, wording
from storage import groups, outbox, participation, people
from storage import meetings as meeting_store
from storage import papers as paper_store
from storage import voting as vote_store
from storage.groups import Group
from storage.participation import (
    AnonymousPost,
    HelpRequest,
    Invitation,
    PulseAnswer,
    PulseAsked,
    RoleOptOut,
    RoleTurn,
)

log = logging.getLogger("touchstone.participation")

HELP_JOBS = "help"
INVITE_PROMPT = "invite_view"
MAX_TEXT = 2000
HELP_REMINDER_AFTER = timedelta(days=7)
DEFAULT_ROLES = "chair, note-taker, timekeeper, greeter"
INVITATIONS = "invitations"


def ids(payload: str, count: int) -> list[int]:
    """The ids a button carries; a forged or stale payload is refused kindly."""
    found = parse_ids(payload, count)
    if found is None:
        raise UserError(wording.STALE_BUTTON)
    return found


async def post_to_group(unit: Unit, group_id: int, reply: Reply) -> list[Reply]:
    return [
        Reply(reply.text, buttons=reply.buttons, to=channel_chat(c), key=reply.key)
        for c in await groups.group_channels(unit.session, group_id)
    ]


# ---- recording taking part ----------------------------------------------------------------------------------


async def on_spoke(unit: Unit, events: list[Spoke]) -> None:
    """Messages in the group's chat count for members (someone seen for the first time has just been added
    to the roster, so they count too). Raised together when many messages were handled at once."""
    rows = []
    for event in events:
        standing = event.standing
        if standing is Standing.STRANGER and await groups.is_active_member(
            unit.session, event.group_id, event.person_id
        ):
            standing = Standing.MEMBER
        if rules.counts(standing):
            rows.append(
                {
                    "group_id": event.group_id,
                    "person_id": event.person_id,
                    "channel_id": event.channel_id,
                    "kind": rules.MESSAGE,
                    "subject": None,
                    "at": event.at,
                }
            )
    await participation.record_many(unit.session, rows)


async def on_took_part(unit: Unit, events: list[TookPart]) -> None:
    """Named acts other features saw (ballots, views, proposals…), raised together: counted by their kind and
    subject. Anonymous acts are never raised, so never counted."""
    await participation.record_many(
        unit.session,
        [
            {
                "group_id": e.group_id,
                "person_id": e.person_id,
                "channel_id": None,
                "kind": e.kind,
                "subject": e.subject[:40],
                "at": e.at,
            }
            for e in events
        ],
    )


# ---- windows: since the last meeting, N days, a vote, a paper, a meeting -----------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    about: str  # "since the meeting on Tuesday 3 November"
    since: datetime | None
    until: datetime | None
    subject: str | None  # "vote:3"
    #: The invitation's subject: the window's own, or "lately:<year-week>" for a span of days.
    invite_subject: str
    #: Who could take part: everyone eligible (a vote's voters), else the members who had joined by `since`.
    eligible: frozenset[int] | None
    note: str | None = None  # "There hasn't been a meeting yet…"
    payload: str = ""  # how a button names it again: "v3", "p2", "m5", "d30"
    topic: str = ""  # what an invitation is about: "vote 3, “Meet monthly?”", "the group's conversation lately"


_DAYS = re.compile(r"^(?:the\s+)?(?:last\s+)?(\d{1,3})\s*(days?|weeks?)$")
_THING = re.compile(r"^(vote|paper|meeting)\s+(?:number\s+)?(\d{1,10})$")


async def read_window(ctx: Context, typed: str) -> Window:
    group = ctx.require_group()
    text = " ".join(typed.casefold().split()).strip(" .")
    now, tz = ctx.now(), group.timezone
    if text in ("", "since the last meeting", "since last meeting", "last meeting"):
        last = await meeting_store.current_or_last(ctx.session, group.id, now)
        if last is None:
            return await days_window(ctx, 30, note=wording.NO_MEETING_YET)
        return Window(
            wording.since_meeting(format_when(last.starts_at, tz, now=now)),
            last.starts_at,
            None,
            None,
            f"meeting:{last.id}",
            None,
            payload=f"s{last.id}",
            topic=wording.TOPIC_LATELY,
        )
    if text in ("a week", "week", "this week"):
        return await days_window(ctx, 7)
    if text in ("a month", "month", "this month"):
        return await days_window(ctx, 30)
    if match := _DAYS.match(text):
        count = int(match.group(1)) * (7 if match.group(2).startswith("week") else 1)
        if not 1 <= count <= 366:
            raise UserError(wording.cannot_read_window(typed.strip()[:40]))
        return await days_window(ctx, count)
    if text in ("meeting", "the meeting", "the last meeting's meeting"):
        last = await meeting_store.current_or_last(ctx.session, group.id, now)
        if last is None:
            raise UserError(wording.NO_MEETING_HELD)
        return await meeting_window(ctx, last)
    if match := _THING.match(text):
        kind, number = match.group(1), match.group(2)
        if int(number) > MAX_INT:
            refusal = {"vote": wording.no_such_vote, "paper": wording.no_such_paper}.get(kind, wording.no_such_meeting)
            raise UserError(refusal(number))
        if kind == "vote":
            vote = await vote_store.get_vote(ctx.session, int(number))
            if vote is None or vote.group_id != group.id or vote.status.value == "draft":
                raise UserError(wording.no_such_vote(number))
            if vote.anonymous:
                raise UserError(wording.anonymous_vote(vote.id))
            voters = await vote_store.voters_of(ctx.session, vote.id)
            return Window(
                wording.on_vote(vote.id, vote.question),
                None,
                None,
                f"vote:{vote.id}",
                f"vote:{vote.id}",
                frozenset(voters),
                payload=f"v{vote.id}",
                topic=wording.topic_vote(vote.id, vote.question),
            )
        if kind == "paper":
            paper = await paper_store.get_paper(ctx.session, int(number))
            if paper is None or paper.group_id != group.id:
                raise UserError(wording.no_such_paper(number))
            return Window(
                wording.on_paper(paper.id, paper.title),
                None,
                None,
                f"paper:{paper.id}",
                f"paper:{paper.id}",
                None,
                payload=f"p{paper.id}",
                topic=wording.topic_paper(paper.id, paper.title),
            )
        meeting = await meeting_store.get_meeting(ctx.session, int(number))
        if meeting is None or meeting.group_id != group.id:
            raise UserError(wording.no_such_meeting(number))
        return await meeting_window(ctx, meeting)
    raise UserError(wording.cannot_read_window(typed.strip()[:40]))


async def days_window(ctx: Context, days: int, note: str | None = None) -> Window:
    now = ctx.now()
    year, week, _day = now.astimezone(zone(ctx.timezone())).isocalendar()
    return Window(
        wording.in_days(days),
        now - timedelta(days=days),
        None,
        None,
        f"lately:{year}-{week:02d}",
        None,
        note=note,
        payload=f"d{days}",
        topic=wording.TOPIC_LATELY,
    )


async def meeting_window(ctx: Context, meeting: meeting_store.Meeting) -> Window:
    """A meeting: what was said while it ran, and its own acts (check-ins, hands, comments); those who
    attended could take part (everyone, if nobody was recorded)."""
    present = (await meeting_store.attended(ctx.session, [meeting.id])).get(meeting.id, {})
    return Window(
        wording.at_meeting(ctx.when(meeting.starts_at)),
        meeting.starts_at,
        meeting.ends_at,
        f"meeting:{meeting.id}",
        f"meeting:{meeting.id}",
        frozenset(present) if present else None,
        payload=f"m{meeting.id}",
        topic=wording.topic_meeting(ctx.when(meeting.starts_at)),
    )


async def window_of_payload(ctx: Context, payload: str) -> Window:
    """The window a button names ("v3", "s5", "d30"), read again on the server."""
    kind, number = payload[:1], payload[1:]
    if not (number.isascii() and number.isdigit()) or len(number) > 10:
        raise UserError(wording.STALE_BUTTON)
    if kind == "v":
        return await read_window(ctx, f"vote {number}")
    if kind == "p":
        return await read_window(ctx, f"paper {number}")
    if kind == "m":
        return await read_window(ctx, f"meeting {number}")
    if kind == "d":
        return await read_window(ctx, f"{number} days")
    if kind == "s":
        return await read_window(ctx, "")
    raise UserError(wording.STALE_BUTTON)


@dataclass(frozen=True, slots=True)
class Quiet:
    person_id: int
    name: str
    only_voted: bool


async def quiet_members(ctx: Context, window: Window) -> list[Quiet]:
    """Members who have not taken part in the window (or only voted), by name."""
    group = ctx.require_group()
    seen = await participation.kinds_in_window(
        ctx.session, group.id, since=window.since, until=window.until, subject=window.subject
    )
    found = []
    for member in await meeting_store.members_since(ctx.session, group.id):
        if window.eligible is not None and member.person_id not in window.eligible:
            continue
        if window.eligible is None and window.since is not None and member.joined_at > ctx.now():
            continue
        kinds = seen.get(member.person_id, {})
        if not kinds:
            found.append(Quiet(member.person_id, member.name, False))
        elif set(kinds) == {"ballot"} and window.subject is None:
            found.append(Quiet(member.person_id, member.name, True))
    return found


async def notheard_command(ctx: Context) -> Reply:
    window = await read_window(ctx, ctx.args.get("window") or "")
    quiet = await quiet_members(ctx, window)
    lines = [window.note] if window.note else []
    lines.append(wording.heading(window.about))
    if not quiet:
        lines.append(wording.EVERYONE_HEARD)
        return Reply("\n".join(lines), private=True)
    silent = [q.name for q in quiet if not q.only_voted]
    voted = [q.name for q in quiet if q.only_voted]
    if silent:
        lines.append(wording.not_heard(silent))
    if voted:
        lines.append(wording.only_voted(voted))
    facts = await consider_why(ctx, window, quiet)
    if facts:
        lines.append(wording.consider_heading())
        lines.extend(facts)
    lines.append(wording.BASED_ON if await sees_everything(ctx) else wording.CAN_NOT_SEE)
    buttons = Reply.rows([Button(wording.INVITE_BUTTON, "invite", window.payload)])
    return Reply("\n".join(lines), buttons=buttons, private=True)


async def sees_everything(ctx: Context) -> bool:
    """False if a chat of the group is on a platform where the bot can't see ordinary messages."""
    group = ctx.require_group()
    port = ctx.port
    if port is None:
        return True
    for channel in await groups.group_channels(ctx.session, group.id):
        if channel.platform == port.platform and not await port.sees_all_messages(channel_chat(channel)):
            return False
    return True


async def consider_why(ctx: Context, window: Window, quiet: list[Quiet]) -> list[str]:
    """Plain facts that may explain someone's quiet: joined recently, sent apologies, missed meetings,
    never opened a private chat with the bot, or took part mostly another way."""
    group = ctx.require_group()
    now, tz = ctx.now(), group.timezone
    joined = {m.person_id: m.joined_at for m in await meeting_store.members_since(ctx.session, group.id)}
    recent = [m for m in await meeting_store.held_between(ctx.session, group.id, now - timedelta(days=120), now)][-3:]
    recent_ids = [m.id for m in recent]
    present = await meeting_store.attended(ctx.session, recent_ids)
    sorry = await meeting_store.apologies_for(ctx.session, recent_ids)
    accounts = await people.accounts_of(ctx.session, [q.person_id for q in quiet])
    unreached = await outbox.never_reached(
        ctx.session, [(a.platform, a.user_id) for found in accounts.values() for a in found]
    )
    longer = await participation.kinds_in_window(ctx.session, group.id, since=now - timedelta(days=90))
    lines = []
    for member in quiet:
        facts: list[str] = []
        joined_at = joined.get(member.person_id)
        if joined_at is not None and (
            now - joined_at < timedelta(days=7) or (window.since and joined_at > window.since)
        ):
            facts.append(wording.joined_on(format_when(joined_at, tz, now=now).split(",")[0]))
        for meeting in recent:
            if member.person_id in sorry.get(meeting.id, set()):
                facts.append(wording.apologies_for(format_when(meeting.starts_at, tz, now=now).split(",")[0]))
        eligible = [m for m in recent if joined_at is None or m.starts_at >= joined_at]
        missed = sum(1 for m in eligible if member.person_id not in present.get(m.id, {}))
        if eligible and missed:
            facts.append(wording.missed_meetings(missed, len(eligible)))
        if any((a.platform, a.user_id) in unreached for a in accounts.get(member.person_id, [])):
            facts.append(wording.NO_PRIVATE_CHAT)
        other = longer.get(member.person_id, {})
        if other and sum(other.values()):
            kind = max(other, key=lambda k: other[k])
            facts.append(wording.mostly(wording.KIND_WORDS.get(kind, kind), sum(other.values())))
        if facts:
            lines.append(wording.facts_line(member.name, facts))
    return lines


# ---- kind invitations ---------------------------------------------------------------------------------------


async def press_invite(ctx: Context) -> list[Reply]:
    ctx.require_cochair()
    window = await window_of_payload(ctx, ctx.payload)
    group = ctx.require_group()
    quiet = await quiet_members(ctx, window)
    if not quiet:
        return [Reply(wording.NOBODY_TO_INVITE, private=True)]
    already = await participation.invited(ctx.session, group.id, window.invite_subject)
    if window.invite_subject.startswith("lately:"):
        already |= await participation.invited_since(ctx.session, group.id, ctx.now() - timedelta(days=7))
    choices = await people.people_with_setting(ctx.session, [q.person_id for q in quiet], INVITATIONS)
    accounts = await people.accounts_of(ctx.session, [q.person_id for q in quiet])
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(ctx.session, group.id))}
    sent, skipped = 0, 0
    messages: list[Reply] = []
    for member in quiet:
        found = accounts.get(member.person_id, [])
        if member.person_id == ctx.me.id:
            continue  # the co-chair who pressed is asking about others
        # Never twice, never against someone's wish.
        if member.person_id in already or choices.get(member.person_id) == "no" or not found:
            skipped += 1
            continue
        invitation = Invitation(
            group_id=group.id,
            person_id=member.person_id,
            subject=window.invite_subject,
            about=(window.topic or window.about)[:200],
            at=ctx.now(),
        )
        ctx.session.add(invitation)
        await ctx.session.flush()
        ident = str(invitation.id)
        buttons = Reply.rows(
            [Button(wording.SHARE_BUTTON, "inv_view", ident), Button(wording.SHARE_ANON_BUTTON, "inv_anon", ident)],
            [Button(wording.LISTENING_BUTTON, "inv_listen", ident), Button(wording.HELP_BUTTON, "inv_help", ident)],
        )
        text = f"{wording.invitation(member.name, invitation.about)} {wording.TURN_OFF_INVITES}"
        account = found[0]
        user = UserRef(account.platform, account.user_id, account.display_name)  # type: ignore[arg-type]
        # Discreet: if they never opened a private chat, the group's line names nobody.
        messages.append(Reply(text, buttons=buttons, to=user, hint_in=channels.get(account.platform), discreet=True))
        sent += 1
    return [Reply(wording.invitations_sent(sent, skipped), private=True), *messages]


async def my_invitation(ctx: Context) -> Invitation:
    (ident,) = ids(ctx.payload, 1)
    invitation = await ctx.session.get(Invitation, ident)
    if invitation is None or invitation.person_id != ctx.me.id:
        raise UserError(wording.STALE_BUTTON)
    if invitation.answer in ("shared", "anonymous", "listening"):
        raise UserError(wording.ALREADY_ANSWERED)
    ctx.use_group(await ctx.session.get(Group, invitation.group_id))
    return invitation


async def press_invite_view(ctx: Context) -> Reply:
    invitation = await my_invitation(ctx)
    await ctx.ask(INVITE_PROMPT, {"invitation": invitation.id, "anonymous": False}, privately=True)
    return Reply(wording.ask_view(invitation.about, anonymous=False), private=True)


async def press_invite_anonymous(ctx: Context) -> Reply:
    invitation = await my_invitation(ctx)
    await ctx.ask(INVITE_PROMPT, {"invitation": invitation.id, "anonymous": True}, privately=True)
    return Reply(wording.ask_view(invitation.about, anonymous=True), private=True)


async def answer_invitation(ctx: Context) -> list[Reply]:
    invitation = await ctx.session.get(Invitation, int(ctx.prompt_data.get("invitation", 0)))
    if invitation is None or invitation.person_id != ctx.me.id:
        raise UserError(wording.STALE_BUTTON)
    text = ctx.text.strip()
    anonymous = bool(ctx.prompt_data.get("anonymous"))
    again: tuple[str, dict[str, object]] = (INVITE_PROMPT, {"invitation": invitation.id, "anonymous": anonymous})
    if not text:
        raise UserError(wording.EMPTY_TEXT, ask_again=again)
    if len(text) > MAX_TEXT:
        raise UserError(wording.TOO_LONG, ask_again=again)
    if anonymous:
        # The invitation was to them; the view is nobody's. Only "answered" is kept, not which way.
        invitation.answer = "anonymous"
        post = await add_anonymous(ctx, invitation.group_id, wording.member_says_about(invitation.about, text))
        return [Reply(wording.ANONYMOUS_SENT, private=True), *post]
    invitation.answer = "shared"
    ctx.emit(TookPart(invitation.group_id, ctx.me.id, "view", invitation.subject, ctx.now()))
    relayed = wording.relayed(ctx.me.display_name, invitation.about, text)
    return [Reply(wording.SHARED_NAMED, private=True), *await post_to_group(ctx, invitation.group_id, Reply(relayed))]


async def press_invite_listen(ctx: Context) -> Reply:
    invitation = await my_invitation(ctx)
    invitation.answer = "listening"
    return Reply(wording.LISTENING_NOTED, private=True)


async def press_invite_help(ctx: Context) -> list[Reply]:
    invitation = await my_invitation(ctx)
    invitation.answer = "help"
    return await ask_for_help(ctx, invitation.group_id, wording.help_from_invitation(invitation.about))


# ---- "A member says" ---------------------------------------------------------------------------------------


def says_key(post_id: int) -> str:
    return f"says:{post_id}"


async def add_anonymous(unit: Unit, group_id: int, text: str) -> list[Reply]:
    post = AnonymousPost(group_id=group_id, text=text, at=unit.now())
    unit.session.add(post)
    await unit.session.flush()
    return await post_to_group(unit, group_id, Reply(text, key=says_key(post.id)))


async def anonymous_command(ctx: Context) -> list[Reply]:
    group = ctx.require_group()
    if not ctx.chat.is_private:
        raise UserError(wording.ANONYMOUS_ONLY_PRIVATELY)
    if ctx.args.get("text") is None:
        raise NeedArgument("text")  # asked for here, in the private chat
    text = clean_text(ctx.args["text"], keep_lines=True).strip()
    if not text:
        raise UserError(wording.EMPTY_TEXT)
    posts = await add_anonymous(ctx, group.id, wording.member_says(text))
    return [Reply(wording.ANONYMOUS_SENT, private=True), *posts]


async def render_says(session: AsyncSession, ident: str, now: datetime) -> tuple[str, tuple[()]] | None:
    if not (ident.isascii() and ident.isdigit()):
        return None
    post = await session.get(AnonymousPost, int(ident))
    if post is None:
        return None
    return (wording.HIDDEN if post.hidden else post.text), ()


async def hide_says(unit: Unit, ident: int, group_id: int) -> str | None:
    post = await unit.session.get(AnonymousPost, ident)
    if post is None or post.group_id != group_id or post.hidden:
        return None
    post.hidden = True
    return says_key(post.id)


# ---- help on request ------------------------------------------------------------------------------------------


async def askhelp_command(ctx: Context) -> list[Reply]:
    group = ctx.require_group()
    text = clean_text(ctx.args["need"], keep_lines=True).strip()
    if not text:
        raise UserError(wording.EMPTY_TEXT)
    return await ask_for_help(ctx, group.id, text)


async def ask_for_help(ctx: Context, group_id: int, text: str) -> list[Reply]:
    request = HelpRequest(group_id=group_id, person_id=ctx.me.id, text=text[:MAX_TEXT], at=ctx.now())
    ctx.session.add(request)
    await ctx.session.flush()
    notes = await to_cochairs(
        ctx,
        group_id,
        wording.help_note(ctx.me.display_name, request.text),
        Reply.rows(
            [
                Button(wording.TAKE_BUTTON, "help_take", str(request.id)),
                Button(wording.DONE_BUTTON, "help_done", str(request.id)),
            ]
        ),
    )
    ctx.emit(HelpAsked(group_id, ctx.me.id, request.text, ctx.now()))  # the skills bank may offer more help
    return [Reply(wording.HELP_SENT, private=True), *notes]


async def to_cochairs(unit: Unit, group_id: int, text: str, buttons: tuple = ()) -> list[Reply]:  # type: ignore[type-arg]
    """A private note to each co-chair (with a hint naming nobody where the platform can't reach them)."""
    cochairs = [e for e in await groups.roster(unit.session, group_id) if e.role.value == "cochair"]
    accounts = await people.accounts_of(unit.session, [c.person_id for c in cochairs])
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(unit.session, group_id))}
    notes = []
    for cochair in cochairs:
        for account in accounts.get(cochair.person_id, [])[:1]:
            user = UserRef(account.platform, account.user_id, account.display_name)  # type: ignore[arg-type]
            notes.append(Reply(text, buttons=buttons, to=user, hint_in=channels.get(account.platform), discreet=True))
    return notes


async def help_request(ctx: Context) -> HelpRequest:
    (ident,) = ids(ctx.payload, 1)
    request = await ctx.session.get(HelpRequest, ident)
    if request is None:
        raise UserError(wording.STALE_BUTTON)
    membership = await groups.find_membership(ctx.session, request.group_id, ctx.me.id)
    if membership is None or not membership.active or membership.role.value != "cochair":
        raise UserError("Only co-chairs can do that. Ask a co-chair if you need it done.")
    ctx.use_group(await ctx.session.get(Group, request.group_id))
    ctx.membership = membership
    return request


async def press_help_take(ctx: Context) -> list[Reply]:
    request = await help_request(ctx)
    if request.status == "done":
        raise UserError(wording.REQUEST_ALREADY_DONE)
    if request.status == "taken" and request.helper_id != ctx.me.id:
        names = await people_names(ctx.session, [request.helper_id or 0])
        raise UserError(wording.help_taken_by(request.id, names.get(request.helper_id or 0, "another co-chair")))
    request.status, request.helper_id, request.taken_at = "taken", ctx.me.id, ctx.now()
    ctx.reschedule(HELP_JOBS, request.id)
    names = await people_names(ctx.session, [request.person_id or 0])
    replies = [Reply(wording.help_taken_note(request.id, names.get(request.person_id or 0, "a member")), private=True)]
    replies += await to_person(ctx, request.person_id, wording.help_taken(ctx.me.display_name), request.group_id)
    return replies


async def press_help_done(ctx: Context) -> list[Reply]:
    request = await help_request(ctx)
    if request.status == "done":
        raise UserError(wording.REQUEST_ALREADY_DONE)
    request.status, request.done_at = "done", ctx.now()
    request.helper_id = request.helper_id or ctx.me.id
    ctx.reschedule(HELP_JOBS, request.id)
    replies = [Reply(wording.help_done_note(request.id), private=True)]
    replies += await to_person(ctx, request.person_id, wording.help_done(ctx.me.display_name), request.group_id)
    return replies


async def to_person(unit: Unit, person_id: int | None, text: str, group_id: int) -> list[Reply]:
    if person_id is None:
        return []
    accounts = (await people.accounts_of(unit.session, [person_id])).get(person_id, [])
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(unit.session, group_id))}
    return [
        Reply(
            text,
            to=UserRef(a.platform, a.user_id, a.display_name),  # type: ignore[arg-type]
            hint_in=channels.get(a.platform),
            discreet=True,
        )
        for a in accounts[:1]
    ]


async def people_names(session: AsyncSession, person_ids: list[int]) -> dict[int, str]:
    from storage.people import Person

    rows = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(person_ids)))
    return {pid: name for pid, name in rows.all()}


async def helprequests_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    rows = await ctx.session.execute(
        select(HelpRequest)
        .where(HelpRequest.group_id == group.id, HelpRequest.status != "done")
        .order_by(HelpRequest.id)
    )
    requests = list(rows.scalars())
    if not requests:
        return Reply(wording.NO_OPEN_REQUESTS, private=True)
    names = await people_names(ctx.session, [r.person_id or 0 for r in requests] + [r.helper_id or 0 for r in requests])
    lines = [wording.REQUESTS_HEADING]
    buttons: list[list[Button]] = []
    for request in requests:
        status = (
            wording.status_taken(names.get(request.helper_id or 0, "a co-chair"), ctx.when(request.taken_at))
            if request.status == "taken" and request.taken_at
            else wording.status_open()
        )
        lines.append(
            wording.request_line(request.id, names.get(request.person_id or 0, "a member"), request.text, status)
        )
        if len(buttons) < 4:
            buttons.append([Button(wording.TAKE_BUTTON + f" ({request.id})", "help_take", str(request.id))])
    return Reply("\n".join(lines), buttons=Reply.rows(*buttons), private=True)


def help_jobs(request: HelpRequest) -> list[Job]:
    if request.status != "taken" or request.reminded or request.taken_at is None:
        return []
    return [
        Job(
            f"{HELP_JOBS}:{request.id}:remind",
            request.taken_at + HELP_REMINDER_AFTER,
            partial(help_reminder, request.id),
        )
    ]


async def all_help_jobs(session: AsyncSession, now: datetime) -> list[Job]:
    rows = await session.execute(
        select(HelpRequest).where(HelpRequest.status == "taken", HelpRequest.reminded.is_(False))
    )
    return [job for request in rows.scalars() for job in help_jobs(request)]


async def one_help_jobs(session: AsyncSession, ident: str, now: datetime) -> list[Job]:
    if not (ident.isascii() and ident.isdigit()):
        return []
    request = await session.get(HelpRequest, int(ident))
    return help_jobs(request) if request is not None else []


async def help_reminder(request_id: int, job: JobContext) -> None:
    request = await job.session.get(HelpRequest, request_id)
    if request is None or request.status != "taken" or request.reminded or request.taken_at is None:
        return
    request.reminded = True
    tz = await groups.group_timezone(job.session, request.group_id)
    names = await people_names(job.session, [request.person_id or 0])
    text = wording.help_reminder(
        names.get(request.person_id or 0, "a member"), request.text, format_when(request.taken_at, tz, now=job.now())
    )
    buttons = Reply.rows([Button(wording.DONE_BUTTON, "help_done", str(request.id))])
    for reply in await to_person(job, request.helper_id, text, request.group_id):
        assert reply.to is not None
        job.send(Reply(reply.text, buttons=buttons, hint_in=reply.hint_in, discreet=True), reply.to)


# ---- the participation report ----------------------------------------------------------------------------------


async def report_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    window = await read_window(ctx, ctx.args.get("period") or "90 days")
    if window.since is None:
        raise UserError(wording.cannot_read_window((ctx.args.get("period") or "")[:40]))
    span = (window.until or ctx.now()) - window.since
    counts = await participation.kinds_in_window(ctx.session, group.id, since=window.since, until=window.until)
    before = await participation.kinds_in_window(ctx.session, group.id, since=window.since - span, until=window.since)
    members = await meeting_store.members_since(ctx.session, group.id)
    lines = [wording.report_heading(window.about)]
    totals: list[tuple[str, int]] = []
    table = [["member", *rules.KINDS, "total"]]
    for member in members:
        kinds = counts.get(member.person_id, {})
        parts = [wording.kind_count(k, kinds[k]) for k in rules.KINDS if kinds.get(k)]
        lines.append(wording.report_line(member.name, parts))
        totals.append((member.name, sum(kinds.values())))
        table.append([safe_cell(member.name), *[str(kinds.get(k, 0)) for k in rules.KINDS], str(sum(kinds.values()))])
    everything = sum(t for _n, t in totals)
    lines.append(wording.total(everything))
    if everything and members:
        fifth = max(1, math.ceil(len(members) / 5))
        top = sum(sorted((t for _n, t in totals), reverse=True)[:fifth])
        lines.append(wording.top_fifth(round(100 * top / everything), fifth))
    previous = sum(sum(k.values()) for k in before.values())
    if previous:
        lines.append(wording.change(round(100 * (everything - previous) / previous)))
    lines.append(wording.REPORT_CHART_NOTE)
    files = (participation_chart(totals, window.about), csv_file(table))
    return Reply("\n".join(lines), files=files, private=True)


def safe_cell(text: str) -> str:
    """A spreadsheet cell that can never become a formula (=, +, -, @ at the start, or a tab/return)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_file(rows: list[list[str]]) -> Attachment:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return Attachment("taking-part.csv", buffer.getvalue().encode("utf-8"), "text/csv")


def participation_chart(totals: list[tuple[str, int]], about: str) -> Attachment:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    shown = totals[:40]
    figure = Figure(figsize=(7, max(2.5, 0.4 * len(shown) + 1.5)), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))
    axes.barh(positions, [t for _n, t in shown], color="#1b5e8c")
    axes.set_yticks(positions, labels=[n[:30] for n, _t in shown])
    axes.invert_yaxis()
    axes.set_xlabel("contributions")
    axes.set_title(f"Taking part {about}"[:80])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Attachment("taking-part.png", buffer.getvalue(), "image/png")


# ---- a fair share of meeting roles --------------------------------------------------------------------------


def role_list(stored: str) -> list[str]:
    return [r.strip() for r in stored.split(",") if r.strip()]


def parse_roles(text: str) -> str:
    roles = [clean_text(r).strip().casefold() for r in text.split(",") if r.strip()]
    if not 1 <= len(roles) <= 8 or any(len(r) > 40 for r in roles) or len(set(roles)) != len(roles):
        raise UserError(wording.ROLES_BAD)
    return ", ".join(roles)


async def roles_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    roles = role_list(await ctx.setting("meeting_roles"))
    change = " ".join((ctx.args.get("change") or "").split())
    verb, _space, rest = change.partition(" ")
    if verb.casefold() in ("optout", "opt-out", "optin", "opt-in"):
        role = rest.strip().casefold()
        if role not in roles:
            raise UserError(wording.no_such_role(rest.strip()[:40], roles))
        found = await ctx.session.execute(
            select(RoleOptOut).where(
                RoleOptOut.group_id == group.id, RoleOptOut.person_id == ctx.me.id, RoleOptOut.role == role
            )
        )
        existing = found.scalars().first()
        if verb.casefold().startswith("optout"):
            if existing is None:
                ctx.session.add(RoleOptOut(group_id=group.id, person_id=ctx.me.id, role=role))
            return Reply(wording.opted_out(role), private=True)
        if existing is not None:
            await ctx.session.delete(existing)
        return Reply(wording.opted_in(role), private=True)
    if verb.casefold() == "set":
        ctx.require_cochair()
        value = parse_roles(rest)
        await ctx.set_setting("meeting_roles", value)
        return Reply(wording.roles_described(value), private=True)
    if change:
        raise UserError(wording.ROLES_HELP)
    upcoming = [
        m for m in await meeting_store.upcoming(ctx.session, group.id, ctx.now(), limit=3) if m.starts_at > ctx.now()
    ]
    if not upcoming:
        raise UserError(wording.NO_NEXT_MEETING)
    meeting = upcoming[0]
    lines, buttons = await role_plan(ctx, group, meeting, roles)
    return Reply("\n".join(lines), buttons=Reply.rows(*buttons) if ctx.is_cochair else (), private=True)


async def role_plan(
    ctx: Context, group: Group, meeting: meeting_store.Meeting, roles: list[str]
) -> tuple[list[str], list[list[Button]]]:
    """Each role for the next meeting: confirmed, or the fairest suggestion (fewest turns, longest since,
    willing: not opted out, no apologies, no other role that meeting)."""
    turns = list((await ctx.session.execute(select(RoleTurn).where(RoleTurn.group_id == group.id))).scalars())
    optouts = {
        (o.person_id, o.role)
        for o in (await ctx.session.execute(select(RoleOptOut).where(RoleOptOut.group_id == group.id))).scalars()
    }
    sorry = (await meeting_store.apologies_for(ctx.session, [meeting.id])).get(meeting.id, set())
    members = await meeting_store.members_since(ctx.session, group.id)
    names = {m.person_id: m.name for m in members}
    this_meeting = {t.role: t for t in turns if t.meeting_id == meeting.id}
    taken = {t.person_id for t in this_meeting.values()}
    lines = [wording.roles_heading(ctx.when(meeting.starts_at))]
    buttons: list[list[Button]] = []
    for index, role in enumerate(roles):
        if role in this_meeting and this_meeting[role].person_id in names:
            lines.append(wording.role_confirmed(role, names[this_meeting[role].person_id or 0]))
            continue
        held = [t for t in turns if t.role == role and t.person_id is not None and t.meeting_id != meeting.id]
        count = {pid: sum(1 for t in held if t.person_id == pid) for pid in names}
        last = {pid: max((t.at for t in held if t.person_id == pid), default=None) for pid in names}
        willing = [pid for pid in names if (pid, role) not in optouts and pid not in sorry and pid not in taken]
        if not willing:
            lines.append(wording.role_nobody(role))
            continue
        best = min(
            willing,
            key=lambda pid: (count[pid], last[pid] is not None, last[pid] or meeting.starts_at, names[pid].casefold()),
        )
        taken.add(best)
        lines.append(wording.role_suggested(role, names[best], count[best]))
        buttons.append([Button(wording.confirm_button(names[best], role), "role_ok", f"{meeting.id}.{index}.{best}")])
        if held:
            recent = sorted(held, key=lambda t: t.at, reverse=True)[:3]
            lines.append(wording.role_history(role, [names.get(t.person_id or 0, "a former member") for t in recent]))
    return lines, buttons


async def press_role_ok(ctx: Context) -> Reply:
    meeting_id, index, person_id = ids(ctx.payload, 3)
    meeting = await meeting_store.get_meeting(ctx.session, meeting_id)
    if meeting is None:
        raise UserError(wording.STALE_BUTTON)
    membership = await groups.find_membership(ctx.session, meeting.group_id, ctx.me.id)
    if membership is None or not membership.active or membership.role.value != "cochair":
        raise UserError("Only co-chairs can do that. Ask a co-chair if you need it done.")
    group = await ctx.session.get(Group, meeting.group_id)
    assert group is not None
    ctx.use_group(group)
    ctx.membership = membership
    roles = role_list(await ctx.setting("meeting_roles"))
    if index >= len(roles) or not await groups.is_active_member(ctx.session, group.id, person_id):
        raise UserError(wording.STALE_BUTTON)
    role = roles[index]
    found = (
        (await ctx.session.execute(select(RoleTurn).where(RoleTurn.meeting_id == meeting.id, RoleTurn.role == role)))
        .scalars()
        .first()
    )
    if found is None:
        ctx.session.add(
            RoleTurn(group_id=group.id, meeting_id=meeting.id, role=role, person_id=person_id, at=meeting.starts_at)
        )
    else:
        found.person_id = person_id
    names = await people_names(ctx.session, [person_id])
    return Reply(wording.confirmed(names.get(person_id, "them"), role, ctx.when(meeting.starts_at)), private=True)


async def roles_section(session: AsyncSession, about: About) -> list[str]:
    turns = (await session.execute(select(RoleTurn).where(RoleTurn.meeting_id == about.meeting_id))).scalars().all()
    if not turns:
        return []
    names = await people_names(session, [t.person_id or 0 for t in turns])
    return [wording.roles_section([f"{t.role} {names.get(t.person_id or 0, 'to be confirmed')}" for t in turns])]


# ---- "Did you feel heard?" -------------------------------------------------------------------------------------


async def on_meeting_ended(unit: Unit, event: MeetingEnded) -> None:
    """Everyone recorded as attending, who can be reached privately, is asked once: Yes / Partly / No."""
    present = (await meeting_store.attended(unit.session, [event.meeting_id])).get(event.meeting_id, {})
    if not present:
        return
    meeting = await meeting_store.get_meeting(unit.session, event.meeting_id)
    assert meeting is not None
    tz = await groups.group_timezone(unit.session, event.group_id)
    accounts = await people.accounts_of(unit.session, list(present))
    unreached = await outbox.never_reached(
        unit.session, [(a.platform, a.user_id) for f in accounts.values() for a in f]
    )
    question = wording.pulse_question(format_when(meeting.starts_at, tz, now=unit.now()))
    for person_id in sorted(present):
        found = [a for a in accounts.get(person_id, []) if (a.platform, a.user_id) not in unreached][:1]
        if not found:
            continue  # asked only of those the bot can reach: never a hint naming them
        unit.session.add(PulseAsked(meeting_id=event.meeting_id, person_id=person_id))
        buttons = Reply.rows(
            [
                Button(wording.PULSE_YES, "pulse", f"{event.meeting_id}.1"),
                Button(wording.PULSE_PARTLY, "pulse", f"{event.meeting_id}.2"),
                Button(wording.PULSE_NO, "pulse", f"{event.meeting_id}.3"),
            ]
        )
        account = found[0]
        unit.send(Reply(question, buttons=buttons), UserRef(account.platform, account.user_id, account.display_name))  # type: ignore[arg-type]


async def press_pulse(ctx: Context) -> Reply:
    meeting_id, choice = ids(ctx.payload, 2)
    if choice not in (1, 2, 3):
        raise UserError(wording.STALE_BUTTON)
    asked = (
        (
            await ctx.session.execute(
                select(PulseAsked).where(PulseAsked.meeting_id == meeting_id, PulseAsked.person_id == ctx.me.id)
            )
        )
        .scalars()
        .first()
    )
    if asked is None:
        raise UserError(wording.STALE_BUTTON)
    if asked.answered:
        return Reply(wording.PULSE_ALREADY, private=True)
    asked.answered = True
    ctx.session.add(PulseAnswer(meeting_id=meeting_id, answer=("yes", "partly", "no")[choice - 1]))
    return Reply(wording.PULSE_THANKS, private=True)


async def pulse_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    held = await meeting_store.held_between(ctx.session, group.id, ctx.now() - timedelta(days=366), ctx.now())
    lines = []
    for meeting in held[-6:]:
        answers = list(
            (
                await ctx.session.execute(select(PulseAnswer.answer).where(PulseAnswer.meeting_id == meeting.id))
            ).scalars()
        )
        if answers:
            lines.append(
                wording.pulse_line(
                    ctx.when(meeting.starts_at), answers.count("yes"), answers.count("partly"), answers.count("no")
                )
            )
    if not lines:
        return Reply(wording.NO_PULSE_YET, private=True)
    return Reply("\n".join([wording.pulse_heading(), *lines]), private=True)


# ---- settings --------------------------------------------------------------------------------------------
