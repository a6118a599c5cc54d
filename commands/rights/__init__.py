"""People's rights over their data: /mydata and /forgetme, built on every feature's `PersonalData`."""

from bot.i18n import _
from bot.registry import Access, Action, Command, Feature
from commands.rights import handlers

FEATURE = Feature(
    name="rights",
    commands=(
        Command(
            name="mydata",
            summary=_("Get a file of everything I hold about you (send it to me privately)"),
            handler=handlers.mydata_command,
            access=Access.ANYONE,
            needs_group=False,
        ),
        Command(
            name="forgetme",
            summary=_("Ask me to forget you: your name, accounts and records (privately)"),
            handler=handlers.forgetme_command,
            access=Access.ANYONE,
            needs_group=False,
        ),
    ),
    actions=(Action("forget", handlers.press_forget, access=Access.ANYONE, needs_group=False),),
)

__all__ = ["FEATURE"]
