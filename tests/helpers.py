"""Small helpers for reading what is stored, so tests can assert on the database as well as the chat."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from storage import Database
from storage.groups import MemberKind, Membership, Role
from storage.people import Person
from storage.schema import metadata

Snapshot = dict[str, list[tuple[object, ...]]]


async def membership_of(app: App, name: str) -> Membership | None:
    """The (only) membership row of the person called `name`, or None."""
    async with app.database.unit_of_work() as session:
        row = await session.execute(
            select(Membership).join(Person, Person.id == Membership.person_id).where(Person.display_name == name)
        )
        return row.scalar_one_or_none()


async def roles(app: App) -> dict[str, tuple[Role, MemberKind | None, bool]]:
    """Everyone's (role, kind, active) by name."""
    async with app.database.unit_of_work() as session:
        rows = await session.execute(
            select(Person.display_name, Membership.role, Membership.kind, Membership.active).join(
                Person, Person.id == Membership.person_id
            )
        )
        return {name: (role, kind, active) for name, role, kind, active in rows.all()}


async def snapshot(database: Database) -> Snapshot:
    """Every row of every table in the schema."""
    tables: Snapshot = {}
    async with database.unit_of_work() as session:
        for table in metadata().sorted_tables:
            rows = (await session.execute(select(table))).all()
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return tables
