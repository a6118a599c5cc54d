"""The two kinds of failure.

A `UserError` is a mistake the person can fix: they get its kind message, and nothing changes.
Anything else is our fault: the transaction rolls back, the person gets an apology with an error id,
and the log gets the same id with the traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the person can fix. `message` is shown to them as it is (plain, kind English).

    Raised while answering a question the bot asked, it ends that question, unless `ask_again` names
    the question (prompt and data) to ask once more, so the person can simply type a better answer.
    """

    def __init__(self, message: str, *, ask_again: tuple[str, dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ask_again = ask_again
