"""The whole schema: every table module of this package, loaded so `Base.metadata` knows them all
(Alembic and the tests compare it with the migrations). A new subject's module is found by itself."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from sqlalchemy import MetaData

import storage
from storage.base import Base

#: Modules of this package that hold no tables.
_NOT_TABLES = frozenset({"base", "database", "schema", "migrations"})


@cache
def metadata() -> MetaData:
    """Base.metadata with every table module imported."""
    for module in pkgutil.iter_modules(storage.__path__):
        if module.name not in _NOT_TABLES:
            importlib.import_module(f"storage.{module.name}")
    return Base.metadata
