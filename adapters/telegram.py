"""Telegram, through python-telegram-bot 22 (long polling).

Translates Telegram updates into core events and core replies into Telegram messages:
- commands come as text (`/vote@TouchstoneBot …` works) and the command menu is published from the
  registry (one list for group chats, one for private chats);
- buttons are inline keyboards, and every callback query is answered (a short toast);
- updates from different people are handled at once, so a busy vote's presses reach the dispatcher
  together and are applied in batches; one person's updates are handled one at a time, in order;
- "only you can see this" replies go by private chat; if the person never started a chat with the
  bot (403), the group gets one short hint with a link that opens the private chat;
- edits of the same message are coalesced (Telegram allows about 20 messages a minute per group)
  and "message is not modified" is not an error; text over 4,096 characters is split;
- every send and edit goes through one `SendPacer` (about 28 a second, under Telegram's 30), and a
  429 "retry after N" holds every send back that long before the same send is tried again;
- files: a photo (JPEG, PNG, WebP) goes with sendPhoto, anything else with sendDocument; a reply's
  text is the caption of its only file when it fits (1,024 characters), otherwise its own message
  first, with the buttons;
- a link button opens its address; a button whose press belongs in the private chat becomes, in a
  group, a link to `t.me/<bot>?start=<action-payload>`, and the `/start <action-payload>` Telegram
  then sends in the private chat is handled as that button's press;
- every group message becomes a contribution signal (who, where, when; never the words); a reply to one of
  the bot's messages says which (`ChatMessage.reply_to`);
- a document whose caption is a command (`/paper Title | …`) is that command with the document attached: it
  is downloaded (getFile, then the file URL) and passed in `CommandCall.files`; Telegram lets bots download
  at most 20 MB, so a larger one is refused kindly without reaching the core;
- `Reply.thread` means nothing here: people reply to the message itself;
- a group upgraded to a supergroup keeps its data.

The core never sees a Telegram type; this module never sees a vote or a glossary.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Chat,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
    User,
)
from telegram.constants import MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from adapters.coalesce import CoalescedEdits, split_lines
from adapters.pacing import SendPacer
from bot.dispatcher import Dispatcher
from bot.i18n import _
from bot.ports import DeliveryFailed, PlatformUnreachable, TokenRefused
from bot.registry import Registry, Where
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
    MemberJoined,
    MemberLeft,
    MessageRef,
    Outcome,
    Platform,
    Reply,
    UserRef,
    from_private_start,
    parse_button_data,
    private_start,
)

log = logging.getLogger("touchstone.telegram")

#: How long the bot trusts what Telegram said about it being an admin of a chat (who sees every message).
ADMIN_KNOWN_FOR_S = 300.0

#: At most one edit of the same message this often; later edits replace waiting ones.
EDIT_INTERVAL_S = 3.0
#: Telegram's limit for a toast (answerCallbackQuery text).
TOAST_LIMIT = 200
#: Attempts for one call to Telegram when the network fails.
ATTEMPTS = 4
#: Times one call is tried again after Telegram said "too many requests, retry after N".
RATE_LIMITED_ATTEMPTS = 8
#: Messages a second, for every chat together (Telegram allows about 30).
SENDS_PER_SECOND = 28.0
#: Telegram's limit for a caption under a photo or file.
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
#: Images Telegram shows as a photo (others, and larger ones, go as a file).
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
PHOTO_MAX_BYTES = 10 * 1024 * 1024
#: A start parameter: what a t.me link may carry to the private chat.
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
#: Updates handled at once (python-telegram-bot's number for `concurrent_updates(True)`).
CONCURRENT_UPDATES = 256
#: The largest file a bot may download through the Bot API (getFile answers "file is too big" above it).
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024
#: A document sent with a command as its caption ("/paper Title | …"); not when the caption is edited later.
CAPTION_COMMAND = filters.Document.ALL & filters.CaptionRegex(r"^\s*/[A-Za-z0-9_]") & ~filters.UpdateType.EDITED
T = TypeVar("T")


def retry_after_s(error: RetryAfter) -> float:
    """How long Telegram asked to wait, in seconds (whether python-telegram-bot gives a number or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # the number form is deprecated; both are read
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def patiently(call: Callable[[], Awaitable[T]], pacer: SendPacer | None = None) -> T:
    """Call Telegram (each try paced, when a pacer is given), waiting as long as it asks after a 429 and
    backing off after network errors."""
    delay = 0.5
    failures = rate_limited = 0
    while True:
        if pacer is not None:
            await pacer.wait()
        try:
            return await call()
        except RetryAfter as error:
            rate_limited += 1
            if rate_limited >= RATE_LIMITED_ATTEMPTS:
                raise
            wait = retry_after_s(error)
            log.info("Telegram asked to wait %.0f s before sending more", wait)
            if pacer is not None:
                pacer.pause(wait)  # every send waits, not only this one: the limit is the bot's
            else:
                await asyncio.sleep(wait)
        except (BadRequest, Forbidden):
            raise
        except NetworkError:
            failures += 1
            if failures >= ATTEMPTS:
                raise
            await asyncio.sleep(delay)
            delay *= 2


def user_ref(user: User) -> UserRef:
    return UserRef("telegram", str(user.id), user.full_name, handle=user.username)


def chat_ref(chat: Chat) -> ChatRef:
    kind = ChatKind.PRIVATE if chat.type == Chat.PRIVATE else ChatKind.GROUP
    return ChatRef("telegram", str(chat.id), kind, chat.title or "")


def keyboard(rows: ButtonRows, *, bot_username: str = "", in_group: bool = False) -> InlineKeyboardMarkup | None:
    """Core buttons as an inline keyboard (text labels always; data is `action:payload`).

    A link button opens its address. In a group, a button whose press belongs in the private chat opens
    that chat (`t.me/<bot>?start=<action-payload>`); the press arrives there as `/start <action-payload>`."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[_inline_button(b, bot_username, in_group) for b in row] for row in rows])


def _inline_button(button: Button, bot_username: str, in_group: bool) -> InlineKeyboardButton:
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url)
    if button.in_private and in_group:
        link = private_link(button, bot_username)
        if link is not None:
            return InlineKeyboardButton(button.label, url=link)
        log.warning("button %s cannot open the private chat; it is pressed in the group instead", button.action)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def private_link(button: Button, bot_username: str) -> str | None:
    """The t.me link that opens the private chat and presses `button` there, or None if Telegram could not
    carry it (a start parameter is at most 64 of A-Z, a-z, 0-9, _ and -)."""
    parameter = private_start(button)
    if not bot_username or not START_PARAMETER.match(parameter):
        return None
    return f"https://t.me/{bot_username}?start={parameter}"


def pressed_in_private(args: str) -> tuple[str, str] | None:
    """(action, payload) from the parameter of `/start <parameter>`, if it is a button's start parameter."""
    parameter = args.strip()
    if not START_PARAMETER.match(parameter):
        return None
    return from_private_start(parameter)


def file_url_for(base_url: str) -> str:
    """Where the Bot API serves files, from where it answers methods: `https://api.telegram.org/bot` →
    `https://api.telegram.org/file/bot` (python-telegram-bot adds the token and the file's path)."""
    if base_url.endswith("/bot"):
        return base_url.removesuffix("/bot") + "/file/bot"
    if "/bot{token}" in base_url:
        return base_url.replace("/bot{token}", "/file/bot{token}", 1)
    return "https://api.telegram.org/file/bot"


def replied_to_bot(message: Message, bot_id: int) -> int | None:
    """The id of the bot's message this one replies to, or None. (In a forum topic every message "replies" to
    the topic's first message; that is no reply.)"""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    if replied.forum_topic_created is not None:
        return None
    return replied.message_id


def fits_caption(text: str) -> bool:
    """Telegram counts a caption's length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2 <= CAPTION_LIMIT


def shows_as_photo(attachment: Attachment) -> bool:
    return attachment.mime.split(";")[0].strip().lower() in PHOTO_TYPES and len(attachment.data) <= PHOTO_MAX_BYTES


def input_file(attachment: Attachment) -> InputFile:
    upload = InputFile(attachment.data, filename=attachment.filename)
    upload.mimetype = attachment.mime
    return upload


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split text longer than Telegram's 4,096 characters at line breaks."""
    return split_lines(text, limit)


class OnePersonAtATime(BaseUpdateProcessor):
    """Updates from different people are handled concurrently (python-telegram-bot's default is one
    update at a time, which would apply a busy vote's presses one transaction each and wait for every
    answerCallbackQuery in turn); one person's updates are handled one at a time, in the order
    Telegram sent them (an answer after its question; one first-sight record per person)."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._last: dict[Hashable, asyncio.Event] = {}
        self._barrier: asyncio.Event | None = None

    @staticmethod
    def is_migration(update: object) -> bool:
        """A group becoming a supergroup: handled alone, after everything before it and before anything
        after it, so nobody's next message in the new chat arrives before the group has moved there."""
        message = update.effective_message if isinstance(update, Update) else None
        return message is not None and bool(message.migrate_to_chat_id or message.migrate_from_chat_id)

    @staticmethod
    def sender(update: object) -> Hashable:
        if isinstance(update, Update):
            if update.effective_user is not None:
                return ("user", update.effective_user.id)
            if update.effective_chat is not None:
                return ("chat", update.effective_chat.id)
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        done = asyncio.Event()
        barrier = self.is_migration(update)
        if barrier:
            waits = list(self._last.values())
            key: Hashable = ("barrier", id(done))
        else:
            key = self.sender(update)
            waits = [event for event in (self._last.get(key),) if event is not None]
        if self._barrier is not None:
            waits.append(self._barrier)
        self._last[key] = done
        if barrier:
            self._barrier = done
        try:
            try:
                for event in waits:
                    await event.wait()
            except BaseException:
                if inspect.iscoroutine(coroutine):
                    coroutine.close()  # cancelled while waiting: never started
                raise
            await coroutine
        finally:
            done.set()
            if self._last.get(key) is done:
                del self._last[key]
            if self._barrier is done:
                self._barrier = None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class JournallingQueue(asyncio.Queue[object]):
    """python-telegram-bot's update queue, which keeps every update in the database before it is queued.

    The library confirms updates to Telegram on its next fetch (long polling) or answers 200 as soon as an
    update is queued (webhook): both only after `put` returns, so a crash after that loses nothing. The
    updates are handled from the journal after a restart; their effect is recorded under the same id, so
    one that arrives twice has one effect."""

    def __init__(self, adapter: TelegramAdapter) -> None:
        super().__init__()
        self.adapter = adapter

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self.adapter.dispatcher.journal([(self.adapter.origin_of(item), json.dumps(item.to_dict()))])
        await super().put(item)

    async def replay(self, item: object) -> None:
        """Queue an update that is already in the journal (after a restart)."""
        await super().put(item)


@dataclass(frozen=True)
class Webhook:
    """Telegram sends updates to `url` (public, https); a web server in front passes them to `listen`:`port`.
    Every update must carry `secret` in the X-Telegram-Bot-Api-Secret-Token header (python-telegram-bot
    answers 403 otherwise and drops it)."""

    url: str
    secret: str
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def path(self) -> str:
        return urlsplit(self.url).path.strip("/")


@dataclass
class TelegramAdapter:
    """Touchstone on Telegram."""

    dispatcher: Dispatcher
    registry: Registry
    token: str
    base_url: str = "https://api.telegram.org/bot"
    #: Where files are downloaded from (getFile's file_path is added); by default found from `base_url`.
    base_file_url: str | None = None
    edit_interval: float = EDIT_INTERVAL_S
    webhook: Webhook | None = None
    #: Messages and edits a second, all chats together; None sends without pacing.
    sends_per_second: float | None = SENDS_PER_SECOND
    platform: Platform = "telegram"
    private_in_place: bool = False  # "only you" replies go by private chat
    application: Application = field(init=False)  # type: ignore[type-arg]
    username: str = field(init=False, default="")
    reads_all_messages: bool = field(init=False, default=True)  # privacy mode off (getMe)
    _admin_of: dict[str, tuple[bool, float]] = field(init=False, default_factory=dict)  # chat: (admin?, when asked)
    pacer: SendPacer | None = field(init=False, default=None)
    _edits: CoalescedEdits = field(init=False)
    _hinted: set[tuple[str, str]] = field(init=False, default_factory=set)
    _queue: JournallingQueue = field(init=False)
    _reached: set[int] = field(init=False, default_factory=set)  # updates passed on to the dispatcher

    def __post_init__(self) -> None:
        self._queue = JournallingQueue(self)
        self.pacer = SendPacer(self.sends_per_second) if self.sends_per_second is not None else None
        if self.base_file_url is None:
            self.base_file_url = file_url_for(self.base_url)
        builder = (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
            .update_queue(self._queue)
        )
        self.application = builder.concurrent_updates(OnePersonAtATime()).build()
        self._edits = CoalescedEdits(self._edit_now, self.edit_interval)
        app = self.application
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self._on_migrate))
        app.add_handler(MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, self._on_joined))
        app.add_handler(MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, self._on_left))
        # An edited message is not a new one: editing a command to fix a typo must not run it again, nor
        # count as speaking twice (edits still reach `_settled`, which marks them done).
        app.add_handler(
            MessageHandler((filters.COMMAND & ~filters.UpdateType.EDITED) | CAPTION_COMMAND, self._on_command)
        )
        app.add_handler(CallbackQueryHandler(self._on_press))
        app.add_handler(MessageHandler(filters.ALL & ~filters.UpdateType.EDITED, self._on_message))
        # Runs after the handlers above: an update none of them passed on (an edit, a bot's own message) is
        # marked handled here, so it is not taken from the journal again after a restart.
        app.add_handler(TypeHandler(Update, self._settled), group=1)
        app.add_error_handler(self._on_error)
        self.dispatcher.attach(self)

    # ---- life cycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect, publish the command menu, then take updates by long polling or by webhook."""
        try:
            await self.application.initialize()
            me = await self.application.bot.get_me()
        except InvalidToken as error:
            raise TokenRefused(
                "Telegram did not accept TELEGRAM_TOKEN. Copy the bot's token again from @BotFather."
            ) from error
        except (NetworkError, httpx.HTTPError, OSError) as error:
            where = urlsplit(self.base_url).netloc or self.base_url
            raise PlatformUnreachable(
                f"Touchstone could not reach Telegram at {where} ({type(error).__name__}). "
                "Check the network and TELEGRAM_API_URL, then start it again."
            ) from error
        self.username = me.username or ""
        self.reads_all_messages = bool(me.can_read_all_group_messages)
        await self.publish_commands()
        await self.application.start()
        for _origin, body in await self.dispatcher.waiting(self.origin_prefix):
            # Taken from Telegram before a crash or a stop, never handled: handled now.
            await self._queue.replay(Update.de_json(json.loads(body), self.application.bot))
        updater = self.application.updater
        assert updater is not None
        if self.webhook is None:
            await updater.start_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
            return
        await updater.start_webhook(
            listen=self.webhook.listen,
            port=self.webhook.port,
            url_path=self.webhook.path,
            webhook_url=self.webhook.url,
            secret_token=self.webhook.secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )

    @property
    def origin_prefix(self) -> str:
        """Updates are numbered per bot: the bot's id (the token's first part) keeps two bots' ids apart."""
        return f"telegram:{self.token.split(':', 1)[0]}:"

    def origin_of(self, update: Update, *, part: str = "") -> str:
        """The update's own id, for recording that it was handled (a part when one update holds several events)."""
        self._reached.add(update.update_id)
        return f"{self.origin_prefix}{update.update_id}{':' + part if part else ''}"

    async def _settled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.update_id in self._reached:
            self._reached.discard(update.update_id)
            return
        await self.dispatcher.settled([f"{self.origin_prefix}{update.update_id}"])

    async def lost(self) -> str:
        """Never returns: python-telegram-bot keeps retrying the connection to Telegram on its own."""
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def stop(self) -> None:
        await self._edits.settle()  # the last tally is sent, not dropped
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def publish_commands(self) -> None:
        """The command menu from the registry: one list for group chats, one for private chats."""
        commands = list(self.registry.commands.values())
        group = [BotCommand(c.name, c.summary) for c in commands if c.where in (Where.GROUP, Where.BOTH)]
        private = [BotCommand(c.name, c.summary) for c in commands if c.where in (Where.PRIVATE, Where.BOTH)]
        await self.application.bot.set_my_commands(group, scope=BotCommandScopeAllGroupChats())
        await self.application.bot.set_my_commands(private, scope=BotCommandScopeAllPrivateChats())

    # ---- inbound ------------------------------------------------------------------------------------

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None:
            return
        # A command typed, or the caption of a document sent with it ("/paper Title | …").
        text = message.text if message.text is not None else message.caption
        if text is None:
            return
        parsed = split_command(text)
        if parsed is None:
            return
        addressed = text.lstrip()[1:].split(" ", 1)[0]
        if "@" in addressed and addressed.split("@", 1)[1].casefold() != self.username.casefold():
            return  # meant for another bot in the same group
        chat = chat_ref(message.chat)
        if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
            await self._send(
                chat,
                Reply(
                    _(
                        "You're posting as the group, so I can't tell who you are. "
                        "Please send that from your own account."
                    )
                ),
            )
            return
        name, args = parsed
        actor = user_ref(message.from_user)
        if name.lower() == "start" and chat.is_private:
            pressed = pressed_in_private(args)
            if pressed is not None and pressed[0] in self.registry.actions:
                await self._on_press_in_private(update, actor, chat, *pressed)
                return
        files: tuple[Attachment, ...] = ()
        if message.text is None and message.document is not None:
            fetched = await self._download(message.document)
            if isinstance(fetched, str):
                await self._send(chat, Reply(fetched))  # the core never hears of it: nothing was done
                return
            files = (fetched,)
        event = CommandCall(name=name, args=args, actor=actor, chat=chat, origin=self.origin_of(update), files=files)
        outcome = await self.dispatcher.handle(event)
        await self._show(outcome, actor, chat)

    async def _download(self, document: Document) -> Attachment | str:
        """A document sent with a command, downloaded (getFile, then its file URL); or what to tell the person
        when it cannot be: Telegram lets bots download at most 20 MB."""
        too_big = _(
            "That file is bigger than 20 MB, the most Telegram lets me download. Please share a link to it instead."
        )
        if document.file_size is not None and document.file_size > DOWNLOAD_MAX_BYTES:
            return too_big
        bot = self.application.bot
        try:
            file = await patiently(lambda: bot.get_file(document.file_id))
            data = await patiently(file.download_as_bytearray)
        except BadRequest as error:
            if "too big" in str(error).lower():
                return too_big
            log.warning("Telegram would not give me a file sent with a command: %s", error)
        except (TelegramError, httpx.HTTPError, OSError) as error:
            # Only the kind of error: the file URL it might name holds the bot's token.
            log.warning("could not download a file sent with a command (%s)", type(error).__name__)
        else:
            if len(data) > DOWNLOAD_MAX_BYTES:
                return too_big
            return Attachment(
                document.file_name or "file", bytes(data), document.mime_type or "application/octet-stream"
            )
        return _("Sorry, I couldn't fetch that file from Telegram. Please try sending it again in a minute.")

    async def _on_press_in_private(
        self, update: Update, actor: UserRef, chat: ChatRef, action: str, payload: str
    ) -> None:
        """A button in a group opened the private chat and the person pressed Start: Telegram sent
        `/start <action-payload>` here, which is that button's press, made in this chat."""
        outcome = await self.dispatcher.handle(
            ButtonPress(
                action=action, payload=payload, actor=actor, chat=chat, message=None, origin=self.origin_of(update)
            )
        )
        if outcome.toast and not any(reply.text == outcome.toast for reply in outcome.replies):
            # No button was pressed here, so there is no toast to show it in: it is a message instead.
            outcome = Outcome(replies=[Reply(outcome.toast), *outcome.replies], error_id=outcome.error_id)
        await self._show(outcome, actor, chat)

    async def _on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        action, payload = parse_button_data(query.data or "")
        actor = user_ref(query.from_user)
        message = query.message
        if message is None:
            chat = ChatRef("telegram", str(query.from_user.id), ChatKind.PRIVATE)
            ref = None
        else:
            chat = chat_ref(message.chat)
            ref = MessageRef(chat, str(message.message_id))
        outcome = await self.dispatcher.handle(
            ButtonPress(
                action=action, payload=payload, actor=actor, chat=chat, message=ref, origin=self.origin_of(update)
            )
        )
        try:
            await query.answer(text=(outcome.toast or "")[:TOAST_LIMIT] or None)
        except BadRequest as error:  # "query is too old": the press was handled anyway
            log.info("could not answer a button press: %s", error)
        await self._show(outcome, actor, chat, toast_shown=True)

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        actor = user_ref(message.from_user)
        chat = chat_ref(message.chat)
        replied = replied_to_bot(message, self.application.bot.id)
        reply_to = MessageRef(chat, str(replied)) if replied is not None else None
        outcome = await self.dispatcher.handle(
            ChatMessage(
                actor=actor, chat=chat, text=message.text or "", origin=self.origin_of(update), reply_to=reply_to
            )
        )
        await self._show(outcome, actor, chat)

    async def _on_joined(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        chat = chat_ref(message.chat)
        for user in message.new_chat_members or ():
            if not user.is_bot:
                origin = self.origin_of(update, part=str(user.id))
                await self.dispatcher.handle(MemberJoined(actor=user_ref(user), chat=chat, origin=origin))

    async def _on_left(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.left_chat_member is None or message.left_chat_member.is_bot:
            return
        left = message.left_chat_member
        await self.dispatcher.handle(
            MemberLeft(actor=user_ref(left), chat=chat_ref(message.chat), origin=self.origin_of(update))
        )

    async def _on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.migrate_to_chat_id is not None:
            await self.dispatcher.chat_moved("telegram", str(message.chat.id), str(message.migrate_to_chat_id))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # One bad update must never stop the bot; the dispatcher already apologised for its own errors.
        log.error("a Telegram update could not be handled", exc_info=context.error)

    # ---- the platform port ------------------------------------------------------------------------

    async def is_chat_admin(self, chat: ChatRef, user: UserRef) -> bool:
        member = await self.application.bot.get_chat_member(int(chat.id), int(user.id))
        return member.status in ("creator", "administrator")

    async def sees_all_messages(self, chat: ChatRef) -> bool:
        """Telegram sends a bot every group message only if its privacy mode is off, or it is an admin there."""
        if self.reads_all_messages or chat.is_private:
            return True
        known = self._admin_of.get(chat.id)
        if known is not None and time.monotonic() - known[1] < ADMIN_KNOWN_FOR_S:
            return known[0]
        try:
            member = await self.application.bot.get_chat_member(int(chat.id), self.application.bot.id)
        except TelegramError:
            log.warning("could not ask Telegram whether the bot is an admin of a chat", exc_info=True)
            return False
        admin = member.status in ("creator", "administrator")
        self._admin_of[chat.id] = (admin, time.monotonic())
        return admin

    def contact(self, user: UserRef) -> str | None:
        return f"@{user.handle}" if user.handle else None

    async def setup_notes(self, chat: ChatRef) -> list[str]:
        if await self.sees_all_messages(chat):
            return []
        return [
            _(
                "One more step, so I can notice who has had a say: in Telegram, open @BotFather, send "
                "/setprivacy, choose this bot, then choose Disable. Then remove me from the group and add me back "
                "(the change only starts then), or make me an admin of the group instead."
            )
        ]

    async def deliver(self, reply: Reply, target: ChatRef | UserRef) -> MessageRef | None:
        chat = target if isinstance(target, ChatRef) else ChatRef("telegram", target.id, ChatKind.PRIVATE)
        try:
            return await self._send(chat, reply)
        except Forbidden as error:
            if isinstance(target, UserRef) and reply.edit is None:
                await self.dispatcher.hold(reply, target)
                if reply.hint_in is not None:
                    await self._hint_private_chat(reply.hint_in, target, discreet=reply.discreet)
            raise DeliveryFailed(str(error)) from error

    # ---- outbound -----------------------------------------------------------------------------------

    async def _show(self, outcome: Outcome, actor: UserRef, chat: ChatRef, *, toast_shown: bool = False) -> None:
        """Send an event's replies: "only you" ones privately, with a hint in the group if that fails."""
        for reply in outcome.replies:
            if toast_shown and reply.private and reply.text == outcome.toast:
                continue  # already shown as the toast
            if reply.private and not chat.is_private:
                private_chat = ChatRef("telegram", actor.id, ChatKind.PRIVATE)
                try:
                    await self._send(private_chat, reply)
                except Forbidden:
                    if reply.edit is None:
                        await self.dispatcher.hold(reply, actor)
                    await self._hint_private_chat(chat, actor)
                continue
            try:
                await self._send(chat, reply)
            except Forbidden as error:
                log.warning("Telegram refused a message to chat %s: %s", chat.id, error)

    async def _hint_private_chat(self, chat: ChatRef, actor: UserRef, *, discreet: bool = False) -> None:
        """Once per person and chat: a short hint with a link that opens a private chat with the bot. A discreet
        message (a reminder in an anonymous vote) gets a general line instead, naming nobody, once per chat."""
        link = f"https://t.me/{self.username}?start=missed"
        key = (chat.id, "*someone*" if discreet else actor.id)
        if key in self._hinted:
            return
        self._hinted.add(key)
        if discreet:
            text = _(
                "Some members haven't opened a private chat with me yet, so I have messages waiting for them. "
                "If that might be you, please open {link} and press Start."
            ).format(link=link)
        else:
            text = _("{name}, I have a private message for you. Please open {link} and press Start to read it.").format(
                name=actor.display_name, link=link
            )
        await self._send(chat, Reply(text))

    def _keyboard(self, rows: ButtonRows, chat: ChatRef) -> InlineKeyboardMarkup | None:
        return keyboard(rows, bot_username=self.username, in_group=not chat.is_private)

    async def _send(self, chat: ChatRef, reply: Reply) -> MessageRef | None:
        """Send a reply: its text (split if long) with the buttons, and its files. The text is the caption of
        a single file when it fits; otherwise the files follow it. Returns the message with the text."""
        if reply.edit is not None:
            if reply.files:
                log.warning("an edit changes text and buttons only; its %d files were not sent", len(reply.files))
            await self._edits.edit(reply.edit, reply)
            return reply.edit
        markup = self._keyboard(reply.buttons, chat)
        files = reply.files
        if len(files) == 1 and reply.text.strip() and fits_caption(reply.text):
            chat, sent = await self._send_file(chat, files[0], reply.text, markup)
            return MessageRef(chat, str(sent.message_id))
        text_ref: MessageRef | None = None
        if reply.text.strip() or not files:
            chunks = split_text(reply.text)
            for index, chunk in enumerate(chunks):
                buttons = markup if index == len(chunks) - 1 else None
                chat, sent = await self._post(chat, partial(self._send_text, text=chunk, buttons=buttons))
                text_ref = MessageRef(chat, str(sent.message_id))
        last_ref = text_ref
        for index, attachment in enumerate(files):
            # Without text, the buttons go on the last file.
            buttons = markup if text_ref is None and index == len(files) - 1 else None
            chat, sent = await self._send_file(chat, attachment, None, buttons)
            last_ref = MessageRef(chat, str(sent.message_id))
        return text_ref or last_ref

    async def _post(self, chat: ChatRef, send: Callable[[int], Awaitable[Message]]) -> tuple[ChatRef, Message]:
        """One paced send to a chat, patient with "too many requests"; if the group became a supergroup before
        we heard, it is moved now and the message goes there. Returns where it went and the message."""
        try:
            return chat, await patiently(partial(send, int(chat.id)), self.pacer)
        except ChatMigrated as error:
            new_id = str(error.new_chat_id)
            await self.dispatcher.chat_moved("telegram", chat.id, new_id)
            moved = ChatRef("telegram", new_id, chat.kind, chat.title)
            return moved, await patiently(partial(send, int(new_id)), self.pacer)

    async def _send_file(
        self, chat: ChatRef, attachment: Attachment, caption: str | None, buttons: InlineKeyboardMarkup | None
    ) -> tuple[ChatRef, Message]:
        """A photo with sendPhoto (a file if Telegram cannot show it as one), anything else with sendDocument."""
        bot = self.application.bot
        if shows_as_photo(attachment):

            async def photo(chat_id: int) -> Message:
                sent: Message = await bot.send_photo(
                    chat_id=chat_id, photo=input_file(attachment), caption=caption, reply_markup=buttons
                )
                return sent

            try:
                return await self._post(chat, photo)
            except BadRequest as error:
                wording = str(error).lower()
                if "photo" not in wording and "image" not in wording:
                    raise
                log.info("Telegram could not show %s as a photo (%s); sending it as a file", attachment.filename, error)

        async def document(chat_id: int) -> Message:
            sent: Message = await bot.send_document(
                chat_id=chat_id, document=input_file(attachment), caption=caption, reply_markup=buttons
            )
            return sent

        return await self._post(chat, document)

    async def _send_text(self, chat_id: int, text: str, buttons: InlineKeyboardMarkup | None) -> Message:
        message: Message = await self.application.bot.send_message(chat_id=chat_id, text=text, reply_markup=buttons)
        return message

    async def _edit_now(self, ref: MessageRef, reply: Reply) -> None:
        bot = self.application.bot
        markup = self._keyboard(reply.buttons, ref.chat)
        try:
            try:
                await patiently(
                    lambda: bot.edit_message_text(
                        chat_id=int(ref.chat.id),
                        message_id=int(ref.id),
                        text=split_text(reply.text)[0],
                        reply_markup=markup,
                    ),
                    self.pacer,
                )
            except BadRequest as error:
                if "no text in the message" not in str(error):
                    raise
                # The text went as the caption of a file: the caption is edited instead.
                await patiently(
                    lambda: bot.edit_message_caption(
                        chat_id=int(ref.chat.id),
                        message_id=int(ref.id),
                        caption=split_lines(reply.text, CAPTION_LIMIT)[0],
                        reply_markup=markup,
                    ),
                    self.pacer,
                )
        except BadRequest as error:
            if "not modified" not in str(error):
                raise

    async def settle(self) -> None:
        """Wait for coalesced edits still waiting (tests and a clean shutdown)."""
        await self._edits.settle()
