"""Projects the group works on, signed off by lay members: /project, /projects, /signoff and /learned.

Asks for a lay-partners-only vote by raising `SignOffWanted` (the voting feature opens it) and hears the result
in `VoteClosed` (its `about` names the project). Features never import each other."""

from bot.events import VoteClosed
from bot.i18n import _
from bot.registry import Access, Command, Feature, JobKind, Listener, Param, ParamKind, PersonalData
from commands.projects import handlers, wording
from storage import projects

FEATURE = Feature(
    name="projects",
    commands=(
        Command(
            name="project",
            summary=_("Add a project the group works on, with its lead and review date (co-chairs)"),
            handler=handlers.project_command,
            params=(
                Param("title", ParamKind.TEXT, wording.TITLE_PART, max_chars=200),
                Param("lead", ParamKind.MEMBER, wording.LEAD_PART, required=False),
                Param("review", ParamKind.WHEN, wording.REVIEW_PART, required=False, max_chars=100),
            ),
            access=Access.COCHAIR,
            separator="|",
            examples=("/project Hospital transport | Sam | 1 March",),
        ),
        Command(name="projects", summary=_("See the group's projects"), handler=handlers.projects_command),
        Command(
            name="signoff",
            summary=_("Ask lay partners to sign off a completed project (its lead or co-chairs)"),
            handler=handlers.signoff_command,
            params=(Param("project", ParamKind.NUMBER, wording.NUMBER_PART),),
            examples=("/signoff 2",),
        ),
        Command(
            name="learned",
            summary=_("Share what we learned from a project, after its review date"),
            handler=handlers.learned_command,
            params=(
                Param("project", ParamKind.NUMBER, wording.NUMBER_PART),
                Param("lesson", ParamKind.TEXT, wording.LESSON_PART, required=False, max_chars=2000),
            ),
            examples=("/learned 2 Ask carers before we plan, not after.",),
        ),
    ),
    listeners=(Listener(VoteClosed, handlers.on_vote_closed),),
    jobs=(JobKind(handlers.PROJECT_JOBS, all=handlers.all_jobs, one=handlers.one_jobs),),
    replies=((handlers.PROJECT_JOBS, handlers.on_reply),),
    personal_data=PersonalData(
        tables=("projects", "project_lessons"), export=projects.export_person, erase=projects.erase_person
    ),
)

__all__ = ["FEATURE"]
