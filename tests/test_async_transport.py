"""Pacing defects of issue 17 that need concurrent tasks: a wait() behind a
call held by the rate limiter, and close() while calls are held."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit
from infomaniak.errors import ClientClosedError, WaitTimeoutError
from infomaniak.testing import Emulator

PASSWORD = "S3cure-Passw0rd!"


async def test_wait_timeout_holds_behind_a_call_held_by_the_rate_limiter(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(1, per=10.0)}
    emulator.task_duration = 30.0
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        op = await client.cloud.projects.create(
            public_cloud_id=1332, project_name="held", user_password=PASSWORD
        )
        # Another task's call waits ~10 s for the one place.
        held = asyncio.ensure_future(client.cloud.get(public_cloud_id=1332))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError):
            await op.wait(timeout=1)
        assert time.monotonic() - started < 1.5
        held.cancel()
        with pytest.raises(asyncio.CancelledError):
            await held


async def test_close_ends_the_calls_held_by_the_rate_limiter_at_once(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(1, per=30.0)}
    client = AsyncClient(emulator.token, base_url=emulator.url, **options)
    await client.cloud.get(public_cloud_id=1332)
    held = [asyncio.ensure_future(client.cloud.get(public_cloud_id=1332)) for _ in range(3)]
    await asyncio.sleep(0.2)
    assert not any(task.done() for task in held)
    started = time.monotonic()
    await client.close()
    outcomes = await asyncio.wait_for(asyncio.gather(*held, return_exceptions=True), 2)
    assert time.monotonic() - started < 0.5
    assert all(isinstance(outcome, ClientClosedError) for outcome in outcomes)
    assert len(emulator.requests) == 1


async def test_a_closed_limiter_lets_calls_through_again_once_entered(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(5, per=1.0)}
    client = AsyncClient(emulator.token, base_url=emulator.url, **options)
    await client.close()
    with pytest.raises(ClientClosedError):
        await client.cloud.get(public_cloud_id=1332)
    async with client:
        assert (await client.cloud.get(public_cloud_id=1332)).id == 1332


async def test_per_call_timeouts_do_not_pile_up(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    # aiohttp takes a ClientTimeout object per request; AsyncClient caches one per
    # timeout value (issue 17.8): a value per call must not grow it without end.
    # (Client builds nothing per timeout value: this is AsyncClient's alone.)
    async with AsyncClient(emulator.token, base_url=emulator.url, **client_options) as async_client:
        for i in range(40):
            view = async_client.with_options(timeout=5.0 + i / 1000)
            await view.cloud.get(public_cloud_id=1332)
        assert len(async_client._pipeline.transport._timeouts) <= 8
        emulator.task_duration = 0.3
        op = await async_client.cloud.projects.create(
            public_cloud_id=1332, project_name="polled", user_password=PASSWORD
        )
        await op.wait(timeout=30)
        assert len(async_client._pipeline.transport._timeouts) <= 8
