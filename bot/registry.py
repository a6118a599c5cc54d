"""What a feature declares, once, as data plus async functions: commands, button actions, questions
it asks, settings, live messages, scheduled job kinds, the events it listens to, and how its records
about one person are exported and erased.

From one command declaration: the Telegram adapter parses `/name args` and publishes its menu, the
Discord adapter builds slash commands with typed options, the terminal chat parses typed lines, and
`/help` and the README's command table are generated.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from rapidfuzz import process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.batching import BatchHandler
from bot.context import Context, Unit
from bot.errors import UserError
from bot.group_settings import Setting
from bot.i18n import _, ngettext
from bot.scheduler import Job
from bot.text import MAX_ARGS_CHARS, clean_text, shorten
from bot.types import ButtonRows

#: The largest whole number a database INTEGER column holds (PostgreSQL's; SQLite's is larger).
MAX_INT = 2_147_483_647

COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
ACTION_NAME = re.compile(r"^[a-z0-9_]{1,24}$")
JOB_KIND_NAME = re.compile(r"^[a-z0-9_-]{1,24}$")
MAX_SUMMARY = 100

Handler = Callable[[Context], Awaitable[Any]]
#: A further condition on who may use a command here (a group setting, say): a kind refusal, or None.
Guard = Callable[[Context], Awaitable[str | None]]
#: Renders a live message for the id part of its key ("12" of "vote:12"); None if it is gone.
Renderer = Callable[[AsyncSession, str, datetime], Awaitable[tuple[str, ButtonRows] | None]]
ListenerHandler = Callable[[Unit, Any], Awaitable[Any]]
#: A feature's lines in something another feature shows ("meeting_reminder": the agenda; "minutes": the
#: items and decisions), given what it is about (bot.events.About).
SectionProvider = Callable[[AsyncSession, Any], Awaitable[list[str]]]


class Access(StrEnum):
    """Who may use a command or press a button."""

    ANYONE = "anyone"
    MEMBER = "member"
    COCHAIR = "cochair"


class Where(StrEnum):
    """Where a command can be used."""

    GROUP = "group"
    PRIVATE = "private"
    BOTH = "both"


class ParamKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    WHEN = "when"  # a date and time, written the way people talk
    MEMBER = "member"  # a member of the group, by name or @handle
    CHOICE = "choice"
    FILE = "file"  # a document sent with the command (CommandCall.files); never typed


@dataclass(frozen=True, slots=True)
class Param:
    """One typed argument. The last parameter takes the rest of the line."""

    name: str
    kind: ParamKind
    summary: str
    required: bool = True
    choices: tuple[str, ...] = ()
    #: The longest this part may be, however it is typed (in one line or answering a question).
    max_chars: int | None = None
    #: When the part is missing, the likely answers as (button label, value), offered as buttons beside
    #: the question (the open votes, say), and the question to ask with them.
    offer: Callable[[Context], Awaitable[list[tuple[str, str]]]] | None = None
    question: str | None = None
    #: A number's largest value (what the database's integers hold), and what to say past it ("There is no
    #: vote {number}."): a refusal in plain words, never a database error.
    max_value: int = MAX_INT
    too_big: str | None = None

    def __post_init__(self) -> None:
        if not COMMAND_NAME.match(self.name):
            raise ValueError(f"parameter name {self.name!r} is not valid on every platform")
        if (self.kind is ParamKind.CHOICE) != bool(self.choices):
            raise ValueError(f"parameter {self.name!r}: choices go with kind CHOICE only")


@dataclass(frozen=True, slots=True)
class Command:
    """A command declared once.

    `needs_group`: the command works on a group's data, so the chat must be set up (or, in a
    private chat, the person must belong to a group).
    """

    name: str
    summary: str
    handler: Handler
    params: tuple[Param, ...] = ()
    access: Access = Access.MEMBER
    where: Where = Where.BOTH
    needs_group: bool = True
    examples: tuple[str, ...] = ()
    #: When set (like "|"), typed arguments are split on it instead of on spaces.
    separator: str | None = None
    #: Checked with `access` everywhere (the dispatcher and /help): see bot.permissions.
    guard: Guard | None = None
    #: How the guard reads in the README's "Who" column, like "if the group allows".
    guard_note: str | None = None
    #: Whether /help offers it to this person here (it may still be used): /join is not offered to members.
    offered: Callable[[Context], bool] | None = None

    @property
    def typed_params(self) -> tuple[Param, ...]:
        """The parameters typed on the line (a file comes with the command instead)."""
        return tuple(p for p in self.params if p.kind is not ParamKind.FILE)

    def usage(self) -> str:
        """The command's shape, e.g. `/cochair add|remove name`."""
        parts = [f"/{self.name}"]
        for index, param in enumerate(self.typed_params):
            word = "|".join(param.choices) if param.kind is ParamKind.CHOICE else param.name
            if self.separator and index:
                parts.append(self.separator)
            parts.append(word if param.required else f"[{word}]")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Action:
    """A named button action. Payloads carry ids only; the handler re-checks everything."""

    name: str
    handler: Handler
    access: Access = Access.MEMBER
    needs_group: bool = True
    #: Optional: applies many presses at once when they queue up (see bot.batching).
    batch: BatchHandler | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question the bot asked someone: their next message in that chat goes to `handler`."""

    name: str
    handler: Handler


@dataclass(frozen=True, slots=True)
class Listener:
    """Run `handler(unit, event)` whenever an event of type `event` happens (see bot.events).

    With `many`, the handler is called once with the list of every such event raised together (a batch
    of ballots), so it can write them with one statement."""

    event: type
    handler: ListenerHandler
    many: bool = False


@dataclass(frozen=True, slots=True)
class JobKind:
    """A kind of scheduled work. `all` lists every pending job from the database (at start-up, and as
    a safety net); `one` lists the jobs of one item when it changes. Job ids are "name:item:step"."""

    name: str
    all: Callable[[AsyncSession, datetime], Awaitable[list[Job]]]
    one: Callable[[AsyncSession, str, datetime], Awaitable[list[Job]]]


@dataclass(frozen=True, slots=True)
class Hideable:
    """A kind of anonymous post a co-chair may hide when it breaks the group's rules (`/hide item 12`).

    `hide(unit, number, group_id)` marks the record hidden and returns the key of its posts (which then read
    "(hidden by a co-chair)"), or None if the group has no such anonymous post. One mechanism for every
    feature: the core's /hide finds the kind here, edits the posts and logs the hiding."""

    kind: str  # the word typed after /hide: "item", "view"
    summary: str  # "an anonymous agenda item"
    hide: Callable[[Unit, int, int], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class PersonalData:
    """How a feature's records about one person are exported (for /mydata) and erased (for /forgetme).

    `tables` names every table of the feature that holds a person's id; a test checks that every such
    table in the schema is covered by some feature's declaration or the core's."""

    tables: tuple[str, ...]
    export: Callable[[AsyncSession, int], Awaitable[dict[str, Any]]]
    erase: Callable[[AsyncSession, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Feature:
    """Everything one feature declares (its package's `FEATURE`)."""

    name: str
    commands: tuple[Command, ...] = ()
    actions: tuple[Action, ...] = ()
    settings: tuple[Setting, ...] = ()
    #: Choices each person makes for themselves (shown by /mysettings), stored per person.
    my_settings: tuple[Setting, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    #: Renders messages kept up to date under a key prefix, like "vote" for "vote:12" (see bot.live).
    renderers: tuple[tuple[str, Renderer], ...] = ()
    #: Its kinds of scheduled work (see bot.scheduler).
    jobs: tuple[JobKind, ...] = ()
    #: The events it listens to (see bot.events).
    listeners: tuple[Listener, ...] = ()
    #: Its lines in what other features show, by section name (see `Unit.section`).
    sections: tuple[tuple[str, SectionProvider], ...] = ()
    #: Its kinds of anonymous post a co-chair may hide.
    hideables: tuple[Hideable, ...] = ()
    #: Messages answering the bot's posts under a key prefix (a reply to a discussion paper, or a message
    #: in its thread) go to the handler, with `ctx.replied_key` set ("paper:3").
    replies: tuple[tuple[str, Handler], ...] = ()
    personal_data: PersonalData | None = None


@dataclass
class Registry:
    """All commands, actions and settings of the running bot."""

    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    settings: dict[str, Setting] = field(default_factory=dict)
    my_settings: dict[str, Setting] = field(default_factory=dict)
    prompts: dict[str, Prompt] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    job_kinds: dict[str, JobKind] = field(default_factory=dict)
    listeners: dict[type, list[Listener]] = field(default_factory=dict)
    sections: dict[str, list[SectionProvider]] = field(default_factory=dict)
    hideables: dict[str, Hideable] = field(default_factory=dict)
    replies: dict[str, Handler] = field(default_factory=dict)
    personal_data: dict[str, PersonalData] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)

    @classmethod
    def from_features(cls, features: Iterable[Feature]) -> Registry:
        registry = cls()
        for feature in features:
            if feature.name in registry.features:
                raise ValueError(f"feature {feature.name!r} is listed twice")
            registry.features.append(feature.name)
            for command in feature.commands:
                registry.add_command(command)
            for action in feature.actions:
                registry.add_action(action)
            for setting in feature.settings:
                registry.add_setting(setting)
            for setting in feature.my_settings:
                if setting.key in registry.my_settings:
                    raise ValueError(f"personal setting {setting.key!r} is declared twice")
                registry.my_settings[setting.key] = setting
            for prompt in feature.prompts:
                if prompt.name in registry.prompts:
                    raise ValueError(f"prompt {prompt.name!r} is declared twice")
                registry.prompts[prompt.name] = prompt
            for prefix, renderer in feature.renderers:
                if prefix in registry.renderers:
                    raise ValueError(f"renderer {prefix!r} is declared twice")
                registry.renderers[prefix] = renderer
            for kind in feature.jobs:
                if not JOB_KIND_NAME.match(kind.name) or kind.name in registry.job_kinds:
                    raise ValueError(f"job kind {kind.name!r} is not valid or declared twice")
                registry.job_kinds[kind.name] = kind
            for listener in feature.listeners:
                registry.listeners.setdefault(listener.event, []).append(listener)
            for name, provider in feature.sections:
                registry.sections.setdefault(name, []).append(provider)
            for prefix, handler in feature.replies:
                if prefix in registry.replies:
                    raise ValueError(f"replies to {prefix!r} are declared twice")
                registry.replies[prefix] = handler
            for hideable in feature.hideables:
                if hideable.kind in registry.hideables:
                    raise ValueError(f"hideable {hideable.kind!r} is declared twice")
                registry.hideables[hideable.kind] = hideable
            if feature.personal_data is not None:
                registry.personal_data[feature.name] = feature.personal_data
        return registry

    def add_command(self, command: Command) -> None:
        if not COMMAND_NAME.match(command.name):
            raise ValueError(f"command name {command.name!r} is not valid on Telegram and Discord")
        if not 0 < len(command.summary) <= MAX_SUMMARY:
            raise ValueError(f"/{command.name}: the summary must be 1 to {MAX_SUMMARY} characters")
        if command.name in self.commands:
            raise ValueError(f"/{command.name} is declared twice")
        self.commands[command.name] = command

    def add_action(self, action: Action) -> None:
        if not ACTION_NAME.match(action.name):
            raise ValueError(f"action name {action.name!r} is not valid")
        if action.name in self.actions:
            raise ValueError(f"action {action.name!r} is declared twice")
        self.actions[action.name] = action

    def add_setting(self, setting: Setting) -> None:
        if setting.key in self.settings:
            raise ValueError(f"setting {setting.key!r} is declared twice")
        self.settings[setting.key] = setting

    def suggest(self, name: str, limit: int = 2) -> list[str]:
        """Command names close to a mistyped one, best first."""
        if not name:
            return []
        matches = process.extract(name.lower(), list(self.commands), limit=limit, score_cutoff=60)
        if not matches:
            return []
        best = matches[0][1]
        # A clearly better match is offered alone ("/member": /members, not also /movemeeting).
        return [match for match, score, _index in matches if score >= best - 10]


def parse_args(command: Command, raw: str) -> dict[str, Any]:
    """Split argument text into the command's typed parameters.

    The last parameter takes the rest of the line; earlier ones take one word each. Members and
    dates stay as text here: the handler resolves them with the group's roster and time zone.
    Raises UserError (with the usage) when the text does not fit.
    """
    text = clean_text(raw, keep_lines=True)
    params = command.typed_params
    if command.separator is not None:
        # A part with a limit of its own says so by name, however long the whole line is.
        for param, piece in zip(params, text.split(command.separator), strict=False):
            check_length(param, piece.strip())
    if len(text) > MAX_ARGS_CHARS:
        raise UserError(
            ngettext(
                "That is too long for me. Please keep it under {limit} character.",
                "That is too long for me. Please keep it under {limit} characters.",
                MAX_ARGS_CHARS,
            ).format(limit=MAX_ARGS_CHARS)
        )
    values: dict[str, Any] = {p.name: None for p in command.params if p.kind is ParamKind.FILE}
    if command.separator is not None:
        pieces = [piece.strip() for piece in text.split(command.separator)]
        if len(pieces) > len(params):
            raise UserError(_("That has too many parts. {usage}").format(usage=usage_line(command)))
        padded = pieces + [""] * len(params)
        for index, (param, piece) in enumerate(zip(params, padded, strict=False)):
            if not piece:
                if param.required:
                    typed_so_far = not any(padded[index:])
                    given = f" {command.separator} ".join(pieces[:index]) if typed_so_far else None
                    raise MissingArgument(command, param, given)
                values[param.name] = None
            else:
                values[param.name] = _convert(command, param, piece)
        return values
    rest = text
    for index, param in enumerate(params):
        last = index == len(params) - 1
        if last:
            word, rest = rest.strip(), ""
        else:
            parts = rest.split(maxsplit=1)
            word, rest = (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")
        if not word:
            if param.required:
                raise MissingArgument(command, param, text.strip())
            values[param.name] = None
            continue
        check_length(param, word)
        values[param.name] = _convert(command, param, word)
    return values


def check_length(param: Param, text: str) -> None:
    """One limit per part, the same however it is typed; the message says which part."""
    if param.max_chars is not None and len(text) > param.max_chars:
        raise UserError(too_long(param.summary, param.max_chars))


def too_long(part: str, limit: int) -> str:
    """'That is too long for the question: please keep it under 300 characters.'"""
    return ngettext(
        "That is too long for {part}: please keep it under {limit} character.",
        "That is too long for {part}: please keep it under {limit} characters.",
        limit,
    ).format(part=part.rstrip(".").lower(), limit=limit)


def parse_ids(payload: str, count: int) -> list[int] | None:
    """A button payload of `count` whole numbers ("12.3"), or None if it is forged or stale: ASCII digits only
    (str.isdigit() also accepts other scripts' digits, which we never send) and ids the database can hold."""
    parts = payload.split(".")
    if len(parts) != count or not all(p.isascii() and p.isdigit() and len(p) < 12 for p in parts):
        return None
    found = [int(p) for p in parts]
    return found if all(n <= MAX_INT for n in found) else None


def _convert(command: Command, param: Param, word: str) -> Any:
    if param.kind is ParamKind.NUMBER:
        # ASCII digits only: int() would also take "٣", "１" and "1_000", which nobody means as a number here.
        if not (word.isascii() and word.isdigit()):
            raise UserError(
                _("“{word}” is not a whole number. {usage}").format(word=shorten(word), usage=usage_line(command))
            )
        number = int(word)
        if number > param.max_value:
            # The number is echoed shortened: a refusal stays short however many digits were typed.
            raise UserError(
                (param.too_big or _("{number} is a bigger number than I can use.")).format(number=shorten(word, 24))
            )
        return number
    if param.kind is ParamKind.CHOICE:
        lowered = word.casefold()
        for choice in param.choices:
            if choice.casefold() == lowered:
                return choice
        raise UserError(
            _("Please choose one of: {choices}. {usage}").format(
                choices=", ".join(param.choices), usage=usage_line(command)
            )
        )
    return word


class NeedArgument(Exception):
    """Raised by a handler when an optional part turns out to be needed after all (/cochair add, with no
    name): the dispatcher asks for it, and the answer carries on the same command with what was given."""

    def __init__(self, param: str) -> None:
        super().__init__(param)
        self.param = param


class MissingArgument(UserError):
    """A required argument was not typed. `given` is what was typed before it (None if a later part
    was typed, so the person cannot simply be asked for this one)."""

    def __init__(self, command: Command, param: Param, given: str | None) -> None:
        super().__init__(_missing(command, param))
        self.command = command
        self.param = param
        self.given = given

    def question(self, *, offered: bool = False) -> str:
        """Ask for the missing argument, to be answered by the person's next message (or, `offered`, by
        one of the buttons beside the question)."""
        if offered and self.param.question is not None:
            return self.param.question
        if self.param.kind is ParamKind.CHOICE:
            return _("Please type {choices}. (Type /cancel to stop.)").format(choices=_or(self.param.choices))
        return _("Please type {what}. (Type /cancel to stop.)").format(what=self.param.summary.rstrip(".").lower())


def _missing(command: Command, param: Param) -> str:
    if param.kind is ParamKind.CHOICE:
        return _("Please choose {choices}. {usage}").format(choices=_or(param.choices), usage=usage_line(command))
    return _("Please add {what}. {usage}").format(what=param.summary.rstrip(".").lower(), usage=usage_line(command))


def _or(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def usage_line(command: Command) -> str:
    """'Type it like this: /cochair add Sam.' (an example when the command declares one)."""
    if command.examples:
        return _("For example: {example}").format(example=command.examples[0])
    return _("Type it like this: {usage}").format(usage=command.usage())
