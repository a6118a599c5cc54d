"""Whatever anyone types or presses, as a co-chair, a member or a stranger, through every command and every
guided step that follows: never the apology, never a half-done change, and never a control character or an
invisible direction override stored. Hypothesis, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, func, select

from adapters.console import ConsoleAdapter
from bot.app import App, build_registry, create_app
from bot.clock import ManualClock
from bot.config import Settings
from storage.conversations import PendingInput
from storage.schema import metadata
from storage.voting import Ballot, Vote, VoteOption, VoteStatus, VoteVoter
from tests.conftest import POSTGRES_URL, _empty_postgres
from tests.test_bad_input import arguments, assert_plain_answer, awkward_text, unsafe_characters

REGISTRY = build_registry()
GROUP_TITLE = "Riverside Lay Partners"
PEOPLE = {"co-chair": "Alice", "member": "Bob", "stranger": "Mallory"}

#: One conversation: a command with any arguments, then up to two steps (typed answers, or the first or last
#: button of the newest message the person can see pressed).
steps = st.lists(
    st.one_of(awkward_text, st.sampled_from(["press first", "press last", "yes", "no deadline", "1", "Tea, Coffee"])),
    max_size=2,
)
conversation = st.tuples(st.sampled_from(sorted(REGISTRY.commands)), arguments, steps, st.booleans())

PROPERTIES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _settings(url: str) -> Settings:
    return Settings(_env_file=None, database_url=url, telegram_token=None, discord_token=None)  # type: ignore[call-arg]


async def _set_up(app: App) -> None:
    chat = ConsoleAdapter(app.dispatcher, group_title=GROUP_TITLE)
    assert "Done!" in (await chat.say("Alice", f"/setup {GROUP_TITLE}")).text
    await chat.press("Alice", "Lay partner")
    await chat.press("Bob", "Lay partner")
    await chat.press("Carol", "Professional")
    await chat.say("Alice", "/vote Meet monthly? | yes/no")


@pytest.fixture(scope="module")
def sqlite_group(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("properties") / "group.db"
    shutil.copyfile(sqlite_template, path)

    async def build() -> None:
        app = await create_app(_settings(f"sqlite+aiosqlite:///{path}"), clock=ManualClock(), migrate=False)
        try:
            await _set_up(app)
        finally:
            await app.close()

    asyncio.run(build())
    return path


@contextlib.asynccontextmanager
async def fresh(backend: str, template: Path | None) -> AsyncIterator[tuple[App, ConsoleAdapter]]:
    """A running app on a group just set up (Alice co-chair, Bob and Carol members, one open vote)."""
    with tempfile.TemporaryDirectory() as directory:
        if backend == "sqlite":
            assert template is not None
            path = Path(directory) / "touchstone.db"
            shutil.copyfile(template, path)
            url = f"sqlite+aiosqlite:///{path}"
        else:
            await _empty_postgres(POSTGRES_URL)
            url = POSTGRES_URL
        app = await create_app(_settings(url), clock=ManualClock(), migrate=False)
        try:
            if backend != "sqlite":
                await _set_up(app)
            yield app, ConsoleAdapter(app.dispatcher, group_title=GROUP_TITLE)
        finally:
            await app.close()


async def stored_text(app: App) -> list[str]:
    """Every text value in every table (what people typed ends up in these)."""
    found: list[str] = []
    async with app.database.unit_of_work() as session:
        for table in metadata().sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in (await session.execute(select(*columns))).all():
                    found.extend(value for value in row if isinstance(value, str))
    return found


async def consistent(app: App) -> list[str]:
    """Things that would show a change done by halves."""
    problems = []
    async with app.database.unit_of_work() as session:
        posted = select(Vote).where(Vote.status.in_([VoteStatus.OPEN, VoteStatus.CLOSED]))
        started = (await session.execute(posted)).scalars()
        for vote in started:
            options = (await session.execute(select(func.count()).where(VoteOption.vote_id == vote.id))).scalar_one()
            voters = (await session.execute(select(func.count()).where(VoteVoter.vote_id == vote.id))).scalar_one()
            if options < 2 or voters < 1:
                problems.append(f"vote {vote.id} has {options} options and {voters} voters")
        if (await session.execute(select(func.count()).where(Ballot.choices == ""))).scalar_one():
            problems.append("a ballot without a choice")
        prompts = set((await session.execute(select(PendingInput.prompt))).scalars())
        unknown = prompts - set(REGISTRY.prompts) - {"continue_command"}
        if unknown:
            problems.append(f"questions nobody answers: {unknown}")
    return problems


async def play(chat: ConsoleAdapter, name: str, command: str, args: str, follow: list[str], private: bool) -> None:
    said = await chat.say(name, f"/{command} {args}", private=private)
    assert_plain_answer(said)
    for step in follow:
        if step.startswith("press "):
            seen = [m for m in said.seen if m.buttons]
            if not seen:
                continue
            buttons = [b for row in seen[-1].buttons for b in row]
            button = buttons[0] if step == "press first" else buttons[-1]
            said = await chat.press_data(name, button.action, button.payload, message=seen[-1])
        else:
            said = await chat.say(name, step, private=private)
        # A typed step may be ordinary chat (no answer at all); whatever is said is plain, never the apology.
        assert said.error_id is None, said.text
        for message in said.messages:
            assert unsafe_characters(message.text, allow_newlines=True) == []


@pytest.mark.parametrize("who", list(PEOPLE))
@PROPERTIES
@given(talk=conversation)
def test_any_conversation_gets_plain_answers_and_stores_nothing_hidden_or_half_done(
    backend: str, request: pytest.FixtureRequest, who: str, talk: tuple[str, str, list[str], bool]
) -> None:
    template = request.getfixturevalue("sqlite_group") if backend == "sqlite" else None
    if backend != "sqlite":
        request.getfixturevalue("postgres_migrated")
    command, args, follow, private = talk

    async def example() -> None:
        async with fresh(backend, template) as (app, chat):
            await play(chat, PEOPLE[who], command, args, follow, private)
            for text in await stored_text(app):
                assert unsafe_characters(text, allow_newlines=True) == [], repr(text)
            assert await consistent(app) == []

    asyncio.run(example())
