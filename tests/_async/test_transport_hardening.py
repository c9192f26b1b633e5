"""Transport and pacing defects of issues 17 and 18, over real HTTP: no token
in the frames of a failed call, messages that say what was tried, timeouts
that hold, durations bounded, a rate limit the server really sees."""

from __future__ import annotations

import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit
from infomaniak.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    ServerError,
)
from infomaniak.testing import Emulator, Fault
from tests.rawservers import closed_port, dripping_server, late_accepting_server
from tests.together import async_together

TOKEN = "s3cr3t-T0ken-value-never-shown"
PASSWORD = "S3cure-Passw0rd!"
DURATIONS = (
    "timeout",
    "connect_timeout",
    "wait_timeout",
    "poll_interval",
    "poll_interval_max",
    "backoff_initial",
    "backoff_max",
)


def _options(**extra: Any) -> dict[str, Any]:
    return {"rate_limit": None, "backoff_initial": 0.01, "backoff_max": 0.02, **extra}


def _with_locals(error: BaseException) -> str:
    """What an error reporter that records frame locals (Sentry...) would ship."""
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


@contextmanager
def _nothing() -> Iterator[None]:
    yield


async def _failure(client: AsyncClient, call: Callable[[AsyncClient], Awaitable[Any]]) -> Exception:
    """The error of ``call``, caught in a frame that holds no secret of the test's own."""
    try:
        await call(client)
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")


async def _get_cloud(client: AsyncClient) -> Any:
    return await client.cloud.get(public_cloud_id=1332)


# ------------------------------------------------------------------ 17.2: no token in frames


@pytest.mark.parametrize("failure", ["refused", "timeout", "dropped", "401", "500"])
async def test_no_frame_of_a_failed_call_holds_the_token(failure: str, emulator: Emulator) -> None:
    token = TOKEN if failure in ("refused", "401") else emulator.token
    base_url = emulator.url
    server = _nothing()
    expected: type[Exception] = APIConnectionError
    if failure == "refused":
        base_url = closed_port()
    elif failure == "timeout":
        server = dripping_server(interval=0.05)
        expected = APITimeoutError
    elif failure == "dropped":
        # aiohttp itself sends an idempotent request again once after a drop.
        emulator.inject(Fault(drop=True), Fault(drop=True))
    elif failure == "401":
        expected = AuthenticationError
    else:
        emulator.inject(Fault(status=500))
        expected = ServerError
    with server as url:
        options = _options(max_retries=0, timeout=0.5)
        async with AsyncClient(token, base_url=url or base_url, **options) as client:
            error = await _failure(client, _get_cloud)
    assert isinstance(error, expected)
    shown = _with_locals(error)
    assert token not in shown
    assert "Bearer" not in shown
    # Nothing of the HTTP library is chained; its words are kept as text.
    assert error.__cause__ is None and error.__context__ is None
    if isinstance(error, APIConnectionError):
        assert error.cause


def _sdk_locals(error: BaseException) -> str:
    """The locals of the SDK's own frames, and of any error chained to it."""
    shown = []
    summary: traceback.TracebackException | None = traceback.TracebackException.from_exception(
        error, capture_locals=True
    )
    while summary is not None:
        for frame in summary.stack:
            if "/infomaniak/" in frame.filename and "/tests/" not in frame.filename:
                shown.append(f"{frame.filename}:{frame.name} {frame.locals}")
        summary = summary.__cause__ or summary.__context__
    assert shown, "no frame of the SDK in the traceback"
    return "\n".join(shown)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("timeout", -1),
        ("connect_timeout", 1e12),
        ("base_url", "ftp://127.0.0.1:9"),
        ("user_agent", "bad\nagent"),
        ("rate_limit", 0),
        ("token", TOKEN + "\n"),
    ],
)
async def test_a_configuration_error_shows_no_token_in_the_sdk_frames(
    setting: str, value: Any
) -> None:
    settings: dict[str, Any] = {"token": TOKEN, "base_url": "http://127.0.0.1:9", setting: value}
    with pytest.raises((ValueError, TypeError)) as caught:
        AsyncClient(**settings)
    shown = _sdk_locals(caught.value)
    assert TOKEN not in shown and "Bearer" not in shown


async def test_a_request_body_is_not_shown_in_the_frames_of_its_failure() -> None:
    async def post(client: AsyncClient) -> Any:
        return await client._pipeline.request(
            "POST", "/1/public_clouds/1332/projects", json={"description": PASSWORD}
        )

    async with AsyncClient(TOKEN, base_url=closed_port(), **_options(max_retries=0)) as client:
        error = await _failure(client, post)
    assert isinstance(error, APIConnectionError)
    shown = _with_locals(error)
    assert PASSWORD not in shown
    assert "request body" in shown


# ------------------------------------------------------------------ 18.7: say what was tried


async def test_a_refused_connection_names_the_host_and_port() -> None:
    url = closed_port()
    port = url.rsplit(":", 1)[1]
    async with AsyncClient(TOKEN, base_url=url, **_options(max_retries=0)) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.cloud.get(public_cloud_id=1332)
    assert str(caught.value) == (
        f"GET /1/public_clouds/1332: cannot connect to 127.0.0.1:{port}: connection refused"
    )


async def test_a_dropped_connection_says_so_in_the_same_words_in_both_clients(
    emulator: Emulator,
) -> None:
    # aiohttp itself sends an idempotent request again once after a drop.
    emulator.inject(Fault(drop=True), Fault(drop=True))
    port = emulator.url.rsplit(":", 1)[1]
    options = _options(max_retries=0)
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.cloud.get(public_cloud_id=1332)
    assert str(caught.value) == (
        f"GET /1/public_clouds/1332: connection to 127.0.0.1:{port} failed:"
        " the server closed the connection without an answer"
    )
    assert caught.value.cause  # the HTTP library's words, as text


async def test_an_api_error_names_the_query_that_was_sent(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    with pytest.raises(NotFoundError) as caught:
        await async_client.cloud.list(account_id=999)
    message = str(caught.value)
    assert message.startswith("GET /1/public_clouds?")
    assert "account_id=999" in message
    assert "HTTP 404 object_not_found" in message
    assert caught.value.query is not None and "account_id=999" in caught.value.query


async def test_query_values_named_like_a_secret_are_masked(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(status=404), path="/1/public_clouds")
    with pytest.raises(NotFoundError) as caught:
        await async_client._pipeline.request(
            "GET", "/1/public_clouds", params={"access_token": "abc123secret", "page": 2}
        )
    assert "access_token=***" in str(caught.value)
    assert "page=2" in str(caught.value)
    assert "abc123secret" not in str(caught.value)


async def test_known_api_codes_say_what_to_do(async_client: AsyncClient) -> None:
    k8s = async_client.cloud.kubernetes
    scope = {"public_cloud_id": 1332, "public_cloud_project_id": 25454}
    op = await k8s.create(
        **scope, name="young", region="dc4-a", kubernetes_version="1.34", kaas_pack_id=2
    )
    assert op.resource_id is not None
    # The cluster is still Creating: the API refuses pools until it is Active.
    with pytest.raises(APIError) as caught:
        await k8s.pools.create(
            **scope,
            kaas_id=op.resource_id,
            name="workers",
            flavor="a2-ram4-disk20-perf1",
            minimum_instances=1,
        )
    assert caught.value.code == "cannot_create_worker_pool"
    assert caught.value.hint is not None
    assert "hint: the cluster must be Active" in str(caught.value)
    assert "op.wait()" in str(caught.value)


# ------------------------------------------------------------------ 17.3: Connection: close


async def test_timeout_holds_when_the_server_says_connection_close() -> None:
    # The headers come at once (Connection: close), the body over ~4 s.
    with dripping_server(interval=0.065, connection_close=True) as url:
        async with AsyncClient(TOKEN, base_url=url, **_options(max_retries=0, timeout=1.0)) as c:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await c.cloud.get(public_cloud_id=1332)
            elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.5


# ------------------------------------------------------------------ 17.4: durations bounded


@pytest.mark.parametrize("huge", [1e12, 10**400, 365 * 24 * 3600 + 1])
async def test_durations_above_a_year_are_refused_naming_the_argument(huge: float) -> None:
    for name in DURATIONS:
        with pytest.raises(ValueError, match=f"^{name} must be at most"):
            AsyncClient(TOKEN, base_url="http://127.0.0.1:9", **{name: huge})
    client = AsyncClient(TOKEN, base_url="http://127.0.0.1:9")
    for name in ("timeout", "wait_timeout", "poll_interval"):
        with pytest.raises(ValueError, match=f"^{name} must be at most"):
            client.with_options(**{name: huge})
    with pytest.raises(ValueError, match=r"^RateLimit per must be at most"):
        RateLimit(60, per=huge)


async def test_a_year_is_accepted() -> None:
    year = 365 * 24 * 3600
    client = AsyncClient(TOKEN, base_url="http://127.0.0.1:9", timeout=year, wait_timeout=year)
    assert client.with_options(timeout=year) is not None


async def test_wait_refuses_a_huge_timeout_before_polling(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="huge", user_password=PASSWORD
    )
    sent = len(emulator.requests)
    with pytest.raises(ValueError, match=r"^timeout must be at most"):
        await op.wait(timeout=1e12)
    with pytest.raises(ValueError, match=r"^poll_interval must be at most"):
        await op.wait(poll_interval=1e12)
    assert len(emulator.requests) == sent


# ------------------------------------------------------------------ 17.7: as the server counts


async def test_the_server_never_sees_more_than_the_limit_in_a_window() -> None:
    # The first connection is taken 0.8 s late: the first request arrives long
    # after the limiter let it through. Counting from its start would let the
    # third request arrive 0.2 s after the first two, 3 in a 1 s window.
    with late_accepting_server(first_delay=0.8) as (url, arrivals):
        options = _options(rate_limit=RateLimit(2, per=1.0), timeout=5.0)
        async with AsyncClient(TOKEN, base_url=url, **options) as client:
            for _ in range(4):
                await client.cloud.get(public_cloud_id=1332)
    assert len(arrivals) == 4
    for i in range(2, len(arrivals)):
        assert arrivals[i] - arrivals[i - 2] >= 1.0 - 0.01, arrivals


# ------------------------------------------------------------------ 21: the wait is in the timeout


async def test_the_timeout_covers_the_wait_for_a_free_connection(emulator: Emulator) -> None:
    # One connection, answers taking 0.6 s: the second call waits 0.6 s for
    # the connection, and its 1 s timeout counts that wait (aiohttp's total
    # does): it ends at 1 s, not 1.6 s with a late answer.
    emulator.latency = 0.6
    options = _options(max_retries=0, timeout=1.0, max_connections=1)
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        started = time.monotonic()
        results = await async_together(lambda: _get_cloud(client), lambda: _get_cloud(client))
        elapsed = time.monotonic() - started
    assert sorted(type(result).__name__ for result in results) == [
        "APITimeoutError",
        "PublicCloud",
    ]
    assert elapsed < 1.4
