"""The schema. Integrity lives here (unique constraints, foreign keys), not only in code."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always gives back aware UTC datetimes (SQLite forgets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Role(enum.StrEnum):
    MEMBER = "member"
    COCHAIR = "cochair"


class MemberKind(enum.StrEnum):
    """How a member describes themselves; they choose."""

    LAY_PARTNER = "lay_partner"
    PROFESSIONAL = "professional"
    OTHER = "other"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class Group(Base):
    """A lay partner group. It owns everything: channels, members, settings, votes."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    principles: Mapped[str | None] = mapped_column(Text, default=None)
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
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.MEMBER)
    kind: Mapped[MemberKind | None] = mapped_column(_enum(MemberKind, "member_kind"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    person: Mapped[Person] = relationship()


class Contribution(Base):
    """Someone spoke in a group's channel: who, where and when. Never the words."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_group_at", "group_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- voting -------------------------------------------------------------------------------------


class Vote(Base):
    """A question put to a group. Options, eligible voters and ballots hang off it."""

    __tablename__ = "votes"
    __table_args__ = (Index("ix_votes_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # commands.voting.rules.VoteKind
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_results: Mapped[bool] = mapped_column(Boolean, default=False)
    lay_only: Mapped[bool] = mapped_column(Boolean, default=False)
    quorum_kind: Mapped[str] = mapped_column(String(10), default="none")
    quorum_value: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    opened_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)


class VoteOption(Base):
    __tablename__ = "vote_options"
    __table_args__ = (UniqueConstraint("vote_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))


class VoteVoter(Base):
    """Who may vote: the eligible members when the vote opened."""

    __tablename__ = "vote_voters"

    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)


class Ballot(Base):
    """A person's current ballot: one per person per vote, enforced here. Empty choices = no vote."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("vote_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    choices: Mapped[str] = mapped_column(String(200), default="")  # option ids in order, "12,14"
    reason: Mapped[str | None] = mapped_column(String(300), default=None)
    proxy_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BallotChange(Base):
    """Every state a ballot went through, in order (empty = taken back); only for votes that are not
    anonymous. The last row equals the current ballot."""

    __tablename__ = "ballot_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    choices: Mapped[str] = mapped_column(String(200))
    proxy_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---- messages the bot sent or must send ---------------------------------------------------------


class PostedMessage(Base):
    """A message the bot posted under a key (like "vote:12"), so it can be edited later."""

    __tablename__ = "posted_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    chat_kind: Mapped[str] = mapped_column(String(10))
    message_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """A message a scheduled job decided to send, written in the job's own transaction and marked
    sent once delivered, so a restart neither loses nor repeats it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    target_kind: Mapped[str] = mapped_column(String(10))  # "chat" or "user"
    target_id: Mapped[str] = mapped_column(String(64))
    target_name: Mapped[str] = mapped_column(String(200), default="")
    chat_kind: Mapped[str] = mapped_column(String(10), default="group")
    body: Mapped[str] = mapped_column(Text)  # JSON: text, buttons, key
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class HeldMessage(Base):
    """A private message the platform refused because the person never opened a private chat with the
    bot. It waits here, and is sent the moment they do (the deep link in the group's hint)."""

    __tablename__ = "held_messages"
    __table_args__ = (Index("ix_held_messages_for", "platform", "user_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # JSON: text, buttons
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


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
