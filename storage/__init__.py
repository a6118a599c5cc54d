"""Storage: the async engine and units of work (`database`), one module per subject holding its tables
and queries together (`people`, `groups`, `outbox`, `conversations`, `voting`, `participation`…), and
Alembic migrations. Knows nothing about chat platforms, the bot core or its features."""

from storage.database import Database

__all__ = ["Database"]
