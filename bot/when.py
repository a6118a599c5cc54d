"""Dates and times written the way people talk, read in the group's time zone.

"Friday 5pm", "in 3 days", "tomorrow noon", "3 Dec 18:30", "3/12 18:30" (day first, the UK way).
dateparser reads the words against the group's local wall-clock time; zoneinfo then attaches the
zone, so a date across a clock change gets the right offset. The result is an aware UTC datetime.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import dateparser

from bot.dates import zone
from bot.errors import UserError
from bot.i18n import _

#: When someone gives a day but no time ("Friday", "3 Dec"), the deadline is 5pm that day.
DEFAULT_HOUR = 17
LONGEST_AHEAD = timedelta(days=366)

_HAS_TIME = re.compile(r"\d\s*(am|pm)\b|\d[:.]\d\d|\bnoon\b|\bmidday\b|\bmidnight\b", re.IGNORECASE)
_RELATIVE = re.compile(r"^\s*in\s+|\b(hour|hours|minute|minutes|min|mins|second|seconds)\b", re.IGNORECASE)
_PARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "future",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_when(text: str, tz_name: str, now: datetime) -> datetime:
    """The moment meant by `text`, as an aware UTC datetime. Raises UserError if unclear or past."""
    wanted = " ".join(text.replace("noon", "12pm").replace("midday", "12pm").split())
    if not wanted:
        raise UserError(_("Please say when, for example “Friday 5pm” or “in 3 days”."))
    tz = zone(tz_name)
    local_now = now.astimezone(tz).replace(tzinfo=None)
    parsed = dateparser.parse(wanted, languages=["en"], settings={**_PARSER_SETTINGS, "RELATIVE_BASE": local_now})
    if parsed is None:
        raise UserError(
            _("Sorry, I didn't understand “{text}” as a time. Try “Friday 5pm”, “in 3 days” or “3 Dec 18:30”.").format(
                text=text.strip()[:60]
            )
        )
    relative = bool(_RELATIVE.search(wanted))
    if not _HAS_TIME.search(wanted) and not relative:
        parsed = parsed.replace(hour=DEFAULT_HOUR, minute=0, second=0, microsecond=0)
    # "in 20 minutes" means twenty minutes from now, not from the start of this minute.
    parsed = parsed.replace(microsecond=0) if relative else parsed.replace(second=0, microsecond=0)
    moment: datetime = parsed.replace(tzinfo=tz).astimezone(UTC)
    if moment <= now:
        raise UserError(_("That time has already passed. Please choose a time in the future."))
    if moment - now > LONGEST_AHEAD:
        raise UserError(_("That is more than a year away. Please choose a time within the next year."))
    return moment
