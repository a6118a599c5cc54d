"""The one place that sees everything: it wires features, storage, the dispatcher and adapters."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot import coordination
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.coordination import Coordinator
from bot.dispatcher import Dispatcher
from bot.live import REFRESH_INTERVAL_S
from bot.ports import PlatformUnreachable, TokenRefused
from bot.registry import Feature, Registry
from bot.scheduler import Scheduler
from bot.types import Platform
from commands import agenda, glossary, group, linking, meetings, papers, participation, projects, rights, skills, voting
from storage import Database

log = logging.getLogger("touchstone")

DEMO_GROUP = "Demo Lay Partners Group"

#: Every feature of the running bot. Adding a feature is one line here (and its package in commands/).
FEATURES: tuple[Feature, ...] = (
    group.FEATURE,
    participation.FEATURE,
    voting.FEATURE,
    meetings.FEATURE,
    agenda.FEATURE,
    papers.FEATURE,
    glossary.FEATURE,
    skills.FEATURE,
    projects.FEATURE,
    linking.FEATURE,
    rights.FEATURE,
)


def build_registry(features: tuple[Feature, ...] = FEATURES) -> Registry:
    """Every feature's commands, actions, settings, jobs and listeners."""
    return Registry.from_features(features)


@dataclass
class App:
    settings: Settings
    database: Database
    registry: Registry
    dispatcher: Dispatcher
    clock: Clock
    scheduler: Scheduler
    coordinator: Coordinator

    async def start(self) -> None:
        """Start the background work: leadership (the scheduler, where this process leads) and the
        outbox sender for the platforms this process serves."""
        await self.coordinator.start()
        self.dispatcher.sender.start()
        self.dispatcher.sender.wake()  # messages left from before a restart

    async def close(self) -> None:
        await self.scheduler.shutdown()
        await self.coordinator.stop()
        await self.dispatcher.sender.stop()
        await self.database.dispose()


async def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    features: tuple[Feature, ...] = FEATURES,
) -> App:
    """Open the database (bringing its schema up to date) and wire the features to the core."""
    database = Database(settings.database_url)
    if migrate:
        await database.migrate()
    registry = build_registry(features)
    clock = clock or SystemClock()
    dispatcher = Dispatcher(
        registry,
        database,
        clock,
        default_timezone=settings.default_timezone,
        outbox_poll_s=settings.outbox_poll_seconds,
    )
    scheduler = Scheduler(
        database,
        clock,
        list(registry.job_kinds.values()),
        dispatcher,
        default_timezone=settings.default_timezone,
        resync_s=settings.scheduler_resync_seconds,
    )
    coordinator = Coordinator(database, retry_s=settings.scheduler_poll_seconds)
    coordinator.on_lead = scheduler.lead
    coordinator.on_unlead = scheduler.step_down
    coordinator.on_connected = dispatcher.sender.wake
    coordinator.listen(coordination.JOBS, scheduler.heard)
    coordinator.listen(coordination.OUTBOX, dispatcher.sender.wake)
    dispatcher.on_rescheduled = scheduler.refresh
    return App(settings, database, registry, dispatcher, clock, scheduler, coordinator)


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
    app = await create_app(settings)
    try:
        if settings.telegram_token or settings.discord_token:
            return await run_platforms(app, settings)
        from adapters.console import ConsoleAdapter, run_terminal

        files = Path(settings.console_files_dir) if settings.console_files_dir else None
        console = ConsoleAdapter(app.dispatcher, group_title=DEMO_GROUP, files_dir=files)
        await seed_demo(console)
        await app.start()
        await run_terminal(console)
    finally:
        await app.close()
    return 0


PLATFORM_NAMES = {"telegram": "Telegram", "discord": "Discord"}


class Adapter(Protocol):
    @property
    def platform(self) -> Platform: ...
    @property
    def username(self) -> str: ...

    async def start(self) -> None: ...
    async def settle(self) -> None: ...
    async def stop(self) -> None: ...
    async def lost(self) -> str:
        """Returns (with a plain reason) only if the connection to the platform ends for good."""
        ...


def platform_adapters(app: App, settings: Settings) -> list[Adapter]:
    """An adapter for each platform with a token: Telegram, Discord, or both."""
    adapters: list[Adapter] = []
    if settings.telegram_token:
        from adapters.telegram import TelegramAdapter, Webhook

        webhook = None
        if settings.telegram_webhook_url:
            secret = settings.telegram_webhook_secret
            webhook = Webhook(
                settings.telegram_webhook_url,
                secret.get_secret_value() if secret else secrets.token_urlsafe(32),
                settings.telegram_webhook_listen,
                settings.telegram_webhook_port,
            )
        adapters.append(
            TelegramAdapter(
                app.dispatcher,
                app.registry,
                settings.telegram_token.get_secret_value(),
                base_url=settings.telegram_api_url,
                webhook=webhook,
                sends_per_second=settings.telegram_sends_per_second,
            )
        )
    if settings.discord_token:
        from adapters.discord import DiscordAdapter

        adapters.append(
            DiscordAdapter(
                app.dispatcher,
                app.registry,
                settings.discord_token.get_secret_value(),
                api_url=settings.discord_api_url,
                gateway_url=settings.discord_gateway_url,
                guild_id=settings.discord_guild_id,
                message_content=settings.discord_message_content,
            )
        )
    return adapters


async def run_platforms(app: App, settings: Settings) -> int:
    """Telegram and/or Discord and the scheduler on one event loop and one database, until Ctrl-C or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    started: list[Adapter] = []
    code = 0
    app.dispatcher.live.min_interval = REFRESH_INTERVAL_S
    try:
        for adapter in platform_adapters(app, settings):
            await adapter.start()
            started.append(adapter)
            name = PLATFORM_NAMES.get(adapter.platform, adapter.platform)
            log.info("Touchstone is running on %s as @%s.", name, adapter.username)
        await app.start()
        log.info("Press Ctrl-C to stop.")
        watching = [asyncio.create_task(stop.wait()), *(asyncio.create_task(a.lost()) for a in started)]
        done, waiting = await asyncio.wait(watching, return_when=asyncio.FIRST_COMPLETED)
        for task in waiting:
            task.cancel()
        lost = [task.result() for task in done if isinstance(task.result(), str)]
        if lost:
            # Exit, so whatever runs the bot (systemd, Docker) can start it again.
            log.error("%s Touchstone will stop now.", lost[0])
            code = 1
        else:
            log.info("Stopping: finishing what is under way.")
    except TokenRefused as refused:
        log.error("%s", refused)
        return 2
    except PlatformUnreachable as unreachable:
        log.error("%s", unreachable)
        return 3
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signal_number)
        await app.scheduler.shutdown()
        await app.dispatcher.sender.stop()
        await app.dispatcher.settle()
        for adapter in reversed(started):
            await adapter.settle()
            await adapter.stop()
    log.info("Touchstone has stopped.")
    return code
