"""The terminal chat with files and link buttons: files are saved in a folder (never over an earlier one) and
named in the chat; a link button shows its address; a button pressed "in private" is an ordinary button."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter, render, run_terminal, safe_filename
from bot.app import App
from bot.types import Attachment, Button, ButtonPress, ChatMessage, CommandCall, MessageRef, Outcome, Reply

CALENDAR = Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar")
TABLE = Attachment("figures.csv", b"name,votes\nYes,2\nNo,1\n", "text/csv")
AGENDA = Button("Open the agenda", url="https://example.org/agenda")


def replying(app: App, monkeypatch: pytest.MonkeyPatch, answer: Callable[[object], Outcome | None]) -> list[object]:
    """Let `answer` reply to the events it knows (the rest go to the real dispatcher); returns the events seen."""
    handle = app.dispatcher.handle
    seen: list[object] = []

    async def answering(event: object) -> Outcome:
        seen.append(event)
        outcome = answer(event)
        return outcome if outcome is not None else await handle(event)  # type: ignore[arg-type]

    monkeypatch.setattr(app.dispatcher, "handle", answering)
    return seen


async def test_files_are_saved_and_a_second_file_of_the_same_name_gets_a_number(app: App, tmp_path: Path) -> None:
    chat = ConsoleAdapter(app.dispatcher, files_dir=tmp_path / "saved")
    first = await chat.deliver(Reply("The meeting is on Friday.", files=(CALENDAR, TABLE)), chat.group_chat)
    changed = Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    second = await chat.deliver(Reply("The meeting moved to Monday.", files=(changed,)), chat.group_chat)
    saved = chat.messages[first.id].files + chat.messages[second.id].files
    assert [path.name for path in saved] == ["meeting.ics", "figures.csv", "meeting (2).ics"]
    assert all(path.parent == tmp_path / "saved" for path in saved)
    assert [path.read_bytes() for path in saved] == [CALENDAR.data, TABLE.data, changed.data]  # nothing overwritten
    assert chat.messages[second.id].file_names == ("meeting.ics",)


async def test_the_files_folder_is_next_to_the_local_database_or_a_temporary_one(app: App) -> None:
    chat = ConsoleAdapter(app.dispatcher)
    ref = await chat.deliver(Reply("Figures.", files=(TABLE,)), chat.group_chat)
    [path] = chat.messages[ref.id].files
    database = app.database.url.database
    if app.database.is_sqlite and database:
        assert chat.files_dir == Path(database).resolve().parent / "files"
    else:
        assert chat.files_dir.is_relative_to(tempfile.gettempdir())
    assert path == chat.files_dir / "figures.csv" and path.read_bytes() == TABLE.data


def test_a_file_name_cannot_leave_the_folder_or_hide() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\boot.ini") == "boot.ini"
    assert safe_filename(".profile") == "profile"
    assert safe_filename("") == safe_filename("..") == safe_filename("\x00\n") == "file"
    assert safe_filename("agenda\r\n.pdf") == "agenda.pdf"
    long = safe_filename("x" * 300 + ".csv")
    assert len(long) <= 120 and long.endswith(".csv")


async def test_the_terminal_names_saved_files_shows_link_addresses_and_numbers_only_what_can_be_pressed(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(event: object) -> Outcome | None:
        if isinstance(event, CommandCall) and event.name == "agenda":
            rows = Reply.rows([AGENDA, Button("Noted", "ballot", "1.1")])
            return Outcome(replies=[Reply("Here is Friday's agenda.", buttons=rows, files=(CALENDAR,))])
        if isinstance(event, ButtonPress):
            return Outcome(replies=[Reply(f"You pressed {event.action}:{event.payload}.")])
        return None

    replying(app, monkeypatch, answer)
    chat = ConsoleAdapter(app.dispatcher, files_dir=tmp_path)
    lines = ["/agenda", "2", "1"]
    written: list[str] = []

    def read(_prompt: str) -> str:
        if not lines:
            raise EOFError
        return lines.pop(0)

    await run_terminal(chat, read=read, write=written.append)
    shown = [line.strip() for chunk in written for line in chunk.splitlines() if line.strip()]
    at = shown.index("Touchstone: Here is Friday's agenda.")
    assert shown[at + 1] == "[Open the agenda → https://example.org/agenda]   [1] Noted"
    assert shown[at + 2] == f"(Saved the file “meeting.ics” to {tmp_path / 'meeting.ics'})"
    assert "Please type a number from 1 to 1." in shown  # the link is not a numbered choice
    assert "Touchstone: You pressed ballot:1.1." in shown
    assert (tmp_path / "meeting.ics").read_bytes() == CALENDAR.data


async def test_a_link_button_cannot_be_pressed_and_a_button_pressed_in_private_is_ordinary_here(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(event: object) -> Outcome | None:
        if isinstance(event, CommandCall) and event.name == "agenda":
            reason = Button("Give a reason", "ballot", "12.3", in_private=True)
            return Outcome(replies=[Reply("Vote 12.", buttons=Reply.rows([AGENDA, reason]))])
        if isinstance(event, ButtonPress):
            return Outcome(replies=[Reply("Please type your reason.", private=True)], toast="Noted.")
        return None

    seen = replying(app, monkeypatch, answer)
    chat = ConsoleAdapter(app.dispatcher, files_dir=tmp_path)
    vote = (await chat.say("Alice", "/agenda")).messages[0]
    assert render(vote, chat.user("Alice").id).splitlines()[1] == (
        "    [Open the agenda → https://example.org/agenda]   [1] Give a reason"
    )
    with pytest.raises(LookupError, match=r"is a link to https://example\.org/agenda"):
        await chat.press("Alice", "Open the agenda")
    pressed = await chat.press("Alice", "Give a reason")
    [press] = [event for event in seen if isinstance(event, ButtonPress)]
    assert (press.action, press.payload, press.chat) == ("ballot", "12.3", chat.group_chat)
    assert pressed.toast == "Noted." and pressed.files == []
    assert [m.text for m in pressed.seen] == ["Please type your reason."]


PAPER = Attachment("housing-strategy.pdf", b"%PDF-1.7\nthe strategy\n", "application/pdf")


async def test_a_command_carries_its_files_and_a_reply_says_which_message_it_answers(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(event: object) -> Outcome | None:
        if isinstance(event, CommandCall) and event.name == "paper":
            return Outcome(replies=[Reply("Paper 1: the housing strategy.", thread="Paper 1: housing")])
        if isinstance(event, ChatMessage) and event.reply_to is not None:
            return Outcome()
        return None

    seen = replying(app, monkeypatch, answer)
    chat = ConsoleAdapter(app.dispatcher, files_dir=tmp_path)
    [paper] = (await chat.say("Bob", "/paper Housing strategy | Please read", files=(PAPER,))).messages
    [call] = [event for event in seen if isinstance(event, CommandCall)]
    assert (call.name, call.args, call.files) == ("paper", "Housing strategy | Please read", (PAPER,))
    assert render(paper, chat.user("Bob").id).splitlines() == [
        "Touchstone: Paper 1: the housing strategy.",
        "    (Replies to this message go in its thread “Paper 1: housing”.)",
    ]
    with pytest.raises(ValueError, match="with a command"):
        await chat.say("Bob", "just chatting", files=(PAPER,))

    await chat.reply("Carol", paper, "Too little about carers.")
    [said] = [event for event in seen if isinstance(event, ChatMessage)]
    assert (said.text, said.chat, said.actor) == ("Too little about carers.", chat.group_chat, chat.user("Carol"))
    assert said.reply_to == MessageRef(chat.group_chat, paper.id)
    await chat.reply("Carol", paper, "/paper Another one")  # a command typed as a reply is just the command
    assert [event.name for event in seen if isinstance(event, CommandCall)] == ["paper", "paper"]
    # Someone cannot reply to what they cannot see.
    secret = (await chat.say("Bob", "/paper Mine", private=True)).messages[0]
    assert secret.thread is None  # a private chat has no threads
    with pytest.raises(LookupError, match="cannot see"):
        await chat.reply("Carol", secret, "Hello")


async def test_a_reply_reaches_the_real_core_as_someone_taking_part(group: ConsoleAdapter) -> None:
    posted = (await group.say("Alice", "/members")).messages[0]
    transcript = await group.reply("Bob", posted, "Thanks, that's everyone.")
    assert transcript.error_id is None
