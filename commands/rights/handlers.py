"""People's rights over their data: /mydata (a file of everything held about them, from every feature's export)
and /forgetme (after a confirmation, erased from every feature and the core)."""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.context import Context, channel_chat
from bot.errors import UserError
from bot.types import Attachment, Button, Reply
from commands.rights import wording
from storage import groups

log = logging.getLogger("touchstone.rights")


def count(value: Any) -> int:
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):
        return sum(count(v) for v in value.values())
    return 1 if value not in (None, "", 0) else 0


async def mydata_command(ctx: Context) -> Reply:
    if not ctx.chat.is_private:
        raise UserError(wording.PRIVATELY)
    held = {name: await data.export(ctx.session, ctx.me.id) for name, data in ctx.declared_personal_data.items()}
    counts = {key.replace("_", " "): count(value) for part in held.values() for key, value in part.items()}
    body = json.dumps(held, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    return Reply(wording.summary(counts), files=(Attachment("my-data.json", body, "application/json"),), private=True)


async def forgetme_command(ctx: Context) -> Reply:
    if not ctx.chat.is_private:
        raise UserError(wording.PRIVATELY)
    await check_cochairs(ctx)
    buttons = Reply.rows([Button(wording.YES_FORGET, "forget", "yes"), Button(wording.NO_KEEP, "forget", "no")])
    return Reply(wording.ASK_FORGET, buttons=buttons, private=True)


async def check_cochairs(ctx: Context) -> None:
    for membership, group in await groups.active_memberships_of(ctx.session, ctx.me.id):
        if membership.role.value == "cochair" and await groups.count_cochairs(ctx.session, group.id) <= 1:
            raise UserError(wording.last_cochair(group.name))


async def press_forget(ctx: Context) -> list[Reply]:
    if ctx.payload not in ("yes", "no"):
        raise UserError(wording.STALE)
    if ctx.payload == "no":
        return [Reply(wording.KEPT, private=True)]
    await check_cochairs(ctx)
    told = []
    for _membership, group in await groups.active_memberships_of(ctx.session, ctx.me.id):
        told += [
            Reply(wording.MEMBER_LEFT, to=channel_chat(c)) for c in await groups.group_channels(ctx.session, group.id)
        ]
    person_id = ctx.me.id
    for name, data in ctx.declared_personal_data.items():
        if name != "core":
            await data.erase(ctx.session, person_id)
    await ctx.declared_personal_data["core"].erase(ctx.session, person_id)
    ctx.memo.clear()
    log.info("person %s was forgotten at their request", person_id)
    return [Reply(wording.FORGOTTEN, private=True), *told]
