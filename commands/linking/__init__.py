"""One group across Discord and Telegram: /linkchat links a chat on another platform to a group as a second
channel (everything posted to a group reaches all its channels), /linkme makes two accounts one person (one
membership, one ballot, one count), /unlink undoes either."""

from bot.group_settings import Setting
from bot.i18n import _
from bot.registry import Access, Command, Feature, Param, ParamKind, PersonalData
from commands.linking import handlers, wording
from storage import linking
from storage.people import PRIVATE_PLATFORM

FEATURE = Feature(
    name="linking",
    commands=(
        Command(
            name="linkchat",
            summary=_("Link this group's chat with a chat on another platform (co-chairs get a code)"),
            handler=handlers.linkchat_command,
            params=(Param("code", ParamKind.TEXT, wording.CODE_PART, required=False, max_chars=20),),
            access=Access.ANYONE,
            needs_group=False,
            examples=("/linkchat", "/linkchat 48219931"),
        ),
        Command(
            name="linkme",
            summary=_("Make your accounts on two platforms one person (send it to me privately)"),
            handler=handlers.linkme_command,
            params=(Param("code", ParamKind.TEXT, wording.CODE_PART, required=False, max_chars=20),),
            access=Access.ANYONE,
            needs_group=False,
            examples=("/linkme", "/linkme 48219931"),
        ),
        Command(
            name="unlink",
            summary=_("Unlink this chat from the group, or privately, this account from your others"),
            handler=handlers.unlink_command,
            access=Access.ANYONE,
            needs_group=False,
        ),
    ),
    my_settings=(
        Setting(
            key=PRIVATE_PLATFORM,
            title=wording.PLATFORM_TITLE,
            summary=wording.PLATFORM_SUMMARY,
            default="last",
            parse=handlers.parse_platform,
            describe=wording.platform_described,
            options=(
                ("last", _("Where I last wrote to you")),
                ("telegram", _("Telegram")),
                ("discord", _("Discord")),
            ),
        ),
    ),
    personal_data=PersonalData(
        tables=("link_codes", "link_failures"), export=linking.export_person, erase=linking.erase_person
    ),
)

__all__ = ["FEATURE"]
