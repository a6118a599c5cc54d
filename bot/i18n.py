"""Marks user-facing sentences for translation, with Babel.

Every sentence the bot sends passes through `_()`, or `ngettext()` when it holds a count, so that
every language's plural rules can apply ("1 vote", "2 votes"; other languages have more forms).
Babel's null translations return the English for now; marking strings from day one lets Babel
extract them later (`pybabel extract -F babel.cfg`). Keep sentences whole: use `{name}` placeholders
and `.format()` after `_()`, never glue fragments together.
"""

from __future__ import annotations

from babel.support import NullTranslations

_translations = NullTranslations()


def _(message: str) -> str:
    """Translate one whole sentence."""
    return str(_translations.gettext(message))


def ngettext(singular: str, plural: str, count: int) -> str:
    """The sentence for `count` in the reader's language: singular for one in English, plural otherwise."""
    return str(_translations.ngettext(singular, plural, count))
