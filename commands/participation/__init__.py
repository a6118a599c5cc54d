"""Taking part: a record of who took part in a group, where, when and how (a message, a ballot…),
never the words, and never for anonymous acts. "Who hasn't contributed yet" is built on it."""

from bot.events import Spoke, TookPart
from bot.registry import Feature, Listener, PersonalData
from commands.participation import handlers
from storage import participation

FEATURE = Feature(
    name="participation",
    listeners=(Listener(Spoke, handlers.on_spoke), Listener(TookPart, handlers.on_took_part, many=True)),
    personal_data=PersonalData(
        tables=("contributions",), export=participation.export_person, erase=participation.erase_person
    ),
)

__all__ = ["FEATURE"]
