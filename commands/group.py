"""Setting up a group, the group's principles ("touchstone"), its settings, and help."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from rapidfuzz import process

from bot.context import Context
from bot.dates import is_time_zone, time_zone_names
from bot.errors import UserError
from bot.i18n import _, ngettext
from bot.registry import Access, Command, Feature, Param, ParamKind, Setting, Where, clean_text
from bot.types import Reply, buttons_from_json
from commands.membership import join_buttons
from storage import queries
from storage.models import Role

MAX_GROUP_NAME = 100
MAX_PRINCIPLES = 2000

DEFAULT_PRINCIPLES = _(
    "Our touchstone: how we work together.\n"
    "1. Everyone is an equal partner.\n"
    "2. We build our agendas together, from members' ideas.\n"
    "3. Discussion papers invite everyone to share their views.\n"
    "4. We settle issues by voting.\n"
    "5. We each come to at least 8 in every 10 meetings.\n"
    "6. We always ask who has not had a say yet, and think about why.\n"
    "7. We use plain language. When jargon creeps in, we explain it in a glossary.\n"
    "8. We keep a skills bank, so everyone's skills are used.\n"
    "9. Anyone who asks gets support and training.\n"
    "10. Lay members sign off finished projects."
)


# ---- settings ---------------------------------------------------------------------------------


def parse_time_zone(text: str) -> str:
    """'Europe/London', 'europe/london' or 'London' → 'Europe/London'; kind error otherwise."""
    wanted = text.strip().replace(" ", "_")
    names = time_zone_names()
    if is_time_zone(wanted):
        return wanted
    folded = wanted.casefold()
    for name in sorted(names):
        if name.casefold() == folded or name.casefold().endswith("/" + folded):
            return name
    close = [m for m, _s, _i in process.extract(wanted, sorted(names), limit=2, score_cutoff=70)]
    if close:
        raise UserError(
            _("I don't know the time zone “{zone}”. Did you mean {close}?").format(
                zone=text.strip()[:40], close=" or ".join(close)
            )
        )
    raise UserError(
        _("I don't know the time zone “{zone}”. Please write it like Europe/London.").format(zone=text.strip()[:40])
    )


TIMEZONE = Setting(
    key="timezone",
    summary=_("The time zone for dates and times, like Europe/London."),
    default="Europe/London",
    parse=parse_time_zone,
)


# ---- handlers ---------------------------------------------------------------------------------


#: Messages held for someone who had not opened a private chat are sent on /start if no older than this.
HELD_FOR = timedelta(days=14)


async def start(ctx: Context) -> list[Reply]:
    """Say hello, after showing what could not be sent before (the group's hint leads here): in a private
    chat, or in the group where the platform can show a reply to one person only."""
    now = ctx.clock.now()
    shown_privately = ctx.chat.is_private or (ctx.port is not None and ctx.port.private_in_place)
    bodies: list[str] = []
    if shown_privately:
        bodies = await queries.take_held_messages(
            ctx.session, platform=ctx.actor.platform, user_id=ctx.actor.id, since=now - HELD_FOR, now=now
        )
    if bodies:
        intro = ngettext(
            "Hello {name}! Here is the message I couldn't send you before.",
            "Hello {name}! Here are the {count} messages I couldn't send you before.",
            len(bodies),
        ).format(name=ctx.person.display_name, count=len(bodies))
        held = [Reply(body["text"], buttons=buttons_from_json(body["buttons"])) for body in map(json.loads, bodies)]
        return [replace(reply, private=True) for reply in (Reply(intro), *held)]
    return [
        Reply(
            _(
                "Hello {name}! I'm Touchstone. I help lay partner groups work together as equal partners.\n"
                "In your group's chat I help you vote on issues and keep track of who is in the group.\n"
                "Type /help to see what you can do, or /touchstone to read how the group works."
            ).format(name=ctx.person.display_name)
        )
    ]


async def help_(ctx: Context) -> Reply:
    lines = [_("Here is what you can do here:")]
    for command in usable_commands(ctx):
        lines.append(_("/{name} — {summary}").format(name=command.name, summary=command.summary))
    return Reply("\n".join(lines), private=True)


def usable_commands(ctx: Context) -> list[Command]:
    """The commands this person may use in this chat right now."""
    usable = []
    for command in ctx.registry.commands.values():
        if command.where is Where.GROUP and ctx.chat.is_private:
            continue
        if command.where is Where.PRIVATE and not ctx.chat.is_private:
            continue
        if command.needs_group and ctx.group is None:
            continue
        if command.access is Access.MEMBER and not ctx.is_member:
            continue
        if command.access is Access.COCHAIR and not ctx.is_cochair:
            continue
        if command.name == "setup" and ctx.group is not None:
            continue
        usable.append(command)
    return usable


async def setup(ctx: Context) -> list[Reply]:
    now = ctx.now()
    if ctx.group is not None:
        if await queries.count_cochairs(ctx.session, ctx.group.id) > 0:
            raise UserError(
                _("This chat is already set up for the group “{group}”. Type /help to see what you can do.").format(
                    group=ctx.group.name
                )
            )
        # Every co-chair has left: a chat admin may take the role back, so the group is never stuck.
        await _require_chat_admin(ctx)
        membership, _new = await queries.join_group(
            ctx.session, group_id=ctx.group.id, person_id=ctx.person.id, kind=None, now=now
        )
        membership.role = Role.COCHAIR
        return [
            Reply(
                _("{name} is now a co-chair of “{group}”, because the group had none.").format(
                    name=ctx.person.display_name, group=ctx.group.name
                )
            )
        ]
    await _require_chat_admin(ctx)
    # Chat titles come from the platform uncleaned: drop control characters and direction overrides.
    name = clean_text(ctx.args.get("name") or ctx.chat.title or "") or _("Our group")
    if len(name) > MAX_GROUP_NAME:
        raise UserError(_("Please choose a group name under {limit} characters.").format(limit=MAX_GROUP_NAME))
    group, _channel = await queries.create_group(
        ctx.session,
        name=name,
        platform=ctx.chat.platform,
        chat_id=ctx.chat.id,
        chat_title=ctx.chat.title,
        founder=ctx.person,
        now=now,
    )
    await queries.set_group_setting(ctx.session, group.id, "timezone", ctx.default_timezone)
    replies = [
        Reply(
            _(
                "Done! This chat is now the group “{group}”, and {name} is its first co-chair.\n"
                "Everyone: to become a member, choose how you'd describe yourself below, or type /join."
            ).format(group=group.name, name=ctx.person.display_name),
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
    stopped = await queries.clear_pending(
        ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id
    )
    if ctx.chat.is_private:
        stopped = (
            await queries.clear_pending(
                ctx.session, platform=ctx.actor.platform, chat_id=queries.ANY_PRIVATE_CHAT, user_id=ctx.actor.id
            )
            or stopped
        )
    if stopped:
        return Reply(_("Okay, I've stopped. Nothing was changed."), private=True)
    return Reply(_("There was nothing to stop."), private=True)


async def settings(ctx: Context) -> Reply:
    key = ctx.args.get("setting")
    value = ctx.args.get("value")
    declared = ctx.registry.settings
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


FEATURE = Feature(
    name="group",
    commands=(
        Command(
            name="start",
            summary=_("Find out what Touchstone does"),
            handler=start,
            access=Access.ANYONE,
            where=Where.BOTH,
            needs_group=False,
        ),
        Command(
            name="help",
            summary=_("See the commands you can use here"),
            handler=help_,
            access=Access.ANYONE,
            needs_group=False,
        ),
        Command(
            name="cancel",
            summary=_("Stop what I asked you to type"),
            handler=cancel,
            access=Access.ANYONE,
            needs_group=False,
        ),
        Command(
            name="setup",
            summary=_("Turn this chat into a lay partner group (chat admins)"),
            handler=setup,
            params=(Param("name", ParamKind.TEXT, _("The group's name"), required=False),),
            access=Access.ANYONE,
            where=Where.GROUP,
            needs_group=False,
            examples=("/setup Lay Partners Advisory Group",),
        ),
        Command(
            name="touchstone",
            summary=_("Read the group's principles"),
            handler=touchstone,
            params=(
                Param(
                    "change",
                    ParamKind.CHOICE,
                    _("Edit or reset (co-chairs)"),
                    required=False,
                    choices=("edit", "reset"),
                ),
                Param("text", ParamKind.TEXT, _("The new wording"), required=False),
            ),
            access=Access.ANYONE,
            examples=("/touchstone", "/touchstone edit Everyone is an equal partner."),
        ),
        Command(
            name="settings",
            summary=_("See or change the group's settings (co-chairs)"),
            handler=settings,
            params=(
                Param("setting", ParamKind.TEXT, _("The setting's name"), required=False),
                Param("value", ParamKind.TEXT, _("The new value"), required=False),
            ),
            access=Access.COCHAIR,
            examples=("/settings timezone Europe/London",),
        ),
    ),
    settings=(TIMEZONE,),
)
