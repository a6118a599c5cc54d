"""Features: one module each. Every module declares its commands, button actions and settings once."""

from commands import group, membership
from bot.registry import Feature

FEATURES: tuple[Feature, ...] = (group.FEATURE, membership.FEATURE)
