"""Plain words: a glossary members look up in two seconds (/define, with typos, plurals and expanded forms), add
to and improve (/glossary, every change kept with who and when), seeded with health and care words in plain
English; jargon watch, which explains a glossary word once when it comes up in the group's chat; and /plain,
a plain-language check.

Listens to `Spoke` (the words travel with the event and are never stored)."""

from bot.events import Spoke
from bot.group_settings import Setting, parse_yes_no
from bot.i18n import _
from bot.registry import Access, Action, Command, Feature, Listener, Param, ParamKind, PersonalData
from commands.glossary import handlers, wording
from commands.glossary.seed import SEED
from storage import glossary

FEATURE = Feature(
    name="glossary",
    commands=(
        Command(
            name="define",
            summary=_("Look up a word or letters, like ICB, in plain words"),
            handler=handlers.define_command,
            params=(Param("term", ParamKind.TEXT, wording.TERM_PART, required=False, max_chars=100),),
            access=Access.ANYONE,
            examples=("/define ICB", "/define integrated care board"),
        ),
        Command(
            name="glossary",
            summary=_("See the glossary A to Z; add a word or improve one"),
            handler=handlers.glossary_command,
            params=(Param("change", ParamKind.TEXT, wording.CHANGE_PART, required=False, max_chars=800),),
            access=Access.ANYONE,
            examples=(
                "/glossary",
                "/glossary add PCN | A group of GP practices working together | Our PCN runs the Saturday clinic.",
                "/glossary edit ICB | better words | an example",
                "/glossary history ICB",
            ),
        ),
        Command(
            name="plain",
            summary=_("Check how easy a text is to read, with plainer words for jargon"),
            handler=handlers.plain_command,
            params=(Param("text", ParamKind.TEXT, wording.PLAIN_PART, required=False, max_chars=4000),),
            access=Access.ANYONE,
            examples=("/plain We will utilise the ICB's commissioning framework going forward.",),
        ),
    ),
    actions=(
        Action("define", handlers.press_define, access=Access.ANYONE),
        Action("glossary_page", handlers.press_page, access=Access.ANYONE),
    ),
    settings=(
        Setting(
            key=handlers.SEED_SETTING,
            title=wording.SEED_TITLE,
            summary=wording.SEED_SUMMARY.format(n=len(SEED)),
            default="yes",
            parse=parse_yes_no,
            describe=wording.seed_described,
            options=(("yes", _("Include the starting words")), ("no", _("Only our own words"))),
        ),
        Setting(
            key=handlers.JARGON_SETTING,
            title=wording.JARGON_TITLE,
            summary=wording.JARGON_SUMMARY,
            default="yes",
            parse=parse_yes_no,
            describe=wording.jargon_described,
            options=(("yes", _("Explain jargon")), ("no", _("Don't explain jargon"))),
        ),
    ),
    my_settings=(
        Setting(
            key=handlers.EXPLAIN_SETTING,
            title=wording.EXPLAIN_TITLE,
            summary=wording.EXPLAIN_SUMMARY,
            default="yes",
            parse=parse_yes_no,
            describe=wording.explain_described,
            options=(("yes", _("Explain words I use")), ("no", _("Don't explain words I use"))),
        ),
    ),
    listeners=(Listener(Spoke, handlers.on_spoke, many=True),),
    personal_data=PersonalData(
        tables=("glossary_changes", "jargon_explained"),
        export=glossary.export_person,
        erase=glossary.erase_person,
    ),
)

__all__ = ["FEATURE"]
