"""Setting up a group, the group's principles ("touchstone"), its settings, and help. Thin handlers."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta

from bot import codec
from bot.context import Context
from bot.errors import UserError
from bot.events import GroupSetUp, Stopped
from bot.group_settings import Setting
from bot.text import clean_text
from bot.types import Button, Reply
from commands.group import rules, wording
from commands.group.roster import join_buttons
from commands.group.rules import MAX_GROUP_NAME, MAX_PRINCIPLES
from storage import conversations, groups, outbox

log = logging.getLogger("touchstone.group")

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
    current = group.principles or wording.DEFAULT_PRINCIPLES
    if change is None:
        return Reply(current)
    ctx.require_cochair()
    if change == "reset":
        await groups.change_principles(ctx.session, group, None, by=ctx.me.id, now=ctx.now())
        return Reply(wording.TOUCHSTONE_RESET)
    if change == "restore":
        if not await groups.restore_principles(ctx.session, group):
            raise UserError(wording.TOUCHSTONE_NOTHING_TO_RESTORE)
        return Reply(wording.TOUCHSTONE_RESTORED)
    text = (ctx.args.get("text") or "").strip()
    count = len(rules.principles(current)[1])
    if change == "add":
        if not text:
            raise UserError(wording.TOUCHSTONE_ADD_NEEDS_TEXT)
        return await _set_principle(ctx, current, count + 1, text)
    if not text:
        raise UserError(wording.TOUCHSTONE_NEEDS_TEXT)
    number, words = rules.leading_number(text)
    if number is not None:
        if not 1 <= number <= count + 1:
            raise UserError(wording.no_such_principle(number, count))
        return await _set_principle(ctx, current, number, words)
    if len(text) > MAX_PRINCIPLES:
        raise UserError(wording.touchstone_too_long(MAX_PRINCIPLES))
    # New words without a number would replace every principle: ask first, and offer to add them instead.
    await ctx.ask(TOUCHSTONE_CONFIRM, {"text": text}, typed=False)
    return Reply(
        wording.confirm_replace(count, count + 1),
        buttons=Reply.rows(
            [Button(wording.REPLACE_ALL_BUTTON, "touchstone", "replace")],
            [Button(wording.add_as_button(count + 1), "touchstone", "add")],
            [Button(wording.CANCEL_BUTTON, "touchstone", "cancel")],
        ),
    )


#: The question "replace every principle?" waiting for its answer (a button, or the word typed).
TOUCHSTONE_CONFIRM = "touchstone_confirm"
_CONFIRM_WORDS = {"replace": "replace", "replace all": "replace", "add": "add", "cancel": "cancel", "no": "cancel"}


async def _set_principle(ctx: Context, current: str, number: int, words: str) -> Reply:
    group = ctx.require_group()
    updated = rules.with_principle(current, number, words)
    if len(updated) > MAX_PRINCIPLES:
        raise UserError(wording.touchstone_too_long(MAX_PRINCIPLES))
    await groups.change_principles(ctx.session, group, updated, by=ctx.me.id, now=ctx.now())
    return Reply(wording.principle_changed(number, words))


async def press_touchstone(ctx: Context) -> Reply:
    """An answer to "replace every principle?", by button."""
    return await _confirm_touchstone(ctx, ctx.payload)


async def answer_touchstone(ctx: Context) -> Reply:
    """An answer to "replace every principle?", typed."""
    choice = _CONFIRM_WORDS.get(" ".join(ctx.text.casefold().split()), "")
    return await _confirm_touchstone(ctx, choice, data=ctx.prompt_data)


async def _confirm_touchstone(ctx: Context, choice: str, data: dict[str, object] | None = None) -> Reply:
    group = ctx.require_group()
    ctx.require_cochair()
    if data is None:
        pending = await conversations.take_pending(
            ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id, now=ctx.now()
        )
        data = dict(json.loads(pending.data)) if pending is not None and pending.prompt == TOUCHSTONE_CONFIRM else None
    if data is None or not isinstance(data.get("text"), str):
        raise UserError(wording.TOUCHSTONE_CHANGE_GONE)
    text = str(data["text"])
    current = group.principles or wording.DEFAULT_PRINCIPLES
    if choice == "replace":
        await groups.change_principles(ctx.session, group, text, by=ctx.me.id, now=ctx.now())
        return Reply(wording.TOUCHSTONE_REPLACED)
    if choice == "add":
        return await _set_principle(ctx, current, len(rules.principles(current)[1]) + 1, text)
    return Reply(wording.TOUCHSTONE_CHANGE_STOPPED)


async def cancel(ctx: Context) -> Reply:
    """Stop every question the bot is waiting to hear this person answer, in every chat, and tell the
    features to stop what they were doing with them (a half-made vote)."""
    stopped = await conversations.clear_all_pending(ctx.session, platform=ctx.actor.platform, user_id=ctx.actor.id)
    ctx.emit(Stopped(ctx.me.id, ctx.now()))
    if stopped or ctx.question_ended:
        return Reply(wording.STOPPED, private=True)
    return Reply(wording.NOTHING_TO_STOP, private=True)


async def settings(ctx: Context) -> Reply:
    """The group's settings as sentences with buttons to change them; or one changed in plain words."""
    typed = ctx.args.get("change")
    if not typed:
        current = await ctx.settings()
        lines = [wording.SETTINGS_HEADING]
        rows: list[list[Button]] = []
        menu: list[Button] = []
        for declared in ctx.declared_settings.values():
            lines.append(declared.describe(current[declared.key]))
            menu.append(Button(wording.change_button(declared.title), "setting", f"{declared.key}.menu"))
        lines.append(wording.HOW_TO_CHANGE_SETTING)
        # One button per setting, two to a row, or more once there are over ten: the list fits every platform
        # (Discord shows at most five rows of five) for up to 25 settings.
        per_row = max(2, -(-len(menu) // 5))
        rows = [menu[i : i + per_row] for i in range(0, len(menu), per_row)]
        return Reply("\n".join(lines), buttons=Reply.rows(*rows), private=True)
    setting, value = rules.match_setting(ctx.declared_settings, typed)
    if setting is None:
        raise UserError(wording.no_such_setting(typed[:40]))
    if not value:
        current_value = await ctx.setting(setting.key)
        buttons = Reply.rows(*_setting_buttons(setting, current_value))
        return Reply(setting.describe(current_value), buttons=buttons, private=True)
    return await _change_setting(ctx, setting, value)


def _setting_buttons(setting: Setting, current: str, action: str = "setting") -> list[list[Button]]:
    """A button for each other common value; one to type a new value where values are free."""
    # A person's own choice is made in their private chat (on Telegram the button opens it, so the bot can
    # then reach them there: private reminders).
    private = action == "mysetting"
    choices = [
        Button(label, action, f"{setting.key}.{index}", in_private=private)
        for index, (value, label) in enumerate(setting.options)
        if value != current
    ]
    typed = []
    if setting.other_values or not setting.options:
        typed = [Button(wording.change_button(setting.title), action, f"{setting.key}.type", in_private=private)]
    return [row for row in (choices, typed) if row]


# ---- /mysettings: each person's own choices --------------------------------------------------------------


async def my_settings(ctx: Context) -> Reply:
    """This person's own settings as sentences with buttons; or one changed in plain words."""
    typed = ctx.args.get("change")
    current = await ctx.my_settings()
    if not ctx.declared_my_settings:
        return Reply(wording.NO_MY_SETTINGS, private=True)
    if not typed:
        lines = [wording.MY_SETTINGS_HEADING]
        rows: list[list[Button]] = []
        for declared in ctx.declared_my_settings.values():
            lines.append(declared.describe(current[declared.key]))
            rows.extend(_setting_buttons(declared, current[declared.key], "mysetting"))
        return Reply("\n".join(lines), buttons=Reply.rows(*rows), private=True)
    setting, value = rules.match_setting(ctx.declared_my_settings, typed)
    if setting is None:
        raise UserError(wording.no_such_my_setting(typed[:40]))
    if not value:
        buttons = Reply.rows(*_setting_buttons(setting, current[setting.key], "mysetting"))
        return Reply(setting.describe(current[setting.key]), buttons=buttons, private=True)
    return await _change_my_setting(ctx, setting, value)


async def _change_my_setting(ctx: Context, setting: Setting, value: str) -> Reply:
    stored = setting.parse(value)
    await ctx.set_my_setting(setting.key, stored)
    return Reply(wording.setting_changed(setting.describe(stored)), private=True)


async def press_my_setting(ctx: Context) -> Reply:
    key, _dot, choice = ctx.payload.rpartition(".")
    setting = ctx.declared_my_settings.get(key)
    if setting is None or not (choice.isascii() and choice.isdigit()) or int(choice) >= len(setting.options):
        raise UserError(wording.STALE_MY_SETTING_BUTTON)
    return await _change_my_setting(ctx, setting, setting.options[int(choice)][0])


async def _change_setting(ctx: Context, setting: Setting, value: str) -> Reply:
    stored = setting.parse(value)
    if setting.agrees is not None:
        refused = setting.agrees(stored, await ctx.settings())
        if refused is not None:
            raise UserError(refused)
    await ctx.set_setting(setting.key, stored)
    return Reply(wording.setting_changed(setting.describe(stored)))


async def press_setting(ctx: Context) -> Reply:
    """A co-chair pressed a setting's button: a common value, or "type a new one"."""
    key, _dot, choice = ctx.payload.rpartition(".")
    setting = ctx.declared_settings.get(key)
    if setting is None:
        raise UserError(wording.STALE_SETTING_BUTTON)
    if choice == "type":
        await ctx.ask(SETTING_VALUE, {"key": key})
        return Reply(wording.ask_setting_value(setting.title), private=True)
    if choice == "menu":
        current = await ctx.setting(setting.key)
        if not setting.options:  # free values only (a time zone): ask for one straight away
            await ctx.ask(SETTING_VALUE, {"key": key})
            return Reply(f"{setting.describe(current)} {wording.ask_setting_value(setting.title)}", private=True)
        return Reply(setting.describe(current), buttons=Reply.rows(*_setting_buttons(setting, current)), private=True)
    if not (choice.isascii() and choice.isdigit()) or int(choice) >= len(setting.options):
        raise UserError(wording.STALE_SETTING_BUTTON)
    return await _change_setting(ctx, setting, setting.options[int(choice)][0])


#: The question "please type the new value" of a setting.
SETTING_VALUE = "setting_value"


async def answer_setting(ctx: Context) -> Reply:
    ctx.require_cochair()
    key = str(ctx.prompt_data.get("key", ""))
    setting = ctx.declared_settings.get(key)
    if setting is None:
        raise UserError(wording.STALE_SETTING_BUTTON)
    try:
        return await _change_setting(ctx, setting, ctx.text)
    except UserError as wrong:
        raise UserError(wrong.message, ask_again=(SETTING_VALUE, {"key": key})) from None


# ---- hiding an anonymous post that breaks the group's rules ------------------------------------------------


async def hide(ctx: Context) -> Reply:
    """/hide item 12: one mechanism for every feature's anonymous posts. The record is marked hidden, every
    copy of the post reads "(hidden by a co-chair)" (on Telegram an edit: bots may delete only recent
    messages), and the hiding is logged (who, what, when) for the group."""
    group = ctx.require_group()
    kind, _space, number = " ".join(ctx.args["what"].casefold().split()).partition(" ")
    number = number.removeprefix("number ").strip()
    hideable = ctx.declared_hideables.get(kind)
    kinds = [f"“/hide {k} 12” for {h.summary}" for k, h in ctx.declared_hideables.items()]
    if hideable is None or not (number.isascii() and number.isdigit()) or len(number) > 10:
        raise UserError(wording.how_to_hide(kinds))
    if await groups.was_hidden(ctx.session, group.id, kind, int(number)):
        raise UserError(wording.already_hidden(kind, number))
    key = await hideable.hide(ctx, int(number), group.id)
    if key is None:
        raise UserError(wording.nothing_to_hide(kind, number))
    await groups.note_hidden(ctx.session, group.id, kind, int(number), ctx.me.id, ctx.now())
    log.info("a co-chair (person %s) hid %s %s in group %s", ctx.me.id, kind, number, group.id)
    ctx.refresh(key)
    return Reply(wording.post_hidden(kind, number), private=True)
