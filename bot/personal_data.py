"""People's data: everything held about one person, gathered from the core and every feature, and
erased from them all. `/mydata` and `/forgetme` are built on these.

The core covers people, accounts and memberships, and the messages kept for or queued to a person's
accounts; each feature covers its own tables (`Feature.personal_data`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.registry import PersonalData, Registry
from storage import conversations, groups, outbox, people


async def _export_core(session: AsyncSession, person_id: int) -> dict[str, Any]:
    found = await people.export_person(session, person_id)
    found["memberships"] = await groups.export_memberships(session, person_id)
    found["touchstone_changes"] = await groups.export_touchstone_changes(session, person_id)
    found["posts_hidden"] = await groups.export_hidings(session, person_id)
    return found


async def _erase_core(session: AsyncSession, person_id: int) -> None:
    accounts = (await people.accounts_of(session, [person_id])).get(person_id, [])
    pairs = [(a.platform, a.user_id) for a in accounts]
    await outbox.erase_for_accounts(session, pairs)
    for platform, user_id in pairs:
        await conversations.clear_all_pending(session, platform=platform, user_id=user_id)
    await groups.erase_touchstone_changes(session, person_id)
    await groups.erase_hidings(session, person_id)
    await groups.erase_memberships(session, person_id)
    await people.erase_person(session, person_id)


CORE = PersonalData(
    tables=("people", "accounts", "person_settings", "memberships", "touchstone_versions", "hidden_posts"),
    export=_export_core,
    erase=_erase_core,
)


def declarations(registry: Registry) -> dict[str, PersonalData]:
    """Every declaration: the core's first, then each feature's."""
    return {"core": CORE, **registry.personal_data}


async def export_person(registry: Registry, session: AsyncSession, person_id: int) -> dict[str, Any]:
    """Everything held about a person, by feature, as plain values."""
    return {name: await data.export(session, person_id) for name, data in declarations(registry).items()}


async def erase_person(registry: Registry, session: AsyncSession, person_id: int) -> None:
    """Erase a person from every feature, then from the core (accounts, name, memberships)."""
    for name, data in declarations(registry).items():
        if name != "core":
            await data.erase(session, person_id)
    await CORE.erase(session, person_id)
