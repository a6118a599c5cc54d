"""Finding the member a command names: by the account the platform picked (a Discord user option),
by @handle, or by name (exact, then a unique beginning)."""

from __future__ import annotations

from bot.context import Context, Member
from bot.errors import UserError
from bot.i18n import _
from bot.text import clean_text
from bot.types import UserRef
from storage import groups


async def find_member(ctx: Context, typed: str, picked: UserRef | None = None) -> Member:
    """The active member of the context's group meant by `typed` (or `picked`); kind errors otherwise."""
    group = ctx.require_group()
    wanted = clean_text(typed)
    entries = await groups.member_accounts(ctx.session, group.id)
    if picked is not None:
        found = {e.person_id: e for e, a in entries if (a.platform, a.user_id) == (picked.platform, picked.id)}
        if not found:
            raise UserError(
                _("{name} isn't a member of this group yet. They can type /join to join.").format(
                    name=clean_text(picked.display_name)[:40] or wanted[:40]
                )
            )
    elif wanted.startswith("@"):
        handle = wanted[1:].casefold()
        found = {e.person_id: e for e, a in entries if (a.handle or "").casefold() == handle}
    else:
        folded = wanted.casefold()
        found = {e.person_id: e for e, _a in entries if e.name.casefold() == folded}
        if not found:
            found = {e.person_id: e for e, _a in entries if e.name.casefold().startswith(folded)}
    if len(found) == 1:
        entry = next(iter(found.values()))
        return Member(entry.person_id, entry.name)
    if not found:
        raise UserError(
            _("I can't find a member called “{name}”. Type /members to see everyone's names.").format(name=wanted[:40])
        )
    names = ", ".join(sorted(e.name for e in found.values()))
    raise UserError(
        _("More than one member matches “{name}”: {names}. Please type the full name.").format(
            name=wanted[:40], names=names
        )
    )
