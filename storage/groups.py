"""Groups, their channels (chats on some platform), memberships and settings."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    false,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UTCDateTime, enum_column
from storage.conversations import PendingInput
from storage.people import Account, Person, ensure_person, keep_names_current

DEFAULT_TIMEZONE = "Europe/London"


class Role(enum.StrEnum):
    MEMBER = "member"
    COCHAIR = "cochair"


class MemberKind(enum.StrEnum):
    """How a member describes themselves; they choose."""

    LAY_PARTNER = "lay_partner"
    PROFESSIONAL = "professional"
    OTHER = "other"


class Group(Base):
    """A lay partner group. It owns everything: channels, members, settings, votes."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    principles: Mapped[str | None] = mapped_column(Text, default=None)
    #: Dates are read and shown in this zone (an IANA name such as Europe/London).
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE)
    #: Every co-chair left the chat on the platform (the only way a group loses its last one): a chat admin
    #: may then take the role with /setup. Kept on the group so the check costs nothing per event.
    without_cochair: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    channels: Mapped[list[Channel]] = relationship(back_populates="group", passive_deletes=True)


class GroupSetting(Base):
    """One named setting of a group; features declare which settings exist."""

    __tablename__ = "group_settings"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


class Channel(Base):
    """A chat on one platform that belongs to a group. A group may have several."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship(back_populates="channels")


class Membership(Base):
    """Ties a person to a group with a role and a kind. Leaving keeps the row (history), inactive."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "person_id"),
        Index("ix_memberships_group_active", "group_id", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.MEMBER)
    kind: Mapped[MemberKind | None] = mapped_column(enum_column(MemberKind, "member_kind"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    person: Mapped[Person] = relationship()


class HiddenPost(Base):
    """A co-chair hid an anonymous post for breaking the group's rules: the log of hidings."""

    __tablename__ = "hidden_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    hidden_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class TouchstoneVersion(Base):
    """The group's principles as they were before a change, newest last, so a change can be undone.
    `text` None means the standard wording."""

    __tablename__ = "touchstone_versions"
    __table_args__ = (Index("ix_touchstone_versions_group", "group_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), default=None)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One active member as shown in the roster."""

    person_id: int
    name: str
    role: Role
    kind: MemberKind | None


# ---- who and where ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Resolved:
    """Who acted and where, found in one query: the person, and the group, channel and membership
    when the chat is a set-up group chat."""

    person: Person
    channel: Channel | None = None
    group: Group | None = None
    membership: Membership | None = None
    #: A question the bot is waiting to hear this person answer in this chat (its row id).
    pending_id: int | None = None
    account: Account | None = None


async def resolve_in_chat(
    session: AsyncSession,
    *,
    platform: str,
    user_id: str,
    display_name: str,
    handle: str | None,
    chat_id: str,
    now: datetime,
) -> Resolved:
    """The person behind an account (created on first sight, name kept current) and, in one query,
    the group this chat belongs to and the person's membership of it."""
    params = {"platform": platform, "user_id": user_id, "chat_id": chat_id}
    row = (await session.execute(_resolve_statement(), params)).first()
    if row is None:
        person = await ensure_person(
            session, platform=platform, user_id=user_id, display_name=display_name, handle=handle, now=now
        )
        found = await find_channel(session, platform, chat_id)
        if found is None:
            return Resolved(person)
        return Resolved(person, found[0], found[1], None)
    account, person, channel, group, membership, pending_id = row
    keep_names_current(account, person, display_name, handle)
    return Resolved(person, channel, group, membership, pending_id)


async def resolve_many(
    session: AsyncSession, *, platform: str, chat_id: str, user_ids: Sequence[str]
) -> dict[str, Resolved]:
    """`resolve_in_chat` for many accounts seen in one chat, in one query: accounts not seen before are
    left out (they are created one at a time). Names are kept current by the caller."""
    pending_here = and_(
        PendingInput.platform == platform, PendingInput.chat_id == chat_id, PendingInput.user_id == Account.user_id
    )
    rows = await session.execute(
        select(Account, Person, Channel, Group, Membership, PendingInput.id)
        .join(Person, Person.id == Account.person_id)
        .outerjoin(Channel, and_(Channel.platform == platform, Channel.chat_id == chat_id))
        .outerjoin(Group, Group.id == Channel.group_id)
        .outerjoin(Membership, and_(Membership.group_id == Group.id, Membership.person_id == Person.id))
        .outerjoin(PendingInput, pending_here)
        .where(Account.platform == platform, Account.user_id.in_(sorted(set(user_ids))))
    )
    found: dict[str, Resolved] = {}
    for account, person, channel, group, membership, pending_id in rows.all():
        earlier = found.get(account.user_id)
        if earlier is None or (earlier.pending_id is None and pending_id is not None):
            found[account.user_id] = Resolved(person, channel, group, membership, pending_id, account)
    return found


@cache
def _resolve_statement() -> Select[Account, Person, Channel, Group, Membership, int]:
    """Built once: constructing a statement costs more than running it on SQLite (bench/dispatch.py)."""
    platform, chat_id = bindparam("platform", type_=String), bindparam("chat_id", type_=String)
    user_id = bindparam("user_id", type_=String)
    pending_here = and_(
        PendingInput.platform == platform, PendingInput.chat_id == chat_id, PendingInput.user_id == user_id
    )
    return (
        select(Account, Person, Channel, Group, Membership, PendingInput.id)
        .join(Person, Person.id == Account.person_id)
        .outerjoin(Channel, and_(Channel.platform == platform, Channel.chat_id == chat_id))
        .outerjoin(Group, Group.id == Channel.group_id)
        .outerjoin(Membership, and_(Membership.group_id == Group.id, Membership.person_id == Person.id))
        .outerjoin(PendingInput, pending_here)
        .where(Account.platform == platform, Account.user_id == user_id)
    )


async def find_channel(session: AsyncSession, platform: str, chat_id: str) -> tuple[Channel, Group] | None:
    """The channel for a platform chat and the group it belongs to, if the chat was set up."""
    row = (
        await session.execute(
            select(Channel, Group)
            .join(Group, Group.id == Channel.group_id)
            .where(Channel.platform == platform, Channel.chat_id == chat_id)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def group_channels(session: AsyncSession, group_id: int) -> list[Channel]:
    """Every chat of a group, oldest first."""
    rows = await session.execute(select(Channel).where(Channel.group_id == group_id).order_by(Channel.id))
    return list(rows.scalars())


async def get_group(session: AsyncSession, group_id: int) -> Group | None:
    return await session.get(Group, group_id)


async def group_timezone(session: AsyncSession, group_id: int) -> str:
    zone = (await session.execute(select(Group.timezone).where(Group.id == group_id))).scalar_one_or_none()
    return zone or DEFAULT_TIMEZONE


async def create_group(
    session: AsyncSession,
    *,
    name: str,
    timezone: str,
    platform: str,
    chat_id: str,
    chat_title: str,
    founder: Person,
    now: datetime,
) -> tuple[Group, Channel]:
    """Turn a chat into a group whose first co-chair is `founder`."""
    group = Group(name=name, timezone=timezone, created_at=now)
    session.add(group)
    await session.flush()
    channel = Channel(group_id=group.id, platform=platform, chat_id=chat_id, title=chat_title, created_at=now)
    session.add(channel)
    session.add(Membership(group_id=group.id, person_id=founder.id, role=Role.COCHAIR, active=True, joined_at=now))
    await session.flush()
    return group, channel


async def move_channel(session: AsyncSession, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
    """A platform gave a chat a new id (Telegram supergroup upgrade): keep all its data."""
    result = await session.execute(
        update(Channel).where(Channel.platform == platform, Channel.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    return bool(getattr(result, "rowcount", 0))


# ---- memberships ------------------------------------------------------------------------------------


async def find_membership(session: AsyncSession, group_id: int, person_id: int) -> Membership | None:
    """The membership row (active or not) of a person in a group."""
    return (
        await session.execute(
            select(Membership).where(Membership.group_id == group_id, Membership.person_id == person_id)
        )
    ).scalar_one_or_none()


async def is_active_member(session: AsyncSession, group_id: int, person_id: int) -> bool:
    found = await session.execute(_active_member_statement(), {"group_id": group_id, "person_id": person_id})
    return found.first() is not None


@cache
def _active_member_statement() -> Select[int]:
    return select(Membership.id).where(
        Membership.group_id == bindparam("group_id", type_=Integer),
        Membership.person_id == bindparam("person_id", type_=Integer),
        Membership.active.is_(True),
    )


async def active_memberships_of(session: AsyncSession, person_id: int) -> Sequence[tuple[Membership, Group]]:
    """Every group a person is an active member of."""
    rows = await session.execute(
        select(Membership, Group)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == person_id, Membership.active.is_(True))
        .order_by(Group.id)
    )
    return [(m, g) for m, g in rows.all()]


async def join_group(
    session: AsyncSession,
    *,
    group_id: int,
    person_id: int,
    kind: MemberKind | None,
    now: datetime,
) -> tuple[Membership, bool]:
    """Make a person an active member; returns (membership, newly_joined). Keeps an existing role."""
    membership = await find_membership(session, group_id, person_id)
    if membership is None:
        membership = Membership(group_id=group_id, person_id=person_id, role=Role.MEMBER, kind=kind, joined_at=now)
        session.add(membership)
        await session.flush()
        return membership, True
    newly = not membership.active
    if newly:
        membership.active = True
        membership.role = Role.MEMBER
        membership.joined_at = now
        membership.left_at = None
    if kind is not None:
        membership.kind = kind
    return membership, newly


async def leave_group(session: AsyncSession, membership: Membership, now: datetime) -> None:
    """Mark a membership as left. The row stays, so history (votes, attendance) keeps its meaning.
    If the last co-chair left, the group is marked as without one (a chat admin may then take the role)."""
    was_cochair = membership.role is Role.COCHAIR
    membership.active = False
    membership.role = Role.MEMBER
    membership.left_at = now
    if was_cochair:
        await session.flush()
        await _note_cochairs(session, membership.group_id)


async def make_cochair(session: AsyncSession, membership: Membership) -> None:
    """Give a member the co-chair role (the group has one again, if it had none)."""
    membership.role = Role.COCHAIR
    await session.execute(update(Group).where(Group.id == membership.group_id).values(without_cochair=False))


async def _note_cochairs(session: AsyncSession, group_id: int) -> None:
    if await count_cochairs(session, group_id) == 0:
        await session.execute(update(Group).where(Group.id == group_id).values(without_cochair=True))


async def count_cochairs(session: AsyncSession, group_id: int) -> int:
    # Core, not ORM, execution: /help asks this on every call, and the ORM's layer costs more than the query.
    connection = await session.connection()
    return int((await connection.execute(_cochairs_statement(), {"group_id": group_id})).scalar_one())


@cache
def _cochairs_statement() -> Select[int]:
    return (
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.group_id == bindparam("group_id", type_=Integer),
            Membership.active.is_(True),
            Membership.role == Role.COCHAIR,
        )
    )


async def roster(session: AsyncSession, group_id: int) -> list[RosterEntry]:
    """Active members, co-chairs first, then by name (one query)."""
    rows = await session.execute(_roster_statement(), {"group_id": group_id})
    entries = [RosterEntry(pid, name, role, kind) for pid, name, role, kind in rows.all()]
    entries.sort(key=lambda e: (e.role is not Role.COCHAIR, e.name.casefold(), e.person_id))
    return entries


@cache
def _roster_statement() -> Select[int, str, Role, MemberKind | None]:
    return (
        select(Membership.person_id, Person.display_name, Membership.role, Membership.kind)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.group_id == bindparam("group_id", type_=Integer), Membership.active.is_(True))
    )


async def member_accounts(session: AsyncSession, group_id: int) -> list[tuple[RosterEntry, Account]]:
    """Active members with each of their accounts (for finding a member by name or handle)."""
    rows = await session.execute(
        select(Membership.person_id, Person.display_name, Membership.role, Membership.kind, Account)
        .join(Person, Person.id == Membership.person_id)
        .join(Account, Account.person_id == Person.id)
        .where(Membership.group_id == group_id, Membership.active.is_(True))
    )
    return [(RosterEntry(pid, name, role, kind), account) for pid, name, role, kind, account in rows.all()]


@dataclass(frozen=True, slots=True)
class ChatMember:
    """An account seen in a set-up group chat, with its person and membership (for presses applied in batches)."""

    user_id: str
    display_name: str
    handle: str | None
    person_id: int
    group_id: int
    active_member: bool


async def members_in_chat(
    session: AsyncSession, platform: str, chat_id: str, user_ids: Sequence[str]
) -> dict[str, ChatMember]:
    """Known accounts among `user_ids`, with the chat's group and their membership, in one query."""
    rows = await session.execute(
        select(
            Account.user_id,
            Account.display_name,
            Account.handle,
            Account.person_id,
            Channel.group_id,
            Membership.active,
        )
        .select_from(Account)
        .join(Channel, (Channel.platform == platform) & (Channel.chat_id == chat_id))
        .outerjoin(Membership, (Membership.group_id == Channel.group_id) & (Membership.person_id == Account.person_id))
        .where(Account.platform == platform, Account.user_id.in_(list(user_ids)))
    )
    return {
        row.user_id: ChatMember(
            row.user_id, row.display_name, row.handle, row.person_id, row.group_id, bool(row.active)
        )
        for row in rows
    }


# ---- the touchstone ------------------------------------------------------------------------------------


async def change_principles(session: AsyncSession, group: Group, text: str | None, *, by: int, now: datetime) -> None:
    """Give the group new principles (None: the standard wording), keeping the old ones to restore."""
    session.add(TouchstoneVersion(group_id=group.id, text=group.principles, changed_by=by, changed_at=now))
    group.principles = text


async def restore_principles(session: AsyncSession, group: Group) -> bool:
    """Bring back the principles as they were before the last change. False if there is no earlier version."""
    last = (
        await session.execute(
            select(TouchstoneVersion)
            .where(TouchstoneVersion.group_id == group.id)
            .order_by(TouchstoneVersion.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if last is None:
        return False
    group.principles = last.text
    await session.delete(last)
    return True


# ---- settings ----------------------------------------------------------------------------------------


async def group_settings(session: AsyncSession, group_id: int) -> dict[str, str]:
    rows = await session.execute(select(GroupSetting.key, GroupSetting.value).where(GroupSetting.group_id == group_id))
    return {key: value for key, value in rows.all()}


async def setting_of_every_group(session: AsyncSession, key: str) -> dict[int, str]:
    """One setting's stored value for every group that changed it from the default (one query)."""
    rows = await session.execute(select(GroupSetting.group_id, GroupSetting.value).where(GroupSetting.key == key))
    return {group_id: value for group_id, value in rows.all()}


async def set_group_setting(session: AsyncSession, group_id: int, key: str, value: str | None) -> None:
    """Store a setting; None removes it (back to the default)."""
    await session.execute(delete(GroupSetting).where(GroupSetting.group_id == group_id, GroupSetting.key == key))
    if value is not None:
        session.add(GroupSetting(group_id=group_id, key=key, value=value))
        await session.flush()


# ---- people's data -------------------------------------------------------------------------------


async def export_memberships(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Membership, Group.name)
        .join(Group, Group.id == Membership.group_id)
        .where(Membership.person_id == person_id)
        .order_by(Membership.id)
    )
    return [
        {
            "group": name,
            "role": m.role.value,
            "kind": m.kind.value if m.kind else None,
            "active": m.active,
            "joined": m.joined_at.isoformat(),
            "left": m.left_at.isoformat() if m.left_at else None,
        }
        for m, name in rows.all()
    ]


async def export_touchstone_changes(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(TouchstoneVersion.group_id, TouchstoneVersion.changed_at).where(
            TouchstoneVersion.changed_by == person_id
        )
    )
    return [{"group": group_id, "changed_the_touchstone": at.isoformat()} for group_id, at in rows.all()]


async def note_hidden(session: AsyncSession, group_id: int, kind: str, number: int, by: int, now: datetime) -> None:
    session.add(HiddenPost(group_id=group_id, kind=kind, number=number, hidden_by=by, at=now))
    await session.flush()


async def was_hidden(session: AsyncSession, group_id: int, kind: str, number: int) -> bool:
    found = await session.execute(
        select(HiddenPost.id).where(
            HiddenPost.group_id == group_id, HiddenPost.kind == kind, HiddenPost.number == number
        )
    )
    return found.first() is not None


async def export_hidings(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    rows = await session.execute(select(HiddenPost).where(HiddenPost.hidden_by == person_id).order_by(HiddenPost.at))
    return [{"hid": f"{h.kind} {h.number}", "at": h.at.isoformat()} for h in rows.scalars()]


async def erase_hidings(session: AsyncSession, person_id: int) -> None:
    await session.execute(update(HiddenPost).where(HiddenPost.hidden_by == person_id).values(hidden_by=None))


async def erase_touchstone_changes(session: AsyncSession, person_id: int) -> None:
    """The earlier wording stays (it is the group's); who changed it is forgotten."""
    await session.execute(
        update(TouchstoneVersion).where(TouchstoneVersion.changed_by == person_id).values(changed_by=None)
    )


async def erase_memberships(session: AsyncSession, person_id: int) -> None:
    led = (
        await session.execute(
            select(Membership.group_id).where(Membership.person_id == person_id, Membership.role == Role.COCHAIR)
        )
    ).scalars()
    groups_led = list(led)
    await session.execute(delete(Membership).where(Membership.person_id == person_id))
    for group_id in groups_led:
        await _note_cochairs(session, group_id)
