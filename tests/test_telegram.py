"""Touchstone on Telegram: the real python-telegram-bot against a loopback fake of the Bot API
(tests/fakes/telegram.py). People type commands and tap buttons; we check what the fake Telegram
received and what was stored."""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal
import socket
import struct
import time
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest
from telegram import Update

from adapters.pacing import SendPacer
from adapters.telegram import OnePersonAtATime, TelegramAdapter, Webhook
from bot.app import App, build_registry
from bot.registry import Where
from bot.types import (
    Attachment,
    Button,
    ButtonPress,
    ChatKind,
    ChatMessage,
    ChatRef,
    CommandCall,
    MessageRef,
    Outcome,
    Reply,
    UserRef,
)
from tests.fakes.telegram import FakeTelegram
from tests.process import run_until_signal

JSON = dict[str, Any]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as telegram:
        yield telegram


@pytest.fixture
async def telegram(app: App, fake: FakeTelegram) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
    await adapter.start()
    yield adapter
    await app.dispatcher.settle()
    await adapter.settle()
    await adapter.stop()


class People:
    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.chat = fake.group("Riverside Lay Partners")
        self.alice = fake.user("Alice Smith", username="alice")
        self.bob = fake.user("Bob Jones")
        self.carol = fake.user("Carol King")
        fake.set_member(self.chat["id"], fake.bot_user, "administrator")
        fake.set_member(self.chat["id"], self.alice, "creator")
        for person in (self.bob, self.carol):
            fake.set_member(self.chat["id"], person, "member")

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.fake.messages_in(self.chat["id"])]

    async def bot_says(self, fragment: str, chat: JSON | None = None) -> JSON:
        where = (chat or self.chat)["id"]

        def found() -> JSON | None:
            return next((m for m in self.fake.messages_in(where) if fragment in m.get("text", "")), None)

        message: JSON = await self.fake.wait_until(found)
        return message

    async def tap(self, user: JSON, message: JSON, label: str) -> JSON:
        query = await self.fake.press(self.chat, user, message["message_id"], label=label)
        answer: JSON = await self.fake.wait_until(lambda: self.fake.answers.get(query))
        return answer


@pytest.fixture
def people(fake: FakeTelegram) -> People:
    return People(fake)


async def set_up(people: People) -> JSON:
    people.fake.start_private(people.alice)
    await people.fake.send_text(people.chat, people.alice, "/setup@TouchstoneTestBot Riverside Lay Partners")
    welcome = await people.bot_says("Done! This chat is now the group")
    for person in (people.bob, people.carol):
        answer = await people.tap(person, welcome, "Lay partner")
        assert answer.get("text") is None  # answered without a toast: the welcome in the group says it
        await people.bot_says(f"Welcome, {person['first_name']}")
    return welcome


async def test_the_command_menu_comes_from_the_registry(
    app: App, telegram: TelegramAdapter, fake: FakeTelegram
) -> None:
    group = [c["command"] for c in fake.commands["all_group_chats"]]
    private = [c["command"] for c in fake.commands["all_private_chats"]]
    assert {"vote", "join", "setup", "members", "help"} <= set(group)
    assert "join" not in private and "setup" not in private and "help" in private


async def test_a_chat_admin_sets_up_the_group_and_people_join_with_buttons(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    welcome = await set_up(people)
    labels = [b["text"] for row in welcome["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Lay partner", "Professional", "Other"]
    await people.fake.send_text(people.chat, people.bob, "/members")
    roster = await people.bot_says("has 3 members")
    assert "Alice Smith, co-chair, a lay partner." not in roster["text"]  # Alice has not chosen a kind
    assert "Bob Jones, a lay partner." in roster["text"]
    # Privacy mode is on in this fake, but the bot is an admin of the group, so it sees every message: no advice.
    assert not any(
        "/setprivacy" in m.get("text", "") for m in people.fake.messages_in(people.fake.private_chat(people.alice))
    )


async def test_someone_who_is_not_a_chat_admin_cannot_set_up(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    people.fake.start_private(people.bob)
    await people.fake.send_text(people.chat, people.bob, "/setup")
    refusal = await people.bot_says(
        "Only an admin of this chat can set it up", chat=people.fake.private_chat(people.bob)
    )
    assert refusal
    assert not any("Done!" in text for text in people.texts())


async def test_an_anonymous_group_admin_is_asked_to_use_their_own_account(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    people.fake.set_member(people.chat["id"], people.alice, "creator", is_anonymous=True)
    await people.fake.send_text(people.chat, people.alice, "/setup Riverside Lay Partners")
    await people.bot_says("You're posting as the group, so I can't tell who you are.")
    assert not any("This chat is now the group" in text for text in people.texts())
    assert "getChatMember" not in people.fake.calls  # refused before anything was looked up or stored


async def test_a_private_reply_to_someone_who_never_started_the_bot_becomes_one_hint_in_the_group(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await set_up(people)
    for _ in range(2):
        await people.fake.send_text(people.chat, people.carol, "/help")
    hint = await people.bot_says("I have a private message for you")
    assert hint["text"].startswith("Carol King, I have a private message for you.")
    assert "https://t.me/TouchstoneTestBot?start=" in hint["text"]
    await people.fake.send_text(people.chat, people.alice, "/touchstone")
    await people.bot_says("Our touchstone")  # later messages went through: the hint came once
    assert sum("I have a private message for you" in text for text in people.texts()) == 1


async def test_a_vote_is_answered_with_one_tap_and_the_tally_updates(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await set_up(people)
    await people.fake.send_text(people.chat, people.alice, "/vote Should we meet monthly? | yes/no | Friday 5pm")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    assert (await people.tap(people.bob, vote, "Yes"))["text"] == "Your vote is in: Yes."
    assert (await people.tap(people.carol, vote, "No"))["text"] == "Your vote is in: No."
    assert (await people.tap(people.carol, vote, "Yes"))["text"] == "Your vote is in: Yes."

    async def tally_shows_two_yes() -> bool:
        await app.dispatcher.settle()
        await telegram.settle()
        message = people.fake.message(people.chat["id"], vote["message_id"])
        return message is not None and "Yes: 2. No: 0." in message["text"]

    await people.fake.wait_until(tally_shows_two_yes)
    await people.fake.send_text(people.chat, people.alice, "/closevote")
    result = await people.bot_says("Result of vote 1")
    assert "2 of 3 people voted (67%)." in result["text"]
    assert "The proposal was agreed." in result["text"]


async def test_a_press_on_a_closed_vote_is_answered_kindly(app: App, telegram: TelegramAdapter, people: People) -> None:
    await set_up(people)
    await people.fake.send_text(people.chat, people.alice, "/vote Should we meet monthly? | yes/no")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    await people.fake.send_text(people.chat, people.alice, "/closevote")
    await people.bot_says("Result of vote 1")
    query = await people.fake.press(people.chat, people.bob, vote["message_id"], vote_data(vote, "Yes"), check=False)
    answer = await people.fake.wait_until(lambda: people.fake.answers.get(query))
    assert answer["text"] == "Vote 1 has closed, so it can't be changed. Type /results 1 to see the result."


def vote_data(message: JSON, label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["text"] == label:
                return str(button["callback_data"])
    raise LookupError(label)


async def test_after_a_restart_old_buttons_still_work_and_no_update_is_applied_twice(
    app: App, fake: FakeTelegram, people: People
) -> None:
    first = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
    await first.start()
    await set_up(people)
    await people.fake.send_text(people.chat, people.alice, "/vote Should we meet monthly? | yes/no | Friday 5pm")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    await app.dispatcher.settle()
    await first.stop()
    second = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
    await second.start()
    try:
        answer = await people.tap(people.bob, vote, "Yes")
        assert answer["text"] == "Your vote is in: Yes."
        assert len(fake.deliveries) == len(set(fake.deliveries))
    finally:
        await app.dispatcher.settle()
        await second.stop()


async def test_a_group_upgraded_to_a_supergroup_keeps_its_data(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await set_up(people)
    new_chat = await people.fake.migrate(people.chat)
    fake = people.fake
    fake.set_member(new_chat["id"], fake.bot_user, "administrator")
    for person in (people.alice, people.bob):
        fake.set_member(new_chat["id"], person, "member")
    await fake.send_text(new_chat, people.bob, "/members")
    roster = await people.bot_says("has 3 members", chat=new_chat)
    assert "Bob Jones, a lay partner." in roster["text"]


async def test_a_message_sent_to_a_group_that_has_just_become_a_supergroup_arrives_there(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await set_up(people)
    fake = people.fake
    new_chat = await fake.migrate(people.chat, quietly=True)  # the bot has not heard about the upgrade yet
    fake.set_member(new_chat["id"], fake.bot_user, "administrator")
    fake.set_member(new_chat["id"], people.bob, "member")
    await app.dispatcher.deliver(
        Reply("The meeting starts in one hour.", to=ChatRef("telegram", str(people.chat["id"]), ChatKind.GROUP))
    )
    await people.bot_says("The meeting starts in one hour.", chat=new_chat)
    await fake.send_text(new_chat, people.bob, "/members")
    roster = await people.bot_says("has 3 members", chat=new_chat)
    assert "Bob Jones, a lay partner." in roster["text"]


async def test_an_upgrade_is_handled_after_what_came_before_it_and_before_what_comes_after() -> None:
    processor = OnePersonAtATime()
    order: list[str] = []
    release = asyncio.Event()

    def update(update_id: int, user_id: int, **message: Any) -> Update:
        data = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": -1, "type": "group", "title": "G"},
                "from": {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"},
                **message,
            },
        }
        return Update.de_json(data, None)

    async def work(name: str, wait: bool = False) -> None:
        if wait:
            await release.wait()
        order.append(name)

    tasks = [
        asyncio.create_task(processor.process_update(update(1, 10, text="slow"), work("bob's slow command", True))),
        asyncio.create_task(processor.process_update(update(2, 11, migrate_to_chat_id=-100), work("the upgrade"))),
        asyncio.create_task(processor.process_update(update(3, 12, text="/members"), work("carol's command"))),
    ]
    await asyncio.sleep(0.05)
    assert order == []  # everyone waits for Bob's command to finish
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["bob's slow command", "the upgrade", "carol's command"]


async def test_reminders_go_privately_and_someone_who_never_started_the_bot_gets_a_hint_in_the_group(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    fake.start_private(people.bob)  # Carol never opens a private chat with the bot
    await fake.send_text(people.chat, people.alice, "/vote Should we meet monthly? | yes/no | Friday 5pm")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    await people.tap(people.alice, vote, "Who hasn't voted?")
    alice_chat = fake.private_chat(people.alice)
    listing = await people.bot_says("haven't voted in vote 1 yet", chat=alice_chat)
    assert "Alice Smith, Bob Jones and Carol King" in listing["text"]
    query = await fake.press(alice_chat, people.alice, listing["message_id"], label="Send them a kind reminder")
    await fake.wait_until(lambda: fake.answers.get(query))
    bob_chat = fake.private_chat(people.bob)
    reminder = await people.bot_says("A kind reminder", chat=bob_chat)
    hint = await people.bot_says("Carol King, I have a private message for you.")
    assert "https://t.me/TouchstoneTestBot?start=missed" in hint["text"]
    # Carol follows the link and presses Start: the reminder she missed arrives, buttons and all.
    fake.start_private(people.carol)
    carol_chat = fake.private_chat(people.carol)
    await fake.send_text(carol_chat, people.carol, "/start missed")
    missed = await people.bot_says("A kind reminder", chat=carol_chat)
    query = await fake.press(carol_chat, people.carol, missed["message_id"], label="No")
    assert (await fake.wait_until(lambda: fake.answers.get(query)))["text"] == "Your vote is in: No."
    query = await fake.press(bob_chat, people.bob, reminder["message_id"], label="Yes")
    assert (await fake.wait_until(lambda: fake.answers.get(query)))["text"] == "Your vote is in: Yes."

    async def tally_counts_bob() -> bool:
        await app.dispatcher.settle()
        await telegram.settle()
        message = fake.message(people.chat["id"], vote["message_id"])
        return message is not None and "Voted: Bob Jones and Carol King." in message["text"]

    await fake.wait_until(tally_counts_bob)


async def test_one_bad_update_never_stops_the_bot(
    app: App,
    telegram: TelegramAdapter,
    people: People,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handle = app.dispatcher.handle
    calls = 0

    async def fails_once(event: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("a bad update")
        return await handle(event)  # type: ignore[arg-type]

    monkeypatch.setattr(app.dispatcher, "handle", fails_once)
    people.fake.start_private(people.bob)
    with caplog.at_level(logging.ERROR, logger="touchstone.telegram"):
        await people.fake.send_text(people.chat, people.bob, "/help")
        await people.fake.send_text(people.chat, people.bob, "/start")
        await people.bot_says("Hello Bob Jones! I'm Touchstone.")
    assert "a Telegram update could not be handled" in caplog.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_in_webhook_mode_updates_arrive_by_webhook_and_a_forged_one_is_refused(
    app: App, fake: FakeTelegram
) -> None:
    port = free_port()
    webhook = Webhook("https://bot.example.org/telegram", "s3cret-Token_1", "127.0.0.1", port)
    fake.forward_webhook_to(f"http://127.0.0.1:{port}")
    adapter = TelegramAdapter(
        app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0, webhook=webhook
    )
    await adapter.start()
    try:
        assert fake.webhook is not None and fake.webhook["url"] == "https://bot.example.org/telegram"
        assert fake.webhook["secret_token"] == "s3cret-Token_1"
        people = People(fake)
        await set_up(people)
        assert "getUpdates" not in fake.calls
        assert all(status == 200 for _, status in fake.webhook_posts)
        # Someone who learns the address but not the secret cannot send the bot updates.
        forged = {
            "update_id": 1,
            "message": {
                "message_id": 999,
                "date": 0,
                "chat": {"id": people.chat["id"], "type": "group", "title": "Riverside Lay Partners"},
                "from": {"id": 666, "is_bot": False, "first_name": "Mallory"},
                "text": "/leave",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
                async with session.post(f"http://127.0.0.1:{port}/telegram", json=forged, headers=headers) as answer:
                    assert answer.status == 403
        await fake.send_text(people.chat, people.bob, "/members")
        roster = await people.bot_says("has 3 members")
        assert "Mallory" not in " ".join(people.texts())
        assert "Bob Jones, a lay partner." in roster["text"]
    finally:
        await app.dispatcher.settle()
        await adapter.settle()
        await adapter.stop()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
async def test_touchstone_run_on_telegram_stops_cleanly_on_sigterm_or_ctrl_c(
    fake: FakeTelegram, tmp_path: Path, signal_number: int
) -> None:
    settings = {"TELEGRAM_TOKEN": fake.token, "TELEGRAM_API_URL": f"{fake.url}/bot"}

    async def running() -> None:
        await fake.wait_until(lambda: "getUpdates" in fake.calls, timeout=30)

    code, printed = await run_until_signal(settings, tmp_path, signal_number, running)
    assert code == 0, printed
    assert "Touchstone is running on Telegram as @TouchstoneTestBot." in printed
    assert "Touchstone has stopped." in printed
    assert "Traceback" not in printed
    assert fake.token not in printed


@pytest.mark.parametrize("command", sorted(build_registry().commands))
async def test_every_command_gets_a_plain_answer_on_telegram(
    app: App, telegram: TelegramAdapter, people: People, command: str
) -> None:
    await set_up(people)
    fake = people.fake
    alice_chat = fake.private_chat(people.alice)
    spec = app.registry.commands[command]
    where = alice_chat if spec.where is Where.PRIVATE else people.chat
    before = {chat["id"]: len(fake.messages_in(chat["id"])) for chat in (people.chat, alice_chat)}
    await fake.send_text(where, people.alice, f"/{command}")

    def answers() -> list[str]:
        return [
            message.get("text") or message.get("caption", "")  # a file's text is its caption
            for chat in (people.chat, alice_chat)
            for message in fake.messages_in(chat["id"])[before[chat["id"]] :]
        ]

    said = await fake.wait_until(answers)
    assert all(text and "something went wrong" not in text for text in said), said


async def test_start_in_the_group_before_pressing_start_privately_keeps_the_message_for_later(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await set_up(people)
    carol = UserRef("telegram", str(people.carol["id"]), "Carol King")
    await app.dispatcher.hold(Reply("A kind reminder: vote 1 closes on Friday."), carol)
    await people.fake.send_text(people.chat, people.carol, "/start")
    await people.bot_says("Hello Carol King! I'm Touchstone.")  # Telegram cannot show it to Carol alone here
    assert not any("A kind reminder" in text for text in people.texts())  # never shown to the whole group
    people.fake.start_private(people.carol)
    carol_chat = people.fake.private_chat(people.carol)
    await people.fake.send_text(carol_chat, people.carol, "/start missed")
    await people.bot_says("Here is the message I couldn't send you before.", chat=carol_chat)
    await people.bot_says("A kind reminder: vote 1 closes on Friday.", chat=carol_chat)


async def test_in_an_anonymous_vote_the_group_is_never_told_who_is_being_reminded(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    fake.start_private(people.bob)  # Carol never opens a private chat with the bot
    said_before = len(people.texts())
    await fake.send_text(people.chat, people.alice, "/vote Should we meet monthly? | yes/no | | anonymous")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    await people.tap(people.alice, vote, "Who hasn't voted?")
    alice_chat = fake.private_chat(people.alice)
    listing = await people.bot_says("haven't voted in vote 1 yet", chat=alice_chat)
    query = await fake.press(alice_chat, people.alice, listing["message_id"], label="Send them a kind reminder")
    await fake.wait_until(lambda: fake.answers.get(query))
    await people.bot_says("A kind reminder", chat=fake.private_chat(people.bob))
    hint = await people.bot_says("Some members haven't opened a private chat with me yet")
    assert "https://t.me/TouchstoneTestBot?start=missed" in hint["text"]
    for text in people.texts()[said_before:]:
        assert "Carol" not in text and "Bob" not in text, text  # nobody is named as not having voted
    # Carol follows the general link: her reminder is waiting for her.
    fake.start_private(people.carol)
    carol_chat = fake.private_chat(people.carol)
    await fake.send_text(carol_chat, people.carol, "/start missed")
    await people.bot_says("A kind reminder", chat=carol_chat)


async def test_an_update_is_kept_before_the_library_may_confirm_it_and_handled_once_after_a_restart(
    app: App, fake: FakeTelegram, people: People
) -> None:
    # Long polling confirms on the next fetch, and a webhook answers 200, only after the update queue's
    # `put` returns: so `put` keeps the update first, and a restart handles what was kept but not done.
    adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
    raw = {
        "update_id": 4242,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": people.chat["id"], "type": "supergroup", "title": "Riverside Lay Partners"},
            "from": people.alice,
            "text": "/setup Riverside Lay Partners",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    update = Update.de_json(raw, adapter.application.bot)
    await adapter._queue.put(update)
    assert [origin for origin, _body in await app.dispatcher.waiting(adapter.origin_prefix)] == [
        f"{adapter.origin_prefix}4242"
    ]
    await adapter.start()  # a restart: the kept update is handled now
    try:
        await people.bot_says("Done! This chat is now the group")
        await fake.wait_until(lambda: True)
        for _ in range(100):
            if not await app.dispatcher.waiting(adapter.origin_prefix):
                break
            await asyncio.sleep(0.02)
        assert await app.dispatcher.waiting(adapter.origin_prefix) == []
    finally:
        await app.dispatcher.settle()
        await adapter.stop()


# ---- files, link buttons, buttons pressed in the private chat, pacing ---------------------------------


def png(width: int, height: int) -> bytes:
    """A real (all black) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CALENDAR = Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar")
CHART = Attachment("turnout.png", png(640, 480), "image/png")
TABLE = Attachment("figures.csv", b"name,votes\nYes,2\nNo,1\n", "text/csv")


def group_ref(people: People) -> ChatRef:
    return ChatRef("telegram", str(people.chat["id"]), ChatKind.GROUP, "Riverside Lay Partners")


def keyboard_of(message: JSON) -> list[list[JSON]]:
    return list(message.get("reply_markup", {}).get("inline_keyboard", []))


async def test_one_file_goes_as_a_document_with_the_text_as_its_caption_and_the_buttons_on_it(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    reply = Reply(
        "The meeting is on Friday at 5pm.",
        buttons=Reply.rows([Button("Who hasn't voted?", "notvoted", "3")]),
        files=(CALENDAR,),
    )
    ref = await telegram.deliver(reply, group_ref(people))
    [upload] = people.fake.uploads
    assert (upload.method, upload.filename, upload.data, upload.mime) == (
        "sendDocument",
        "meeting.ics",
        CALENDAR.data,
        "text/calendar",
    )
    assert upload.caption == "The meeting is on Friday at 5pm." and upload.chat_id == people.chat["id"]
    [message] = people.fake.messages_in(people.chat)
    assert ref is not None and ref.id == str(message["message_id"]) == str(upload.message_id)
    assert message["document"]["file_name"] == "meeting.ics" and message["document"]["mime_type"] == "text/calendar"
    assert message["document"]["file_size"] == len(CALENDAR.data)
    assert keyboard_of(message) == [[{"text": "Who hasn't voted?", "callback_data": "notvoted:3"}]]
    assert "sendMessage" not in people.fake.calls  # one message, not two


async def test_an_image_goes_as_a_photo_and_one_telegram_cannot_show_goes_as_a_file(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    await telegram.deliver(Reply("Turnout so far.", files=(CHART,)), group_ref(people))
    [photo] = people.fake.uploads
    assert photo.method == "sendPhoto" and photo.data == CHART.data and photo.caption == "Turnout so far."
    [message] = people.fake.messages_in(people.chat)
    assert message["caption"] == "Turnout so far."
    assert (message["photo"][-1]["width"], message["photo"][-1]["height"]) == (640, 480)  # the largest comes last
    broken = Attachment("chart.png", b"not really a picture", "image/png")
    drawing = Attachment("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")
    await telegram.deliver(Reply("", files=(broken, drawing)), group_ref(people))
    assert [(u.method, u.filename) for u in people.fake.uploads[1:]] == [
        ("sendDocument", "chart.png"),  # Telegram said IMAGE_PROCESS_FAILED to sendPhoto: sent as a file
        ("sendDocument", "logo.svg"),  # never tried as a photo
    ]
    assert any("IMAGE_PROCESS_FAILED" in error["description"] for _, error in people.fake.errors)


async def test_long_text_or_several_files_send_the_text_first_with_its_buttons_then_the_files(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    long_text = "\n".join(f"Line {n} of the minutes." for n in range(80))  # over 1,024 characters
    assert len(long_text) > 1024
    buttons = Reply.rows([Button("Open the agenda", url="https://example.org/agenda")])
    ref = await telegram.deliver(Reply(long_text, buttons=buttons, files=(TABLE,)), group_ref(people))
    first, document = fake.messages_in(people.chat)
    assert first["text"] == long_text and keyboard_of(first) == [
        [{"text": "Open the agenda", "url": "https://example.org/agenda"}]
    ]
    assert "caption" not in document and "reply_markup" not in document
    assert ref is not None and ref.id == str(first["message_id"])  # the message with the text, for later edits
    await telegram.deliver(Reply("Here are this month's figures.", files=(TABLE, CHART)), group_ref(people))
    texts = fake.messages_in(people.chat)[2:]
    assert [m.get("text") for m in texts] == ["Here are this month's figures.", None, None]
    assert [(u.method, u.filename, u.caption) for u in fake.uploads[1:]] == [
        ("sendDocument", "figures.csv", None),
        ("sendPhoto", "turnout.png", None),
    ]


async def test_a_caption_is_edited_where_the_text_of_a_message_would_be(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    ref = await telegram.deliver(Reply("Turnout: 1 of 3.", files=(CHART,)), group_ref(people))
    assert ref is not None
    await telegram.deliver(Reply("Turnout: 2 of 3.", edit=ref), group_ref(people))
    await telegram.settle()
    message = people.fake.message(people.chat, int(ref.id))
    assert message is not None and message["caption"] == "Turnout: 2 of 3."
    assert [edit["method"] for edit in people.fake.edits] == ["editMessageCaption"]


async def test_files_for_someone_who_never_started_the_bot_are_kept_and_arrive_when_they_press_start(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    carol = UserRef("telegram", str(people.carol["id"]), "Carol King")
    reminder = Reply("Your calendar file for Friday.", to=carol, hint_in=group_ref(people), files=(CALENDAR,))
    assert await app.dispatcher.deliver(reminder) is None  # refused: Carol never opened a private chat
    assert any("Forbidden: bot can't initiate conversation" in e["description"] for _, e in fake.errors)
    await people.bot_says("Carol King, I have a private message for you.")
    fake.start_private(people.carol)
    carol_chat = fake.private_chat(people.carol)
    await fake.send_text(carol_chat, people.carol, "/start missed")
    await fake.wait_until(lambda: any(u.chat_id == carol_chat["id"] for u in fake.uploads))
    [upload] = [u for u in fake.uploads if u.chat_id == carol_chat["id"]]
    assert (upload.filename, upload.data, upload.caption) == ("meeting.ics", CALENDAR.data, reminder.text)


async def test_a_private_reply_in_a_group_sends_its_file_to_the_private_chat(
    app: App, telegram: TelegramAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = app.dispatcher.handle

    async def with_a_file(event: object) -> Outcome:
        if isinstance(event, CommandCall) and event.name == "myfile":
            return Outcome(replies=[Reply("Your figures.", private=True, files=(TABLE,))])
        return await handle(event)  # type: ignore[arg-type]

    monkeypatch.setattr(app.dispatcher, "handle", with_a_file)
    people.fake.start_private(people.bob)
    await people.fake.send_text(people.chat, people.bob, "/myfile")
    bob_chat = people.fake.private_chat(people.bob)
    upload = await people.fake.wait_until(lambda: next(iter(people.fake.uploads), None))
    assert (upload.chat_id, upload.filename, upload.caption) == (bob_chat["id"], "figures.csv", "Your figures.")
    assert people.fake.messages_in(people.chat) == []  # nothing for the whole group


async def test_a_button_pressed_in_the_private_chat_opens_it_from_the_group_and_the_press_arrives_there(
    app: App, telegram: TelegramAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    presses: list[ButtonPress] = []
    handle = app.dispatcher.handle

    async def recording(event: object) -> Outcome:
        if isinstance(event, ButtonPress):
            presses.append(event)
            return Outcome(replies=[Reply("Please type your reason.")], toast="Noted.")
        return await handle(event)  # type: ignore[arg-type]

    monkeypatch.setattr(app.dispatcher, "handle", recording)
    private_button = Button("Give a reason privately", "ballot", "12.3", in_private=True)
    rows = Reply.rows([Button("Yes", "ballot", "12.1"), private_button])
    await telegram.deliver(Reply("Vote 12: adopt the leaflet?", buttons=rows), group_ref(people))
    [vote] = fake.messages_in(people.chat)
    assert keyboard_of(vote) == [
        [
            {"text": "Yes", "callback_data": "ballot:12.1"},
            {"text": "Give a reason privately", "url": "https://t.me/TouchstoneTestBot?start=ballot-12-3"},
        ]
    ]
    # Bob has never talked to the bot: the link opens the private chat, and pressing Start sends the parameter.
    await fake.open_link(people.bob, fake.link_of(people.chat, vote["message_id"], "Give a reason privately"))
    bob_chat = fake.private_chat(people.bob)
    await people.bot_says("Please type your reason.", chat=bob_chat)
    [press] = presses
    assert (press.action, press.payload, press.message) == ("ballot", "12.3", None)
    assert press.actor.id == str(people.bob["id"]) and press.chat.kind is ChatKind.PRIVATE
    assert press.chat.id == str(bob_chat["id"]) and press.origin and press.origin.startswith(telegram.origin_prefix)
    assert [m["text"] for m in fake.messages_in(bob_chat)] == ["Noted.", "Please type your reason."]  # no toast here
    # In the private chat the same button is an ordinary button.
    await telegram.deliver(
        Reply("Or press here.", buttons=Reply.rows([private_button])),
        UserRef("telegram", str(people.bob["id"]), "Bob Jones"),
    )
    assert keyboard_of(fake.messages_in(bob_chat)[-1]) == [
        [{"text": "Give a reason privately", "callback_data": "ballot:12.3"}]
    ]


async def test_start_with_a_parameter_that_is_no_button_is_the_ordinary_start(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    fake.start_private(people.bob)
    bob_chat = fake.private_chat(people.bob)
    for parameter in ("nosuchaction-1", "hello", "ballot"):
        await fake.send_text(bob_chat, people.bob, f"/start {parameter}")
    await fake.wait_until(lambda: len(fake.messages_in(bob_chat)) == 3)
    assert all(m["text"].startswith("Hello Bob Jones! I'm Touchstone.") for m in fake.messages_in(bob_chat))


async def test_when_telegram_says_too_many_requests_the_send_waits_and_is_made_once(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    people.fake.rate_limit_next("sendDocument", retry_after=1)
    started = time.monotonic()
    await telegram.deliver(Reply("Minutes attached.", files=(TABLE,)), group_ref(people))
    assert time.monotonic() - started >= 1.0
    assert [u.filename for u in people.fake.uploads] == ["figures.csv"]
    assert [error["error_code"] for _, error in people.fake.errors] == [429]


async def test_a_burst_of_private_messages_goes_out_paced_and_telegram_never_says_slow_down(app: App) -> None:
    async with FakeTelegram(limit_sends_per_second=30) as fake:
        adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
        await adapter.start()
        try:
            people = [fake.user(f"Person {n}") for n in range(100)]
            for person in people:
                fake.start_private(person)
            started = time.monotonic()
            await asyncio.gather(
                *(
                    adapter.deliver(
                        Reply(f"Reminder {n}"), UserRef("telegram", str(person["id"]), person["first_name"])
                    )
                    for n, person in enumerate(people)
                )
            )
            took = time.monotonic() - started
        finally:
            await adapter.stop()
    assert fake.rate_limited == 0 and not fake.errors
    assert sorted(m["text"] for m in fake.sent) == sorted(f"Reminder {n}" for n in range(100))
    assert all(len(fake.messages_in(person)) == 1 for person in people)  # each exactly once
    assert took >= 99 / adapter_rate(adapter) - 0.1  # paced, not all at once


def adapter_rate(adapter: TelegramAdapter) -> float:
    assert adapter.pacer is not None
    return adapter.pacer.per_second


async def test_without_pacing_a_burst_is_slowed_down_by_telegram_and_still_arrives_once(app: App) -> None:
    async with FakeTelegram(limit_sends_per_second=30) as fake:
        adapter = TelegramAdapter(
            app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", sends_per_second=None
        )
        await adapter.start()
        try:
            people = [fake.user(f"Person {n}") for n in range(40)]
            for person in people:
                fake.start_private(person)
            await asyncio.gather(
                *(
                    adapter.deliver(
                        Reply(f"Reminder {n}"), UserRef("telegram", str(person["id"]), person["first_name"])
                    )
                    for n, person in enumerate(people)
                )
            )
        finally:
            await adapter.stop()
    assert fake.rate_limited >= 10  # Telegram said "retry after 1" to the ones over 30…
    assert sorted(m["text"] for m in fake.sent) == sorted(f"Reminder {n}" for n in range(40))  # …and they came once


async def test_the_pacer_spaces_sends_evenly_in_the_order_they_asked_and_holds_all_after_a_pause() -> None:
    pacer = SendPacer(100)
    loop = asyncio.get_running_loop()
    went: list[tuple[int, float]] = []

    async def send(n: int) -> None:
        await pacer.wait()
        went.append((n, loop.time()))

    await asyncio.gather(*(send(n) for n in range(20)))
    assert [n for n, _ in went] == list(range(20))
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(went)]
    assert min(gaps) >= 0.0095
    pacer.pause(0.2)
    paused_at = loop.time()
    await send(20)
    assert went[-1][1] - paused_at >= 0.199
    with pytest.raises(ValueError):
        SendPacer(0)


# ---- meetings on Telegram ------------------------------------------------------------------------------


async def test_a_meeting_comes_with_its_calendar_file_and_a_start_link_for_private_reminders(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    from datetime import UTC, datetime, timedelta

    from icalendar import Calendar

    fake = people.fake
    await set_up(people)
    line = "/meeting Tuesday 6:30pm | Online: https://meet.example.org/abc | Town hall"
    await fake.send_text(people.chat, people.alice, line)
    await fake.wait_until(lambda: any(u.method == "sendDocument" for u in fake.uploads))
    [calendar] = fake.uploads
    assert calendar.filename.endswith(".ics") and calendar.mime == "text/calendar"
    assert calendar.caption is not None and calendar.caption.startswith("New meeting. Meeting 1: Tuesday 3 November")
    (event,) = Calendar.from_ical(calendar.data).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
    [posted] = [m for m in fake.messages_in(people.chat) if "document" in m]
    keyboard = keyboard_of(posted)
    assert keyboard[0] == [
        {"text": "I'll be there", "callback_data": "going:1"},
        {"text": "Send apologies", "callback_data": "apologies:1"},
        {"text": "Add to my calendar", "callback_data": "calendar:1"},
    ]
    assert keyboard[1] == [
        {"text": "Join online", "url": "https://meet.example.org/abc"},
        {
            "text": "Remind me privately",
            "url": "https://t.me/TouchstoneTestBot?start=mysetting-meeting_reminders_private-0",
        },
    ]
    # Carol has never talked to the bot: the link opens the private chat, and her choice is made there.
    await fake.open_link(people.carol, fake.link_of(people.chat, posted["message_id"], "Remind me privately"))
    carol_chat = fake.private_chat(people.carol)
    await people.bot_says("Done. I remind you of meetings in a private message as well.", chat=carol_chat)
    # The 1-hour reminder reaches her privately, and the group.
    app.clock.set(datetime(2026, 11, 3, 17, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    await app.scheduler.run_due()
    await people.bot_says("Reminder: the meeting is in 1 hour.", chat=carol_chat)
    await people.bot_says("Reminder: the meeting is in 1 hour.")
    # Bob asks for the calendar file: it comes to his private chat as a document, with a Google link.
    fake.start_private(people.bob)
    await people.tap(people.bob, posted, "Add to my calendar")
    bob_chat = fake.private_chat(people.bob)
    await fake.wait_until(lambda: any(u.chat_id == bob_chat["id"] for u in fake.uploads))
    [mine] = [u for u in fake.uploads if u.chat_id == bob_chat["id"]]
    assert mine.method == "sendDocument" and mine.data.startswith(b"BEGIN:VCALENDAR")
    [with_file] = [m for m in fake.messages_in(bob_chat) if "document" in m]
    assert keyboard_of(with_file)[0][0]["url"].startswith("https://calendar.google.com/calendar/render?")
    del timedelta


async def test_co_chairs_get_the_attendance_chart_as_a_photo_in_their_private_chat(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    from datetime import UTC, datetime

    fake = people.fake
    await set_up(people)
    await fake.send_text(people.chat, people.alice, "/meeting Tuesday 6:30pm | Town hall")
    await fake.wait_until(lambda: fake.uploads)
    app.clock.set(datetime(2026, 11, 3, 18, 35, tzinfo=UTC))  # type: ignore[attr-defined]
    await app.scheduler.run_due()
    check_in = await people.bot_says("The meeting has started")
    answer = await people.tap(people.carol, check_in, "I'm here")
    assert answer.get("text") == "Thank you, you're checked in."
    app.clock.set(datetime(2026, 11, 4, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    alice_chat = fake.private_chat(people.alice)
    await fake.send_text(alice_chat, people.alice, "/attendance")
    await fake.wait_until(lambda: any(u.method == "sendPhoto" for u in fake.uploads))
    [chart] = [u for u in fake.uploads if u.method == "sendPhoto"]
    assert chart.chat_id == alice_chat["id"] and chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    everyone = " ".join(m.get("text", "") + m.get("caption", "") for m in fake.messages_in(alice_chat))
    assert "Carol King attended 1 of 1 meeting" in everyone
    assert not any("attended" in (m.get("text", "") + m.get("caption", "")) for m in fake.messages_in(people.chat))


# ---- replies to the bot's messages, documents sent with a command ---------------------------------------

PAPER = Attachment("housing-strategy.pdf", b"%PDF-1.7\n" + b"the strategy, page after page\n" * 200, "application/pdf")


T = TypeVar("T")


class Recorder:
    """Records every event the adapter hands the core; commands named in `answers` get that answer instead."""

    def __init__(self, app: App, monkeypatch: pytest.MonkeyPatch, answers: dict[str, str] | None = None) -> None:
        self.events: list[object] = []
        self.handle = app.dispatcher.handle
        self.answers = answers or {}
        monkeypatch.setattr(app.dispatcher, "handle", self.recording)

    async def recording(self, event: object) -> Outcome:
        self.events.append(event)
        if isinstance(event, CommandCall) and event.name in self.answers:
            return Outcome(replies=[Reply(self.answers[event.name])])
        return await self.handle(event)  # type: ignore[arg-type]

    def of(self, kind: type[T]) -> list[T]:
        return [event for event in self.events if isinstance(event, kind)]


async def test_a_reply_to_one_of_the_bots_messages_says_which_message_it_answers(
    app: App, telegram: TelegramAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch)
    posted = await telegram.deliver(Reply("Paper 1: the housing strategy. What do you think?"), group_ref(people))
    assert posted is not None
    await fake.reply(people.chat, people.bob, int(posted.id), "Too little about carers.")
    said = await fake.send_text(people.chat, people.carol, "Agreed with Bob.")
    await fake.reply(people.chat, people.alice, said["message"]["message_id"], "Me too.")  # a reply to Carol
    fake.start_private(people.bob)
    bob_chat = fake.private_chat(people.bob)
    privately = await telegram.deliver(Reply("Your paper is posted."), UserRef("telegram", str(people.bob["id"]), "B"))
    assert privately is not None
    await fake.reply(bob_chat, people.bob, int(privately.id), "Thanks!")
    await fake.wait_until(lambda: len(recorder.of(ChatMessage)) == 4)
    bob, carol, alice, in_private = recorder.of(ChatMessage)
    assert (bob.text, bob.actor.id, bob.chat) == ("Too little about carers.", str(people.bob["id"]), posted.chat)
    assert bob.reply_to == MessageRef(group_ref(people), posted.id)
    assert bob.origin is not None and bob.origin.startswith(telegram.origin_prefix)  # recorded once, as before
    assert carol.reply_to is None and alice.reply_to is None  # not a reply to the bot
    assert in_private.chat.kind is ChatKind.PRIVATE and in_private.reply_to == MessageRef(in_private.chat, privately.id)


async def test_a_document_sent_with_a_command_as_its_caption_reaches_the_command_with_the_file(
    app: App, telegram: TelegramAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch, answers={"paper": "Thank you, I've posted the paper."})
    caption = "/paper@TouchstoneTestBot Housing strategy | Please read by Friday"
    await fake.send_document(people.chat, people.bob, PAPER.filename, PAPER.data, PAPER.mime, caption)
    await people.bot_says("Thank you, I've posted the paper.")
    [call] = recorder.of(CommandCall)
    assert (call.name, call.args, call.actor.id) == (
        "paper",
        "Housing strategy | Please read by Friday",
        str(people.bob["id"]),
    )
    assert call.files == (PAPER,)
    assert call.origin is not None and call.origin.startswith(telegram.origin_prefix)
    assert fake.calls.count("getFile") == 1 and len(fake.downloads) == 1  # fetched from the file URL
    # Meant for another bot, or not a command: the file is not fetched, and no command runs.
    await fake.send_document(people.chat, people.bob, "x.pdf", b"%PDF", "application/pdf", "/paper@OtherBot Hello")
    await fake.send_document(people.chat, people.carol, "notes.txt", b"my notes", "text/plain", "Notes from today")
    await fake.wait_until(lambda: recorder.of(ChatMessage))
    [note] = recorder.of(ChatMessage)
    assert note.actor.id == str(people.carol["id"]) and note.text == "" and note.reply_to is None
    assert fake.calls.count("getFile") == 1 and len(recorder.of(CommandCall)) == 1
    # A command without a document works as before, with no files.
    await fake.send_text(people.chat, people.bob, "/paper Housing strategy")
    await fake.wait_until(lambda: len(recorder.of(CommandCall)) == 2)
    assert recorder.of(CommandCall)[1].files == ()


async def test_a_document_over_20_mb_is_refused_kindly_and_the_core_never_hears_of_it(
    app: App, telegram: TelegramAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch, answers={"paper": "Posted."})
    huge = b"\0" * (20 * 1024 * 1024 + 1)
    await fake.send_document(people.chat, people.bob, "scan.pdf", huge, "application/pdf", "/paper Big scan")
    refusal = await people.bot_says("That file is bigger than 20 MB")
    assert refusal["text"] == (
        "That file is bigger than 20 MB, the most Telegram lets me download. Please share a link to it instead."
    )
    assert "getFile" not in fake.calls  # its size said so: nothing asked of Telegram
    # If Telegram itself says the file is too big, the answer is the same.
    fake.fail_next("getFile", 400, "Bad Request: file is too big")
    await fake.send_document(people.chat, people.bob, "scan2.pdf", b"%PDF small", "application/pdf", "/paper Scan")
    await fake.wait_until(lambda: sum("bigger than 20 MB" in text for text in people.texts()) == 2)
    assert recorder.of(CommandCall) == [] and fake.downloads == []
    # A file Telegram will not give for another reason gets a plain apology, and nothing is done either.
    fake.fail_next("getFile", 400, "Bad Request: invalid file_id")
    await fake.send_document(people.chat, people.bob, "scan3.pdf", b"%PDF small", "application/pdf", "/paper Scan")
    await people.bot_says("Sorry, I couldn't fetch that file from Telegram.")
    assert recorder.of(CommandCall) == []


async def test_a_thread_name_means_nothing_on_telegram_people_reply_to_the_message(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    ref = await telegram.deliver(
        Reply("Paper 2: the carers' leaflet.", thread="Paper 2: carers' leaflet"), group_ref(people)
    )
    [message] = people.fake.messages_in(people.chat)
    assert (
        ref is not None and ref.id == str(message["message_id"]) and message["text"] == "Paper 2: the carers' leaflet."
    )
    assert people.fake.calls.count("sendMessage") == 1


async def test_editing_a_command_message_does_not_run_the_command_again(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    """Seen while adding papers: an edited "/vote …" ran again (python-telegram-bot's message filters match
    edited messages), so fixing a typo would start a second vote."""
    fake = people.fake
    await set_up(people)
    update = await fake.send_text(people.chat, people.alice, "/vote Meet monthly? | yes/no")
    await people.bot_says("Vote 1: Meet monthly?")
    message_id = update["message"]["message_id"]
    edit = await fake.edit_text(people.chat, people.alice, message_id, "/vote Meet monthly, in the evening? | yes/no")
    # The bot has taken the edit once Telegram no longer holds it; then anything it started has finished.
    await fake.wait_until(lambda: all(u["update_id"] != edit["update_id"] for u in fake._updates))
    await asyncio.sleep(0.3)
    await app.dispatcher.settle()
    await telegram.settle()
    assert not any("Vote 2" in t for t in people.texts())


async def test_a_paper_is_posted_with_its_document_and_button_and_a_reply_to_it_is_a_view(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    from sqlalchemy import select

    from storage.papers import View

    fake = people.fake
    await set_up(people)
    await fake.send_document(
        people.chat,
        people.alice,
        "transport.pdf",
        b"%PDF-1.4 the paper",
        "application/pdf",
        caption="/paper Hospital transport | What should change? | | now | for 7 days",
    )
    await fake.wait_until(lambda: any(u.caption and u.caption.startswith("Discussion paper 1:") for u in fake.uploads))
    [upload] = [u for u in fake.uploads if u.caption and u.caption.startswith("Discussion paper 1:")]
    assert (upload.method, upload.filename, upload.data) == ("sendDocument", "transport.pdf", b"%PDF-1.4 the paper")
    [post] = [m for m in fake.messages_in(people.chat) if m.get("caption", "").startswith("Discussion paper 1:")]
    assert keyboard_of(post) == [[{"text": "Add my view", "callback_data": "addview:1"}]]
    await fake.reply(people.chat, people.bob, post["message_id"], "The 6pm bus is the problem")

    async def views() -> list[tuple[int | None, str]]:
        async with app.database.unit_of_work() as session:
            return [(v.person_id, v.text) for v in (await session.execute(select(View))).scalars()]

    for _ in range(200):
        if await views():
            break
        await asyncio.sleep(0.02)
    [(person, text)] = await views()
    assert person is not None and text == "The 6pm bus is the problem"


# ---- every voice heard -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("privacy_off", "bot_status", "sees"),
    [(True, "member", True), (False, "administrator", True), (False, "member", False)],
    ids=["privacy-off", "admin", "privacy-on"],
)
async def test_ordinary_group_messages_count_when_telegram_shows_them_to_the_bot_and_notheard_says_when_not(
    app: App, privacy_off: bool, bot_status: str, sees: bool
) -> None:
    from sqlalchemy import func, select

    from storage.participation import Contribution

    async with FakeTelegram(can_read_all_group_messages=privacy_off) as fake:
        people = People(fake)
        fake.set_member(people.chat["id"], fake.bot_user, bot_status)
        adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
        await adapter.start()
        try:
            await set_up(people)
            # Privacy mode hides it from a bot that is not an admin of the group.
            await fake.send_text(people.chat, people.bob, "I think we should meet in the library.")

            async def messages_counted() -> int:
                async with app.database.unit_of_work() as session:
                    query = select(func.count()).select_from(Contribution).where(Contribution.kind == "message")
                    return int((await session.execute(query)).scalar_one())

            if sees:
                await fake.wait_until(messages_counted)
            alice_chat = fake.private_chat(people.alice)
            advice = [m["text"] for m in fake.messages_in(alice_chat) if "/setprivacy" in m.get("text", "")]
            assert bool(advice) is not sees  # set-up said how to let the bot see messages, only where it can't
            assert all("remove me from the group and add me back" in a and "make me an admin" in a for a in advice)
            await fake.send_text(alice_chat, people.alice, "/notheard 30 days")
            answer = await people.bot_says("Who hasn't taken part", chat=alice_chat)
            quiet = answer["text"].split("Not heard from yet")[-1].split("\n\n")[0]
            assert "Carol King" in quiet and ("Bob Jones" not in quiet) is sees
            assert ("can't see ordinary messages" in answer["text"]) is not sees
            assert await messages_counted() == (1 if sees else 0)
            assert not any("Not heard" in t for t in people.texts())  # the list goes to the co-chair alone
        finally:
            await app.dispatcher.settle()
            await adapter.settle()
            await adapter.stop()


async def test_the_participation_report_chart_comes_to_the_co_chair_as_a_photo_with_the_table(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    await fake.send_text(people.chat, people.bob, "I think we should meet in the library.")

    async def counted() -> int:
        from sqlalchemy import func, select

        from storage.participation import Contribution

        async with app.database.unit_of_work() as session:
            return int((await session.execute(select(func.count()).select_from(Contribution))).scalar_one())

    await fake.wait_until(counted)  # updates are handled side by side: the message first, then the report
    alice_chat = fake.private_chat(people.alice)
    await fake.send_text(alice_chat, people.alice, "/report")
    await fake.wait_until(lambda: any(u.filename == "taking-part.csv" for u in fake.uploads))
    [chart] = [u for u in fake.uploads if u.method == "sendPhoto"]
    assert chart.chat_id == alice_chat["id"] and chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    [table] = [u for u in fake.uploads if u.filename == "taking-part.csv"]
    assert table.method == "sendDocument" and table.chat_id == alice_chat["id"]
    said = " ".join(m.get("text", "") + m.get("caption", "") for m in fake.messages_in(alice_chat))
    assert "Bob Jones: 1 message." in said
    assert not [u for u in fake.uploads if u.chat_id == people.chat["id"] and u.filename.startswith("taking-part")]


async def test_invitations_never_name_a_quiet_member_in_the_group_and_a_blocked_one_is_not_tried_again(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    fake.start_private(people.carol)
    fake.block(people.carol)  # Carol blocked the bot; Bob never opened a private chat with it
    alice_chat = fake.private_chat(people.alice)
    await fake.send_text(alice_chat, people.alice, "/notheard 30 days")
    listing = await people.bot_says("Who hasn't taken part", chat=alice_chat)
    before = len(fake.messages_in(people.chat))
    query = await fake.press(alice_chat, people.alice, listing["message_id"], label="Invite them kindly")
    await fake.wait_until(lambda: fake.answers.get(query))
    await people.bot_says("I've sent a kind invitation to 2 members.", chat=alice_chat)
    hint = await people.bot_says("Some members haven't opened a private chat with me yet")
    after = [m.get("text", "") for m in fake.messages_in(people.chat)[before:]]
    assert after == [hint["text"]]  # one general line, naming nobody
    assert not any(name in hint["text"] for name in ("Bob", "Carol"))
    tries = len([r for r in fake.requests if r[0] == "sendMessage" and r[1].get("chat_id") == people.carol["id"]])
    for _ in range(3):  # the outbox polls again: nothing is retried in a loop
        await app.dispatcher.sender.flush()
    assert tries == len(
        [r for r in fake.requests if r[0] == "sendMessage" and r[1].get("chat_id") == people.carol["id"]]
    )
    assert len([m for m in fake.messages_in(people.chat) if "haven't opened a private chat" in m.get("text", "")]) == 1


# ---- jargon watch ----------------------------------------------------------------------------------------


async def group_messages_counted(app: App) -> int:
    from sqlalchemy import func, select

    from storage.participation import Contribution

    async with app.database.unit_of_work() as session:
        query = select(func.count()).select_from(Contribution).where(Contribution.kind == "message")
        return int((await session.execute(query)).scalar_one())


def explanations(people: People) -> list[str]:
    return [text for text in people.texts() if text.startswith("In case it helps:")]


async def test_a_glossary_word_in_a_group_message_is_explained_once_and_a_define_command_is_not_jargon(
    app: App, telegram: TelegramAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)  # the bot is an admin of the group, so it sees ordinary messages
    await fake.send_text(people.chat, people.bob, "The ICB wants our views.")
    explained = await people.bot_says("In case it helps:")
    assert explained["text"].startswith("In case it helps:\nICB (integrated care board): The local NHS body")
    await fake.send_text(people.chat, people.carol, "The ICB again")  # the same word, the same day: once is enough

    async def both_counted() -> bool:
        return await group_messages_counted(app) >= 2

    await fake.wait_until(both_counted)
    await app.dispatcher.settle()
    await telegram.settle()
    assert len(explanations(people)) == 1
    # A command is not a message: /define answers, and PCN (not yet explained today) is not explained again.
    await fake.send_text(people.chat, people.alice, "/define PCN")
    await fake.wait_until(
        lambda: any(t.startswith("PCN (primary care network): ") for t in people.texts()),
    )
    await app.dispatcher.settle()
    await telegram.settle()
    assert len(explanations(people)) == 1


@pytest.mark.parametrize(("privacy_off", "sees"), [(True, True), (False, False)], ids=["privacy-off", "privacy-on"])
async def test_a_bot_that_is_a_plain_member_explains_glossary_words_only_if_telegram_shows_it_the_messages(
    app: App, privacy_off: bool, sees: bool
) -> None:
    async with FakeTelegram(can_read_all_group_messages=privacy_off) as fake:
        people = People(fake)
        fake.set_member(people.chat["id"], fake.bot_user, "member")
        adapter = TelegramAdapter(app.dispatcher, app.registry, fake.token, base_url=f"{fake.url}/bot", edit_interval=0)
        await adapter.start()
        try:
            await set_up(people)
            await fake.send_text(people.chat, people.bob, "The ICB wants our views.")
            if sees:
                await people.bot_says("In case it helps:\nICB (integrated care board): ")
            # A command always reaches the bot: once it is answered, Bob's message has had its chance.
            await fake.send_text(people.chat, people.carol, "/define OT")
            await fake.wait_until(lambda: any(t.startswith("OT (occupational therapist): ") for t in people.texts()))
            await app.dispatcher.settle()
            await adapter.settle()
            assert len(explanations(people)) == (1 if sees else 0)
            assert await group_messages_counted(app) == (1 if sees else 0)
        finally:
            await app.dispatcher.settle()
            await adapter.settle()
            await adapter.stop()
