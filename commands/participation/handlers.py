"""Recording taking part: thin listeners. Who, where, when and what kind; never the words."""

from __future__ import annotations

from bot.context import Unit
from bot.events import Spoke, Standing, TookPart
from commands.participation import rules
from storage import groups, participation


async def on_spoke(unit: Unit, event: Spoke) -> None:
    """A message in the group's chat counts for a member (someone seen for the first time has just
    been added to the roster, so they count too)."""
    standing = event.standing
    if standing is Standing.STRANGER and await groups.is_active_member(unit.session, event.group_id, event.person_id):
        standing = Standing.MEMBER
    if rules.counts(standing):
        await participation.record(
            unit.session,
            group_id=event.group_id,
            person_id=event.person_id,
            channel_id=event.channel_id,
            kind=rules.MESSAGE,
            at=event.at,
        )


async def on_took_part(unit: Unit, events: list[TookPart]) -> None:
    """Named acts other features saw (ballots, views), raised together: counted by their kind."""
    await participation.record_many(
        unit.session,
        [
            {"group_id": e.group_id, "person_id": e.person_id, "channel_id": None, "kind": e.kind, "at": e.at}
            for e in events
        ],
    )
