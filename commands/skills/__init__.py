"""A skills bank so everyone's skills are used: /offer in your own words (tags through a small synonym list and
fuzzy matching), /skills to find them, /myskills to remove one; and a second route for /askhelp: hearing
`HelpAsked` (raised by the participation feature), it offers to ask the members whose skills fit, and introduces
a helper once both agree."""

from bot.events import HelpAsked
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, Listener, Param, ParamKind, PersonalData
from commands.skills import handlers, wording
from storage import skills

FEATURE = Feature(
    name="skills",
    commands=(
        Command(
            name="offer",
            summary=_("Offer a skill to the group, in your own words"),
            handler=handlers.offer_command,
            params=(Param("skill", ParamKind.TEXT, wording.SKILL_PART, required=False, max_chars=300),),
            examples=("/offer I'm good with spreadsheets", "/offer I can design leaflets"),
        ),
        Command(
            name="skills",
            summary=_("See the group's skills bank, or search it"),
            handler=handlers.skills_command,
            params=(Param("search", ParamKind.TEXT, wording.SEARCH_PART, required=False, max_chars=200),),
            examples=("/skills", "/skills excel"),
        ),
        Command(
            name="myskills",
            summary=_("See the skills you offered, with a button to remove each"),
            handler=handlers.myskills_command,
        ),
    ),
    actions=(
        Action("skill_remove", handlers.press_remove, access=Access.ANYONE, needs_group=False),
        Action("help_ask", handlers.press_ask, access=Access.ANYONE, needs_group=False),
        Action("help_can", handlers.press_can_help, access=Access.ANYONE, needs_group=False),
        Action("help_intro", handlers.press_introduce, access=Access.ANYONE, needs_group=False),
    ),
    listeners=(Listener(HelpAsked, handlers.on_help_asked),),
    replies=((handlers.INTRO, handlers.on_reply),),
    personal_data=PersonalData(
        tables=("skills", "help_matches", "help_offers"), export=skills.export_person, erase=skills.erase_person
    ),
)

__all__ = ["FEATURE"]
