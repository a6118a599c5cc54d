"""Dates shown the UK way, in the group's time zone: "Tuesday 3 December, 6:30pm"."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for a name; raises ValueError for an unknown zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def is_time_zone(name: str) -> bool:
    """True if `name` is a real IANA time zone such as Europe/London."""
    return name in time_zone_names()


@cache
def time_zone_names() -> frozenset[str]:
    """All IANA time zone names this machine knows (read once, on first use)."""
    return frozenset(available_timezones())


def format_time(moment: datetime) -> str:
    """'6:30pm', '9am', '12pm' (noon)."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.minute:
        return f"{hour}:{moment.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_when(moment: datetime, tz_name: str, *, now: datetime | None = None) -> str:
    """A moment as UK readers expect, in the group's time zone.

    'Tuesday 3 December, 6:30pm'; the year is added when it is not the current one.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone(tz_name))
    text = f"{local:%A} {local.day} {local:%B}"
    reference = (now or datetime.now(UTC)).astimezone(zone(tz_name))
    if local.year != reference.year:
        text += f" {local.year}"
    return f"{text}, {format_time(local)}"
