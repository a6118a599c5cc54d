"""Discussion papers: a co-chair (or any member, if the group allows) adds a paper with when to post it and
how long views stay open; the scheduler posts it, reminds members who haven't given a view by name a day
before views close, and posts a summary when they close. Views come as replies to the post (or messages in
its thread), or privately to the bot, with or without a name."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot import plain
from bot.context import Context, Unit, channel_chat
from bot.dates import format_when
from bot.errors import UserError
from bot.events import TookPart
from bot.registry import MAX_INT
from bot.scheduler import LATE_NOTE_AFTER, Job, JobContext
from bot.text import clean_text, named_or_not
from bot.types import Attachment, Button, ButtonRows, ChatKind, Reply, UserRef
from bot.when import parse_when
from commands.papers import wording
from storage import groups, people
from storage import papers as store
from storage.groups import Group, Membership
from storage.papers import Paper, PaperStatus, View

log = logging.getLogger("touchstone.papers")

PAPER_JOBS = "paper"
VIEW_PROMPT = "paper_view"
NAMED_PROMPT = "paper_view_named"
MAX_VIEW = 2000
#: Every platform can post a document this large (Discord's limit for bots is the smallest).
MAX_FILE = 10 * 1024 * 1024
DEFAULT_OPEN = timedelta(days=7)
SHORTEST_OPEN = timedelta(hours=1)
REMIND_BEFORE = timedelta(days=1)
#: A summary's message stays under Discord's 2,000 characters.
PAGE_CHARS = 1800
PAPER_REMINDERS = "paper_reminders"


def paper_key(paper_id: int) -> str:
    return f"paper:{paper_id}"


def view_key(view_id: int) -> str:
    return f"view:{view_id}"


def one_id(payload: str) -> int:
    if not (payload.isascii() and payload.isdigit()) or len(payload) > 10 or int(payload) > MAX_INT:
        raise UserError(wording.STALE_BUTTON)
    return int(payload)


async def find_paper(ctx: Context, paper_id: int) -> Paper:
    """A paper of this person's group (or of any group they belong to, from a private chat or a thread)."""
    paper = await store.get_paper(ctx.session, paper_id)
    if paper is None or paper.status is PaperStatus.CANCELLED:
        raise UserError(wording.no_such_paper(paper_id))
    if ctx.group is not None and ctx.chat.kind is ChatKind.GROUP and ctx.group.id != paper.group_id:
        raise UserError(wording.no_such_paper(paper_id))
    if ctx.membership is not None and ctx.group is not None and ctx.group.id == paper.group_id:
        membership: Membership | None = ctx.membership
    else:
        membership = await groups.find_membership(ctx.session, paper.group_id, ctx.me.id)
    if membership is None or not membership.active:
        raise UserError(wording.no_such_paper(paper_id))
    ctx.membership = membership
    if ctx.group is None or ctx.group.id != paper.group_id:
        ctx.use_group(await ctx.session.get(Group, paper.group_id))
    return paper


async def paper_guard(ctx: Context) -> str | None:
    if ctx.is_cochair or (ctx.group is not None and await ctx.setting("members_can_add_papers") == "yes"):
        return None
    return wording.COCHAIRS_ONLY_PAPERS


# ---- adding a paper --------------------------------------------------------------------------------------

_LINK = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_FOR = re.compile(r"^for\s+(\d{1,3})\s*(days?|weeks?|hours?)$")


def read_open(text: str, post_at: datetime, tz: str, now: datetime) -> datetime:
    """When views close: "for 7 days" (from posting), "until Friday 5pm", or a date."""
    typed = " ".join(text.casefold().split())
    if match := _FOR.match(typed):
        count, unit = int(match.group(1)), match.group(2)[0]
        units = {"d": "days", "w": "weeks", "h": "hours"}
        return post_at + timedelta(**{units[unit]: count})
    typed = typed.removeprefix("until ").removeprefix("till ").removeprefix("to ")
    try:
        return parse_when(typed, tz, now)
    except UserError as exc:
        if "passed" in exc.message:
            raise
        raise UserError(wording.cannot_read_open(text.strip()[:60])) from exc


async def paper_command(ctx: Context) -> Reply | list[Reply]:
    group = ctx.require_group()
    now, tz = ctx.now(), group.timezone
    title = clean_text(ctx.args["title"]).strip(" .")
    summary = clean_text(ctx.args["summary"], keep_lines=True).strip()
    given = clean_text(ctx.args.get("paper") or "", keep_lines=True).strip()
    files = ctx.event.files if ctx.event is not None and hasattr(ctx.event, "files") else ()
    document = files[0] if files else None
    body: str | None = None
    link: str | None = None
    if given:
        if _LINK.match(given) or given.casefold().startswith(("http:", "https:")):
            if not given.startswith("https://") or " " in given or "." not in given[8:]:
                raise UserError(wording.LINK_NOT_A_LINK)
            link = given
        else:
            body = given
    if body is None and link is None and document is None:
        raise UserError(wording.NEEDS_PAPER)
    if document is not None:
        if len(document.data) > MAX_FILE:
            raise UserError(wording.FILE_TOO_BIG)
        if not document.data:
            raise UserError(wording.EMPTY_FILE)
    post_typed = (ctx.args.get("post") or "").strip()
    post_at = now if not post_typed or post_typed.casefold() == "now" else parse_when(post_typed, tz, now)
    open_typed = (ctx.args.get("open") or "").strip()
    closes_at = read_open(open_typed, post_at, tz, now) if open_typed else post_at + DEFAULT_OPEN
    if closes_at <= post_at or closes_at - post_at < SHORTEST_OPEN:
        raise UserError(wording.close_before_post(ctx.when(post_at), ctx.when(closes_at)))
    paper = await store.add_paper(
        ctx.session,
        Paper(
            group_id=group.id,
            title=title[:200],
            summary=summary[:600],
            body=body,
            link=link,
            file_name=document.filename[:200] if document else None,
            file_mime=document.mime[:100] if document else None,
            file_data=document.data if document else None,
            post_at=post_at,
            closes_at=closes_at,
            created_by=ctx.me.id,
            created_at=now,
        ),
    )
    check = plain_check(paper)
    if post_at <= now:
        replies = await post_paper(ctx, paper, document)
        return [Reply(wording.posted_now(paper.id, ctx.when(closes_at)), private=True), check, *replies]
    ctx.reschedule(PAPER_JOBS, paper.id)
    return [Reply(wording.scheduled(paper.id, ctx.when(post_at), ctx.when(closes_at))), check]


def plain_check(paper: Paper) -> Reply:
    """The plain-language check a paper gets when it is added: for whoever added it, privately."""
    text = "\n".join(part for part in (paper.title + ".", paper.summary, paper.body or "") if part)
    lines = [wording.plain_heading(paper.id), *plain.check(text).lines()]
    if paper.file_name or paper.link:
        lines.append(wording.NOT_CHECKED)
    return Reply("\n".join(lines), private=True)


async def post_paper(unit: Unit, paper: Paper, document: Attachment | None = None) -> list[Reply]:
    """The paper in every chat of the group, with its document, the Add my view button and (Discord) a thread."""
    if not await store.claim(unit.session, paper.id, from_=PaperStatus.SCHEDULED, to=PaperStatus.OPEN):
        return []
    await unit.session.refresh(paper)
    unit.reschedule(PAPER_JOBS, paper.id)
    if document is None and paper.file_name:
        data = await store.file_of(unit.session, paper.id)
        document = Attachment(paper.file_name, data or b"", paper.file_mime or "application/octet-stream")
    rendered = await render_paper(unit.session, str(paper.id), unit.now())
    assert rendered is not None
    text, buttons = rendered
    thread = f"Views on paper {paper.id}: {paper.title}"[:100]
    post = Reply(text, buttons=buttons, key=paper_key(paper.id), files=(document,) if document else (), thread=thread)
    channels = await groups.group_channels(unit.session, paper.group_id)
    return [
        Reply(post.text, buttons=post.buttons, to=channel_chat(c), key=post.key, files=post.files, thread=post.thread)
        for c in channels
    ]


async def render_paper(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    if not (ident.isascii() and ident.isdigit()):
        return None
    paper = await store.get_paper(session, int(ident))
    if paper is None:
        return None
    if paper.status is PaperStatus.CLOSED:
        return wording.paper_closed_post(paper.id, paper.title), ()
    tz = await groups.group_timezone(session, paper.group_id)
    text = wording.paper_post(
        paper.id, paper.title, paper.summary, paper.body, paper.link, format_when(paper.closes_at, tz, now=now)
    )
    return text, Reply.rows([Button(wording.ADD_VIEW_BUTTON, "addview", str(paper.id))])


async def render_view(session: AsyncSession, ident: str, now: datetime) -> tuple[str, ButtonRows] | None:
    """A relayed anonymous view: hidden by a co-chair, it reads "(hidden by a co-chair)"."""
    if not (ident.isascii() and ident.isdigit()):
        return None
    view = await store.get_view(session, int(ident))
    if view is None:
        return None
    if view.hidden:
        return wording.HIDDEN, ()
    return wording.relayed_anonymous(view.paper_id, view.text), ()


# ---- views -------------------------------------------------------------------------------------------------


def require_open(ctx: Context, paper: Paper) -> None:
    if paper.status is PaperStatus.SCHEDULED or paper.post_at > ctx.now():
        raise UserError(wording.not_posted_yet(paper.id, ctx.when(paper.post_at)))
    if paper.status is not PaperStatus.OPEN or paper.closes_at <= ctx.now():
        raise UserError(wording.views_closed(paper.id, ctx.when(paper.closes_at)))


async def press_add_view(ctx: Context) -> Reply:
    paper = await find_paper(ctx, one_id(ctx.payload))
    require_open(ctx, paper)
    await ctx.ask(VIEW_PROMPT, {"paper": paper.id}, privately=True)
    return Reply(wording.ask_view(paper.id, paper.title), private=True)


async def view_command(ctx: Context) -> Reply:
    """/view 3 my words (privately): asks whether to share it with a name; without words, asks for them."""
    paper = await find_paper(ctx, ctx.args["paper"])
    require_open(ctx, paper)
    text = clean_text(ctx.args.get("view") or "", keep_lines=True).strip()
    if not text:
        await ctx.ask(VIEW_PROMPT, {"paper": paper.id}, privately=True)
        return Reply(wording.ask_view(paper.id, paper.title), private=True)
    return await ask_named(ctx, paper, text)


async def answer_view(ctx: Context) -> Reply:
    paper = await find_paper(ctx, int(ctx.prompt_data.get("paper", 0)))
    require_open(ctx, paper)
    text = ctx.text.strip()
    if not text:
        raise UserError(wording.EMPTY_VIEW, ask_again=(VIEW_PROMPT, {"paper": paper.id}))
    return await ask_named(ctx, paper, text)


async def ask_named(ctx: Context, paper: Paper, text: str) -> Reply:
    if len(text) > MAX_VIEW:
        raise UserError(wording.VIEW_TOO_LONG, ask_again=(VIEW_PROMPT, {"paper": paper.id}))
    # The words wait in the question only until the person chooses; then only the view keeps them.
    await ctx.ask(NAMED_PROMPT, {"paper": paper.id, "text": text}, privately=ctx.chat.is_private, typed=False)
    buttons = Reply.rows(
        [Button(wording.WITH_MY_NAME, "viewas", "named"), Button(wording.WITHOUT_MY_NAME, "viewas", "anon")]
    )
    return Reply(wording.named_or_not(paper.id), buttons=buttons, private=True)


async def answer_named(ctx: Context) -> list[Reply] | None:
    """ "With my name" or "without" typed instead of pressed; other words leave the buttons waiting."""
    data = dict(ctx.prompt_data)
    choice = named_or_not(ctx.text)
    if choice is None or "text" not in data:
        await ctx.ask(NAMED_PROMPT, data, privately=ctx.chat.is_private, typed=False)
        return None
    paper = await find_paper(ctx, int(data.get("paper", 0)))
    require_open(ctx, paper)
    return await keep_view(ctx, paper, str(data["text"]), anonymous=choice == "anon")


async def press_view_as(ctx: Context) -> list[Reply]:
    if ctx.payload not in ("named", "anon"):
        raise UserError(wording.STALE_BUTTON)
    data = await ctx.take_question(NAMED_PROMPT)
    if data is None or "text" not in data:
        raise UserError(wording.ALREADY_ANSWERED)
    paper = await find_paper(ctx, int(data.get("paper", 0)))
    require_open(ctx, paper)
    return await keep_view(ctx, paper, str(data["text"]), anonymous=ctx.payload == "anon")


async def keep_view(ctx: Context, paper: Paper, text: str, *, anonymous: bool) -> list[Reply]:
    view = await store.add_view(
        ctx.session,
        View(
            paper_id=paper.id,
            person_id=None if anonymous else ctx.me.id,
            anonymous=anonymous,
            text=clean_text(text, keep_lines=True),
            at=ctx.now(),
        ),
    )
    channels = await groups.group_channels(ctx.session, paper.group_id)
    if anonymous:
        relayed = wording.relayed_anonymous(paper.id, view.text)
        posts = [Reply(relayed, to=channel_chat(c), key=view_key(view.id)) for c in channels]
        return [Reply(wording.VIEW_KEPT_ANONYMOUS, private=True), *posts]
    ctx.emit(TookPart(paper.group_id, ctx.me.id, "view", paper_key(paper.id), ctx.now()))
    relayed = wording.relayed_named(paper.id, ctx.me.display_name, view.text)
    posts = [Reply(relayed, to=channel_chat(c)) for c in channels]
    return [Reply(wording.VIEW_KEPT_NAMED, private=True), *posts]


async def on_reply(ctx: Context) -> Reply | None:
    """A reply to the paper's post, or a message in its thread: a named view. A message whose words the bot
    may not read (Discord without the message-content intent) counts as taking part, not as a view."""
    assert ctx.replied_key is not None
    ident = ctx.replied_key.partition(":")[2]
    if not (ident.isascii() and ident.isdigit()):
        return None
    paper = await find_paper(ctx, int(ident))
    text = ctx.text.strip()
    if not text:
        ctx.emit(TookPart(paper.group_id, ctx.me.id, "thread_message", paper_key(paper.id), ctx.now()))
        return None
    if paper.status is not PaperStatus.OPEN or paper.closes_at <= ctx.now():
        return Reply(wording.views_closed(paper.id, ctx.when(paper.closes_at)), private=True)
    if len(text) > MAX_VIEW:
        raise UserError(wording.VIEW_TOO_LONG)
    await store.add_view(
        ctx.session, View(paper_id=paper.id, person_id=ctx.me.id, anonymous=False, text=text, at=ctx.now())
    )
    ctx.emit(TookPart(paper.group_id, ctx.me.id, "view", paper_key(paper.id), ctx.now()))
    return None  # the reply is there for everyone to see: nothing more to say


async def hide_view(unit: Unit, ident: int, group_id: int) -> str | None:
    view = await store.get_view(unit.session, ident)
    if view is None or not view.anonymous:
        return None
    paper = await store.get_paper(unit.session, view.paper_id)
    if paper is None or paper.group_id != group_id:
        return None
    view.hidden = True
    return view_key(view.id)


# ---- listing -----------------------------------------------------------------------------------------------


async def papers_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    found = await store.of_group(ctx.session, group.id, ctx.now() - timedelta(days=30))
    if not found:
        return Reply(wording.NO_PAPERS, private=True)
    lines = [wording.PAPERS_HEADING]
    rows: list[list[Button]] = []
    for paper in found[:10]:
        views = await store.count_views(ctx.session, paper.id)
        if paper.status is PaperStatus.SCHEDULED:
            status = wording.status_scheduled(ctx.when(paper.post_at))
        elif paper.status is PaperStatus.OPEN:
            status = wording.status_open(ctx.when(paper.closes_at), views)
            if len(rows) < 4:
                rows.append([Button(wording.add_view_to(paper.id), "addview", str(paper.id))])
        else:
            status = wording.status_closed(ctx.when(paper.closes_at), views)
        lines.append(wording.paper_line(paper.id, paper.title, status))
    return Reply("\n".join(lines), buttons=Reply.rows(*rows), private=True)


# ---- scheduled work: posting, the reminder, closing ---------------------------------------------------------


def jobs_of(paper: Paper) -> list[Job]:
    jobs = []
    if paper.status is PaperStatus.SCHEDULED:
        jobs.append(Job(f"{PAPER_JOBS}:{paper.id}:post", paper.post_at, partial(post_job, paper.id)))
    if paper.status in (PaperStatus.SCHEDULED, PaperStatus.OPEN):
        remind_at = paper.closes_at - REMIND_BEFORE
        if not paper.reminded and remind_at > paper.post_at:
            jobs.append(Job(f"{PAPER_JOBS}:{paper.id}:remind", remind_at, partial(remind_job, paper.id)))
        jobs.append(Job(f"{PAPER_JOBS}:{paper.id}:close", paper.closes_at, partial(close_job, paper.id)))
    return jobs


async def all_paper_jobs(session: AsyncSession, now: datetime) -> list[Job]:
    return [job for paper in await store.pending(session) for job in jobs_of(paper)]


async def one_paper_jobs(session: AsyncSession, ident: str, now: datetime) -> list[Job]:
    if not (ident.isascii() and ident.isdigit()):
        return []
    return [job for paper in await store.pending(session, paper_id=int(ident)) for job in jobs_of(paper)]


async def post_job(paper_id: int, job: JobContext) -> None:
    paper = await store.get_paper(job.session, paper_id)
    if paper is None or paper.post_at > job.now():
        return
    if paper.closes_at <= job.now():
        log.warning("discussion paper %s was never posted: its views closed while the bot was offline", paper_id)
        await store.claim(job.session, paper.id, from_=PaperStatus.SCHEDULED, to=PaperStatus.CLOSED)
        return
    for reply in await post_paper(job, paper):
        assert reply.to is not None
        job.send(reply, reply.to)


async def remind_job(paper_id: int, job: JobContext) -> None:
    paper = await store.get_paper(job.session, paper_id)
    if paper is None or not await store.claim_reminder(job.session, paper_id):
        return
    if paper.closes_at <= job.now():
        log.warning("missed the reminder for discussion paper %s: its views closed while the bot was offline", paper_id)
        return
    tz = await groups.group_timezone(job.session, paper.group_id)
    heard = await store.named_viewers(job.session, paper.id)
    members = [m for m in await groups.roster(job.session, paper.group_id) if m.person_id not in heard]
    opted_out = await people.people_with_setting(job.session, [m.person_id for m in members], PAPER_REMINDERS)
    wanted = [m for m in members if opted_out.get(m.person_id) != "no"]
    accounts = await people.accounts_of(job.session, [m.person_id for m in wanted])
    channels = {c.platform: channel_chat(c) for c in reversed(await groups.group_channels(job.session, paper.group_id))}
    close = format_when(paper.closes_at, tz, now=job.now())
    late = job.late_by > LATE_NOTE_AFTER
    for member in wanted:
        for account in accounts.get(member.person_id, [])[:1]:
            text = wording.reminder(member.name, paper.id, paper.title, close)
            if late:
                text += " " + "(This reminder is late: I was offline for a while. Sorry.)"
            user = UserRef(account.platform, account.user_id, account.display_name)  # type: ignore[arg-type]
            buttons = Reply.rows([Button(wording.ADD_VIEW_BUTTON, "addview", str(paper.id))])
            # Discreet: the group's hint never says who is being reminded about what.
            job.send(Reply(text, buttons=buttons, hint_in=channels.get(account.platform), discreet=True), user)


async def close_job(paper_id: int, job: JobContext) -> None:
    paper = await store.get_paper(job.session, paper_id)
    if paper is None or paper.closes_at > job.now():
        return
    if not await store.claim(job.session, paper.id, from_=PaperStatus.OPEN, to=PaperStatus.CLOSED):
        return
    job.reschedule(PAPER_JOBS, paper.id)
    job.refresh(paper_key(paper.id))
    views = [v for v in await store.views_of(job.session, paper.id) if not v.hidden]
    named = await store.named_viewers(job.session, paper.id)
    anonymous = sum(1 for v in views if v.anonymous)
    names = {m.person_id: m.name for m in await groups.roster(job.session, paper.group_id)}
    heading = wording.summary_heading(paper.id, paper.title, len(views), len(named), anonymous)
    lines = [
        wording.summary_view(None if v.anonymous else names.get(v.person_id or 0, "A former member"), v.text)
        for v in views
    ]
    tail = wording.not_heard(len([pid for pid in names if pid not in named]), anonymous)
    pages: list[list[str]] = [[heading]]
    for line in [*lines, tail]:
        if sum(len(x) + 1 for x in pages[-1]) + len(line) > PAGE_CHARS:
            pages.append([])
        pages[-1].append(line[: PAGE_CHARS - 20])
    for channel in await groups.group_channels(job.session, paper.group_id):
        for page in pages:
            job.send(Reply("\n".join(page)), channel_chat(channel))


# ---- settings --------------------------------------------------------------------------------------------
