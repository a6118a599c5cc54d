"""Linking: /linkchat makes a chat on another platform a second channel of a group; /linkme makes two accounts one
person; /unlink undoes either. Codes are one-time, random (secrets), kept only as a hash, valid 10 minutes, and
wrong tries are limited per person."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from sqlalchemy import select

from bot.context import Context, channel_chat
from bot.errors import UserError
from bot.types import Reply
from commands.linking import wording
from storage import groups
from storage import linking as store
from storage.groups import Channel, Group
from storage.linking import LinkCode, LinkFailure
from storage.people import Account, Person

log = logging.getLogger("touchstone.linking")

CODE_FOR = timedelta(minutes=10)
#: Wrong codes a person may try in an hour.
MOST_FAILURES = 5


def new_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def typed_code(ctx: Context) -> str | None:
    typed = "".join((ctx.args.get("code") or "").split()).replace("-", "")
    return typed or None


async def check_code(ctx: Context, code: str, kind: str) -> LinkCode | None:
    """The code's row if it is good for `kind`; None (and the try counted) if it is not."""
    now = ctx.now()
    if await store.failures_since(ctx.session, ctx.me.id, now - timedelta(hours=1)) >= MOST_FAILURES:
        raise UserError(wording.TOO_MANY)
    found = await store.find_code(ctx.session, code) if code.isdigit() and len(code) == 8 else None
    if found is None or found.used_at is not None or found.expires_at <= now:
        # Counted in this transaction, which commits: the refusal is a reply, not an error that undoes it.
        ctx.session.add(LinkFailure(person_id=ctx.me.id, at=now))
        return None
    if found.kind != kind:
        raise UserError(wording.PERSON_CODE_HERE if found.kind == "person" else wording.CHAT_CODE_PRIVATELY)
    return found


async def linkchat_command(ctx: Context) -> list[Reply]:
    if ctx.chat.is_private:
        raise UserError(wording.NOT_HERE_CHAT)
    code = typed_code(ctx)
    if code is None:
        group = ctx.group
        if group is None:
            raise UserError(wording.NEED_GROUP)
        ctx.require_cochair()
        made = new_code()
        ctx.session.add(
            LinkCode(
                kind="chat",
                code_hash=store.hashed(made),
                group_id=group.id,
                person_id=ctx.me.id,
                platform=ctx.chat.platform,
                expires_at=ctx.now() + CODE_FOR,
            )
        )
        return [Reply(wording.chat_code(made, group.name), private=True)]
    if ctx.group is not None:
        raise UserError(wording.already_in(ctx.group.name))
    if ctx.port is None or not await ctx.port.is_chat_admin(ctx.chat, ctx.actor):
        raise UserError(wording.CHAT_ADMINS_ONLY)
    found = await check_code(ctx, code, "chat")
    group = await ctx.session.get(Group, found.group_id) if found is not None else None
    if found is None or group is None:
        return [Reply(wording.WRONG_CODE, private=True)]
    found.used_at = ctx.now()
    others = await groups.group_channels(ctx.session, group.id)
    ctx.session.add(
        Channel(
            group_id=group.id,
            platform=ctx.chat.platform,
            chat_id=ctx.chat.id,
            title=ctx.chat.title or "",
            created_at=ctx.now(),
        )
    )
    await groups.join_group(ctx.session, group_id=group.id, person_id=ctx.me.id, kind=None, now=ctx.now())
    log.info("a chat on %s was linked to group %s", ctx.chat.platform, group.id)
    there = wording.linked_there(ctx.chat.title, ctx.chat.platform)
    return [Reply(wording.linked_here(group.name)), *[Reply(there, to=channel_chat(c)) for c in others]]


async def linkme_command(ctx: Context) -> Reply:
    if not ctx.chat.is_private:
        raise UserError(wording.NOT_HERE_ME)
    code = typed_code(ctx)
    if code is None:
        made = new_code()
        ctx.session.add(
            LinkCode(
                kind="person",
                code_hash=store.hashed(made),
                person_id=ctx.me.id,
                platform=ctx.chat.platform,
                expires_at=ctx.now() + CODE_FOR,
            )
        )
        return Reply(wording.person_code(made))
    found = await check_code(ctx, code, "person")
    if found is None:
        return Reply(wording.WRONG_CODE)
    if found.person_id == ctx.me.id:
        raise UserError(wording.SAME_PERSON)
    found.used_at = ctx.now()
    keep = await ctx.session.get(Person, found.person_id)
    assert keep is not None
    merged = ctx.me.id
    await ctx.session.flush()
    dropped = await store.merge_people(ctx.session, keep=keep.id, merge=merged)
    ctx.session.expunge_all()  # rows moved under the ORM's feet: read afresh from here on
    ctx.memo.clear()  # cached facts (who may vote) named the merged person
    log.info("person %s was merged into person %s (%s)", merged, found.person_id, dropped)
    return Reply(wording.people_linked(keep.display_name, sum(dropped.values())))


async def unlink_command(ctx: Context) -> Reply:
    if not ctx.chat.is_private:
        group = ctx.require_group()
        ctx.require_cochair()
        channels = await groups.group_channels(ctx.session, group.id)
        if len(channels) <= 1 or ctx.channel is None:
            raise UserError(wording.ONLY_CHAT)
        await ctx.session.delete(ctx.channel)
        return Reply(wording.unlinked_chat(group.name))
    accounts = list((await ctx.session.execute(select(Account).where(Account.person_id == ctx.me.id))).scalars())
    if len(accounts) <= 1:
        raise UserError(wording.ONE_ACCOUNT)
    mine = next(a for a in accounts if a.platform == ctx.actor.platform and a.user_id == ctx.actor.id)
    alone = Person(display_name=ctx.actor.display_name, created_at=ctx.now())
    ctx.session.add(alone)
    await ctx.session.flush()
    mine.person_id = alone.id
    for membership, group in await groups.active_memberships_of(ctx.session, ctx.me.id):
        await groups.join_group(ctx.session, group_id=group.id, person_id=alone.id, kind=membership.kind, now=ctx.now())
    ctx.memo.clear()
    return Reply(wording.UNLINKED_ME)


def parse_platform(text: str) -> str:
    answer = " ".join(text.casefold().split())
    if answer in ("telegram", "discord"):
        return answer
    if answer in ("last", "where i last wrote to you", "either", "any"):
        return "last"
    raise UserError(wording.PICK_PLATFORM)
