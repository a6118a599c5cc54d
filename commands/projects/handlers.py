"""Projects: /project adds one (title, lead, review date); /signoff asks lay partners to sign it off (through the
`SignOffWanted` event, answered by voting; `VoteClosed` tells the result back); at the review date the scheduler
asks "What did we learn?", collects views by reply or /learned, and posts an evaluation after a week."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Unit, channel_chat
from bot.dates import format_when
from bot.errors import UserError
from bot.events import SignOffWanted, VoteClosed
from bot.scheduler import Job, JobContext
from bot.text import clean_text
from bot.types import Reply
from bot.when import parse_when
from commands.projects import wording
from storage import groups
from storage import projects as store
from storage.projects import Lesson, Project, ProjectStatus

log = logging.getLogger("touchstone.projects")

PROJECT_JOBS = "project"
#: A sign-off vote stays open this long; views on what we learned, this long after the review date.
SIGN_OFF_FOR = timedelta(days=7)
LEARNING_FOR = timedelta(days=7)


def key(project_id: int) -> str:
    return f"{PROJECT_JOBS}:{project_id}"


async def find(ctx: Context, number: int | None) -> Project:
    group = ctx.require_group()
    project = await ctx.session.get(Project, number) if number is not None else None
    if project is None or project.group_id != group.id:
        raise UserError(wording.no_such(number or 0))
    return project


async def project_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    ctx.require_cochair()
    title = " ".join(clean_text(ctx.args.get("title") or "").split())
    if not title:
        raise UserError(wording.NO_TITLE)
    lead = ctx.args.get("lead")
    review_at = None
    typed = (ctx.args.get("review") or "").strip()
    if typed:
        review_at = parse_when(typed, ctx.timezone(), ctx.now())
        if review_at <= ctx.now():
            raise UserError(wording.review_passed(ctx.when(review_at)))
    project = Project(
        group_id=group.id,
        title=title[:200],
        lead_id=lead.person_id if lead else None,
        review_at=review_at,
        created_by=ctx.me.id,
        created_at=ctx.now(),
    )
    ctx.session.add(project)
    await ctx.session.flush()
    ctx.reschedule(PROJECT_JOBS, project.id)
    review = ctx.when(review_at) if review_at else None
    return Reply(wording.added(project.id, project.title, lead.name if lead else None, review))


def status_of(ctx: Context, project: Project) -> str:
    if project.status is ProjectStatus.COMPLETE and project.completed_at is not None:
        return wording.complete(ctx.when(project.completed_at))
    return wording.SIGNING if project.status is ProjectStatus.SIGNING else wording.ACTIVE


async def projects_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    found = await store.of_group(ctx.session, group.id)
    if not found:
        return Reply(wording.NONE_YET, private=True)
    lines = [
        wording.line(p.id, p.title, lead, status_of(ctx, p), ctx.when(p.review_at) if p.review_at else None)
        for p, lead in found
    ]
    return Reply("\n".join(lines), private=True)


async def signoff_command(ctx: Context) -> Reply:
    project = await find(ctx, ctx.args.get("project"))
    if not ctx.is_cochair and project.lead_id != ctx.me.id:
        raise UserError(wording.ONLY_LEAD)
    if project.status is not ProjectStatus.ACTIVE:
        raise UserError(wording.already(project.id, status_of(ctx, project)))
    project.status = ProjectStatus.SIGNING
    closes_at = ctx.now() + SIGN_OFF_FOR
    ctx.emit(
        SignOffWanted(
            project.group_id,
            ctx.me.id,
            key(project.id),
            wording.sign_off_question(project.id, project.title),
            closes_at,
            ctx.now(),
        )
    )
    return Reply(wording.sign_off_asked(project.id, ctx.when(closes_at)), private=True)


async def on_vote_closed(unit: Unit, event: VoteClosed) -> list[Reply]:
    """A sign-off vote closed: only a passed one marks the project complete."""
    kind, _sep, ident = (event.about or "").partition(":")
    if kind != PROJECT_JOBS or not ident.isdigit():
        return []
    project = await unit.session.get(Project, int(ident))
    if project is None or project.status is not ProjectStatus.SIGNING:
        return []
    if event.passed:
        project.status, project.completed_at = ProjectStatus.COMPLETE, event.at
        text = wording.signed_off(project.id, project.title)
    else:
        project.status = ProjectStatus.ACTIVE
        text = wording.not_signed_off(project.id, event.result)
    return [Reply(text, to=channel_chat(c)) for c in await groups.group_channels(unit.session, project.group_id)]


# ---- what did we learn? ------------------------------------------------------------------------------------


def jobs_of(project: Project) -> list[Job]:
    jobs = []
    if project.review_at is not None and not project.learning_asked:
        jobs.append(Job(f"{PROJECT_JOBS}:{project.id}:review", project.review_at, partial(review_job, project.id)))
    if project.learning_asked and not project.evaluated and project.learning_closes_at is not None:
        jobs.append(
            Job(f"{PROJECT_JOBS}:{project.id}:evaluate", project.learning_closes_at, partial(evaluate_job, project.id))
        )
    return jobs


async def all_jobs(session: AsyncSession, now: object) -> list[Job]:
    return [job for p in await store.with_work(session) for job in jobs_of(p)]


async def one_jobs(session: AsyncSession, ident: str, now: object) -> list[Job]:
    if not (ident.isascii() and ident.isdigit()):
        return []
    return [job for p in await store.with_work(session, int(ident)) for job in jobs_of(p)]


async def review_job(project_id: int, job: JobContext) -> None:
    closes_at = job.now() + LEARNING_FOR
    if not await store.claim(
        job.session, project_id, learning_asked=True, learning_closes_at=closes_at, where_learning_asked=False
    ):
        return
    project = await job.session.get(Project, project_id)
    group = await groups.get_group(job.session, project.group_id) if project else None
    if project is None or group is None:
        return
    job.reschedule(PROJECT_JOBS, project_id)
    until = format_when(closes_at, group.timezone, now=job.now())
    for channel in await groups.group_channels(job.session, project.group_id):
        job.send(
            Reply(wording.what_did_we_learn(project.id, project.title, until), key=key(project.id)),
            channel_chat(channel),
        )


async def evaluate_job(project_id: int, job: JobContext) -> None:
    if not await store.claim(job.session, project_id, evaluated=True, where_evaluated=False):
        return
    project = await job.session.get(Project, project_id)
    if project is None:
        return
    said = await store.lessons(job.session, project_id)
    people = len({lesson.person_id for lesson, _name in said})
    text = wording.evaluation(project.id, project.title, [wording.lesson_line(n, x.text) for x, n in said], people)
    for channel in await groups.group_channels(job.session, project.group_id):
        job.send(Reply(text), channel_chat(channel))


async def keep_lesson(ctx: Context, project: Project, text: str) -> Reply:
    if not project.learning_asked or project.evaluated:
        raise UserError(wording.not_asking(project.id))
    text = clean_text(text, keep_lines=True).strip()
    if not text:
        raise UserError(wording.EMPTY_LESSON)
    ctx.session.add(Lesson(project_id=project.id, person_id=ctx.me.id, text=text[:2000], at=ctx.now()))
    return Reply(wording.THANKS_LESSON, private=True)


async def learned_command(ctx: Context) -> Reply:
    project = await find(ctx, ctx.args.get("project"))
    return await keep_lesson(ctx, project, ctx.args.get("lesson") or "")


async def on_reply(ctx: Context) -> Reply | None:
    """A reply to "What did we learn?": kept as a lesson."""
    assert ctx.replied_key is not None
    ident = ctx.replied_key.partition(":")[2]
    project = await ctx.session.get(Project, int(ident)) if ident.isdigit() else None
    if project is None or not ctx.text.strip():
        return None
    return await keep_lesson(ctx, project, ctx.text)
