"""Wording: plural forms agree with their counts everywhere. Every template with a count is rendered with
0, 1 and 2, and a scan of the source fails on any marked sentence that puts a count before a noun without
the plural function."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.i18n import ngettext

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("bot", "commands", "adapters")

#: Nouns our sentences count, singular → plural.
COUNT_NOUNS = {
    "vote": "votes",
    "person": "people",
    "member": "members",
    "choice": "choices",
    "character": "characters",
    "hour": "hours",
    "day": "days",
    "minute": "minutes",
    "principle": "principles",
    "message": "messages",
    "reminder": "reminders",
    "ballot": "ballots",
    "week": "weeks",
}
PLURALS = "|".join(COUNT_NOUNS.values())
SINGULARS = "|".join(COUNT_NOUNS)
#: A placeholder right before a counted noun: "{count} votes".
COUNT_BEFORE_NOUN = re.compile(r"\{(\w+)\}\s+(?:" + "|".join([*COUNT_NOUNS, *COUNT_NOUNS.values()]) + r")\b")
ONE_WITH_PLURAL = re.compile(r"(?<![\d.,])1 (?:" + PLURALS + r")\b")
OTHER_WITH_SINGULAR = re.compile(r"(?<![\d.,])(?:0|2) (?:" + SINGULARS + r")\b(?!s)")


def marked_calls() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every `_("…")` and `ngettext("…", "…", n)` with literal strings: (where, function, strings)."""
    found = []
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id not in ("_", "ngettext"):
                    continue
                strings = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                if strings:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.func.id, strings))
    return found


def test_the_scan_finds_the_marked_sentences() -> None:
    calls = marked_calls()
    assert len([c for c in calls if c[1] == "_"]) > 200
    assert len([c for c in calls if c[1] == "ngettext"]) > 20


def test_no_marked_sentence_puts_a_count_before_a_noun_without_the_plural_function() -> None:
    offenders = [
        f"{where}: {strings[0]!r}"
        for where, function, strings in marked_calls()
        if function == "_" and COUNT_BEFORE_NOUN.search(strings[0])
    ]
    assert offenders == []


def test_the_scan_catches_a_count_glued_into_a_sentence() -> None:
    assert COUNT_BEFORE_NOUN.search("{names} tied with {count} votes each.")
    assert COUNT_BEFORE_NOUN.search("Please keep it under {limit} characters.")
    assert not COUNT_BEFORE_NOUN.search("Vote {id} has started.")


@pytest.mark.parametrize("count", [0, 1, 2])
def test_every_plural_template_agrees_with_its_count(count: int) -> None:
    disagreeing = []
    for where, function, strings in marked_calls():
        if function != "ngettext" or len(strings) != 2:
            continue
        template = ngettext(strings[0], strings[1], count)
        rendered = re.sub(r"\{\w+\}", str(count), template)
        if (count == 1 and ONE_WITH_PLURAL.search(rendered)) or (count != 1 and OTHER_WITH_SINGULAR.search(rendered)):
            disagreeing.append(f"{where}: {rendered!r}")
    assert disagreeing == []


def test_the_agreement_check_catches_one_votes_and_two_vote() -> None:
    assert ONE_WITH_PLURAL.search("tied with 1 votes each")
    assert OTHER_WITH_SINGULAR.search("with 2 vote each")
    assert not OTHER_WITH_SINGULAR.search("with 2 votes each")
