"""Everything "every voice heard" says, marked for translation. Kind, plain, never a judgement."""

from __future__ import annotations

from bot.i18n import _, ngettext

WINDOW_PART = _("Since when, or about what")
WINDOW_HELP = _("Try “since the last meeting”, “30 days”, “vote 3”, “paper 2” or “meeting”.")
NO_MEETING_YET = _("There hasn't been a meeting yet, so I looked at the last 30 days instead.")
NO_MEETING_HELD = _("There hasn't been a meeting yet. Try “30 days” instead.")
EVERYONE_HEARD = _("Everyone has taken part. Thank you all.")
CAN_NOT_SEE = _(
    "This is based on what I can see: on Telegram I can't see ordinary messages in the group while my privacy "
    "mode is on, so those aren't counted. (In @BotFather: /setprivacy, Disable, then remove me from the group "
    "and add me back, or make me an admin.)"
)
BASED_ON = _("This is based on what I can see; anonymous acts are never counted for anyone.")
INVITE_BUTTON = _("Invite them kindly")
SHARE_BUTTON = _("Share my view")
SHARE_ANON_BUTTON = _("Share without my name")
LISTENING_BUTTON = _("I'm happy listening")
HELP_BUTTON = _("I'd like some help")
STALE_BUTTON = _("That button no longer works. Please ask a co-chair, or type /help.")
EMPTY_TEXT = _("Please type a few words.")
TOO_LONG = _("Please keep it under 2,000 characters.")
LISTENING_NOTED = _("That's fine. Listening is taking part too. I won't ask you about this again.")
ALREADY_ANSWERED = _("You've already answered this invitation. Thank you.")
ANONYMOUS_ONLY_PRIVATELY = _(
    "To say something without your name, send /anonymous to me in a private message. "
    "Here, everyone can see who typed it."
)
ANONYMOUS_PART = _("What you'd like to say")
ANONYMOUS_SENT = _(
    "Done. I've posted it in the group as “A member says”. Nothing in the group's records links it to you; "
    "whoever runs the bot can see its server logs, but your words are never written there."
)
HIDDEN = _("(hidden by a co-chair)")
HELP_PART = _("What you need")
HELP_SENT = _("Thank you for asking. I've told the co-chairs; you'll hear who is helping.")
TAKE_BUTTON = _("I'll take this")
DONE_BUTTON = _("Done")
NO_OPEN_REQUESTS = _("There are no open requests for help.")
REQUESTS_HEADING = _("Open requests for help:")
REQUEST_ALREADY_DONE = _("That request is already done.")
TURN_OFF_INVITES = _("(Type /mysettings to stop these invitations.)")
INVITES_TITLE = _("Invitations to take part")
INVITES_SUMMARY = _("Whether I may invite you privately when you haven't had a chance to take part (yes or no).")
ROLES_TITLE = _("Meeting roles")
ROLES_SUMMARY = _("The roles people take in turn at meetings, separated by commas.")
ROLES_BAD = _("Please give between one and eight roles, separated by commas, like “chair, note-taker, timekeeper”.")
NO_NEXT_MEETING = _("There is no meeting planned yet. Add one with /meeting, then the roles can be shared out.")
ROLES_HELP = _(
    "Type /roles to see the roles; “/roles optout note-taker” or “/roles optin note-taker” for yourself; "
    "co-chairs can “/roles set chair, note-taker, timekeeper”."
)
PULSE_YES = _("Yes")
PULSE_PARTLY = _("Partly")
PULSE_NO = _("No")
PULSE_THANKS = _("Thank you. Your answer is counted without your name.")
PULSE_ALREADY = _("You've already answered. Thank you.")
NO_PULSE_YET = _("No one has answered “Did you feel heard?” yet. I ask after each meeting.")
REPORT_CHART_NOTE = _("The chart shows the same figures as a picture, and the table file has the numbers.")


def cannot_read_window(typed: str) -> str:
    return _("I couldn't read “{typed}”. {help}").format(typed=typed, help=WINDOW_HELP)


def no_such_vote(number: str) -> str:
    return _("There is no vote {number} in this group.").format(number=number)


def anonymous_vote(number: int) -> str:
    return _("Vote {number} is anonymous, so I can't say who took part in it: that would show who voted.").format(
        number=number
    )


def no_such_paper(number: str) -> str:
    return _("There is no discussion paper {number} in this group.").format(number=number)


def no_such_meeting(number: str) -> str:
    return _("There is no meeting {number} in this group.").format(number=number)


TOPIC_LATELY = _("the group's conversation lately")


def topic_vote(number: int, question: str) -> str:
    return _("vote {number}, “{question}”").format(number=number, question=question)


def topic_paper(number: int, title: str) -> str:
    return _("discussion paper {number}, “{title}”").format(number=number, title=title)


def topic_meeting(when: str) -> str:
    return _("the meeting on {when}").format(when=when)


def since_meeting(when: str) -> str:
    return _("since the meeting on {when}").format(when=when)


def in_days(days: int) -> str:
    return ngettext("in the last {count} day", "in the last {count} days", days).format(count=days)


def on_vote(number: int, question: str) -> str:
    return _("on vote {number}, “{question}”").format(number=number, question=question)


def on_paper(number: int, title: str) -> str:
    return _("on discussion paper {number}, “{title}”").format(number=number, title=title)


def at_meeting(when: str) -> str:
    return _("at the meeting on {when}").format(when=when)


def heading(about: str) -> str:
    return _("Who hasn't taken part {about}:").format(about=about)


def not_heard(names: list[str]) -> str:
    return _("Not heard from yet: {names}.").format(names=and_list(names))


def only_voted(names: list[str]) -> str:
    return _("Only voted: {names}.").format(names=and_list(names))


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def facts_line(name: str, facts: list[str]) -> str:
    return _("{name}: {facts}.").format(name=name, facts="; ".join(facts))


def joined_on(when: str) -> str:
    return _("joined on {when}").format(when=when)


def apologies_for(when: str) -> str:
    return _("sent apologies for the meeting on {when}").format(when=when)


def missed_meetings(missed: int, of: int) -> str:
    return ngettext("missed {missed} of the last {of} meeting", "missed {missed} of the last {of} meetings", of).format(
        missed=missed, of=of
    )


NO_PRIVATE_CHAT = _("hasn't opened a private chat with me yet, so I can only invite them through the group")


def mostly(kind: str, count: int) -> str:
    return ngettext(
        "took part {count} time in the last 90 days, mostly by {kind}",
        "took part {count} times in the last 90 days, mostly by {kind}",
        count,
    ).format(count=count, kind=kind)


KIND_WORDS = {
    "message": _("messages in the chat"),
    "ballot": _("voting"),
    "view": _("sharing views"),
    "proposal": _("proposing agenda items"),
    "support": _("supporting agenda items"),
    "comment": _("comments at meetings"),
    "hand": _("speaking at meetings"),
    "checkin": _("checking in to meetings"),
    "thread_message": _("messages in a paper's thread"),
}


def consider_heading() -> str:
    return _("Things that may explain it (facts, not judgements):")


def invitation(name: str, about: str) -> str:
    return _(
        "Hello {name}. We'd love to hear from you about {about}. There's no pressure: you can share a view "
        "here, with or without your name, or just listen. If you've already shared without your name, please "
        "ignore this."
    ).format(name=name, about=about)


def invitations_sent(sent: int, skipped: int) -> str:
    text = ngettext(
        "I've sent a kind invitation to {count} member.", "I've sent a kind invitation to {count} members.", sent
    ).format(count=sent)
    if skipped:
        text += " " + ngettext(
            "{count} was left out: invited already, happy listening, or asked not to be invited.",
            "{count} were left out: invited already, happy listening, or asked not to be invited.",
            skipped,
        ).format(count=skipped)
    return text


NOBODY_TO_INVITE = _("Everyone has taken part, so there is nobody to invite.")
UNREACHED_HINT = _(
    "Some members haven't opened a private chat with me yet, so I couldn't send them a message. If that's "
    "you, press my name and then Start: there may be an invitation waiting."
)


def ask_view(about: str, *, anonymous: bool) -> str:
    if anonymous:
        return _(
            "Please type your view about {about}. I'll share it with the group as “A member says”, without your name. "
            "(Type /cancel to stop.)"
        ).format(about=about)
    return _(
        "Please type your view about {about}. I'll share it with the group with your name. (Type /cancel to stop.)"
    ).format(about=about)


def relayed(name: str, about: str, text: str) -> str:
    return _("{name}'s view about {about}: {text}").format(name=name, about=about, text=text)


def member_says(text: str) -> str:
    return _("A member says: {text}").format(text=text)


def member_says_about(about: str, text: str) -> str:
    return _("A member says, about {about}: {text}").format(about=about, text=text)


SHARED_NAMED = _("Thank you. Your view is shared with the group, with your name.")


def help_from_invitation(about: str) -> str:
    return _("I'd like some help to take part in {about}.").format(about=about)


def help_note(name: str, text: str) -> str:
    return _("{name} asks for help: {text}").format(name=name, text=text)


def help_taken(helper: str) -> str:
    return _("{helper} is helping you with your request. They'll be in touch.").format(helper=helper)


def help_taken_note(number: int, name: str) -> str:
    return _("Thank you. Request {number} from {name} is yours.").format(number=number, name=name)


def help_taken_by(number: int, helper: str) -> str:
    return _("Request {number} is already being helped by {helper}.").format(number=number, helper=helper)


def help_done(helper: str) -> str:
    return _("{helper} marked your request for help as done. We hope it helped; just ask again if not.").format(
        helper=helper
    )


def help_done_note(number: int) -> str:
    return _("Request {number} is marked done. Thank you for helping.").format(number=number)


def request_line(number: int, name: str, text: str, status: str) -> str:
    return _("Request {number} from {name}: {text} ({status})").format(
        number=number, name=name, text=text, status=status
    )


def status_open() -> str:
    return _("waiting for someone to take it")


def status_taken(helper: str, when: str) -> str:
    return _("taken by {helper} on {when}").format(helper=helper, when=when)


def help_reminder(name: str, text: str, when: str) -> str:
    return _(
        "A kind reminder: {name}'s request for help, taken on {when}, is still open: {text} "
        "Press Done when it's finished."
    ).format(name=name, text=text, when=when)


# ---- the report ---------------------------------------------------------------------------------------


def report_heading(about: str) -> str:
    return _("Taking part {about}:").format(about=about)


def report_line(name: str, parts: list[str]) -> str:
    if not parts:
        return _("{name}: nothing I could see.").format(name=name)
    return _("{name}: {parts}.").format(name=name, parts=", ".join(parts))


def kind_count(kind: str, count: int) -> str:
    names = {
        "message": ngettext("{count} message", "{count} messages", count),
        "ballot": ngettext("{count} vote", "{count} votes", count),
        "view": ngettext("{count} view shared", "{count} views shared", count),
        "proposal": ngettext("{count} agenda item", "{count} agenda items", count),
        "support": ngettext("{count} item supported", "{count} items supported", count),
        "comment": ngettext("{count} comment at a meeting", "{count} comments at meetings", count),
        "hand": ngettext("{count} hand raised", "{count} hands raised", count),
        "checkin": ngettext("{count} check-in", "{count} check-ins", count),
        "thread_message": ngettext("{count} message in a paper's thread", "{count} messages in papers' threads", count),
    }
    return names.get(kind, ngettext("{count} other", "{count} others", count)).format(count=count)


def top_fifth(share: int, people: int) -> str:
    return ngettext(
        "The most active {people} member made {share}% of everything I could see.",
        "The most active {people} members (a fifth of the group) made {share}% of everything I could see.",
        people,
    ).format(people=people, share=share)


def change(percent: int) -> str:
    if percent > 0:
        return _("That is {percent}% more than in the period before.").format(percent=percent)
    if percent < 0:
        return _("That is {percent}% less than in the period before.").format(percent=-percent)
    return _("That is the same as in the period before.")


def total(count: int) -> str:
    return ngettext("{count} contribution in all.", "{count} contributions in all.", count).format(count=count)


# ---- roles ------------------------------------------------------------------------------------------


def roles_heading(when: str) -> str:
    return _("Roles for the meeting on {when}:").format(when=when)


def role_confirmed(role: str, name: str) -> str:
    return _("{role}: {name} (confirmed).").format(role=role.capitalize(), name=name)


def role_suggested(role: str, name: str, turns: int) -> str:
    return ngettext(
        "{role}: suggested {name}, who has held it {turns} time.",
        "{role}: suggested {name}, who has held it {turns} times.",
        turns,
    ).format(role=role.capitalize(), name=name, turns=turns)


def role_nobody(role: str) -> str:
    return _("{role}: nobody is free to suggest.").format(role=role.capitalize())


def confirm_button(name: str, role: str) -> str:
    return _("Confirm {name} as {role}").format(name=name, role=role)


def role_history(role: str, entries: list[str]) -> str:
    return _("{role} before: {entries}.").format(role=role.capitalize(), entries=", ".join(entries))


def confirmed(name: str, role: str, when: str) -> str:
    return _("Done. {name} is {role} at the meeting on {when}.").format(name=name, role=role, when=when)


def opted_out(role: str) -> str:
    return _("Done. I won't suggest you as {role}.").format(role=role)


def opted_in(role: str) -> str:
    return _("Done. You may be suggested as {role} again.").format(role=role)


def no_such_role(role: str, roles: list[str]) -> str:
    return _("There is no role called “{role}”. The roles are: {roles}.").format(role=role, roles=", ".join(roles))


def roles_section(parts: list[str]) -> str:
    return _("Roles: {parts}.").format(parts=", ".join(parts))


def roles_described(value: str) -> str:
    return _("The meeting roles are: {roles}.").format(roles=value)


# ---- the pulse ---------------------------------------------------------------------------------------


def pulse_question(when: str) -> str:
    return _("Did you feel heard at the meeting on {when}? Your answer is counted without your name.").format(when=when)


def pulse_line(when: str, yes: int, partly: int, no: int) -> str:
    return _("The meeting on {when}: {yes} felt heard, {partly} partly, {no} not.").format(
        when=when, yes=yes, partly=partly, no=no
    )


def pulse_heading() -> str:
    return _("“Did you feel heard?” after recent meetings (answers are counted without names):")


def invites_described(value: str) -> str:
    if value == "no":
        return _("I don't invite you privately to take part.")
    return _("I may invite you privately, kindly, when you haven't had a chance to take part.")
