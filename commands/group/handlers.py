"""Setting up a group, the group's principles ("touchstone"), its settings, and help. Thin handlers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import codec
from bot.context import Context
from bot.errors import UserError
from bot.events import GroupSetUp
from bot.i18n import _, ngettext
from bot.text import clean_text
from bot.types import Reply
from commands.group.roster import join_buttons
from commands.group.rules import MAX_GROUP_NAME, MAX_PRINCIPLES
from commands.group.wording import DEFAULT_PRINCIPLES
from storage import conversations, groups, outbox
from storage.groups import Role


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
        intro = ngettext(
            "Hello {name}! Here is the message I couldn't send you before.",
            "Hello {name}! Here are the {count} messages I couldn't send you before.",
            len(bodies),
        ).format(name=ctx.me.display_name, count=len(bodies))
        held = [codec.decode(body) for body in bodies]
        return [replace(reply, private=True, to=None, edit=None, hint_in=None) for reply in (Reply(intro), *held)]
    return [
        Reply(
            _(
                "Hello {name}! I'm Touchstone. I help lay partner groups work together as equal partners.\n"
                "In your group's chat I help you vote on issues and keep track of who is in the group.\n"
                "Type /help to see what you can do, or /touchstone to read how the group works."
            ).format(name=ctx.me.display_name)
        )
    ]


async def help_(ctx: Context) -> Reply:
    lines = [_("Here is what you can do here:")]
    assert ctx.usable_commands is not None
    for name, summary in await ctx.usable_commands():
        lines.append(_("/{name} — {summary}").format(name=name, summary=summary))
    return Reply("\n".join(lines), private=True)


async def setup_guard(ctx: Context) -> str | None:
    """/setup is for a chat that is not a group yet, or a group left with no co-chair."""
    if ctx.group is not None and await groups.count_cochairs(ctx.session, ctx.group.id) > 0:
        return _("This chat is already set up for the group “{group}”. Type /help to see what you can do.").format(
            group=ctx.group.name
        )
    return None


async def setup(ctx: Context) -> list[Reply]:
    now = ctx.now()
    if ctx.group is not None:
        # Every co-chair has left: a chat admin may take the role back, so the group is never stuck.
        await _require_chat_admin(ctx)
        membership, _new = await groups.join_group(
            ctx.session, group_id=ctx.group.id, person_id=ctx.me.id, kind=None, now=now
        )
        membership.role = Role.COCHAIR
        return [
            Reply(
                _("{name} is now a co-chair of “{group}”, because the group had none.").format(
                    name=ctx.me.display_name, group=ctx.group.name
                )
            )
        ]
    await _require_chat_admin(ctx)
    # Chat titles come from the platform uncleaned: drop control characters and direction overrides.
    name = clean_text(ctx.args.get("name") or ctx.chat.title or "") or _("Our group")
    if len(name) > MAX_GROUP_NAME:
        raise UserError(_("Please choose a group name under {limit} characters.").format(limit=MAX_GROUP_NAME))
    group, _channel = await groups.create_group(
        ctx.session,
        name=name,
        timezone=ctx.default_timezone,
        platform=ctx.chat.platform,
        chat_id=ctx.chat.id,
        chat_title=ctx.chat.title,
        founder=ctx.person,
        now=now,
    )
    ctx.emit(GroupSetUp(group.id, ctx.me.id, now))
    replies = [
        Reply(
            _(
                "Done! This chat is now the group “{group}”, and {name} is its first co-chair.\n"
                "Everyone: to become a member, choose how you'd describe yourself below, or type /join."
            ).format(group=group.name, name=ctx.me.display_name),
            buttons=join_buttons(),
        )
    ]
    notes = await ctx.port.setup_notes(ctx.chat) if ctx.port is not None else []
    replies.extend(Reply(note, private=True) for note in notes)
    return replies


async def _require_chat_admin(ctx: Context) -> None:
    if ctx.port is None or not await ctx.port.is_chat_admin(ctx.chat, ctx.actor):
        raise UserError(
            _("Only an admin of this chat can set it up. Please ask one of the chat's admins to type /setup.")
        )


async def touchstone(ctx: Context) -> Reply:
    group = ctx.require_group()
    change = ctx.args.get("change")
    if change is None:
        return Reply(group.principles or DEFAULT_PRINCIPLES)
    ctx.require_cochair()
    if change == "reset":
        group.principles = None
        return Reply(_("Done. The group's touchstone is back to the standard wording. Type /touchstone to read it."))
    text = (ctx.args.get("text") or "").strip()
    if not text:
        raise UserError(_("Please write the new wording after /touchstone edit. You can use several lines."))
    if len(text) > MAX_PRINCIPLES:
        raise UserError(_("Please keep the touchstone under {limit} characters.").format(limit=MAX_PRINCIPLES))
    group.principles = text
    return Reply(_("Done. The group's touchstone is updated. Type /touchstone to read it."))


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
        return Reply(_("Okay, I've stopped. Nothing was changed."), private=True)
    return Reply(_("There was nothing to stop."), private=True)


async def settings(ctx: Context) -> Reply:
    key = ctx.args.get("setting")
    value = ctx.args.get("value")
    declared = ctx.declared_settings
    if key is None:
        current = await ctx.settings()
        lines = [_("These are the group's settings:")]
        for declared_setting in declared.values():
            lines.append(
                _("{key} is {value}. {summary}").format(
                    key=declared_setting.key,
                    value=declared_setting.describe(current[declared_setting.key]),
                    summary=declared_setting.summary,
                )
            )
        lines.append(_("To change one, type /settings, the setting's name, then the new value."))
        return Reply("\n".join(lines), private=True)
    setting = declared.get(key.casefold())
    if setting is None:
        raise UserError(_("There is no setting called “{key}”. Type /settings to see them all.").format(key=key[:40]))
    if value is None:
        current_value = await ctx.setting(setting.key)
        return Reply(
            _("{key} is {value}. {summary}").format(
                key=setting.key, value=setting.describe(current_value), summary=setting.summary
            ),
            private=True,
        )
    stored = setting.parse(value)
    await ctx.set_setting(setting.key, stored)
    return Reply(_("Done. {key} is now {value}.").format(key=setting.key, value=setting.describe(stored)))
