"""Taking part: who spoke or acted in a group, where and when, and in what way. Never the words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class Contribution(Base):
    """Someone took part in a group: who, where (a channel, when in a chat), when, and what kind
    ("message", "ballot", …). Never the words. Anonymous acts are never recorded here."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_group_at", "group_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(String(20), default="message", server_default="message")
    #: What it was about, when a feature said ("vote:3", "paper:2", "meeting:5"); none for a message.
    subject: Mapped[str | None] = mapped_column(String(40), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Invitation(Base):
    """A kind private invitation to a quiet member about a subject (once per subject), and their answer."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("group_id", "person_id", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(40))  # "vote:3", "paper:2", "meeting:5", "lately:2026-W45"
    about: Mapped[str] = mapped_column(String(200))  # how the invitation named it, shown again in answers
    answer: Mapped[str | None] = mapped_column(String(12), default=None)  # shared, anonymous, listening, help
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnonymousPost(Base):
    """ "A member says: …": no author is kept, and it is counted for nobody."""

    __tablename__ = "anonymous_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class HelpRequest(Base):
    """A member asked for support or training; a co-chair takes it and marks it done."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), default=None)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, taken, done
    helper_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)


class RoleTurn(Base):
    """Someone holds (or held) a meeting role at a meeting, confirmed by a co-chair."""

    __tablename__ = "role_turns"
    __table_args__ = (UniqueConstraint("meeting_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleOptOut(Base):
    """Someone would rather not take a role (they are never suggested for it)."""

    __tablename__ = "role_optouts"
    __table_args__ = (UniqueConstraint("group_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))


class PulseAsked(Base):
    """ "Did you feel heard?" was asked of someone after a meeting, and whether they answered (not what)."""

    __tablename__ = "pulse_asked"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class PulseAnswer(Base):
    """One answer to "Did you feel heard?": stored without a person."""

    __tablename__ = "pulse_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(8))  # yes, partly, no


async def record_many(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Note many acts at once, in one statement (a batch of ballots)."""
    if rows:
        connection = await session.connection()  # Core executemany: no ORM objects to track
        await connection.execute(insert(Contribution), rows)


async def counts_by_kind(session: AsyncSession, group_id: int, person_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Contribution.kind, func.count())
        .where(Contribution.group_id == group_id, Contribution.person_id == person_id)
        .group_by(Contribution.kind)
    )
    return {kind: int(n) for kind, n in rows.all()}


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """How often the person took part, by group and kind (counts only: no words were ever kept)."""
    rows = await session.execute(
        select(
            Contribution.group_id,
            Contribution.kind,
            func.count(),
            func.min(Contribution.at),
            func.max(Contribution.at),
        )
        .where(Contribution.person_id == person_id)
        .group_by(Contribution.group_id, Contribution.kind)
        .order_by(Contribution.group_id, Contribution.kind)
    )
    invitations = await session.execute(
        select(Invitation).where(Invitation.person_id == person_id).order_by(Invitation.at)
    )
    requests = await session.execute(select(HelpRequest).where(HelpRequest.person_id == person_id))
    turns = await session.execute(select(RoleTurn).where(RoleTurn.person_id == person_id).order_by(RoleTurn.at))
    optouts = await session.execute(select(RoleOptOut.role).where(RoleOptOut.person_id == person_id))
    asked = await session.execute(select(func.count()).where(PulseAsked.person_id == person_id))
    return {
        "taking_part": [
            {"group": g, "kind": k, "count": int(n), "first": first.isoformat(), "last": last.isoformat()}
            for g, k, n, first, last in rows.all()
        ],
        "invitations": [{"about": i.about, "answer": i.answer, "at": i.at.isoformat()} for i in invitations.scalars()],
        "help_requests": [{"text": r.text, "status": r.status, "at": r.at.isoformat()} for r in requests.scalars()],
        "meeting_roles": [{"role": t.role, "at": t.at.isoformat()} for t in turns.scalars()],
        "role_optouts": sorted(optouts.scalars()),
        # Only that they were asked "Did you feel heard?": their answers were never stored with their name.
        "asked_if_heard": int(asked.scalar_one()),
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Their counts, invitations and choices, roles and help requests go; pulse answers never named them."""
    await session.execute(delete(Contribution).where(Contribution.person_id == person_id))
    await session.execute(delete(Invitation).where(Invitation.person_id == person_id))
    await session.execute(delete(HelpRequest).where(HelpRequest.person_id == person_id))
    await session.execute(update(HelpRequest).where(HelpRequest.helper_id == person_id).values(helper_id=None))
    await session.execute(update(RoleTurn).where(RoleTurn.person_id == person_id).values(person_id=None))
    await session.execute(delete(RoleOptOut).where(RoleOptOut.person_id == person_id))
    await session.execute(delete(PulseAsked).where(PulseAsked.person_id == person_id))


# ---- who took part in a window ------------------------------------------------------------------------


async def kinds_in_window(
    session: AsyncSession,
    group_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    subject: str | None = None,
) -> dict[int, dict[str, int]]:
    """For each person, how often they took part by kind: in a time window, or about a subject (or both,
    either matching: a meeting's own acts and what was said while it ran). One query on the group's index."""
    statement = select(Contribution.person_id, Contribution.kind, func.count()).where(Contribution.group_id == group_id)
    in_time = None
    if since is not None:
        in_time = Contribution.at >= since
        if until is not None:
            in_time = in_time & (Contribution.at < until)
    if subject is not None and in_time is not None:
        statement = statement.where((Contribution.subject == subject) | in_time)
    elif subject is not None:
        statement = statement.where(Contribution.subject == subject)
    elif in_time is not None:
        statement = statement.where(in_time)
    rows = await session.execute(statement.group_by(Contribution.person_id, Contribution.kind))
    found: dict[int, dict[str, int]] = {}
    for person_id, kind, count in rows.all():
        found.setdefault(person_id, {})[kind] = int(count)
    return found


async def invited(session: AsyncSession, group_id: int, subject: str) -> set[int]:
    rows = await session.execute(
        select(Invitation.person_id).where(Invitation.group_id == group_id, Invitation.subject == subject)
    )
    return set(rows.scalars())


async def invited_since(session: AsyncSession, group_id: int, since: datetime) -> set[int]:
    """People invited about the group's conversation lately since a moment (one such invitation a week)."""
    rows = await session.execute(
        select(Invitation.person_id).where(
            Invitation.group_id == group_id, Invitation.subject.like("lately:%"), Invitation.at >= since
        )
    )
    return set(rows.scalars())


async def listening(session: AsyncSession, group_id: int, subject: str) -> set[int]:
    rows = await session.execute(
        select(Invitation.person_id).where(
            Invitation.group_id == group_id, Invitation.subject == subject, Invitation.answer == "listening"
        )
    )
    return set(rows.scalars())
