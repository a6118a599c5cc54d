"""Everything people's data rights say."""

from __future__ import annotations

from bot.i18n import _, ngettext

PRIVATELY = _("Please send this to me in a private message, so only you see it.")
YES_FORGET = _("Yes, forget me")
NO_KEEP = _("No, keep me")
ASK_FORGET = _(
    "Shall I forget you? I'll erase your name, your accounts, your skills, your private messages and requests, and "
    "take you out of every group. Your votes in closed votes stay in the totals, tied to nobody. This can't be undone."
)
KEPT = _("That's fine. I haven't changed anything.")
FORGOTTEN = _("Done. I've forgotten you. Thank you for taking part, and you're welcome back any time.")
MEMBER_LEFT = _("A member has left the group.")
STALE = _("That button no longer works. Please type /forgetme again.")


def summary(counts: dict[str, int]) -> str:
    lines = [_("Here is everything I hold about you, in the file. In short:")]
    for what, n in counts.items():
        if n:
            lines.append(ngettext("{what}: {n} record.", "{what}: {n} records.", n).format(what=what, n=n))
    return "\n".join(lines)


def last_cochair(group: str) -> str:
    return _(
        "You're the only co-chair of “{group}”. Please make someone else a co-chair first (/cochair add NAME), "
        "then ask me again."
    ).format(group=group)
