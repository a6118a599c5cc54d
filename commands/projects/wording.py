"""Everything the projects feature says."""

from __future__ import annotations

from bot.i18n import _, ngettext

TITLE_PART = _("The project's name")
LEAD_PART = _("Who leads it")
REVIEW_PART = _("When to look back on it, like 1 March")
NUMBER_PART = _("The project's number")
LESSON_PART = _("What you learned")
NO_TITLE = _("Please give the project a name, like: /project Hospital transport | Sam | 1 March.")
NONE_YET = _("The group has no projects yet. A co-chair adds one with /project.")
ONLY_LEAD = _("Only the project's lead or a co-chair can ask for sign-off.")
EMPTY_LESSON = _("Please write what you learned after the number, like: /learned 2 Ask carers first.")
THANKS_LESSON = _("Thank you. Your words are part of what the group learned.")


def no_such(number: int) -> str:
    return _("There is no project {number} in this group. /projects lists them.").format(number=number)


def review_passed(when: str) -> str:
    return _("{when} has already passed. Please choose a review date ahead.").format(when=when)


def added(number: int, title: str, lead: str | None, review: str | None) -> str:
    parts = [_("Done. Project {number}: {title}.").format(number=number, title=title)]
    if lead:
        parts.append(_("{lead} leads it.").format(lead=lead))
    if review:
        parts.append(_("On {review} I'll ask the group what we learned.").format(review=review))
    return " ".join(parts)


def line(number: int, title: str, lead: str | None, status: str, review: str | None) -> str:
    text = _("Project {number}: {title}.").format(number=number, title=title)
    if lead:
        text += " " + _("Led by {lead}.").format(lead=lead)
    text += " " + status
    if review:
        text += " " + _("Review on {review}.").format(review=review)
    return text


ACTIVE = _("Under way.")
SIGNING = _("Waiting for lay partners to sign it off.")


def complete(when: str) -> str:
    return _("Signed off by lay partners on {when}.").format(when=when)


def already(number: int, status: str) -> str:
    return _("Project {number} can't be signed off again: {status}").format(number=number, status=status)


def sign_off_question(number: int, title: str) -> str:
    return _("Lay partners: is project {number}, “{title}”, complete? Sign it off with Yes.").format(
        number=number, title=title
    )


def sign_off_asked(number: int, when: str) -> str:
    return _(
        "Done. Lay partners are asked to sign off project {number}. The vote closes on {when}; it needs half "
        "of them to vote."
    ).format(number=number, when=when)


def signed_off(number: int, title: str) -> str:
    return _("Lay partners signed off project {number}, “{title}”. It is complete. Thank you, everyone.").format(
        number=number, title=title
    )


def not_signed_off(number: int, result: str) -> str:
    return _(
        "Project {number} was not signed off. {result} It stays open; it can be put to lay partners again."
    ).format(number=number, result=result)


def what_did_we_learn(number: int, title: str, until: str) -> str:
    return _(
        "Project {number}, “{title}”, has reached its review date. What did we learn? Please reply to this "
        "message, or send /learned {number} and your words to me privately, until {until}."
    ).format(number=number, title=title, until=until)


def not_asking(number: int) -> str:
    return _("Project {number} isn't asking what we learned just now.").format(number=number)


def evaluation(number: int, title: str, lines: list[str], people: int) -> str:
    if not lines:
        return _("Project {number}, “{title}”: nobody shared what we learned this time.").format(
            number=number, title=title
        )
    head = ngettext(
        "What we learned from project {number}, “{title}”, from {people} member:",
        "What we learned from project {number}, “{title}”, from {people} members:",
        people,
    ).format(number=number, title=title, people=people)
    return head + "\n" + "\n".join(lines)


def lesson_line(name: str | None, text: str) -> str:
    return _("{name}: {text}").format(name=name or _("A member who has since left"), text=text)
