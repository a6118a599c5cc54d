"""Reading a whole vote from one line:

    /vote Should we meet monthly? | yes/no | Friday 5pm | anonymous, quorum 60%

Parts, separated by "|": the question; the choices ("yes/no" or nothing, "consensus",
"Tea, Coffee", "pick 2: Tea, Coffee, Cake", "ranked: Tea, Coffee, Cake"); when it closes
(nothing for no deadline); extras ("anonymous", "hide results", "lay partners only",
"quorum 5" or "quorum 60%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.errors import UserError
from bot.i18n import _
from bot.registry import too_long
from commands.voting import wording
from commands.voting.rules import (
    CONSENSUS_OPTIONS,
    MAX_OPTION_CHARS,
    MAX_OPTIONS,
    YES_NO_OPTIONS,
    QuorumKind,
    VoteKind,
    parse_options,
)

MAX_QUESTION_CHARS = 300
#: The question, as a part of /vote: the same name and limit typed in one line or step by step.
QUESTION_PART = _("The question")
# The keyword needs its colon (or dash), so a choice that merely starts with "Rank…" or "Pick…" stays a choice.
_PICK = re.compile(r"^(?:pick|choose|up to)\s*(\d+)\s*[:\-]\s*(.*)$", re.IGNORECASE | re.DOTALL | re.ASCII)
_RANKED = re.compile(r"^(?:ranking|ranked|rank)\s*[:\-]\s*(.*)$", re.IGNORECASE | re.DOTALL)
_QUORUM = re.compile(r"^quorum\s*(?:of\s*)?(\d+)\s*(%?)$", re.IGNORECASE | re.ASCII)
#: A quorum of more people than any group has is a typing mistake (and would not fit the database).
MAX_QUORUM = 10_000


@dataclass
class Extras:
    anonymous: bool = False
    hide_results: bool = False
    lay_only: bool = False
    quorum_kind: QuorumKind = QuorumKind.NONE
    quorum_value: int = 0


@dataclass
class Choices:
    kind: VoteKind
    labels: list[str]
    max_choices: int = 1


@dataclass
class VoteSpec:
    question: str
    choices: Choices
    extras: Extras = field(default_factory=Extras)


def check_question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise UserError(wording.TYPE_THE_QUESTION)
    if len(question) > MAX_QUESTION_CHARS:
        raise UserError(too_long(QUESTION_PART, MAX_QUESTION_CHARS))
    return question


def parse_choices(text: str) -> Choices:
    """'yes/no', '', 'consensus', 'Tea, Coffee', 'pick 2: …', 'ranked: …' → kind and labels."""
    words = text.strip()
    folded = words.casefold().replace(" ", "")
    if folded in ("", "yes/no", "yesno", "yes,no", "yes/no/abstain"):
        return Choices(VoteKind.YES_NO, list(YES_NO_OPTIONS))
    if folded == "consensus":
        return Choices(VoteKind.CONSENSUS, list(CONSENSUS_OPTIONS))
    if match := _PICK.match(words):
        labels = check_labels(parse_options(match.group(2)))
        limit = int(match.group(1))
        if not 1 <= limit < len(labels):
            raise UserError(wording.pick_limit_out_of_range(len(labels)))
        return Choices(VoteKind.PICK_MANY, labels, limit)
    if match := _RANKED.match(words):
        return Choices(VoteKind.RANKED, check_labels(parse_options(match.group(1))))
    return Choices(VoteKind.PICK_ONE, check_labels(parse_options(words)))


def check_labels(labels: list[str]) -> list[str]:
    if len(labels) < 2:
        raise UserError(wording.TOO_FEW_CHOICES)
    if len(labels) > MAX_OPTIONS:
        raise UserError(wording.too_many_choices(MAX_OPTIONS))
    if any(len(label) > MAX_OPTION_CHARS for label in labels):
        raise UserError(wording.choice_too_long(MAX_OPTION_CHARS))
    if len({label.casefold() for label in labels}) < len(labels):
        raise UserError(wording.SAME_CHOICE_TWICE)
    return labels


def parse_extras(text: str) -> Extras:
    extras = Extras()
    for raw in text.split(","):
        item = " ".join(raw.split()).casefold()
        if not item:
            continue
        if item in ("anonymous", "secret", "secret ballot"):
            extras.anonymous = True
        elif item in ("hide results", "hidden", "hide", "results hidden", "hidden results"):
            extras.hide_results = True
        elif item in ("lay partners only", "lay only", "lay partners"):
            extras.lay_only = True
        elif match := _QUORUM.match(item):
            value = int(match.group(1))
            if match.group(2):
                if not 1 <= value <= 100:
                    raise UserError(wording.QUORUM_SHARE_OUT_OF_RANGE)
                extras.quorum_kind, extras.quorum_value = QuorumKind.SHARE, value
            else:
                if value < 1:
                    raise UserError(wording.QUORUM_BELOW_ONE)
                if value > MAX_QUORUM:
                    raise UserError(wording.quorum_too_big(MAX_QUORUM))
                extras.quorum_kind, extras.quorum_value = QuorumKind.NUMBER, value
        else:
            raise UserError(wording.unknown_extra(item[:40]))
    return extras
