"""Running `python -m bot run` as a real process against the loopback fakes, and stopping it with a signal."""

from __future__ import annotations

import asyncio
import os
import sys
from asyncio.subprocess import PIPE, STDOUT
from collections.abc import Awaitable, Callable
from pathlib import Path

REPO_ROOT = Path(__file__).parent.parent


async def run_until_signal(
    settings: dict[str, str], folder: Path, signal_number: int, running: Callable[[], Awaitable[object]]
) -> tuple[int, str]:
    """Start `touchstone run` with `settings` (environment variables) and a fresh SQLite file in `folder`,
    await `running()` (the fakes saw it connect), send `signal_number`, and return its exit code and output."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'touchstone.db'}",
        **settings,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=folder, env=env, stdout=PIPE, stderr=STDOUT
    )
    try:
        await running()
        process.send_signal(signal_number)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, output.decode()
