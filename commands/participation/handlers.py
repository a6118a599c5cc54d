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


async def on_took_part(unit: Unit, event: TookPart) -> None:
    """A named act another feature saw (a ballot, a view): counted by its kind."""
    await participation.record(
        unit.session, group_id=event.group_id, person_id=event.person_id, channel_id=None, kind=event.kind, at=event.at
    )
