"""wait(): async callbacks, heartbeats while nothing changes, and what a
timeout says (issue 17 points 9-10, issue 18 point 5)."""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit, StatusChange
from infomaniak.errors import WaitTimeoutError
from infomaniak.testing import Emulator

CLOUD = 1332
PASSWORD = "S3cure-Passw0rd!"


async def _new_project(client: AsyncClient, name: str = "waiting") -> Any:
    return await client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name=name, user_password=PASSWORD
    )


async def test_an_async_on_status_is_awaited(async_client: AsyncClient) -> None:
    seen: list[str] = []

    async def record(change: StatusChange) -> None:
        seen.append(change.status)

    op = await _new_project(async_client)
    project = await op.wait(on_status=record)
    assert project.public_cloud_project_id == op.resource_id
    assert seen[-1] == "ok" and "executed" in seen


async def test_heartbeats_while_the_status_stays_the_same(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.task_duration = 0.8
    changes: list[StatusChange] = []
    op = await _new_project(async_client)
    with caplog.at_level(logging.INFO, logger="infomaniak"):
        await op.wait(on_status=changes.append, heartbeats=True)
    beats = [c for c in changes if c.heartbeat]
    assert len(beats) >= 2, changes
    assert all(c.status == c.previous for c in beats)
    assert all(not c.heartbeat for c in changes if c.status != c.previous)
    # Further apart each time (the first after ten poll intervals of 5 ms).
    times = [c.waited for c in beats]
    assert times[0] >= 0.05
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps))
    logged = [r.getMessage() for r in caplog.records if "still waiting" in r.getMessage()]
    assert len(logged) == len(beats)
    assert all(" after " in line and " s" in line for line in logged)
    assert any(f"task {op.task_uuid} is " in line for line in logged)


async def test_heartbeats_are_logged_but_not_sent_unless_asked(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.task_duration = 0.4
    changes: list[StatusChange] = []
    op = await _new_project(async_client)
    with caplog.at_level(logging.INFO, logger="infomaniak"):
        await op.wait(on_status=changes.append)
    assert any("still waiting" in r.getMessage() for r in caplog.records)
    assert not any(c.heartbeat for c in changes)


async def test_timeout_message_gives_the_time_really_waited(emulator: Emulator) -> None:
    # One request a minute: the creation spends it, so the limiter has no
    # room for a poll before a 10 s deadline and the wait gives up at once.
    async with AsyncClient(
        emulator.token, base_url=emulator.url, rate_limit=RateLimit(1, per=60.0)
    ) as client:
        op = await _new_project(client)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            await op.wait(timeout=10)
    assert time.monotonic() - started < 1.0
    message = str(caught.value)
    assert "gave up after 0.0 s (timeout 10 s)" in message, message
    assert "10 s" not in message.replace("timeout 10 s", "")


async def test_a_wait_timeout_raised_by_on_status_passes_unchanged(
    async_client: AsyncClient,
) -> None:
    mine = WaitTimeoutError("my own deadline, in my own callback")

    def impatient(change: StatusChange) -> None:
        raise mine

    op = await _new_project(async_client)
    with pytest.raises(WaitTimeoutError) as caught:
        await op.wait(on_status=impatient)
    assert caught.value is mine


async def test_bad_wait_options_are_refused_before_polling(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    op = await _new_project(async_client)
    sent = len(emulator.requests)
    with pytest.raises(TypeError, match="on_status"):
        await op.wait(on_status="print")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="heartbeats must be a bool"):
        await op.wait(heartbeats=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="shared must be a bool"):
        await op.wait(shared="yes")  # type: ignore[arg-type]
    assert len(emulator.requests) == sent
