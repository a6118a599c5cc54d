"""Alembic environment. Touchstone runs migrations itself (`touchstone migrate` and at start-up),
handing Alembic an open connection; see storage.database.Database.migrate."""

from __future__ import annotations

from alembic import context

from storage.base import UTCDateTime
from storage.schema import metadata

target_metadata = metadata()


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write our UTC datetime type into migrations as a plain timezone-aware DateTime."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations with `touchstone migrate`; it supplies the connection.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
