"""Every command and button the bot declares fits both platforms, and its examples really work."""

from __future__ import annotations

import re

import pytest

from adapters.console import ConsoleAdapter
from bot.app import build_registry
from bot.registry import MAX_SUMMARY, Command, Registry, parse_args
from bot.text import split_command
from bot.types import MAX_BUTTON_DATA_BYTES, Button

COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
ACTION_NAME = re.compile(r"^[a-z0-9_]{1,24}$")

REGISTRY: Registry = build_registry()
COMMANDS: list[Command] = list(REGISTRY.commands.values())
WITH_PARAMS = [command for command in COMMANDS if command.params]
EXAMPLES = [(command, example) for command in WITH_PARAMS for example in command.examples]


def test_the_bot_declares_commands_and_actions() -> None:
    assert COMMANDS
    assert REGISTRY.actions


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_name_is_valid_on_telegram_and_discord(command: Command) -> None:
    assert COMMAND_NAME.match(command.name)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_command_has_a_one_line_summary_of_at_most_100_characters(command: Command) -> None:
    assert 1 <= len(command.summary) <= MAX_SUMMARY == 100
    assert "\n" not in command.summary
    assert command.summary.strip() == command.summary


@pytest.mark.parametrize("command", WITH_PARAMS, ids=lambda c: c.name)
def test_every_command_with_parameters_shows_an_example(command: Command) -> None:
    assert command.examples, f"/{command.name} takes {len(command.params)} parameter(s) but has no example"


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[example for _c, example in EXAMPLES])
def test_every_example_is_a_command_line_that_parses(command: Command, example: str) -> None:
    parsed = split_command(example)
    assert parsed is not None, f"{example!r} does not start with a slash"
    name, args = parsed
    assert name == command.name
    values = parse_args(command, args)  # raises UserError if the example does not fit its own command
    assert set(values) == {param.name for param in command.params}


@pytest.mark.parametrize("action", list(REGISTRY.actions), ids=str)
def test_every_button_action_name_is_valid(action: str) -> None:
    assert ACTION_NAME.match(action)
    assert ":" not in action


# ---- buttons -------------------------------------------------------------------------------------


def test_a_button_whose_data_fits_64_bytes_exactly_is_accepted() -> None:
    button = Button("Choose", "join", "x" * (MAX_BUTTON_DATA_BYTES - len("join:")))
    assert len(button.data.encode("utf-8")) == 64


def test_a_button_counts_its_data_in_utf8_bytes_not_characters() -> None:
    payload = "é" * 30  # 30 characters but 60 bytes: "join:" + 60 bytes = 65 bytes
    assert len(f"join:{payload}") <= 64
    with pytest.raises(ValueError, match="64 bytes"):
        Button("Choose", "join", payload)


def test_a_button_with_a_long_emoji_payload_is_rejected() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Button("Choose", "vote", "🗳" * 15)  # 4 bytes each


@pytest.mark.parametrize("label", ["", "   ", "\n"])
def test_a_button_without_a_text_label_is_rejected(label: str) -> None:
    with pytest.raises(ValueError, match="label"):
        Button(label, "join", "lay_partner")


def test_a_button_action_may_not_contain_the_separator() -> None:
    with pytest.raises(ValueError):
        Button("Choose", "join:evil", "x")


async def test_every_button_the_bot_shows_has_a_text_label_and_fits_64_bytes(group: ConsoleAdapter) -> None:
    await group.say("Dan", "/join")  # a newcomer is offered the buttons too
    await group.say("Bob", "/join")  # and a member sees them again, privately
    buttons = [button for message in group.messages.values() for row in message.buttons for button in row]
    assert buttons, "the setup and join conversation showed no buttons"
    for button in buttons:
        assert button.label.strip(), f"button {button.data!r} has no label"
        assert any(char.isalpha() for char in button.label), f"button label {button.label!r} is not words"
        assert len(button.data.encode("utf-8")) <= MAX_BUTTON_DATA_BYTES
        assert button.action in REGISTRY.actions, f"button {button.label!r} presses an undeclared action"


# ---- reading a typed line ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/vote@TouchstoneBot a b", ("vote", "a b")),
        ("/", ("", "")),
        ("  /help", ("help", "")),
        ("hello", None),
        ("", None),
        ("/members   ", ("members", "")),
        ("/touchstone edit\nOne.\nTwo.", ("touchstone", "edit\nOne.\nTwo.")),
        ("/setup\nRiverside", ("setup", "Riverside")),
    ],
)
def test_split_command_reads_the_name_and_the_rest_of_the_line(line: str, expected: tuple[str, str] | None) -> None:
    assert split_command(line) == expected


async def test_a_mistyped_command_suggests_the_closest_one(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/memebrs")
    assert "Did you mean /members" in said.text
    assert said.error_id is None


async def test_a_mistyped_help_suggests_help(group: ConsoleAdapter) -> None:
    said = await group.say("Bob", "/hepl")
    assert "Did you mean /help" in said.text


def test_suggestions_are_declared_commands_only() -> None:
    assert REGISTRY.suggest("memebrs")[0] == "members"
    assert REGISTRY.suggest("") == []
    assert REGISTRY.suggest("zzzzzzzzzzzz") == []
