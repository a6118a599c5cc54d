"""Calendar files (RFC 5545 with icalendar) and "Add to Google Calendar" links for meetings.

A meeting keeps one UID for life. A change is sent as a new file with the same UID and a higher SEQUENCE
(METHOD:REQUEST), and a cancellation as METHOD:CANCEL with STATUS:CANCELLED, so calendar apps that
honour updates change the event people already saved. A repeating meeting is one event with an RRULE,
its time zone (VTIMEZONE) included so every date keeps its wall-clock time across clock changes; a
date moved on its own is an override (RECURRENCE-ID), a date cancelled on its own an EXDATE.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from icalendar import Calendar, Event, vRecur

from bot.dates import zone
from bot.types import Attachment

PRODUCT = "-//Touchstone//Lay partner meetings//EN"
MIME = "text/calendar"
#: Discord allows link buttons up to 512 characters.
MAX_LINK_BUTTON = 512


@dataclass(frozen=True, slots=True)
class Occasion:
    """What a calendar needs of one meeting (a date of its own, or one date of a series)."""

    uid: str
    sequence: int
    starts_at: datetime  # aware UTC
    length: timedelta
    title: str
    place: str | None
    link: str | None
    cancelled: bool = False
    recurrence_id: datetime | None = None  # for a date of a series: the date the series first gave it


@dataclass(frozen=True, slots=True)
class Repeat:
    """What a calendar needs of a repeating meeting."""

    uid: str
    sequence: int
    rule: str
    first_local: datetime  # wall-clock time in `timezone`
    timezone: str
    length: timedelta
    title: str
    place: str | None
    link: str | None
    until: datetime | None = None  # aware UTC: the last date may start no later
    cancelled: bool = False


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _details(event: Event, title: str, place: str | None, link: str | None) -> None:
    event.add("summary", title)
    if place:
        event.add("location", place)
    if link:
        event.add("url", link)
        event.add("description", f"Join online: {link}")


def _event(occasion: Occasion, tz_name: str, now: datetime) -> Event:
    tz = zone(tz_name)
    event = Event()
    event.add("uid", occasion.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", occasion.sequence)
    if occasion.recurrence_id is not None:
        event.add("recurrence-id", occasion.recurrence_id.astimezone(tz))
    event.add("dtstart", occasion.starts_at.astimezone(tz))
    event.add("dtend", (occasion.starts_at + occasion.length).astimezone(tz))
    _details(event, occasion.title, occasion.place, occasion.link)
    event.add("status", "CANCELLED" if occasion.cancelled else "CONFIRMED")
    return event


def _finish(cal: Calendar, filename: str, first: datetime, last: datetime) -> Attachment:
    cal.add_missing_timezones(
        first_date=first.date() - timedelta(days=366), last_date=last.date() + timedelta(days=366)
    )
    return Attachment(filename, cal.to_ical(), MIME)


def one_meeting(occasion: Occasion, tz_name: str, now: datetime, *, filename: str = "meeting.ics") -> Attachment:
    """A calendar file for one meeting: a request to add (or update) it, or to cancel it."""
    cal = _calendar("CANCEL" if occasion.cancelled else "REQUEST")
    cal.add_component(_event(occasion, tz_name, now))
    return _finish(cal, filename, occasion.starts_at, occasion.starts_at + occasion.length)


def series(
    repeat: Repeat,
    overrides: Sequence[Occasion],
    now: datetime,
    *,
    filename: str = "meetings.ics",
) -> Attachment:
    """A calendar file for a repeating meeting: the rule, dates cancelled on their own (EXDATE) and dates
    moved on their own (overrides). A cancelled series is sent as METHOD:CANCEL."""
    tz = zone(repeat.timezone)
    cal = _calendar("CANCEL" if repeat.cancelled else "REQUEST")
    event = Event()
    event.add("uid", repeat.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", repeat.sequence)
    start = repeat.first_local.replace(tzinfo=tz)
    event.add("dtstart", start)
    event.add("dtend", start + repeat.length)
    event.add("rrule", vRecur.from_ical(ical_rule(repeat.rule, repeat.until)))
    _details(event, repeat.title, repeat.place, repeat.link)
    event.add("status", "CANCELLED" if repeat.cancelled else "CONFIRMED")
    dropped = [o.recurrence_id.astimezone(tz) for o in overrides if o.cancelled and o.recurrence_id is not None]
    if dropped and not repeat.cancelled:
        event.add("exdate", dropped)
    cal.add_component(event)
    if not repeat.cancelled:
        for occasion in overrides:
            if not occasion.cancelled:
                cal.add_component(_event(occasion, repeat.timezone, now))
    last = max([start, *(o.starts_at for o in overrides)]) + timedelta(days=400)
    return _finish(cal, filename, start, last)


def cancel_one_date(occasion: Occasion, tz_name: str, now: datetime) -> Attachment:
    """METHOD:CANCEL for one date of a series (its RECURRENCE-ID), the rest of the series untouched."""
    return one_meeting(replace(occasion, cancelled=True), tz_name, now, filename="meeting-cancelled.ics")


def ical_rule(rule: str, until: datetime | None) -> str:
    """The stored rule with its end, if any, as RFC 5545 wants it beside a DTSTART with a TZID: UTC."""
    return rule if until is None else f"{rule};UNTIL={until.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _google_time(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def google_link(
    title: str,
    starts_at: datetime,
    length: timedelta,
    place: str | None,
    link: str | None,
    tz_name: str,
    rule: str | None = None,
    until: datetime | None = None,
) -> str | None:
    """An "Add to Google Calendar" address for the meeting (or the series), or None if it cannot fit a button."""
    query = {
        "action": "TEMPLATE",
        "text": title[:80],
        "dates": f"{_google_time(starts_at)}/{_google_time(starts_at + length)}",
        "ctz": tz_name,
    }
    if rule is not None:
        query["recur"] = "RRULE:" + ical_rule(rule, until)
    if place:
        query["location"] = place[:120]
    if link:
        query["details"] = f"Join online: {link}"
    address = "https://calendar.google.com/calendar/render?" + urlencode(query)
    if len(address) > MAX_LINK_BUTTON and "details" in query:
        del query["details"]
        address = "https://calendar.google.com/calendar/render?" + urlencode(query)
    return address if len(address) <= MAX_LINK_BUTTON else None


def safe_filename(words: str, day: date) -> str:
    """'meeting-2026-12-08.ics'-style names with nothing a file system dislikes."""
    stem = re.sub(r"[^a-z0-9]+", "-", words.casefold()).strip("-")[:30] or "meeting"
    return f"{stem}-{day:%Y-%m-%d}.ics"
