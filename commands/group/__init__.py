"""The group itself: setting a chat up as a group, its principles ("touchstone"), its settings, its
roster (built from who joins, speaks or is seen joining) and co-chairs; and /start, /help, /cancel.
Its records about a person (accounts, memberships) are the core's (bot.personal_data)."""

from bot.events import Joined, Left, Spoke
from bot.group_settings import Setting
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, Listener, Param, ParamKind, Prompt, Where
from commands.group import handlers, roster, rules, wording
from storage.groups import Group


def _read_zone(group: Group) -> str:
    return group.timezone


def _write_zone(group: Group, zone: str) -> None:
    group.timezone = zone


TIMEZONE = Setting(
    key="timezone",
    title=wording.TIME_ZONE_TITLE,
    summary=wording.TIME_ZONE_SUMMARY,
    default="Europe/London",
    parse=rules.parse_time_zone,
    describe=wording.time_zone_sentence,
    read=_read_zone,
    write=_write_zone,
)

FEATURE = Feature(
    name="group",
    commands=(
        Command(
            name="start",
            summary=_("Find out what Touchstone does"),
            handler=handlers.start,
            access=Access.ANYONE,
            where=Where.BOTH,
            needs_group=False,
        ),
        Command(
            name="help",
            summary=_("See the commands you can use here"),
            handler=handlers.help_,
            access=Access.ANYONE,
            needs_group=False,
        ),
        Command(
            name="cancel",
            summary=_("Stop what I asked you to type"),
            handler=handlers.cancel,
            access=Access.ANYONE,
            needs_group=False,
        ),
        Command(
            name="setup",
            summary=_("Turn this chat into a lay partner group (chat admins)"),
            handler=handlers.setup,
            params=(Param("name", ParamKind.TEXT, _("The group's name"), required=False),),
            access=Access.ANYONE,
            where=Where.GROUP,
            needs_group=False,
            examples=("/setup Lay Partners Advisory Group",),
            guard=handlers.setup_guard,
        ),
        Command(
            name="touchstone",
            summary=_("Read the group's principles"),
            handler=handlers.touchstone,
            params=(
                Param(
                    "change",
                    ParamKind.CHOICE,
                    _("Edit, add, restore or reset (co-chairs)"),
                    required=False,
                    choices=("edit", "add", "restore", "reset"),
                ),
                Param("text", ParamKind.TEXT, _("The new wording"), required=False, max_chars=rules.MAX_PRINCIPLES),
            ),
            access=Access.ANYONE,
            examples=(
                "/touchstone",
                "/touchstone edit 3. We share papers a week ahead.",
                "/touchstone add We have tea.",
            ),
        ),
        Command(
            name="settings",
            summary=_("See or change the group's settings (co-chairs)"),
            handler=handlers.settings,
            params=(Param("change", ParamKind.TEXT, _("The setting and its new value"), required=False),),
            access=Access.COCHAIR,
            examples=("/settings time zone Europe/London", "/settings members can start votes yes"),
        ),
        Command(
            name="hide",
            summary=_("Hide an anonymous post that breaks the group's rules (co-chairs)"),
            handler=handlers.hide,
            params=(Param("what", ParamKind.TEXT, _("Which post, like item 12"), max_chars=40),),
            access=Access.COCHAIR,
            examples=("/hide item 12",),
        ),
        Command(
            name="mysettings",
            summary=_("See or change your own settings, like private meeting reminders"),
            handler=handlers.my_settings,
            params=(Param("change", ParamKind.TEXT, _("The setting and your choice"), required=False),),
            access=Access.ANYONE,
            needs_group=False,
            examples=("/mysettings", "/mysettings private meeting reminders yes"),
        ),
        Command(
            name="join",
            summary=_("Become a member of this group"),
            handler=roster.join,
            access=Access.ANYONE,
            where=Where.GROUP,
            offered=roster.not_yet_a_member,
        ),
        Command(
            name="leave",
            summary=_("Leave this group"),
            handler=roster.leave,
            access=Access.MEMBER,
        ),
        Command(
            name="members",
            summary=_("See who is in the group"),
            handler=roster.members,
            access=Access.MEMBER,
        ),
        Command(
            name="cochair",
            summary=_("Add or remove a co-chair (co-chairs)"),
            handler=roster.cochair,
            params=(
                Param("change", ParamKind.CHOICE, _("Add or remove"), choices=("add", "remove")),
                Param("member", ParamKind.MEMBER, _("The member's name"), required=False),
            ),
            access=Access.COCHAIR,
            examples=("/cochair add Sam", "/cochair remove Sam"),
        ),
    ),
    actions=(
        Action(name="join", handler=roster.press_join, access=Access.ANYONE),
        Action(name="setting", handler=handlers.press_setting, access=Access.COCHAIR),
        Action(name="touchstone", handler=handlers.press_touchstone, access=Access.COCHAIR),
        Action(name="mysetting", handler=handlers.press_my_setting, access=Access.ANYONE, needs_group=False),
    ),
    prompts=(
        Prompt(handlers.SETTING_VALUE, handlers.answer_setting),
        Prompt(handlers.TOUCHSTONE_CONFIRM, handlers.answer_touchstone),
    ),
    settings=(TIMEZONE,),
    listeners=(
        Listener(Spoke, roster.on_seen),
        Listener(Joined, roster.on_seen),
        Listener(Left, roster.on_left),
    ),
)

__all__ = ["FEATURE"]
