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


class BotProcess:
    """`touchstone run` as a real process, its output read as it comes, for tests that kill or stop it."""

    def __init__(self, settings: dict[str, str], folder: Path, name: str) -> None:
        self.env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO_ROOT), **settings}
        self.folder = folder
        self.name = name
        self.output = ""
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> BotProcess:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.folder, env=self.env, stdout=PIPE, stderr=STDOUT
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while chunk := await self.process.stdout.read(4096):
            self.output += chunk.decode(errors="replace")

    async def said(self, fragment: str, timeout: float = 30.0) -> None:
        """Wait until the process has printed `fragment`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while fragment not in self.output:
            if self.process is not None and self.process.returncode is not None:
                raise AssertionError(f"{self.name} stopped before printing {fragment!r}:\n{self.output}")
            if loop.time() > deadline:
                raise AssertionError(f"{self.name} never printed {fragment!r}:\n{self.output}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: no clean-up at all, as when a machine or a process dies."""
        assert self.process is not None
        self.process.kill()
        await self.finished()

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait for a clean stop (killed if it takes longer than `timeout`)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.terminate()
        try:
            await asyncio.wait_for(self.finished(), timeout)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                await self.finished()
        assert self.process.returncode is not None
        return self.process.returncode

    async def finished(self) -> None:
        assert self.process is not None
        await self.process.wait()
        if self._reader is not None:
            await self._reader
