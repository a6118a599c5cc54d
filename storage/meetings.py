"""Meetings' tables and queries: meetings (one date, or the dates of a series), who will come or sends
apologies, who attended, agreed leave of absence, and which reminders went out (so each goes once)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    false,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_column
from storage.groups import Membership
from storage.people import Person

#: The longest a meeting may last.
MAX_LENGTH = timedelta(hours=12)


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(enum.StrEnum):
    """What someone said about coming to a meeting."""

    GOING = "going"
    APOLOGIES = "apologies"


class Presence(enum.StrEnum):
    """How someone attended."""

    ROOM = "room"  # recorded by a co-chair
    REMOTE = "remote"  # checked in with "I'm here"


class MeetingSeries(Base):
    """A repeating meeting: its rule (RFC 5545 RRULE) from its first date, in the group's local time."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(200))  # "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    first_local: Mapped[str] = mapped_column(String(19))  # "2026-11-03T18:30:00", wall-clock time in `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    length_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(300), default=None)
    link: Mapped[str | None] = mapped_column(String(500), default=None)
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status", 10), default=MeetingStatus.SCHEDULED
    )
    #: Dates of the series exist as meetings up to this moment; the scheduler adds more as time goes on.
    planned_until: Mapped[datetime] = mapped_column(UTCDateTime())
    #: The series ends: no date starts after this moment (it was cancelled or changed from a date on).
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Meeting(Base):
    """One meeting: a date of its own, or one date of a series (moved or cancelled on its own if need be)."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_group_starts", "group_id", "starts_at"),
        Index("ix_meetings_still_to_come", "ended", "status"),
        UniqueConstraint("series_id", "recurrence_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"), default=None)
    #: For a date of a series: when the series first put it (its RECURRENCE-ID), even if it was moved since.
    recurrence_id: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    length_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(300), default=None)
    link: Mapped[str | None] = mapped_column(String(500), default=None)
    uid: Mapped[str] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status", 10), default=MeetingStatus.SCHEDULED
    )
    #: The check-in was posted when the meeting started (the "start" job ran), and closed when it ended.
    started: Mapped[bool] = mapped_column(Boolean, default=False)
    ended: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When it was added or last moved: reminders due before then are not sent (they were never due).
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: A co-chair ran it with /startmeeting (agenda item by item, hands raised); it ends with /endmeeting.
    live: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The record written when it ended: who attended, apologies, items, decisions, comments, actions.
    minutes: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length_minutes)


class MeetingReply(Base):
    """Someone's answer for a meeting: coming, or apologies (with a reason only co-chairs see)."""

    __tablename__ = "meeting_replies"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "meeting_answer", 10))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendance(Base):
    """Someone attended a meeting, in the room (recorded by a co-chair) or from home (checked in)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    presence: Mapped[Presence] = mapped_column(enum_column(Presence, "presence", 10))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Leave(Base):
    """Agreed leave of absence: meetings in it are shown apart in attendance, never silently dropped."""

    __tablename__ = "leave"
    __table_args__ = (Index("ix_leave_group_person", "group_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Hand(Base):
    """Someone at home raised a hand in a meeting under way: the chair calls them in turn."""

    __tablename__ = "meeting_hands"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderSent(Base):
    """A meeting's reminder at one offset went out (to the group and to those who asked privately): once."""

    __tablename__ = "meeting_reminders"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    minutes_before: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- meetings --------------------------------------------------------------------------------------


async def add_meeting(session: AsyncSession, meeting: Meeting) -> Meeting:
    session.add(meeting)
    await session.flush()
    return meeting


async def add_series(session: AsyncSession, series: MeetingSeries) -> MeetingSeries:
    session.add(series)
    await session.flush()
    return series


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def get_series(session: AsyncSession, series_id: int) -> MeetingSeries | None:
    return await session.get(MeetingSeries, series_id)


async def upcoming(session: AsyncSession, group_id: int, now: datetime, limit: int = 3) -> list[Meeting]:
    """The group's next meetings that have not ended, soonest first."""
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > now - MAX_LENGTH,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit * 4)
    )
    return [m for m in rows.scalars() if m.ends_at > now][:limit]


async def current_or_last(session: AsyncSession, group_id: int, now: datetime) -> Meeting | None:
    """The meeting under way, or else the latest one that has started."""
    rows = await session.execute(
        select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    return rows.scalars().first()


async def overlapping(
    session: AsyncSession, group_id: int, starts_at: datetime, ends_at: datetime, *, apart_from: int | None = None
) -> Meeting | None:
    """A scheduled meeting of the group that overlaps this time, if any."""
    rows = await session.execute(
        select(Meeting).where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at < ends_at,
            Meeting.id != (apart_from or 0),
        )
    )
    return next((m for m in rows.scalars() if m.ends_at > starts_at), None)


async def series_dates(session: AsyncSession, series_id: int, *, from_: datetime) -> list[Meeting]:
    rows = await session.execute(
        select(Meeting).where(Meeting.series_id == series_id, Meeting.starts_at >= from_).order_by(Meeting.starts_at)
    )
    return list(rows.scalars())


async def held_between(session: AsyncSession, group_id: int, start: datetime, end: datetime) -> list[Meeting]:
    """Meetings of the group that took place (not cancelled) and ended between these times."""
    rows = await session.execute(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at)
    )
    return [m for m in rows.scalars() if m.ends_at <= end]


async def needing_jobs(session: AsyncSession, *, meeting_id: int | None = None) -> list[Meeting]:
    """Scheduled meetings whose check-in has not yet closed: their reminders, start and end are to come
    (or are late). One query, however many meetings."""
    statement = select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.ended.is_(False))
    if meeting_id is not None:
        statement = statement.where(Meeting.id == meeting_id)
    return list((await session.execute(statement)).scalars())


async def reminders_sent(session: AsyncSession, meeting_ids: Sequence[int] | None = None) -> dict[int, set[int]]:
    """For each meeting, the reminders (minutes before) that went out. All meetings' when no ids are given
    (only meetings still to come keep rows that matter)."""
    statement = select(ReminderSent.meeting_id, ReminderSent.minutes_before)
    if meeting_ids is not None:
        statement = statement.where(ReminderSent.meeting_id.in_(list(meeting_ids)))
    else:
        statement = statement.join(Meeting, Meeting.id == ReminderSent.meeting_id).where(Meeting.ended.is_(False))
    found: dict[int, set[int]] = {}
    for meeting_id, minutes in (await session.execute(statement)).all():
        found.setdefault(meeting_id, set()).add(minutes)
    return found


async def forget_reminders(session: AsyncSession, meeting_id: int) -> None:
    """A moved meeting is reminded of again, at its new time."""
    await session.execute(delete(ReminderSent).where(ReminderSent.meeting_id == meeting_id))


async def group_upcoming_all(session: AsyncSession, group_id: int, now: datetime) -> list[Meeting]:
    rows = await session.execute(
        select(Meeting).where(
            Meeting.group_id == group_id, Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > now
        )
    )
    return list(rows.scalars())


async def active_series(session: AsyncSession, *, series_id: int | None = None) -> list[MeetingSeries]:
    statement = select(MeetingSeries).where(MeetingSeries.status == MeetingStatus.SCHEDULED)
    if series_id is not None:
        statement = statement.where(MeetingSeries.id == series_id)
    return list((await session.execute(statement)).scalars())


async def mark_started(session: AsyncSession, meeting_id: int) -> bool:
    """Note the meeting's check-in was posted. False if it already was (it is posted once)."""
    result = await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.started.is_(False), Meeting.status == MeetingStatus.SCHEDULED)
        .values(started=True)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def mark_ended(session: AsyncSession, meeting_id: int) -> bool:
    """Note the meeting's check-in closed. False if it already had."""
    result = await session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.ended.is_(False))
        .values(ended=True)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def mark_reminded(session: AsyncSession, meeting_id: int, minutes_before: int, now: datetime) -> bool:
    """Note that a reminder went out. False if it already had (so it goes out once, across restarts and
    processes: the primary key decides)."""
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_into(ReminderSent)
        .values(meeting_id=meeting_id, minutes_before=minutes_before, at=now)
        .on_conflict_do_nothing(index_elements=["meeting_id", "minutes_before"])
        .returning(ReminderSent.meeting_id)
    )
    return (await session.execute(statement)).first() is not None


# ---- replies, attendance, leave -----------------------------------------------------------------------


async def set_reply(
    session: AsyncSession, meeting_id: int, person_id: int, answer: Answer, now: datetime
) -> MeetingReply:
    """Someone's answer for a meeting (replacing an earlier one; a reason stays only with apologies)."""
    found = (
        await session.execute(
            select(MeetingReply).where(MeetingReply.meeting_id == meeting_id, MeetingReply.person_id == person_id)
        )
    ).scalar_one_or_none()
    if found is None:
        found = MeetingReply(meeting_id=meeting_id, person_id=person_id, answer=answer, at=now)
        session.add(found)
    else:
        found.answer, found.at = answer, now
        if answer is not Answer.APOLOGIES:
            found.reason = None
    await session.flush()
    return found


async def reply_of(session: AsyncSession, meeting_id: int, person_id: int) -> MeetingReply | None:
    return (
        await session.execute(
            select(MeetingReply).where(MeetingReply.meeting_id == meeting_id, MeetingReply.person_id == person_id)
        )
    ).scalar_one_or_none()


async def remove_reply(session: AsyncSession, meeting_id: int, person_id: int) -> bool:
    result = await session.execute(
        delete(MeetingReply).where(MeetingReply.meeting_id == meeting_id, MeetingReply.person_id == person_id)
    )
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class ReplyRow:
    person_id: int
    name: str
    answer: Answer
    reason: str | None


async def replies(session: AsyncSession, meeting_id: int) -> list[ReplyRow]:
    rows = await session.execute(
        select(MeetingReply.person_id, Person.display_name, MeetingReply.answer, MeetingReply.reason)
        .join(Person, Person.id == MeetingReply.person_id)
        .where(MeetingReply.meeting_id == meeting_id)
    )
    found = [ReplyRow(pid, name, answer, reason) for pid, name, answer, reason in rows.all()]
    return sorted(found, key=lambda r: (r.name.casefold(), r.person_id))


async def record_attendance(
    session: AsyncSession, meeting_id: int, person_id: int, presence: Presence, *, by: int | None, now: datetime
) -> bool:
    """Note someone attended. False if they were already noted (attendance counts once)."""
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_into(Attendance)
        .values(meeting_id=meeting_id, person_id=person_id, presence=presence, recorded_by=by, at=now)
        .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        .returning(Attendance.id)
    )
    return (await session.execute(statement)).first() is not None


async def attended(session: AsyncSession, meeting_ids: Sequence[int]) -> dict[int, dict[int, Presence]]:
    """For each meeting, who attended and how."""
    if not meeting_ids:
        return {}
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.person_id, Attendance.presence).where(
            Attendance.meeting_id.in_(list(meeting_ids))
        )
    )
    found: dict[int, dict[int, Presence]] = {}
    for meeting_id, person_id, presence in rows.all():
        found.setdefault(meeting_id, {})[person_id] = presence
    return found


async def apologies_for(session: AsyncSession, meeting_ids: Sequence[int]) -> dict[int, set[int]]:
    if not meeting_ids:
        return {}
    rows = await session.execute(
        select(MeetingReply.meeting_id, MeetingReply.person_id).where(
            MeetingReply.meeting_id.in_(list(meeting_ids)), MeetingReply.answer == Answer.APOLOGIES
        )
    )
    found: dict[int, set[int]] = {}
    for meeting_id, person_id in rows.all():
        found.setdefault(meeting_id, set()).add(person_id)
    return found


async def raise_hand(session: AsyncSession, meeting_id: int, person_id: int, now: datetime) -> bool:
    """False if their hand was already up."""
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_into(Hand)
        .values(meeting_id=meeting_id, person_id=person_id, at=now)
        .on_conflict_do_nothing(index_elements=["meeting_id", "person_id"])
        .returning(Hand.id)
    )
    return (await session.execute(statement)).first() is not None


async def lower_hand(session: AsyncSession, meeting_id: int, person_id: int) -> bool:
    result = await session.execute(delete(Hand).where(Hand.meeting_id == meeting_id, Hand.person_id == person_id))
    return bool(getattr(result, "rowcount", 0))


async def hands(session: AsyncSession, meeting_id: int) -> list[tuple[int, str]]:
    """(person id, name) of raised hands, first raised first."""
    rows = await session.execute(
        select(Hand.person_id, Person.display_name)
        .join(Person, Person.id == Hand.person_id)
        .where(Hand.meeting_id == meeting_id)
        .order_by(Hand.at, Hand.id)
    )
    return [(pid, name) for pid, name in rows.all()]


async def clear_hands(session: AsyncSession, meeting_id: int) -> None:
    await session.execute(delete(Hand).where(Hand.meeting_id == meeting_id))


async def latest_with_minutes(session: AsyncSession, group_id: int) -> Meeting | None:
    rows = await session.execute(
        select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.minutes.is_not(None))
        .order_by(Meeting.starts_at.desc())
        .limit(1)
    )
    return rows.scalars().first()


async def live_meeting(session: AsyncSession, group_id: int) -> Meeting | None:
    rows = await session.execute(
        select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.live.is_(True), Meeting.ended.is_(False))
        .order_by(Meeting.starts_at.desc())
    )
    return rows.scalars().first()


async def remove_attendance(session: AsyncSession, meeting_id: int, person_id: int) -> None:
    await session.execute(
        delete(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.person_id == person_id)
    )


async def checked_in(session: AsyncSession, meeting_id: int) -> int:
    """How many people checked in from home."""
    rows = await session.execute(
        select(func.count()).where(Attendance.meeting_id == meeting_id, Attendance.presence == Presence.REMOTE)
    )
    return int(rows.scalar_one())


async def add_leave(session: AsyncSession, leave: Leave) -> None:
    session.add(leave)
    await session.flush()


async def leave_in(
    session: AsyncSession, group_id: int, start: datetime, end: datetime, *, person_id: int | None = None
) -> list[Leave]:
    statement = select(Leave).where(Leave.group_id == group_id, Leave.starts_at < end, Leave.ends_at > start)
    if person_id is not None:
        statement = statement.where(Leave.person_id == person_id)
    return list((await session.execute(statement.order_by(Leave.starts_at))).scalars())


@dataclass(frozen=True, slots=True)
class MemberSince:
    person_id: int
    name: str
    joined_at: datetime


async def members_since(session: AsyncSession, group_id: int) -> list[MemberSince]:
    """The group's active members with when they joined, by name."""
    rows = await session.execute(
        select(Membership.person_id, Person.display_name, Membership.joined_at)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.group_id == group_id, Membership.active.is_(True))
    )
    found = [MemberSince(pid, name, joined) for pid, name, joined in rows.all()]
    return sorted(found, key=lambda m: (m.name.casefold(), m.person_id))


# ---- people's data ------------------------------------------------------------------------------------


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """A person's answers (apologies with their reasons), attendance and agreed leave."""
    answers = await session.execute(
        select(Meeting.starts_at, MeetingReply.answer, MeetingReply.reason)
        .join(Meeting, Meeting.id == MeetingReply.meeting_id)
        .where(MeetingReply.person_id == person_id)
        .order_by(Meeting.starts_at)
    )
    present = await session.execute(
        select(Meeting.starts_at, Attendance.presence)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.person_id == person_id)
        .order_by(Meeting.starts_at)
    )
    leave = await session.execute(select(Leave).where(Leave.person_id == person_id).order_by(Leave.starts_at))
    return {
        "meeting_answers": [
            {"meeting": starts.isoformat(), "answer": answer.value, "reason": reason}
            for starts, answer, reason in answers.all()
        ],
        "attendance": [{"meeting": starts.isoformat(), "how": presence.value} for starts, presence in present.all()],
        "leave": [{"from": lv.starts_at.isoformat(), "until": lv.ends_at.isoformat()} for lv in leave.scalars()],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """A person's answers, reasons, attendance and leave go; what they created for the group stays, unnamed."""
    await session.execute(delete(MeetingReply).where(MeetingReply.person_id == person_id))
    await session.execute(delete(Attendance).where(Attendance.person_id == person_id))
    await session.execute(delete(Hand).where(Hand.person_id == person_id))
    await session.execute(delete(Leave).where(Leave.person_id == person_id))
    for table in (Meeting, MeetingSeries):
        await session.execute(update(table).where(table.created_by == person_id).values(created_by=None))
    await session.execute(update(Attendance).where(Attendance.recorded_by == person_id).values(recorded_by=None))
    await session.execute(update(Leave).where(Leave.recorded_by == person_id).values(recorded_by=None))
