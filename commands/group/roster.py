"""The roster: joining and leaving, the members list, the co-chair role, and who the platforms see
joining, speaking and leaving. Thin: parse, check, word."""

from __future__ import annotations

from bot.context import Context, Member, Unit
from bot.errors import UserError
from bot.events import Joined, Left, Spoke
from bot.registry import NeedArgument
from bot.types import Button, ButtonRows, Reply
from commands.group import rules, wording
from commands.group.wording import KIND_BUTTON_LABELS
from storage import groups
from storage.groups import MemberKind, Role


def join_buttons() -> ButtonRows:
    """One button per kind; whoever presses one joins (or changes how they are listed)."""
    return Reply.rows([Button(label, "join", kind.value) for kind, label in KIND_BUTTON_LABELS.items()])


def not_yet_a_member(ctx: Context) -> bool:
    """/help offers /join only to those who are not members (members may still type it to change how they
    are listed)."""
    return not ctx.is_member


async def join(ctx: Context) -> Reply:
    membership = ctx.membership
    if membership is not None and membership.active and membership.kind is not None:
        return Reply(wording.already_member(membership.kind), buttons=join_buttons(), private=True)
    return Reply(
        wording.JOIN_CHOOSE_KIND,
        buttons=join_buttons(),
        private=membership is not None and membership.active,
    )


async def press_join(ctx: Context) -> Reply | None:
    group = ctx.require_group()
    try:
        kind = MemberKind(ctx.payload)
    except ValueError:
        raise UserError(wording.STALE_JOIN_BUTTON) from None
    before = ctx.membership
    was_member = before is not None and before.active
    old_kind = before.kind if before is not None else None
    membership, newly = await groups.join_group(
        ctx.session, group_id=group.id, person_id=ctx.me.id, kind=kind, now=ctx.now()
    )
    ctx.membership = membership
    name = ctx.me.display_name
    if newly or not was_member:
        return Reply(wording.welcome(name, group.name, kind))
    if old_kind == kind:
        ctx.toast = wording.already_member_toast(kind)
        return None
    ctx.toast = wording.relisted_toast(kind)
    return Reply(wording.relisted(name, kind))


async def leave(ctx: Context) -> Reply:
    group = ctx.require_group()
    membership = ctx.membership
    assert membership is not None  # access MEMBER guarantees it
    cochairs = await groups.count_cochairs(ctx.session, group.id)
    if not rules.may_step_down(membership.role is Role.COCHAIR, cochairs):
        raise UserError(wording.ONLY_COCHAIR_CANNOT_LEAVE)
    await groups.leave_group(ctx.session, membership, ctx.now())
    return Reply(wording.left_group(ctx.me.display_name, group.name))


async def members(ctx: Context) -> Reply:
    group = ctx.require_group()
    entries = await groups.roster(ctx.session, group.id)
    lines = [wording.roster_heading(group.name, len(entries))]
    lines.extend(wording.roster_line(entry.name, entry.role, entry.kind) for entry in entries)
    return Reply("\n".join(lines))


async def cochair(ctx: Context) -> Reply:
    group = ctx.require_group()
    change = ctx.args["change"]
    query = ctx.args.get("member")
    if query is None:
        if change == "add":
            raise NeedArgument("member")  # asked for, keeping "add"
        target_id, target_name = ctx.me.id, ctx.me.display_name
    else:
        member: Member = query
        target_id, target_name = member.person_id, member.name
    membership = await groups.find_membership(ctx.session, group.id, target_id)
    assert membership is not None and membership.active  # find_member only finds active members
    if change == "add":
        if membership.role is Role.COCHAIR:
            raise UserError(wording.already_cochair(target_name))
        await groups.make_cochair(ctx.session, membership)
        return Reply(wording.now_cochair(target_name))
    if membership.role is not Role.COCHAIR:
        raise UserError(wording.not_a_cochair(target_name))
    if not rules.may_step_down(True, await groups.count_cochairs(ctx.session, group.id)):
        raise UserError(wording.only_cochair_cannot_step_down(target_name))
    membership.role = Role.MEMBER
    return Reply(wording.no_longer_cochair(target_name))


# ---- what the platforms report ----------------------------------------------------------------------


async def on_seen(unit: Unit, event: Spoke | Joined) -> None:
    """Someone spoke or joined in the group's chat for the first time: add them to the roster."""
    if rules.added_by_being_seen(event.standing):
        await groups.join_group(
            unit.session, group_id=event.group_id, person_id=event.person_id, kind=None, now=event.at
        )


async def on_left(unit: Unit, event: Left) -> None:
    """Someone left the group's chat on the platform: their membership ends (history stays)."""
    if rules.leaves_when_seen_leaving(event.standing):
        membership = await groups.find_membership(unit.session, event.group_id, event.person_id)
        if membership is not None and membership.active:
            await groups.leave_group(unit.session, membership, event.at)
