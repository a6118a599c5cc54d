"""Everything the agenda feature says, marked for translation. Short, plain and kind; lists read as sentences."""

from __future__ import annotations

from bot.i18n import _, ngettext

ITEM_PART = _("The item")
NOTE_PART = _("A note or link")
HOW_TO_PROPOSE = _("Please say what you'd like on the agenda, like “/propose Transport to the hospital”.")
ITEM_TOO_SHORT = _("Please describe the item in a few words, like “Transport to the hospital”.")
ANONYMOUS_ONLY_PRIVATELY = _(
    "To propose an item without your name, send /propose to me in a private message. "
    "Here, everyone can see who typed it."
)
ASK_NAMED = _("Shall I post this with your name, or as “A member proposes”?")
WITH_MY_NAME = _("With my name")
WITHOUT_MY_NAME = _("Without my name")
PROPOSE_ANYWAY = _("Propose mine anyway")
STALE_BUTTON = _("That button no longer works. Type /agenda to see the agenda.")
ALREADY_ANSWERED = _("That was already done, or the question has expired. Please type /propose again if you need to.")
HIDDEN = _("(hidden by a co-chair)")
NO_ITEMS = _("Nothing has been proposed yet. Anyone can propose an item with /propose.")
SUPPORT_BUTTON = _("Support")
NEXT_PAGE = _("Next page")
PREVIOUS_PAGE = _("Previous page")
NOT_OPEN = _("That item is no longer on the agenda, so it can't be supported now.")
CHANGES_HELP = _(
    "Please say what to change, like “/item 4 first”, “/item 4 to 2”, “/item 4 into 7”, “/item 4 defer”, "
    "“/item 4 time 15 minutes” or “/item 4 withdraw”."
)
ONLY_PROPOSER_OR_COCHAIR = _("Only the person who proposed it, or a co-chair, can withdraw an item.")
CANNOT_MERGE_INTO_ITSELF = _("An item can't be merged into itself.")
NO_LATER_MEETING = _("There is no later meeting planned yet, so I can't move it there. Add one with /meeting first.")
TIME_RANGE = _("Please give the time as a number of minutes from 1 to 180, like “/item 4 time 15 minutes”.")


def no_such_item(number: int | str) -> str:
    return _("There is no item {number} on this group's agenda. Type /agenda to see it.").format(number=number)


def proposal_post(who: str | None, title: str, note: str | None, meeting: str | None, supporters: int) -> str:
    """'Sam proposes for the agenda of the meeting on Tuesday 8 December: Transport. 2 people support this.'"""
    if meeting:
        lead = (
            _("{who} proposes for the meeting on {meeting}:").format(who=who, meeting=meeting)
            if who
            else _("A member proposes for the meeting on {meeting}:").format(meeting=meeting)
        )
    else:
        lead = (
            _("{who} proposes for the next meeting:").format(who=who)
            if who
            else _("A member proposes for the next meeting:")
        )
    lines = [f"{lead} {title}"]
    if note:
        lines.append(_("Note: {note}").format(note=note))
    lines.append(support_count(supporters))
    return "\n".join(lines)


def support_count(count: int) -> str:
    if count == 0:
        return _("Nobody supports it yet. Press Support if you do.")
    return ngettext("{count} person supports it.", "{count} people support it.", count).format(count=count)


def proposed(number: int, meeting: str | None) -> str:
    if meeting:
        return _("Thank you. Your item is number {number}, for the meeting on {meeting}.").format(
            number=number, meeting=meeting
        )
    return _("Thank you. Your item is number {number}, for the next meeting once one is planned.").format(number=number)


def proposals_closed(meeting: str, closed: str) -> str:
    return _(
        "Proposals for the meeting on {meeting} closed on {closed}, so I've put it on the agenda of the meeting after."
    ).format(meeting=meeting, closed=closed)


def looks_like(number: int, title: str) -> str:
    return _("That looks like item {number}, “{title}”. Did you mean to support that one?").format(
        number=number, title=title
    )


def support_item_button(number: int) -> str:
    return _("Support item {number}").format(number=number)


def supported(number: int) -> str:
    return _("Thank you, you support item {number}.").format(number=number)


def unsupported(number: int) -> str:
    return _("You no longer support item {number}.").format(number=number)


def agenda_heading(meeting: str, *, published: bool, closes: str | None) -> str:
    if published:
        return _("The agenda for the meeting on {meeting}:").format(meeting=meeting)
    text = _("The draft agenda for the meeting on {meeting}, most supported first:").format(meeting=meeting)
    if closes:
        text += " " + _("(proposals close on {closes})").format(closes=closes)
    return text


UNPLANNED_HEADING = _("Proposed for the next meeting (none is planned yet), most supported first:")


def agenda_line(
    rank: int,
    number: int,
    title: str,
    who: str | None,
    when: str,
    supporters: int,
    minutes: int | None,
    carried: str | None,
) -> str:
    """'1. Item 4: Transport. Proposed by Sam on 3 November; 2 people support it. 15 minutes.'"""
    by = (
        _("Proposed by {who} on {when}").format(who=who, when=when)
        if who
        else _("Proposed by a member on {when}").format(when=when)
    )
    text = _("{rank}. Item {number}: {title}. {by}; {support}").format(
        rank=rank, number=number, title=title, by=by, support=support_words(supporters)
    )
    if minutes:
        text += " " + ngettext("{count} minute.", "{count} minutes.", minutes).format(count=minutes)
    if carried:
        text += " " + _("(Carried over from the meeting on {when}.)").format(when=carried)
    return text


def support_words(count: int) -> str:
    if count == 0:
        return _("no support yet.")
    return ngettext("{count} person supports it.", "{count} people support it.", count).format(count=count)


def page_of(page: int, pages: int) -> str:
    return _("Page {page} of {pages}.").format(page=page, pages=pages)


def moved_to(number: int, position: int) -> str:
    return _("Item {number} is now number {position} on the agenda.").format(number=number, position=position)


def merged(number: int, into: int) -> str:
    return _("Item {number} is merged into item {into}; its supporters now support item {into}.").format(
        number=number, into=into
    )


def deferred(number: int, meeting: str) -> str:
    return _("Item {number} is moved to the meeting on {meeting}.").format(number=number, meeting=meeting)


def timed(number: int, minutes: int) -> str:
    return ngettext("Item {number} has {minutes} minute.", "Item {number} has {minutes} minutes.", minutes).format(
        number=number, minutes=minutes
    )


def withdrawn(number: int) -> str:
    return _("Item {number} is withdrawn from the agenda.").format(number=number)


def hidden_item(number: int) -> str:
    return _("Item {number} is hidden. The hiding is noted in the log.").format(number=number)


def reminder_section(lines: list[str], more: int) -> str:
    text = _("On the agenda: {items}.").format(items="; ".join(lines))
    if more:
        text += " " + ngettext("And {count} more: type /agenda.", "And {count} more: type /agenda.", more).format(
            count=more
        )
    return text


# ---- settings ------------------------------------------------------------------------------------------

PUBLISH_TITLE = _("Agenda publishing")
PUBLISH_SUMMARY = _("How many days before a meeting its agenda is posted (0 for never).")
CLOSE_TITLE = _("Proposals close")
CLOSE_SUMMARY = _("How many days before a meeting proposals for it close.")
DAYS_BAD = _("Please give a whole number of days from 0 to 60, like 7.")


def publish_described(value: str) -> str:
    days = int(value)
    if days == 0:
        return _("The agenda is not posted before meetings; anyone can see it with /agenda.")
    return ngettext(
        "The agenda is posted {count} day before each meeting.",
        "The agenda is posted {count} days before each meeting.",
        days,
    ).format(count=days)


def close_described(value: str) -> str:
    days = int(value)
    if days == 0:
        return _("Proposals stay open until the meeting starts.")
    return ngettext(
        "Proposals for a meeting close {count} day before it.",
        "Proposals for a meeting close {count} days before it.",
        days,
    ).format(count=days)


def close_after_publish(close: int, publish: int) -> str:
    return ngettext(
        "Proposals have to close no later than the agenda is posted ({publish} day before the meeting), "
        "so please choose at least that, or change when the agenda is posted first.",
        "Proposals have to close no later than the agenda is posted ({publish} days before the meeting), "
        "so please choose at least that, or change when the agenda is posted first.",
        publish,
    ).format(publish=publish, close=close)


def publish_before_close(publish: int, close: int) -> str:
    return ngettext(
        "The agenda can't be posted before proposals close ({close} day before the meeting). "
        "Please choose no more than that, or change when proposals close first.",
        "The agenda can't be posted before proposals close ({close} days before the meeting). "
        "Please choose no more than that, or change when proposals close first.",
        close,
    ).format(publish=publish, close=close)


# ---- the meeting itself ----------------------------------------------------------------------------------

NO_LIVE_MEETING = _("There is no meeting under way. A co-chair starts one with /startmeeting.")
NO_MORE_ITEMS = _("That was the last item on the agenda.")
COMMENT_PART = _("Your comment")
ACTION_PART = _("Who will do what")
ACTION_HELP = _("Please say who will do what, like “/action Sam | book the room”.")


def now_on(position: int, total: int, number: int, title: str, minutes: int | None) -> str:
    text = _("Now item {position} of {total}: item {number}, {title}.").format(
        position=position, total=total, number=number, title=title
    )
    if minutes:
        text += " " + ngettext("{count} minute.", "{count} minutes.", minutes).format(count=minutes)
    return text


def comment_relayed(name: str, text: str) -> str:
    return _("Comment from {name}: {text}").format(name=name, text=text)


COMMENT_NOTED = _("Thank you. Your comment is shared with the meeting and kept in its record.")


def action_noted(who: str, what: str) -> str:
    return _("Action: {who} will {what}.").format(who=who, what=what)


def minutes_item(number: int, title: str) -> str:
    return _("Item {number}: {title}.").format(number=number, title=title)


def minutes_comment(name: str, text: str) -> str:
    return _("Comment from {name}: {text}").format(name=name, text=text)


def minutes_decision(text: str) -> str:
    return _("Decision: {text}").format(text=text)


def minutes_action(text: str) -> str:
    return _("Action: {text}").format(text=text)


def minutes_not_reached(titles: list[str]) -> str:
    return _("Not reached, carried over to the next meeting: {titles}.").format(titles="; ".join(titles))


def vote_during(question: str) -> str:
    return _("a vote on “{question}” was started.").format(question=question)
