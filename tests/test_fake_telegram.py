"""The Telegram fake speaks well enough for the real python-telegram-bot: polling, commands, buttons, errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, InlineKeyboardButton, InlineKeyboardMarkup, Update
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
