"""The Telegram fake speaks well enough for the real python-telegram-bot: polling, commands, buttons, errors."""

from __future__ import annotations

import asyncio
import struct
import time
import zlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, RetryAfter
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.telegram import FakeTelegram

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="again:1")]])


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=f"{fake.url}/bot") as client:
        yield client


async def test_polling_commands_buttons_and_offsets(fake: FakeTelegram) -> None:
    seen: list[int] = []

    async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("pong", reply_markup=KEYBOARD)

    async def again(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer("Pressed", show_alert=True)

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)

    application: Application = ApplicationBuilder().token(fake.token).base_url(f"{fake.url}/bot").build()
    application.add_handler(CommandHandler("ping", ping))
    application.add_handler(CallbackQueryHandler(again))
    application.add_handler(CommandHandler("ping", record), group=1)
    application.add_handler(CallbackQueryHandler(record), group=1)

    group = fake.group("Lay Partners")
    alice = fake.user("Alice Smith", username="alice")
    # Queued before the bot starts: delivered once it polls.
    first = await fake.send_text(group, alice, "/ping")
    assert first["message"]["entities"] == [{"offset": 0, "length": 5, "type": "bot_command"}]

    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
    try:
        await fake.wait_until(lambda: len(fake.messages_in(group)) == 1)
        addressed = await fake.send_text(group, alice, "/ping@TouchstoneTestBot")
        assert addressed["message"]["entities"][0]["length"] == len("/ping@TouchstoneTestBot")
        await fake.send_text(group, alice, "/ping@SomeOtherBot")  # privacy mode: never reaches this bot
        await fake.wait_until(lambda: len(fake.messages_in(group)) == 2)

        reply = fake.messages_in(group)[0]
        assert reply["text"] == "pong"
        assert reply["from"]["username"] == "TouchstoneTestBot"
        assert reply["reply_markup"] == {"inline_keyboard": [[{"text": "Again", "callback_data": "again:1"}]]}
        assert reply["message_id"] == 2  # the user's /ping was message 1 in this chat

        query_id = await fake.press(group, alice, reply["message_id"], label="Again")
        await fake.wait_until(lambda: query_id in fake.answers)
        assert fake.answers[query_id]["text"] == "Pressed"
        assert fake.answers[query_id]["show_alert"] is True
        await fake.wait_until(lambda: len(seen) == 3)
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    assert fake.calls[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert len(seen) == len(set(seen)) == 3
    assert len(fake.deliveries) == len(set(fake.deliveries)) == 3  # nothing handed out twice
    assert fake.pending_updates == []  # the last getUpdates confirmed everything
    assert len(fake.messages_in(group)) == 2


# PTB 22's own RetryAfter constructor reads its deprecated int-valued retry_after (unless PTB_TIMEDELTA=1).
@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_errors_surface_as_ptb_exceptions(fake: FakeTelegram, bot: Bot) -> None:
    bob = fake.user("Bob")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(bob["id"], "hello")
    fake.start_private(bob)
    message = await bot.send_message(bob["id"], "hello", reply_markup=KEYBOARD)
    assert message.chat.type == "private"
    assert message.reply_markup == KEYBOARD

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("hello", chat_id=bob["id"], message_id=message.message_id, reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("hello", chat_id=bob["id"], message_id=message.message_id)
    assert edited.reply_markup is None  # no reply_markup: the keyboard goes, as on Telegram
    assert fake.edits[-1]["message"]["text"] == "hello"
    marked = await bot.edit_message_reply_markup(
        chat_id=bob["id"], message_id=message.message_id, reply_markup=KEYBOARD
    )
    assert marked.reply_markup == KEYBOARD
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=bob["id"], message_id=message.message_id, reply_markup=KEYBOARD)
    assert [e["method"] for e in fake.edits] == ["editMessageText", "editMessageReplyMarkup"]
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=bob["id"], message_id=999)

    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-100999, "hello")

    fake.rate_limit_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(bob["id"], "hello")
    retry_after = limited.value._retry_after  # PTB 22 warns on .retry_after unless PTB_TIMEDELTA=1
    assert retry_after.total_seconds() == 3
    assert fake.errors[-1][1] == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    await bot.send_message(bob["id"], "fine now")  # only the next call was limited

    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")
    fresh = await fake.press(bob["id"], bob, message.message_id, "again:1")
    stale = await fake.press(bob["id"], bob, message.message_id, "again:1")
    fake.expire_query(stale)
    assert await bot.answer_callback_query(fresh, "Done")
    assert fake.answers[fresh] == {"text": "Done", "show_alert": False, "url": None, "cache_time": 0}
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(stale)

    old = fake.group("Basic", kind="group")
    new = await fake.migrate(old)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(old["id"], "hello")
    assert migrated.value.new_chat_id == new["id"]


async def test_updates_long_poll_offsets_and_filters(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.group("Carers")
    carol = fake.user("Carol")
    dave = fake.user("Dave")

    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert time.monotonic() - started >= 0.25  # held for the timeout

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_until(lambda: fake.polling)
    await fake.send_text(group, carol, "/ping")
    updates = await asyncio.wait_for(poll, 2)  # answered as soon as there is something
    assert [u.message.text for u in updates if u.message] == ["/ping"]
    assert (await bot.get_updates())[0].update_id == updates[0].update_id  # not confirmed yet
    assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()

    # Privacy mode hides plain chatter unless the bot is an administrator.
    await fake.send_text(group, carol, "hello all")
    assert await bot.get_updates() == ()
    fake.set_member(group, fake.bot_user, "administrator")
    fake.set_member(group, dave, "administrator", is_anonymous=True)
    await fake.send_text(group, dave, "speaking anonymously")
    joined = await fake.member_joined(group, fake.user("Erin"))
    assert {next(k for k in u if k != "update_id") for u in joined} == {"message", "chat_member"}

    updates = await bot.get_updates()  # default allowed_updates leaves chat_member out
    assert [u.message.text for u in updates if u.message and u.message.text] == ["speaking anonymously"]
    assert updates[0].message.from_user.username == "GroupAnonymousBot"
    assert updates[0].message.sender_chat.id == group["id"]
    assert updates[1].message.new_chat_members[0].first_name == "Erin"

    await fake.member_left(group, carol)
    updates = await bot.get_updates(offset=updates[-1].update_id + 1, allowed_updates=Update.ALL_TYPES)
    assert updates[0].message.left_chat_member.first_name == "Carol"
    assert updates[1].chat_member.new_chat_member.status == "left"

    member = await bot.get_chat_member(group["id"], dave["id"])
    assert member.status == "administrator" and member.is_anonymous
    assert (await bot.get_chat_member(group["id"], carol["id"])).status == "left"
    assert (await bot.get_chat(group["id"])).title == "Carers"

    # Two bot instances polling at once: Telegram ends the first poll with 409 Conflict.
    first = asyncio.create_task(bot.get_updates(offset=updates[-1].update_id + 1, timeout=5))
    await fake.wait_until(lambda: fake.polling)
    async with Bot(fake.token, base_url=f"{fake.url}/bot") as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2)


async def test_commands_menu_per_scope(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("vote", "Start a vote")], scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands([BotCommand("help", "What I can do")])
    assert fake.commands == {
        "all_group_chats": [{"command": "vote", "description": "Start a vote"}],
        "default": [{"command": "help", "description": "What I can do"}],
    }
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())] == ["vote"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "nope")])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        fake.start_private(bob := fake.user("Bob"))
        await bot.send_message(
            bob["id"], "x", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Long", callback_data="x" * 65)]])
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(bob["id"], "1 < 2", parse_mode="HTML")
    sent = await bot.send_message(bob["id"], "<b>Vote</b> open &amp; ready\n", parse_mode="HTML")
    assert sent.text == "Vote open & ready"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 4


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


async def test_photos_and_documents_arrive_as_multipart_and_come_back_as_real_messages(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.group("Carers")
    picture = png(1600, 1200)
    photo = await bot.send_photo(group["id"], InputFile(picture, filename="chart.png"), caption=" Turnout ")
    assert photo.caption == "Turnout"  # trimmed, like text
    sizes = [(size.width, size.height) for size in photo.photo]
    assert sizes == [(90, 68), (320, 240), (800, 600), (1280, 960), (1600, 1200)]  # thumbnails first
    assert all(size.file_id and size.file_unique_id and size.file_size for size in photo.photo)
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    calendar = InputFile(ics, filename="réunion.ics")
    document = await bot.send_document(group["id"], calendar, reply_markup=KEYBOARD)
    assert document.document is not None
    assert (document.document.file_name, document.document.mime_type, document.document.file_size) == (
        "réunion.ics",
        "text/calendar",
        len(ics),
    )
    assert document.caption is None and document.reply_markup == KEYBOARD
    again = await bot.send_document(group["id"], document.document.file_id)  # a file sent before, by its id
    assert again.document is not None and again.document.file_name == "réunion.ics"
    assert [(u.method, u.chat_id, u.filename, u.mime, u.caption) for u in fake.uploads] == [
        ("sendPhoto", group["id"], "chart.png", "image/png", "Turnout"),
        ("sendDocument", group["id"], "réunion.ics", "text/calendar", None),
        ("sendDocument", group["id"], "réunion.ics", "text/calendar", None),
    ]
    assert fake.uploads[0].data == picture and fake.uploads[0].message_id == photo.message_id
    assert [m["message_id"] for m in fake.sent] == [photo.message_id, document.message_id, again.message_id]

    # A photo's caption is edited with editMessageCaption; it has no text to edit.
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("Turnout: 3", chat_id=group["id"], message_id=photo.message_id)
    edited = await bot.edit_message_caption(chat_id=group["id"], message_id=photo.message_id, caption="Turnout: 3")
    assert isinstance(edited, Message) and edited.caption == "Turnout: 3"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(chat_id=group["id"], message_id=photo.message_id, caption="Turnout: 3")
    text = await bot.send_message(group["id"], "plain")
    with pytest.raises(BadRequest, match=r"(?i)there is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=group["id"], message_id=text.message_id, caption="x")


async def test_sending_files_fails_as_on_telegram(fake: FakeTelegram, bot: Bot) -> None:
    group = fake.group("Carers")
    bob = fake.user("Bob")
    table = InputFile(b"a,b\n1,2\n", filename="figures.csv")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_document(-100999, table)
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_document(bob["id"], table)
    fake.start_private(bob)
    fake.block(bob)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_photo(bob["id"], InputFile(png(10, 10), filename="a.png"))
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(group["id"], table, caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"(?i)file must be non-empty"):
        await bot.send_document(group["id"], InputFile(b"", filename="empty.txt"))
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(group["id"], InputFile(b"<svg/>", filename="logo.svg"))
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(group["id"], InputFile(png(2100, 100), filename="strip.png"))
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(group["id"], "https://example.org/file.pdf")
    with pytest.raises(BadRequest, match=r"(?i)button_url_invalid"):
        link = InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="javascript:alert(1)")]])
        await bot.send_document(group["id"], table, reply_markup=link)
    old = fake.group("Basic", kind="group")
    new = await fake.migrate(old)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_document(old["id"], table)
    assert migrated.value.new_chat_id == new["id"]
    assert fake.uploads == [] and fake.sent == []
    assert fake.errors[0][1] == {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
    assert fake.errors[1][1]["error_code"] == 403


# PTB 22's own RetryAfter constructor reads its deprecated int-valued retry_after (unless PTB_TIMEDELTA=1).
@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_above_the_send_limit_telegram_answers_429_until_the_second_has_passed() -> None:
    async with FakeTelegram(limit_sends_per_second=5) as fake, Bot(fake.token, base_url=f"{fake.url}/bot") as client:
        group = fake.group("Carers")
        for n in range(5):
            await client.send_message(group["id"], f"message {n}")
        with pytest.raises(RetryAfter) as limited:
            await client.send_document(group["id"], InputFile(b"x", filename="x.txt"))
        assert limited.value._retry_after.total_seconds() == 1
        assert fake.errors[-1][1] == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
        assert await client.get_chat(group["id"])  # only send* calls are limited
        assert fake.rate_limited == 1 and len(fake.send_times) == 5
        await asyncio.sleep(1.0)
        await client.send_message(group["id"], "the next second")
        assert len(fake.sent) == 6


async def test_a_start_link_opens_the_private_chat_and_sends_start_with_its_parameter(
    fake: FakeTelegram, bot: Bot
) -> None:
    group = fake.group("Carers")
    bob = fake.user("Bob")
    link = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Tell me privately", url=f"https://t.me/{fake.username}?start=ballot-12-3")]]
    )
    message = await bot.send_message(group["id"], "Vote 12", reply_markup=link)
    with pytest.raises(ValueError, match="opens"):
        await fake.press(group, bob, message.message_id, label="Tell me privately")
    url = fake.link_of(group, message.message_id, "Tell me privately")
    assert not fake.started(bob)
    update = await fake.open_link(bob, url)
    assert update is not None and fake.started(bob)
    assert update["message"]["chat"]["id"] == bob["id"] and update["message"]["text"] == "/start ballot-12-3"
    assert update["message"]["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    assert await fake.open_link(bob, "https://example.org/agenda") is None  # leaves Telegram
    with pytest.raises(ValueError, match="another bot"):
        await fake.open_link(bob, "https://t.me/SomeOtherBot?start=x")


async def test_people_reply_to_messages_and_send_documents_the_bot_can_download(fake: FakeTelegram) -> None:
    group = fake.group("Carers")
    bob = fake.user("Bob")
    fake.set_member(group["id"], bob)
    async with Bot(fake.token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot") as bot:
        posted = await bot.send_message(group["id"], "Paper 1: what do you think?")
        # Privacy mode: a reply to the bot's message reaches it; a plain message does not.
        reply = await fake.reply(group, bob, posted.message_id, "Too long.")
        await fake.send_text(group, bob, "hello all")
        later = await fake.reply(group, bob, reply["message"]["message_id"], "Sorry, I meant too short.")
        pending = [Update.de_json(u, bot) for u in fake.pending_updates]
        assert [u.update_id for u in pending] == [reply["update_id"]]  # a reply to Bob's message is hidden too
        message = pending[0].message
        assert message is not None and message.reply_to_message is not None
        assert message.reply_to_message.message_id == posted.message_id
        assert message.reply_to_message.from_user is not None and message.reply_to_message.from_user.is_bot
        nested = later["message"]["reply_to_message"]
        assert nested["message_id"] == reply["message"]["message_id"] and "reply_to_message" not in nested

        # A document with a command as its caption reaches a bot in privacy mode; one without does not.
        paper = b"%PDF-1.7 the paper"
        sent = await fake.send_document(group, bob, "paper.pdf", paper, "application/pdf", "/paper Housing | Read it")
        await fake.send_document(group, bob, "notes.txt", b"notes", "text/plain", "my notes")
        [update] = [Update.de_json(u, bot) for u in fake.pending_updates][1:]
        assert update.update_id == sent["update_id"]
        message = update.message
        assert message is not None and message.document is not None and message.text is None
        assert message.caption == "/paper Housing | Read it"
        assert [(e.type, e.offset, e.length) for e in message.caption_entities] == [("bot_command", 0, 6)]
        document = message.document
        assert (document.file_name, document.mime_type, document.file_size) == ("paper.pdf", "application/pdf", 10 + 8)

        # getFile gives a path; the bytes come from the file URL, as from Telegram.
        file = await bot.get_file(document.file_id)
        assert file.file_size == len(paper) and file.file_unique_id == document.file_unique_id
        assert file.file_path == f"{fake.url}/file/bot{fake.token}/documents/file_0.pdf"
        assert bytes(await file.download_as_bytearray()) == paper
        assert fake.downloads == ["documents/file_0.pdf"]
        assert (await bot.get_file(document.file_id)).file_path == file.file_path  # the same path again

        # What Telegram refuses: a file over 20 MB, a file_id it never gave out, the URL with another token.
        big = await fake.send_document(group, bob, "scan.pdf", b"\0" * (20 * 1024 * 1024 + 1), "application/pdf")
        with pytest.raises(BadRequest, match=r"(?i)file is too big"):
            await bot.get_file(big["message"]["document"]["file_id"])
        with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
            await bot.get_file("BQACAgQAAxkBAAI99999999")
    wrong_token = f"{fake.url}/file/bot123:wrong/documents/file_0.pdf"
    async with aiohttp.ClientSession() as session, session.get(wrong_token) as response:
        assert response.status == 404
    assert fake.errors[-2][1] == {"ok": False, "error_code": 400, "description": "Bad Request: file is too big"}
