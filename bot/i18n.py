"""Marks user-facing sentences for translation.

Every sentence the bot sends passes through `_()`. It is the identity for now; marking strings from
day one lets Babel extract them later (`pybabel extract -F babel.cfg`). Keep sentences whole: use
`{name}` placeholders and `.format()` after `_()`, never glue fragments together.
"""

from __future__ import annotations


def _(message: str) -> str:
    """Translate one whole sentence (identity until translations exist)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Choose the singular or plural sentence for `count` (English rules until translations exist)."""
    return singular if count == 1 else plural
