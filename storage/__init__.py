"""Storage: SQLAlchemy 2 models, the async engine and sessions, queries, and Alembic migrations.

Knows nothing about chat platforms or the bot core.
"""

from storage.database import Database

__all__ = ["Database"]
