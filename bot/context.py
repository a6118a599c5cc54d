"""What a handler, a listener or a scheduled job is given: one unit of work (one transaction) and the
ways to act beyond it: messages to send once it commits, events for other features, work to reschedule."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.dates import format_when
from bot.errors import UserError
from bot.events import SettingChanged
from bot.group_settings import Setting
from bot.i18n import _
from bot.text import clean_text
from bot.types import ButtonPress, ChatKind, ChatMessage, ChatRef, InboundEvent, MessageRef, Reply, UserRef
from storage import conversations, groups, outbox, people
from storage.groups import Channel, Group, Membership, Role
from storage.people import Person

if TYPE_CHECKING:
    from bot.ports import PlatformPort


#: A question the bot asked waits this long for its answer (and ends sooner if the person types a command).
QUESTION_MINUTES = 15


@dataclass
class Unit:
    """One unit of work: a database session (one transaction) and the clock, plus what is to happen
    once it commits. Messages to other chats go to the outbox in this same transaction, so they are
    sent exactly once; events reach listening features inside it."""

    session: AsyncSession
    clock: Clock
    #: Messages for other chats or people (each Reply has `to`), written to the outbox before commit.
    outgoing: list[Reply] = field(default_factory=list)
    #: Events for listening features, handled before commit.
    events: list[object] = field(default_factory=list)
    #: Scheduled work to re-read after commit: (job kind, item id), like ("vote", "12").
    rescheduled: set[tuple[str, str]] = field(default_factory=set)
    #: Keys of live messages to bring up to date after the commit (see bot.live).
    refresh_keys: set[str] = field(default_factory=set)
    #: Where `section` finds features' lines (the dispatcher's; none in a bare unit).
    section_source: Callable[[AsyncSession, str, object], Awaitable[list[str]]] | None = None
    #: Facts kept between events in this process (a vote's options, a group's glossary index): the dispatcher's.
    memo: dict[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()

    def send(self, reply: Reply, target: ChatRef | UserRef) -> None:
        """Send `reply` to a chat or privately to a person once this unit commits (through the outbox)."""
        self.outgoing.append(replace(reply, to=target))

    def emit(self, event: object) -> None:
        """Tell listening features that something happened (see bot.events)."""
        self.events.append(event)

    def reschedule(self, kind: str, ident: object) -> None:
        """The scheduled work of one item changed (a vote's deadline): the scheduler re-reads it."""
        self.rescheduled.add((kind, str(ident)))

    async def section(self, name: str, about: object) -> list[str]:
        """Every feature's lines for a section of what this feature shows: the agenda in a meeting reminder
        ("meeting_reminder"), items and decisions in a meeting's record ("minutes"). Features never import
        each other; this is how one shows another's part."""
        if self.section_source is None:
            return []
        return await self.section_source(self.session, name, about)

    def refresh(self, key: str) -> None:
        """After the commit, re-render the messages posted under `key` (coalesced; see bot.live)."""
        self.refresh_keys.add(key)

    async def posted(self, key: str) -> list[MessageRef]:
        """Messages the bot posted under `key`, to edit them (a live tally)."""
        return [
            MessageRef(ChatRef(row.platform, row.chat_id, ChatKind(row.chat_kind)), row.message_id)  # type: ignore[arg-type]
            for row in await outbox.posted_messages(self.session, key)
        ]


def channel_chat(channel: Channel) -> ChatRef:
    """Where to post in one of a group's channels."""
    return ChatRef(channel.platform, channel.chat_id, ChatKind.GROUP, channel.title)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the group named in a command (resolved by the dispatcher from a member parameter)."""

    person_id: int
    name: str


@dataclass
class Context(Unit):
    """Everything one handler needs. One Context per inbound event, one transaction per Context."""

    event: InboundEvent | None = None
    person: Person | None = None
    group: Group | None = None
    channel: Channel | None = None  # the group's channel this event came from (not in private chats)
    membership: Membership | None = None
    #: The question the bot is waiting to hear this person answer in this chat, if any (its row id).
    pending_here: int | None = None
    #: This command ended a question the bot was waiting to hear answered (so /cancel did stop something).
    question_ended: bool = False
    several_groups: bool = False
    port: PlatformPort | None = None
    #: The settings features declared, by key: the group's, and each person's own.
    declared_settings: Mapping[str, Setting] = field(default_factory=dict)
    declared_my_settings: Mapping[str, Setting] = field(default_factory=dict)
    #: Kinds of anonymous post a co-chair may hide, by the word typed after /hide (bot.registry.Hideable).
    declared_hideables: Mapping[str, Any] = field(default_factory=dict)
    #: How each part of the bot exports and erases one person's records (bot.personal_data), by name.
    declared_personal_data: Mapping[str, Any] = field(default_factory=dict)
    #: The commands this person may use here, as (name, summary) (for /help; the one permission check).
    usable_commands: Callable[[], Awaitable[list[tuple[str, str]]]] | None = None
    args: dict[str, Any] = field(default_factory=dict)
    toast: str | None = None
    default_timezone: str = groups.DEFAULT_TIMEZONE
    #: The key of the bot's post this message answers (a reply, or a message in its thread), like "paper:3".
    replied_key: str | None = None
    #: What the bot stored when it asked the question this message answers (see `ask`).
    prompt_data: dict[str, Any] = field(default_factory=dict)
    #: Set by `ask`: "chat" or "private", where this person's next message answers the question asked.
    asked: str | None = None
    _settings: dict[str, str] | None = None

    @property
    def actor(self) -> UserRef:
        assert self.event is not None
        return self.event.actor

    @property
    def chat(self) -> ChatRef:
        assert self.event is not None
        return self.event.chat

    @property
    def me(self) -> Person:
        """The person who acted."""
        assert self.person is not None
        return self.person

    @property
    def payload(self) -> str:
        return self.event.payload if isinstance(self.event, ButtonPress) else ""

    @property
    def text(self) -> str:
        """The words of a message answering a question the bot asked (empty otherwise), cleaned like every
        text people type: no control characters or invisible direction overrides, line breaks kept."""
        return clean_text(self.event.text, keep_lines=True) if isinstance(self.event, ChatMessage) else ""

    async def ask(
        self,
        prompt: str,
        data: dict[str, Any] | None = None,
        *,
        minutes: int = QUESTION_MINUTES,
        privately: bool = False,
        typed: bool = True,
    ) -> None:
        """Send this person's next message in this chat (or, `privately`, in their private chat with
        the bot) to the prompt `prompt`, with `data`. `typed=False`: the question mainly expects a
        button (typed words are still understood), so platforms need not offer a form to type in."""
        await conversations.set_pending(
            self.session,
            platform=self.actor.platform,
            chat_id=conversations.ANY_PRIVATE_CHAT if privately else self.chat.id,
            user_id=self.actor.id,
            prompt=prompt,
            data=json.dumps(data or {}),
            expires_at=self.now() + timedelta(minutes=minutes),
        )
        if typed:
            self.asked = "private" if privately else "chat"

    async def take_question(self, prompt: str) -> dict[str, Any] | None:
        """What was stored when the bot asked `prompt` here (or privately), if that question is still waiting:
        a button answered it, so it stops waiting. None if it was answered, stopped or expired."""
        # A question asked privately may be answered by a button shown only to them anywhere (Discord's
        # "only you" messages in a channel), so the private question counts here too.
        chats = [self.chat.id, conversations.ANY_PRIVATE_CHAT]
        pending = await conversations.take_prompt(
            self.session,
            platform=self.actor.platform,
            chat_ids=chats,
            user_id=self.actor.id,
            prompt=prompt,
            now=self.now(),
        )
        if pending is None:
            return None
        data: dict[str, Any] = json.loads(pending.data or "{}")
        return data

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.active

    @property
    def is_cochair(self) -> bool:
        return self.is_member and self.membership is not None and self.membership.role is Role.COCHAIR

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
            stored = await groups.group_settings(self.session, group.id)
            self._settings = {
                key: s.read(group) if s.read is not None else stored.get(key, s.default)
                for key, s in self.declared_settings.items()
            }
        return self._settings

    async def setting(self, key: str) -> str:
        return (await self.settings())[key]

    async def set_setting(self, key: str, value: str | None) -> None:
        group = self.require_group()
        declared = self.declared_settings[key]
        if declared.write is not None:
            declared.write(group, value if value is not None else declared.default)
        else:
            await groups.set_group_setting(self.session, group.id, key, value)
        self._settings = None
        self.emit(SettingChanged(group.id, key, self.now()))

    async def my_settings(self) -> dict[str, str]:
        """This person's own settings, with defaults filled in."""
        stored = await people.person_settings(self.session, self.me.id)
        return {key: stored.get(key, s.default) for key, s in self.declared_my_settings.items()}

    async def set_my_setting(self, key: str, value: str) -> None:
        await people.set_person_setting(self.session, self.me.id, key, value)

    def timezone(self) -> str:
        """The group's time zone (the server's default outside a group)."""
        return self.group.timezone if self.group is not None else self.default_timezone

    def when(self, moment: datetime) -> str:
        """A moment the UK way in the group's time zone: 'Tuesday 3 December, 6:30pm'."""
        return format_when(moment, self.timezone(), now=self.now())


MAX_NAME_CHARS = 100


def account_names(actor: UserRef) -> tuple[str, str | None]:
    """The display name and handle we store for an account: cleaned and cut to fit."""
    name = clean_text(actor.display_name)[:MAX_NAME_CHARS].rstrip() or _("Someone")
    handle = clean_text(actor.handle)[:100] if actor.handle else None
    return name, handle


def no_group_message(private: bool, several: bool) -> str:
    if several:
        return _("You belong to more than one group, so please do this in your group's chat.")
    if private:
        return _("You haven't joined a group yet. Type /join in your group's chat to join.")
    return _("This chat isn't set up yet. A chat admin can type /setup to start.")
