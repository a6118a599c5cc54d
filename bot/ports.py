"""What the core needs from a chat platform. Each adapter implements this; the core never imports one."""

from __future__ import annotations

from typing import Protocol

from bot.types import ChatRef, MessageRef, Platform, Reply, UserRef


class DeliveryFailed(Exception):
    """A message could not be delivered (for example, the person never opened a private chat)."""


class TokenRefused(Exception):
    """The platform did not accept the bot's token; the message says, in plain words, what to check."""


class PlatformUnreachable(Exception):
    """The platform could not be reached when the bot started; the message says, in plain words, what to check."""


class PlatformPort(Protocol):
    """An adapter as the core sees it."""

    platform: Platform
    #: Can a reply in a group chat be shown to one person only, right there? (Discord's "only you can see
    #: this": yes. Telegram: no, such replies go by private chat.)
    private_in_place: bool

    async def is_chat_admin(self, chat: ChatRef, user: UserRef) -> bool:
        """Does this person administer this chat on the platform? (Asked by /setup.)"""
        ...

    async def sees_all_messages(self, chat: ChatRef) -> bool:
        """Does the bot see ordinary messages in this group chat? (Telegram: only if its privacy mode is off
        or it administers the chat; otherwise only commands and replies to it. Discord: yes, as events, even
        without their words.) "Who hasn't taken part" says so when it can't."""
        ...

    def contact(self, user: UserRef) -> str | None:
        """How someone on this platform can reach `user` directly, written the platform's way (a Telegram
        @username, a Discord mention), or None. Features never write platform syntax themselves."""
        ...

    async def setup_notes(self, chat: ChatRef) -> list[str]:
        """Plain advice for a co-chair setting up this chat (a platform setting that needs changing)."""
        ...

    async def deliver(self, reply: Reply, target: ChatRef | UserRef) -> MessageRef | None:
        """Send (or, with reply.edit, edit) a message to a chat or privately to a person."""
        ...
