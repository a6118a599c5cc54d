"""Everything the group feature says: the standard touchstone, /start and /help, setting up, the
settings, how members describe themselves, the roster and co-chairs, and time zone mistakes."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _, ngettext
from storage.groups import MemberKind, Role

DEFAULT_PRINCIPLES = _(
    "Our touchstone: how we work together.\n"
    "1. Everyone is an equal partner.\n"
    "2. We build our agendas together, from members' ideas.\n"
    "3. Discussion papers invite everyone to share their views.\n"
    "4. We settle issues by voting.\n"
    "5. We each come to at least 8 in every 10 meetings.\n"
    "6. We always ask who has not had a say yet, and think about why.\n"
    "7. We use plain language. When jargon creeps in, we explain it in a glossary.\n"
    "8. We keep a skills bank, so everyone's skills are used.\n"
    "9. Anyone who asks gets support and training.\n"
    "10. Lay members sign off finished projects."
)

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


def roster_heading(group: str, count: int) -> str:
    return ngettext("“{group}” has {count} member.", "“{group}” has {count} members.", count).format(
        group=group, count=count
    )


def roster_line(name: str, role: Role, kind: MemberKind | None) -> str:
    line = _("{name}, co-chair, {kind}.") if role is Role.COCHAIR else _("{name}, {kind}.")
    return line.format(name=name, kind=kind_phrase(kind))



# ---- /start, /help, /cancel ------------------------------------------------------------------------

HELP_HEADING = _("Here is what you can do here:")
STOPPED = _("Okay, I've stopped. Nothing was changed.")
NOTHING_TO_STOP = _("There was nothing to stop.")


def held_messages_intro(name: str, count: int) -> str:
    """/start, before the messages that could not be sent privately earlier."""
    return ngettext(
        "Hello {name}! Here is the message I couldn't send you before.",
        "Hello {name}! Here are the {count} messages I couldn't send you before.",
        count,
    ).format(name=name, count=count)


def hello(name: str) -> str:
    """/start: who Touchstone is and where to begin."""
    return _(
        "Hello {name}! I'm Touchstone. I help lay partner groups work together as equal partners.\n"
        "In your group's chat I help you vote on issues and keep track of who is in the group.\n"
        "Type /help to see what you can do, or /touchstone to read how the group works."
    ).format(name=name)


def help_line(name: str, summary: str) -> str:
    """One command of /help."""
    return _("/{name} — {summary}").format(name=name, summary=summary)


# ---- /setup ----------------------------------------------------------------------------------------

#: The group's name when neither /setup nor the chat gives one.
DEFAULT_GROUP_NAME = _("Our group")
ADMINS_ONLY_SETUP = _("Only an admin of this chat can set it up. Please ask one of the chat's admins to type /setup.")


def already_set_up(group: str) -> str:
    return _("This chat is already set up for the group “{group}”. Type /help to see what you can do.").format(
        group=group
    )


def cochair_because_none(name: str, group: str) -> str:
    """/setup in a group left with no co-chair: the chat admin who typed it takes the role."""
    return _("{name} is now a co-chair of “{group}”, because the group had none.").format(name=name, group=group)


def group_name_too_long(limit: int) -> str:
    return _("Please choose a group name under {limit} characters.").format(limit=limit)


def group_set_up(group: str, name: str) -> str:
    """Posted when a chat becomes a group, above the join buttons."""
    return _(
        "Done! This chat is now the group “{group}”, and {name} is its first co-chair.\n"
        "Everyone: to become a member, choose how you'd describe yourself below, or type /join."
    ).format(group=group, name=name)


# ---- /touchstone -------------------------------------------------------------------------------------

TOUCHSTONE_RESET = _("Done. The group's touchstone is back to the standard wording. Type /touchstone to read it.")
TOUCHSTONE_NEEDS_TEXT = _("Please write the new wording after /touchstone edit. You can use several lines.")
TOUCHSTONE_UPDATED = _("Done. The group's touchstone is updated. Type /touchstone to read it.")


def touchstone_too_long(limit: int) -> str:
    return _("Please keep the touchstone under {limit} characters.").format(limit=limit)


# ---- /settings ---------------------------------------------------------------------------------------

SETTINGS_HEADING = _("These are the group's settings:")
HOW_TO_CHANGE_SETTING = _("To change one, type /settings, the setting's name, then the new value.")


def setting_line(key: str, value: str, summary: str) -> str:
    """One setting: its name, its value as people read it, and what it does."""
    return _("{key} is {value}. {summary}").format(key=key, value=value, summary=summary)


def no_such_setting(key: str) -> str:
    return _("There is no setting called “{key}”. Type /settings to see them all.").format(key=key)


def setting_changed(key: str, value: str) -> str:
    return _("Done. {key} is now {value}.").format(key=key, value=value)


# ---- the roster: joining, leaving, co-chairs -----------------------------------------------------------

JOIN_CHOOSE_KIND = _("Welcome! How would you describe yourself in this group? Choose one below.")
STALE_JOIN_BUTTON = _("That button no longer works. Please type /join to try again.")
WELCOME_TOAST = _("Welcome! You're now a member.")
ONLY_COCHAIR_CANNOT_LEAVE = _(
    "You're the only co-chair, and a group always needs one. "
    "Please make someone else a co-chair first with /cochair add and their name."
)
COCHAIR_ADD_NEEDS_NAME = _("Please add the member's name. For example: /cochair add Sam")


def already_member(kind: MemberKind | None) -> str:
    """/join from someone already on the roster, above the join buttons."""
    return _("You're already a member, listed as {kind}. If that's not right, choose again below.").format(
        kind=kind_phrase(kind)
    )


def welcome(name: str, group: str, kind: MemberKind) -> str:
    return _("Welcome, {name}! You're now a member of “{group}”, as {kind}.").format(
        name=name, group=group, kind=kind_phrase(kind)
    )


def already_member_toast(kind: MemberKind) -> str:
    return _("You're already a member, as {kind}.").format(kind=kind_phrase(kind))


def relisted_toast(kind: MemberKind) -> str:
    """Toast to someone who changed how they are listed."""
    return _("Done. You're now listed as {kind}.").format(kind=kind_phrase(kind))


def relisted(name: str, kind: MemberKind) -> str:
    """Told to the group when someone changes how they are listed."""
    return _("{name} is now listed as {kind}.").format(name=name, kind=kind_phrase(kind))


def left_group(name: str, group: str) -> str:
    return _("{name} has left “{group}”. You're welcome back any time: just type /join.").format(
        name=name, group=group
    )


def already_cochair(name: str) -> str:
    return _("{name} is already a co-chair.").format(name=name)


def now_cochair(name: str) -> str:
    return _("Done. {name} is now a co-chair.").format(name=name)


def not_a_cochair(name: str) -> str:
    return _("{name} is not a co-chair.").format(name=name)


def only_cochair_cannot_step_down(name: str) -> str:
    return _("{name} is the only co-chair, and a group always needs one. Please add another co-chair first.").format(
        name=name
    )


def no_longer_cochair(name: str) -> str:
    return _("Done. {name} is no longer a co-chair.").format(name=name)


# ---- time zones ----------------------------------------------------------------------------------------


def unknown_time_zone_did_you_mean(zone: str, close: Sequence[str]) -> str:
    """A time zone we don't know, with the nearest names we do."""
    return _("I don't know the time zone “{zone}”. Did you mean {close}?").format(zone=zone, close=" or ".join(close))


def unknown_time_zone(zone: str) -> str:
    return _("I don't know the time zone “{zone}”. Please write it like Europe/London.").format(zone=zone)
