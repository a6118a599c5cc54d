"""The one place that sees everything: it wires features, storage, the dispatcher and adapters."""

from __future__ import annotations

import asyncio
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
    if settings.discord_token:
        log.error(
            "DISCORD_TOKEN is set, but this version of Touchstone has no Discord adapter yet. "
            "Remove it from .env to run Telegram or the terminal chat."
        )
        return 2
    app = await create_app(settings)
    try:
        if settings.telegram_token:
            return await run_telegram(app, settings)
        from adapters.console import ConsoleAdapter, run_terminal

        console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP)
        await seed_demo(console)
        await app.scheduler.start()
        await run_terminal(console)
    finally:
        await app.close()
    return 0


async def run_telegram(app: App, settings: Settings) -> int:
    """Telegram and the scheduler on one event loop, until Ctrl-C or SIGTERM."""
    import secrets
    import signal

    from adapters.telegram import TelegramAdapter, Webhook

    assert settings.telegram_token is not None
    webhook = None
    if settings.telegram_webhook_url:
        secret = settings.telegram_webhook_secret
        webhook = Webhook(
            settings.telegram_webhook_url,
            secret.get_secret_value() if secret else secrets.token_urlsafe(32),
            settings.telegram_webhook_listen,
            settings.telegram_webhook_port,
        )
    telegram = TelegramAdapter(
        app.dispatcher,
        app.registry,
        settings.telegram_token.get_secret_value(),
        base_url=settings.telegram_api_url,
        webhook=webhook,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await telegram.start()
    await app.scheduler.start()
    log.info("Touchstone is running on Telegram as @%s. Press Ctrl-C to stop.", telegram.username)
    try:
        await stop.wait()
        log.info("Stopping: finishing what is under way.")
    finally:
        await app.scheduler.shutdown()
        await app.dispatcher.settle()
        await telegram.settle()
        await telegram.stop()
    log.info("Touchstone has stopped.")
    return 0
