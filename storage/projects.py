"""Projects the group works on: their lead and review date, lay sign-off when they are complete, and what the
group learned, collected at the review date."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime, enum_column
from storage.people import Person


class ProjectStatus(enum.StrEnum):
    ACTIVE = "active"
    SIGNING = "signing"  # a lay sign-off vote is open
    COMPLETE = "complete"  # signed off by lay partners


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    review_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus, "project_status", 10), default=ProjectStatus.ACTIVE
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: "What did we learn?" was posted (at the review date); views are welcome until `learning_closes_at`.
    learning_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    learning_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    evaluated: Mapped[bool] = mapped_column(Boolean, default=False)


class Lesson(Base):
    """A view on what the group learned from a project."""

    __tablename__ = "project_lessons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


async def of_group(session: AsyncSession, group_id: int) -> list[tuple[Project, str | None]]:
    rows = await session.execute(
        select(Project, Person.display_name)
        .outerjoin(Person, Person.id == Project.lead_id)
        .where(Project.group_id == group_id)
        .order_by(Project.id)
    )
    return [(p, name) for p, name in rows.all()]


async def with_work(session: AsyncSession, project_id: int | None = None) -> list[Project]:
    """Projects with scheduled work ahead: a review to ask about, or lessons to sum up."""
    query = select(Project).where(
        or_(
            (Project.review_at.is_not(None)) & (Project.learning_asked.is_(False)),
            (Project.learning_asked.is_(True)) & (Project.evaluated.is_(False)),
        )
    )
    if project_id is not None:
        query = query.where(Project.id == project_id)
    return list((await session.execute(query)).scalars())


async def claim(session: AsyncSession, project_id: int, **change: Any) -> bool:
    """Set `change` if the project is still as `where_*` says (so a step runs once across processes)."""
    where = {k.removeprefix("where_"): v for k, v in change.items() if k.startswith("where_")}
    values = {k: v for k, v in change.items() if not k.startswith("where_")}
    conditions = [getattr(Project, k) == v for k, v in where.items()]
    result = await session.execute(update(Project).where(Project.id == project_id, *conditions).values(**values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def lessons(session: AsyncSession, project_id: int) -> list[tuple[Lesson, str | None]]:
    rows = await session.execute(
        select(Lesson, Person.display_name)
        .outerjoin(Person, Person.id == Lesson.person_id)
        .where(Lesson.project_id == project_id)
        .order_by(Lesson.id)
    )
    return [(lesson, name) for lesson, name in rows.all()]


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    led = await session.execute(select(Project.title).where(Project.lead_id == person_id))
    said = await session.execute(select(Lesson).where(Lesson.person_id == person_id).order_by(Lesson.id))
    return {
        "projects_led": list(led.scalars()),
        "lessons": [{"project": x.project_id, "text": x.text, "at": x.at.isoformat()} for x in said.scalars()],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Lessons go (their words were theirs); projects stay the group's, without naming them as lead."""
    from sqlalchemy import delete

    await session.execute(delete(Lesson).where(Lesson.person_id == person_id))
    await session.execute(update(Project).where(Project.lead_id == person_id).values(lead_id=None))
    await session.execute(update(Project).where(Project.created_by == person_id).values(created_by=None))
