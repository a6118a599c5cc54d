"""Waiting in tests for something a fake platform will see soon, without fixed sleeps."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any


async def wait_until(predicate: Callable[[], Any], timeout: float, interval: float, describe: Callable[[], str]) -> Any:
    """Poll `predicate` (sync, or returning an awaitable) until it is truthy; returns its value.
    Raises AssertionError after `timeout` seconds, with `describe()` saying what the fake saw."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = predicate()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        if loop.time() >= deadline:
            raise AssertionError(f"wait_until timed out after {timeout}s; {describe()}")
        await asyncio.sleep(interval)
