"""Behaviour that exists only in the async client (not generated for Client)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit
from infomaniak.errors import APIConnectionError, ClientClosedError
from infomaniak.testing import Emulator


def _pages_requested(emulator: Emulator) -> list[int]:
    return sorted(
        int(dict(r.query)["page"]) for r in emulator.requests if r.path == "/1/public_clouds"
    )


async def test_iteration_prefetches_next_pages_while_caller_works(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "prefetch_pages": 2}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        clouds = await client.cloud.list(account_id=42, per_page=5)
        assert clouds.pages >= 5
        assert _pages_requested(emulator) == [1]  # nothing fetched before iteration starts
        iterator = aiter(clouds)
        await anext(iterator)
        await asyncio.sleep(0.2)  # the caller works on page 1; page 2 comes in meanwhile
        assert _pages_requested(emulator) == [1, 2]
        # The rest of page 1 and the first of page 2: two pages taken, two
        # ahead (the window grows with each page taken, up to prefetch_pages).
        for _ in range(5):
            await anext(iterator)
        await asyncio.sleep(0.2)
        assert _pages_requested(emulator) == [1, 2, 3, 4]
        rest = [cloud async for cloud in iterator]
        assert len(rest) + 6 == clouds.items
        assert _pages_requested(emulator) == list(range(1, clouds.pages + 1))


async def test_prefetch_speeds_up_listing_under_latency(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.latency = 0.05
    lazy_options = {**client_options, "prefetch_pages": 0}
    async with AsyncClient(emulator.token, base_url=emulator.url, **lazy_options) as client:
        started = time.monotonic()
        lazy = await (await client.cloud.list(account_id=42, per_page=4)).to_list()
        lazy_time = time.monotonic() - started
    async with AsyncClient(emulator.token, base_url=emulator.url, **client_options) as client:
        started = time.monotonic()
        eager = await (await client.cloud.list(account_id=42, per_page=4)).to_list()
        eager_time = time.monotonic() - started
    assert [c.id for c in lazy] == [c.id for c in eager]
    assert eager_time < lazy_time * 0.7


async def test_breaking_out_of_iteration_stops_prefetching(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.latency = 0.05
    async with AsyncClient(emulator.token, base_url=emulator.url, **client_options) as client:
        clouds = await client.cloud.list(account_id=42, per_page=2)
        assert clouds.pages > 10
        async for _ in clouds:
            break
        await asyncio.sleep(0.3)
        after_break = _pages_requested(emulator)
        await asyncio.sleep(0.3)
        assert _pages_requested(emulator) == after_break
    # The first page, and at most the one fetched ahead when the loop started:
    # a loop that reads one page costs at most one request more.
    assert after_break[0] == 1
    assert len(after_break) <= 2


async def test_prefetch_window_grows_with_pages_taken_up_to_prefetch_pages(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.latency = 0.02
    options = {**client_options, "prefetch_pages": 3}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        clouds = await client.cloud.list(account_id=42, per_page=2)
        assert clouds.pages >= 10
        taken = 0
        async for _page in clouds.iter_pages():
            taken += 1
            await asyncio.sleep(0.2)  # the caller works; the fetches ahead land
            # As many pages ahead as pages taken, at most prefetch_pages.
            ahead = min(taken, 3, clouds.pages - taken)
            assert _pages_requested(emulator) == list(range(1, taken + ahead + 1))
            if taken == 6:
                break
        await asyncio.sleep(0.2)
        # Stopped after 6 pages: 3 fetched for nothing, no more.
        assert _pages_requested(emulator) == list(range(1, 10))


async def test_rate_limit_is_shared_by_concurrent_tasks(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(4, per=0.3)}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        started = time.monotonic()
        clouds = await asyncio.gather(*(client.cloud.get(public_cloud_id=1332) for _ in range(10)))
        elapsed = time.monotonic() - started
    assert [c.id for c in clouds] == [1332] * 10
    assert elapsed >= 0.6  # 4 now, 4 after 0.3 s, 2 after 0.6 s
    times = sorted(r.received_at for r in emulator.requests)
    # The limiter spaces request starts; arrivals also carry the opening of the
    # first burst's connections (the spread of the first four) and, on a busy
    # machine, some scheduling jitter (50 ms allowed).
    setup = times[3] - times[0]
    for i in range(4, len(times)):
        assert times[i] - times[i - 4] >= 0.25 - setup


def test_client_can_be_built_outside_a_running_loop(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    client = AsyncClient(emulator.token, base_url=emulator.url, **client_options)

    async def use() -> int:
        async with client:
            return (await client.cloud.get(public_cloud_id=1332)).id

    assert asyncio.run(use()) == 1332


def test_client_follows_successive_event_loops(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    # One client, a loop per run (asyncio.run twice, or a loop per test), the
    # limiter waited on in each: no "bound to a different event loop".
    options = {**client_options, "rate_limit": RateLimit(2, per=0.1)}
    client = AsyncClient(emulator.token, base_url=emulator.url, **options)

    async def burst() -> list[int]:
        async with client:
            clouds = await asyncio.gather(
                *(client.cloud.get(public_cloud_id=1332) for _ in range(4))
            )
        return [cloud.id for cloud in clouds]

    assert asyncio.run(burst()) == [1332] * 4
    assert asyncio.run(burst()) == [1332] * 4


async def test_close_cancels_the_look_ahead_and_nothing_is_sent_afterwards(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.latency = 0.05
    options = {**client_options, "per_page": 2, "prefetch_pages": 4}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        async for _project in await client.cloud.projects.list(public_cloud_id=1332):
            break  # pages 2..5 are being fetched ahead right now
    sent_at_close = len(emulator.requests)
    await asyncio.sleep(0.3)
    assert len(emulator.requests) == sent_at_close
    assert client._pipeline.transport._session is None
    with pytest.raises(ClientClosedError):
        await client.cloud.get(public_cloud_id=1332)
    assert len(emulator.requests) == sent_at_close


async def test_a_closed_client_can_be_entered_again(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    client = AsyncClient(emulator.token, base_url=emulator.url, **client_options)
    await client.close()
    await client.close()  # twice is fine
    view = client.with_options(timeout=3)
    with pytest.raises(ClientClosedError):
        await view.cloud.get(public_cloud_id=1332)
    async with client:
        assert (await view.cloud.get(public_cloud_id=1332)).id == 1332


async def test_close_while_requests_are_in_flight_ends_them_with_client_closed(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.latency = 0.3
    client = AsyncClient(emulator.token, base_url=emulator.url, **client_options)
    calls = [asyncio.ensure_future(client.cloud.get(public_cloud_id=1332)) for _ in range(3)]
    await asyncio.sleep(0.1)
    await client.close()
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, (ClientClosedError, APIConnectionError)) for r in results), results
    assert len(emulator.requests) == 3
