"""Voting handlers: thin. They parse, check, call the rules and storage, and word the reply."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.batching import Batch, BatchResult
from bot.context import Context, Member, Unit, account_names, channel_chat
from bot.dates import format_when
from bot.errors import UserError
from bot.events import SignOffWanted, Stopped, TookPart, VoteClosed, VoteOpened
from bot.registry import NeedArgument, parse_ids
from bot.scheduler import LATE_NOTE_AFTER, Job, JobContext
from bot.types import Button, ButtonPress, ButtonRows, ChatKind, ChatRef, MessageRef, Reply, UserRef
from bot.when import parse_when
from commands.voting import rules, spec, wording
from commands.voting.rules import NEEDS_REASON, VoteKind
from storage import conversations, groups, outbox, people
from storage import voting as store
from storage.groups import Group, MemberKind, Membership
from storage.voting import Vote, VoteOption, VoteStatus

log = logging.getLogger("touchstone.voting")

MAX_REASON_CHARS = 300
#: The kind of scheduled work of a vote (its close and its reminder), and of taking part by voting.
VOTE_JOBS = "vote"
BALLOT = "ballot"


# ---- small helpers ------------------------------------------------------------------------------


def vote_key(vote_id: int) -> str:
    return f"vote:{vote_id}"


def ids(payload: str, count: int) -> list[int]:
    """The ids a button carries; a forged or stale payload is refused kindly."""
    found = parse_ids(payload, count)
    if found is None:
        raise UserError(wording.STALE_BUTTON)
    return found


def vote_buttons(vote: Vote, option_list: Sequence[VoteOption]) -> ButtonRows:
    """One button per choice (its own row, easy to tap), then the helpers."""
    if vote.status is not VoteStatus.OPEN:
        return ()
    rows: list[list[Button]] = [[Button(o.label, "ballot", f"{vote.id}.{o.id}")] for o in option_list]
    extra = [Button(wording.WHO_HASNT_VOTED_BUTTON, "notvoted", str(vote.id))]
    if VoteKind(vote.kind) is VoteKind.RANKED:
        extra.insert(0, Button(wording.RESTART_RANKING_BUTTON, "unrank", str(vote.id)))
    rows.append(extra)
    return Reply.rows(*rows)


async def render_vote(
    session: AsyncSession, vote: Vote, tz: str, now: datetime, option_list: Sequence[VoteOption] | None = None
) -> tuple[str, ButtonRows]:
    """The vote message and its buttons. Pass `option_list` if the caller has already read it."""
    if option_list is None:
        option_list = await store.options(session, vote.id)
    ballot_rows = await store.ballots(session, vote.id)
    eligible = await store.eligible_count(session, vote.id)
    closes = format_when(vote.closes_at, tz, now=now) if vote.closes_at else None
    text = wording.vote_message(vote, option_list, ballot_rows, eligible, closes=closes)
    return text, vote_buttons(vote, option_list)


def refresh_vote(ctx: Context, vote: Vote) -> None:
    """Bring every posted copy of the vote message up to date after the commit (coalesced)."""
    ctx.refresh(vote_key(vote.id))


async def render_vote_key(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    """Renderer for "vote:<id>" keys (see bot.live)."""
    vote = await store.get_vote(session, int(ident)) if ident.isascii() and ident.isdigit() else None
    if vote is None or vote.status is VoteStatus.DRAFT:
        return None
    return await render_vote(session, vote, await groups.group_timezone(session, vote.group_id), now)


async def open_options(ctx: Context, vote: Vote) -> list[store.OptionInfo]:
    """A vote's options. They never change once a vote is open, so each process reads them once."""
    return await memo_options(ctx.memo, ctx.session, vote)


async def eligible_voters(ctx: Context, vote: Vote) -> frozenset[int]:
    """Who may vote: fixed when the vote opened, so each process reads it once."""
    return await memo_voters(ctx.memo, ctx.session, vote)


async def memo_options(memo: dict[str, Any], session: AsyncSession, vote: Vote) -> list[store.OptionInfo]:
    # Plain values, not ORM objects: a rolled-back session would expire those under our feet.
    key = f"vote-options:{vote.id}"
    if key not in memo:
        memo[key] = await store.option_infos(session, vote.id)
    options: list[store.OptionInfo] = memo[key]
    return options


async def memo_voters(memo: dict[str, Any], session: AsyncSession, vote: Vote) -> frozenset[int]:
    key = f"vote-voters:{vote.id}"
    if key not in memo:
        memo[key] = await store.eligible_people(session, vote.id)
    voters: frozenset[int] = memo[key]
    return voters


async def find_vote(ctx: Context, vote_id: int, *, members_only: str | None = None) -> Vote:
    """A vote of this person's group (or any group they belong to, from a private chat)."""
    vote = await store.get_vote(ctx.session, vote_id)
    if vote is None or vote.status is VoteStatus.DRAFT:
        raise UserError(wording.no_such_vote(vote_id))
    if ctx.group is not None and not ctx.chat.is_private and ctx.group.id != vote.group_id:
        raise UserError(wording.vote_of_another_group(vote_id))
    if ctx.membership is not None and ctx.group is not None and ctx.group.id == vote.group_id:
        membership: Membership | None = ctx.membership  # already read with the person, this transaction
    else:
        membership = await groups.find_membership(ctx.session, vote.group_id, ctx.me.id)
    if membership is None or not membership.active:
        raise UserError(members_only or wording.members_only(private=ctx.chat.is_private))
    ctx.membership = membership
    if ctx.group is None or ctx.group.id != vote.group_id:
        # A press in a private chat (a reminder) from someone in several groups: the vote says which.
        ctx.use_group(await ctx.session.get(Group, vote.group_id))
    return vote


def require_open(vote: Vote, now: datetime) -> None:
    if vote.status is not VoteStatus.OPEN or (vote.closes_at is not None and vote.closes_at <= now):
        raise UserError(wording.vote_closed_cannot_change(vote.id))


async def pick_vote(ctx: Context, vote_id: int | None) -> Vote:
    """The vote a command names, or the group's only open vote when none is named."""
    if vote_id is not None:
        return await find_vote(ctx, vote_id)
    open_votes = await store.open_votes(ctx.session, ctx.require_group().id)
    if len(open_votes) == 1:
        return open_votes[0]
    if not open_votes:
        raise UserError(wording.NO_OPEN_VOTES)
    raise NeedArgument("vote")  # asked for, with the open votes as buttons (offer_open_votes)


async def offer_open_votes(ctx: Context) -> list[tuple[str, str]]:
    """The open votes, as buttons beside "Which vote?"."""
    if ctx.group is None:
        return []
    open_votes = await store.open_votes(ctx.session, ctx.group.id)
    return [(wording.vote_label(v.id, v.question), str(v.id)) for v in open_votes]


async def offer_closed_votes(ctx: Context) -> list[tuple[str, str]]:
    """The latest closed votes, as buttons beside "Which vote?"."""
    if ctx.group is None:
        return []
    closed = await store.closed_votes(ctx.session, ctx.group.id, limit=5)
    return [(wording.vote_label(v.id, v.question), str(v.id)) for v in closed]


async def start_guard(ctx: Context) -> str | None:
    """Who may start a vote: co-chairs, and members too if the group allows (the one permission check)."""
    if ctx.is_cochair or (ctx.group is not None and await ctx.setting("members_can_start_votes") == "yes"):
        return None
    return wording.COCHAIRS_ONLY_START_VOTES


async def may_start_votes(ctx: Context) -> None:
    refused = await start_guard(ctx)
    if refused is not None:
        raise UserError(refused)


# ---- starting a vote ----------------------------------------------------------------------------


#: The parts of a one-line vote after the question.
LINE_PARTS = ("choices", "closes", "extras")


async def vote_command(ctx: Context) -> Reply | list[Reply]:
    question = ctx.args.get("question")
    parts = {name: ctx.args.get(name) for name in LINE_PARTS}
    if question is None:
        # Keep what was given (`/vote | yes/no`), and ask only for the question.
        given = {name: value for name, value in parts.items() if value}
        await ctx.ask("vote_question", {"parts": given})
        return Reply(wording.ASK_QUESTION)
    question = spec.check_question(question)
    if all(part is None for part in parts.values()):
        draft = await new_draft(ctx, question)
        return await kind_question(ctx, draft)
    return await start_one_line(ctx, question, parts)


async def start_one_line(ctx: Context, question: str, parts: dict[str, str | None]) -> list[Reply]:
    """A vote written in one line. A closing time that can't be used is asked for again, keeping the rest."""
    group = ctx.require_group()
    choices = spec.parse_choices(parts.get("choices") or "")
    extras = spec.parse_extras(parts.get("extras") or "")
    closes_at = None
    if parts.get("closes"):
        try:
            closes_at = parse_when(str(parts["closes"]), ctx.timezone(), ctx.now())
        except UserError as wrong:
            await ctx.ask("vote_closes", {"question": question, "parts": {**parts, "closes": None}})
            return [Reply(wording.ask_closing_time_again(wrong.message))]
    vote = Vote(
        group_id=group.id,
        question=question,
        kind=choices.kind.value,
        max_choices=choices.max_choices,
        anonymous=extras.anonymous,
        hide_results=extras.hide_results,
        lay_only=extras.lay_only,
        quorum_kind=extras.quorum_kind.value,
        quorum_value=extras.quorum_value,
        status=VoteStatus.OPEN,
        opened_by=ctx.me.id,
        opened_at=ctx.now(),
        closes_at=closes_at,
    )
    await store.create_vote(ctx.session, vote, choices.labels)
    return await open_vote(ctx, vote)


async def open_vote(ctx: Context, vote: Vote) -> list[Reply]:
    """Snapshot who may vote, set the reminder, and post the vote to every channel of the group."""
    hours = int(await ctx.setting("vote_reminder_hours"))
    replies = await open_for(ctx, vote, hours, ctx.timezone())
    if ctx.chat.is_private:
        replies.insert(0, Reply(wording.opened_elsewhere(vote.id)))
    return replies


async def open_for(unit: Unit, vote: Vote, reminder_hours: int, tz: str) -> list[Reply]:
    vote.status = VoteStatus.OPEN
    vote.opened_at = unit.now()
    eligible = await store.snapshot_voters(unit.session, vote)
    if eligible == 0:
        raise UserError(wording.NOBODY_ELIGIBLE)
    if vote.closes_at is not None and reminder_hours > 0:
        remind_at = vote.closes_at - timedelta(hours=reminder_hours)
        vote.remind_at = remind_at if remind_at > unit.now() else None
    unit.reschedule(VOTE_JOBS, vote.id)
    unit.emit(VoteOpened(vote.group_id, vote.id, vote.question, unit.now(), vote.about))
    text, buttons = await render_vote(unit.session, vote, tz, unit.now())
    return [
        Reply(text, buttons=buttons, to=channel_chat(channel), key=vote_key(vote.id))
        for channel in await groups.group_channels(unit.session, vote.group_id)
    ]


#: A sign-off needs at least half of the lay partners to vote.
SIGN_OFF_QUORUM = 50


async def on_sign_off_wanted(unit: Unit, event: SignOffWanted) -> list[Reply]:
    """Another feature asked lay partners to sign something off: a lay-partners-only yes/no vote with a quorum."""
    group = await groups.get_group(unit.session, event.group_id)
    assert group is not None
    vote = Vote(
        group_id=event.group_id,
        question=event.question[:300],
        kind=VoteKind.YES_NO.value,
        max_choices=1,
        lay_only=True,
        quorum_kind=rules.QuorumKind.SHARE.value,
        quorum_value=SIGN_OFF_QUORUM,
        status=VoteStatus.OPEN,
        opened_by=event.person_id,
        opened_at=event.at,
        closes_at=event.closes_at,
        about=event.about,
    )
    await store.create_vote(unit.session, vote, list(rules.YES_NO_OPTIONS))
    hours = int((await groups.group_settings(unit.session, group.id)).get("vote_reminder_hours", "24"))
    return await open_for(unit, vote, hours, group.timezone)


async def new_draft(ctx: Context, question: str) -> Vote:
    for old in await store.drafts_of(ctx.session, ctx.me.id, cancelled_too=True):
        await ctx.session.delete(old)
    draft = Vote(
        group_id=ctx.require_group().id,
        question=question,
        kind=VoteKind.YES_NO.value,
        status=VoteStatus.DRAFT,
        opened_by=ctx.me.id,
        opened_at=ctx.now(),
    )
    return await store.create_vote(ctx.session, draft, list(rules.YES_NO_OPTIONS))


async def kind_question(ctx: Context, draft: Vote) -> Reply:
    await ctx.ask("vote_kind", {"draft": draft.id}, typed=False)
    return Reply(
        wording.ask_kind(draft.question),
        buttons=Reply.rows(
            *[[Button(wording.KIND_NAMES[kind], "vote_kind", f"{draft.id}.{i}")] for i, kind in enumerate(VoteKind)]
        ),
    )


async def my_draft(ctx: Context, draft_id: int) -> Vote:
    draft = await store.get_vote(ctx.session, draft_id)
    if draft is not None and draft.status is VoteStatus.CANCELLED and draft.opened_by == ctx.me.id:
        raise UserError(wording.DRAFT_STOPPED)
    if draft is None or draft.status is not VoteStatus.DRAFT:
        raise UserError(wording.DRAFT_GONE)
    if draft.opened_by != ctx.me.id:
        raise UserError(wording.DRAFT_NOT_YOURS)
    return draft


async def answer_question(ctx: Context) -> Reply | list[Reply]:
    await may_start_votes(ctx)
    try:
        question = spec.check_question(ctx.text)
    except UserError as wrong:
        raise UserError(wrong.message, ask_again=("vote_question", ctx.prompt_data)) from None
    given = ctx.prompt_data.get("parts") or {}
    if given:
        return await start_one_line(ctx, question, {name: given.get(name) for name in LINE_PARTS})
    draft = await new_draft(ctx, question)
    return await kind_question(ctx, draft)


async def answer_closing_time(ctx: Context) -> list[Reply]:
    """The closing time of a one-line vote, typed again after the first could not be used."""
    await may_start_votes(ctx)
    question = str(ctx.prompt_data.get("question", ""))
    parts = dict(ctx.prompt_data.get("parts") or {})
    typed = ctx.text.strip()
    if typed.casefold() not in wording.NO_DEADLINE_WORDS:
        try:
            parse_when(typed, ctx.timezone(), ctx.now())
        except UserError as wrong:
            raise UserError(wrong.message, ask_again=("vote_closes", ctx.prompt_data)) from None
        parts["closes"] = typed
    return await start_one_line(ctx, question, parts)


async def press_kind(ctx: Context) -> Reply:
    draft_id, index = ids(ctx.payload, 2)
    draft = await my_draft(ctx, draft_id)
    kinds = list(VoteKind)
    if index >= len(kinds):
        raise UserError(wording.STALE_BUTTON)
    return await choose_kind(ctx, draft, kinds[index])


async def answer_kind(ctx: Context) -> Reply | None:
    """The kind of vote typed instead of pressed ("yes or no", "ranked")."""
    draft = await my_draft(ctx, int(ctx.prompt_data.get("draft", 0)))
    kind = wording.kind_from_words(ctx.text)
    if kind is None:
        await ctx.ask("vote_kind", {"draft": draft.id}, typed=False)  # ordinary chat: the buttons still wait
        return None
    return await choose_kind(ctx, draft, kind)


async def choose_kind(ctx: Context, draft: Vote, kind: VoteKind) -> Reply:
    draft.kind = kind.value
    if kind in (VoteKind.YES_NO, VoteKind.CONSENSUS):
        labels = rules.YES_NO_OPTIONS if kind is VoteKind.YES_NO else rules.CONSENSUS_OPTIONS
        await replace_options(ctx, draft, list(labels))
        return await ask_deadline(ctx, draft)
    await ctx.ask("vote_options", {"draft": draft.id})
    return Reply(wording.ASK_CHOICES)


async def replace_options(ctx: Context, draft: Vote, labels: list[str]) -> None:
    for option in await store.options(ctx.session, draft.id):
        await ctx.session.delete(option)
    await ctx.session.flush()
    ctx.session.add_all(VoteOption(vote_id=draft.id, position=i, label=label) for i, label in enumerate(labels))
    await ctx.session.flush()


async def answer_options(ctx: Context) -> Reply:
    draft = await my_draft(ctx, int(ctx.prompt_data.get("draft", 0)))
    try:
        labels = spec.check_labels(rules.parse_options(ctx.text))
    except UserError as wrong:
        raise UserError(wrong.message, ask_again=("vote_options", {"draft": draft.id})) from None
    await replace_options(ctx, draft, labels)
    if VoteKind(draft.kind) is VoteKind.PICK_MANY:
        limits = range(1, min(len(labels), 6))
        await ctx.ask("vote_limit", {"draft": draft.id}, typed=False)
        return Reply(
            wording.ASK_LIMIT,
            buttons=Reply.rows([Button(wording.limit_button(n), "vote_limit", f"{draft.id}.{n}") for n in limits]),
        )
    return await ask_deadline(ctx, draft)


async def press_limit(ctx: Context) -> Reply:
    draft_id, limit = ids(ctx.payload, 2)
    draft = await my_draft(ctx, draft_id)
    if not 1 <= limit < len(await store.options(ctx.session, draft.id)):
        raise UserError(wording.STALE_BUTTON)
    draft.max_choices = limit
    return await ask_deadline(ctx, draft)


async def answer_limit(ctx: Context) -> Reply | None:
    """How many choices each person can pick, typed instead of pressed."""
    draft = await my_draft(ctx, int(ctx.prompt_data.get("draft", 0)))
    typed = ctx.text.strip()
    count = len(await store.options(ctx.session, draft.id))
    if not (typed.isascii() and typed.isdigit() and 1 <= int(typed) < count):
        raise UserError(wording.pick_limit_out_of_range(count), ask_again=("vote_limit", {"draft": draft.id}))
    draft.max_choices = int(typed)
    return await ask_deadline(ctx, draft)


async def ask_deadline(ctx: Context, draft: Vote) -> Reply:
    await ctx.ask("vote_deadline", {"draft": draft.id})
    return Reply(
        wording.ASK_DEADLINE,
        buttons=Reply.rows([Button(wording.NO_DEADLINE_BUTTON, "vote_draft", f"{draft.id}.0")]),
    )


async def answer_deadline(ctx: Context) -> Reply:
    draft = await my_draft(ctx, int(ctx.prompt_data.get("draft", 0)))
    if ctx.text.strip().casefold() in wording.NO_DEADLINE_WORDS:
        draft.closes_at = None
        return await draft_summary(ctx, draft)
    try:
        draft.closes_at = parse_when(ctx.text, ctx.timezone(), ctx.now())
    except UserError as wrong:
        raise UserError(wrong.message, ask_again=("vote_deadline", {"draft": draft.id})) from None
    return await draft_summary(ctx, draft)


DRAFT_NO_DEADLINE, DRAFT_START, DRAFT_ANONYMOUS, DRAFT_HIDE, DRAFT_CANCEL = range(5)


async def draft_summary(ctx: Context, draft: Vote, edit: MessageRef | None = None) -> Reply:
    await ctx.ask("vote_ready", {"draft": draft.id}, typed=False)
    option_list = await store.options(ctx.session, draft.id)
    closes = format_when(draft.closes_at, ctx.timezone(), now=ctx.now()) if draft.closes_at else None
    buttons = Reply.rows(
        [Button(wording.START_VOTE_BUTTON, "vote_draft", f"{draft.id}.{DRAFT_START}")],
        [
            Button(wording.anonymous_button(draft.anonymous), "vote_draft", f"{draft.id}.{DRAFT_ANONYMOUS}"),
            Button(wording.hide_results_button(draft.hide_results), "vote_draft", f"{draft.id}.{DRAFT_HIDE}"),
        ],
        [Button(wording.CANCEL_BUTTON, "vote_draft", f"{draft.id}.{DRAFT_CANCEL}")],
    )
    return Reply(wording.draft_summary(draft, option_list, closes=closes), buttons=buttons, edit=edit)


async def press_draft(ctx: Context) -> Reply | list[Reply]:
    draft_id, step = ids(ctx.payload, 2)
    draft = await my_draft(ctx, draft_id)
    here = ctx.event.message  # type: ignore[union-attr]
    if step == DRAFT_NO_DEADLINE:
        draft.closes_at = None
        await conversations.clear_pending(
            ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id
        )
        return await draft_summary(ctx, draft)
    if step == DRAFT_ANONYMOUS:
        draft.anonymous = not draft.anonymous
        return await draft_summary(ctx, draft, edit=here)
    if step == DRAFT_HIDE:
        draft.hide_results = not draft.hide_results
        return await draft_summary(ctx, draft, edit=here)
    if step == DRAFT_CANCEL:
        return await cancel_draft(ctx, draft, here)
    if step == DRAFT_START:
        return await start_draft(ctx, draft, here)
    raise UserError(wording.STALE_BUTTON)


async def cancel_draft(ctx: Context, draft: Vote, here: MessageRef | None) -> Reply:
    draft.status = VoteStatus.CANCELLED
    await end_draft_question(ctx)
    return Reply(wording.DRAFT_CANCELLED, edit=here)


async def start_draft(ctx: Context, draft: Vote, here: MessageRef | None) -> list[Reply]:
    if ctx.group is None or ctx.group.id != draft.group_id:
        raise UserError(wording.START_FROM_GROUP_CHAT)
    await may_start_votes(ctx)
    if draft.closes_at is not None and draft.closes_at <= ctx.now():
        raise UserError(wording.CLOSING_TIME_PASSED)
    await end_draft_question(ctx)
    replies = await open_vote(ctx, draft)
    return [Reply(wording.vote_started(draft.id), edit=here), *replies]


async def end_draft_question(ctx: Context) -> None:
    """The draft's buttons answered its question: nothing is waiting to be typed any more."""
    await conversations.clear_pending(
        ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id
    )


async def answer_ready(ctx: Context) -> Reply | list[Reply] | None:
    """ "Start" or "cancel" typed instead of pressed, under the draft's summary."""
    draft = await my_draft(ctx, int(ctx.prompt_data.get("draft", 0)))
    typed = " ".join(ctx.text.casefold().split())
    if typed in wording.START_WORDS:
        return await start_draft(ctx, draft, None)
    if typed in wording.CANCEL_WORDS:
        return await cancel_draft(ctx, draft, None)
    await ctx.ask("vote_ready", {"draft": draft.id}, typed=False)  # ordinary chat: the buttons still wait
    return None


async def on_stopped(unit: Unit, event: Stopped) -> None:
    """/cancel: every vote this person was setting up is stopped; its buttons then say so."""
    await store.cancel_drafts(unit.session, event.person_id)


# ---- answering ----------------------------------------------------------------------------------


async def require_eligible(ctx: Context, vote: Vote) -> None:
    if ctx.me.id in await eligible_voters(ctx, vote):
        return
    raise UserError(wording.press_refused(await why_not_eligible(ctx, vote, ctx.me.id)))


async def why_not_eligible(ctx: Context, vote: Vote, person_id: int) -> str:
    """Why someone may not vote in a vote: "lay" (a lay partners only vote) or "late" (joined after it began)."""
    membership = await groups.find_membership(ctx.session, vote.group_id, person_id)
    if vote.lay_only and (membership is None or membership.kind is not MemberKind.LAY_PARTNER):
        return wording.LAY_ONLY
    return wording.JOINED_LATE


async def press_ballot(ctx: Context) -> list[Reply]:
    vote_id, option_id = ids(ctx.payload, 2)
    vote = await find_vote(ctx, vote_id, members_only=wording.members_only_vote(private=ctx.chat.is_private))
    require_open(vote, ctx.now())
    await require_eligible(ctx, vote)
    labels = {o.id: o.label for o in await open_options(ctx, vote)}
    if option_id not in labels:
        raise UserError(wording.not_a_choice_of(vote.id))
    kind = VoteKind(vote.kind)
    ballot = await store.lock_ballot(ctx.session, vote.id, ctx.me.id, ctx.now())
    before = ballot.choices
    try:
        after = rules.press(kind, vote.max_choices, before, option_id)
    except rules.LimitReached:
        raise UserError(wording.limit_message(vote)) from None
    if after == before:
        ctx.toast = wording.already_in(labels[option_id])
        return []
    await store.save_ballot(
        ctx.session,
        ballot,
        after,
        proxy_by=None,
        now=ctx.now(),
        keep_history=not vote.anonymous,
        clear_reason=kind is VoteKind.CONSENSUS,  # a new consensus choice needs a new reason (or none)
    )
    if not before and not vote.anonymous:
        ctx.emit(TookPart(vote.group_id, ctx.me.id, BALLOT, vote_key(vote.id), ctx.now()))
    replies: list[Reply] = []
    chosen = [labels[o] for o in after]
    if kind is VoteKind.CONSENSUS and chosen[0] in NEEDS_REASON:
        if vote.anonymous:
            # Typed in the group, a reason would show who disagreed: ask for it privately.
            await ctx.ask("vote_reason", {"vote": vote.id}, privately=True)
            ask = wording.ask_reason_privately(chosen[0], vote.id)
            replies.append(Reply(ask, to=ctx.actor, hint_in=ctx.chat))
        else:
            await ctx.ask("vote_reason", {"vote": vote.id})
            replies.append(Reply(wording.ask_reason(chosen[0]), private=True))
    taken_out = labels[option_id] if kind is VoteKind.RANKED and option_id in before else None
    ctx.toast = wording.press_toast(kind, chosen, taken_out=taken_out)
    refresh_vote(ctx, vote)
    return replies


async def press_ballots(batch: Batch) -> list[BatchResult | None]:
    """Many ballot presses at once (a busy vote): the ordinary case in a few bulk statements.

    Declines (None) anything else, and every later press of the same person on the same vote, so
    the normal path (press_ballot) words each refusal and the order of presses is kept."""
    results: list[BatchResult | None] = [None] * len(batch.events)
    unit = batch.unit
    now = unit.now()
    wanted: list[tuple[int, ButtonPress, int, int]] = []
    by_chat: dict[tuple[str, str], set[str]] = {}
    for index, event in enumerate(batch.events):
        found = parse_ids(event.payload, 2)
        if event.chat.is_private or found is None:
            continue
        wanted.append((index, event, found[0], found[1]))
        by_chat.setdefault((event.chat.platform, event.chat.id), set()).add(event.actor.id)
    if not wanted:
        return results
    people: dict[tuple[str, str, str], groups.ChatMember] = {}
    for (platform, chat_id), user_ids in by_chat.items():
        for user_id, member in (await groups.members_in_chat(unit.session, platform, chat_id, list(user_ids))).items():
            people[(platform, chat_id, user_id)] = member
    votes = await store.votes_by_id(unit.session, list({vote_id for _i, _e, vote_id, _o in wanted}))
    accepted: list[tuple[int, Vote, int, int]] = []  # (index, vote, person id, option id)
    declined: set[tuple[int, str, str]] = set()  # (vote id, platform, user id)
    for index, event, vote_id, option_id in wanted:
        who = people.get((event.chat.platform, event.chat.id, event.actor.id))
        vote = votes.get(vote_id)
        pair = (vote_id, event.actor.platform, event.actor.id)
        ordinary = (
            pair not in declined
            and who is not None
            and (who.display_name, who.handle) == account_names(event.actor)
            and who.active_member
            and vote is not None
            and vote.status is VoteStatus.OPEN
            and (vote.closes_at is None or vote.closes_at > now)
            and vote.group_id == who.group_id
            and VoteKind(vote.kind) is not VoteKind.CONSENSUS  # asks for a reason: the normal path
            and who.person_id in await memo_voters(batch.memo, unit.session, vote)
            and option_id in {o.id for o in await memo_options(batch.memo, unit.session, vote)}
        )
        if not ordinary:
            declined.add(pair)
            continue
        assert who is not None and vote is not None
        accepted.append((index, vote, who.person_id, option_id))
    if not accepted:
        return results
    ballots = await store.lock_ballots(unit.session, [(v.id, person) for _i, v, person, _o in accepted], now)
    state = {key: ballot.choices for key, ballot in ballots.items()}
    history: list[tuple[store.LockedBallot, tuple[int, ...]]] = []
    for index, vote, person_id, option_id in accepted:
        key = (vote.id, person_id)
        kind = VoteKind(vote.kind)
        labels = {o.id: o.label for o in await memo_options(batch.memo, unit.session, vote)}
        try:
            after = rules.press(kind, vote.max_choices, state[key], option_id)
        except rules.LimitReached:
            results[index] = BatchResult(refusal=wording.limit_message(vote))
            continue
        if after == state[key]:
            results[index] = BatchResult(toast=wording.already_in(labels[option_id]))
            continue
        taken_out = labels[option_id] if kind is VoteKind.RANKED and option_id in state[key] else None
        state[key] = after
        if not vote.anonymous:
            history.append((ballots[key], after))
        toast = wording.press_toast(kind, [labels[o] for o in after], taken_out=taken_out)
        results[index] = BatchResult(toast=toast, refresh=(vote_key(vote.id),))
    changed = [(ballot, state[key]) for key, ballot in ballots.items() if state[key] != ballot.choices]
    await store.save_ballots(unit.session, changed, history, now)
    for (vote_id, person_id), ballot in ballots.items():
        vote = votes[vote_id]
        if not ballot.choices and state[(vote_id, person_id)] and not vote.anonymous:
            unit.emit(TookPart(vote.group_id, person_id, BALLOT, vote_key(vote_id), now))
    return results


async def press_unrank(ctx: Context) -> list[Reply]:
    (vote_id,) = ids(ctx.payload, 1)
    vote = await find_vote(ctx, vote_id)
    if VoteKind(vote.kind) is not VoteKind.RANKED:
        raise UserError(wording.STALE_BUTTON)  # only a ranked vote offers this button: a forged press
    require_open(vote, ctx.now())
    await require_eligible(ctx, vote)
    if not await store.has_ballot(ctx.session, vote.id, ctx.me.id):
        ctx.toast = wording.NOTHING_RANKED_YET
        return []
    ballot = await store.lock_ballot(ctx.session, vote.id, ctx.me.id, ctx.now())
    await store.save_ballot(
        ctx.session, ballot, (), proxy_by=None, now=ctx.now(), keep_history=not vote.anonymous, clear_reason=False
    )
    ctx.toast = wording.RANKING_CLEARED
    refresh_vote(ctx, vote)
    return []


async def answer_reason(ctx: Context) -> Reply | None:
    vote = await find_vote(ctx, int(ctx.prompt_data.get("vote", 0)))
    if vote.status is not VoteStatus.OPEN or (vote.closes_at is not None and vote.closes_at <= ctx.now()):
        # Replied, not raised: a raise would roll back and keep the question, catching every later message.
        return Reply(wording.closed_before_reason(vote.id), private=True)
    ballot = await store.lock_ballot(ctx.session, vote.id, ctx.me.id, ctx.now())
    labels = {o.id: o.label for o in await open_options(ctx, vote)}
    chosen = ballot.choices
    if not chosen or labels.get(chosen[0]) not in NEEDS_REASON:
        return None  # they changed to a choice that needs no reason: this is ordinary chat, not kept
    reason = " ".join(ctx.text.split())[:MAX_REASON_CHARS]
    if not reason:
        raise UserError(wording.NO_BALLOT_FOR_REASON)
    await store.save_reason(ctx.session, ballot, reason)
    return Reply(wording.REASON_SAVED, private=True)


# ---- who hasn't voted, reminders, proxies --------------------------------------------------------


async def non_voters_reply(ctx: Context, vote: Vote) -> Reply:
    missing = await store.non_voters(ctx.session, vote.id)
    if not missing:
        return Reply(wording.everyone_voted(vote.id), private=True)
    text = wording.non_voters(vote, [name for _i, name in missing])
    buttons: ButtonRows = ()
    if ctx.is_cochair and vote.status is VoteStatus.OPEN:
        buttons = Reply.rows([Button(wording.SEND_REMINDER_BUTTON, "remind", str(vote.id))])
    return Reply(text, buttons=buttons, private=True)


async def notvoted_command(ctx: Context) -> Reply:
    vote = await pick_vote(ctx, ctx.args.get("vote"))
    return await non_voters_reply(ctx, vote)


async def press_notvoted(ctx: Context) -> Reply:
    (vote_id,) = ids(ctx.payload, 1)
    return await non_voters_reply(ctx, await find_vote(ctx, vote_id))


async def reminders(
    session: AsyncSession, vote: Vote, tz: str, now: datetime, *, late: bool = False
) -> list[tuple[Reply, UserRef]]:
    """A kind private reminder, with the vote's buttons, for each eligible person who hasn't voted."""
    missing = await store.non_voters(session, vote.id)
    accounts = await people.accounts_of(session, [pid for pid, _n in missing])
    option_list = await store.options(session, vote.id)
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(session, vote.group_id))}
    closes = format_when(vote.closes_at, tz, now=now) if vote.closes_at else None
    messages = []
    for person_id, name in missing:
        found = accounts.get(person_id)
        if not found:
            continue
        account = found[0]
        text = wording.reminder(name, vote.id, vote.question, closes=closes, late=late)
        user = UserRef(account.platform, account.user_id, account.display_name)  # type: ignore[arg-type]
        hint_in = channels.get(account.platform)  # if they never opened a private chat with the bot
        reply = Reply(text, buttons=vote_buttons(vote, option_list), hint_in=hint_in, discreet=vote.anonymous)
        messages.append((reply, user))
    return messages


async def press_remind(ctx: Context) -> list[Reply]:
    (vote_id,) = ids(ctx.payload, 1)
    vote = await find_vote(ctx, vote_id)
    ctx.require_cochair()
    require_open(vote, ctx.now())
    tz = await groups.group_timezone(ctx.session, vote.group_id)
    messages = await reminders(ctx.session, vote, tz, ctx.now())
    sent = [dataclasses.replace(reply, to=user) for reply, user in messages]
    summary = wording.reminders_sent(len(sent))
    return [*sent, Reply(summary, private=True)]


async def proxy_command(ctx: Context) -> list[Reply]:
    vote = await find_vote(ctx, ctx.args["vote"])
    ctx.require_cochair()
    require_open(vote, ctx.now())
    member: Member = ctx.args["member"]
    if member.person_id not in await eligible_voters(ctx, vote):
        why = await why_not_eligible(ctx, vote, member.person_id)
        raise UserError(wording.cannot_vote_in(member.name, vote.id, why))
    option_list = await open_options(ctx, vote)
    by_label = {o.label.casefold(): o.id for o in option_list}
    wanted = rules.parse_options(ctx.args["choice"])
    try:
        chosen = tuple(by_label[label.casefold()] for label in wanted)
    except KeyError:
        raise UserError(wording.use_choices_of(vote.id, [o.label for o in option_list])) from None
    kind = VoteKind(vote.kind)
    single = kind in (VoteKind.YES_NO, VoteKind.PICK_ONE, VoteKind.CONSENSUS)
    if (single and len(chosen) != 1) or (kind is VoteKind.PICK_MANY and len(chosen) > vote.max_choices):
        limit = 1 if single else vote.max_choices
        raise UserError(wording.proxy_choice_limit(vote.id, limit))
    if len(set(chosen)) != len(chosen):
        raise UserError(wording.NAME_EACH_CHOICE_ONCE)
    ballot = await store.lock_ballot(ctx.session, vote.id, member.person_id, ctx.now())
    await store.save_ballot(
        ctx.session,
        ballot,
        chosen,
        proxy_by=ctx.me.id,
        now=ctx.now(),
        keep_history=not vote.anonymous,
        clear_reason=kind is VoteKind.CONSENSUS,
    )
    confirmation = Reply(
        wording.proxy_recorded(member.name, vote.id, [o.label for o in option_list if o.id in chosen]), private=True
    )
    refresh_vote(ctx, vote)
    return [confirmation]


# ---- listing, results, closing, extending ----------------------------------------------------------


async def votes_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    open_votes = await store.open_votes(ctx.session, group.id)
    if not open_votes:
        return Reply(wording.NO_OPEN_VOTES)
    lines = [wording.OPEN_VOTES_HEADING]
    buttons: list[list[Button]] = []
    for vote in open_votes:
        closes = ctx.when(vote.closes_at) if vote.closes_at else None
        if ctx.me.id in await eligible_voters(ctx, vote):
            status = wording.VOTED if await has_voted(ctx, vote) else wording.NOT_VOTED_YET
        else:
            status = wording.you_cannot_vote(await why_not_eligible(ctx, vote, ctx.me.id))
        lines.append(wording.open_vote_line(vote, closes=closes, status=status))
        buttons.append([Button(wording.show_vote_button(vote.id), "showvote", str(vote.id))])
    return Reply("\n".join(lines), buttons=Reply.rows(*buttons), private=True)


async def has_voted(ctx: Context, vote: Vote) -> bool:
    return all(pid != ctx.me.id for pid, _n in await store.non_voters(ctx.session, vote.id))


async def press_showvote(ctx: Context) -> Reply:
    (vote_id,) = ids(ctx.payload, 1)
    vote = await find_vote(ctx, vote_id)
    text, buttons = await render_vote(ctx.session, vote, ctx.timezone(), ctx.now())
    return Reply(text, buttons=buttons, private=True)


async def results_command(ctx: Context) -> Reply:
    vote_id = ctx.args.get("vote")
    if vote_id is None:
        closed = await store.closed_votes(ctx.session, ctx.require_group().id, limit=2)
        if not closed:
            raise UserError(wording.NO_CLOSED_VOTE_YET)
        if len(closed) > 1:
            raise NeedArgument("vote")  # asked for, with the latest closed votes as buttons
        vote = closed[0]
    else:
        vote = await find_vote(ctx, vote_id)
    if vote.status is not VoteStatus.CLOSED:
        text, _buttons = await render_vote(ctx.session, vote, ctx.timezone(), ctx.now())
        return Reply(wording.still_open(vote.id, text), private=True)
    return Reply(await result_text(ctx.session, vote))


async def result_text(session: AsyncSession, vote: Vote) -> str:
    option_list = await store.options(session, vote.id)
    ballot_rows = await store.ballots(session, vote.id)
    eligible = await store.eligible_count(session, vote.id)
    return wording.result_message(vote, option_list, ballot_rows, eligible)


async def closing_messages(session: AsyncSession, vote: Vote, tz: str, now: datetime) -> list[Reply]:
    """After a vote closes: the result in every channel, and the vote messages without buttons."""
    text, buttons = await render_vote(session, vote, tz, now)
    refs = await outbox.posted_messages(session, vote_key(vote.id))
    edits = [
        Reply(
            text,
            buttons=buttons,
            edit=MessageRef(ChatRef(r.platform, r.chat_id, ChatKind(r.chat_kind)), r.message_id),  # type: ignore[arg-type]
            to=ChatRef(r.platform, r.chat_id, ChatKind(r.chat_kind)),  # type: ignore[arg-type]
        )
        for r in refs
    ]
    result = await result_text(session, vote)
    posts = [Reply(result, to=channel_chat(c)) for c in await groups.group_channels(session, vote.group_id)]
    return edits + posts


async def closevote_command(ctx: Context) -> list[Reply]:
    vote = await pick_vote(ctx, ctx.args.get("vote"))
    ctx.require_cochair()
    if not await store.close(ctx.session, vote.id, ctx.now(), ctx.me.id):
        raise UserError(wording.already_closed(vote.id))
    await ctx.session.refresh(vote)
    ctx.reschedule(VOTE_JOBS, vote.id)
    messages = await closing_messages(ctx.session, vote, ctx.timezone(), ctx.now())
    await tell_closed(ctx, vote)
    return [Reply(wording.vote_closed_now(vote.id), private=True), *messages]


async def tell_closed(unit: Unit, vote: Vote) -> None:
    """Other features hear the result (a meeting under way records it as a decision; a sign-off its answer)."""
    result = " ".join((await result_text(unit.session, vote)).split())
    unit.emit(
        VoteClosed(vote.group_id, vote.id, vote.question, result, unit.now(), vote.about, await passed(unit, vote))
    )


async def passed(unit: Unit, vote: Vote) -> bool | None:
    """For a yes/no vote: more Yes than No, with the quorum met."""
    if vote.kind != VoteKind.YES_NO.value:
        return None
    labels = {o.id: o.label for o in await store.options(unit.session, vote.id)}
    ballots = await store.ballots(unit.session, vote.id)
    eligible = await store.eligible_count(unit.session, vote.id)
    chosen = [labels.get(b.choices[0]) for b in ballots if b.choices]
    needed = rules.quorum_needed(eligible, rules.QuorumKind(vote.quorum_kind), vote.quorum_value)
    return len(ballots) >= needed and chosen.count("Yes") > chosen.count("No")


async def extend_command(ctx: Context) -> list[Reply]:
    vote = await find_vote(ctx, ctx.args["vote"])
    ctx.require_cochair()
    require_open(vote, ctx.now())
    new_close = parse_when(ctx.args["closes"], ctx.timezone(), ctx.now())
    if vote.closes_at is not None and new_close <= vote.closes_at:
        raise UserError(wording.already_closes_later(vote.id, ctx.when(vote.closes_at)))
    vote.closes_at = new_close
    hours = int(await ctx.setting("vote_reminder_hours"))
    remind_at = new_close - timedelta(hours=hours)
    vote.remind_at = remind_at if hours > 0 and remind_at > ctx.now() else None
    vote.reminded_at = None
    ctx.reschedule(VOTE_JOBS, vote.id)
    notice = Reply(wording.now_closes_on(vote.id, ctx.when(new_close)))
    refresh_vote(ctx, vote)
    return [notice]


# ---- scheduled work ----------------------------------------------------------------------------------


def jobs_of(vote: Vote) -> list[Job]:
    """An open vote's scheduled work: its close at the deadline, and the reminder before it."""
    if vote.status is not VoteStatus.OPEN or vote.closes_at is None:
        return []
    jobs = [Job(f"{VOTE_JOBS}:{vote.id}:close", vote.closes_at, partial(close_job, vote.id))]
    if vote.remind_at is not None and vote.reminded_at is None:
        jobs.append(Job(f"{VOTE_JOBS}:{vote.id}:remind", vote.remind_at, partial(remind_job, vote.id)))
    return jobs


async def all_vote_jobs(session: AsyncSession, now: datetime) -> list[Job]:
    """Every open vote's scheduled work."""
    return [job for vote in await store.scheduled_votes(session) for job in jobs_of(vote)]


async def one_vote_jobs(session: AsyncSession, ident: str, now: datetime) -> list[Job]:
    """One vote's scheduled work (after its deadline changed, or it closed)."""
    vote = await store.get_vote(session, int(ident)) if ident.isascii() and ident.isdigit() else None
    return jobs_of(vote) if vote is not None else []


async def close_job(vote_id: int, job: JobContext) -> None:
    vote = await store.get_vote(job.session, vote_id)
    if vote is None or vote.closes_at is None or vote.closes_at > job.now():
        return  # gone, or extended: the rebuilt schedule has the new time
    if not await store.close(job.session, vote.id, job.now(), None):
        return  # already closed: closing happens once
    await job.session.refresh(vote)
    job.reschedule(VOTE_JOBS, vote.id)
    tz = await groups.group_timezone(job.session, vote.group_id)
    for reply in await closing_messages(job.session, vote, tz, job.now()):
        assert reply.to is not None
        job.send(reply, reply.to)
    await tell_closed(job, vote)


async def remind_job(vote_id: int, job: JobContext) -> None:
    vote = await store.get_vote(job.session, vote_id)
    if vote is None or not await store.mark_reminded(job.session, vote_id, job.now()):
        return
    if vote.closes_at is not None and vote.closes_at <= job.now():
        log.warning("missed the reminder for vote %s: it closed while the bot was offline", vote_id)
        return
    tz = await groups.group_timezone(job.session, vote.group_id)
    for reply, user in await reminders(job.session, vote, tz, job.now(), late=job.late_by > LATE_NOTE_AFTER):
        job.send(reply, user)
