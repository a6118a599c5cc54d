"""Discord, through discord.py 2.x.

Translates Discord interactions and messages into core events and core replies into Discord messages:
- slash commands are built from the registry with typed options (text, whole number, member,
  choices, a file as an attachment option) and synced to one server when DISCORD_GUILD_ID is set,
  globally otherwise, and only when what is declared differs from what Discord already has;
- every button is one `TouchstoneButton` (a DynamicItem whose custom_id is the core's
  `action:payload`), so buttons on old messages keep working after a restart, and nothing is kept
  in memory per message;
- every interaction is acknowledged (deferred) before any database work, well inside Discord's
  3 seconds; "only you can see this" replies are ephemeral; messages for the whole channel are
  ordinary channel messages, so a vote's live tally can be edited days later;
- reminders go by direct message; if a person's DMs are closed, the message is kept for them and
  the channel gets one short hint;
- edits of the same message are coalesced; text over 2,000 characters is split;
- a reply's files are attachments of its message (the last part of long text, with the buttons; ten at
  most a message, the rest follow), ephemeral ones too; a link button is Discord's link button, and a
  button whose press belongs in the private chat is an ordinary one (the answer can be "only you");
- permissions are checked on our side: the co-chair roster for group commands, and Manage Server or
  Manage Channels (as Discord computed them for that very interaction) for /setup;
- intents are minimal (no members or message-content intent): a message still counts as a
  contribution signal, with who, where and when, never the words;
- files attached to a slash command are downloaded (up to 20 MB; larger ones are refused kindly without
  reaching the core) and passed in `CommandCall.files`;
- a reply with `thread` posted in a server channel starts a public thread from its message (same id); messages
  in a thread started from one of the bot's messages, and replies to the bot's messages, say which message
  they answer (`ChatMessage.reply_to`), even without their words.

The core never sees a Discord type; this module never sees a vote or a glossary.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.coalesce import CoalescedEdits, split_lines
from bot.dispatcher import Dispatcher
from bot.i18n import _
from bot.ports import DeliveryFailed, PlatformUnreachable, TokenRefused
from bot.registry import Command, ParamKind, Registry, Where
from bot.text import split_command
from bot.types import (
    Attachment,
    Button,
    ButtonPress,
    ButtonRows,
    ChatKind,
    ChatMessage,
    ChatRef,
    CommandCall,
    MessageRef,
    Outcome,
    Platform,
    Reply,
    UserRef,
)

log = logging.getLogger("touchstone.discord")
T = TypeVar("T")

#: Discord's limit for a message's text.
MESSAGE_LIMIT = 2000
#: At most one edit of the same message this often (Discord allows about 5 edits per 5 seconds per channel).
EDIT_INTERVAL_S = 1.5
#: Discord's limits for buttons: 5 rows of 5, labels up to 80 characters.
MAX_ROWS, MAX_PER_ROW, MAX_LABEL = 5, 5, 80
#: Discord's limit for files on one message.
MAX_FILES = 10
#: The button that opens a form to type an answer in (Discord sends no typed words from server channels).
ANSWER_ACTION = "ts_answer"
#: Discord's "Cannot send messages to this user" (DMs closed, or no shared server).
CANNOT_MESSAGE_USER = 50007
#: The largest file attached to a command that the bot downloads (the same as on Telegram).
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024
#: Discord's limit for a thread's name.
THREAD_NAME_LIMIT = 100
#: How long a download of an attached file may take, in seconds.
DOWNLOAD_TIMEOUT_S = 60.0
#: A thread the bot starts is archived after a week without messages (a message brings it back).
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080
#: Discord's "A thread has already been created for this message".
THREAD_ALREADY_CREATED = 160004

#: Slash command option types (Discord's numbers) for each kind of parameter.
OPTION_TYPES = {
    ParamKind.TEXT: discord.AppCommandOptionType.string.value,
    ParamKind.WHEN: discord.AppCommandOptionType.string.value,
    ParamKind.CHOICE: discord.AppCommandOptionType.string.value,
    ParamKind.NUMBER: discord.AppCommandOptionType.integer.value,
    ParamKind.MEMBER: discord.AppCommandOptionType.user.value,
    ParamKind.FILE: discord.AppCommandOptionType.attachment.value,
}
#: Where a command can be used: 0 is a server, 1 is a direct message with the bot.
CONTEXTS = {Where.GROUP: [0], Where.PRIVATE: [1], Where.BOTH: [0, 1]}


# ---- pure translation (tested without a connection) -----------------------------------------------


def command_payloads(registry: Registry) -> list[dict[str, Any]]:
    """The registry's commands as Discord application commands, with typed options."""
    payloads = []
    for command in sorted(registry.commands.values(), key=lambda c: c.name):
        options = []
        for param in command.params:
            option: dict[str, Any] = {
                "type": OPTION_TYPES[param.kind],
                "name": param.name,
                "description": param.summary[:100],
                "required": param.required,
            }
            if param.kind is ParamKind.CHOICE:
                option["choices"] = [{"name": choice, "value": choice} for choice in param.choices]
            if param.kind is ParamKind.NUMBER:
                option["min_value"] = 1
            options.append(option)
        payloads.append(
            {
                "type": 1,
                "name": command.name,
                "description": command.summary[:100],
                "options": options,
                "contexts": CONTEXTS[command.where],
                "integration_types": [0],
            }
        )
    return payloads


def comparable(commands: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What matters when deciding whether Discord's copy of the commands is out of date."""

    def option_key(option: dict[str, Any]) -> tuple[Any, ...]:
        choices = tuple((c["name"], c["value"]) for c in option.get("choices") or ())
        return (
            option["type"],
            option["name"],
            option["description"],
            bool(option.get("required", False)),
            choices,
            option.get("min_value"),
        )

    return sorted(
        (
            command.get("type", 1),
            command["name"],
            command["description"],
            tuple(option_key(option) for option in command.get("options") or ()),
            tuple(command.get("contexts") or ()),
        )
        for command in commands
    )


def args_text(
    command: Command, options: list[dict[str, Any]], resolved: dict[str, Any] | None = None
) -> tuple[str, tuple[tuple[str, UserRef], ...]]:
    """Typed slash options back into the argument text the core parses (`a | b` or `word rest`), and
    the accounts Discord picked for member options, by parameter name. A picked member appears in the
    text by name; the core finds them by the account, so no Discord syntax (`<@id>`) reaches it. A file
    parameter is never typed, so it has no place in the text (see `attached_files`)."""
    values = {option["name"]: option.get("value") for option in options}
    users = (resolved or {}).get("users", {})
    nicknames = (resolved or {}).get("members", {})
    pieces = []
    picked: list[tuple[str, UserRef]] = []
    for param in command.params:
        if param.kind is ParamKind.FILE:
            continue
        value = values.get(param.name)
        if value is None:
            pieces.append("")
        elif param.kind is ParamKind.MEMBER:
            user = users.get(str(value), {})
            name = (
                (nicknames.get(str(value)) or {}).get("nick")
                or user.get("global_name")
                or user.get("username")
                or str(value)
            )
            picked.append((param.name, UserRef("discord", str(value), name, handle=user.get("username"))))
            pieces.append(name)
        else:
            pieces.append(str(value))
    if command.separator is not None:
        while pieces and not pieces[-1]:
            pieces.pop()
        return f" {command.separator} ".join(pieces), tuple(picked)
    return " ".join(piece for piece in pieces if piece), tuple(picked)


def attached_files(
    command: Command, options: list[dict[str, Any]], resolved: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The files attached to a slash command's file parameters, in the order declared, as Discord describes
    them in `resolved.attachments` (filename, size, url, content_type)."""
    values = {option["name"]: option.get("value") for option in options}
    attachments = (resolved or {}).get("attachments", {})
    found = []
    for param in command.params:
        value = values.get(param.name)
        if param.kind is ParamKind.FILE and value is not None and str(value) in attachments:
            found.append(dict(attachments[str(value)]))
    return found


def attachment_mime(described: dict[str, Any]) -> str:
    """A file's type as Discord gave it, without parameters ("text/plain; charset=utf-8" → "text/plain")."""
    content_type = str(described.get("content_type") or "")
    if not content_type:
        content_type = mimetypes.guess_type(str(described.get("filename", "")), strict=False)[0] or ""
    return content_type.split(";")[0].strip().lower() or "application/octet-stream"


class FileTooBig(Exception):
    """A file over the size the bot downloads."""


async def download(url: str, limit: int = DOWNLOAD_MAX_BYTES) -> bytes:
    """The bytes at `url` (Discord's CDN), at most `limit` of them (FileTooBig beyond)."""
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
        response.raise_for_status()
        if response.content_length is not None and response.content_length > limit:
            raise FileTooBig(url)
        data = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            data.extend(chunk)
            if len(data) > limit:
                raise FileTooBig(url)
        return bytes(data)


async def once(known: dict[int, asyncio.Future[T]], key: int, look_up: Callable[[], Awaitable[T]]) -> T:
    """What `look_up` finds for `key`, looked up once however many ask at the same time (a failure is not kept,
    so the next one asks again)."""
    found = known.get(key)
    if found is None:
        found = known[key] = asyncio.ensure_future(look_up())
    try:
        return await asyncio.shield(found)
    except Exception:
        if known.get(key) is found:
            del known[key]
        raise


def thread_name(name: str) -> str:
    """A thread's name as Discord takes it: one line, at most 100 characters."""
    one_line = " ".join(name.split())
    return one_line if len(one_line) <= THREAD_NAME_LIMIT else one_line[: THREAD_NAME_LIMIT - 1] + "…"


def user_ref(user: discord.abc.User) -> UserRef:
    return UserRef("discord", str(user.id), user.display_name, handle=user.name)


def interaction_chat(interaction: discord.Interaction[Any]) -> ChatRef:
    channel_id = str(interaction.channel_id)
    if interaction.guild_id is None:
        return ChatRef("discord", channel_id, ChatKind.PRIVATE)
    return ChatRef("discord", channel_id, ChatKind.GROUP, getattr(interaction.channel, "name", "") or "")


def message_chat(message: discord.Message, channel: Any = None) -> ChatRef:
    """Where a message was written: a direct message, a server channel, or a thread (`channel`: the message's
    channel when it had to be looked up)."""
    channel = channel if channel is not None else message.channel
    if message.guild is None:
        return ChatRef("discord", str(message.channel.id), ChatKind.PRIVATE)
    if isinstance(channel, discord.Thread):
        return ChatRef("discord", str(channel.id), ChatKind.THREAD, channel.name)
    return ChatRef("discord", str(message.channel.id), ChatKind.GROUP, getattr(channel, "name", "") or "")


def thread_parent(thread: discord.Thread) -> ChatRef:
    """The server channel a thread was started in."""
    return ChatRef("discord", str(thread.parent_id), ChatKind.GROUP, getattr(thread.parent, "name", "") or "")


#: A button's custom_id: the core's `action:payload`.
BUTTON_TEMPLATE = r"(?P<action>[a-z0-9_]{1,32}):(?P<payload>.*)"


class TouchstoneButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    """Every Touchstone button. Its custom_id is the core's `action:payload` (ids only, never authority),
    so a press on a message sent before a restart is understood without any stored view."""

    def __init__(self, action: str, payload: str, label: str = "", *, row: int | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=(label or action)[:MAX_LABEL],
                custom_id=f"{action}:{payload}",
                style=discord.ButtonStyle.secondary,
            ),
            row=row,
        )
        self.action = action
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> TouchstoneButton:
        return cls(match["action"], match["payload"], getattr(item, "label", "") or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if not isinstance(client, _Client):
            return
        if self.action == ANSWER_ACTION:
            await client.adapter.open_answer_form(interaction, privately=self.payload == "p")
        else:
            await client.adapter.on_press(interaction, self.action, self.payload)


class AnswerForm(discord.ui.Modal):
    """A pop-up form for typing the answer to a question the bot asked."""

    def __init__(self, adapter: DiscordAdapter, *, privately: bool, question: str) -> None:
        super().__init__(title=_("Your answer"), timeout=30 * 60)
        self.adapter = adapter
        self.privately = privately
        self.answer: discord.ui.TextInput[AnswerForm] = discord.ui.TextInput(
            label=_("Your answer"),
            style=discord.TextStyle.paragraph,
            placeholder=question[:100] or None,
            max_length=1000,
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await self.adapter.on_answer(interaction, self.answer.value, privately=self.privately)


async def acknowledge(interaction: discord.Interaction[Any], what: str, *, privately: bool) -> bool:
    """Acknowledge an interaction before any database work (Discord allows 3 seconds): a slash command or
    form with a "thinking…" note only this person sees, a press as a deferred update of its message.
    If Discord no longer accepts it, nothing is done with it, so the person's retry is not applied twice."""
    try:
        if privately:
            await interaction.response.defer(ephemeral=True, thinking=True)
        else:
            await interaction.response.defer()
    except discord.HTTPException as error:
        log.warning("could not acknowledge %s in time, so it was not used: %s", what, error)
        return False
    return True


def view_for(rows: ButtonRows) -> discord.ui.View | None:
    """Core buttons as Discord components: rows of at most five, at most five rows."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    fitted = [row[start : start + MAX_PER_ROW] for row in rows for start in range(0, len(row), MAX_PER_ROW)]
    if len(fitted) > MAX_ROWS:
        # More rows than Discord shows: the same buttons in the same order, five to a row, so none is lost
        # while 25 fit.
        flat = [button for row in fitted for button in row]
        fitted = [tuple(flat[start : start + MAX_PER_ROW]) for start in range(0, len(flat), MAX_PER_ROW)]
    if len(fitted) > MAX_ROWS:
        log.warning("a message had more buttons than Discord allows; the rest were left off")
    for index, row in enumerate(fitted[:MAX_ROWS]):
        for button in row:
            if button.url is not None:
                link: discord.ui.Button[Any] = discord.ui.Button(
                    label=button.label[:MAX_LABEL], url=button.url, style=discord.ButtonStyle.link, row=index
                )
                view.add_item(link)
            else:  # a button pressed "in private" is an ordinary one: its answer can be for this person only
                view.add_item(TouchstoneButton(button.action, button.payload, button.label, row=index))
    view.stop()  # only its components are sent; presses come back through TouchstoneButton
    return view


def _components(view: discord.ui.View | None) -> dict[str, Any]:
    return {"view": view} if view is not None else {}


def file_batches(files: tuple[Attachment, ...]) -> list[tuple[Attachment, ...]]:
    """A reply's files in groups Discord takes on one message (ten at most)."""
    return [files[start : start + MAX_FILES] for start in range(0, len(files), MAX_FILES)]


def discord_files(files: tuple[Attachment, ...]) -> list[discord.File]:
    """Files for one message (discord.py reads each once, so they are made afresh for every send)."""
    return [discord.File(io.BytesIO(attachment.data), filename=attachment.filename) for attachment in files]


# ---- the adapter ---------------------------------------------------------------------------------


class _Client(discord.Client):
    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(**options)
        self.adapter = adapter

    async def setup_hook(self) -> None:
        self.add_dynamic_items(TouchstoneButton)

    async def on_ready(self) -> None:
        self.adapter.ready.set()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is discord.InteractionType.application_command:
            await self.adapter.on_slash(interaction)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.on_message(message)


#: The slash command being handled in this task: (channel id, user id, the permissions Discord computed).
#: The bot's own permissions there come with it, for /setup's advice (see setup_notes).
_asking: ContextVar[tuple[str, str, discord.Permissions, discord.Permissions] | None] = ContextVar(
    "discord_asking", default=None
)


@dataclass
class _Ephemeral:
    """Where the next "only you" reply to an interaction goes: the deferred original, or a follow-up."""

    original_waiting: bool


@dataclass
class DiscordAdapter:
    """Touchstone on Discord."""

    dispatcher: Dispatcher
    registry: Registry
    token: str
    api_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    guild_id: int | None = None
    edit_interval: float = EDIT_INTERVAL_S
    #: How long discord.py waits after the last server arrives before saying it is ready.
    guild_ready_timeout: float = 2.0
    #: The privileged message-content intent, if the deployer switched it on in the developer portal: then the
    #: words of messages in a paper's thread are views (without it they only count as taking part).
    message_content: bool = False
    platform: Platform = "discord"
    private_in_place: bool = True  # ephemeral replies
    client: _Client = field(init=False)
    ready: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _edits: CoalescedEdits = field(init=False)
    _hinted: set[tuple[str, str]] = field(init=False, default_factory=set)
    _connection: asyncio.Task[None] | None = field(init=False, default=None)
    _in_flight: int = field(init=False, default=0)
    _idle: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    #: Threads started by someone else: whether the message they start from is the bot's (looked up once).
    _thread_starters: dict[int, asyncio.Future[bool]] = field(init=False, default_factory=dict)
    #: Server channels discord.py had not cached (a thread it never heard of), looked up once.
    _looked_up: dict[int, asyncio.Future[Any]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # the servers and channels the bot is in
        intents.guild_messages = True  # who spoke where and when (no content without the privileged intent)
        intents.dm_messages = True  # answers typed in a direct message
        intents.message_content = self.message_content
        self.client = _Client(
            self,
            intents=intents,
            max_messages=None,  # no message cache: the bot edits by id
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            guild_ready_timeout=self.guild_ready_timeout,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self._edits = CoalescedEdits(self._edit_now, self.edit_interval)
        self._idle.set()
        self.dispatcher.attach(self)

    @contextlib.asynccontextmanager
    async def _handling(self) -> AsyncIterator[None]:
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    # ---- life cycle ---------------------------------------------------------------------------------

    async def start(self, *, timeout: float = 60.0) -> None:
        """Log in, sync the slash commands if they changed, connect to the gateway and wait until ready."""
        Route.BASE = self.api_url.rstrip("/")
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            await self.client.login(self.token)
            await self.sync_commands()
        except discord.LoginFailure as error:
            await self.client.close()
            raise TokenRefused(
                "Discord did not accept DISCORD_TOKEN. Copy the bot's token again from the Discord developer portal."
            ) from error
        except (aiohttp.ClientError, OSError, discord.DiscordServerError) as error:
            await self.client.close()
            where = yarl.URL(self.api_url).host or self.api_url
            raise PlatformUnreachable(
                f"Touchstone could not reach Discord at {where} ({type(error).__name__}). "
                "Check the network and DISCORD_API_URL, then start it again."
            ) from error
        except BaseException:
            await self.client.close()
            raise
        self._connection = asyncio.create_task(self.client.connect(reconnect=True))
        ready = asyncio.create_task(self.ready.wait())
        done, _pending = await asyncio.wait({ready, self._connection}, timeout=timeout, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            await self.stop()
            if self._connection is not None and self._connection.done() and self._connection.exception():
                raise self._connection.exception()  # type: ignore[misc]
            raise TimeoutError("Discord did not say the bot was ready")

    async def stop(self) -> None:
        await self._edits.settle()
        await self.client.close()
        if self._connection is not None:
            try:
                await self._connection
            except Exception:
                log.exception("the Discord connection ended with an error")
            self._connection = None

    async def lost(self) -> str:
        """Returns only if the gateway connection ends for good (discord.py retries passing failures itself)."""
        assert self._connection is not None
        try:
            await asyncio.shield(self._connection)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.error("the Discord connection ended: %r", error)
            return f"The connection to Discord ended ({type(error).__name__})."
        return "The connection to Discord ended."

    async def settle(self) -> None:
        """Wait until no interaction is being handled and no coalesced edit is waiting (tests; a clean stop)."""
        await self._idle.wait()
        await self._edits.settle()

    @property
    def username(self) -> str:
        user = self.client.user
        return user.name if user is not None else ""

    async def sync_commands(self) -> bool:
        """Send the slash commands to Discord if they differ from what it has. Returns whether it sent them."""
        app_id = self.client.application_id
        assert app_id is not None
        http = self.client.http
        declared = command_payloads(self.registry)
        if self.guild_id is not None:
            existing = await http.get_guild_commands(app_id, self.guild_id)
        else:
            existing = await http.get_global_commands(app_id)
        if comparable([dict(command) for command in existing]) == comparable(declared):
            log.info("Discord already has the current slash commands")
            return False
        if self.guild_id is not None:
            await http.bulk_upsert_guild_commands(app_id, self.guild_id, declared)
        else:
            await http.bulk_upsert_global_commands(app_id, declared)
        log.info("sent %d slash commands to Discord", len(declared))
        return True

    # ---- inbound ------------------------------------------------------------------------------------

    async def on_slash(self, interaction: discord.Interaction[Any]) -> None:
        async with self._handling():
            await self._on_slash(interaction)

    async def on_press(self, interaction: discord.Interaction[Any], action: str, payload: str) -> None:
        async with self._handling():
            await self._on_press(interaction, action, payload)

    async def on_message(self, message: discord.Message) -> None:
        async with self._handling():
            await self._on_message(message)

    async def open_answer_form(self, interaction: discord.Interaction[Any], *, privately: bool) -> None:
        """Show the form at once (a form must be Discord's first answer to a press; nothing is stored yet)."""
        message = interaction.message
        question = (message.content if message is not None else "").strip().splitlines()
        form = AnswerForm(self, privately=privately, question=question[-1] if question else "")
        try:
            await interaction.response.send_modal(form)
        except discord.HTTPException as error:
            log.warning("could not open the answer form: %s", error)

    async def on_answer(self, interaction: discord.Interaction[Any], text: str, *, privately: bool) -> None:
        async with self._handling():
            if not await acknowledge(interaction, "an answer", privately=True):
                return
            actor = user_ref(interaction.user)
            chat = interaction_chat(interaction)
            if privately and not chat.is_private:
                dm = await self.client.create_dm(discord.Object(id=int(actor.id)))
                chat = ChatRef("discord", str(dm.id), ChatKind.PRIVATE)
            origin = f"discord:i:{interaction.id}"
            outcome = await self.dispatcher.handle(ChatMessage(actor=actor, chat=chat, text=text, origin=origin))
            if not outcome.replies:
                outcome.replies.append(
                    Reply(
                        _("Thank you. I wasn't waiting for an answer from you, so nothing has changed."), private=True
                    )
                )
            if chat.is_private and interaction.guild_id is not None:
                # A private conversation carried on from a server channel: every reply is for this person only.
                outcome.replies = [replace(reply, private=True) for reply in outcome.replies]
            await self._answer(interaction, outcome, actor, chat, _Ephemeral(original_waiting=True))

    async def _on_slash(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        command = self.registry.commands.get(str(data.get("name", "")))
        if not await acknowledge(interaction, "a slash command", privately=True):
            return
        actor = user_ref(interaction.user)
        chat = interaction_chat(interaction)
        name = command.name if command is not None else str(data.get("name", ""))
        options = list(data.get("options") or ())
        args, picked = args_text(command, options, data.get("resolved")) if command is not None else ("", ())
        files: tuple[Attachment, ...] = ()
        if command is not None:
            fetched = await self._download_files(attached_files(command, options, data.get("resolved")))
            if isinstance(fetched, str):  # refused before the core heard of it: nothing was done
                refusal = Outcome(replies=[Reply(fetched, private=True)])
                await self._answer(interaction, refusal, actor, chat, _Ephemeral(original_waiting=True))
                return
            files = fetched
        # What Discord computed for this person in this channel, for /setup's check (see is_chat_admin).
        asking = _asking.set((chat.id, actor.id, interaction.permissions, interaction.app_permissions))
        try:
            outcome = await self.dispatcher.handle(
                CommandCall(
                    name=name,
                    args=args,
                    actor=actor,
                    chat=chat,
                    members=picked,
                    origin=f"discord:i:{interaction.id}",
                    files=files,
                )
            )
        finally:
            _asking.reset(asking)
        await self._answer(interaction, outcome, actor, chat, _Ephemeral(original_waiting=True))

    async def _download_files(self, described: list[dict[str, Any]]) -> tuple[Attachment, ...] | str:
        """The files attached to a command, downloaded; or what to tell the person when one cannot be."""
        too_big = _("That file is bigger than 20 MB, the most I can take. Please share a link to it instead.")
        files = []
        for item in described:
            size = item.get("size")
            if isinstance(size, int) and size > DOWNLOAD_MAX_BYTES:
                return too_big
            try:
                data = await download(str(item.get("url") or ""))
            except FileTooBig:
                return too_big
            except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as error:
                log.warning("could not download a file attached to a command (%s)", type(error).__name__)
                return _("Sorry, I couldn't fetch that file from Discord. Please try the command again in a minute.")
            files.append(Attachment(str(item.get("filename") or "file"), data, attachment_mime(item)))
        return tuple(files)

    async def _on_press(self, interaction: discord.Interaction[Any], action: str, payload: str) -> None:
        if not await acknowledge(interaction, "a button press", privately=False):
            return
        actor = user_ref(interaction.user)
        chat = interaction_chat(interaction)
        message = interaction.message
        ref = MessageRef(chat, str(message.id)) if message is not None else None
        outcome = await self.dispatcher.handle(
            ButtonPress(
                action=action,
                payload=payload,
                actor=actor,
                chat=chat,
                message=ref,
                origin=f"discord:i:{interaction.id}",
            )
        )
        where = _Ephemeral(original_waiting=False)
        if outcome.toast:
            await self._ephemeral(interaction, Reply(outcome.toast), where)
        replies = [r for r in outcome.replies if not (r.private and r.text == outcome.toast)]
        await self._answer(interaction, Outcome(replies=replies, asked=outcome.asked), actor, chat, where, pressed=ref)

    async def _on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        actor = user_ref(message.author)
        channel = await self._channel_of(message)
        chat = message_chat(message, channel)
        text = message.content or ""
        parsed = split_command(text) if chat.is_private else None
        event: ChatMessage | CommandCall
        if parsed is not None:
            # In a direct message the words arrive, so "/start" typed there works like the slash command.
            origin = f"discord:m:{message.id}"
            event = CommandCall(name=parsed[0], args=parsed[1], actor=actor, chat=chat, origin=origin)
        else:
            # Without the message-content intent Discord sends no words from server channels: the message
            # still counts as a contribution (who, where, when), and as an answer to the bot's message it is in
            # the thread of, or replies to.
            reply_to = await self._answers(message, channel, chat)
            event = ChatMessage(actor=actor, chat=chat, text=text, origin=f"discord:m:{message.id}", reply_to=reply_to)
        outcome = await self.dispatcher.handle(event)
        for reply in outcome.replies:
            if reply.private and not chat.is_private:
                await self._send_privately(reply, actor, hint_in=chat)
            else:
                await self._send_or_log(chat, reply)

    async def _channel_of(self, message: discord.Message) -> Any:
        """The message's channel; in a server, one discord.py had not cached (a thread it never heard of) is
        looked up once."""
        channel = message.channel
        if message.guild is None or not isinstance(channel, discord.PartialMessageable):
            return channel
        try:
            return await once(self._looked_up, channel.id, lambda: self.client.fetch_channel(channel.id))
        except discord.HTTPException as error:
            log.info("could not look up channel %s: %s", channel.id, error)
            return channel

    async def _answers(self, message: discord.Message, channel: Any, chat: ChatRef) -> MessageRef | None:
        """The bot's message this one answers: the one its thread was started from (a thread has that
        message's id), or the one it replies to."""
        if isinstance(channel, discord.Thread) and await self._started_from_mine(channel):
            return MessageRef(thread_parent(channel), str(channel.id))
        reference = message.reference
        me = self.client.user
        if reference is None or reference.message_id is None or me is None:
            return None
        if getattr(reference, "type", discord.MessageReferenceType.reply) is not discord.MessageReferenceType.reply:
            return None  # a forwarded message answers nothing here
        resolved = reference.resolved
        if isinstance(resolved, discord.Message) and resolved.author.id == me.id:
            return MessageRef(chat, str(reference.message_id))
        return None

    async def _started_from_mine(self, thread: discord.Thread) -> bool:
        """Whether a thread was started from one of the bot's messages."""
        me = self.client.user
        if me is None or thread.type is discord.ChannelType.private_thread:
            return False
        if isinstance(thread.parent, discord.ForumChannel):
            return False  # a forum post starts from a message in the thread itself
        if thread.owner_id == me.id:
            return True  # the bot starts threads only from its own messages

        async def starter_is_mine() -> bool:
            try:
                starter = await self.client.http.get_message(thread.parent_id, thread.id)
            except discord.NotFound:
                return False  # not started from a message
            return int(starter["author"]["id"]) == me.id

        try:
            return await once(self._thread_starters, thread.id, starter_is_mine)
        except discord.HTTPException as error:
            log.info("could not look up the message thread %s was started from: %s", thread.id, error)
            return False

    # ---- the platform port --------------------------------------------------------------------------

    async def is_chat_admin(self, chat: ChatRef, user: UserRef) -> bool:
        """Manage Server or Manage Channels, as Discord computed them for the interaction being handled."""
        asking = _asking.get()
        if asking is None or asking[:2] != (chat.id, user.id):
            return False
        permissions = asking[2]
        return permissions.administrator or permissions.manage_guild or permissions.manage_channels

    async def sees_all_messages(self, chat: ChatRef) -> bool:
        return True  # every message arrives as an event (on Discord without its words, enough for counting)

    def contact(self, user: UserRef) -> str | None:
        return f"<@{user.id}>"  # a mention: Discord shows it as a name anyone can tap

    async def setup_notes(self, chat: ChatRef) -> list[str]:
        """Advice for the co-chair if the bot lacks a permission it needs in this channel, and, without the
        message-content intent, how to turn on jargon watch (it needs the words of messages)."""
        notes: list[str] = []
        asking = _asking.get()
        if asking is not None and asking[0] == chat.id:
            mine = asking[3]
            if not (mine.view_channel and mine.send_messages and mine.read_message_history):
                notes.append(
                    _(
                        "One more step: I need the View Channel, Send Messages and Read Message History permissions "
                        "in this channel to post votes here. A server manager can give them to me in the channel's "
                        "settings, under Permissions."
                    )
                )
        if not self.message_content and not chat.is_private:
            notes.append(
                _(
                    "Jargon watch, where I explain glossary words as they come up in the chat, needs Discord's "
                    "message content intent: please set DISCORD_MESSAGE_CONTENT=true and turn on “Message Content "
                    "Intent” for me in the Discord developer portal (everything else works without it)."
                )
            )
        return notes

    async def deliver(self, reply: Reply, target: ChatRef | UserRef) -> MessageRef | None:
        if isinstance(target, ChatRef):
            return await self._send(target, reply)
        try:
            return await self._send_dm(target, reply)
        except discord.Forbidden as error:
            if reply.edit is None:
                await self.dispatcher.hold(reply, target)
                if reply.hint_in is not None:
                    await self._hint_dms_closed(reply.hint_in, target, discreet=reply.discreet)
            raise DeliveryFailed(str(error)) from error

    # ---- outbound -----------------------------------------------------------------------------------

    async def _answer(
        self,
        interaction: discord.Interaction[Any],
        outcome: Outcome,
        actor: UserRef,
        chat: ChatRef,
        where: _Ephemeral,
        *,
        pressed: MessageRef | None = None,
    ) -> None:
        """An interaction's replies: "only you" ones ephemeral, the rest as channel messages."""
        replies = list(outcome.replies)
        if outcome.asked is not None and replies and not chat.is_private:
            # Discord sends no typed words from server channels, so the question comes with a form to answer in.
            button = Button(_("Type my answer"), ANSWER_ACTION, "p" if outcome.asked == "private" else "c")
            last = replies[-1]
            replies[-1] = replace(last, buttons=(*last.buttons, (button,)))
        for reply in replies:
            try:
                if reply.edit is not None and pressed is not None and reply.edit.id == pressed.id:
                    await self._edit_pressed(interaction, reply)
                elif reply.edit is not None:
                    await self._edits.edit(reply.edit, reply)
                elif reply.private:
                    await self._ephemeral(interaction, reply, where)
                else:
                    await self._send_or_show_only_to(interaction, chat, reply, where)
            except discord.HTTPException:
                log.exception("a reply to %s could not be shown", actor.id)
        if where.original_waiting:
            # Everything went to the channel: take away the "thinking…" note only this person could see.
            try:
                await interaction.delete_original_response()
            except discord.HTTPException as error:
                log.info("could not remove the acknowledgement: %s", error)

    async def _send_or_show_only_to(
        self, interaction: discord.Interaction[Any], chat: ChatRef, reply: Reply, where: _Ephemeral
    ) -> None:
        """Post for everyone; if the bot may not post in this channel, at least the person who asked sees it."""
        try:
            await self._send(chat, reply)
        except discord.Forbidden as error:
            log.warning("may not post in channel %s: %s", chat.id, error)
            note = _(
                "Only you can see this, because I'm not allowed to post in this channel. "
                "A server manager can give me the Send Messages permission here."
            )
            await self._ephemeral(interaction, replace(reply, text=f"{reply.text}\n\n{note}"), where)

    async def _ephemeral(self, interaction: discord.Interaction[Any], reply: Reply, where: _Ephemeral) -> None:
        """A reply only this person sees: the files go with the last part of the text, with the buttons."""
        chunks = split_lines(reply.text, MESSAGE_LIMIT)
        view = view_for(reply.buttons)
        batches = file_batches(reply.files)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            options = _components(view) if last else {}
            files = discord_files(batches[0]) if last and batches else []
            if where.original_waiting:
                where.original_waiting = False
                if files:
                    options["attachments"] = files
                await interaction.edit_original_response(content=chunk, **options)
            else:
                if files:
                    options["files"] = files
                await interaction.followup.send(chunk, ephemeral=True, **options)
        for batch in batches[1:]:
            await interaction.followup.send(ephemeral=True, files=discord_files(batch))

    async def _edit_pressed(self, interaction: discord.Interaction[Any], reply: Reply) -> None:
        """Edit the message whose button was pressed (it may be one only this person can see)."""
        _files_left_off(reply)
        view = view_for(reply.buttons)
        await interaction.edit_original_response(
            content=split_lines(reply.text, MESSAGE_LIMIT)[0], view=view if view is not None else None
        )

    async def _send(self, chat: ChatRef, reply: Reply) -> MessageRef | None:
        if reply.edit is not None:
            await self._edits.edit(reply.edit, reply)
            return reply.edit
        channel = self.client.get_partial_messageable(int(chat.id))
        return await self._send_to(channel, chat, reply)

    async def _send_to(self, channel: discord.abc.Messageable, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post a reply: long text in parts, the buttons and files on the last part (more than ten files: the
        rest follow). Returns the message with the buttons."""
        chunks = split_lines(reply.text, MESSAGE_LIMIT)
        view = view_for(reply.buttons)
        batches = file_batches(reply.files)
        sent: discord.Message | None = None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            options = _components(view) if last else {}
            if last and batches:
                options["files"] = discord_files(batches[0])
            if reply.nonce is not None:
                # Discord returns the message already posted with this nonce (enforce_nonce), so an outbox row
                # sent again after a crash is not posted twice. Nonces are at most 25 characters.
                options["nonce"] = f"{reply.nonce}.{index}"[:25]
            sent = await channel.send(chunk, **options)
        assert sent is not None
        for number, batch in enumerate(batches[1:], start=1):
            more: dict[str, Any] = {"files": discord_files(batch)}
            if reply.nonce is not None:
                more["nonce"] = f"{reply.nonce}.f{number}"[:25]
            await channel.send(**more)
        if reply.thread and chat.kind is ChatKind.GROUP:
            await self._start_thread(chat, sent.id, reply.thread)
        return MessageRef(chat, str(sent.id))

    async def _start_thread(self, chat: ChatRef, message_id: int, name: str) -> None:
        """A public thread started from a message the bot posted (the thread has the message's id). Without the
        Create Public Threads permission the message stays as it is, and people reply to it instead."""
        name = thread_name(name)
        if not name:
            return
        try:
            await self.client.http.start_thread_with_message(
                int(chat.id), message_id, name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.Forbidden as error:
            log.warning(
                "may not start a thread in channel %s (that needs the Create Public Threads permission): %s",
                chat.id,
                error,
            )
        except discord.HTTPException as error:
            if error.code == THREAD_ALREADY_CREATED:  # the same message sent again (an outbox row after a crash)
                log.info("message %s already has its thread", message_id)
            else:
                log.warning("could not start a thread from message %s: %s", message_id, error)

    async def _send_or_log(self, chat: ChatRef, reply: Reply) -> None:
        try:
            await self._send(chat, reply)
        except discord.HTTPException as error:
            log.warning("Discord refused a message to channel %s: %s", chat.id, error)

    async def _send_dm(self, user: UserRef, reply: Reply) -> MessageRef:
        dm = await self.client.create_dm(discord.Object(id=int(user.id)))
        return await self._send_to(dm, ChatRef("discord", str(dm.id), ChatKind.PRIVATE), reply)

    async def _send_privately(self, reply: Reply, actor: UserRef, *, hint_in: ChatRef) -> None:
        try:
            await self._send_dm(actor, reply)
        except discord.Forbidden:
            await self.dispatcher.hold(reply, actor)
            await self._hint_dms_closed(hint_in, actor)
        except discord.HTTPException:
            log.exception("a private message could not be sent")

    async def _hint_dms_closed(self, chat: ChatRef, user: UserRef, *, discreet: bool = False) -> None:
        """Once per person and channel: a short hint that their direct messages are closed. A discreet message
        (a reminder in an anonymous vote) gets a general line instead, naming nobody, once per channel."""
        key = (chat.id, "*someone*" if discreet else user.id)
        if key in self._hinted:
            return
        self._hinted.add(key)
        if discreet:
            text = _(
                "Some members have their direct messages closed, so I have messages waiting for them. "
                "If that might be you, type /start here and I'll show them to you, where only you can see them."
            )
        else:
            text = _(
                "{name}, I have a private message for you, but your direct messages are closed. "
                "Type /start here and I'll show it to you, where only you can see it."
            ).format(name=user.display_name)
        await self._send_or_log(chat, Reply(text))

    async def _edit_now(self, ref: MessageRef, reply: Reply) -> None:
        _files_left_off(reply)
        channel = self.client.get_partial_messageable(int(ref.chat.id))
        view = view_for(reply.buttons)
        try:
            await channel.get_partial_message(int(ref.id)).edit(
                content=split_lines(reply.text, MESSAGE_LIMIT)[0], view=view if view is not None else None
            )
        except discord.NotFound:
            log.info("message %s is gone, so it was not updated", ref.id)


def _files_left_off(reply: Reply) -> None:
    if reply.files:
        log.warning("an edit changes text and buttons only; its %d files were not sent", len(reply.files))
