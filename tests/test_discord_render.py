"""The Discord adapter's translations, without a connection: slash commands, typed options, buttons."""

from __future__ import annotations

import re

from adapters.discord import (
    BUTTON_TEMPLATE,
    args_text,
    attached_files,
    attachment_mime,
    command_payloads,
    comparable,
    discord_files,
    file_batches,
    thread_name,
    view_for,
)
from bot.app import build_registry
from bot.registry import Command, Param, ParamKind, Registry
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


async def _nothing(ctx: object) -> None:
    return None


PAPER = Command(
    name="sharefile",
    summary="Share a paper with the group",
    handler=_nothing,
    params=(
        Param("title", ParamKind.TEXT, "The paper's title"),
        Param("document", ParamKind.FILE, "The paper itself"),
        Param("note", ParamKind.TEXT, "A line about it", required=False),
    ),
    separator="|",
)


def test_a_file_parameter_is_an_attachment_option_and_never_part_of_the_typed_text() -> None:
    registry = Registry()
    registry.add_command(PAPER)
    [declared] = command_payloads(registry)
    assert [(o["name"], o["type"]) for o in declared["options"]] == [("title", 3), ("document", 11), ("note", 3)]
    resolved = {
        "attachments": {
            "77": {
                "id": "77",
                "filename": "paper.txt",
                "size": 5,
                "url": "https://cdn.discordapp.com/ephemeral-attachments/1/77/paper.txt?ex=1&is=2&hm=3&",
                "content_type": "text/plain; charset=utf-8",
            }
        }
    }
    options = [
        {"name": "title", "type": 3, "value": "Housing"},
        {"name": "document", "type": 11, "value": "77"},
        {"name": "note", "type": 3, "value": "Read by Friday"},
    ]
    assert args_text(PAPER, options, resolved) == ("Housing | Read by Friday", ())
    assert args_text(PAPER, options[:2], resolved) == ("Housing", ())
    [found] = attached_files(PAPER, options, resolved)
    assert found["url"].startswith("https://cdn.discordapp.com/ephemeral-attachments/") and found["size"] == 5
    assert attachment_mime(found) == "text/plain"
    assert attachment_mime({"filename": "paper.pdf"}) == "application/pdf"  # Discord gave no type: from the name
    assert attachment_mime({"filename": "paper"}) == "application/octet-stream"
    assert attached_files(PAPER, options[:1], resolved) == []


def test_a_thread_name_is_one_line_of_at_most_100_characters() -> None:
    assert thread_name("  Paper 1:\n the housing   strategy ") == "Paper 1: the housing strategy"
    long = thread_name("word " * 40)
    assert len(long) == 100 and long.endswith("…")
    assert thread_name(" \n ") == ""
