"""The one place that sees everything: it wires features, storage, the dispatcher and adapters."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.dispatcher import Dispatcher
from bot.registry import Registry
from bot.scheduler import Scheduler
from commands import FEATURES
from storage import Database

log = logging.getLogger("touchstone")

DEMO_GROUP = "Demo Lay Partners Group"


def build_registry() -> Registry:
    """Every feature's commands, actions and settings."""
    return Registry.from_features(FEATURES)


@dataclass
class App:
    settings: Settings
    database: Database
    registry: Registry
    dispatcher: Dispatcher
    clock: Clock
    scheduler: Scheduler

    async def close(self) -> None:
        await self.scheduler.shutdown()
        await self.database.dispose()


async def create_app(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> App:
    """Open the database (bringing its schema up to date) and build the dispatcher."""
    database = Database(settings.database_url)
    if migrate:
        await database.migrate()
    registry = build_registry()
    clock = clock or SystemClock()
    dispatcher = Dispatcher(registry, database, clock, default_timezone=settings.default_timezone)
    scheduler = Scheduler(
        database, clock, registry.job_sources, dispatcher.deliver_or_raise, default_timezone=settings.default_timezone
    )
    dispatcher.on_jobs_changed = scheduler.rebuild
    return App(settings, database, registry, dispatcher, clock, scheduler)


async def seed_demo(console: object) -> None:
    """Give a new terminal chat a demo group: Alice sets it up, Bob and Carol join. Dan has not."""
    from adapters.console import ConsoleAdapter

    assert isinstance(console, ConsoleAdapter)
    setup = await console.say("Alice", f"/setup {DEMO_GROUP}")
    if "Done!" not in setup.text:
        return  # already set up earlier: keep whatever is there
    await console.press("Alice", "Lay partner")
    await console.press("Bob", "Lay partner")
    await console.press("Carol", "Professional")
    console.messages.clear()


async def run(settings: Settings) -> int:
    """Run the bot: the terminal chat with no tokens, otherwise the configured platforms."""
    platforms = [
        name for name, token in (("Telegram", settings.telegram_token), ("Discord", settings.discord_token)) if token
    ]
    if platforms:
        log.error(
            "%s token set, but this version of Touchstone has only the terminal chat. "
            "Remove the token from .env to try the terminal chat.",
            " and ".join(platforms),
        )
        return 2
    app = await create_app(settings)
    try:
        from adapters.console import ConsoleAdapter, run_terminal

        console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
        await seed_demo(console)
        await app.scheduler.start()
        await run_terminal(console)
    finally:
        await app.close()
    return 0
