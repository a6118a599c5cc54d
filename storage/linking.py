"""One group across platforms: one-time codes that link a second chat to a group or a second account to a person,
and merging two people into one (every table that names a person, found from the schema).

Codes are random, single use, valid for minutes, and stored only as a hash; failed tries are counted per person
so nobody can guess."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from storage.base import Base, UTCDateTime


class LinkCode(Base):
    """A one-time code: for a chat ("chat", with the group it joins) or a person ("person")."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), default=None)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class LinkFailure(Base):
    """A mistyped, expired or used code someone tried (rate limit)."""

    __tablename__ = "link_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


def hashed(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def find_code(session: AsyncSession, code: str) -> LinkCode | None:
    rows = await session.execute(select(LinkCode).where(LinkCode.code_hash == hashed(code)).with_for_update())
    return rows.scalars().first()


async def failures_since(session: AsyncSession, person_id: int, since: datetime) -> int:
    rows = await session.execute(
        select(func.count(LinkFailure.id)).where(LinkFailure.person_id == person_id, LinkFailure.at >= since)
    )
    return int(rows.scalar_one())


async def merge_people(session: AsyncSession, keep: int, merge: int) -> dict[str, int]:
    """Make `merge` the same person as `keep`, in every table that names a person. Where both have a row that
    may exist only once (a membership of a group, a ballot on a vote, a setting), `keep`'s stays and `merge`'s
    goes; histories (ballot changes, contributions) simply move. Returns how many rows were dropped, by table."""
    from storage.people import Person
    from storage.schema import metadata

    dropped: dict[str, int] = {}
    schema = metadata()
    for table in schema.sorted_tables:
        if table.name == "people":
            continue
        for column in table.columns:
            if not any(fk.column.table.name == "people" for fk in column.foreign_keys):
                continue
            uniques = [
                list(constraint.columns)
                for constraint in table.constraints
                if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
                and column in list(constraint.columns)
                and len(constraint.columns) > 1
            ]
            for together in uniques:
                others = [c for c in together if c is not column]
                twin = aliased(table)
                clash = exists().where(and_(twin.c[column.name] == keep, *[twin.c[c.name] == c for c in others]))
                result = await session.execute(delete(table).where(column == merge, clash))
                if result.rowcount:  # type: ignore[attr-defined]
                    dropped[table.name] = dropped.get(table.name, 0) + int(result.rowcount)  # type: ignore[attr-defined]
            await session.execute(update(table).where(column == merge).values({column.name: keep}))
    await session.execute(delete(Person).where(Person.id == merge))
    return dropped


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    rows = await session.execute(select(LinkCode).where(LinkCode.person_id == person_id))
    return {"link_codes": [{"kind": c.kind, "expires_at": c.expires_at.isoformat()} for c in rows.scalars()]}


async def erase_person(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(LinkCode).where(LinkCode.person_id == person_id))
    await session.execute(delete(LinkFailure).where(LinkFailure.person_id == person_id))
