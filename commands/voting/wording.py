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
    VoteKind.RANKED: _(
        "Press the choices in your order of preference, first choice first. "
        "Press a choice again to take it out of your order."
    ),
}

#: The kind of a vote as the draft summary reads it back.
KIND_DESCRIPTIONS = {
    VoteKind.YES_NO: _("Kind: yes or no (people can also abstain)."),
    VoteKind.PICK_ONE: _("Kind: people pick one of the choices."),
    VoteKind.CONSENSUS: _("Kind: consensus (agree, abstain, disagree or block)."),
    VoteKind.RANKED: _("Kind: ranked (people put the choices in their order)."),
}


def kind_description(vote: Vote) -> str:
    if VoteKind(vote.kind) is VoteKind.PICK_MANY:
        return ngettext(
            "Kind: people pick up to {n} of the choices.",
            "Kind: people pick up to {n} of the choices.",
            vote.max_choices,
        ).format(n=vote.max_choices)
    return KIND_DESCRIPTIONS[VoteKind(vote.kind)]


def kind_from_words(text: str) -> VoteKind | None:
    """A kind of vote typed in words ("yes or no", "ranked"), or None."""
    typed = " ".join(text.casefold().replace("-", " ").split())
    for kind, name in KIND_NAMES.items():
        if typed in (name.casefold(), kind.value.replace("_", " ")):
            return kind
    return {"yes no": VoteKind.YES_NO, "yes/no": VoteKind.YES_NO, "ranked": VoteKind.RANKED}.get(typed)


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
    closed = vote.status is VoteStatus.CLOSED
    lines = [_("Vote {id}: {question}").format(id=vote.id, question=vote.question)]
    if closed:
        lines.append(_("This vote has closed. Type /results {id} to see the result.").format(id=vote.id))
    else:
        lines.append(how_to_answer(vote))
    if closed:
        pass
    elif closes:
        lines.append(closes_on(closes))
    else:
        lines.append(STAYS_OPEN)
    if vote.lay_only:
        lines.append(LAY_PARTNERS_ONLY)
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
        if first_only and closed:
            lines.append(_("First choices: {counts}").format(counts=counts_sentence(option_list, tally)))
        elif first_only:
            lines.append(_("First choices so far: {counts}").format(counts=counts_sentence(option_list, tally)))
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
    return ngettext("{names} tied with {count} vote each.", "{names} tied with {count} votes each.", best).format(
        names=names_list([labels[o] for o in top]), count=best
    )


def runoff_sentences(rounds: Sequence[Round], labels: dict[int, str]) -> list[str]:
    """Instant run-off, explained one round at a time."""
    lines = []
    for round_ in rounds:
        standing = " ".join(_("{label}: {count}.").format(label=labels[o], count=c) for o, c in round_.counts.items())
        lines.append(_("Round {n}, first choices: {standing}").format(n=round_.number, standing=standing))
        if round_.eliminated and not any(round_.counts[o] for o in round_.eliminated):
            lines.append(
                ngettext(
                    "{names} had no votes and was removed.",
                    "{names} had no votes and were removed.",
                    len(round_.eliminated),
                ).format(names=names_list([labels[o] for o in round_.eliminated]))
            )
        elif round_.eliminated:
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
                ngettext(
                    "{name} won in round {n}, with {count} of {total} vote.",
                    "{name} won in round {n}, with {count} of {total} votes.",
                    total,
                ).format(name=labels[winner], n=round_.number, count=round_.counts[winner], total=total)
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


# ---- shared by the vote message, the draft and the handlers ----------------------------------------

STAYS_OPEN = _("It stays open until a co-chair closes it.")
LAY_PARTNERS_ONLY = _("Only lay partners can vote in this one.")


def closes_on(when: str) -> str:
    """The deadline line of the vote message and of the draft summary."""
    return _("It closes on {when}.").format(when=when)


# ---- refusals --------------------------------------------------------------------------------------

STALE_BUTTON = _("That button no longer works. Type /votes to see the open votes.")
NO_OPEN_VOTES = _("There are no open votes right now.")


def members_only(*, private: bool) -> str:
    """Someone not (or no longer) a member of the vote's group."""
    if private:
        return _("Only members of the group can do that. Type /join in the group's chat to join.")
    return _("Only members can do that. Type /join to become a member.")


def members_only_vote(*, private: bool) -> str:
    """Someone not (or no longer) a member pressing a vote's button."""
    if private:
        return _("Only members of the group can vote. Type /join in the group's chat to join.")
    return _("Only members can vote. Type /join to become a member.")


#: Why someone may not vote in a vote.
LAY_ONLY, JOINED_LATE = "lay", "late"


def you_cannot_vote(why: str) -> str:
    """/votes, beside a vote this person may not vote in."""
    if why == LAY_ONLY:
        return _("You can't vote in this one, because only lay partners can vote in it.")
    return _("You can't vote in this one, because you joined after it started.")


def press_refused(why: str) -> str:
    """A press on a vote this person may not vote in."""
    if why == LAY_ONLY:
        return _("Only lay partners can vote in this one.")
    return _("You joined after this vote started, so you can't vote in it. You can vote in the next one.")


def vote_label(vote_id: int, question: str) -> str:
    """A vote on a button: "Vote 3: Meet monthly?"."""
    return _("Vote {id}: {question}").format(id=vote_id, question=question)


WHICH_VOTE = _("Which vote? Choose one.")
COCHAIRS_ONLY_START_VOTES = _("Only co-chairs can start votes in this group. A co-chair can change that in /settings.")
NOBODY_ELIGIBLE = _("Nobody could vote in this yet: the group has no members who fit. Ask people to /join first.")
DRAFT_GONE = _("That vote was already started or cancelled. Type /vote to start a new one.")
DRAFT_STOPPED = _("You stopped setting up this vote, so nothing was posted. Type /vote to start again.")
DRAFT_NOT_YOURS = _("Only the person setting up this vote can use these buttons.")
START_FROM_GROUP_CHAT = _("Please start this vote from your group's chat.")
CLOSING_TIME_PASSED = _("The closing time has already passed. Please start again with /vote.")
NO_BALLOT_FOR_REASON = _("I couldn't find your vote to add that reason to.")
NAME_EACH_CHOICE_ONCE = _("Please name each choice only once.")
NO_CLOSED_VOTE_YET = _("No vote has closed yet. Type /votes to see the open ones.")


def no_such_vote(vote_id: int) -> str:
    return _("There is no vote {id}. Type /votes to see the open votes.").format(id=vote_id)


def vote_of_another_group(vote_id: int) -> str:
    return _("Vote {id} belongs to another group.").format(id=vote_id)


def vote_closed_cannot_change(vote_id: int) -> str:
    return _("Vote {id} has closed, so it can't be changed. Type /results {id} to see the result.").format(id=vote_id)


def not_a_choice_of(vote_id: int) -> str:
    """A ballot press naming an option of another vote."""
    return _("That choice isn't part of vote {id}.").format(id=vote_id)


def cannot_vote_in(name: str, vote_id: int, why: str) -> str:
    """A proxy vote for someone not eligible, and why."""
    if why == LAY_ONLY:
        return _("{name} can't vote in vote {id}, because only lay partners can vote in it.").format(
            name=name, id=vote_id
        )
    return _("{name} can't vote in vote {id}, because they joined after it started.").format(name=name, id=vote_id)


def use_choices_of(vote_id: int, option_labels: Sequence[str]) -> str:
    """A proxy vote naming a choice the vote doesn't have."""
    return _("Please use the choices of vote {id}: {labels}.").format(id=vote_id, labels=", ".join(option_labels))


def proxy_choice_limit(vote_id: int, limit: int) -> str:
    """A proxy vote with more choices than the vote allows."""
    return _("In vote {id} each person can choose up to {n}.").format(id=vote_id, n=limit)


def already_closed(vote_id: int) -> str:
    return _("Vote {id} has already closed.").format(id=vote_id)


def already_closes_later(vote_id: int, when: str) -> str:
    """/extend with a time no later than the current deadline."""
    return _("Vote {id} already closes on {when}. Please choose a later time.").format(id=vote_id, when=when)


# ---- starting a vote, step by step -------------------------------------------------------------------

ASK_QUESTION = _("What would you like the group to vote on? Please type your question.")
ASK_CHOICES = _("Please type the choices, separated by commas. For example: Tea, Coffee, Water")
ASK_LIMIT = _("How many choices can each person pick?")
ASK_DEADLINE = _("When should the vote close? Type a time like “Friday 5pm” or “in 3 days”, or press No deadline.")
#: Typed instead of a closing time, or instead of pressing the draft's buttons.
NO_DEADLINE_WORDS = frozenset({"no deadline", "none", "no", "never"})
START_WORDS = frozenset({"start", "start the vote", "yes", "go"})
CANCEL_WORDS = frozenset({"cancel", "no", "stop"})


def ask_closing_time_again(problem: str) -> str:
    """A one-line vote whose closing time can't be used: say why and ask again, keeping the rest."""
    return _(
        "{problem} When should the vote close? Type a time like “Friday 5pm” or “in 3 days”, "
        "or type “no deadline”. (Type /cancel to stop.)"
    ).format(problem=problem)


NO_DEADLINE_BUTTON = _("No deadline")
START_VOTE_BUTTON = _("Start the vote")
CANCEL_BUTTON = _("Cancel")
DRAFT_CANCELLED = _("Okay, I've cancelled that vote. Nothing was posted.")


def ask_kind(question: str) -> str:
    return _("What kind of vote is “{question}”? Choose one.").format(question=question)


def limit_button(n: int) -> str:
    """A button of the "how many choices" question."""
    return _("Up to {n}").format(n=n)


def draft_summary(draft: Vote, option_list: Sequence[VoteOption], *, closes: str | None) -> str:
    """The draft, read back before it starts."""
    lines = [
        _("Ready to start this vote?"),
        _("Question: {question}").format(question=draft.question),
        kind_description(draft),
        _("Choices: {labels}.").format(labels=", ".join(o.label for o in option_list)),
        closes_on(closes) if closes else STAYS_OPEN,
        _("Anonymous: yes.") if draft.anonymous else _("Anonymous: no."),
        _("Results hidden until it closes: yes.") if draft.hide_results else _("Results hidden until it closes: no."),
    ]
    return "\n".join(lines)


def anonymous_button(anonymous: bool) -> str:
    """The draft's button that turns anonymity the other way."""
    return _("Make it not anonymous") if anonymous else _("Make it anonymous")


def hide_results_button(hide_results: bool) -> str:
    """The draft's button that turns hidden results the other way."""
    return _("Show results as people vote") if hide_results else _("Hide results until it closes")


def opened_elsewhere(vote_id: int) -> str:
    """Said in a private chat when the vote it started opened in the group's chat."""
    return _("Done. Vote {id} is now open in the group's chat.").format(id=vote_id)


def vote_started(vote_id: int) -> str:
    return _("Vote {id} has started.").format(id=vote_id)


# ---- answering ---------------------------------------------------------------------------------------

WHO_HASNT_VOTED_BUTTON = _("Who hasn't voted?")
RESTART_RANKING_BUTTON = _("Start my ranking again")
NOTHING_RANKED_YET = _("You haven't ranked anything yet. Press the choices, first choice first.")
RANKING_CLEARED = _("Your ranking is cleared. Press the choices again, first choice first.")
REASON_SAVED = _("Thank you. Your reason will be shown with the result.")


def limit_message(vote: Vote) -> str:
    """Refusal of a press past the vote's "choose up to" limit."""
    return _("You can choose up to {n}. Press one of your choices again to take it back first.").format(
        n=vote.max_choices
    )


def already_in(label: str) -> str:
    """Toast for pressing the choice one has already made."""
    return _("Your vote is already in: {choice}.").format(choice=label)


def press_toast(kind: VoteKind, chosen: Sequence[str], *, taken_out: str | None = None) -> str:
    """Toast after a ballot press: the person's choices as they now stand (and, in a ranked vote, the
    choice they took out by pressing it again)."""
    if taken_out is not None:
        order = ", ".join(f"{i}. {label}" for i, label in enumerate(chosen, start=1))
        if not chosen:
            return _("You took {choice} out of your order. You haven't ranked anything now.").format(choice=taken_out)
        return _("You took {choice} out of your order. Your order so far: {order}.").format(
            choice=taken_out, order=order
        )
    if not chosen:
        return _("You've taken back your vote.")
    if kind is VoteKind.PICK_MANY:
        return _("Your choices: {names}.").format(names=names_list(chosen))
    if kind is VoteKind.RANKED:
        order = ", ".join(f"{i}. {label}" for i, label in enumerate(chosen, start=1))
        return _("Your order so far: {order}.").format(order=order)
    return _("Your vote is in: {choice}.").format(choice=chosen[0])


def ask_reason_privately(choice: str, vote_id: int) -> str:
    """Asked in a private chat on an anonymous vote, so the group can't see who disagreed."""
    return _(
        "You chose {choice} in vote {id}. Please reply here with a short reason. "
        "It will be shown with the result, without your name."
    ).format(choice=choice, id=vote_id)


def ask_reason(choice: str) -> str:
    return _("Please type a short reason for choosing {choice}. It will be shown with the result.").format(
        choice=choice
    )


def closed_before_reason(vote_id: int) -> str:
    """A reason that arrived after its vote closed."""
    return _("Vote {id} has closed, so I couldn't add your reason. Type /results {id} to see the result.").format(
        id=vote_id
    )


# ---- who hasn't voted, reminders, proxies ------------------------------------------------------------

SEND_REMINDER_BUTTON = _("Send them a kind reminder")


def everyone_voted(vote_id: int) -> str:
    return _("Everyone who can vote in vote {id} has voted.").format(id=vote_id)


def non_voters(vote: Vote, names: Sequence[str]) -> str:
    """Who hasn't voted yet: only how many on an anonymous vote, names otherwise."""
    if vote.anonymous:
        return ngettext(
            "{people} hasn't voted in vote {id} yet. This vote is anonymous, so I don't list names.",
            "{people} haven't voted in vote {id} yet. This vote is anonymous, so I don't list names.",
            len(names),
        ).format(people=people(len(names)), id=vote.id)
    return ngettext(
        "{people} hasn't voted in vote {id} yet: {names}.",
        "{people} haven't voted in vote {id} yet: {names}.",
        len(names),
    ).format(people=people(len(names)), id=vote.id, names=names_list(names))


def reminder(name: str, vote_id: int, question: str, *, closes: str | None, late: bool) -> str:
    """The kind private reminder to someone who hasn't voted (sent with the vote's buttons)."""
    if closes:
        first = _(
            "Hello {name}. A kind reminder: the group is voting on “{question}” (vote {id}), and it closes on {when}."
        )
    else:
        first = _("Hello {name}. A kind reminder: the group is voting on “{question}” (vote {id}).")
    lines = [first.format(name=name, question=question, id=vote_id, when=closes)]
    if late:
        lines.append(_("Sorry this reminder is late: the bot was offline for a while."))
    lines.append(_("To vote, press a choice below. You can also type /votes in the group's chat."))
    return "\n".join(lines)


def reminders_sent(count: int) -> str:
    return _("I've sent a private reminder to {people}.").format(people=people(count))


def proxy_recorded(name: str, vote_id: int, chosen_labels: Sequence[str]) -> str:
    return _("Recorded {name}'s vote on vote {id}, given to you: {choice}. It is marked as a proxy vote.").format(
        name=name, id=vote_id, choice=", ".join(chosen_labels)
    )


# ---- listing, results, closing, extending --------------------------------------------------------------

OPEN_VOTES_HEADING = _("Open votes:")


VOTED = _("You have voted.")
NOT_VOTED_YET = _("You haven't voted yet.")


def open_vote_line(vote: Vote, *, closes: str | None, status: str) -> str:
    """One line of /votes: the vote, its deadline, and where this person stands (a whole sentence)."""
    if closes:
        return _("Vote {id}: {question} (closes on {when}). {status}").format(
            id=vote.id, question=vote.question, when=closes, status=status
        )
    return _("Vote {id}: {question} (no closing time). {status}").format(
        id=vote.id, question=vote.question, status=status
    )


def show_vote_button(vote_id: int) -> str:
    return _("Show vote {id}").format(id=vote_id)


def still_open(vote_id: int, vote_text: str) -> str:
    """/results of a vote that is still open: says so above the live vote message."""
    return _("Vote {id} is still open.").format(id=vote_id) + "\n" + vote_text


def vote_closed_now(vote_id: int) -> str:
    """Told to the co-chair who closed the vote."""
    return _("Done. Vote {id} is closed.").format(id=vote_id)


def now_closes_on(vote_id: int, when: str) -> str:
    """Posted after /extend."""
    return _("Vote {id} now closes on {when}.").format(id=vote_id, when=when)


# ---- reading a vote from one line (spec.py) and the group's voting settings ---------------------------

TYPE_THE_QUESTION = _("Please type the question people will vote on.")
TOO_FEW_CHOICES = _("Please give at least two choices, separated by commas, like “Tea, Coffee”.")
SAME_CHOICE_TWICE = _("Two of the choices are the same. Please make each one different.")
QUORUM_SHARE_OUT_OF_RANGE = _("A quorum share must be between 1% and 100%.")
QUORUM_BELOW_ONE = _("A quorum must be at least 1 person.")
ANSWER_YES_OR_NO = _("Please answer yes or no.")
REMINDER_HOURS_OUT_OF_RANGE = _("Please give a number of hours from 0 to 168. 0 turns automatic reminders off.")


def pick_limit_out_of_range(count: int) -> str:
    """'pick N: …' with N not between 1 and one less than the number of choices."""
    return ngettext(
        "With {count} choice, people can pick from 1 to {most}.",
        "With {count} choices, people can pick from 1 to {most}.",
        count,
    ).format(count=count, most=count - 1)


def too_many_choices(limit: int) -> str:
    return ngettext("Please give at most {limit} choice.", "Please give at most {limit} choices.", limit).format(
        limit=limit
    )


def choice_too_long(limit: int) -> str:
    return ngettext(
        "Please keep each choice under {limit} character.", "Please keep each choice under {limit} characters.", limit
    ).format(limit=limit)


def unknown_extra(item: str) -> str:
    """An extra of a one-line /vote that isn't one of those we know."""
    return _(
        "I don't understand “{item}”. You can add: anonymous, hide results, lay partners only, quorum 5, or quorum 60%."
    ).format(item=item)


def who_starts_votes(value: str) -> str:
    """The "members can start votes" setting as a sentence."""
    return _("Any member can start a vote.") if value == "yes" else _("Only co-chairs can start votes.")


def reminder_hours(value: str) -> str:
    """The "vote reminders" setting as a sentence."""
    hours = int(value)
    if hours == 0:
        return _("Nobody gets an automatic reminder before a vote closes.")
    return ngettext(
        "People who haven't voted get a kind reminder {n} hour before a vote closes.",
        "People who haven't voted get a kind reminder {n} hours before a vote closes.",
        hours,
    ).format(n=hours)


def quorum_too_big(limit: int) -> str:
    return ngettext(
        "A quorum can be at most {limit} person.", "A quorum can be at most {limit:,} people.", limit
    ).format(limit=limit)


#: /results, /closevote… with a number bigger than any vote's.
NO_SUCH_VOTE_NUMBER = _("There is no vote {number}. Type /votes to see the open votes.")
