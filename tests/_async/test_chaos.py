"""Listing through a flaky API: a fifth of the page requests answer 429 with
Retry-After, 503, or drop the connection. Every item comes back exactly once,
in order, and nothing is left running."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infomaniak import AsyncClient
from infomaniak.testing import Emulator, Fault
from tests.rawservers import async_background_work

ITEMS = 2000


@pytest.fixture
def big_emulator() -> Iterator[Emulator]:
    emulator = Emulator(clouds=ITEMS, validate_responses=False)
    with emulator.in_thread():
        yield emulator


async def test_listing_2000_items_through_chaos_loses_and_repeats_nothing(
    big_emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "max_retries": 10, "per_page": 20, "timeout": 5.0}
    async with AsyncClient(big_emulator.token, base_url=big_emulator.url, **options) as client:
        expected = [cloud.id async for cloud in await client.cloud.list(account_id=42)]
    assert len(set(expected)) == len(expected) >= ITEMS - 1
    big_emulator.clear_requests()
    big_emulator.chaos(
        Fault(status=429, retry_after=0.01),
        Fault(status=503),
        Fault(drop=True),
        rate=0.2,
        seed=7,
        path="/1/public_clouds",
    )
    async with AsyncClient(big_emulator.token, base_url=big_emulator.url, **options) as client:
        clouds = await client.cloud.list(account_id=42)
        ids = [cloud.id async for cloud in clouds]
    assert ids == expected
    pages = [r for r in big_emulator.requests if r.path == "/1/public_clouds"]
    answered = {dict(r.query)["page"] for r in pages}
    assert len(answered) == clouds.pages
    # About a fifth of the requests were faulted, each then retried.
    assert len(pages) > clouds.pages * 1.1
    assert await async_background_work() == []
