"""The Telegram adapter's rendering, as pure functions: buttons, long text, who and where."""

from __future__ import annotations

from telegram import Chat, User

from adapters.telegram import chat_ref, keyboard, split_text, user_ref
from bot.types import Button, ChatKind, Reply


def test_buttons_become_an_inline_keyboard_with_text_labels_and_action_payload_data() -> None:
    markup = keyboard(
        Reply.rows(
            [Button("Yes", "ballot", "3.7"), Button("No", "ballot", "3.8")],
            [Button("Who hasn't voted?", "notvoted", "3")],
        )
    )
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Yes", "ballot:3.7"), ("No", "ballot:3.8")], [("Who hasn't voted?", "notvoted:3")]]


def test_no_buttons_means_no_keyboard() -> None:
    assert keyboard(()) is None


def test_text_over_4096_characters_is_split_at_line_breaks() -> None:
    lines = [f"Line {n}: " + "x" * 90 for n in range(100)]  # about 10,000 characters
    chunks = split_text("\n".join(lines))
    assert all(len(chunk) <= 4096 for chunk in chunks)
    assert "\n".join(chunks) == "\n".join(lines)
    assert len(chunks) == 3


def test_a_single_line_longer_than_the_limit_is_cut_hard() -> None:
    chunks = split_text("y" * 9000)
    assert [len(c) for c in chunks] == [4096, 4096, 808]


def test_short_text_is_one_message() -> None:
    assert split_text("Hello") == ["Hello"]


def test_users_and_chats_become_core_references() -> None:
    user = User(id=42, first_name="Sam", last_name="Jones", is_bot=False, username="samj")
    assert user_ref(user).display_name == "Sam Jones" and user_ref(user).handle == "samj"
    assert chat_ref(Chat(id=-1001, type=Chat.SUPERGROUP, title="Forum")).kind is ChatKind.GROUP
    assert chat_ref(Chat(id=42, type=Chat.PRIVATE)).kind is ChatKind.PRIVATE
