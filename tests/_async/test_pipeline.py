"""The request pipeline over real HTTP: auth, headers, query encoding,
retries, errors, timeouts, pacing, logging, and keeping the token secret."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit, __version__
from infomaniak.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InfomaniakError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    ValidationError,
)
from infomaniak.testing import Emulator, Fault

CLOUD = "/1/public_clouds/1332"


def _calls(emulator: Emulator, path: str = CLOUD) -> int:
    return sum(1 for r in emulator.requests if r.path == path)


async def test_sends_bearer_token_and_user_agent(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    await async_client.cloud.get(public_cloud_id=1332)
    headers = emulator.requests[0].headers
    assert headers["Authorization"] == f"Bearer {emulator.token}"
    assert headers["User-Agent"].startswith(f"infomaniak-python/{__version__}")
    assert headers["Accept"] == "application/json"


async def test_deep_object_query_encoding(async_client: AsyncClient, emulator: Emulator) -> None:
    await async_client.cloud.list(
        account_id=42,
        search="prod eu",
        order_by=["customer_name", "internal_name"],
        order="asc",
        order_for={"customer_name": "desc"},
        with_=["status", "users"],
        per_page=3,
    )
    query = emulator.requests[0].query
    assert ("filter[search]", "prod eu") in query
    assert ("order_by", "customer_name,internal_name") in query
    assert ("order", "asc") in query
    assert ("order_for[customer_name]", "desc") in query
    assert ("with", "status,users") in query
    assert ("page", "1") in query and ("per_page", "3") in query


async def test_wrong_token_is_an_authentication_error(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    async with AsyncClient("not-the-token", base_url=emulator.url, **client_options) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.cloud.get(public_cloud_id=1332)
    assert (caught.value.status, caught.value.code) == (401, "not_authorized")
    assert "not-the-token" not in str(caught.value)
    assert _calls(emulator) == 1  # a 401 is not retried


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (418, APIError),
    ],
)
async def test_each_status_raises_its_error(
    async_client: AsyncClient, emulator: Emulator, status: int, error_class: type[APIError]
) -> None:
    emulator.inject(*[Fault(status=status)] * 3, path=CLOUD)
    with pytest.raises(error_class) as caught:
        await async_client.cloud.get(public_cloud_id=1332)
    error = caught.value
    assert isinstance(error, APIError) and isinstance(error, InfomaniakError)
    assert (error.status, error.method, error.path) == (status, "GET", CLOUD)
    assert error.code


async def test_validation_error_names_the_fields(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    body = {
        "result": "error",
        "error": {
            "code": "validation_failed",
            "description": "Validation failed",
            "errors": [
                {
                    "code": "validation_rule_min",
                    "description": "The customer name must be at least 2 characters.",
                    "context": {"attribute": "customer_name"},
                }
            ],
        },
    }
    emulator.inject(Fault(status=422, json=body), path=CLOUD)
    with pytest.raises(ValidationError) as caught:
        await async_client.cloud.update(public_cloud_id=1332, customer_name="Prod")
    error = caught.value
    assert (error.status, error.code, error.description) == (
        422,
        "validation_failed",
        "Validation failed",
    )
    assert error.fields == {"customer_name": ["The customer name must be at least 2 characters."]}
    assert error.errors[0]["context"] == {"attribute": "customer_name"}
    assert "customer_name: The customer name must be at least 2 characters." in str(error)


async def test_html_error_page_is_a_clear_api_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(*[Fault(status=502, html=True)] * 3, path=CLOUD)
    with pytest.raises(ServerError) as caught:
        await async_client.cloud.get(public_cloud_id=1332)
    error = caught.value
    assert error.status == 502
    assert error.code is None
    assert error.body_excerpt is not None and "Bad Gateway" in error.body_excerpt
    assert "non-JSON body" in str(error) and len(str(error)) < 400


async def test_html_with_success_status_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(status=200, html=True), path=CLOUD)
    with pytest.raises(ResponseDecodeError, match="not JSON"):
        await async_client.cloud.get(public_cloud_id=1332)


async def test_retries_idempotent_request_on_503_then_succeeds(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(status=503), Fault(status=502), path=CLOUD)
    cloud = await async_client.cloud.get(public_cloud_id=1332)
    assert cloud.id == 1332
    assert _calls(emulator) == 3


async def test_gives_up_after_max_retries(async_client: AsyncClient, emulator: Emulator) -> None:
    emulator.inject(*[Fault(status=503)] * 5, path=CLOUD)
    with pytest.raises(ServerError):
        await async_client.cloud.get(public_cloud_id=1332)
    assert _calls(emulator) == 3  # the first attempt and max_retries=2


async def test_max_retries_zero_per_client_and_per_call(
    async_client: AsyncClient, emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.inject(*[Fault(status=503)] * 5, path=CLOUD)
    with pytest.raises(ServerError):
        await async_client.with_options(max_retries=0).cloud.get(public_cloud_id=1332)
    assert _calls(emulator) == 1
    options = {**client_options, "max_retries": 0}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        with pytest.raises(ServerError):
            await client.cloud.get(public_cloud_id=1332)
    assert _calls(emulator) == 2


async def test_non_idempotent_request_is_not_retried_on_5xx(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(status=503), path=CLOUD, method="PATCH")
    with pytest.raises(ServerError):
        await async_client.cloud.update(public_cloud_id=1332, customer_name="Prod")
    assert _calls(emulator) == 1
    assert emulator.clouds[1332]["customer_name"] != "Prod"


async def test_429_is_retried_for_every_method(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(status=429), path=CLOUD, method="PATCH")
    updated = await async_client.cloud.update(public_cloud_id=1332, customer_name="Prod")
    assert updated.data is True
    assert _calls(emulator) == 2


async def test_retry_after_is_honoured(async_client: AsyncClient, emulator: Emulator) -> None:
    emulator.inject(Fault(status=429, retry_after=0.3), path=CLOUD)
    started = time.monotonic()
    await async_client.cloud.get(public_cloud_id=1332)
    assert time.monotonic() - started >= 0.3
    assert _calls(emulator) == 2


async def test_rate_limit_error_carries_retry_after(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    # Longer than the client is willing to wait: raised at once, with the hint.
    emulator.inject(Fault(status=429, retry_after=3600), path=CLOUD)
    with pytest.raises(RateLimitError) as caught:
        await async_client.cloud.get(public_cloud_id=1332)
    assert caught.value.retry_after == 3600
    assert _calls(emulator) == 1


async def test_dropped_connection_is_retried_for_get(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(drop=True), path=CLOUD)
    cloud = await async_client.cloud.get(public_cloud_id=1332)
    assert cloud.id == 1332
    assert _calls(emulator) == 2


async def test_dropped_connection_is_not_retried_for_patch(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(drop=True), path=CLOUD, method="PATCH")
    with pytest.raises(APIConnectionError) as caught:
        await async_client.cloud.update(public_cloud_id=1332, customer_name="Prod")
    assert (caught.value.method, caught.value.path) == ("PATCH", CLOUD)
    assert _calls(emulator) == 1


async def test_connection_refused_is_a_connection_error(client_options: dict[str, Any]) -> None:
    options = {**client_options, "max_retries": 1}
    async with AsyncClient("token", base_url="http://127.0.0.1:9", **options) as client:
        with pytest.raises(APIConnectionError, match="cannot connect"):
            await client.cloud.get(public_cloud_id=1332)


async def test_timeout_per_call_and_per_client(
    async_client: AsyncClient, emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator.inject(Fault(delay=1.0), path=CLOUD)
    with pytest.raises(APITimeoutError) as caught:
        await async_client.with_options(timeout=0.2, max_retries=0).cloud.get(public_cloud_id=1332)
    assert isinstance(caught.value, APIConnectionError)
    options = {**client_options, "timeout": 0.2}
    emulator.inject(Fault(delay=1.0), Fault(delay=1.0), path=CLOUD)
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        # two slow answers time out, the third attempt is answered at once
        cloud = await client.cloud.get(public_cloud_id=1332)
    assert cloud.id == 1332


async def test_latency_within_timeout_is_fine(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.latency = 0.05
    cloud = await async_client.with_options(timeout=2).cloud.get(public_cloud_id=1332)
    assert cloud.id == 1332


async def test_rate_limiter_paces_requests(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(3, per=0.4)}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        started = time.monotonic()
        for _ in range(7):
            await client.cloud.get(public_cloud_id=1332)
        elapsed = time.monotonic() - started
    # 3 at once, 3 after 0.4 s, the 7th after 0.8 s
    assert elapsed >= 0.8
    times = [r.received_at for r in emulator.requests]
    for i in range(3, len(times)):
        assert times[i] - times[i - 3] >= 0.39


async def test_rate_limit_is_shared_with_option_views(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    options = {**client_options, "rate_limit": RateLimit(2, per=0.3)}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        started = time.monotonic()
        await client.cloud.get(public_cloud_id=1332)
        await client.with_options(timeout=5).cloud.get(public_cloud_id=1332)
        await client.with_options(max_retries=0).cloud.get(public_cloud_id=1332)
        assert time.monotonic() - started >= 0.3


def test_rate_limit_arguments_are_checked() -> None:
    with pytest.raises(ValueError):
        RateLimit(0)
    with pytest.raises(ValueError):
        RateLimit(10, per=0)
    with pytest.raises(ValueError):
        AsyncClient("t", rate_limit=0)


def test_no_token_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOMANIAK_API_TOKEN", raising=False)
    with pytest.raises(ConfigurationError, match="INFOMANIAK_API_TOKEN"):
        AsyncClient()


async def test_token_and_base_url_from_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFOMANIAK_API_TOKEN", emulator.token)
    monkeypatch.setenv("INFOMANIAK_BASE_URL", emulator.url)
    async with AsyncClient(rate_limit=None) as client:
        assert client.base_url == emulator.url
        cloud = await client.cloud.get(public_cloud_id=1332)
    assert cloud.id == 1332


def test_bad_base_url_is_rejected() -> None:
    with pytest.raises(ConfigurationError):
        AsyncClient("t", base_url="api.infomaniak.com")


async def test_token_never_in_repr_errors_or_logs(
    emulator: Emulator, client_options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-t0ken-value"
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    async with AsyncClient(secret, base_url=emulator.url, **client_options) as client:
        assert secret not in repr(client)
        assert secret not in repr(client.with_options(timeout=3))
        assert secret not in repr(client.cloud)
        with pytest.raises(AuthenticationError) as caught:
            await client.cloud.get(public_cloud_id=1332)
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in caplog.text
    assert emulator.requests[0].headers["Authorization"] == f"Bearer {secret}"


async def test_debug_log_shows_method_path_status_duration_retries(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    emulator.inject(Fault(status=503), path=CLOUD)
    await async_client.cloud.get(public_cloud_id=1332)
    messages = [r.getMessage() for r in caplog.records if r.name == "infomaniak"]
    assert any(m.startswith(f"GET {CLOUD}: HTTP 503, retry 1 in") for m in messages), messages
    done = [m for m in messages if m.startswith(f"GET {CLOUD} -> 200 in ")]
    assert done and done[0].endswith("ms (1 retries)")


async def test_errors_pickle(async_client: AsyncClient) -> None:
    import pickle

    with pytest.raises(NotFoundError) as caught:
        await async_client.cloud.get(public_cloud_id=424242)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, NotFoundError)
    assert (copy.status, copy.code, str(copy)) == (404, "object_not_found", str(caught.value))
