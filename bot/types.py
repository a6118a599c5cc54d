"""The small frozen types every room of Touchstone speaks.

Adapters build inbound events from platform updates and render `Reply` objects;
features receive a `Context` and return replies. Nothing here knows any platform SDK.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

Platform = Literal["telegram", "discord", "console"]

#: Telegram's callback_data limit; Discord's custom_id allows 100, so 64 fits both.
MAX_BUTTON_DATA_BYTES = 64


class ChatKind(StrEnum):
    """Where a message goes: a group chat, a private chat with one person, or a thread (a discussion
    paper's own thread on Discord)."""

    GROUP = "group"
    PRIVATE = "private"
    THREAD = "thread"


@dataclass(frozen=True, slots=True)
class UserRef:
    """A platform account: who did something."""

    platform: Platform
    id: str
    display_name: str
    handle: str | None = None  # Telegram @username or Discord username, when known


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A place messages go."""

    platform: Platform
    id: str
    kind: ChatKind
    title: str = ""

    @property
    def is_private(self) -> bool:
        return self.kind is ChatKind.PRIVATE


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message the bot sent, so it can be edited later (live tallies)."""

    chat: ChatRef
    id: str


@dataclass(frozen=True, slots=True)
class Button:
    """A button with a text label. `action:payload` must fit in 64 bytes of UTF-8.

    The payload carries ids only, never authority: every press is re-checked on the server.

    - `url`: a link button (an https address opened by the person's app); it has no action.
    - `in_private`: the press belongs in the person's private chat with the bot (asking for a reason
      only co-chairs may read, turning on private reminders). Where a platform can reach someone
      privately only after they opened that chat (Telegram), the button opens it and the press arrives
      there; elsewhere it is an ordinary button. Its payload may not contain "-".
    """

    label: str
    action: str = ""
    payload: str = ""
    url: str | None = None
    in_private: bool = False

    @property
    def data(self) -> str:
        """The wire form sent to the platform: `action:payload`."""
        return f"{self.action}:{self.payload}"

    def __post_init__(self) -> None:
        if not self.label.strip():
            raise ValueError("a button needs a text label")
        if self.url is not None:
            if not self.url.startswith("https://") or self.action:
                raise ValueError("a link button needs an https address and no action")
            return
        if not self.action:
            raise ValueError("a button needs an action (or a url)")
        if ":" in self.action:
            raise ValueError("a button action may not contain ':'")
        if len(self.data.encode("utf-8")) > MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data {self.data!r} is longer than {MAX_BUTTON_DATA_BYTES} bytes")
        if self.in_private and ("-" in self.payload or "-" in self.action):
            raise ValueError("a button pressed in a private chat may not have '-' in its data")


def private_start(button: Button) -> str:
    """A button pressed in the private chat, as a start parameter (Telegram allows A-Z, a-z, 0-9, _ and -)."""
    return f"{button.action}-{button.payload.replace('.', '-')}"


def from_private_start(parameter: str) -> tuple[str, str] | None:
    """(action, payload) of a start parameter `private_start` made, or None."""
    action, sep, payload = parameter.partition("-")
    if not sep or not action:
        return None
    return action, payload.replace("-", ".")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message: a calendar file, a chart image, a table of figures."""

    filename: str
    data: bytes
    mime: str  # "text/calendar", "image/png", "text/csv"

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def parse_button_data(data: str) -> tuple[str, str]:
    """Split wire data back into (action, payload). Malformed data gives an empty action."""
    action, sep, payload = data.partition(":")
    if not sep:
        return "", ""
    return action, payload


ButtonRows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler returns.

    - `private`: only the person who asked sees it (Discord ephemeral, Telegram private chat).
    - `edit`: replace the text and buttons of a message the bot sent earlier.
    - `to`: send to another chat or person (a reminder by private message, an announcement).
    - `key`: remember the sent message under this name (like "vote:12") so it can be edited later.
    - `hint_in`: for a private message, where to post a short hint if the person never opened a
      private chat with the bot (Telegram refuses such messages).
    - `nonce`: a stable id for this message (its outbox row), so a platform that can (Discord) posts it
      only once even if it is sent again after a crash.
    - `discreet`: the group must not learn who this private message is for (a reminder in an anonymous
      vote): if it cannot be delivered, the hint in `hint_in` names nobody.
    - `files`: files sent with the message (an image is shown as one where the platform can).
    - `thread`: posted in a group, the message gets a thread of its own with this name where the platform
      has threads (Discord: a thread started from the message, whose id is the message's id); replies there
      arrive as ChatMessages with `reply_to` this message. Elsewhere people reply to the message itself.
    """

    text: str
    buttons: ButtonRows = ()
    private: bool = False
    edit: MessageRef | None = None
    to: ChatRef | UserRef | None = None
    key: str | None = None
    hint_in: ChatRef | None = None
    nonce: str | None = None
    discreet: bool = False
    files: tuple[Attachment, ...] = ()
    thread: str | None = None

    @staticmethod
    def rows(*rows: list[Button] | tuple[Button, ...]) -> ButtonRows:
        """Build a button layout from rows, dropping empty ones."""
        return tuple(tuple(row) for row in rows if row)


# ---- inbound events -------------------------------------------------------------------------
#
# Every inbound event carries `origin`: the platform's own id for it ("telegram:<bot>:<update id>",
# "discord:i:<interaction id>", "discord:m:<message id>"), so a redelivered one has no second effect
# (see storage.inbound). The terminal chat leaves it empty.


@dataclass(frozen=True, slots=True)
class CommandCall:
    """Someone typed `/name args` (or used a slash command).

    `members`: accounts the platform itself picked for member parameters (a Discord user option),
    by parameter name. The adapter turns platform syntax (`<@123>`) into these; the core never parses it.
    """

    name: str
    args: str
    actor: UserRef
    chat: ChatRef
    members: tuple[tuple[str, UserRef], ...] = ()
    origin: str | None = None
    #: Files sent with the command (a document attached to it), already downloaded by the adapter.
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """Someone pressed a button the bot sent."""

    action: str
    payload: str
    actor: UserRef
    chat: ChatRef
    message: MessageRef | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """Someone spoke in a chat. Contribution tracking stores who, where and when, never the words.

    `text` is only read when the bot is waiting for this person's answer to a question it asked
    (a step of `/vote`, a reason for blocking); it is never stored as a contribution.
    """

    actor: UserRef
    chat: ChatRef
    text: str = ""
    origin: str | None = None
    #: The bot's message this one answers: a reply to it, or a message in the thread started from it (the
    #: text may then be empty where the platform does not let the bot read it: Discord without the message
    #: content intent).
    reply_to: MessageRef | None = None


@dataclass(frozen=True, slots=True)
class MemberJoined:
    """The platform told us someone joined a chat."""

    actor: UserRef
    chat: ChatRef
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class MemberLeft:
    """The platform told us someone left a chat."""

    actor: UserRef
    chat: ChatRef
    origin: str | None = None


InboundEvent = CommandCall | ButtonPress | ChatMessage | MemberJoined | MemberLeft


@dataclass(slots=True)
class Outcome:
    """What the dispatcher hands back to an adapter after one event has been committed."""

    replies: list[Reply] = field(default_factory=list)
    error_id: str | None = None
    #: The last reply asks a question: "chat" (answer in this chat) or "private" (in a private chat).
    #: Platforms where typed words can't be read everywhere (Discord) offer a form to answer in.
    asked: str | None = None
    toast: str | None = None  # a short acknowledgement for a button press
