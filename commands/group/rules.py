"""The group's rules as pure functions: who is on the roster, keeping a co-chair, reading a time zone."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rapidfuzz import process

from bot.dates import is_time_zone, time_zone_names
from bot.errors import UserError
from bot.events import Standing
from bot.group_settings import Setting
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


# ---- the touchstone's principles ------------------------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.)]\s*(.*)$")


def principles(text: str) -> tuple[list[str], list[str]]:
    """The touchstone as its heading lines and its numbered principles, in order."""
    heading: list[str] = []
    items: list[str] = []
    for line in text.splitlines():
        found = _NUMBERED.match(line)
        if found:
            items.append(found.group(2).strip())
        elif items and line.strip():
            items[-1] = f"{items[-1]} {line.strip()}"  # a principle written over two lines
        elif line.strip():
            heading.append(line.strip())
    return heading, items


def written(heading: list[str], items: list[str]) -> str:
    """Heading and principles back as the touchstone's text, numbered from 1."""
    return "\n".join([*heading, *(f"{n}. {item}" for n, item in enumerate(items, start=1))])


def leading_number(text: str) -> tuple[int | None, str]:
    """'11. We have biscuits.' → (11, 'We have biscuits.'); text without a number → (None, text)."""
    found = _NUMBERED.match(text) if "\n" not in text.strip() else None
    if found is None or not found.group(2).strip():
        return None, text.strip()
    return int(found.group(1)), found.group(2).strip()


def with_principle(text: str, number: int, new: str) -> str:
    """The touchstone with principle `number` changed to `new`, or added if it is the next number."""
    heading, items = principles(text)
    if number == len(items) + 1:
        items.append(new)
    elif 1 <= number <= len(items):
        items[number - 1] = new
    else:
        raise ValueError(f"there is no principle {number}")
    return written(heading, items)


# ---- settings typed in plain words ----------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


def match_setting(declared: Mapping[str, Setting], text: str) -> tuple[Setting | None, str]:
    """The setting a co-chair's words begin with (by its title or its name), and the rest: the value.

    'members can start votes yes' → (the setting, 'yes'); 'timezone Europe/Paris' → (time zone, 'Europe/Paris').
    """
    typed = _words(text)
    best: tuple[int, Setting] | None = None
    for setting in declared.values():
        for name in {_words(setting.key), _words(setting.title), setting.key.casefold()}:
            if (typed == name or typed.startswith(name + " ")) and (best is None or len(name) > best[0]):
                best = (len(name), setting)
    if best is None:
        return None, ""
    return best[1], " ".join(text.split())[best[0] :].strip()
