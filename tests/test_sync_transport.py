"""Transport and pacing defects of issues 17 and 18 that only the blocking
client has, or that need threads: the shared deadline watcher, calls held by
the rate limiter in other threads, and the traceback a user sees."""

from __future__ import annotations

import ctypes
import subprocess
import sys
import threading
import time
import types
from typing import Any

import pytest

from infomaniak import Client, RateLimit
from infomaniak._transport import _sync as sync_transport
from infomaniak.errors import APITimeoutError, ClientClosedError, WaitTimeoutError
from infomaniak.testing import Emulator
from tests.rawservers import closed_port, dripping_server

TOKEN = "s3cr3t-T0ken-value-never-shown"
PASSWORD = "S3cure-Passw0rd!"


def _timeout_holds() -> float:
    """Seconds a 1 s whole-request timeout took against an answer dripped over ~6 s."""
    with (
        dripping_server(interval=0.1) as url,
        Client(TOKEN, base_url=url, rate_limit=None, max_retries=0, timeout=1.0) as client,
    ):
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.cloud.get(public_cloud_id=1332)
        return time.monotonic() - started


# ------------------------------------------------------------------ 17.4: the watcher


def test_the_deadline_watcher_outlives_a_deadline_too_far_for_a_timer() -> None:
    # Such a deadline killed the shared thread (OverflowError in its wait):
    # afterwards no blocking client enforced its timeout.
    far = sync_transport._DEADLINES.watch(
        time.monotonic() + 1e300, types.SimpleNamespace(sock=None)
    )  # type: ignore[arg-type]
    try:
        time.sleep(0.1)
        assert _timeout_holds() < 1.5
    finally:
        sync_transport._DEADLINES.unwatch(far)


# The thread ends with the exception sent into it: pytest reports that, on purpose here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_deadline_watcher_restarts_after_it_died() -> None:
    deadlines = sync_transport._DEADLINES
    deadlines.unwatch(deadlines.watch(time.monotonic() + 5, types.SimpleNamespace(sock=None)))  # type: ignore[arg-type]
    thread = deadlines._thread
    assert thread is not None and thread.is_alive()
    # End the thread as anything could (an exception sent into it), then wake it.
    assert thread.ident is not None
    killed = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit)
    )
    assert killed == 1
    with deadlines._cond:
        deadlines._cond.notify_all()
    thread.join(2)
    assert not thread.is_alive()
    assert _timeout_holds() < 1.5
    assert deadlines._thread is not thread and deadlines._thread.is_alive()


# ------------------------------------------------------------------ 17.5 and 17.6: held calls


def test_wait_timeout_holds_behind_a_call_held_by_the_rate_limiter(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(1, per=10.0)}
    emulator.task_duration = 30.0
    with Client(emulator.token, base_url=emulator.url, **options) as client:
        op = client.cloud.projects.create(
            public_cloud_id=1332, project_name="held", user_password=PASSWORD
        )
        outcomes: list[BaseException] = []

        def held_call() -> None:
            try:
                client.cloud.get(public_cloud_id=1332)
            except BaseException as exc:
                outcomes.append(exc)

        # Another thread's call waits ~10 s for the one place.
        held = threading.Thread(target=held_call, daemon=True)
        held.start()
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(WaitTimeoutError):
            op.wait(timeout=1)
        assert time.monotonic() - started < 1.5
    # Leaving the with block closed the client: the held call ended with it.
    held.join(2)
    assert not held.is_alive()
    assert len(outcomes) == 1 and isinstance(outcomes[0], ClientClosedError)


def test_close_ends_the_calls_held_by_the_rate_limiter_at_once(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(1, per=30.0)}
    client = Client(emulator.token, base_url=emulator.url, **options)
    client.cloud.get(public_cloud_id=1332)
    outcomes: list[BaseException | None] = []

    def held_call() -> None:
        try:
            client.cloud.get(public_cloud_id=1332)
            outcomes.append(None)
        except BaseException as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=held_call, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    assert outcomes == []
    started = time.monotonic()
    client.close()
    for thread in threads:
        thread.join(2)
    assert time.monotonic() - started < 0.5
    assert len(outcomes) == 3
    assert all(isinstance(outcome, ClientClosedError) for outcome in outcomes)
    assert len(emulator.requests) == 1


# ------------------------------------------------------------------ 18.7: a short traceback


@pytest.mark.parametrize("client", ["Client", "AsyncClient"])
def test_a_refused_connection_gives_a_short_traceback_naming_host_and_port(client: str) -> None:
    url = closed_port()
    port = url.rsplit(":", 1)[1]
    call = "client.cloud.get(public_cloud_id=1332)"
    if client == "Client":
        script = (
            "from infomaniak import Client\n"
            f"client = Client('tok', base_url={url!r}, max_retries=0)\n"
            f"{call}\n"
        )
    else:
        script = (
            "import asyncio\n"
            "from infomaniak import AsyncClient\n"
            "async def main():\n"
            f"    async with AsyncClient('tok', base_url={url!r}, max_retries=0) as client:\n"
            f"        await {call}\n"
            "asyncio.run(main())\n"
        )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        "infomaniak.errors.APIConnectionError: GET /1/public_clouds/1332:"
        f" cannot connect to 127.0.0.1:{port}: connection refused"
    )
    # One exception, through the SDK's own frames only (71 lines before).
    assert len(lines) <= (15 if client == "Client" else 30), result.stderr
    for word in ("urllib3", "aiohttp", "direct cause", "During handling"):
        assert word not in result.stderr
