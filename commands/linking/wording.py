"""Everything linking says."""

from __future__ import annotations

from bot.i18n import _

CODE_PART = _("The code you were given")
NOT_HERE_CHAT = _("Please type /linkchat in the group's chat, not privately.")
NOT_HERE_ME = _("Please send /linkme to me in a private message, not in the group.")
CHAT_ADMINS_ONLY = _("Only an admin of this chat can link it to a group.")
WRONG_CODE = _(
    "That code doesn't work: it may be mistyped, used already, or older than 10 minutes. Please ask for a new one."
)
TOO_MANY = _("That's too many codes that didn't work. Please wait an hour, then ask for a new code.")
PERSON_CODE_HERE = _("That code is for linking your own accounts. Please send /linkme with it to me privately.")
CHAT_CODE_PRIVATELY = _("That code is for linking a chat. Please type /linkchat with it in the other group chat.")
SAME_PERSON = _("Those accounts are already one person.")
ONLY_CHAT = _("This is the group's only chat, so it can't be unlinked. A group needs one chat.")
ONE_ACCOUNT = _("You have only this account with me, so there is nothing to separate.")
NEED_GROUP = _("Please type /linkchat in the chat of the group you want to link, to get a code.")


def chat_code(code: str, group: str) -> str:
    return _(
        "Your code is {code}. In the other chat, an admin of that chat types /linkchat {code} within 10 minutes, and "
        "it joins “{group}”. The code works once."
    ).format(code=code, group=group)


def person_code(code: str) -> str:
    return _(
        "Your code is {code}. From your other account, send /linkme {code} to me privately within 10 minutes. Both "
        "accounts then count as one person. The code works once."
    ).format(code=code)


def already_in(group: str) -> str:
    return _("This chat already belongs to “{group}”. /unlink here first if it should move.").format(group=group)


def linked_here(group: str) -> str:
    return _(
        "Done. This chat is now part of “{group}”. Votes, reminders, agendas and papers go to all of its chats, and "
        "everyone counts once."
    ).format(group=group)


def linked_there(title: str, platform: str) -> str:
    return _("A {platform} chat, “{title}”, is now part of this group too.").format(
        platform=platform.capitalize(), title=title or platform
    )


def people_linked(name: str, dropped: int) -> str:
    text = _("Done. Your accounts are now one person, {name}.").format(name=name)
    if dropped:
        text += " " + _(
            "Where both accounts had done the same thing once (voted in the same vote, joined the same group), I "
            "kept what your first account did."
        )
    return text


def unlinked_chat(group: str) -> str:
    return _("This chat is no longer part of “{group}”. The group's history stays.").format(group=group)


UNLINKED_ME = _("Done. This account is a person of its own again, still a member of your groups.")

PLATFORM_TITLE = _("Private messages on")
PLATFORM_SUMMARY = _("Which app I send your private messages to, if you use me on both")
PICK_PLATFORM = _("Please choose Telegram, Discord, or where you last wrote to me.")


def platform_described(value: str) -> str:
    if value in ("telegram", "discord"):
        return _("Your private messages come on {platform}.").format(platform=value.capitalize())
    return _("Your private messages come where you last wrote to me privately.")
