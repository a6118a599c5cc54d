"""Meetings people can reach: co-chairs add, move and cancel meetings (one date or a repeat); members see
the next ones, add them to their calendar in one tap, say they'll come or send apologies (a reason only
co-chairs see, asked for privately); the scheduler reminds the group, and privately whoever asked, posts a
check-in when a meeting starts, and closes it when it ends; co-chairs record who was in the room and agreed
leave; attendance is shown to each member privately, and to co-chairs for everyone."""

import dataclasses

from bot.events import SettingChanged
from bot.group_settings import Setting
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, JobKind, Listener, Param, ParamKind, PersonalData, Prompt
from commands.meetings import handlers, wording
from storage import meetings

MEETING_ID = Param(
    "meeting",
    ParamKind.NUMBER,
    wording.MEETING_PART,
    offer=handlers.offer_meetings,
    question=wording.WHICH_MEETING,
    too_big=wording.no_such_meeting("{number}"),
)

FEATURE = Feature(
    name="meetings",
    commands=(
        Command(
            name="meeting",
            summary=_("Add a meeting, once or repeating (co-chairs)"),
            handler=handlers.meeting_command,
            params=(
                Param("when", ParamKind.TEXT, _("When it is"), max_chars=150),
                Param("where", ParamKind.TEXT, _("Where it is, or its online link"), required=False, max_chars=600),
                Param("more", ParamKind.TEXT, _("Where else"), required=False, max_chars=600),
            ),
            access=Access.COCHAIR,
            separator="|",
            examples=(
                "/meeting Tuesday 6:30pm | Online: https://meet.example.org/abc | Town hall, room 2",
                "/meeting every other Tuesday 6:30pm for 90 minutes | Town hall",
                "/meeting first Monday of the month 7pm | https://meet.example.org/abc",
            ),
        ),
        Command(
            name="meetings",
            summary=_("See the next meetings, say if you'll come, add them to your calendar"),
            handler=handlers.meetings_command,
        ),
        Command(
            name="movemeeting",
            summary=_("Move a meeting, or change a repeating one from a date on (co-chairs)"),
            handler=handlers.movemeeting_command,
            params=(
                MEETING_ID,
                Param("when", ParamKind.TEXT, _("The new time"), max_chars=150),
                Param("where", ParamKind.TEXT, _("The new place or link"), required=False, max_chars=600),
            ),
            access=Access.COCHAIR,
            separator="|",
            examples=("/movemeeting 4 | Wednesday 7pm", "/movemeeting 4 | every other Wednesday 7pm"),
        ),
        Command(
            name="cancelmeeting",
            summary=_("Cancel a meeting, or a repeating one from a date on (co-chairs)"),
            handler=handlers.cancelmeeting_command,
            params=(
                MEETING_ID,
                Param(
                    "which", ParamKind.CHOICE, _("This date or all later ones"), required=False, choices=("this", "all")
                ),
            ),
            access=Access.COCHAIR,
            examples=("/cancelmeeting 4", "/cancelmeeting 4 all"),
        ),
        Command(
            name="apologies",
            summary=_("Send apologies for a meeting (the next one unless you give its number)"),
            handler=handlers.apologies_command,
            params=(Param("meeting", ParamKind.TEXT, _("The meeting's number"), required=False, max_chars=400),),
            examples=("/apologies", "/apologies 4"),
        ),
        Command(
            name="present",
            summary=_("Record who is in the room at the meeting (co-chairs)"),
            handler=handlers.present_command,
            params=(Param("names", ParamKind.TEXT, _("Their names"), required=False, max_chars=1000),),
            access=Access.COCHAIR,
            examples=("/present Sam, Jo", "/present"),
        ),
        Command(
            name="absence",
            summary=_("Record a member's agreed leave of absence (co-chairs)"),
            handler=handlers.absence_command,
            params=(Param("details", ParamKind.TEXT, _("Who, and until when"), max_chars=200),),
            access=Access.COCHAIR,
            examples=(
                "/absence Sam until 1 March",
                "/absence Sam from 5 January until 1 March",
                "/absence Sam until today",
            ),
        ),
        Command(
            name="attendance",
            summary=_("See your attendance privately (co-chairs see everyone's)"),
            handler=handlers.attendance_command,
            params=(Param("member", ParamKind.TEXT, _("A member's name (co-chairs)"), required=False, max_chars=100),),
            examples=("/attendance", "/attendance Sam"),
        ),
        Command(
            name="startmeeting",
            summary=_("Start the meeting: post the agenda and open check-in (co-chairs)"),
            handler=handlers.startmeeting_command,
            access=Access.COCHAIR,
        ),
        Command(
            name="endmeeting",
            summary=_("End the meeting and post its record (co-chairs)"),
            handler=handlers.endmeeting_command,
            access=Access.COCHAIR,
        ),
        Command(
            name="hand",
            summary=_("Raise your hand to speak when joining a meeting from home"),
            handler=handlers.hand_command,
        ),
        Command(
            name="minutes",
            summary=_("See the record of the last meeting, or of a meeting by its number"),
            handler=handlers.minutes_command,
            params=(dataclasses.replace(MEETING_ID, required=False, offer=None),),
            examples=("/minutes", "/minutes 4"),
        ),
    ),
    actions=(
        Action("hand", handlers.press_hand, access=Access.ANYONE, needs_group=False),
        Action("lowerhand", handlers.press_lower_hand, access=Access.ANYONE, needs_group=False),
        Action("nextspeaker", handlers.press_next_speaker, access=Access.ANYONE, needs_group=False),
        Action("going", handlers.press_going, access=Access.ANYONE, needs_group=False),
        Action("apologies", handlers.press_apologies, access=Access.ANYONE, needs_group=False),
        Action("apology_reason", handlers.press_apology_reason, access=Access.ANYONE, needs_group=False),
        Action("apology_noreason", handlers.press_no_reason, access=Access.ANYONE, needs_group=False),
        Action("apology_undo", handlers.press_apology_undo, access=Access.ANYONE, needs_group=False),
        Action("calendar", handlers.press_calendar, access=Access.ANYONE, needs_group=False),
        Action("whocomes", handlers.press_who, access=Access.ANYONE, needs_group=False),
        Action("checkin", handlers.press_checkin, access=Access.ANYONE, needs_group=False),
        Action("present", handlers.press_present, access=Access.ANYONE, needs_group=False),
        Action("presentpage", handlers.press_present_page, access=Access.ANYONE, needs_group=False),
        Action("cancelmeeting", handlers.press_cancelmeeting, access=Access.ANYONE, needs_group=False),
    ),
    prompts=(Prompt(handlers.REASON_PROMPT, handlers.answer_reason),),
    settings=(
        Setting(
            key=handlers.REMINDER_OFFSETS,
            title=wording.REMINDERS_TITLE,
            summary=wording.REMINDERS_SUMMARY,
            default=handlers.DEFAULT_OFFSETS,
            parse=handlers.parse_offsets,
            describe=handlers.describe_offsets,
            options=(
                ("2880,60", _("Two days and one hour before")),
                ("1440", _("One day before")),
                ("", _("No meeting reminders")),
            ),
            other_values=True,
        ),
        Setting(
            key="attendance_target",
            title=wording.TARGET_TITLE,
            summary=wording.TARGET_SUMMARY,
            default="80",
            parse=handlers.parse_target,
            describe=wording.target_described,
            options=(("80", _("Aim for 80%")), ("75", _("Aim for 75%"))),
            other_values=True,
        ),
        Setting(
            key="attendance_months",
            title=wording.MONTHS_TITLE,
            summary=wording.MONTHS_SUMMARY,
            default="12",
            parse=handlers.parse_months,
            describe=wording.months_described,
            options=(("12", _("Count the last 12 months")), ("6", _("Count the last 6 months"))),
            other_values=True,
        ),
    ),
    my_settings=(
        Setting(
            key=handlers.PRIVATE_REMINDERS,
            title=wording.PRIVATE_REMINDERS_TITLE,
            summary=wording.PRIVATE_REMINDERS_SUMMARY,
            default="no",
            parse=handlers.parse_yes_no,
            describe=wording.private_reminders_described,
            options=(("yes", wording.TURN_ON_PRIVATE), ("no", wording.TURN_OFF_PRIVATE)),
        ),
    ),
    listeners=(Listener(SettingChanged, handlers.on_setting_changed),),
    renderers=(("checkin", handlers.render_checkin), ("hands", handlers.render_hands)),
    jobs=(JobKind(handlers.MEETING_JOBS, all=handlers.all_meeting_jobs, one=handlers.one_meeting_jobs),),
    personal_data=PersonalData(
        tables=("meetings", "meeting_series", "meeting_replies", "attendance", "leave", "meeting_hands"),
        export=meetings.export_person,
        erase=meetings.erase_person,
    ),
)

__all__ = ["FEATURE"]
