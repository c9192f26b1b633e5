# Generated from tests/_async/test_wait_news.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""wait(): async callbacks, heartbeats while nothing changes, and what a
timeout says (issue 17 points 9-10, issue 18 point 5)."""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any

import pytest

from infomaniak import Client, RateLimit, StatusChange
from infomaniak.errors import WaitTimeoutError
from infomaniak.testing import Emulator

CLOUD = 1332
PASSWORD = "S3cure-Passw0rd!"


def _new_project(client: Client, name: str = "waiting") -> Any:
    return client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name=name, user_password=PASSWORD
    )


def test_an_async_on_status_is_awaited(client: Client) -> None:
    seen: list[str] = []

    def record(change: StatusChange) -> None:
        seen.append(change.status)

    op = _new_project(client)
    project = op.wait(on_status=record)
    assert project.public_cloud_project_id == op.resource_id
    assert seen[-1] == "ok" and "executed" in seen


def test_heartbeats_while_the_status_stays_the_same(
    client: Client, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.task_duration = 0.8
    changes: list[StatusChange] = []
    op = _new_project(client)
    with caplog.at_level(logging.INFO, logger="infomaniak"):
        op.wait(on_status=changes.append, heartbeats=True)
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


def test_heartbeats_are_logged_but_not_sent_unless_asked(
    client: Client, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.task_duration = 0.4
    changes: list[StatusChange] = []
    op = _new_project(client)
    with caplog.at_level(logging.INFO, logger="infomaniak"):
        op.wait(on_status=changes.append)
    assert any("still waiting" in r.getMessage() for r in caplog.records)
    assert not any(c.heartbeat for c in changes)


def test_timeout_message_gives_the_time_really_waited(emulator: Emulator) -> None:
    # One request a minute: the creation spends it, so the limiter has no
    # room for a poll before a 10 s deadline and the wait gives up at once.
    with Client(
        emulator.token, base_url=emulator.url, rate_limit=RateLimit(1, per=60.0)
    ) as client:
        op = _new_project(client)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError) as caught:
            op.wait(timeout=10)
    assert time.monotonic() - started < 1.0
    message = str(caught.value)
    assert "gave up after 0.0 s (timeout 10 s)" in message, message
    assert "10 s" not in message.replace("timeout 10 s", "")


def test_a_wait_timeout_raised_by_on_status_passes_unchanged(
    client: Client,
) -> None:
    mine = WaitTimeoutError("my own deadline, in my own callback")

    def impatient(change: StatusChange) -> None:
        raise mine

    op = _new_project(client)
    with pytest.raises(WaitTimeoutError) as caught:
        op.wait(on_status=impatient)
    assert caught.value is mine


def test_bad_wait_options_are_refused_before_polling(
    client: Client, emulator: Emulator
) -> None:
    op = _new_project(client)
    sent = len(emulator.requests)
    with pytest.raises(TypeError, match="on_status"):
        op.wait(on_status="print")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="heartbeats must be a bool"):
        op.wait(heartbeats=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="shared must be a bool"):
        op.wait(shared="yes")  # type: ignore[arg-type]
    assert len(emulator.requests) == sent
