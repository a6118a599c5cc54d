"""Discussion papers' tables and queries: the paper (its text, link or document, kept so it can be posted
again on any platform), when it is posted and when views close, and the views.

An anonymous view keeps no link to its author: `person_id` is NULL and nothing else names them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_column


class PaperStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # waiting for its time to be posted
    OPEN = "open"  # posted; views welcome
    CLOSED = "closed"  # views closed, summary posted
    CANCELLED = "cancelled"


class Paper(Base):
    __tablename__ = "papers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(600))
    body: Mapped[str | None] = mapped_column(Text, default=None)
    link: Mapped[str | None] = mapped_column(String(500), default=None)
    #: An attached document, downloaded and kept (platform file ids and links expire or work for one bot).
    file_name: Mapped[str | None] = mapped_column(String(200), default=None)
    file_mime: Mapped[str | None] = mapped_column(String(100), default=None)
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    status: Mapped[PaperStatus] = mapped_column(
        enum_column(PaperStatus, "paper_status", 10), default=PaperStatus.SCHEDULED
    )
    post_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class View(Base):
    """A view on a paper: named (person_id) or anonymous (no person)."""

    __tablename__ = "paper_views"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    #: NULL for an anonymous view: nothing links it to its author.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


async def add_paper(session: AsyncSession, paper: Paper) -> Paper:
    session.add(paper)
    await session.flush()
    return paper


async def get_paper(session: AsyncSession, paper_id: int) -> Paper | None:
    return await session.get(Paper, paper_id)


async def file_of(session: AsyncSession, paper_id: int) -> bytes | None:
    return (await session.execute(select(Paper.file_data).where(Paper.id == paper_id))).scalar_one_or_none()


async def pending(session: AsyncSession, *, paper_id: int | None = None) -> list[Paper]:
    """Papers still to post, remind about or close."""
    statement = select(Paper).where(Paper.status.in_([PaperStatus.SCHEDULED, PaperStatus.OPEN]))
    if paper_id is not None:
        statement = statement.where(Paper.id == paper_id)
    return list((await session.execute(statement)).scalars())


async def of_group(session: AsyncSession, group_id: int, since: datetime) -> list[Paper]:
    """Open and scheduled papers, and those closed since `since`, newest first."""
    rows = await session.execute(
        select(Paper)
        .where(
            Paper.group_id == group_id,
            Paper.status != PaperStatus.CANCELLED,
            (Paper.status != PaperStatus.CLOSED) | (Paper.closes_at >= since),
        )
        .order_by(Paper.post_at.desc(), Paper.id.desc())
    )
    return list(rows.scalars())


async def claim(session: AsyncSession, paper_id: int, *, from_: PaperStatus, to: PaperStatus) -> bool:
    """Move a paper on (scheduled → open → closed) once: False if it already had."""
    result = await session.execute(
        update(Paper)
        .where(Paper.id == paper_id, Paper.status == from_)
        .values(status=to)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def claim_reminder(session: AsyncSession, paper_id: int) -> bool:
    result = await session.execute(
        update(Paper)
        .where(Paper.id == paper_id, Paper.reminded.is_(False), Paper.status == PaperStatus.OPEN)
        .values(reminded=True)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def add_view(session: AsyncSession, view: View) -> View:
    session.add(view)
    await session.flush()
    return view


async def get_view(session: AsyncSession, view_id: int) -> View | None:
    return await session.get(View, view_id)


async def views_of(session: AsyncSession, paper_id: int) -> list[View]:
    rows = await session.execute(select(View).where(View.paper_id == paper_id).order_by(View.at, View.id))
    return list(rows.scalars())


async def named_viewers(session: AsyncSession, paper_id: int) -> set[int]:
    rows = await session.execute(
        select(View.person_id).where(View.paper_id == paper_id, View.person_id.is_not(None)).distinct()
    )
    return {pid for pid in rows.scalars() if pid is not None}


async def count_views(session: AsyncSession, paper_id: int) -> int:
    return int((await session.execute(select(func.count()).where(View.paper_id == paper_id))).scalar_one())


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Papers they added and their named views (anonymous views are not theirs in the record)."""
    papers = await session.execute(select(Paper.title, Paper.created_at).where(Paper.created_by == person_id))
    views = await session.execute(
        select(Paper.title, View.text, View.at)
        .join(Paper, Paper.id == View.paper_id)
        .where(View.person_id == person_id)
        .order_by(View.at)
    )
    return {
        "papers_added": [{"title": t, "at": at.isoformat()} for t, at in papers.all()],
        "views": [{"paper": t, "view": text, "at": at.isoformat()} for t, text, at in views.all()],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Their named views go; papers they added stay for the group, naming nobody."""
    await session.execute(delete(View).where(View.person_id == person_id))
    await session.execute(update(Paper).where(Paper.created_by == person_id).values(created_by=None))
