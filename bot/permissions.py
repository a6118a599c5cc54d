"""The one permission check: who may use a command or press a button, here and now. The dispatcher
refuses with it and /help lists with it, so /help never offers what would be refused."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import _
from bot.registry import Access, Command, Guard, Registry, Where


def access_refusal(ctx: Context, access: Access) -> str | None:
    """Why this person's standing does not allow this (kind words), or None if it does."""
    if access is Access.MEMBER and not ctx.is_member:
        if ctx.chat.is_private:
            return _("Only members can do that. Type /join in your group's chat to join.")
        return _("Only members can do that. Type /join to become a member.")
    if access is Access.COCHAIR and not ctx.is_cochair:
        return _("Only co-chairs can do that. Ask a co-chair if you need it done.")
    return None


async def refusal(ctx: Context, access: Access, guard: Guard | None = None) -> str | None:
    """Why this person may not do this here (kind words), or None if they may."""
    refused = access_refusal(ctx, access)
    if refused is None and guard is not None:
        return await guard(ctx)
    return refused


async def check(ctx: Context, access: Access, guard: Guard | None = None) -> None:
    """Refuse kindly (a UserError) unless the person may do this here."""
    refused = await refusal(ctx, access, guard)
    if refused is not None:
        raise UserError(refused)


def fits_chat(command: Command, private: bool) -> bool:
    if command.where is Where.GROUP and private:
        return False
    return not (command.where is Where.PRIVATE and not private)


async def usable_commands(registry: Registry, ctx: Context) -> list[Command]:
    """The commands this person may use in this chat right now."""
    usable = []
    for command in registry.commands.values():
        if not fits_chat(command, ctx.chat.is_private):
            continue
        if command.needs_group and ctx.group is None:
            continue
        if access_refusal(ctx, command.access) is not None:
            continue
        if command.offered is not None and not command.offered(ctx):
            continue
        if command.guard is None or await command.guard(ctx) is None:
            usable.append(command)
    return usable
