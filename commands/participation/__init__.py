"""Every voice heard: a record of who took part in a group, where, when and how (a message, a ballot…), never
the words and never for anonymous acts; who hasn't taken part yet and the facts that may explain it; kind
private invitations; "A member says" without a name; help on request; the participation report; a fair share
of meeting roles; and "Did you feel heard?" after meetings."""

from bot.events import MeetingEnded, Spoke, TookPart
from bot.group_settings import Setting, parse_yes_no
from bot.i18n import _
from bot.registry import (
    Access,
    Action,
    Command,
    Feature,
    Hideable,
    JobKind,
    Listener,
    Param,
    ParamKind,
    PersonalData,
    Prompt,
    Where,
)
from commands.participation import handlers, wording
from storage import participation

FEATURE = Feature(
    name="participation",
    commands=(
        Command(
            name="notheard",
            summary=_("See who hasn't taken part yet, and why that may be, privately (co-chairs)"),
            handler=handlers.notheard_command,
            params=(Param("window", ParamKind.TEXT, wording.WINDOW_PART, required=False, max_chars=60),),
            access=Access.COCHAIR,
            examples=("/notheard", "/notheard 30 days", "/notheard vote 3", "/notheard paper 2", "/notheard meeting"),
        ),
        Command(
            name="anonymous",
            summary=_("Say something to the group without your name (send it to me privately)"),
            handler=handlers.anonymous_command,
            # Optional, so typed in a group it is refused before anything is asked there; asked for privately.
            params=(
                Param("text", ParamKind.TEXT, wording.ANONYMOUS_PART, required=False, max_chars=handlers.MAX_TEXT),
            ),
            examples=("/anonymous I find the meetings too fast to follow.",),
        ),
        Command(
            name="askhelp",
            summary=_("Ask for support or training: the co-chairs will help"),
            handler=handlers.askhelp_command,
            params=(Param("need", ParamKind.TEXT, wording.HELP_PART, max_chars=handlers.MAX_TEXT),),
            examples=("/askhelp I'd like help reading the budget papers.",),
        ),
        Command(
            name="helprequests",
            summary=_("See the open requests for help (co-chairs)"),
            handler=handlers.helprequests_command,
            access=Access.COCHAIR,
        ),
        Command(
            name="report",
            summary=_("Taking part by member, with a chart and a table file (co-chairs)"),
            handler=handlers.report_command,
            params=(Param("period", ParamKind.TEXT, _("The period, like 90 days"), required=False, max_chars=60),),
            access=Access.COCHAIR,
            examples=("/report", "/report 30 days"),
        ),
        Command(
            name="roles",
            summary=_("See the meeting roles and who is suggested next; opt out of one"),
            handler=handlers.roles_command,
            params=(Param("change", ParamKind.TEXT, _("A change"), required=False, max_chars=300),),
            examples=("/roles", "/roles optout note-taker", "/roles set chair, note-taker, timekeeper"),
        ),
        Command(
            name="pulse",
            summary=_("See how heard people felt at recent meetings (co-chairs)"),
            handler=handlers.pulse_command,
            access=Access.COCHAIR,
        ),
    ),
    actions=(
        Action("invite", handlers.press_invite, access=Access.COCHAIR),
        Action("inv_view", handlers.press_invite_view, access=Access.ANYONE, needs_group=False),
        Action("inv_anon", handlers.press_invite_anonymous, access=Access.ANYONE, needs_group=False),
        Action("inv_listen", handlers.press_invite_listen, access=Access.ANYONE, needs_group=False),
        Action("inv_help", handlers.press_invite_help, access=Access.ANYONE, needs_group=False),
        Action("help_take", handlers.press_help_take, access=Access.ANYONE, needs_group=False),
        Action("help_done", handlers.press_help_done, access=Access.ANYONE, needs_group=False),
        Action("role_ok", handlers.press_role_ok, access=Access.ANYONE, needs_group=False),
        Action("pulse", handlers.press_pulse, access=Access.ANYONE, needs_group=False),
    ),
    prompts=(Prompt(handlers.INVITE_PROMPT, handlers.answer_invitation),),
    settings=(
        Setting(
            key="meeting_roles",
            title=wording.ROLES_TITLE,
            summary=wording.ROLES_SUMMARY,
            default=handlers.DEFAULT_ROLES,
            parse=handlers.parse_roles,
            describe=wording.roles_described,
        ),
    ),
    my_settings=(
        Setting(
            key=handlers.INVITATIONS,
            title=wording.INVITES_TITLE,
            summary=wording.INVITES_SUMMARY,
            default="yes",
            parse=parse_yes_no,
            describe=wording.invites_described,
            options=(("yes", _("Invitations are welcome")), ("no", _("No invitations, thank you"))),
        ),
    ),
    listeners=(
        Listener(Spoke, handlers.on_spoke, many=True),
        Listener(TookPart, handlers.on_took_part, many=True),
        Listener(MeetingEnded, handlers.on_meeting_ended),
    ),
    renderers=(("says", handlers.render_says),),
    jobs=(JobKind(handlers.HELP_JOBS, all=handlers.all_help_jobs, one=handlers.one_help_jobs),),
    sections=(("meeting_reminder", handlers.roles_section),),
    hideables=(Hideable("message", _("an anonymous message (A member says…)"), handlers.hide_says),),
    personal_data=PersonalData(
        tables=("contributions", "invitations", "help_requests", "role_turns", "role_optouts", "pulse_asked"),
        export=participation.export_person,
        erase=participation.erase_person,
    ),
)

__all__ = ["FEATURE", "Where"]
