"""Taking part: who spoke or acted in a group, where and when, and in what way. Never the words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, delete, func, insert, select
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
    at: Mapped[datetime] = mapped_column(UTCDateTime())


async def record(
    session: AsyncSession, *, group_id: int, person_id: int, channel_id: int | None, kind: str, at: datetime
) -> None:
    """Note that someone took part (who, where, when, what kind; never the words)."""
    await record_many(
        session, [{"group_id": group_id, "person_id": person_id, "channel_id": channel_id, "kind": kind, "at": at}]
    )


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
    return {
        "taking_part": [
            {"group": g, "kind": k, "count": int(n), "first": first.isoformat(), "last": last.isoformat()}
            for g, k, n, first, last in rows.all()
        ]
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(Contribution).where(Contribution.person_id == person_id))
