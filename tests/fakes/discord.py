"""A loopback fake of Discord (REST API and gateway) for tests.

An aiohttp server on 127.0.0.1 (a free port) that the real discord.py connects to; nothing reaches the internet::

    async with FakeDiscord() as fake:
        discord.http.Route.BASE = fake.api_url                      # "http://127.0.0.1:PORT/api/v10"
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)  # "ws://127.0.0.1:PORT/"
        alice = fake.user("Alice Smith")
        guild = fake.guild("Lay Partners", owner=alice)
        general = fake.channel(guild, "general")
        client = discord.Client(intents=..., guild_ready_timeout=0.05)
        await client.login(fake.token)
        task = asyncio.create_task(client.connect(reconnect=False))
        ...
        interaction_id = await fake.slash(general, alice, "vote", {"question": "Tea or coffee?"})
        await fake.wait_until(lambda: fake.interaction(interaction_id).acknowledged)

Gateway (``ws://127.0.0.1:PORT/``, JSON encoding, ``compress=zlib-stream`` as discord.py asks for it: one zlib
stream per connection, every payload flushed with Z_SYNC_FLUSH; ``zstd-stream`` when discord.py can decompress it
and a zstd module is importable; no compression when none is asked for): HELLO, heartbeats and their ACKs,
IDENTIFY -> READY (guilds as unavailable stubs) then one GUILD_CREATE per guild, RESUME (replays what was missed,
then RESUMED; an unknown session gets op 9), RECONNECT on request, op 8 member requests (GUILD_MEMBERS_CHUNK).
The close codes are Discord's: 4001 unknown opcode, 4002 decode error, 4003 not authenticated, 4004 authentication
failed, 4005 already authenticated, 4010 invalid shard, 4012 invalid API version, 4013 invalid intents, 4014
disallowed (privileged) intents. A session the client closes with 1000/1001 is gone (it cannot be resumed).

Behaviour copied from Discord (so adapter bugs show up here rather than in production):

- Intents are respected: GUILD_CREATE/role/channel events need GUILDS, member add/update/remove need
  GUILD_MEMBERS, MESSAGE_CREATE/UPDATE/DELETE need GUILD_MESSAGES (or DIRECT_MESSAGES in DMs). Without
  MESSAGE_CONTENT a guild message arrives with empty content, embeds, attachments and components, unless it
  mentions the bot or is the bot's own. GUILD_CREATE lists only the bot's member unless GUILD_PRESENCES was asked
  for (as on Discord; with GUILD_MEMBERS discord.py then chunks the guild, and op 8 answers with everyone).
- The bot's own messages (REST sends and non-ephemeral interaction responses) come back as MESSAGE_CREATE; edits
  as MESSAGE_UPDATE.
- Interaction callbacks must come within ``ack_timeout`` (3 s) of the INTERACTION_CREATE being written to the
  socket (later: 404 Unknown interaction, 10062), only once (400 Interaction has already been acknowledged, 40060).
  The first follow-up after a type 5 (deferred) response edits the loading message instead of creating one, and
  keeps its ephemeral flag (Discord's documented backwards-compatibility rule). Types 6 and 7 edit the message the
  component is on; they are invalid for application commands. discord.py always asks ``?with_response=1`` and
  gets an InteractionCallbackResponse body; without it the answer is 204.
- Sending in a DM whose user has closed DMs: 403 Cannot send messages to this user (50007). Sending without
  VIEW_CHANNEL / SEND_MESSAGES: 403 Missing Access (50001) / Missing Permissions (50013). Empty messages: 50006.
  Over-long content, bad components (too many rows/buttons, duplicate or over-long custom_ids, long labels) and
  bad command definitions: 400 Invalid Form Body (50035) with an ``errors`` tree.
- Files come as multipart/form-data: ``payload_json`` plus ``files[n]`` parts, each matched to the ``attachments``
  entry with ``"id": n`` (its filename and description win), on message create and edit, interaction callbacks
  and webhook (follow-up) messages. Messages carry them in ``attachments`` in Discord's shape (content_type found
  from the name, width and height for images, ``ephemeral`` on ephemeral messages); every file is recorded in
  ``fake.files``. At most 10 files a message (400 Invalid Form Body), 10 MiB each (413 Request entity too large,
  40005); posting files in a channel needs ATTACH_FILES (403 Missing Permissions).
- Every REST answer carries ``Via`` (discord.py treats a 429 without it as a Cloudflare ban and does not retry)
  and X-RateLimit-* headers. ``rate_limit_next()`` gives the next matching request a real 429.
- Bulk overwrites of application commands keep the id of a command with the same name and type, and bump its
  version only when its definition changed.

- Threads: the bot (``POST /channels/{id}/messages/{message id}/threads``) or a person (``fake.start_thread()``)
  starts a public thread (type 11, ``parent_id`` the channel, the same id as the message it starts from) from a
  message in a guild text channel; it needs CREATE_PUBLIC_THREADS (403 Missing Permissions), a name of 1 to 100
  characters (400 Invalid Form Body), and one thread a message (400 "A thread has already been created for this
  message", 160004). Connected bots get THREAD_CREATE (``newly_created``; GUILDS intent); the starter message gets
  ``thread`` and the HAS_THREAD flag; GUILD_CREATE lists active threads under ``threads``, not ``channels``.
  People ``say()`` in a thread like in a channel (``channel_id`` the thread's id); the bot needs
  SEND_MESSAGES_IN_THREADS there.
- Replies: ``say(..., reply_to=message id)`` carries ``message_reference`` and ``referenced_message`` (type 19);
  like Discord's clients it pings the replied-to author by default (``mention_author``), so a reply to the bot
  mentions it and its content reaches a bot without MESSAGE_CONTENT.
- Attachment options (type 11) of slash commands: given as ``(filename, bytes[, content type])``, they come in
  ``resolved.attachments`` in Discord's shape with an ``ephemeral`` attachment whose signed ``url`` the fake
  serves on loopback (``/ephemeral-attachments/<app>/<id>/<name>?ex=…&is=…&hm=…``; a wrong or missing signature
  is 404); downloads are counted in ``fake.downloads``. Any size is accepted (a person with Nitro may upload
  large files).

Not modelled: gateway rate limits, presences, voice, private threads, archiving, thread members, forum channels,
reactions, channel permission
overwrites, autocomplete interactions and modal submits (a type 8/9 callback is recorded, nothing more), zstd is
only used when a zstd module is importable. Unknown routes answer 404 {"message": "404: Not Found", "code": 0} and
are listed in ``fake.errors``.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakes.images import image_size
from tests.fakes.waiting import wait_until as poll_until

log = logging.getLogger("tests.fakes.discord")

JSON = dict[str, Any]
#: The largest request the fake reads (above every platform limit, so the fake's own answers apply).
REQUEST_MAX_BYTES = 64 * 1024 * 1024


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


Ref = int | str | JSON | _HasId  # a JSON object with "id", a snowflake, or a discord.py object

API_VERSIONS = frozenset({9, 10})
DISCORD_EPOCH_MS = 1_420_070_400_000
#: How long Discord remembers a nonce sent with enforce_nonce (a few minutes).
NONCE_WINDOW_S = 300.0
BOT_ID = 1_234_567_890_123_456_789  # also the application id, as for every bot made since 2016
BOT_NAME = "Touchstone"
DEFAULT_TOKEN = (
    base64.b64encode(str(BOT_ID).encode()).decode().rstrip("=") + ".GFakeT.touchstone-fake-token-for-tests-0123456"
)

# Gateway intents
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT
ALL_INTENTS = (1 << 26) - 1

# Permissions
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1
DEFAULT_EVERYONE_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | CREATE_PRIVATE_THREADS
    | SEND_MESSAGES_IN_THREADS
)
DEFAULT_BOT_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

# Message flags
FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_HAS_THREAD = 1 << 5
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
FLAG_IS_COMPONENTS_V2 = 1 << 15
_SENDABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_IS_COMPONENTS_V2
_INTERACTION_FLAGS = _SENDABLE_FLAGS | FLAG_EPHEMERAL

# Application flags: intents an unverified bot has switched on in the developer portal
_APP_FLAG_FOR_INTENT = {INTENT_GUILD_PRESENCES: 1 << 13, INTENT_GUILD_MEMBERS: 1 << 15, INTENT_MESSAGE_CONTENT: 1 << 19}

# Channel types, interaction types, option types
CHANNEL_TEXT = 0
CHANNEL_DM = 1
CHANNEL_NEWS = 5
CHANNEL_PUBLIC_THREAD = 11
THREAD_TYPES = frozenset({10, 11, 12})
INTERACTION_COMMAND = 2
INTERACTION_COMPONENT = 3
INTERACTION_MODAL_SUBMIT = 5
_OPTION_SUBCOMMAND, _OPTION_GROUP = 1, 2
_OPTION_STRING, _OPTION_INTEGER, _OPTION_BOOLEAN, _OPTION_USER = 3, 4, 5, 6
_OPTION_CHANNEL, _OPTION_ROLE, _OPTION_MENTIONABLE, _OPTION_NUMBER = 7, 8, 9, 10
_OPTION_ATTACHMENT = 11
_SELECT_TYPES = frozenset({3, 5, 6, 7, 8})

_COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
_MENTION_RE = re.compile(r"<@!?(\d+)>")

RATE_LIMITED = "You are being rate limited."
#: Discord's limits for files: how many on one message, and how large each may be (without server boosts).
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024


class ApiError(Exception):
    """An error answer: raised inside a route handler, turned into Discord's error JSON."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int = 0,
        errors: JSON | None = None,
        *,
        body: JSON | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.errors = errors
        self.body = body
        self.headers = headers or {}

    def payload(self) -> JSON:
        if self.body is not None:
            return copy.deepcopy(self.body)
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


def _not_found(what: str, code: int) -> ApiError:
    return ApiError(404, f"Unknown {what}", code)


UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNKNOWN_COMMAND = 10063
ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
CANNOT_EDIT_OTHERS = 50005
EMPTY_MESSAGE = 50006
CANNOT_DM = 50007
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035
ENTITY_TOO_LARGE = 40005
CANNOT_EXECUTE_ON_CHANNEL_TYPE = 50024
THREAD_ALREADY_CREATED = 160004


def _form_error(path: list[str | int], code: str, message: str) -> ApiError:
    """400 Invalid Form Body with Discord's nested ``errors`` tree pointing at `path`."""
    tree: JSON = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        tree = {str(key): tree}
    return ApiError(400, "Invalid Form Body", INVALID_FORM_BODY, tree)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _ref_id(ref: Ref) -> int:
    if isinstance(ref, dict):
        return int(ref["id"])
    if isinstance(ref, int | str):
        return int(ref)
    return int(ref.id)


def _json_response(payload: Any, status: int, headers: dict[str, str]) -> web.Response:
    """Exactly "Content-Type: application/json", as Discord sends it: discord.py compares the header with ==,
    so aiohttp's "application/json; charset=utf-8" would make it treat every answer as text."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return web.Response(body=body, status=status, headers={**headers, "Content-Type": "application/json"})


def _perm_str(value: int) -> str:
    return str(value)


# --------------------------------------------------------------------------------------------------------------
# Records the tests inspect


@dataclass(frozen=True)
class SentFile:
    """A file the bot attached to a message, as the fake received it."""

    message_id: int
    channel_id: int
    filename: str
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Response:
    """One message an interaction produced (the original response or a follow-up), as it is now."""

    kind: str  # "original" or "followup"
    message: JSON

    @property
    def id(self) -> int:
        return int(self.message["id"])

    @property
    def text(self) -> str:
        return str(self.message.get("content", ""))

    @property
    def flags(self) -> int:
        return int(self.message.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still the "Bot is thinking…" message of a deferred response."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def components(self) -> list[JSON]:
        return list(self.message.get("components", []))

    @property
    def embeds(self) -> list[JSON]:
        return list(self.message.get("embeds", []))

    @property
    def labels(self) -> list[str]:
        return FakeDiscord.labels(self.message)

    @property
    def attachments(self) -> list[JSON]:
        return list(self.message.get("attachments", []))

    @property
    def filenames(self) -> list[str]:
        return [str(a["filename"]) for a in self.attachments]


@dataclass
class InteractionRecord:
    """What happened to one interaction the fake dispatched."""

    id: int
    token: str
    type: int  # 2 application command, 3 message component
    name: str  # the command ("vote", "vote start") or the component's custom_id
    user_id: int
    channel_id: int
    guild_id: int | None
    payload: JSON  # the INTERACTION_CREATE data as dispatched
    created_at: float  # time.monotonic()
    message_id: int | None = None  # the message a component was on
    dispatched_at: float | None = None  # when INTERACTION_CREATE was written to the socket
    callback_type: int | None = None
    callback_data: JSON | None = None
    acked_at: float | None = None
    rejected: list[int] = field(default_factory=list)  # error codes of refused callbacks (10062, 40060...)
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    _messages: dict[int, JSON] = field(default_factory=dict, repr=False)

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    @property
    def ack_s(self) -> float | None:
        """Seconds from the INTERACTION_CREATE being dispatched to the (accepted) callback."""
        if self.acked_at is None or self.dispatched_at is None:
            return None
        return self.acked_at - self.dispatched_at

    @property
    def original(self) -> Response | None:
        """The original response message as it is now (for types 6/7: the message the button is on)."""
        if self.original_id is None or self.original_id not in self._messages:
            return None
        return Response("original", copy.deepcopy(self._messages[self.original_id]))

    @property
    def followups(self) -> list[Response]:
        return [
            Response("followup", copy.deepcopy(self._messages[mid]))
            for mid in self.followup_ids
            if mid in self._messages
        ]

    @property
    def responses(self) -> list[Response]:
        """The original response (types 4 and 5 only) and then the follow-ups, as they are now."""
        original = self.original if self.callback_type in (4, 5) else None
        return ([original] if original else []) + self.followups

    @property
    def ephemeral(self) -> bool:
        """The original response was ephemeral (flags & 64)."""
        original = self.original
        return bool(original and self.callback_type in (4, 5) and original.ephemeral)


# --------------------------------------------------------------------------------------------------------------
# Gateway plumbing


@dataclass
class _Close:
    code: int
    reason: str


_Outgoing = tuple[JSON, Callable[[], None] | None] | _Close | None


@dataclass(eq=False)
class _Connection:
    ws: web.WebSocketResponse
    path: str
    query: dict[str, str]
    compress: Callable[[bytes], bytes] | None
    outbox: asyncio.Queue[_Outgoing] = field(default_factory=asyncio.Queue)
    session: _Session | None = None
    closing: bool = False

    def send(self, frame: JSON, on_sent: Callable[[], None] | None = None) -> None:
        if not self.closing:
            self.outbox.put_nowait((frame, on_sent))

    def close(self, code: int, reason: str) -> None:
        if not self.closing:
            self.closing = True
            self.outbox.put_nowait(_Close(code, reason))


@dataclass(eq=False)
class _Session:
    id: str
    intents: int
    shard: tuple[int, int] | None
    seq: int = 0
    backlog: list[tuple[JSON, Callable[[], None] | None]] = field(default_factory=list)
    conn: _Connection | None = None

    def wants_guild(self, guild_id: int | None) -> bool:
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return ((guild_id or 0) >> 22) % count == shard_id if guild_id else shard_id == 0


def _zstd_compressor() -> Callable[[bytes], bytes]:
    """A streaming zstd compressor flushing a block per message (what discord.py's zstd-stream expects)."""
    try:
        import zstandard  # type: ignore[import-not-found]

        stream: Any = zstandard.ZstdCompressor().compressobj()
        flush_block: Any = zstandard.COMPRESSOBJ_FLUSH_BLOCK
        return lambda data: bytes(stream.compress(data) + stream.flush(flush_block))
    except ImportError:
        from compression import zstd  # type: ignore[import-not-found]

        compressor: Any = zstd.ZstdCompressor()
        return lambda data: bytes(compressor.compress(data, mode=zstd.ZstdCompressor.FLUSH_BLOCK))


def _zlib_compressor() -> Callable[[bytes], bytes]:
    stream = zlib.compressobj()
    return lambda data: stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)


# --------------------------------------------------------------------------------------------------------------
# REST plumbing


@dataclass
class _Request:
    method: str
    call: str  # "POST /channels/123/messages"
    params: dict[str, str]  # path parameters
    query: dict[str, str]
    body: Any
    files: list[tuple[str, str, bytes, str]]  # (field name, filename, content, content type)


_Handler = Callable[["FakeDiscord", _Request], Awaitable[tuple[int, Any]]]
_ROUTES: list[tuple[str, re.Pattern[str], str, bool, _Handler]] = []  # method, path, template, needs auth, handler


def _route(method: str, template: str, *, auth: bool = True) -> Callable[[_Handler], _Handler]:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, ...
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    pattern = re.compile(f"^{regex}$")

    def register(handler: _Handler) -> _Handler:
        _ROUTES.append((method, pattern, template, auth, handler))
        return handler

    return register


# --------------------------------------------------------------------------------------------------------------


class FakeDiscord:
    """The fake Discord server and its driving/inspection API (see the module docstring)."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_id: int = BOT_ID,
        bot_name: str = BOT_NAME,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        privileged_intents: int = PRIVILEGED_INTENTS,
        ack_timeout: float = 3.0,
        token_ttl: float = 15 * 60.0,
        heartbeat_interval: float = 41.25,
    ):
        self.token = token
        self.bot_id = bot_id
        self.application_id = bot_id
        self.bot_permissions = bot_permissions
        self.privileged_intents = privileged_intents  # the ones switched on in the developer portal
        self.ack_timeout = ack_timeout
        self.token_ttl = token_ttl
        self.heartbeat_interval = heartbeat_interval
        self.bot_user: JSON = self._user_json(bot_id, bot_name.lower(), None, bot=True)
        self.url = ""
        self.api_url = ""
        self.gateway_url = ""
        self.resume_gateway_url = ""

        # Inspection
        self.calls: list[str] = []  # "METHOD /path" of every REST request, in order (without /api/v10)
        self.requests: list[tuple[str, Any]] = []  # (call, decoded JSON body) for requests that reached a route
        self.errors: list[tuple[str, int, JSON]] = []  # (call, status, body) of every REST error answered
        self.commands: list[JSON] = []  # global application commands, as stored
        self.guild_commands: dict[int, list[JSON]] = {}  # guild id -> commands, as stored
        self.sync_count = 0  # bulk overwrites (PUT) of commands, global or guild
        self.syncs: list[tuple[int | None, list[str]]] = []  # (guild id or None, command names) per PUT
        self.edits: list[JSON] = []  # every message edit: a copy of the message after it
        self.identifies: list[JSON] = []  # IDENTIFY payloads (d), token included
        self.connections: list[JSON] = []  # {"path", "query"} of every gateway connection
        self.received: list[JSON] = []  # every gateway payload the client sent
        self.dispatched: list[JSON] = []  # every op 0 frame queued (one per session)
        self.heartbeats = 0
        self.resumes = 0
        self.uploads: dict[int, bytes] = {}  # attachment id -> file content
        self.downloads: list[int] = []  # attachment ids whose file was fetched from its url
        self.files: list[SentFile] = []  # every file attached to a message, in order

        # World
        self._users: dict[int, JSON] = {bot_id: self.bot_user}
        self._guilds: dict[int, JSON] = {}
        self._roles: dict[int, list[JSON]] = {}  # guild id -> roles (the first is @everyone)
        self._channels: dict[int, JSON] = {}
        self._members: dict[tuple[int, int], JSON] = {}  # (guild id, user id) -> member (with user)
        self._dm_by_user: dict[int, int] = {}
        self._closed_dms: set[int] = set()
        self._messages: dict[int, JSON] = {}  # message id -> message (ephemeral ones included)
        # (channel id, author id, nonce) -> (message id, monotonic time): Discord's enforce_nonce keeps a
        # message sent twice with the same nonce within a few minutes from being posted twice.
        self._nonces: dict[tuple[str, str, str], tuple[int, float]] = {}
        self._interactions: dict[int, InteractionRecord] = {}
        self._tokens: dict[str, int] = {}
        self._last_id = 0
        self._signing_key = secrets.token_hex(16)  # signs attachment urls (the hm= of Discord's CDN links)

        # Server
        self._sessions: dict[str, _Session] = {}
        self._conns: set[_Connection] = set()
        self._injected: list[tuple[str, ApiError]] = []
        self._runner: web.AppRunner | None = None

    # ---------------------------------------------------------------------------------------------------------
    # Life cycle

    async def start(self) -> FakeDiscord:
        # Large uploads reach the handlers, which answer as Discord does (aiohttp alone stops at 1 MiB).
        app = web.Application(client_max_size=REQUEST_MAX_BYTES)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self.api_url = f"{self.url}/api/v10"
        self.gateway_url = f"ws://{host}:{port}/"
        self.resume_gateway_url = f"ws://{host}:{port}/resume"
        return self

    async def stop(self) -> None:
        conns = list(self._conns)
        for conn in conns:
            conn.close(1001, "FakeDiscord is shutting down")
        if conns:
            await asyncio.wait([asyncio.ensure_future(self._closed(c)) for c in conns], timeout=2.0)
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @staticmethod
    async def _closed(conn: _Connection) -> None:
        while not conn.ws.closed:
            await asyncio.sleep(0.01)

    # ---------------------------------------------------------------------------------------------------------
    # Building the world (synchronous; connected bots get the matching gateway events)

    def user(self, name: str, *, username: str | None = None, user_id: int | None = None, bot: bool = False) -> JSON:
        """A Discord user. "Alice Smith" has global_name "Alice Smith" and username "alice_smith" by default."""
        uid = user_id if user_id is not None else self._new_id()
        user = self._user_json(uid, username or re.sub(r"\W+", "_", name.lower()).strip("_"), name, bot=bot)
        self._users[uid] = user
        return user

    def guild(self, name: str, *, owner: JSON | None = None, guild_id: int | None = None) -> JSON:
        """A guild the bot is in: @everyone, a managed bot role, a "general" text channel, the owner (a new user
        unless given) and the bot as members. Connected bots get GUILD_CREATE. Returns the guild's own fields."""
        gid = guild_id if guild_id is not None else self._new_id()
        owner = owner or self.user(f"{name} Owner")
        guild: JSON = {
            "id": str(gid),
            "name": name,
            "icon": None,
            "owner_id": owner["id"],
            "description": None,
            "features": [],
            "preferred_locale": "en-US",
            "joined_at": _now_iso(),
        }
        self._guilds[gid] = guild
        self._roles[gid] = [self._role_json(gid, "@everyone", DEFAULT_EVERYONE_PERMISSIONS, position=0)]
        bot_role = self._role_json(self._new_id(), self.bot_user["username"], self.bot_permissions, position=1)
        bot_role["managed"] = True
        bot_role["tags"] = {"bot_id": str(self.bot_id)}
        self._roles[gid].append(bot_role)
        self._members[(gid, self.bot_id)] = self._member_json(self.bot_user, [bot_role["id"]])
        self._members[(gid, int(owner["id"]))] = self._member_json(owner, [])
        self._users.setdefault(int(owner["id"]), owner)
        general = self._channel_json(gid, "general", 0)
        self._channels[int(general["id"])] = general
        guild["system_channel_id"] = general["id"]
        for session in self._live_sessions(gid, INTENT_GUILDS):
            self._send_dispatch(session, "GUILD_CREATE", self._guild_create(gid, session))
        return guild

    def channel(self, guild: Ref, name: str) -> JSON:
        """The text channel called `name` in `guild`, created (with CHANNEL_CREATE) if there is none yet."""
        gid = self._guild_id(guild)
        for channel in self._guild_channels(gid):
            if channel["name"] == name:
                return channel
        channel = self._channel_json(gid, name, len(self._guild_channels(gid)))
        self._channels[int(channel["id"])] = channel
        self._dispatch("CHANNEL_CREATE", channel, intent=INTENT_GUILDS, guild_id=gid)
        return channel

    def role(self, guild: Ref, name: str, *, permissions: int = 0) -> JSON:
        """A role in `guild` (GUILD_ROLE_CREATE). Returns it."""
        gid = self._guild_id(guild)
        role = self._role_json(self._new_id(), name, permissions, position=len(self._roles[gid]))
        self._roles[gid].append(role)
        self._dispatch("GUILD_ROLE_CREATE", {"guild_id": str(gid), "role": role}, intent=INTENT_GUILDS, guild_id=gid)
        return role

    def set_role_permissions(self, guild: Ref, role: Ref, permissions: int) -> JSON:
        """Change a role's permissions (GUILD_ROLE_UPDATE); ``fake.bot_role(guild)`` is the bot's own role."""
        gid = self._guild_id(guild)
        found = self._role(gid, _ref_id(role))
        found["permissions"] = _perm_str(permissions)
        self._dispatch("GUILD_ROLE_UPDATE", {"guild_id": str(gid), "role": found}, intent=INTENT_GUILDS, guild_id=gid)
        return found

    def bot_role(self, guild: Ref) -> JSON:
        gid = self._guild_id(guild)
        return next(r for r in self._roles[gid] if r.get("tags", {}).get("bot_id") == str(self.bot_id))

    def add_member(
        self,
        guild: Ref,
        user: JSON,
        *,
        permissions: int = 0,
        roles: list[Ref] | tuple[Ref, ...] = (),
        nick: str | None = None,
        quietly: bool = False,
    ) -> JSON:
        """`user` joins `guild` (GUILD_MEMBER_ADD, or GUILD_MEMBER_UPDATE if already a member, to bots that asked
        for GUILD_MEMBERS; none when `quietly`). `permissions` (e.g. MANAGE_GUILD) are given through a role made
        for them; `roles` are added as they are. Returns the member (with user)."""
        gid = self._guild_id(guild)
        self._users.setdefault(int(user["id"]), user)
        role_ids = [str(_ref_id(r)) for r in roles]
        for rid in role_ids:
            self._role(gid, int(rid))
        if permissions:
            name = f"perms-{permissions:x}"
            existing = next((r for r in self._roles[gid] if r["name"] == name), None)
            role_ids.append((existing or self.role(gid, name, permissions=permissions))["id"])
        key = (gid, int(user["id"]))
        update = key in self._members
        member = self._members.get(key) or self._member_json(user, [])
        member["roles"] = list(dict.fromkeys(member["roles"] + role_ids))
        if nick is not None:
            member["nick"] = nick
        self._members[key] = member
        if not quietly:
            event = "GUILD_MEMBER_UPDATE" if update else "GUILD_MEMBER_ADD"
            self._dispatch(event, {**member, "guild_id": str(gid)}, intent=INTENT_GUILD_MEMBERS, guild_id=gid)
        return member

    def remove_member(self, guild: Ref, user: JSON) -> None:
        """`user` leaves `guild` (GUILD_MEMBER_REMOVE to bots that asked for GUILD_MEMBERS)."""
        gid = self._guild_id(guild)
        if self._members.pop((gid, int(user["id"])), None) is None:
            raise ValueError(f"{user['username']} is not a member of guild {gid}")
        data = {"guild_id": str(gid), "user": copy.deepcopy(user)}
        self._dispatch("GUILD_MEMBER_REMOVE", data, intent=INTENT_GUILD_MEMBERS, guild_id=gid)

    def dm_channel(self, user: JSON) -> JSON:
        """The DM channel between `user` and the bot (the one POST /users/@me/channels answers)."""
        uid = int(user["id"])
        self._users.setdefault(uid, user)
        if uid not in self._dm_by_user:
            channel: JSON = {
                "id": str(self._new_id()),
                "type": CHANNEL_DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [copy.deepcopy(self._users[uid])],
            }
            self._channels[int(channel["id"])] = channel
            self._dm_by_user[uid] = int(channel["id"])
        return self._channels[self._dm_by_user[uid]]

    def close_dms(self, user: JSON) -> None:
        """`user` does not accept DMs from the bot: sends answer 403 Cannot send messages to this user (50007)."""
        self._closed_dms.add(int(user["id"]))

    def open_dms(self, user: JSON) -> None:
        self._closed_dms.discard(int(user["id"]))

    def rate_limit_next(self, match: str, retry_after: float = 0.05, *, is_global: bool = False) -> None:
        """The next REST request whose "METHOD /path" contains `match` (case-insensitive, e.g. "POST /channels",
        "/callback") answers 429 with Discord's body and headers; discord.py sleeps `retry_after` and retries."""
        reset = time.time() + retry_after
        headers = {
            "Retry-After": str(math.ceil(retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": RATE_LIMITED, "retry_after": retry_after, "global": is_global}
        self._injected.append((match.lower(), ApiError(429, RATE_LIMITED, body=body, headers=headers)))

    def fail_next(self, match: str, status: int, message: str, code: int = 0, errors: JSON | None = None) -> None:
        """The next REST request whose "METHOD /path" contains `match` answers this error instead (queued)."""
        self._injected.append((match.lower(), ApiError(status, message, code, errors)))

    # ---------------------------------------------------------------------------------------------------------
    # Things people do (asynchronous: they dispatch gateway events)

    async def say(
        self, channel: Ref, user: JSON, content: str, *, reply_to: int | str | None = None, mention_author: bool = True
    ) -> JSON:
        """`user` writes `content` in a channel (a guild channel, a thread, or their DM with the bot). Returns the
        message (with its content; bots without MESSAGE_CONTENT get it emptied). An unknown user is added to the
        guild quietly (no GUILD_MEMBER_ADD). `reply_to`: the message (in this channel) it replies to, pinging its
        author unless `mention_author` is False, as Discord's clients do."""
        chan = self._channel(channel)
        gid = self._channel_guild(chan)
        if gid is None and int(user["id"]) not in {int(u["id"]) for u in chan["recipients"]}:
            raise ValueError(f"{user['username']} is not in DM channel {chan['id']}")
        if gid is not None and (gid, int(user["id"])) not in self._members:
            self.add_member(gid, user, quietly=True)
        message = self._new_message(chan, user, content=content)
        if reply_to is not None:
            self._reply(message, chan, int(reply_to))
            author = message["referenced_message"]["author"]
            if mention_author and all(u["id"] != author["id"] for u in message["mentions"]):
                message["mentions"].append(copy.deepcopy(author))
        self._store(message)
        self._announce_create(message)
        await asyncio.sleep(0)
        return copy.deepcopy(message)

    async def start_thread(self, channel: Ref, user: JSON, message_id: int | str, name: str) -> JSON:
        """`user` starts a public thread from a message in a guild text channel (as the bot can with REST).
        Returns the thread channel; connected bots get THREAD_CREATE."""
        chan = self._channel(channel)
        gid = self._channel_guild(chan)
        if gid is None or chan["type"] not in (CHANNEL_TEXT, CHANNEL_NEWS):
            raise ValueError("threads are started from messages in guild text channels")
        if self._member_permissions(gid, int(user["id"])) & CREATE_PUBLIC_THREADS != CREATE_PUBLIC_THREADS:
            raise ValueError(f"{user['username']} may not create public threads")
        return self._new_thread(chan, self._channel_message(chan, int(message_id)), user, name)

    def thread(self, message_id: int | str) -> JSON | None:
        """The thread started from a message (its id is the message's), or None."""
        found = self._channels.get(int(message_id))
        return copy.deepcopy(found) if found is not None and found["type"] in THREAD_TYPES else None

    async def slash(
        self, channel: Ref, user: JSON, command: str, options: JSON | None = None, *, locale: str = "en-GB"
    ) -> int:
        """`user` runs a synced chat-input command in a channel: "vote", or "vote start" for a subcommand.
        `options` maps option names to values (a user/channel/role JSON for those types; ``(filename, bytes)`` or
        ``(filename, bytes, content type)`` for an attachment, uploaded by the person). The command and its
        options come from the synced definition (guild commands first, then global ones); mistakes a Discord
        client would not let the user make raise ValueError. Returns the interaction id."""
        chan = self._channel(channel)
        gid = self._channel_guild(chan)
        root, *path = command.split()
        definition = self._find_command(root, gid)
        if definition is None:
            synced = [c["name"] for c in self.guild_commands.get(gid or 0, [])] + [c["name"] for c in self.commands]
            where = f"guild {gid}" if gid else "DMs"
            raise ValueError(f"/{root} has not been synced for {where}; synced commands: {synced}")
        self._check_can_use(definition, chan, gid, user)
        opts, resolved = self._build_options(definition, path, options or {}, gid)
        data: JSON = {"id": definition["id"], "name": definition["name"], "type": definition.get("type", 1)}
        if opts:
            data["options"] = opts
        if resolved:
            data["resolved"] = resolved
        if definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        return await self._interact(INTERACTION_COMMAND, chan, user, data, command, locale=locale)

    async def click(self, channel: Ref, user: JSON, message_id: int | str, *, label: str, locale: str = "en-GB") -> int:
        """`user` presses the button labelled `label` on a message (ephemeral ones too). Returns the interaction
        id."""
        chan = self._channel(channel)
        message = self._channel_message(chan, int(message_id))
        buttons = [c for c in self._walk_components(message.get("components", [])) if c.get("type") == 2]
        matching = [b for b in buttons if b.get("label") == label]
        if not matching:
            raise ValueError(f"no button labelled {label!r} on message {message_id}: {self.labels(message)}")
        button = matching[0]
        if button.get("disabled"):
            raise ValueError(f"the button {label!r} on message {message_id} is disabled")
        if "custom_id" not in button:
            raise ValueError(f"the button {label!r} is a link or premium button: clicking it sends no interaction")
        data = {"custom_id": button["custom_id"], "component_type": 2, "id": button.get("id")}
        return await self._interact(
            INTERACTION_COMPONENT, chan, user, data, button["custom_id"], message=message, locale=locale
        )

    async def submit_modal(
        self, opened_by: int, values: dict[str, str], *, user: JSON | None = None, locale: str = "en-GB"
    ) -> int:
        """Fill in and submit the modal (pop-up form) that interaction `opened_by` answered with (callback type 9).
        `values` maps each text input's custom_id or label to what the person typed. Returns the new
        interaction id (type 5, modal submit)."""
        record = self._interactions[int(opened_by)]
        if record.callback_type != 9 or record.callback_data is None:
            raise ValueError(f"interaction {opened_by} was not answered with a modal (callback {record.callback_type})")
        modal = record.callback_data
        remaining = dict(values)

        def filled(text_input: JSON) -> JSON:
            for key in (text_input.get("custom_id"), text_input.get("label")):
                if key in remaining:
                    value = remaining.pop(key)
                    break
            else:
                value = ""
            if text_input.get("required", True) and not value:
                raise ValueError(f"the modal's text input {text_input.get('custom_id')!r} is required")
            if len(value) > int(text_input.get("max_length") or 4000):
                raise ValueError("that answer is longer than the text input allows")
            return {"type": 4, "custom_id": text_input["custom_id"], "value": value}

        components: list[JSON] = []
        for top in modal.get("components") or []:
            if top.get("type") == 1:
                components.append({"type": 1, "components": [filled(c) for c in top.get("components") or []]})
            elif top.get("type") == 18 and isinstance(top.get("component"), dict):
                components.append({"type": 18, "component": filled(top["component"])})
        if remaining:
            raise ValueError(f"the modal has no text inputs called {sorted(remaining)}")
        chan = self._channels[record.channel_id]
        who = user or self._users[record.user_id]
        message = self._messages.get(record.message_id or 0)
        data = {"custom_id": modal["custom_id"], "components": components}
        return await self._interact(
            INTERACTION_MODAL_SUBMIT, chan, who, data, str(modal["custom_id"]), message=message, locale=locale
        )

    async def select(
        self,
        channel: Ref,
        user: JSON,
        message_id: int | str,
        values: list[str],
        *,
        custom_id: str | None = None,
        locale: str = "en-GB",
    ) -> int:
        """`user` picks `values` in a string select menu on a message (the first one, or the one with
        `custom_id`). Returns the interaction id."""
        chan = self._channel(channel)
        message = self._channel_message(chan, int(message_id))
        selects = [c for c in self._walk_components(message.get("components", [])) if c.get("type") in _SELECT_TYPES]
        if custom_id is not None:
            selects = [s for s in selects if s.get("custom_id") == custom_id]
        if not selects:
            raise ValueError(f"no select menu {custom_id or ''} on message {message_id}")
        menu = selects[0]
        if menu.get("type") == 3:
            allowed = {o["value"] for o in menu.get("options", [])}
            unknown = [v for v in values if v not in allowed]
            if unknown:
                raise ValueError(f"{unknown} are not options of {menu['custom_id']!r}: {sorted(allowed)}")
        if not menu.get("min_values", 1) <= len(values) <= menu.get("max_values", 1):
            raise ValueError(f"{menu['custom_id']!r} takes {menu.get('min_values', 1)}-{menu.get('max_values', 1)}")
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": list(values)}
        return await self._interact(
            INTERACTION_COMPONENT, chan, user, data, menu["custom_id"], message=message, locale=locale
        )

    async def close_gateway(self, code: int, reason: str) -> None:
        """Close every gateway connection with a close code, as Discord does (4004 "Authentication failed."
        when a token is reset, 4014 "Disallowed intent(s)."...)."""
        for conn in list(self._conns):
            conn.close(code, reason)
        await asyncio.sleep(0)

    async def reconnect(self) -> None:
        """Ask every connected bot to reconnect (op 7); discord.py reconnects to resume_gateway_url and RESUMEs."""
        for conn in list(self._conns):
            if conn.session is not None:
                conn.send({"op": 7, "d": None, "s": None, "t": None})
        await asyncio.sleep(0)

    # ---------------------------------------------------------------------------------------------------------
    # Inspection

    def messages_in(self, channel: Ref, *, include_ephemeral: bool = False) -> list[JSON]:
        """The bot's messages in a channel, oldest first, as they are now (after edits). Ephemeral interaction
        responses only with include_ephemeral=True."""
        cid = _ref_id(channel)
        return [
            copy.deepcopy(m)
            for _, m in sorted(self._messages.items())
            if int(m["channel_id"]) == cid
            and int(m["author"]["id"]) == self.bot_id
            and (include_ephemeral or not int(m.get("flags", 0)) & FLAG_EPHEMERAL)
        ]

    def message(self, channel: Ref, message_id: int | str) -> JSON | None:
        """Any stored message (the bot's, a user's, ephemeral) as it is now."""
        found = self._messages.get(int(message_id))
        return copy.deepcopy(found) if found and int(found["channel_id"]) == _ref_id(channel) else None

    def dms(self, user: JSON) -> list[JSON]:
        """The bot's messages in its DM with `user`, oldest first."""
        uid = int(user["id"])
        return self.messages_in(self._dm_by_user[uid]) if uid in self._dm_by_user else []

    def member(self, guild: Ref, user: JSON) -> JSON | None:
        return copy.deepcopy(self._members.get((self._guild_id(guild), int(user["id"]))))

    def permissions(self, guild: Ref, user: JSON) -> int:
        """The permissions `user` has in `guild` (what interactions carry in member.permissions)."""
        return self._member_permissions(self._guild_id(guild), int(user["id"]))

    def interaction(self, interaction_id: int | str) -> InteractionRecord:
        return self._interactions[int(interaction_id)]

    @property
    def interactions(self) -> list[InteractionRecord]:
        return list(self._interactions.values())

    @property
    def intents(self) -> int | None:
        """The intents of the last IDENTIFY."""
        return int(self.identifies[-1].get("intents", 0)) if self.identifies else None

    @property
    def connected(self) -> bool:
        """True while some bot is connected to the gateway and identified (or resumed)."""
        return any(c.session is not None and not c.closing for c in self._conns)

    @staticmethod
    def labels(message: JSON) -> list[str]:
        """The labels of the buttons on a message, in order (action rows and components v2 alike)."""
        return [
            str(c.get("label", ""))
            for c in FakeDiscord._walk_components(message.get("components", []))
            if c.get("type") == 2
        ]

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0, *, interval: float = 0.01) -> Any:
        """Poll `predicate` (sync, or returning an awaitable) until it is truthy; returns its value.
        Raises AssertionError after `timeout` seconds."""

        def describe() -> str:
            return (
                f"calls so far: {self.calls[-20:]}; errors: {self.errors[-5:]}; "
                f"gateway events: {[f['t'] for f in self.dispatched[-10:]]}"
            )

        return await poll_until(predicate, timeout, interval, describe)

    # ---------------------------------------------------------------------------------------------------------
    # HTTP entry point

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path in {"/", "/resume"} and request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._gateway(request)
        if request.path.startswith("/ephemeral-attachments/") and request.method == "GET":
            return self._serve_attachment(request)
        match = re.fullmatch(r"/api/v(\d+)(/.*)", request.path)
        call = f"{request.method} {match.group(2) if match else request.path}"
        self.calls.append(call)
        if not match or int(match.group(1)) not in API_VERSIONS:
            return self._error(call, ApiError(404, "404: Not Found", 0))
        path = match.group(2)
        matching = [(m, p.match(path), t, a, h) for m, p, t, a, h in _ROUTES if p.match(path)]
        if not matching:
            return self._error(call, ApiError(404, "404: Not Found", 0))
        chosen = next((r for r in matching if r[0] == request.method), None)
        if chosen is None:
            return self._error(call, ApiError(405, "405: Method Not Allowed", 0))
        method, found, template, auth, handler = chosen
        assert found is not None
        bucket = hashlib.md5(f"{method} {template}".encode()).hexdigest()
        if auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._error(call, ApiError(401, "401: Unauthorized", 0), bucket)
        try:
            body, files = await self._read_body(request)
        except ValueError:
            return self._error(call, ApiError(400, "400: Bad Request", 50109), bucket)
        self.requests.append((call, copy.deepcopy(body)))
        for index, (needle, error) in enumerate(self._injected):
            if needle in call.lower():
                del self._injected[index]
                return self._error(call, error, bucket)
        req = _Request(request.method, call, found.groupdict(), dict(request.query), body, files)
        try:
            status, result = await handler(self, req)
        except ApiError as error:
            return self._error(call, error, bucket)
        headers = self._headers(bucket)
        if status == 204:
            return web.Response(status=204, headers=headers)
        return _json_response(result, status, headers)

    def _headers(self, bucket: str) -> dict[str, str]:
        return {
            "Via": "1.1 google",
            "X-RateLimit-Bucket": bucket,
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
        }

    def _error(self, call: str, error: ApiError, bucket: str = "") -> web.Response:
        payload = error.payload()
        self.errors.append((call, error.status, payload))
        headers = {**self._headers(bucket), **error.headers} if bucket else {"Via": "1.1 google", **error.headers}
        return _json_response(payload, error.status, headers)

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, str, bytes, str]]]:
        files: list[tuple[str, str, bytes, str]] = []
        if not request.can_read_body:
            return None, files
        if request.content_type == "multipart/form-data":
            body: Any = None
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                content = await part.read()
                if part.name == "payload_json":
                    body = json.loads(content)
                elif part.filename:
                    ctype = part.headers.get("Content-Type", "application/octet-stream")
                    files.append((part.name or "", part.filename, bytes(content), ctype))
            return body, files
        text = await request.text()
        return (json.loads(text) if text else None), files

    # ---------------------------------------------------------------------------------------------------------
    # Gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(compress=False, max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        self.connections.append({"path": request.path, "query": query})
        compression = query.get("compress")
        compress: Callable[[bytes], bytes] | None = None
        problem: tuple[int, str] | None = None
        if compression == "zlib-stream":
            compress = _zlib_compressor()
        elif compression == "zstd-stream":
            try:
                compress = _zstd_compressor()
            except ImportError:
                problem = (4000, "zstd-stream needs the zstandard module")
        elif compression:
            problem = (4000, f"unknown compression {compression!r}")
        if query.get("encoding", "json") != "json":
            problem = (4000, "FakeDiscord only speaks encoding=json")
        version = query.get("v", "")
        if not version.isdigit() or int(version) not in API_VERSIONS:
            problem = (4012, "Invalid API version")
        conn = _Connection(ws, request.path, query, compress)
        self._conns.add(conn)
        writer = asyncio.create_task(self._writer(conn))
        try:
            if problem:
                conn.close(*problem)
            else:
                conn.send(
                    {"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}, "s": None, "t": None}
                )
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                try:
                    payload = json.loads(msg.data)
                    if not isinstance(payload, dict):
                        raise ValueError("not an object")
                except ValueError:
                    conn.close(4002, "Error while decoding payload.")
                    continue
                self.received.append(payload)
                self._gateway_op(conn, payload)
        finally:
            if not conn.closing:
                conn.closing = True
                conn.outbox.put_nowait(None)
            try:
                await asyncio.wait_for(writer, 2.0)
            except (TimeoutError, asyncio.CancelledError):
                writer.cancel()
            self._conns.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001):  # a clean close from the client ends the session
                    self._sessions.pop(session.id, None)
        return ws

    async def _writer(self, conn: _Connection) -> None:
        while True:
            item = await conn.outbox.get()
            if item is None:
                return
            try:
                if isinstance(item, _Close):
                    await conn.ws.close(code=item.code, message=item.reason.encode())
                    return
                frame, on_sent = item
                data = json.dumps(frame, separators=(",", ":"))
                if conn.compress is not None:
                    await conn.ws.send_bytes(conn.compress(data.encode()))
                else:
                    await conn.ws.send_str(data)
            except (ConnectionError, RuntimeError):
                return
            if on_sent is not None:
                on_sent()

    def _gateway_op(self, conn: _Connection, payload: JSON) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            self.heartbeats += 1
            conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            self._identify(conn, data if isinstance(data, dict) else {})
        elif op == 6:
            self._resume(conn, data if isinstance(data, dict) else {})
        elif op in (3, 4, 8):
            if conn.session is None:
                conn.close(4003, "Not authenticated.")
            elif op == 8 and isinstance(data, dict):
                self._member_chunk(conn.session, data)
        else:
            conn.close(4001, "Unknown opcode.")

    def _identify(self, conn: _Connection, data: JSON) -> None:
        self.identifies.append(copy.deepcopy(data))
        if conn.session is not None:
            return conn.close(4005, "Already authenticated.")
        if data.get("token") != self.token:
            return conn.close(4004, "Authentication failed.")
        intents = data.get("intents")
        if not isinstance(intents, int) or intents < 0 or intents & ~ALL_INTENTS:
            return conn.close(4013, "Invalid intent(s).")
        if intents & PRIVILEGED_INTENTS & ~self.privileged_intents:
            return conn.close(4014, "Disallowed intent(s).")
        shard = data.get("shard")
        if shard is not None and not (isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]):
            return conn.close(4010, "Invalid shard.")
        session = _Session(secrets.token_hex(16), intents, (int(shard[0]), int(shard[1])) if shard else None)
        self._sessions[session.id] = session
        session.conn = conn
        conn.session = session
        guilds = [gid for gid in self._guilds if session.wants_guild(gid)]
        ready: JSON = {
            "v": 10,
            "user_settings": {},
            "user": {**copy.deepcopy(self.bot_user), "verified": True, "mfa_enabled": False, "email": None, "flags": 0},
            "guilds": [{"id": str(gid), "unavailable": True} for gid in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["london", "rotterdam"],
            "auth": {},
            "application": {"id": str(self.application_id), "flags": self._application_flags()},
            "_trace": ['["gateway-prd-fake",{"micros":0}]'],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        self._send_dispatch(session, "READY", ready)
        if intents & INTENT_GUILDS:
            for gid in guilds:
                self._send_dispatch(session, "GUILD_CREATE", self._guild_create(gid, session))

    def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token:
            return conn.close(4004, "Authentication failed.")
        seq = data.get("seq")
        if session is None or session.conn is not None or not isinstance(seq, int) or seq > session.seq:
            conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        self.resumes += 1
        session.conn = conn
        conn.session = session
        for frame, on_sent in session.backlog:
            if frame["s"] > seq:
                conn.send(frame, on_sent)
        self._send_dispatch(session, "RESUMED", {"_trace": ['["gateway-prd-fake",{"micros":0}]']})

    def _member_chunk(self, session: _Session, data: JSON) -> None:
        gid = int(data.get("guild_id", 0))
        members = [m for (g, _), m in self._members.items() if g == gid]
        user_ids = data.get("user_ids")
        not_found: list[str] = []
        if user_ids:
            wanted = {str(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
            members = [m for m in members if m["user"]["id"] in wanted]
            not_found = sorted(wanted - {m["user"]["id"] for m in members})
        elif data.get("query"):
            prefix = str(data["query"]).lower()
            members = [m for m in members if m["user"]["username"].startswith(prefix)]
        elif not session.intents & INTENT_GUILD_MEMBERS:
            members = []
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(gid),
            "members": copy.deepcopy(members),
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": not_found,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    def _send_dispatch(
        self, session: _Session, event: str, data: JSON, on_sent: Callable[[], None] | None = None
    ) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": copy.deepcopy(data)}
        session.backlog.append((frame, on_sent))
        self.dispatched.append(frame)
        if session.conn is not None:
            session.conn.send(frame, on_sent)

    def _live_sessions(self, guild_id: int | None, intent: int | None) -> list[_Session]:
        return [
            s for s in self._sessions.values() if (intent is None or s.intents & intent) and s.wants_guild(guild_id)
        ]

    def _dispatch(self, event: str, data: JSON, *, intent: int | None, guild_id: int | None) -> int:
        sessions = self._live_sessions(guild_id, intent)
        for session in sessions:
            self._send_dispatch(session, event, data)
        return len(sessions)

    def _application_flags(self) -> int:
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        for intent, flag in _APP_FLAG_FOR_INTENT.items():
            if self.privileged_intents & intent:
                flags |= flag
        return flags

    # ---------------------------------------------------------------------------------------------------------
    # REST: users, application, gateway

    @_route("GET", "/users/@me")
    async def _get_me(self, req: _Request) -> tuple[int, Any]:
        return 200, {**copy.deepcopy(self.bot_user), "verified": True, "mfa_enabled": False, "email": None, "flags": 0}

    @_route("GET", "/users/{user_id}")
    async def _get_user(self, req: _Request) -> tuple[int, Any]:
        user = self._users.get(int(req.params["user_id"]) if req.params["user_id"].isdigit() else 0)
        if user is None:
            raise _not_found("User", UNKNOWN_USER)
        return 200, copy.deepcopy(user)

    @_route("GET", "/oauth2/applications/@me")
    async def _get_application(self, req: _Request) -> tuple[int, Any]:
        return 200, self._application_json()

    @_route("GET", "/applications/@me")
    async def _get_application_too(self, req: _Request) -> tuple[int, Any]:
        return 200, self._application_json()

    @_route("GET", "/gateway", auth=False)
    async def _get_gateway(self, req: _Request) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url.rstrip("/")}

    @_route("GET", "/gateway/bot")
    async def _get_gateway_bot(self, req: _Request) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.gateway_url.rstrip("/"), "shards": 1, "session_start_limit": limit}

    # ---------------------------------------------------------------------------------------------------------
    # REST: application commands

    @_route("GET", "/applications/{app}/commands")
    async def _get_commands(self, req: _Request) -> tuple[int, Any]:
        self._check_app(req)
        return 200, copy.deepcopy(self.commands)

    @_route("PUT", "/applications/{app}/commands")
    async def _put_commands(self, req: _Request) -> tuple[int, Any]:
        self._check_app(req)
        self.commands = self._overwrite_commands(self.commands, req.body, None)
        return 200, copy.deepcopy(self.commands)

    @_route("POST", "/applications/{app}/commands")
    async def _post_command(self, req: _Request) -> tuple[int, Any]:
        self._check_app(req)
        self.commands, status, stored = self._upsert_command(self.commands, req.body, None)
        return status, stored

    @_route("GET", "/applications/{app}/commands/{command_id}")
    async def _get_command(self, req: _Request) -> tuple[int, Any]:
        self._check_app(req)
        return 200, copy.deepcopy(self._command_by_id(self.commands, req.params["command_id"]))

    @_route("DELETE", "/applications/{app}/commands/{command_id}")
    async def _delete_command(self, req: _Request) -> tuple[int, Any]:
        self._check_app(req)
        found = self._command_by_id(self.commands, req.params["command_id"])
        self.commands = [c for c in self.commands if c is not found]
        return 204, None

    @_route("GET", "/applications/{app}/guilds/{guild_id}/commands")
    async def _get_guild_commands(self, req: _Request) -> tuple[int, Any]:
        gid = self._check_app(req) or 0
        return 200, copy.deepcopy(self.guild_commands.get(gid, []))

    @_route("PUT", "/applications/{app}/guilds/{guild_id}/commands")
    async def _put_guild_commands(self, req: _Request) -> tuple[int, Any]:
        gid = self._check_app(req)
        assert gid is not None
        self.guild_commands[gid] = self._overwrite_commands(self.guild_commands.get(gid, []), req.body, gid)
        return 200, copy.deepcopy(self.guild_commands[gid])

    @_route("POST", "/applications/{app}/guilds/{guild_id}/commands")
    async def _post_guild_command(self, req: _Request) -> tuple[int, Any]:
        gid = self._check_app(req)
        assert gid is not None
        self.guild_commands[gid], status, stored = self._upsert_command(self.guild_commands.get(gid, []), req.body, gid)
        return status, stored

    @_route("GET", "/applications/{app}/guilds/{guild_id}/commands/{command_id}")
    async def _get_guild_command(self, req: _Request) -> tuple[int, Any]:
        gid = self._check_app(req) or 0
        return 200, copy.deepcopy(self._command_by_id(self.guild_commands.get(gid, []), req.params["command_id"]))

    @_route("DELETE", "/applications/{app}/guilds/{guild_id}/commands/{command_id}")
    async def _delete_guild_command(self, req: _Request) -> tuple[int, Any]:
        gid = self._check_app(req) or 0
        found = self._command_by_id(self.guild_commands.get(gid, []), req.params["command_id"])
        self.guild_commands[gid] = [c for c in self.guild_commands[gid] if c is not found]
        return 204, None

    # ---------------------------------------------------------------------------------------------------------
    # REST: guilds and channels

    @_route("GET", "/guilds/{guild_id}")
    async def _get_guild(self, req: _Request) -> tuple[int, Any]:
        gid = self._rest_guild(req.params["guild_id"])
        full = self._guild_create(gid, None)
        for key in ("channels", "members", "threads", "voice_states", "presences", "joined_at", "large", "lazy"):
            full.pop(key, None)
        return 200, full

    @_route("GET", "/guilds/{guild_id}/channels")
    async def _get_guild_channels(self, req: _Request) -> tuple[int, Any]:
        return 200, copy.deepcopy(self._guild_channels(self._rest_guild(req.params["guild_id"])))

    @_route("GET", "/guilds/{guild_id}/roles")
    async def _get_guild_roles(self, req: _Request) -> tuple[int, Any]:
        return 200, copy.deepcopy(self._roles[self._rest_guild(req.params["guild_id"])])

    @_route("GET", "/guilds/{guild_id}/members/{user_id}")
    async def _get_guild_member(self, req: _Request) -> tuple[int, Any]:
        gid = self._rest_guild(req.params["guild_id"])
        member = self._members.get((gid, int(req.params["user_id"]) if req.params["user_id"].isdigit() else 0))
        if member is None:
            raise _not_found("Member", UNKNOWN_MEMBER)
        return 200, copy.deepcopy(member)

    @_route("GET", "/channels/{channel_id}")
    async def _get_channel(self, req: _Request) -> tuple[int, Any]:
        return 200, copy.deepcopy(self._rest_channel(req.params["channel_id"], VIEW_CHANNEL))

    @_route("POST", "/users/@me/channels")
    async def _create_dm(self, req: _Request) -> tuple[int, Any]:
        body = req.body if isinstance(req.body, dict) else {}
        recipient = str(body.get("recipient_id", ""))
        if not recipient.isdigit():
            raise _form_error(["recipient_id"], "NUMBER_TYPE_COERCE", f'Value "{recipient}" is not snowflake.')
        user = self._users.get(int(recipient))
        if user is None or int(recipient) == self.bot_id:
            raise _not_found("User", UNKNOWN_USER)
        return 200, copy.deepcopy(self.dm_channel(user))

    @_route("POST", "/channels/{channel_id}/typing")
    async def _typing(self, req: _Request) -> tuple[int, Any]:
        self._writable(self._rest_channel(req.params["channel_id"], VIEW_CHANNEL))
        return 204, None

    @_route("GET", "/channels/{channel_id}/messages")
    async def _get_messages(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        limit = max(1, min(int(req.query.get("limit", "50")), 100))
        found = [
            m
            for _, m in sorted(self._messages.items(), reverse=True)
            if m["channel_id"] == chan["id"] and not int(m.get("flags", 0)) & FLAG_EPHEMERAL
        ]
        return 200, copy.deepcopy(found[:limit])

    @_route("POST", "/channels/{channel_id}/messages")
    async def _post_message(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL)
        self._writable(chan)
        body = req.body if isinstance(req.body, dict) else {}
        nonce_key = (str(chan["id"]), str(self.bot_user["id"]), str(body.get("nonce")))
        if body.get("enforce_nonce") and body.get("nonce") is not None and nonce_key in self._nonces:
            earlier, at = self._nonces[nonce_key]
            if time.monotonic() - at < NONCE_WINDOW_S and earlier in self._messages:
                return 200, copy.deepcopy(self._messages[earlier])  # the message already posted, not a new one
        if req.files and not self._bot_can(chan, ATTACH_FILES):
            raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)
        message = self._new_message(chan, self.bot_user)
        self._apply_content(message, body, req.files, creating=True)
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            self._nonces[nonce_key] = (int(message["id"]), time.monotonic())
        message["flags"] = int(body.get("flags") or 0) & _SENDABLE_FLAGS
        for key in ("nonce", "tts"):
            if key in body:
                message[key] = body[key]
        reference = body.get("message_reference")
        if isinstance(reference, dict) and reference.get("message_id"):
            self._reply(message, chan, int(reference["message_id"]), reference.get("fail_if_not_exists", True))
        self._store(message)
        self._announce_create(message)
        return 200, copy.deepcopy(message)

    @_route("GET", "/channels/{channel_id}/messages/{message_id}")
    async def _get_message(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        return 200, copy.deepcopy(self._rest_message(chan, req.params["message_id"]))

    @_route("PATCH", "/channels/{channel_id}/messages/{message_id}")
    async def _patch_message(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL)
        message = self._rest_message(chan, req.params["message_id"])
        if int(message["author"]["id"]) != self.bot_id:
            raise ApiError(403, "Cannot edit a message authored by another user", CANNOT_EDIT_OTHERS)
        return 200, self._edit(message, req.body if isinstance(req.body, dict) else {}, req.files)

    @_route("DELETE", "/channels/{channel_id}/messages/{message_id}")
    async def _delete_message(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL)
        message = self._rest_message(chan, req.params["message_id"])
        gid = self._channel_guild(chan)
        if int(message["author"]["id"]) != self.bot_id and not self._bot_can(chan, MANAGE_MESSAGES):
            raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)
        self._delete(message, gid)
        return 204, None

    @_route("POST", "/channels/{channel_id}/messages/{message_id}/threads")
    async def _start_thread(self, req: _Request) -> tuple[int, Any]:
        chan = self._rest_channel(req.params["channel_id"], VIEW_CHANNEL)
        if chan["type"] not in (CHANNEL_TEXT, CHANNEL_NEWS):
            raise ApiError(400, "Cannot execute action on this channel type", CANNOT_EXECUTE_ON_CHANNEL_TYPE)
        if not self._bot_can(chan, CREATE_PUBLIC_THREADS):
            raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)
        message = self._rest_message(chan, req.params["message_id"])
        body = req.body if isinstance(req.body, dict) else {}
        return 201, self._new_thread(chan, message, self.bot_user, body.get("name"), body)

    # ---------------------------------------------------------------------------------------------------------
    # REST: interactions

    @_route("POST", "/interactions/{interaction_id}/{token}/callback", auth=False)
    async def _callback(self, req: _Request) -> tuple[int, Any]:
        iid = req.params["interaction_id"]
        record = self._interactions.get(int(iid)) if iid.isdigit() else None
        if record is None or record.token != req.params["token"] or record.dispatched_at is None:
            raise _not_found("interaction", UNKNOWN_INTERACTION)
        if record.callback_type is not None:
            record.rejected.append(ALREADY_ACKNOWLEDGED)
            raise ApiError(400, "Interaction has already been acknowledged.", ALREADY_ACKNOWLEDGED)
        if time.monotonic() - record.dispatched_at > self.ack_timeout:
            record.rejected.append(UNKNOWN_INTERACTION)
            raise _not_found("interaction", UNKNOWN_INTERACTION)
        body = req.body if isinstance(req.body, dict) else {}
        kind = body.get("type")
        data: JSON = body["data"] if isinstance(body.get("data"), dict) else {}
        valid = {4, 5} | ({9} if record.type != INTERACTION_MODAL_SUBMIT else set())
        if record.type in (INTERACTION_COMPONENT, INTERACTION_MODAL_SUBMIT) and record.message_id is not None:
            valid |= {6, 7}
        if kind not in valid:
            raise _form_error(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", f"Value must be one of {sorted(valid)}.")
        resource: JSON | None = None
        if kind == 4:
            message = self._interaction_message(record, data, req.files, flags=int(data.get("flags") or 0))
            record.original_id = int(message["id"])
            resource = {"type": 4, "message": copy.deepcopy(message)}
        elif kind == 5:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            message = self._interaction_message(record, {"content": ""}, [], flags=flags, loading=True)
            record.original_id = int(message["id"])
            resource = {"type": 5, "message": copy.deepcopy(message)}
        elif kind in (6, 7):
            record.original_id = record.message_id
            target = self._messages.get(record.message_id or 0)
            if kind == 7 and target is not None:
                updated = self._edit(target, data, req.files)
                resource = {"type": 7, "message": updated}
        record.callback_type = int(kind)
        record.callback_data = copy.deepcopy(data)
        record.acked_at = time.monotonic()
        if req.query.get("with_response", "").lower() not in {"1", "true"}:
            return 204, None
        original = self._messages.get(record.original_id or 0)
        interaction: JSON = {"id": str(record.id), "type": record.type}
        if original is not None and kind in (4, 5, 7):
            interaction["response_message_id"] = original["id"]
            interaction["response_message_loading"] = bool(int(original.get("flags", 0)) & FLAG_LOADING)
            interaction["response_message_ephemeral"] = bool(int(original.get("flags", 0)) & FLAG_EPHEMERAL)
        result: JSON = {"interaction": interaction}
        if resource is not None:
            result["resource"] = resource
        return 200, result

    @_route("POST", "/webhooks/{app}/{token}", auth=False)
    async def _followup(self, req: _Request) -> tuple[int, Any]:
        record = self._webhook_record(req)
        body = req.body if isinstance(req.body, dict) else {}
        original = self._messages.get(record.original_id or 0)
        if record.callback_type == 5 and original is not None and int(original.get("flags", 0)) & FLAG_LOADING:
            # The first follow-up after a deferred response edits the loading message (ephemeral flag kept).
            message = self._edit(original, {k: v for k, v in body.items() if k != "flags"}, req.files)
        else:
            message = self._interaction_message(record, body, req.files, flags=int(body.get("flags") or 0))
            record.followup_ids.append(int(message["id"]))
        if req.query.get("wait", "").lower() not in {"1", "true"}:
            return 204, None
        return 200, copy.deepcopy(message)

    @_route("GET", "/webhooks/{app}/{token}/messages/{message_id}", auth=False)
    async def _get_webhook_message(self, req: _Request) -> tuple[int, Any]:
        record = self._webhook_record(req)
        return 200, copy.deepcopy(self._webhook_message(record, req.params["message_id"]))

    @_route("PATCH", "/webhooks/{app}/{token}/messages/{message_id}", auth=False)
    async def _patch_webhook_message(self, req: _Request) -> tuple[int, Any]:
        record = self._webhook_record(req)
        message = self._webhook_message(record, req.params["message_id"])
        return 200, self._edit(message, req.body if isinstance(req.body, dict) else {}, req.files)

    @_route("DELETE", "/webhooks/{app}/{token}/messages/{message_id}", auth=False)
    async def _delete_webhook_message(self, req: _Request) -> tuple[int, Any]:
        record = self._webhook_record(req)
        message = self._webhook_message(record, req.params["message_id"])
        self._delete(message, record.guild_id)
        return 204, None

    # ---------------------------------------------------------------------------------------------------------
    # Interactions

    async def _interact(
        self,
        kind: int,
        chan: JSON,
        user: JSON,
        data: JSON,
        name: str,
        *,
        message: JSON | None = None,
        locale: str,
    ) -> int:
        gid = self._channel_guild(chan)
        sessions = self._live_sessions(gid, None)
        if not sessions:
            raise RuntimeError("no bot is connected to the gateway: the interaction would go nowhere")
        iid = self._new_id()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(120)
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": chan["id"],
            "channel": copy.deepcopy(chan),
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if gid is not None:
            if (gid, int(user["id"])) not in self._members:
                self.add_member(gid, user, quietly=True)
            member = copy.deepcopy(self._members[(gid, int(user["id"]))])
            member["permissions"] = _perm_str(self._member_permissions(gid, int(user["id"])))
            payload["channel"]["permissions"] = member["permissions"]
            payload.update(
                {
                    "guild_id": str(gid),
                    "guild": {"id": str(gid), "locale": self._guilds[gid]["preferred_locale"], "features": []},
                    "guild_locale": self._guilds[gid]["preferred_locale"],
                    "member": member,
                    "app_permissions": _perm_str(self._member_permissions(gid, self.bot_id)),
                    "authorizing_integration_owners": {"0": str(gid)},
                    "context": 0,
                }
            )
        else:
            payload.update(
                {
                    "user": copy.deepcopy(user),
                    "app_permissions": _perm_str(DEFAULT_BOT_PERMISSIONS),
                    "authorizing_integration_owners": {"0": "0"},
                    "context": 1,
                }
            )
        if message is not None:
            payload["message"] = copy.deepcopy(message)
        record = InteractionRecord(
            id=iid,
            token=token,
            type=kind,
            name=name,
            user_id=int(user["id"]),
            channel_id=int(chan["id"]),
            guild_id=gid,
            payload=copy.deepcopy(payload),
            created_at=time.monotonic(),
            message_id=int(message["id"]) if message is not None else None,
            _messages=self._messages,
        )
        self._interactions[iid] = record
        self._tokens[token] = iid

        def sent() -> None:
            if record.dispatched_at is None:
                record.dispatched_at = time.monotonic()

        # Discord sends an interaction to one session: a connected one (the newest) rather than one that
        # was left without closing cleanly and could only be resumed.
        target = next((s for s in reversed(sessions) if s.conn is not None), sessions[0])
        self._send_dispatch(target, "INTERACTION_CREATE", payload, sent)
        await asyncio.sleep(0)
        return iid

    def _interaction_message(
        self,
        record: InteractionRecord,
        body: JSON,
        files: list[tuple[str, str, bytes, str]],
        *,
        flags: int,
        loading: bool = False,
    ) -> JSON:
        chan = self._channels[record.channel_id]
        message = self._new_message(chan, self.bot_user)
        self._apply_content(message, body, files, creating=not loading)
        message["flags"] = flags & (_INTERACTION_FLAGS | FLAG_LOADING)
        self._mark_ephemeral(message)
        message["webhook_id"] = str(self.application_id)
        message["application_id"] = str(self.application_id)
        user = copy.deepcopy(self._users[record.user_id])
        metadata: JSON = {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": record.payload.get("authorizing_integration_owners", {}),
        }
        if record.type == INTERACTION_COMMAND:
            message["type"] = 20  # CHAT_INPUT_COMMAND
            metadata["name"] = record.name
            metadata["command_type"] = 1
            message["interaction"] = {"id": str(record.id), "type": record.type, "name": record.name, "user": user}
        elif record.message_id is not None:
            metadata["interacted_message_id"] = str(record.message_id)
        if record.callback_type is not None and record.original_id is not None:  # a follow-up
            metadata["original_response_message_id"] = str(record.original_id)
        message["interaction_metadata"] = metadata
        self._store(message)
        if not message["flags"] & FLAG_EPHEMERAL:
            self._announce_create(message)
        return message

    def _webhook_record(self, req: _Request) -> InteractionRecord:
        iid = self._tokens.get(req.params["token"])
        if req.params["app"] != str(self.application_id) or iid is None:
            raise _not_found("Webhook", UNKNOWN_WEBHOOK)
        record = self._interactions[iid]
        if record.dispatched_at is not None and time.monotonic() - record.dispatched_at > self.token_ttl:
            raise ApiError(401, "Invalid Webhook Token", INVALID_WEBHOOK_TOKEN)
        if record.callback_type is None:
            raise _not_found("Webhook", UNKNOWN_WEBHOOK)
        return record

    def _webhook_message(self, record: InteractionRecord, message_ref: str) -> JSON:
        if message_ref == "@original":
            mid = record.original_id
        elif message_ref.isdigit() and int(message_ref) in {record.original_id, *record.followup_ids}:
            mid = int(message_ref)
        else:
            mid = None
        message = self._messages.get(mid or 0)
        if message is None:
            raise _not_found("Message", UNKNOWN_MESSAGE)
        return message

    def _find_command(self, name: str, gid: int | None) -> JSON | None:
        scopes = ([self.guild_commands.get(gid, [])] if gid is not None else []) + [self.commands]
        for commands in scopes:
            for command in commands:
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        return None

    def _check_can_use(self, definition: JSON, chan: JSON, gid: int | None, user: JSON) -> None:
        contexts = definition.get("contexts")
        context = 0 if gid is not None else 1
        if contexts is not None and context not in contexts:
            raise ValueError(f"/{definition['name']} is not available {'in guilds' if gid else 'in DMs'}")
        if gid is None and definition.get("dm_permission") is False:
            raise ValueError(f"/{definition['name']} is not available in DMs (dm_permission false)")
        needed = definition.get("default_member_permissions")
        if gid is not None and needed is not None:
            have = self._member_permissions(gid, int(user["id"])) if (gid, int(user["id"])) in self._members else 0
            if have & int(needed) != int(needed) or (int(needed) == 0 and not have & ADMINISTRATOR):
                raise ValueError(
                    f"{user['username']} cannot see /{definition['name']}: it needs permissions {needed}, "
                    f"they have {have}"
                )

    def _build_options(
        self, definition: JSON, path: list[str], given: JSON, gid: int | None
    ) -> tuple[list[JSON], JSON]:
        resolved: JSON = {}
        options = definition.get("options") or []
        wrappers: list[JSON] = []
        for step in path:
            sub = next(
                (o for o in options if o["name"] == step and o["type"] in (_OPTION_SUBCOMMAND, _OPTION_GROUP)), None
            )
            if sub is None:
                names = [o["name"] for o in options if o["type"] in (_OPTION_SUBCOMMAND, _OPTION_GROUP)]
                raise ValueError(f"/{definition['name']} has no subcommand {step!r}; it has {names}")
            wrappers.append({"type": sub["type"], "name": sub["name"]})
            options = sub.get("options") or []
        if any(o["type"] in (_OPTION_SUBCOMMAND, _OPTION_GROUP) for o in options):
            names = [o["name"] for o in options]
            raise ValueError(f"/{definition['name']} {' '.join(path)} needs a subcommand: one of {names}")
        by_name = {o["name"]: o for o in options}
        unknown = sorted(set(given) - set(by_name))
        if unknown:
            raise ValueError(f"/{definition['name']} has no option(s) {unknown}; it has {sorted(by_name)}")
        missing = [o["name"] for o in options if o.get("required") and o["name"] not in given]
        if missing:
            raise ValueError(f"/{definition['name']} needs option(s) {missing}")
        built = [self._option_value(by_name[name], value, gid, resolved) for name, value in given.items()]
        for wrapper in reversed(wrappers):
            wrapper["options"] = built
            built = [wrapper]
        return built, resolved

    def _option_value(self, option: JSON, value: Any, gid: int | None, resolved: JSON) -> JSON:
        kind = option["type"]
        name = option["name"]
        out: Any
        if kind == _OPTION_STRING:
            out = str(value)
            if not option.get("min_length", 0) <= len(out) <= option.get("max_length", 6000):
                raise ValueError(f"option {name!r}: length must be within its min_length/max_length")
        elif kind == _OPTION_INTEGER:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"option {name!r} takes an integer, not {value!r}")
            out = value
        elif kind == _OPTION_NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"option {name!r} takes a number, not {value!r}")
            out = value
        elif kind == _OPTION_BOOLEAN:
            if not isinstance(value, bool):
                raise ValueError(f"option {name!r} takes a boolean, not {value!r}")
            out = value
        elif kind in (_OPTION_USER, _OPTION_MENTIONABLE) and (not isinstance(value, dict) or "username" in value):
            uid = _ref_id(value)
            user = self._users.get(uid)
            if user is None:
                raise ValueError(f"option {name!r}: unknown user {uid}")
            resolved.setdefault("users", {})[str(uid)] = copy.deepcopy(user)
            if gid is not None and (gid, uid) in self._members:
                member = {k: v for k, v in copy.deepcopy(self._members[(gid, uid)]).items() if k != "user"}
                member["permissions"] = _perm_str(self._member_permissions(gid, uid))
                resolved.setdefault("members", {})[str(uid)] = member
            out = str(uid)
        elif kind in (_OPTION_ROLE, _OPTION_MENTIONABLE):
            if gid is None:
                raise ValueError(f"option {name!r}: roles only exist in guilds")
            role = self._role(gid, _ref_id(value))
            resolved.setdefault("roles", {})[role["id"]] = copy.deepcopy(role)
            out = role["id"]
        elif kind == _OPTION_ATTACHMENT:
            attachment = self._attachment_option(name, value)
            resolved.setdefault("attachments", {})[attachment["id"]] = attachment
            out = attachment["id"]
        elif kind == _OPTION_CHANNEL:
            chan = self._channel(value)
            partial: JSON = {k: chan[k] for k in ("id", "name", "type", "guild_id", "parent_id", "flags") if k in chan}
            partial["permissions"] = _perm_str(self._member_permissions(gid, self.bot_id) if gid else 0)
            resolved.setdefault("channels", {})[chan["id"]] = partial
            out = chan["id"]
        else:
            raise ValueError(f"option {name!r} has a type ({kind}) FakeDiscord.slash() cannot fill")
        choices = option.get("choices")
        if choices and out not in [c["value"] for c in choices]:
            raise ValueError(f"option {name!r}: {out!r} is not one of its choices {[c['value'] for c in choices]}")
        if kind in (_OPTION_INTEGER, _OPTION_NUMBER) and not (
            option.get("min_value", -math.inf) <= out <= option.get("max_value", math.inf)
        ):
            raise ValueError(f"option {name!r}: {out} is outside min_value/max_value")
        return {"name": name, "type": kind, "value": out}

    # ---------------------------------------------------------------------------------------------------------
    # Commands

    def _check_app(self, req: _Request) -> int | None:
        if req.params["app"] != str(self.application_id):
            raise ApiError(403, "Missing Access", MISSING_ACCESS)
        if "guild_id" not in req.params:
            return None
        gid = int(req.params["guild_id"]) if req.params["guild_id"].isdigit() else 0
        if gid not in self._guilds:
            raise ApiError(403, "Missing Access", MISSING_ACCESS)
        return gid

    def _command_by_id(self, commands: list[JSON], command_id: str) -> JSON:
        for command in commands:
            if command["id"] == command_id:
                return command
        raise _not_found("application command", UNKNOWN_COMMAND)

    def _overwrite_commands(self, existing: list[JSON], body: Any, gid: int | None) -> list[JSON]:
        if not isinstance(body, list):
            raise _form_error([], "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        if len(body) > 100:
            raise _form_error([], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        seen: set[tuple[str, int]] = set()
        stored = []
        for index, definition in enumerate(body):
            command = self._validate_command(definition, [index])
            key = (command["name"], command.get("type", 1))
            if key in seen:
                raise _form_error(
                    [], "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Application command names must be unique: {key[0]}"
                )
            seen.add(key)
            stored.append(self._stored_command(command, existing, gid))
        self.sync_count += 1
        self.syncs.append((gid, [c["name"] for c in stored]))
        return stored

    def _upsert_command(self, existing: list[JSON], body: Any, gid: int | None) -> tuple[list[JSON], int, JSON]:
        command = self._validate_command(body, [])
        stored = self._stored_command(command, existing, gid)
        same = [c for c in existing if (c["name"], c.get("type", 1)) == (stored["name"], stored["type"])]
        others = [c for c in existing if c not in same]
        return [*others, stored], 200 if same else 201, copy.deepcopy(stored)

    def _validate_command(self, definition: Any, path: list[str | int]) -> JSON:
        if not isinstance(definition, dict):
            raise _form_error(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        kind = int(definition.get("type", 1))
        name = str(definition.get("name", ""))
        if kind == 1 and (not _COMMAND_NAME_RE.match(name) or name != name.lower()):
            raise _form_error([*path, "name"], "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name}")
        if kind == 1 and not 1 <= len(str(definition.get("description", ""))) <= 100:
            raise _form_error([*path, "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        self._validate_options(definition.get("options") or [], [*path, "options"])
        return copy.deepcopy(definition)

    def _validate_options(self, options: list[JSON], path: list[str | int]) -> None:
        if len(options) > 25:
            raise _form_error(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        optional_seen = False
        for index, option in enumerate(options):
            name = str(option.get("name", ""))
            if not _COMMAND_NAME_RE.match(name) or name != name.lower():
                raise _form_error(
                    [*path, index, "name"], "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name}"
                )
            if not 1 <= len(str(option.get("description", ""))) <= 100:
                raise _form_error(
                    [*path, index, "description"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
            if option.get("type") in (_OPTION_SUBCOMMAND, _OPTION_GROUP):
                self._validate_options(option.get("options") or [], [*path, index, "options"])
                continue
            if option.get("required"):
                if optional_seen:
                    raise _form_error(
                        [*path, index, "required"],
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
            else:
                optional_seen = True
            if len(option.get("choices") or []) > 25:
                raise _form_error([*path, index, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")

    def _stored_command(self, command: JSON, existing: list[JSON], gid: int | None) -> JSON:
        kind = int(command.get("type", 1))
        permissions = command.get("default_member_permissions")
        previous = next((c for c in existing if c["name"] == command["name"] and c.get("type", 1) == kind), None)
        stored: JSON = {
            "id": previous["id"] if previous else str(self._new_id()),
            "application_id": str(self.application_id),
            "version": "",
            "default_member_permissions": None if permissions is None else str(permissions),  # sent as int or str
            "type": kind,
            "name": command["name"],
            "name_localizations": command.get("name_localizations"),
            "description": command.get("description", "") if kind == 1 else "",
            "description_localizations": command.get("description_localizations"),
            "nsfw": bool(command.get("nsfw", False)),
        }
        if gid is not None:
            stored["guild_id"] = str(gid)
            stored["contexts"] = command.get("contexts")
            stored["integration_types"] = command.get("integration_types") or [0]
        else:
            contexts = command.get("contexts")
            if contexts is None:
                contexts = [0, 1, 2] if command.get("dm_permission", True) is not False else [0]
            stored["contexts"] = contexts
            stored["integration_types"] = command.get("integration_types") or [0]
            stored["dm_permission"] = 1 in contexts
        if command.get("options"):
            stored["options"] = copy.deepcopy(command["options"])
        if previous and {k: v for k, v in previous.items() if k != "version"} == {
            k: v for k, v in stored.items() if k != "version"
        }:
            stored["version"] = previous["version"]
        else:
            stored["version"] = str(self._new_id())
        return stored

    # ---------------------------------------------------------------------------------------------------------
    # Messages

    def _new_message(self, chan: JSON, author: JSON, *, content: str = "") -> JSON:
        message: JSON = {
            "type": 0,
            "content": content,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "flags": 0,
            "components": [],
            "id": str(self._new_id()),
            "channel_id": chan["id"],
            "author": copy.deepcopy(author),
            "pinned": False,
            "mention_everyone": False,
            "tts": False,
        }
        self._set_mentions(message)
        return message

    def _set_mentions(self, message: JSON) -> None:
        ids = dict.fromkeys(int(m) for m in _MENTION_RE.findall(str(message.get("content", ""))))
        message["mentions"] = [copy.deepcopy(self._users[uid]) for uid in ids if uid in self._users]
        message["mention_everyone"] = "@everyone" in str(message.get("content", ""))

    def _apply_content(
        self, message: JSON, body: JSON, files: list[tuple[str, str, bytes, str]], *, creating: bool
    ) -> None:
        """Set content/embeds/components/attachments from a create or edit body (validated like Discord)."""
        if "content" in body:
            content = body["content"] or ""
            if len(str(content)) > 2000:
                raise _form_error(["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
            message["content"] = str(content)
            self._set_mentions(message)
        if "embeds" in body:
            embeds = body["embeds"] or []
            if len(embeds) > 10:
                raise _form_error(["embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
            message["embeds"] = [{"type": "rich", **e} for e in embeds]
        if "components" in body:
            message["components"] = self._components(body["components"] or [], int(body.get("flags") or 0))
        kept = message.get("attachments", [])
        if "attachments" in body and not creating:
            wanted = {str(a.get("id")) for a in body["attachments"] or []}
            kept = [a for a in kept if a["id"] in wanted]
        if len(kept) + len(files) > MAX_FILES:
            raise _form_error(["attachments"], "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_FILES} or fewer in length.")
        if any(len(content_bytes) > MAX_FILE_BYTES for _, _, content_bytes, _ in files):
            raise ApiError(413, "Request entity too large", ENTITY_TOO_LARGE)
        message["attachments"] = kept + self._attachments(message, body, files)
        if creating and not (
            message["content"]
            or message["embeds"]
            or message["components"]
            or message["attachments"]
            or body.get("sticker_ids")
            or body.get("poll")
        ):
            raise ApiError(400, "Cannot send an empty message", EMPTY_MESSAGE)

    def _attachments(self, message: JSON, body: JSON, files: list[tuple[str, str, bytes, str]]) -> list[JSON]:
        """The files of a request as attachments: ``files[n]`` goes with the ``attachments`` entry whose id is n
        (its filename and description are used), as Discord matches them."""
        described = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
        made = []
        for field_name, filename, content_bytes, ctype in files:
            match = re.fullmatch(r"files\[(\d+)\]", field_name)
            entry = described.get(match.group(1), {}) if match else {}
            name = str(entry.get("filename") or filename)
            aid = self._new_id()
            self.uploads[aid] = content_bytes
            attachment: JSON = {
                "id": str(aid),
                "filename": name,
                "size": len(content_bytes),
                "url": f"https://cdn.discordapp.com/attachments/{message['channel_id']}/{aid}/{name}",
                "proxy_url": f"https://media.discordapp.net/attachments/{message['channel_id']}/{aid}/{name}",
                "content_type": self._content_type(name, ctype),
            }
            if entry.get("description"):
                attachment["description"] = str(entry["description"])
            size = image_size(content_bytes)
            if size is not None:
                attachment["width"], attachment["height"] = size
            made.append(attachment)
            self.files.append(
                SentFile(
                    int(message["id"]), int(message["channel_id"]), name, content_bytes, attachment["content_type"]
                )
            )
        return made

    @staticmethod
    def _content_type(filename: str, sent_as: str) -> str:
        """Discord finds a file's type from its name (discord.py sends every file as application/octet-stream)."""
        found = sent_as if sent_as and sent_as != "application/octet-stream" else None
        found = found or mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"
        if found.startswith("text/") and "charset" not in found:
            found += "; charset=utf-8"
        return found

    @staticmethod
    def _mark_ephemeral(message: JSON) -> None:
        if int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            for attachment in message.get("attachments", []):
                attachment["ephemeral"] = True

    def _components(self, components: list[JSON], flags: int) -> list[JSON]:
        """Validate and echo components as Discord does (with numeric ids filled in)."""
        counter = itertools.count(1)
        custom_ids: set[str] = set()
        v2 = bool(flags & FLAG_IS_COMPONENTS_V2)
        if not v2 and len(components) > 5:
            raise _form_error(["components"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")

        def fix(component: JSON, path: list[str | int]) -> JSON:
            out = copy.deepcopy(component)
            out.setdefault("id", next(counter))
            kind = out.get("type")
            if kind == 1:
                children = out.get("components") or []
                if not 1 <= len(children) <= 5:
                    raise _form_error(
                        [*path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
                    )
                if any(c.get("type") != 2 for c in children) and len(children) > 1:
                    raise _form_error(
                        [*path, "components"],
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "The specified component exceeds the maximum width",
                    )
            elif kind == 2:
                style = out.get("style")
                if style == 5:
                    if not out.get("url"):
                        raise _form_error([*path, "url"], "BASE_TYPE_REQUIRED", "This field is required")
                elif style != 6 and not out.get("custom_id"):
                    raise _form_error([*path, "custom_id"], "BASE_TYPE_REQUIRED", "This field is required")
                if len(str(out.get("label") or "")) > 80:
                    raise _form_error([*path, "label"], "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
                if not out.get("label") and not out.get("emoji") and style != 6:
                    raise _form_error([*path], "COMPONENT_INVALID_EMOJI", "A label or emoji is required")
            elif not v2 and kind not in _SELECT_TYPES and kind != 4:
                raise _form_error([*path, "type"], "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).')
            if "custom_id" in out:
                custom_id = str(out["custom_id"])
                if not 1 <= len(custom_id) <= 100:
                    raise _form_error(
                        [*path, "custom_id"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                    )
                if custom_id in custom_ids:
                    raise _form_error(
                        [*path, "custom_id"],
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                custom_ids.add(custom_id)
            if "components" in out:
                out["components"] = [fix(c, [*path, "components", i]) for i, c in enumerate(out["components"])]
            if isinstance(out.get("accessory"), dict):
                out["accessory"] = fix(out["accessory"], [*path, "accessory"])
            return out

        fixed = []
        for index, component in enumerate(components):
            if not v2 and component.get("type") != 1:
                raise _form_error(
                    ["components", index, "type"], "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'
                )
            fixed.append(fix(component, ["components", index]))
        return fixed

    @staticmethod
    def _walk_components(components: list[JSON]) -> list[JSON]:
        found: list[JSON] = []
        for component in components:
            found.append(component)
            found.extend(FakeDiscord._walk_components(component.get("components") or []))
            if isinstance(component.get("accessory"), dict):
                found.extend(FakeDiscord._walk_components([component["accessory"]]))
        return found

    def _edit(self, message: JSON, body: JSON, files: list[tuple[str, str, bytes, str]]) -> JSON:
        if "flags" in body and body["flags"] is not None:
            keep = int(message.get("flags", 0)) & ~FLAG_SUPPRESS_EMBEDS
            message["flags"] = keep | (int(body["flags"]) & FLAG_SUPPRESS_EMBEDS)
        was_loading = int(message.get("flags", 0)) & FLAG_LOADING
        self._apply_content(
            message, {**body, "flags": message.get("flags", 0)} if "components" in body else body, files, creating=False
        )
        self._mark_ephemeral(message)
        if was_loading:
            message["flags"] = int(message["flags"]) & ~FLAG_LOADING
        elif not (message["content"] or message["embeds"] or message["components"] or message["attachments"]):
            raise ApiError(400, "Cannot send an empty message", EMPTY_MESSAGE)
        if not was_loading:
            message["edited_timestamp"] = _now_iso()
        self.edits.append(copy.deepcopy(message))
        if not int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            chan = self._channels[int(message["channel_id"])]
            gid = self._channel_guild(chan)
            data = {**message, "guild_id": str(gid)} if gid else message
            self._dispatch_message("MESSAGE_UPDATE", data, gid)
        return copy.deepcopy(message)

    def _delete(self, message: JSON, gid: int | None) -> None:
        del self._messages[int(message["id"])]
        if not int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            data: JSON = {"id": message["id"], "channel_id": message["channel_id"]}
            if gid:
                data["guild_id"] = str(gid)
            self._dispatch_message("MESSAGE_DELETE", data, gid)

    def _reply(self, message: JSON, chan: JSON, target_id: int, fail_if_not_exists: bool = True) -> None:
        target = self._messages.get(target_id)
        if target is None or target["channel_id"] != chan["id"]:
            if fail_if_not_exists:
                raise _form_error(["message_reference"], "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
            return
        message["type"] = 19
        reference: JSON = {"type": 0, "channel_id": chan["id"], "message_id": target["id"]}
        if chan.get("guild_id"):
            reference["guild_id"] = chan["guild_id"]
        message["message_reference"] = reference
        message["referenced_message"] = copy.deepcopy(target)

    def _new_thread(self, chan: JSON, message: JSON, owner: JSON, name: Any, body: JSON | None = None) -> JSON:
        """A public thread started from `message` (the same id), announced with THREAD_CREATE."""
        body = body or {}
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            raise _form_error(["name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if int(message["id"]) in self._channels:
            raise ApiError(400, "A thread has already been created for this message", THREAD_ALREADY_CREATED)
        duration = int(body.get("auto_archive_duration") or chan.get("default_auto_archive_duration") or 4320)
        if duration not in (60, 1440, 4320, 10080):
            raise _form_error(
                ["auto_archive_duration"], "BASE_TYPE_CHOICES", "Value must be one of (60, 1440, 4320, 10080)."
            )
        now = _now_iso()
        thread: JSON = {
            "id": message["id"],
            "type": CHANNEL_PUBLIC_THREAD,
            "guild_id": chan["guild_id"],
            "parent_id": chan["id"],
            "owner_id": owner["id"],
            "name": name,
            "last_message_id": None,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "rate_limit_per_user": int(body.get("rate_limit_per_user") or 0),
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": duration,
                "archive_timestamp": now,
                "locked": False,
                "create_timestamp": now,
            },
        }
        self._channels[int(thread["id"])] = thread
        message["thread"] = copy.deepcopy(thread)
        message["flags"] = int(message.get("flags", 0)) | FLAG_HAS_THREAD
        self._dispatch(
            "THREAD_CREATE", {**thread, "newly_created": True}, intent=INTENT_GUILDS, guild_id=int(chan["guild_id"])
        )
        return copy.deepcopy(thread)

    def _attachment_option(self, name: str, value: Any) -> JSON:
        """A file a person attached to a slash command: stored, with a signed url the fake serves."""
        if isinstance(value, tuple | list) and len(value) in (2, 3) and isinstance(value[1], bytes | bytearray):
            filename, content = str(value[0]), bytes(value[1])
            content_type = str(value[2]) if len(value) == 3 else ""
        else:
            raise ValueError(f"option {name!r} takes (filename, bytes) or (filename, bytes, content type)")
        if not content:
            raise ValueError(f"option {name!r}: Discord does not upload an empty file")
        aid = self._new_id()
        self.uploads[aid] = content
        path = f"/ephemeral-attachments/{self.application_id}/{aid}/{filename}"
        query = f"ex={int(time.time()) + 86400:x}&is={int(time.time()):x}&hm={self._signature(aid)}&"
        attachment: JSON = {
            "id": str(aid),
            "filename": filename,
            "size": len(content),
            "url": f"{self.url}{path}?{query}",
            "proxy_url": f"{self.url}{path}?{query}",
            "content_type": self._content_type(filename, content_type),
            "ephemeral": True,
        }
        size = image_size(content)
        if size is not None:
            attachment["width"], attachment["height"] = size
        return attachment

    def _signature(self, attachment_id: int) -> str:
        return hashlib.sha256(f"{self._signing_key}:{attachment_id}".encode()).hexdigest()

    def _serve_attachment(self, request: web.Request) -> web.Response:
        """The CDN: a file attached to a slash command, at its signed url."""
        match = re.fullmatch(r"/ephemeral-attachments/(\d+)/(\d+)/([^/]+)", request.path)
        aid = int(match.group(2)) if match else 0
        if not match or aid not in self.uploads or request.query.get("hm") != self._signature(aid):
            return web.Response(status=404, text="404: Not Found")
        self.downloads.append(aid)
        return web.Response(body=self.uploads[aid], content_type="application/octet-stream")

    def _store(self, message: JSON) -> None:
        self._messages[int(message["id"])] = message
        chan = self._channels.get(int(message["channel_id"]))
        if chan is not None and not int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            chan["last_message_id"] = message["id"]

    def _announce_create(self, message: JSON) -> None:
        chan = self._channels[int(message["channel_id"])]
        if chan["type"] in THREAD_TYPES:
            chan["message_count"] += 1
            chan["total_message_sent"] += 1
        gid = self._channel_guild(chan)
        data = copy.deepcopy(message)
        if gid is not None:
            data["guild_id"] = str(gid)
            member = self._members.get((gid, int(message["author"]["id"])))
            if member is not None:
                data["member"] = {k: v for k, v in copy.deepcopy(member).items() if k != "user"}
        self._dispatch_message("MESSAGE_CREATE", data, gid)

    def _dispatch_message(self, event: str, data: JSON, gid: int | None) -> None:
        intent = INTENT_GUILD_MESSAGES if gid is not None else INTENT_DIRECT_MESSAGES
        for session in self._live_sessions(gid, intent):
            self._send_dispatch(session, event, self._content_for(session, data, gid))

    def _content_for(self, session: _Session, data: JSON, gid: int | None) -> JSON:
        """What a bot without MESSAGE_CONTENT sees of a message: no content, embeds, attachments, components,
        except in DMs, for its own messages and for messages that mention it."""
        if (
            session.intents & INTENT_MESSAGE_CONTENT
            or gid is None
            or "author" not in data
            or int(data["author"]["id"]) == self.bot_id
            or any(int(u["id"]) == self.bot_id for u in data.get("mentions", []))
        ):
            return data
        hidden = copy.deepcopy(data)
        hidden.update({"content": "", "embeds": [], "attachments": [], "components": []})
        hidden.pop("poll", None)
        return hidden

    # ---------------------------------------------------------------------------------------------------------
    # World helpers

    def _new_id(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(candidate, self._last_id + 1)
        return self._last_id

    @staticmethod
    def _user_json(uid: int, username: str, global_name: str | None, *, bot: bool = False) -> JSON:
        user: JSON = {
            "id": str(uid),
            "username": username,
            "global_name": global_name,
            "discriminator": "0" if not bot else "0001",
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "public_flags": 0,
            "primary_guild": None,
            "collectibles": None,
        }
        if bot:
            user["bot"] = True
        return user

    def _application_json(self) -> JSON:
        owner = next((u for uid, u in self._users.items() if uid != self.bot_id), None) or self._user_json(
            1, "touchstone_owner", "Touchstone Owner"
        )
        return {
            "id": str(self.application_id),
            "name": BOT_NAME,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": hashlib.sha256(self.token.encode()).hexdigest(),
            "owner": copy.deepcopy(owner),
            "team": None,
            "flags": self._application_flags(),
            "bot": copy.deepcopy(self.bot_user),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "approximate_guild_count": len(self._guilds),
            "integration_types_config": {"0": {}},
        }

    @staticmethod
    def _role_json(rid: int, name: str, permissions: int, *, position: int) -> JSON:
        return {
            "id": str(rid),
            "name": name,
            "description": None,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": position,
            "permissions": _perm_str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    @staticmethod
    def _member_json(user: JSON, roles: list[str]) -> JSON:
        return {
            "user": copy.deepcopy(user),
            "roles": list(roles),
            "nick": None,
            "avatar": None,
            "banner": None,
            "premium_since": None,
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }

    def _channel_json(self, gid: int, name: str, position: int) -> JSON:
        return {
            "id": str(self._new_id()),
            "type": CHANNEL_TEXT,
            "guild_id": str(gid),
            "name": name,
            "position": position,
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def _guild_create(self, gid: int, session: _Session | None) -> JSON:
        guild = self._guilds[gid]
        members = [m for (g, _), m in self._members.items() if g == gid]
        shown = members
        if session is not None and not session.intents & INTENT_GUILD_PRESENCES:
            shown = [m for m in members if int(m["user"]["id"]) == self.bot_id]
        return {
            **copy.deepcopy(guild),
            "roles": copy.deepcopy(self._roles[gid]),
            "channels": copy.deepcopy(self._guild_channels(gid)),
            "members": copy.deepcopy(shown),
            "member_count": len(members),
            "large": False,
            "unavailable": False,
            "lazy": True,
            "emojis": [],
            "stickers": [],
            "threads": copy.deepcopy(self._guild_threads(gid)),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "nsfw": False,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "application_id": None,
            "vanity_url_code": None,
            "banner": None,
            "splash": None,
            "discovery_splash": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "incidents_data": None,
        }

    def _guild_id(self, guild: Ref) -> int:
        gid = _ref_id(guild)
        if gid not in self._guilds:
            raise ValueError(f"unknown guild {gid}: create it with fake.guild()")
        return gid

    def _guild_channels(self, gid: int) -> list[JSON]:
        return [c for c in self._channels.values() if c.get("guild_id") == str(gid) and c["type"] not in THREAD_TYPES]

    def _guild_threads(self, gid: int) -> list[JSON]:
        return [c for c in self._channels.values() if c.get("guild_id") == str(gid) and c["type"] in THREAD_TYPES]

    def _role(self, gid: int, rid: int) -> JSON:
        for role in self._roles[gid]:
            if int(role["id"]) == rid:
                return role
        raise ValueError(f"no role {rid} in guild {gid}")

    def _channel(self, channel: Ref) -> JSON:
        cid = _ref_id(channel)
        if cid not in self._channels:
            raise ValueError(f"unknown channel {cid}: create it with fake.channel() or fake.dm_channel()")
        return self._channels[cid]

    @staticmethod
    def _channel_guild(chan: JSON) -> int | None:
        return int(chan["guild_id"]) if chan.get("guild_id") else None

    def _channel_message(self, chan: JSON, message_id: int) -> JSON:
        message = self._messages.get(message_id)
        if message is None or message["channel_id"] != chan["id"]:
            raise ValueError(f"no message {message_id} in channel {chan['id']}")
        return message

    def _member_permissions(self, gid: int, uid: int) -> int:
        if str(uid) == self._guilds[gid]["owner_id"]:
            return ALL_PERMISSIONS
        member = self._members.get((gid, uid))
        roles = self._roles[gid]
        value = int(roles[0]["permissions"])
        if member is not None:
            wanted = set(member["roles"])
            for role in roles:
                if role["id"] in wanted:
                    value |= int(role["permissions"])
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def _bot_can(self, chan: JSON, permissions: int) -> bool:
        gid = self._channel_guild(chan)
        if gid is None:
            return True
        return self._member_permissions(gid, self.bot_id) & permissions == permissions

    def _rest_guild(self, guild_id: str) -> int:
        gid = int(guild_id) if guild_id.isdigit() else 0
        if gid not in self._guilds:
            raise _not_found("Guild", UNKNOWN_GUILD)
        return gid

    def _rest_channel(self, channel_id: str, needs: int) -> JSON:
        chan = self._channels.get(int(channel_id) if channel_id.isdigit() else 0)
        if chan is None:
            raise _not_found("Channel", UNKNOWN_CHANNEL)
        if not self._bot_can(chan, VIEW_CHANNEL):
            raise ApiError(403, "Missing Access", MISSING_ACCESS)
        if not self._bot_can(chan, needs):
            raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)
        return chan

    def _rest_message(self, chan: JSON, message_id: str) -> JSON:
        message = self._messages.get(int(message_id) if message_id.isdigit() else 0)
        if message is None or message["channel_id"] != chan["id"] or int(message.get("flags", 0)) & FLAG_EPHEMERAL:
            raise _not_found("Message", UNKNOWN_MESSAGE)
        return message

    def _writable(self, chan: JSON) -> None:
        if chan["type"] == CHANNEL_DM:
            if any(int(u["id"]) in self._closed_dms for u in chan["recipients"]):
                raise ApiError(403, "Cannot send messages to this user", CANNOT_DM)
        elif not self._bot_can(chan, SEND_MESSAGES_IN_THREADS if chan["type"] in THREAD_TYPES else SEND_MESSAGES):
            raise ApiError(403, "Missing Permissions", MISSING_PERMISSIONS)
