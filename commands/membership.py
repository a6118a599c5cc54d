"""Joining and leaving a group, the roster, and the co-chair role."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, Param, ParamKind, Where
from bot.types import Button, ButtonRows, Reply
from storage import queries
from storage.models import MemberKind, Role

KIND_BUTTON_LABELS = {
    MemberKind.LAY_PARTNER: _("Lay partner"),
    MemberKind.PROFESSIONAL: _("Professional"),
    MemberKind.OTHER: _("Other"),
}


def kind_phrase(kind: MemberKind | None) -> str:
    """How a member's kind reads inside a sentence."""
    return {
        MemberKind.LAY_PARTNER: _("a lay partner"),
        MemberKind.PROFESSIONAL: _("a professional"),
        MemberKind.OTHER: _("other"),
        None: _("not chosen yet"),
    }[kind]


def join_buttons() -> ButtonRows:
    """One button per kind; whoever presses one joins (or changes how they are listed)."""
    return Reply.rows([Button(label, "join", kind.value) for kind, label in KIND_BUTTON_LABELS.items()])


# ---- handlers ---------------------------------------------------------------------------------


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
    membership, newly = await queries.join_group(
        ctx.session, group_id=group.id, person_id=ctx.person.id, kind=kind, now=ctx.now()
    )
    ctx.membership = membership
    name = ctx.person.display_name
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
    if membership.role is Role.COCHAIR and await queries.count_cochairs(ctx.session, group.id) <= 1:
        raise UserError(
            _(
                "You're the only co-chair, and a group always needs one. "
                "Please make someone else a co-chair first with /cochair add and their name."
            )
        )
    await queries.leave_group(ctx.session, membership, ctx.now())
    return Reply(
        _("{name} has left “{group}”. You're welcome back any time: just type /join.").format(
            name=ctx.person.display_name, group=group.name
        )
    )


async def members(ctx: Context) -> Reply:
    group = ctx.require_group()
    entries = await queries.roster(ctx.session, group.id)
    count = len(entries)
    lines = [
        (_("“{group}” has 1 member.") if count == 1 else _("“{group}” has {count} members.")).format(
            group=group.name, count=count
        )
    ]
    for entry in entries:
        line = _("{name}, co-chair, {kind}.") if entry.role is Role.COCHAIR else _("{name}, {kind}.")
        lines.append(line.format(name=entry.name, kind=kind_phrase(entry.kind)))
    return Reply("\n".join(lines))


async def cochair(ctx: Context) -> Reply:
    group = ctx.require_group()
    change = ctx.args["change"]
    query = ctx.args.get("member")
    if query is None:
        if change == "add":
            raise UserError(_("Please add the member's name. For example: /cochair add Sam"))
        target_id, target_name = ctx.person.id, ctx.person.display_name
    else:
        entry = await ctx.find_member(query)
        target_id, target_name = entry.person_id, entry.name
    membership = await queries.find_membership(ctx.session, group.id, target_id)
    assert membership is not None and membership.active  # find_member only finds active members
    if change == "add":
        if membership.role is Role.COCHAIR:
            raise UserError(_("{name} is already a co-chair.").format(name=target_name))
        membership.role = Role.COCHAIR
        return Reply(_("Done. {name} is now a co-chair.").format(name=target_name))
    if membership.role is not Role.COCHAIR:
        raise UserError(_("{name} is not a co-chair.").format(name=target_name))
    if await queries.count_cochairs(ctx.session, group.id) <= 1:
        raise UserError(
            _("{name} is the only co-chair, and a group always needs one. Please add another co-chair first.").format(
                name=target_name
            )
        )
    membership.role = Role.MEMBER
    return Reply(_("Done. {name} is no longer a co-chair.").format(name=target_name))


FEATURE = Feature(
    name="membership",
    commands=(
        Command(
            name="join",
            summary=_("Become a member of this group"),
            handler=join,
            access=Access.ANYONE,
            where=Where.GROUP,
        ),
        Command(
            name="leave",
            summary=_("Leave this group"),
            handler=leave,
            access=Access.MEMBER,
        ),
        Command(
            name="members",
            summary=_("See who is in the group"),
            handler=members,
            access=Access.MEMBER,
        ),
        Command(
            name="cochair",
            summary=_("Add or remove a co-chair (co-chairs)"),
            handler=cochair,
            params=(
                Param("change", ParamKind.CHOICE, _("Add or remove"), choices=("add", "remove")),
                Param("member", ParamKind.MEMBER, _("The member's name"), required=False),
            ),
            access=Access.COCHAIR,
            examples=("/cochair add Sam", "/cochair remove Sam"),
        ),
    ),
    actions=(Action(name="join", handler=press_join, access=Access.ANYONE),),
)
