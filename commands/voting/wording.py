"""Everything a vote says, in short plain sentences that read well aloud (screen readers)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import _, ngettext
from commands.voting.rules import (
    ConsensusOutcome,
    QuorumKind,
    Round,
    VoteKind,
    consensus_outcome,
    counts,
    instant_runoff,
    leaders,
    quorum_needed,
)
from storage.voting import BallotRow, Vote, VoteOption, VoteStatus

KIND_HOW = {
    VoteKind.YES_NO: _("Choose yes, no or abstain."),
    VoteKind.PICK_ONE: _("Choose one."),
    VoteKind.PICK_MANY: _("Choose up to {n}. Press a choice again to take it back."),
    VoteKind.CONSENSUS: _("Agree, abstain, disagree or block. If you disagree or block, I'll ask you why."),
    VoteKind.RANKED: _("Press the choices in your order of preference, first choice first."),
}

KIND_NAMES = {
    VoteKind.YES_NO: _("Yes or no"),
    VoteKind.PICK_ONE: _("Pick one"),
    VoteKind.PICK_MANY: _("Pick several"),
    VoteKind.CONSENSUS: _("Consensus"),
    VoteKind.RANKED: _("Ranked choice"),
}

ANONYMOUS_NOTE = _(
    "This vote is anonymous: nobody in the group, co-chairs included, can see who chose what. "
    "Whoever runs the bot could see it in the database."
)


def how_to_answer(vote: Vote) -> str:
    return KIND_HOW[VoteKind(vote.kind)].format(n=vote.max_choices)


def people(count: int) -> str:
    return ngettext("{n} person", "{n} people", count).format(n=count)


def names_list(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def counts_sentence(option_list: Sequence[VoteOption], tally: dict[int, int]) -> str:
    return " ".join(_("{label}: {count}.").format(label=o.label, count=tally[o.id]) for o in option_list)


def quorum_sentence(vote: Vote, eligible: int, turnout: int) -> str | None:
    kind = QuorumKind(vote.quorum_kind)
    if kind is QuorumKind.NONE:
        return None
    needed = quorum_needed(eligible, kind, vote.quorum_value)
    if kind is QuorumKind.SHARE:
        quorum = _("{share}% ({needed} of {eligible})").format(
            share=vote.quorum_value, needed=needed, eligible=people(eligible)
        )
    else:
        quorum = people(needed)
    if turnout >= needed:
        return _("The quorum of {quorum} was met.").format(quorum=quorum)
    return _("The quorum of {quorum} was not met, so this result does not count.").format(quorum=quorum)


def quorum_note(vote: Vote, eligible: int) -> str | None:
    """For the live vote message: how many need to vote for the result to count."""
    kind = QuorumKind(vote.quorum_kind)
    if kind is QuorumKind.NONE:
        return None
    needed = quorum_needed(eligible, kind, vote.quorum_value)
    return ngettext(
        "The result counts only if at least {n} person votes.",
        "The result counts only if at least {n} people vote.",
        needed,
    ).format(n=needed)


def turnout_sentence(eligible: int, turnout: int, *, closed: bool) -> str:
    share = round(100 * turnout / eligible) if eligible else 0
    if closed:
        return _("{turnout} of {eligible} voted ({share}%).").format(
            turnout=turnout, eligible=people(eligible), share=share
        )
    return _("{turnout} of {eligible} have voted so far.").format(turnout=turnout, eligible=people(eligible))


def vote_message(
    vote: Vote,
    option_list: Sequence[VoteOption],
    ballot_rows: Sequence[BallotRow],
    eligible: int,
    *,
    closes: str | None,
) -> str:
    """The live vote message: question, how to answer, deadline, counts and who has voted."""
    lines = [_("Vote {id}: {question}").format(id=vote.id, question=vote.question), how_to_answer(vote)]
    if vote.status is VoteStatus.CLOSED:
        lines.append(_("This vote has closed. Type /results {id} to see the result.").format(id=vote.id))
    elif closes:
        lines.append(_("It closes on {when}.").format(when=closes))
    else:
        lines.append(_("It stays open until a co-chair closes it."))
    if vote.lay_only:
        lines.append(_("Only lay partners can vote in this one."))
    if vote.anonymous:
        lines.append(ANONYMOUS_NOTE)
    note = quorum_note(vote, eligible)
    if note:
        lines.append(note)
    lines.append(turnout_sentence(eligible, len(ballot_rows), closed=vote.status is VoteStatus.CLOSED))
    if vote.hide_results and vote.status is not VoteStatus.CLOSED:
        lines.append(_("Results are hidden until the vote closes."))
    else:
        first_only = VoteKind(vote.kind) is VoteKind.RANKED
        tally = counts([o.id for o in option_list], [b.choices for b in ballot_rows], first_only=first_only)
        if first_only:
            lines.append(_("First choices so far:") + " " + counts_sentence(option_list, tally))
        else:
            lines.append(counts_sentence(option_list, tally))
    if not vote.anonymous and ballot_rows:
        lines.append(_("Voted: {names}.").format(names=names_list([b.name for b in ballot_rows])))
    return "\n".join(lines)


def result_message(
    vote: Vote, option_list: Sequence[VoteOption], ballot_rows: Sequence[BallotRow], eligible: int
) -> str:
    """The result as sentences: turnout, counts, outcome, quorum, and reasons given."""
    lines = [_("Result of vote {id}: {question}").format(id=vote.id, question=vote.question)]
    lines.append(turnout_sentence(eligible, len(ballot_rows), closed=True))
    kind = VoteKind(vote.kind)
    labels = {o.id: o.label for o in option_list}
    ids = [o.id for o in option_list]
    if not ballot_rows:
        lines.append(_("Nobody voted, so there is no result."))
    elif kind is VoteKind.RANKED:
        lines.extend(runoff_sentences(instant_runoff(ids, [b.choices for b in ballot_rows]), labels))
    else:
        tally = counts(ids, [b.choices for b in ballot_rows])
        lines.append(counts_sentence(option_list, tally))
        lines.append(outcome_sentence(kind, option_list, tally, ballot_rows, labels))
    quorum = quorum_sentence(vote, eligible, len(ballot_rows))
    if quorum:
        lines.append(quorum)
    lines.extend(reason_sentences(vote, ballot_rows, labels))
    return "\n".join(lines)


def outcome_sentence(
    kind: VoteKind,
    option_list: Sequence[VoteOption],
    tally: dict[int, int],
    ballot_rows: Sequence[BallotRow],
    labels: dict[int, str],
) -> str:
    by_label = {o.label: tally[o.id] for o in option_list}
    if kind is VoteKind.YES_NO:
        yes, no = by_label["Yes"], by_label["No"]
        if yes > no:
            return _("The proposal was agreed.")
        if no > yes:
            return _("The proposal was not agreed.")
        return _("Yes and No tied, so the proposal was not agreed.")
    if kind is VoteKind.CONSENSUS:
        outcome = consensus_outcome([labels[b.choices[0]] for b in ballot_rows if b.choices])
        return {
            ConsensusOutcome.REACHED: _("Consensus was reached."),
            ConsensusOutcome.BLOCKED: _("The proposal was blocked, so there is no consensus."),
            ConsensusOutcome.NOT_REACHED: _("Consensus was not reached."),
            ConsensusOutcome.NO_VOTES: _("Nobody voted, so there is no result."),
        }[outcome]
    top = leaders(tally)
    best = tally[top[0]] if top else 0
    if kind is VoteKind.PICK_MANY:
        return ngettext(
            "Chosen most often: {names}, by {count} person.", "Chosen most often: {names}, by {count} people.", best
        ).format(names=names_list([labels[o] for o in top]), count=best)
    if len(top) == 1:
        return ngettext("{name} won with {count} vote.", "{name} won with {count} votes.", best).format(
            name=labels[top[0]], count=best
        )
    return _("{names} tied with {count} votes each.").format(names=names_list([labels[o] for o in top]), count=best)


def runoff_sentences(rounds: Sequence[Round], labels: dict[int, str]) -> list[str]:
    """Instant run-off, explained one round at a time."""
    lines = []
    for round_ in rounds:
        standing = " ".join(_("{label}: {count}.").format(label=labels[o], count=c) for o, c in round_.counts.items())
        lines.append(_("Round {n}, first choices: {standing}").format(n=round_.number, standing=standing))
        if round_.eliminated:
            names = names_list([labels[o] for o in round_.eliminated])
            lines.append(
                ngettext(
                    "{names} had the fewest votes and was removed. Those votes moved to the next choice.",
                    "{names} had the fewest votes and were removed. Those votes moved to the next choice.",
                    len(round_.eliminated),
                ).format(names=names)
            )
        elif len(round_.winners) == 1:
            winner = round_.winners[0]
            total = sum(round_.counts.values())
            lines.append(
                _("{name} won in round {n}, with {count} of {total} votes.").format(
                    name=labels[winner], n=round_.number, count=round_.counts[winner], total=total
                )
            )
        elif round_.winners:
            lines.append(
                _("{names} tied in round {n}, so there is no single winner.").format(
                    names=names_list([labels[o] for o in round_.winners]), n=round_.number
                )
            )
    return lines


def reason_sentences(vote: Vote, ballot_rows: Sequence[BallotRow], labels: dict[int, str]) -> list[str]:
    """Reasons given with disagree and block; never with names on an anonymous vote."""
    lines = []
    for ballot in ballot_rows:
        if not ballot.choices or labels[ballot.choices[0]] not in ("Disagree", "Block"):
            continue
        choice = labels[ballot.choices[0]]
        if not ballot.reason:
            if vote.anonymous:
                line = (
                    _("Someone disagreed without giving a reason.")
                    if choice == "Disagree"
                    else _("Someone blocked without giving a reason.")
                )
            else:
                line = (
                    _("{name} disagreed without giving a reason.")
                    if choice == "Disagree"
                    else _("{name} blocked without giving a reason.")
                )
            lines.append(line.format(name=ballot.name))
            continue
        reason = ballot.reason.rstrip(".")
        if vote.anonymous:
            line = (
                _("Someone disagreed. Their reason: {reason}.")
                if choice == "Disagree"
                else _("Someone blocked. Their reason: {reason}.")
            )
            lines.append(line.format(reason=reason))
        else:
            line = _("{name} disagreed: {reason}.") if choice == "Disagree" else _("{name} blocked: {reason}.")
            lines.append(line.format(name=ballot.name, reason=reason))
    if vote.anonymous:
        lines.sort()  # ballots come ordered by name; that order must not hint at who wrote what
    return lines
