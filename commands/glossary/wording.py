"""Everything the glossary says."""

from __future__ import annotations

from bot.i18n import _, ngettext

TERM_PART = _("The word or letters to look up")
CHANGE_PART = _("A page number, or add, edit, remove or history")
PLAIN_PART = _("The text to check")

DID_YOU_MEAN = _("I'm not sure which word you mean. Did you mean one of these?")
EMPTY_GLOSSARY = _("The glossary is empty. Add a word with /glossary add word | what it means | an example.")
HOW_TO_CHANGE = _(
    "To add a word: /glossary add word | what it means | an example. To improve one: /glossary edit word | "
    "better words | an example. To see who changed one: /glossary history word."
)
EMPTY_TERM = _("Please type the word first, then | and what it means.")
EMPTY_MEANING = _("Please add what the word means after a |, like: /glossary add ICB | the NHS body that plans care.")
NO_LETTERS = _("A word in the glossary needs at least one letter or number.")
NEXT_PAGE = _("Next page")
PREVIOUS_PAGE = _("Previous page")
STALE = _("That button no longer works. Please type /glossary to start again.")
FROM_SEED = _("From Touchstone's starting glossary, written in plain words.")

SEED_TITLE = _("Starting glossary")
SEED_SUMMARY = _("Whether the glossary includes Touchstone's {n} health and care words, which the group can edit")
JARGON_TITLE = _("Jargon watch")
JARGON_SUMMARY = _(
    "Whether I explain glossary words when they come up in the group's chat (on Discord only where "
    "DISCORD_MESSAGE_CONTENT is on; on Telegram only with privacy mode off or me as an admin)"
)
EXPLAIN_TITLE = _("Explanations of jargon")
EXPLAIN_SUMMARY = _("Whether I explain glossary words that come up in what you write in the group")


def seed_described(value: str) -> str:
    if value == "no":
        return _("The glossary has only the group's own words.")
    return _("The glossary starts with Touchstone's health and care words; the group can edit any of them.")


def jargon_described(value: str) -> str:
    if value == "no":
        return _("I don't explain words in the group's chat.")
    return _("I explain glossary words once a day when they come up in the group's chat.")


def explain_described(value: str) -> str:
    if value == "no":
        return _("I don't explain words that come up in what you write.")
    return _("I may explain a glossary word that comes up in what you write, once.")


def definition(title: str, meaning: str, example: str) -> str:
    text = _("{title}: {meaning}").format(title=title, meaning=meaning.rstrip())
    if example:
        text += "\n" + _("For example: {example}").format(example=example)
    return text


def not_found(typed: str) -> str:
    return _(
        "“{typed}” isn't in the glossary yet. If you know what it means, please add it: "
        "/glossary add {typed} | what it means | an example."
    ).format(typed=typed)


def page_heading(page: int, pages: int, count: int) -> str:
    return ngettext(
        "The glossary, {count} word, A to Z (page {page} of {pages}):",
        "The glossary, {count} words, A to Z (page {page} of {pages}):",
        count,
    ).format(count=count, page=page, pages=pages)


def too_long(what: str, limit: int) -> str:
    return ngettext(
        "The {what} is too long. Please keep it to {limit} character.",
        "The {what} is too long. Please keep it to {limit} characters.",
        limit,
    ).format(what=what, limit=limit)


def already_there(term: str) -> str:
    return _(
        "The glossary already has “{term}”. To improve it, type: /glossary edit {term} | better words | an example."
    ).format(term=term)


def not_there(typed: str) -> str:
    return _("“{typed}” isn't in the glossary, so there is nothing to change.").format(typed=typed)


def added(term: str) -> str:
    return _("Thank you. “{term}” is now in the glossary.").format(term=term)


def improved(term: str) -> str:
    return _("Thank you. “{term}” now has your words. /glossary history {term} shows every change.").format(term=term)


def removed(term: str) -> str:
    return _("“{term}” is no longer in the glossary.").format(term=term)


def change_line(action: str, name: str | None, when: str, meaning: str) -> str:
    who = name or _("someone who has since left")
    verbs = {"added": _("Added"), "improved": _("Improved"), "removed": _("Removed")}
    return _("{verb} by {who} on {when}: {meaning}").format(
        verb=verbs.get(action, action), who=who, when=when, meaning=meaning
    )


def explained(lines: list[str]) -> str:
    return _("In case it helps:") + "\n" + "\n".join(lines)


def explain_line(title: str, meaning: str) -> str:
    return _("{title}: {meaning}").format(title=title, meaning=meaning.rstrip())


def terms_used(terms: list[str]) -> str:
    return _("Glossary words used: {terms}.").format(terms=", ".join(terms))
