"""Bad input gets a clear message, changes nothing and crashes nothing.

The acceptance criterion: empty commands, 10,000-character arguments, control characters,
right-to-left text, unknown or malformed button payloads → a clear message, no change, no crash.

- "No change": every table in the schema is read before and after, row by row, and compared.
  In those tests only people who already exist act (Alice, Bob and Carol of the `group`
  fixture), because meeting someone new rightly records them.
- "No crash": no error id, some words for the person, and never a traceback.

The example tests run on both backends. The property tests (hypothesis) run on SQLite: each example
gets its own copy of a database where the group is already set up, and its own event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from adapters.console import ConsoleAdapter, Transcript
from bot.app import App, build_registry, create_app
from bot.clock import ManualClock
from bot.config import Settings
from bot.errors import UserError
from bot.registry import Command, parse_args
from bot.text import MAX_ARGS_CHARS, clean_text
from bot.types import CommandCall, UserRef
from storage import Database
from storage.groups import Group
from storage.people import Account, Person
from tests.helpers import snapshot

REGISTRY = build_registry()
COMMANDS: list[Command] = list(REGISTRY.commands.values())
GROUP_TITLE = "Riverside Lay Partners"

TOO_LONG = "That is too long for"
BUTTON_GONE = "That button no longer works"
EMPTY_COMMAND = "Please type a command after the slash"

#: Characters that change how text is displayed without being seen (Unicode bidi controls).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
INVISIBLE = frozenset("\u200b\ufeff")
CONTROL_SAMPLES = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\t", "\r", "\n", "\u2028"]
RTL_LETTERS = sorted(set("سارةمرحبا" + "שלוםדנה"))


# ---- helpers -----------------------------------------------------------------------------------


def assert_plain_answer(said: Transcript) -> None:
    """No crash: no error id, something to read, and no traceback anywhere."""
    assert said.error_id is None, f"the bot apologised with error {said.error_id}"
    assert said.text.strip(), "the bot said nothing"
    shown = [message.text for message in said.messages] + [said.toast or ""]
    assert not any("Traceback" in text for text in shown)


def unsafe_characters(text: str, *, allow_newlines: bool = False) -> list[str]:
    """Control characters, invisible direction changes and zero-width characters in `text`."""
    return [
        f"U+{ord(char):04X}"
        for char in text
        if (unicodedata.category(char) == "Cc" and not (allow_newlines and char == "\n"))
        or char in BIDI_CONTROLS
        or char in INVISIBLE
    ]


async def refused_without_change(
    chat: ConsoleAdapter, database: Database, name: str, line: str, expected: str, *, private: bool = False
) -> Transcript:
    """`name` types `line`; the answer contains `expected` and no table changes."""
    before = await snapshot(database)
    said = await chat.say(name, line, private=private)
    assert_plain_answer(said)
    assert expected in said.text, f"{name} typed {line[:60]!r} and saw {said.text[:200]!r}"
    assert await snapshot(database) == before, f"{name} typed {line[:60]!r} and something changed"
    return said


async def pressed_without_change(
    chat: ConsoleAdapter, database: Database, name: str, action: str, payload: str, *, private: bool = False
) -> Transcript:
    """`name` presses a forged button; the answer says it no longer works and no table changes."""
    before = await snapshot(database)
    where = chat.private_chat(name) if private else None
    said = await chat.press_data(name, action, payload, chat=where)
    assert_plain_answer(said)
    assert BUTTON_GONE in said.text, f"{name} pressed {action[:30]!r}:{payload[:30]!r} and saw {said.text[:200]!r}"
    assert await snapshot(database) == before, f"pressing {action[:30]!r}:{payload[:30]!r} changed something"
    return said


async def stored_names(database: Database) -> dict[str, tuple[str, str]]:
    """Each console account's id → (the person's stored name, the account's stored name)."""
    async with database.unit_of_work() as session:
        rows = await session.execute(
            select(Account.user_id, Person.display_name, Account.display_name).join(
                Person, Person.id == Account.person_id
            )
        )
        return {user_id: (person_name, account_name) for user_id, person_name, account_name in rows.all()}


# ---- empty and unknown commands ----------------------------------------------------------------


async def test_an_empty_command_asks_for_a_command_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    for private in (False, True):
        for line in ["/", "/ ", "   /   ", "/@TouchstoneBot", "/\x00", "/\x07\x1b", "/\u202e", "/\u200b", "/\n"]:
            await refused_without_change(group, app.database, "Bob", line, EMPTY_COMMAND, private=private)


async def test_an_unknown_command_is_named_back_briefly_and_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    said = await refused_without_change(group, app.database, "Bob", "/frobnicate now", "I don't know /frobnicate.")
    assert "/help" in said.text
    huge = await refused_without_change(group, app.database, "Bob", "/" + "x" * 10_000, "I don't know /")
    assert len(huge.text) < 300, "a 10,000-character command name was echoed back"
    rtl = await refused_without_change(group, app.database, "Bob", "/שלום", "I don't know /שלום.")
    assert unsafe_characters(rtl.text) == []
    hidden = await refused_without_change(group, app.database, "Bob", "/\u202esrebmem\x07", "I don't know /")
    assert unsafe_characters(hidden.text) == []


async def test_a_command_with_an_invisible_character_still_works(group: ConsoleAdapter) -> None:
    # Copying and pasting, or typing on a right-to-left keyboard, can add invisible marks.
    for line in ["/members\u200b", "/\u200fmembers", "/mem\u200ebers", "/MEMBERS"]:
        said = await group.say("Bob", line)
        assert_plain_answer(said)
        assert "“Riverside Lay Partners” has 3 members." in said.text, f"{line!r} gave {said.text!r}"


# ---- 10,000-character arguments --------------------------------------------------------------------


LONG_ARGUMENTS = {
    "ascii": "a" * 10_000,
    "right-to-left": "ש" * 10_000,
    "words": " ".join(["word"] * 2_000),
    "controls between letters": "a\x07" * 5_000,
    "many lines": "line\n" * 2_000,
}


async def test_every_command_refuses_a_10000_character_argument_and_changes_nothing(
    group: ConsoleAdapter, app: App
) -> None:
    for kind, filler in LONG_ARGUMENTS.items():
        for command in COMMANDS:
            # Alice is a co-chair in the group chat, so only /setup (for a chat not set up yet) is refused first.
            expected = "already set up" if command.name == "setup" else TOO_LONG
            said = await refused_without_change(group, app.database, "Alice", f"/{command.name} {filler}", expected)
            assert len(said.text) < 300, f"/{command.name} echoed a 10,000-character argument ({kind}) back"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_parse_args_refuses_arguments_over_the_limit_for_every_command(command: Command) -> None:
    with pytest.raises(UserError, match=TOO_LONG):
        parse_args(command, "a" * 10_000)
    with pytest.raises(UserError, match=TOO_LONG):
        parse_args(command, "a" * (MAX_ARGS_CHARS + 1))


def test_parse_args_accepts_text_up_to_the_limit_and_counts_it_after_cleaning() -> None:
    setup = REGISTRY.commands["setup"]
    assert parse_args(setup, "a" * MAX_ARGS_CHARS) == {"name": "a" * MAX_ARGS_CHARS}
    # Invisible characters are removed before counting, so they cannot push text over the limit…
    assert parse_args(setup, "\u202e" * 5_000 + "Riverside") == {"name": "Riverside"}
    # …nor hide 10,000 letters under it.
    with pytest.raises(UserError, match=TOO_LONG):
        parse_args(setup, "\u200b".join("a" * 5_000))


# ---- button presses ------------------------------------------------------------------------------

BAD_PRESSES = [
    ("join", "x"),
    ("join", "LAY_PARTNER "),
    ("join", " lay_partner"),
    ("join", ""),
    ("join", "a" * 10_000),
    ("join", "lay_partner\x00"),
    ("join", "\x07\x1b[31m"),
    ("join", "\u202elay_partner"),
    ("join", "lay_partner:professional"),
    ("join", "سارة"),
    ("join", "null"),
    ("join", "None"),
    ("join", "0"),
    ("nosuch", "x"),
    ("", ""),
    ("", "lay_partner"),
    ("JOIN", "lay_partner"),
    ("join ", "lay_partner"),
    ("join\x00", "lay_partner"),
    ("\u202ejoin", "lay_partner"),
    ("a" * 10_000, "b" * 10_000),
    ("vote", "1"),
]


async def test_unknown_or_malformed_button_presses_are_refused_and_change_nothing(
    group: ConsoleAdapter, app: App
) -> None:
    for private in (False, True):
        for action, payload in BAD_PRESSES:
            said = await pressed_without_change(group, app.database, "Bob", action, payload, private=private)
            assert len(said.text) < 300


async def test_pressing_join_again_with_the_same_choice_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    before = await snapshot(app.database)
    said = await group.press_data("Bob", "join", "lay_partner")
    assert_plain_answer(said)
    assert "You're already a member, as a lay partner." in said.text
    assert await snapshot(app.database) == before


# ---- refused commands ------------------------------------------------------------------------------


async def test_a_member_cannot_use_cochair_commands_whatever_they_type(group: ConsoleAdapter, app: App) -> None:
    only_cochairs = "Only co-chairs can do that."
    for line in [
        "/cochair add \x00garbage\u202e",
        "/cochair add Carol",
        "/cochair remove Alice",
        "/cochair",
        "/settings timezone Europe/Paris",
        "/settings timezone garbage",
        "/settings",
    ]:
        await refused_without_change(group, app.database, "Bob", line, only_cochairs)
    for line in ["/touchstone edit New words", "/touchstone reset"]:
        await refused_without_change(group, app.database, "Carol", line, only_cochairs)


async def test_a_cochair_setting_a_time_zone_that_does_not_exist_changes_nothing(
    group: ConsoleAdapter, app: App
) -> None:
    for value in ["garbage", "Europe/Londres", "../../etc/passwd", "Europe/London\x00x", "لندن", "x" * 1_900]:
        await refused_without_change(
            group, app.database, "Alice", f"/settings timezone {value}", "I don't know the time zone"
        )
    await refused_without_change(group, app.database, "Alice", "/settings colour blue", "I don't know a setting called")
    await refused_without_change(
        group, app.database, "Alice", "/settings \u202e\x07 blue", "I don't know a setting called"
    )


async def test_setting_up_a_group_again_changes_nothing(group: ConsoleAdapter, app: App) -> None:
    for name, line in [
        ("Alice", "/setup again"),
        ("Bob", "/setup"),
        ("Carol", "/setup \u202eSpoof group"),
        ("Alice", "/setup سارة"),
    ]:
        await refused_without_change(group, app.database, name, line, "This chat is already set up")


async def test_the_last_cochair_cannot_be_removed_or_leave(group: ConsoleAdapter, app: App) -> None:
    for line in ["/cochair remove Alice", "/cochair remove", "/cochair REMOVE alice", "/cochair remove @alice"]:
        await refused_without_change(group, app.database, "Alice", line, "Alice is the only co-chair")
    await refused_without_change(group, app.database, "Alice", "/leave", "You're the only co-chair")


async def test_malformed_cochair_and_touchstone_commands_are_explained_and_change_nothing(
    group: ConsoleAdapter, app: App
) -> None:
    for line, expected in [
        ("/cochair promote Bob", "Please choose one of: add, remove."),
        ("/cochair add Nobody", "I can't find a member called “Nobody”."),
        ("/cochair add سارة", "I can't find a member called “سارة”."),
        ("/cochair add @", "I can't find a member called"),
        ("/cochair add <@!>", "I can't find a member called"),
        ("/cochair add " + "z" * 1_900, "I can't find a member called"),
        ("/cochair add Alice", "Alice is already a co-chair."),
        ("/cochair remove Bob", "Bob is not a co-chair."),
        ("/touchstone edit", "Please write the words after /touchstone edit."),
        ("/touchstone edit \u202e\u200b\x07", "Please write the words after /touchstone edit."),
        ("/touchstone edit 40. Too far", "There is no principle 40"),
        ("/touchstone add", "Please write the new principle"),
        ("/touchstone restore", "There is no earlier wording to bring back."),
        ("/touchstone rewrite everything", "Please choose one of: edit, add, restore, reset."),
    ]:
        said = await refused_without_change(group, app.database, "Alice", line, expected)
        assert len(said.text) < 300
        assert unsafe_characters(said.text) == []
    for line in ("/cochair add", "/cochair add \u202e\x07"):  # a guided question, not a dead end
        asked = await group.say("Alice", line)
        assert asked.text == "Please type the member's name. (Type /cancel to stop.)"
        assert (await group.say("Alice", "/cancel")).text == "Okay, I've stopped. Nothing was changed."


# ---- control characters and right-to-left text that is stored ----------------------------------------


async def test_right_to_left_names_are_kept_and_direction_overrides_are_removed(
    group: ConsoleAdapter, app: App
) -> None:
    for name in ["\u202eecilA", "سارة", "\u2067דנה\u2069"]:
        assert_plain_answer(await group.say(name, "/join"))
        assert_plain_answer(await group.press(name, "Lay partner"))
    roster = await group.say("Bob", "/members")
    assert_plain_answer(roster)
    assert "\necilA, a lay partner." in roster.text
    assert "\nسارة, a lay partner." in roster.text
    assert "\nדנה, a lay partner." in roster.text
    assert unsafe_characters(roster.text, allow_newlines=True) == []
    names = await stored_names(app.database)
    assert names[group.user("\u202eecilA").id] == ("ecilA", "ecilA")
    assert names[group.user("سارة").id] == ("سارة", "سارة")
    assert names[group.user("\u2067דנה\u2069").id] == ("דנה", "דנה")


async def test_control_characters_are_removed_from_names(group: ConsoleAdapter, app: App) -> None:
    for name in ["Dan\x07\x1b", "Eve\nAdmin", "Fay\tBrown\u200b", "\u202e\u202d\x07"]:
        assert_plain_answer(await group.press_data(name, "join", "lay_partner"))
    roster = await group.say("Alice", "/members")
    assert "\nDan, a lay partner." in roster.text
    assert "\nEve Admin, a lay partner." in roster.text
    assert "\nFay Brown, a lay partner." in roster.text
    assert "\nSomeone, a lay partner." in roster.text  # a name with nothing visible in it
    assert unsafe_characters(roster.text, allow_newlines=True) == []


async def test_a_10000_character_display_name_is_cut_to_100_characters(group: ConsoleAdapter, app: App) -> None:
    # Through the dispatcher: a platform account id stays short however long the name is.
    chat = group.group_chat
    for user_id, display_name, expected in [
        ("1001", "D" * 10_000, "D" * 100),
        ("1002", "A" * 99 + " Smith", "A" * 99),  # cut at a space: no space left dangling
        ("1003", "ש" * 10_000, "ש" * 100),
    ]:
        actor = UserRef("console", user_id, display_name)
        outcome = await app.dispatcher.handle(CommandCall(name="join", args="", actor=actor, chat=chat))
        assert outcome.error_id is None
        assert outcome.replies and outcome.replies[0].text
        names = await stored_names(app.database)
        assert names[user_id] == (expected, expected)


async def test_any_name_typed_in_the_terminal_chat_works_on_every_database(group: ConsoleAdapter, app: App) -> None:
    # The terminal chat makes account ids from typed names; PostgreSQL refuses NUL and long ids.
    for name, shown in [("Da\x00n", "Dan"), ("ﬃ" * 40, "ﬃ" * 40), ("x" * 10_000, "x" * 100)]:
        said = await group.press_data(name, "join", "lay_partner")
        assert_plain_answer(said)
        assert f"Welcome, {shown}!" in said.text
    roster = await group.say("Alice", "/members")
    assert "has 6 members." in roster.text


async def test_control_characters_and_overrides_are_removed_from_stored_text_but_lines_and_scripts_kept(
    group: ConsoleAdapter, app: App
) -> None:
    said = await group.say("Alice", "/touchstone edit We\x07 listen\x00.\u202e\nمرحبا\u200b بكم\r\nשלום")
    assert_plain_answer(said)
    await group.press("Alice", "Replace all of it")
    async with app.database.unit_of_work() as session:
        principles = (await session.execute(select(Group.principles))).scalar_one()
    assert principles == "We listen.\nمرحبا بكم\nשלום"
    assert (await group.say("Bob", "/touchstone")).text == principles


async def test_a_chat_title_with_direction_overrides_names_the_group_without_them(app: App) -> None:
    chat = ConsoleAdapter(app.dispatcher, group_title="\u202eRiverside\u200f Lay\x07 Partners")
    said = await chat.say("Alice", "/setup")
    assert_plain_answer(said)
    assert "the group “Riverside Lay Partners”" in said.text
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(Group.name))).scalar_one() == "Riverside Lay Partners"


async def test_a_group_name_in_a_right_to_left_script_is_kept(chat: ConsoleAdapter, app: App) -> None:
    said = await chat.say("Alice", "/setup \u202eشركاء النهر")
    assert_plain_answer(said)
    async with app.database.unit_of_work() as session:
        assert (await session.execute(select(Group.name))).scalar_one() == "شركاء النهر"


# ---- properties (hypothesis) -------------------------------------------------------------------------

#: Text mixing anything Unicode allows with the characters that cause trouble.
awkward_characters = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(sorted(BIDI_CONTROLS | INVISIBLE)),
    st.sampled_from(CONTROL_SAMPLES),
    st.sampled_from(RTL_LETTERS),
)
awkward_text = st.text(awkward_characters, max_size=60)
words = st.sampled_from(
    ["add", "remove", "edit", "reset", "timezone", "Europe/London", "Bob", "Carol", "Alice", "@bob", "<@1>", "1"]
)
arguments = st.one_of(
    awkward_text,
    st.lists(st.one_of(words, awkward_text), max_size=4).map(" ".join),
    st.builds(
        lambda piece, times: piece * times, st.text(awkward_characters, min_size=1, max_size=3), st.integers(0, 4_000)
    ),
)
command_names = st.one_of(st.sampled_from([c.name for c in COMMANDS]), awkward_text)
command_lines = st.builds(
    lambda name, sep, args: f"/{name}{sep}{args}",
    command_names,
    st.sampled_from([" ", "  ", "\n", "@TouchstoneBot ", ""]),
    arguments,
)
actions = st.one_of(st.sampled_from([*REGISTRY.actions, "", "JOIN", "vote", "join:"]), awkward_text)
payloads = st.one_of(
    st.sampled_from(["lay_partner", "professional", "other", "", "LAY_PARTNER", "lay_partner ", "x" * 10_000]),
    awkward_text,
)

#: Each example opens its own database, so a few dozen keep the file quick.
PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def set_up_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file where Alice set up the group and Alice, Bob and Carol joined (as in `group`)."""
    path = tmp_path_factory.mktemp("set_up") / "group.db"
    shutil.copyfile(sqlite_template, path)

    async def set_up() -> None:
        app = await create_app(_settings(path), clock=ManualClock(), migrate=False)
        try:
            chat = ConsoleAdapter(app.dispatcher, group_title=GROUP_TITLE)
            assert "Done!" in (await chat.say("Alice", f"/setup {GROUP_TITLE}")).text
            await chat.press("Alice", "Lay partner")
            await chat.press("Bob", "Lay partner")
            await chat.press("Carol", "Professional")
        finally:
            await app.close()

    asyncio.run(set_up())
    return path


def _settings(path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{path}", telegram_token=None, discord_token=None
    )


@contextlib.asynccontextmanager
async def fresh_group(template: Path) -> AsyncIterator[tuple[App, ConsoleAdapter]]:
    """A running app on a private copy of the set-up database, for one hypothesis example."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "touchstone.db"
        shutil.copyfile(template, path)
        app = await create_app(_settings(path), clock=ManualClock(), migrate=False)
        try:
            yield app, ConsoleAdapter(app.dispatcher, group_title=GROUP_TITLE)
        finally:
            await app.close()


@PROPERTY_SETTINGS
@given(name=st.sampled_from(["Bob", "Carol"]), line=command_lines, private=st.booleans())
def test_whatever_a_member_types_as_a_command_gets_a_plain_answer_and_changes_nothing(
    set_up_database: Path, name: str, line: str, private: bool
) -> None:
    # The changes a member may make by typing: leaving, proposing an agenda item, their own settings, asking
    # for help, opting out of a meeting role, offering a skill, adding to the glossary, asking for a linking code
    # (or a wrong one, which counts against guessing), and saying something without their name (privately only).
    typed = clean_text(line).casefold()
    assume(
        not any(word in typed for word in ("leave", "propose", "mysettings", "askhelp", "roles", "offer", "glossary"))
    )
    assume(not (private and "anonymous" in typed))

    async def example() -> None:
        async with fresh_group(set_up_database) as (app, chat):
            before = await snapshot(app.database)
            said = await chat.say(name, line, private=private)
            assert_plain_answer(said)
            after = await snapshot(app.database)
            if "(Type /cancel to stop.)" in said.text:  # a command missing a part asks for it: only the question waits
                before.pop("pending_inputs", None), after.pop("pending_inputs", None)
            if private:  # writing privately notes where their private messages go (accounts.last_private_at)
                for taken in (before, after):
                    taken["accounts"] = [row[:-1] for row in taken["accounts"]]
            assert after == before

    asyncio.run(example())


@PROPERTY_SETTINGS
@given(line=command_lines, private=st.booleans())
def test_whatever_a_cochair_types_as_a_command_gets_a_plain_answer(
    set_up_database: Path, line: str, private: bool
) -> None:
    async def example() -> None:
        async with fresh_group(set_up_database) as (_app, chat):
            said = await chat.say("Alice", line, private=private)
            assert_plain_answer(said)
            for message in said.messages:
                assert unsafe_characters(message.text, allow_newlines=True) == []

    asyncio.run(example())


@PROPERTY_SETTINGS
@given(action=actions, payload=payloads, private=st.booleans())
def test_any_forged_button_press_gets_a_plain_answer_and_changes_nothing(
    set_up_database: Path, action: str, payload: str, private: bool
) -> None:
    # Bob is a lay partner: choosing another kind is a real change, so it is left out.
    assume(not (action == "join" and payload in ("professional", "other")))

    async def example() -> None:
        async with fresh_group(set_up_database) as (app, chat):
            before = await snapshot(app.database)
            where = chat.private_chat("Bob") if private else None
            said = await chat.press_data("Bob", action, payload, chat=where)
            assert_plain_answer(said)
            assert await snapshot(app.database) == before

    asyncio.run(example())


@PROPERTY_SETTINGS
@given(name=awkward_text)
def test_any_display_name_is_stored_without_hidden_characters_and_keeps_its_letters(
    set_up_database: Path, name: str
) -> None:
    async def example() -> None:
        async with fresh_group(set_up_database) as (app, chat):
            said = await chat.press_data(name, "join", "lay_partner")
            assert_plain_answer(said)
            person_name, account_name = (await stored_names(app.database))[chat.user(name).id]
            assert person_name == account_name
            assert 0 < len(person_name) <= 100
            assert person_name == person_name.strip()
            assert unsafe_characters(person_name) == []
            letters = [char for char in name if char.isalnum()]
            if letters:
                assert [char for char in person_name if char.isalnum()] == letters
            else:
                assert not any(char.isalnum() for char in person_name) or person_name == "Someone"
            roster = await chat.say("Alice", "/members")
            assert f"\n{person_name}, " in roster.text

    asyncio.run(example())


async def test_a_number_with_hundreds_of_digits_is_refused_in_a_short_message(group: ConsoleAdapter) -> None:
    """Seen in CI: "/item 111…1" (235 digits) was answered with a 300-character refusal that echoed it all."""
    said = await group.say("Alice", "/item " + "1" * 235 + " first")
    assert said.text.startswith("There is no item 1111") and "1111…" in said.text and len(said.text) < 100


@settings(max_examples=300, deadline=None)
@given(command=st.sampled_from(COMMANDS), raw=arguments)
def test_parse_args_either_parses_cleanly_or_refuses_kindly(command: Command, raw: str) -> None:
    try:
        values = parse_args(command, raw)
    except UserError as refusal:
        assert refusal.message.strip()
        assert len(refusal.message) < 300
        return
    assert len(clean_text(raw, keep_lines=True)) <= MAX_ARGS_CHARS
    for value in values.values():
        if isinstance(value, str):
            assert value.strip(), f"/{command.name} got an empty value instead of None"
            assert unsafe_characters(value, allow_newlines=True) == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(awkward_characters, max_size=200), keep_lines=st.booleans())
def test_cleaning_text_removes_hidden_characters_keeps_every_letter_and_is_stable(text: str, keep_lines: bool) -> None:
    cleaned = clean_text(text, keep_lines=keep_lines)
    assert unsafe_characters(cleaned, allow_newlines=keep_lines) == []
    assert [char for char in cleaned if char.isalnum()] == [char for char in text if char.isalnum()]
    assert clean_text(cleaned, keep_lines=keep_lines) == cleaned
