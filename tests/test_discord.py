"""Touchstone on Discord: the real discord.py against a loopback fake of Discord's gateway and REST API
(tests/fakes/discord.py). People use slash commands and press buttons; we check what the fake Discord
received and what was stored."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import signal
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select

from adapters.discord import DiscordAdapter
from bot.app import App, build_registry, run
from bot.config import Settings
from bot.registry import Command, Param, ParamKind, Registry
from bot.types import (
    Attachment,
    Button,
    ChatKind,
    ChatMessage,
    ChatRef,
    CommandCall,
    MessageRef,
    Outcome,
    Reply,
    UserRef,
)
from storage.groups import Membership
from storage.participation import Contribution
from tests.fakes.discord import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    MANAGE_GUILD,
    USE_APPLICATION_COMMANDS,
    VIEW_CHANNEL,
    FakeDiscord,
)
from tests.fakes.telegram import FakeTelegram
from tests.process import run_until_signal

JSON = dict[str, Any]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as server:
        yield server


class People:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.adapter: DiscordAdapter | None = None
        self.alice = fake.user("Alice Smith")
        self.bob = fake.user("Bob Jones")
        self.carol = fake.user("Carol King")
        self.guild = fake.guild("Riverside Lay Partners", owner=fake.user("Olga Owner"))
        self.channel = fake.channel(self.guild, "general")
        fake.add_member(self.guild, self.alice, permissions=MANAGE_GUILD)
        for person in (self.bob, self.carol):
            fake.add_member(self.guild, person)

    def texts(self) -> list[str]:
        return [m.get("content", "") for m in self.fake.messages_in(self.channel)]

    async def bot_says(self, fragment: str) -> JSON:
        def found() -> JSON | None:
            return next((m for m in self.fake.messages_in(self.channel) if fragment in m.get("content", "")), None)

        message: JSON = await self.fake.wait_until(found)
        return message

    async def slash(self, user: JSON, command: str, /, **options: Any) -> Any:
        """`user` runs a slash command; returns the interaction record once it has been answered."""
        iid = await self.fake.slash(self.channel, user, command, options or None)
        return await self.answered(iid)

    async def press(self, user: JSON, message: JSON, label: str) -> Any:
        iid = await self.fake.click(self.channel, user, message["id"], label=label)
        return await self.answered(iid)

    async def answered(self, iid: int) -> Any:
        """Wait until the bot has acknowledged the interaction and finished answering it."""
        record = self.fake.interaction(iid)
        await self.fake.wait_until(lambda: record.acknowledged)
        assert self.adapter is not None
        await self.adapter.settle()
        return record


def private_texts(record: Any) -> list[str]:
    return [response.text for response in record.responses if response.ephemeral and response.text]


@pytest.fixture
def people(fake: FakeDiscord) -> People:
    return People(fake)


def adapter_for(app: App, fake: FakeDiscord, people: People) -> DiscordAdapter:
    people.adapter = DiscordAdapter(
        app.dispatcher,
        app.registry,
        fake.token,
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_id=int(people.guild["id"]),
        edit_interval=0,
        guild_ready_timeout=0.05,
    )
    return people.adapter


@pytest.fixture
async def discord_bot(app: App, fake: FakeDiscord, people: People) -> AsyncIterator[DiscordAdapter]:
    adapter = adapter_for(app, fake, people)
    await adapter.start()
    yield adapter
    await app.dispatcher.settle()
    await adapter.stop()


#: /setup's note for the co-chair when the deployer has not turned on the message-content intent.
JARGON_NEEDS_CONTENT = (
    "Jargon watch, where I explain glossary words as they come up in the chat, needs Discord's message content "
    "intent: please set DISCORD_MESSAGE_CONTENT=true and turn on “Message Content Intent” for me in the Discord "
    "developer portal (everything else works without it)."
)


async def set_up(people: People) -> JSON:
    record = await people.slash(people.alice, "setup", name="Riverside Lay Partners")
    # Everything else went to the channel; the "thinking…" note is gone.
    assert people.adapter is not None
    assert private_texts(record) == ([] if people.adapter.message_content else [JARGON_NEEDS_CONTENT])
    welcome = await people.bot_says("Done! This chat is now the group")
    for person in (people.bob, people.carol):
        answer = await people.press(person, welcome, "Lay partner")
        assert private_texts(answer) == []  # the welcome in the channel says it: one message, not two
        await people.bot_says(f"Welcome, {person['global_name']}")
    return welcome


async def test_slash_commands_come_from_the_registry_and_are_only_sent_when_they_change(
    app: App, fake: FakeDiscord, people: People
) -> None:
    first = adapter_for(app, fake, people)
    await first.start()
    await first.stop()
    commands = fake.guild_commands[int(people.guild["id"])]
    assert {c["name"] for c in commands} == set(build_registry().commands)
    vote = next(c for c in commands if c["name"] == "extend")
    assert [(o["name"], o["type"]) for o in vote["options"]] == [("vote", 4), ("closes", 3)]
    assert fake.sync_count == 1
    second = adapter_for(app, fake, people)
    await second.start()
    await second.stop()
    assert fake.sync_count == 1  # unchanged, so not sent again


async def test_a_server_manager_sets_up_the_group_and_people_join_with_buttons(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    welcome = await set_up(people)
    assert people.fake.labels(welcome) == ["Lay partner", "Professional", "Other"]
    record = await people.slash(people.bob, "members")
    roster = await people.bot_says("has 3 members")
    assert "Bob Jones, a lay partner." in roster["content"]
    assert record.ack_s is not None and record.ack_s < 3


async def test_someone_without_manage_server_cannot_set_up_and_is_told_privately(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    record = await people.slash(people.bob, "setup", name="Bob's group")
    assert private_texts(record) == [
        "Only an admin of this chat can set it up. Please ask one of the chat's admins to type /setup."
    ]
    assert people.texts() == []
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(func.count()).select_from(Membership))).scalar_one() == 0


async def test_the_full_vote_flow_with_reminders_by_direct_message(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    await people.slash(people.alice, "vote", question="Should we meet monthly?", choices="yes/no", closes="Friday 5pm")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    assert private_texts(await people.press(people.bob, vote, "Yes")) == ["Your vote is in: Yes."]
    assert private_texts(await people.press(people.alice, vote, "No")) == ["Your vote is in: No."]
    assert private_texts(await people.press(people.alice, vote, "Yes")) == ["Your vote is in: Yes."]  # changed

    async def tally_shows_two_yes() -> bool:
        await app.dispatcher.settle()
        await discord_bot.settle()
        message = fake.message(people.channel, vote["id"])
        return message is not None and "Yes: 2. No: 0." in message["content"]

    await fake.wait_until(tally_shows_two_yes)
    # Alice asks who hasn't voted, and sends a kind reminder: Carol's DMs are closed.
    fake.close_dms(people.carol)
    listing = await people.press(people.alice, vote, "Who hasn't voted?")
    [text] = private_texts(listing)
    assert text == "1 person hasn't voted in vote 1 yet: Carol King."
    [shown] = [r for r in listing.responses if r.ephemeral and r.text == text]
    remind = await people.answered(
        await fake.click(people.channel, people.alice, shown.id, label="Send them a kind reminder")
    )
    assert remind.acknowledged
    hint = await people.bot_says("Carol King, I have a private message for you, but your direct messages are closed.")
    assert "Type /start here" in hint["content"]
    # Carol types /start in the channel: the reminder she missed appears where only she can see it.
    started = await people.slash(people.carol, "start")
    [intro, missed] = [r for r in started.responses if r.ephemeral]
    assert intro.text == "Hello Carol King! Here is the message I couldn't send you before."
    assert missed.text.startswith("Hello Carol King. A kind reminder") and "Yes" in missed.labels
    assert people.texts()[-1] == hint["content"]  # nothing new for everyone
    answer = await people.answered(await fake.click(people.channel, people.carol, missed.id, label="No"))
    assert private_texts(answer) == ["Your vote is in: No."]
    await people.slash(people.alice, "closevote")
    result = await people.bot_says("Result of vote 1")
    assert "3 of 3 people voted (100%)." in result["content"]
    # Every interaction was acknowledged, inside Discord's 3 seconds, and none twice.
    assert all(r.acknowledged and r.ack_s is not None and r.ack_s < 3 for r in fake.interactions)
    assert all(not r.rejected for r in fake.interactions)


async def test_when_discord_says_slow_down_the_bot_waits_and_the_message_still_arrives(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    people.fake.rate_limit_next("POST /channels", retry_after=0.2)
    await people.slash(people.alice, "vote", question="Should we meet monthly?", choices="yes/no")
    await people.bot_says("Vote 1: Should we meet monthly?")
    assert any(status == 429 for _, status, _ in people.fake.errors)


async def test_after_the_gateway_reconnects_buttons_still_work(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    welcome = await set_up(people)
    await people.fake.reconnect()
    await people.fake.wait_until(lambda: people.fake.resumes)
    fourth = people.fake.user("Dev Patel")
    people.fake.add_member(people.guild, fourth)
    assert private_texts(await people.press(fourth, welcome, "Professional")) == []
    await people.bot_says(f"Welcome, {fourth['global_name']}")


async def test_after_a_restart_old_buttons_still_work(app: App, fake: FakeDiscord, people: People) -> None:
    first = adapter_for(app, fake, people)
    await first.start()
    await set_up(people)
    await people.slash(people.alice, "vote", question="Should we meet monthly?", choices="yes/no")
    vote = await people.bot_says("Vote 1: Should we meet monthly?")
    await app.dispatcher.settle()
    await first.stop()
    second = adapter_for(app, fake, people)
    await second.start()
    try:
        assert private_texts(await people.press(people.bob, vote, "Yes")) == ["Your vote is in: Yes."]
    finally:
        await app.dispatcher.settle()
        await second.stop()


async def test_a_message_counts_as_having_a_say_without_the_bot_reading_it(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    await people.fake.say(people.channel, people.bob, "I think we should meet in the library.")

    async def counted() -> int:
        async with app.database.unit_of_work() as session:
            return int((await session.execute(select(func.count()).select_from(Contribution))).scalar_one())

    await people.fake.wait_until(counted)
    assert people.fake.intents is not None and not people.fake.intents & (1 << 15)  # no message content
    assert not people.fake.intents & (1 << 1)  # no member list either


@pytest.mark.parametrize("command", sorted(build_registry().commands))
async def test_every_command_gets_a_plain_answer_on_discord(
    app: App, discord_bot: DiscordAdapter, people: People, command: str
) -> None:
    await set_up(people)
    spec = app.registry.commands[command]
    example = {"number": 1, "member": people.bob["id"]}
    required: dict[str, Any] = {p.name: example.get(p.kind.value, "x") for p in spec.params if p.required}
    if command == "cochair":
        required = {"change": "add"}
    before = len(people.texts())
    record = await people.slash(people.alice, command, **required)
    said = private_texts(record) + people.texts()[before:]
    assert said and all("something went wrong" not in text for text in said), said


def question_id(people: People, record: Any) -> int:
    """The newest message with a "Type my answer" button: only for this person, or in the channel."""
    private = [r.id for r in record.responses if "Type my answer" in r.labels]
    public = [
        int(m["id"]) for m in people.fake.messages_in(people.channel) if "Type my answer" in people.fake.labels(m)
    ]
    return (private or public)[-1]


async def answer_with_form(people: People, record: Any, text: str, *, by: JSON | None = None) -> Any:
    """Press "Type my answer" under the bot's question, type `text` in the form and send it."""
    fake = people.fake
    person = by or people.alice
    opened = await fake.click(people.channel, person, question_id(people, record), label="Type my answer")
    await fake.wait_until(lambda: fake.interaction(opened).callback_type == 9)  # the form, as the first answer
    return await people.answered(await fake.submit_modal(opened, {"Your answer": text}, user=person))


def shown(people: People, record: Any, fragment: str) -> tuple[int, str, list[str]]:
    """The newest message containing `fragment` that the person saw: only for them, or in the channel."""
    seen = [(r.id, r.text, r.labels) for r in record.responses if fragment in r.text]
    seen += [
        (int(m["id"]), m["content"], people.fake.labels(m))
        for m in people.fake.messages_in(people.channel)
        if fragment in m["content"]
    ]
    assert seen, f"nobody was shown {fragment!r}"
    return seen[-1]


async def test_a_vote_started_step_by_step_is_answered_in_a_form_because_discord_hides_typed_words(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    asked = await people.slash(people.alice, "vote")
    shown(people, asked, "What would you like the group to vote on? Please type your question.")
    kinds = await answer_with_form(people, asked, "Which days suit for the summer meetings?")
    kind_id, _, labels = shown(people, kinds, "What kind of vote")
    assert labels == ["Yes or no", "Pick one", "Pick several", "Consensus", "Ranked choice"]
    deadline = await people.answered(await fake.click(people.channel, people.alice, kind_id, label="Yes or no"))
    shown(people, deadline, "When should the vote close?")
    summary = await answer_with_form(people, deadline, "Friday 5pm")
    ready_id, text, _ = shown(people, summary, "Ready to start this vote?")
    assert "It closes on Friday 6 November, 5pm." in text
    await people.answered(await fake.click(people.channel, people.alice, ready_id, label="Start the vote"))
    vote = await people.bot_says("Vote 1: Which days suit for the summer meetings?")
    assert fake.labels(vote)[:2] == ["Yes", "No"]


async def test_an_answer_form_sent_by_someone_who_was_not_asked_changes_nothing(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    asked = await people.slash(people.alice, "vote")
    fake = people.fake
    opened = await fake.click(people.channel, people.bob, question_id(people, asked), label="Type my answer")
    await fake.wait_until(lambda: fake.interaction(opened).callback_type == 9)
    answer = await people.answered(await fake.submit_modal(opened, {"Your answer": "Bob's question"}, user=people.bob))
    assert private_texts(answer) == ["Thank you. I wasn't waiting for an answer from you, so nothing has changed."]


async def test_a_reason_for_disagreeing_is_typed_in_a_form_and_kept(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    await people.slash(people.alice, "vote", question="Adopt the new leaflet?", choices="consensus")
    vote = await people.bot_says("Vote 1: Adopt the new leaflet?")
    pressed = await people.press(people.bob, vote, "Disagree")
    assert "Please type a short reason for choosing Disagree. It will be shown with the result." in private_texts(
        pressed
    )
    thanked = await answer_with_form(people, pressed, "The print is too small to read", by=people.bob)
    assert private_texts(thanked) == ["Thank you. Your reason will be shown with the result."]
    await people.slash(people.alice, "closevote")
    result = await people.bot_says("Result of vote 1")
    assert "Bob Jones disagreed: The print is too small to read." in result["content"]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
async def test_touchstone_run_with_both_tokens_runs_telegram_and_discord_in_one_process_and_stops_cleanly(
    fake: FakeDiscord, people: People, tmp_path: Path, signal_number: int
) -> None:
    async with FakeTelegram() as telegram:
        settings = {
            "TELEGRAM_TOKEN": telegram.token,
            "TELEGRAM_API_URL": f"{telegram.url}/bot",
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "DISCORD_GUILD_ID": str(people.guild["id"]),
        }

        async def running() -> None:
            await telegram.wait_until(lambda: "getUpdates" in telegram.calls, timeout=30)
            await fake.wait_until(lambda: fake.connected, timeout=30)
            # One database behind both: a Discord server set up while Telegram is polling.
            iid = await fake.slash(people.channel, people.alice, "setup", {"name": "Riverside Lay Partners"})
            await fake.wait_until(lambda: fake.interaction(iid).acknowledged, timeout=10)
            await fake.wait_until(lambda: any("Done!" in t for t in people.texts()), timeout=10)

        code, printed = await run_until_signal(settings, tmp_path, signal_number, running)
    assert code == 0, printed
    assert "Touchstone is running on Telegram as @TouchstoneTestBot." in printed
    assert "Touchstone is running on Discord as @" in printed
    assert "Touchstone has stopped." in printed
    assert "Traceback" not in printed
    assert fake.token not in printed and telegram.token not in printed


@pytest.mark.parametrize("platform", ["telegram", "discord"])
async def test_a_token_the_platform_refuses_stops_the_bot_with_a_plain_message(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture, platform: str
) -> None:
    async with FakeTelegram() as telegram:
        wrong_telegram = "999999999:" + "B" * 35
        wrong_discord = fake.token[:-4] + "nope"
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}",
            telegram_token=wrong_telegram if platform == "telegram" else None,
            telegram_api_url=f"{telegram.url}/bot",
            discord_token=wrong_discord if platform == "discord" else None,
            discord_api_url=fake.api_url,
            discord_gateway_url=fake.gateway_url,
            _env_file=None,
        )
        with caplog.at_level(logging.ERROR, logger="touchstone"):
            assert await run(settings) == 2
    name = "TELEGRAM_TOKEN" if platform == "telegram" else "DISCORD_TOKEN"
    assert f"did not accept {name}." in caplog.text
    assert "Traceback" not in caplog.text
    assert wrong_telegram not in caplog.text and wrong_discord not in caplog.text


async def test_if_the_bot_may_not_post_in_the_channel_the_person_who_asked_still_sees_the_answer(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    people.fake.fail_next("POST /channels", 403, "Missing Permissions", 50013)
    record = await people.slash(people.bob, "members")
    [text] = private_texts(record)
    assert "Bob Jones, a lay partner." in text
    assert text.endswith(
        "Only you can see this, because I'm not allowed to post in this channel. "
        "A server manager can give me the Send Messages permission here."
    )


async def test_setup_tells_the_co_chair_when_the_bot_lacks_a_permission_it_needs_there(app: App) -> None:
    async with FakeDiscord(bot_permissions=VIEW_CHANNEL | USE_APPLICATION_COMMANDS) as fake:
        people = People(fake)
        fake.set_role_permissions(people.guild, people.guild["id"], VIEW_CHANNEL | USE_APPLICATION_COMMANDS)
        adapter = adapter_for(app, fake, people)
        await adapter.start()
        try:
            record = await people.slash(people.alice, "setup", name="Riverside Lay Partners")
            [advice] = [text for text in private_texts(record) if "One more step" in text]
            assert "Send Messages" in advice and "Read Message History" in advice
            assert private_texts(record)[-2:] == [advice, JARGON_NEEDS_CONTENT]  # both notes, permissions first
        finally:
            await app.dispatcher.settle()
            await adapter.stop()


async def test_without_a_server_id_slash_commands_are_sent_globally_and_work_in_direct_messages(
    app: App, fake: FakeDiscord, people: People
) -> None:
    adapter = adapter_for(app, fake, people)
    adapter.guild_id = None
    await adapter.start()
    try:
        assert {c["name"] for c in fake.commands} == set(build_registry().commands)
        assert int(people.guild["id"]) not in fake.guild_commands or not fake.guild_commands[int(people.guild["id"])]
        dm = fake.dm_channel(people.bob)
        record = await people.answered(await fake.slash(dm, people.bob, "help"))
        [text] = private_texts(record)
        assert text.startswith("Here is what you can do here:")
        with pytest.raises(ValueError):  # /setup is for a server channel only, so Discord does not offer it here
            await fake.slash(dm, people.bob, "setup")
    finally:
        await app.dispatcher.settle()
        await adapter.stop()


async def test_start_typed_in_a_direct_message_delivers_what_was_kept(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    bob = UserRef("discord", str(people.bob["id"]), "Bob Jones")
    await app.dispatcher.hold(Reply("A kind reminder: vote 1 closes on Friday."), bob)
    dm = people.fake.dm_channel(people.bob)
    await people.fake.say(dm, people.bob, "/start")
    await people.fake.wait_until(lambda: len(people.fake.dms(people.bob)) >= 2)
    kept = [m["content"] for m in people.fake.dms(people.bob)]
    assert kept == [
        "Hello Bob Jones! Here is the message I couldn't send you before.",
        "A kind reminder: vote 1 closes on Friday.",
    ]


async def test_if_discord_ends_the_connection_for_good_the_bot_stops_so_it_can_be_restarted(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}",
        discord_token=fake.token,
        discord_api_url=fake.api_url,
        discord_gateway_url=fake.gateway_url,
        _env_file=None,
    )
    with caplog.at_level(logging.INFO, logger="touchstone"):
        running = asyncio.create_task(run(settings))
        await fake.wait_until(lambda: "Press Ctrl-C to stop." in caplog.text, timeout=30)
        await fake.close_gateway(4004, "Authentication failed.")  # the token was reset in the portal
        assert await asyncio.wait_for(running, 30) == 1
    assert "The connection to Discord ended (ConnectionClosed). Touchstone will stop now." in caplog.text
    assert "Touchstone has stopped." in caplog.text


async def test_a_queued_message_sent_again_after_a_crash_is_posted_only_once(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    await people.slash(people.alice, "vote", question="Meet monthly?", choices="yes/no")
    posted = len(people.texts())
    # The outbox row went out, then the process died before marking it sent: the next process sends it
    # again with the same nonce (the row's id), and Discord gives back the message already posted.
    chat = ChatRef("discord", str(people.channel["id"]), ChatKind.GROUP, "general")
    again = Reply("Result of vote 1: Meet monthly?", to=chat, nonce="ts42")
    first = await discord_bot.deliver(again, chat)
    second = await discord_bot.deliver(again, chat)
    assert first == second
    assert len(people.texts()) == posted + 1
    different = await discord_bot.deliver(dataclasses.replace(again, nonce="ts43"), chat)
    assert different != first and len(people.texts()) == posted + 2


# ---- files and link buttons ---------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    """A real (all black) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CALENDAR = Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar")
CHART = Attachment("turnout.png", png(320, 200), "image/png")
TABLE = Attachment("figures.csv", b"name,votes\nYes,2\nNo,1\n", "text/csv")


def channel_ref(people: People) -> ChatRef:
    return ChatRef("discord", str(people.channel["id"]), ChatKind.GROUP, "general")


def buttons_of(message: JSON) -> list[JSON]:
    return [c for row in message.get("components", []) for c in row.get("components", [])]


async def test_files_are_attachments_of_the_message_with_the_text_and_buttons(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    fake = people.fake
    rows = Reply.rows(
        [
            Button("Open the agenda", url="https://example.org/agenda"),
            Button("Give a reason", "ballot", "12.3", in_private=True),
        ]
    )
    ref = await discord_bot.deliver(
        Reply("The meeting is on Friday.", buttons=rows, files=(CALENDAR, CHART)), channel_ref(people)
    )
    [message] = fake.messages_in(people.channel)
    assert ref is not None and ref.id == message["id"]
    assert message["content"] == "The meeting is on Friday."
    calendar, chart = message["attachments"]
    assert (calendar["filename"], calendar["content_type"], calendar["size"]) == (
        "meeting.ics",
        "text/calendar; charset=utf-8",
        len(CALENDAR.data),
    )
    assert (chart["filename"], chart["content_type"], chart["width"], chart["height"]) == (
        "turnout.png",
        "image/png",
        320,
        200,
    )
    assert [(f.filename, f.data) for f in fake.files] == [("meeting.ics", CALENDAR.data), ("turnout.png", CHART.data)]
    link, private = buttons_of(message)
    assert (link["style"], link["url"], link["label"], "custom_id" in link) == (
        5,
        "https://example.org/agenda",
        "Open the agenda",
        False,
    )
    assert private["custom_id"] == "ballot:12.3"  # on Discord, an ordinary button


async def test_long_text_and_many_files_the_files_go_with_the_last_part_and_more_than_ten_follow(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    fake = people.fake
    long_text = "\n".join(f"Line {n} of the minutes, as agreed." for n in range(80))  # over 2,000 characters
    files = tuple(Attachment(f"page-{n}.txt", f"page {n}".encode(), "text/plain") for n in range(12))
    reply = Reply(long_text, files=files, nonce="ts7")
    first = await discord_bot.deliver(reply, channel_ref(people))
    again = await discord_bot.deliver(reply, channel_ref(people))  # sent again after a crash: posted once
    assert first == again
    messages = fake.messages_in(people.channel)
    assert [len(m["attachments"]) for m in messages] == [0, 10, 2]
    assert "\n".join(m["content"] for m in messages[:2]) == long_text and messages[2]["content"] == ""
    assert first is not None and first.id == messages[1]["id"]
    assert [f.filename for f in fake.files] == [f"page-{n}.txt" for n in range(12)]


async def test_a_reply_only_for_one_person_carries_its_files_too(
    app: App, discord_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    handle = app.dispatcher.handle

    async def with_files(event: object) -> Outcome:
        if isinstance(event, CommandCall) and event.name == "help":
            return Outcome(
                replies=[
                    Reply("Your figures.", private=True, files=(TABLE,)),
                    Reply("And the chart.", private=True, files=(CHART,)),
                ]
            )
        return await handle(event)  # type: ignore[arg-type]

    monkeypatch.setattr(app.dispatcher, "handle", with_files)
    record = await people.slash(people.bob, "help")
    figures, chart = record.responses
    assert (figures.kind, figures.text, figures.filenames) == ("original", "Your figures.", ["figures.csv"])
    assert (chart.kind, chart.text, chart.filenames) == ("followup", "And the chart.", ["turnout.png"])
    assert figures.ephemeral and chart.ephemeral
    assert all(a["ephemeral"] for r in (figures, chart) for a in r.attachments)
    assert people.texts() == []  # nothing for the whole channel
    assert [(f.filename, f.data) for f in people.fake.files] == [
        ("figures.csv", TABLE.data),
        ("turnout.png", CHART.data),
    ]


async def test_a_direct_message_carries_its_files(app: App, discord_bot: DiscordAdapter, people: People) -> None:
    bob = UserRef("discord", str(people.bob["id"]), "Bob Jones")
    await discord_bot.deliver(Reply("Your calendar file.", files=(CALENDAR,)), bob)
    [dm] = people.fake.dms(people.bob)
    assert dm["content"] == "Your calendar file." and [a["filename"] for a in dm["attachments"]] == ["meeting.ics"]


async def test_if_the_bot_may_not_attach_files_in_the_channel_the_person_who_asked_still_gets_them(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with FakeDiscord(bot_permissions=DEFAULT_BOT_PERMISSIONS & ~ATTACH_FILES) as fake:
        people = People(fake)
        fake.set_role_permissions(people.guild, people.guild["id"], DEFAULT_EVERYONE_PERMISSIONS & ~ATTACH_FILES)
        handle = app.dispatcher.handle

        async def with_a_file(event: object) -> Outcome:
            if isinstance(event, CommandCall) and event.name == "help":
                return Outcome(replies=[Reply("This month's figures.", files=(TABLE,))])
            return await handle(event)  # type: ignore[arg-type]

        monkeypatch.setattr(app.dispatcher, "handle", with_a_file)
        adapter = adapter_for(app, fake, people)
        await adapter.start()
        try:
            record = await people.slash(people.alice, "help")
        finally:
            await app.dispatcher.settle()
            await adapter.stop()
    [shown] = record.responses
    assert shown.ephemeral and shown.text.startswith("This month's figures.\n\nOnly you can see this")
    assert shown.filenames == ["figures.csv"]
    assert ("POST /channels/" in fake.errors[0][0]) and fake.errors[0][1] == 403


# ---- meetings on Discord ---------------------------------------------------------------------------------


async def test_a_meeting_is_posted_with_its_calendar_attached_and_the_chart_goes_only_to_the_co_chair(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    from datetime import UTC, datetime

    from icalendar import Calendar

    fake = people.fake
    await set_up(people)
    await people.slash(
        people.alice, "meeting", when="Tuesday 6:30pm", where="Online: https://meet.example.org/abc", more="Town hall"
    )
    posted = await people.bot_says("New meeting. Meeting 1: Tuesday 3 November, 6:30pm to 8:30pm.")
    [attachment] = posted["attachments"]
    assert attachment["filename"].endswith(".ics") and attachment["content_type"].startswith("text/calendar")
    [sent] = [f for f in fake.files if f.message_id == int(posted["id"])]
    (event,) = Calendar.from_ical(sent.data).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 11, 3, 18, 30, tzinfo=UTC)
    labels = [(b.get("label"), b.get("url")) for b in buttons_of(posted)]
    assert ("Join online", "https://meet.example.org/abc") in labels
    pressed = await people.press(people.bob, posted, "Add to my calendar")
    [response] = [r for r in pressed.responses if r.filenames]
    assert response.ephemeral and response.filenames[0].endswith(".ics")
    app.clock.set(datetime(2026, 11, 3, 18, 35, tzinfo=UTC))  # type: ignore[attr-defined]
    await app.scheduler.run_due()
    check_in = await people.bot_says("The meeting has started")
    await people.press(people.carol, check_in, "I'm here")
    app.clock.set(datetime(2026, 11, 4, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    record = await people.slash(people.alice, "attendance")
    [with_chart] = [r for r in record.responses if r.filenames]
    assert with_chart.ephemeral and with_chart.filenames == ["attendance.png"]
    assert with_chart.attachments[0]["content_type"] == "image/png"
    assert "Carol King attended 1 of 1 meeting" in " ".join(r.text for r in record.responses)
    assert not any("attended" in text for text in people.texts())  # nobody's figure in the channel


# ---- papers: a file sent with a command, a thread for each post, replies ---------------------------------

PAPER = Attachment("housing-strategy.pdf", b"%PDF-1.7\n" + b"the strategy, page after page\n" * 200, "application/pdf")
T = TypeVar("T")


async def _no_handler(ctx: object) -> None:
    return None


def with_a_file_command() -> Registry:
    """The running registry plus a command that takes a document (the adapter only reads declarations)."""
    registry = build_registry()
    registry.add_command(
        Command(
            name="sharefile",
            summary="Share a paper with the group",
            handler=_no_handler,
            params=(
                Param("title", ParamKind.TEXT, "The paper's title"),
                Param("document", ParamKind.FILE, "The paper itself"),
                Param("note", ParamKind.TEXT, "A line about it", required=False),
            ),
            separator="|",
        )
    )
    return registry


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


@pytest.fixture
async def paper_bot(app: App, fake: FakeDiscord, people: People) -> AsyncIterator[DiscordAdapter]:
    people.adapter = DiscordAdapter(
        app.dispatcher,
        with_a_file_command(),
        fake.token,
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_id=int(people.guild["id"]),
        edit_interval=0,
        guild_ready_timeout=0.05,
    )
    await people.adapter.start()
    yield people.adapter
    await app.dispatcher.settle()
    await people.adapter.stop()


async def test_a_file_parameter_is_an_attachment_option_and_the_file_reaches_the_command(
    app: App, paper_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch, answers={"sharefile": "Thank you, I've posted the paper."})
    [declared] = [c for c in fake.guild_commands[int(people.guild["id"])] if c["name"] == "sharefile"]
    assert [(o["name"], o["type"], o["required"]) for o in declared["options"]] == [
        ("title", 3, True),
        ("document", 11, True),
        ("note", 3, False),
    ]
    record = await people.slash(
        people.bob, "sharefile", title="Housing strategy", document=(PAPER.filename, PAPER.data, PAPER.mime)
    )
    await people.bot_says("Thank you, I've posted the paper.")
    [call] = recorder.of(CommandCall)
    assert (call.name, call.args, call.actor.id) == ("sharefile", "Housing strategy", str(people.bob["id"]))
    assert call.files == (PAPER,)  # downloaded from Discord's url; never part of the typed text
    assert call.origin == f"discord:i:{record.id}"
    assert len(fake.downloads) == 1
    # With the optional part too, the text is what someone would type: the file has no place in it.
    await people.slash(
        people.bob, "sharefile", title="Leaflet", document=("leaflet.txt", b"Carers' leaflet"), note="Short one"
    )
    leaflet = recorder.of(CommandCall)[1]
    assert leaflet.args == "Leaflet | Short one"
    assert leaflet.files == (Attachment("leaflet.txt", b"Carers' leaflet", "text/plain"),)


async def test_a_file_over_20_mb_is_refused_kindly_and_the_core_never_hears_of_it(
    app: App, paper_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch, answers={"sharefile": "Posted."})
    huge = b"\0" * (20 * 1024 * 1024 + 1)
    record = await people.slash(people.bob, "sharefile", title="Big scan", document=("scan.pdf", huge))
    assert private_texts(record) == [
        "That file is bigger than 20 MB, the most I can take. Please share a link to it instead."
    ]
    assert recorder.of(CommandCall) == [] and fake.downloads == [] and people.texts() == []


async def test_a_reply_with_a_thread_name_starts_a_thread_and_messages_there_answer_its_message(
    app: App, discord_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch)
    name = "Paper 1: the housing strategy, " + "and much more besides " * 5
    posted = await discord_bot.deliver(Reply("Paper 1 is posted.", thread=name, nonce="ts41"), channel_ref(people))
    assert posted is not None
    thread = fake.thread(posted.id)
    assert thread is not None and thread["parent_id"] == people.channel["id"] and thread["type"] == 11
    assert len(thread["name"]) == 100 and thread["name"].startswith("Paper 1: the housing strategy, and much")
    assert thread["owner_id"] == str(fake.bot_id)
    # Sent again after a crash (the same outbox row): the message is posted once, and so is its thread.
    assert (
        await discord_bot.deliver(Reply("Paper 1 is posted.", thread=name, nonce="ts41"), channel_ref(people)) == posted
    )
    assert [e[1:] for e in fake.errors] == [(400, {"message": fake.errors[0][2]["message"], "code": 160004})]
    # In the thread, without the message-content intent: no words, but who, where, and which post it answers.
    await fake.say(thread, people.bob, "Too little about carers.")
    await fake.wait_until(lambda: recorder.of(ChatMessage))
    [said] = recorder.of(ChatMessage)
    assert said.chat == ChatRef("discord", posted.id, ChatKind.THREAD, thread["name"])
    assert said.text == "" and said.actor.id == str(people.bob["id"])
    assert said.reply_to == MessageRef(channel_ref(people), posted.id)
    assert said.origin is not None and said.origin.startswith("discord:m:")
    # Private messages have no threads.
    bob = UserRef("discord", str(people.bob["id"]), "Bob Jones")
    privately = await discord_bot.deliver(Reply("Your paper is up.", thread="Never made"), bob)
    assert privately is not None and fake.thread(privately.id) is None


async def test_a_reply_to_the_bots_message_in_a_channel_says_which_message_it_answers(
    app: App, discord_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch)
    posted = await discord_bot.deliver(Reply("Paper 2: the leaflet."), channel_ref(people))
    assert posted is not None
    await fake.say(people.channel, people.bob, "Looks good.", reply_to=posted.id)  # pings the bot: words arrive
    await fake.say(people.channel, people.carol, "Agreed.", reply_to=posted.id, mention_author=False)
    carols = await fake.say(people.channel, people.carol, "One more thing.")
    await fake.say(people.channel, people.alice, "Yes?", reply_to=carols["id"])  # a reply to Carol
    await fake.wait_until(lambda: len(recorder.of(ChatMessage)) == 4)
    bob, carol, carol_again, alice = recorder.of(ChatMessage)
    assert (bob.text, bob.reply_to) == ("Looks good.", MessageRef(channel_ref(people), posted.id))
    assert (carol.text, carol.reply_to) == ("", MessageRef(channel_ref(people), posted.id))
    assert carol_again.reply_to is None and alice.reply_to is None
    assert bob.chat == channel_ref(people)


async def test_a_thread_people_start_from_the_bots_message_answers_it_and_one_from_theirs_does_not(
    app: App, discord_bot: DiscordAdapter, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = people.fake
    recorder = Recorder(app, monkeypatch)
    posted = await discord_bot.deliver(Reply("Paper 3: the budget."), channel_ref(people))
    assert posted is not None
    theirs = await fake.say(people.channel, people.carol, "Shall we talk about parking?")
    ours = await fake.start_thread(people.channel, people.bob, posted.id, "Budget talk")
    parking = await fake.start_thread(people.channel, people.carol, theirs["id"], "Parking")
    guild = discord_bot.client.get_guild(int(people.guild["id"]))
    assert guild is not None
    await fake.wait_until(lambda: guild.get_thread(int(parking["id"])))
    # discord.py forgets a thread (as after missing its THREAD_CREATE): the adapter looks it up once.
    forgotten = guild.get_thread(int(ours["id"]))
    assert forgotten is not None
    guild._remove_thread(forgotten)
    for _ in range(2):
        await fake.say(ours, people.bob, "Too dear.")
    await fake.say(parking, people.carol, "Near the station?")
    await fake.wait_until(lambda: len(recorder.of(ChatMessage)) == 4)
    in_threads = [m for m in recorder.of(ChatMessage) if m.chat.kind is ChatKind.THREAD]
    first, second = [m for m in in_threads if m.actor.id == str(people.bob["id"])]
    [parked] = [m for m in in_threads if m.actor.id == str(people.carol["id"])]
    assert first.reply_to == second.reply_to == MessageRef(channel_ref(people), posted.id)
    assert first.chat == ChatRef("discord", posted.id, ChatKind.THREAD, "Budget talk")
    assert parked.reply_to is None
    assert fake.calls.count(f"GET /channels/{ours['id']}") == 1  # looked up once
    assert fake.calls.count(f"GET /channels/{people.channel['id']}/messages/{theirs['id']}") == 1


async def test_without_permission_to_start_threads_the_message_stays_and_a_warning_is_logged(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeDiscord() as fake:
        people = People(fake)
        fake.set_role_permissions(
            people.guild, people.guild["id"], DEFAULT_EVERYONE_PERMISSIONS & ~CREATE_PUBLIC_THREADS
        )
        adapter = adapter_for(app, fake, people)
        await adapter.start()
        try:
            with caplog.at_level(logging.WARNING, logger="touchstone.discord"):
                posted = await adapter.deliver(Reply("Paper 4 is posted.", thread="Paper 4"), channel_ref(people))
        finally:
            await app.dispatcher.settle()
            await adapter.stop()
    assert posted is not None and [m["id"] for m in fake.messages_in(people.channel)] == [posted.id]
    assert fake.thread(posted.id) is None
    assert "Create Public Threads" in caplog.text
    assert fake.errors[-1][1:] == (403, {"message": "Missing Permissions", "code": 50013})


# ---- discussion papers on Discord -----------------------------------------------------------------------


async def paper_views(app: App) -> list[tuple[int | None, str]]:
    from storage.papers import View

    async with app.database.unit_of_work() as session:
        return [(v.person_id, v.text) for v in (await session.execute(select(View).order_by(View.id))).scalars()]


async def test_a_paper_gets_its_own_thread_and_views_come_by_the_form_not_by_unreadable_thread_messages(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    fake = people.fake
    await set_up(people)
    document = b"%PDF-1.4 the paper"
    await people.slash(
        people.alice,
        "paper",
        title="Hospital transport",
        summary="What should change?",
        post="now",
        document=("transport.pdf", document, "application/pdf"),
    )
    post = await people.bot_says("Discussion paper 1: Hospital transport")
    assert [a["filename"] for a in post["attachments"]] == ["transport.pdf"]
    assert "Add my view" in fake.labels(post)
    thread = await fake.wait_until(lambda: fake.thread(post["id"]))
    assert thread["name"] == "Views on paper 1: Hospital transport"
    # Without the message-content intent the bot can't read what Bob writes in the thread: taking part, not a view.
    await fake.say(thread, people.bob, "The 6pm bus is the problem")

    async def took_part() -> int:
        async with app.database.unit_of_work() as session:
            return int((await session.execute(select(func.count()).select_from(Contribution))).scalar_one())

    for _ in range(200):  # until the bot has handled it
        if await took_part():
            break
        await asyncio.sleep(0.02)
    spoke = await took_part()
    assert await paper_views(app) == [] and spoke >= 1
    # The button opens a form; what is typed there is the view, shared with a name.
    pressed = await people.press(people.carol, post, "Add my view")
    typed = await answer_with_form(people, pressed, "Parking is the real problem", by=people.carol)
    [choice] = [r for r in typed.responses if "How shall I share your view on paper 1?" in r.text]
    assert choice.ephemeral
    await people.answered(await fake.click(people.channel, people.carol, choice.id, label="Share with my name"))
    await people.bot_says("A view on paper 1 from Carol King: Parking is the real problem")
    assert [text for _pid, text in await paper_views(app)] == ["Parking is the real problem"]


async def test_with_the_message_content_intent_on_messages_in_a_papers_thread_are_views(
    app: App, fake: FakeDiscord, people: People
) -> None:
    adapter = dataclasses.replace(adapter_for(app, fake, people), message_content=True)  # DISCORD_MESSAGE_CONTENT
    people.adapter = adapter
    await adapter.start()
    try:
        await set_up(people)
        await people.slash(
            people.alice,
            "paper",
            title="Hospital transport",
            summary="What should change?",
            paper="https://example.org/paper.pdf",
            post="now",
        )
        post = await people.bot_says("Discussion paper 1: Hospital transport")
        thread = await fake.wait_until(lambda: fake.thread(post["id"]))
        await fake.say(thread, people.bob, "The 6pm bus is the problem")
        for _ in range(100):
            if await paper_views(app):
                break
            await asyncio.sleep(0.05)
        assert [text for _pid, text in await paper_views(app)] == ["The 6pm bus is the problem"]
    finally:
        await app.dispatcher.settle()
        await adapter.stop()


# ---- jargon watch ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_intent", [False, True], ids=["intent-off", "intent-on"])
async def test_setup_says_jargon_watch_needs_the_message_content_intent_only_when_it_is_off(
    app: App, fake: FakeDiscord, people: People, content_intent: bool
) -> None:
    adapter = dataclasses.replace(adapter_for(app, fake, people), message_content=content_intent)
    people.adapter = adapter
    await adapter.start()
    try:
        record = await people.slash(people.alice, "setup", name="Riverside Lay Partners")
        await people.bot_says("Done! This chat is now the group")
        said = private_texts(record) + people.texts()
        assert (JARGON_NEEDS_CONTENT in said) is not content_intent
        assert private_texts(record) == ([] if content_intent else [JARGON_NEEDS_CONTENT])  # to the co-chair alone
        assert not any("Message Content Intent" in text for text in people.texts())
    finally:
        await app.dispatcher.settle()
        await adapter.stop()


async def messages_counted(app: App) -> int:
    async with app.database.unit_of_work() as session:
        query = select(func.count()).select_from(Contribution).where(Contribution.kind == "message")
        return int((await session.execute(query)).scalar_one())


def explanations(people: People) -> list[str]:
    return [text for text in people.texts() if text.startswith("In case it helps:")]


async def test_with_the_message_content_intent_on_a_glossary_word_in_the_channel_is_explained_once(
    app: App, fake: FakeDiscord, people: People
) -> None:
    adapter = dataclasses.replace(adapter_for(app, fake, people), message_content=True)  # DISCORD_MESSAGE_CONTENT
    people.adapter = adapter
    await adapter.start()
    try:
        await set_up(people)
        await fake.say(people.channel, people.bob, "The ICB wants our views.")
        explained = await people.bot_says("In case it helps:")
        assert explained["content"].startswith("In case it helps:\nICB (integrated care board): The local NHS body")
        await fake.say(people.channel, people.carol, "The ICB again")  # the same word, the same day: once is enough

        async def both_counted() -> bool:
            return await messages_counted(app) >= 2

        await fake.wait_until(both_counted)  # the bot has handled Carol's message too
        await app.dispatcher.settle()
        await adapter.settle()
        assert len(explanations(people)) == 1
    finally:
        await app.dispatcher.settle()
        await adapter.stop()


async def test_without_the_message_content_intent_a_glossary_word_counts_as_taking_part_and_nothing_is_explained(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    await people.fake.say(people.channel, people.bob, "The ICB wants our views.")
    await people.fake.wait_until(lambda: messages_counted(app))
    await app.dispatcher.settle()
    await discord_bot.settle()
    assert explanations(people) == []
    heard = await people.slash(people.alice, "notheard", window="30 days")
    quiet = " ".join(private_texts(heard)).split("Not heard from yet")[-1].split("\n\n")[0]
    assert "Carol King" in quiet and "Bob Jones" not in quiet  # Bob's message counted, unread
    assert explanations(people) == []


# ---- every voice heard -----------------------------------------------------------------------------------


async def test_the_participation_report_comes_to_the_co_chair_alone_with_its_chart_and_table(
    app: App, discord_bot: DiscordAdapter, people: People
) -> None:
    await set_up(people)
    await people.fake.say(people.channel, people.bob, "I think we should meet in the library.")

    async def counted() -> int:
        async with app.database.unit_of_work() as session:
            return int((await session.execute(select(func.count()).select_from(Contribution))).scalar_one())

    await people.fake.wait_until(counted)
    record = await people.slash(people.alice, "report")
    [with_files] = [r for r in record.responses if r.filenames]
    assert with_files.ephemeral and with_files.filenames == ["taking-part.png", "taking-part.csv"]
    assert with_files.attachments[0]["content_type"] == "image/png"
    [chart] = [f for f in people.fake.files if f.filename == "taking-part.png"]
    assert chart.data[:8] == b"\x89PNG\r\n\x1a\n"
    said = " ".join(r.text for r in record.responses)
    assert "Bob Jones: 1 message." in said
    assert not any("Bob Jones: 1" in text for text in people.texts())  # nobody's figures in the channel
    heard = await people.slash(people.alice, "notheard", window="30 days")
    text = " ".join(private_texts(heard))
    assert "Carol King" in text and "Bob Jones" not in text.split("Not heard from yet")[-1].split("\n\n")[0]
    assert "can't see ordinary messages" not in text  # Discord sends every message as an event
