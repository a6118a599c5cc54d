"""Events features hear: what happened in a group, said once so that any feature may listen.

The dispatcher raises `Spoke`, `Joined` and `Left` from what the platforms report; features raise
the others (a ballot cast becomes `TookPart`) with `unit.emit(...)`. Listeners run in the same
transaction as the act that raised the event, so a count can never disagree with what it counts.
Features never import each other: these types are the whole vocabulary they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Standing(StrEnum):
    """Where a person stood in a group when they did something."""

    STRANGER = "stranger"  # never a member here
    MEMBER = "member"  # an active member
    LEFT = "left"  # chose to leave


@dataclass(frozen=True, slots=True)
class Spoke:
    """Someone sent a message in a group's chat: who, where and when. The words travel with the event only for
    listeners that act on them at once (jargon watch); no listener stores them. Empty where the platform does
    not let the bot read them (Discord without the message-content intent)."""

    group_id: int
    person_id: int
    channel_id: int | None
    standing: Standing
    at: datetime
    text: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class Joined:
    """The platform reported someone joining a group's chat."""

    group_id: int
    person_id: int
    standing: Standing
    at: datetime


@dataclass(frozen=True, slots=True)
class Left:
    """The platform reported someone leaving a group's chat."""

    group_id: int
    person_id: int
    standing: Standing
    at: datetime


@dataclass(frozen=True, slots=True)
class TookPart:
    """Someone took part by name in a way a feature saw: `kind` says how ("ballot", "view", …) and
    `subject` what about ("vote:3"). Never raised for anonymous acts."""

    group_id: int
    person_id: int
    kind: str
    subject: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SettingChanged:
    """A co-chair changed one of the group's settings (a feature may re-plan work that depends on it)."""

    group_id: int
    key: str
    at: datetime


@dataclass(frozen=True, slots=True)
class GroupSetUp:
    """A chat became a group (/setup); `person_id` is its first co-chair."""

    group_id: int
    person_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Stopped:
    """The person typed /cancel: every feature ends what it was doing with them (a half-made vote)."""

    person_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class MeetingChanged:
    """A meeting was added, moved or cancelled (work planned around it may need re-planning)."""

    group_id: int
    meeting_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class MeetingStarted:
    """A meeting began: its check-in opened (at its time, or when a co-chair typed /startmeeting)."""

    group_id: int
    meeting_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class HelpAsked:
    """Someone asked for support or training (/askhelp): the co-chairs were told; the skills bank may offer
    the members whose skills fit."""

    group_id: int
    person_id: int
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class MeetingEnded:
    """A meeting finished (at its end time, or when a co-chair typed /endmeeting)."""

    group_id: int
    meeting_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class VoteOpened:
    """A vote began (a meeting under way may count it as one of its decisions)."""

    group_id: int
    vote_id: int
    question: str
    at: datetime
    about: str | None = None  # what another feature asked it for (see SignOffWanted)


@dataclass(frozen=True, slots=True)
class VoteClosed:
    """A vote closed; `result` is its result as one plain sentence (for a meeting's record). `passed`: for a
    yes/no vote, whether Yes won with the quorum met (None for other kinds)."""

    group_id: int
    vote_id: int
    question: str
    result: str
    at: datetime
    about: str | None = None
    passed: bool | None = None


@dataclass(frozen=True, slots=True)
class SignOffWanted:
    """A feature wants lay partners to sign something off (a completed project): the voting feature opens a
    lay-partners-only yes/no vote with a quorum, and tells the result back through `VoteClosed.about`."""

    group_id: int
    person_id: int  # who asked
    about: str  # "project:3"
    question: str
    closes_at: datetime
    at: datetime


@dataclass(frozen=True, slots=True)
class About:
    """What a section is asked about: one meeting of a group (its agenda in a reminder, its record)."""

    group_id: int
    meeting_id: int
    starts_at: datetime
    timezone: str
    now: datetime
