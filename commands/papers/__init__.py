"""Discussion papers that invite open contributions: posted on a schedule with "your views are welcome until
…", views by reply (or in the paper's thread) or privately, with or without a name, a kind reminder before
views close, and a summary when they do.

Raises `TookPart(kind="view")` for a named view, and `TookPart(kind="thread_message")` for a message in a
paper's thread whose words the bot may not read."""

from bot.group_settings import Setting, parse_yes_no
from bot.i18n import _
from bot.registry import (
    Access,
    Action,
    Command,
    Feature,
    Hideable,
    JobKind,
    Param,
    ParamKind,
    PersonalData,
    Prompt,
)
from commands.papers import handlers, wording
from storage import papers

FEATURE = Feature(
    name="papers",
    commands=(
        Command(
            name="paper",
            summary=_("Add a discussion paper, posted when you say, inviting views (co-chairs)"),
            handler=handlers.paper_command,
            params=(
                Param("title", ParamKind.TEXT, wording.TITLE_PART, max_chars=200),
                Param("summary", ParamKind.TEXT, wording.SUMMARY_PART, max_chars=600),
                Param("paper", ParamKind.TEXT, wording.PAPER_PART, required=False, max_chars=3000),
                Param("post", ParamKind.WHEN, wording.POST_PART, required=False, max_chars=100),
                Param("open", ParamKind.TEXT, wording.OPEN_PART, required=False, max_chars=100),
                Param("document", ParamKind.FILE, wording.DOCUMENT_PART, required=False),
            ),
            access=Access.MEMBER,
            guard=handlers.paper_guard,
            guard_note=_("co-chairs, or members if the group allows"),
            separator="|",
            examples=(
                "/paper Hospital transport | What should the trust change? | https://example.org/paper.pdf | "
                "Monday 9am | until Friday 5pm",
                "/paper Carers' breaks | Three options to discuss | Option 1: … | now | for 7 days",
            ),
        ),
        Command(
            name="papers",
            summary=_("See the open and recent discussion papers"),
            handler=handlers.papers_command,
        ),
        Command(
            name="view",
            summary=_("Share your view on a discussion paper, with or without your name"),
            handler=handlers.view_command,
            params=(
                Param("paper", ParamKind.NUMBER, _("The paper's number"), too_big=wording.no_such_paper("{number}")),
                Param("view", ParamKind.TEXT, wording.VIEW_PART, required=False, max_chars=handlers.MAX_VIEW),
            ),
            examples=("/view 3 The buses after 6pm are the real problem.",),
        ),
    ),
    actions=(
        Action("addview", handlers.press_add_view, access=Access.ANYONE, needs_group=False),
        Action("viewas", handlers.press_view_as, access=Access.ANYONE, needs_group=False),
    ),
    prompts=(Prompt(handlers.VIEW_PROMPT, handlers.answer_view), Prompt(handlers.NAMED_PROMPT, handlers.answer_named)),
    settings=(
        Setting(
            key="members_can_add_papers",
            title=wording.MEMBERS_TITLE,
            summary=wording.MEMBERS_SUMMARY,
            default="no",
            parse=parse_yes_no,
            describe=wording.members_described,
            options=(("yes", _("Let members add papers")), ("no", _("Only co-chairs add papers"))),
        ),
    ),
    my_settings=(
        Setting(
            key=handlers.PAPER_REMINDERS,
            title=wording.REMINDERS_TITLE,
            summary=wording.REMINDERS_SUMMARY,
            default="yes",
            parse=parse_yes_no,
            describe=wording.reminders_described,
            options=(("yes", _("Remind me about papers")), ("no", _("No reminders about papers"))),
        ),
    ),
    replies=(("paper", handlers.on_reply),),
    renderers=(("paper", handlers.render_paper), ("view", handlers.render_view)),
    jobs=(JobKind(handlers.PAPER_JOBS, all=handlers.all_paper_jobs, one=handlers.one_paper_jobs),),
    hideables=(Hideable("view", _("an anonymous view on a paper"), handlers.hide_view),),
    personal_data=PersonalData(
        tables=("papers", "paper_views"), export=papers.export_person, erase=papers.erase_person
    ),
)

__all__ = ["FEATURE"]
