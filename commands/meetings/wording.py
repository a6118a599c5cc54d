"""Everything the meetings feature says, marked for translation. Short, plain and kind; results as sentences."""

from __future__ import annotations

from typing import Protocol

from bot.i18n import _, ngettext

# ---- reading a meeting's time and place -----------------------------------------------------------------

LENGTH_OUT_OF_RANGE = _("A meeting can last from 15 minutes to 12 hours. For example: “Tuesday 6:30pm for 90 minutes”.")
MONTH_DAY_TOO_LATE = _(
    "Not every month has that day, so please choose a day from 1 to 28, or say “last Friday of the month”."
)
ONE_LINK_ONLY = _("Please give just one online link for the meeting.")
LINK_NOT_SECURE = _("Please give the online link starting with https://, so it opens safely on every phone.")
LINK_TOO_LONG = _("That link is too long for me. Please use a shorter link.")
PLACE_TOO_LONG = _("Please keep where the meeting is under 300 characters.")
REPEAT_EXAMPLES = _("“every Tuesday 6:30pm”, “every other Tuesday 6:30pm” or “first Monday of the month 7pm”")


def add_a_time(typed: str) -> str:
    return _("I read “{typed}” as a day but not a time. Please add the start time, like “Tuesday 6:30pm”.").format(
        typed=typed
    )


def add_a_time_to_repeat(repeat: str) -> str:
    return _("I understood {repeat}, but not the time. Please add it, like “every Tuesday 6:30pm”.").format(
        repeat=repeat
    )


def cannot_read_repeat(typed: str) -> str:
    return _("I couldn't read how “{typed}” repeats. Please write it like {examples}. Nothing was saved.").format(
        typed=typed, examples=REPEAT_EXAMPLES
    )


def no_such_month(typed: str) -> str:
    return _("I couldn't read “{typed}” as a date: there are only 12 months. Please write it like “3 March”.").format(
        typed=typed
    )


MONTH_NAMES = (
    "",
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)


def no_such_date(day: int, month: int, year: int) -> str:
    return _("There is no {day} {month} in {year}. Please check the date. Nothing was saved.").format(
        day=day, month=MONTH_NAMES[month], year=year
    )


def every(day: str) -> str:
    return _("every {day}").format(day=day)


def every_other(day: str) -> str:
    return _("every other {day}").format(day=day)


def monthly_on(day: int) -> str:
    return _("on day {day} of each month").format(day=day)


ORDINAL_WORDS = {1: _("first"), 2: _("second"), 3: _("third"), 4: _("fourth"), -1: _("last")}


def monthly_day(ordinal: int, day: str) -> str:
    return _("on the {ordinal} {day} of each month").format(ordinal=ORDINAL_WORDS[ordinal], day=day)


# ---- describing meetings --------------------------------------------------------------------------------

ONLINE = _("online")


def where_words(place: str | None, link: str | None) -> str:
    """'Online and at Town hall, room 2.' / 'At Town hall.' / 'Online.' / ''."""
    if place and link:
        return _("Online and at {place}.").format(place=place)
    if place:
        return _("At {place}.").format(place=place)
    if link:
        return _("Online.")
    return _("The place is still to be confirmed.")


def meeting_line(number: int, when: str, until: str, where: str) -> str:
    """'Meeting 4: Tuesday 8 December, 6:30pm to 8:30pm. Online and at Town hall.'"""
    return _("Meeting {number}: {when} to {until}. {where}").format(number=number, when=when, until=until, where=where)


def link_line(link: str) -> str:
    return _("Join online: {link}").format(link=link)


def repeats_line(repeat: str) -> str:
    return _("It repeats {repeat}.").format(repeat=repeat)


# ---- adding, moving, cancelling ---------------------------------------------------------------------------


def added(line: str) -> str:
    return _("New meeting. {line}").format(line=line)


def added_series(line: str, repeat: str) -> str:
    return _("New repeating meeting, {repeat}. The first one is {line}").format(repeat=repeat, line=line)


def overlaps(when: str) -> str:
    return _(
        "That would overlap the meeting on {when}. Please choose another time, or move that meeting with /movemeeting. "
        "Nothing was saved."
    ).format(when=when)


def understood_past(when: str) -> str:
    return _("I read that as {when}, which has already passed. Please choose a time in the future.").format(when=when)


def moved(number: int, before: str, after: str) -> str:
    return _("Meeting {number} has moved from {before} to {after}.").format(number=number, before=before, after=after)


def series_moved(repeat: str, first: str) -> str:
    return _("This repeating meeting has changed: from now on it is {repeat}. The next one is {first}.").format(
        repeat=repeat, first=first
    )


def cancelled(number: int, when: str) -> str:
    return _("Meeting {number} on {when} is cancelled.").format(number=number, when=when)


def series_cancelled(repeat: str, first: str) -> str:
    return _("The repeating meeting {repeat} is cancelled, from {first} on.").format(repeat=repeat, first=first)


POSTED_IN_GROUP = _("Done. I've posted it in the group's chat.")
ALREADY_STARTED = _("That meeting has already started, so it can't be moved now.")
MAKE_REPEAT_WITH_MEETING = _(
    "That meeting doesn't repeat. To make a repeating meeting, cancel this one and add the repeat with /meeting."
)
NO_FIGURE_YET = _("There are no attendance figures for you yet.")


def calendar_file_ready(when: str, *, repeating: bool) -> str:
    if repeating:
        return _(
            "Here is a calendar file for this repeating meeting, starting {when}. Open it to add every date to your "
            "calendar, or use the Google Calendar button."
        ).format(when=when)
    return _("Here is a calendar file for the meeting on {when}. Open it to add it to your calendar.").format(when=when)


CALENDAR_UPDATE = _("The calendar file updates the event in calendar apps that accept updates.")
WHICH_MEETING = _("Which meeting?")
MEETING_PART = _("The meeting's number")
NO_MEETINGS = _("There are no meetings planned yet. A co-chair can add one with /meeting.")
NEXT_MEETINGS = _("The next meetings:")
STALE_BUTTON = _("That button no longer works. Type /meetings to see the next meetings.")
MEETING_OVER = _("That meeting has already taken place.")
ONE_OR_ALL = _("This is one date of a repeating meeting. Cancel just this date, or this date and every later one?")
JUST_THIS_DATE = _("Just this date")
THIS_AND_LATER = _("This and every later date")
ALREADY_CANCELLED = _("That meeting was already cancelled.")
NOT_A_SERIES = _("That meeting doesn't repeat, so I moved just that date.")


def no_such_meeting(number: int | str) -> str:
    return _("There is no meeting {number} in this group. Type /meetings to see the next meetings.").format(
        number=number
    )


def meeting_button(when: str) -> str:
    return _("Meeting on {when}").format(when=when)


# ---- answers -----------------------------------------------------------------------------------------------

GOING_BUTTON = _("I'll be there")
APOLOGIES_BUTTON = _("Send apologies")
CALENDAR_BUTTON = _("Add to my calendar")
GOOGLE_BUTTON = _("Add to Google Calendar")
JOIN_BUTTON = _("Join online")
REMIND_ME_BUTTON = _("Remind me privately")
REASON_BUTTON = _("Give a reason privately")
NO_REASON_BUTTON = _("No reason needed")
UNDO_APOLOGIES_BUTTON = _("Take my apologies back")


def who_button(day: str) -> str:
    return _("Who is coming on {day}?").format(day=day)


def button_for(label: str, day: str) -> str:
    """'I'll be there (Tue 8 Dec)' when several meetings are listed together."""
    return _("{label} ({day})").format(label=label, day=day)


def going(when: str) -> str:
    return _("Thank you. I've noted that you'll be at the meeting on {when}.").format(when=when)


def apologies_noted(when: str) -> str:
    return _("Thank you. I've noted your apologies for the meeting on {when}.").format(when=when)


def ask_reason(when: str) -> str:
    return _(
        "Would you like to give a reason for missing the meeting on {when}? Only the co-chairs will see it. "
        "Type it now, or press No reason needed. (Type /cancel to stop.)"
    ).format(when=when)


REASON_IN_PRIVATE = _("If you'd like the co-chairs to know why, you can tell me privately: only they will see it.")
REASON_NOT_KEPT = _(
    "I haven't kept your reason here, because everyone in this chat can read it. "
    "If you'd like the co-chairs to know, press the button and tell me privately."
)
REASON_KEPT = _("Thank you. I've kept your reason. Only the co-chairs will see it.")
NO_REASON = _("That's fine. No reason is needed.")
REASON_TOO_LONG = _("Please keep your reason under 300 characters, and type it again.")
NO_APOLOGIES = _("You haven't sent apologies for that meeting, so there is nothing to take back.")


def apologies_taken_back(when: str) -> str:
    return _("Your apologies for the meeting on {when} are taken back. We hope to see you there.").format(when=when)


def you_said_going() -> str:
    return _("You said you'll be there.")


def you_sent_apologies() -> str:
    return _("You sent apologies.")


def who_is_coming(when: str, going_names: list[str], apologies: list[str]) -> str:
    lines = [_("For the meeting on {when}:").format(when=when)]
    if going_names:
        lines.append(
            ngettext(
                "{count} person said they'll be there: {names}.",
                "{count} people said they'll be there: {names}.",
                len(going_names),
            ).format(count=len(going_names), names=", ".join(going_names))
        )
    else:
        lines.append(_("Nobody has said they'll be there yet."))
    if apologies:
        lines.append(
            ngettext(
                "{count} person sent apologies: {names}.", "{count} people sent apologies: {names}.", len(apologies)
            ).format(count=len(apologies), names=", ".join(apologies))
        )
    else:
        lines.append(_("Nobody has sent apologies."))
    return "\n".join(lines)


def reason_line(name: str, reason: str) -> str:
    return _("{name} gave this reason: {reason}").format(name=name, reason=reason)


# ---- reminders and the meeting itself ----------------------------------------------------------------------


def reminder(line: str, soon: str, *, late: bool) -> str:
    text = _("Reminder: the meeting is {soon}. {line}").format(soon=soon, line=line)
    if late:
        text += " " + _("(This reminder is late: I was offline for a while. Sorry.)")
    return text


def in_time(minutes: int) -> str:
    """'in 2 days', 'in 1 hour', 'in 30 minutes'."""
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("in {count} day", "in {count} days", days).format(count=days)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("in {count} hour", "in {count} hours", hours).format(count=hours)
    return ngettext("in {count} minute", "in {count} minutes", minutes).format(count=minutes)


def about(minutes: int) -> str:
    """How long until a meeting, for a late reminder: 'in 40 minutes', 'in about 5 hours', 'in about 2 days'."""
    if minutes < 90:
        return ngettext("in {count} minute", "in {count} minutes", minutes).format(count=minutes)
    if minutes < 36 * 60:
        hours = round(minutes / 60)
        return ngettext("in about {count} hour", "in about {count} hours", hours).format(count=hours)
    days = round(minutes / 1440)
    return ngettext("in about {count} day", "in about {count} days", days).format(count=days)


def started(when: str, checked_in: int) -> str:
    text = _("The meeting has started ({when}). If you are joining from home, please press I'm here.").format(when=when)
    if checked_in:
        text += " " + ngettext(
            "{count} person has checked in so far.", "{count} people have checked in so far.", checked_in
        ).format(count=checked_in)
    return text


def ended(when: str, checked_in: int) -> str:
    return ngettext(
        "The meeting on {when} has ended. {count} person checked in from home.",
        "The meeting on {when} has ended. {count} people checked in from home.",
        checked_in,
    ).format(when=when, count=checked_in)


HERE_BUTTON = _("I'm here")
CHECKED_IN = _("Thank you, you're checked in.")
ALREADY_CHECKED_IN = _("You're already checked in. Thank you.")
CHECK_IN_CLOSED = _("The check-in has closed because the meeting has ended. Please ask a co-chair to add you.")
NOT_STARTED = _("That meeting hasn't started yet, so there is nothing to check in to.")
NO_MEETING_NOW = _("There is no meeting under way or just finished to record attendance for.")


def and_list(names: list[str]) -> str:
    """'Sam', 'Sam and Jo', 'Sam, Jo and Ali'."""
    return names[0] if len(names) == 1 else _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def present_recorded(names: list[str], when: str) -> str:
    return _("I've recorded {names} as present at the meeting on {when}.").format(names=and_list(names), when=when)


def already_present(names: list[str]) -> str:
    return _("{names} had already been recorded.").format(names=and_list(names))


def unknown_names(names: list[str]) -> str:
    return _(
        "I couldn't find {names} in this group, so I haven't recorded anyone. "
        "Please check the names (type /members to see them) and try again."
    ).format(names=", ".join(f"“{n}”" for n in names))


def roll_call(when: str, count: int, page: int, pages: int) -> str:
    text = _("Who is at the meeting on {when}? Press a name to mark them here; press it again to undo.").format(
        when=when
    )
    text += " " + ngettext("{count} person is marked so far.", "{count} people are marked so far.", count).format(
        count=count
    )
    if pages > 1:
        text += " " + _("Page {page} of {pages}.").format(page=page, pages=pages)
    return text


def ticked(name: str) -> str:
    return _("{name}, here").format(name=name)


NEXT_PAGE = _("Next names")
PREVIOUS_PAGE = _("Previous names")
REMOTE_STAYS = _("They checked in from home, so that stays.")


# ---- leave of absence ------------------------------------------------------------------------------------


def leave_recorded(name: str, start: str, end: str) -> str:
    return _("I've recorded agreed leave of absence for {name} from {start} until {end}.").format(
        name=name, start=start, end=end
    )


def leave_ended(name: str) -> str:
    return _("{name}'s leave of absence has ended today.").format(name=name)


NO_LEAVE_TO_END = _("They have no leave of absence to end.")
LEAVE_NEEDS_UNTIL = _("Please say until when, like “/absence Sam until 1 March”.")
LEAVE_TOO_LONG = _("Leave of absence can be recorded for up to a year at a time.")
LEAVE_ENDS_BEFORE = _("The leave has to end after it starts. Please check the dates.")


# ---- attendance figures ---------------------------------------------------------------------------------


class Counts(Protocol):
    """One person's attendance figures (commands.meetings.rules.Figure)."""

    @property
    def held(self) -> int: ...
    @property
    def attended(self) -> int: ...
    @property
    def in_room(self) -> int: ...
    @property
    def remote(self) -> int: ...
    @property
    def apologies(self) -> int: ...
    @property
    def on_leave(self) -> int: ...
    @property
    def percent(self) -> int | None: ...


def figure_sentence(name: str | None, figure: Counts, months: int, target: int) -> str:
    """One person's attendance as sentences, their own (name None) or for a co-chair."""
    who = name or _("You")
    if figure.held == 0:
        return ngettext(
            "{who}: no meetings have been held in the last {months} month while a member.",
            "{who}: no meetings have been held in the last {months} months while a member.",
            months,
        ).format(who=who, months=months)
    parts = [
        ngettext(
            "{who} attended {attended} of {held} meeting in the last {months} months",
            "{who} attended {attended} of {held} meetings in the last {months} months",
            figure.held,
        ).format(who=who, attended=figure.attended, held=figure.held, months=months)
    ]
    if figure.attended:
        parts[0] += " " + _("({room} in the room, {remote} from home)").format(
            room=figure.in_room, remote=figure.remote
        )
    percent = figure.percent
    if percent is None:
        parts[0] += "."
    elif percent >= target:
        parts[0] += ": " + _("{percent}%, which meets the group's aim of {target}%.").format(
            percent=percent, target=target
        )
    else:
        parts[0] += ": " + _("{percent}%. The group's aim is {target}%.").format(percent=percent, target=target)
    if figure.apologies:
        parts.append(
            ngettext(
                "Apologies were sent for {count} meeting.",
                "Apologies were sent for {count} meetings.",
                figure.apologies,
            ).format(count=figure.apologies)
        )
    if figure.on_leave:
        parts.append(
            ngettext(
                "{count} meeting fell in agreed leave of absence and is not counted.",
                "{count} meetings fell in agreed leave of absence and are not counted.",
                figure.on_leave,
            ).format(count=figure.on_leave)
        )
    return " ".join(parts)


def everyone_heading(months: int, target: int) -> str:
    return _("Everyone's attendance over the last {months} months (the group's aim is {target}%):").format(
        months=months, target=target
    )


CHART_TITLE = _("Attendance over the last {months} months")
CHART_AIM = _("The group's aim: {target}%")
CHART_NOTE = _("The chart shows the same figures as a picture.")
ONLY_OWN_FIGURE = _("Only co-chairs can see other members' attendance. Type /attendance to see your own.")


# ---- settings --------------------------------------------------------------------------------------------

REMINDERS_TITLE = _("Meeting reminders")
REMINDERS_SUMMARY = _("When the group is reminded of a meeting, like “2 days, 1 hour” before (or “none”).")
REMINDERS_BAD = _("Please give up to three times before the meeting, like “2 days, 1 hour” or “30 minutes”, or “none”.")
TARGET_TITLE = _("Attendance aim")
TARGET_SUMMARY = _("The share of meetings each member aims to attend, as a percentage (like 80).")
TARGET_BAD = _("Please give the aim as a whole number from 1 to 100, like 80.")
MONTHS_TITLE = _("Attendance period")
MONTHS_SUMMARY = _("How many months back attendance is counted (like 12).")
MONTHS_BAD = _("Please give a whole number of months from 1 to 36, like 12.")
PRIVATE_REMINDERS_TITLE = _("Private meeting reminders")
PRIVATE_REMINDERS_SUMMARY = _("Whether I remind you of meetings in a private message as well (yes or no).")


def reminders_described(words: str | None) -> str:
    if words is None:
        return _("The group gets no meeting reminders.")
    return _("The group is reminded of meetings {words} before.").format(words=words)


def target_described(value: str) -> str:
    return _("Each member aims to attend {value}% of meetings.").format(value=value)


def months_described(value: str) -> str:
    return ngettext(
        "Attendance is counted over the last {count} month.",
        "Attendance is counted over the last {count} months.",
        int(value),
    ).format(count=int(value))


def private_reminders_described(value: str) -> str:
    if value == "yes":
        return _("I remind you of meetings in a private message as well.")
    return _("I don't send you private meeting reminders; the group's reminders are in the group chat.")


TURN_ON_PRIVATE = _("Remind me privately")
TURN_OFF_PRIVATE = _("Stop private reminders")
YES_OR_NO = _("Please answer yes or no.")


# ---- the evening meeting ---------------------------------------------------------------------------------

NO_MEETING_TO_START = _(
    "There is no meeting starting within two hours or under way. Add one with /meeting, then start it then."
)
ALREADY_LIVE = _("That meeting is already under way. Type /endmeeting when it finishes.")
NO_LIVE_MEETING = _("There is no meeting under way. A co-chair starts one with /startmeeting.")
NO_MINUTES_YET = _("There is no record of a meeting yet. It is written when a meeting ends.")
MINUTES_AFTER_END = _("The record of that meeting is written when it ends.")
RAISE_HAND_BUTTON = _("Raise my hand")
LOWER_HAND_BUTTON = _("Lower my hand")
NEXT_SPEAKER_BUTTON = _("Next speaker (co-chairs)")
HAND_ALREADY_UP = _("Your hand is already up. The chair will come to you.")
HAND_LOWERED = _("Your hand is lowered.")
HAND_NOT_UP = _("Your hand wasn't up.")
NO_HANDS = _("Nobody has a hand up.")
HANDS_CLOSED = _("The meeting has ended, so hands are closed.")


def meeting_opened(when: str) -> str:
    return _("The meeting on {when} is under way: the agenda and the check-in are posted.").format(when=when)


def hand_raised(place: int) -> str:
    if place == 1:
        return _("Your hand is up. You're next.")
    return _("Your hand is up. You're number {place} in the queue.").format(place=place)


def hands_queue(names: list[str]) -> str:
    if not names:
        return _("No hands are raised. If you're at home and want to speak, press Raise my hand.")
    return _("Hands raised, in order: {names}.").format(
        names=", ".join(f"{n}. {name}" for n, name in enumerate(names, 1))
    )


def over_to(name: str) -> str:
    return _("{name}, over to you.").format(name=name)


def record_heading(when: str) -> str:
    return _("Record of the meeting on {when}.").format(when=when)


def record_attended(in_room: list[str], remote: list[str]) -> str:
    room = and_list(in_room) if in_room else _("nobody recorded")
    home = and_list(remote) if remote else _("nobody")
    return _("In the room: {room}. From home: {home}.").format(room=room, home=home)


def record_apologies(names: list[str]) -> str:
    if not names:
        return _("Apologies: none.")
    return _("Apologies: {names}.").format(names=and_list(names))
