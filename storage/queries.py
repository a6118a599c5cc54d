"""The queries the features need. Plain async functions over an AsyncSession; no platform knowledge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, Select, String, and_, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Account,
    Channel,
    Contribution,
    Group,
    GroupSetting,
    HeldMessage,
    MemberKind,
    Membership,
    OutboxMessage,
    PendingInput,
    Person,
    PostedMessage,
    Role,
)


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One active member as shown in the roster."""

    person_id: int
    name: str
    role: Role
    kind: MemberKind | None


async def ensure_person(
    session: AsyncSession,
    *,
    platform: str,
    user_id: str,
    display_name: str,
    handle: str | None,
    now: datetime,
) -> Person:
    """The person behind a platform account, created on first sight; keeps their name current."""
    row = (
        await session.execute(
            select(Account, Person)
            .join(Person, Person.id == Account.person_id)
            .where(Account.platform == platform, Account.user_id == user_id)
        )
    ).first()
    if row is not None:
        account, person = row
        if account.display_name != display_name or account.handle != handle:
            account.display_name = display_name
            account.handle = handle
            person.display_name = display_name
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
            created_at=now,
        )
    )
    await session.flush()
    return person


@dataclass(slots=True)
class Resolved:
    """Who acted and where, found in one query: the person, and the group, channel and membership
    when the chat is a set-up group chat."""

    person: Person
    channel: Channel | None = None
    group: Group | None = None
    membership: Membership | None = None


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
    account, person, channel, group, membership = row
    if account.display_name != display_name or account.handle != handle:
        account.display_name = display_name
        account.handle = handle
        person.display_name = display_name
    return Resolved(person, channel, group, membership)


@cache
def _resolve_statement() -> Select[Account, Person, Channel, Group, Membership]:
    """Built once: constructing a statement costs more than running it on SQLite (bench/dispatch.py)."""
    platform, chat_id = bindparam("platform", type_=String), bindparam("chat_id", type_=String)
    return (
        select(Account, Person, Channel, Group, Membership)
        .join(Person, Person.id == Account.person_id)
        .outerjoin(Channel, and_(Channel.platform == platform, Channel.chat_id == chat_id))
        .outerjoin(Group, Group.id == Channel.group_id)
        .outerjoin(Membership, and_(Membership.group_id == Group.id, Membership.person_id == Person.id))
        .where(Account.platform == platform, Account.user_id == bindparam("user_id", type_=String))
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


async def create_group(
    session: AsyncSession,
    *,
    name: str,
    platform: str,
    chat_id: str,
    chat_title: str,
    founder: Person,
    now: datetime,
) -> tuple[Group, Channel]:
    """Turn a chat into a group whose first co-chair is `founder`."""
    group = Group(name=name, created_at=now)
    session.add(group)
    await session.flush()
    channel = Channel(group_id=group.id, platform=platform, chat_id=chat_id, title=chat_title, created_at=now)
    session.add(channel)
    session.add(Membership(group_id=group.id, person_id=founder.id, role=Role.COCHAIR, active=True, joined_at=now))
    await session.flush()
    return group, channel


async def find_membership(session: AsyncSession, group_id: int, person_id: int) -> Membership | None:
    """The membership row (active or not) of a person in a group."""
    return (
        await session.execute(
            select(Membership).where(Membership.group_id == group_id, Membership.person_id == person_id)
        )
    ).scalar_one_or_none()


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
    """Mark a membership as left. The row stays, so history (votes, attendance) keeps its meaning."""
    membership.active = False
    membership.role = Role.MEMBER
    membership.left_at = now


async def count_cochairs(session: AsyncSession, group_id: int) -> int:
    return int(
        (
            await session.execute(
                select(func.count())
                .select_from(Membership)
                .where(
                    Membership.group_id == group_id,
                    Membership.active.is_(True),
                    Membership.role == Role.COCHAIR,
                )
            )
        ).scalar_one()
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


async def group_settings(session: AsyncSession, group_id: int) -> dict[str, str]:
    rows = await session.execute(select(GroupSetting.key, GroupSetting.value).where(GroupSetting.group_id == group_id))
    return {key: value for key, value in rows.all()}


async def set_group_setting(session: AsyncSession, group_id: int, key: str, value: str | None) -> None:
    """Store a setting; None removes it (back to the default)."""
    await session.execute(delete(GroupSetting).where(GroupSetting.group_id == group_id, GroupSetting.key == key))
    if value is not None:
        session.add(GroupSetting(group_id=group_id, key=key, value=value))
        await session.flush()


async def record_contribution(
    session: AsyncSession, *, group_id: int, person_id: int, channel_id: int, at: datetime
) -> None:
    """Note that someone spoke (who, where, when; never the words)."""
    session.add(Contribution(group_id=group_id, person_id=person_id, channel_id=channel_id, at=at))


async def move_channel(session: AsyncSession, platform: str, old_chat_id: str, new_chat_id: str) -> bool:
    """A platform gave a chat a new id (Telegram supergroup upgrade): keep all its data."""
    result = await session.execute(
        update(Channel).where(Channel.platform == platform, Channel.chat_id == old_chat_id).values(chat_id=new_chat_id)
    )
    return bool(getattr(result, "rowcount", 0))


# ---- posted messages, pending inputs, outbox ------------------------------------------------------


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


#: A question asked privately is answered in whichever private chat the platform uses with that person.
ANY_PRIVATE_CHAT = "*private*"


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


async def clear_pending(session: AsyncSession, *, platform: str, chat_id: str, user_id: str) -> bool:
    result = await session.execute(
        delete(PendingInput).where(
            PendingInput.platform == platform, PendingInput.chat_id == chat_id, PendingInput.user_id == user_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


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
) -> None:
    session.add(
        OutboxMessage(
            platform=platform,
            target_kind=target_kind,
            target_id=target_id,
            target_name=target_name,
            chat_kind=chat_kind,
            body=body,
            created_at=now,
        )
    )


async def unsent_outbox(session: AsyncSession, limit: int = 100) -> Sequence[OutboxMessage]:
    rows = await session.execute(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)
    )
    return rows.scalars().all()


async def mark_sent(session: AsyncSession, outbox_id: int, now: datetime) -> None:
    await session.execute(update(OutboxMessage).where(OutboxMessage.id == outbox_id).values(sent_at=now))


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
