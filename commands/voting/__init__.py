"""Voting: start a vote, answer with one tap, see who hasn't voted, close it and read the result.

Raises `TookPart(kind="ballot")` when a member first votes in a vote that is not anonymous."""

import dataclasses

from bot.errors import UserError
from bot.events import SignOffWanted, Stopped
from bot.group_settings import Setting
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, JobKind, Listener, Param, ParamKind, PersonalData, Prompt
from commands.voting import handlers, spec, wording
from storage import voting


def parse_yes_no(text: str) -> str:
    answer = " ".join(text.casefold().split())
    if answer in ("yes", "y", "on", "true", "members", "everyone", "let members start votes"):
        return "yes"
    if answer in ("no", "n", "off", "false", "co-chairs", "cochairs", "only co-chairs", "only co-chairs start votes"):
        return "no"
    raise UserError(wording.ANSWER_YES_OR_NO)


def parse_hours(text: str) -> str:
    typed = text.strip().casefold().removesuffix("hours").removesuffix("hour").strip()
    if not (typed.isascii() and typed.isdigit()) or not 0 <= int(typed) <= 168:
        raise UserError(wording.REMINDER_HOURS_OUT_OF_RANGE)
    return str(int(typed))


VOTE_PART = _("The vote's number")
VOTE_ID = Param(
    "vote",
    ParamKind.NUMBER,
    VOTE_PART,
    offer=handlers.offer_open_votes,
    question=wording.WHICH_VOTE,
    too_big=wording.NO_SUCH_VOTE_NUMBER,
)
OPTIONAL_VOTE_ID = dataclasses.replace(VOTE_ID, required=False)
CLOSED_VOTE_ID = dataclasses.replace(OPTIONAL_VOTE_ID, offer=handlers.offer_closed_votes)

FEATURE = Feature(
    name="voting",
    commands=(
        Command(
            name="vote",
            summary=_("Start a vote: type /vote on its own to be guided step by step"),
            handler=handlers.vote_command,
            params=(
                Param(
                    "question", ParamKind.TEXT, spec.QUESTION_PART, required=False, max_chars=spec.MAX_QUESTION_CHARS
                ),
                Param("choices", ParamKind.TEXT, _("The choices"), required=False, max_chars=1000),
                Param("closes", ParamKind.WHEN, _("When it closes"), required=False, max_chars=100),
                Param(
                    "extras", ParamKind.TEXT, _("Extras like anonymous or quorum 60%"), required=False, max_chars=200
                ),
            ),
            access=Access.MEMBER,
            guard=handlers.start_guard,
            guard_note=_("if the group allows"),
            separator="|",
            examples=(
                "/vote Should we meet monthly? | yes/no | Friday 5pm",
                "/vote Which day suits? | Monday, Tuesday, Thursday | in 3 days | anonymous",
                "/vote Our priorities | pick 2: Transport, Housing, Carers | 3 Dec 18:30 | quorum 60%",
            ),
        ),
        Command(
            name="votes",
            summary=_("See the open votes"),
            handler=handlers.votes_command,
            access=Access.MEMBER,
        ),
        Command(
            name="results",
            summary=_("See the result of a closed vote"),
            handler=handlers.results_command,
            params=(CLOSED_VOTE_ID,),
            access=Access.MEMBER,
            examples=("/results 3",),
        ),
        Command(
            name="notvoted",
            summary=_("See who hasn't voted yet"),
            handler=handlers.notvoted_command,
            params=(OPTIONAL_VOTE_ID,),
            access=Access.MEMBER,
            examples=("/notvoted 3",),
        ),
        Command(
            name="closevote",
            summary=_("Close a vote now (co-chairs)"),
            handler=handlers.closevote_command,
            params=(OPTIONAL_VOTE_ID,),
            access=Access.COCHAIR,
            examples=("/closevote 3",),
        ),
        Command(
            name="extend",
            summary=_("Give a vote more time (co-chairs)"),
            handler=handlers.extend_command,
            params=(VOTE_ID, Param("closes", ParamKind.WHEN, _("The new closing time"))),
            access=Access.COCHAIR,
            examples=("/extend 3 Monday 5pm",),
        ),
        Command(
            name="proxy",
            summary=_("Record a vote a member gave you by phone or in person (co-chairs)"),
            handler=handlers.proxy_command,
            params=(
                VOTE_ID,
                Param("member", ParamKind.MEMBER, _("The member's name")),
                Param("choice", ParamKind.TEXT, _("Their choice")),
            ),
            access=Access.COCHAIR,
            separator="|",
            examples=("/proxy 3 | Sam | Yes",),
        ),
    ),
    actions=(
        Action("ballot", handlers.press_ballot, access=Access.ANYONE, needs_group=False, batch=handlers.press_ballots),
        Action("unrank", handlers.press_unrank, access=Access.ANYONE, needs_group=False),
        Action("notvoted", handlers.press_notvoted, access=Access.ANYONE, needs_group=False),
        Action("remind", handlers.press_remind, access=Access.ANYONE, needs_group=False),
        Action("showvote", handlers.press_showvote, access=Access.ANYONE, needs_group=False),
        Action("vote_kind", handlers.press_kind, access=Access.MEMBER),
        Action("vote_limit", handlers.press_limit, access=Access.MEMBER),
        Action("vote_draft", handlers.press_draft, access=Access.MEMBER),
    ),
    prompts=(
        Prompt("vote_question", handlers.answer_question),
        Prompt("vote_closes", handlers.answer_closing_time),
        Prompt("vote_kind", handlers.answer_kind),
        Prompt("vote_options", handlers.answer_options),
        Prompt("vote_limit", handlers.answer_limit),
        Prompt("vote_deadline", handlers.answer_deadline),
        Prompt("vote_ready", handlers.answer_ready),
        Prompt("vote_reason", handlers.answer_reason),
    ),
    settings=(
        Setting(
            key="members_can_start_votes",
            title=_("Members can start votes"),
            summary=_("Whether any member may start a vote (yes or no)."),
            default="no",
            parse=parse_yes_no,
            describe=wording.who_starts_votes,
            options=(("yes", _("Let members start votes")), ("no", _("Only co-chairs start votes"))),
        ),
        Setting(
            key="vote_reminder_hours",
            title=_("Vote reminders"),
            summary=_("How many hours before a vote closes to remind people who haven't voted (0 for never)."),
            default="24",
            parse=parse_hours,
            describe=wording.reminder_hours,
            options=(("24", _("Remind a day before")), ("48", _("Remind two days before")), ("0", _("No reminders"))),
            other_values=True,
        ),
    ),
    listeners=(Listener(Stopped, handlers.on_stopped), Listener(SignOffWanted, handlers.on_sign_off_wanted)),
    renderers=(("vote", handlers.render_vote_key),),
    jobs=(JobKind(handlers.VOTE_JOBS, all=handlers.all_vote_jobs, one=handlers.one_vote_jobs),),
    personal_data=PersonalData(
        tables=("votes", "vote_voters", "ballots", "ballot_changes"),
        export=voting.export_person,
        erase=voting.erase_person,
    ),
)

__all__ = ["FEATURE"]
