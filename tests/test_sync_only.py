"""Behaviour that exists only in the blocking client."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from infomaniak import Client, RateLimit
from infomaniak.testing import Emulator


def test_blocking_client_does_not_import_aiohttp_or_asyncio_loop() -> None:
    code = (
        "import sys\n"
        "from infomaniak import Client\n"
        "from infomaniak.utils import plist\n"
        "from infomaniak.models.cloud import PublicCloud\n"
        "import infomaniak.errors\n"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_iteration_is_strictly_lazy(emulator: Emulator, client_options: dict[str, Any]) -> None:
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        clouds = client.cloud.list(account_id=42, per_page=5)
        iterator = iter(clouds)
        for _ in range(6):
            next(iterator)
        time.sleep(0.1)
        pages = [dict(r.query)["page"] for r in emulator.requests]
        assert pages == ["1", "2"]


def test_rate_limit_is_shared_by_threads(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(3, per=0.3)}
    with Client(emulator.token, base_url=emulator.url, **options) as client:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=6) as pool:
            ids = list(pool.map(lambda _: client.cloud.get(public_cloud_id=1332).id, range(7)))
        elapsed = time.monotonic() - started
    assert ids == [1332] * 7
    assert elapsed >= 0.6
    times = sorted(r.received_at for r in emulator.requests)
    for i in range(3, len(times)):
        assert times[i] - times[i - 3] >= 0.29


def test_max_connections_is_a_hard_cap_across_threads(
    emulator: Emulator, client_options: dict[str, Any], caplog: Any
) -> None:
    emulator.latency = 0.1
    client = Client(emulator.token, base_url=emulator.url, **client_options, max_connections=2)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(16) as pool:
        clouds = list(pool.map(lambda _: client.cloud.get(public_cloud_id=1332), range(8)))
    elapsed = time.monotonic() - started
    assert [c.id for c in clouds] == [1332] * 8
    # Two at a time, 0.1 s each: four rounds.
    assert elapsed >= 0.39
    assert "Connection pool is full" not in caplog.text


def test_decoding_from_many_threads_leaves_the_collector_as_it_was() -> None:
    from infomaniak._converter import structure_list
    from infomaniak.models.cloud import PublicCloudTag

    items = [{"id": i, "name": f"t{i}", "color": 1} for i in range(2000)]
    barrier = threading.Barrier(8)

    def decode(_: int) -> int:
        barrier.wait()
        total = 0
        for _ in range(30):
            total += len(structure_list(items, PublicCloudTag))
        return total

    assert gc.isenabled()
    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(decode, range(8))) == 8 * 30 * 2000
    assert gc.isenabled()


def test_closed_blocking_client_sends_nothing_until_entered_again(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    from infomaniak.errors import ClientClosedError

    client = Client(emulator.token, base_url=emulator.url, **client_options)
    client.close()
    with pytest.raises(ClientClosedError):
        client.cloud.get(public_cloud_id=1332)
    assert emulator.requests == []
    with client:
        assert client.cloud.get(public_cloud_id=1332).id == 1332
