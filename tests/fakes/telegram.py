"""A loopback fake of the Telegram Bot API for tests.

An aiohttp server on 127.0.0.1 (a free port) that the real python-telegram-bot talks to::

    async with FakeTelegram() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot").build()
        ...
        group = fake.group("Lay Partners")
        alice = fake.user("Alice Smith")
        await fake.send_text(group, alice, "/ping")
        await fake.wait_until(lambda: fake.messages_in(group))

Requests arrive at ``/bot<token>/<method>``. PTB sends parameters as form data (urlencoded, or multipart when
files are attached): strings as they are, everything else JSON-encoded (numbers, booleans, reply_markup,
commands, scope, allowed_updates...). JSON bodies and query strings are accepted too. Answers have the real
shapes: ``{"ok": true, "result": ...}`` and ``{"ok": false, "error_code": N, "description": "...",
"parameters": {...}}`` with Telegram's own wording.

Behaviour copied from Telegram (so adapter bugs show up here rather than in production):

- getUpdates long-polls; ``offset`` confirms (drops) earlier updates, a negative offset keeps the last few;
  ``allowed_updates`` is remembered between calls ("not specified" keeps the previous setting, an empty list
  restores the default, which leaves out chat_member, message_reaction and message_reaction_count); a second
  getUpdates while one is waiting ends the first with 409 Conflict.
- Message text is trimmed; ``parse_mode="HTML"`` is parsed into entities (unsupported tags or a stray ``<``
  give "can't parse entities"); other parse modes are stored as sent. Only inline keyboards come back in
  ``reply_markup``; callback_data over 64 bytes is BUTTON_DATA_INVALID.
- editMessageText without reply_markup removes the inline keyboard, as Telegram does.
- Privacy mode (``can_read_all_group_messages=False``, the default): in groups the bot is sent commands,
  service messages and replies to its own messages, and everything else only while it is an administrator.
- An anonymous group administrator speaks as GroupAnonymousBot with ``sender_chat`` set to the group; their
  button presses still carry their real user.
- chat_member updates are only produced while the bot is an administrator of the chat (and, as above, only
  delivered when asked for in allowed_updates).
- After ``migrate()``, sending to the old group answers 400 with ``parameters.migrate_to_chat_id``.
- sendPhoto and sendDocument take a file uploaded as multipart/form-data (or ``attach://<name>``, or the file_id
  of a file sent before). A photo must be a JPEG, PNG, GIF or WebP image ("IMAGE_PROCESS_FAILED" otherwise) of
  sensible dimensions ("PHOTO_INVALID_DIMENSIONS"); the message has a ``photo`` array of PhotoSize (thumbnails
  first). A document becomes ``document`` {file_id, file_unique_id, file_name, mime_type, file_size}; an empty
  one is "file must be non-empty". A caption is at most 1,024 characters ("message caption is too long"). Every
  file is recorded in ``fake.uploads`` (method, chat, message, filename, bytes, mime, caption).
- editMessageText on a photo or file answers "there is no text in the message to edit"; its caption is changed
  with editMessageCaption.
- People reply to a message (``fake.reply()``, or ``send_text(..., reply_to=)``): the update's message carries
  ``reply_to_message`` (the message replied to, as it is now). People send a document, with a caption that may be
  a command (``fake.send_document()``): ``document`` as above, ``caption_entities`` with its bot_command.
- getFile answers a File with ``file_path`` (``documents/file_N.pdf``) for any file the fake knows (sent by the bot
  or by a person); the bytes are served at ``{url}/file/bot<token>/<file_path>``, as Telegram serves them (what
  python-telegram-bot builds from ``base_file_url``). A file over 20 MB answers 400 "file is too big" (bots may
  download at most 20 MB); an unknown file_id "invalid file_id". Downloads are counted in ``fake.downloads``.
- URL buttons need an http(s) or tg:// address (BUTTON_URL_INVALID). A person follows a ``t.me/<bot>?start=…``
  link with ``fake.open_link()``: the private chat opens and "/start <parameter>" is sent in it, as Telegram
  does when they press Start.
- ``limit_sends_per_second=N``: above N send* calls in any one second, a send answers 429 "Too Many Requests:
  retry after 1" (``parameters.retry_after``), counted in ``fake.rate_limited``.
- setWebhook wants an https URL and a secret token of letters, digits, _ and -; while a webhook is set,
  getUpdates answers 409 and updates are POSTed, in order, to the webhook with the secret in the
  ``X-Telegram-Bot-Api-Secret-Token`` header (retried until answered 200). The URL is public, so tests say
  where the web server in front would pass it on: ``fake.forward_webhook_to("http://127.0.0.1:PORT")``.

Methods a test calls that the fake does not implement answer 404 "Not Found" (as Telegram does for unknown
methods; PTB raises InvalidToken) and are listed in ``fake.unsupported``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import logging
import mimetypes
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import ClientError, ClientSession, web
from aiohttp.web_request import FileField

from tests.fakes.images import image_size
from tests.fakes.waiting import wait_until as poll_until

log = logging.getLogger("tests.fakes.telegram")

JSON = dict[str, Any]
#: The largest request the fake reads (above every platform limit, so the fake's own answers apply).
REQUEST_MAX_BYTES = 64 * 1024 * 1024
ChatLike = int | JSON

BOT_USERNAME = "TouchstoneTestBot"
BOT_ID = 123456789
DEFAULT_TOKEN = f"{BOT_ID}:AAFakeTouchstoneTokenForTests012345"  # 35 characters after the colon
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}

# Update types Telegram leaves out unless asked for by name.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
BLOCKED = "Forbidden: bot was blocked by the user"
CHAT_NOT_FOUND = "Bad Request: chat not found"
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "Bad Request: there is no caption in the message to edit"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
IMAGE_PROCESS_FAILED = "Bad Request: IMAGE_PROCESS_FAILED"
PHOTO_INVALID_DIMENSIONS = "Bad Request: PHOTO_INVALID_DIMENSIONS"
EMPTY_FILE = "Bad Request: file must be non-empty"
WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"
BUTTON_URL_INVALID = "Bad Request: BUTTON_URL_INVALID"
FILE_TOO_BIG = "Bad Request: file is too big"
INVALID_FILE_ID = "Bad Request: invalid file_id"
#: Telegram's limits: a caption, a photo, any file a bot uploads.
CAPTION_LIMIT = 1024
PHOTO_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
#: The largest file a bot may download with getFile.
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024
#: The sides Telegram scales a photo down to (s, m, x, y), and the largest it keeps.
PHOTO_SIDES = (90, 320, 800, 1280)
PHOTO_MAX_SIDE = 2560

_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "reply_parameters",
        "entities",
        "link_preview_options",
        "caption_entities",
    }
)

_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}(?!\w)")
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass(frozen=True)
class Upload:
    """A file the bot sent with sendPhoto or sendDocument, as the fake received it."""

    method: str  # "sendPhoto" or "sendDocument"
    chat_id: int
    message_id: int
    filename: str
    data: bytes
    mime: str
    caption: str | None


@dataclass(frozen=True)
class _Part:
    """One file part of a multipart/form-data request."""

    filename: str
    data: bytes
    content_type: str


class ApiError(Exception):
    """An error answer: raised inside a method handler, turned into Telegram's error JSON."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str, parameters: JSON | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", parameters)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _Params:
    """Request parameters, whichever way they were encoded (and the files of a multipart request, by field)."""

    def __init__(self, raw: dict[str, Any], files: dict[str, _Part] | None = None):
        self.raw = raw
        self.files = files or {}

    def __contains__(self, name: str) -> bool:
        return name in self.raw and self.raw[name] is not None

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            try:
                return int(float(value))
            except (TypeError, ValueError):
                raise _bad(f"invalid {name} specified") from None

    def get_float(self, name: str, default: float = 0.0) -> float:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad(f"invalid {name} specified") from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"true", "1", "yes", "on"}

    def get_json(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise _bad(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self, required: bool = True) -> int | str | None:
        value = self.raw.get("chat_id")
        if value is None or value == "":
            if required:
                raise _bad("chat_id is empty")
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise _bad("chat not found") from None


@dataclass
class _Poll:
    """One waiting getUpdates request."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    conflicted: bool = False


# --------------------------------------------------------------------------------------------------------------
# HTML parse mode


_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>")
_ATTR_RE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_CHARREF_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|lt|gt|amp|quot);")


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram's HTML parse mode: the plain text and its entities (raises ApiError like Telegram)."""
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[tuple[str, JSON]] = []
    position = 0
    offset = 0  # UTF-16 units written so far

    def fail(reason: str) -> ApiError:
        return _bad(f"can't parse entities: {reason}")

    def byte_offset(index: int) -> int:
        return len(source[:index].encode("utf-8"))

    while position < len(source):
        char = source[position]
        if char == "<":
            match = _TAG_RE.match(source, position)
            if not match:
                raise fail(f'Unsupported start tag "" at byte offset {byte_offset(position)}')
            closing, name, attr_text = match.group(1), match.group(2).lower(), match.group(3)
            attrs = {
                key.lower(): html.unescape(value.strip("\"'")) if value else ""
                for key, value in _ATTR_RE.findall(attr_text)
            }
            if name not in _HTML_ENTITY_TYPES or (
                name == "span" and not closing and attrs.get("class") != "tg-spoiler"
            ):
                kind = "end" if closing else "start"
                raise fail(f'Unsupported {kind} tag "{name}" at byte offset {byte_offset(position)}')
            if closing:
                if not stack or stack[-1][0] != name:
                    raise fail(
                        f'Unmatched end tag at byte offset {byte_offset(position)}, expected "</'
                        f'{stack[-1][0] if stack else ""}>", found "</{name}>"'
                    )
                _, entity = stack.pop()
                entity["length"] = offset - entity["offset"]
                if name == "code" and stack and stack[-1][0] == "pre":
                    language = entity.get("_class", "")
                    if language.startswith("language-"):
                        stack[-1][1]["language"] = language[len("language-") :]
                    entity["length"] = 0  # the <code> inside <pre> only names the language
                if entity["length"] > 0:
                    entity.pop("_class", None)
                    entities.append(entity)
            else:
                entity = {"type": _HTML_ENTITY_TYPES[name], "offset": offset}
                if name == "a":
                    entity["url"] = attrs.get("href", "")
                if name == "code" and "class" in attrs:
                    entity["_class"] = attrs["class"]
                if name == "blockquote" and "expandable" in attrs:
                    entity["type"] = "expandable_blockquote"
                if name == "tg-emoji":
                    entity["custom_emoji_id"] = attrs.get("emoji-id", "")
                stack.append((name, entity))
            position = match.end()
            continue
        if char == "&":
            match = _CHARREF_RE.match(source, position)
            if match:
                decoded = html.unescape(match.group(0))
                out.append(decoded)
                offset += utf16_len(decoded)
                position = match.end()
                continue
        out.append(char)
        offset += utf16_len(char)
        position += 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (int(e["offset"]), -int(e["length"])))
    return "".join(out), entities


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram drops leading and trailing whitespace from message text; entities move with the text."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def detect_entities(text: str) -> list[JSON]:
    """The entities Telegram finds by itself in a user's text: bot commands and @mentions."""
    found: list[JSON] = []
    for regex, kind in ((_COMMAND_RE, "bot_command"), (_MENTION_RE, "mention")):
        for match in regex.finditer(text):
            found.append(
                {"offset": utf16_len(text[: match.start()]), "length": utf16_len(match.group(0)), "type": kind}
            )
    found.sort(key=lambda e: e["offset"])
    return found


# --------------------------------------------------------------------------------------------------------------


class FakeTelegram:
    """The fake Bot API server and its driving/inspection API (see the module docstring)."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        username: str = BOT_USERNAME,
        first_name: str = "Touchstone",
        can_read_all_group_messages: bool = False,
        clock: Callable[[], float] = time.time,
        limit_sends_per_second: int | None = None,
    ):
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.bot_user: JSON = {"id": self.bot_id, "is_bot": True, "first_name": first_name, "username": username}
        self.can_read_all_group_messages = can_read_all_group_messages
        self.clock = clock
        self.limit_sends_per_second = limit_sends_per_second
        self.url = ""

        # Inspection
        self.calls: list[str] = []  # method names, in order, as PTB spelled them
        self.requests: list[tuple[str, JSON]] = []  # (method, decoded parameters)
        self.sent: list[JSON] = []  # every message the bot sent (sendMessage, sendPhoto...), as it was when sent
        self.uploads: list[Upload] = []  # every file sent with sendPhoto or sendDocument
        self.send_times: list[float] = []  # time.monotonic() of every send* call let through
        self.rate_limited = 0  # send* calls answered 429 by limit_sends_per_second
        self.edits: list[JSON] = []  # {"method", "chat_id", "message_id", "message"} per successful edit
        self.answers: dict[str, JSON] = {}  # callback query id -> {"text", "show_alert", "url", "cache_time"}
        self.answered_at: dict[str, float] = {}  # callback query id -> time.perf_counter() when answered
        self.commands: dict[str, list[JSON]] = {}  # scope key (see scope_key) -> [{"command", "description"}]
        self.deliveries: list[int] = []  # update_ids in the order getUpdates handed them out
        self.sent_updates: dict[int, JSON] = {}  # every update ever queued, by update_id (to redeliver)
        self.unsupported: list[str] = []
        self.errors: list[tuple[str, JSON]] = []  # (method, error payload) for every error answered
        self.downloads: list[str] = []  # file_path of every file downloaded from the file URL

        # World
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._usernames: dict[str, int] = {}
        self._started: set[int] = set()
        self._blocked: set[int] = set()
        self._members: dict[tuple[int, int], JSON] = {}  # (chat_id, user_id) -> ChatMember
        self._migrated: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._user_ids = itertools.count(1_000_001)
        self._group_ids = itertools.count(1)
        self._update_ids = itertools.count(100_000_001)
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._files: dict[str, _Part] = {}  # file_id -> the file, so it can be sent again by id
        self._unique_ids: dict[str, str] = {}  # file_id -> file_unique_id
        self._file_paths: dict[str, str] = {}  # file_id -> file_path, given out by getFile
        self._downloadable: dict[str, _Part] = {}  # file_path -> the file
        self._queries: dict[str, JSON] = {}
        self._expired_queries: set[str] = set()

        # Server
        self._updates: list[JSON] = []
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        self._changed = asyncio.Event()
        self._poll: _Poll | None = None
        self._stopping = False
        self._injected: dict[str, list[ApiError]] = {}
        self._recent_sends: deque[float] = deque()  # for limit_sends_per_second
        self._runner: web.AppRunner | None = None

        # Webhook
        self.webhook: JSON | None = None  # {"url", "secret_token", "max_connections"} while set
        self.webhook_posts: list[tuple[int, int]] = []  # (update_id, HTTP status) per POST to the webhook
        self._forward_to = ""
        self._pusher: asyncio.Task[None] | None = None
        self._session: ClientSession | None = None

    # ---------------------------------------------------------------------------------------------------------
    # Life cycle

    async def start(self) -> FakeTelegram:
        # Large uploads reach the handlers, which answer as Telegram does (aiohttp alone stops at 1 MiB).
        app = web.Application(client_max_size=REQUEST_MAX_BYTES)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self._session = ClientSession()
        return self

    async def stop(self) -> None:
        self._stopping = True
        await self._stop_pushing()
        self._notify()
        if self._poll:
            self._poll.wake.set()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------------------------------------------------
    # Building the world (synchronous: nothing here produces updates)

    def user(self, name: str, user_id: int | None = None, username: str | None = None) -> JSON:
        """A Telegram user (a User dict). "Alice Smith" becomes first_name Alice, last_name Smith."""
        first, _, last = name.partition(" ")
        uid = user_id if user_id is not None else next(self._user_ids)
        user: JSON = {"id": uid, "is_bot": False, "first_name": first}
        if last:
            user["last_name"] = last
        if username:
            user["username"] = username
            self._usernames[username.lower()] = uid
        user["language_code"] = "en"
        self._users[uid] = user
        chat: JSON = {"id": uid, "type": "private", "first_name": first}
        if last:
            chat["last_name"] = last
        if username:
            chat["username"] = username
        self._chats[uid] = chat
        return user

    def group(
        self, title: str, chat_id: int | None = None, *, kind: str = "supergroup", username: str | None = None
    ) -> JSON:
        """A group chat the bot is a member of. Supergroup ids look like -100…; basic group ids are small."""
        if chat_id is None:
            n = next(self._group_ids)
            chat_id = -(1_000_000_000_000 + 1_000_000 + n) if kind == "supergroup" else -(4_000_000_000 + n)
        chat: JSON = {"id": chat_id, "title": title, "type": kind}
        if username:
            chat["username"] = username
            self._usernames[username.lower()] = chat_id
        self._chats[chat_id] = chat
        return chat

    def private_chat(self, user: JSON) -> JSON:
        """The private chat between `user` and the bot (its id is the user's id)."""
        return self._chats[user["id"]]

    def start_private(self, user: JSON) -> JSON:
        """`user` has pressed Start: the bot may now message them. Returns the private chat."""
        self._started.add(user["id"])
        self._blocked.discard(user["id"])
        return self.private_chat(user)

    def block(self, user: JSON) -> None:
        """`user` blocks the bot: sendMessage to them answers 403 "bot was blocked by the user"."""
        self._blocked.add(user["id"])

    def set_member(
        self, chat_id: ChatLike, user: JSON, status: str = "member", is_anonymous: bool = False, **fields: Any
    ) -> JSON:
        """Set `user`'s status in a chat: creator, administrator, member, restricted, left, kicked.
        Works for the bot too (``fake.bot_user``). Extra ChatMember fields (custom_title…) may be given."""
        cid = self._chat_id(chat_id)
        if user["id"] != self.bot_id:
            self._users.setdefault(user["id"], user)
        self._members[(cid, user["id"])] = self._chat_member(user, status, is_anonymous, **fields)
        return copy.deepcopy(self._members[(cid, user["id"])])

    def expire_query(self, query_id: str) -> None:
        """Flag a callback query as too old: answering it gives Telegram's "query is too old" 400."""
        self._expired_queries.add(query_id)

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        """The next call of `method` answers 429 "Too Many Requests: retry after N"."""
        self.fail_next(method, 429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def fail_next(self, method: str, error_code: int, description: str, parameters: JSON | None = None) -> None:
        """The next call of `method` answers with this error (queued: several calls fail in turn)."""
        self._injected.setdefault(method.lower(), []).append(ApiError(error_code, description, parameters))

    # ---------------------------------------------------------------------------------------------------------
    # Things people do (asynchronous: they queue updates for the bot's getUpdates)

    async def send_text(self, chat: ChatLike, user: JSON, text: str, *, reply_to: int | None = None) -> JSON:
        """`user` writes `text` in `chat`. Returns the update (queued unless privacy mode hides it from the bot).

        Commands get bot_command entities like real Telegram (also "/cmd@TouchstoneTestBot"). In a private chat
        this counts as having started the bot. In a group an unknown user becomes a member; a user who has left
        cannot speak. An anonymous administrator speaks as GroupAnonymousBot with sender_chat set. `reply_to`:
        the message (in this chat) it replies to."""
        chat_dict, message = self._from_user(chat, user, reply_to)
        message["text"] = text
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        return await self._said(chat_dict, message)

    async def reply(self, chat: ChatLike, user: JSON, to_message_id: int, text: str) -> JSON:
        """`user` replies to message `to_message_id` (the bot's, say) with `text`: the update's message carries
        ``reply_to_message``. Returns the update."""
        return await self.send_text(chat, user, text, reply_to=to_message_id)

    async def send_document(
        self,
        chat: ChatLike,
        user: JSON,
        filename: str,
        data: bytes,
        mime: str = "application/octet-stream",
        caption: str | None = None,
        *,
        reply_to: int | None = None,
    ) -> JSON:
        """`user` sends a file as a document, with a caption (which may be a command: "/paper Title | …", given
        its bot_command entity as Telegram does). The file is kept, so getFile and the file URL serve it.
        Returns the update."""
        if not data:
            raise ValueError("Telegram does not send an empty file")
        chat_dict, message = self._from_user(chat, user, reply_to)
        file_id, unique_id = self._new_file(_Part(filename, data, mime))
        message["document"] = {
            "file_name": filename,
            "mime_type": mime,
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": len(data),
        }
        if caption:
            caption, _entities = _trim(caption, [])
            if utf16_len(caption) > CAPTION_LIMIT:
                raise ValueError("Telegram does not let people send a caption over 1,024 characters")
            message["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                message["caption_entities"] = entities
        return await self._said(chat_dict, message)

    async def edit_text(self, chat: ChatLike, user: JSON, message_id: int, text: str) -> JSON:
        """`user` edits their own message: Telegram sends an ``edited_message`` update with a new update_id and
        the same message_id, carrying ``edit_date``. Returns the update."""
        chat_dict = self._chat(chat)
        message = self._messages.get((chat_dict["id"], message_id))
        if message is None or message.get("from", {}).get("id") != user["id"]:
            raise ValueError("people can edit only their own messages")
        message["text"] = text
        message["edit_date"] = int(time.time())
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        else:
            message.pop("entities", None)
        update = self._update("edited_message", copy.deepcopy(message))
        if self._bot_sees(chat_dict, message):
            self._enqueue(update)
        await asyncio.sleep(0)
        return update

    def _from_user(self, chat: ChatLike, user: JSON, reply_to: int | None) -> tuple[JSON, JSON]:
        """A new message of `user`'s in `chat` (checked like Telegram), replying to `reply_to` if given."""
        chat_dict = self._chat(chat)
        cid = chat_dict["id"]
        if chat_dict["type"] == "private":
            if cid != user["id"]:
                raise ValueError("only the user themselves can write in their private chat with the bot")
            self._started.add(user["id"])
        else:
            member = self._members.get((cid, user["id"]))
            if member is None:
                self.set_member(cid, user, "member")
            elif member["status"] in {"left", "kicked"}:
                raise ValueError(f"{user['first_name']} is not in {chat_dict.get('title')} ({member['status']})")
        message = self._new_message(chat_dict, self._sender(cid, user))
        if self._anonymous(cid, user):
            message["sender_chat"] = copy.deepcopy(chat_dict)
        if reply_to is not None:
            original = self._messages.get((cid, reply_to))
            if original is None:
                raise ValueError(f"no message {reply_to} in chat {cid}")
            replied = copy.deepcopy(original)
            replied.pop("reply_to_message", None)  # Telegram nests one level only
            message["reply_to_message"] = replied
        return chat_dict, message

    async def _said(self, chat_dict: JSON, message: JSON) -> JSON:
        self._store(message)
        update = self._update("message", message)
        if self._bot_sees(chat_dict, message):
            self._enqueue(update)
        await asyncio.sleep(0)
        return update

    async def press(
        self,
        chat: ChatLike,
        user: JSON,
        message_id: int,
        data: str | None = None,
        *,
        label: str | None = None,
        check: bool = True,
    ) -> str:
        """`user` presses a button on message `message_id` (by callback data, or by its label).
        With check=True the button must be on the message as it is now. Returns the callback query id."""
        chat_dict = self._chat(chat)
        message = self._messages.get((chat_dict["id"], message_id))
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_dict['id']}")
        buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
        if label is not None:
            matching = [b for b in buttons if b.get("text") == label]
            if not matching:
                raise ValueError(f"no button labelled {label!r} on message {message_id}: {buttons}")
            if "url" in matching[0]:
                raise ValueError(f"button {label!r} opens {matching[0]['url']}: use fake.open_link()")
            data = matching[0].get("callback_data")
        if data is None:
            raise ValueError("press() needs data or label")
        if check and not any(b.get("callback_data") == data for b in buttons):
            raise ValueError(f"no button with data {data!r} on message {message_id}: {buttons}")
        query_id = str(next(self._query_ids))
        query: JSON = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(message),
            "chat_instance": str(abs(chat_dict["id"]) * 7919 % 10**19),
            "data": data,
        }
        self._queries[query_id] = query
        self._enqueue(self._update("callback_query", query))
        await asyncio.sleep(0)
        return query_id

    async def open_link(self, user: JSON, url: str) -> JSON | None:
        """`user` opens a link (from a URL button). A ``t.me/<this bot>?start=<parameter>`` link opens their
        private chat with the bot, and pressing Start there sends "/start <parameter>" (this counts as having
        started the bot). Returns that update; any other link leaves Telegram (None)."""
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc.lower() not in {"t.me", "telegram.me"}:
            return None
        if parts.path.strip("/").lower() != self.username.lower():
            raise ValueError(f"{url} opens another bot or chat, not @{self.username}")
        parameter = (parse_qs(parts.query).get("start") or [""])[0]
        if parameter and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", parameter):
            raise ValueError(f"Telegram would not pass the start parameter {parameter!r} on")
        chat = self.start_private(user)
        return await self.send_text(chat, user, f"/start {parameter}" if parameter else "/start")

    def link_of(self, chat: ChatLike, message_id: int, label: str) -> str:
        """The address of the URL button labelled `label` on a message."""
        message = self._messages.get((self._chat_id(chat), message_id))
        if message is None:
            raise ValueError(f"no message {message_id} in chat {self._chat_id(chat)}")
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if button.get("text") == label and "url" in button:
                    return str(button["url"])
        raise ValueError(f"no link button labelled {label!r} on message {message_id}")

    async def member_joined(
        self, chat: ChatLike, user: JSON, *, by: JSON | None = None, service_message: bool = True
    ) -> list[JSON]:
        """`user` joins a group (added `by` someone, or by themselves): a new_chat_members message, plus a
        chat_member update while the bot is an administrator (a my_chat_member update when `user` is the bot).
        Returns the updates queued."""
        return await self._membership_change(chat, user, "member", by or user, service_message)

    async def member_left(
        self, chat: ChatLike, user: JSON, *, by: JSON | None = None, service_message: bool = True
    ) -> list[JSON]:
        """`user` leaves a group (or is removed `by` someone): a left_chat_member message, plus
        chat_member/my_chat_member as above."""
        return await self._membership_change(chat, user, "left", by or user, service_message)

    async def migrate(
        self, chat: ChatLike, new_chat_id: int | None = None, *, by: JSON | None = None, quietly: bool = False
    ) -> JSON:
        """A basic group becomes a supergroup: a message with migrate_to_chat_id in the old chat and one with
        migrate_from_chat_id in the new. Members carry over; the old id then answers "group chat was upgraded to
        a supergroup chat" (PTB's ChatMigrated). `quietly`: the two service messages are not delivered (the bot
        has not heard yet). Returns the new chat."""
        old = self._chat(chat)
        new = self.group(old["title"], new_chat_id, kind="supergroup")
        for (cid, uid), member in list(self._members.items()):
            if cid == old["id"]:
                self._members[(new["id"], uid)] = copy.deepcopy(member)
        actor = by or self._creator(old["id"]) or ANONYMOUS_ADMIN
        to_message = self._new_message(old, actor)
        to_message["migrate_to_chat_id"] = new["id"]
        from_message = self._new_message(new, actor)
        from_message["migrate_from_chat_id"] = old["id"]
        if actor is ANONYMOUS_ADMIN:
            from_message["sender_chat"] = copy.deepcopy(new)
        for message in (to_message, from_message):
            self._store(message)
            if not quietly:
                self._enqueue(self._update("message", message))
        self._migrated[old["id"]] = new["id"]
        await asyncio.sleep(0)
        return new

    # ---------------------------------------------------------------------------------------------------------
    # Inspection

    def messages_in(self, chat_id: ChatLike) -> list[JSON]:
        """The bot's messages in a chat, oldest first, as they are now (after edits)."""
        cid = self._chat_id(chat_id)
        return [
            copy.deepcopy(m)
            for (c, _), m in sorted(self._messages.items())
            if c == cid and m.get("from", {}).get("id") == self.bot_id
        ]

    def message(self, chat_id: ChatLike, message_id: int) -> JSON | None:
        """Any stored message (the bot's or a user's) as it is now."""
        found = self._messages.get((self._chat_id(chat_id), message_id))
        return copy.deepcopy(found) if found else None

    def member(self, chat_id: ChatLike, user: JSON) -> JSON | None:
        return copy.deepcopy(self._members.get((self._chat_id(chat_id), user["id"])))

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by an offset."""
        return copy.deepcopy(self._updates)

    @property
    def polling(self) -> bool:
        """True while a getUpdates request is being held open."""
        return self._poll is not None

    def started(self, user: JSON) -> bool:
        return user["id"] in self._started

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0, *, interval: float = 0.01) -> Any:
        """Poll `predicate` (sync, or returning an awaitable) until it is truthy; returns its value.
        Raises AssertionError after `timeout` seconds."""

        def describe() -> str:
            return f"calls so far: {self.calls[-20:]}; errors: {self.errors[-5:]}"

        return await poll_until(predicate, timeout, interval, describe)

    @staticmethod
    def scope_key(scope: JSON | None, language_code: str | None = None) -> str:
        """How `commands` is keyed: "default", "all_group_chats", "all_private_chats",
        "all_chat_administrators", "chat:<id>", "chat_administrators:<id>", "chat_member:<id>:<user id>";
        with a language code appended after a slash, e.g. "default/en"."""
        scope = scope or {"type": "default"}
        key = str(scope.get("type", "default"))
        if "chat_id" in scope:
            key += f":{scope['chat_id']}"
        if "user_id" in scope:
            key += f":{scope['user_id']}"
        return f"{key}/{language_code}" if language_code else key

    # ---------------------------------------------------------------------------------------------------------
    # HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path
        download = re.fullmatch(r"/file/bot([^/]*)/(.+)", path)
        if download:
            return self._download(request, *download.groups())
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z0-9_]+)", path)
        if not match:
            return self._error_response("", ApiError(404, "Not Found"))
        token, method = match.groups()
        if token != self.token:
            return self._error_response(method, ApiError(401, "Unauthorized"))
        self.calls.append(method)
        try:
            raw, files = await self._read_params(request)
        except ApiError as error:
            return self._error_response(method, error)
        self.requests.append((method, raw))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            self.unsupported.append(method)
            log.warning("FakeTelegram does not implement %s", method)
            return self._error_response(method, ApiError(404, "Not Found"))
        injected = self._injected.get(method.lower())
        if injected:
            return self._error_response(method, injected.pop(0))
        if method.lower().startswith("send"):
            limited = self._over_send_limit()
            if limited is not None:
                return self._error_response(method, limited)
        try:
            result = await handler(_Params(raw, files))
        except ApiError as error:
            return self._error_response(method, error)
        return web.json_response({"ok": True, "result": result})

    def _download(self, request: web.Request, token: str, file_path: str) -> web.Response:
        """The file URL: a GET of a file_path getFile gave out, with the bot's token."""
        part = self._downloadable.get(file_path)
        if request.method != "GET" or token != self.token or part is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        self.downloads.append(file_path)
        return web.Response(body=part.data, content_type="application/octet-stream")

    def _over_send_limit(self) -> ApiError | None:
        """Note a send; past `limit_sends_per_second` in the last second, Telegram's 429 instead."""
        now = time.monotonic()
        while self._recent_sends and now - self._recent_sends[0] >= 1.0:
            self._recent_sends.popleft()
        if self.limit_sends_per_second is not None and len(self._recent_sends) >= self.limit_sends_per_second:
            self.rate_limited += 1
            return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        self._recent_sends.append(now)
        self.send_times.append(now)
        return None

    def _error_response(self, method: str, error: ApiError) -> web.Response:
        payload = error.payload()
        self.errors.append((method, payload))
        return web.json_response(payload, status=error.code)

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[JSON, dict[str, _Part]]:
        raw: JSON = dict(request.query)
        files: dict[str, _Part] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, FileField):
                        data = value.file.read()
                        files[key] = _Part(value.filename or "file", data, value.content_type)
                        raw[key] = value.filename or "file"
                    else:
                        raw[key] = value if isinstance(value, str) else str(value)
        params: JSON = {}
        for key, value in raw.items():
            if key in _JSON_PARAMS and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise _bad(f"can't parse {key} JSON object") from None
            params[key] = value
        return params, files

    # ---------------------------------------------------------------------------------------------------------
    # Methods

    async def _api_getme(self, p: _Params) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_deletewebhook(self, p: _Params) -> bool:
        if p.get_bool("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        await self._stop_pushing()
        return True

    async def _api_setwebhook(self, p: _Params) -> bool:
        url = p.get_str("url")
        if not url:
            return await self._api_deletewebhook(p)
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get_str("secret_token")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise _bad("secret token contains unallowed characters")
        if "allowed_updates" in p:
            allowed = p.get_json("allowed_updates") or []
            self._allowed_updates = frozenset(allowed) if allowed else None
        if p.get_bool("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": url, "secret_token": secret, "max_connections": p.get_int("max_connections", 40)}
        if self._pusher is None:
            self._pusher = asyncio.create_task(self._push_updates())
        return True

    async def _api_getwebhookinfo(self, p: _Params) -> JSON:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def forward_webhook_to(self, base_url: str) -> None:
        """Where the web server in front of the bot passes the webhook's requests (scheme, host and port)."""
        self._forward_to = base_url.rstrip("/")
        self._notify()

    async def _push_updates(self) -> None:
        """Telegram's side of a webhook: POST each update in order until the bot answers 200."""
        assert self._session is not None
        while self.webhook is not None and not self._stopping:
            changed = self._changed
            ready = self._deliverable(1) if self._forward_to else []
            if not ready:
                await changed.wait()
                continue
            update = ready[0]
            headers = {"Content-Type": "application/json"}
            if self.webhook["secret_token"]:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
            target = self._forward_to + urlsplit(self.webhook["url"]).path
            try:
                async with self._session.post(target, data=json.dumps(update), headers=headers) as response:
                    status = response.status
            except (ClientError, OSError):
                status = 0
            self.webhook_posts.append((update["update_id"], status))
            if status == 200:
                self.deliveries.append(update["update_id"])
                self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
            else:
                await asyncio.sleep(0.05)

    async def _stop_pushing(self) -> None:
        pusher, self._pusher = self._pusher, None
        if pusher is not None:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher

    async def _api_getupdates(self, p: _Params) -> list[JSON]:
        offset = p.get_int("offset")
        limit = max(1, min(p.get_int("limit", 100) or 100, 100))
        timeout = max(0.0, p.get_float("timeout", 0.0))
        if "allowed_updates" in p:
            allowed = p.get_json("allowed_updates") or []
            self._allowed_updates = frozenset(allowed) if allowed else None
        if offset is not None:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]

        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
                "webhook first",
            )
        if self._poll is not None:  # only one getUpdates at a time
            self._poll.conflicted = True
            self._poll.wake.set()
        poll = _Poll()
        self._poll = poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            while True:
                if poll.conflicted:
                    raise ApiError(409, CONFLICT)
                ready = self._deliverable(limit)
                if ready or self._stopping or loop.time() >= deadline:
                    batch = ready[:limit]
                    self.deliveries.extend(u["update_id"] for u in batch)
                    return batch
                changed = self._changed
                waiter = asyncio.ensure_future(changed.wait())
                woken = asyncio.ensure_future(poll.wake.wait())
                try:
                    await asyncio.wait(
                        {waiter, woken}, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    waiter.cancel()
                    woken.cancel()
        finally:
            if self._poll is poll:
                self._poll = None

    async def _api_setmycommands(self, p: _Params) -> bool:
        commands = p.get_json("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        if len(commands) > 100:
            raise _bad("too many commands specified")
        cleaned = []
        for entry in commands:
            name = str(entry.get("command", ""))
            description = str(entry.get("description", ""))
            if not _COMMAND_NAME_RE.match(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not description.strip() or len(description) > 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self.scope_key(self._scope(p), p.get_str("language_code"))
        if cleaned:
            self.commands[key] = cleaned
        else:
            self.commands.pop(key, None)
        return True

    async def _api_deletemycommands(self, p: _Params) -> bool:
        self.commands.pop(self.scope_key(self._scope(p), p.get_str("language_code")), None)
        return True

    async def _api_getmycommands(self, p: _Params) -> list[JSON]:
        return copy.deepcopy(self.commands.get(self.scope_key(self._scope(p), p.get_str("language_code")), []))

    def _scope(self, p: _Params) -> JSON:
        scope = p.get_json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in {
            "default",
            "all_private_chats",
            "all_group_chats",
            "all_chat_administrators",
            "chat",
            "chat_administrators",
            "chat_member",
        }:
            raise _bad("can't parse BotCommandScope")
        if "chat_id" in scope:
            self._existing_chat(scope["chat_id"])
        return scope

    async def _api_sendmessage(self, p: _Params) -> JSON:
        chat = self._writable_chat(p.chat_id())
        text, entities = self._message_text(p)
        markup = self._reply_markup(p.get_json("reply_markup"))
        message = self._new_message(chat, self.bot_user)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        reply_to = self._reply_target(p)
        if reply_to is not None:
            original = self._messages.get((chat["id"], reply_to))
            if original is None:
                raise _bad("message to be replied not found")
            message["reply_to_message"] = copy.deepcopy(original)
        self._store(message)
        self.sent.append(copy.deepcopy(message))
        return copy.deepcopy(message)

    async def _api_sendphoto(self, p: _Params) -> JSON:
        chat = self._writable_chat(p.chat_id())
        part = self._input_file(p, "photo")
        if len(part.data) > PHOTO_MAX_BYTES:
            raise _bad("PHOTO_SAVE_FILE_INVALID")
        size = image_size(part.data)
        if size is None:
            raise _bad(IMAGE_PROCESS_FAILED.removeprefix("Bad Request: "))
        width, height = size
        if not width or not height or width + height > 10000 or max(width, height) / min(width, height) > 20:
            raise _bad(PHOTO_INVALID_DIMENSIONS.removeprefix("Bad Request: "))
        message = self._file_message(chat, p)
        message["photo"] = self._photo_sizes(part, width, height)
        return self._sent_file(message, "sendPhoto", part, p)

    async def _api_senddocument(self, p: _Params) -> JSON:
        chat = self._writable_chat(p.chat_id())
        part = self._input_file(p, "document")
        message = self._file_message(chat, p)
        file_id, unique_id = self._new_file(part)
        mime = part.content_type.split(";")[0].strip()
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(part.filename, strict=False)[0] or "application/octet-stream"
        message["document"] = {
            "file_name": part.filename,
            "mime_type": mime,
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": len(part.data),
        }
        return self._sent_file(message, "sendDocument", part, p)

    async def _api_editmessagecaption(self, p: _Params) -> JSON:
        message = self._editable(p)
        if not any(key in message for key in ("photo", "document", "video", "audio", "animation", "voice")):
            raise _bad(NO_CAPTION_TO_EDIT.removeprefix("Bad Request: "))
        caption, entities = self._caption(p)
        markup = self._reply_markup(p.get_json("reply_markup"))
        if (
            caption == message.get("caption")
            and entities == message.get("caption_entities", [])
            and markup == message.get("reply_markup")
        ):
            raise _bad(NOT_MODIFIED.removeprefix("Bad Request: "))
        self._set_optional(message, "caption", caption)
        self._set_optional(message, "caption_entities", entities or None)
        self._set_optional(message, "reply_markup", markup)
        return self._edited("editMessageCaption", message)

    async def _api_editmessagetext(self, p: _Params) -> JSON:
        message = self._editable(p)
        if "text" not in message:
            raise _bad(NO_TEXT_TO_EDIT.removeprefix("Bad Request: "))
        text, entities = self._message_text(p)
        markup = self._reply_markup(p.get_json("reply_markup"))
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
        ):
            raise _bad(NOT_MODIFIED.removeprefix("Bad Request: "))
        message["text"] = text
        self._set_optional(message, "entities", entities or None)
        self._set_optional(message, "reply_markup", markup)  # no reply_markup: the keyboard goes
        return self._edited("editMessageText", message)

    async def _api_editmessagereplymarkup(self, p: _Params) -> JSON:
        message = self._editable(p)
        markup = self._reply_markup(p.get_json("reply_markup"))
        if markup == message.get("reply_markup"):
            raise _bad(NOT_MODIFIED.removeprefix("Bad Request: "))
        self._set_optional(message, "reply_markup", markup)
        return self._edited("editMessageReplyMarkup", message)

    async def _api_deletemessage(self, p: _Params) -> bool:
        chat = self._existing_chat(p.chat_id())
        key = (chat["id"], p.get_int("message_id") or 0)
        if key not in self._messages:
            raise _bad("message to delete not found")
        del self._messages[key]
        return True

    async def _api_answercallbackquery(self, p: _Params) -> bool:
        query_id = p.get_str("callback_query_id") or ""
        if query_id not in self._queries or query_id in self._expired_queries or query_id in self.answers:
            raise _bad(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        self.answers[query_id] = {
            "text": p.get_str("text"),
            "show_alert": p.get_bool("show_alert"),
            "url": p.get_str("url"),
            "cache_time": p.get_int("cache_time", 0),
        }
        self.answered_at[query_id] = time.perf_counter()
        return True

    async def _api_getchatmember(self, p: _Params) -> JSON:
        chat = self._existing_chat(p.chat_id())
        user_id = p.get_int("user_id")
        if user_id is None:
            raise _bad("user_id is empty")
        return self._member_of(chat, user_id)

    async def _api_getchatadministrators(self, p: _Params) -> list[JSON]:
        chat = self._existing_chat(p.chat_id())
        if chat["type"] == "private":
            raise _bad("there are no administrators in the private chat")
        return [
            copy.deepcopy(m)
            for (cid, _), m in self._members.items()
            if cid == chat["id"] and m["status"] in {"creator", "administrator"}
        ]

    async def _api_getchatmembercount(self, p: _Params) -> int:
        chat = self._existing_chat(p.chat_id())
        if chat["type"] == "private":
            return 2
        bot_in = self._member_of(chat, self.bot_id)["status"] not in {"left", "kicked"}
        people = sum(
            1
            for (cid, uid), m in self._members.items()
            if cid == chat["id"] and uid != self.bot_id and m["status"] not in {"left", "kicked"}
        )
        return people + int(bot_in)

    async def _api_getchat(self, p: _Params) -> JSON:
        chat = self._existing_chat(p.chat_id())
        info = copy.deepcopy(chat)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    async def _api_sendchataction(self, p: _Params) -> bool:
        self._writable_chat(p.chat_id())
        return True

    async def _api_getfile(self, p: _Params) -> JSON:
        file_id = p.get_str("file_id") or ""
        part = self._files.get(file_id)
        if part is None:
            raise _bad(INVALID_FILE_ID.removeprefix("Bad Request: "))
        if len(part.data) > DOWNLOAD_MAX_BYTES:
            raise _bad(FILE_TOO_BIG.removeprefix("Bad Request: "))
        path = self._file_paths.get(file_id)
        if path is None:
            folder = "photos" if part.content_type.startswith("image/") else "documents"
            extension = part.filename.rpartition(".")[2] if "." in part.filename else ""
            suffix = f".{extension.lower()}" if re.fullmatch(r"[A-Za-z0-9]{1,10}", extension) else ""
            path = f"{folder}/file_{len(self._downloadable)}{suffix}"
            self._file_paths[file_id] = path
            self._downloadable[path] = part
        return {
            "file_id": file_id,
            "file_unique_id": self._unique_ids[file_id],
            "file_size": len(part.data),
            "file_path": path,
        }

    # ---------------------------------------------------------------------------------------------------------
    # Helpers

    def _chat_id(self, chat: ChatLike) -> int:
        return int(chat["id"]) if isinstance(chat, dict) else int(chat)

    def _chat(self, chat: ChatLike) -> JSON:
        cid = self._chat_id(chat)
        if cid not in self._chats:
            raise ValueError(f"unknown chat {cid}: create it with fake.group() or fake.user()")
        return self._chats[cid]

    def _existing_chat(self, chat_id: int | str | None) -> JSON:
        if isinstance(chat_id, str):
            chat_id = self._usernames.get(chat_id.lstrip("@").lower())
        if chat_id is None or chat_id not in self._chats:
            raise _bad("chat not found")
        if chat_id in self._migrated:
            raise _bad("group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": self._migrated[chat_id]})
        return self._chats[chat_id]

    def _writable_chat(self, chat_id: int | str | None) -> JSON:
        chat = self._existing_chat(chat_id)
        cid = chat["id"]
        if chat["type"] == "private":
            if cid in self._blocked:
                raise ApiError(403, BLOCKED)
            if cid not in self._started:
                raise ApiError(403, CANT_INITIATE)
        else:
            status = self._member_of(chat, self.bot_id)["status"]
            where = "supergroup chat" if chat["type"] == "supergroup" else "group chat"
            if status == "kicked":
                raise ApiError(403, f"Forbidden: bot was kicked from the {where}")
            if status == "left":
                raise ApiError(403, f"Forbidden: bot is not a member of the {where}")
        return chat

    def _member_of(self, chat: JSON, user_id: int) -> JSON:
        cid = chat["id"]
        if (cid, user_id) in self._members:
            return copy.deepcopy(self._members[(cid, user_id)])
        if user_id == self.bot_id:
            return self._chat_member(self.bot_user, "member")
        user = self._users.get(user_id)
        if user is None:
            raise _bad("user not found")
        if chat["type"] == "private":
            return self._chat_member(user, "member" if user_id == cid else "left")
        return self._chat_member(user, "left")

    @staticmethod
    def _chat_member(user: JSON, status: str, is_anonymous: bool = False, **fields: Any) -> JSON:
        member: JSON = {"status": status, "user": copy.deepcopy(user)}
        if status == "creator":
            member["is_anonymous"] = is_anonymous
        elif status == "administrator":
            member.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": is_anonymous,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                    "can_pin_messages": True,
                    "can_manage_topics": False,
                }
            )
        elif status == "restricted":
            member.update(
                {
                    "is_member": True,
                    "until_date": 0,
                    **{
                        f"can_{right}": False
                        for right in (
                            "change_info",
                            "invite_users",
                            "pin_messages",
                            "send_messages",
                            "send_polls",
                            "send_other_messages",
                            "add_web_page_previews",
                            "manage_topics",
                            "send_audios",
                            "send_documents",
                            "send_photos",
                            "send_videos",
                            "send_video_notes",
                            "send_voice_notes",
                            "edit_tag",
                            "react_to_messages",
                        )
                    },
                }
            )
        elif status == "kicked":
            member["until_date"] = 0
        elif status not in {"member", "left"}:
            raise ValueError(f"unknown chat member status {status!r}")
        member.update(fields)
        return member

    def _anonymous(self, chat_id: int, user: JSON) -> bool:
        member = self._members.get((chat_id, user["id"]))
        return bool(member and member["status"] in {"creator", "administrator"} and member.get("is_anonymous"))

    def _sender(self, chat_id: int, user: JSON) -> JSON:
        return ANONYMOUS_ADMIN if self._anonymous(chat_id, user) else user

    def _creator(self, chat_id: int) -> JSON | None:
        for (cid, _), member in self._members.items():
            user: JSON = member["user"]
            if cid == chat_id and member["status"] == "creator" and user["id"] != self.bot_id:
                return user
        return None

    def _new_message(self, chat: JSON, sender: JSON) -> JSON:
        counter = self._message_ids.setdefault(chat["id"], itertools.count(1))
        return {
            "message_id": next(counter),
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": int(self.clock()),
        }

    def _store(self, message: JSON) -> None:
        self._messages[(message["chat"]["id"], message["message_id"])] = message

    def _update(self, kind: str, payload: JSON) -> JSON:
        return {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}

    def _enqueue(self, update: JSON) -> None:
        self.sent_updates[update["update_id"]] = copy.deepcopy(update)
        self._updates.append(update)
        self._notify()

    def redeliver(self, update_id: int) -> None:
        """Send an update again with the same update_id, as Telegram may (after a crash, or when it believes
        it was not received): a bot must give it no second effect."""
        self._updates.append(copy.deepcopy(self.sent_updates[update_id]))
        self._notify()

    def update_id_of_query(self, query_id: str) -> int:
        """The update that carried a button press."""
        return next(uid for uid, u in self.sent_updates.items() if u.get("callback_query", {}).get("id") == query_id)

    def _notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _deliverable(self, limit: int) -> list[JSON]:
        """The first `limit` pending updates of the allowed types (copies); others are dropped, as if Telegram
        had never made them."""
        wanted = self._allowed_updates
        kept = []
        for update in self._updates:
            kind = next(k for k in update if k != "update_id")
            if (kind in wanted) if wanted is not None else (kind not in OPT_IN_UPDATES):
                kept.append(update)
        self._updates = kept
        return copy.deepcopy(kept[:limit])

    def _bot_sees(self, chat: JSON, message: JSON) -> bool:
        """Privacy mode: what a bot that cannot read all group messages is sent."""
        if chat["type"] == "private":
            return True
        bot_status = self._member_of(chat, self.bot_id)["status"]
        if bot_status in {"left", "kicked"}:
            return False
        if self.can_read_all_group_messages or bot_status in {"administrator", "creator"}:
            return True
        text = str(message.get("text") or message.get("caption") or "")
        match = _COMMAND_RE.match(text)
        if match:
            _, _, addressee = match.group(0).partition("@")
            return not addressee or addressee.lower() == self.username.lower()
        replied = message.get("reply_to_message")
        return bool(replied and replied.get("from", {}).get("id") == self.bot_id)

    async def _membership_change(
        self, chat: ChatLike, user: JSON, status: str, actor: JSON, service_message: bool
    ) -> list[JSON]:
        chat_dict = self._chat(chat)
        cid = chat_dict["id"]
        if chat_dict["type"] == "private":
            raise ValueError("people join and leave groups, not private chats")
        is_bot = user["id"] == self.bot_id
        bot_was_admin = self._member_of(chat_dict, self.bot_id)["status"] in {"administrator", "creator"}
        old = self._member_of(chat_dict, user["id"]) if (is_bot or user["id"] in self._users) else None
        if old is None:
            old = self._chat_member(user, "left")
        new = self._chat_member(user, status)
        self._members[(cid, user["id"])] = new
        queued = []
        if service_message:
            message = self._new_message(chat_dict, actor)
            message["new_chat_members" if status == "member" else "left_chat_member"] = (
                [copy.deepcopy(user)] if status == "member" else copy.deepcopy(user)
            )
            self._store(message)
            queued.append(self._update("message", message))
        change = {
            "chat": copy.deepcopy(chat_dict),
            "from": copy.deepcopy(actor),
            "date": int(self.clock()),
            "old_chat_member": old,
            "new_chat_member": copy.deepcopy(new),
        }
        if is_bot:
            queued.append(self._update("my_chat_member", change))
        elif bot_was_admin:
            queued.append(self._update("chat_member", change))
        for update in queued:
            self._enqueue(update)
        await asyncio.sleep(0)
        return queued

    def _message_text(self, p: _Params) -> tuple[str, list[JSON]]:
        text = p.get_str("text")
        if text is None:
            raise _bad("message text is empty")
        parse_mode = (p.get_str("parse_mode") or "").lower()
        if parse_mode == "html":
            text, entities = parse_html(text)
        else:
            entities = p.get_json("entities") or []
        text, entities = _trim(text, entities)
        if not text:
            raise _bad("message text is empty")
        if utf16_len(text) > 4096:
            raise _bad("message is too long")
        return text, entities

    def _caption(self, p: _Params) -> tuple[str | None, list[JSON]]:
        caption = p.get_str("caption")
        if caption is None:
            return None, []
        if (p.get_str("parse_mode") or "").lower() == "html":
            caption, entities = parse_html(caption)
        else:
            entities = p.get_json("caption_entities") or []
        caption, entities = _trim(caption, entities)
        if utf16_len(caption) > CAPTION_LIMIT:
            raise _bad(CAPTION_TOO_LONG.removeprefix("Bad Request: "))
        return (caption or None), entities

    def _input_file(self, p: _Params, name: str) -> _Part:
        """The file sent as parameter `name`: uploaded in this request (directly or as attach://<field>), or
        the file_id of one sent before."""
        part = p.files.get(name)
        value = p.raw.get(name)
        if part is None and isinstance(value, str) and value.startswith("attach://"):
            part = p.files.get(value.removeprefix("attach://"))
        if part is None and isinstance(value, str) and value in self._files:
            part = self._files[value]
        if part is None:
            if value is None or value == "":
                raise _bad(f"there is no {name} in the request")
            raise _bad(WRONG_FILE.removeprefix("Bad Request: "))
        if not part.data:
            raise _bad(EMPTY_FILE.removeprefix("Bad Request: "))
        if len(part.data) > UPLOAD_MAX_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        return part

    def _new_file(self, part: _Part) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"BQACAgQAAxkBAAI{number:08d}"
        self._files[file_id] = part
        self._unique_ids[file_id] = f"AgAD{number:06d}"
        return file_id, self._unique_ids[file_id]

    def _photo_sizes(self, part: _Part, width: int, height: int) -> list[JSON]:
        """PhotoSize objects, smallest first, as Telegram makes them: scaled to fit 90, 320, 800 and 1280 pixels,
        then the photo itself (at most 2560 pixels on its longer side)."""
        longest = max(width, height)
        sides = [side for side in PHOTO_SIDES if side < longest] + [min(longest, PHOTO_MAX_SIDE)]
        sizes = []
        for side in sides:
            scale = side / longest
            scaled = (max(1, round(width * scale)), max(1, round(height * scale)))
            file_id, unique_id = self._new_file(part)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": max(1, round(len(part.data) * scale * scale)),
                    "width": scaled[0],
                    "height": scaled[1],
                }
            )
        return sizes

    def _file_message(self, chat: JSON, p: _Params) -> JSON:
        """A new message of the bot's with the request's caption, keyboard and reply (checked like Telegram)."""
        caption, entities = self._caption(p)
        markup = self._reply_markup(p.get_json("reply_markup"))
        message = self._new_message(chat, self.bot_user)
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        if markup is not None:
            message["reply_markup"] = markup
        reply_to = self._reply_target(p)
        if reply_to is not None:
            original = self._messages.get((chat["id"], reply_to))
            if original is None:
                raise _bad("message to be replied not found")
            message["reply_to_message"] = copy.deepcopy(original)
        return message

    def _sent_file(self, message: JSON, method: str, part: _Part, p: _Params) -> JSON:
        self._store(message)
        self.sent.append(copy.deepcopy(message))
        self.uploads.append(
            Upload(
                method=method,
                chat_id=message["chat"]["id"],
                message_id=message["message_id"],
                filename=part.filename,
                data=part.data,
                mime=part.content_type,
                caption=message.get("caption"),
            )
        )
        return copy.deepcopy(message)

    @staticmethod
    def _reply_markup(markup: Any) -> JSON | None:
        """Only inline keyboards are kept on a message; callback_data is at most 64 bytes."""
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                if not str(button.get("text", "")).strip():
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"^(https?|tg)://[^\s]+$", str(url)):
                    raise _bad(BUTTON_URL_INVALID.removeprefix("Bad Request: "))
        return markup if markup["inline_keyboard"] else None

    @staticmethod
    def _reply_target(p: _Params) -> int | None:
        parameters = p.get_json("reply_parameters")
        if isinstance(parameters, dict) and "message_id" in parameters:
            return int(parameters["message_id"])
        return p.get_int("reply_to_message_id")

    def _editable(self, p: _Params) -> JSON:
        if "inline_message_id" in p:
            raise _bad("MESSAGE_ID_INVALID")
        chat = self._existing_chat(p.chat_id())
        message = self._messages.get((chat["id"], p.get_int("message_id") or 0))
        if message is None:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return message

    def _edited(self, method: str, message: JSON) -> JSON:
        message["edit_date"] = int(self.clock())
        self.edits.append(
            {
                "method": method,
                "chat_id": message["chat"]["id"],
                "message_id": message["message_id"],
                "message": copy.deepcopy(message),
            }
        )
        return copy.deepcopy(message)

    @staticmethod
    def _set_optional(target: JSON, key: str, value: Any) -> None:
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
