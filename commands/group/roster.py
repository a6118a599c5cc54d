"""The roster: joining and leaving, the members list, the co-chair role, and who the platforms see
joining, speaking and leaving. Thin: parse, check, word."""

from __future__ import annotations

from bot.context import Context, Member, Unit
from bot.errors import UserError
from bot.events import Joined, Left, Spoke
from bot.i18n import _
from bot.types import Button, ButtonRows, Reply
from commands.group import rules, wording
from commands.group.wording import KIND_BUTTON_LABELS, kind_phrase
from storage import groups
from storage.groups import MemberKind, Role


def join_buttons() -> ButtonRows:
    """One button per kind; whoever presses one joins (or changes how they are listed)."""
    return Reply.rows([Button(label, "join", kind.value) for kind, label in KIND_BUTTON_LABELS.items()])


async def join(ctx: Context) -> Reply:
    membership = ctx.membership
    if membership is not None and membership.active and membership.kind is not None:
        return Reply(
            _("You're already a member, listed as {kind}. If that's not right, choose again below.").format(
                kind=kind_phrase(membership.kind)
            ),
            buttons=join_buttons(),
            private=True,
        )
    return Reply(
        _("Welcome! How would you describe yourself in this group? Choose one below."),
        buttons=join_buttons(),
        private=membership is not None and membership.active,
    )


async def press_join(ctx: Context) -> Reply | None:
    group = ctx.require_group()
    try:
        kind = MemberKind(ctx.payload)
    except ValueError:
        raise UserError(_("That button no longer works. Please type /join to try again.")) from None
    before = ctx.membership
    was_member = before is not None and before.active
    old_kind = before.kind if before is not None else None
    membership, newly = await groups.join_group(
        ctx.session, group_id=group.id, person_id=ctx.me.id, kind=kind, now=ctx.now()
    )
    ctx.membership = membership
    name = ctx.me.display_name
    if newly or not was_member:
        ctx.toast = _("Welcome! You're now a member.")
        return Reply(
            _("Welcome, {name}! You're now a member of “{group}”, as {kind}.").format(
                name=name, group=group.name, kind=kind_phrase(kind)
            )
        )
    if old_kind == kind:
        ctx.toast = _("You're already a member, as {kind}.").format(kind=kind_phrase(kind))
        return None
    ctx.toast = _("Done. You're now listed as {kind}.").format(kind=kind_phrase(kind))
    return Reply(_("{name} is now listed as {kind}.").format(name=name, kind=kind_phrase(kind)))


async def leave(ctx: Context) -> Reply:
    group = ctx.require_group()
    membership = ctx.membership
    assert membership is not None  # access MEMBER guarantees it
    cochairs = await groups.count_cochairs(ctx.session, group.id)
    if not rules.may_step_down(membership.role is Role.COCHAIR, cochairs):
        raise UserError(
            _(
                "You're the only co-chair, and a group always needs one. "
                "Please make someone else a co-chair first with /cochair add and their name."
            )
        )
    await groups.leave_group(ctx.session, membership, ctx.now())
    return Reply(
        _("{name} has left “{group}”. You're welcome back any time: just type /join.").format(
            name=ctx.me.display_name, group=group.name
        )
    )


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
            raise UserError(_("Please add the member's name. For example: /cochair add Sam"))
        target_id, target_name = ctx.me.id, ctx.me.display_name
    else:
        member: Member = query
        target_id, target_name = member.person_id, member.name
    membership = await groups.find_membership(ctx.session, group.id, target_id)
    assert membership is not None and membership.active  # find_member only finds active members
    if change == "add":
        if membership.role is Role.COCHAIR:
            raise UserError(_("{name} is already a co-chair.").format(name=target_name))
        membership.role = Role.COCHAIR
        return Reply(_("Done. {name} is now a co-chair.").format(name=target_name))
    if membership.role is not Role.COCHAIR:
        raise UserError(_("{name} is not a co-chair.").format(name=target_name))
    if not rules.may_step_down(True, await groups.count_cochairs(ctx.session, group.id)):
        raise UserError(
            _("{name} is the only co-chair, and a group always needs one. Please add another co-chair first.").format(
                name=target_name
            )
        )
    membership.role = Role.MEMBER
    return Reply(_("Done. {name} is no longer a co-chair.").format(name=target_name))


# ---- what the platforms report ----------------------------------------------------------------------


async def on_seen(unit: Unit, event: Spoke | Joined) -> None:
    """Someone spoke or joined in the group's chat for the first time: add them to the roster."""
    if rules.added_by_being_seen(event.standing):
        await groups.join_group(unit.session, group_id=event.group_id, person_id=event.person_id, kind=None, now=event.at)


async def on_left(unit: Unit, event: Left) -> None:
    """Someone left the group's chat on the platform: their membership ends (history stays)."""
    if rules.leaves_when_seen_leaving(event.standing):
        membership = await groups.find_membership(unit.session, event.group_id, event.person_id)
        if membership is not None and membership.active:
            await groups.leave_group(unit.session, membership, event.at)
