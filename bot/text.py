"""Text people type, made safe and split into a command and its arguments."""

from __future__ import annotations

#: Longest argument text we accept. Telegram allows 4,096 characters in a message; we stay below.
MAX_ARGS_CHARS = 2000


def _unwanted(code: int) -> bool:
    """Control characters and the invisible marks that can make text display as something else."""
    return (
        code < 32
        or 0x7F <= code < 0xA0
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or code in (0x200E, 0x200F, 0x061C, 0xFEFF, 0x200B)
    )


def clean_text(text: str, *, keep_lines: bool = False) -> str:
    """Remove control characters and invisible direction overrides; keep real letters of every script.

    Right-to-left text (Arabic, Hebrew…) is kept; the override characters that can make a name
    display as something else are not. Line breaks become spaces unless `keep_lines`.
    """
    if keep_lines:
        lines = (clean_text(line) for line in text.replace("\r\n", "\n").split("\n"))
        return "\n".join(lines).strip("\n")
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append(" ")
        elif not _unwanted(ord(char)):
            out.append(char)
    return " ".join("".join(out).split())


def split_command(text: str) -> tuple[str, str] | None:
    """'/vote@TouchstoneBot Lunch? | Yes, No' → ('vote', 'Lunch? | Yes, No'). None if not a command."""
    stripped = text.lstrip()
    if not stripped.startswith("/"):
        return None
    head, _sep, args = stripped[1:].partition(" ")
    if "\n" in head:
        head, _nl, more = head.partition("\n")
        args = more + (" " + args if args else "")
    name = head.split("@", 1)[0]
    return name, args.strip()


def shorten(text: str, limit: int = 40) -> str:
    """Text cut to `limit` characters with an ellipsis, for quoting back what someone typed."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Typed answers to "with your name or without?" (the buttons are the usual way; words work too).
_NAMED = {"with my name", "named", "with name", "my name", "name", "yes"}
_UNNAMED = {"without my name", "without", "anonymous", "anonymously", "anon", "no name", "no"}


def named_or_not(text: str) -> str | None:
    """ "named", "anon", or None when the words answer neither (ordinary chat: the buttons still wait)."""
    words = " ".join(clean_text(text).casefold().replace("’", "'").strip(" .!").split())
    if words in _NAMED:
        return "named"
    if words in _UNNAMED:
        return "anon"
    return None
