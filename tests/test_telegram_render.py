"""The Telegram adapter's rendering, as pure functions: buttons, long text, who and where."""

from __future__ import annotations

from telegram import Chat, User

from adapters.telegram import (
    chat_ref,
    file_url_for,
    fits_caption,
    keyboard,
    pressed_in_private,
    private_link,
    shows_as_photo,
    split_text,
    user_ref,
)
from bot.types import Attachment, Button, ChatKind, Reply


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


def test_a_link_button_opens_its_address_and_carries_no_data() -> None:
    markup = keyboard(Reply.rows([Button("Open the agenda", url="https://example.org/agenda")]))
    assert markup is not None
    [[button]] = markup.inline_keyboard
    assert (button.text, button.url, button.callback_data) == ("Open the agenda", "https://example.org/agenda", None)


def test_a_button_pressed_in_private_opens_the_private_chat_from_a_group_and_is_ordinary_in_private() -> None:
    rows = Reply.rows([Button("Give a reason", "reason", "12.3", in_private=True)])
    in_group = keyboard(rows, bot_username="TouchstoneBot", in_group=True)
    in_private = keyboard(rows, bot_username="TouchstoneBot", in_group=False)
    assert in_group is not None and in_private is not None
    [[link]] = in_group.inline_keyboard
    assert (link.url, link.callback_data) == ("https://t.me/TouchstoneBot?start=reason-12-3", None)
    [[ordinary]] = in_private.inline_keyboard
    assert (ordinary.url, ordinary.callback_data) == (None, "reason:12.3")


def test_a_button_telegram_could_not_carry_to_the_private_chat_is_pressed_in_the_group() -> None:
    accented = Button("Give a reason", "reason", "café", in_private=True)  # only A-Z, a-z, 0-9, _ and - go
    odd = Button("Give a reason", "reason", "12:3", in_private=True)
    assert private_link(accented, "TouchstoneBot") is None and private_link(odd, "TouchstoneBot") is None
    markup = keyboard(Reply.rows([odd]), bot_username="TouchstoneBot", in_group=True)
    assert markup is not None and markup.inline_keyboard[0][0].callback_data == "reason:12:3"
    assert private_link(Button("Why?", "reason", "1", in_private=True), "") is None  # bot name not known yet


def test_only_a_start_parameter_shaped_like_a_button_becomes_a_press() -> None:
    assert pressed_in_private("reason-12-3") == ("reason", "12.3")
    assert pressed_in_private("  remind-4 ") == ("remind", "4")
    assert pressed_in_private("missed") is None  # the link of the hint about held messages
    assert pressed_in_private("") is None
    assert pressed_in_private("reason-1 and more") is None
    assert pressed_in_private("-12") is None


def test_a_caption_is_measured_as_telegram_counts_it() -> None:
    assert fits_caption("x" * 1024) and not fits_caption("x" * 1025)
    assert not fits_caption("🙂" * 513)  # each counts twice in UTF-16: 1,026


def test_only_images_telegram_shows_as_photos_go_as_photos() -> None:
    assert shows_as_photo(Attachment("chart.png", b"...", "image/png"))
    assert shows_as_photo(Attachment("photo.jpg", b"...", "image/jpeg"))
    assert not shows_as_photo(Attachment("logo.svg", b"<svg/>", "image/svg+xml"))
    assert not shows_as_photo(Attachment("big.png", b"x" * (10 * 1024 * 1024 + 1), "image/png"))
    assert not shows_as_photo(Attachment("meeting.ics", b"BEGIN:VCALENDAR", "text/calendar"))


def test_files_are_downloaded_from_the_file_url_next_to_the_api_url() -> None:
    assert file_url_for("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url_for("http://127.0.0.1:8081/telegram/bot") == "http://127.0.0.1:8081/telegram/file/bot"
    assert file_url_for("https://proxy.example.org/bot{token}/") == "https://proxy.example.org/file/bot{token}/"
    assert file_url_for("https://odd.example.org/api") == "https://api.telegram.org/file/bot"
