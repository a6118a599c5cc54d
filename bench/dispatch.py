"""How long one command takes through the dispatcher and storage (SQLite file, terminal adapter).

Sets up a group of 20 members through the terminal chat, then times 2,000 commands (/members,
/help and /touchstone, from different members in turn), each its own unit of work, as the
platforms would send them. Prints the figures, then one JSON line: {"median_ms": …, "p99_ms": …}.

    make bench            or    .venv/bin/python bench/dispatch.py [--commands N] [--members N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from common import bench_settings, percentile, set_up_group

from adapters.console import ConsoleAdapter
from bot.app import create_app
from bot.types import CommandCall

GROUP_NAME = "Bench Lay Partners"
COMMANDS = ("members", "help", "touchstone")
TARGET_MEDIAN_MS = 2.0


async def bench(commands: int, members: int, warmup: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="touchstone-bench-") as folder:
        settings = bench_settings(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        app = await create_app(settings)
        try:
            console = ConsoleAdapter(app.dispatcher, group_title=GROUP_NAME)
            names = await set_up_group(console, members, GROUP_NAME)
            events = [
                CommandCall(
                    name=COMMANDS[i % len(COMMANDS)],
                    args="",
                    actor=console.user(names[i % len(names)]),
                    chat=console.group_chat,
                )
                for i in range(warmup + commands)
            ]
            for event in events[:warmup]:
                await app.dispatcher.handle(event)
            timings: list[float] = []
            errors = 0
            started = time.perf_counter()
            for event in events[warmup:]:
                before = time.perf_counter()
                outcome = await app.dispatcher.handle(event)
                timings.append((time.perf_counter() - before) * 1000)
                if outcome.error_id is not None or not outcome.replies:
                    errors += 1
            total_s = time.perf_counter() - started
        finally:
            await app.close()

    timings.sort()
    figures = {
        "count": len(timings),
        "members": len(names),
        "errors": errors,
        "median_ms": statistics.median(timings),
        "p90_ms": percentile(timings, 0.90),
        "p99_ms": percentile(timings, 0.99),
        "max_ms": timings[-1],
        "total_s": total_s,
        "commands_per_s": len(timings) / total_s,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=2000, help="how many commands to time (default 2000)")
    parser.add_argument("--members", type=int, default=20, help="members in the group (default 20)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed commands first (default 50)")
    options = parser.parse_args()
    figures = asyncio.run(bench(options.commands, options.members, options.warmup))
    print(f"Dispatch benchmark: {figures['count']} commands (/members, /help, /touchstone in turn)")
    print(f"  from {figures['members']} members of one group, SQLite file, one unit of work each")
    print(f"  errors      {figures['errors']}")
    print(f"  median      {figures['median_ms']:.3f} ms   (target ≤ {TARGET_MEDIAN_MS} ms)")
    print(f"  p90         {figures['p90_ms']:.3f} ms")
    print(f"  p99         {figures['p99_ms']:.3f} ms")
    print(f"  max         {figures['max_ms']:.3f} ms")
    print(f"  total       {figures['total_s']:.2f} s")
    print(f"  throughput  {figures['commands_per_s']:.0f} commands/s")
    print(json.dumps({"median_ms": round(figures["median_ms"], 3), "p99_ms": round(figures["p99_ms"], 3)}))


if __name__ == "__main__":
    main()
