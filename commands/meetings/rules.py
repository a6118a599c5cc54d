"""Meetings' rules, free of the database: reading when a meeting is (one date, or a repeat), how long it
lasts and where; the dates a repeat gives; and attendance figures.

Times are read and repeated as wall-clock times in the group's time zone: "every Tuesday 6:30pm" stays
6:30pm on both sides of a clock change. A repeat is an RFC 5545 rule ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
expanded with python-dateutil from the series' first local date.
"""

from __future__ import annotations

import calendar as month_calendar
import contextlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from bot.dates import format_time, zone
from bot.errors import UserError
from bot.when import parse_when
from commands.meetings import wording

DEFAULT_LENGTH = timedelta(hours=2)
SHORTEST = timedelta(minutes=15)
LONGEST = timedelta(hours=12)
#: Dates of a repeating meeting are written out this far ahead; the scheduler adds more as time goes on.
PLAN_AHEAD = timedelta(days=120)
#: The scheduler writes out more dates when fewer than this many days are left.
EXTEND_WHEN_LEFT = timedelta(days=60)
MAX_PLACE_CHARS = 300
MAX_LINK_CHARS = 500

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
MONTHS = {name.casefold(): index for index, name in enumerate(month_calendar.month_name) if name}
MONTHS.update({name.casefold(): index for index, name in enumerate(month_calendar.month_abbr) if name})
MONTHS["sept"] = 9

_DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?"
_ORDINAL = r"(first|1st|second|2nd|third|3rd|fourth|4th|last)"
_WEEKLY = re.compile(rf"^(?:every\s+(other\s+|second\s+|2nd\s+)?|(fortnightly|weekly)\s+on\s+){_DAY}\b(.*)$")
_EVERY_WEEK = re.compile(rf"^every\s+(week|fortnight|two weeks|2 weeks)\s+on\s+{_DAY}\b(.*)$")
_MONTHLY_DAY = re.compile(
    rf"^(?:every\s+|on\s+the\s+|the\s+)?{_ORDINAL}\s+{_DAY}\s+(?:of\s+)?(?:the|each|every)\s+month\b(.*)$"
)
_MONTHLY_DATE = re.compile(r"^(?:every\s+month|monthly)\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b(.*)$")
_LOOKS_REPEATING = re.compile(r"\b(every|each|weekly|fortnightly|monthly|of the month)\b")
_FROM = re.compile(r"\b(?:from|starting(?:\s+on)?)\s+(.+)$")
_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d\d))?\s*(am|pm)\b|\b(\d{1,2})[:.](\d\d)\b|\b(noon|midday)\b")
_LENGTH = re.compile(
    r"\bfor\s+(?:(an?|one|\d+(?:\.\d+)?)\s*(hours?|hrs?|h)(?:\s+(?:and\s+)?(\d+)\s*(?:minutes?|mins?))?"
    r"(\s+and\s+a\s+half)?|(\d+)\s*(?:minutes?|mins?)|an?\s+hour\s+and\s+a\s+half)\b"
)
_UNTIL_TIME = re.compile(r"\s*(?:to|until|till|-|–)\s*(\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)?)\s*$")
_URL = re.compile(r"https?://\S+")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\b")
_MONTH_DAY = re.compile(r"\b([a-z]{3,9})\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True, slots=True)
class Plan:
    """When a meeting is, as read from what a co-chair typed."""

    starts_at: datetime  # the first (or only) date, aware UTC
    length: timedelta
    rule: str | None = None  # a repeat, like "FREQ=WEEKLY;BYDAY=TU"
    first_local: datetime | None = None  # for a repeat: its first date, wall-clock time in the group's zone
    length_given: bool = False  # the length was typed (moving a meeting keeps its length otherwise)


@dataclass(frozen=True, slots=True)
class Where:
    place: str | None
    link: str | None


def read_plan(text: str, tz_name: str, now: datetime) -> Plan:
    """A meeting's date (or repeat), and its length. Raises UserError saying what was understood."""
    typed = " ".join(text.casefold().split())
    typed, length = _take_length(typed)
    given = length is not None
    length = length or DEFAULT_LENGTH
    if _LOOKS_REPEATING.search(typed):
        rule, rest = _read_repeat(typed)
        plan = _first_of_repeat(rule, rest, length, tz_name, now)
        return replace(plan, length_given=given)
    check_real_date(typed, tz_name, now)
    if not _TIME.search(typed):
        raise UserError(wording.add_a_time(text.strip()[:60]))
    return Plan(parse_when(typed, tz_name, now), length, length_given=given)


def _take_length(typed: str) -> tuple[str, timedelta | None]:
    """("tuesday 6:30pm", 90 minutes) from "tuesday 6:30pm for 90 minutes" (or "6:30pm to 8pm")."""
    match = _LENGTH.search(typed)
    if match is not None:
        count, unit, minutes, half, only_minutes = match.groups()
        if only_minutes:
            length = timedelta(minutes=int(only_minutes))
        elif unit is None:  # "for an hour and a half"
            length = timedelta(minutes=90)
        else:
            hours = 1.0 if count in ("a", "an", "one") else float(count)
            length = timedelta(hours=hours, minutes=int(minutes or 0) + (30 if half else 0))
        typed = (typed[: match.start()] + typed[match.end() :]).strip()
        return typed, _checked_length(length)
    until = _UNTIL_TIME.search(typed)
    if until is not None:
        before = typed[: until.start()]
        start = _last_time(before)
        end = _clock_time(until.group(1), like=start)
        if start is not None and end is not None:
            gap = datetime.combine(date.min, end) - datetime.combine(date.min, start)
            if gap <= timedelta(0):
                gap += timedelta(days=1)
            return before.strip(), _checked_length(gap)
    return typed, None


def _checked_length(length: timedelta) -> timedelta:
    if not SHORTEST <= length <= LONGEST:
        raise UserError(wording.LENGTH_OUT_OF_RANGE)
    return length


def _last_time(text: str) -> time | None:
    found = list(_TIME.finditer(text))
    return _clock_time(found[-1].group(0)) if found else None


def _clock_time(text: str, like: time | None = None) -> time | None:
    """'6:30pm' → 18:30; '8' after a 6:30pm start → 20:00."""
    text = text.strip()
    if text in ("noon", "midday"):
        return time(12)
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d\d))?\s*(am|pm)?", text)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if half == "pm" and hour != 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    elif half is None and like is not None and like.hour >= 12 and hour < 12:
        hour += 12
    return time(hour, minute)


def _read_repeat(typed: str) -> tuple[str, str]:
    """(RRULE, the rest) from "every other tuesday 6:30pm", "first monday of the month 7pm", …"""
    if match := _WEEKLY.match(typed):
        other, named, day, rest = match.groups()
        interval = 2 if other or named == "fortnightly" else 1
        return _weekly(interval, day), rest
    if match := _EVERY_WEEK.match(typed):
        every, day, rest = match.groups()
        return _weekly(1 if every == "week" else 2, day), rest
    if match := _MONTHLY_DAY.match(typed):
        ordinal, day, rest = match.groups()
        return f"FREQ=MONTHLY;BYDAY={ORDINALS[ordinal]:+d}{_day_code(day)}", rest
    if match := _MONTHLY_DATE.match(typed):
        day_of_month, rest = match.groups()
        if not 1 <= int(day_of_month) <= 28:
            raise UserError(wording.MONTH_DAY_TOO_LATE)
        return f"FREQ=MONTHLY;BYMONTHDAY={int(day_of_month)}", rest
    raise UserError(wording.cannot_read_repeat(typed[:60]))


def _weekly(interval: int, day: str) -> str:
    return (
        f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={_day_code(day)}"
        if interval > 1
        else f"FREQ=WEEKLY;BYDAY={_day_code(day)}"
    )


def _day_code(day: str) -> str:
    return next(code for name, code in zip(DAYS, DAY_CODES, strict=True) if name.startswith(day[:3]))


def _first_of_repeat(rule: str, rest: str, length: timedelta, tz_name: str, now: datetime) -> Plan:
    rest = rest.strip(" ,")
    starting = _FROM.search(rest)
    tz = zone(tz_name)
    local_now = now.astimezone(tz).replace(tzinfo=None)
    begin = local_now
    if starting is not None:
        check_real_date(starting.group(1), tz_name, now)
        begin_at = parse_when(starting.group(1) + " 00:01", tz_name, now - timedelta(days=1))
        begin = max(local_now, begin_at.astimezone(tz).replace(tzinfo=None).replace(hour=0, minute=0))
        rest = rest[: starting.start()].strip(" ,")
    clock = _last_time(rest)
    if clock is None:
        raise UserError(wording.add_a_time_to_repeat(rule_words(rule)))
    leftover = _TIME.sub("", rest).replace("at", "").strip(" ,")
    if leftover:
        raise UserError(wording.cannot_read_repeat(rest[:60]))
    start = begin.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    # The first date is the next day that fits, whatever the interval: "every other Tuesday" starts next
    # Tuesday, and the series counts its fortnights from there.
    every = ";".join(part for part in rule.split(";") if not part.startswith("INTERVAL="))
    first = rrulestr(f"RRULE:{every}", dtstart=start - timedelta(days=1)).after(begin, inc=False)
    if first is None:  # pragma: no cover - every rule we write repeats for ever
        raise UserError(wording.cannot_read_repeat(rest[:60]))
    first = first.replace(hour=clock.hour, minute=clock.minute)
    return Plan(local_to_utc(first, tz_name), length, rule, first)


def check_real_date(typed: str, tz_name: str, now: datetime) -> None:
    """Refuse a date that does not exist ("31 February", "30/2") rather than let it be read as another."""
    year_match = _YEAR.search(typed)
    local_now = now.astimezone(zone(tz_name))
    found: list[tuple[int, int, int | None]] = []
    for match in _DAY_MONTH.finditer(typed):
        month = MONTHS.get(match.group(2))
        if month:
            found.append((int(match.group(1)), month, None))
    for match in _MONTH_DAY.finditer(typed):
        month = MONTHS.get(match.group(1))
        if month:
            found.append((int(match.group(2)), month, None))
    for match in _NUMERIC_DATE.finditer(typed):
        day, month = int(match.group(1)), int(match.group(2))
        year_text = match.group(3)
        year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not 1 <= month <= 12:
            raise UserError(wording.no_such_month(match.group(0)))
        found.append((day, month, year))
    for day, month, year in found:
        if year is None:
            year = int(year_match.group(1)) if year_match else local_now.year
            if year_match is None and (month, day) < (local_now.month, local_now.day):
                year += 1  # a date earlier in the year means next year's
        if not 1 <= day <= month_calendar.monthrange(year, month)[1]:
            raise UserError(wording.no_such_date(day, month, year))


def read_day(text: str, tz_name: str, now: datetime, *, end_of_day: bool = False, nearest: bool = False) -> datetime:
    """The start (or, `end_of_day`, the end) of a day written the way people talk: "1 March", "today",
    "next Monday". `nearest`: a date without a year is the nearest one, past or future (the start of leave
    recorded afterwards), rather than the next one."""
    typed = " ".join(text.casefold().split())
    if typed in ("today", "now"):
        day = utc_to_local(now, tz_name).date()
    else:
        check_real_date(typed, tz_name, now)
        day = _day_of(typed, tz_name, now)
        today = utc_to_local(now, tz_name).date()
        if nearest and _YEAR.search(typed) is None and (day - today).days > 183:
            with contextlib.suppress(ValueError):
                day = day.replace(year=day.year - 1)
    start = datetime.combine(day, time(0))
    if end_of_day:
        start += timedelta(days=1)
    return local_to_utc(start, tz_name)


#: Leave of absence may be recorded from up to a year ago.
LONGEST_BACK = timedelta(days=366)


def _day_of(typed: str, tz_name: str, now: datetime) -> date:
    """The day meant: this year's or next (the nearest ahead) unless a year is given."""
    try:
        return parse_when(typed + " 12pm", tz_name, now - timedelta(days=1)).astimezone(zone(tz_name)).date()
    except UserError:
        if _YEAR.search(typed) is None:
            raise
    # A date with a year that has passed: leave recorded afterwards.
    moment = parse_when(typed + " 12pm", tz_name, now - LONGEST_BACK)
    return moment.astimezone(zone(tz_name)).date()


def day_words(moment: datetime, tz_name: str) -> str:
    """'Monday 1 March' (the day a moment falls on in the group's zone)."""
    local = moment.astimezone(zone(tz_name))
    return f"{local:%A} {local.day} {local:%B} {local.year}"


def local_to_utc(local: datetime, tz_name: str) -> datetime:
    """A wall-clock time in the zone as aware UTC (a time the clocks skip reads as the hour after)."""
    return local.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def utc_to_local(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(zone(tz_name)).replace(tzinfo=None)


def dates_of(rule: str, first_local: datetime, tz_name: str, after: datetime, until: datetime) -> list[datetime]:
    """The series' dates (as local wall-clock times) whose start is after `after` and at most `until` (UTC)."""
    local_after = utc_to_local(after, tz_name) - timedelta(days=1)
    local_until = utc_to_local(until, tz_name) + timedelta(days=1)
    dates = rrulestr(f"RRULE:{rule}", dtstart=first_local).between(local_after, local_until, inc=True)
    return [d for d in dates if after < local_to_utc(d, tz_name) <= until]


def rule_words(rule: str) -> str:
    """The repeat in words: 'every other Tuesday', 'on the first Monday of each month'."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    if parts.get("FREQ") == "WEEKLY":
        day = DAYS[DAY_CODES.index(parts["BYDAY"])].capitalize()
        return wording.every_other(day) if parts.get("INTERVAL") == "2" else wording.every(day)
    if "BYMONTHDAY" in parts:
        return wording.monthly_on(int(parts["BYMONTHDAY"]))
    byday = parts["BYDAY"]
    ordinal, code = int(byday[:-2]), byday[-2:]
    return wording.monthly_day(ordinal, DAYS[DAY_CODES.index(code)].capitalize())


def read_where(parts: list[str]) -> Where:
    """The place and the online link from the parts after the date: a part with a web address is the link
    (its words, like "Online:", go); any other part is the place."""
    places: list[str] = []
    link: str | None = None
    for part in (p.strip() for p in parts if p and p.strip()):
        found = _URL.search(part)
        if found is None:
            places.append(part)
            continue
        if link is not None:
            raise UserError(wording.ONE_LINK_ONLY)
        link = found.group(0).rstrip(".,)")
        if not link.startswith("https://"):
            raise UserError(wording.LINK_NOT_SECURE)
        if len(link) > MAX_LINK_CHARS:
            raise UserError(wording.LINK_TOO_LONG)
        words = (part[: found.start()] + part[found.end() :]).strip(" :-–,")
        if words and words.casefold() not in ("online", "join online", "link", "zoom", "teams", "video"):
            places.append(words)
    place = ", ".join(places) or None
    if place is not None and len(place) > MAX_PLACE_CHARS:
        raise UserError(wording.PLACE_TOO_LONG)
    return Where(place, link)


def time_range(starts_local: datetime, length: timedelta) -> str:
    """'6:30pm to 8:30pm'."""
    return f"{format_time(starts_local)} to {format_time(starts_local + length)}"


# ---- attendance ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One person's attendance over a period."""

    held: int  # meetings held while they were a member
    attended: int
    in_room: int
    remote: int
    apologies: int  # meetings missed with apologies sent
    on_leave: int  # meetings during agreed leave (not counted against them)

    @property
    def expected(self) -> int:
        """Meetings they were expected at: those held, less those during agreed leave."""
        return self.held - self.on_leave

    @property
    def percent(self) -> int | None:
        if self.expected <= 0:
            return None
        return round(100 * min(self.attended, self.expected) / self.expected)


def figure(
    meeting_ids: list[int],
    attended: dict[int, str],
    apologies: set[int],
    on_leave: set[int],
    *,
    in_room_value: str,
) -> Figure:
    """Count one person's meetings: attended (how), apologies and leave, each meeting counted once."""
    present = [m for m in meeting_ids if m in attended]
    away = [m for m in meeting_ids if m not in attended]
    return Figure(
        held=len(meeting_ids),
        attended=len(present),
        in_room=sum(1 for m in present if attended[m] == in_room_value),
        remote=sum(1 for m in present if attended[m] != in_room_value),
        apologies=sum(1 for m in away if m in apologies and m not in on_leave),
        on_leave=sum(1 for m in away if m in on_leave),
    )
