"""The glossary's tables and queries: a group's own entries (new terms, and its edits or removals of seeded
ones), every change with who made it and when, and jargon explanations already given.

The seeded glossary itself is not copied into each group: it is read from `commands/glossary/seed.py`, and a
group's own entry with the same key stands in front of it (an edit, or a removal)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime
from storage.people import Person

MAX_TERM = 60
MAX_MEANING = 300
MAX_EXAMPLE = 300


class GlossaryEntry(Base):
    """A group's own entry: a term it added, or its edit (or removal) of a seeded term with the same key."""

    __tablename__ = "glossary_entries"
    __table_args__ = (UniqueConstraint("group_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(MAX_TERM))  # the term folded for lookups ("icb")
    term: Mapped[str] = mapped_column(String(MAX_TERM))  # as written ("ICB")
    meaning: Mapped[str] = mapped_column(String(MAX_MEANING))
    example: Mapped[str] = mapped_column(String(MAX_EXAMPLE), default="")
    also: Mapped[str] = mapped_column(String(300), default="")  # other forms, one per line
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GlossaryChange(Base):
    """One change to a group's glossary: who (until they ask to be forgotten), when, and the words then."""

    __tablename__ = "glossary_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("glossary_entries.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    action: Mapped[str] = mapped_column(String(10))  # added, improved, removed
    meaning: Mapped[str] = mapped_column(String(MAX_MEANING))
    example: Mapped[str] = mapped_column(String(MAX_EXAMPLE), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class JargonExplained(Base):
    """Jargon watch explained a term in a group, prompted by someone's message (so never twice to them)."""

    __tablename__ = "jargon_explained"
    __table_args__ = (Index("ix_jargon_explained_group_key", "group_id", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_TERM))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), default=None, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- the glossary ----------------------------------------------------------------------------------------------


async def entries(session: AsyncSession, group_id: int) -> list[GlossaryEntry]:
    rows = await session.execute(select(GlossaryEntry).where(GlossaryEntry.group_id == group_id))
    return list(rows.scalars())


async def entry_by_key(session: AsyncSession, group_id: int, key: str) -> GlossaryEntry | None:
    rows = await session.execute(
        select(GlossaryEntry).where(GlossaryEntry.group_id == group_id, GlossaryEntry.key == key)
    )
    return rows.scalars().first()


async def history(session: AsyncSession, entry_id: int) -> list[tuple[GlossaryChange, str | None]]:
    rows = await session.execute(
        select(GlossaryChange, Person.display_name)
        .outerjoin(Person, Person.id == GlossaryChange.person_id)
        .where(GlossaryChange.entry_id == entry_id)
        .order_by(GlossaryChange.id)
    )
    return [(change, name) for change, name in rows.all()]


async def explained_since(session: AsyncSession, group_id: int, keys: list[str], since: datetime) -> set[str]:
    rows = await session.execute(
        select(JargonExplained.key).where(
            JargonExplained.group_id == group_id, JargonExplained.key.in_(keys), JargonExplained.at >= since
        )
    )
    return set(rows.scalars())


async def explained_to(session: AsyncSession, group_id: int, person_id: int, keys: list[str]) -> set[str]:
    rows = await session.execute(
        select(JargonExplained.key).where(
            JargonExplained.group_id == group_id,
            JargonExplained.person_id == person_id,
            JargonExplained.key.in_(keys),
        )
    )
    return set(rows.scalars())


# ---- a person's data -------------------------------------------------------------------------------------------


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    changes = await session.execute(
        select(GlossaryChange, GlossaryEntry.term)
        .join(GlossaryEntry, GlossaryEntry.id == GlossaryChange.entry_id)
        .where(GlossaryChange.person_id == person_id)
        .order_by(GlossaryChange.at)
    )
    told = await session.execute(select(JargonExplained).where(JargonExplained.person_id == person_id))
    return {
        "glossary_changes": [
            {"term": term, "change": c.action, "meaning": c.meaning, "at": c.at.isoformat()}
            for c, term in changes.all()
        ],
        "jargon_explained_after_your_messages": [{"term": j.key, "at": j.at.isoformat()} for j in told.scalars()],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Explanations go; glossary changes stay (the words are the group's) without the name."""
    await session.execute(delete(JargonExplained).where(JargonExplained.person_id == person_id))
    await session.execute(update(GlossaryChange).where(GlossaryChange.person_id == person_id).values(person_id=None))
