"""The group's rules as pure functions: who is on the roster, keeping a co-chair, reading a time zone."""

from __future__ import annotations

from rapidfuzz import process

from bot.dates import is_time_zone, time_zone_names
from bot.errors import UserError
from bot.events import Standing
from commands.group import wording

MAX_GROUP_NAME = 100
MAX_PRINCIPLES = 2000


def parse_time_zone(text: str) -> str:
    """'Europe/London', 'europe/london' or 'London' → 'Europe/London'; kind error otherwise."""
    wanted = text.strip().replace(" ", "_")
    names = time_zone_names()
    if is_time_zone(wanted):
        return wanted
    folded = wanted.casefold()
    for name in sorted(names):
        if name.casefold() == folded or name.casefold().endswith("/" + folded):
            return name
    close = [m for m, _s, _i in process.extract(wanted, sorted(names), limit=2, score_cutoff=70)]
    if close:
        raise UserError(wording.unknown_time_zone_did_you_mean(text.strip()[:40], close))
    raise UserError(wording.unknown_time_zone(text.strip()[:40]))


def added_by_being_seen(standing: Standing) -> bool:
    """Someone seen speaking or joining in the group's chat is added to the roster, unless they chose
    to leave (only /join brings them back)."""
    return standing is Standing.STRANGER


def leaves_when_seen_leaving(standing: Standing) -> bool:
    """Leaving the chat on the platform ends an active membership."""
    return standing is Standing.MEMBER


def may_step_down(is_cochair: bool, cochairs: int) -> bool:
    """A group always keeps at least one co-chair."""
    return not is_cochair or cochairs > 1
