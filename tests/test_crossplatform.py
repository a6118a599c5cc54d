"""One group across platforms, end to end: the real python-telegram-bot and discord.py adapters, each against its
loopback fake, attached to one app (one dispatcher, one database). A group set up on Telegram links a Discord
channel with a one-time code, Alice makes her two accounts one person, and a vote posted in both chats counts her
once, whichever chat she presses in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from adapters.discord import DiscordAdapter
from adapters.telegram import TelegramAdapter
from bot.app import App
from storage.groups import Channel
from storage.people import Account
from storage.voting import Ballot, VoteOption
from tests import test_discord, test_telegram
from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram import FakeTelegram

JSON = dict[str, Any]


@pytest.fixture
async def tg_fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as telegram:
        yield telegram


@pytest.fixture
async def dc_fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


@pytest.fixture
def tg(tg_fake: FakeTelegram) -> test_telegram.People:
    """Telegram: the group chat, Alice (its creator, so a chat admin), Bob (and a Carol who stays out of it)."""
    return test_telegram.People(tg_fake)


@pytest.fixture
def dc(dc_fake: FakeDiscord) -> test_discord.People:
    """Discord: a server channel; Alice has Manage Server there, Carol is a member."""
    return test_discord.People(dc_fake)


@pytest.fixture
async def both(
    app: App, tg: test_telegram.People, dc: test_discord.People
) -> AsyncIterator[tuple[TelegramAdapter, DiscordAdapter]]:
    """Both adapters attached to the one app's dispatcher."""
    telegram = TelegramAdapter(
        app.dispatcher, app.registry, tg.fake.token, base_url=f"{tg.fake.url}/bot", edit_interval=0
    )
    discord = test_discord.adapter_for(app, dc.fake, dc)
    await telegram.start()
    await discord.start()
    try:
        yield telegram, discord
    finally:
        await app.dispatcher.settle()
        await telegram.settle()
        await discord.settle()
        await discord.stop()
        await telegram.stop()


def code_in(text: str) -> str:
    found = re.search(r"Your code is (\d{8})", text)
    assert found, text
    return found.group(1)


async def rows(app: App, table: type) -> list[Any]:
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table))).scalars())


async def test_a_telegram_group_links_a_discord_channel_and_alice_votes_once_from_either(
    app: App, both: tuple[TelegramAdapter, DiscordAdapter], tg: test_telegram.People, dc: test_discord.People
) -> None:
    telegram, discord = both
    alice_private = tg.fake.private_chat(tg.alice)

    # 1. Set up on Telegram: Alice (a chat admin) types /setup, Bob joins with the button. Carol is only on Discord.
    tg.fake.start_private(tg.alice)
    await tg.fake.send_text(tg.chat, tg.alice, "/setup@TouchstoneTestBot Riverside Lay Partners")
    welcome = await tg.bot_says("Done! This chat is now the group")
    await tg.tap(tg.bob, welcome, "Lay partner")
    await tg.bot_says("Welcome, Bob")

    # 2. /linkchat in the Telegram group: the code comes privately, never in the group.
    await tg.fake.send_text(tg.chat, tg.alice, "/linkchat")
    chat_code = code_in((await tg.bot_says("Your code is", chat=alice_private))["text"])
    assert not any(chat_code in text for text in tg.texts())

    # 3. On Discord, someone with Manage Server types the code in the channel: it joins the group, and the
    #    Telegram group is told.
    await dc.slash(dc.alice, "linkchat", code=chat_code)
    await dc.bot_says("Done. This chat is now part of “Riverside Lay Partners”.")
    await tg.bot_says("A Discord chat, “general”, is now part of this group too.")
    assert {c.platform for c in await rows(app, Channel)} == {"telegram", "discord"}
    # Carol joins from the Discord channel.
    await dc.slash(dc.carol, "join")
    join = await dc.bot_says("How would you describe yourself in this group?")
    assert test_discord.private_texts(await dc.press(dc.carol, join, "Lay partner")) == []
    await dc.bot_says("Welcome, Carol King")

    # 4. Alice makes her accounts one person: a code from her Telegram private chat, sent to the bot in a
    #    Discord direct message (typed commands work there; the slash commands are synced to the server only).
    await tg.fake.send_text(alice_private, tg.alice, "/linkme")
    me_code = code_in((await tg.bot_says("From your other account, send /linkme", chat=alice_private))["text"])
    await dc.fake.say(dc.fake.dm_channel(dc.alice), dc.alice, f"/linkme {me_code}")
    merged = await dc.fake.wait_until(
        lambda: next((m for m in dc.fake.dms(dc.alice) if m["content"].startswith("Done. Your accounts")), None)
    )
    assert merged["content"].startswith("Done. Your accounts are now one person, Alice Smith.")
    assert "kept what your first account did" in merged["content"]  # both were members: one membership stays
    accounts = await rows(app, Account)
    tg_account = next(a for a in accounts if a.platform == "telegram" and a.user_id == str(tg.alice["id"]))
    dc_account = next(a for a in accounts if a.platform == "discord" and a.user_id == str(dc.alice["id"]))
    assert tg_account.person_id == dc_account.person_id
    alice_id = tg_account.person_id

    # 5. A vote started on Telegram is posted in both chats.
    await tg.fake.send_text(tg.chat, tg.alice, "/vote Meet monthly? | yes/no")
    tg_vote = await tg.bot_says("Vote 1: Meet monthly?")
    dc_vote = await dc.bot_says("Vote 1: Meet monthly?")

    # 6. Alice presses Yes on Discord, then No on Telegram: one ballot, changed. Bob votes on Telegram.
    assert test_discord.private_texts(await dc.press(dc.alice, dc_vote, "Yes")) == ["Your vote is in: Yes."]
    assert (await tg.tap(tg.alice, tg_vote, "No"))["text"] == "Your vote is in: No."
    assert (await tg.tap(tg.bob, tg_vote, "Yes"))["text"] == "Your vote is in: Yes."

    async def tallies(fragment: str) -> list[str] | None:
        await app.dispatcher.settle()
        await telegram.settle()
        await discord.settle()
        on_telegram = tg.fake.message(tg.chat["id"], tg_vote["message_id"])
        on_discord = dc.fake.message(dc.channel, dc_vote["id"])
        texts = [on_telegram["text"] if on_telegram else "", on_discord["content"] if on_discord else ""]
        return texts if all(fragment in text for text in texts) else None

    for text in await tg.fake.wait_until(lambda: tallies("2 of 3 people have voted so far.")):
        assert "Yes: 1. No: 1." in text
        assert text.count("Alice Smith") == 1 and "Bob Jones" in text and "Carol King" not in text

    # 7. Who hasn't voted? Only Carol: Alice's two accounts are one person who has voted.
    listing = await dc.press(dc.carol, dc_vote, "Who hasn't voted?")
    assert test_discord.private_texts(listing) == ["1 person hasn't voted in vote 1 yet: Carol King."]
    assert test_discord.private_texts(await dc.press(dc.carol, dc_vote, "No")) == ["Your vote is in: No."]
    for text in await tg.fake.wait_until(lambda: tallies("3 of 3 people have voted so far.")):
        assert "Yes: 1. No: 2." in text
        assert text.count("Alice Smith") == 1

    # Stored: Alice's person has exactly one ballot, and it says No.
    ballots = [b for b in await rows(app, Ballot) if b.person_id == alice_id]
    assert len(ballots) == 1
    labels = {o.id: o.label for o in await rows(app, VoteOption)}
    assert [labels[int(choice)] for choice in ballots[0].choices.split(",")] == ["No"]
    assert len(await rows(app, Ballot)) == 3

    await tg.fake.send_text(tg.chat, tg.alice, "/notvoted")
    await tg.bot_says("Everyone who can vote in vote 1 has voted.", chat=alice_private)
    await tg.fake.send_text(tg.chat, tg.alice, "/closevote")
    result = await tg.bot_says("Result of vote 1")
    assert "3 of 3 people voted (100%)." in result["text"]
    assert "Yes: 1. No: 2." in result["text"]
    await dc.bot_says("Result of vote 1")  # the result reaches the Discord channel too
