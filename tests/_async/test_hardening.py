"""Defects found by attacking the clients (issues 7 and 8), over real HTTP:
connection failures named right, whole-request timeouts, the wait deadline,
unsafe input refused before sending, errors that pickle, and status news."""

from __future__ import annotations

import itertools
import logging
import math
import pickle
import time
import uuid
from typing import Any

import pytest

from infomaniak import AsyncClient, RateLimit, StatusChange
from infomaniak.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    NotFoundError,
    OperationFailedError,
    ResponseDecodeError,
    ServerError,
    WaitTimeoutError,
)
from infomaniak.testing import Emulator, Fault
from tests.rawservers import closed_port, dripping_server, unaccepting_server

TOKEN = "s3cr3t-T0ken-value"
PASSWORD = "S3cure-Passw0rd!"


def _options(**extra: Any) -> dict[str, Any]:
    return {"rate_limit": None, "backoff_initial": 0.01, "backoff_max": 0.02, **extra}


# ------------------------------------------------------------------ connections


async def test_refused_connection_says_refused() -> None:
    async with AsyncClient(TOKEN, base_url=closed_port(), **_options(max_retries=0)) as client:
        started = time.monotonic()
        with pytest.raises(APIConnectionError) as caught:
            await client.cloud.get(public_cloud_id=1332)
    assert "connection refused" in str(caught.value)
    assert "within" not in str(caught.value)
    assert not isinstance(caught.value, APITimeoutError)
    assert time.monotonic() - started < 2


async def test_connect_timeout_says_timed_out_and_retries_even_a_patch() -> None:
    with unaccepting_server() as url:
        options = _options(max_retries=1, connect_timeout=0.3)
        async with AsyncClient(TOKEN, base_url=url, **options) as client:
            started = time.monotonic()
            with pytest.raises(APIConnectionError) as caught:
                await client.cloud.update(public_cloud_id=1332, customer_name="Prod")
            elapsed = time.monotonic() - started
    assert "cannot connect within 0.3 s" in str(caught.value)
    assert "no answer" not in str(caught.value)
    # Nothing was sent, so the PATCH was tried twice: two connect timeouts.
    assert 0.55 <= elapsed < 3


async def test_timeout_bounds_the_whole_request_not_each_read() -> None:
    with dripping_server(interval=0.1) as url:
        options = _options(max_retries=0, timeout=1.0)
        async with AsyncClient(TOKEN, base_url=url, **options) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError) as caught:
                await client.cloud.get(public_cloud_id=1332)
            elapsed = time.monotonic() - started
    assert "no answer within 1 s" in str(caught.value)
    # The dripped answer would take ~13 s to arrive.
    assert 0.9 <= elapsed < 1.6


# ------------------------------------------------------------------ configuration


@pytest.mark.parametrize(
    ("token", "words"),
    [
        (TOKEN + "\n", "line break"),
        (" " + TOKEN, "whitespace"),
        (TOKEN + "\x00", "control character"),
        (TOKEN + "é", "non-ASCII"),
    ],
)
async def test_token_with_unsafe_characters_is_refused_without_showing_it(
    token: str, words: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        AsyncClient(token, base_url="http://127.0.0.1:9")
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:9/api?x=1",
        "http://127.0.0.1:9/#frag",
        "http://127.0.0.1:9/a b",
        "http://user:pw@127.0.0.1:9",
        "ftp://127.0.0.1:9",
        "http://",
    ],
)
async def test_base_url_that_the_clients_would_read_differently_is_refused(
    base_url: str,
) -> None:
    with pytest.raises(ConfigurationError):
        AsyncClient(TOKEN, base_url=base_url)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 0])
async def test_durations_must_be_finite_and_positive(bad: float) -> None:
    for name in ("timeout", "connect_timeout", "wait_timeout", "poll_interval", "backoff_max"):
        with pytest.raises(ValueError, match=name):
            AsyncClient(TOKEN, base_url="http://127.0.0.1:9", **{name: bad})
    client = AsyncClient(TOKEN, base_url="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="timeout"):
        client.with_options(timeout=bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, 0.0, -2.0])
async def test_rate_limit_window_must_be_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="per"):
        RateLimit(2, per=bad)
    with pytest.raises((TypeError, ValueError)):
        RateLimit(bad, per=1.0)  # type: ignore[arg-type]


# ------------------------------------------------------------------ unsafe paths


@pytest.mark.parametrize(
    "task_uuid",
    [
        f"{uuid.uuid4()}#x",
        "x?page=1",
        "../public_clouds",
        "a b",
        f"{uuid.uuid4()}/../../public_clouds",
    ],
)
async def test_task_uuid_that_would_leave_its_path_is_refused(
    async_client: AsyncClient, emulator: Emulator, task_uuid: str
) -> None:
    with pytest.raises(ValueError, match="task_uuid"):
        await async_client.tasks.get(task_uuid=task_uuid)
    assert emulator.requests == []


@pytest.mark.parametrize("file_type", ["../openrc", "..", "a/b", "x?y", "clouds yaml", ""])
async def test_authentication_file_type_is_one_path_segment(
    async_client: AsyncClient, emulator: Emulator, file_type: str
) -> None:
    with pytest.raises(ValueError, match="type"):
        await async_client.cloud.projects.users.authentication_file(
            public_cloud_id=1332,
            public_cloud_project_id=25454,
            public_cloud_user_id=56321,
            type=file_type,
        )
    assert emulator.requests == []


# ------------------------------------------------------------------ errors


async def test_every_kind_of_error_survives_a_pickle_round_trip(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    caught: list[Exception] = []
    with pytest.raises(NotFoundError) as not_found:
        await async_client.cloud.get(public_cloud_id=999999)
    caught.append(not_found.value)
    emulator.inject(Fault(json={"result": "success", "data": "nope"}), path="/1/public_clouds/1332")
    with pytest.raises(ResponseDecodeError) as undecodable:
        await async_client.cloud.get(public_cloud_id=1332)
    caught.append(undecodable.value)
    async with AsyncClient(TOKEN, base_url=closed_port(), **_options(max_retries=0)) as dead:
        with pytest.raises(APIConnectionError) as refused:
            await dead.cloud.get(public_cloud_id=1332)
    caught.append(refused.value)
    with dripping_server() as url:
        async with AsyncClient(TOKEN, base_url=url, **_options(max_retries=0, timeout=0.3)) as slow:
            with pytest.raises(APITimeoutError) as timed_out:
                await slow.cloud.get(public_cloud_id=1332)
    caught.append(timed_out.value)
    emulator.fail_next_task()
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="doomed", user_password=PASSWORD
    )
    with pytest.raises(OperationFailedError) as failed:
        await op.wait(timeout=5)
    caught.append(failed.value)
    with pytest.raises(ConfigurationError) as misconfigured:
        AsyncClient(TOKEN + "\n")
    caught.append(misconfigured.value)
    for error in caught:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert copy.__dict__ == error.__dict__


async def test_a_huge_error_description_gives_a_short_message_and_keeps_the_body(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    huge = "x" * 1_000_000
    emulator.inject(
        Fault(
            status=400,
            json={"result": "error", "error": {"code": "too_long", "description": huge}},
        ),
        path="/1/public_clouds/1332",
    )
    with pytest.raises(APIError) as caught:
        await async_client.cloud.get(public_cloud_id=1332)
    assert len(str(caught.value)) < 1000
    assert "too_long" in str(caught.value) and "1000000 characters" in str(caught.value)
    assert caught.value.description == huge
    assert caught.value.body is not None and len(caught.value.body) > 1_000_000


# ------------------------------------------------------------------ waiting


async def test_wait_deadline_bounds_retries_that_ask_for_long_pauses(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.task_duration = 5.0
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="slow", user_password=PASSWORD
    )
    task_path = f"/1/async/tasks/{op.task_uuid}"
    emulator.inject(*[Fault(status=503, retry_after=3)] * 10, path=task_path)
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as caught:
        await op.wait(timeout=0.5)
    assert time.monotonic() - started < 1.0
    assert isinstance(caught.value.__cause__, (ServerError, Exception))
    assert caught.value.resource == "project"


async def test_wait_deadline_cuts_a_slow_poll(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.task_duration = 5.0
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="slow", user_password=PASSWORD
    )
    emulator.inject(Fault(delay=3.0), path=f"/1/async/tasks/{op.task_uuid}")
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError):
        await op.wait(timeout=0.4)
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize("response", [["not", "an", "envelope"], "a string"])
async def test_task_response_of_the_wrong_shape_raises_an_sdk_error_naming_the_task(
    async_client: AsyncClient, emulator: Emulator, response: Any
) -> None:
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="odd", user_password=PASSWORD
    )
    task = {"uuid": op.task_uuid, "status": "executed", "response": response}
    emulator.inject(
        Fault(json={"result": "success", "data": task}), path=f"/1/async/tasks/{op.task_uuid}"
    )
    with pytest.raises(OperationFailedError) as caught:
        await op.wait(timeout=5)
    assert str(op.task_uuid) in str(caught.value)
    assert caught.value.task_uuid == op.task_uuid


async def test_wait_rejects_nan_timeout(async_client: AsyncClient) -> None:
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="p", user_password=PASSWORD
    )
    with pytest.raises(ValueError, match="timeout"):
        await op.wait(timeout=math.nan)


async def test_each_status_change_is_reported_and_logged(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.provision_duration = 0.1
    seen: list[StatusChange] = []
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="watched", user_password=PASSWORD
    )
    with caplog.at_level(logging.INFO, logger="infomaniak"):
        project = await op.wait(timeout=10, on_status=seen.append)
    statuses = [(change.resource, change.status) for change in seen]
    assert statuses[-1] == ("project", "ok")
    assert ("task", "executed") in statuses
    assert ("project", "creating") in statuses
    # Only changes are reported, never the same status twice in a row.
    assert all(a != b for a, b in itertools.pairwise(statuses))
    assert seen[-1].resource_id == project.public_cloud_project_id
    assert seen[-1].previous == "creating"
    assert all(later.waited >= earlier.waited for earlier, later in itertools.pairwise(seen))
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any(f"project {project.public_cloud_project_id} is ok" in m for m in logged)


# ------------------------------------------------------------------ rate limiter


async def test_a_noticeable_limiter_hold_is_said_once_at_info(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    options = {**_options(), "rate_limit": RateLimit(1, per=1.3)}
    async with AsyncClient(emulator.token, base_url=emulator.url, **options) as client:
        with caplog.at_level(logging.INFO, logger="infomaniak"):
            await client.cloud.get(public_cloud_id=1332)
            await client.cloud.get(public_cloud_id=1332)
    holds = [r.getMessage() for r in caplog.records if "rate limit" in r.getMessage()]
    assert len(holds) == 1
    assert "1 requests per 1.3 s" in holds[0]
    assert emulator.token not in caplog.text


# ------------------------------------------------------------------ lists that change


async def test_a_list_that_grows_while_walked_is_walked_to_its_new_end(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    first = await async_client.cloud.projects.list(public_cloud_id=1332, per_page=10)
    before = first.items
    assert first.pages == 3
    created = []
    for i in range(9):
        op = await async_client.cloud.projects.create(
            public_cloud_id=1332, project_name=f"late-{i}", user_password=PASSWORD
        )
        created.append(op)
    for op in created:
        await op.wait(timeout=10)
    names = [project.name async for project in first]
    assert len(names) == before + 9
    assert [f"late-{i}" for i in range(9)] == [n for n in names if n.startswith("late-")]


async def test_each_class_of_the_error_family_pickles_with_its_attributes() -> None:
    import infomaniak.errors as errors_module

    built: list[Exception] = []
    for name in errors_module.__all__:
        cls = getattr(errors_module, name)
        if issubclass(cls, APIError):
            built.append(cls(status=418, method="GET", path="/p", code="c", description="d"))
        elif name in ("APIConnectionError", "APITimeoutError", "ResponseDecodeError"):
            built.append(cls("no answer", method="GET", path="/p"))
        elif name in ("OperationFailedError", "WaitTimeoutError"):
            built.append(cls("failed", resource="project", resource_id=7, task_uuid="u"))
        else:
            built.append(cls("message"))
    assert len(built) == len(errors_module.__all__)
    for error in built:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert copy.__dict__ == error.__dict__


async def test_status_filters_outside_the_documented_enums_are_refused_before_sending(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    scope = {"public_cloud_id": 1332, "public_cloud_project_id": 25454}
    k8s, db = async_client.cloud.kubernetes, async_client.cloud.database
    with pytest.raises(ValueError, match="statuses"):
        await k8s.list(**scope, statuses=["active"])
    with pytest.raises(ValueError, match="statuses"):
        await k8s.pools.list(**scope, kaas_id=4821, statuses="Ready")
    with pytest.raises(ValueError, match="statuses"):
        await db.list(account_id=42, statuses=["ready", "running"])
    with pytest.raises(ValueError, match="statuses"):
        await db.backups.list(**scope, dbaas_id=7341, statuses="succeeded")
    with pytest.raises(ValueError, match="status"):
        await async_client.cloud.projects.list(public_cloud_id=1332, status="disabled")
    assert emulator.requests == []
    clusters = await k8s.list(**scope, statuses=["Active", "Failed"])
    assert {c.status for c in clusters} <= {"Active", "Failed"}


async def test_nan_and_infinity_never_reach_the_wire(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    ids = {"public_cloud_id": 1332, "public_cloud_project_id": 25454, "dbaas_id": 7341}
    with pytest.raises(ValueError, match="finite"):
        await async_client.cloud.database.configuration.replace(
            **ids, values={"max_connections": math.nan}
        )
    with pytest.raises(ValueError, match="finite"):
        await async_client.cloud.database.configuration.replace(
            **ids, values={"long_query_time": [1.0, math.inf]}
        )
    assert emulator.requests == []
