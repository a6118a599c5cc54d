"""Messages the bot must send, has sent, or keeps for later.

- `outbox`: a message decided inside a transaction (a vote posted to every channel, a reminder, a
  result), written in that same transaction and marked sent once delivered, so a crash neither loses
  nor repeats it. Each process sends only the rows for the platforms it serves.
- `posted_messages`: a message the bot posted under a key (like "vote:12"), so it can be edited later.
- `held_messages`: a private message the platform refused because the person never opened a private
  chat with the bot; it waits until they do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class PostedMessage(Base):
    """A message the bot posted under a key (like "vote:12"), so it can be edited later."""

    __tablename__ = "posted_messages"
    __table_args__ = (Index("ix_posted_messages_message", "platform", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    chat_kind: Mapped[str] = mapped_column(String(10))
    message_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """A message written in the transaction that decided it, marked sent once delivered."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    target_kind: Mapped[str] = mapped_column(String(10))  # "chat" or "user"
    target_id: Mapped[str] = mapped_column(String(64))
    target_name: Mapped[str] = mapped_column(String(200), default="")
    chat_kind: Mapped[str] = mapped_column(String(10), default="group")
    body: Mapped[str] = mapped_column(Text)  # JSON (bot.codec)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Failed delivery attempts; after a few the message is given up (logged), so one bad row never blocks the rest.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class HeldMessage(Base):
    """A private message the platform refused because the person never opened a private chat with the
    bot. It waits here, and is sent the moment they do (the deep link in the group's hint)."""

    __tablename__ = "held_messages"
    __table_args__ = (Index("ix_held_messages_for", "platform", "user_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # JSON (bot.codec)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


# ---- posted messages -----------------------------------------------------------------------------


async def remember_posted(
    session: AsyncSession, *, key: str, platform: str, chat_id: str, chat_kind: str, message_id: str, now: datetime
) -> None:
    session.add(
        PostedMessage(
            key=key, platform=platform, chat_id=chat_id, chat_kind=chat_kind, message_id=message_id, created_at=now
        )
    )


async def posted_messages(session: AsyncSession, key: str) -> Sequence[PostedMessage]:
    """Messages posted under a key, oldest first."""
    rows = await session.execute(select(PostedMessage).where(PostedMessage.key == key).order_by(PostedMessage.id))
    return rows.scalars().all()


async def never_reached(session: AsyncSession, accounts: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Accounts the bot has had to hold a message for, still undelivered (they never opened a private chat)."""
    if not accounts:
        return set()
    rows = await session.execute(
        select(HeldMessage.platform, HeldMessage.user_id)
        .where(
            tuple_(HeldMessage.platform, HeldMessage.user_id).in_(list(accounts)),
            HeldMessage.delivered_at.is_(None),
        )
        .distinct()
    )
    return {(platform, user_id) for platform, user_id in rows.all()}


async def key_of_posted(session: AsyncSession, platform: str, chat_id: str, message_id: str) -> str | None:
    """The key a message the bot posted was kept under, if any (a reply to it goes to that feature)."""
    rows = await session.execute(
        select(PostedMessage.key).where(
            PostedMessage.platform == platform,
            PostedMessage.chat_id == chat_id,
            PostedMessage.message_id == message_id,
        )
    )
    return rows.scalars().first()


# ---- the outbox ------------------------------------------------------------------------------------


async def add_to_outbox(
    session: AsyncSession,
    *,
    platform: str,
    target_kind: str,
    target_id: str,
    target_name: str,
    chat_kind: str,
    body: str,
    now: datetime,
) -> int:
    """Queue a message in the current transaction; returns its id."""
    row = OutboxMessage(
        platform=platform,
        target_kind=target_kind,
        target_id=target_id,
        target_name=target_name,
        chat_kind=chat_kind,
        body=body,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row.id


async def claim_unsent(
    session: AsyncSession, platforms: Sequence[str], *, limit: int = 1, only: Sequence[int] | None = None
) -> Sequence[OutboxMessage]:
    """The oldest unsent messages for these platforms. On PostgreSQL they are locked until this
    transaction ends and rows another process holds are skipped (FOR UPDATE SKIP LOCKED), so two
    processes never send the same row at once."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.platform.in_(list(platforms)))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if only is not None:
        statement = statement.where(OutboxMessage.id.in_(list(only)))
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return (await session.execute(statement)).scalars().all()


async def unsent_count(session: AsyncSession) -> int:
    rows = await session.execute(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)))
    return len(rows.all())


async def mark_sent(session: AsyncSession, outbox_id: int, now: datetime) -> None:
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(sent_at=now))


async def note_failed_attempt(session: AsyncSession, outbox_id: int, now: datetime, *, give_up_after: int) -> bool:
    """Count a failed delivery. Returns True when it was the last try (the row is then closed, unsent)."""
    row = await session.get(OutboxMessage, outbox_id)
    if row is None:
        return True
    row.attempts += 1
    if row.attempts >= give_up_after:
        row.sent_at = now  # closed: never retried in a loop
        return True
    return False


# ---- held messages -------------------------------------------------------------------------------


async def hold_message(session: AsyncSession, *, platform: str, user_id: str, body: str, now: datetime) -> None:
    session.add(HeldMessage(platform=platform, user_id=user_id, body=body, created_at=now))


async def take_held_messages(
    session: AsyncSession, *, platform: str, user_id: str, since: datetime, now: datetime, limit: int = 10
) -> list[str]:
    """The newest messages held for this account since `since` (oldest first), marked delivered.
    Older ones are marked too: a stale message is not worth sending."""
    rows = await session.execute(
        select(HeldMessage.id, HeldMessage.body, HeldMessage.created_at)
        .where(HeldMessage.platform == platform, HeldMessage.user_id == user_id, HeldMessage.delivered_at.is_(None))
        .order_by(HeldMessage.id)
    )
    found = rows.all()
    if not found:
        return []
    await session.execute(
        update(HeldMessage).where(HeldMessage.id.in_([row.id for row in found])).values(delivered_at=now)
    )
    fresh = [row.body for row in found if row.created_at >= since]
    return fresh[-limit:]


# ---- people's data -------------------------------------------------------------------------------


async def erase_for_accounts(session: AsyncSession, accounts: Sequence[tuple[str, str]]) -> None:
    """Drop messages kept for or queued to these (platform, user id) accounts."""
    for platform, user_id in accounts:
        await session.execute(
            delete(HeldMessage).where(HeldMessage.platform == platform, HeldMessage.user_id == user_id)
        )
        await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.platform == platform,
                OutboxMessage.target_kind == "user",
                OutboxMessage.target_id == user_id,
            )
        )
