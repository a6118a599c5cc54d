"""A co-produced agenda: any member proposes an item (privately it can be without their name), the group's
support ranks it, co-chairs shape it, the scheduler publishes it before the meeting and items not reached
carry over. At the meeting itself, the co-chair moves item by item; comments from home, votes and actions
are recorded against the item under way and go into the meeting's record.

Raises `TookPart(kind="proposal")` for a named proposal and `TookPart(kind="comment")` for a comment."""

from bot.events import MeetingChanged, MeetingEnded, MeetingStarted, VoteClosed, VoteOpened
from bot.group_settings import Setting
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
)
from commands.agenda import handlers, wording
from storage import agenda

FEATURE = Feature(
    name="agenda",
    commands=(
        Command(
            name="propose",
            summary=_("Propose an item for the next meeting's agenda (privately, it can be without your name)"),
            handler=handlers.propose_command,
            params=(
                Param("item", ParamKind.TEXT, wording.ITEM_PART, max_chars=handlers.MAX_TITLE),
                Param("note", ParamKind.TEXT, wording.NOTE_PART, required=False, max_chars=handlers.MAX_NOTE),
                Param(
                    "how",
                    ParamKind.CHOICE,
                    _("With your name or not"),
                    required=False,
                    choices=("named", "anonymous"),
                ),
            ),
            separator="|",
            examples=(
                "/propose Transport to the hospital",
                "/propose Carers' breaks | https://example.org/carers-report",
                "/propose Our complaints process | | anonymous",
            ),
        ),
        Command(
            name="agenda",
            summary=_("See the agenda for the next meeting, most supported first"),
            handler=handlers.agenda_command,
        ),
        Command(
            name="item",
            summary=_("Change an agenda item: its place, merge, defer, time, or withdraw it"),
            handler=handlers.item_command,
            params=(
                Param("item", ParamKind.NUMBER, _("The item's number"), too_big=wording.no_such_item("{number}")),
                Param("change", ParamKind.TEXT, _("What to change"), max_chars=60),
            ),
            examples=("/item 4 first", "/item 4 to 2", "/item 4 into 7", "/item 4 defer", "/item 4 time 15 minutes"),
        ),
        Command(
            name="nextitem",
            summary=_("Move the meeting on to the next agenda item (co-chairs)"),
            handler=handlers.nextitem_command,
            access=Access.COCHAIR,
        ),
        Command(
            name="comment",
            summary=_("Send a written comment to the meeting under way (it goes in the record with your name)"),
            handler=handlers.comment_command,
            params=(Param("comment", ParamKind.TEXT, wording.COMMENT_PART, max_chars=1000),),
            examples=("/comment I agree with Sam, and the bus times matter too.",),
        ),
        Command(
            name="action",
            summary=_("Record an action at the meeting: who will do what (co-chairs)"),
            handler=handlers.action_command,
            params=(
                Param("who", ParamKind.TEXT, _("Who"), max_chars=100),
                Param("what", ParamKind.TEXT, _("What they will do"), max_chars=300),
            ),
            access=Access.COCHAIR,
            separator="|",
            examples=("/action Sam | book the room for March",),
        ),
    ),
    actions=(
        Action(
            "support", handlers.press_support, access=Access.ANYONE, needs_group=False, batch=handlers.press_supports
        ),
        Action("propose_go", handlers.press_propose_go, access=Access.MEMBER),
        Action("agendapage", handlers.press_agenda_page, access=Access.MEMBER),
    ),
    settings=(
        Setting(
            key="agenda_publish_days",
            title=wording.PUBLISH_TITLE,
            summary=wording.PUBLISH_SUMMARY,
            default=handlers.DEFAULT_PUBLISH,
            parse=handlers.parse_days,
            describe=wording.publish_described,
            options=(("7", _("A week before")), ("3", _("Three days before")), ("0", _("Don't post it"))),
            other_values=True,
            agrees=handlers.publish_agrees,
        ),
        Setting(
            key="proposals_close_days",
            title=wording.CLOSE_TITLE,
            summary=wording.CLOSE_SUMMARY,
            default=handlers.DEFAULT_CLOSE,
            parse=handlers.parse_days,
            describe=wording.close_described,
            options=(("7", _("A week before")), ("14", _("Two weeks before"))),
            other_values=True,
            agrees=handlers.close_agrees,
        ),
    ),
    prompts=(Prompt(handlers.PROPOSE_PROMPT, handlers.answer_propose),),
    listeners=(
        Listener(MeetingStarted, handlers.on_meeting_started),
        Listener(MeetingEnded, handlers.on_meeting_ended),
        Listener(MeetingChanged, handlers.on_meeting_changed),
        Listener(VoteOpened, handlers.on_vote_opened),
        Listener(VoteClosed, handlers.on_vote_closed),
    ),
    renderers=(("item", handlers.render_item),),
    jobs=(JobKind(handlers.AGENDA_JOBS, all=handlers.all_agenda_jobs, one=handlers.one_agenda_jobs),),
    sections=(("meeting_reminder", handlers.reminder_section), ("minutes", handlers.minutes_section)),
    hideables=(Hideable("item", _("an anonymous agenda item"), handlers.hide_item),),
    personal_data=PersonalData(
        tables=("agenda_items", "agenda_support", "agenda_notes"),
        export=agenda.export_person,
        erase=agenda.erase_person,
    ),
)

__all__ = ["FEATURE"]
