"""Setting up a group, the group's principles ("touchstone"), its settings, and help. Thin handlers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import codec
from bot.context import Context
from bot.errors import UserError
from bot.events import GroupSetUp
from bot.text import clean_text
from bot.types import Reply
from commands.group import wording
from commands.group.roster import join_buttons
from commands.group.rules import MAX_GROUP_NAME, MAX_PRINCIPLES
from storage import conversations, groups, outbox

#: Messages held for someone who had not opened a private chat are sent on /start if no older than this.
HELD_FOR = timedelta(days=14)


async def start(ctx: Context) -> list[Reply]:
    """Say hello, after showing what could not be sent before (the group's hint leads here): in a private
    chat, or in the group where the platform can show a reply to one person only."""
    now = ctx.clock.now()
    shown_privately = ctx.chat.is_private or (ctx.port is not None and ctx.port.private_in_place)
    bodies: list[str] = []
    if shown_privately:
        bodies = await outbox.take_held_messages(
            ctx.session, platform=ctx.actor.platform, user_id=ctx.actor.id, since=now - HELD_FOR, now=now
        )
    if bodies:
        intro = wording.held_messages_intro(ctx.me.display_name, len(bodies))
        held = [codec.decode(body) for body in bodies]
        return [replace(reply, private=True, to=None, edit=None, hint_in=None) for reply in (Reply(intro), *held)]
    return [Reply(wording.hello(ctx.me.display_name))]


async def help_(ctx: Context) -> Reply:
    lines = [wording.HELP_HEADING]
    assert ctx.usable_commands is not None
    for name, summary in await ctx.usable_commands():
        lines.append(wording.help_line(name, summary))
    return Reply("\n".join(lines), private=True)


async def setup_guard(ctx: Context) -> str | None:
    """/setup is for a chat that is not a group yet, or a group left with no co-chair."""
    if ctx.group is not None and not ctx.group.without_cochair:
        return wording.already_set_up(ctx.group.name)
    return None


async def setup(ctx: Context) -> list[Reply]:
    now = ctx.now()
    if ctx.group is not None:
        # Every co-chair has left: a chat admin may take the role back, so the group is never stuck.
        await _require_chat_admin(ctx)
        membership, _new = await groups.join_group(
            ctx.session, group_id=ctx.group.id, person_id=ctx.me.id, kind=None, now=now
        )
        await groups.make_cochair(ctx.session, membership)
        return [Reply(wording.cochair_because_none(ctx.me.display_name, ctx.group.name))]
    await _require_chat_admin(ctx)
    # Chat titles come from the platform uncleaned: drop control characters and direction overrides.
    name = clean_text(ctx.args.get("name") or ctx.chat.title or "") or wording.DEFAULT_GROUP_NAME
    if len(name) > MAX_GROUP_NAME:
        raise UserError(wording.group_name_too_long(MAX_GROUP_NAME))
    group, _channel = await groups.create_group(
        ctx.session,
        name=name,
        timezone=ctx.default_timezone,
        platform=ctx.chat.platform,
        chat_id=ctx.chat.id,
        chat_title=ctx.chat.title,
        founder=ctx.me,
        now=now,
    )
    ctx.emit(GroupSetUp(group.id, ctx.me.id, now))
    replies = [Reply(wording.group_set_up(group.name, ctx.me.display_name), buttons=join_buttons())]
    notes = await ctx.port.setup_notes(ctx.chat) if ctx.port is not None else []
    replies.extend(Reply(note, private=True) for note in notes)
    return replies


async def _require_chat_admin(ctx: Context) -> None:
    if ctx.port is None or not await ctx.port.is_chat_admin(ctx.chat, ctx.actor):
        raise UserError(wording.ADMINS_ONLY_SETUP)


async def touchstone(ctx: Context) -> Reply:
    group = ctx.require_group()
    change = ctx.args.get("change")
    if change is None:
        return Reply(group.principles or wording.DEFAULT_PRINCIPLES)
    ctx.require_cochair()
    if change == "reset":
        group.principles = None
        return Reply(wording.TOUCHSTONE_RESET)
    text = (ctx.args.get("text") or "").strip()
    if not text:
        raise UserError(wording.TOUCHSTONE_NEEDS_TEXT)
    if len(text) > MAX_PRINCIPLES:
        raise UserError(wording.touchstone_too_long(MAX_PRINCIPLES))
    group.principles = text
    return Reply(wording.TOUCHSTONE_UPDATED)


async def cancel(ctx: Context) -> Reply:
    """Stop a question the bot asked (a step of /vote, a missing part of a command)."""
    stopped = await conversations.clear_pending(
        ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id
    )
    if ctx.chat.is_private:
        stopped = (
            await conversations.clear_pending(
                ctx.session, platform=ctx.actor.platform, chat_id=conversations.ANY_PRIVATE_CHAT, user_id=ctx.actor.id
            )
            or stopped
        )
    if stopped:
        return Reply(wording.STOPPED, private=True)
    return Reply(wording.NOTHING_TO_STOP, private=True)


async def settings(ctx: Context) -> Reply:
    key = ctx.args.get("setting")
    value = ctx.args.get("value")
    declared = ctx.declared_settings
    if key is None:
        current = await ctx.settings()
        lines = [wording.SETTINGS_HEADING]
        for declared_setting in declared.values():
            lines.append(
                wording.setting_line(
                    declared_setting.key,
                    declared_setting.describe(current[declared_setting.key]),
                    declared_setting.summary,
                )
            )
        lines.append(wording.HOW_TO_CHANGE_SETTING)
        return Reply("\n".join(lines), private=True)
    setting = declared.get(key.casefold())
    if setting is None:
        raise UserError(wording.no_such_setting(key[:40]))
    if value is None:
        current_value = await ctx.setting(setting.key)
        return Reply(wording.setting_line(setting.key, setting.describe(current_value), setting.summary), private=True)
    stored = setting.parse(value)
    await ctx.set_setting(setting.key, stored)
    return Reply(wording.setting_changed(setting.key, setting.describe(stored)))
