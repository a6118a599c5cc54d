"""Questions the bot asked someone and waits to hear the answer to (a step of /vote, a missing part
of a command). The answer is the person's next message in that chat; nothing else they say is read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime

#: A question asked privately is answered in whichever private chat the platform uses with that person.
ANY_PRIVATE_CHAT = "*private*"


class PendingInput(Base):
    """The bot asked someone a question and waits for their next message in that chat."""

    __tablename__ = "pending_inputs"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    prompt: Mapped[str] = mapped_column(String(32))  # the registered prompt's name
    data: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


async def set_pending(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    user_id: str,
    prompt: str,
    data: str,
    expires_at: datetime,
) -> None:
    """Wait for this person's next message in this chat (replacing any earlier question)."""
    await clear_pending(session, platform=platform, chat_id=chat_id, user_id=user_id)
    session.add(
        PendingInput(
            platform=platform, chat_id=chat_id, user_id=user_id, prompt=prompt, data=data, expires_at=expires_at
        )
    )
    await session.flush()


async def take_pending(
    session: AsyncSession, *, platform: str, chat_id: str, user_id: str, now: datetime, private: bool = False
) -> PendingInput | None:
    """The question this person is answering, removed (a prompt handler may ask again). Expired: None."""
    chats = [chat_id, ANY_PRIVATE_CHAT] if private else [chat_id]
    pending = (
        (
            await session.execute(
                select(PendingInput)
                .where(
                    PendingInput.platform == platform,
                    PendingInput.chat_id.in_(chats),
                    PendingInput.user_id == user_id,
                )
                .order_by(PendingInput.id.desc())
            )
        )
        .scalars()
        .first()
    )
    if pending is None:
        return None
    await session.delete(pending)
    await session.flush()
    return pending if pending.expires_at > now else None


async def take_prompt(
    session: AsyncSession, *, platform: str, chat_ids: list[str], user_id: str, prompt: str, now: datetime
) -> PendingInput | None:
    """This person's waiting question `prompt` in these chats, removed (a button answered it). Expired: None."""
    pending = (
        (
            await session.execute(
                select(PendingInput)
                .where(
                    PendingInput.platform == platform,
                    PendingInput.chat_id.in_(chat_ids),
                    PendingInput.user_id == user_id,
                    PendingInput.prompt == prompt,
                )
                .order_by(PendingInput.id.desc())
            )
        )
        .scalars()
        .first()
    )
    if pending is None:
        return None
    await session.delete(pending)
    await session.flush()
    return pending if pending.expires_at > now else None


async def clear_pending(session: AsyncSession, *, platform: str, chat_id: str, user_id: str) -> bool:
    result = await session.execute(
        delete(PendingInput).where(
            PendingInput.platform == platform, PendingInput.chat_id == chat_id, PendingInput.user_id == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


async def delete_pending(session: AsyncSession, pending_id: int) -> None:
    await session.execute(delete(PendingInput).where(PendingInput.id == pending_id))


async def clear_all_pending(session: AsyncSession, *, platform: str, user_id: str) -> int:
    """End every question waiting for this account's answer, in every chat. Returns how many."""
    result = await session.execute(
        delete(PendingInput).where(PendingInput.platform == platform, PendingInput.user_id == user_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)
