"""Voting's tables and queries: votes, their options, who may vote, ballots and their history.

One current ballot per person per vote is a unique constraint plus an upsert, so limits like
"choose up to 2" hold under concurrent presses."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    UniqueConstraint,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import BindParameter

from storage.base import Base, UTCDateTime, enum_column
from storage.groups import MemberKind, Membership
from storage.people import Person


class VoteStatus(enum.StrEnum):
    """A vote being set up step by step, open for ballots, or closed with its result."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # a draft its author stopped (/cancel): its buttons say so


class Vote(Base):
    """A question put to a group. Options, eligible voters and ballots hang off it."""

    __tablename__ = "votes"
    __table_args__ = (Index("ix_votes_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # commands.voting.rules.VoteKind
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_results: Mapped[bool] = mapped_column(Boolean, default=False)
    lay_only: Mapped[bool] = mapped_column(Boolean, default=False)
    quorum_kind: Mapped[str] = mapped_column(String(10), default="none")
    quorum_value: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[VoteStatus] = mapped_column(enum_column(VoteStatus, "vote_status", 10), default=VoteStatus.OPEN)
    opened_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    #: What another feature asked this vote for ("project:3", a sign-off), told back when it closes.
    about: Mapped[str | None] = mapped_column(String(40), default=None)


class VoteOption(Base):
    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("vote_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))


class VoteVoter(Base):
    """Who may vote: the eligible members when the vote opened."""

    __tablename__ = "vote_voters"

    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class Ballot(Base):
    """A person's current ballot: one per person per vote, enforced here. Empty choices = no vote."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("vote_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    choices: Mapped[str] = mapped_column(String(200), default="")  # option ids in order, "12,14"
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    proxy_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BallotChange(Base):
    """Every state a ballot went through, in order (empty = taken back); only for votes that are not
    anonymous. The last row equals the current ballot."""

    __tablename__ = "ballot_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    choices: Mapped[str] = mapped_column(String(200))
    proxy_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True, slots=True)
class BallotRow:
    """A current ballot with the voter's name (names are never shown for anonymous votes)."""

    person_id: int
    name: str
    choices: tuple[int, ...]
    reason: str | None
    proxy_by: int | None


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """A vote's option as plain values (safe to keep after its session ends)."""

    id: int
    position: int
    label: str


@dataclass(frozen=True, slots=True)
class LockedBallot:
    """A person's current ballot, read (and on PostgreSQL locked) for changing."""

    id: int
    vote_id: int
    person_id: int
    choices: tuple[int, ...]
    reason: str | None
    proxy_by: int | None


def encode(choices: Sequence[int]) -> str:
    return ",".join(str(c) for c in choices)


def decode(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


async def create_vote(session: AsyncSession, vote: Vote, labels: Sequence[str]) -> Vote:
    """Store a vote and its options (in order)."""
    session.add(vote)
    await session.flush()
    session.add_all(VoteOption(vote_id=vote.id, position=i, label=label) for i, label in enumerate(labels))
    await session.flush()
    return vote


async def snapshot_voters(session: AsyncSession, vote: Vote) -> int:
    """Record who may vote: the group's active members now (lay partners only, if so). Returns how many."""
    chosen = select(literal(vote.id, Integer), Membership.person_id).where(
        Membership.group_id == vote.group_id, Membership.active.is_(True)
    )
    if vote.lay_only:
        chosen = chosen.where(Membership.kind == MemberKind.LAY_PARTNER)
    await session.execute(insert(VoteVoter).from_select(["vote_id", "person_id"], chosen))
    return await eligible_count(session, vote.id)


async def voters_of(session: AsyncSession, vote_id: int) -> set[int]:
    """Who may vote in it (the members eligible when it opened)."""
    rows = await session.execute(select(VoteVoter.person_id).where(VoteVoter.vote_id == vote_id))
    return set(rows.scalars())


async def get_vote(session: AsyncSession, vote_id: int) -> Vote | None:
    return await session.get(Vote, vote_id)


# The statements a ballot press runs are built once (with bind parameters) and reused: building
# and caching a statement costs about as much as running it on SQLite (see bench/votes.py).


def _vote_id() -> BindParameter[int]:
    return bindparam("vote_id", type_=Integer)


def _person_id() -> BindParameter[int]:
    return bindparam("person_id", type_=Integer)


@cache
def _options_statement() -> Select[VoteOption]:
    return select(VoteOption).where(VoteOption.vote_id == _vote_id()).order_by(VoteOption.position)


@cache
def _eligible_count_statement() -> Select[int]:
    return select(func.count()).select_from(VoteVoter).where(VoteVoter.vote_id == _vote_id())


@cache
def _ballots_statement() -> Select[int, str, str, str | None, int | None]:
    return (
        select(Ballot.person_id, Person.display_name, Ballot.choices, Ballot.reason, Ballot.proxy_by)
        .join(Person, Person.id == Ballot.person_id)
        .where(Ballot.vote_id == _vote_id(), Ballot.choices != "")
    )


@cache
def _lock_ballot_statement(dialect: str) -> Executable:
    """Insert an empty ballot, or on conflict "update" the existing one to itself, and return it.

    One statement instead of an insert and a `SELECT … FOR UPDATE`. On PostgreSQL, ON CONFLICT DO
    UPDATE locks the row until commit, as FOR UPDATE did; SQLite's writer already holds the database.
    """
    insert_into = postgresql_insert if dialect == "postgresql" else sqlite_insert
    values = {"vote_id": _vote_id(), "person_id": _person_id(), "choices": "", "updated_at": bindparam("now")}
    return (
        insert_into(Ballot)
        .values(values)
        .on_conflict_do_update(index_elements=["vote_id", "person_id"], set_={"updated_at": Ballot.updated_at})
        .returning(Ballot.id, Ballot.choices, Ballot.reason, Ballot.proxy_by)
    )


@cache
def _save_ballot_statement() -> Executable:
    return (
        update(Ballot)
        .where(Ballot.id == bindparam("ballot_id", type_=Integer))
        .values(choices=bindparam("choices"), proxy_by=bindparam("proxy_by"), updated_at=bindparam("now"))
    )


@cache
def _save_reason_statement() -> Executable:
    return update(Ballot).where(Ballot.id == bindparam("ballot_id", type_=Integer)).values(reason=bindparam("reason"))


@cache
def _record_change_statement() -> Executable:
    return insert(BallotChange).values(
        vote_id=_vote_id(),
        person_id=_person_id(),
        choices=bindparam("choices"),
        proxy_by=bindparam("proxy_by"),
        at=bindparam("now"),
    )


async def has_ballot(session: AsyncSession, vote_id: int, person_id: int) -> bool:
    """Whether this person has a ballot in this vote (read only: nothing is created)."""
    found = await session.execute(
        select(Ballot.id).where(Ballot.vote_id == vote_id, Ballot.person_id == person_id, Ballot.choices != "")
    )
    return found.first() is not None


async def options(session: AsyncSession, vote_id: int) -> list[VoteOption]:
    rows = await session.execute(_options_statement(), {"vote_id": vote_id})
    return list(rows.scalars())


async def option_infos(session: AsyncSession, vote_id: int) -> list[OptionInfo]:
    return [OptionInfo(o.id, o.position, o.label) for o in await options(session, vote_id)]


async def eligible_people(session: AsyncSession, vote_id: int) -> frozenset[int]:
    """The ids of everyone who may vote."""
    rows = await session.execute(select(VoteVoter.person_id).where(VoteVoter.vote_id == vote_id))
    return frozenset(rows.scalars())


async def eligible_count(session: AsyncSession, vote_id: int) -> int:
    return int((await session.execute(_eligible_count_statement(), {"vote_id": vote_id})).scalar_one())


async def lock_ballot(session: AsyncSession, vote_id: int, person_id: int, now: datetime) -> LockedBallot:
    """This person's ballot, created empty if missing (an upsert), locked until commit."""
    statement = _lock_ballot_statement(session.get_bind().dialect.name)
    row = (await session.execute(statement, {"vote_id": vote_id, "person_id": person_id, "now": now})).one()
    return LockedBallot(row.id, vote_id, person_id, decode(row.choices), row.reason, row.proxy_by)


async def save_ballot(
    session: AsyncSession,
    ballot: LockedBallot,
    choices: Sequence[int],
    *,
    proxy_by: int | None,
    now: datetime,
    keep_history: bool,
    clear_reason: bool,
) -> None:
    """Store a ballot's new choices and, unless the vote is anonymous, log them in its history. A ballot
    with no choice left (taken back) is removed: no row without a choice."""
    params = {"ballot_id": ballot.id, "choices": encode(choices), "proxy_by": proxy_by, "now": now}
    if choices:
        await session.execute(_save_ballot_statement(), params)
    else:
        await session.execute(delete(Ballot).where(Ballot.id == ballot.id))
    if choices and clear_reason and ballot.reason is not None:
        await save_reason(session, ballot, None)
    if keep_history:
        await session.execute(
            _record_change_statement(),
            {**params, "vote_id": ballot.vote_id, "person_id": ballot.person_id},
        )


async def votes_by_id(session: AsyncSession, vote_ids: Sequence[int]) -> dict[int, Vote]:
    rows = await session.execute(select(Vote).where(Vote.id.in_(list(vote_ids))))
    return {vote.id: vote for vote in rows.scalars()}


async def lock_ballots(
    session: AsyncSession, pairs: Sequence[tuple[int, int]], now: datetime
) -> dict[tuple[int, int], LockedBallot]:
    """The ballots of (vote id, person id) pairs, created empty if missing, locked until commit.
    One statement for them all; taken in a fixed order so concurrent batches cannot deadlock."""
    ordered = sorted(set(pairs))
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_into(Ballot)
        .values([{"vote_id": v, "person_id": p, "choices": "", "updated_at": now} for v, p in ordered])
        .on_conflict_do_update(index_elements=["vote_id", "person_id"], set_={"updated_at": Ballot.updated_at})
        .returning(Ballot.id, Ballot.vote_id, Ballot.person_id, Ballot.choices, Ballot.reason, Ballot.proxy_by)
    )
    rows = await session.execute(statement)
    return {
        (row.vote_id, row.person_id): LockedBallot(
            row.id, row.vote_id, row.person_id, decode(row.choices), row.reason, row.proxy_by
        )
        for row in rows
    }


async def save_ballots(
    session: AsyncSession,
    changed: Sequence[tuple[LockedBallot, Sequence[int]]],
    history: Sequence[tuple[LockedBallot, Sequence[int]]],
    now: datetime,
) -> None:
    """Store many ballots' new choices, and log every change of non-anonymous ones, in order."""
    connection = await session.connection()  # plain executemany, not the ORM's bulk update
    kept = [(b, c) for b, c in changed if c]
    emptied = [b.id for b, c in changed if not c]
    if kept:
        await connection.execute(
            _save_ballot_statement(),
            [{"ballot_id": b.id, "choices": encode(c), "proxy_by": None, "now": now} for b, c in kept],
        )
    if emptied:
        await connection.execute(delete(Ballot).where(Ballot.id.in_(emptied)))
    if history:
        await connection.execute(
            _record_change_statement(),
            [
                {"vote_id": b.vote_id, "person_id": b.person_id, "choices": encode(c), "proxy_by": None, "now": now}
                for b, c in history
            ],
        )


async def save_reason(session: AsyncSession, ballot: LockedBallot, reason: str | None) -> None:
    await session.execute(_save_reason_statement(), {"ballot_id": ballot.id, "reason": reason})


async def ballots(session: AsyncSession, vote_id: int) -> list[BallotRow]:
    """Every non-empty current ballot with the voter's name, by name."""
    rows = await session.execute(_ballots_statement(), {"vote_id": vote_id})
    found = [BallotRow(pid, name, decode(choices), reason, proxy) for pid, name, choices, reason, proxy in rows.all()]
    found.sort(key=lambda b: (b.name.casefold(), b.person_id))
    return found


async def non_voters(session: AsyncSession, vote_id: int) -> list[tuple[int, str]]:
    """Eligible people with no current ballot who are still members: (person id, name), by name.

    Someone who left the group after the vote opened is not chased for a vote they can't cast."""
    voted = select(Ballot.person_id).where(Ballot.vote_id == vote_id, Ballot.choices != "")
    rows = await session.execute(
        select(Person.id, Person.display_name)
        .join(VoteVoter, VoteVoter.person_id == Person.id)
        .join(Vote, Vote.id == VoteVoter.vote_id)
        .join(
            Membership,
            (Membership.person_id == Person.id) & (Membership.group_id == Vote.group_id) & Membership.active.is_(True),
        )
        .where(VoteVoter.vote_id == vote_id, Person.id.not_in(voted))
    )
    return sorted(((pid, name) for pid, name in rows.all()), key=lambda r: (r[1].casefold(), r[0]))


async def open_votes(session: AsyncSession, group_id: int) -> list[Vote]:
    rows = await session.execute(
        select(Vote).where(Vote.group_id == group_id, Vote.status == VoteStatus.OPEN).order_by(Vote.id)
    )
    return list(rows.scalars())


async def closed_votes(session: AsyncSession, group_id: int, limit: int = 5) -> list[Vote]:
    rows = await session.execute(
        select(Vote)
        .where(Vote.group_id == group_id, Vote.status == VoteStatus.CLOSED)
        .order_by(Vote.closed_at.desc(), Vote.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


async def close(session: AsyncSession, vote_id: int, now: datetime, by: int | None) -> bool:
    """Close an open vote. False if it was already closed (so closing happens exactly once)."""
    result = await session.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.status == VoteStatus.OPEN)
        .values(status=VoteStatus.CLOSED, closed_at=now, closed_by=by)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def mark_reminded(session: AsyncSession, vote_id: int, now: datetime) -> bool:
    """Note the automatic reminder went out. False if it already had (so it goes out once)."""
    result = await session.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.status == VoteStatus.OPEN, Vote.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def scheduled_votes(session: AsyncSession) -> list[Vote]:
    """Open votes with a deadline (their close and reminder jobs)."""
    rows = await session.execute(select(Vote).where(Vote.status == VoteStatus.OPEN, Vote.closes_at.is_not(None)))
    return list(rows.scalars())


async def drafts_of(session: AsyncSession, person_id: int, *, cancelled_too: bool = False) -> list[Vote]:
    """A person's votes still being set up (and, if asked, those they stopped)."""
    statuses = [VoteStatus.DRAFT, VoteStatus.CANCELLED] if cancelled_too else [VoteStatus.DRAFT]
    rows = await session.execute(select(Vote).where(Vote.opened_by == person_id, Vote.status.in_(statuses)))
    return list(rows.scalars())


async def cancel_drafts(session: AsyncSession, person_id: int) -> int:
    """Stop every vote this person is still setting up. Returns how many."""
    result = await session.execute(
        update(Vote)
        .where(Vote.opened_by == person_id, Vote.status == VoteStatus.DRAFT)
        .values(status=VoteStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# ---- people's data -------------------------------------------------------------------------------


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Votes the person started, and their ballots: choices and reasons in votes that are not
    anonymous; in anonymous votes only that they voted (the choice is theirs alone to remember)."""
    started = await session.execute(
        select(Vote).where(Vote.opened_by == person_id, Vote.status != VoteStatus.DRAFT).order_by(Vote.id)
    )
    rows = await session.execute(
        select(Vote, Ballot).join(Ballot, Ballot.vote_id == Vote.id).where(Ballot.person_id == person_id)
    )
    ballots_out = []
    for vote, ballot in rows.all():
        entry: dict[str, Any] = {"vote": vote.id, "question": vote.question, "anonymous": vote.anonymous}
        if vote.anonymous:
            entry["voted"] = bool(ballot.choices)
        else:
            labels = {o.id: o.label for o in await options(session, vote.id)}
            entry["choices"] = [labels.get(c, "?") for c in decode(ballot.choices)]
            entry["reason"] = ballot.reason
            entry["by_proxy"] = ballot.proxy_by is not None
            entry["updated"] = ballot.updated_at.isoformat()
        ballots_out.append(entry)
    proxies = await session.execute(
        select(Ballot.vote_id).where(Ballot.proxy_by == person_id, Ballot.person_id != person_id)
    )
    return {
        "votes_started": [
            {"vote": v.id, "question": v.question, "opened": v.opened_at.isoformat()} for v in started.scalars()
        ],
        "ballots": ballots_out,
        "proxy_votes_recorded_for_others": sorted(set(proxies.scalars())),
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Erase what voting holds about a person: drafts, ballots in votes still open (and their place on
    the list of voters), the history of their changes and any reasons they wrote. Ballots in closed
    votes stay in the totals; with the person's name and accounts gone they tie to nobody."""
    still_open = select(Vote.id).where(Vote.status != VoteStatus.CLOSED)
    await session.execute(
        delete(Vote).where(Vote.opened_by == person_id, Vote.status.in_([VoteStatus.DRAFT, VoteStatus.CANCELLED]))
    )
    await session.execute(delete(Ballot).where(Ballot.person_id == person_id, Ballot.vote_id.in_(still_open)))
    await session.execute(delete(VoteVoter).where(VoteVoter.person_id == person_id, VoteVoter.vote_id.in_(still_open)))
    await session.execute(delete(BallotChange).where(BallotChange.person_id == person_id))
    await session.execute(update(Ballot).where(Ballot.person_id == person_id).values(reason=None))
