"""Everything the skills bank says."""

from __future__ import annotations

from bot.i18n import _, ngettext

SKILL_PART = _("A skill, in your own words")
SEARCH_PART = _("What you're looking for")
NO_WORDS = _("Please tell me the skill in words, like: /offer I'm good with spreadsheets.")
TOO_LONG = _("That's a long one. Please keep a skill to 200 characters.")
NOBODY_YET = _("Nobody has offered a skill yet. /offer adds yours, like: /offer I can design leaflets.")
NO_SKILLS = _("You haven't offered any skills yet. /offer adds one, like: /offer I can take notes in meetings.")
REMOVE = _("Remove")
STALE = _("That button no longer works. Please type /myskills to see your skills.")
ASK_MATCHED_YES = _("Yes, ask them")
ASK_MATCHED_NO = _("No, just the co-chairs")
CAN_HELP = _("I can help")
INTRODUCE = _("Yes, introduce us")
NO_THANKS = _("No, thank you")
NOT_YOURS = _("That button was for someone else.")
ONLY_CO_CHAIRS = _("That's fine. The co-chairs have your request and will be in touch.")
NOBODY_WITH_SKILLS = _("Nobody in the group has offered skills yet, so the co-chairs will help you.")
THANKS_OFFER = _("Thank you. I've asked them whether they'd like an introduction.")
ALREADY = _("You've offered already. Thank you.")
OWN_REQUEST = _("That's your own request.")
DECLINED = _("That's fine. Nobody else has been told.")
RELAYED_NOTE = _("Reply to this message and I'll pass it on.")


def offered(text: str, tags: list[str]) -> str:
    kinds = ", ".join(t.replace("_", " ") for t in tags[:4])
    return _("Thank you. I've added “{text}” to your skills ({kinds}).").format(text=text, kinds=kinds)


def already(text: str) -> str:
    return _("You've already offered “{text}”.").format(text=text)


def removed(text: str) -> str:
    return _("Done. “{text}” is no longer in your skills.").format(text=text)


def member_line(name: str, skills: list[str]) -> str:
    return _("{name}: {skills}.").format(name=name, skills="; ".join(skills))


def listing(lines: list[str]) -> str:
    return _("The group's skills bank:") + "\n" + "\n".join(lines)


def found(search: str, lines: list[str]) -> str:
    return _("Members whose skills may fit “{search}”:").format(search=search) + "\n" + "\n".join(lines)


def none_found(search: str) -> str:
    return _("Nobody has offered a skill like “{search}” yet. /askhelp asks the co-chairs.").format(search=search)


def mine(lines: list[str]) -> str:
    return _("Your skills:") + "\n" + "\n".join(lines)


def ask_matched(count: int) -> str:
    return ngettext(
        "{n} member has offered skills that may fit. Shall I post your request in the group and ask them "
        "privately whether they can help?",
        "{n} members have offered skills that may fit. Shall I post your request in the group and ask them "
        "privately whether they can help?",
        count,
    ).format(n=count)


def posted(name: str, text: str) -> str:
    return _("{name} would like some help: {text}\nIf you can help, please press the button.").format(
        name=name, text=text
    )


def invited(name: str, text: str) -> str:
    return _("{name} would like some help, and your skills may fit: {text}\nCan you help?").format(name=name, text=text)


def asked_them(count: int) -> str:
    return ngettext(
        "Done. I've posted it in the group and asked {n} member privately.",
        "Done. I've posted it in the group and asked {n} members privately.",
        count,
    ).format(n=count)


def offer_to_asker(helper: str, text: str) -> str:
    return _("{helper} can help with “{text}”. Shall I introduce you?").format(helper=helper, text=text)


def introduction(other: str, reach: str | None, text: str) -> str:
    about = _("about “{text}”").format(text=text)
    if reach:
        return _("Meet {other}, {about}. You can reach them at {reach}.").format(other=other, about=about, reach=reach)
    return _("Meet {other}, {about}. {note}").format(other=other, about=about, note=RELAYED_NOTE)


def relayed(name: str, text: str) -> str:
    return _("From {name}: {text}").format(name=name, text=text)


PASSED_ON = _("Passed on.")
