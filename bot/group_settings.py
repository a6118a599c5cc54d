"""A group setting, declared once by the feature it belongs to, shown and changed by co-chairs with
/settings in plain words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.errors import UserError
from bot.i18n import _

YES_OR_NO = _("Please answer yes or no.")


def parse_yes_no(text: str) -> str:
    """A yes/no setting typed in words ("yes", "on", "no", "off")."""
    answer = " ".join(text.casefold().split())
    if answer in ("yes", "y", "on", "true"):
        return "yes"
    if answer in ("no", "n", "off", "false"):
        return "no"
    raise UserError(YES_OR_NO)


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a group.

    - `title`: what people call it ("Who can start votes"); typed after /settings, it finds the setting.
    - `describe`: a stored value as a whole sentence ("Only co-chairs can start votes.").
    - `parse`: what a co-chair typed, as the value to store (or a UserError saying what to type).
    - `options`: common values as (value, button label), offered as buttons; a setting without them
      (a time zone) is changed by typing, and one with `other_values` by either.
    - `read`/`write`: for a setting that is a property of the group itself (its time zone), rather than
      one stored by name.
    - `agrees`: checks the value against the group's other settings.
    """

    key: str
    title: str
    summary: str
    default: str
    parse: Callable[[str], str]
    describe: Callable[[str], str]
    options: tuple[tuple[str, str], ...] = ()
    #: With options: other values may be typed too (any number of hours, not just those offered).
    other_values: bool = False
    read: Callable[[Any], str] | None = None
    write: Callable[[Any, str], None] | None = None
    #: Settings that must agree are checked together: given the new value and the group's current settings,
    #: a kind refusal ("Proposals have to close before the agenda is published…"), or None.
    agrees: Callable[[str, Mapping[str, str]], str | None] | None = None
