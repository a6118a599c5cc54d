"""A feature is one declaration: a test declares a small one here (a command, a button, a listener and
a scheduled job) and uses it through the terminal chat, with nothing changed in bot/ or adapters/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console import ConsoleAdapter
from bot.app import FEATURES, App, create_app
from bot.clock import ManualClock
from bot.config import Settings
from bot.context import Context, Unit
from bot.errors import UserError
from bot.events import Spoke, TookPart
from bot.registry import Access, Action, Command, Feature, JobKind, Listener, Param, ParamKind
from bot.scheduler import Job, JobContext
from bot.types import Button, ChatKind, ChatRef, Reply
from bot.when import parse_when
from storage import groups, participation


@dataclass
class Kudos:
    """A tiny feature, as a test would write one: thank a member, hear who speaks, nudge the group later.

    It keeps its own state in group settings (no new table), so it needs nothing the core does not
    already offer."""

    heard: list[int] = field(default_factory=list)

    async def kudos(self, ctx: Context) -> Reply:
        member = ctx.args["member"]
        return Reply(
            f"Thank you, {member.name}!",
            buttons=Reply.rows([Button("Say thanks too", "kudos_too", str(member.person_id))]),
        )

    async def press_too(self, ctx: Context) -> Reply:
        if not ctx.payload.isdigit():
            raise UserError("That button no longer works.")
        roster = {e.person_id: e.name for e in await groups.roster(ctx.session, ctx.require_group().id)}
        name = roster.get(int(ctx.payload))
        if name is None:
            raise UserError("That person has left the group.")
        ctx.emit(TookPart(ctx.require_group().id, ctx.me.id, "kudos", f"kudos:{ctx.payload}", ctx.now()))
        return Reply(f"{ctx.me.display_name} thanks {name} too.")

    async def on_spoke(self, unit: Unit, event: Spoke) -> None:
        self.heard.append(event.person_id)

    async def nudge_later(self, ctx: Context) -> Reply:
        group = ctx.require_group()
        when = parse_when(ctx.args["when"], ctx.timezone(), ctx.now())
        await groups.set_group_setting(ctx.session, group.id, "kudos_nudge", when.isoformat())
        ctx.reschedule("kudos", group.id)
        return Reply(f"I'll nudge the group on {ctx.when(when)}.")

    async def all_jobs(self, session: AsyncSession, now: datetime) -> list[Job]:
        return []  # this test only ever reschedules one group at a time

    async def one_job(self, session: AsyncSession, ident: str, now: datetime) -> list[Job]:
        stored = (await groups.group_settings(session, int(ident))).get("kudos_nudge")
        if stored is None:
            return []
        return [Job(f"kudos:{ident}:nudge", datetime.fromisoformat(stored), partial(self.nudge, int(ident)))]

    async def nudge(self, group_id: int, job: JobContext) -> None:
        if (await groups.group_settings(job.session, group_id)).get("kudos_nudge") is None:
            return  # done already: a job does its work once
        await groups.set_group_setting(job.session, group_id, "kudos_nudge", None)
        for channel in await groups.group_channels(job.session, group_id):
            where = ChatRef(channel.platform, channel.chat_id, ChatKind.GROUP)  # type: ignore[arg-type]
            job.send(Reply("Who would you like to thank this week?"), where)

    def feature(self) -> Feature:
        return Feature(
            name="kudos",
            commands=(
                Command(
                    "kudos",
                    "Thank a member",
                    self.kudos,
                    params=(Param("member", ParamKind.MEMBER, "The member's name"),),
                ),
                Command(
                    "nudge",
                    "Nudge the group later",
                    self.nudge_later,
                    params=(Param("when", ParamKind.WHEN, "When"),),
                    access=Access.COCHAIR,
                ),
            ),
            actions=(Action("kudos_too", self.press_too),),
            listeners=(Listener(Spoke, self.on_spoke),),
            jobs=(JobKind("kudos", all=self.all_jobs, one=self.one_job),),
        )


@pytest.fixture
def kudos() -> Kudos:
    return Kudos()


@pytest.fixture
async def app(settings: Settings, clock: ManualClock, kudos: Kudos) -> AsyncIterator[App]:
    application = await create_app(settings, clock=clock, migrate=False, features=(*FEATURES, kudos.feature()))
    yield application
    await application.close()


async def test_a_feature_declared_in_a_test_works_through_the_terminal_chat(
    group: ConsoleAdapter, app: App, kudos: Kudos, clock: ManualClock
) -> None:
    # A command with a member parameter, resolved by the dispatcher.
    said = await group.say("Alice", "/kudos Bob")
    assert said.text == "Thank you, Bob!"
    # A button, re-checked on the server, raising an event another feature (taking part) counts.
    pressed = await group.press("Carol", "Say thanks too")
    assert pressed.text == "Carol thanks Bob too."
    async with app.database.unit_of_work() as session:
        carol = next(e.person_id for e in await groups.roster(session, 1) if e.name == "Carol")
        assert await participation.counts_by_kind(session, 1, carol) == {"kudos": 1}
    # A listener hears someone speak.
    await group.say("Bob", "Morning all")
    assert len(kudos.heard) == 1
    # A scheduled job, placed when the command changes it and run once at its time.
    await app.scheduler.lead(paused=True)
    said = await group.say("Alice", "/nudge in 2 hours")
    assert said.text == "I'll nudge the group on Monday 2 November, 11am."
    assert list(app.scheduler.scheduled()) == ["kudos:1:nudge"]
    clock.advance(timedelta(hours=2))
    for job_id in list(app.scheduler.scheduled()):
        await app.scheduler.run_job(await _job(app, job_id))
        await app.scheduler.run_job(await _job(app, job_id))  # run twice: still once
    nudges = [m for m in group.group_messages() if m.text == "Who would you like to thank this week?"]
    assert len(nudges) == 1
    # /help lists the new commands to those who may use them, from the one permission check.
    assert "/kudos — Thank a member" in (await group.say("Bob", "/help")).text
    assert "/nudge" not in (await group.say("Bob", "/help")).text
    assert "/nudge — Nudge the group later" in (await group.say("Alice", "/help")).text


async def _job(app: App, job_id: str) -> Job:
    kind, ident, _step = job_id.split(":")
    async with app.database.unit_of_work() as session:
        jobs = await app.registry.job_kinds[kind].one(session, ident, app.clock.now())
    return jobs[0] if jobs else Job(job_id, app.clock.now(), _nothing)


async def _nothing(job: JobContext) -> None:
    pass
