"""Run calls at the same time: tasks for the async tests, threads for their blocking twins."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any


async def async_together(*calls: Callable[[], Awaitable[Any]]) -> list[Any]:
    """Start every call at once; their results (or exceptions) in order."""
    return list(await asyncio.gather(*(call() for call in calls), return_exceptions=True))


def sync_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run every call in its own thread at once; their results (or exceptions) in order."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[index] = call()
        except BaseException as exc:  # handed back to the test
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
