"""The co-produced agenda's tables and queries: proposed items, who supports them, what happened to each at
the meeting (comments, decisions, actions), and the state of a meeting under way.

An anonymous proposal keeps no link to its author: `proposed_by` is NULL and nothing else names them."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

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
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_column
from storage.people import Person


class ItemStatus(enum.StrEnum):
    PROPOSED = "proposed"  # on the draft (or published) agenda of its meeting
    DISCUSSED = "discussed"  # reached at the meeting
    MERGED = "merged"  # folded into another item by a co-chair
    WITHDRAWN = "withdrawn"  # taken back by the person who proposed it
    HIDDEN = "hidden"  # an anonymous proposal a co-chair hid for breaking the group's rules


class AgendaItem(Base):
    """A proposed agenda item. `meeting_id` NULL: for the next meeting once one is planned."""

    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_group_meeting", "group_id", "meeting_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(500), default=None)
    #: NULL for an anonymous proposal: nothing links it to its author.
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus, "item_status", 10), default=ItemStatus.PROPOSED)
    #: A co-chair's place for it (1 first); items without one follow, by support.
    position: Mapped[int | None] = mapped_column(Integer, default=None)
    minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # time given to it at the meeting
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), default=None)
    #: The meeting it was first meant for, when it was carried over because it was not reached.
    carried_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    supporters: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Support(Base):
    """One person supports one item (once; they can take it back)."""

    __tablename__ = "agenda_support"
    __table_args__ = (UniqueConstraint("item_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemNote(Base):
    """Something recorded against an item at the meeting: a comment from someone at home (named), a
    decision (a vote's result) or an action (who will do what)."""

    __tablename__ = "agenda_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(String(10))  # "comment", "vote", "action"
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    vote_id: Mapped[int | None] = mapped_column(Integer, default=None)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Session(Base):
    """A meeting under way: which item the group is on."""

    __tablename__ = "agenda_sessions"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    current_item: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Published(Base):
    """The agenda of a meeting was published (once, across restarts and processes)."""

    __tablename__ = "agenda_published"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- items -------------------------------------------------------------------------------------------


async def add_item(session: AsyncSession, item: AgendaItem) -> AgendaItem:
    session.add(item)
    await session.flush()
    return item


async def get_item(session: AsyncSession, item_id: int) -> AgendaItem | None:
    return await session.get(AgendaItem, item_id)


async def items_for(
    session: AsyncSession, group_id: int, meeting_id: int | None, *, unplanned_too: bool
) -> list[AgendaItem]:
    """The open items of a meeting (and, `unplanned_too`, those waiting for the next meeting), in agenda order:
    a co-chair's positions first, then most support, then oldest."""
    wanted = AgendaItem.meeting_id == meeting_id if meeting_id is not None else AgendaItem.meeting_id.is_(None)
    if unplanned_too and meeting_id is not None:
        wanted = or_(wanted, AgendaItem.meeting_id.is_(None))
    rows = await session.execute(
        select(AgendaItem).where(AgendaItem.group_id == group_id, wanted, AgendaItem.status == ItemStatus.PROPOSED)
    )
    return sorted(rows.scalars(), key=agenda_order)


class Row(NamedTuple):
    """What the agenda shows of an item (read without loading whole records: /agenda is typed often)."""

    id: int
    title: str
    proposed_by: int | None
    anonymous: bool
    position: int | None
    supporters: int
    minutes: int | None
    carried_from: datetime | None
    created_at: datetime
    proposer: str | None  # their name, for a named item


async def agenda_rows(
    session: AsyncSession, group_id: int, meeting_id: int | None, *, unplanned_too: bool
) -> list[Row]:
    """Like items_for, as plain rows with the proposers' names, in one query."""
    wanted = AgendaItem.meeting_id == meeting_id if meeting_id is not None else AgendaItem.meeting_id.is_(None)
    if unplanned_too and meeting_id is not None:
        wanted = or_(wanted, AgendaItem.meeting_id.is_(None))
    rows = await session.execute(
        select(
            AgendaItem.id,
            AgendaItem.title,
            AgendaItem.proposed_by,
            AgendaItem.anonymous,
            AgendaItem.position,
            AgendaItem.supporters,
            AgendaItem.minutes,
            AgendaItem.carried_from,
            AgendaItem.created_at,
            Person.display_name,
        )
        .outerjoin(Person, Person.id == AgendaItem.proposed_by)
        .where(AgendaItem.group_id == group_id, wanted, AgendaItem.status == ItemStatus.PROPOSED)
    )
    return sorted((Row._make(row) for row in rows.all()), key=agenda_order)


def agenda_order(item: AgendaItem | Row) -> tuple[int, int, int, datetime, int]:
    placed = item.position is not None
    return (0 if placed else 1, item.position or 0, -item.supporters, item.created_at, item.id)


async def open_titles(session: AsyncSession, group_id: int) -> list[tuple[int, str]]:
    """(id, title) of every item still to be discussed (to spot a duplicate)."""
    rows = await session.execute(
        select(AgendaItem.id, AgendaItem.title).where(
            AgendaItem.group_id == group_id, AgendaItem.status == ItemStatus.PROPOSED
        )
    )
    return [(item_id, title) for item_id, title in rows.all()]


async def assign_unplanned(session: AsyncSession, group_id: int, meeting_id: int) -> None:
    """Items waiting for a meeting go on this one's agenda (it is being published)."""
    await session.execute(
        update(AgendaItem)
        .where(
            AgendaItem.group_id == group_id, AgendaItem.meeting_id.is_(None), AgendaItem.status == ItemStatus.PROPOSED
        )
        .values(meeting_id=meeting_id)
    )


async def carry_over(
    session: AsyncSession, group_id: int, meeting_id: int, to_meeting: int | None, first_meant_for: datetime
) -> int:
    """Items of a meeting that were not reached move to the next one (or wait for one). Returns how many."""
    result = await session.execute(
        update(AgendaItem)
        .where(
            AgendaItem.group_id == group_id,
            AgendaItem.meeting_id == meeting_id,
            AgendaItem.status == ItemStatus.PROPOSED,
        )
        .values(
            meeting_id=to_meeting,
            position=None,
            carried_from=func.coalesce(AgendaItem.carried_from, first_meant_for),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# ---- support ------------------------------------------------------------------------------------------


async def toggle_support(session: AsyncSession, item_id: int, person_id: int, now: datetime) -> bool:
    """Support an item, or take support back. Returns True if the person now supports it. The item's count is
    kept in the same transaction (one row lock per item on PostgreSQL, the write lock on SQLite)."""
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    added = (
        await session.execute(
            insert_into(Support)
            .values(item_id=item_id, person_id=person_id, at=now)
            .on_conflict_do_nothing(index_elements=["item_id", "person_id"])
            .returning(Support.id)
        )
    ).first()
    if added is None:
        await session.execute(delete(Support).where(Support.item_id == item_id, Support.person_id == person_id))
    delta = 1 if added is not None else -1
    await session.execute(
        update(AgendaItem)
        .where(AgendaItem.id == item_id)
        .values(supporters=AgendaItem.supporters + delta)
        .execution_options(synchronize_session=False)
    )
    return added is not None


async def items_by_id(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, AgendaItem]:
    rows = await session.execute(select(AgendaItem).where(AgendaItem.id.in_(list(item_ids))))
    return {item.id: item for item in rows.scalars()}


async def support_pairs(
    session: AsyncSession, item_ids: Sequence[int], person_ids: Sequence[int]
) -> set[tuple[int, int]]:
    """Which of these people support which of these items (one query)."""
    rows = await session.execute(
        select(Support.item_id, Support.person_id).where(
            Support.item_id.in_(list(item_ids)), Support.person_id.in_(list(person_ids))
        )
    )
    return {(item_id, person_id) for item_id, person_id in rows.all()}


async def save_support(
    session: AsyncSession, added: Sequence[tuple[int, int]], removed: Sequence[tuple[int, int]], now: datetime
) -> None:
    """Many people's support at once, then the changed items' counts recounted from the rows in the same
    statement (right even if another process changed them meanwhile)."""
    if added:
        insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert_into(Support).on_conflict_do_nothing(index_elements=["item_id", "person_id"]),
            [{"item_id": item_id, "person_id": person_id, "at": now} for item_id, person_id in added],
        )
    if removed:
        await session.execute(delete(Support).where(tuple_(Support.item_id, Support.person_id).in_(list(removed))))
    changed = sorted({item_id for item_id, _p in [*added, *removed]})
    if changed:
        recount = select(func.count()).where(Support.item_id == AgendaItem.id).correlate(AgendaItem).scalar_subquery()
        await session.execute(
            update(AgendaItem)
            .where(AgendaItem.id.in_(changed))
            .values(supporters=recount)
            .execution_options(synchronize_session=False)
        )


async def supports(session: AsyncSession, item_ids: Sequence[int], person_id: int) -> set[int]:
    if not item_ids:
        return set()
    rows = await session.execute(
        select(Support.item_id).where(Support.item_id.in_(list(item_ids)), Support.person_id == person_id)
    )
    return set(rows.scalars())


async def move_support(session: AsyncSession, from_item: int, to_item: int) -> None:
    """A merged item's supporters support the item it was merged into (once each)."""
    already = set((await session.execute(select(Support.person_id).where(Support.item_id == to_item))).scalars())
    moving = (await session.execute(select(Support).where(Support.item_id == from_item))).scalars().all()
    for row in moving:
        if row.person_id in already:
            await session.delete(row)
        else:
            row.item_id = to_item
    await session.flush()
    count = (await session.execute(select(func.count()).where(Support.item_id == to_item))).scalar_one()
    await session.execute(update(AgendaItem).where(AgendaItem.id == to_item).values(supporters=count))
    await session.execute(update(AgendaItem).where(AgendaItem.id == from_item).values(supporters=0))


# ---- a meeting under way -----------------------------------------------------------------------------------


async def session_of(session: AsyncSession, meeting_id: int) -> Session | None:
    return await session.get(Session, meeting_id)


async def live_session(session: AsyncSession, group_id: int) -> Session | None:
    """The group's meeting under way, if any."""
    rows = await session.execute(
        select(Session)
        .where(Session.group_id == group_id, Session.ended_at.is_(None))
        .order_by(Session.started_at.desc())
    )
    return rows.scalars().first()


async def add_note(session: AsyncSession, note: ItemNote) -> ItemNote:
    session.add(note)
    await session.flush()
    return note


async def notes_of(session: AsyncSession, meeting_id: int) -> list[ItemNote]:
    rows = await session.execute(
        select(ItemNote).where(ItemNote.meeting_id == meeting_id).order_by(ItemNote.at, ItemNote.id)
    )
    return list(rows.scalars())


async def vote_note(session: AsyncSession, vote_id: int) -> ItemNote | None:
    rows = await session.execute(select(ItemNote).where(ItemNote.kind == "vote", ItemNote.vote_id == vote_id))
    return rows.scalars().first()


async def discussed_in(session: AsyncSession, meeting_id: int) -> list[AgendaItem]:
    rows = await session.execute(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.status == ItemStatus.DISCUSSED)
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    return list(rows.scalars())


async def mark_published(session: AsyncSession, meeting_id: int, now: datetime) -> bool:
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_into(Published)
        .values(meeting_id=meeting_id, at=now)
        .on_conflict_do_nothing(index_elements=["meeting_id"])
        .returning(Published.meeting_id)
    )
    return (await session.execute(statement)).first() is not None


async def published(session: AsyncSession, meeting_ids: Sequence[int] | None = None) -> set[int]:
    statement = select(Published.meeting_id)
    if meeting_ids is not None:
        statement = statement.where(Published.meeting_id.in_(list(meeting_ids)))
    return set((await session.execute(statement)).scalars())


# ---- people's data ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Named:
    person_id: int
    name: str


async def names_of(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = await session.execute(select(Person.id, Person.display_name).where(Person.id.in_(list(person_ids))))
    return {pid: name for pid, name in rows.all()}


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Their named proposals, what they support, and comments and actions recorded with their name.
    Anonymous proposals are not theirs in the record, so they cannot be listed here."""
    items = await session.execute(select(AgendaItem).where(AgendaItem.proposed_by == person_id).order_by(AgendaItem.id))
    supported = await session.execute(
        select(AgendaItem.title, Support.at)
        .join(AgendaItem, AgendaItem.id == Support.item_id)
        .where(Support.person_id == person_id)
        .order_by(Support.at)
    )
    notes = await session.execute(select(ItemNote).where(ItemNote.person_id == person_id).order_by(ItemNote.at))
    return {
        "proposals": [
            {"title": i.title, "note": i.note, "status": i.status.value, "at": i.created_at.isoformat()}
            for i in items.scalars()
        ],
        "support": [{"item": title, "at": at.isoformat()} for title, at in supported.all()],
        "meeting_notes": [{"kind": n.kind, "text": n.text, "at": n.at.isoformat()} for n in notes.scalars()],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Their support goes (the counts with it); named proposals stay for the group but name nobody;
    comments in their name are removed; actions keep their text but name nobody."""
    for item_id in (
        (await session.execute(select(Support.item_id).where(Support.person_id == person_id))).scalars().all()
    ):
        await session.execute(
            update(AgendaItem)
            .where(AgendaItem.id == item_id)
            .values(supporters=AgendaItem.supporters - 1)
            .execution_options(synchronize_session=False)
        )
    await session.execute(delete(Support).where(Support.person_id == person_id))
    await session.execute(update(AgendaItem).where(AgendaItem.proposed_by == person_id).values(proposed_by=None))
    await session.execute(delete(ItemNote).where(ItemNote.person_id == person_id, ItemNote.kind == "comment"))
    await session.execute(update(ItemNote).where(ItemNote.person_id == person_id).values(person_id=None))
