"""The skills bank's tables and queries: skills members offered (their words and normalised tags), and help
requests matched to them: who was asked, who offered, and introductions both agreed to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime
from storage.people import Person

MAX_SKILL = 200


class Skill(Base):
    """A skill a member offered, in their words, with its normalised tags."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(MAX_SKILL))
    tags: Mapped[str] = mapped_column(String(400), default="")  # space-separated
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class HelpMatch(Base):
    """A request for help (from /askhelp) that members' skills may fit: the asker chooses whether to ask them."""

    __tablename__ = "help_matches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(600))
    helpers: Mapped[str] = mapped_column(String(100), default="")  # person ids of the best matches, best first
    status: Mapped[str] = mapped_column(String(10), default="asked")  # asked, posted, declined
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class HelpOffer(Base):
    """A member pressed "I can help": an introduction once the asker agrees too."""

    __tablename__ = "help_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("help_matches.id", ondelete="CASCADE"), index=True)
    helper_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="offered")  # offered, introduced, declined
    at: Mapped[datetime] = mapped_column(UTCDateTime())


async def skills_of(session: AsyncSession, group_id: int, person_id: int) -> list[Skill]:
    rows = await session.execute(
        select(Skill).where(Skill.group_id == group_id, Skill.person_id == person_id).order_by(Skill.id)
    )
    return list(rows.scalars())


async def group_skills(session: AsyncSession, group_id: int) -> list[tuple[Skill, str]]:
    rows = await session.execute(
        select(Skill, Person.display_name)
        .join(Person, Person.id == Skill.person_id)
        .where(Skill.group_id == group_id)
        .order_by(Person.display_name, Skill.id)
    )
    return [(skill, name) for skill, name in rows.all()]


async def offer_of(session: AsyncSession, match_id: int, helper_id: int) -> HelpOffer | None:
    rows = await session.execute(
        select(HelpOffer).where(HelpOffer.match_id == match_id, HelpOffer.helper_id == helper_id)
    )
    return rows.scalars().first()


async def export_person(session: AsyncSession, person_id: int) -> dict[str, Any]:
    skills = await session.execute(select(Skill).where(Skill.person_id == person_id).order_by(Skill.id))
    asked = await session.execute(select(HelpMatch).where(HelpMatch.asker_id == person_id).order_by(HelpMatch.id))
    offered = await session.execute(select(HelpOffer).where(HelpOffer.helper_id == person_id).order_by(HelpOffer.id))
    return {
        "skills": [{"skill": s.text, "tags": s.tags.split(), "at": s.at.isoformat()} for s in skills.scalars()],
        "help_asked_of_members": [
            {"text": m.text, "status": m.status, "at": m.at.isoformat()} for m in asked.scalars()
        ],
        "help_offered": [
            {"request": o.match_id, "status": o.status, "at": o.at.isoformat()} for o in offered.scalars()
        ],
    }


async def erase_person(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(Skill).where(Skill.person_id == person_id))
    await session.execute(delete(HelpOffer).where(HelpOffer.helper_id == person_id))
    await session.execute(delete(HelpMatch).where(HelpMatch.asker_id == person_id))
