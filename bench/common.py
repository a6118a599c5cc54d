"""What the benchmarks share: percentiles, and a group set up the way members would do it."""

from __future__ import annotations

import logging

from adapters.console import ConsoleAdapter
from bot.config import Settings


def bench_settings(database_url: str) -> Settings:
    """Settings for a benchmark: this database, no tokens, and no .env read."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        telegram_token=None,
        discord_token=None,
    )


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values fall (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def set_up_group(console: ConsoleAdapter, members: int, group_name: str) -> list[str]:
    """Alice sets the group up; everyone else joins by typing /join and pressing a button."""
    names = ["Alice"] + [f"Member{n:03d}" for n in range(2, members + 1)]
    setup = await console.say("Alice", f"/setup {group_name}")
    if "Done!" not in setup.text:
        raise SystemExit(f"setup failed: {setup.text}")
    await console.press("Alice", "Lay partner")
    for name in names[1:]:
        await console.say(name, "/join")
        joined = await console.press(name, "Lay partner")
        if "now a member" not in joined.text:
            raise SystemExit(f"{name} could not join: {joined.text}")
    return names


def spread(sorted_values: list[float]) -> dict[str, float]:
    """Median, 90th and 99th percentiles and the maximum of sorted values (NaN for none)."""
    if not sorted_values:
        return {"p50": float("nan"), "p90": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "p50": percentile(sorted_values, 0.50),
        "p90": percentile(sorted_values, 0.90),
        "p99": percentile(sorted_values, 0.99),
        "max": sorted_values[-1],
    }


def plan(people: int, presses: int) -> list[tuple[int, int]]:
    """(person, choice) for each press: everyone in turn, each person alternating Yes (0) and No (1)."""
    return [(i % people, (i % people + i // people) % 2) for i in range(presses)]


class LogCapture(logging.Handler):
    """Keeps every warning and error logged (the platform library's, the adapter's, the dispatcher's)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.name}: {record.getMessage()}")
