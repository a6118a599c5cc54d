"""The `touchstone` command (check, migrate, run), secret-scrubbing logs, and the terminal chat."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter, run_terminal
from bot.app import DEMO_GROUP, App, seed_demo
from bot.cli import RedactSecrets, configure_logging, main
from bot.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
FAKE_TELEGRAM_TOKEN = "123456789:" + "A" * 35
SETTING_NAMES = [name.upper() for name in Settings.model_fields]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """`main` reconfigures the root logger; put it back so other tests' logging is untouched."""
    loggers = [logging.getLogger(name) for name in ("", "httpx", "alembic")]
    saved = [(logger.handlers[:], logger.level) for logger in loggers]
    yield
    for logger, (handlers, level) in zip(loggers, saved, strict=True):
        logger.handlers[:] = handlers
        logger.setLevel(level)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment in an empty directory (so no .env is read), with a fresh SQLite file."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}")
    return monkeypatch


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run `touchstone ARGV...`; returns the exit code and everything printed (stdout and stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# ---- touchstone check / migrate ----------------------------------------------------------------


def test_check_says_settings_are_valid_and_never_prints_the_token(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("TELEGRAM_TOKEN", FAKE_TELEGRAM_TOKEN)
    code, printed = run_cli(capsys, "check")
    assert code == 0
    assert "Settings: valid." in printed
    assert "Database: reachable (sqlite)" in printed
    assert "Tokens: Telegram set." in printed
    assert FAKE_TELEGRAM_TOKEN not in printed
    assert "A" * 35 not in printed


def test_check_with_a_badly_shaped_token_fails_without_printing_it(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_token = "not-a-real-token-but-still-secret"
    environment.setenv("TELEGRAM_TOKEN", bad_token)
    code, printed = run_cli(capsys, "check")
    assert code == 1
    assert "TELEGRAM_TOKEN does not look like a Telegram bot token" in printed
    assert bad_token not in printed


def test_check_with_an_unknown_time_zone_exits_2_with_a_plain_message(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("DEFAULT_TIMEZONE", "Mars/Olympus_Mons")
    environment.setenv("TELEGRAM_TOKEN", FAKE_TELEGRAM_TOKEN)
    code, printed = run_cli(capsys, "check")
    assert code == 2
    assert "Touchstone's settings need fixing:" in printed
    assert "DEFAULT_TIMEZONE:" in printed
    assert "'Mars/Olympus_Mons' is not a time zone name like Europe/London" in printed
    assert "See .env.example for every setting." in printed
    assert "Traceback" not in printed
    assert FAKE_TELEGRAM_TOKEN not in printed


def test_check_explains_a_webhook_address_that_is_not_https_and_never_prints_the_secret(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    environment.setenv("TELEGRAM_TOKEN", FAKE_TELEGRAM_TOKEN)
    environment.setenv("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/telegram")
    environment.setenv("TELEGRAM_WEBHOOK_SECRET", "not allowed!")
    code, printed = run_cli(capsys, "check")
    assert code == 2
    assert "Telegram only sends updates to an https:// address" in printed
    assert "use 1 to 256 letters, digits, _ or -" in printed
    assert "not allowed!" not in printed


def test_every_setting_is_explained_in_env_example() -> None:
    listed = {
        line.split("=", 1)[0]
        for line in (Path(__file__).parent.parent / ".env.example").read_text().splitlines()
        if "=" in line
    }
    listed = {name for name in listed if not name.startswith("#")}
    assert {name.upper() for name in Settings.model_fields} == listed


def test_check_after_migrate_says_the_schema_is_up_to_date(
    environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run_cli(capsys, "check")
    assert (code, "schema needs updating: run `touchstone migrate`" in printed) == (0, True)
    code, printed = run_cli(capsys, "migrate")
    assert (code, printed) == (0, "Database schema is up to date (sqlite).\n")
    code, printed = run_cli(capsys, "check")
    assert code == 0
    assert "Database: reachable (sqlite), schema up to date." in printed
    assert "Tokens: none set, so `touchstone run` opens the terminal chat." in printed


def test_python_m_bot_check_works_as_a_program(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Settings: valid." in result.stdout
    assert "Database: reachable (sqlite)" in result.stdout


# ---- tokens never reach the logs ---------------------------------------------------------------


def log_record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("telegram.ext", logging.INFO, __file__, 1, message, args, None)


def test_a_token_inside_a_log_message_is_replaced() -> None:
    record = log_record(f"GET https://api.telegram.org/bot{FAKE_TELEGRAM_TOKEN}/getMe 200")
    assert RedactSecrets([FAKE_TELEGRAM_TOKEN]).filter(record)
    assert record.getMessage() == "GET https://api.telegram.org/bot***/getMe 200"


def test_a_token_passed_as_a_log_argument_is_replaced() -> None:
    record = log_record("GET %s%s/getMe %d", "https://api.telegram.org/bot", FAKE_TELEGRAM_TOKEN, 200)
    RedactSecrets([FAKE_TELEGRAM_TOKEN]).filter(record)
    assert record.getMessage() == "GET https://api.telegram.org/bot***/getMe 200"


def test_a_token_inside_a_logged_exception_is_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(_env_file=None, telegram_token=FAKE_TELEGRAM_TOKEN))  # type: ignore[call-arg]
    try:
        raise ConnectionError(f"cannot reach https://api.telegram.org/bot{FAKE_TELEGRAM_TOKEN}/getUpdates")
    except ConnectionError:
        logging.getLogger("telegram.ext.Updater").exception("polling failed for %s", FAKE_TELEGRAM_TOKEN)
    written = capsys.readouterr().err
    assert "polling failed for ***" in written
    assert "cannot reach https://api.telegram.org/bot***/getUpdates" in written
    assert FAKE_TELEGRAM_TOKEN not in written


def test_a_badly_formed_log_call_does_not_break_the_caller() -> None:
    record = log_record("two values %s %s", FAKE_TELEGRAM_TOKEN)
    assert RedactSecrets([FAKE_TELEGRAM_TOKEN]).filter(record)  # no exception escapes to the caller
    assert FAKE_TELEGRAM_TOKEN not in str(record.msg) + repr(record.args)


# ---- touchstone run ----------------------------------------------------------------------------


# ---- the interactive terminal chat -------------------------------------------------------------


def scripted(lines: list[str]) -> Callable[[str], str]:
    """A stand-in for input(): returns the lines in order, then behaves like Ctrl-D."""
    remaining = list(lines)

    def read(prompt: str) -> str:
        if not remaining:
            raise EOFError
        return remaining.pop(0)

    return read


async def terminal(app: App, lines: list[str]) -> list[str]:
    """Run the terminal chat on the demo group with typed `lines`; returns every line it wrote."""
    console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
    await seed_demo(console)
    written: list[str] = []
    await run_terminal(console, read=scripted(lines), write=written.append)
    return [line.strip() for chunk in written for line in chunk.splitlines() if line.strip()]


async def test_the_terminal_chat_opens_on_a_demo_group_of_three(app: App) -> None:
    shown = await terminal(app, ["/members", "/quit"])
    assert shown[0] == f"Welcome to Touchstone's terminal chat. You are Alice, in the group chat “{DEMO_GROUP}”."
    members_at = shown.index(f"Touchstone: “{DEMO_GROUP}” has 3 members.")
    assert shown[members_at + 1 : members_at + 4] == [
        "Alice, co-chair, a lay partner.",
        "Bob, a lay partner.",
        "Carol, a professional.",
    ]
    assert shown[-1] == "Goodbye."


async def test_in_the_terminal_dan_joins_by_pressing_a_numbered_button(app: App) -> None:
    shown = await terminal(app, ["/as Dan", "/join", "1", "/members", "/private", "/start", "/quit"])
    assert "You are now Dan." in shown
    welcome_at = shown.index("Touchstone: Welcome! How would you describe yourself in this group? Choose one below.")
    assert shown[welcome_at + 1] == "[1] Lay partner   [2] Professional   [3] Other"
    assert f"Touchstone: Welcome, Dan! You're now a member of “{DEMO_GROUP}”, as a lay partner." in shown
    members_at = shown.index(f"Touchstone: “{DEMO_GROUP}” has 4 members.")
    assert shown[members_at + 1 : members_at + 5] == [
        "Alice, co-chair, a lay partner.",
        "Bob, a lay partner.",
        "Carol, a professional.",
        "Dan, a lay partner.",
    ]
    assert "You are now in your private chat with the bot." in shown
    assert any(line.startswith("Touchstone: Hello Dan! I'm Touchstone.") for line in shown)
    assert shown[-1] == "Goodbye."


async def test_the_terminal_chat_says_goodbye_at_the_end_of_input(app: App) -> None:
    shown = await terminal(app, [])
    assert shown[-1] == "Goodbye."


async def test_the_terminal_asks_for_a_number_that_matches_a_button(app: App) -> None:
    shown = await terminal(app, ["/as Dan", "/join", "7"])
    assert "Please type a number from 1 to 3." in shown


async def test_the_terminal_confirms_a_vote_to_the_person_who_pressed(app: App) -> None:
    console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
    await seed_demo(console)
    lines = ["/vote Should we meet monthly? | yes/no | Friday 5pm", "2"]
    written: list[str] = []

    def read(_prompt: str) -> str:
        if not lines:
            raise EOFError
        return lines.pop(0)

    await run_terminal(console, read=read, write=written.append)
    assert "Touchstone (just to you): Your vote is in: No." in written


# ---- a platform that cannot be reached at start-up ---------------------------------------------------


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: nothing listens there


def touchstone_run(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'touchstone.db'}",
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
    )


FAKE_DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.mark.parametrize("platform", ["telegram", "discord"])
def test_starting_with_the_platform_unreachable_stops_with_a_plain_message(tmp_path: Path, platform: str) -> None:
    port = closed_port()
    if platform == "telegram":
        settings = {"TELEGRAM_TOKEN": FAKE_TELEGRAM_TOKEN, "TELEGRAM_API_URL": f"http://127.0.0.1:{port}/bot"}
        token = FAKE_TELEGRAM_TOKEN
    else:
        settings = {"DISCORD_TOKEN": FAKE_DISCORD_TOKEN, "DISCORD_API_URL": f"http://127.0.0.1:{port}/api/v10"}
        token = FAKE_DISCORD_TOKEN
    result = touchstone_run(tmp_path, **settings)
    printed = result.stdout + result.stderr
    assert result.returncode == 3, printed
    where = f"Telegram at 127.0.0.1:{port}" if platform == "telegram" else "Discord at 127.0.0.1"
    assert f"Touchstone could not reach {where} (" in printed
    assert "then start it again." in printed
    assert "Traceback" not in printed
    assert token not in printed


def test_a_malformed_api_address_is_a_plain_settings_message(tmp_path: Path) -> None:
    result = touchstone_run(tmp_path, TELEGRAM_TOKEN=FAKE_TELEGRAM_TOKEN, TELEGRAM_API_URL="htp:/api.telegram")
    printed = result.stdout + result.stderr
    assert result.returncode == 2, printed
    assert "TELEGRAM_API_URL: Value error, use a web address that starts with https://" in printed
    assert "Traceback" not in printed and FAKE_TELEGRAM_TOKEN not in printed
