"""What the platforms sent: each inbound event's own id, so a redelivered one has no second effect, and a
journal of updates taken from a platform before they are confirmed to it, so a crash loses none.

An event is *claimed* in the same transaction as its effect: a row keyed by its origin ("telegram:<bot>:
<update id>", "discord:i:<interaction id>") is inserted, or a journalled one marked done. If the row is
already done, the event was handled before and is skipped. Rows are pruned after about two days (Telegram
keeps undelivered updates for 24 hours).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Index, String, Text, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime

#: The longest origin we store ("telegram:<bot id>:<update id>" and the like).
MAX_ORIGIN = 120


class InboundEvent(Base):
    """One event a platform sent: journalled on receipt (with its body) and/or done (its effect committed)."""

    __tablename__ = "inbound_events"
    __table_args__ = (Index("ix_inbound_events_received", "received_at"),)

    origin: Mapped[str] = mapped_column(String(MAX_ORIGIN), primary_key=True)
    body: Mapped[str | None] = mapped_column(Text, default=None)  # the raw update, while it waits to be handled
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def claim(session: AsyncSession, origins: Sequence[str], now: datetime) -> set[str]:
    """Mark events done in this transaction; returns the origins that were not done before (the others
    are repeats and must have no effect)."""
    if not origins:
        return set()
    rows = [{"origin": o, "received_at": now, "done_at": now, "body": None} for o in sorted(set(origins))]
    connection = await session.connection()
    if len(rows) == 1:
        return set((await connection.execute(_claim_statement(connection.dialect.name), rows[0])).scalars())
    # Many at once (a batch): executemany, which SQLAlchemy sends as a few multi-row statements, compiled once.
    result = await connection.execute(_claim_statement(connection.dialect.name), rows)
    return set(result.scalars())


@cache
def _claim_statement(dialect: str):  # type: ignore[no-untyped-def]
    """Insert the event's row as done, or mark its journalled row done; returns the origin if it was not done."""
    inserting = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(InboundEvent)
    return inserting.on_conflict_do_update(
        index_elements=["origin"],
        set_={"done_at": inserting.excluded.done_at, "body": None},
        where=InboundEvent.done_at.is_(None),
    ).returning(InboundEvent.origin)


async def unclaim(session: AsyncSession, origins: Sequence[str]) -> None:
    """Undo a claim made in this transaction (a press handed on to be handled on its own)."""
    if origins:
        await session.execute(delete(InboundEvent).where(InboundEvent.origin.in_(list(origins))))


async def journal(session: AsyncSession, entries: Sequence[tuple[str, str]], now: datetime) -> None:
    """Keep updates taken from a platform (origin, raw body) until they are handled."""
    if not entries:
        return
    statement = (
        _insert(session)(InboundEvent)
        .values([{"origin": o, "body": b, "received_at": now, "done_at": None} for o, b in entries])
        .on_conflict_do_nothing(index_elements=["origin"])
    )
    await (await session.connection()).execute(statement)


async def waiting(session: AsyncSession, prefix: str) -> list[tuple[str, str]]:
    """Journalled updates not handled yet whose origin starts with `prefix`, oldest first."""
    rows = await session.execute(
        select(InboundEvent.origin, InboundEvent.body)
        .where(
            InboundEvent.origin.startswith(prefix, autoescape=True),
            InboundEvent.done_at.is_(None),
            InboundEvent.body.is_not(None),
        )
        .order_by(InboundEvent.received_at, InboundEvent.origin)
    )
    return [(origin, body) for origin, body in rows.all() if body is not None]


async def prune(session: AsyncSession, before: datetime) -> None:
    """Forget events received before `before` (platforms redeliver within a day)."""
    await session.execute(delete(InboundEvent).where(InboundEvent.received_at < before))
