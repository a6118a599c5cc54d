"""The rules of a vote, as plain functions: what a press does to a ballot, tallies, quorum,
outcomes and instant run-off. No I/O, no wording; tested directly."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class VoteKind(StrEnum):
    YES_NO = "yes_no"
    PICK_ONE = "pick_one"
    PICK_MANY = "pick_many"
    CONSENSUS = "consensus"
    RANKED = "ranked"


class QuorumKind(StrEnum):
    NONE = "none"
    NUMBER = "number"  # at least this many people vote
    SHARE = "share"  # at least this percentage of eligible members vote


YES_NO_OPTIONS = ("Yes", "No", "Abstain")
CONSENSUS_OPTIONS = ("Agree", "Abstain", "Disagree", "Block")
#: Consensus choices that must come with a short reason.
NEEDS_REASON = frozenset({"Disagree", "Block"})
MAX_OPTIONS = 10
MAX_OPTION_CHARS = 60


class LimitReached(Exception):
    """A 'pick up to N' ballot already has N choices."""


def press(kind: VoteKind, max_choices: int, current: Sequence[int], option: int) -> tuple[int, ...]:
    """The ballot after someone presses `option` (ids of options, in the order chosen).

    Single-choice kinds replace the choice. 'Pick up to N' toggles, refusing an N+1th choice.
    Ranked adds the option as the next preference, or takes it out if it was already ranked.
    """
    chosen = tuple(current)
    if kind in (VoteKind.YES_NO, VoteKind.PICK_ONE, VoteKind.CONSENSUS):
        return (option,)
    if option in chosen:
        return tuple(o for o in chosen if o != option)
    if kind is VoteKind.PICK_MANY and len(chosen) >= max_choices:
        raise LimitReached
    return (*chosen, option)


def counts(option_ids: Sequence[int], ballots: Sequence[Sequence[int]], *, first_only: bool = False) -> dict[int, int]:
    """How many ballots include each option (for ranked: each option's first preferences)."""
    tally = dict.fromkeys(option_ids, 0)
    for ballot in ballots:
        for option in ballot[:1] if first_only else ballot:
            if option in tally:
                tally[option] += 1
    return tally


def quorum_needed(eligible: int, kind: QuorumKind, value: int) -> int:
    """How many voters the quorum asks for (0 when there is none)."""
    if kind is QuorumKind.NUMBER:
        return value
    if kind is QuorumKind.SHARE:
        return math.ceil(eligible * value / 100)
    return 0


def leaders(tally: dict[int, int]) -> list[int]:
    """The options with the most votes (several when tied); empty if nobody voted for anything."""
    best = max(tally.values(), default=0)
    return [option for option, count in tally.items() if count == best and best > 0]


@dataclass(frozen=True, slots=True)
class Round:
    """One round of an instant run-off count."""

    number: int
    counts: dict[int, int]  # continuing options → votes this round
    exhausted: int  # ballots with no continuing preference left
    eliminated: tuple[int, ...] = ()
    winners: tuple[int, ...] = ()  # one winner, or several tied at the end


def instant_runoff(option_ids: Sequence[int], rankings: Sequence[Sequence[int]]) -> list[Round]:
    """Count ranked ballots: an option with more than half the continuing votes wins; otherwise the
    option(s) with fewest votes are eliminated and their ballots move to the next preference."""
    continuing = list(option_ids)
    rounds: list[Round] = []
    while continuing:
        tally = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((o for o in ranking if o in tally), None)
            if top is None:
                exhausted += 1
            else:
                tally[top] += 1
        active = sum(tally.values())
        number = len(rounds) + 1
        if active == 0:
            rounds.append(Round(number, tally, exhausted))
            return rounds
        best = max(tally.values())
        if best * 2 > active or len(continuing) == 1:
            winners = tuple(o for o in continuing if tally[o] == best)
            rounds.append(Round(number, tally, exhausted, winners=winners))
            return rounds
        fewest = min(tally.values())
        lowest = tuple(o for o in continuing if tally[o] == fewest)
        if len(lowest) == len(continuing):  # everyone tied: nobody can be eliminated fairly
            rounds.append(Round(number, tally, exhausted, winners=tuple(continuing)))
            return rounds
        rounds.append(Round(number, tally, exhausted, eliminated=lowest))
        continuing = [o for o in continuing if o not in lowest]
    return rounds


class ConsensusOutcome(StrEnum):
    REACHED = "reached"
    BLOCKED = "blocked"
    NOT_REACHED = "not_reached"
    NO_VOTES = "no_votes"


def consensus_outcome(labels: Sequence[str]) -> ConsensusOutcome:
    """Any block stops the proposal; otherwise it is agreed when more agree than disagree."""
    tally = Counter(labels)
    if not labels:
        return ConsensusOutcome.NO_VOTES
    if tally["Block"]:
        return ConsensusOutcome.BLOCKED
    if tally["Agree"] > tally["Disagree"]:
        return ConsensusOutcome.REACHED
    return ConsensusOutcome.NOT_REACHED


def parse_options(text: str) -> list[str]:
    """'Tea, Coffee, Water' → ['Tea', 'Coffee', 'Water'] (commas or new lines; blanks dropped)."""
    parts = [p.strip() for chunk in text.split("\n") for p in chunk.split(",")]
    return [p for p in parts if p]
