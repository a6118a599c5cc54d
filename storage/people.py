"""People and their platform accounts. One person may have accounts on several platforms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime


class Person(Base):
    """A human being. One person may have accounts on several platforms."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Account(Base):
    """A platform account (platform + user id) belonging to one person."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    handle: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: When they last talked to the bot privately on this account (private messages go there by default).
    last_private_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class PersonSetting(Base):
    """One of a person's own choices (private meeting reminders, say); features declare which exist."""

    __tablename__ = "person_settings"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


async def person_settings(session: AsyncSession, person_id: int) -> dict[str, str]:
    rows = await session.execute(
        select(PersonSetting.key, PersonSetting.value).where(PersonSetting.person_id == person_id)
    )
    return {key: value for key, value in rows.all()}


async def people_with_setting(session: AsyncSession, person_ids: Sequence[int], key: str) -> dict[int, str]:
    """A setting's stored value for each of these people who set it."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(PersonSetting.person_id, PersonSetting.value).where(
            PersonSetting.person_id.in_(list(person_ids)), PersonSetting.key == key
        )
    )
    return {person_id: value for person_id, value in rows.all()}


async def set_person_setting(session: AsyncSession, person_id: int, key: str, value: str | None) -> None:
    """Store a person's choice; None removes it (back to the default)."""
    await session.execute(delete(PersonSetting).where(PersonSetting.person_id == person_id, PersonSetting.key == key))
    if value is not None:
        session.add(PersonSetting(person_id=person_id, key=key, value=value))
        await session.flush()


def keep_names_current(account: Account, person: Person, display_name: str, handle: str | None) -> None:
    """People change their names on the platform; the group sees the current one. A person with several
    accounts keeps the name they are known by: only the account that name came from changes it."""
    if account.display_name != display_name or account.handle != handle:
        if person.display_name == account.display_name:
            person.display_name = display_name
        account.display_name = display_name
        account.handle = handle


async def ensure_person(
    session: AsyncSession,
    *,
    platform: str,
    user_id: str,
    display_name: str,
    handle: str | None,
    now: datetime,
    private: bool = False,
) -> Person:
    """The person behind a platform account, created on first sight; keeps their name current. `private`: they
    are talking to the bot privately on this account (their private messages come here by default)."""
    row = (
        await session.execute(
            select(Account, Person)
            .join(Person, Person.id == Account.person_id)
            .where(Account.platform == platform, Account.user_id == user_id)
        )
    ).first()
    if row is not None:
        account, person = row
        keep_names_current(account, person, display_name, handle)
        if private:
            account.last_private_at = now
        return person
    person = Person(display_name=display_name, created_at=now)
    session.add(person)
    await session.flush()
    session.add(
        Account(
            person_id=person.id,
            platform=platform,
            user_id=user_id,
            display_name=display_name,
            handle=handle,
            last_private_at=now if private else None,
            created_at=now,
        )
    )
    await session.flush()
    return person


async def find_account(session: AsyncSession, platform: str, user_id: str) -> Account | None:
    return (
        await session.execute(select(Account).where(Account.platform == platform, Account.user_id == user_id))
    ).scalar_one_or_none()


#: A person's own choice of platform for private messages (the linking feature's /mysettings setting).
PRIVATE_PLATFORM = "private_platform"


async def accounts_of(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, list[Account]]:
    """Each person's platform accounts (to send them a private message), the one to use first: their chosen
    platform, else where they last talked to the bot privately, else the oldest."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Account)
        .where(Account.person_id.in_(person_ids))
        .order_by(Account.last_private_at.desc().nulls_last(), Account.id)
    )
    found: dict[int, list[Account]] = {}
    for account in rows.scalars():
        found.setdefault(account.person_id, []).append(account)
    chosen = await people_with_setting(session, list(found), PRIVATE_PLATFORM)
    for person_id, platform in chosen.items():  # their own choice comes first
        found[person_id].sort(key=lambda a: a.platform != platform)
    return found


# ---- people's data -------------------------------------------------------------------------------


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """The person and their accounts, as plain values."""
    person = await session.get(Person, person_id)
    if person is None:
        return {}
    accounts = (await accounts_of(session, [person_id])).get(person_id, [])
    return {
        "name": person.display_name,
        "first_seen": person.created_at.isoformat(),
        "my_settings": await person_settings(session, person_id),
        "accounts": [
            {
                "platform": a.platform,
                "user_id": a.user_id,
                "name": a.display_name,
                "handle": a.handle,
                "first_seen": a.created_at.isoformat(),
            }
            for a in accounts
        ],
    }


#: What an erased person is called wherever a record must keep its place (a closed vote's totals).
FORMER_MEMBER = "A former member"


async def erase_person(session: AsyncSession, person_id: int) -> None:
    """Forget who the person was: their accounts go, their name becomes "A former member".

    The row itself stays so records that must keep counting (closed votes' totals) still add up; with
    no account and no name left, nothing ties it to anyone."""
    await session.execute(delete(Account).where(Account.person_id == person_id))
    await session.execute(delete(PersonSetting).where(PersonSetting.person_id == person_id))
    person = await session.get(Person, person_id)
    if person is not None:
        person.display_name = FORMER_MEMBER
