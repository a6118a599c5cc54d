"""The terminal chat, which is also the test adapter.

`make run` with no tokens opens it: you type as a member of a demo group, `/as NAME` switches who
you are, buttons appear as numbered choices and typing the number presses one. Tests drive the
same class directly: `await chat.say("Alice", "/setup")`, `await chat.press("Bob", "Lay partner")`.

A link button is shown with its address (`[Agenda → https://…]`), not numbered: there is nothing to
press. A button whose press belongs in the private chat is an ordinary button here. Files sent with
a message are saved in a folder (by default `files` next to the SQLite database, or a temporary
folder), never over an earlier file: a second "meeting.ics" is saved as "meeting (2).ics".

Tests can also send a command with files (`await chat.say("Bob", "/paper Housing", files=(pdf,))`) and reply to
one of the bot's messages (`await chat.reply("Bob", message, "Too little about carers.")`). A message posted
with a thread name says that replies to it go in its thread.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.dispatcher import Dispatcher
from bot.text import clean_text, split_command
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

GROUP_CHAT_ID = "group"
#: The longest file name saved (most file systems allow 255 bytes).
MAX_FILENAME = 120


@dataclass
class ShownMessage:
    """A message as it appears in the terminal chat."""

    id: str
    chat: ChatRef
    text: str
    buttons: ButtonRows = ()
    only_for: str | None = None  # a user id, when only that person can see it
    edited: bool = False
    files: tuple[Path, ...] = ()  # where the message's files were saved
    file_names: tuple[str, ...] = ()  # the names they were sent with, in the same order
    thread: str | None = None  # the name of its thread, when replies to it go in one

    def visible_to(self, user_id: str) -> bool:
        return self.only_for is None or self.only_for == user_id

    @property
    def labels(self) -> list[str]:
        return [button.label for row in self.buttons for button in row]

    @property
    def pressable(self) -> list[Button]:
        """The buttons that can be pressed, in order (a link button opens its address instead)."""
        return [button for row in self.buttons for button in row if button.url is None]


@dataclass
class Transcript:
    """What happened in response to one thing a person typed or pressed."""

    actor: UserRef
    messages: list[ShownMessage] = field(default_factory=list)
    toast: str | None = None
    error_id: str | None = None

    @property
    def seen(self) -> list[ShownMessage]:
        """The messages the person who acted can see (in the chat, or privately to them)."""
        return [
            m
            for m in self.messages
            if m.visible_to(self.actor.id)
            and (m.chat.kind is not ChatKind.PRIVATE or m.chat.id == _private_id(self.actor.id))
        ]

    @property
    def files(self) -> list[Path]:
        """The files saved from the messages the person who acted can see."""
        return [path for m in self.seen for path in m.files]

    @property
    def text(self) -> str:
        """Everything the person who acted can see, as one string (the toast first, if any)."""
        parts = [m.text for m in self.seen]
        if self.toast and self.toast not in parts:
            parts.insert(0, self.toast)
        return "\n".join(parts)


def _private_id(user_id: str) -> str:
    return f"private:{user_id}"


def safe_filename(name: str) -> str:
    """A file name that stays inside the folder it is saved in: no folders, no control characters, not hidden."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".").strip()
    if not name:
        return "file"
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return name[:MAX_FILENAME]
    return stem[: MAX_FILENAME - len(suffix) - 1] + "." + suffix[:20]


def save_file(directory: Path, attachment: Attachment) -> Path:
    """Save a file in `directory` under its own name, or with a number added if that name is taken."""
    directory.mkdir(parents=True, exist_ok=True)
    name = safe_filename(attachment.filename)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, dot, suffix = name, "", ""
    for number in itertools.count(1):
        candidate = directory / (name if number == 1 else f"{stem} ({number}){dot}{suffix}")
        try:
            with candidate.open("xb") as file:  # never over an earlier file, even one saved a moment ago
                file.write(attachment.data)
        except FileExistsError:
            continue
        return candidate
    raise AssertionError("unreachable")


class ConsoleAdapter:
    """A chat platform that lives in memory: one group chat plus a private chat per person."""

    platform: Platform = "console"
    private_in_place: bool = True  # "only you" messages are marked in the transcript

    def __init__(
        self,
        dispatcher: Dispatcher,
        *,
        group_title: str = "Demo group",
        admins: set[str] | None = None,
        files_dir: Path | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.group_chat = ChatRef("console", GROUP_CHAT_ID, ChatKind.GROUP, group_title)
        self.admins = admins  # names of chat admins; None means everyone (it is your terminal)
        self._files_dir = files_dir  # where files are saved; found when the first one comes (see files_dir)
        self.messages: dict[str, ShownMessage] = {}
        self._ids = itertools.count(1)
        self._current: Transcript | None = None
        dispatcher.attach(self)

    # ---- identities ------------------------------------------------------------------------

    def user(self, name: str) -> UserRef:
        # The account id is made from the typed name, so it must fit the schema like a real
        # platform id: no control characters (PostgreSQL refuses NUL) and at most 64 characters.
        key = clean_text(name).casefold()[:64]
        return UserRef("console", key, name, handle=key)

    def private_chat(self, name: str) -> ChatRef:
        user = self.user(name)
        return ChatRef("console", _private_id(user.id), ChatKind.PRIVATE, name)

    @property
    def files_dir(self) -> Path:
        """Where files sent with messages are saved: the folder given, else `files` next to the SQLite database
        file, else a new temporary folder."""
        if self._files_dir is None:
            database = getattr(self.dispatcher, "database", None)
            url = getattr(database, "url", None)
            path = getattr(url, "database", None)
            if getattr(database, "is_sqlite", False) and path and path != ":memory:" and not path.startswith("file:"):
                self._files_dir = Path(path).resolve().parent / "files"
            else:
                self._files_dir = Path(tempfile.mkdtemp(prefix="touchstone-files-"))
        return self._files_dir

    # ---- what people do --------------------------------------------------------------------

    async def say(
        self, name: str, text: str, *, private: bool = False, files: tuple[Attachment, ...] = ()
    ) -> Transcript:
        """`name` types `text` in the group chat (or in their private chat with the bot); `files` are sent with
        the command it types (a document attached to it)."""
        actor = self.user(name)
        chat = self.private_chat(name) if private else self.group_chat
        parsed = split_command(text)
        if parsed is None:
            if files:
                raise ValueError("files are sent with a command")
            return await self._dispatch(actor, ChatMessage(actor=actor, chat=chat, text=text))
        command, args = parsed
        return await self._dispatch(actor, CommandCall(name=command, args=args, actor=actor, chat=chat, files=files))

    async def reply(self, name: str, message: ShownMessage, text: str) -> Transcript:
        """`name` replies to one of the bot's messages (in that message's chat). A command typed as a reply is
        just the command, as on Telegram."""
        actor = self.user(name)
        if not message.visible_to(actor.id) or (
            message.chat.kind is ChatKind.PRIVATE and message.chat != self.private_chat(name)
        ):
            raise LookupError(f"{name} cannot see message {message.id}, so cannot reply to it")
        parsed = split_command(text)
        if parsed is not None:
            command, args = parsed
            return await self._dispatch(actor, CommandCall(name=command, args=args, actor=actor, chat=message.chat))
        answered = MessageRef(message.chat, message.id)
        return await self._dispatch(actor, ChatMessage(actor=actor, chat=message.chat, text=text, reply_to=answered))

    async def press(
        self, name: str, label: str, *, private: bool = False, message: ShownMessage | None = None
    ) -> Transcript:
        """`name` presses the button labelled `label` on the newest message they can see with it."""
        self.user(name)
        chat = self.private_chat(name) if private else self.group_chat
        target = message or self.latest_with_button(name, label, chat)
        matching = [button for row in target.buttons for button in row if button.label.casefold() == label.casefold()]
        for button in matching:
            if button.url is None:
                return await self.press_data(name, button.action, button.payload, message=target, chat=chat)
        if matching:
            raise LookupError(f"{label!r} is a link to {matching[0].url}: it opens, it is not pressed")
        raise LookupError(f"no button {label!r} on message {target.id}")

    async def press_data(
        self,
        name: str,
        action: str,
        payload: str,
        *,
        message: ShownMessage | None = None,
        chat: ChatRef | None = None,
    ) -> Transcript:
        """Press a button by its raw data (tests use this to forge presses)."""
        actor = self.user(name)
        where = chat or (message.chat if message else self.group_chat)
        ref = MessageRef(where, message.id) if message else None
        return await self._dispatch(
            actor, ButtonPress(action=action, payload=payload, actor=actor, chat=where, message=ref)
        )

    def latest_with_button(self, name: str, label: str, chat: ChatRef) -> ShownMessage:
        user_id = self.user(name).id
        for shown in reversed(list(self.messages.values())):
            wanted = any(lab.casefold() == label.casefold() for lab in shown.labels)
            if wanted and shown.chat == chat and shown.visible_to(user_id):
                return shown
        raise LookupError(f"{name} can see no button labelled {label!r}")

    def inbox(self, name: str) -> list[ShownMessage]:
        """Messages in a person's private chat with the bot."""
        chat = self.private_chat(name)
        return [m for m in self.messages.values() if m.chat == chat]

    def group_messages(self) -> list[ShownMessage]:
        return [m for m in self.messages.values() if m.chat == self.group_chat]

    # ---- the platform port -----------------------------------------------------------------

    async def is_chat_admin(self, chat: ChatRef, user: UserRef) -> bool:
        return self.admins is None or user.display_name in self.admins

    async def sees_all_messages(self, chat: ChatRef) -> bool:
        return True  # every message arrives as an event (on Discord without its words, enough for counting)

    def contact(self, user: UserRef) -> str | None:
        return f"@{user.handle}" if user.handle else None

    async def setup_notes(self, chat: ChatRef) -> list[str]:
        return []

    async def deliver(self, reply: Reply, target: ChatRef | UserRef) -> MessageRef:
        if isinstance(target, UserRef):
            chat = self.private_chat(target.display_name)
        elif target.id == self.group_chat.id:
            chat = self.group_chat  # the same chat, whatever title the sender knew it by
        else:
            chat = target
        return self._show(reply, chat, None)

    # ---- internals -------------------------------------------------------------------------

    async def _dispatch(self, actor: UserRef, event: object) -> Transcript:
        transcript = Transcript(actor=actor)
        self._current = transcript
        try:
            outcome: Outcome = await self.dispatcher.handle(event)  # type: ignore[arg-type]
            await self.dispatcher.settle()  # the terminal shows live updates at once
            transcript.toast = outcome.toast
            transcript.error_id = outcome.error_id
            chat = event.chat  # type: ignore[attr-defined]
            for reply in outcome.replies:
                only_for = actor.id if reply.private and not chat.is_private else None
                ref = self._show(reply, chat, only_for)
                if reply.key and reply.edit is None:
                    await self.dispatcher.remember(reply.key, ref)
        finally:
            self._current = None
        return transcript

    def _show(self, reply: Reply, chat: ChatRef, only_for: str | None) -> MessageRef:
        if reply.edit is not None and reply.edit.id in self.messages:
            shown = self.messages[reply.edit.id]
            shown.text, shown.buttons, shown.edited = reply.text, reply.buttons, True  # files stay as they were
        else:
            saved = tuple(save_file(self.files_dir, attachment) for attachment in reply.files)
            names = tuple(attachment.filename for attachment in reply.files)
            thread = reply.thread if reply.thread and chat.kind is ChatKind.GROUP and only_for is None else None
            shown = ShownMessage(
                str(next(self._ids)),
                chat,
                reply.text,
                reply.buttons,
                only_for,
                files=saved,
                file_names=names,
                thread=thread,
            )
            self.messages[shown.id] = shown
        if self._current is not None:
            if shown in self._current.messages:
                self._current.messages.remove(shown)
            self._current.messages.append(shown)
        return MessageRef(chat, shown.id)


# ---- the interactive terminal -----------------------------------------------------------------

#: What someone may type meaning a button's number: "2", but also "-1" or "1.5", which get the same help.
_LOOKS_LIKE_A_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")

HELP = """You are in a pretend group chat. Type a command like /help, or just chat.
  /as NAME     be someone else (for example /as Bob)
  /private     talk to the bot privately;  /group  go back to the group chat
  1, 2, 3…     press a numbered button on the last message
  /quit        leave (Ctrl-D works too)"""


def render(message: ShownMessage, viewer: str) -> str:
    """A message as text lines, buttons numbered (a link button shows its address), then the files saved."""
    lines = []
    note = "  (only you can see this)" if message.only_for else ""
    edited = "  (updated)" if message.edited else ""
    for index, line in enumerate(message.text.splitlines() or [""]):
        prefix = "Touchstone: " if index == 0 else "            "
        lines.append(prefix + line + (note + edited if index == 0 else ""))
    number = itertools.count(1)
    for row in message.buttons:
        lines.append("    " + "   ".join(_button_text(button, number) for button in row))
    for path, name in zip(message.files, message.file_names, strict=True):
        lines.append(f"    (Saved the file “{name}” to {path})")
    if message.thread:
        lines.append(f"    (Replies to this message go in its thread “{message.thread}”.)")
    return "\n".join(lines)


def _button_text(button: Button, number: itertools.count[int]) -> str:
    if button.url is not None:
        return f"[{button.label} → {button.url}]"
    return f"[{next(number)}] {button.label}"


async def run_terminal(
    console: ConsoleAdapter,
    *,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    start_as: str = "Alice",
) -> None:
    """The interactive loop behind `make run` when no tokens are set."""
    name = start_as
    private = False
    last_buttons: ShownMessage | None = None
    write(f"Welcome to Touchstone's terminal chat. You are {name}, in the group chat “{console.group_chat.title}”.")
    write(HELP)
    while True:
        where = "private chat" if private else "group chat"
        try:
            line = (await asyncio.to_thread(read, f"\n{name} ({where})> ")).strip()
        except (EOFError, KeyboardInterrupt):
            write("\nGoodbye.")
            return
        if not line:
            continue
        lowered = line.casefold()
        if lowered in ("/quit", "/exit"):
            write("Goodbye.")
            return
        if lowered.startswith("/as"):
            new_name = line[3:].strip()
            if new_name:
                name = new_name[:40]
                write(f"You are now {name}.")
            else:
                write("Please type a name after /as, for example /as Bob.")
            continue
        if lowered == "/private":
            private = True
            write("You are now in your private chat with the bot.")
            continue
        if lowered == "/group":
            private = False
            write("You are back in the group chat.")
            continue
        if _LOOKS_LIKE_A_NUMBER.match(line) and last_buttons is not None:
            buttons = last_buttons.pressable
            index = int(line) - 1 if line.isdigit() else -1
            if 0 <= index < len(buttons):
                transcript = await console.press(name, buttons[index].label, message=last_buttons, private=private)
            else:
                write(f"Please type a number from 1 to {len(buttons)}.")
                continue
        else:
            transcript = await console.say(name, line, private=private)
        user_id = console.user(name).id
        for message in transcript.messages:
            if message.visible_to(user_id) and message.chat == (
                console.private_chat(name) if private else console.group_chat
            ):
                write(render(message, user_id))
                if message.pressable:
                    last_buttons = message
            elif message.chat == console.group_chat:
                write("(Touchstone posted in the group chat.)")
        # A press is confirmed to the presser, like Telegram's toast or Discord's ephemeral note. Private messages
        # to other people are never mentioned: in an anonymous vote, that alone would say who hasn't voted.
        toast = transcript.toast
        worth_saying = toast and (line.isdigit() or not transcript.messages)
        if worth_saying and not any(toast == m.text for m in transcript.messages):
            write(f"Touchstone (just to you): {toast}")
