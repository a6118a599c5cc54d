"""One codec for replies kept in the database (the outbox, held messages): a Reply to JSON and back."""

from __future__ import annotations

import base64
import json
from typing import Any

from bot.types import Attachment, Button, ButtonRows, ChatKind, ChatRef, MessageRef, Reply, UserRef


def buttons_to_json(rows: ButtonRows) -> list[list[list[Any]]]:
    return [
        [[b.label, b.action, b.payload] + ([b.url or "", b.in_private] if b.url or b.in_private else []) for b in row]
        for row in rows
    ]


def buttons_from_json(rows: list[list[list[Any]]]) -> ButtonRows:
    def button(fields: list[Any]) -> Button:
        label, action, payload, *more = fields
        url, in_private = [*more, "", False][:2]
        return Button(label, action, payload, url=url or None, in_private=bool(in_private))

    return tuple(tuple(button(fields) for fields in row) for row in rows)


def _files_to_json(files: tuple[Attachment, ...]) -> list[list[str]]:
    return [[f.filename, f.mime, base64.b64encode(f.data).decode("ascii")] for f in files]


def _files_from_json(files: list[list[str]]) -> tuple[Attachment, ...]:
    return tuple(Attachment(name, base64.b64decode(data), mime) for name, mime, data in files)


def _chat_to_json(chat: ChatRef) -> list[str]:
    return [chat.platform, chat.id, chat.kind.value, chat.title]


def _chat_from_json(data: list[str]) -> ChatRef:
    platform, ident, kind, title = data
    return ChatRef(platform, ident, ChatKind(kind), title)  # type: ignore[arg-type]


def encode(reply: Reply) -> str:
    """A reply as JSON: its words, buttons, where it goes and what it edits."""
    body: dict[str, Any] = {"text": reply.text, "buttons": buttons_to_json(reply.buttons)}
    if reply.private:
        body["private"] = True
    if reply.discreet:
        body["discreet"] = True
    if reply.files:
        body["files"] = _files_to_json(reply.files)
    if reply.thread:
        body["thread"] = reply.thread
    if reply.key:
        body["key"] = reply.key
    if reply.edit is not None:
        body["edit"] = [_chat_to_json(reply.edit.chat), reply.edit.id]
    if reply.hint_in is not None:
        body["hint_in"] = _chat_to_json(reply.hint_in)
    if isinstance(reply.to, UserRef):
        body["to_user"] = [reply.to.platform, reply.to.id, reply.to.display_name, reply.to.handle]
    elif isinstance(reply.to, ChatRef):
        body["to_chat"] = _chat_to_json(reply.to)
    return json.dumps(body, ensure_ascii=False)


def decode(text: str, target: ChatRef | UserRef | None = None) -> Reply:
    """The reply `encode` wrote. `target` (from the outbox row's columns) is used where the JSON does not
    say where it goes (rows written before this codec)."""
    body = json.loads(text)
    to: ChatRef | UserRef | None = target
    if "to_user" in body:
        platform, ident, name, handle = body["to_user"]
        to = UserRef(platform, ident, name, handle)
    elif "to_chat" in body:
        to = _chat_from_json(body["to_chat"])
    edit = None
    if isinstance(body.get("edit"), list):
        chat, ident = body["edit"]
        edit = MessageRef(_chat_from_json(chat), ident)
    elif isinstance(body.get("edit"), str) and isinstance(to, ChatRef):
        edit = MessageRef(to, body["edit"])
    hint = body.get("hint_in")
    hint_in = None
    if hint and len(hint) == 4:
        hint_in = _chat_from_json(hint)
    elif hint and to is not None:
        hint_in = ChatRef(to.platform, hint[0], ChatKind.GROUP, hint[1])
    return Reply(
        body["text"],
        buttons=buttons_from_json(body.get("buttons", [])),
        private=bool(body.get("private", False)),
        edit=edit,
        to=to,
        key=body.get("key"),
        hint_in=hint_in,
        discreet=bool(body.get("discreet", False)),
        files=_files_from_json(body.get("files", [])),
        thread=body.get("thread"),
    )


def target_columns(target: ChatRef | UserRef) -> dict[str, str]:
    """Where an outbox row goes, as the outbox table's columns (platform, target kind, id, name)."""
    if isinstance(target, UserRef):
        return {
            "platform": target.platform,
            "target_kind": "user",
            "target_id": target.id,
            "target_name": target.display_name,
            "chat_kind": ChatKind.PRIVATE.value,
        }
    return {
        "platform": target.platform,
        "target_kind": "chat",
        "target_id": target.id,
        "target_name": target.title,
        "chat_kind": target.kind.value,
    }
