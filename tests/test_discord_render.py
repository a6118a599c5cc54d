"""The Discord adapter's translations, without a connection: slash commands, typed options, buttons."""

from __future__ import annotations

import re

from adapters.discord import (
    BUTTON_TEMPLATE,
    args_text,
    command_payloads,
    comparable,
    discord_files,
    file_batches,
    view_for,
)
from bot.app import build_registry
from bot.types import Attachment, Button, UserRef

REGISTRY = build_registry()


def payload(name: str) -> dict:
    return next(p for p in command_payloads(REGISTRY) if p["name"] == name)


def test_every_command_becomes_a_slash_command_with_a_plain_description() -> None:
    payloads = command_payloads(REGISTRY)
    assert {p["name"] for p in payloads} == set(REGISTRY.commands)
    for p in payloads:
        assert 1 <= len(p["description"]) <= 100
        assert all(1 <= len(o["description"]) <= 100 for o in p["options"])


def test_options_are_typed_and_required_ones_come_first() -> None:
    extend = payload("extend")["options"]
    assert [(o["name"], o["type"], o["required"]) for o in extend] == [("vote", 4, True), ("closes", 3, True)]
    cochair = payload("cochair")["options"]
    assert cochair[0]["choices"] == [{"name": "add", "value": "add"}, {"name": "remove", "value": "remove"}]
    assert cochair[1]["type"] == 6  # a member is picked from Discord's own member list
    for p in command_payloads(REGISTRY):
        required = [o["required"] for o in p["options"]]
        assert required == sorted(required, reverse=True), p["name"]


def test_group_only_commands_are_not_offered_in_direct_messages() -> None:
    assert payload("setup")["contexts"] == [0]
    assert payload("help")["contexts"] == [0, 1]


def test_typed_options_become_the_text_the_core_reads() -> None:
    vote = REGISTRY.commands["vote"]
    options = [
        {"name": "question", "type": 3, "value": "Meet monthly?"},
        {"name": "closes", "type": 3, "value": "Friday 5pm"},
    ]
    assert args_text(vote, options) == ("Meet monthly? |  | Friday 5pm", ())
    cochair = REGISTRY.commands["cochair"]
    resolved = {"users": {"123": {"id": "123", "username": "sam_k", "global_name": "Sam Kaur"}}}
    options = [{"name": "change", "value": "add"}, {"name": "member", "value": "123"}]
    text, picked = args_text(cochair, options, resolved)
    # The core never sees Discord's <@id> syntax: the member is named, and the account picked travels beside it.
    assert text == "add Sam Kaur"
    assert picked == (("member", UserRef("discord", "123", "Sam Kaur", handle="sam_k")),)
    assert args_text(REGISTRY.commands["members"], []) == ("", ())


def test_commands_are_only_resent_when_they_changed() -> None:
    declared = command_payloads(REGISTRY)
    # What Discord sends back has ids, versions and defaults added, and may list commands in another order.
    returned = [
        {**p, "id": str(i), "version": "1", "application_id": "9", "default_member_permissions": None}
        for i, p in enumerate(reversed(declared))
    ]
    assert comparable(returned) == comparable(declared)
    changed = [dict(p) for p in returned]
    changed[0] = {**changed[0], "description": "Something else"}
    assert comparable(changed) != comparable(declared)


def test_buttons_carry_ids_only_and_fit_discords_rows() -> None:
    rows = ((Button("Yes", "ballot", "12.1"), Button("No", "ballot", "12.2")),)
    view = view_for(rows)
    assert view is not None
    [row] = view.to_components()
    assert [(c["label"], c["custom_id"]) for c in row["components"]] == [("Yes", "ballot:12.1"), ("No", "ballot:12.2")]
    assert re.fullmatch(BUTTON_TEMPLATE, "ballot:12.1")
    many = (tuple(Button(f"Choice {n}", "ballot", f"1.{n}") for n in range(12)),)
    view = view_for(many)
    assert view is not None
    assert [len(r["components"]) for r in view.to_components()] == [5, 5, 2]
    assert view_for(()) is None


def test_more_rows_than_discord_shows_are_packed_five_to_a_row_so_no_button_is_lost() -> None:
    """Seen: /settings with the meetings settings had 8 rows of one or two buttons; Discord shows 5 rows."""
    rows = tuple(
        (Button(f"Setting {n}", "setting", f"s{n}.0"), Button(f"Change {n}", "setting", f"s{n}.type")) for n in range(8)
    )
    view = view_for(rows)
    assert view is not None
    components = view.to_components()
    assert [len(r["components"]) for r in components] == [5, 5, 5, 1]
    assert [c["label"] for r in components for c in r["components"]] == [b.label for row in rows for b in row]


def test_a_link_button_is_discords_link_button_and_a_button_pressed_in_private_is_ordinary() -> None:
    rows = (
        (
            Button("Open the agenda", url="https://example.org/agenda"),
            Button("Give a reason", "ballot", "12.3", in_private=True),
        ),
    )
    view = view_for(rows)
    assert view is not None
    [row] = view.to_components()
    link, private = row["components"]
    assert (link["style"], link["url"], link["label"]) == (5, "https://example.org/agenda", "Open the agenda")
    assert "custom_id" not in link
    assert (private["custom_id"], private["label"]) == ("ballot:12.3", "Give a reason")


def test_files_go_ten_to_a_message_and_are_made_afresh_for_each_send() -> None:
    files = tuple(Attachment(f"page-{n}.txt", b"x", "text/plain") for n in range(23))
    assert [len(batch) for batch in file_batches(files)] == [10, 10, 3]
    assert file_batches(()) == []
    first, second = discord_files(files[:1]), discord_files(files[:1])
    assert first[0].filename == "page-0.txt" and first[0].fp is not second[0].fp
