"""Behaviour that exists only in the blocking client."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

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
