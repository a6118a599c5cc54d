"""The README stays true: its command table matches the registry, and it shows the two commands."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_registry
from bot.docs import command_table, with_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_command_table_matches_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text, command_table(build_registry())) == text, "run `make docs` to refresh the table"


def test_every_command_appears_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for name in build_registry().commands:
        assert f"`/{name}" in text


def test_the_readme_shows_make_run_and_make_test_first() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.index("make run") < text.index("## Commands")
    assert text.index("make test") < text.index("## Commands")
