"""A group setting, declared once by the feature it belongs to, changed by co-chairs with /settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting of a group.

    `parse` turns what a co-chair typed into the value to store (or raises UserError); `describe`
    shows a stored value in words. Most settings are stored by name; one that is a property of the
    group itself (its time zone) gives `read` and `write` to reach it there instead.
    """

    key: str
    summary: str
    default: str
    parse: Callable[[str], str]
    describe: Callable[[str], str] = str
    read: Callable[[Any], str] | None = None
    write: Callable[[Any, str], None] | None = None
