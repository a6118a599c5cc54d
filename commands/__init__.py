"""Features: one module each. Every module declares its commands, button actions and settings once."""

from bot.registry import Feature
from commands import group, membership, voting

FEATURES: tuple[Feature, ...] = (group.FEATURE, membership.FEATURE, voting.FEATURE)
