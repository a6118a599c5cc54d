"""The Discord fake speaks well enough for the real discord.py: gateway, slash commands, buttons, errors."""

from __future__ import annotations

import asyncio
import io
import json
import struct
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from tests.fakes.discord import (
    ATTACH_FILES,
    CREATE_PUBLIC_THREADS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    MANAGE_GUILD,
    FakeDiscord,
)


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(ack_timeout=0.5) as server:
        # Exactly what the adapter does to point discord.py at Discord.
        monkeypatch.setattr(discord.http.Route, "BASE", server.api_url)
        monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url))
        yield server


class Bot:
    """A real discord.py client and command tree, with what it saw."""

    def __init__(self, intents: discord.Intents) -> None:
        self.client = discord.Client(intents=intents, guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self.client)
        self.ready = asyncio.Event()
        self.messages: list[discord.Message] = []
        self.joined: list[discord.Member] = []
        self.left: list[int] = []
        self.resumed = asyncio.Event()
        self.failures: list[Exception] = []
        client = self.client

        @client.event
        async def on_ready() -> None:
            self.ready.set()

        @client.event
        async def on_resumed() -> None:
            self.resumed.set()

        @client.event
        async def on_message(message: discord.Message) -> None:
            self.messages.append(message)

        @client.event
        async def on_member_join(member: discord.Member) -> None:
            self.joined.append(member)

        @client.event
        async def on_raw_member_remove(payload: discord.RawMemberRemoveEvent) -> None:
            self.left.append(payload.user.id)


@asynccontextmanager
async def running(fake: FakeDiscord, bot: Bot) -> AsyncIterator[Bot]:
    await bot.client.login(fake.token)
    task = asyncio.create_task(bot.client.connect(reconnect=False))
    try:
        await asyncio.wait_for(bot.ready.wait(), 5)
        yield bot
    finally:
        await bot.client.close()
        await asyncio.wait_for(task, 5)


def guild_intents(**extra: bool) -> discord.Intents:
    return discord.Intents(guilds=True, **extra)


async def test_ready_guild_channel_and_gateway_details(fake: FakeDiscord) -> None:
    alice = fake.user("Alice Smith")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    assert fake.channel(guild, "general") is general  # the guild came with it

    async with running(fake, Bot(guild_intents())) as bot:
        client = bot.client
        assert client.user is not None and client.user.id == fake.bot_id
        assert client.application_id == fake.application_id
        found = client.get_guild(int(guild["id"]))
        assert found is not None and found.name == "Lay Partners" and not found.unavailable
        assert found.owner_id == int(alice["id"]) and found.member_count == 2
        channel = client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel) and channel.name == "general"
        assert found.me is not None and found.me.guild_permissions.send_messages
        assert found.get_member(int(alice["id"])) is None  # no presences intent: GUILD_CREATE lists only the bot

        # A channel created while connected arrives as CHANNEL_CREATE.
        agenda = fake.channel(guild, "agenda")
        await fake.wait_until(lambda: client.get_channel(int(agenda["id"])))
        assert await fake.wait_until(lambda: fake.heartbeats >= 1)  # discord.py beats right after HELLO

    assert fake.connections[0] == {"path": "/", "query": {"v": "10", "encoding": "json", "compress": "zlib-stream"}}
    assert fake.intents == guild_intents().value
    assert [f["t"] for f in fake.dispatched][:2] == ["READY", "GUILD_CREATE"]
    assert fake.calls[:2] == ["GET /users/@me", "GET /oauth2/applications/@me"]
    assert not fake.connected  # a clean close ends the session


async def test_raw_gateway_frames_and_close_codes(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        url = yarl.URL(fake.gateway_url).with_query(v=10, encoding="json", compress="zlib-stream")
        async with session.ws_connect(url) as ws:
            inflate = zlib.decompressobj()
            first = await ws.receive_bytes(timeout=2)
            assert first.endswith(b"\x00\x00\xff\xff")  # Z_SYNC_FLUSH
            hello = json.loads(inflate.decompress(first))
            assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] == 41250
            await ws.send_json({"op": 1, "d": None})
            ack = json.loads(inflate.decompress(await ws.receive_bytes(timeout=2)))  # same zlib stream
            assert ack["op"] == 11
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 1, "properties": {}}})
            closed = await ws.receive(timeout=2)
            assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 4004

        async with session.ws_connect(yarl.URL(fake.gateway_url).with_query(v=10, encoding="json")) as ws:
            assert json.loads(await ws.receive_str(timeout=2))["op"] == 10  # uncompressed: text frames
            privileged = 1 | (1 << 15)
            fake.privileged_intents = 0
            await ws.send_json({"op": 2, "d": {"token": fake.token, "intents": privileged, "properties": {}}})
            closed = await ws.receive(timeout=2)
            assert closed.data == 4014  # message content not enabled in the "developer portal"

        async with session.get(f"{fake.api_url}/nope", headers={"Authorization": f"Bot {fake.token}"}) as response:
            assert response.status == 404
            assert await response.json() == {"message": "404: Not Found", "code": 0}
        async with session.get(f"{fake.api_url}/users/@me") as response:
            assert response.status == 401
            assert await response.json() == {"message": "401: Unauthorized", "code": 0}
    assert fake.errors[-2:] == [
        ("GET /nope", 404, {"message": "404: Not Found", "code": 0}),
        ("GET /users/@me", 401, {"message": "401: Unauthorized", "code": 0}),
    ]

    client = discord.Client(intents=guild_intents())
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()


async def test_sync_slash_command_and_ephemeral_reply(fake: FakeDiscord) -> None:
    alice = fake.user("Alice Smith")
    carol = fake.user("Carol")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    fake.add_member(guild, carol, permissions=MANAGE_GUILD)
    seen: list[tuple[str, int, bool, str, bool]] = []

    bot = Bot(guild_intents())
    place = discord.Object(int(guild["id"]))

    @bot.tree.command(name="vote", description="Start a vote", guild=place)
    @app_commands.default_permissions(manage_guild=True)
    async def vote(
        interaction: discord.Interaction, question: str, rounds: int, nominee: discord.Member, secret: bool = False
    ) -> None:
        seen.append((question, rounds, secret, nominee.display_name, interaction.permissions.manage_guild))
        await interaction.response.send_message(f"Voting on {question}", ephemeral=True)

    async with running(fake, bot):
        await bot.tree.sync(guild=place)
        stored = fake.guild_commands[int(guild["id"])]
        assert [c["name"] for c in stored] == ["vote"]
        assert stored[0]["default_member_permissions"] == str(MANAGE_GUILD)
        assert [o["type"] for o in stored[0]["options"]] == [3, 4, 6, 5]
        await bot.tree.sync(guild=place)  # unchanged: same id and version, but it is still a PUT
        assert fake.guild_commands[int(guild["id"])][0] == stored[0]
        assert fake.sync_count == 2 and fake.commands == []

        with pytest.raises(ValueError, match="not been synced"):
            await fake.slash(general, carol, "poll")
        with pytest.raises(ValueError, match="no option"):
            await fake.slash(general, carol, "vote", {"question": "Tea?", "rounds": 1, "nominee": alice, "x": 1})
        with pytest.raises(ValueError, match="cannot see /vote"):
            await fake.slash(general, fake.user("Dave"), "vote", {"question": "Tea?", "rounds": 1, "nominee": alice})

        iid = await fake.slash(general, carol, "vote", {"question": "Tea or coffee?", "rounds": 2, "nominee": alice})
        record = await fake.wait_until(lambda: fake.interaction(iid).acknowledged and fake.interaction(iid))

    assert seen == [("Tea or coffee?", 2, False, "Alice Smith", True)]
    assert record.callback_type == 4 and record.ephemeral
    assert record.ack_s is not None and 0 <= record.ack_s < 0.5
    assert [(r.text, r.ephemeral) for r in record.responses] == [("Voting on Tea or coffee?", True)]
    member = record.payload["member"]
    assert member["user"]["id"] == carol["id"] and int(member["permissions"]) & MANAGE_GUILD
    assert record.payload["locale"] == "en-GB" and record.payload["app_permissions"]
    assert record.payload["data"]["resolved"]["users"][alice["id"]]["username"] == "alice_smith"
    assert fake.messages_in(general) == []  # ephemeral: not in the channel
    assert len(fake.messages_in(general, include_ephemeral=True)) == 1


async def test_defer_then_followups(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    guild = fake.guild("Carers", owner=alice)
    general = fake.channel(guild, "general")
    bot = Bot(guild_intents())

    @bot.tree.command(name="agenda", description="Build the agenda")
    async def agenda(interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        first = await interaction.followup.send("Agenda ready", wait=True)
        original = await interaction.original_response()
        assert first.id == original.id  # the first follow-up after a defer edits the loading message
        await interaction.followup.send("Only you can see this", ephemeral=True)
        await interaction.edit_original_response(content="Agenda ready (edited)")

    async with running(fake, bot):
        await bot.tree.sync()
        iid = await fake.slash(general, alice, "agenda")
        record = fake.interaction(iid)
        await fake.wait_until(lambda: len(record.followups) == 1 and "edited" in record.responses[0].text)

    assert record.callback_type == 5 and not record.ephemeral
    original, followup = record.responses
    assert (original.text, original.loading, original.ephemeral) == ("Agenda ready (edited)", False, False)
    assert (followup.kind, followup.text, followup.ephemeral) == ("followup", "Only you can see this", True)
    assert [m["content"] for m in fake.messages_in(general)] == ["Agenda ready (edited)"]
    assert fake.messages_in(general)[0]["interaction_metadata"]["name"] == "agenda"


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.tally = {"Yes": 0, "No": 0}

    @discord.ui.button(label="Yes", custom_id="vote:yes", style=discord.ButtonStyle.success)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]) -> None:
        self.tally["Yes"] += 1
        await interaction.response.edit_message(content=f"Yes {self.tally['Yes']}, No {self.tally['No']}", view=self)

    @discord.ui.button(label="No", custom_id="vote:no", style=discord.ButtonStyle.danger)
    async def no(self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]) -> None:
        self.tally["No"] += 1
        await interaction.response.defer()
        await interaction.edit_original_response(content=f"Yes {self.tally['Yes']}, No {self.tally['No']}")


async def test_buttons_update_and_deferred_update(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    bot = Bot(guild_intents())
    view = VoteView()

    async with running(fake, bot):
        bot.client.add_view(view)  # persistent: found by custom_id on any message
        channel = bot.client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("Tea or coffee?", view=view)
        stored = fake.message(general, sent.id)
        assert stored is not None and fake.labels(stored) == ["Yes", "No"]
        button = stored["components"][0]["components"][0]
        assert {k: button[k] for k in ("type", "style", "label", "custom_id")} == {
            "type": 2,
            "style": 3,
            "label": "Yes",
            "custom_id": "vote:yes",
        }
        assert sent.components[0].children[0].custom_id == "vote:yes"  # type: ignore[union-attr]

        yes = await fake.click(general, alice, sent.id, label="Yes")
        await fake.wait_until(lambda: fake.interaction(yes).acknowledged)
        no = await fake.click(general, alice, sent.id, label="No")
        await fake.wait_until(lambda: fake.messages_in(general)[0]["content"] == "Yes 1, No 1")
        with pytest.raises(ValueError, match="no button labelled 'Maybe'"):
            await fake.click(general, alice, sent.id, label="Maybe")

    assert fake.interaction(yes).callback_type == 7
    assert fake.interaction(yes).payload["data"] == {"custom_id": "vote:yes", "component_type": 2, "id": 2}
    assert fake.interaction(no).callback_type == 6
    assert fake.interaction(no).original is not None and fake.interaction(no).original.id == sent.id  # type: ignore[union-attr]
    [message] = fake.messages_in(general)
    assert message["edited_timestamp"] is not None and fake.labels(message) == ["Yes", "No"]


async def test_dms_errors_rate_limits_and_late_or_double_acks(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    bob = fake.user("Bob")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    bot = Bot(guild_intents())
    outcomes: list[Exception | str] = []

    @bot.tree.command(name="slow", description="Answers too late")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.6)
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as error:
            outcomes.append(error)

    @bot.tree.command(name="twice", description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("once")
        try:  # a fresh InteractionResponse skips discord.py's own InteractionResponded check
            await discord.InteractionResponse(interaction).send_message("twice")
        except discord.HTTPException as error:
            outcomes.append(error)

    async with running(fake, bot):
        await bot.tree.sync()
        fake.close_dms(bob)
        user = await bot.client.fetch_user(int(bob["id"]))
        with pytest.raises(discord.Forbidden) as closed:
            await user.send("Your vote is open")
        assert (closed.value.status, closed.value.code, closed.value.text) == (
            403,
            50007,
            "Cannot send messages to this user",
        )
        fake.open_dms(bob)
        await user.send("Your vote is open")
        assert [m["content"] for m in fake.dms(bob)] == ["Your vote is open"]
        assert fake.dm_channel(bob)["type"] == 1

        channel = bot.client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        fake.rate_limit_next("POST /channels", retry_after=0.05)
        fake.rate_limit_next("/callback", retry_after=0.05)
        assert (await channel.send("retried")).content == "retried"
        assert fake.errors[-1][1:] == (
            429,
            {"message": "You are being rate limited.", "retry_after": 0.05, "global": False},
        )
        assert fake.calls.count(f"POST /channels/{general['id']}/messages") == 2
        with pytest.raises(discord.NotFound) as missing:
            await channel.fetch_message(12345)
        assert missing.value.code == 10008

        twice_id = await fake.slash(general, alice, "twice")  # its callback is rate limited first, then retried
        slow_id = await fake.slash(general, alice, "slow")
        await fake.wait_until(lambda: len(outcomes) == 2)

    by_code = {getattr(e, "code", None): e for e in outcomes}
    assert isinstance(by_code[10062], discord.NotFound) and by_code[10062].text == "Unknown interaction"
    assert isinstance(by_code[40060], discord.HTTPException)
    assert by_code[40060].text == "Interaction has already been acknowledged."
    assert fake.interaction(slow_id).callback_type is None and fake.interaction(slow_id).rejected == [10062]
    assert fake.interaction(twice_id).responses[0].text == "once"
    assert fake.interaction(twice_id).rejected == [40060]
    assert any(call.endswith("/callback") and status == 429 for call, status, _ in fake.errors)


async def test_message_content_intent_and_member_events(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    carol = fake.user("Carol")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")

    async with running(fake, Bot(guild_intents(guild_messages=True))) as bot:
        await fake.say(general, alice, "hello everyone")
        await fake.say(general, alice, f"<@{fake.bot_id}> are you there?")
        fake.add_member(guild, carol)  # no GUILD_MEMBERS intent: no event
        await fake.wait_until(lambda: len(bot.messages) == 2)
        assert [m.content for m in bot.messages] == ["", f"<@{fake.bot_id}> are you there?"]
        assert bot.messages[0].author.id == int(alice["id"])
        channel = bot.client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        await channel.send("my own message")  # the bot hears itself, with content
        await fake.wait_until(lambda: len(bot.messages) == 3)
        assert bot.messages[-1].content == "my own message" and bot.messages[-1].author.bot
    assert "GUILD_MEMBER_ADD" not in [f["t"] for f in fake.dispatched]

    intents = guild_intents(guild_messages=True, message_content=True, members=True)
    async with running(fake, Bot(intents)) as bot:
        found = bot.client.get_guild(int(guild["id"]))
        assert found is not None
        await fake.wait_until(lambda: found.chunked)  # op 8 answered with GUILD_MEMBERS_CHUNK
        assert found.get_member(int(carol["id"])) is not None
        await fake.say(general, alice, "hello everyone")
        dave = fake.user("Dave")
        fake.add_member(guild, dave)
        fake.remove_member(guild, carol)
        await fake.wait_until(lambda: bot.messages and bot.joined and bot.left)
        assert bot.messages[0].content == "hello everyone"
        assert bot.joined[0].id == int(dave["id"]) and bot.left == [int(carol["id"])]


async def test_reconnect_resumes_on_resume_gateway_url(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    async with running(fake, Bot(guild_intents(guild_messages=True, message_content=True))) as bot:
        await fake.reconnect()
        await asyncio.wait_for(bot.resumed.wait(), 5)
        await fake.say(general, alice, "still there?")
        await fake.wait_until(lambda: bot.messages)
    assert fake.resumes == 1
    assert [c["path"] for c in fake.connections] == ["/", "/resume"]
    assert [f["t"] for f in fake.dispatched][-2:] == ["RESUMED", "MESSAGE_CREATE"]
    assert bot.messages[0].content == "still there?"


class ChoiceView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="drink",
        options=[discord.SelectOption(label="Tea", value="tea"), discord.SelectOption(label="Coffee", value="coffee")],
    )
    async def drink(self, interaction: discord.Interaction, select: discord.ui.Select[ChoiceView]) -> None:
        await interaction.response.send_message(f"You picked {select.values[0]}", ephemeral=True)


async def test_dms_slash_select_files_and_new_guilds(fake: FakeDiscord) -> None:
    bob = fake.user("Bob")
    fake.guild("Lay Partners")
    contexts: list[tuple[int, bool, bool]] = []
    bot = Bot(guild_intents(dm_messages=True))

    @bot.tree.command(name="help", description="What I can do")
    async def help_(interaction: discord.Interaction) -> None:
        contexts.append((interaction.user.id, interaction.guild is None, interaction.context.dm_channel))
        await interaction.response.send_message("I run votes")

    async with running(fake, bot):
        await bot.tree.sync()
        dm = fake.dm_channel(bob)
        iid = await fake.slash(dm, bob, "help")
        await fake.wait_until(lambda: fake.interaction(iid).responses)
        assert "user" in fake.interaction(iid).payload and "member" not in fake.interaction(iid).payload
        await fake.say(dm, bob, "hello bot")
        await fake.wait_until(lambda: any(m.content == "hello bot" for m in bot.messages))

        user = await bot.client.fetch_user(int(bob["id"]))
        sent = await user.send(
            "Pick one", view=ChoiceView(), file=discord.File(io.BytesIO(b"agenda"), filename="agenda.txt")
        )
        [attachment] = fake.dms(bob)[-1]["attachments"]
        assert attachment["filename"] == "agenda.txt" and fake.uploads[int(attachment["id"])] == b"agenda"
        assert sent.attachments[0].filename == "agenda.txt"
        with pytest.raises(ValueError, match="not options"):
            await fake.select(dm, bob, sent.id, ["juice"])
        picked = await fake.select(dm, bob, sent.id, ["tea"])
        await fake.wait_until(lambda: fake.interaction(picked).responses)

        later = fake.guild("Carers", owner=bob)  # the bot is added to a guild while connected: GUILD_CREATE
        await fake.wait_until(lambda: bot.client.get_guild(int(later["id"])))

    assert contexts == [(int(bob["id"]), True, True)]
    assert [m["content"] for m in fake.messages_in(dm)] == ["I run votes", "Pick one"]
    assert fake.interaction(picked).payload["data"] == {"custom_id": "drink", "component_type": 3, "values": ["tea"]}
    assert fake.interaction(picked).responses[0].text == "You picked tea"
    assert fake.interaction(picked).ephemeral


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def a_file(name: str, data: bytes, description: str | None = None) -> discord.File:
    return discord.File(io.BytesIO(data), filename=name, description=description)


async def test_files_arrive_as_multipart_and_messages_carry_them_in_discords_shape(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    chart = png(64, 48)
    bot = Bot(guild_intents())

    @bot.tree.command(name="figures", description="This month's figures")
    async def figures(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Only you", ephemeral=True, file=a_file("figures.csv", b"a,b\n1,2\n"))
        await interaction.followup.send("And for everyone", file=a_file("chart.png", chart))

    async with running(fake, bot):
        await bot.tree.sync()
        channel = bot.client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send(
            "Minutes", files=[a_file("meeting.ics", b"BEGIN:VCALENDAR", "Friday's meeting"), a_file("chart.png", chart)]
        )
        assert [(a.filename, a.content_type, a.width) for a in sent.attachments] == [
            ("meeting.ics", "text/calendar; charset=utf-8", None),
            ("chart.png", "image/png", 64),
        ]
        calendar = fake.message(general, sent.id)["attachments"][0]  # type: ignore[index]
        assert set(calendar) == {"id", "filename", "size", "url", "proxy_url", "content_type", "description"}
        assert calendar["description"] == "Friday's meeting" and calendar["size"] == len(b"BEGIN:VCALENDAR")
        assert fake.uploads[int(calendar["id"])] == b"BEGIN:VCALENDAR"
        edited = await sent.edit(attachments=[sent.attachments[1]])  # the calendar is taken off
        assert [a.filename for a in edited.attachments] == ["chart.png"]

        with pytest.raises(discord.HTTPException) as too_many:
            await channel.send(files=[a_file(f"{n}.txt", b"x") for n in range(11)])
        assert (too_many.value.status, too_many.value.code) == (400, 50035)
        with pytest.raises(discord.HTTPException) as too_large:
            await channel.send(file=a_file("huge.bin", b"\x00" * (10 * 1024 * 1024 + 1)))
        assert (too_large.value.status, too_large.value.code) == (413, 40005)

        iid = await fake.slash(general, alice, "figures")
        await fake.wait_until(lambda: len(fake.interaction(iid).responses) == 2)
        private, public = fake.interaction(iid).responses
        assert private.ephemeral and private.filenames == ["figures.csv"] and private.attachments[0]["ephemeral"]
        assert not public.ephemeral and public.filenames == ["chart.png"] and "ephemeral" not in public.attachments[0]

        fake.set_role_permissions(guild, guild["id"], DEFAULT_EVERYONE_PERMISSIONS & ~ATTACH_FILES)
        fake.set_role_permissions(guild, fake.bot_role(guild), DEFAULT_BOT_PERMISSIONS & ~ATTACH_FILES)
        with pytest.raises(discord.Forbidden) as refused:
            await channel.send("Minutes", file=a_file("meeting.ics", b"BEGIN:VCALENDAR"))
        assert refused.value.code == 50013
        assert (await channel.send("Minutes without the file")).content == "Minutes without the file"

    assert [(f.filename, f.data) for f in fake.files] == [
        ("meeting.ics", b"BEGIN:VCALENDAR"),
        ("chart.png", chart),
        ("figures.csv", b"a,b\n1,2\n"),
        ("chart.png", chart),
    ]


async def test_threads_start_from_messages_and_people_speak_in_them(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    bob = fake.user("Bob")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    fake.add_member(guild, bob)
    bot = Bot(guild_intents(guild_messages=True))

    async with running(fake, bot) as running_bot:
        client = running_bot.client
        channel = client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        paper = await channel.send("Paper 1 is posted.")
        thread = await paper.create_thread(name="Paper 1: housing")
        assert (thread.id, thread.parent_id, thread.owner_id, thread.type) == (
            paper.id,
            channel.id,
            fake.bot_id,
            discord.ChannelType.public_thread,
        )
        assert fake.calls[-1] == f"POST /channels/{channel.id}/messages/{paper.id}/threads"
        stored = fake.message(general, paper.id)
        assert stored is not None and stored["thread"]["id"] == str(paper.id) and stored["flags"] & (1 << 5)
        await fake.wait_until(lambda: channel.guild.get_thread(paper.id))  # THREAD_CREATE, newly created
        assert "THREAD_CREATE" in [f["t"] for f in fake.dispatched]
        assert fake.thread(paper.id) is not None and fake.thread(12345) is None

        # People speak in the thread: channel_id is the thread, and discord.py finds it in its cache.
        await fake.say(thread.id, bob, "Too little about carers.")
        await fake.wait_until(lambda: [m for m in bot.messages if not m.author.bot])
        [said] = [m for m in bot.messages if not m.author.bot]
        assert isinstance(said.channel, discord.Thread) and said.channel.id == paper.id and said.content == ""
        assert (await thread.send("Thank you, Bob.")).channel.id == paper.id  # the bot may post there too

        # Discord's refusals: one thread a message, a name of 1 to 100 characters, and the permission.
        with pytest.raises(discord.HTTPException) as twice:
            await paper.create_thread(name="Again")
        assert (twice.value.status, twice.value.code) == (400, 160004)
        other = await channel.send("Paper 2 is posted.")
        with pytest.raises(discord.HTTPException) as long_name:
            await other.create_thread(name="x" * 101)
        assert (long_name.value.status, long_name.value.code) == (400, 50035)
        fake.set_role_permissions(guild, guild["id"], DEFAULT_EVERYONE_PERMISSIONS & ~CREATE_PUBLIC_THREADS)
        with pytest.raises(discord.Forbidden) as refused:
            await other.create_thread(name="Paper 2")
        assert refused.value.code == 50013
        # A person starts a thread from a message too (they have the permission as the server's owner).
        theirs = await fake.start_thread(general, alice, other.id, "Paper 2")
        assert theirs["owner_id"] == alice["id"]
        await fake.wait_until(lambda: channel.guild.get_thread(other.id))

    # A bot that connects later hears of the active threads in GUILD_CREATE, not among the channels.
    async with running(fake, Bot(guild_intents())) as later:
        found = later.client.get_guild(int(guild["id"]))
        assert found is not None and {t.id for t in found.threads} == {paper.id, other.id}
        assert all(not isinstance(c, discord.Thread) for c in found.channels)


async def test_replies_ping_their_author_and_attachment_options_are_downloaded(fake: FakeDiscord) -> None:
    alice = fake.user("Alice")
    guild = fake.guild("Lay Partners", owner=alice)
    general = fake.channel(guild, "general")
    got: list[tuple[str, int, str, bytes]] = []
    bot = Bot(guild_intents(guild_messages=True))

    @bot.tree.command(name="paper", description="Share a paper")
    async def paper_command(interaction: discord.Interaction, title: str, document: discord.Attachment) -> None:
        got.append((document.filename, document.size, document.content_type or "", await document.read()))
        await interaction.response.send_message(f"Thanks for {title}", ephemeral=True)

    async with running(fake, bot):
        await bot.tree.sync()
        [declared] = fake.commands
        assert [(o["name"], o["type"]) for o in declared["options"]] == [("title", 3), ("document", 11)]
        iid = await fake.slash(general, alice, "paper", {"title": "Housing", "document": ("paper.pdf", b"%PDF-1.7")})
        await fake.wait_until(lambda: fake.interaction(iid).responses)
        data = fake.interaction(iid).payload["data"]
        [(aid, described)] = data["resolved"]["attachments"].items()
        assert data["options"][1] == {"name": "document", "type": 11, "value": aid}
        assert described["url"].startswith(f"{fake.url}/ephemeral-attachments/") and described["ephemeral"]
        assert got == [("paper.pdf", 8, "application/pdf", b"%PDF-1.7")] and fake.downloads == [int(aid)]
        async with aiohttp.ClientSession() as session:
            unsigned = described["url"].split("?")[0]
            async with session.get(unsigned) as response:
                assert response.status == 404  # Discord's links are signed
        with pytest.raises(ValueError, match="takes"):
            await fake.slash(general, alice, "paper", {"title": "Housing", "document": "paper.pdf"})

        # A reply pings the author it replies to (so the bot hears the words of a reply to its own message,
        # even without the message-content intent), unless the person turns the ping off.
        channel = bot.client.get_channel(int(general["id"]))
        assert isinstance(channel, discord.TextChannel)
        mine = await channel.send("Paper 1 is posted.")
        await fake.say(general, alice, "Interesting.", reply_to=mine.id)
        await fake.say(general, alice, "Quietly.", reply_to=mine.id, mention_author=False)
        await fake.wait_until(lambda: len([m for m in bot.messages if not m.author.bot]) == 2)
        loud, quiet = [m for m in bot.messages if not m.author.bot]
        assert loud.content == "Interesting." and quiet.content == ""
        for reply in (loud, quiet):
            assert reply.type is discord.MessageType.reply and reply.reference is not None
            assert reply.reference.message_id == mine.id
            assert isinstance(reply.reference.resolved, discord.Message) and reply.reference.resolved.author.bot
