"""What a handler is given: who, where, the resolved group and person, one database session."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dates import format_when
from bot.errors import UserError
from bot.i18n import _
from bot.registry import Registry, clean_text
from bot.types import ButtonPress, ChatKind, ChatMessage, ChatRef, InboundEvent, MessageRef, UserRef
from storage import queries
from storage.models import Channel, Group, Membership, Person, Role

if TYPE_CHECKING:
    from bot.ports import PlatformPort


@dataclass
class Context:
    """Everything one handler needs. One Context per inbound event, one transaction per Context."""

    event: InboundEvent
    session: AsyncSession
    clock: Clock
    registry: Registry
    port: PlatformPort | None
    person: Person
    group: Group | None = None
    channel: Channel | None = None  # the group's channel this event came from (not in private chats)
    membership: Membership | None = None
    several_groups: bool = False
    args: dict[str, Any] = field(default_factory=dict)
    toast: str | None = None
    default_timezone: str = "Europe/London"
    #: What the bot stored when it asked the question this message answers (see `ask`).
    prompt_data: dict[str, Any] = field(default_factory=dict)
    #: Set by handlers that changed scheduled work (a deadline), so the scheduler re-reads it.
    jobs_changed: bool = False
    #: Set by `ask`: "chat" or "private", where this person's next message answers the question asked.
    asked: str | None = None
    #: Keys of messages to bring up to date after the commit (see `refresh`).
    refresh_keys: set[str] = field(default_factory=set)
    #: Facts that never change once written (a vote's options), shared by this process's events.
    memo: dict[str, Any] = field(default_factory=dict)
    _settings: dict[str, str] | None = None

    @property
    def actor(self) -> UserRef:
        return self.event.actor

    @property
    def chat(self) -> ChatRef:
        return self.event.chat

    @property
    def payload(self) -> str:
        return self.event.payload if isinstance(self.event, ButtonPress) else ""

    @property
    def text(self) -> str:
        """The words of a message answering a question the bot asked (empty otherwise)."""
        return self.event.text if isinstance(self.event, ChatMessage) else ""

    async def ask(
        self, prompt: str, data: dict[str, Any] | None = None, *, minutes: int = 30, privately: bool = False
    ) -> None:
        """Send this person's next message in this chat (or, `privately`, in their private chat with
        the bot) to the prompt `prompt`, with `data`."""
        await queries.set_pending(
            self.session,
            platform=self.actor.platform,
            chat_id=queries.ANY_PRIVATE_CHAT if privately else self.chat.id,
            user_id=self.actor.id,
            prompt=prompt,
            data=json.dumps(data or {}),
            expires_at=self.now() + timedelta(minutes=minutes),
        )
        self.asked = "private" if privately else "chat"

    def refresh(self, key: str) -> None:
        """After the commit, re-render the messages posted under `key` (coalesced; see bot.live)."""
        self.refresh_keys.add(key)

    async def posted(self, key: str) -> list[MessageRef]:
        """Messages the bot posted under `key`, to edit them (a live tally)."""
        rows = await queries.posted_messages(self.session, key)
        return [
            MessageRef(ChatRef(row.platform, row.chat_id, ChatKind(row.chat_kind)), row.message_id)  # type: ignore[arg-type]
            for row in rows
        ]

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.active

    @property
    def is_cochair(self) -> bool:
        return self.is_member and self.membership is not None and self.membership.role is Role.COCHAIR

    def now(self) -> datetime:
        return self.clock.now()

    def require_group(self) -> Group:
        """The group this event is about; raises a kind UserError if there is none."""
        if self.group is None:
            raise UserError(no_group_message(self.chat.is_private, self.several_groups))
        return self.group

    def use_group(self, group: Group | None) -> None:
        """Work in another group than the chat's (a vote pressed in a private chat names its group)."""
        self.group = group
        self._settings = None

    def require_cochair(self) -> None:
        if not self.is_cochair:
            raise UserError(_("Only co-chairs can do that. Ask a co-chair if you need it done."))

    async def settings(self) -> dict[str, str]:
        """The group's settings with defaults filled in (read once per event)."""
        if self._settings is None:
            group = self.require_group()
            stored = await queries.group_settings(self.session, group.id)
            self._settings = {key: stored.get(key, s.default) for key, s in self.registry.settings.items()}
            if "timezone" not in stored:
                self._settings["timezone"] = self.default_timezone
        return self._settings

    async def setting(self, key: str) -> str:
        return (await self.settings())[key]

    async def set_setting(self, key: str, value: str | None) -> None:
        group = self.require_group()
        await queries.set_group_setting(self.session, group.id, key, value)
        self._settings = None

    async def timezone(self) -> str:
        return await self.setting("timezone")

    async def when(self, moment: datetime) -> str:
        """A moment the UK way in the group's time zone: 'Tuesday 3 December, 6:30pm'."""
        return format_when(moment, await self.timezone(), now=self.now())

    async def find_member(self, query: str) -> queries.RosterEntry:
        """A member of this group by name, @handle or platform mention; kind errors otherwise."""
        group = self.require_group()
        wanted = clean_text(query)
        mention = _mention_id(wanted)
        handle = wanted[1:].casefold() if wanted.startswith("@") else None
        entries = await queries.member_accounts(self.session, group.id)
        if mention is not None:
            found = {e.person_id: e for e, a in entries if a.user_id == mention}
        elif handle is not None:
            found = {e.person_id: e for e, a in entries if (a.handle or "").casefold() == handle}
        else:
            folded = wanted.casefold()
            found = {e.person_id: e for e, _a in entries if e.name.casefold() == folded}
            if not found:
                found = {e.person_id: e for e, _a in entries if e.name.casefold().startswith(folded)}
        if len(found) == 1:
            return next(iter(found.values()))
        if not found:
            raise UserError(
                _("I can't find a member called “{name}”. Type /members to see everyone's names.").format(
                    name=wanted[:40]
                )
            )
        names = ", ".join(sorted(e.name for e in found.values()))
        raise UserError(
            _("More than one member matches “{name}”: {names}. Please type the full name.").format(
                name=wanted[:40], names=names
            )
        )


MAX_NAME_CHARS = 100


def account_names(actor: UserRef) -> tuple[str, str | None]:
    """The display name and handle we store for an account: cleaned and cut to fit."""
    name = clean_text(actor.display_name)[:MAX_NAME_CHARS].rstrip() or _("Someone")
    handle = clean_text(actor.handle)[:100] if actor.handle else None
    return name, handle


def _mention_id(text: str) -> str | None:
    """The user id in a Discord-style mention `<@123>` or `<@!123>`."""
    if text.startswith("<@") and text.endswith(">"):
        inner = text[2:-1].lstrip("!")
        if inner.isdigit():
            return inner
    return None


def no_group_message(private: bool, several: bool) -> str:
    if several:
        return _("You belong to more than one group, so please do this in your group's chat.")
    if private:
        return _("You haven't joined a group yet. Type /join in your group's chat to join.")
    return _("This chat isn't set up yet. A chat admin can type /setup to start.")
