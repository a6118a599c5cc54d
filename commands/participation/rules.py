"""What counts as taking part: pure decisions, tested directly."""

from __future__ import annotations

from bot.events import Standing

#: The ways of taking part the bot can see, counted separately.
MESSAGE = "message"
#: Every kind, in the order the report lists them.
KINDS = ("message", "ballot", "view", "proposal", "support", "comment", "hand", "checkin", "thread_message")


def counts(standing: Standing) -> bool:
    """Only members' acts count: someone who left is no longer part of the group's conversation."""
    return standing is Standing.MEMBER
