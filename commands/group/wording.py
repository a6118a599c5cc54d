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
    return ngettext(
        "Please choose a group name under {limit} character.",
        "Please choose a group name under {limit} characters.",
        limit,
    ).format(limit=limit)


def group_set_up(group: str, name: str) -> str:
    """Posted when a chat becomes a group, above the join buttons."""
    return _(
        "Done! This chat is now the group “{group}”, and {name} is its first co-chair.\n"
        "Everyone: to become a member, choose how you'd describe yourself below, or type /join."
    ).format(group=group, name=name)


# ---- /touchstone -------------------------------------------------------------------------------------

TOUCHSTONE_RESET = _(
    "Done. The group's touchstone is back to the standard wording. "
    "Type /touchstone restore to bring back the wording before."
)
TOUCHSTONE_NEEDS_TEXT = _(
    "Please write the words after /touchstone edit. To change one principle, start with its number, "
    "like /touchstone edit 3. We share papers a week ahead."
)
TOUCHSTONE_ADD_NEEDS_TEXT = _("Please write the new principle after /touchstone add.")
TOUCHSTONE_REPLACED = _(
    "Done. The touchstone is replaced. Type /touchstone to read it, or /touchstone restore to bring back the old one."
)
TOUCHSTONE_RESTORED = _("Done. The touchstone is back to how it was before the last change.")
TOUCHSTONE_NOTHING_TO_RESTORE = _("There is no earlier wording to bring back.")
TOUCHSTONE_CHANGE_STOPPED = _("Okay, I've left the touchstone as it was.")
TOUCHSTONE_CHANGE_GONE = _("That change was stopped or has expired. Type /touchstone edit again if you still want it.")
REPLACE_ALL_BUTTON = _("Replace all of it")
CANCEL_BUTTON = _("Cancel")


def principle_changed(number: int, text: str) -> str:
    """After a principle was changed or added; the others stay as they were."""
    return _("Done. Principle {number} is now: {text} The other principles are unchanged.").format(
        number=number, text=text
    )


def add_as_button(number: int) -> str:
    return _("Add it as principle {number}").format(number=number)


def confirm_replace(count: int, number: int) -> str:
    """Asked before new words replace every principle."""
    return ngettext(
        "This would replace all {count} principle of the touchstone with your words. "
        "Do you want to replace it, or add your words as principle {number}?",
        "This would replace all {count} principles of the touchstone with your words. "
        "Do you want to replace all of them, or add your words as principle {number}?",
        count,
    ).format(count=count, number=number)


def no_such_principle(number: int, count: int) -> str:
    return ngettext(
        "There is no principle {number}: the touchstone has {count} principle. "
        "To add one, type /touchstone add and the words.",
        "There is no principle {number}: the touchstone has {count} principles. "
        "To add one, type /touchstone add and the words.",
        count,
    ).format(number=number, count=count)


def touchstone_too_long(limit: int) -> str:
    return ngettext(
        "Please keep the touchstone under {limit} character.",
        "Please keep the touchstone under {limit} characters.",
        limit,
    ).format(limit=limit)


# ---- /settings ---------------------------------------------------------------------------------------

SETTINGS_HEADING = _("These are the group's settings:")
HOW_TO_CHANGE_SETTING = _("Press a button to change one, or type what you want, like /settings time zone Europe/Paris.")
STALE_SETTING_BUTTON = _("That button no longer works. Type /settings to see the settings.")


def no_such_setting(typed: str) -> str:
    return _("I don't know a setting called “{typed}”. Type /settings to see them all.").format(typed=typed)


def setting_changed(sentence: str) -> str:
    """After a change: the setting as it now reads ("Done. Any member can start a vote.")."""
    return _("Done. {sentence}").format(sentence=sentence)


def change_button(title: str) -> str:
    return _("Change: {title}").format(title=title.lower())


def ask_setting_value(title: str) -> str:
    return _("Please type the new setting for “{title}”. (Type /cancel to stop.)").format(title=title.lower())


MY_SETTINGS_HEADING = _("These are your own settings:")
NO_MY_SETTINGS = _("There is nothing for you to set up yet.")
STALE_MY_SETTING_BUTTON = _("That button no longer works. Type /mysettings to see your settings.")


def no_such_my_setting(typed: str) -> str:
    return _("I don't know a setting of yours called “{typed}”. Type /mysettings to see them.").format(typed=typed)


# ---- the group's own settings --------------------------------------------------------------------------

TIME_ZONE_TITLE = _("Time zone")
TIME_ZONE_SUMMARY = _("The time zone for dates and times, like Europe/London.")


def time_zone_sentence(zone: str) -> str:
    return _("Dates and times are shown in {zone} time.").format(zone=zone)


# ---- the roster: joining, leaving, co-chairs -----------------------------------------------------------

JOIN_CHOOSE_KIND = _("Welcome! How would you describe yourself in this group? Choose one below.")
STALE_JOIN_BUTTON = _("That button no longer works. Please type /join to try again.")
ONLY_COCHAIR_CANNOT_LEAVE = _(
    "You're the only co-chair, and a group always needs one. "
    "Please make someone else a co-chair first with /cochair add and their name."
)


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
    return _("{name} has left “{group}”. You're welcome back any time: just type /join.").format(name=name, group=group)


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


def how_to_hide(kinds: list[str]) -> str:
    if not kinds:
        return _("There is nothing anonymous here that can be hidden.")
    return _("Please say which anonymous post to hide: {kinds}.").format(kinds="; ".join(kinds))


def nothing_to_hide(kind: str, number: str) -> str:
    return _("There is no anonymous {kind} {number} in this group to hide.").format(kind=kind, number=number)


def already_hidden(kind: str, number: str) -> str:
    return _("{Kind} {number} is hidden already. Nothing has changed.").format(Kind=kind.capitalize(), number=number)


def post_hidden(kind: str, number: str) -> str:
    return _("Done. {kind} {number} now reads “(hidden by a co-chair)”, and the hiding is noted in the log.").format(
        kind=kind.capitalize(), number=number
    )
